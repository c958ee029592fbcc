"""The always-hard rules of docs/semantics.md: coverage, one duty at a time, rotation membership,
role eligibility, required skills, leave and working hours.

Each check reads the well-formed records in the context and returns planner-readable violations.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from rotasat.models.instance import WEEKDAYS, Engineer, Unavailability
from rotasat.models.solution import Violation

from .context import Context, Held
from .load import local_midnight, overlaps


def _hm(moment: dt.time) -> str:
    return moment.strftime("%H:%M")


def coverage(ctx: Context) -> list[Violation]:
    """Per shift and role: no fewer than the shift's head count unless under-staffing has a
    weight, no more unless over-staffing has one, and then no more than max_head_count when
    given."""
    found: list[Violation] = []
    for team in ctx.instance.teams:
        for rotation in team.rotations:
            for timed in ctx.rotation_shifts[rotation.id]:
                for role in rotation.roles:
                    names = ctx.staffing.get((timed.id, role.id), [])
                    n = len(names)
                    wanted = ctx.wanted[timed.id, role.id]
                    who = f" ({', '.join(names)})" if names else ""
                    problem = None
                    if n < wanted and role.understaff_weight is None:
                        problem = (
                            f"{timed.id} has {n} {role.id}{who}, below the head count of "
                            f"{wanted} (under-staffing is not allowed for this role)"
                        )
                    elif n > wanted and role.overstaff_weight is None:
                        problem = (
                            f"{timed.id} has {n} {role.id}{who}, above the head count of "
                            f"{wanted} (over-staffing is not allowed for this role)"
                        )
                    elif (
                        role.overstaff_weight is not None
                        and role.max_head_count is not None
                        and n > role.max_head_count
                    ):
                        problem = (
                            f"{timed.id} has {n} {role.id}{who}, above the maximum head count of "
                            f"{role.max_head_count}"
                        )
                    if problem:
                        found.append(
                            Violation(
                                rule="coverage",
                                message=problem,
                                team=team.id,
                                date=timed.shift.date,
                            )
                        )
    return found


def one_duty_at_a_time(ctx: Context) -> list[Violation]:
    """One role per shift, and no two held shifts whose intervals overlap (any rotations)."""
    found: list[Violation] = []
    for engineer, duties in ctx.duties.items():
        team = ctx.engineers[engineer][1].id
        for duty in duties:
            if len(duty.roles) > 1:
                found.append(
                    Violation(
                        rule="one_duty_at_a_time",
                        message=(
                            f"{engineer} holds {duty.shift.id} in {len(duty.roles)} roles "
                            f"({', '.join(duty.roles)}): one role per shift"
                        ),
                        team=team,
                        engineer=engineer,
                        date=duty.shift.shift.date,
                    )
                )
        # Sorted by start: the shifts overlapping duties[i] from later on are the ones that
        # start before it ends.
        for i, a in enumerate(duties):
            for b in duties[i + 1 :]:
                if b.shift.start >= a.shift.end:
                    break
                found.append(
                    Violation(
                        rule="one_duty_at_a_time",
                        message=(
                            f"{engineer} holds {a.shift.id} and {b.shift.id}, which overlap from "
                            f"{ctx.local(engineer, b.shift.start)} to "
                            f"{ctx.local(engineer, min(a.shift.end, b.shift.end))} "
                            f"({ctx.zones[engineer].key})"
                        ),
                        team=team,
                        engineer=engineer,
                        date=b.shift.shift.date,
                    )
                )
    return found


def _violation(rule: str, h: Held, problem: str) -> Violation:
    return Violation(
        rule=rule,
        message=f"{h.engineer.id} holds {h.shift.id} ({h.role.id}) but {problem}",
        team=h.team.id,
        engineer=h.engineer.id,
        date=h.shift.shift.date,
    )


def rotation_membership(ctx: Context, h: Held) -> list[Violation]:
    """Only the rotation's engineers (the whole team when it lists none)."""
    members = h.shift.rotation.engineers
    if members is None or h.engineer.id in members:
        return []
    return [
        _violation(
            "rotation_membership",
            h,
            f"is not on rotation {h.shift.rotation.id} (its engineers: {', '.join(members)})",
        )
    ]


