"""Who may handle an incident (docs/semantics.md, "Incidents and sprints"): the pool its owner's
support model names, in organisation order, and the candidates: the pool less those on leave at
the arrival instant, or the pinned assignee alone.

Pools depend only on the owner's policy, the system and the tier, so each is built once; leave is
indexed by (zone, local date), so the candidates of an incident cost one set look-up per engineer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rotasat.models.instance import Engineer, Instance, Policy, Team
from rotasat.models.support import Incident, InterruptRule

from .context import Context


@dataclass(frozen=True, eq=False)  # built once per key: compared and hashed by identity
class Pool:
    """The engineers a support model names for an incident, in organisation order."""

    label: str  # for messages: "team ops", "builders of billing", …
    engineers: tuple[str, ...]
    positions: tuple[int, ...]  # their places in the organisation order, ascending
    members: frozenset[str]


@dataclass(frozen=True)
class Candidates:
    """The pool less those on leave at the arrival, or the pinned assignee alone."""

    pool: Pool
    on_leave: frozenset[str]  # every engineer of the organisation on leave at the arrival
    pinned: str | None = None

    def __contains__(self, engineer: object) -> bool:
        if self.pinned is not None:
            return engineer == self.pinned
        return engineer in self.pool.members and engineer not in self.on_leave

    def __iter__(self) -> Iterator[str]:
        """In organisation order."""
        if self.pinned is not None:
            yield self.pinned
            return
        for engineer in self.pool.engineers:
            if engineer not in self.on_leave:
                yield engineer

    def __bool__(self) -> bool:
        return next(iter(self), None) is not None

    def why_none(self) -> str:
        """Why there is no candidate (only meaningful when there is none)."""
        if not self.pool.engineers:
            return f"no candidate: the pool ({self.pool.label}) is empty"
        return f"no candidate: everyone in the pool ({self.pool.label}) is on leave"


def interrupts(rule: InterruptRule, incident: Incident) -> bool:
    """The interrupt rule matches: priority listed, or severity listed, or `sla_bound` and the
    incident has a resolve-by SLA."""
    return (
        incident.priority in rule.priorities
        or incident.severity in rule.severities
        or (rule.sla_bound and incident.sla is not None and incident.sla.resolve_hours is not None)
    )


@dataclass(frozen=True)
class Case:
    """One incident with what the instance alone decides about it."""

    incident: Incident
    owner: Team
    policy: Policy  # the owner's
    candidates: Candidates
    interrupting: bool

    @property
    def id(self) -> str:
        return self.incident.id


# --------------------------------------------------------------------------------------------
# One function per support model: (label, engineers in organisation order).

PoolOf = Callable[[Instance, Team, Policy, Incident], tuple[str, list[Engineer]]]


def _everyone(instance: Instance) -> list[Engineer]:
    return [e for team in instance.teams for e in team.engineers]


def team_pool(
    instance: Instance, owner: Team, policy: Policy, incident: Incident
) -> tuple[str, list[Engineer]]:
    """`team`: the owner's engineers."""
    return f"team {owner.id}", list(owner.engineers)


def builders_pool(
    instance: Instance, owner: Team, policy: Policy, incident: Incident
) -> tuple[str, list[Engineer]]:
    """`builders`: whoever built the system, on any team; the owner's engineers when nobody
    did."""
    built = [e for e in _everyone(instance) if incident.system in e.built_systems]
    if built:
        return f"builders of {incident.system}", built
    return f"team {owner.id} (nobody built {incident.system})", list(owner.engineers)


def _support_team(instance: Instance, kind: str) -> tuple[str, list[Engineer]]:
    team = next((t for t in instance.teams if t.kind == kind), None)
    if team is None:  # validation requires the team; an empty pool if it is ever missing
        return f"{kind} team (none)", []
    return f"{kind} team {team.id}", list(team.engineers)


def dedicated_pool(
    instance: Instance, owner: Team, policy: Policy, incident: Incident
) -> tuple[str, list[Engineer]]:
    """`dedicated`: the dedicated support team's engineers."""
    return _support_team(instance, "dedicated")


