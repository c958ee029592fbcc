"""Load points, night minutes, and the weekends and holidays a duty touches (docs/semantics.md).

Every instant here is an aware datetime in UTC: Python compares and subtracts two datetimes that
share a tzinfo as wall-clock times, which is wrong across a clock change; UTC has none.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Container
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from zoneinfo import ZoneInfo

from rotasat.models.instance import ShiftWeights

UTC = dt.UTC
QUARTER = dt.timedelta(minutes=15)
MICROSECOND = dt.timedelta(microseconds=1)
MICROSECONDS_PER_MINUTE = 60_000_000
HALF = Fraction(1, 2)


def decimal(value: float) -> Fraction:
    """A number from the schema as the decimal it was written as: 1.5 -> 3/2, 0.1 -> 1/10.

    str() of a float is its shortest round-trip form, so this undoes binary rounding.
    """
    return Fraction(str(value))


def round_half_up(value: Fraction) -> int:
    """⌊value + 1/2⌋, the rounding the contract uses everywhere."""
    return math.floor(value + HALF)


def history_points(load_hours: float) -> int:
    """History load in points: ⌊hours × 10 + 1/2⌋."""
    return round_half_up(decimal(load_hours) * 10)


@cache
def local_midnight(day: dt.date, zone: ZoneInfo) -> dt.datetime:
    """00:00 of `day` in `zone`, as a UTC instant (moved forward if the clock skips midnight)."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=zone).astimezone(UTC)


def overlaps(start: dt.datetime, end: dt.datetime, begin: dt.datetime, finish: dt.datetime) -> bool:
    """[start, end) and [begin, finish) share an instant."""
    return start < finish and begin < end


def is_night(moment: dt.time, weights: ShiftWeights) -> bool:
    """night_start ≤ t < night_end, wrapping midnight when night_start > night_end."""
    if weights.night_start <= weights.night_end:
        return weights.night_start <= moment < weights.night_end
    return moment >= weights.night_start or moment < weights.night_end


@dataclass(frozen=True)
class ShiftFacts:
    """What one shift means for one engineer (in that engineer's zone)."""

    points: int  # load in tenths of a weighted hour
    weighted_minutes: Fraction
    night_minutes: Fraction
    weekends: frozenset[dt.date]  # the Saturdays of the weekends the shift touches
    holidays: frozenset[dt.date]  # the holiday dates the shift touches


def _weighted_minutes(
    start: dt.datetime,
    end: dt.datetime,
    zone: ZoneInfo,
    weights: ShiftWeights,
    holidays: Container[dt.date],
) -> tuple[Fraction, Fraction]:
    """(weighted minutes W, night minutes) of [start, end), cut at every UTC quarter hour."""
    weekend = decimal(weights.weekend)
    holiday = decimal(weights.holiday)
    night = decimal(weights.night)
    # Microseconds per multiplier: integer sums in the loop, exact fractions once at the end.
    by_multiplier: dict[Fraction, int] = {}
    night_us = 0
    piece = start.astimezone(UTC)
    end = end.astimezone(UTC)
    while piece < end:
        boundary = piece.replace(minute=piece.minute - piece.minute % 15, second=0, microsecond=0)
        following = min(boundary + QUARTER, end)
        length = (following - piece) // MICROSECOND
        local = piece.astimezone(zone)  # the piece takes the multiplier of its start instant
        day = local.date()
        multiplier = Fraction(1)
        if day.weekday() >= 5:
            multiplier = max(multiplier, weekend)
        if day in holidays:
            multiplier = max(multiplier, holiday)
        if is_night(local.time(), weights):
            multiplier = max(multiplier, night)
            night_us += length
        by_multiplier[multiplier] = by_multiplier.get(multiplier, 0) + length
        piece = following
    weighted = sum(
        (Fraction(us, MICROSECONDS_PER_MINUTE) * m for m, us in by_multiplier.items()),
        Fraction(0),
    )
    return weighted, Fraction(night_us, MICROSECONDS_PER_MINUTE)


def load_points(
    start: dt.datetime,
    end: dt.datetime,
    zone: str | ZoneInfo,
    weights: ShiftWeights | None = None,
    holidays: Container[dt.date] = (),
) -> int:
    """Load of the duty [start, end) for an engineer in `zone`, in points: ⌊W / 6 + 1/2⌋."""
    tz = ZoneInfo(zone) if isinstance(zone, str) else zone
    weighted, _ = _weighted_minutes(start, end, tz, weights or ShiftWeights(), holidays)
    return round_half_up(weighted / 6)


def weekends_touched(start: dt.datetime, end: dt.datetime, zone: ZoneInfo) -> set[dt.date]:
    """Saturdays whose [Saturday 00:00, Monday 00:00) in `zone` the duty overlaps."""
    first = start.astimezone(zone).date() - dt.timedelta(days=1)  # a Sunday start: the Saturday
    last = end.astimezone(zone).date()
    found: set[dt.date] = set()
    day = first
    while day <= last:
        if day.weekday() == 5:
            begin = local_midnight(day, zone)
            finish = local_midnight(day + dt.timedelta(days=2), zone)
            if overlaps(start, end, begin, finish):
                found.add(day)
        day += dt.timedelta(days=1)
    return found


def holidays_touched(
    start: dt.datetime, end: dt.datetime, zone: ZoneInfo, holidays: Container[dt.date]
) -> set[dt.date]:
    """Holiday dates whose [00:00, next day 00:00) in `zone` the duty overlaps."""
    day = start.astimezone(zone).date()
    last = end.astimezone(zone).date()
    found: set[dt.date] = set()
    while day <= last:
        if day in holidays:
            begin = local_midnight(day, zone)
            finish = local_midnight(day + dt.timedelta(days=1), zone)
            if overlaps(start, end, begin, finish):
                found.add(day)
        day += dt.timedelta(days=1)
    return found


class LoadTable:
    """ShiftFacts per (start, end, engineer zone, rotation weights), computed once each.

    Engineers of a team mostly share a zone, so each shift is cut into pieces once or twice,
    not once per engineer who might hold it.
    """

    def __init__(self, holidays: frozenset[dt.date]) -> None:
        self.holidays = holidays
        self._cache: dict[tuple[dt.datetime, dt.datetime, ZoneInfo, ShiftWeights], ShiftFacts] = {}

    def facts(
        self, start: dt.datetime, end: dt.datetime, zone: ZoneInfo, weights: ShiftWeights
    ) -> ShiftFacts:
        key = (start, end, zone, weights)
        found = self._cache.get(key)
        if found is None:
            weighted, night = _weighted_minutes(start, end, zone, weights, self.holidays)
            found = ShiftFacts(
                points=round_half_up(weighted / 6),
                weighted_minutes=weighted,
                night_minutes=night,
                weekends=frozenset(weekends_touched(start, end, zone)),
                holidays=frozenset(holidays_touched(start, end, zone, self.holidays)),
            )
            self._cache[key] = found
        return found