def role_eligibility(ctx: Context, h: Held) -> list[Violation]:
    """Only engineers whose `roles` is null or lists the role."""
    allowed = h.engineer.roles
    if allowed is None or h.role.id in allowed:
        return []
    return [
        _violation("role_eligibility", h, f"may take only {', '.join(allowed) or 'no role'}")
    ]


def required_skills(ctx: Context, h: Held) -> list[Violation]:
    """Each of the role's required skills at its level or above."""
    short = []
    for skill, level in h.role.required_skills.items():
        have = h.engineer.skills.get(skill, 0)
        if have < level:
            held = f"has {skill} at level {have}" if have else f"lacks {skill}"
            short.append(f"{held} ({h.role.id} requires level {level})")
    if not short:
        return []
    return [_violation("required_skills", h, "; ".join(short))]


def leaves_overlapping(
    engineer: Engineer, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[Unavailability]:
    """The engineer's leaves, each [start 00:00, end + 1 day 00:00) in `zone`, that overlap
    [start, end)."""
    return [
        away
        for away in engineer.unavailability
        if overlaps(
            start,
            end,
            local_midnight(away.start, zone),
            local_midnight(away.end + dt.timedelta(days=1), zone),
        )
    ]


def leave(ctx: Context, h: Held) -> list[Violation]:
    """No shift overlapping [start 00:00, end + 1 day 00:00) of a leave, in the engineer's zone."""
    zone = ctx.zones[h.engineer.id]
    found = []
    for away in leaves_overlapping(h.engineer, zone, h.shift.start, h.shift.end):
        days = f"{away.start}" if away.start == away.end else f"{away.start} to {away.end}"
        found.append(_violation("leave", h, f"is on leave ({away.kind}) {days}"))
    return found


def outside_working_hours(
    engineer: Engineer, zone: ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[str]:
    """Why [start, end) is not within one working day's working hours in `zone` (empty: it is)."""
    start, end = start.astimezone(zone), end.astimezone(zone)
    hours = engineer.working_hours
    reasons = []
    if start.date() != end.date():
        reasons.append("it ends on another day")
    if WEEKDAYS[start.weekday()] not in engineer.working_days:
        reasons.append(f"{WEEKDAYS[start.weekday()]} is not a working day")
    if start.time() < hours.start:
        reasons.append(f"it starts at {_hm(start.time())}, before {_hm(hours.start)}")
    if end.time() > hours.end:
        reasons.append(f"it ends at {_hm(end.time())}, after {_hm(hours.end)}")
    return reasons


def working_hours(ctx: Context, h: Held) -> list[Violation]:
    """With `within_working_hours`: the shift lies within one working day's working hours, in
    the engineer's zone."""
    if not h.shift.rotation.within_working_hours:
        return []
    zone = ctx.zones[h.engineer.id]
    reasons = outside_working_hours(h.engineer, zone, h.shift.start, h.shift.end)
    if not reasons:
        return []
    start, end = h.shift.start.astimezone(zone), h.shift.end.astimezone(zone)
    hours = h.engineer.working_hours
    span = f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} {zone.key}"
    return [
        _violation(
            "working_hours",
            h,
            f"it runs {span}, outside working hours {_hm(hours.start)}-{_hm(hours.end)} "
            f"{','.join(h.engineer.working_days)}: {'; '.join(reasons)}",
        )
    ]


PER_RECORD = (rotation_membership, role_eligibility, required_skills, leave, working_hours)


def hard_violations(ctx: Context) -> list[Violation]:
    """Every always-hard rule, in the order of the contract's table."""
    found = coverage(ctx) + one_duty_at_a_time(ctx)
    per_record: list[Violation] = []
    for check in PER_RECORD:
        for h in ctx.held:
            per_record.extend(check(ctx, h))
    return found + per_record
