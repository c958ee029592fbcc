"""solve(initial=..., on_schedule=...): starting from a given schedule, and hearing of every
improving one (what the HTTP API stores as a job's best schedule so far, and resumes from)."""

from __future__ import annotations

from pathlib import Path

from engine_support import audited
from rotasat.engine import solve as engine_solve
from rotasat.models import Assignment, Instance, Solution, SolveParameters, load

WEEKLY = Path(__file__).resolve().parents[2] / "instances" / "weekly-6.json"


def solve(instance: Instance, params: SolveParameters, **options: object) -> Solution:
    """The engine's solve, every result held against the independent checker."""
    return audited(instance, engine_solve(instance, params, **options))  # type: ignore[arg-type]


def triples(assignments: list[Assignment]) -> set[tuple[str, str, str]]:
    return {(a.shift, a.role, a.engineer) for a in assignments}


def test_on_schedule_hears_improving_schedules_ending_with_the_result():
    heard: list[tuple[int, list[Assignment]]] = []
    instance = load(Instance, WEEKLY)
    solution = solve(instance, SolveParameters(time_limit=10),
                     on_schedule=lambda objective, schedule: heard.append((objective, schedule)))
    assert solution.status == "OPTIMAL"
    objectives = [objective for objective, _ in heard]
    assert objectives == sorted(objectives, reverse=True) and len(set(objectives)) == len(heard)
    assert objectives[-1] == solution.objective
    assert triples(heard[-1][1]) == triples(solution.assignments)


def test_initial_schedule_is_the_first_one_tried():
    instance = load(Instance, WEEKLY)
    optimal = solve(instance, SolveParameters(time_limit=10))
    heard: list[tuple[int, list[Assignment]]] = []
    again = solve(instance, SolveParameters(time_limit=10), initial=optimal.assignments,
                  on_schedule=lambda objective, schedule: heard.append((objective, schedule)))
    # the warm start is the optimal schedule itself: nothing better is ever heard of
    assert [objective for objective, _ in heard] == [optimal.objective]
    assert triples(heard[0][1]) == triples(optimal.assignments)
    assert again.objective == optimal.objective


def test_an_initial_schedule_breaking_a_rule_falls_back_to_the_greedy_one():
    instance = load(Instance, WEEKLY)
    optimal = solve(instance, SolveParameters(time_limit=10))
    # carol is on leave 2027-01-11 to 2027-01-15: give her every turn
    broken = [a.model_copy(update={"engineer": "carol"}) for a in optimal.assignments]
    solution = solve(instance, SolveParameters(time_limit=10), initial=broken)
    assert solution.status == "OPTIMAL" and solution.objective == optimal.objective
