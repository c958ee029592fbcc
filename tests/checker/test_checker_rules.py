"""The Rules table: a hard rule gives violations, a soft one a term of units × weight.

Unless a test says otherwise the schedule is the base week Mon 2027-01-04 … Sun 2027-01-10 of
daily 24 h turns handed over at 09:00 UTC.
"""

from __future__ import annotations

from checker_support import messages, rota, term
from rotasat.checker import evaluate

WEEK = "alice bob carol alice bob carol alice"  # alice 3 turns, bob and carol 2 each


def run(instance, names, rotation="oncall"):
    return evaluate(instance, rota(instance, rotation, names))


# shifts ---------------------------------------------------------------------------------------


def test_shifts_max_hard(make):
    result = run(make(rules=[{"rule": "shifts", "max": 2}]), WEEK)
    assert messages(result, "shifts") == [
        "rule 0 (shifts): alice holds 3 shifts, above the maximum of 2"
    ]
    assert result.violations[0].date.isoformat() == "2027-01-10"  # her third shift
    assert messages(run(make(rules=[{"rule": "shifts", "max": 3}]), WEEK)) == []


def test_shifts_min_soft(make):
    rule = {"rule": "shifts", "min": 3, "hard": False, "weight": 7, "id": "three each"}
    result = run(make(rules=[rule]), WEEK)
    assert result.feasible
    # bob and carol hold 2 each: 1 short each → 2 units × 7.
    assert term(result, "rule:0:three each") == (2, 7, 14)
    assert result.objective == 14


def test_shifts_filtered_by_role_and_bound_to_listed_engineers(make):
    rule = {"rule": "shifts", "role": "secondary", "max": 1, "engineers": ["alice", "bob"]}
    instance = make(
        rotation={"roles": [{"id": "primary"}, {"id": "secondary"}]}, rules=[rule]
    )
    schedule = rota(instance, "oncall", WEEK) + rota(
        instance, "oncall", "bob carol alice bob carol alice bob", role="secondary"
    )
    # As secondary: bob 3 (Mon, Thu, Sun), alice 2, carol 2 (not bound). Primary turns don't count.
    assert sorted(messages(evaluate(instance, schedule), "shifts")) == [
        "rule 0 (shifts): alice holds 2 shifts as secondary, above the maximum of 1",
        "rule 0 (shifts): bob holds 3 shifts as secondary, above the maximum of 1",
    ]


def test_shifts_filtered_by_shift_type(early_late, make):
    instance = make(
        rotation=early_late.teams[0].rotations[0].model_dump(mode="json"),
        rules=[{"rule": "shifts", "shift_type": "late", "max": 3, "hard": False, "weight": 5}],
    )
    # Each day early then late: alice takes every late (7), bob every early.
    result = run(instance, " ".join(["bob alice"] * 7), "shifts")
    assert term(result, "rule:0:shifts") == (4, 5, 20)  # 7 lates, 4 above 3


# hours ----------------------------------------------------------------------------------------


def test_hours_max_hard(make):
    result = run(make(rules=[{"rule": "hours", "max": 48}]), WEEK)
    # alice: 3 turns × 1440 min = 4320 min, above 48 × 60 = 2880.
    assert messages(result) == [
        "rule 0 (hours): alice has 4320 duty minutes (72 h), above the maximum of 48 h"
    ]


def test_hours_min_soft_counts_minutes(make):
    rule = {"rule": "hours", "min": 50.5, "hard": False, "weight": 1}
    result = run(make(rules=[rule]), WEEK)
    # 50.5 h = 3030 min; bob and carol have 2880 each: 150 + 150 = 300 minutes short.
    assert term(result, "rule:0:hours") == (300, 1, 300)


# consecutive ----------------------------------------------------------------------------------


