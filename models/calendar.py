"""The concrete shifts an instance defines: each rotation's pattern laid over the horizon.

This is derived data, not a solver concern: the engine, the independent checker and the baseline
all plan over the same list of shifts, so it lives beside the schema. Hand-off times are wall-clock
times in the rotation's zone, so a daily turn is 23 or 25 hours long on the days clocks change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .instance import WEEKDAYS, Custom, Daily, Instance, Rotation, Team, Weekly, Windows

UTC = dt.UTC


@dataclass(frozen=True)
class Shift:
    """One turn of one rotation: the unit that engineers are assigned to (per role)."""

    id: str
    team: str
    rotation: str
    shift_type: str
    slot: int  # index of the turn (or of the day, for window patterns) within the rotation
    start: dt.datetime  # aware, with the UTC offset in force in the rotation's zone
    end: dt.datetime
    date: dt.date  # the start date in that zone: the date planners see the duty under

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def overlaps(self, other: Shift) -> bool:
        return self.start < other.end and other.start < self.end


def _at(day: dt.date, time: dt.time, zone: ZoneInfo) -> dt.datetime:
    """Wall-clock `time` on `day` in `zone`, moved forward if the clock skips it."""
    naive = dt.datetime.combine(day, time)
    return _normalised(naive.replace(tzinfo=zone), zone)


def _fixed(moment: dt.datetime) -> dt.datetime:
    """The same instant with a fixed UTC offset: arithmetic and comparison on datetimes sharing
    a ZoneInfo use wall-clock time, which is off by the DST shift across a clock change."""
    offset = moment.utcoffset()
    assert offset is not None
    return moment.astimezone(dt.timezone(offset))


def _normalised(moment: dt.datetime, zone: ZoneInfo) -> dt.datetime:
    return moment.astimezone(UTC).astimezone(zone)


def _plus_wall(start: dt.datetime, delta: dt.timedelta, zone: ZoneInfo) -> dt.datetime:
    """Add wall-clock time (Python's aware arithmetic) and resolve the result in `zone`."""
    return _normalised(start.replace(tzinfo=None).replace(tzinfo=zone) + delta, zone)


def rotation_shifts(team: Team, rotation: Rotation, start: dt.date, days: int) -> list[Shift]:
    """Lay out the turns of `rotation` whose start date falls within the horizon."""
    zone = ZoneInfo(rotation.timezone)
    end = start + dt.timedelta(days=days)
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    pattern = rotation.pattern
    shifts: list[Shift] = []

    def add(slot: int, begin: dt.datetime, finish: dt.datetime, shift_type: str, sid: str) -> None:
        begin, finish = _fixed(begin), _fixed(finish)
        shifts.append(
            Shift(
                id=f"{rotation.id}/{sid}",
                team=team.id,
                rotation=rotation.id,
                shift_type=shift_type,
                slot=slot,
                start=begin,
                end=finish,
                date=begin.date(),
            )
        )

    if isinstance(pattern, Daily):
        for slot, day in enumerate(dates):
            begin = _at(day, pattern.handoff, zone)
            finish = _at(day + dt.timedelta(days=1), pattern.handoff, zone)
            add(slot, begin, finish, "turn", day.isoformat())
    elif isinstance(pattern, Weekly):
        handoff_weekday = WEEKDAYS.index(pattern.handoff_day)
        starts = [start] + [
            d for d in dates[1:] if d.weekday() == handoff_weekday
        ]
        for slot, day in enumerate(starts):
            following = day + dt.timedelta(days=1)
            while following.weekday() != handoff_weekday:
                following += dt.timedelta(days=1)
            begin = _at(day, pattern.handoff, zone)
            finish = _at(following, pattern.handoff, zone)
            add(slot, begin, finish, "turn", day.isoformat())
    elif isinstance(pattern, Custom):
        length = dt.timedelta(hours=pattern.length_hours)
        begin = _at(start, pattern.handoff, zone)
        slot = 0
        while begin.date() < end:
            finish = _plus_wall(begin, length, zone)
            add(slot, begin, finish, "turn", begin.strftime("%Y-%m-%dT%H:%M"))
            begin, slot = finish, slot + 1
    elif isinstance(pattern, Windows):
        for slot, day in enumerate(dates):
            if WEEKDAYS[day.weekday()] not in pattern.days:
                continue
            for window in pattern.windows:
                window_zone = ZoneInfo(window.timezone) if window.timezone else zone
                begin = _at(day, window.start, window_zone)
                finish = _plus_wall(begin, dt.timedelta(hours=window.hours), window_zone)
                add(slot, begin, finish, window.name, f"{day.isoformat()}/{window.name}")
    else:  # pragma: no cover - the discriminated union admits nothing else
        raise TypeError(f"unknown pattern {pattern!r}")
    return shifts


def team_shifts(instance: Instance, team: Team) -> list[Shift]:
    """Every shift of every rotation of `team`, in rotation order then time order."""
    return [
        shift
        for rotation in team.rotations
        for shift in rotation_shifts(team, rotation, instance.horizon.start, instance.horizon.days)
    ]
