"""Rosters priced by dynamic programming: the same cheapest roster as the engineer's own CP-SAT
model finds, for every rule family it reads; engineers with any other rule keep CP-SAT."""

import random
from pathlib import Path

import pytest
from engine_support import engineer, team_instance
from ortools.sat.python import cp_model
from rotasat.engine import rosterdp
from rotasat.engine.columns import with_programmes
from rotasat.engine.data import build_team_data
from rotasat.engine.sequential import engineer_model
from rotasat.models import Instance
from rotasat.models.nrp import import_file

INSTANCE1 = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "Instance1.txt"
ROLE = {"id": "staff", "understaff_weight": 100, "overstaff_weight": 1}
# two shift types a day, both from midnight (so at most one of them a day), as imported
# benchmark instances have them
TWO_TYPES = {"kind": "windows", "windows": [{"name": "E", "start": "00:00", "hours": 8},
                                             {"name": "N", "start": "00:00", "hours": 8}]}


def cp_sat_cheapest(model, prices, forced):
    """The engineer's own model's least cost less `prices`, holding `forced` (None: none)."""
    model.model.clear_assumptions()
    model.model.add_assumptions([lit for duty, lit in model.duties if duty in forced])
    model.model.minimize(10 * model.cost - sum(round(10 * prices[d]) * lit
                                                 for d, lit in model.duties))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 8
    solver.parameters.max_time_in_seconds = 30
    status = solver.solve(model.model)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
    return solver.objective_value / 10 if status == cp_model.OPTIMAL else None


def priced(data, e):
    """Engineer e's own model, with its programme where it has one (alone in its team)."""
    return with_programmes(data, {e: engineer_model(data, e)})[e]


def assert_programmes_price_as_cp_sat(instance, trials=3, seed=0):
    """Every engineer has a programme, and at random prices (with two duties forced in the last
    trial) it finds what CP-SAT finds: the same least value, a roster that keeps the
    engineer's rules (cost_of) at the cost it reports."""
    rng = random.Random(seed)
    data = build_team_data(instance, instance.teams[0])
    for e in range(len(data.engineers)):
        model = priced(data, e)
        assert model.programme is not None, data.engineers[e].id
        for trial in range(trials):
            prices = {duty: round(rng.uniform(-1, 100), 1) for duty, _ in model.duties}
            forced = ({duty for duty, _ in rng.sample(model.duties, 2)} if trial == trials - 1
                      else set())
            found, _ = model.programme.cheapest(prices, forced)
            expected = cp_sat_cheapest(model, prices, forced)
            if expected is None:
                assert found == []
                continue
            [(cost, roster)] = found
            assert cost - sum(prices[d] for d in roster) == pytest.approx(expected, abs=1e-6)
            assert forced <= roster
            assert model.cost_of(roster) == cost  # keeps the rules, at the cost reported


def test_the_benchmarks_instance1_is_priced_as_cp_sat_prices_it():
    # total minutes, runs of 2 to 5 days on, 2 days off, weekends, days off, shift requests
    assert_programmes_price_as_cp_sat(Instance.model_validate(import_file(INSTANCE1)))


def test_runs_successions_weekends_and_counts_are_priced_as_cp_sat_prices_them():
    rules = [{"rule": "max_consecutive", "max": 3}, {"rule": "min_consecutive", "min": 2},
             {"rule": "min_consecutive_off", "min": 2}, {"rule": "max_weekends", "max": 1},
             {"rule": "shifts", "min": 6, "max": 8},
             {"rule": "forbidden_succession", "first": "N", "then": "E"}]
    people = [engineer("alice"), engineer("bob", preferences=[
        {"kind": "avoid", "dates": ["2027-01-06"], "shift_type": "N", "weight": 3}])]
    instance = team_instance(people, days=14, pattern=TWO_TYPES, roles=[ROLE], rules=rules,
                             weights={"preferences": 1})
    assert_programmes_price_as_cp_sat(instance, trials=4)


