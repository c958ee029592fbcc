"""solve(): parameters, determinism, independent teams, progress and the result record."""

from __future__ import annotations

import importlib
import itertools
import time

import pytest
from engine_support import audited, engineer, solved, team_instance
from rotasat.engine import columns, solve, submodel
from rotasat.engine.data import build_team_data
from rotasat.engine.model import ComponentModel
from rotasat.models import Instance, SolveParameters
from test_warmstart import minimums_team

# the package's `solve` is the function; the module holds the parts tested here
solve_module = importlib.import_module("rotasat.engine.solve")


def two_teams() -> Instance:
    base = team_instance([engineer("alice"), engineer("bob")], days=3,
                         weights={"fairness_spread": 1})
    team = base.teams[0]
    other = team.model_copy(update={
        "id": "u",
        "engineers": [engineer_model.model_copy(update={"id": engineer_model.id + "2"})
                      for engineer_model in team.engineers],
        "rotations": [team.rotations[0].model_copy(update={"id": "r2"})],
    })
    return Instance.model_validate({**base.model_dump(), "teams": [team.model_dump(),
                                                                   other.model_dump()]})


def test_independent_teams_add_up():
    # each team: 3 turns over 2 engineers, spread 240 (see test_objective): total 480.
    solution = solved(two_teams())
    assert solution.status == "OPTIMAL"
    assert solution.objective == 480 and solution.bound == 480 and solution.gap == 0
    assert {t.team for t in solution.terms} == {"t", "u"}
    assert {a.team for a in solution.assignments} == {"t", "u"}


def test_deterministic_mode_repeats_itself():
    instance = team_instance(
        [engineer(f"e{i}", skills={"db": 1 + i % 5}) for i in range(6)], days=14,
        roles=[{"id": "primary", "required_skills": {"db": 2}}, {"id": "secondary"}],
        rules=[{"rule": "min_rest", "hours": 24}],
        weights={"fairness_spread": 2, "fairness_deviation": 1, "skill": 5},
    )
    params = SolveParameters(time_limit=1.0, workers=2, deterministic=True, seed=3)
    first = audited(instance, solve(instance, params))
    second = audited(instance, solve(instance, params))
    assert first.objective == second.objective
    assert [a.engineer for a in first.assignments] == [a.engineer for a in second.assignments]


def test_progress_reports_improving_solutions():
    seen = []
    instance = team_instance([engineer(f"e{i}") for i in range(4)], days=7,
                             weights={"fairness_spread": 1})
    solution = audited(instance, solve(instance, SolveParameters(time_limit=5),
                                       on_progress=seen.append))
    assert seen and seen[-1].objective == solution.objective
    assert all(p.elapsed >= 0 and p.teams == 1 for p in seen)


def test_stop_request_keeps_the_best_schedule():
    instance = team_instance([engineer(f"e{i}") for i in range(6)], days=28,
                             rules=[{"rule": "min_rest", "hours": 24}],
                             weights={"fairness_spread": 1, "fairness_deviation": 1})
    solution = audited(instance, solve(instance, SolveParameters(time_limit=30),
                                       should_stop=lambda: True))
    assert solution.status in ("FEASIBLE", "OPTIMAL")
    assert solution.wall_time < 10
    assert len(solution.assignments) == 28


def test_result_records_are_iso_with_offset():
    solution = solved(team_instance([engineer("alice")], days=1, zone="America/New_York"))
    record = solution.model_dump(mode="json")["assignments"][0]
    assert record["start"] == "2027-01-04T09:00:00-05:00"
    assert record["end"] == "2027-01-05T09:00:00-05:00"
    assert set(record) >= {"shift", "start", "end", "role", "engineer"}


def test_rule_clash_is_named():
    # two engineers, three turns, each may hold one: coverage needs three.
    instance = team_instance([engineer("alice"), engineer("bob")], days=3,
                             rules=[{"rule": "shifts", "max": 1, "id": "one each"}])
    solution = solved(instance)
    assert solution.status == "INFEASIBLE"
    text = "\n".join(solution.explanation)
    assert "rule 0 (one each) for alice" in text and "rule 0 (one each) for bob" in text
    assert "needs 1 engineer" in text


def _minimums_run(keys: set[tuple[int, int, int]], days: int = 6):
    """minimums_team's component (over `days`) with `keys` (shift, role, engineer) as its
    schedule so far."""
    return _run(minimums_team(days), keys)


