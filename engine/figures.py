"""Figures a planner acts on, read off a solved team model."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from zoneinfo import ZoneInfo

from rotasat.models import (
    Assignment,
    EngineerFigures,
    IncidentOutcome,
    Instance,
    SprintFigures,
    TeamFigures,
)
from rotasat.models.sprints import Sprint, capacity_minutes, sprint_of, team_sprints

from .data import TeamData, round_half_up
from .incidents import IncidentInfo, IncidentPart, duty_points


def gini(values: list[float]) -> float:
    """0 when everyone carries the same, towards 1 when one engineer carries everything."""
    n = len(values)
    total = sum(values)
    if n < 2 or total <= 0:
        return 0.0
    pairs = sum(abs(a - b) for a in values for b in values)
    return round(pairs / (2 * n * total), 4)


def team_figures(
    data: TeamData, chosen: list[tuple[int, int, int]]
) -> tuple[list[Assignment], list[EngineerFigures], TeamFigures]:
    """Assignments and figures for the (shift, role, engineer) triples chosen."""
    held: dict[int, set[int]] = defaultdict(set)
    gap: dict[int, int] = defaultdict(int)
    staffed: dict[tuple[int, int], int] = defaultdict(int)
    assignments = []
    for s, r, e in sorted(chosen, key=lambda t: (data.shifts[t[0]].start, t[0], t[1], t[2])):
        shift, role = data.shifts[s], data.roles(s)[r]
        held[e].add(s)
        staffed[s, r] += 1
        skills = list(role.required_skills) + [
            k for k in role.preferred_skills if k not in role.required_skills
        ]
        gap[e] += sum(5 - data.engineers[e].skills.get(k, 0) for k in skills)
        assignments.append(
            Assignment(
                shift=shift.id,
                team=data.team.id,
                rotation=shift.rotation,
                shift_type=shift.shift_type,
                role=role.id,
                engineer=data.engineers[e].id,
                start=shift.start,
                end=shift.end,
            )
        )
    engineers = []
    for e, engineer in enumerate(data.engineers):
        mine = held[e]
        burdens = [data.burden[s, e] for s in mine]
        points = sum(b.points for b in burdens)
        engineers.append(
            EngineerFigures(
                engineer=engineer.id,
                team=data.team.id,
                shifts=len(mine),
                hours=round(sum(data.shifts[s].minutes for s in mine) / 60, 2),
                load=points / 10,
                history_load=data.history_points[e] / 10,
                total_load=(points + data.history_points[e]) / 10,
                weekends=len({w for b in burdens for w in b.weekends}),
                holidays=len({h for b in burdens for h in b.holidays}),
                night_hours=round(sum(b.night_minutes for b in burdens) / 60, 2),
                preference_cost=_preference_cost(data, e, mine),
                skill_gap=gap[e],
            )
        )
    totals = [engineers[e].total_load for e in data.fairness_group]
    under = over = 0
    for (s, r), _ in data.eligible.items():
        need = data.head_count(s, r)
        under += max(0, need - staffed[s, r])
        over += max(0, staffed[s, r] - need)
    figures = TeamFigures(
        team=data.team.id,
        engineers=len(totals),
        load_min=min(totals, default=0.0),
        load_max=max(totals, default=0.0),
        load_spread=round(max(totals, default=0.0) - min(totals, default=0.0), 1),
        load_mean=round(sum(totals) / len(totals), 2) if totals else 0.0,
        load_gini=gini(totals),
        understaffed=under,
        overstaffed=over,
        preference_cost=sum(f.preference_cost for f in engineers),
        skill_gap=sum(f.skill_gap for f in engineers),
    )
    return assignments, engineers, figures


def _preference_cost(data: TeamData, e: int, held: set[int]) -> int:
    cost = 0
    for pref in data.engineers[e].preferences:
        for s in data.preferred(pref):
            if (s in held) == (pref.kind == "avoid"):
                cost += pref.weight
    return cost


def incident_figures(
    instance: Instance,
    datas: list[TeamData],
    chosen: list[list[tuple[int, int, int]]],
    part: IncidentPart,
    handlers: list[str | None],
    teams: list[TeamFigures],
) -> tuple[list[IncidentOutcome], list[SprintFigures]]:
    """Incident outcomes and sprint figures; fills the support fields of `teams` in place."""
    zone_of = {e.id: t.zone_of(e) for t in instance.teams for e in t.engineers}
    team_of = {e.id: t for t in instance.teams for e in t.engineers}
    outcomes = []
    effort: dict[str, list[tuple[int, IncidentInfo]]] = defaultdict(list)
    for info, handler in zip(part.infos, handlers, strict=True):
        incident = info.incident
        sprint_label = target = reason = None
        if handler is not None:
            effort[handler].append((info.effort, info))
            sprints = team_sprints(instance, team_of[handler])
            day = incident.arrival.astimezone(ZoneInfo(zone_of[handler])).date()
            sprint = sprint_of(sprints, day)
            sprint_label = sprint.label if sprint else None
        else:
            target = deferred_target(instance, info)
            reason = "deferred to the backlog"
        sla_met = None
        if incident.sla is not None:
            sla_met = handler is not None and not info.sla_unmeetable
            if info.sla_unmeetable:
                reason = "effort exceeds the resolve-by time"
        outcomes.append(IncidentOutcome(
            incident=incident.id, team=info.owner.id, handler=handler, sprint=sprint_label,
            deferred=handler is None, target_sprint=target, interrupting=info.interrupting,
            sla_met=sla_met, reason=reason,
            expertise_gap=info.gaps.get(handler, 0) if handler else 0,
        ))
    by_team = {f.team: f for f in teams}
    sprint_rows: list[SprintFigures] = []
    for data, keys in zip(datas, chosen, strict=True):
        figures = by_team[data.team.id]
        duty_by_engineer: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for s, r, e in keys:
            duty_by_engineer[e].append((s, duty_points(data, s, r)))
        rows = _sprint_rows(instance, data, duty_by_engineer, effort)
        sprint_rows += rows
        _support_figures(figures, data, duty_by_engineer, effort, part, rows)
        owned = [(o, info) for o, info in zip(outcomes, part.infos, strict=True)
                 if info.owner.id == data.team.id]
        figures.incidents_handled = sum(not o.deferred for o, _ in owned)
        figures.deferred = sum(o.deferred for o, _ in owned)
        figures.sla_met = sum(o.sla_met is True for o, _ in owned)
        figures.sla_missed = sum(o.sla_met is False for o, _ in owned)
        figures.expertise_gap = sum(o.expertise_gap for o, _ in owned)
        systems: dict[str, set[str]] = defaultdict(set)
        for o, info in owned:
            systems[info.incident.system]
            if o.handler is not None:
                systems[info.incident.system].add(o.handler)
        figures.knowledge = {k: len(v) for k, v in sorted(systems.items())}
    return outcomes, sprint_rows


def deferred_target(instance: Instance, info: IncidentInfo) -> str:
    """The owner team's sprint after the one the incident arrived in."""
    sprints = team_sprints(instance, info.owner)
    if not sprints:
        return "backlog"
    day = info.incident.arrival.astimezone(ZoneInfo(info.owner.timezone)).date()
    current = sprint_of(sprints, day)
    if current is None:
        return "backlog"
    length = current.end - current.start
    return Sprint(current.index + 1, current.end, current.end + length).label


