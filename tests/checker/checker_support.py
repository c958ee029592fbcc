"""Helpers for the checker tests: the base instance, and short ways to write schedules.

The base team "ops" plans one daily turn (09:00 UTC hand-off, one "primary" needing linux 3) over
the week Monday 2027-01-04 to Sunday 2027-01-10, so shift ids are oncall/2027-01-04 … /2027-01-10.
Objective weights are 0 unless a test sets them, so each test sees only the terms it is about.
"""

from __future__ import annotations

import copy
from typing import Any

from rotasat.models import Assignment, EngineerFigures, Evaluation, Instance, team_shifts

ZERO_WEIGHTS = {"fairness_spread": 0, "fairness_deviation": 0, "preferences": 0, "skill": 0}

BASE: dict[str, Any] = {
    "name": "tiny",
    "horizon": {"start": "2027-01-04", "days": 7},
    "policy": {"weights": ZERO_WEIGHTS},
    "teams": [
        {
            "id": "ops",
            "timezone": "UTC",
            "engineers": [
                {"id": "alice", "skills": {"linux": 5}},
                {"id": "bob", "skills": {"linux": 4}},
                {"id": "carol", "skills": {"linux": 3}},
            ],
            "rotations": [
                {
                    "id": "oncall",
                    "timezone": "UTC",
                    "pattern": {"kind": "daily", "handoff": "09:00"},
                    "roles": [{"id": "primary", "required_skills": {"linux": 3}}],
                }
            ],
        }
    ],
}


def build(
    *,
    engineers: dict[str, dict[str, Any]] | None = None,
    extra_engineers: list[dict[str, Any]] | None = None,
    rotation: dict[str, Any] | None = None,
    rotations: list[dict[str, Any]] | None = None,
    rules: list[dict[str, Any]] | None = None,
    weights: dict[str, int] | None = None,
    team: dict[str, Any] | None = None,
    teams: list[dict[str, Any]] | None = None,
    **top: Any,
) -> Instance:
    """BASE with changes: fields per engineer id, the rotation's fields, extra rotations, …"""
    doc = copy.deepcopy(BASE)
    first = doc["teams"][0]
    for engineer in first["engineers"]:
        engineer.update((engineers or {}).get(engineer["id"], {}))
    first["engineers"] += extra_engineers or []
    first["rotations"][0].update(rotation or {})
    first["rotations"] += rotations or []
    if rules is not None:
        first["rules"] = rules
    first.update(team or {})
    doc["teams"] += teams or []
    if weights:
        doc["policy"]["weights"] = {**ZERO_WEIGHTS, **weights}
    doc.update(top)
    return Instance.model_validate(doc)


def record(
    instance: Instance, shift_id: str, engineer: str, role: str = "primary", **changes: Any
) -> Assignment:
    """The assignment record of `engineer` holding `role` on `shift_id`, fields copied from the
    shift; `changes` overrides any field (to write malformed records)."""
    shift = next(
        s for team in instance.teams for s in team_shifts(instance, team) if s.id == shift_id
    )
    fields: dict[str, Any] = {
        "shift": shift.id,
        "team": shift.team,
        "rotation": shift.rotation,
        "shift_type": shift.shift_type,
        "role": role,
        "engineer": engineer,
        "start": shift.start,
        "end": shift.end,
    }
    fields.update(changes)
    return Assignment(**fields)


def rota(
    instance: Instance, rotation: str, engineers: str, role: str = "primary"
) -> list[Assignment]:
    """One engineer per shift of `rotation`, in time order: rota(i, "oncall", "alice bob -")
    gives alice the first shift, bob the second and nobody the third."""
    shifts = [
        s for team in instance.teams for s in team_shifts(instance, team) if s.rotation == rotation
    ]
    names = engineers.split()
    assert len(names) == len(shifts), f"{len(shifts)} shifts, {len(names)} names"
    return [record(instance, s.id, n, role) for s, n in zip(shifts, names, strict=True) if n != "-"]


def messages(evaluation: Evaluation, rule: str | None = None) -> list[str]:
    """The violation messages, of one rule when given."""
    return [v.message for v in evaluation.violations if rule is None or v.rule == rule]


def term(evaluation: Evaluation, name: str) -> tuple[int, int, int]:
    """(value, weight, cost) of the named term."""
    found = [t for t in evaluation.terms if t.name == name]
    assert len(found) == 1, f"{name}: {evaluation.terms}"
    return found[0].value, found[0].weight, found[0].cost


def figures(evaluation: Evaluation, engineer: str) -> EngineerFigures:
    return next(f for f in evaluation.engineers if f.engineer == engineer)
