"""Load points: cut at UTC quarter hours, each piece weighted by its start read in the engineer's
zone (largest of 1, weekend, holiday, night), points = ⌊W / 6 + 1/2⌋ (W in weighted minutes).

Default weights: weekend 1.5, holiday 2.0, night 1.5 from 22:00 to 07:00.
"""

from __future__ import annotations

import datetime as dt

from checker_support import figures, messages, record, rota
from rotasat.checker import evaluate, load_points
from rotasat.checker.load import history_points
from rotasat.models.instance import ShiftWeights

UTC = dt.UTC


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    """January 2027 (Monday the 4th … Sunday the 10th), UTC."""
    return dt.datetime(2027, 1, day, hour, minute, second, tzinfo=UTC)


def test_saturday_turn_is_all_weekend():
    # Sat 09:00 → Sun 09:00: all 1440 min on the weekend (night is 1.5 too, not more)
    # → 2160 weighted min → 2160 / 6 = 360 points.
    assert load_points(at(9, 9), at(10, 9), "UTC") == 360


def test_weekday_turn_has_nine_night_hours():
    # Mon 09:00 → Tue 09:00: 09–22 (780) and 07–09 (120) at 1, 22–07 (540) at 1.5 → 900 + 810
    # = 1710 weighted min → 285 points.
    assert load_points(at(4, 9), at(5, 9), "UTC") == 285


def test_friday_turn_runs_into_the_weekend():
    # Fri 09–22 780 at 1; 22–24 120 at 1.5 (night) = 180; Sat 00–09 540 at 1.5 (weekend and
    # night) = 810 → 1770 → 295 points.
    assert load_points(at(8, 9), at(9, 9), "UTC") == 295


def test_sunday_turn_runs_into_monday():
    # Sun 09–24 900 at 1.5 = 1350; Mon 00–07 420 at 1.5 (night) = 630; Mon 07–09 120 at 1
    # → 2100 → 350 points.
    assert load_points(at(10, 9), at(11, 9), "UTC") == 350


def test_holiday_weighs_most():
    # Wed 6 is a holiday: Wed 09–24 900 at 2 = 1800 (holiday beats night); Thu 00–07 420 at 1.5
    # = 630; Thu 07–09 120 at 1 → 2550 → 425 points.
    holidays = {dt.date(2027, 1, 6)}
    assert load_points(at(6, 9), at(7, 9), "UTC", holidays=holidays) == 425


def test_night_is_read_in_the_engineers_zone():
    # Kathmandu is UTC+05:45: 16:00–17:00 UTC is 21:45–22:45 local. Pieces start 21:45 (day,
    # 15 min), 22:00, 22:15, 22:30 (night, 45 min × 1.5 = 67.5) → 82.5 → 13.75 + 0.5 → 14.
    assert load_points(at(4, 16), at(4, 17), "Asia/Kathmandu") == 14
    # In UTC the same hour is all day: 60 → 10 points.
    assert load_points(at(4, 16), at(4, 17), "UTC") == 10


def test_pieces_split_at_the_night_boundary():
    # 21:50–22:10 UTC: [21:50, 22:00) 10 min at 1, [22:00, 22:10) 10 min at 1.5 = 15 → 25
    # → 4.17 + 0.5 → 4.
    assert load_points(at(4, 21, 50), at(4, 22, 10), "UTC") == 4


def test_rounding_is_half_up():
    # 3 min at 1 → 3 / 6 = 0.5 → 1 (Python's round() would give 0); 2 min → 0.33 → 0.
    assert load_points(at(4, 12), at(4, 12, 3), "UTC") == 1
    assert load_points(at(4, 12), at(4, 12, 2), "UTC") == 0
    # Fractions of a minute count: 12:00:00–12:02:30 is 2.5 min → 0.42 + 0.5 → 0; 3.5 min → 1.
    assert load_points(at(4, 12), at(4, 12, 2, 30), "UTC") == 0
    assert load_points(at(4, 12), at(4, 12, 3, 30), "UTC") == 1


