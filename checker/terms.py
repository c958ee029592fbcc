"""Objective terms and per-engineer and per-team figures (docs/semantics.md, "Load" and
"Objective").

All objective values are integers: loads in points (tenths of a weighted hour), preferences in
preference weight, skills in levels, staffing in person-shifts. Figures show hours.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from rotasat.models.instance import WEEKDAYS, Engineer, Team
from rotasat.models.solution import EngineerFigures, ObjectiveTerm, TeamFigures

from .context import Context, Timed, may_hold_a_role
from .incidents import SupportTally
from .load import history_points
from .rules import UNITS, term_name

LOAD_UNIT = "points (0.1 weighted h)"


@dataclass
class Tally:
    """One team's integer figures, shared by its terms and its figures."""

    team: Team
    points: dict[str, int] = field(default_factory=dict)  # plan load per engineer
    history: dict[str, int] = field(default_factory=dict)
    group: list[str] = field(default_factory=list)  # the fairness group, in team order
    preference: dict[str, int] = field(default_factory=dict)
    skill: dict[str, int] = field(default_factory=dict)
    # (rotation, role) -> person-shifts missing / beyond the head count
    under: dict[tuple[str, str], int] = field(default_factory=dict)
    over: dict[tuple[str, str], int] = field(default_factory=dict)

    def total(self, engineer: str) -> int:
        return self.history[engineer] + self.points[engineer]


def _preference_cost(ctx: Context, team: Team, engineer: Engineer) -> int:
    """Σ weight of each matching shift not held (prefer) or held (avoid)."""
    held = {d.shift.id for d in ctx.duties_of(engineer.id)}
    shifts = ctx.team_shifts[team.id]
    on_date: dict[dt.date, list[Timed]] = {}
    if engineer.preferences:
        for timed in shifts:
            on_date.setdefault(timed.shift.date, []).append(timed)
    cost = 0
    for wish in engineer.preferences:
        dates, weekdays = set(wish.dates), set(wish.weekdays)
        # only the shifts of its dates can match a wish that names dates and no weekdays
        looked_at = shifts if weekdays or not dates else [
            timed for day in sorted(dates) for timed in on_date.get(day, [])]
        for timed in looked_at:
            shift = timed.shift
            if wish.rotation is not None and shift.rotation != wish.rotation:
                continue
            if wish.shift_type is not None and shift.shift_type != wish.shift_type:
                continue
            if (dates or weekdays) and not (
                shift.date in dates or WEEKDAYS[shift.date.weekday()] in weekdays
            ):
                continue
            if (wish.kind == "prefer") != (shift.id in held):
                cost += wish.weight
    return cost


def _skill_gap(ctx: Context, engineer: Engineer) -> int:
    """Σ over the engineer's (shift, role) of 5 − level for each required or preferred skill.

    A skill both required and preferred counts once; an absent skill is level 0.
    """
    gap = 0
    for duty in ctx.duties_of(engineer.id):
        for role in duty.shift.rotation.roles:
            if role.id in duty.roles:
                skills = set(role.required_skills) | set(role.preferred_skills)
                gap += sum(5 - engineer.skills.get(s, 0) for s in skills)
    return gap


def tally(ctx: Context, team: Team) -> Tally:
    """Loads, fairness group, preference and skill costs, and staffing gaps of one team."""
    t = Tally(team=team)
    for engineer in team.engineers:
        eid = engineer.id
        t.points[eid] = sum(ctx.facts(eid, d.shift).points for d in ctx.duties_of(eid))
        t.history[eid] = history_points(engineer.history.load_hours)
        if may_hold_a_role(team, engineer):
            t.group.append(eid)
        t.preference[eid] = _preference_cost(ctx, team, engineer)
        t.skill[eid] = _skill_gap(ctx, engineer)
    for rotation in team.rotations:
        for role in rotation.roles:
            under = over = 0
            for timed in ctx.rotation_shifts[rotation.id]:
                n = len(ctx.staffing.get((timed.id, role.id), []))
                wanted = ctx.wanted[timed.id, role.id]
                under += max(0, wanted - n)
                over += max(0, n - wanted)
            t.under[(rotation.id, role.id)] = under
            t.over[(rotation.id, role.id)] = over
    return t


def fairness(t: Tally) -> tuple[int, int]:
    """(spread, deviation) of the group's total loads, in points; (0, 0) below two engineers."""
    totals = [t.total(e) for e in t.group]
    n = len(totals)
    if n < 2:
        return 0, 0
    mean = sum(totals) // n  # ⌊Σ / N⌋: an integer target both sides can agree on
    return max(totals) - min(totals), sum(abs(x - mean) for x in totals)


def _term(team: str, name: str, value: int, weight: int, unit: str) -> ObjectiveTerm:
    return ObjectiveTerm(
        name=name, team=team, value=value, weight=weight, cost=weight * value, unit=unit
    )


