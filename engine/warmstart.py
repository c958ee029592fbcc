"""A greedy first schedule, passed to CP-SAT as a solution hint.

Shifts are filled in time order; each role goes to the eligible engineer who would carry the
least load afterwards (skill gap breaks ties), among those whom no hard rule forbids given what
is already placed. Rules that look ahead (minimums) are left to CP-SAT, which repairs or improves
the hint. A good hint matters most on large, fairness-heavy instances where the first solutions
CP-SAT finds on its own are far from balanced.

Incidents then go, in arrival order, to whom they cost least given that rotation, or wait. With
about 2 s a team on large organisations CP-SAT keeps much of that choice: handing them to the
least loaded instead left the 5,000-incident benchmark 13% worse (bench/README.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rotasat.models.instance import (
    ForbiddenSuccession,
    HourCount,
    MaxConsecutive,
    MaxHolidays,
    MaxWeekends,
    MinRest,
    ShiftCount,
)

from .data import TeamData
from .incidents import IncidentInfo, IncidentPart, duty_points

LONGEST = dt.timedelta(days=29)  # no shift is longer (custom turns are at most 28 days)


class _Ledger:
    """What each engineer holds so far, and the hard rules' running counts."""

    def __init__(self, data: TeamData) -> None:
        self.data = data
        self.load = list(data.history_points)
        self.held: dict[int, list[int]] = defaultdict(list)
        self.counts: dict[tuple[int, int], float] = defaultdict(float)  # (rule, e) -> count
        self.days: dict[tuple[int, int], set[dt.date]] = defaultdict(set)  # weekends/holidays
        # (engineer, rotation, slot) -> shift types held there
        self.slot_types: dict[tuple[int, str, int], set[str]] = defaultdict(set)
        self.rules = [
            (index, rule, None if rule.engineers is None else set(rule.engineers))
            for index, rule in enumerate(data.team.rules)
            if rule.hard
        ]
        self._relevant: dict[tuple[str, str], list[tuple[int, Any, set[str] | None]]] = {}

    def relevant(self, s: int) -> list[tuple[int, Any, set[str] | None]]:
        """The hard rules a shift of this rotation and type can break (a succession only when
        the shift is its `then`)."""
        shift = self.data.shifts[s]
        key = (shift.rotation, shift.shift_type)
        if key not in self._relevant:
            self._relevant[key] = [
                (index, rule, bound) for index, rule, bound in self.rules
                if getattr(rule, "rotation", None) in (None, shift.rotation)
                and getattr(rule, "shift_type", None) in (None, shift.shift_type)
                and getattr(rule, "then", shift.shift_type) == shift.shift_type
            ]
        return self._relevant[key]

    @staticmethod
    def counted(rule: object, data: TeamData, s: int, r: int) -> bool:
        """Does (shift s, role r) count toward a shifts or hours rule?"""
        shift = data.shifts[s]
        if getattr(rule, "rotation", None) not in (None, shift.rotation):
            return False
        if isinstance(rule, ShiftCount):
            return (rule.shift_type in (None, shift.shift_type)
                    and rule.role in (None, data.roles(s)[r].id))
        return True

    def allowed(self, s: int, r: int, e: int) -> bool:
        data = self.data
        shift = data.shifts[s]
        engineer_id = data.engineers[e].id
        for held in reversed(self.held[e]):
            other = data.shifts[held]
            if other.overlaps(shift):
                return False
            if other.start + LONGEST < shift.start:
                break
        for index, rule, bound in self.relevant(s):
            if bound is not None and engineer_id not in bound:
                continue
            if not self._rule_allows(index, rule, s, r, e):
                return False
        return True

    def _rule_allows(self, index: int, rule: object, s: int, r: int, e: int) -> bool:
        data = self.data
        shift = data.shifts[s]
        if isinstance(rule, ShiftCount):
            counted = self.counted(rule, data, s, r)
            return not counted or rule.max is None or self.counts[index, e] + 1 <= rule.max
        if isinstance(rule, HourCount):
            counted = self.counted(rule, data, s, r)
            limit = None if rule.max is None else rule.max * 60
            return not counted or limit is None or self.counts[index, e] + shift.minutes <= limit
        if isinstance(rule, MinRest):
            rest = dt.timedelta(hours=rule.hours)
            # shifts are placed in time order: only the latest ones can be too close
            for a in reversed(self.held[e]):
                end = data.shifts[a].end
                if end <= shift.start < end + rest:
                    return False
                if data.shifts[a].start + LONGEST + rest < shift.start:
                    break  # held shifts start in time order and last at most LONGEST
            return True
        if isinstance(rule, MaxWeekends | MaxHolidays):
            burden = data.burden[s, e]
            new = set(burden.weekends if isinstance(rule, MaxWeekends) else burden.holidays)
            return len(self.days[index, e] | new) <= rule.max
        if isinstance(rule, MaxConsecutive):
            if rule.rotation not in (None, shift.rotation):
                return True
            run = 0
            while (e, shift.rotation, shift.slot - run - 1) in self.slot_types:
                run += 1
            return run + 1 <= rule.max
        if isinstance(rule, ForbiddenSuccession):
            if shift.shift_type != rule.then or rule.rotation not in (None, shift.rotation):
                return True
            before = self.slot_types.get((e, shift.rotation, shift.slot - 1), set())
            return rule.first not in before
        return True

    def place(self, s: int, r: int, e: int) -> None:
        data = self.data
        shift = data.shifts[s]
        self.held[e].append(s)
        self.slot_types[e, shift.rotation, shift.slot].add(shift.shift_type)
        self.load[e] += data.burden[s, e].points
        for index, rule, _ in self.rules:
            if isinstance(rule, ShiftCount) and self.counted(rule, data, s, r):
                self.counts[index, e] += 1
            elif isinstance(rule, HourCount) and self.counted(rule, data, s, r):
                self.counts[index, e] += shift.minutes
            elif isinstance(rule, MaxWeekends):
                self.days[index, e] |= set(data.burden[s, e].weekends)
            elif isinstance(rule, MaxHolidays):
                self.days[index, e] |= set(data.burden[s, e].holidays)


