"""The Rules table of docs/semantics.md: one function per rule kind, named after it.

Each function takes the rule, one engineer it binds and the context, and returns that engineer's
breaches, each with its units of violation. The caller turns the breaches of a hard rule into
violations and sums the units of a soft one into its objective term.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from rotasat.models.instance import (
    Engineer,
    ForbiddenSuccession,
    HourCount,
    MaxConsecutive,
    MaxHolidays,
    MaxWeekends,
    MinConsecutive,
    MinConsecutiveOff,
    MinRest,
    Rotation,
    ShiftCount,
    Team,
    Windows,
)

from .context import Context, Duty
from .load import decimal, round_half_up


@dataclass(frozen=True)
class Breach:
    """Some units of violation of one rule by one engineer."""

    units: int
    message: str
    date: dt.date | None = None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _hours(value: float) -> str:
    return f"{value:g} h"


def shifts(rule: ShiftCount, engineer: Engineer, team: Team, ctx: Context) -> list[Breach]:
    """Shifts held below `min` or above `max`, filtered by rotation, role and shift type."""
    counted = [
        d
        for d in ctx.duties_of(engineer.id)
        if (rule.rotation is None or d.shift.rotation.id == rule.rotation)
        and (rule.role is None or rule.role in d.roles)
        and (rule.shift_type is None or d.shift.shift.shift_type == rule.shift_type)
    ]
    n = len(counted)
    what = "shift"
    if rule.shift_type is not None:
        what = f"{rule.shift_type} shift"
    held = f"{engineer.id} holds {_plural(n, what)}"
    if rule.rotation is not None:
        held += f" of {rule.rotation}"
    if rule.role is not None:
        held += f" as {rule.role}"
    if n < rule.min:
        return [Breach(rule.min - n, f"{held}, below the minimum of {rule.min}")]
    if rule.max is not None and n > rule.max:
        return [
            Breach(
                n - rule.max,
                f"{held}, above the maximum of {rule.max}",
                counted[rule.max].shift.shift.date,
            )
        ]
    return []


def hours(rule: HourCount, engineer: Engineer, team: Team, ctx: Context) -> list[Breach]:
    """Duty minutes below `min` × 60 or above `max` × 60 (each rounded half up)."""
    minutes = sum(
        d.shift.minutes
        for d in ctx.duties_of(engineer.id)
        if rule.rotation is None or d.shift.rotation.id == rule.rotation
    )
    of = f" on {rule.rotation}" if rule.rotation is not None else ""
    held = f"{engineer.id} has {minutes} duty minutes ({_hours(minutes / 60)}){of}"
    low = round_half_up(decimal(rule.min) * 60)
    if minutes < low:
        return [Breach(low - minutes, f"{held}, below the minimum of {_hours(rule.min)}")]
    if rule.max is not None:
        high = round_half_up(decimal(rule.max) * 60)
        if minutes > high:
            return [Breach(minutes - high, f"{held}, above the maximum of {_hours(rule.max)}")]
    return []


# --------------------------------------------------------------------------------------------
# Slots of one rotation: turns, or days for window patterns.


def _rotation(rule_rotation: str | None, team: Team) -> Rotation | None:
    """The rotation a consecutive rule names, or the team's only one."""
    if rule_rotation is not None:
        return next(r for r in team.rotations if r.id == rule_rotation)
    return team.rotations[0] if len(team.rotations) == 1 else None


def _slot_word(rotation: Rotation) -> str:
    return "day" if isinstance(rotation.pattern, Windows) else "turn"


def _slots(
    ctx: Context, rotation: Rotation, engineer: Engineer
) -> tuple[list[bool], list[dt.date]]:
    """Per slot 0 … S−1 of the rotation: whether the engineer holds any of its shifts, and the
    slot's date (its first shift's date; horizon start + slot for days without shifts)."""
    timed = ctx.rotation_shifts[rotation.id]
    size = max((t.shift.slot for t in timed), default=-1) + 1
    start = ctx.instance.horizon.start
    dates = [start + dt.timedelta(days=k) for k in range(size)]
    seen: set[int] = set()
    for t in timed:
        if t.shift.slot not in seen:
            seen.add(t.shift.slot)
            dates[t.shift.slot] = t.shift.date
    on = [False] * size
    for d in ctx.duties_of(engineer.id):
        if d.shift.rotation.id == rotation.id:
            on[d.shift.shift.slot] = True
    return on, dates