def _run(instance: Instance, keys: set[tuple[int, int, int]]):
    """The one team of `instance` as a component with `keys` as its schedule so far."""
    datas = [build_team_data(instance, instance.teams[0])]
    run = solve_module.TeamRun(datas, ComponentModel(instance, datas, []))
    tracker = solve_module._Tracker([run], time.perf_counter(), None, None)
    assert solve_module._probe(run, tracker, [keys], {})
    return run, tracker


def test_a_search_within_a_core_improves_but_never_claims_a_bound():
    # alice on all six days and bob on the first three: 3 over-staffed days, cost 3. Held to
    # all of it, no schedule is cheaper, and CP-SAT proves that within those schedules; yet
    # the optimum is 0 (alice days 0-2, bob 3-5), so no bound of 3 may be reported.
    alice_all = {(s, 0, 0) for s in range(6)} | {(s, 0, 1) for s in range(3)}
    params = SolveParameters(time_limit=5)
    run, tracker = _minimums_run(alice_all)
    assert run.objective == 3
    spent, status = solve_module._solve_team(
        run, params, 5.0, tracker, first_only=False,
        restricted=solve_module._holding(run, [alice_all], every_duty=False))
    assert 0 <= spent < 5 and run.objective == 3 and run.bound == 0
    assert status == "OPTIMAL" and run.status != "OPTIMAL"
    # held only to alice's first three days, it finds the optimum
    run, tracker = _minimums_run(alice_all)
    solve_module._solve_team(
        run, params, 5.0, tracker, first_only=False,
        restricted=solve_module._holding(run, [{(s, 0, 0) for s in range(3)}], every_duty=False))
    assert run.objective == 0 and run.bound == 0 and run.status != "OPTIMAL"
    # the whole model's search then proves it
    solve_module._solve_team(run, params, 5.0, tracker, first_only=False)
    assert run.status == "OPTIMAL" and run.bound == 0


def test_priced_teams_search_their_relaxation_core_first(monkeypatch):
    calls: list[bool] = []  # each CP-SAT search: restricted to some schedules or not
    real_holding, real_solve = solve_module._holding, solve_module._solve_team

    def holding(run, keys, every_duty, open_shifts=None, open_engineers=None):
        if not every_duty:  # the core search: what the schedule and the relaxation's core hold
            assert keys[0] and keys[0] <= set(run.chosen[0]) and keys[0] <= run.core[0]
        return real_holding(run, keys, every_duty, open_shifts, open_engineers)

    def spy(run, params, budget, tracker, first_only, halt=None, restricted=None):
        calls.append(restricted is not None)
        if restricted is not None:
            assert budget <= solve_module.CORE_SHARE * params.time_limit
        return real_solve(run, params, budget, tracker, first_only, halt, restricted)

    monkeypatch.setattr(solve_module, "_holding", holding)
    monkeypatch.setattr(solve_module, "_solve_team", spy)
    instance = minimums_team()  # 6 days: no window shorter than the horizon, so none
    solution = solved(instance, time_limit=4)
    assert solution.objective == 0 and solution.status == "OPTIMAL"
    assert calls == [True, False]
    calls.clear()  # with the relaxation never priced, there is no core to search
    monkeypatch.setattr(columns, "ROOT_SHARE", 0.0)
    solved(instance, time_limit=4)
    assert calls == [False]


def _cannot_cut(monkeypatch) -> None:
    """Models that cannot be cut into sub-models (a constraint submodel.py does not read)."""
    def cannot_cut(self, model, decisions):
        raise submodel.Unsupported("int_prod")

    monkeypatch.setattr(submodel.Neighbourhoods, "__init__", cannot_cut)