def test_max_consecutive(make):
    instance = make(rules=[{"rule": "max_consecutive", "max": 2}])
    result = run(instance, "alice alice alice alice bob carol bob")
    assert messages(result) == [
        "rule 0 (max_consecutive): alice is on oncall 4 turns in a row (2027-01-04 to "
        "2027-01-07), above the maximum of 2"
    ]
    assert messages(run(instance, WEEK)) == []


def test_max_consecutive_soft_counts_windows(make):
    instance = make(rules=[{"rule": "max_consecutive", "max": 2, "hard": False, "weight": 10}])
    # A run of 4 holds 2 windows of 3 consecutive turns (Mon–Wed, Tue–Thu).
    result = run(instance, "alice alice alice alice bob carol bob")
    assert term(result, "rule:0:max_consecutive") == (2, 10, 20)


def test_min_consecutive_exempts_runs_at_the_borders(make):
    instance = make(rules=[{"rule": "min_consecutive", "min": 3}])
    # bob's run Tue–Wed (2) is inner and short; alice's Monday and Sunday runs touch the
    # borders; carol's Thu–Sat run is 3 long.
    result = run(instance, "alice bob bob carol carol carol alice")
    assert messages(result) == [
        "rule 0 (min_consecutive): bob is on oncall only 2 turns in a row (2027-01-05 to "
        "2027-01-06), below the minimum of 3"
    ]


def test_min_consecutive_soft_units_are_the_turns_missing(make):
    instance = make(rules=[{"rule": "min_consecutive", "min": 3, "hard": False, "weight": 4}])
    # bob on Tue alone (1 of 3: 2 missing), carol Wed–Thu (2 of 3: 1 missing); alice touches
    # both borders.
    result = run(instance, "alice bob carol carol alice alice alice")
    assert term(result, "rule:0:min_consecutive") == (3, 4, 12)


def test_min_consecutive_off(make):
    instance = make(rules=[{"rule": "min_consecutive_off", "min": 2}])
    # alice on Mon and Wed: off Tue only; bob on Tue and Thu: off Wed only. Their other off
    # runs touch a border; carol's Mon–Thu off run too.
    result = run(instance, "alice bob alice bob carol carol carol")
    assert messages(result) == [
        "rule 0 (min_consecutive_off): alice is off oncall only 1 turn between duties "
        "(2027-01-05), below the minimum of 2",
        "rule 0 (min_consecutive_off): bob is off oncall only 1 turn between duties "
        "(2027-01-06), below the minimum of 2",
    ]


# min rest -------------------------------------------------------------------------------------


def test_min_rest(make):
    instance = make(rules=[{"rule": "min_rest", "hours": 48}])
    # alice Mon then Wed: 24 h from Tue 09:00 to Wed 09:00. bob Tue then Fri: exactly 48 h, fine.
    # carol Thu then Sat: 24 h.
    result = run(instance, "alice bob alice carol bob carol alice")
    assert messages(result) == [
        "rule 0 (min_rest): alice rests 24 h between oncall/2027-01-04 (ends 2027-01-05 09:00) "
        "and oncall/2027-01-06 (starts 2027-01-06 09:00), below 48 h",
        "rule 0 (min_rest): carol rests 24 h between oncall/2027-01-07 (ends 2027-01-08 09:00) "
        "and oncall/2027-01-09 (starts 2027-01-09 09:00), below 48 h",
    ]


def test_min_rest_counts_every_ordered_pair(make):
    instance = make(rules=[{"rule": "min_rest", "hours": 100, "hard": False, "weight": 1}])
    # alice Mon, Wed, Fri: Mon→Wed 24 h, Mon→Fri 72 h, Wed→Fri 24 h: 3 pairs under 100 h.
    # bob Tue→Thu 24 h: 1. carol Sat→Sun back to back, 0 h: 1.
    result = run(instance, "alice bob alice bob alice carol carol")
    assert term(result, "rule:0:min_rest") == (5, 1, 5)


# forbidden succession -------------------------------------------------------------------------


