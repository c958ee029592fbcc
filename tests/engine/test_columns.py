"""Rosters priced against coverage, and the dive to one roster per engineer (priced coverage,
no fairness)."""

import itertools

import pytest
from engine_support import engineer, team_instance
from rotasat.checker import evaluate
from rotasat.engine.columns import dive_schedule
from rotasat.engine.data import build_team_data
from rotasat.engine.figures import team_figures
from rotasat.engine.sequential import engineer_model, weighs_fairness
from test_warmstart import minimums_team


def judged(instance, data, rosters):
    keys = {(s, r, e) for e, roster in rosters.items() for s, r in roster}
    return evaluate(instance, team_figures(data, keys)[0])


def minimums_start():
    """minimums_team, its data, the start (alice on all six days, bob on the first three: 3
    days over-staffed) and each engineer's own model."""
    instance = minimums_team()
    data = build_team_data(instance, instance.teams[0])
    start = {0: frozenset((s, 0) for s in range(6)), 1: frozenset((s, 0) for s in range(3))}
    return instance, data, start, {e: engineer_model(data, e) for e in (0, 1)}


def test_a_roster_is_priced_against_the_coverage_duals():
    # alice alone over 3 days, no rules, nothing costs by itself: the cheapest roster holds
    # exactly the days whose duty the master values (day 1 at 5); day 2 is worth -5 and day 3
    # -1, so holding either would raise the reduced cost.
    instance = team_instance([engineer("alice")], days=3,
                             roles=[{"id": "staff", "understaff_weight": 10}])
    data = build_team_data(instance, instance.teams[0])
    found, seconds = engineer_model(data, 0).price({(0, 0): 5.0, (1, 0): -5.0, (2, 0): -1.0},
                                                   set(), 1.0, deterministic=False)
    assert found[-1] == (0, frozenset({(0, 0)}))
    assert seconds >= 0
    # a forced duty is held whatever it is worth
    found, _ = engineer_model(data, 0).price({(0, 0): 5.0, (1, 0): -5.0, (2, 0): -1.0},
                                             {(2, 0)}, 1.0, deterministic=False)
    assert found[-1][1] == frozenset({(0, 0), (2, 0)})


def test_the_dive_reaches_the_optimum_the_first_pass_misses():
    # minimums_team: alice and bob each work at least 3 of 6 days in runs of at least 2, one
    # engineer wanted a day. Starting from alice on all six days and bob on three (3 days
    # over-staffed at 1 each), the relaxation splits the week 3 + 3 (cost 0, the optimum), and
    # the dive keeps that split whole.
    instance = minimums_team()
    data = build_team_data(instance, instance.teams[0])
    start = {0: frozenset((s, 0) for s in range(6)), 1: frozenset((s, 0) for s in range(3))}
    assert judged(instance, data, start).objective == 3
    models = {e: engineer_model(data, e) for e in (0, 1)}
    rosters, costs, spent, _, _ = dive_schedule(data, models, start, seconds=10)
    assert rosters is not None and spent < 10
    assert costs == {0: 0, 1: 0}  # each roster by itself: runs of 2 or more, 3 shifts
    result = judged(instance, data, rosters)
    assert result.feasible, [v.message for v in result.violations]
    assert result.objective == 0
    assert sorted(len(roster) for roster in rosters.values()) == [3, 3]


def test_with_no_time_to_price_the_dive_keeps_the_rosters_it_was_given():
    _, data, start, models = minimums_start()
    rosters, _, _, _, _ = dive_schedule(data, models, start, seconds=0.0)
    assert rosters == start


def test_the_relaxation_priced_to_the_end_names_the_duties_it_holds_whole():
    # From the same start, the relaxation's mix is already whole (one engineer on each half of
    # the week, cost 0), so its core is those two rosters; with no time to price it to the end,
    # it has none (solve.py then has no core to search).
    _, data, start, models = minimums_start()
    dived = dive_schedule(data, models, start, seconds=10)
    assert dived.core == dived.rosters
    assert sorted(len(held) for held in dived.core.values()) == [3, 3]
    assert dive_schedule(data, models, start, seconds=0.0).core == {}


def test_a_hard_staffing_limit_holds_in_the_dive():
    # over-staffing is not allowed (the role has no overstaff weight): 6 wanted duties do not
    # fit in 4 days, and the dive never doubles a day to place them
    dive_three_to_the_best({0: frozenset({(0, 0), (1, 0)}), 1: frozenset({(2, 0), (3, 0)}),
                            2: frozenset()})


def dive_three_to_the_best(start):
    """Three engineers who should each work 2 of 4 one-person days (a soft minimum at 7 a shift
    short), over-staffing not allowed, dived from `start`: the best places 4 duties and falls 2
    short (cost 14), never doubling a day."""
    rules = [{"rule": "shifts", "min": 2, "hard": False, "weight": 7}]
    role = {"id": "staff", "understaff_weight": 100}
    instance = team_instance([engineer("a"), engineer("b"), engineer("c")], days=4,
                             roles=[role], rules=rules)
    data = build_team_data(instance, instance.teams[0])
    models = {e: engineer_model(data, e) for e in range(3)}
    rosters, _, _, _, _ = dive_schedule(data, models, start, seconds=10)
    assert rosters is not None
    result = judged(instance, data, rosters)
    assert result.feasible, [v.message for v in result.violations]
    assert result.objective == 14
    held = [duty for roster in rosters.values() for duty in roster]
    assert len(held) == len(set(held)) == 4


