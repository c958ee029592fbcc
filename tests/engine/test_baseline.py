"""The fixed-order rotation an on-call tool would render, judged by the checker."""

from engine_support import engineer, team_instance
from rotasat.checker import evaluate
from rotasat.engine.baseline import fixed_order


def test_walks_the_order_one_turn_each():
    instance = team_instance([engineer("a"), engineer("b"), engineer("c")], days=4)
    assert [x.engineer for x in fixed_order(instance)] == ["a", "b", "c", "a"]


def test_second_role_is_one_step_ahead_and_never_the_same_person():
    instance = team_instance(
        [engineer("a"), engineer("b", roles=["secondary"]), engineer("c")],
        days=3, roles=[{"id": "primary"}, {"id": "secondary"}],
    )
    by_shift: dict[str, list[str]] = {}
    for x in fixed_order(instance):
        by_shift.setdefault(x.shift, []).append(x.engineer)
    # primary order a, c; secondary order a, b, c starting one step ahead
    assert by_shift == {"r/2027-01-04": ["a", "b"], "r/2027-01-05": ["c", "a"],
                        "r/2027-01-06": ["a", "b"]}


def test_blind_to_leave_and_skills_so_the_checker_finds_broken_rules():
    alice = engineer("alice", skills={"db": 1},
                     unavailability=[{"start": "2027-01-04", "end": "2027-01-04"}])
    instance = team_instance([alice, engineer("bob", skills={"db": 3})], days=2,
                             roles=[{"id": "primary", "required_skills": {"db": 2}}])
    judged = evaluate(instance, fixed_order(instance))
    assert not judged.feasible
    assert {v.rule for v in judged.violations} == {"leave", "required_skills"}


def test_takes_each_shifts_own_head_count():
    role = {"id": "primary", "head_counts": [{"date": "2027-01-05", "head_count": 2}]}
    instance = team_instance([engineer("a"), engineer("b"), engineer("c")], days=3, roles=[role])
    assert [(x.shift[-2:], x.engineer) for x in fixed_order(instance)] == [
        ("04", "a"), ("05", "b"), ("05", "c"), ("06", "a")
    ]