@pytest.mark.parametrize("cut", [True, False], ids=["own model", "held copy"])
def test_a_window_frees_its_days_and_holds_every_other_duty(monkeypatch, cut):
    # alice on all 14 days and bob on the first three: days 0-2 over-staffed, cost 3. Days 5-7
    # alone cannot mend that (bob's duties are held); days 13, 0, 1 and 2 (the window wraps
    # round the horizon's end) can, but not for bob alone (he must work 3 days in runs of 2,
    # and alice holds every day): alice gives up days 0-2, cost 0, and every duty outside the
    # window, and bob's, stays as it was. The same whether the window is cut out as a model of
    # its own or, for a model with a constraint that cannot be cut, held in a copy of the whole.
    if not cut:
        _cannot_cut(monkeypatch)
    start = {(s, 0, 0) for s in range(14)} | {(s, 0, 1) for s in range(3)}
    run, tracker = _minimums_run(start, days=14)
    assert run.objective == 3
    horizon, engineers, solve_window = solve_module._window_solver(
        run, SolveParameters(time_limit=5), tracker)
    assert (horizon, engineers) == (14, 2)
    for first, days, group in ((5, 3, None), (13, 4, frozenset({1}))):
        [window] = solve_window([(first, days, group)], 5.0)
        assert not window.improved and window.proven and run.objective == 3
        assert set(run.chosen[0]) == start
    [window] = solve_window([(13, 4, frozenset({0}))], 5.0)
    assert window.improved and window.proven and run.objective == 0
    assert ({key for key in run.chosen[0] if 3 <= key[0] <= 12 or key[2] == 1}
            == {key for key in start if 3 <= key[0] <= 12 or key[2] == 1})
    assert run.bound == 0 and run.status != "OPTIMAL"  # a window proves nothing of the whole
    assert isinstance(run.neighbourhoods, submodel.Neighbourhoods) == cut


def test_windows_that_share_no_constraint_are_solved_side_by_side(monkeypatch):
    # As above: alice's window over days 13 to 2 mends the schedule, bob's over days 5-7
    # cannot. The two share no day and no engineer, so no constraint: both are solved at once,
    # each kept in turn. Two windows of alice's share her own rules: one after the other.
    together: list[int] = []
    real = solve_module._solve_parts_side_by_side

    def spy(run, params, parts, budget, tracker):
        together.append(len(parts))
        return real(run, params, parts, budget, tracker)

    monkeypatch.setattr(solve_module, "_solve_parts_side_by_side", spy)
    start = {(s, 0, 0) for s in range(14)} | {(s, 0, 1) for s in range(3)}
    for places, side_by_side in (([(13, 4, frozenset({0})), (5, 3, frozenset({1}))], True),
                                 ([(13, 4, frozenset({0})), (5, 3, frozenset({0}))], False)):
        together.clear()
        run, tracker = _minimums_run(start, days=14)
        _, _, solve_window = solve_module._window_solver(
            run, SolveParameters(time_limit=5, workers=2), tracker)
        mended, other = solve_window(places, 5.0)
        assert mended.improved and mended.proven and not other.improved and other.proven
        assert run.objective == 0 and together == ([2] if side_by_side else [])
        assert {key for key in run.chosen[0] if key[2] == 1} == {(s, 0, 1) for s in range(3)}


@pytest.mark.parametrize("cut", [True, False], ids=["own model", "held copy"])
def test_a_duty_on_a_surplus_moves_to_a_shortfall_days_away(monkeypatch, cut):
    # One engineer wanted a day for 21 days; alice, bob and carol work exactly 7 days each.
    # Day 1 has two (alice and bob), day 10 none: cost 100 + 1. No window of consecutive days
    # short of ten (round the horizon's end too) mends that: whoever gives up day 1 must take
    # day 10 to keep their seven. The window around both days at once does (alice or bob
    # moves to day 10, cost 0), and every duty outside days -1 to 3 and 8 to 12 stays.
    if not cut:
        _cannot_cut(monkeypatch)
    role = {"id": "staff", "understaff_weight": 100, "overstaff_weight": 1}
    instance = team_instance([engineer("alice"), engineer("bob"), engineer("carol")], days=21,
                             roles=[role], rules=[{"rule": "shifts", "min": 7, "max": 7}])
    start = ({(s, 0, 0) for s in range(7)} | {(s, 0, 1) for s in (1, 7, 8, 9, 11, 12, 13)}
             | {(s, 0, 2) for s in range(14, 21)})
    run, tracker = _run(instance, start)
    assert run.objective == 101
    params = SolveParameters(time_limit=5)
    _, _, solve_window = solve_module._window_solver(run, params, tracker)
    for first in range(21):
        [window] = solve_window([(first, 9, None)], 5.0)
        assert not window.improved and window.proven and run.objective == 101
    spent = solve_module._mend_coverage(run, params, 5.0, tracker)
    assert 0 < spent < 5 and run.objective == 0
    assert sorted(s for s, _, _ in run.chosen[0]) == list(range(21))  # one a day
    assert ({key for key in run.chosen[0] if not (-1 <= key[0] <= 3 or 8 <= key[0] <= 12)}
            == {key for key in start if not (-1 <= key[0] <= 3 or 8 <= key[0] <= 12)})
    assert isinstance(run.neighbourhoods, submodel.Neighbourhoods) == cut


