"""Seeded synthetic instances: realistic, varied, and feasible by construction.

`generate(teams, engineers_per_team, days, seed)` draws an organisation with numpy's
``default_rng(seed)``: a skill catalogue, systems owned by teams, engineers with 2-4 skills,
time zones (a team mostly sits in one zone), leave, preferences and history, and one daily
rotation per team with its rules. The same arguments always give the same instance, byte for byte
once dumped.

Feasibility is not hoped for, it is shown: `witness` lays a greedy roster over each team that
keeps every hard rule of docs/semantics.md it knows (coverage, membership, role eligibility,
skills, leave, working hours, one duty at a time, min_rest, shift/hour maxima, max_consecutive,
max_weekends and max_holidays). The generator keeps drawing leave only while such a roster still
exists, dropping the leave block nearest a shift the greedy could not cover.

With `incidents`, `dedicated`, `l3_team` or `policies` the organisation also gets what issue 3
needs: a sprint cadence per team, builders of each system (some moved to another team since),
support teams, a support policy per team, and escalated incidents over the horizon (see
`_Incidents`). Those draws come from a second generator seeded from the same seed, after every
draw of the rotation-only instance, so the teams come out the same with or without them and the
default output is byte for byte what it always was.

This module is pure data: it imports numpy and rotasat.models, never the solver.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

import numpy as np

from .calendar import Shift, rotation_shifts
from .instance import (
    WEEKDAYS,
    Engineer,
    Holidays,
    HourCount,
    Instance,
    MaxConsecutive,
    MaxHolidays,
    MaxWeekends,
    MinRest,
    Policy,
    ShiftCount,
    System,
    Team,
)
from .support import SLA, Incident, SprintCadence

__all__ = ["MIXED_POLICIES", "SKILLS", "document", "generate", "witness"]

SKILLS: tuple[str, ...] = (
    "linux",
    "db",
    "network",
    "k8s",
    "frontend",
    "payments",
    "security",
    "observability",
    "kafka",
    "aws",
)

# Team areas: (id, display name, core skills with the primary-duty skill first, systems owned).
_SystemSpec = tuple[str, str, tuple[str, ...]]
_AREAS: tuple[tuple[str, str, tuple[str, ...], tuple[_SystemSpec, ...]], ...] = (
    (
        "platform",
        "Platform",
        ("linux", "k8s", "network", "observability"),
        (
            ("k8s-clusters", "Kubernetes clusters", ("k8s", "linux")),
            ("edge-proxy", "Edge proxy", ("network", "linux")),
        ),
    ),
    (
        "payments",
        "Payments",
        ("payments", "db", "security", "linux"),
        (
            ("payments-api", "Payments API", ("payments", "db")),
            ("ledger", "Ledger", ("db", "payments")),
        ),
    ),
    (
        "data",
        "Data",
        ("db", "kafka", "aws", "linux"),
        (
            ("event-bus", "Event bus", ("kafka", "linux")),
            ("warehouse", "Data warehouse", ("db", "aws")),
        ),
    ),
    (
        "web",
        "Web",
        ("frontend", "k8s", "observability", "aws"),
        (
            ("storefront", "Storefront", ("frontend", "k8s")),
            ("cdn-config", "CDN configuration", ("frontend", "network")),
        ),
    ),
    (
        "identity",
        "Identity",
        ("security", "db", "linux", "observability"),
        (
            ("sso", "Single sign-on", ("security", "db")),
            ("secrets-vault", "Secrets vault", ("security", "linux")),
        ),
    ),
    (
        "network",
        "Network",
        ("network", "linux", "security", "observability"),
        (
            ("dns", "DNS", ("network",)),
            ("vpn-gateways", "VPN gateways", ("network", "security")),
        ),
    ),
    (
        "observability",
        "Observability",
        ("observability", "k8s", "linux", "kafka"),
        (
            ("metrics", "Metrics pipeline", ("observability", "kafka")),
            ("alerting", "Alerting", ("observability", "linux")),
        ),
    ),
    (
        "cloud",
        "Cloud infrastructure",
        ("aws", "linux", "network", "security"),
        (
            ("accounts", "Cloud accounts", ("aws", "security")),
            ("ci-runners", "CI runners", ("aws", "linux")),
        ),
    ),
)

# Main zones: (zone, holiday country, subdivision, zones some engineers of the team sit in).
_ZONES: tuple[tuple[str, str, str | None, tuple[str, ...]], ...] = (
    ("Europe/London", "GB", "ENG", ("Europe/Dublin", "Europe/Lisbon")),
    ("Europe/Berlin", "DE", None, ("Europe/Amsterdam", "Europe/Warsaw")),
    ("America/New_York", "US", None, ("America/Chicago", "America/Toronto")),
    ("Asia/Kolkata", "IN", None, ("Asia/Dubai", "Asia/Singapore")),
)

_FIRST = (
    "Aisha", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Isla", "Jonas", "Kavya",
    "Liam", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Victor",
    "Wen", "Ximena", "Yusuf", "Zara", "Amara", "Bruno", "Carmen", "Daniel", "Emeka", "Freya",
    "Gabriel", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Mateo", "Noor", "Oscar", "Priya",
    "Rafael", "Sofia", "Tom", "Ursula", "Vikram", "Willa", "Yara", "Zoltan",
)
_LAST = (
    "Adams", "Bauer", "Chen", "Das", "Evans", "Fischer", "Garcia", "Hughes", "Iyer", "Jensen",
    "Khan", "Lopez", "Müller", "Nair", "Okafor", "Patel", "Quintero", "Rossi", "Singh", "Tanaka",
    "Ueda", "Varga", "Wright", "Xu", "Yilmaz", "Zimmermann", "Brown", "Costa", "Dubois", "Novak",
)

_LEVELS = np.array([1, 2, 3, 4, 5])
_LEVEL_P = np.array([0.12, 0.25, 0.30, 0.21, 0.12])
_QUALIFIED_LEVELS = np.array([2, 3, 4, 5])
_QUALIFIED_P = np.array([0.25, 0.35, 0.25, 0.15])
_AVOID_WEEKDAYS = (("fri",), ("sat", "sun"), ("mon",), ("sun",), ("wed",))


MIXED_POLICIES: tuple[dict[str, Any], ...] = (
    {"name": "team, rotating owner", "support_model": "team", "allocation": "rotating_owner"},
    {
        "name": "builders, most qualified",
        "support_model": "builders",
        "allocation": "most_qualified",
        "reserve": 0.25,
    },
    {"name": "tiered, optimised", "support_model": "tiered", "allocation": "optimised",
     "reserve": 0.15},
    {"name": "team, round robin", "support_model": "team", "allocation": "round_robin"},
    {"name": "dedicated, optimised", "support_model": "dedicated", "allocation": "optimised",
     "reserve": 0.1},
)
"""The product teams' policies with ``policies="mixed"``, in turn; without a dedicated team the
ones that need it are skipped, and 'tiered' sends L3 to the L3 team when there is one."""

# Support teams by kind: (id, name, core skills with the primary-duty skill first, reserve).
_SUPPORT_TEAMS: dict[str, tuple[str, str, tuple[str, ...], float]] = {
    "dedicated": (
        "support", "Production support", ("observability", "linux", "network", "db"), 0.8
    ),
    "l3": ("l3-support", "Technical support (L3)", ("linux", "db", "k8s", "security"), 0.6),
}

PolicyChoice = Sequence[Policy | Mapping[str, Any]] | Literal["mixed"] | None


def generate(
    teams: int,
    engineers_per_team: int,
    days: int,
    seed: int,
    start: dt.date = dt.date(2027, 1, 4),
    *,
    leave_rate: float = 0.10,
    sick_rate: float = 0.05,
    preference_rate: float = 0.30,
    incidents: int = 0,
    sprint_days: int | None = None,
    dedicated: bool = False,
    l3_team: bool = False,
    policies: PolicyChoice = None,
    zone: str | None = None,
) -> Instance:
    """A synthetic organisation of `teams` teams of `engineers_per_team` over `days` days.

    Each team has one daily rotation handed off at 09:00 in its main zone, with a primary
    (needing the team's main skill at level 2 or more) and a secondary when the team has six
    engineers or more; smaller teams (3 to 5) have a primary only, because with no two consecutive
    days on duty two roles need four engineers (six across a spring-forward, where the rest between
    the turns either side of the 23-hour one is 23 h) before anyone takes leave.

    `leave_rate` is the share of engineers given one or two blocks of 2-7 days of pto,
    `sick_rate` those given a sick spell of 1-3 days, `preference_rate` those with preferences.

    Support (all off by default, which keeps the rotation-only instance of old):

    - `incidents`: that many escalated incidents over the horizon on the product teams' systems
      (arrival mostly in business hours of the owner's zone, some evenings, nights and weekends;
      P1 5%, P2 20%, P3 45%, P4 30%; severity following priority; SLAs of 4 h (P1) and 24 h (P2)
      to resolve; 0.5-16 h of effort; required skills from the system's).
    - `dedicated` / `l3_team`: add a dedicated support team (kind 'dedicated', id 'support') and a
      technical L3 team (kind 'l3', id 'l3-support') of `engineers_per_team` each, after the
      product teams, with reserves of 80% and 60% (support is their main job).
    - `policies`: the product teams' support policies, in turn (Policy or partial Policy
      mappings); "mixed" cycles through MIXED_POLICIES; None leaves the organisation's default.
    - `sprint_days`: sprint length, the first sprint starting with the horizon; None means 14
      when any of the above is asked for and no sprints otherwise; 0 means no sprints.
    - `zone`: every product team's main zone (one of the generator's four: Europe/London,
      Europe/Berlin, America/New_York, Asia/Kolkata); the holidays follow the first team's zone.

    With any of them, some engineers also built a system another team owns (as after a move)
    and every product system has at least two builders.
    """
    if teams < 1:
        raise ValueError(f"teams must be at least 1 (got {teams})")
    if engineers_per_team < 3:
        raise ValueError(
            f"engineers_per_team must be at least 3 (got {engineers_per_team}): with a 24-hour "
            "minimum rest each engineer works at most every other day, and a clock change asks "
            "for three in a row"
        )
    if not 1 <= days <= 731:
        raise ValueError(f"days must be between 1 and 731 (got {days})")
    for name, rate in (
        ("leave_rate", leave_rate),
        ("sick_rate", sick_rate),
        ("preference_rate", preference_rate),
    ):
        if not 0 <= rate <= 1:
            raise ValueError(f"{name} must be between 0 and 1 (got {rate})")
    if not 0 <= incidents <= 100_000:
        raise ValueError(f"incidents must be between 0 and 100000 (got {incidents})")
    if sprint_days is not None and not 0 <= sprint_days <= 56:
        raise ValueError(f"sprint_days must be between 1 and 56, or 0 for none (got {sprint_days})")
    zone_names = [z[0] for z in _ZONES]
    if zone is not None and zone not in zone_names:
        raise ValueError(f"zone must be one of {', '.join(zone_names)} (got {zone!r})")
    product_policies = _product_policies(policies, dedicated, l3_team)

    rng = np.random.default_rng(seed)
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    builder = _Builder(rng, start, days, dates, leave_rate, sick_rate, preference_rate)

    team_models: list[Team] = []
    systems: list[System] = []
    used_ids: set[str] = set()
    zones: list[tuple[str, str, str | None, tuple[str, ...]]] = []
    for t in range(teams):
        area = _AREAS[t % len(_AREAS)]
        suffix = "" if t < len(_AREAS) else f"-{t // len(_AREAS) + 1}"
        team_zone = _ZONES[int(rng.integers(len(_ZONES)))]  # drawn even when fixed: same stream
        if zone is not None:
            team_zone = _ZONES[zone_names.index(zone)]
        zones.append(team_zone)
        team_systems = [
            System(id=f"{sid}{suffix}", name=f"{sname}{suffix.replace('-', ' ')}", skills=list(sk))
            for sid, sname, sk in area[3]
        ]
        systems.extend(team_systems)
        team_models.append(
            builder.team(
                team_id=f"{area[0]}{suffix}",
                name=f"{area[1]}{suffix.replace('-', ' ')}",
                core=area[2],
                zone=team_zone,
                systems=[s.id for s in team_systems],
                size=engineers_per_team,
                used_ids=used_ids,
            )
        )
    for kind, wanted in (("dedicated", dedicated), ("l3", l3_team)):
        if wanted:
            team_id, name, core, _ = _SUPPORT_TEAMS[kind]
            team_models.append(
                builder.team(team_id, name, core, zones[0], [], engineers_per_team, used_ids,
                             kind=kind)
            )

    organisation = bool(incidents or dedicated or l3_team or policies)
    if sprint_days is None:
        sprint_days = 14 if organisation else 0
    extras = ""
    if organisation or sprint_days:
        # Everything below draws from its own stream, so the teams above never change.
        more = np.random.default_rng([seed, 3])
        if organisation:
            team_models = _with_builders(more, team_models, teams)
        team_models = [
            _with_support(team, sprint_days, start, teams, t, product_policies)
            for t, team in enumerate(team_models)
        ]
        parts = []
        if sprint_days:
            parts.append(f"{sprint_days}-day sprints")
        support_teams = [t.name for t in team_models if t.kind != "product"]
        if support_teams:
            parts.append(f"support teams: {', '.join(str(n) for n in support_teams)}")
        if product_policies:
            parts.append("policies per team")
        if incidents:
            parts.append(f"{incidents} incidents")
        extras = f" With {'; '.join(parts)}."

    _, country, subdivision, _ = zones[0]
    instance = Instance(
        name=f"synthetic-{teams}x{engineers_per_team}x{days}-seed{seed}"
        + (f"-{incidents}inc" if incidents else ""),
        description=(
            f"Synthetic: {teams} team(s) of {engineers_per_team} engineers over {days} days from "
            f"{start.isoformat()}, generated with seed {seed}.{extras}"
        ),
        horizon={"start": start, "days": days},
        holidays=Holidays(country=country, subdivision=subdivision),
        skills=list(SKILLS),
        systems=systems,
        teams=team_models,
    )
    if not incidents:
        return instance
    drawn = _Incidents(np.random.default_rng([seed, 4]), instance, dates).draw(incidents)
    return Instance.model_validate({**dict(instance), "incidents": drawn})


def _product_policies(
    policies: PolicyChoice, dedicated: bool, l3_team: bool
) -> list[Policy]:
    if policies is None:
        return []
    if isinstance(policies, str):
        if policies != "mixed":
            raise ValueError(f"policies must be a list of policies or 'mixed' (got {policies!r})")
        chosen: list[Policy | Mapping[str, Any]] = []
        for spec in MIXED_POLICIES:
            if spec["support_model"] in ("dedicated", "tiered") and not dedicated:
                continue
            if spec["support_model"] == "tiered" and l3_team:
                spec = {**spec, "l3_to": "l3_team"}
            chosen.append(spec)
    else:
        chosen = list(policies)
    if not chosen:
        raise ValueError("policies must not be empty")
    return [p if isinstance(p, Policy) else Policy.model_validate(dict(p)) for p in chosen]


def _with_builders(rng: np.random.Generator, teams: list[Team], products: int) -> list[Team]:
    """Some engineers built a system of another product team (they moved since: ownership
    survives the move); L3 engineers more often. Every product system ends with two builders or
    more, topped up from its owner team."""
    owner = {s: t for t, team in enumerate(teams[:products]) for s in team.systems}
    built = {e.id: list(e.built_systems) for team in teams for e in team.engineers}
    for t, team in enumerate(teams):
        others = [s for s in owner if owner[s] != t]
        rate = 0.4 if team.kind == "l3" else 0.12
        for engineer in team.engineers:
            if others and rng.random() < rate:
                system = others[int(rng.integers(len(others)))]
                if system not in built[engineer.id]:
                    built[engineer.id].append(system)
    for system, t in owner.items():
        builders = [eid for eid, systems in built.items() if system in systems]
        novices = [e.id for e in teams[t].engineers if system not in built[e.id]]
        for k in rng.permutation(len(novices))[: max(0, 2 - len(builders))]:
            built[novices[int(k)]].append(system)
    return [
        team.model_copy(
            update={
                "engineers": [
                    e.model_copy(update={"built_systems": built[e.id]})
                    if built[e.id] != e.built_systems
                    else e
                    for e in team.engineers
                ]
            }
        )
        for team in teams
    ]


def _with_support(
    team: Team,
    sprint_days: int,
    start: dt.date,
    products: int,
    index: int,
    policies: list[Policy],
) -> Team:
    update: dict[str, Any] = {}
    if sprint_days:
        update["sprints"] = SprintCadence(length_days=sprint_days, first_start=start)
    if team.kind != "product":
        _, name, _, reserve = _SUPPORT_TEAMS[team.kind]
        update["policy"] = Policy(name=f"{name} (support is the main job)", reserve=reserve)
    elif policies and index < products:
        update["policy"] = policies[index % len(policies)]
    return team.model_copy(update=update) if update else team


def document(instance: Instance) -> dict[str, Any]:
    """The instance as a compact JSON document that loads back: defaults left out, except the
    tags naming a pattern's `kind` and a rule's `rule`, which the discriminated unions need
    (``model_dump(exclude_defaults=True)`` alone drops them, as they equal their defaults)."""
    data = instance.model_dump(mode="json", exclude_defaults=True)
    for team, team_data in zip(instance.teams, data["teams"], strict=True):
        for rotation, rotation_data in zip(
            team.rotations, team_data.get("rotations", []), strict=True
        ):
            rotation_data["pattern"] = {"kind": rotation.pattern.kind, **rotation_data["pattern"]}
        team_data["rules"] = [
            {"rule": rule.rule, **rule_data}
            for rule, rule_data in zip(team.rules, team_data.get("rules", []), strict=True)
        ]
        if not team_data["rules"]:
            del team_data["rules"]
    return data


@dataclass
class _Builder:
    rng: np.random.Generator
    start: dt.date
    days: int
    dates: list[dt.date]
    leave_rate: float
    sick_rate: float
    preference_rate: float

    def team(
        self,
        team_id: str,
        name: str,
        core: tuple[str, ...],
        zone: tuple[str, str, str | None, tuple[str, ...]],
        systems: list[str],
        size: int,
        used_ids: set[str],
        kind: str = "product",
    ) -> Team:
        rng = self.rng
        main_zone, _, _, other_zones = zone
        roles = ["primary", "secondary"] if size >= 6 else ["primary"]
        max_shifts = math.ceil(len(roles) * self.days / size) + 2
        # Each qualified engineer takes at most max_shifts primaries; two spare for leave.
        qualified = min(size, max(3, math.ceil(self.days / max_shifts) + 2))
        main_skill = core[0]
        order = rng.permutation(size)
        is_qualified = np.zeros(size, dtype=bool)
        is_qualified[order[:qualified]] = True

        engineers = [
            self.engineer(core, main_skill, bool(is_qualified[j]), systems, other_zones, used_ids)
            for j in range(size)
        ]
        rules: list[dict[str, Any]] = [
            {"rule": "min_rest", "hours": 24, "id": "no two days in a row"},
            {"rule": "shifts", "max": max_shifts, "id": "fair share of turns"},
            {
                "rule": "max_weekends",
                "max": self.weekend_cap(len(roles), size),
                "hard": False,
                "weight": 5,
                "id": "weekends",
            },
        ]
        rotation = {
            "id": f"{team_id}-oncall",
            "name": f"{name} on-call",
            "timezone": main_zone,
            "pattern": {"kind": "daily", "handoff": "09:00"},
            "roles": [
                {
                    "id": "primary",
                    "required_skills": {main_skill: 2},
                    "preferred_skills": list(core[1:3]),
                },
                *([{"id": "secondary"}] if "secondary" in roles else []),
            ],
        }
        data: dict[str, Any] = {
            "id": team_id,
            "name": name,
            **({} if kind == "product" else {"kind": kind}),
            "timezone": main_zone,
            "systems": systems,
            "engineers": engineers,
            "rotations": [rotation],
            "rules": rules,
        }
        return self.feasible(data)

    def weekend_cap(self, roles: int, size: int) -> int:
        """Weekends touched by a daily turn (Friday, Saturday and Sunday turns touch one) shared
        out evenly: each weekend needs at least two engineers per role, so this soft cap can be
        met and still bites when weekends pile up on someone."""
        saturdays = {d + dt.timedelta(days=5 - d.weekday()) for d in self.dates if d.weekday() >= 4}
        return max(1, math.ceil(len(saturdays) * 2 * roles / size))

    def engineer(
        self,
        core: tuple[str, ...],
        main_skill: str,
        qualified: bool,
        systems: list[str],
        other_zones: tuple[str, ...],
        used_ids: set[str],
    ) -> dict[str, Any]:
        rng = self.rng
        for _ in range(20):  # a name not yet taken, while the lists last
            first = _FIRST[int(rng.integers(len(_FIRST)))]
            last = _LAST[int(rng.integers(len(_LAST)))]
            base = f"{first}.{last}".lower().replace("ü", "ue")
            if base not in used_ids:
                break
        eid, k = base, 2
        while eid in used_ids:
            eid, k = f"{base}{k}", k + 1
        used_ids.add(eid)

        skills: dict[str, int] = {}
        if qualified:
            skills[main_skill] = int(rng.choice(_QUALIFIED_LEVELS, p=_QUALIFIED_P))
        elif rng.random() < 0.5:
            skills[main_skill] = 1
        wanted = int(rng.integers(2, 5))
        others = [s for s in core if s != main_skill]
        elsewhere = [s for s in SKILLS if s not in core]
        while len(skills) < wanted:
            pool = others if (others and rng.random() < 0.8) else elsewhere
            pool = [s for s in pool if s not in skills]
            if not pool:
                pool = [s for s in SKILLS if s not in skills]
            skill = pool[int(rng.integers(len(pool)))]
            skills[skill] = int(rng.choice(_LEVELS, p=_LEVEL_P))

        record: dict[str, Any] = {
            "id": eid,
            "name": f"{first} {last}",
            "email": f"{eid}@example.com",
            "skills": dict(sorted(skills.items())),
        }
        if systems and rng.random() < 0.3:  # support teams own no systems
            record["built_systems"] = [systems[int(rng.integers(len(systems)))]]
        if rng.random() < 0.15:
            record["timezone"] = other_zones[int(rng.integers(len(other_zones)))]
        leave = self.leave()
        if leave:
            record["unavailability"] = leave
        if rng.random() < self.preference_rate:
            record["preferences"] = [self.preference() for _ in range(int(rng.integers(1, 3)))]
        hours = round(float(rng.uniform(0, 200)), 1)
        record["history"] = {
            "hours": hours,
            "shifts": round(hours / 24),
            "weekends": int(rng.integers(0, round(hours / 48) + 1)),
        }
        return record

    def leave(self) -> list[dict[str, Any]]:
        rng = self.rng
        blocks: list[dict[str, Any]] = []
        if rng.random() < self.leave_rate:
            for _ in range(int(rng.integers(1, 3))):
                length = int(rng.integers(2, 8))
                first = self.start + dt.timedelta(days=int(rng.integers(-2, self.days)))
                blocks.append(
                    {
                        "start": first.isoformat(),
                        "end": (first + dt.timedelta(days=length - 1)).isoformat(),
                        "kind": "pto",
                    }
                )
        if rng.random() < self.sick_rate:
            length = int(rng.integers(1, 4))
            first = self.start + dt.timedelta(days=int(rng.integers(0, self.days)))
            blocks.append(
                {
                    "start": first.isoformat(),
                    "end": (first + dt.timedelta(days=length - 1)).isoformat(),
                    "kind": "sick",
                }
            )
        return sorted(blocks, key=lambda b: b["start"])

    def preference(self) -> dict[str, Any]:
        rng = self.rng
        weight = int(rng.integers(1, 4))
        kind = int(rng.integers(3))
        if kind == 0:
            days = _AVOID_WEEKDAYS[int(rng.integers(len(_AVOID_WEEKDAYS)))]
            return {"kind": "avoid", "weekdays": list(days), "weight": weight}
        count = min(self.days, int(rng.integers(1, 4)))
        picked = sorted(rng.choice(self.days, size=count, replace=False).tolist())
        return {
            "kind": "avoid" if kind == 1 else "prefer",
            "dates": [self.dates[i].isoformat() for i in picked],
            "weight": weight,
        }

    def feasible(self, data: dict[str, Any]) -> Team:
        """The team, with leave dropped until a greedy roster keeps every hard rule."""
        while True:
            team = Team.model_validate(data)
            failed = _Roster(team, self.start, self.days, {}).run()
            if failed is None:
                return team
            if not _drop_leave_near(data["engineers"], failed):
                raise RuntimeError(  # pragma: no cover - sizes are checked in generate()
                    f"no roster for team {team.id!r} even without leave: generator bug"
                )


def _drop_leave_near(engineers: list[dict[str, Any]], failed: Shift) -> bool:
    """Drop the leave block closest to the shift nobody could take; False if none is left."""
    day = failed.date
    best: tuple[int, int, int] | None = None
    for j, engineer in enumerate(engineers):
        for k, block in enumerate(engineer.get("unavailability", [])):
            first, last = dt.date.fromisoformat(block["start"]), dt.date.fromisoformat(block["end"])
            distance = max((first - day).days, (day - last).days, 0)
            if best is None or distance < best[0]:
                best = (distance, j, k)
    if best is None:
        return False
    _, j, k = best
    blocks = engineers[j]["unavailability"]
    del blocks[k]
    if not blocks:
        del engineers[j]["unavailability"]
    return True


# --------------------------------------------------------------------------------------------
# Incidents

_PRIORITIES = ("P1", "P2", "P3", "P4")
_PRIORITY_P = (0.05, 0.20, 0.45, 0.30)
_SEVERITIES = ("S1", "S2", "S3", "S4")
_SEVERITY_P = {  # severity given priority: urgent and important mostly go together
    "P1": (0.70, 0.30, 0.0, 0.0),
    "P2": (0.10, 0.60, 0.30, 0.0),
    "P3": (0.0, 0.20, 0.60, 0.20),
    "P4": (0.0, 0.0, 0.40, 0.60),
}
_TIERS = ("L1", "L2", "L3")
_TIER_P = {
    "P1": (0.10, 0.30, 0.60),
    "P2": (0.20, 0.40, 0.40),
    "P3": (0.30, 0.40, 0.30),
    "P4": (0.40, 0.40, 0.20),
}
_SLAS = {
    "P1": SLA(respond_hours=0.25, resolve_hours=4),
    "P2": SLA(respond_hours=1, resolve_hours=24),
}
_EFFORT_MEDIAN = {"P1": 1.5, "P2": 2.5, "P3": 2.5, "P4": 2.0}  # hours; lognormal, sigma 0.8
_EFFORT_SIGMA = 0.8
# When incidents arrive, in the owner team's zone: business hours of a weekday, a weekday's
# evening or night (18:00 to 08:00), or any time of a weekend.
_BUSINESS, _EVENING = 0.72, 0.16
_SYMPTOMS = (
    "elevated error rate",
    "latency above objective",
    "failed deployment",
    "customer-reported defect",
    "data mismatch",
    "job stuck",
    "intermittent timeouts",
    "capacity alert",
    "certificate close to expiry",
    "configuration drift",
    "degraded dependency",
    "memory leak",
)


@dataclass
class _Incidents:
    """Escalated incidents on the product teams' systems.

    Volumes differ by team (gamma-distributed shares) and by system. An incident that may
    interrupt a sprint (by its owner's interrupt rule) always has a candidate, someone of its pool
    not on leave at arrival (docs/semantics.md), so it never makes the instance infeasible: its
    arrival is drawn again until it has one.
    """

    rng: np.random.Generator
    instance: Instance
    dates: list[dt.date]

    def draw(self, count: int) -> list[dict[str, Any]]:
        rng, inst = self.rng, self.instance
        products = [t for t in inst.teams if t.kind == "product"]
        systems = {s.id: s for s in inst.systems}
        owned = [(team, sid) for team in products for sid in team.systems]
        weights: list[float] = []
        for volume, team in zip(rng.gamma(4.0, size=len(products)), products, strict=True):
            share = rng.gamma(2.0, size=len(team.systems))
            weights.extend(float(volume) * share / share.sum())
        p = np.array(weights) / sum(weights)
        drawn: list[dict[str, Any]] = []
        for (team, sid), n in zip(owned, rng.multinomial(count, p), strict=True):
            drawn.extend(self.one(team, systems[sid]) for _ in range(int(n)))
        order = sorted(range(len(drawn)), key=lambda k: (drawn[k]["arrival"], k))
        width = max(5, len(str(count)))
        return [{"id": f"INC{n + 1:0{width}d}", **drawn[k]} for n, k in enumerate(order)]

    def one(self, team: Team, system: System) -> dict[str, Any]:
        rng = self.rng
        priority = _PRIORITIES[int(rng.choice(4, p=_PRIORITY_P))]
        severity = _SEVERITIES[int(rng.choice(4, p=_SEVERITY_P[priority]))]
        tier = _TIERS[int(rng.choice(3, p=_TIER_P[priority]))]
        effort = float(rng.lognormal(math.log(_EFFORT_MEDIAN[priority]), _EFFORT_SIGMA))
        effort = min(16.0, max(0.5, round(effort * 4) / 4))
        skills = list(system.skills) or [SKILLS[0]]
        k = 1 if len(skills) == 1 or rng.random() < 0.6 else 2
        picked = sorted(skills[int(i)] for i in rng.choice(len(skills), size=k, replace=False))
        level = 2 + (tier == "L3") + int(priority in ("P1", "P2") and rng.random() < 0.5)
        symptom = _SYMPTOMS[int(rng.integers(len(_SYMPTOMS)))]
        record: dict[str, Any] = {
            "title": f"{system.name or system.id}: {symptom}",
            "system": system.id,
            "required_skills": dict.fromkeys(picked, min(level, 4)),
            "priority": priority,
            "severity": severity,
            "tier": tier,
            "arrival": self.arrival(team.timezone),
            "effort_hours": effort,
        }
        if priority in _SLAS:
            record["sla"] = _SLAS[priority]
        policy = self.instance.policy_of(team)
        incident = Incident.model_validate({"id": "draft", **record})
        if policy.interrupt.allows(incident):
            for _ in range(50):
                if self.candidates(team, policy, incident):
                    break
                incident = incident.model_copy(update={"arrival": self.arrival(team.timezone)})
            else:  # pragma: no cover - a pool on leave 50 times over
                raise RuntimeError(f"nobody can take an urgent incident on {system.id}")
            record["arrival"] = incident.arrival
        return record

    def arrival(self, zone: str) -> dt.datetime:
        rng, dates = self.rng, self.dates
        weekdays = [d for d in dates if d.weekday() < 5] or dates
        weekends = [d for d in dates if d.weekday() >= 5] or dates
        u = rng.random()
        if u < _BUSINESS:
            day = weekdays[int(rng.integers(len(weekdays)))]
            minute = int(min(17.99, max(8.0, float(rng.normal(12.75, 2.5)))) * 60)
        elif u < _BUSINESS + _EVENING:
            day = weekdays[int(rng.integers(len(weekdays)))]
            minute = (18 * 60 + int(rng.integers(14 * 60))) % 1440
        else:
            day = weekends[int(rng.integers(len(weekends)))]
            minute = int(rng.integers(1440))
        local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), ZoneInfo(zone))
        offset = local.utcoffset()
        assert offset is not None
        return local.astimezone(dt.timezone(offset))  # keeps the local date and time

    def candidates(self, owner: Team, policy: Policy, incident: Incident) -> list[Engineer]:
        """docs/semantics.md: the pool by support model, less those on leave at arrival."""
        inst = self.instance
        everyone = [(e, t) for t in inst.teams for e in t.engineers]

        def support(kind: str) -> list[tuple[Engineer, Team]]:
            team = inst.support_team(kind)
            return [(e, team) for e in team.engineers] if team is not None else []

        builders = [(e, t) for e, t in everyone if incident.system in e.built_systems]
        builders = builders or [(e, owner) for e in owner.engineers]
        model = policy.support_model
        if model == "builders":
            pool = builders
        elif model == "dedicated" or (model == "tiered" and incident.tier in ("L1", "L2")):
            pool = support("dedicated")
        elif model == "tiered":
            pool = builders if policy.l3_to == "builders" else support("l3")
        else:
            pool = [(e, owner) for e in owner.engineers]
        return [e for e, team in pool if not _away(e, ZoneInfo(team.zone_of(e)), incident.arrival)]


def _away(engineer: Engineer, zone: ZoneInfo, moment: dt.datetime) -> bool:
    return any(
        dt.datetime.combine(u.start, dt.time(0), zone)
        <= moment
        < dt.datetime.combine(u.end + dt.timedelta(days=1), dt.time(0), zone)
        for u in engineer.unavailability
    )


# --------------------------------------------------------------------------------------------
# The witness: a greedy roster keeping the hard rules.


def witness(instance: Instance) -> list[tuple[str, str, str]] | None:
    """A roster keeping every hard rule, as (shift id, role, engineer) triples, found greedily;
    None when the greedy gets stuck (which does not prove the instance infeasible).

    Hard rules it cannot build toward (minimum counts, min_consecutive, min_consecutive_off,
    forbidden_succession) raise ValueError.
    """
    holidays = instance.holiday_dates
    roster: list[tuple[str, str, str]] = []
    for team in instance.teams:
        greedy = _Roster(team, instance.horizon.start, instance.horizon.days, holidays)
        if greedy.run() is not None:
            return None
        roster.extend(greedy.assignments)
    return roster


def _ts(moment: dt.datetime) -> float:
    return moment.timestamp()


def _local_dates(shift: Shift, zone: ZoneInfo) -> list[dt.date]:
    """The dates, in `zone`, that [start, end) touches."""
    first = shift.start.astimezone(zone).date()
    last = (shift.end.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


@dataclass
class _Roster:
    team: Team
    start: dt.date
    days: int
    holidays: dict[dt.date, str]
    assignments: list[tuple[str, str, str]] = field(default_factory=list)

    def run(self) -> Shift | None:
        """Fill every shift and role; return the first shift it could not staff, or None."""
        team = self.team
        shifts: list[tuple[float, float, Shift, Any]] = []
        for rotation in team.rotations:
            for shift in rotation_shifts(team, rotation, self.start, self.days):
                shifts.append((_ts(shift.start), _ts(shift.end), shift, rotation))
        shifts.sort(key=lambda item: (item[0], item[2].id))
        engineers = team.engineers
        zones = {e.id: ZoneInfo(team.zone_of(e)) for e in engineers}
        leave = {
            e.id: [
                (
                    _ts(dt.datetime.combine(u.start, dt.time(0), tzinfo=zones[e.id])),
                    _ts(dt.datetime.combine(u.end + dt.timedelta(days=1), dt.time(0), zones[e.id])),
                )
                for u in e.unavailability
            ]
            for e in engineers
        }
        rest = 0.0
        caps: list[tuple[str, Any, int | float, set[str] | None]] = []
        for rule in team.rules:
            if not rule.hard:
                continue
            binds = set(rule.engineers) if rule.engineers is not None else None
            if isinstance(rule, MinRest):
                rest = max(rest, rule.hours * 3600)  # several min_rest rules: the longest binds
                if binds is not None:
                    raise ValueError("witness: min_rest for some engineers only is not supported")
            elif isinstance(rule, ShiftCount | HourCount):
                if rule.min:
                    raise ValueError(f"witness: a hard minimum ({rule.rule}) is not supported")
                if rule.max is not None:
                    caps.append((rule.rule, rule, rule.max, binds))
            elif isinstance(rule, MaxConsecutive | MaxWeekends | MaxHolidays):
                caps.append((rule.rule, rule, rule.max, binds))
            else:
                raise ValueError(f"witness: hard rule {rule.rule!r} is not supported")

        eligible: dict[tuple[str, str], list[Engineer]] = {}
        for rotation in team.rotations:
            members = team.rotation_engineers(rotation)
            for role in rotation.roles:
                eligible[rotation.id, role.id] = [
                    e
                    for e in members
                    if (e.roles is None or role.id in e.roles)
                    and all(e.skills.get(s, 0) >= lvl for s, lvl in role.required_skills.items())
                ]
        # Keep engineers a scarce role needs for that role while others can take a common one.
        scarce: dict[tuple[str, str], dict[str, int]] = {}
        for key, pool in eligible.items():
            scarce[key] = {
                e.id: sum(
                    1
                    for other, other_pool in eligible.items()
                    if other != key and len(other_pool) < len(pool) and e in other_pool
                )
                for e in pool
            }

        last_end = dict.fromkeys(zones, -math.inf)
        count: dict[tuple[str, int], Any] = {}
        slots: dict[tuple[str, str], set[int]] = {}
        for start_ts, end_ts, shift, rotation in shifts:
            for role in sorted(rotation.roles, key=lambda r: len(eligible[rotation.id, r.id])):
                for _ in range(role.head_count):
                    best: tuple[Any, ...] | None = None
                    for index, engineer in enumerate(eligible[rotation.id, role.id]):
                        eid = engineer.id
                        if last_end[eid] > start_ts or start_ts - last_end[eid] < rest:
                            continue
                        if any(a < end_ts and start_ts < b for a, b in leave[eid]):
                            continue
                        if rotation.within_working_hours and not _in_hours(
                            shift, engineer, zones[eid]
                        ):
                            continue
                        gains = self._gains(caps, shift, role.id, engineer, zones[eid], slots)
                        if gains is None:
                            continue
                        if not all(
                            self._within(count, eid, u, cap, gain)
                            for u, (cap, gain) in enumerate(gains)
                        ):
                            continue
                        held = count.get((eid, -1), 0)
                        rank = (held + scarce[rotation.id, role.id][eid], last_end[eid], index)
                        if best is None or rank < best[0]:
                            best = (rank, engineer, gains)
                    if best is None:
                        return shift
                    _, engineer, gains = best
                    eid = engineer.id
                    last_end[eid] = max(last_end[eid], end_ts)
                    count[eid, -1] = count.get((eid, -1), 0) + 1
                    for u, (_, gain) in enumerate(gains):
                        self._add(count, eid, u, gain)
                    slots.setdefault((eid, rotation.id), set()).add(shift.slot)
                    self.assignments.append((shift.id, role.id, eid))
        return None

    def _gains(
        self,
        caps: list[tuple[str, Any, int | float, set[str] | None]],
        shift: Shift,
        role: str,
        engineer: Engineer,
        zone: ZoneInfo,
        slots: dict[tuple[str, str], set[int]],
    ) -> list[tuple[float, Any]] | None:
        """For each cap: (cap, what this duty adds); None if it breaks max_consecutive."""
        gains: list[tuple[float, Any]] = []
        for kind, rule, cap, binds in caps:
            if binds is not None and engineer.id not in binds:
                gains.append((math.inf, 0))
                continue
            if kind == "shifts":
                matches = (
                    (rule.rotation is None or rule.rotation == shift.rotation)
                    and (rule.role is None or rule.role == role)
                    and (rule.shift_type is None or rule.shift_type == shift.shift_type)
                )
                gains.append((cap, 1 if matches else 0))
            elif kind == "hours":
                matches = rule.rotation is None or rule.rotation == shift.rotation
                minutes = round((_ts(shift.end) - _ts(shift.start)) / 60)
                gains.append((cap * 60, minutes if matches else 0))
            elif kind == "max_weekends":
                saturdays = {
                    d - dt.timedelta(days=d.weekday() - 5)
                    for d in _local_dates(shift, zone)
                    if d.weekday() >= 5
                }
                gains.append((cap, saturdays))
            elif kind == "max_holidays":
                touched = {d for d in _local_dates(shift, zone) if d in self.holidays}
                gains.append((cap, touched))
            else:  # max_consecutive
                rotation = rule.rotation or shift.rotation
                if rotation == shift.rotation:
                    held = slots.get((engineer.id, rotation), set())
                    run = 1
                    while shift.slot - run in held:
                        run += 1
                    if run > cap:
                        return None
                gains.append((math.inf, 0))
        return gains

    @staticmethod
    def _within(count: dict[tuple[str, int], Any], eid: str, u: int, cap: float, gain: Any) -> bool:
        if isinstance(gain, set):
            return len(count.get((eid, u), set()) | gain) <= cap
        return count.get((eid, u), 0) + gain <= cap

    @staticmethod
    def _add(count: dict[tuple[str, int], Any], eid: str, u: int, gain: Any) -> None:
        if isinstance(gain, set):
            count[eid, u] = count.get((eid, u), set()) | gain
        else:
            count[eid, u] = count.get((eid, u), 0) + gain


def _in_hours(shift: Shift, engineer: Engineer, zone: ZoneInfo) -> bool:
    start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
    return (
        start.date() == end.date()
        and WEEKDAYS[start.weekday()] in engineer.working_days
        and start.time() >= engineer.working_hours.start
        and end.time() <= engineer.working_hours.end
    )
