"""Helpers for the incident checker tests: a small organisation, incidents and decisions.

The organisation, in organisation order (alice 0, bob 1, carol 2, wendy 3, dee 4, dan 5, lee 6):

- "ops" (product, UTC): alice (linux 5, db 2, built search), bob (linux 4, db 4), carol
  (linux 3, db 4); owns systems billing, search and reports; one 14-day sprint from Monday
  2027-01-04, the horizon (2027-01-04 to 2027-01-17); a daily "oncall" turn handed off at 09:00 UTC
  with one "primary" (support_hours 1.0, under-staffing free, so a schedule may leave turns empty).
- "web" (product, no sprints): wendy (db 5), who built billing before she moved teams; owns shop.
- "help" (dedicated support): dee (linux 2), dan (linux 3).
- "deep" (L3 support): lee (linux 4).

Every objective weight is 0 unless a test sets it, so each test sees only the terms it is about.
Sprint arithmetic every test relies on: capacity 10 working days × 8 h = 4800 min → 800 points;
reserve 0.2 × 800 → 160 points; a 24 h turn at support_hours 1.0 → 1440 / 1440 × 10 = 10 points.
"""

from __future__ import annotations

import copy
from typing import Any

from rotasat.models import Assignment, IncidentOutcome, Instance, team_shifts

ZERO_WEIGHTS = {
    "fairness_spread": 0,
    "fairness_deviation": 0,
    "preferences": 0,
    "skill": 0,
    "interruption": 0,
    "deferral": 0,
    "sla_missed": 0,
    "expertise": 0,
    "knowledge": 0,
    "support_spread": 0,
}

SPRINT_1 = "sprint 1 (2027-01-04 to 2027-01-17)"
SPRINT_2 = "sprint 2 (2027-01-18 to 2027-01-31)"

ORG: dict[str, Any] = {
    "name": "org",
    "horizon": {"start": "2027-01-04", "days": 14},
    "policy": {"weights": ZERO_WEIGHTS},
    "teams": [
        {
            "id": "ops",
            "timezone": "UTC",
            "sprints": {"length_days": 14, "first_start": "2027-01-04"},
            "systems": ["billing", "search", "reports"],
            "engineers": [
                {"id": "alice", "skills": {"linux": 5, "db": 2}, "built_systems": ["search"]},
                {"id": "bob", "skills": {"linux": 4, "db": 4}},
                {"id": "carol", "skills": {"linux": 3, "db": 4}},
            ],
            "rotations": [
                {
                    "id": "oncall",
                    "timezone": "UTC",
                    "pattern": {"kind": "daily", "handoff": "09:00"},
                    "roles": [{"id": "primary", "understaff_weight": 0}],
                }
            ],
        },
        {
            "id": "web",
            "systems": ["shop"],
            "engineers": [{"id": "wendy", "skills": {"db": 5}, "built_systems": ["billing"]}],
        },
        {
            "id": "help",
            "kind": "dedicated",
            "engineers": [{"id": "dee", "skills": {"linux": 2}}, {"id": "dan",
                                                               "skills": {"linux": 3}}],
        },
        {"id": "deep", "kind": "l3", "engineers": [{"id": "lee", "skills": {"linux": 4}}]},
    ],
}


def incident(ident: str, day: str = "2027-01-05", time: str = "10:00", **fields: Any) -> dict:
    """An incident on billing, P3 S3 L3, 2 h of effort, arriving `day` at `time` UTC."""
    found = {
        "id": ident,
        "system": "billing",
        "arrival": f"{day}T{time}:00Z",
        "effort_hours": 2,
    }
    found.update(fields)
    return found


def org(
    *,
    incidents: list[dict[str, Any]] | None = None,
    policy: dict[str, Any] | None = None,
    weights: dict[str, int] | None = None,
    engineers: dict[str, dict[str, Any]] | None = None,
    rotation: dict[str, Any] | None = None,
    ops: dict[str, Any] | None = None,
    **top: Any,
) -> Instance:
    """ORG with changes: incidents, organisation policy fields, weights, fields per engineer id
    (any team), fields of ops's rotation or of ops itself, top-level fields."""
    doc = copy.deepcopy(ORG)
    doc["incidents"] = incidents or []
    doc["policy"].update(policy or {})
    if weights:
        doc["policy"]["weights"] = {**ZERO_WEIGHTS, **weights}
    for team in doc["teams"]:
        for engineer in team["engineers"]:
            engineer.update((engineers or {}).get(engineer["id"], {}))
    doc["teams"][0]["rotations"][0].update(rotation or {})
    doc["teams"][0].update(ops or {})
    doc.update(top)
    return Instance.model_validate(doc)


def decide(instance: Instance, handlers: dict[str, str | None]) -> list[IncidentOutcome]:
    """Outcomes carrying only the decision: incident -> handler (None: deferred)."""
    return [
        IncidentOutcome(
            incident=ident,
            team=instance.owner_of(next(i.system for i in instance.incidents if i.id == ident)).id,
            handler=handler,
            deferred=handler is None,
        )
        for ident, handler in handlers.items()
    ]


def duty(instance: Instance, **days: str) -> list[Assignment]:
    """ops's primary on the given turns: duty(i, alice="04 05") gives alice the turns of
    2027-01-04 and 2027-01-05."""
    shifts = {s.id: s for s in team_shifts(instance, instance.team("ops"))}
    records = []
    for engineer, dates in days.items():
        for day in dates.split():
            shift = shifts[f"oncall/2027-01-{day}"]
            records.append(
                Assignment(shift=shift.id, team="ops", rotation="oncall",
                           shift_type=shift.shift_type, role="primary", engineer=engineer,
                           start=shift.start, end=shift.end)
            )
    return records
