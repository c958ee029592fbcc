"""Index maps computed once per team, so the model builders only iterate.

Everything here is plain Python over the instance: which engineer may take which (shift, role),
what each shift costs each engineer in load points, which weekends and holidays it touches, and
which shifts clash in time. The rules' meaning is in docs/semantics.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from zoneinfo import ZoneInfo

from rotasat.models import Engineer, Instance, Rotation, Shift, Team, team_shifts
from rotasat.models.instance import (
    WEEKDAYS,
    HeadCount,
    ObjectiveWeights,
    Preference,
    Role,
    ShiftWeights,
    Unavailability,
)

QUARTER = dt.timedelta(minutes=15)
UTC = dt.UTC


@dataclass(frozen=True)
class Burden:
    """What one shift means to one engineer (in the engineer's zone)."""

    points: int  # load in tenths of a weighted hour
    night_minutes: float
    weekends: tuple[dt.date, ...]  # Saturdays of the weekends touched
    holidays: tuple[dt.date, ...]  # holiday dates touched


@dataclass(frozen=True)
class Exclusion:
    """Why an engineer may not take a (shift, role): used to explain infeasibility."""

    engineer: str
    reason: str  # "role", "skill", "leave", "hours", "rotation"
    detail: str


@dataclass
class TeamData:
    instance: Instance
    team: Team
    weights: ObjectiveWeights
    shifts: list[Shift]
    rotation_of: dict[str, Rotation]
    engineers: list[Engineer]
    # (shift index, role index within the rotation) -> eligible engineer indices
    eligible: dict[tuple[int, int], list[int]]
    exclusions: dict[tuple[int, int], list[Exclusion]]
    # (shift index, engineer index) -> burden, for every shift an engineer may hold
    burden: dict[tuple[int, int], Burden]
    fairness_group: list[int]
    history_points: list[int]
    clashes: list[list[int]]  # maximal sets of mutually overlapping shifts
    slots: dict[str, list[list[int]]] = field(default_factory=dict)  # rotation -> slot -> shifts
    # (shift index, role index) -> engineers wanted: the role's head count on that shift
    needs: dict[tuple[int, int], int] = field(default_factory=dict)

    def roles(self, s: int) -> list[Role]:
        return self.rotation_of[self.shifts[s].rotation].roles

    def head_count(self, s: int, r: int) -> int:
        """Engineers role r wants on shift s (its first matching head_counts entry, else its
        head_count): the one place the engine reads a head count."""
        return self.needs[s, r]

    def covering(self, rotation: str, moment: dt.datetime) -> list[int]:
        """Shifts of `rotation` under way at `moment` (start <= moment < end), earliest first."""
        found = [s for s in self._by_rotation.get(rotation, [])
                 if self.shifts[s].start <= moment < self.shifts[s].end]
        return sorted(found, key=lambda s: (self.shifts[s].start, s))

    def assigns_of(self, e: int) -> list[tuple[int, int]]:
        """(shift, role) pairs engineer e is eligible for."""
        return self._assigns[e]

    def holdable(self, e: int) -> list[int]:
        """Shift indices engineer e may hold in some role, in time order."""
        return self._holdable[e]

    def preferred(self, pref: Preference) -> list[int]:
        """Shift indices `pref` matches (preference_matches), looking only at its dates' shifts
        when it names dates and no weekdays."""
        if pref.dates and not pref.weekdays:
            candidates = sorted({s for day in pref.dates for s in self._on_date.get(day, [])})
        else:
            candidates = list(range(len(self.shifts)))
        return [s for s in candidates if preference_matches(pref, self.shifts[s])]

    def __post_init__(self) -> None:
        by_engineer: dict[int, set[int]] = defaultdict(set)
        self._assigns: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (s, r), engineers in self.eligible.items():
            for e in engineers:
                by_engineer[e].add(s)
                self._assigns[e].append((s, r))
        self._by_rotation: dict[str, list[int]] = defaultdict(list)
        self._on_date: dict[dt.date, list[int]] = defaultdict(list)
        for s, shift in enumerate(self.shifts):
            self._by_rotation[shift.rotation].append(s)
            self._on_date[shift.date].append(s)
        self._holdable = {
            e: sorted(by_engineer[e], key=lambda s: (self.shifts[s].start, s))
            for e in range(len(self.engineers))
        }


def build_team_data(instance: Instance, team: Team) -> TeamData:
    shifts = team_shifts(instance, team)
    rotation_of = {r.id: r for r in team.rotations}
    engineers = list(team.engineers)
    holidays = frozenset(instance.holiday_dates)
    zones = [team.zone_of(e) for e in engineers]
    leave = [_leave_intervals(e, ZoneInfo(z)) for e, z in zip(engineers, zones, strict=True)]

    eligible: dict[tuple[int, int], list[int]] = {}
    exclusions: dict[tuple[int, int], list[Exclusion]] = {}
    burden: dict[tuple[int, int], Burden] = {}
    for s, shift in enumerate(shifts):
        rotation = rotation_of[shift.rotation]
        members = {e.id for e in team.rotation_engineers(rotation)}
        for r, role in enumerate(rotation.roles):
            ok, out = [], []
            for e, engineer in enumerate(engineers):
                why = _exclusion(shift, rotation, role, engineer, zones[e], leave[e], members)
                if why is None:
                    ok.append(e)
                    if (s, e) not in burden:
                        burden[s, e] = shift_burden(
                            shift.start, shift.end, zones[e], rotation.weights, holidays
                        )
                else:
                    out.append(why)
            eligible[s, r] = ok
            exclusions[s, r] = out

    group = [
        e
        for e, engineer in enumerate(engineers)
        if any(
            engineer.id in {m.id for m in team.rotation_engineers(rotation)}
            and _role_ok(role, engineer)
            and _skills_ok(role, engineer)
            for rotation in team.rotations
            for role in rotation.roles
        )
    ]
    needs: dict[tuple[int, int], int] = {}
    for rotation in team.rotations:
        mine = [s for s, shift in enumerate(shifts) if shift.rotation == rotation.id]
        for r, role in enumerate(rotation.roles):
            counts = role_head_counts(role, [shifts[s] for s in mine])
            needs.update(((s, r), count) for s, count in zip(mine, counts, strict=True))
    slots: dict[str, list[list[int]]] = {}
    for s, shift in enumerate(shifts):
        slot_list = slots.setdefault(shift.rotation, [])
        while len(slot_list) <= shift.slot:
            slot_list.append([])
        slot_list[shift.slot].append(s)
    return TeamData(
        instance=instance,
        team=team,
        weights=instance.policy_of(team).weights,
        shifts=shifts,
        rotation_of=rotation_of,
        engineers=engineers,
        eligible=eligible,
        exclusions=exclusions,
        burden=burden,
        fairness_group=group,
        history_points=[round_half_up(Fraction(str(e.history.load_hours)) * 10) for e in engineers],
        clashes=overlap_cliques(shifts),
        slots=slots,
        needs=needs,
    )


def role_head_counts(role: Role, shifts: list[Shift]) -> list[int]:
    """The head count of `role` on each of `shifts` (of its rotation): that of the first entry
    of `role.head_counts` matching the shift, else `role.head_count`.

    Entries are grouped by (date, shift type), either possibly None, so each shift looks only at
    the four groups that can match it, earliest entry first.
    """
    groups: dict[tuple[dt.date | None, str | None], list[tuple[int, HeadCount]]] = (
        defaultdict(list)
    )
    for k, entry in enumerate(role.head_counts):
        groups[entry.date, entry.shift_type].append((k, entry))
    counts = []
    for shift in shifts:
        weekday = WEEKDAYS[shift.date.weekday()]
        first: tuple[int, int] | None = None  # (entry index, head count)
        for key in ((shift.date, shift.shift_type), (shift.date, None),
                    (None, shift.shift_type), (None, None)):
            for k, entry in groups.get(key, ()):
                if first is not None and k > first[0]:
                    break
                if not entry.weekdays or weekday in entry.weekdays:
                    first = (k, entry.head_count)
                    break
        counts.append(role.head_count if first is None else first[1])
    return counts


# --------------------------------------------------------------------------------------------
# Eligibility


def _role_ok(role: Role, engineer: Engineer) -> bool:
    return engineer.roles is None or role.id in engineer.roles


def _skills_ok(role: Role, engineer: Engineer) -> bool:
    return all(engineer.skills.get(k, 0) >= v for k, v in role.required_skills.items())


def _leave_intervals(
    engineer: Engineer, zone: ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime, Unavailability]]:
    return [
        (
            dt.datetime.combine(u.start, dt.time(), zone),
            dt.datetime.combine(u.end + dt.timedelta(days=1), dt.time(), zone),
            u,
        )
        for u in engineer.unavailability
    ]