def test_priced_teams_then_search_a_few_days_at_a_time(monkeypatch):
    windows: list[tuple[int, int]] = []
    real = solve_module._window_solver

    def spy(run, params, tracker):
        horizon, engineers, solve_window = real(run, params, tracker)

        def record(places, seconds):
            windows.extend((first, days) for first, days, _ in places)
            return solve_window(places, seconds)

        return horizon, engineers, record

    monkeypatch.setattr(solve_module, "_window_solver", spy)
    # the whole model's first turn proves this fortnight's optimum: nothing is left to do
    solution = solved(minimums_team(days=14), time_limit=4)
    assert solution.objective == 0 and solution.status == "OPTIMAL" and windows == []
    # with no time for that turn, the windows come next (a week first), then the whole model
    monkeypatch.setattr(solve_module, "WHOLE_FIRST", 0.0)
    solution = solved(minimums_team(days=14), time_limit=4)
    assert solution.objective == 0 and solution.status == "OPTIMAL"
    assert windows and windows[0] == (0, 7)


@pytest.mark.parametrize("swapped", [0.0, 0.5])
def test_the_polish_shares_its_time_between_the_whole_model_and_the_windows(monkeypatch,
                                                                            swapped):
    # Of 10 s: the whole model's first turn WHOLE_FIRST (2 s), the windows WINDOW_SHARE of the
    # 8 s left, and the whole model again whatever the windows did not spend (here they spend
    # 1 s of their 6.4: 7 s). Windows that end early leave the rest of their time to windows
    # that mend coverage (5.4 s, of which they spend 0.5 s), then to swapped rosters (4.9 s),
    # one at a time until there is nothing to swap (here the first takes 0.5 s, or there is
    # none; finding that none is left, pricing, takes 0.25 s). The searches are stood in for;
    # the shares are the real ones.
    windows: list[float] = []
    monkeypatch.setattr(solve_module, "sweep_windows",
                        lambda horizon, engineers, solve_window, budget, stop, seed:
                        windows.append(budget) or 1.0)
    swaps: list[float] = []  # the budget of each swap: the windows' time they did not spend

    def swap(run, params, budget, tracker, tried):
        swaps.append(budget)
        return (swapped, True) if len(swaps) == 1 and swapped else (0.25, False)

    monkeypatch.setattr(solve_module, "_swap_costliest_roster", swap)
    mends: list[float] = []
    monkeypatch.setattr(solve_module, "_mend_coverage",
                        lambda run, params, budget, tracker: mends.append(budget) or 0.5)
    turns: list[float] = []

    def whole_model(run, params, budget, tracker, first_only, halt=None, restricted=None):
        turns.append(budget)
        return budget, "FEASIBLE"

    start = {(s, 0, 0) for s in range(14)} | {(s, 0, 1) for s in range(6)}
    run, tracker = _minimums_run(start, days=14)
    monkeypatch.setattr(solve_module, "_solve_team", whole_model)
    solve_module._improve(run, SolveParameters(time_limit=10), 10.0, tracker)
    first = 10 * solve_module.WHOLE_FIRST
    assert turns == [pytest.approx(first),
                     pytest.approx(10 - first - 1.0 - 0.5 - swapped - 0.25)]
    window = solve_module.WINDOW_SHARE * (10 - first)
    assert windows == [pytest.approx(window)] and mends == [pytest.approx(window - 1.0)]
    assert swaps == ([pytest.approx(window - 1.5), pytest.approx(window - 2.0)] if swapped
                     else [pytest.approx(window - 1.5)])


def test_the_descents_last_schedule_is_not_probed_twice(monkeypatch):
    # Each schedule the descent reports is probed (completed into every variable) as it comes;
    # its final schedule, when it is the one last reported, is not probed again (a probe of
    # benchmark Instance22's model takes seconds).
    probed: list[list[set]] = []
    real_probe = solve_module._probe

    def spy(run, tracker, chosen, handlers):
        probed.append([set(keys) for keys in chosen])
        return real_probe(run, tracker, chosen, handlers)

    monkeypatch.setattr(solve_module, "_probe", spy)
    solution = solved(minimums_team(), time_limit=4)
    assert solution.objective == 0
    assert len(probed) > 1 and all(a != b for a, b in itertools.pairwise(probed))


