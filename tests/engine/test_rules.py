"""Each rule family, hard and soft, on a tiny team with a derived optimum.

Turns are daily from 09:00 UTC on Monday 2027-01-04 and every hour counts 1 (see conftest).
"""

import itertools

from engine_support import duty, engineer, solved, team_instance


def on_leave(eid: str, *days: str) -> dict:
    return engineer(eid, unavailability=[{"start": d, "end": d} for d in days])


def test_shift_max_hard():
    # alice may take one turn: bob takes the other three.
    rules = [{"rule": "shifts", "max": 1, "engineers": ["alice"]}]
    solution = solved(team_instance([engineer("alice"), engineer("bob")], days=4, rules=rules))
    assert len(duty(solution, "alice")) <= 1
    assert len(duty(solution, "bob")) >= 3


def test_shift_min_soft_prices_each_missing_shift():
    # alice may hold at most 1 of 3 turns (hard) but wants 3 (soft, 7 each): 2 short -> 14.
    rules = [
        {"rule": "shifts", "max": 1, "engineers": ["alice"]},
        {"rule": "shifts", "min": 3, "engineers": ["alice"], "hard": False, "weight": 7,
         "id": "alice-min"},
    ]
    solution = solved(team_instance([engineer("alice"), engineer("bob")], days=3, rules=rules))
    assert solution.objective == 14
    term = next(t for t in solution.terms if t.name == "rule:1:alice-min")
    assert (term.value, term.weight, term.cost) == (2, 7, 14)


def test_shift_count_by_role():
    rules = [{"rule": "shifts", "role": "primary", "max": 0, "engineers": ["alice"]}]
    instance = team_instance(
        [engineer("alice"), engineer("bob"), engineer("carol")],
        days=2, roles=[{"id": "primary"}, {"id": "secondary"}], rules=rules,
    )
    solution = solved(instance)
    assert not [a for a in solution.assignments if a.engineer == "alice" and a.role == "primary"]


def test_hours_max_hard():
    # 30 h leaves room for one 24 h turn only.
    rules = [{"rule": "hours", "max": 30, "engineers": ["alice"]}]
    solution = solved(team_instance([engineer("alice"), engineer("bob")], days=3, rules=rules))
    assert len(duty(solution, "alice")) <= 1


def test_hours_min_soft_counts_minutes():
    # alice can hold 2 turns (48 h) but should do 72 h: 24 h = 1440 minutes short, weight 1.
    rules = [
        {"rule": "shifts", "max": 2, "engineers": ["alice"]},
        {"rule": "hours", "min": 72, "engineers": ["alice"], "hard": False, "weight": 1},
    ]
    solution = solved(team_instance([engineer("alice"), engineer("bob")], days=3, rules=rules))
    assert solution.objective == 1440


def test_max_consecutive_soft():
    # alice is away for the first three turns (the turn of the 6th ends on the 7th, so leave
    # until the 6th): bob holds turns 1-3, one window of 3 > max 2 -> 1 violation x 9.
    alice = engineer("alice", unavailability=[{"start": "2027-01-04", "end": "2027-01-06"}])
    rules = [{"rule": "max_consecutive", "max": 2, "hard": False, "weight": 9}]
    solution = solved(team_instance([alice, engineer("bob")], days=4, rules=rules))
    assert solution.objective == 9
    assert duty(solution, "alice") == ["r/2027-01-07"]


def test_max_consecutive_hard_makes_it_infeasible():
    alice = engineer("alice", unavailability=[{"start": "2027-01-04", "end": "2027-01-06"}])
    rules = [{"rule": "max_consecutive", "max": 2}]
    solution = solved(team_instance([alice, engineer("bob")], days=4, rules=rules))
    assert solution.status == "INFEASIBLE"
    assert any("max_consecutive" in line for line in solution.explanation)


def test_min_consecutive_prices_a_short_run_inside_the_horizon():
    # A turn runs 09:00 to 09:00, so leave on a date bars the turns of that date and the day
    # before. alice (away 4th, 8th) can hold only the turns of the 5th and 6th; bob (away 6th)
    # cannot hold those two. So alice holds slots 1-2: a run of 2 with off slots on both sides,
    # min 3 -> 3 - 2 = 1 unit x 4.
    rules = [{"rule": "min_consecutive", "min": 3, "hard": False, "weight": 4,
              "engineers": ["alice"]}]
    alice = on_leave("alice", "2027-01-04", "2027-01-08")
    bob = on_leave("bob", "2027-01-06")
    solution = solved(team_instance([alice, bob], days=4, rules=rules))
    assert duty(solution, "alice") == ["r/2027-01-05", "r/2027-01-06"]
    assert solution.objective == 4