def test_multipliers_are_exact_decimals():
    # Weekend 2.3, Saturday 10:00–11:30: 90 × 2.3 = 207 exactly → 34.5 → 35. In floats
    # 90 * 2.3 = 206.99999999999997, which would round down to 34.
    weights = ShiftWeights(weekend=2.3)
    assert load_points(at(9, 10), at(9, 11, 30), "UTC", weights) == 35


def test_history_points_round_half_up():
    assert history_points(12.34) == 123  # 123.4 + 0.5 → 123
    assert history_points(0.05) == 1  # 0.5 + 0.5 → 1, exactly (0.05 read as 1/20)
    assert history_points(168) == 1680


def test_spring_clock_change_makes_a_23_hour_turn(london_spring):
    # Sat 27 March 09:00 GMT → Sun 28 March 09:00 BST is 23 h: 1380 min, all weekend → 2070
    # weighted min → 345 points.
    result = evaluate(london_spring, [record(london_spring, "oncall/2027-03-27", "alice")])
    alice = figures(result, "alice")
    # Night: Saturday 22:00 GMT (22:00 UTC) to Sunday 07:00 BST (06:00 UTC), 8 h, not 9.
    assert (alice.hours, alice.load, alice.night_hours) == (23.0, 34.5, 8.0)


def test_spring_clock_change_counts_23_hours_of_duty(make):
    instance = make(
        horizon={"start": "2027-03-22", "days": 7},
        team={"timezone": "Europe/London"},
        rotation={"timezone": "Europe/London"},
        rules=[{"rule": "hours", "min": 24, "engineers": ["alice"]}],
    )
    result = evaluate(instance, [record(instance, "oncall/2027-03-27", "alice")])
    # 24 h = 1440 min; the turn is 1380 min.
    assert messages(result, "hours") == [
        "rule 0 (hours): alice has 1380 duty minutes (23 h), below the minimum of 24 h"
    ]


def test_autumn_clock_change_makes_a_25_hour_turn():
    # Sat 30 Oct 09:00 BST (08:00 UTC) → Sun 31 Oct 09:00 GMT: 25 h = 1500 min, all weekend
    # → 2250 → 375 points.
    start = dt.datetime(2027, 10, 30, 8, tzinfo=UTC)
    end = dt.datetime(2027, 10, 31, 9, tzinfo=UTC)
    assert load_points(start, end, "Europe/London") == 375


def test_engineer_figures(make):
    instance = make(
        engineers={"carol": {"timezone": "Pacific/Honolulu"}}, holidays={"dates": ["2027-01-06"]}
    )
    result = evaluate(instance, rota(instance, "oncall", "carol alice bob alice bob alice bob"))
    alice = figures(result, "alice")
    # alice: Tue, Thu, Sat turns, 72 h. Tue turn ends Wed 09:00 on the holiday: 09–22 780 + 22–24
    # 120 × 1.5 + Wed 00–09 540 × 2 = 780 + 180 + 1080 = 2040 → 340. Thu turn 285 (weekday).
    # Sat turn 360. Load 985 points = 98.5 h. Night: 9 h each = 27 h.
    assert (alice.shifts, alice.hours, alice.load, alice.night_hours) == (3, 72.0, 98.5, 27.0)
    assert (alice.weekends, alice.holidays) == (1, 1)
    # carol, in Honolulu (UTC−10), holds Monday's turn: Sun 23:00 → Mon 23:00 local. It touches
    # the weekend of Saturday 2 January. Night there is 22:00–07:00 HST = 08:00–17:00 UTC:
    # Sun 23:00–Mon 07:00 local (8 h) plus Mon 22:00–23:00 (1 h) = 9 h, 60 min on Sunday.
    carol = figures(result, "carol")
    assert (carol.weekends, carol.holidays, carol.night_hours) == (1, 0, 9.0)
    # 60 min Sunday at 1.5 = 90; night the rest of 540 - 60 = 480 at 1.5 = 720; day 900 at 1
    # → 1710 → 285 points: the same as in UTC, by coincidence of equal weights.
    assert carol.load == 28.5
