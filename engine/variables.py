"""Decision variables of one team's model, in typed containers."""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from .data import TeamData

Literal = cp_model.IntVar  # a Boolean variable (CP-SAT has no separate type)


@dataclass
class Variables:
    """`assign[s, r, e]`: engineer e holds role r on shift s (only for eligible triples).
    `hold[s, e]`: engineer e holds some role on shift s."""

    assign: dict[tuple[int, int, int], Literal] = field(default_factory=dict)
    hold: dict[tuple[int, int], Literal] = field(default_factory=dict)
    load: dict[int, cp_model.LinearExpr] = field(default_factory=dict)  # e -> total load points

    def held(self, s: int, e: int) -> Literal | int:
        """The hold literal, or 0 when e can never hold s."""
        return self.hold.get((s, e), 0)

    def by_role(self, s: int, r: int, engineers: list[int]) -> list[Literal]:
        return [self.assign[s, r, e] for e in engineers if (s, r, e) in self.assign]


def make_variables(model: cp_model.CpModel, data: TeamData) -> Variables:
    v = Variables()
    roles_of: dict[tuple[int, int], list[Literal]] = {}
    for (s, r), engineers in data.eligible.items():
        shift = data.shifts[s]
        role = data.roles(s)[r]
        for e in engineers:
            literal = model.new_bool_var(f"{shift.id}|{role.id}|{data.engineers[e].id}")
            v.assign[s, r, e] = literal
            roles_of.setdefault((s, e), []).append(literal)
    for (s, e), literals in roles_of.items():
        if len(literals) == 1:
            v.hold[s, e] = literals[0]
        else:
            hold = model.new_bool_var(f"{data.shifts[s].id}|hold|{data.engineers[e].id}")
            # max, not sum: "one role per shift" is the clash family's job (and is explained)
            model.add_max_equality(hold, literals)
            v.hold[s, e] = hold
    for e in range(len(data.engineers)):
        v.load[e] = data.history_points[e] + cp_model.LinearExpr.weighted_sum(
            [v.hold[s, e] for s in data.holdable(e)],
            [data.burden[s, e].points for s in data.holdable(e)],
        )
    return v
