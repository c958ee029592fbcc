"""The schedule as a planner reads it: one compact table per rotation.

Daily and window patterns are laid out as a calendar, one row per week and a column per weekday,
each day cell listing who holds each role (a 91-day quarter is 13 rows). Weekly and custom
patterns have few, long turns, so they are listed turn by turn with the holidays a turn covers and
who is away during it. Weekend columns are dimmed, holidays are marked `H`, an unfilled role is
`-`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator
from zoneinfo import ZoneInfo

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rotasat.models import Instance, Rotation, Shift, Solution, Team, rotation_shifts
from rotasat.models.instance import Custom, Daily, Weekly, Windows

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_CELL_LINES = 4  # beyond this many (shift type, role) lines a day, roles share a line
MAX_NAME = 10  # longer engineer ids are shortened in calendars, with a legend
UNFILLED = "-"

Holders = dict[tuple[str, str], list[str]]  # (shift id, role id) -> engineer ids


def schedule(instance: Instance, solution: Solution) -> Iterator[RenderableType]:
    """One renderable per rotation of every team, in instance order."""
    holders: Holders = defaultdict(list)
    for a in solution.assignments:
        holders[a.shift, a.role].append(a.engineer)
    for team in instance.teams:
        for rotation in team.rotations:
            shifts = rotation_shifts(team, rotation, instance.horizon.start, instance.horizon.days)
            if isinstance(rotation.pattern, Daily | Windows):
                yield week_grid(instance, team, rotation, shifts, holders)
            else:
                yield turn_list(instance, team, rotation, shifts, holders)


def describe_pattern(rotation: Rotation) -> str:
    """E.g. 'weekly, hand-off mon 09:00 Europe/London'."""
    p = rotation.pattern
    if isinstance(p, Weekly):
        return f"weekly, hand-off {p.handoff_day} {p.handoff:%H:%M} {rotation.timezone}"
    if isinstance(p, Daily):
        return f"daily, hand-off {p.handoff:%H:%M} {rotation.timezone}"
    if isinstance(p, Custom):
        return f"turns of {p.length_hours} h from {p.handoff:%H:%M} {rotation.timezone}"
    windows = ", ".join(
        f"{w.name} {w.start.strftime('%H:%M')} {w.hours:g} h {w.timezone or rotation.timezone}"
        for w in p.windows
    )
    return f"daily windows: {windows}"


def _heading(team: Team, rotation: Rotation) -> Text:
    """The line above a rotation's table."""
    name = f" ({rotation.name})" if rotation.name else ""
    text = Text(f"\n{team.id} / {rotation.id}{name}: ", style="bold")
    text.append(describe_pattern(rotation), style="default")
    return text


def _names(ids: list[str], short: dict[str, str] | None = None) -> str:
    if not ids:
        return UNFILLED
    return "+".join((short or {}).get(i, i) for i in ids)


def short_names(ids: list[str]) -> dict[str, str]:
    """Readable unique short forms of long ids: 'amelia.hughes' -> 'amelia', or 'quinn.b' when
    another 'quinn.' is present. Ids of MAX_NAME characters or fewer are kept as they are."""
    if all(len(i) <= MAX_NAME for i in ids):
        return {}
    short: dict[str, str] = {}
    for eid in ids:
        word = re.split(r"[._\-@+: ]", eid, maxsplit=1)[0] or eid
        for length in range(len(word), len(eid) + 1):
            candidate = eid[:length]
            if candidate.endswith((".", "_", "-", "@", "+", ":")):
                continue
            if not any(o != eid and o.startswith(candidate) for o in ids):
                break
        else:
            candidate = eid
        if candidate != eid:
            short[eid] = candidate
    return short


def _leave_in(team: Team, rotation: Rotation, first: dt.date, last: dt.date) -> list[str]:
    """'carol 11-15 Jan' for every leave of a rotation member that touches [first, last]."""
    found = []
    for engineer in team.rotation_engineers(rotation):
        for away in engineer.unavailability:
            if away.start <= last and away.end >= first:
                span = (
                    _day(away.start)
                    if away.start == away.end
                    else f"{_day(away.start)} - {_day(away.end)}"
                )
                found.append(f"{engineer.id} {span} ({away.kind})")
    return found