def test_min_consecutive_exempts_runs_at_the_border():
    # alice must hold the first turn alone (bob away on the 4th and 5th): a run of 1 at the
    # border is exempt from min 2, so the hard rule holds.
    rules = [{"rule": "min_consecutive", "min": 2, "engineers": ["alice"]}]
    alice = on_leave("alice", "2027-01-06")
    bob = on_leave("bob", "2027-01-04")
    solution = solved(team_instance([alice, bob], days=3, rules=rules))
    assert solution.status == "OPTIMAL"
    assert duty(solution, "alice")[0] == "r/2027-01-04"


def test_min_consecutive_off_soft():
    # alice (away 6th) cannot hold the turns of the 5th and 6th; bob (away 4th, 8th) cannot hold
    # those of the 4th, 7th and 8th. So alice holds slots 0, 3, 4 and is off for slots 1-2, an
    # off run of 2 between duties: fine for min 2, 1 unit short of min 3 (x 4).
    rules = [{"rule": "min_consecutive_off", "min": 2, "hard": False, "weight": 4,
              "engineers": ["alice"]}]
    alice = on_leave("alice", "2027-01-06")
    bob = on_leave("bob", "2027-01-04", "2027-01-08")
    solution = solved(team_instance([alice, bob], days=5, rules=rules))
    assert duty(solution, "alice") == ["r/2027-01-04", "r/2027-01-07", "r/2027-01-08"]
    assert solution.objective == 0
    stricter = [{**rules[0], "min": 3}]
    assert solved(team_instance([alice, bob], days=5, rules=stricter)).objective == 4


def test_min_rest_hard_alternates_days():
    rules = [{"rule": "min_rest", "hours": 24}]
    solution = solved(team_instance([engineer("alice"), engineer("bob")], days=4, rules=rules))
    for eid in ("alice", "bob"):
        days = [int(s[-2:]) for s in duty(solution, eid)]
        assert all(b - a >= 2 for a, b in itertools.pairwise(days))


def test_min_rest_soft_counts_pairs():
    # alice alone holds 3 back-to-back turns: pairs (1,2) and (2,3) rest 0 h < 24 h; (1,3)
    # rests exactly 24 h: 2 violations x 2.
    rules = [{"rule": "min_rest", "hours": 24, "hard": False, "weight": 2}]
    solution = solved(team_instance([engineer("alice")], days=3, rules=rules))
    assert solution.objective == 4


def test_forbidden_succession():
    # early 06:00-14:00 and night 22:00-06:00. alice is away on the 5th, which also bars the
    # night of the 4th (it ends at 06:00 on the 5th). bob must take night on the 4th and
    # both shifts on the 5th: night then early -> 1 violation x 6 (or infeasible when hard).
    pattern = {"kind": "windows", "windows": [{"name": "early", "start": "06:00", "hours": 8},
                                              {"name": "night", "start": "22:00", "hours": 8}]}
    rule = {"rule": "forbidden_succession", "first": "night", "then": "early"}
    people = [on_leave("alice", "2027-01-05"), engineer("bob")]
    soft = solved(team_instance(people, days=2, pattern=pattern,
                                rules=[{**rule, "hard": False, "weight": 6}]))
    assert soft.objective == 6
    hard = solved(team_instance(people, days=2, pattern=pattern, rules=[rule]))
    assert hard.status == "INFEASIBLE"


def test_max_weekends_counts_duties_touching_saturday_or_sunday():
    # Friday's turn ends Saturday 09:00, so Fri, Sat and Sun turns all touch the weekend.
    rules = [{"rule": "max_weekends", "max": 0, "engineers": ["alice"]}]
    solution = solved(team_instance([engineer("alice"), engineer("bob")], days=7, rules=rules))
    assert not {"r/2027-01-08", "r/2027-01-09", "r/2027-01-10"} & set(duty(solution, "alice"))


def test_max_weekends_soft():
    # alice alone: one weekend touched, max 0 -> 1 violation x 3.
    rules = [{"rule": "max_weekends", "max": 0, "hard": False, "weight": 3}]
    solution = solved(team_instance([engineer("alice")], days=7, rules=rules))
    assert solution.objective == 3


def test_max_holidays():
    # A holiday on Tuesday the 5th: Monday's turn (ends 09:00 on the 5th) and Tuesday's touch it.
    rules = [{"rule": "max_holidays", "max": 0, "engineers": ["alice"]}]
    instance = team_instance([engineer("alice"), engineer("bob")], days=3, rules=rules,
                             holidays=["2027-01-05"])
    solution = solved(instance)
    assert duty(solution, "bob")[:2] == ["r/2027-01-04", "r/2027-01-05"]
