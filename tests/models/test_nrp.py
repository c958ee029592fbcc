"""Staff-rostering benchmark files (Curtois & Qu's format) read into ordinary instances, and
malformed files refused with the file, the line and what is wrong."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rotasat.models import InputError, Instance, team_shifts
from rotasat.models.nrp import convert, import_file

ROOT = Path(__file__).resolve().parents[2]
INSTANCE1 = ROOT / "tests" / "fixtures" / "Instance1.txt"  # 14 days, 8 staff, one shift type D
SHARED = ROOT.parent / "shared" / "benchmarks" / "curtois"  # the whole set, when present

# Two shift types, three staff, a week: every section and every limit in play.
SMALL = """\
# a comment
SECTION_HORIZON
7

SECTION_SHIFTS
E,480,
L,450,E

SECTION_STAFF
A,E=7|L=2,2400,900,3,2,2,1
B,E=0|L=7,2400,900,3,2,2,1
C,E=7|L=7,2460,960,5,1,1,0

SECTION_DAYS_OFF
A,2,3,6
B

SECTION_SHIFT_ON_REQUESTS
A,0,E,2

SECTION_SHIFT_OFF_REQUESTS
C,5,L,3
C,6,E,0

SECTION_COVER
0,E,1,100,1
0,L,1,100,1
1,E,2,100,1
1,L,0,100,1
2,E,1,100,1
2,L,1,100,1
3,E,1,100,1
3,L,1,100,1
4,E,1,100,1
4,L,1,100,1
5,E,1,100,1
5,L,1,100,1
6,E,1,100,1
6,L,1,100,1
"""


def small() -> Instance:
    return Instance.model_validate(convert(SMALL, "small.txt", name="small"))


def test_shift_types_become_windows_at_midnight_so_one_shift_a_day_is_one_duty_at_a_time():
    instance = small()
    rotation = instance.teams[0].rotations[0]
    assert [(w.name, w.start, w.hours) for w in rotation.pattern.windows] == [
        ("E", dt.time(0), 8), ("L", dt.time(0), 7.5)
    ]
    shifts = team_shifts(instance, instance.teams[0])
    assert len(shifts) == 14 and {s.slot for s in shifts} == set(range(7))
    early, late = shifts[0], shifts[1]
    assert early.overlaps(late) and early.minutes == 480 and late.minutes == 450
    assert early.date == dt.date(2027, 1, 4) and early.date.weekday() == 0  # day 0, a Monday
    assert not late.overlaps(shifts[2])  # day 0's late ends before day 1 starts


def test_cover_is_a_head_count_per_date_and_type_with_the_cover_weights():
    role = small().teams[0].rotations[0].roles[0]
    assert (role.head_count, role.understaff_weight, role.overstaff_weight) == (0, 100, 1)
    assert len(role.head_counts) == 14
    assert [(h.date, h.shift_type, h.head_count) for h in role.head_counts[2:4]] == [
        (dt.date(2027, 1, 5), "E", 2), (dt.date(2027, 1, 5), "L", 0)
    ]


def test_limits_become_hard_rules_shared_by_staff_with_the_same_limit():
    rules = [r.model_dump(exclude_defaults=True) for r in small().teams[0].rules]
    assert rules == [
        {"rule": "forbidden_succession", "id": "L then E", "first": "L", "then": "E"},
        # E=7 and L=7 cannot bind in a week; A's L=2 and B's E=0 do
        {"rule": "shifts", "id": "at most 0 E shifts", "shift_type": "E", "max": 0,
         "engineers": ["B"]},
        {"rule": "shifts", "id": "at most 2 L shifts", "shift_type": "L", "max": 2,
         "engineers": ["A"]},
        {"rule": "hours", "id": "900 to 2400 minutes", "min": 15, "max": 40,
         "engineers": ["A", "B"]},
        {"rule": "hours", "id": "960 to 2460 minutes", "min": 16, "max": 41,
         "engineers": ["C"]},
        {"rule": "max_consecutive", "id": "at most 3 days in a row", "max": 3,
         "engineers": ["A", "B"]},
        {"rule": "max_consecutive", "id": "at most 5 days in a row", "max": 5,
         "engineers": ["C"]},
        # C's minimum runs of 1 cannot bind
        {"rule": "min_consecutive", "id": "at least 2 days on in a row", "min": 2,
         "engineers": ["A", "B"]},
        {"rule": "min_consecutive_off", "id": "at least 2 days off in a row", "min": 2,
         "engineers": ["A", "B"]},
        # a week has one weekend: A's and B's maximum of 1 cannot bind, C's 0 does
        {"rule": "max_weekends", "id": "at most 0 weekends", "max": 0, "engineers": ["C"]},
    ]


def test_minutes_that_are_not_whole_hours_round_back_exactly():
    text = SMALL.replace("A,E=7|L=2,2400,900", "A,E=7|L=2,2401,899")
    rule = next(r for r in Instance.model_validate(convert(text, "x")).teams[0].rules
                if r.rule == "hours")
    assert round(rule.min * 60) == 899 and round(rule.max * 60) == 2401
    assert str(rule.min) == "14.983333333333333"


def test_days_off_merge_into_leave_and_requests_into_preferences():
    a, _, c = small().teams[0].engineers
    assert [(u.start.day, u.end.day) for u in a.unavailability] == [(6, 7), (10, 10)]
    assert [(p.kind, p.dates, p.shift_type, p.weight) for p in a.preferences] == [
        ("prefer", [dt.date(2027, 1, 4)], "E", 2)
    ]
    # a request of weight 0 costs nothing either way and is left out
    assert [(p.kind, p.dates, p.shift_type, p.weight) for p in c.preferences] == [
        ("avoid", [dt.date(2027, 1, 9)], "L", 3)
    ]


def test_the_objective_is_the_benchmarks():
    instance = small()
    weights = instance.policy.weights
    assert (weights.preferences, weights.fairness_spread, weights.fairness_deviation,
            weights.skill) == (1, 0, 0, 0)
    assert not instance.holiday_dates


def test_instance1_reads_as_8_staff_over_two_weeks():
    instance = Instance.model_validate(import_file(INSTANCE1))
    assert instance.name == "Instance1" and instance.horizon.days == 14
    assert [e.id for e in instance.teams[0].engineers] == list("ABCDEFGH")
    assert [r.rule for r in instance.teams[0].rules] == [
        "hours", "max_consecutive", "min_consecutive", "min_consecutive_off", "max_weekends"
    ]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/benchmarks/curtois is not here")
def test_every_benchmark_file_of_the_set_converts():
    for path in sorted(SHARED.glob("Instance*.txt")):
        instance = Instance.model_validate(import_file(path))
        assert instance.name == path.stem


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        convert(text, "bad.txt")
    return caught.value.messages


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("SECTION_HORIZON\n7", "SECTION_HORIZON\nseven",
         "bad.txt: line 3: horizon 'seven' is not a whole number"),
        ("SECTION_HORIZON\n7", "SECTION_HORIZON\n0",
         "bad.txt: line 3: horizon 0 is out of range: expected from 1 to 731"),
        ("L,450,E", "L,1500,E",
         "bad.txt: line 7: length of shift L 1500 is out of range: expected from 1 to 1440"),
        ("L,450,E", "L,450,X", "bad.txt: line 7: unknown shift type 'X': SECTION_SHIFTS "
         "defines E, L"),
        ("L,450,E", "L,450", "bad.txt: line 7: SECTION_SHIFTS lines have 3 comma-separated "
         "fields, this one has 2"),
        ("C,E=7|L=7,2460,960,5,1,1,0", "C,E=7|L=7,2460,960,5,1,1,0\nD D,,0,0,1,1,1,1",
         "bad.txt: line 13: employee 'D D' is not a usable id: letters, digits and _ . : @ + - "
         "only, 1 to 100 of them"),
        ("A,E=7|L=2,", "A,E=7|N=2,", "bad.txt: line 10: unknown shift type 'N': "
         "SECTION_SHIFTS defines E, L"),
        ("A,E=7|L=2,", "A,E7|L=2,", "bad.txt: line 10: MaxShifts 'E7' is not <ShiftID>=<max>"),
        ("2400,900,3", "900,2400,3", "bad.txt: line 10: MinTotalMinutes 2400 is above "
         "MaxTotalMinutes 900"),
        ("2400,900,3", "2400,-9,3", "bad.txt: line 10: MinTotalMinutes -9 is out of range: "
         "expected at least 0"),
        ("C,E=7|L=7,2460,960,5,1,1,0", "C,E=7|L=7,2460,960,5,1,1,0\nA,,0,0,1,1,1,1",
         "bad.txt: line 13: employee 'A' is listed twice"),
        ("A,2,3,6", "A,2,3,7", "bad.txt: line 15: day 7 is out of range: expected from 0 to 6"),
        ("A,0,E,2", "Z,0,E,2", "bad.txt: line 19: unknown employee 'Z': not in SECTION_STAFF"),
        ("C,5,L,3", "C,5,L,-3", "bad.txt: line 22: weight -3 is out of range: expected from 0 "
         "to 1000000"),
        ("6,L,1,100,1", "6,L,1,50,1", "bad.txt: line 39: cover weights 50 (under) and 1 (over) "
         "differ from line 26's 100 and 1: a role prices every shortfall and excess alike, so "
         "every cover line needs the same weights"),
        ("6,L,1,100,1", "6,L,1,100,1\n5,L,1,100,1", "bad.txt: line 40: cover of day 5 shift L "
         "was given on line 37 already"),
        ("6,L,1,100,1", "6,L,101,100,1", "bad.txt: line 39: requirement 101 is out of range: "
         "expected from 0 to 100"),
        ("SECTION_DAYS_OFF", "SECTION_HOLIDAYS", "bad.txt: line 14: unknown section "
         "'SECTION_HOLIDAYS': expected one of SECTION_HORIZON, SECTION_SHIFTS, SECTION_STAFF, "
         "SECTION_DAYS_OFF, SECTION_SHIFT_ON_REQUESTS, SECTION_SHIFT_OFF_REQUESTS, "
         "SECTION_COVER"),
    ],
)
def test_a_malformed_line_is_named_with_what_is_wrong(old: str, new: str, message: str):
    assert old in SMALL
    assert problems(SMALL.replace(old, new, 1)) == [message]


def test_every_problem_is_reported_at_once():
    text = SMALL.replace("A,0,E,2", "Z,9,Q,2").replace("6,L,1,100,1\n", "")
    assert problems(text) == [
        "bad.txt: line 19: unknown employee 'Z': not in SECTION_STAFF",
        "bad.txt: line 19: day 9 is out of range: expected from 0 to 6",
        "bad.txt: line 19: unknown shift type 'Q': SECTION_SHIFTS defines E, L",
        "bad.txt: SECTION_COVER has no line for day 6 and shift type(s) L: every day needs the "
        "cover of every shift type",
    ]


def test_missing_sections_and_text_that_is_not_a_benchmark_file():
    assert problems("SECTION_HORIZON\n7\n") == [
        "bad.txt: missing SECTION_SHIFTS", "bad.txt: missing SECTION_STAFF",
        "bad.txt: missing SECTION_COVER",
    ]
    assert problems('{"name": "an instance"}') == [
        "bad.txt: line 1: data before the first SECTION_ line: is this a benchmark file in the "
        "shift scheduling format?"
    ]
    assert problems(SMALL.replace("SECTION_COVER", "SECTION_STAFF")) == [
        "bad.txt: line 25: SECTION_STAFF appears a second time", "bad.txt: missing SECTION_COVER"
    ]


def test_unreadable_files(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        import_file(tmp_path / "Instance99.txt")
    (tmp_path / "bin.txt").write_bytes(b"SECTION_HORIZON\n\xff\n")
    with pytest.raises(InputError) as caught:
        import_file(tmp_path / "bin.txt")
    assert caught.value.messages == [
        f"{tmp_path / 'bin.txt'}: not ASCII text (byte 16): expected a benchmark file in the "
        "shift scheduling format"
    ]