def _day(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def _holidays_in(instance: Instance, first: dt.date, last: dt.date) -> list[str]:
    dates = instance.holiday_dates
    return [f"{_day(day)} {name}" for day, name in dates.items() if first <= day <= last]


def week_grid(
    instance: Instance,
    team: Team,
    rotation: Rotation,
    shifts: list[Shift],
    holders: Holders,
) -> RenderableType:
    """A calendar: one row per week, a column per weekday, who holds each role on each day."""
    types = rotation.shift_types
    roles = [r.id for r in rotation.roles]
    by_day: dict[dt.date, dict[str, Shift]] = defaultdict(dict)
    for shift in shifts:
        by_day[shift.date][shift.shift_type] = shift
    per_role = len(types) * len(roles) <= MAX_CELL_LINES
    if per_role:
        lines = [(t, [r]) for t in types for r in roles]
        labels = [r if len(types) == 1 else f"{t} {r}" for t, [r] in lines]
    else:
        lines = [(t, roles) for t in types]
        labels = [f"{t} {'/'.join(roles)}" for t in types]

    horizon = instance.horizon
    holidays = instance.holiday_dates
    short = short_names([e.id for e in team.rotation_engineers(rotation)])
    table = Table(show_lines=True)
    table.add_column("week", no_wrap=True, min_width=max(len(x) for x in [*labels, "week"]))
    for name in DAYS:
        weekend = name in ("Sat", "Sun")
        table.add_column(name, no_wrap=True, overflow="ellipsis", style="dim" if weekend else None)
    monday = horizon.start - dt.timedelta(days=horizon.start.weekday())
    while monday < horizon.end:
        row: list[RenderableType] = [Text("\n".join([f"{monday:%d %b}", *labels]))]
        for k in range(7):
            day = monday + dt.timedelta(days=k)
            if not horizon.start <= day < horizon.end:
                row.append(Text(""))
                continue
            head = f"{day.day}" + (" H" if day in holidays else "")
            cell = [head]
            for shift_type, line_roles in lines:
                shift = by_day[day].get(shift_type)
                if shift is None:
                    cell.append("")
                else:
                    cell.append("/".join(_names(holders[shift.id, r], short) for r in line_roles))
            text = Text("\n".join(cell))
            if day in holidays:
                text.stylize("bold red", 0, len(head))
            row.append(text)
        table.add_row(*row)
        monday += dt.timedelta(days=7)
    return Group(_heading(team, rotation), table, *_notes(instance, team, rotation, short))


def _notes(
    instance: Instance, team: Team, rotation: Rotation, short: dict[str, str]
) -> list[Text]:
    """The legend under a calendar: short names, holidays, leave."""
    first, last = instance.horizon.start, instance.horizon.end - dt.timedelta(days=1)
    notes = []
    if short:
        legend = ", ".join(f"{alias} = {eid}" for eid, alias in short.items())
        notes.append(Text("names: " + legend, style="dim"))
    holidays = _holidays_in(instance, first, last)
    if holidays:
        notes.append(Text("H = public holiday: " + "; ".join(holidays), style="red"))
    away = _leave_in(team, rotation, first, last)
    if away:
        notes.append(Text("away: " + "; ".join(away), style="dim"))
    return notes


def turn_list(
    instance: Instance,
    team: Team,
    rotation: Rotation,
    shifts: list[Shift],
    holders: Holders,
) -> RenderableType:
    """One row per turn: when it runs, who holds each role, and what falls within it."""
    zone = ZoneInfo(rotation.timezone)
    roles = [r.id for r in rotation.roles]
    table = Table()
    table.add_column("#", justify="right")
    table.add_column("from", no_wrap=True)
    table.add_column("to", no_wrap=True)
    for role in roles:
        table.add_column(role)
    table.add_column("holidays, away", style="dim")
    for shift in sorted(shifts, key=lambda s: s.start):
        start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
        last = (end - dt.timedelta(microseconds=1)).date()
        notes = [f"H {h}" for h in _holidays_in(instance, start.date(), last)]
        notes += _leave_in(team, rotation, start.date(), last)
        table.add_row(
            str(shift.slot + 1),
            f"{start:%a %d %b %H:%M}",
            f"{end:%a %d %b %H:%M}",
            *(_names(holders[shift.id, r]) for r in roles),
            "; ".join(notes),
        )
    return Group(_heading(team, rotation), table)
