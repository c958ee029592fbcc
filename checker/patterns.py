"""The allocation patterns of docs/semantics.md: who may handle an incident if it is handled.

One function per pattern. Each returns a Choice: the engineers the pattern lets handle the
incident (None: any candidate), and a phrase naming them for messages. Round robin is the only
pattern with state, a pointer per owner team, so `choices` walks the incidents in (arrival, id)
order. What the patterns decide depends on the instance and, for the rotating owner, on who holds
the owner rotation's first role; never on whether other incidents are handled or deferred.

A pinned incident is outside the patterns: its assignee handles it (incidents.pinned), and it
does not move the round robin's pointer.
"""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from rotasat.models.instance import Role, Rotation

from .context import Context, Timed
from .hard import leaves_overlapping, outside_working_hours
from .pools import Candidates, Case, Pool, Staff


@dataclass(frozen=True)
class Choice:
    """Who an allocation pattern lets handle one incident."""

    allowed: frozenset[str] | None  # None: any candidate
    says: str  # "the round robin gives it to bob"


def _names(engineers: list[str]) -> str:
    return ", ".join(engineers) if engineers else "nobody"


# --------------------------------------------------------------------------------------------
# optimised


def optimised(case: Case) -> Choice:
    """Any candidate."""
    return Choice(None, "any candidate may take it")


# --------------------------------------------------------------------------------------------
# round robin


def round_robin(case: Case, pointer: int, staff: Staff) -> tuple[Choice, int]:
    """The first candidate at or after the pointer in organisation order (cyclically); the
    pointer moves just past them, and stays put when there is no candidate."""
    candidates = case.candidates
    pool = candidates.pool
    first = bisect.bisect_left(pool.positions, pointer)  # the first at or after the pointer
    cyclic = pool.engineers[first:] + pool.engineers[:first]
    chosen = next((e for e in cyclic if e not in candidates.on_leave), None)
    if chosen is None:
        return Choice(frozenset(), "the round robin has no candidate to give it to"), pointer
    return (
        Choice(frozenset({chosen}), f"the round robin gives it to {chosen}"),
        staff.order[chosen] + 1,
    )


# --------------------------------------------------------------------------------------------
# most qualified


@dataclass
class Ranking:
    """Pool engineers by the most-qualified order, once per (pool, system, required skills)."""

    staff: Staff
    _ranked: dict[tuple[Pool, str, tuple[str, ...]], list[str]] = field(default_factory=dict)

    def best(self, case: Case) -> str | None:
        """The candidate with the highest sum of levels in the required skills; ties to a builder
        of the system, then to organisation order."""
        candidates = case.candidates
        incident = case.incident
        skills = tuple(sorted(incident.required_skills))
        key = (candidates.pool, incident.system, skills)
        ranked = self._ranked.get(key)
        if ranked is None:
            staff = self.staff
            built = {
                eid
                for eid in candidates.pool.engineers
                if incident.system in staff.engineer(eid).built_systems
            }
            ranked = sorted(
                candidates.pool.engineers,
                key=lambda e: (
                    -sum(staff.level(e, s) for s in skills),
                    e not in built,
                    staff.order[e],
                ),
            )
            self._ranked[key] = ranked
        return next((e for e in ranked if e not in candidates.on_leave), None)


def most_qualified(case: Case, ranking: Ranking) -> Choice:
    """The most qualified candidate (see Ranking.best)."""
    best = ranking.best(case)
    if best is None:
        return Choice(frozenset(), "the most qualified pattern has no candidate to give it to")
    return Choice(frozenset({best}), f"the most qualified candidate is {best}")


# --------------------------------------------------------------------------------------------
# rotating owner


