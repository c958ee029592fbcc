"""The rotation an on-call tool (PagerDuty, Opsgenie) would render from fixed rules.

A fixed order of people and a fixed turn length: each role walks down the rotation's member list
(those who may take the role), one turn per shift, the second role one step ahead of the first so
the two differ. It is blind to skills, leave, preferences, fairness and rules; judged by the same
checker, it shows what the optimiser gains.
"""

from __future__ import annotations

from rotasat.models import Assignment, Instance, rotation_shifts


def fixed_order(instance: Instance) -> list[Assignment]:
    assignments = []
    for team in instance.teams:
        for rotation in team.rotations:
            members = team.rotation_engineers(rotation)
            shifts = sorted(
                rotation_shifts(team, rotation, instance.horizon.start, instance.horizon.days),
                key=lambda s: s.start,
            )
            offset = 0
            for role in rotation.roles:
                order = [e for e in members if e.roles is None or role.id in e.roles]
                if not order:
                    continue
                for turn, shift in enumerate(shifts):
                    for k in range(role.head_count):
                        engineer = order[(turn * role.head_count + offset + k) % len(order)]
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
                offset += role.head_count
    return assignments