def _exclusion(
    shift: Shift,
    rotation: Rotation,
    role: Role,
    engineer: Engineer,
    zone: str,
    leave: list[tuple[dt.datetime, dt.datetime, Unavailability]],
    members: set[str],
) -> Exclusion | None:
    if engineer.id not in members:
        return Exclusion(engineer.id, "rotation", f"{engineer.id} is not on {rotation.id}")
    if not _role_ok(role, engineer):
        return Exclusion(engineer.id, "role", f"{engineer.id} does not take the {role.id} role")
    for skill, level in role.required_skills.items():
        have = engineer.skills.get(skill, 0)
        if have < level:
            return Exclusion(
                engineer.id, "skill", f"{engineer.id} has {skill} at level {have}, needs {level}"
            )
    for begin, end, item in leave:
        if shift.start < end and begin < shift.end:
            span = item.start.isoformat()
            if item.end != item.start:
                span += f" to {item.end.isoformat()}"
            detail = f"{engineer.id} is on leave ({item.kind}) {span}"
            return Exclusion(engineer.id, "leave", detail)
    if rotation.within_working_hours and not _within_hours(shift, engineer, zone):
        return Exclusion(
            engineer.id,
            "hours",
            f"{engineer.id} works {engineer.working_hours.start:%H:%M}-"
            f"{engineer.working_hours.end:%H:%M} {zone} on {', '.join(engineer.working_days)}",
        )
    return None