@dataclass
class OnCall:
    """The owner rotation's shift at an instant, and who may take its first role on it."""

    ctx: Context
    _shifts: dict[str, tuple[list[Timed], list[dt.datetime], dt.timedelta]] = field(
        default_factory=dict
    )
    _fit: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def rotation(self, case: Case) -> Rotation | None:
        """`owner_rotation`, else the first rotation of the pool's first engineer's team."""
        ctx = self.ctx
        if case.policy.owner_rotation is not None:
            return next(
                (r for t in ctx.instance.teams for r in t.rotations
                 if r.id == case.policy.owner_rotation),
                None,
            )
        pool = case.candidates.pool.engineers
        if not pool:
            return None
        team = ctx.engineers[pool[0]][1]
        return team.rotations[0] if team.rotations else None

    def shift_at(self, rotation: Rotation, moment: dt.datetime) -> Timed | None:
        """The rotation's shift with start ≤ moment < end (the earliest starting, should several
        overlap)."""
        found = self._shifts.get(rotation.id)
        if found is None:
            ordered = sorted(self.ctx.rotation_shifts[rotation.id], key=lambda t: (t.start, t.id))
            longest = max((t.end - t.start for t in ordered), default=dt.timedelta(0))
            found = (ordered, [t.start for t in ordered], longest)
            self._shifts[rotation.id] = found
        ordered, starts, longest = found
        k = bisect.bisect_right(starts, moment)  # ordered[:k] start at or before the moment
        containing = None
        while k > 0 and ordered[k - 1].start > moment - longest:
            k -= 1
            if ordered[k].end > moment:
                containing = ordered[k]
        return containing

    def _eligible(self, rotation: Rotation, role: Role) -> list[str]:
        """On the rotation, allowed the role, with its required skills (shift-independent)."""
        key = (rotation.id, role.id)
        found = self._fit.get(key)
        if found is None:
            team = next(
                t for t in self.ctx.instance.teams if any(r.id == rotation.id for r in t.rotations)
            )
            found = [
                e.id
                for e in team.rotation_engineers(rotation)
                if (e.roles is None or role.id in e.roles)
                and all(e.skills.get(s, 0) >= lvl for s, lvl in role.required_skills.items())
            ]
            self._fit[key] = found
        return found

    def may_take(
        self, candidates: Candidates, rotation: Rotation, role: Role, timed: Timed
    ) -> bool:
        """Some candidate may take `role` on `timed` by the hard rules that do not depend on the
        rest of the schedule: membership, eligibility, skills, leave and working hours."""
        ctx = self.ctx
        for eid in self._eligible(rotation, role):
            if eid not in candidates:
                continue
            engineer, zone = ctx.engineers[eid][0], ctx.zones[eid]
            if leaves_overlapping(engineer, zone, timed.start, timed.end):
                continue
            if rotation.within_working_hours and outside_working_hours(
                engineer, zone, timed.start, timed.end
            ):
                continue
            return True
        return False


def rotating_owner(case: Case, oncall: OnCall, ranking: Ranking) -> Choice:
    """The candidate holding the owner rotation's first role on its shift at the arrival; the
    most qualified candidate when there is no such shift or no candidate may take the role on it.

    When some candidate may take the role but no candidate holds it, nobody may handle the
    incident: it waits in the backlog.
    """
    rotation = oncall.rotation(case)
    if rotation is None:
        return _fallback(case, ranking, "there is no owner rotation")
    timed = oncall.shift_at(rotation, case.incident.arrival)
    if timed is None:
        return _fallback(case, ranking, f"no shift of {rotation.id} holds the arrival")
    role = rotation.roles[0]
    if not oncall.may_take(case.candidates, rotation, role, timed):
        return _fallback(case, ranking, f"no candidate may take {role.id} on {timed.id}")
    holders = oncall.ctx.staffing.get((timed.id, role.id), [])
    allowed = [h for h in holders if h in case.candidates]
    owner = _names(allowed)
    if not allowed and holders:
        owner += f" ({_names(holders)} holds it but is not a candidate)"
    return Choice(
        frozenset(allowed), f"the rotating owner (holder of {role.id} on {timed.id}) is {owner}"
    )


def _fallback(case: Case, ranking: Ranking, why: str) -> Choice:
    choice = most_qualified(case, ranking)
    return Choice(choice.allowed, f"{why}, so {choice.says}")


# --------------------------------------------------------------------------------------------


def choices(cases: list[Case], ctx: Context, staff: Staff) -> dict[str, Choice]:
    """Each unpinned incident's Choice under its owner's allocation pattern."""
    ranking = Ranking(staff)
    oncall = OnCall(ctx)
    pointers: dict[str, int] = {}  # owner team -> round robin pointer
    found: dict[str, Choice] = {}
    for case in sorted(cases, key=lambda c: (c.incident.arrival, c.id)):
        if case.candidates.pinned is not None:
            continue
        pattern = case.policy.allocation
        if pattern == "round_robin":
            pointer = pointers.get(case.owner.id, 0)
            found[case.id], pointers[case.owner.id] = round_robin(case, pointer, staff)
        elif pattern == "most_qualified":
            found[case.id] = most_qualified(case, ranking)
        elif pattern == "rotating_owner":
            found[case.id] = rotating_owner(case, oncall, ranking)
        else:
            found[case.id] = optimised(case)
    return found
