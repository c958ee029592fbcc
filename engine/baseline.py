"""The rotation an on-call tool (PagerDuty, Opsgenie) would render from fixed rules.

A fixed order of people and a fixed turn length: each role walks down the rotation's member list
(those who may take the role), one turn per shift, the second role one step ahead of the first,
skipping whoever already holds the shift. It is blind to skills, leave, preferences, fairness and
rules; judged by the same checker, it shows what the optimiser gains.
"""

from __future__ import annotations

from rotasat.models import Assignment, Instance, rotation_shifts

from .data import role_head_counts


def fixed_order(instance: Instance) -> list[Assignment]:
    assignments = []
    for team in instance.teams:
        for rotation in team.rotations:
            members = team.rotation_engineers(rotation)
            shifts = sorted(
                rotation_shifts(team, rotation, instance.horizon.start, instance.horizon.days),
                key=lambda s: s.start,
            )
            on_shift: dict[str, set[str]] = {}
            for offset, role in enumerate(rotation.roles):
                order = [e for e in members if e.roles is None or role.id in e.roles]
                start = offset
                for shift, need in zip(shifts, role_head_counts(role, shifts), strict=True):
                    taken = on_shift.setdefault(shift.id, set())
                    # walk the order from this turn's position, skipping whoever already holds
                    # another role on the shift, as a planner setting up layers would
                    picked = [
                        e for e in (order[(start + k) % len(order)] for k in range(len(order)))
                        if e.id not in taken
                    ][:need]
                    start += need
                    for engineer in picked:
                        taken.add(engineer.id)
                        assignments.append(
                            Assignment(
                                shift=shift.id,
                                team=team.id,
                                rotation=rotation.id,
                                shift_type=shift.shift_type,
                                role=role.id,
                                engineer=engineer.id,
                                start=shift.start,
                                end=shift.end,
                            )
                        )
    return assignments