def _runs(on: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs [a, b] (inclusive) of slots equal to `value`."""
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(on):
        if on[k] == value:
            a = k
            while k + 1 < len(on) and on[k + 1] == value:
                k += 1
            runs.append((a, k))
        k += 1
    return runs


def _span(dates: list[dt.date], a: int, b: int) -> str:
    return f"{dates[a]}" if a == b else f"{dates[a]} to {dates[b]}"


def max_consecutive(
    rule: MaxConsecutive, engineer: Engineer, team: Team, ctx: Context
) -> list[Breach]:
    """Each window of max + 1 consecutive slots all on duty: a run of L gives L − max."""
    rotation = _rotation(rule.rotation, team)
    if rotation is None:
        return []
    on, dates = _slots(ctx, rotation, engineer)
    word = _slot_word(rotation)
    found = []
    for a, b in _runs(on, True):
        length = b - a + 1
        if length > rule.max:
            found.append(
                Breach(
                    length - rule.max,
                    f"{engineer.id} is on {rotation.id} {length} {word}s in a row "
                    f"({_span(dates, a, b)}), above the maximum of {rule.max}",
                    dates[a + rule.max],
                )
            )
    return found


def _short_runs(
    on: list[bool], dates: list[dt.date], value: bool, minimum: int
) -> list[tuple[int, int, int]]:
    """Runs of `value` not touching the first or last slot, shorter than `minimum`:
    (a, b, missing slots)."""
    last = len(on) - 1
    return [
        (a, b, minimum - (b - a + 1))
        for a, b in _runs(on, value)
        if a > 0 and b < last and b - a + 1 < minimum
    ]


def min_consecutive(
    rule: MinConsecutive, engineer: Engineer, team: Team, ctx: Context
) -> list[Breach]:
    """Each inner run of duty shorter than `min`: min − L units."""
    rotation = _rotation(rule.rotation, team)
    if rotation is None:
        return []
    on, dates = _slots(ctx, rotation, engineer)
    word = _slot_word(rotation)
    return [
        Breach(
            missing,
            f"{engineer.id} is on {rotation.id} only {_plural(b - a + 1, word)} in a row "
            f"({_span(dates, a, b)}), below the minimum of {rule.min}",
            dates[a],
        )
        for a, b, missing in _short_runs(on, dates, True, rule.min)
    ]


def min_consecutive_off(
    rule: MinConsecutiveOff, engineer: Engineer, team: Team, ctx: Context
) -> list[Breach]:
    """Each inner run off duty shorter than `min`: min − L units."""
    rotation = _rotation(rule.rotation, team)
    if rotation is None:
        return []
    on, dates = _slots(ctx, rotation, engineer)
    word = _slot_word(rotation)
    return [
        Breach(
            missing,
            f"{engineer.id} is off {rotation.id} only {_plural(b - a + 1, word)} between duties "
            f"({_span(dates, a, b)}), below the minimum of {rule.min}",
            dates[a],
        )
        for a, b, missing in _short_runs(on, dates, False, rule.min)
    ]


def min_rest(rule: MinRest, engineer: Engineer, team: Team, ctx: Context) -> list[Breach]:
    """Each ordered pair of held shifts a, b with a.end ≤ b.start < a.end + hours."""
    duties = ctx.duties_of(engineer.id)  # sorted by start
    starts = [d.shift.start for d in duties]
    rest = dt.timedelta(hours=rule.hours)
    found = []
    for a in duties:
        k = bisect.bisect_left(starts, a.shift.end)
        while k < len(duties) and duties[k].shift.start < a.shift.end + rest:
            b = duties[k]
            gap = (b.shift.start - a.shift.end).total_seconds() / 3600
            found.append(
                Breach(
                    1,
                    f"{engineer.id} rests {_hours(round(gap, 2))} between {a.shift.id} (ends "
                    f"{ctx.local(engineer.id, a.shift.end)}) and {b.shift.id} (starts "
                    f"{ctx.local(engineer.id, b.shift.start)}), below {_hours(rule.hours)}",
                    b.shift.shift.date,
                )
            )
            k += 1
    return found


def forbidden_succession(
    rule: ForbiddenSuccession, engineer: Engineer, team: Team, ctx: Context
) -> list[Breach]:
    """Each held pair: a `first` shift in slot k, a `then` shift in slot k + 1, same rotation."""
    rotations = [r for r in team.rotations if rule.rotation in (None, r.id)]
    found = []
    for rotation in rotations:
        by_slot: dict[int, list[Duty]] = {}
        for d in ctx.duties_of(engineer.id):
            if d.shift.rotation.id == rotation.id:
                by_slot.setdefault(d.shift.shift.slot, []).append(d)
        for slot, held in sorted(by_slot.items()):
            for a in held:
                if a.shift.shift.shift_type != rule.first:
                    continue
                for b in by_slot.get(slot + 1, []):
                    if b.shift.shift.shift_type == rule.then:
                        found.append(
                            Breach(
                                1,
                                f"{engineer.id} holds {a.shift.id} ({rule.first}) then "
                                f"{b.shift.id} ({rule.then}) on the next "
                                f"{_slot_word(rotation)}",
                                b.shift.shift.date,
                            )
                        )
    return found


def max_weekends(rule: MaxWeekends, engineer: Engineer, team: Team, ctx: Context) -> list[Breach]:
    """Each weekend touched by a duty beyond `max` (engineer's zone)."""
    touched: set[dt.date] = set()
    for d in ctx.duties_of(engineer.id):
        touched |= ctx.facts(engineer.id, d.shift).weekends
    if len(touched) <= rule.max:
        return []
    saturdays = sorted(touched)
    return [
        Breach(
            len(saturdays) - rule.max,
            f"{engineer.id} has duty on {_plural(len(saturdays), 'weekend')} (Saturdays "
            f"{', '.join(map(str, saturdays))}), above the maximum of {rule.max}",
            saturdays[rule.max],
        )
    ]


def max_holidays(rule: MaxHolidays, engineer: Engineer, team: Team, ctx: Context) -> list[Breach]:
    """Each holiday touched by a duty beyond `max` (engineer's zone)."""
    touched: set[dt.date] = set()
    for d in ctx.duties_of(engineer.id):
        touched |= ctx.facts(engineer.id, d.shift).holidays
    if len(touched) <= rule.max:
        return []
    days = sorted(touched)
    return [
        Breach(
            len(days) - rule.max,
            f"{engineer.id} has duty on {_plural(len(days), 'holiday')} "
            f"({', '.join(map(str, days))}), above the maximum of {rule.max}",
            days[rule.max],
        )
    ]


RULES: dict[str, Callable[..., list[Breach]]] = {
    "shifts": shifts,
    "hours": hours,
    "max_consecutive": max_consecutive,
    "min_consecutive": min_consecutive,
    "min_consecutive_off": min_consecutive_off,
    "min_rest": min_rest,
    "forbidden_succession": forbidden_succession,
    "max_weekends": max_weekends,
    "max_holidays": max_holidays,
}

UNITS = {
    "shifts": "shifts",
    "hours": "minutes",
    "max_consecutive": "slots",
    "min_consecutive": "slots",
    "min_consecutive_off": "slots",
    "min_rest": "shift pairs",
    "forbidden_succession": "shift pairs",
    "max_weekends": "weekends",
    "max_holidays": "holidays",
}


def bound(rule: object, team: Team) -> list[Engineer]:
    """The engineers a rule binds: those it lists, or the whole team."""
    listed = getattr(rule, "engineers", None)
    if listed is None:
        return list(team.engineers)
    wanted = set(listed)
    return [e for e in team.engineers if e.id in wanted]


def label(index: int, rule: object) -> str:
    """'rule 1 (shifts)' or 'rule 0 "a week off" (min_rest)', for messages."""
    name = getattr(rule, "id", None)
    kind = getattr(rule, "rule", "?")
    return f'rule {index} "{name}" ({kind})' if name else f"rule {index} ({kind})"


def term_name(index: int, rule: object) -> str:
    """rule:<index>:<id or rule>, the objective term of a soft rule."""
    return f"rule:{index}:{getattr(rule, 'id', None) or getattr(rule, 'rule', '?')}"
