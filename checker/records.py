"""Record checks: each assignment must name a real shift, engineer and role that belong together.

A record that cannot be attributed (unknown shift, engineer or role, or an engineer of another
team) is reported and left out of everything else; a record whose copied fields (team, rotation,
shift type, start, end) disagree with its shift is reported and judged on the shift's own values;
a repeated (shift, role, engineer) is reported and counted once.
"""

from __future__ import annotations

import datetime as dt

from rotasat.models.solution import Assignment, Violation

from .context import Context, Held

RULE = "record"


def _listing(values: list[str]) -> str:
    return ", ".join(repr(v) for v in values) or "(none)"


def check_records(
    ctx: Context, assignments: list[Assignment]
) -> tuple[list[Held], list[Violation]]:
    """The well-formed records, and a violation for every problem with a record."""
    kept: list[Held] = []
    problems: list[Violation] = []
    first_seen: dict[tuple[str, str, str], int] = {}

    def report(index: int, message: str, a: Assignment, date: dt.date | None = None) -> None:
        problems.append(
            Violation(
                rule=RULE,
                message=f"record {index}: {message}",
                team=a.team,
                engineer=a.engineer,
                date=date,
            )
        )

    for index, a in enumerate(assignments):
        timed = ctx.shifts.get(a.shift)
        if timed is None:
            report(index, f"unknown shift {a.shift!r} (held by {a.engineer} as {a.role})", a)
            continue
        shift, rotation = timed.shift, timed.rotation
        what = f"{a.shift} ({a.role})"
        if a.engineer not in ctx.engineers:
            report(index, f"unknown engineer {a.engineer!r} holds {what}", a, shift.date)
            continue
        engineer, team = ctx.engineers[a.engineer]
        role = next((r for r in rotation.roles if r.id == a.role), None)
        if role is None:
            team = ctx.instance.team(shift.team)
            team_roles = {r.id for rot in team.rotations for r in rot.roles}
            kind = "a role of another rotation" if a.role in team_roles else "an unknown role"
            report(
                index,
                f"{a.engineer} holds {a.shift} as {a.role!r}, {kind}: rotation {rotation.id} has "
                f"roles {_listing([r.id for r in rotation.roles])}",
                a,
                shift.date,
            )
            continue
        if team.id != shift.team:
            report(
                index,
                f"{a.engineer} of team {team.id!r} holds {what} of team {shift.team!r}",
                a,
                shift.date,
            )
            continue
        copied = {"team": shift.team, "rotation": shift.rotation, "shift_type": shift.shift_type}
        for name, expected in copied.items():
            if getattr(a, name) != expected:
                report(
                    index,
                    f"{a.engineer} holds {what} with {name} {getattr(a, name)!r}, but the shift's "
                    f"{name} is {expected!r}",
                    a,
                    shift.date,
                )
        # Compare instants, not wall-clock readings: any offset naming the same instant is right.
        if a.start != timed.start or a.end != timed.end:
            report(
                index,
                f"{a.engineer} holds {what} from {a.start.isoformat()} to {a.end.isoformat()}, "
                f"but the shift runs from {shift.start.isoformat()} to {shift.end.isoformat()}",
                a,
                shift.date,
            )
        key = (a.shift, a.role, a.engineer)
        if key in first_seen:
            again = f"{a.engineer} holds {what} again (as in record {first_seen[key]})"
            report(index, again, a, shift.date)
            continue
        first_seen[key] = index
        kept.append(Held(shift=timed, role=role, engineer=engineer, team=team))
    return kept, problems
