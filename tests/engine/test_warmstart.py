"""First schedules: the greedy keeps the hard rules it can see as it goes and hands incidents to
whom they cost least; engineer by engineer (for priced coverage) keeps them all."""

import pytest
from engine_support import engineer, solved, team_instance
from rotasat.checker import evaluate
from rotasat.engine import sequential
from rotasat.engine.columns import Dived
from rotasat.engine.data import build_team_data
from rotasat.engine.figures import team_figures
from rotasat.engine.model import ComponentModel, components
from rotasat.engine.sequential import sequential_schedule
from rotasat.engine.warmstart import greedy_handlers, greedy_schedule
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


def minimums_team(days: int = 6) -> Instance:
    """Priced coverage, one engineer wanted a day for `days` days; alice and bob must each
    work at least 3 days, in runs of at least 2 days."""
    rules = [{"rule": "shifts", "min": 3}, {"rule": "min_consecutive", "min": 2}]
    role = {"id": "staff", "understaff_weight": 100, "overstaff_weight": 1}
    return team_instance([engineer("alice"), engineer("bob")], days=days, roles=[role],
                         rules=rules)


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

    def toggling(data, e, placed, budget, left, deterministic, current=None, keep=0.0):
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


def _spending_descent(monkeypatch) -> list[int]:
    """Who is re-planned, in order, when the dive gives no rosters, the first re-planning
    takes all the time its round allows, each later one 0.01 s, and each lowers the cost."""
    instance = minimums_team()
    data = build_team_data(instance, instance.teams[0])
    real = sequential._best_duties
    visits: list[int] = []

    def spending(data, e, placed, budget, left, deterministic, current=None, keep=0.0):
        if current is None:
            return real(data, e, placed, budget, left, deterministic)
        visits.append(e)
        budget[0] = keep if len(visits) == 1 else budget[0] - 0.01
        phantom = (-1, 0)
        keys = [d for d in current if d != phantom] + ([] if phantom in current else [phantom])
        return keys, -(2 ** len(visits))  # every round gains far more than STALL

    monkeypatch.setattr(sequential, "_best_duties", spending)
    # no rosters from the dive, as on Instance22, whose root is never priced to the end
    monkeypatch.setattr(sequential, "dive_schedule", lambda *args: Dived(None, {}, 0.0, {}))
    sequential_schedule(data, seconds=2)
    return visits


def test_without_a_dive_the_first_round_leaves_time_for_later_rounds(monkeypatch):
    # The first engineer re-planned spends all of the first round's part, so the second keeps
    # their duties; UNDIVED_EXTRA of the 2 s (0.8 s) is left for later rounds, 0.01 s a visit.
    visits = _spending_descent(monkeypatch)
    assert visits[1] == visits[0]  # the second round begins again with the first engineer
    assert len(set(visits)) == 2 and len(visits) > 40
    monkeypatch.setattr(sequential, "weighs_fairness", lambda data: True)
    assert len(_spending_descent(monkeypatch)) == 1  # balancing teams leave it to the polish
    monkeypatch.setattr(sequential, "weighs_fairness", lambda data: False)
    monkeypatch.setattr(sequential, "UNDIVED_EXTRA", 0.0)
    assert len(_spending_descent(monkeypatch)) == 1  # without it, the first round takes all


def greedy_incident_handlers(engineers: list[dict], incidents: list[dict]) -> dict[str, str | None]:
    """The greedy's handlers for a team without rotations: alice first in order, two-week
    sprints (reserve 160 points each), the default weights of expertise, support spread and
    interruption."""
    instance = Instance.model_validate({
        "horizon": {"start": "2027-01-04", "days": 14},
        "teams": [{"id": "t", "timezone": "UTC", "systems": ["api"], "engineers": engineers,
                   "sprints": {"length_days": 14, "first_start": "2027-01-04"}}],
        "incidents": [{"system": "api", **i} for i in incidents],
    })
    (team_ids, owned), = components(instance)
    datas = [build_team_data(instance, instance.team(t)) for t in team_ids]
    part = ComponentModel(instance, datas, owned).incidents
    assert part is not None
    picked = greedy_handlers(part, datas, [set()])
    return {part.infos[i].incident.id: eid for i, eid in picked.items()}


def arriving(iid: str, day: int, hours: float, **extra: object) -> dict[str, object]:
    return {"id": iid, "arrival": f"2027-01-0{day}T10:00:00Z", "effort_hours": hours, **extra}


DB = {"required_skills": {"db": 1}}


@pytest.mark.parametrize("bob_db, incidents, expected", [
    # Y needs db: alice is the expert (bob lacks 4 levels, 40) though she already holds X
    # (support 1 h above bob's, 10): the least-loaded rule would have given it to bob.
    (1, [arriving("X", 5, 1), arriving("Y", 6, 1, **DB)], {"X": "alice", "Y": "alice"}),
    # B is urgent and alice's reserve is nearly spent by A (150 of 160 points): 40 points
    # beyond it would cost 400, so it goes to bob, one level short (10).
    (4, [arriving("A", 5, 15), arriving("B", 6, 5, priority="P1", **DB)],
     {"A": "alice", "B": "bob"}),
    # C is a P4 that may wait: it does not fit alice's reserve beside A, and bob, four levels
    # short (40), would cost more than waiting (20 x (5 - 4) = 20), so it goes to the backlog.
    (1, [arriving("A", 5, 15), arriving("C", 6, 2, priority="P4", **DB)],
     {"A": "alice", "C": None}),
], ids=["expertise", "reserve", "waiting"])
def test_the_greedy_hands_incidents_to_whom_they_cost_least(bob_db, incidents, expected):
    people = [engineer("alice", skills={"db": 5}), engineer("bob", skills={"db": bob_db})]
    assert greedy_incident_handlers(people, incidents) == expected
