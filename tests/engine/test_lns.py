"""Re-solving a few engineers at a time: it balances load by moving turns between the people
it frees, never touches the others, and never keeps a worse schedule."""

import random
from itertools import pairwise
from typing import Any

import pytest
from engine_support import audited, engineer, four_engineers, team_instance
from ortools.sat.python import cp_model
from rotasat.engine import lns, solve
from rotasat.engine.data import build_team_data
from rotasat.engine.model import ComponentModel
from rotasat.models import SolveParameters


def lopsided_start() -> tuple[ComponentModel, list[int], int]:
    """Six engineers, 24 daily turns, fairness only; alice holds 14 turns, the rest 2 each."""
    instance = team_instance([engineer(n) for n in ("alice", "bob", "chen", "dana", "eli",
                                                    "fay")], days=24,
                             weights={"fairness_spread": 1, "fairness_deviation": 1})
    data = build_team_data(instance, instance.teams[0])
    component = ComponentModel(instance, [data], [])
    model = component.model.clone()
    team = component.teams[0]
    for (s, _, e), literal in team.vars.assign.items():
        holder = 0 if s < 14 else 1 + (s - 14) // 2
        model.add(model.get_bool_var_from_proto_index(literal.index) == (e == holder))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    values = [int(solver.value(model.get_int_var_from_proto_index(i)))
              for i in range(len(model.proto.variables))]
    return component, values, cost_of(component, solver.value)


def turns_of(component: ComponentModel, values: list[int]) -> dict[int, set[int]]:
    """Engineer index -> the shifts they hold in `values`."""
    held: dict[int, set[int]] = {}
    for (s, _, e), literal in component.teams[0].vars.assign.items():
        if values[literal.index]:
            held.setdefault(e, set()).add(s)
    return held


def cost_of(component: ComponentModel, value: Any) -> int:
    return sum(t.weight * t.evaluate(value) for t in component.terms)


def run(component: ComponentModel, start: list[int], start_cost: int, seconds: float,
        deterministic: bool = False) -> list[list[int]]:
    """Every schedule the search keeps, in order, from `start`."""
    kept, costs = [start], [start_cost]

    def keep(found: Any) -> bool:
        if cost_of(component, found.value) >= costs[-1]:
            return False
        costs.append(cost_of(component, found.value))
        kept.append([int(found.value(component.model.get_int_var_from_proto_index(i)))
                     for i in range(len(component.model.proto.variables))])
        return True

    lns.reassign_engineers(component, component.model.clone(), lambda: kept[-1], seconds, seed=1,
                           deterministic=deterministic, keep=keep, should_stop=lambda: False)
    return kept


def test_freeing_two_engineers_moves_turns_only_between_them(monkeypatch: pytest.MonkeyPatch):
    # pairs only: each better schedule differs from the one before in two engineers' turns
    monkeypatch.setattr(lns, "FIRST_SIZE", 2.0)
    monkeypatch.setattr(lns, "STEP", 0.0)
    component, start, cost = lopsided_start()
    kept = run(component, start, cost, seconds=5)
    assert len(kept) > 1
    for before, after in pairwise(kept):
        old, new = turns_of(component, before), turns_of(component, after)
        assert len({e for e in range(6) if old.get(e) != new.get(e)}) <= 2
    # 24 turns of 240 points over six engineers: four each, spread and deviation 0
    assert sorted(len(t) for t in turns_of(component, kept[-1]).values()) == [4] * 6


def test_pairs_take_the_most_and_least_loaded_first():
    component, start, _ = lopsided_start()
    team = component.teams[0]
    picked = [lns._pick(team, start, 2, random.Random(seed)) for seed in range(40)]
    # alice (0) holds 14 turns; everyone else 2, so the least loaded is the first of them (1)
    assert {0, 1} in picked
    assert all(len(p) == 2 for p in picked)


def test_the_search_spends_no_more_than_it_is_given():
    component, start, _ = lopsided_start()
    spent = lns.reassign_engineers(component, component.model.clone(), lambda: start, 0.3,
                                   seed=0, deterministic=False, keep=lambda found: False,
                                   should_stop=lambda: False)
    assert 0 < spent <= 0.5


def test_deterministic_searches_keep_the_same_schedules():
    component, start, cost = lopsided_start()
    first = run(component, start, cost, seconds=0.5, deterministic=True)
    second = run(component, start, cost, seconds=0.5, deterministic=True)
    assert first == second


@pytest.fixture
def endless_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs only and patience without end: only a stop from outside ends the search."""
    monkeypatch.setattr(lns, "PATIENCE", 10**9)
    monkeypatch.setattr(lns, "FIRST_SIZE", 2.0)
    monkeypatch.setattr(lns, "STEP", 0.0)


@pytest.mark.usefixtures("endless_pairs")
def test_a_solve_ends_once_cp_sat_proves_the_schedule_optimal():
    # The search of engineers runs beside CP-SAT's own, and would go on for the whole 30 s
    # here; it must stop once CP-SAT proves the optimum (four turns each, cost 0: at once).
    instance = four_engineers(days=16)
    solution = audited(instance, solve(instance, SolveParameters(time_limit=30, workers=2)))
    assert solution.status == "OPTIMAL" and solution.objective == 0
    assert solution.wall_time < 10


@pytest.mark.usefixtures("endless_pairs")
def test_a_solve_ends_once_within_the_gap_asked_for():
    # 14 turns over 4 engineers cannot be even (cost 720 at best). CP-SAT's bound starts at 480
    # (each load is a multiple of 240, so at least 120 off the mean's 840: gap 33%) and is
    # still short of 720 after 5 s: asked for 60%, the solve stops at once, search of
    # engineers included.
    instance = four_engineers(days=14)
    solution = audited(instance, solve(instance, SolveParameters(time_limit=30, workers=2,
                                                                 relative_gap=0.6)))
    assert solution.status == "FEASIBLE" and solution.gap is not None
    assert solution.gap <= 0.6
    assert solution.wall_time < 10
