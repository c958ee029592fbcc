"""Incidents and sprint capacity: who handles each escalation, and what it takes from the sprint.

Index maps first (pools, candidates, the handler an allocation pattern fixes, points), then the
variables, hard rules and terms. Meanings: docs/semantics.md, "Incidents and sprints".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from zoneinfo import ZoneInfo

from ortools.sat.python import cp_model
from rotasat.models import Instance, Team
from rotasat.models.instance import Engineer, Policy
from rotasat.models.sprints import Sprint, capacity_minutes, sprint_of, team_sprints
from rotasat.models.support import Incident

from .context import Expr, Guards
from .data import TeamData, round_half_up
from .objective import Exact, Term
from .slack import Slacks, Value
from .variables import Literal, Variables


@dataclass(frozen=True)
class Member:
    """An engineer of a component: which team model, which index in it."""

    team: int
    e: int
    engineer: Engineer


@dataclass
class IncidentInfo:
    incident: Incident
    owner: Team
    policy: Policy
    interrupting: bool
    candidates: list[str]  # engineer ids, organisation order
    allowed: list[str]  # who the allocation pattern lets handle it (subset of candidates)
    owner_duty: tuple[int, int] | None = None  # (team model, shift) whose first role owns it
    effort: int = 0  # points
    gaps: dict[str, int] = field(default_factory=dict)  # expertise gap per candidate

    @property
    def deferrable(self) -> bool:
        return not self.interrupting and self.incident.assignee is None

    @property
    def priority_units(self) -> int:
        """What deferring it weighs: 5 minus its priority number (P1 4, P4 1)."""
        return 5 - int(self.incident.priority[1])

    @property
    def sla_unmeetable(self) -> bool:
        sla = self.incident.sla
        return (sla is not None and sla.resolve_hours is not None
                and self.incident.effort_hours > sla.resolve_hours)


def organisation_order(instance: Instance) -> list[Engineer]:
    return [e for t in instance.teams for e in t.engineers]


def _on_leave(engineer: Engineer, zone: str, moment: dt.datetime) -> bool:
    tz = ZoneInfo(zone)
    for leave in engineer.unavailability:
        begin = dt.datetime.combine(leave.start, dt.time(), tz)
        end = dt.datetime.combine(leave.end + dt.timedelta(days=1), dt.time(), tz)
        if begin <= moment < end:
            return True
    return False


def pool(instance: Instance, incident: Incident, owner: Team, policy: Policy) -> list[Engineer]:
    """Who may handle the incident under the owner's support model, in organisation order."""
    everyone = organisation_order(instance)

    def builders() -> list[Engineer]:
        built = [e for e in everyone if incident.system in e.built_systems]
        return built or list(owner.engineers)

    def support(kind: str) -> list[Engineer]:
        team = instance.support_team(kind)
        return list(team.engineers) if team is not None else []

    model = policy.support_model
    if model == "builders":
        return builders()
    if model == "dedicated":
        return support("dedicated")
    if model == "tiered":
        if incident.tier in ("L1", "L2"):
            return support("dedicated")
        return builders() if policy.l3_to == "builders" else support("l3")
    return list(owner.engineers)


def _level_sum(engineer: Engineer, incident: Incident) -> int:
    return sum(engineer.skills.get(k, 0) for k in incident.required_skills)


def most_qualified(candidates: list[Engineer], incident: Incident) -> Engineer:
    """Highest summed level in the required skills; then a builder; then organisation order."""
    return max(
        candidates,
        key=lambda e: (
            _level_sum(e, incident),
            incident.system in e.built_systems,
            -candidates.index(e),
        ),
    )


@dataclass
class IncidentPart:
    """Index maps and variables of the incidents of one component."""

    infos: list[IncidentInfo]
    members: dict[str, Member]
    handle: dict[tuple[int, str], Literal] = field(default_factory=dict)  # (incident, engineer)
    defer: dict[int, Literal | int] = field(default_factory=dict)
    sprints: dict[str, list[Sprint]] = field(default_factory=dict)  # team id -> sprints
    # sprint accounting, for the warm start: reserve points per (engineer, sprint index), the
    # sprint index of each incident per handler and of each shift per team model
    limits: dict[tuple[str, int], int] = field(default_factory=dict)
    incident_sprint: dict[tuple[int, str], int] = field(default_factory=dict)
    shift_sprint: dict[tuple[int, int], int] = field(default_factory=dict)


