"""Tiny hand-made teams for the engine tests, and a solve that the checker always audits."""

from __future__ import annotations

from typing import Any

from rotasat.checker import evaluate
from rotasat.engine import solve
from rotasat.models import Instance, Solution, SolveParameters

# Every hour counts 1: no weekend, holiday or night uplift, so a 24 h turn is 240 load points.
FLAT = {"weekend": 1, "holiday": 1, "night": 1}
# Only the term a test is about carries weight.
NO_TERMS = {"fairness_spread": 0, "fairness_deviation": 0, "preferences": 0, "skill": 0}


def engineer(eid: str, **extra: Any) -> dict[str, Any]:
    return {"id": eid, **extra}


def team_instance(
    engineers: list[dict[str, Any]],
    *,
    days: int = 3,
    start: str = "2027-01-04",  # a Monday
    pattern: dict[str, Any] | None = None,
    roles: list[dict[str, Any]] | None = None,
    rules: list[dict[str, Any]] | None = None,
    weights: dict[str, int] | None = None,
    shift_weights: dict[str, Any] | None = None,
    holidays: list[str] | None = None,
    zone: str = "UTC",
) -> Instance:
    """One team, one rotation (daily at 09:00 UTC, one primary, by default)."""
    return Instance.model_validate(
        {
            "name": "tiny",
            "horizon": {"start": start, "days": days},
            "holidays": {"dates": holidays or []},
            "policy": {"weights": {**NO_TERMS, **(weights or {})}},
            "teams": [
                {
                    "id": "t",
                    "timezone": zone,
                    "engineers": engineers,
                    "rotations": [
                        {
                            "id": "r",
                            "timezone": zone,
                            "pattern": pattern or {"kind": "daily", "handoff": "09:00"},
                            "roles": roles or [{"id": "primary"}],
                            "weights": shift_weights or FLAT,
                        }
                    ],
                    "rules": rules or [],
                }
            ],
        }
    )


def four_engineers(days: int) -> Instance:
    """Four engineers sharing one daily turn of 240 points, weighed on fairness only: the
    loads can be even only when `days` is a multiple of 4."""
    return team_instance([engineer(f"e{i}") for i in range(4)], days=days,
                         weights={"fairness_spread": 1, "fairness_deviation": 1})


def solved(instance: Instance, **params: Any) -> Solution:
    """Solve to optimality (small instances) and hold the result against the checker."""
    solution = solve(instance, SolveParameters(time_limit=params.pop("time_limit", 20), **params))
    return audited(instance, solution)


def audited(instance: Instance, solution: Solution) -> Solution:
    """Hold a solution against the independent checker: every hard rule, objective and term."""
    if solution.status in ("OPTIMAL", "FEASIBLE"):
        judged = evaluate(instance, solution.assignments, solution.incidents)
        assert judged.feasible, [v.message for v in judged.violations]
        assert judged.objective == solution.objective
        assert {(t.team, t.name): t.value for t in judged.terms} == {
            (t.team, t.name): t.value for t in solution.terms
        }
    return solution


def duty(solution: Solution, engineer_id: str) -> list[str]:
    """Dates (shift ids) held by an engineer, in order."""
    return [a.shift for a in solution.assignments if a.engineer == engineer_id]