@pytest.mark.parametrize("least", [9, 10])
def test_a_least_count_at_or_beyond_what_the_runs_allow_is_priced_as_cp_sat_prices_it(least):
    # runs of at most 3 days with 2 off between: 14 days hold at most 9 duties (3 on, 2 off,
    # 3 on, 2 off, 3 on, 1 off). The walk keeps only counts that can still reach the least in
    # the days left: 9 leaves a handful of rosters, 10 none at all (CP-SAT: infeasible)
    rules = [{"rule": "max_consecutive", "max": 3}, {"rule": "min_consecutive_off", "min": 2},
             {"rule": "shifts", "min": least, "max": 12}]
    instance = team_instance([engineer("alice")], days=14, pattern=TWO_TYPES, roles=[ROLE],
                             rules=rules)
    assert_programmes_price_as_cp_sat(instance, trials=4, seed=2)
    data = build_team_data(instance, instance.teams[0])
    found, _ = priced(data, 0).programme.cheapest({}, set())
    assert [len(roster) for _, roster in found] == ([9] if least == 9 else [])


def test_without_run_or_count_rules_every_roster_is_open():
    # no maximum run, no minimum rest: runs of any length, one state each beyond their reach
    instance = team_instance([engineer("alice")], days=10, pattern=TWO_TYPES, roles=[ROLE],
                             rules=[{"rule": "min_consecutive", "min": 3}])
    assert_programmes_price_as_cp_sat(instance, trials=4, seed=1)


def test_hours_in_all_and_a_type_none_may_hold_are_priced_as_cp_sat_prices_them():
    rules = [{"rule": "hours", "min": 40, "max": 56},  # 5 to 7 shifts of 8 hours
             {"rule": "shifts", "shift_type": "N", "max": 0}]
    instance = team_instance([engineer("alice")], days=12, pattern=TWO_TYPES, roles=[ROLE],
                             rules=rules)
    assert_programmes_price_as_cp_sat(instance)


def test_per_type_maxima_that_bind_are_priced_as_cp_sat_prices_them():
    # 14 days hold up to 10 duties (runs of at most 4); at most 3 nights and 4 early duties:
    # the cheapest roster without the maxima breaks them at most prices, so the walk tallies
    # those types (alone and together) and must still find CP-SAT's least value
    rules = [{"rule": "max_consecutive", "max": 4}, {"rule": "shifts", "min": 5, "max": 10},
             {"rule": "shifts", "shift_type": "N", "max": 3},
             {"rule": "shifts", "shift_type": "E", "max": 6},
             {"rule": "shifts", "shift_type": "E", "max": 4},  # the least of two counts
             {"rule": "max_weekends", "max": 1}]
    people = [engineer("alice"), engineer("bob")]
    instance = team_instance(people, days=14, pattern=TWO_TYPES, roles=[ROLE], rules=rules)
    assert_programmes_price_as_cp_sat(instance, trials=5, seed=3)
    data = build_team_data(instance, instance.teams[0])
    programme = priced(data, 0).programme
    assert programme.caps == {0: 4, 1: 3}
    [(_, roster)], _ = programme.cheapest({duty: 10.0 for duty, _ in priced(data, 0).duties},
                                          set())
    assert programme.tallied == [0, 1]  # both broken without their tallies
    nights = sum(data.shifts[s].shift_type == "N" for s, _ in roster)
    assert nights == 3 and len(roster) - nights == 4