def build_incident_infos(
    instance: Instance, datas: list[TeamData], incidents: list[Incident]
) -> IncidentPart:
    members = {
        engineer.id: Member(t, e, engineer)
        for t, data in enumerate(datas)
        for e, engineer in enumerate(data.engineers)
    }
    zone_of = {e.id: t.zone_of(e) for t in instance.teams for e in t.engineers}
    rr_pointer: dict[str, int] = {}
    order = [e.id for e in organisation_order(instance)]
    infos: list[IncidentInfo] = []
    for incident in sorted(incidents, key=lambda i: (i.arrival, i.id)):
        owner = instance.owner_of(incident.system)
        policy = instance.policy_of(owner)
        if incident.assignee is not None:
            people = [e for e in organisation_order(instance) if e.id == incident.assignee]
        else:
            people = [
                e for e in pool(instance, incident, owner, policy)
                if not _on_leave(e, zone_of[e.id], incident.arrival)
            ]
        info = IncidentInfo(
            incident=incident,
            owner=owner,
            policy=policy,
            interrupting=policy.interrupt.allows(incident),
            candidates=[e.id for e in people],
            allowed=[e.id for e in people],
            effort=round_half_up(Fraction(str(incident.effort_hours)) * 10),
        )
        for skill in incident.required_skills:
            best = max((e.skills.get(skill, 0) for e in people), default=0)
            for e in people:
                info.gaps[e.id] = info.gaps.get(e.id, 0) + max(0, best - e.skills.get(skill, 0))
        if people and incident.assignee is None:
            _apply_pattern(info, people, order, rr_pointer, instance, datas)
        infos.append(info)
    return IncidentPart(infos=infos, members=members)


def _apply_pattern(info: IncidentInfo, people: list[Engineer], order: list[str],
                   rr_pointer: dict[str, int], instance: Instance, datas: list[TeamData]) -> None:
    allocation = info.policy.allocation
    if allocation == "round_robin":
        pointer = rr_pointer.get(info.owner.id, 0)
        ids = set(info.candidates)
        for step in range(len(order)):
            position = (pointer + step) % len(order)
            if order[position] in ids:
                info.allowed = [order[position]]
                rr_pointer[info.owner.id] = position + 1
                return
    elif allocation == "most_qualified":
        info.allowed = [most_qualified(people, info.incident).id]
    elif allocation == "rotating_owner":
        duty = _owner_duty(info, people, instance, datas)
        if duty is None:
            info.allowed = [most_qualified(people, info.incident).id]
        else:
            info.owner_duty, info.allowed = duty


def _owner_duty(info: IncidentInfo, people: list[Engineer], instance: Instance,
                datas: list[TeamData]) -> tuple[tuple[int, int], list[str]] | None:
    """The owner rotation's shift at arrival and the candidates who may take its first role."""
    rotation_id = info.policy.owner_rotation
    if rotation_id is None:
        first_team = next(t for t in instance.teams if people[0] in t.engineers)
        if not first_team.rotations:
            return None
        rotation_id = first_team.rotations[0].id
    for t, data in enumerate(datas):
        for s in data.covering(rotation_id, info.incident.arrival):
            takers = {data.engineers[e].id for e in data.eligible[s, 0]}
            allowed = [c for c in info.candidates if c in takers]
            return ((t, s), allowed) if allowed else None
    return None


# --------------------------------------------------------------------------------------------
# The model


def duty_points(data: TeamData, s: int, r: int) -> int:
    """Support points a duty takes from the sprint (cached per team, shift and role)."""
    cache: dict[tuple[int, int], int] = data.__dict__.setdefault("_duty_points", {})
    if (s, r) not in cache:
        role = data.roles(s)[r]
        minutes = data.shifts[s].minutes
        cache[s, r] = round_half_up(Fraction(str(role.support_hours)) * minutes / 1440 * 10)
    return cache[s, r]


