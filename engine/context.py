"""The state shared while one team's model is built, and small modelling helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from .data import TeamData
from .slack import Slacks
from .variables import Literal, Variables

Expr = cp_model.LinearExprT


@dataclass
class Guards:
    """Assumption literals that switch groups of hard constraints on, for explaining
    infeasibility. When `active` is False every guard is empty and constraints are plain."""

    model: cp_model.CpModel
    active: bool = False
    literals: dict[tuple[object, ...], Literal] = field(default_factory=dict)
    descriptions: dict[int, tuple[tuple[object, ...], str]] = field(default_factory=dict)

    def __call__(self, key: tuple[object, ...], description: str) -> list[Literal]:
        if not self.active:
            return []
        if key not in self.literals:
            literal = self.model.new_bool_var(f"assume|{key}")
            self.literals[key] = literal
            self.descriptions[literal.index] = (key, description)
        return [self.literals[key]]


@dataclass
class Context:
    model: cp_model.CpModel
    data: TeamData
    vars: Variables
    guard: Guards
    slacks: Slacks
    memo: dict[tuple[object, ...], Any] = field(default_factory=dict)  # shared by rule families

    def at_most_one(self, literals: Sequence[Literal], enforce: list[Literal]) -> None:
        if len(literals) < 2:
            return
        if enforce:  # AtMostOne takes no enforcement literal; the linear form does
            self.model.add(sum(literals) <= 1).only_enforce_if(enforce)
        else:
            self.model.add_at_most_one(literals)

    def excess(self, expr: Expr, limit: int, upper: int, name: str) -> cp_model.IntVar:
        """At least max(0, expr - limit); reported exactly (see slack.py)."""
        return self.slacks.excess(expr, limit, upper, name)

    def shortfall(self, expr: Expr, limit: int, name: str) -> cp_model.IntVar:
        """At least max(0, limit - expr); reported exactly (see slack.py)."""
        return self.slacks.shortfall(expr, limit, name)

    def all_of(self, literals: Sequence[Literal], name: str) -> Literal:
        """A literal equal to the conjunction of `literals` in every solution."""
        both = self.model.new_bool_var(name)
        for literal in literals:
            self.model.add_implication(both, literal)
        self.model.add_bool_or([both, *[~literal for literal in literals]])
        return both