def test_maxima_too_wide_to_tally_leave_the_pricing_to_cp_sat(monkeypatch):
    # the two maxima above: each alone fits the walk's cells, both at once do not; the
    # engineer's model then prices by CP-SAT, whose roster keeps both
    rules = [{"rule": "shifts", "min": 5, "max": 10}, {"rule": "max_consecutive", "max": 4},
             {"rule": "shifts", "shift_type": "N", "max": 3},
             {"rule": "shifts", "shift_type": "E", "max": 4}, {"rule": "max_weekends", "max": 1}]
    instance = team_instance([engineer("alice")], days=14, pattern=TWO_TYPES, roles=[ROLE],
                             rules=rules)
    data = build_team_data(instance, instance.teams[0])
    each = [priced(data, 0).programme._cells([t]) for t in (0, 1)]
    monkeypatch.setattr(rosterdp, "TALLY_CELLS", max(each))
    model = priced(data, 0)
    assert model.programme._cells([0, 1]) > max(each)
    prices = {duty: 10.0 for duty, _ in model.duties}
    assert model.programme.cheapest(prices, set())[0] is None
    found, _ = model.price(prices, set(), 5.0, deterministic=True)
    nights = sum(data.shifts[s].shift_type == "N" for s, _ in found[-1][1])
    assert (nights, len(found[-1][1]) - nights) == (3, 4)
    # narrower still, no programme at all
    monkeypatch.setattr(rosterdp, "TALLY_CELLS", min(each) - 1)
    assert priced(data, 0).programme is None


def test_a_maximum_no_roster_can_reach_is_not_tallied():
    # 7 days offer 7 nights, so a maximum of 7 never binds; a maximum of 0 prices the early
    # duties out instead: neither is tallied
    rules = [{"rule": "shifts", "shift_type": "N", "max": 7},
             {"rule": "shifts", "shift_type": "E", "max": 0}]
    instance = team_instance([engineer("alice")], days=7, pattern=TWO_TYPES, roles=[ROLE],
                             rules=rules)
    data = build_team_data(instance, instance.teams[0])
    assert priced(data, 0).programme.caps == {}
    assert_programmes_price_as_cp_sat(instance)


@pytest.mark.parametrize("rule", [
    {"rule": "min_rest", "hours": 12},
    {"rule": "max_consecutive", "max": 3, "hard": False, "weight": 5},
    {"rule": "shifts", "shift_type": "N", "min": 1},  # a per-type minimum
    {"rule": "max_holidays", "max": 0},
])
def test_any_other_rule_leaves_the_engineer_to_cp_sat(rule):
    instance = team_instance([engineer("alice")], days=7, pattern=TWO_TYPES, roles=[ROLE],
                             rules=[rule])
    data = build_team_data(instance, instance.teams[0])
    assert priced(data, 0).programme is None


def test_daily_turns_whose_weekend_spans_three_turns_keep_cp_sat():
    # a 24-hour turn from Friday 09:00 touches Saturday: one weekend over three turns
    instance = team_instance([engineer("alice")], days=14, roles=[ROLE],
                             rules=[{"rule": "max_weekends", "max": 1}])
    data = build_team_data(instance, instance.teams[0])
    assert priced(data, 0).programme is None
    # without the weekend rule the same turns are priced by the programme
    instance = team_instance([engineer("alice")], days=14, roles=[ROLE],
                             rules=[{"rule": "max_consecutive", "max": 4}])
    assert_programmes_price_as_cp_sat(instance)


def test_pricing_goes_through_the_programme_and_counts_deterministic_work():
    instance = Instance.model_validate(import_file(INSTANCE1))
    data = build_team_data(instance, instance.teams[0])
    model = priced(data, 0)
    prices = {duty: 50.0 for duty, _ in model.duties}
    found, seconds = model.price(prices, set(), 1.0, deterministic=True)
    again, same = model.price(prices, set(), 1.0, deterministic=True)
    rosters, work = model.programme.cheapest(prices, set())
    assert found == again == rosters and rosters
    assert seconds == same == work > 0


def test_a_team_is_priced_by_programmes_only_when_every_engineer_has_one():
    rules = [{"rule": "max_consecutive", "max": 3},
             {"rule": "min_rest", "hours": 12, "engineers": ["bob"]}]
    instance = team_instance([engineer("alice"), engineer("bob")], days=7, pattern=TWO_TYPES,
                             roles=[ROLE], rules=rules)
    data = build_team_data(instance, instance.teams[0])
    assert priced(data, 0).programme is not None and priced(data, 1).programme is None
    together = with_programmes(data, {0: engineer_model(data, 0), 1: engineer_model(data, 1)})
    assert together[0].programme is None and together[1].programme is None