def add_incidents(
    model: cp_model.CpModel,
    instance: Instance,
    datas: list[TeamData],
    team_vars: list[Variables],
    part: IncidentPart,
    guards: Guards,
    slacks: Slacks,
) -> list[Term]:
    """Variables, hard rules and terms of the component's incidents."""
    for i, info in enumerate(part.infos):
        for eid in info.allowed:
            part.handle[i, eid] = model.new_bool_var(f"incident|{info.incident.id}|{eid}")
        part.defer[i] = model.new_bool_var(f"defer|{info.incident.id}") if info.deferrable else 0
        words = f"incident {info.incident.id} ({info.incident.priority}, {info.incident.system})"
        enforce = guards(("incident", i), f"{words} must be handled by one of "
                         f"{', '.join(info.allowed) or 'nobody available'}")
        handlers = [part.handle[i, eid] for eid in info.allowed]
        model.add(sum(handlers) + part.defer[i] == 1).only_enforce_if(enforce)
        if info.owner_duty is not None:
            t, s = info.owner_duty
            v = team_vars[t]
            for eid in info.allowed:
                e = part.members[eid].e
                model.add_implication(part.handle[i, eid], v.assign[s, 0, e])
    interruption = _sprint_capacity(model, instance, datas, team_vars, part, guards, slacks)
    return _incident_terms(model, instance, datas, team_vars, part, interruption, slacks)


def _sprint_capacity(model: cp_model.CpModel, instance: Instance, datas: list[TeamData],
                     team_vars: list[Variables], part: IncidentPart,
                     guards: Guards, slacks: Slacks) -> dict[str, list[Expr]]:
    """The reserve rule per engineer and sprint; returns interruption points by team."""
    interruption: dict[str, list[Expr]] = {}
    handled_by: dict[str, list[int]] = {}
    for (i, eid) in part.handle:
        handled_by.setdefault(eid, []).append(i)
    for t, data in enumerate(datas):
        team = data.team
        sprints = team_sprints(instance, team)
        part.sprints[team.id] = sprints
        if not sprints:
            continue
        reserve = Fraction(str(instance.policy_of(team).reserve))
        for e, engineer in enumerate(data.engineers):
            zone = ZoneInfo(team.zone_of(engineer))
            duty: dict[int, list[Expr]] = {}
            duty_max: dict[int, int] = {}
            calm_max: dict[int, int] = {}
            urgent_max: dict[int, int] = {}
            for s, r in data.assigns_of(e):
                sprint = sprint_of(sprints, data.shifts[s].date)
                if sprint is not None:
                    part.shift_sprint[t, s] = sprint.index
                    literal = team_vars[t].assign[s, r, e]
                    duty.setdefault(sprint.index, []).append(duty_points(data, s, r) * literal)
                    duty_max[sprint.index] = duty_max.get(sprint.index, 0) + duty_points(
                        data, s, r)
            calm: dict[int, list[Expr]] = {}
            urgent: dict[int, list[Expr]] = {}
            for i in handled_by.get(engineer.id, []):
                info = part.infos[i]
                day = info.incident.arrival.astimezone(zone).date()
                sprint = sprint_of(sprints, day)
                if sprint is None:
                    continue
                part.incident_sprint[i, engineer.id] = sprint.index
                bucket = urgent if info.interrupting else calm
                bucket.setdefault(sprint.index, []).append(
                    info.effort * part.handle[i, engineer.id])
                peaks = urgent_max if info.interrupting else calm_max
                peaks[sprint.index] = peaks.get(sprint.index, 0) + info.effort
            for sprint in sprints:
                k = sprint.index
                if not (duty.get(k) or calm.get(k) or urgent.get(k)):
                    continue
                capacity = round_half_up(Fraction(capacity_minutes(instance, engineer, sprint), 6))
                limit = round_half_up(reserve * capacity)
                part.limits[engineer.id, k] = limit
                d, n, u = (cp_model.LinearExpr.sum(x.get(k, [])) for x in (duty, calm, urgent))
                most = sum(peak.get(k, 0) for peak in (duty_max, calm_max, urgent_max))
                name = f"{engineer.id}|{sprint.start}"
                enforce = guards(("reserve", engineer.id, k),
                                 f"{engineer.id}'s support reserve in {sprint.label}")
                if calm.get(k):
                    # n <= max(0, limit - d): either it all fits beside the duty, or none
                    fits = model.new_bool_var(f"fits|{name}")
                    model.add(n + d <= limit).only_enforce_if([fits, *enforce])
                    model.add(n == 0).only_enforce_if([~fits, *enforce])
                over = slacks.excess(d + n + u, limit, most, f"interruption|{name}")
                interruption.setdefault(team.id, []).append(over)
    return interruption