def team_terms(ctx: Context, t: Tally, rule_units: dict[int, int]) -> list[ObjectiveTerm]:
    """The team's terms with weight above 0; `rule_units` holds each soft rule's units by index."""
    team = t.team
    weights = ctx.instance.policy_of(team).weights
    spread, deviation = fairness(t)
    candidates = [
        ("fairness_spread", spread, weights.fairness_spread, LOAD_UNIT),
        ("fairness_deviation", deviation, weights.fairness_deviation, LOAD_UNIT),
        ("preferences", sum(t.preference.values()), weights.preferences, "preference weight"),
        ("skill", sum(t.skill.values()), weights.skill, "skill levels"),
    ]
    for rotation in team.rotations:
        for role in rotation.roles:
            key = (rotation.id, role.id)
            where = f"{rotation.id}/{role.id}"
            if role.understaff_weight is not None:
                candidates.append(
                    (f"understaffing:{where}", t.under[key], role.understaff_weight,
                     "person-shifts")
                )
            if role.overstaff_weight is not None:
                candidates.append(
                    (f"overstaffing:{where}", t.over[key], role.overstaff_weight, "person-shifts")
                )
    for index, rule in enumerate(team.rules):
        if not rule.hard:
            candidates.append(
                (term_name(index, rule), rule_units.get(index, 0), rule.weight, UNITS[rule.rule])
            )
    return [
        _term(team.id, name, value, weight, unit)
        for name, value, weight, unit in candidates
        if weight > 0
    ]


def support_spread(s: SupportTally) -> int:
    """max − min support points over the team's support group (0 when it is empty)."""
    points = list(s.support.values())
    return max(points) - min(points) if points else 0


def support_terms(ctx: Context, s: SupportTally) -> list[ObjectiveTerm]:
    """The incident terms of one team with weight above 0; none when the instance has no
    incidents."""
    if not ctx.instance.incidents:
        return []
    weights = ctx.instance.policy_of(s.team).weights
    candidates = [
        ("interruption", s.interruption, weights.interruption, "points (0.1 h)"),
        ("deferral", s.deferral, weights.deferral, "priority points (5 − priority number)"),
        ("sla_missed", s.sla_missed, weights.sla_missed, "incidents"),
        ("expertise", s.expertise, weights.expertise, "skill levels"),
        ("knowledge", s.knowledge_gap, weights.knowledge, "engineers"),
        ("support_spread", support_spread(s), weights.support_spread, "points (0.1 h)"),
    ]
    return [
        _term(s.team.id, name, value, weight, unit)
        for name, value, weight, unit in candidates
        if weight > 0
    ]


def engineer_figures(ctx: Context, t: Tally) -> list[EngineerFigures]:
    """Per engineer of the team: duty, load, weekends, holidays, night, preferences, skill."""
    figures = []
    for engineer in t.team.engineers:
        eid = engineer.id
        duties = ctx.duties_of(eid)
        facts = [ctx.facts(eid, d.shift) for d in duties]
        weekends: set = set()
        holidays: set = set()
        for f in facts:
            weekends |= f.weekends
            holidays |= f.holidays
        night = sum((f.night_minutes for f in facts), Fraction(0))
        figures.append(
            EngineerFigures(
                engineer=eid,
                team=t.team.id,
                shifts=len(duties),
                hours=sum(d.shift.seconds for d in duties) / 3600,
                load=t.points[eid] / 10,
                history_load=t.history[eid] / 10,
                total_load=t.total(eid) / 10,
                weekends=len(weekends),
                holidays=len(holidays),
                night_hours=float(night / 60),
                preference_cost=t.preference[eid],
                skill_gap=t.skill[eid],
            )
        )
    return figures


def gini(values: list[int]) -> float:
    """Gini coefficient: Σ_i Σ_j |x_i − x_j| / (2 n Σ x); 0 for no load at all."""
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return 0.0
    ordered = sorted(values)
    # Σ_i Σ_j |x_i − x_j| = 2 Σ_i (2i − n − 1) x_(i), i = 1 … n over the sorted values.
    return sum((2 * i - n - 1) * x for i, x in enumerate(ordered, start=1)) / (n * total)


def team_figures(t: Tally, s: SupportTally) -> TeamFigures:
    """The fairness group's loads (hours, history included), the team's cost figures, and its
    support: sprints, incidents it owns, and the support group's spread."""
    totals = [t.total(e) for e in t.group]
    low, high = (min(totals), max(totals)) if totals else (0, 0)
    return TeamFigures(
        team=t.team.id,
        engineers=len(totals),
        load_min=low / 10,
        load_max=high / 10,
        load_spread=(high - low) / 10,
        load_mean=sum(totals) / len(totals) / 10 if totals else 0.0,
        load_gini=gini(totals),
        understaffed=sum(t.under.values()),
        overstaffed=sum(t.over.values()),
        preference_cost=sum(t.preference.values()),
        skill_gap=sum(t.skill.values()),
        support_spread=support_spread(s) / 10,
        support_gini=gini(list(s.support.values())),
        interruption_hours=s.interruption / 10,
        interrupted_sprints=s.interrupted,
        protected_pct=(
            (100 * s.protected / s.capacity if s.capacity else 0.0) if s.has_sprints else None
        ),
        incidents_handled=s.handled,
        deferred=s.deferred,
        sla_met=s.sla_met,
        sla_missed=s.sla_missed,
        expertise_gap=s.expertise,
        knowledge=dict(s.knowledge),
    )