class _Prices:
    """Stands in for columns.RootPrices: each engineer's reduced cost, whatever the roster,
    and the roster each would take."""

    def __init__(self, reduced: dict[int, float], cheapest: dict[int, frozenset]) -> None:
        self.models, self.reduced, self.rosters = dict.fromkeys(reduced), reduced, cheapest

    def reduced_cost(self, e, roster):
        return self.reduced[e]

    def cheapest(self, e, seconds):
        return self.rosters[e]


def _published_run(start, days=14):
    run, _ = _minimums_run(start, days)
    published: list[int] = []
    tracker = solve_module._Tracker([run], time.perf_counter(), None, None,
                                    lambda objective, schedule: published.append(objective))
    return run, tracker, published


def test_the_costliest_roster_is_swapped_for_the_priced_one_and_kept_when_better():
    # alice on all 14 days and bob on days 0-2: cost 3. Alice's roster carries 0.5 beyond its
    # worth (at least SWAP_SHARE of 3), bob's nothing: alice takes her priced roster, days
    # 3-13, and the copy, then the best, costs 0.
    start = {(s, 0, 0) for s in range(14)} | {(s, 0, 1) for s in range(3)}
    run, tracker, published = _published_run(start)
    run.prices = [_Prices({0: 0.5, 1: 0.0}, {0: frozenset((s, 0) for s in range(3, 14))})]
    tried: set = set()
    spent, swapped = solve_module._swap_costliest_roster(run, SolveParameters(time_limit=5), 5.0,
                                                         tracker, tried)
    assert swapped and 0 < spent < 5 and run.objective == 0 and published == [0]
    assert set(run.chosen[0]) == {(s, 0, 0) for s in range(3, 14)} | {(s, 0, 1) for s in range(3)}
    assert tried == {(0, 0)}


def test_no_roster_is_swapped_below_its_share_or_without_prices_and_a_worse_copy_is_dropped():
    start = {(s, 0, 0) for s in range(14)} | {(s, 0, 1) for s in range(3)}
    bob_more = {1: frozenset((s, 0) for s in range(6))}  # 3 more days over-staffed: cost 6
    params = SolveParameters(time_limit=5)
    for prices in ([], [None], [_Prices({0: 0.0, 1: 0.02}, bob_more)]):  # 0.02 < 0.01 x 3
        run, tracker, published = _published_run(start)
        run.prices = prices
        assert not solve_module._swap_costliest_roster(run, params, 5.0, tracker, set())[1]
        assert run.objective == 3 and set(run.chosen[0]) == start and published == []
    # worth swapping, but with no time for windows the copy stays at 6: the best is kept, and
    # the same swap is not tried twice
    run, tracker, published = _published_run(start)
    run.prices = [_Prices({0: 0.0, 1: 0.5}, bob_more)]
    tried: set = set()
    assert solve_module._swap_costliest_roster(run, params, 0.0, tracker, tried)[1]
    assert run.objective == 3 and set(run.chosen[0]) == start and published == []
    assert not solve_module._swap_costliest_roster(run, params, 5.0, tracker, tried)[1]


def test_with_time_to_spare_any_roster_beyond_its_worth_is_swapped_unless_it_is_the_cheapest(
        monkeypatch):
    # Alice's roster carries 0.02 beyond its worth: under SWAP_SHARE of 3, but at least the
    # floor (0.01 here). With SWAP_ROOMY seconds left she takes her priced roster (cost 0).
    monkeypatch.setattr(solve_module, "SWAP_FLOOR", 0.01)
    start = {(s, 0, 0) for s in range(14)} | {(s, 0, 1) for s in range(3)}
    alice_less = {0: frozenset((s, 0) for s in range(3, 14))}
    params = SolveParameters(time_limit=5)
    roomy = solve_module.SWAP_ROOMY
    run, tracker, _ = _published_run(start)
    run.prices = [_Prices({0: 0.02, 1: 0.0}, alice_less)]
    assert not solve_module._swap_costliest_roster(run, params, roomy - 1, tracker, set())[1]
    assert solve_module._swap_costliest_roster(run, params, roomy, tracker, set())[1]
    assert run.objective == 0
    # her priced roster is the one she holds: nothing to swap, and she counts as tried
    run, tracker, published = _published_run(start)
    run.prices = [_Prices({0: 0.02, 1: 0.0}, {0: frozenset((s, 0) for s in range(14))})]
    tried: set = set()
    assert not solve_module._swap_costliest_roster(run, params, roomy, tracker, tried)[1]
    assert tried == {(0, 0)} and run.objective == 3 and published == []