def greedy_schedule(data: TeamData) -> set[tuple[int, int, int]]:
    """(shift, role, engineer) triples of a quick, roughly balanced schedule."""
    ledger = _Ledger(data)
    chosen: set[tuple[int, int, int]] = set()
    order = sorted(range(len(data.shifts)), key=lambda s: (data.shifts[s].start, s))
    for s in order:
        roles = data.roles(s)
        # scarce roles first: the one with the fewest eligible engineers
        for r in sorted(range(len(roles)), key=lambda r: len(data.eligible[s, r])):
            role = roles[r]
            skills = list(role.required_skills) + list(role.preferred_skills)
            for _ in range(data.head_count(s, r)):
                candidates = [
                    e for e in data.eligible[s, r]
                    if (s, r, e) not in chosen and ledger.allowed(s, r, e)
                ]
                if not candidates:
                    break
                best = min(
                    candidates,
                    key=lambda e: (
                        ledger.load[e] + data.burden[s, e].points,
                        sum(5 - data.engineers[e].skills.get(k, 0) for k in skills),
                        e,
                    ),
                )
                chosen.add((s, r, best))
                ledger.place(s, r, best)
    return chosen


def greedy_handlers(
    part: IncidentPart, datas: list[TeamData], chosen: list[set[tuple[int, int, int]]]
) -> dict[int, str | None]:
    """Handlers for the incidents given the rotation `chosen`, in arrival order: each goes to
    the allowed engineer it costs least (expertise gap, support beyond the sprint reserve,
    support spread; then the least loaded), where work that may not interrupt must fit beside
    the duty in the reserve; it waits (None) when it fits nowhere, or when waiting costs less.
    Incidents it cannot place (an on-call owner who is not allowed) are left to CP-SAT."""
    load: dict[tuple[str, int], int] = defaultdict(int)  # support points per engineer-sprint
    total: dict[str, int] = defaultdict(int)
    holders: dict[tuple[int, int], set[str]] = defaultdict(set)  # (team, shift) first role
    for t, keys in enumerate(chosen):
        data = datas[t]
        for s, r, e in keys:
            eid = data.engineers[e].id
            points = duty_points(data, s, r)
            total[eid] += points
            if (t, s) in part.shift_sprint:
                load[eid, part.shift_sprint[t, s]] += points
            if r == 0:
                holders[t, s].add(eid)
    duty = dict(load)  # `load` grows with the incidents placed; `duty` stays the rotation's
    calm: dict[tuple[str, int], int] = defaultdict(int)
    decided: dict[int, str | None] = {}
    for i, info in enumerate(part.infos):
        allowed = list(info.allowed)
        if info.owner_duty is not None:
            allowed = [e for e in allowed if e in holders[info.owner_duty]]
        fits = []
        for eid in allowed:
            k = part.incident_sprint.get((i, eid))
            if k is None or info.interrupting:
                fits.append(eid)
                continue
            room = max(0, part.limits.get((eid, k), 0) - duty.get((eid, k), 0))
            if calm[eid, k] + info.effort <= room:
                fits.append(eid)
        if not fits:
            if info.deferrable:
                decided[i] = None
            continue
        peak = max(total[eid] for eid in info.candidates)
        cost = {eid: _handling_cost(part, datas, i, eid, load) for eid in fits}
        spread = info.policy.weights.support_spread
        best = min(fits, key=lambda eid: (
            cost[eid] + spread * max(0, total[eid] + info.effort - peak), total[eid]))
        # the spread it adds is left out here: later incidents may even it out
        if info.deferrable and _waiting_cost(info) < cost[best]:
            decided[i] = None
            continue
        decided[i] = best
        total[best] += info.effort
        k = part.incident_sprint.get((i, best))
        if k is not None:
            load[best, k] += info.effort
            if not info.interrupting:
                calm[best, k] += info.effort
    return decided


def _handling_cost(part: IncidentPart, datas: list[TeamData], i: int, eid: str,
                   load: dict[tuple[str, int], int]) -> int:
    """What handing incident i to `eid` adds to the objective by itself: the expertise gap,
    and the support it takes beyond `eid`'s sprint reserve."""
    info = part.infos[i]
    added = info.policy.weights.expertise * info.gaps.get(eid, 0)
    k = part.incident_sprint.get((i, eid))
    if k is not None:
        limit, used = part.limits.get((eid, k), 0), load[eid, k]
        over = max(0, used + info.effort - limit) - max(0, used - limit)
        added += datas[part.members[eid].team].weights.interruption * over
    return added


def _waiting_cost(info: IncidentInfo) -> int:
    """What deferring the incident to the backlog costs: its priority units, and a missed SLA
    when it has one (one it could meet)."""
    weights = info.policy.weights
    cost = weights.deferral * info.priority_units
    if info.incident.sla is not None and not info.sla_unmeetable:
        cost += weights.sla_missed
    return cost