def _sprint_rows(instance: Instance, data: TeamData,
                 duty_by_engineer: dict[int, list[tuple[int, int]]],
                 effort: dict[str, list[tuple[int, IncidentInfo]]]) -> list[SprintFigures]:
    sprints = team_sprints(instance, data.team)
    if not sprints:
        return []
    reserve = Fraction(str(instance.policy_of(data.team).reserve))
    rows = []
    for e, engineer in enumerate(data.engineers):
        zone = ZoneInfo(data.team.zone_of(engineer))
        for sprint in sprints:
            capacity = round_half_up(Fraction(capacity_minutes(instance, engineer, sprint), 6))
            limit = round_half_up(reserve * capacity)
            d = sum(p for s, p in duty_by_engineer[e] if sprint.contains(data.shifts[s].date))
            n = u = 0
            for points, info in effort[engineer.id]:
                if sprint.contains(info.incident.arrival.astimezone(zone).date()):
                    if info.interrupting:
                        u += points
                    else:
                        n += points
            used = d + n + u
            rows.append(SprintFigures(
                engineer=engineer.id, team=data.team.id, sprint=sprint.label, start=sprint.start,
                capacity_hours=capacity / 10, reserve_hours=limit / 10, duty_hours=d / 10,
                incident_hours=n / 10, interrupting_hours=u / 10,
                interruption_hours=max(0, used - limit) / 10,
                protected_pct=round(100 * (capacity - min(capacity, used)) / capacity, 2)
                if capacity else 100.0,
            ))
    return rows


def _support_figures(figures: TeamFigures, data: TeamData,
                     duty_by_engineer: dict[int, list[tuple[int, int]]],
                     effort: dict[str, list[tuple[int, IncidentInfo]]], part: IncidentPart,
                     rows: list[SprintFigures]) -> None:
    candidates = {c for info in part.infos for c in info.candidates}
    group = set(data.fairness_group)
    points = [
        sum(p for _, p in duty_by_engineer[e]) + sum(p for p, _ in effort[engineer.id])
        for e, engineer in enumerate(data.engineers)
        if e in group or engineer.id in candidates
    ]
    if len(points) >= 2:
        figures.support_spread = (max(points) - min(points)) / 10
        figures.support_gini = gini([float(p) for p in points])
    figures.interruption_hours = round(sum(r.interruption_hours for r in rows), 1)
    figures.interrupted_sprints = sum(r.interruption_hours > 0 for r in rows)
    capacity = sum(r.capacity_hours for r in rows)
    if rows:
        used = sum(min(r.capacity_hours, r.duty_hours + r.incident_hours + r.interrupting_hours)
                   for r in rows)
        figures.protected_pct = round(100 * (capacity - used) / capacity, 2) if capacity else None