def _within_hours(shift: Shift, engineer: Engineer, zone: str) -> bool:
    tz = ZoneInfo(zone)
    start = shift.start.astimezone(tz)
    end = shift.end.astimezone(tz)
    weekday = WEEKDAYS[start.weekday()]
    return (
        start.date() == end.date()
        and weekday in engineer.working_days
        and engineer.working_hours.start <= start.time()
        and end.time() <= engineer.working_hours.end
    )


# --------------------------------------------------------------------------------------------
# Load, weekends and holidays


def round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)) // 1)


@lru_cache(maxsize=200_000)
def shift_burden(
    start: dt.datetime,
    end: dt.datetime,
    zone: str,
    weights: ShiftWeights,
    holidays: frozenset[dt.date],
) -> Burden:
    """Load points, night minutes, weekends and holidays of [start, end) for someone in `zone`."""
    tz = ZoneInfo(zone)
    weekend, holiday, night = (Fraction(str(w)) for w in (weights.weekend, weights.holiday,
                                                          weights.night))
    wraps = weights.night_start > weights.night_end
    # seconds per multiplier, summed as integers; one exact product per multiplier at the end
    seconds_at: dict[Fraction, int] = defaultdict(int)
    night_seconds = 0
    one = Fraction(1)
    cursor = start.astimezone(UTC)
    finish = end.astimezone(UTC)
    while cursor < finish:
        boundary = cursor.replace(minute=cursor.minute - cursor.minute % 15, second=0,
                                  microsecond=0) + QUARTER
        piece_end = min(boundary, finish)
        seconds = int((piece_end - cursor).total_seconds())
        local = cursor.astimezone(tz)
        clock = local.time()
        in_night = (
            (clock >= weights.night_start or clock < weights.night_end)
            if wraps
            else weights.night_start <= clock < weights.night_end
        )
        multiplier = one
        if local.weekday() >= 5:
            multiplier = max(multiplier, weekend)
        if local.date() in holidays:
            multiplier = max(multiplier, holiday)
        if in_night:
            multiplier = max(multiplier, night)
            night_seconds += seconds
        seconds_at[multiplier] += seconds
        cursor = piece_end
    weighted = sum((m * secs for m, secs in seconds_at.items()), Fraction(0))
    points = round_half_up(weighted / 60 / 6)
    return Burden(
        points=points,
        night_minutes=night_seconds / 60,
        weekends=_weekends_touched(start, end, tz),
        holidays=tuple(sorted(d for d in _dates_touched(start, end, tz) if d in holidays)),
    )


def _dates_touched(start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> list[dt.date]:
    first = start.astimezone(tz).date()
    last = (end.astimezone(tz) - dt.timedelta(microseconds=1)).date()
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _weekends_touched(start: dt.datetime, end: dt.datetime, tz: ZoneInfo) -> tuple[dt.date, ...]:
    saturdays = {
        d - dt.timedelta(days=d.weekday() - 5) for d in _dates_touched(start, end, tz)
        if d.weekday() >= 5
    }
    return tuple(sorted(saturdays))


# --------------------------------------------------------------------------------------------
# Time clashes


def overlap_cliques(shifts: list[Shift]) -> list[list[int]]:
    """Maximal groups of shifts that all overlap one instant (an interval graph's cliques).

    Every maximal clique of intervals contains the latest start among its members, so sweeping
    the starts in order and keeping each group not contained in the next one finds them all.
    Each shift lies in at least one group, which also carries "one role per shift".
    """
    order = sorted(range(len(shifts)), key=lambda s: shifts[s].start)
    groups: list[list[int]] = []
    active: list[int] = []
    position = 0
    while position < len(order):
        instant = shifts[order[position]].start
        while position < len(order) and shifts[order[position]].start == instant:
            active.append(order[position])
            position += 1
        active = [t for t in active if shifts[t].end > instant]
        if groups and set(groups[-1]) <= set(active):
            groups[-1] = list(active)
        else:
            groups.append(list(active))
    return groups


# --------------------------------------------------------------------------------------------
# Preferences


def preference_matches(pref: Preference, shift: Shift) -> bool:
    """Does `shift` fall under `pref` (its rotation, type, and dates or weekdays)?"""
    if pref.rotation not in (None, shift.rotation):
        return False
    if pref.shift_type not in (None, shift.shift_type):
        return False
    if not (pref.dates or pref.weekdays):
        return True
    return shift.date in pref.dates or WEEKDAYS[shift.date.weekday()] in pref.weekdays