def test_the_dive_is_repeatable_in_deterministic_mode():
    instance = minimums_team()
    data = build_team_data(instance, instance.teams[0])
    start = {0: frozenset((s, 0) for s in range(6)), 1: frozenset((s, 0) for s in range(3))}
    runs = [dive_schedule(data, {e: engineer_model(data, e) for e in (0, 1)}, start,
                          seconds=5, deterministic=True) for _ in range(2)]
    assert runs[0]._replace(prices=None) == runs[1]._replace(prices=None)
    first, second = (run.prices for run in runs)
    assert first is not None and second is not None
    assert (first.duals, first.convexity) == (second.duals, second.convexity)


def test_teams_that_weigh_fairness_are_left_to_the_descent():
    # balancing load couples engineers outside coverage: rosters cannot be priced one by one
    role = {"id": "staff", "understaff_weight": 100}
    fair = team_instance([engineer("a"), engineer("b")], roles=[role],
                         weights={"fairness_spread": 1})
    plain = team_instance([engineer("a"), engineer("b")], roles=[role])
    assert weighs_fairness(build_team_data(fair, fair.teams[0]))
    assert not weighs_fairness(build_team_data(plain, plain.teams[0]))


def test_the_relaxation_priced_to_the_end_prices_every_roster_at_its_worth_or_above():
    # From minimums_start, priced to the end: each roster of the relaxation's mix is worth
    # exactly what it costs (reduced cost 0), no roster either engineer may work is worth
    # more (all 2**6 day sets tried; those breaking the engineer's own rules have no cost),
    # and each engineer's cheapest roster at those prices is worth its cost too.
    _, data, start, models = minimums_start()
    dived = dive_schedule(data, models, start, seconds=10)
    prices = dived.prices
    assert prices is not None
    for e, roster in dived.core.items():
        assert prices.reduced_cost(e, roster) == pytest.approx(0, abs=1e-6)
        cheapest = prices.cheapest(e, 1.0)
        assert cheapest is not None and prices.cheapest(e, 1.0) is cheapest  # priced once
        assert prices.reduced_cost(e, cheapest) == pytest.approx(0, abs=1e-6)
        workable = 0
        for days in itertools.product((False, True), repeat=6):
            held = frozenset((s, 0) for s in range(6) if days[s])
            try:
                assert prices.reduced_cost(e, held) >= -1e-6
            except ValueError:  # fewer than 3 days, or a run of 1 inside the horizon
                continue
            workable += 1
        # 3 to 6 days, every run at least 2 long but those at the horizon's ends (a run
        # there may have begun before it or go on after it): 28 of the 42
        assert workable == 28
    assert dive_schedule(data, models, start, seconds=0.0).prices is None


@pytest.fixture
def dives_by_rosters(monkeypatch):
    """The dives fix whole rosters (as where a dive by duties would not fit in the time);
    yields the list of engineers fixed, step by step."""
    from rotasat.engine import columns

    monkeypatch.setattr(columns, "DUTY_STEPS", 1e9)
    fixed: list[int] = []
    by_rosters = columns.RosterDive._dive_rosters

    def spy(self, *args, **kwargs):
        price = self._price

        def priced(*a, **k):
            fixed.append(len(self.fixed))
            return price(*a, **k)

        self._price = priced
        return by_rosters(self, *args, **kwargs)

    monkeypatch.setattr(columns.RosterDive, "_dive_rosters", spy)
    return fixed


def test_a_dive_by_whole_rosters_reaches_the_same_optimum(dives_by_rosters):
    # minimums_start by rosters: the root's mix is whole already, so both engineers are held
    # to their rosters at once, the optimum (cost 0, the week split 3 + 3)
    instance, data, start, models = minimums_start()
    rosters, costs, _, _, _ = dive_schedule(data, models, start, seconds=10)
    assert rosters is not None and costs == {0: 0, 1: 0}
    result = judged(instance, data, rosters)
    assert result.feasible and result.objective == 0


def test_a_dive_by_whole_rosters_holds_one_engineer_a_step_and_the_staffing_limit(
        dives_by_rosters):
    # the three engineers of test_a_hard_staffing_limit_holds_in_the_dive, from a start that
    # leaves every day to one engineer: the mix is split between rosters, so engineers are
    # held one a step (pricing the others again each time) until each holds one roster
    dive_three_to_the_best({0: frozenset((s, 0) for s in range(4)), 1: frozenset(),
                            2: frozenset()})
    assert dives_by_rosters and dives_by_rosters == sorted(dives_by_rosters)
    assert dives_by_rosters[-1] <= 3