def _incident_terms(model: cp_model.CpModel, instance: Instance, datas: list[TeamData],
                    team_vars: list[Variables], part: IncidentPart,
                    interruption: dict[str, list[Expr]], slacks: Slacks) -> list[Term]:
    terms: list[Term] = []

    def add(team: Team, name: str, unit: str, built: Expr | tuple[Expr, Exact]) -> None:
        weight = getattr(instance.policy_of(team).weights, name)
        value, exact = built if isinstance(built, tuple) else (built, None)
        if weight > 0:
            terms.append(Term(name, weight, unit, value, team=team.id, exact=exact))

    by_owner: dict[str, list[int]] = {}
    for i, info in enumerate(part.infos):
        by_owner.setdefault(info.owner.id, []).append(i)
    teams = {d.team.id: d.team for d in datas}
    support = _support_points(instance, datas, team_vars, part)
    for team_id, team in teams.items():
        over = interruption.get(team_id, [])
        add(team, "interruption", "0.1 h", (sum(over), slacks.total(over)))
        owned = by_owner.get(team_id, [])
        add(team, "deferral", "priority units",
            sum(part.infos[i].priority_units * part.defer[i] for i in owned))
        add(team, "sla_missed", "incidents", sum(
            1 if part.infos[i].sla_unmeetable else part.defer[i]
            for i in owned if part.infos[i].incident.sla is not None))
        add(team, "expertise", "skill levels", sum(
            part.infos[i].gaps.get(eid, 0) * part.handle[i, eid]
            for i in owned for eid in part.infos[i].allowed))
        add(team, "knowledge", "engineers", _knowledge(model, part, owned))
        add(team, "support_spread", "0.1 h", _spread(model, support.get(team_id, []), team_id))
    return terms


def _knowledge(model: cp_model.CpModel, part: IncidentPart, owned: list[int]) -> Expr:
    """Per system: min(incidents, engineers who could handle one) - distinct handlers."""
    systems: dict[str, list[int]] = {}
    for i in owned:
        systems.setdefault(part.infos[i].incident.system, []).append(i)
    target = 0
    touched_all: list[Literal] = []
    for system, incidents in systems.items():
        able = {c for i in incidents for c in part.infos[i].candidates}
        target += min(len(incidents), len(able))
        for eid in sorted({e for i in incidents for e in part.infos[i].allowed}):
            handles = [part.handle[i, eid] for i in incidents if (i, eid) in part.handle]
            touched = model.new_bool_var(f"knows|{system}|{eid}")
            model.add_max_equality(touched, handles)
            touched_all.append(touched)
    return target - cp_model.LinearExpr.sum(touched_all)


def _support_points(instance: Instance, datas: list[TeamData], team_vars: list[Variables],
                    part: IncidentPart) -> dict[str, list[tuple[Expr, int]]]:
    """Per team: each support-group member's support points (duty + incidents handled), with
    their upper bound."""
    candidates = {c for info in part.infos for c in info.candidates}
    effort: dict[str, list[Expr]] = {}
    effort_max: dict[str, int] = {}
    for (i, eid), literal in part.handle.items():
        effort.setdefault(eid, []).append(part.infos[i].effort * literal)
        effort_max[eid] = effort_max.get(eid, 0) + part.infos[i].effort
    result: dict[str, list[tuple[Expr, int]]] = {}
    for t, data in enumerate(datas):
        group = set(data.fairness_group)
        for e, engineer in enumerate(data.engineers):
            if e not in group and engineer.id not in candidates:
                continue
            duty = [duty_points(data, s, r) * team_vars[t].assign[s, r, e]
                    for s, r in data.assigns_of(e)]
            total = cp_model.LinearExpr.sum([*duty, *effort.get(engineer.id, [])])
            most = (sum(duty_points(data, s, r) for s, r in data.assigns_of(e))
                    + effort_max.get(engineer.id, 0))
            result.setdefault(data.team.id, []).append((total, most))
    return result


def _spread(model: cp_model.CpModel, loads: list[tuple[Expr, int]],
            name: str) -> tuple[Expr, Exact]:
    """max - min of the loads (each given with its upper bound), and its exact evaluator."""
    if len(loads) < 2:
        return 0, None
    most = model.new_int_var(0, max(bound for _, bound in loads), f"support|max|{name}")
    least = model.new_int_var(0, min(bound for _, bound in loads), f"support|min|{name}")
    for expr, _ in loads:  # inequalities, tight at the optimum (see slack.py)
        model.add(most >= expr)
        model.add(least <= expr)

    def exact(value: Value) -> int:
        values = [int(value(expr)) for expr, _ in loads]
        return max(values) - min(values)

    return most - least, exact
