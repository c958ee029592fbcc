"""What the checker knows before judging: the instance's shifts with UTC bounds, who is who,
and the assignment records that survived the record checks, grouped per engineer and per shift.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from rotasat.models.calendar import Shift, team_shifts
from rotasat.models.instance import WEEKDAYS, Engineer, Instance, Role, Rotation, Team

from .load import UTC, LoadTable, ShiftFacts


@dataclass(frozen=True)
class Timed:
    """A shift with its rotation and its bounds as UTC instants."""

    shift: Shift
    rotation: Rotation
    start: dt.datetime
    end: dt.datetime

    @property
    def id(self) -> str:
        return self.shift.id

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def minutes(self) -> int:
        """Whole duty minutes: the real elapsed time (23 or 25 h on clock-change days)."""
        return int(self.seconds // 60)


@dataclass(frozen=True)
class Held:
    """One well-formed record: `engineer` holds `role` on `shift`."""

    shift: Timed
    role: Role
    engineer: Engineer
    team: Team


@dataclass(frozen=True)
class Duty:
    """A shift one engineer holds, in one role (or, wrongly, several)."""

    shift: Timed
    roles: tuple[str, ...]


@dataclass
class Context:
    """Lookups over one instance, then the held records once they are added."""

    instance: Instance
    shifts: dict[str, Timed] = field(default_factory=dict)
    team_shifts: dict[str, list[Timed]] = field(default_factory=dict)
    rotation_shifts: dict[str, list[Timed]] = field(default_factory=dict)
    engineers: dict[str, tuple[Engineer, Team]] = field(default_factory=dict)
    zones: dict[str, ZoneInfo] = field(default_factory=dict)
    holidays: frozenset[dt.date] = frozenset()
    held: list[Held] = field(default_factory=list)
    duties: dict[str, list[Duty]] = field(default_factory=dict)  # engineer id -> by start
    staffing: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (shift, role)
    wanted: dict[tuple[str, str], int] = field(default_factory=dict)  # (shift, role) head count
    loads: LoadTable = field(default_factory=lambda: LoadTable(frozenset()))

    @classmethod
    def of(cls, instance: Instance) -> Context:
        ctx = cls(instance=instance, holidays=frozenset(instance.holiday_dates))
        rotations = {r.id: r for team in instance.teams for r in team.rotations}
        for team in instance.teams:
            timed = [
                Timed(s, rotations[s.rotation], s.start.astimezone(UTC), s.end.astimezone(UTC))
                for s in team_shifts(instance, team)
            ]
            ctx.team_shifts[team.id] = timed
            for rotation in team.rotations:
                ctx.rotation_shifts[rotation.id] = []
            for t in timed:
                ctx.shifts[t.id] = t
                ctx.rotation_shifts[t.rotation.id].append(t)
            for rotation in team.rotations:
                for role in rotation.roles:
                    for sid, count in head_counts(role, ctx.rotation_shifts[rotation.id]).items():
                        ctx.wanted[sid, role.id] = count
            for engineer in team.engineers:
                ctx.engineers[engineer.id] = (engineer, team)
                ctx.zones[engineer.id] = ZoneInfo(team.zone_of(engineer))
        ctx.loads = LoadTable(ctx.holidays)
        return ctx

    def add(self, held: list[Held]) -> None:
        """Take the well-formed records: group them per engineer and per (shift, role)."""
        self.held = held
        roles: dict[str, dict[str, list[str]]] = defaultdict(dict)
        staffing: dict[tuple[str, str], list[str]] = defaultdict(list)
        for h in held:
            roles[h.engineer.id].setdefault(h.shift.id, []).append(h.role.id)
            staffing[(h.shift.id, h.role.id)].append(h.engineer.id)
        self.staffing = dict(staffing)
        self.duties = {
            engineer: sorted(
                (Duty(self.shifts[sid], tuple(r)) for sid, r in by_shift.items()),
                key=lambda d: (d.shift.start, d.shift.end, d.shift.id),
            )
            for engineer, by_shift in roles.items()
        }

    def duties_of(self, engineer: str) -> list[Duty]:
        return self.duties.get(engineer, [])

    def facts(self, engineer: str, shift: Timed) -> ShiftFacts:
        """Load, night minutes, weekends and holidays of `shift` for `engineer`."""
        zone = self.zones[engineer]
        return self.loads.facts(shift.start, shift.end, zone, shift.rotation.weights)

    def local(self, engineer: str, moment: dt.datetime) -> str:
        """'2027-01-11 09:00' in the engineer's zone, for messages."""
        return moment.astimezone(self.zones[engineer]).strftime("%Y-%m-%d %H:%M")


def head_counts(role: Role, shifts: list[Timed]) -> dict[str, int]:
    """Shift id -> engineers `role` wants on it: the first entry of `role.head_counts` that
    matches the shift (date, weekday, shift type, each where given), else `role.head_count`.

    Entries are applied from the last to the first, so the first match is the one left.
    """
    wanted = {t.id: role.head_count for t in shifts}
    on_date: dict[dt.date, list[Timed]] = defaultdict(list)
    for t in shifts:
        on_date[t.shift.date].append(t)
    for entry in reversed(role.head_counts):
        for t in shifts if entry.date is None else on_date.get(entry.date, []):
            if entry.shift_type is not None and t.shift.shift_type != entry.shift_type:
                continue
            if entry.weekdays and WEEKDAYS[t.shift.date.weekday()] not in entry.weekdays:
                continue
            wanted[t.id] = entry.head_count
    return wanted


def may_hold_a_role(team: Team, engineer: Engineer) -> bool:
    """On a rotation of the team with a role the engineer may take by eligibility and required
    skills (leave and working hours ignored): the fairness group, and part of the support
    group."""
    for rotation in team.rotations:
        if rotation.engineers is not None and engineer.id not in rotation.engineers:
            continue
        for role in rotation.roles:
            eligible = engineer.roles is None or role.id in engineer.roles
            skilled = all(
                engineer.skills.get(skill, 0) >= level
                for skill, level in role.required_skills.items()
            )
            if eligible and skilled:
                return True
    return False