def tiered_pool(
    instance: Instance, owner: Team, policy: Policy, incident: Incident
) -> tuple[str, list[Engineer]]:
    """`tiered`: L1 and L2 to the dedicated team; L3 to the builders or to the L3 team."""
    if incident.tier in ("L1", "L2"):
        return _support_team(instance, "dedicated")
    if policy.l3_to == "builders":
        return builders_pool(instance, owner, policy, incident)
    return _support_team(instance, "l3")


POOLS: dict[str, PoolOf] = {
    "team": team_pool,
    "builders": builders_pool,
    "dedicated": dedicated_pool,
    "tiered": tiered_pool,
}


class Staff:
    """Pools, candidates and organisation order for one instance."""

    def __init__(self, ctx: Context) -> None:
        self.instance = ctx.instance
        self.order = {eid: k for k, eid in enumerate(ctx.engineers)}  # teams, then engineers
        self.owners = {s: team for team in self.instance.teams for s in team.systems}
        self._pools: dict[tuple[str, ...], Pool] = {}
        self._leave: dict[tuple[ZoneInfo, dt.date], set[str]] = {}
        for eid, (engineer, _team) in ctx.engineers.items():
            zone = ctx.zones[eid]
            for away in engineer.unavailability:
                for k in range((away.end - away.start).days + 1):
                    day = away.start + dt.timedelta(days=k)
                    self._leave.setdefault((zone, day), set()).add(eid)
        self._zones = sorted(set(ctx.zones.values()), key=lambda z: z.key)
        self._at: dict[dt.datetime, frozenset[str]] = {}
        self.people = {eid: engineer for eid, (engineer, _team) in ctx.engineers.items()}
        self.skills = {eid: engineer.skills for eid, engineer in self.people.items()}
        self._by_level: dict[tuple[Pool, str], list[tuple[int, str]]] = {}

    def owner(self, incident: Incident) -> Team:
        return self.owners[incident.system]

    def pool(self, incident: Incident) -> Pool:
        owner = self.owner(incident)
        policy = self.instance.policy_of(owner)
        key = (
            policy.support_model,
            policy.l3_to,
            owner.id,
            incident.system,
            "L3" if incident.tier == "L3" else "L1/L2",
        )
        found = self._pools.get(key)
        if found is None:
            label, engineers = POOLS[policy.support_model](self.instance, owner, policy, incident)
            ids = tuple(e.id for e in engineers)
            found = Pool(label, ids, tuple(self.order[e] for e in ids), frozenset(ids))
            self._pools[key] = found
        return found

    def on_leave(self, moment: dt.datetime) -> frozenset[str]:
        """Engineers whose leave [start 00:00, end + 1 day 00:00), in their zone, contains
        `moment`: those whose local date at `moment` is a leave day."""
        found = self._at.get(moment)
        if found is None:
            away: set[str] = set()
            for zone in self._zones:
                away |= self._leave.get((zone, moment.astimezone(zone).date()), set())
            found = frozenset(away)
            self._at[moment] = found
        return found

    def candidates(self, incident: Incident) -> Candidates:
        return Candidates(self.pool(incident), self.on_leave(incident.arrival), incident.assignee)

    def case(self, incident: Incident) -> Case:
        owner = self.owner(incident)
        policy = self.instance.policy_of(owner)
        interrupting = interrupts(policy.interrupt, incident)
        return Case(incident, owner, policy, self.candidates(incident), interrupting)

    def engineer(self, engineer: str) -> Engineer:
        return self.people[engineer]

    def level(self, engineer: str, skill: str) -> int:
        return self.skills[engineer].get(skill, 0)

    def best_level(self, candidates: Candidates, skill: str) -> int:
        """The highest level of `skill` among the candidates (0 when none has it)."""
        if candidates.pinned is not None:
            return self.level(candidates.pinned, skill)
        key = (candidates.pool, skill)
        ranked = self._by_level.get(key)
        if ranked is None:
            ranked = sorted(
                ((self.level(e, skill), e) for e in candidates.pool.engineers
                 if self.level(e, skill) > 0),
                key=lambda pair: -pair[0],
            )
            self._by_level[key] = ranked
        return next((lvl for lvl, e in ranked if e not in candidates.on_leave), 0)
