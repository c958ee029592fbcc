"""models.calendar: how each rotation pattern turns into concrete shifts."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from rotasat.models import Instance, Shift, rotation_shifts, team_shifts

UTC = dt.UTC
LONDON = ZoneInfo("Europe/London")


def instance(pattern: dict[str, Any], start: str = "2027-01-04", days: int = 7,
             zone: str = "Europe/London", rotations: int = 1) -> Instance:
    return Instance.model_validate(
        {
            "horizon": {"start": start, "days": days},
            "teams": [
                {
                    "id": "t",
                    "engineers": [{"id": "a"}],
                    "rotations": [
                        {"id": f"r{i}" if i else "r", "timezone": zone, "pattern": pattern,
                         "roles": [{"id": "primary"}]}
                        for i in range(rotations)
                    ],
                }
            ],
        }
    )


def shifts_of(pattern: dict[str, Any], **kwargs: Any) -> list[Shift]:
    inst = instance(pattern, **kwargs)
    return team_shifts(inst, inst.teams[0])


def hours(shift: Shift) -> float:
    """Elapsed hours, measured in UTC (aware arithmetic within one zone is wall-clock)."""
    return (shift.end.astimezone(UTC) - shift.start.astimezone(UTC)).total_seconds() / 3600


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0,
          zone: ZoneInfo = LONDON) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


# --------------------------------------------------------------------------------------------
# Daily


def test_daily_turns_hand_off_at_the_same_local_time() -> None:
    shifts = shifts_of({"kind": "daily", "handoff": "09:00"}, days=7)
    assert len(shifts) == 7
    assert [s.id for s in shifts[:2]] == ["r/2027-01-04", "r/2027-01-05"]
    assert [s.slot for s in shifts] == list(range(7))
    assert {s.shift_type for s in shifts} == {"turn"}
    assert {(s.team, s.rotation) for s in shifts} == {("t", "r")}
    first, last = shifts[0], shifts[-1]
    assert (first.start, first.end) == (local(2027, 1, 4), local(2027, 1, 5))
    assert first.date == dt.date(2027, 1, 4)
    assert last.end == local(2027, 1, 11)  # the last turn runs past the horizon's end
    assert all(hours(s) == 24 for s in shifts)
    assert all(a.end == b.start for a, b in itertools.pairwise(shifts))


def test_daily_turn_across_spring_forward_lasts_23_hours() -> None:
    # Europe/London moves from GMT to BST at 01:00 UTC on Sunday 2027-03-28.
    shifts = shifts_of({"kind": "daily"}, start="2027-03-26", days=4)
    by_date = {s.date: s for s in shifts}
    turn = by_date[dt.date(2027, 3, 27)]
    assert turn.start == dt.datetime(2027, 3, 27, 9, tzinfo=UTC)
    assert turn.end == dt.datetime(2027, 3, 28, 8, tzinfo=UTC)  # 09:00 BST
    assert turn.end.utcoffset() == dt.timedelta(hours=1)
    assert hours(turn) == 23
    assert [hours(by_date[dt.date(2027, 3, d)]) for d in (26, 28, 29)] == [24, 24, 24]


def test_daily_turn_across_fall_back_lasts_25_hours() -> None:
    shifts = shifts_of({"kind": "daily"}, start="2027-10-30", days=2)
    assert [hours(s) for s in shifts] == [25, 24]


def test_shift_minutes_count_real_time_across_a_clock_change() -> None:
    spring, fall = (
        shifts_of({"kind": "daily"}, start=start, days=1)[0]
        for start in ("2027-03-27", "2027-10-30")
    )
    assert (spring.minutes, fall.minutes) == (23 * 60, 25 * 60)
    # the offsets are fixed, so plain arithmetic and comparison are in real time too
    assert spring.end - spring.start == dt.timedelta(hours=23)


def test_a_handoff_the_clock_skips_moves_forward() -> None:
    # 01:30 does not exist in London on 2027-03-28: it is taken as 02:30 BST (01:30 UTC).
    shifts = shifts_of({"kind": "daily", "handoff": "01:30"}, start="2027-03-27", days=2)
    skipped = shifts[1]
    assert skipped.start.astimezone(UTC) == dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert shifts[0].end.astimezone(UTC) == skipped.start.astimezone(UTC)
    assert hours(shifts[0]) == 24  # 01:30 GMT to 02:30 BST
    assert hours(skipped) == 23  # 02:30 BST to 01:30 BST the next day


def test_daily_turns_in_a_zone_without_clock_changes() -> None:
    shifts = shifts_of({"kind": "daily", "handoff": "10:00"}, start="2027-03-26", days=4,
                       zone="Asia/Kolkata")
    assert all(hours(s) == 24 for s in shifts)
    assert shifts[0].start.astimezone(UTC) == dt.datetime(2027, 3, 26, 4, 30, tzinfo=UTC)


# --------------------------------------------------------------------------------------------
# Weekly


def test_weekly_turns_from_the_handoff_day() -> None:
    shifts = shifts_of({"kind": "weekly", "handoff_day": "mon"}, start="2027-01-04", days=28)
    assert len(shifts) == 4
    mondays = [dt.date(2027, 1, 4) + dt.timedelta(weeks=w) for w in range(4)]
    assert [s.date for s in shifts] == mondays
    assert all(hours(s) == 168 for s in shifts)
    assert [s.slot for s in shifts] == [0, 1, 2, 3]


def test_weekly_first_turn_is_short_when_the_horizon_starts_mid_week() -> None:
    shifts = shifts_of(
        {"kind": "weekly", "handoff_day": "wed", "handoff": "10:00"}, start="2027-01-04", days=15
    )
    assert [s.date for s in shifts] == [
        dt.date(2027, 1, 4),
        dt.date(2027, 1, 6),
        dt.date(2027, 1, 13),
    ]
    first, second, last = shifts
    assert (first.start, first.end) == (local(2027, 1, 4, 10), local(2027, 1, 6, 10))
    assert hours(first) == 48
    assert hours(second) == 168
    assert last.end == local(2027, 1, 20, 10)  # runs past the horizon's end


def test_weekly_turn_across_spring_forward_lasts_167_hours() -> None:
    shifts = shifts_of({"kind": "weekly"}, start="2027-03-22", days=14)
    assert [hours(s) for s in shifts] == [167, 168]


# --------------------------------------------------------------------------------------------
# Custom


def test_custom_twelve_hour_turns() -> None:
    shifts = shifts_of({"kind": "custom", "length_hours": 12, "handoff": "08:00"}, days=2)
    assert [s.id for s in shifts] == [
        "r/2027-01-04T08:00",
        "r/2027-01-04T20:00",
        "r/2027-01-05T08:00",
        "r/2027-01-05T20:00",
    ]
    assert [s.date for s in shifts] == [dt.date(2027, 1, 4)] * 2 + [dt.date(2027, 1, 5)] * 2
    assert all(hours(s) == 12 for s in shifts)
    assert shifts[-1].end == local(2027, 1, 6, 8)


def test_custom_turns_longer_than_a_day_start_within_the_horizon() -> None:
    shifts = shifts_of({"kind": "custom", "length_hours": 36}, days=4)
    assert [s.start for s in shifts] == [
        local(2027, 1, 4, 9),
        local(2027, 1, 5, 21),
        local(2027, 1, 7, 9),
    ]
    assert [s.slot for s in shifts] == [0, 1, 2]


def test_custom_turns_are_wall_clock_across_a_clock_change() -> None:
    shifts = shifts_of({"kind": "custom", "length_hours": 12, "handoff": "20:00"},
                       start="2027-03-27", days=2)
    night, day = shifts[:2]  # 20:00 GMT to 08:00 BST is 11 h; then 08:00 to 20:00 BST
    assert night.end == local(2027, 3, 28, 8)
    assert [hours(night), hours(day)] == [11, 12]


# --------------------------------------------------------------------------------------------
# Windows


FOLLOW_THE_SUN = {
    "kind": "windows",
    "windows": [
        {"name": "apac", "start": "03:00", "hours": 8},
        {"name": "emea", "start": "11:00", "hours": 8},
        {"name": "amer", "start": "19:00", "hours": 8},
    ],
    "days": ["mon", "tue", "wed", "thu", "fri"],
}


def test_windows_on_working_days() -> None:
    shifts = shifts_of(FOLLOW_THE_SUN, start="2027-01-08", days=4, zone="UTC")  # Fri to Mon
    assert [s.id for s in shifts] == [
        "r/2027-01-08/apac",
        "r/2027-01-08/emea",
        "r/2027-01-08/amer",
        "r/2027-01-11/apac",
        "r/2027-01-11/emea",
        "r/2027-01-11/amer",
    ]
    assert [s.slot for s in shifts] == [0, 0, 0, 3, 3, 3]  # the day's index in the horizon
    assert [s.shift_type for s in shifts[:3]] == ["apac", "emea", "amer"]
    assert all(hours(s) == 8 for s in shifts)
    apac, emea, amer = shifts[:3]
    assert apac.end == emea.start and emea.end == amer.start
    assert amer.end == dt.datetime(2027, 1, 9, 3, tzinfo=UTC)  # 24 hours covered
    assert amer.date == dt.date(2027, 1, 8)


def test_windows_in_their_own_zones() -> None:
    pattern = {
        "kind": "windows",
        "windows": [
            {"name": "india", "start": "08:30", "hours": 8, "timezone": "Asia/Kolkata"},
            {"name": "berlin", "start": "12:00", "hours": 8, "timezone": "Europe/Berlin"},
        ],
    }
    india, berlin = shifts_of(pattern, start="2027-01-04", days=1, zone="UTC")
    assert india.start.astimezone(UTC) == dt.datetime(2027, 1, 4, 3, tzinfo=UTC)
    assert berlin.start.astimezone(UTC) == dt.datetime(2027, 1, 4, 11, tzinfo=UTC)
    assert india.end.astimezone(UTC) == berlin.start.astimezone(UTC)


def test_windows_follow_their_zones_clock_change() -> None:
    pattern = {"kind": "windows", "windows": [{"name": "day", "start": "09:00", "hours": 8}]}
    shifts = shifts_of(pattern, start="2027-03-27", days=2)
    assert [s.start.astimezone(UTC).hour for s in shifts] == [9, 8]
    assert [hours(s) for s in shifts] == [8, 8]


# --------------------------------------------------------------------------------------------
# Teams and overlaps


def test_team_shifts_list_each_rotation_in_order() -> None:
    inst = instance({"kind": "daily"}, days=3, rotations=2)
    team = inst.teams[0]
    shifts = team_shifts(inst, team)
    assert [s.rotation for s in shifts] == ["r"] * 3 + ["r1"] * 3
    assert shifts[3:] == rotation_shifts(team, team.rotations[1], dt.date(2027, 1, 4), 3)


def test_overlaps_is_half_open() -> None:
    a, b, c = shifts_of({"kind": "custom", "length_hours": 12}, days=2)[:3]
    assert not a.overlaps(b) and not b.overlaps(a)  # back to back: no overlap
    assert not a.overlaps(c)
    assert a.overlaps(a)
    daily = shifts_of({"kind": "daily", "handoff": "15:00"}, days=1)[0]
    assert daily.overlaps(b) and b.overlaps(daily)


def test_the_sample_quarter_has_182_duties() -> None:
    from pathlib import Path

    from rotasat.models import load

    inst = load(Instance, Path(__file__).resolve().parents[2] / "instances" / "quarter-12.json")
    shifts = team_shifts(inst, inst.teams[0])
    assert len(shifts) == 91
    assert len(shifts) * len(inst.teams[0].rotations[0].roles) == 182
    assert sorted(hours(s) for s in shifts)[0] == 23  # the spring-forward turn of 27 March
