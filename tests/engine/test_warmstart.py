"""First schedules: the greedy keeps the hard rules it can see as it goes; engineer by engineer
(for priced coverage) keeps them all."""

from engine_support import engineer, solved, team_instance
from rotasat.checker import evaluate
from rotasat.engine import sequential
from rotasat.engine.data import build_team_data
from rotasat.engine.figures import team_figures
from rotasat.engine.sequential import sequential_schedule
from rotasat.engine.warmstart import greedy_schedule
from rotasat.models import Instance

WINDOWS = {"kind": "windows", "windows": [{"name": "early", "start": "00:00", "hours": 8},
                                          {"name": "late", "start": "12:00", "hours": 8}]}


def test_a_shift_type_limit_counts_only_shifts_of_its_type():
    # alice alone, at most one late shift: the early shifts do not count toward that limit,
    # so she takes both earlies and one late; the second late stays empty.
    rules = [{"rule": "shifts", "shift_type": "late", "max": 1}]
    instance = team_instance([engineer("alice")], days=2, pattern=WINDOWS,
                             roles=[{"id": "staff", "understaff_weight": 1}], rules=rules)
    data = build_team_data(instance, instance.teams[0])
    held = sorted(data.shifts[s].id for s, _, _ in greedy_schedule(data))
    assert held == ["r/2027-01-04/early", "r/2027-01-04/late", "r/2027-01-05/early"]


def minimums_team() -> Instance:
    """Priced coverage, one engineer wanted a day for 6 days; alice and bob must each work at
    least 3 days, in runs of at least 2 days."""
    rules = [{"rule": "shifts", "min": 3}, {"rule": "min_consecutive", "min": 2}]
    role = {"id": "staff", "understaff_weight": 100, "overstaff_weight": 1}
    return team_instance([engineer("alice"), engineer("bob")], days=6, roles=[role], rules=rules)


def test_engineer_by_engineer_keeps_minimums_the_greedy_cannot_see():
    # The greedy breaks these minimums; one engineer at a time keeps them. In the first pass
    # alice covers all six days (100 saved each) and bob's minimum of three then over-staffs
    # three days at 1 each; improved from there (rosters priced and dived, then re-planned),
    # alice gives those three up, and the schedule costs nothing (the optimum).
    instance = minimums_team()
    data = build_team_data(instance, instance.teams[0])
    assert not evaluate(instance, team_figures(data, greedy_schedule(data))[0]).feasible
    firsts: list[set[tuple[int, int, int]]] = []
    keys = sequential_schedule(data, seconds=2, on_schedule=firsts.append)
    assert keys is not None
    first = evaluate(instance, team_figures(data, firsts[0])[0])
    assert first.feasible, [v.message for v in first.violations]
    assert [(t.name, t.value) for t in first.terms] == [
        ("understaffing:r/staff", 0), ("overstaffing:r/staff", 3)
    ]
    schedule = team_figures(data, keys)[0]
    judged = evaluate(instance, schedule)
    assert judged.feasible, [v.message for v in judged.violations]
    assert [(t.name, t.value) for t in judged.terms] == [
        ("understaffing:r/staff", 0), ("overstaffing:r/staff", 0)
    ]
    assert sorted(a.engineer for a in schedule) == ["alice"] * 3 + ["bob"] * 3
    assert solved(instance).objective == 0
    # progress: every better schedule on the way was reported, the result last
    assert len(firsts) >= 2 and firsts[-1] == keys
    costs = [evaluate(instance, team_figures(data, k)[0]).objective for k in firsts]
    assert costs == sorted(costs, reverse=True) and costs[-1] == 0


def test_engineer_by_engineer_is_only_for_priced_coverage():
    instance = team_instance([engineer("alice"), engineer("bob")], days=2)
    assert sequential_schedule(build_team_data(instance, instance.teams[0]), 1) is None


def test_a_stop_request_ends_the_re_planning_after_the_first_pass():
    instance = minimums_team()
    data = build_team_data(instance, instance.teams[0])
    firsts: list[set[tuple[int, int, int]]] = []
    keys = sequential_schedule(data, seconds=2, on_schedule=firsts.append,
                               should_stop=lambda: True)
    assert keys == firsts[0]  # the first pass's schedule (overstaffing 3), not re-planned


def test_re_planning_ends_when_a_round_gains_too_little(monkeypatch):
    # Rounds that keep moving duties without lowering the team's cost (here a stand-in
    # re-planner that toggles a duty of no consequence) end the descent after one round,
    # leaving the rest of the time to CP-SAT, instead of running until the time is spent.
    instance = minimums_team()
    data = build_team_data(instance, instance.teams[0])
    real = sequential._best_duties
    visits = []

    def toggling(data, e, placed, budget, left, deterministic, current=None):
        if current is None:
            return real(data, e, placed, budget, left, deterministic)
        visits.append(e)
        budget[0] -= 0.01
        phantom = (-1, 0)
        keys = [d for d in current if d != phantom] + ([] if phantom in current else [phantom])
        return keys, 0

    monkeypatch.setattr(sequential, "_best_duties", toggling)
    monkeypatch.setattr(sequential, "weighs_fairness", lambda data: True)  # no dive
    sequential_schedule(data, seconds=2)
    assert len(visits) == 2  # one round over alice and bob