def test_forbidden_succession(early_late, make):
    instance = make(
        rotation=early_late.teams[0].rotations[0].model_dump(mode="json"),
        rules=[{"rule": "forbidden_succession", "first": "late", "then": "early"}],
    )
    # Per day: early, late. alice has Monday's late (14:00–22:00) then Tuesday's early.
    days = "bob alice  alice carol  bob carol  bob carol  bob carol  bob carol  bob carol"
    result = run(instance, days, "shifts")
    assert messages(result) == [
        "rule 0 (forbidden_succession): alice holds shifts/2027-01-04/late (late) then "
        "shifts/2027-01-05/early (early) on the next day"
    ]


def test_forbidden_succession_soft(early_late, make):
    rotation = early_late.teams[0].rotations[0].model_dump(mode="json")
    rule = {"rule": "forbidden_succession", "first": "late", "then": "early", "hard": False,
            "weight": 50}
    instance = make(rotation=rotation, rules=[rule])
    # alice late every day and early every day from Tuesday: 6 late→early pairs (Mon…Sat).
    days = "bob alice " + "alice alice " * 6
    # (alice holding early and late of one day is no overlap: 06–14 and 14–22.)
    assert term(run(instance, days, "shifts"), "rule:0:forbidden_succession") == (6, 50, 300)


# weekends and holidays ------------------------------------------------------------------------

FORTNIGHT = {"horizon": {"start": "2027-01-04", "days": 14}}
# Mon 4 bob, Tue carol, Wed bob, Thu carol, Fri 8 alice, Sat 9 bob, Sun 10 carol,
# Mon 11 alice, Tue bob, Wed carol, Thu bob, Fri 15 carol, Sat 16 bob, Sun 17 alice.
TWO_WEEKS = "bob carol bob carol alice bob carol alice bob carol bob carol bob alice"


def test_max_weekends_counts_weekends_touched(make):
    instance = make(rules=[{"rule": "max_weekends", "max": 1, "engineers": ["alice"]}], **FORTNIGHT)
    # alice's Friday 8 turn ends Saturday 09:00: it touches the weekend of the 9th; her Sunday 17
    # turn touches the 16th; her Monday 11 turn touches none.
    result = run(instance, TWO_WEEKS)
    assert messages(result) == [
        "rule 0 (max_weekends): alice has duty on 2 weekends (Saturdays 2027-01-09, "
        "2027-01-16), above the maximum of 1"
    ]


def test_max_weekends_soft(make):
    rule = {"rule": "max_weekends", "max": 1, "hard": False, "weight": 2}
    result = run(make(rules=[rule], **FORTNIGHT), TWO_WEEKS)
    # Each of alice, bob (Sat 9, Sat 16) and carol (Sun 10, Fri 15) touches both weekends.
    assert term(result, "rule:0:max_weekends") == (3, 2, 6)


def test_max_holidays(make):
    instance = make(
        rules=[{"rule": "max_holidays", "max": 0}], holidays={"dates": ["2027-01-06"]}
    )
    # bob's Tuesday turn runs into Wednesday 09:00, carol's starts on it.
    assert messages(run(instance, WEEK)) == [
        "rule 0 (max_holidays): bob has duty on 1 holiday (2027-01-06), above the maximum of 0",
        "rule 0 (max_holidays): carol has duty on 1 holiday (2027-01-06), above the maximum of 0",
    ]


def test_a_rule_id_names_the_violation_and_the_term(make):
    rules = [
        {"rule": "shifts", "max": 3},
        {"rule": "min_rest", "hours": 168, "id": "a week off", "hard": False, "weight": 3},
        {"rule": "min_rest", "hours": 168, "id": "a week off"},
    ]
    result = run(make(rules=rules), WEEK)
    # alice Mon→Thu 48 h, Thu→Sun 48 h, Mon→Sun 120 h: 3 pairs; bob 1; carol 1.
    assert term(result, "rule:1:a week off") == (5, 3, 15)
    assert messages(result)[0].startswith('rule 2 "a week off" (min_rest): alice rests 48 h')
    assert len(messages(result)) == 5
