"""Sub-models: the part of a CP-SAT model that a few free variables touch, the rest fixed.

Re-solving a neighbourhood (a window of days) by adding holds to a copy of the whole model
makes CP-SAT load and presolve every variable each time: on benchmark Instance22 (190,071
variables, 664,000 constraints) that took 5 to 6 s a window, whatever its size. Here the model is
indexed once (which constraints each variable appears in), and a neighbourhood becomes a model
of its own: its free variables, every constraint that mentions one of them with the fixed
variables' values substituted in, and the objective's free part. Every constraint that mentions
no free variable holds already (the values are a feasible schedule), so every solution of the
sub-model, completed with the fixed values, is a solution of the whole model.

Which variables are free: the ones asked for (`seeds`, e.g. every duty of a window), and the
variables the model does not mark as decisions (auxiliaries: runs, weekends, slacks) found
within `reach` constraints of them, so that the auxiliaries around the seeds can follow them.
Auxiliaries further away keep their values: this only narrows the neighbourhood, never admits a
schedule that breaks a rule.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model
from ortools.sat.python import cp_model_helper as cmh

INT_MIN, INT_MAX = -(2**63), 2**63 - 1  # CP-SAT's infinite domain ends


def _variable(ref: int) -> int:
    return ref if ref >= 0 else -ref - 1


def _literal_value(ref: int, values: Sequence[int]) -> int:
    return values[ref] if ref >= 0 else 1 - values[-ref - 1]


def _references(constraint: cp_model_pb2.ConstraintProto) -> list[int]:
    """Every variable a constraint mentions (its enforcement literals too)."""
    kind = constraint.WhichOneof("constraint")
    refs = list(constraint.enforcement_literal)
    if kind in ("bool_or", "bool_and", "at_most_one", "exactly_one"):
        refs += getattr(constraint, kind).literals
    elif kind == "linear":
        refs += constraint.linear.vars
    elif kind == "lin_max":
        refs += constraint.lin_max.target.vars
        for expression in constraint.lin_max.exprs:
            refs += expression.vars
    else:
        raise Unsupported(kind)
    return [_variable(r) for r in refs]


class Unsupported(ValueError):
    """A constraint kind this module cannot cut (the caller keeps the whole model)."""


@dataclass
class SubModel:
    """A neighbourhood's own model and how its variables map to the whole model's."""

    model: cp_model.CpModel
    free: NDArray[np.int64]  # the whole model's index of each of the sub-model's variables

    def complete(self, values: Sequence[int], found: Sequence[int]) -> list[int]:
        """Every variable's value: `values` with the free ones replaced by `found`."""
        every = np.asarray(values, dtype=np.int64).copy()
        every[self.free] = np.asarray(found, dtype=np.int64)[: len(self.free)]
        return [int(v) for v in every]


class Neighbourhoods:
    """A model indexed by variable, to cut sub-models out of it (module docstring).

    `decisions` marks the variables that are free only when asked for (the duties); the others
    follow the seeds within `reach` constraints.
    """

    def __init__(self, model: cp_model.CpModel, decisions: Iterable[int]) -> None:
        # The proto through protobuf's own parser: reading 664,000 constraints field by field
        # through the model's live proto was twice as slow
        handle, path = tempfile.mkstemp(suffix=".pb")
        os.close(handle)
        try:
            model.export_to_file(path)
            proto = cp_model_pb2.CpModelProto()
            with open(path, "rb") as f:
                proto.ParseFromString(f.read())
        finally:
            os.unlink(path)
        self.proto = proto
        size = len(proto.variables)
        self.decision = np.zeros(size, dtype=bool)
        self.decision[list(decisions)] = True
        owners: list[NDArray[np.int64]] = []
        members: list[NDArray[np.int64]] = []
        for c, constraint in enumerate(proto.constraints):
            refs = np.unique(np.asarray(_references(constraint), dtype=np.int64))
            members.append(refs)
            owners.append(np.full(len(refs), c, dtype=np.int64))
        flat_vars = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
        flat_owners = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
        order = np.argsort(flat_vars, kind="stable")
        self._by_variable = flat_owners[order]  # constraints, grouped by variable
        self._starts = np.searchsorted(flat_vars[order], np.arange(size + 1))
        self._members = members  # variables, per constraint
        objective = proto.objective
        self._objective = dict(zip(objective.vars, objective.coeffs, strict=True))

    def _constraints_of(self, variables: NDArray[np.int64]) -> NDArray[np.int64]:
        if len(variables) == 0:
            return np.zeros(0, dtype=np.int64)
        starts, ends = self._starts[variables], self._starts[variables + 1]
        pieces = [self._by_variable[s:e] for s, e in zip(starts, ends, strict=True)]
        return np.unique(np.concatenate(pieces))

    def free_variables(self, seeds: Iterable[int], reach: int) -> NDArray[np.int64]:
        """The seeds and the auxiliaries within `reach` constraints of them, sorted."""
        free = np.zeros(len(self.decision), dtype=bool)
        frontier = np.unique(np.asarray(list(seeds), dtype=np.int64))
        free[frontier] = True
        for _ in range(reach):
            touched = self._constraints_of(frontier)
            if len(touched) == 0:
                break
            near = np.unique(np.concatenate([self._members[c] for c in touched]))
            near = near[~free[near] & ~self.decision[near]]
            free[near] = True
            frontier = near
        return np.flatnonzero(free)

    def cut(self, values: Sequence[int], seeds: Iterable[int], reach: int) -> SubModel:
        """The sub-model in which `seeds` and the auxiliaries near them are free and every
        other variable keeps its value in `values` (a feasible assignment of the whole model),
        hinted with `values`."""
        free = self.free_variables(seeds, reach)
        local = {int(v): i for i, v in enumerate(free)}
        sub = cp_model.CpModel()
        target = sub.proto
        for v in free:
            variable = target.variables.add()
            variable.domain.extend(self.proto.variables[int(v)].domain)
        for c in self._constraints_of(free):
            _substitute(self.proto.constraints[int(c)], values, local, target)
        objective = [(local[v], coefficient) for v, coefficient in self._objective.items()
                     if v in local]
        if objective:
            target.objective.vars.extend([v for v, _ in objective])
            target.objective.coeffs.extend([k for _, k in objective])
        hint = target.solution_hint
        hint.vars.extend(range(len(free)))
        hint.values.extend([int(values[int(v)]) for v in free])
        return SubModel(sub, free)


def _shift(domain: Sequence[int], by: int) -> list[int]:
    """A domain's intervals moved by `by`, its infinite ends left infinite."""
    return [d if d in (INT_MIN, INT_MAX) else max(INT_MIN + 1, min(INT_MAX - 1, d + by))
            for d in domain]


def _substitute(constraint: cp_model_pb2.ConstraintProto, values: Sequence[int],
                local: dict[int, int], target: cmh.CpModelProto) -> None:
    """Add `constraint` to `target` with every variable outside `local` replaced by its value;
    nothing when it then holds whatever the free variables do."""

    def rename(ref: int) -> int:
        v = local[_variable(ref)]
        return v if ref >= 0 else -v - 1

    def is_free(ref: int) -> bool:
        return _variable(ref) in local

    enforcement = []
    for ref in constraint.enforcement_literal:
        if is_free(ref):
            enforcement.append(rename(ref))
        elif not _literal_value(ref, values):
            return  # enforced by a literal that stays false
    kind = constraint.WhichOneof("constraint")

    def add() -> cmh.ConstraintProto:
        new = target.constraints.add()
        new.enforcement_literal.extend(enforcement)
        return new

    if kind in ("bool_or", "bool_and", "at_most_one", "exactly_one"):
        literals = getattr(constraint, kind).literals
        free = [rename(r) for r in literals if is_free(r)]
        fixed_true = sum(_literal_value(r, values) for r in literals if not is_free(r))
        fixed_false = sum(1 - _literal_value(r, values) for r in literals if not is_free(r))
        if kind == "bool_or":
            if not fixed_true:
                add().bool_or.literals.extend(free)
        elif kind == "bool_and":
            if fixed_false:  # the enforcement cannot hold
                target.constraints.add().bool_or.literals.extend([-r - 1 for r in enforcement])
            elif free:
                add().bool_and.literals.extend(free)
        elif fixed_true:  # at most one or exactly one, taken already: every free one is off
            if free:
                add().bool_and.literals.extend([-r - 1 for r in free])
        elif free:
            getattr(add(), kind).literals.extend(free)
        return
    if kind == "linear":
        linear = constraint.linear
        constant = sum(k * values[v] for v, k in zip(linear.vars, linear.coeffs, strict=True)
                       if v not in local)
        terms = [(local[v], k) for v, k in zip(linear.vars, linear.coeffs, strict=True)
                 if v in local]
        if terms:
            new = add().linear
            new.vars.extend([v for v, _ in terms])
            new.coeffs.extend([k for _, k in terms])
            new.domain.extend(_shift(linear.domain, -constant))
        return
    if kind == "lin_max":
        new_max = add().lin_max
        _expression(constraint.lin_max.target, values, local, new_max.target)
        for expression in constraint.lin_max.exprs:
            _expression(expression, values, local, new_max.exprs.add())
        return
    raise Unsupported(kind)


def _expression(expression: cp_model_pb2.LinearExpressionProto, values: Sequence[int],
                local: dict[int, int], into: cmh.LinearExpressionProto
                ) -> None:
    offset = expression.offset
    for v, k in zip(expression.vars, expression.coeffs, strict=True):
        if v in local:
            into.vars.append(local[v])
            into.coeffs.append(k)
        else:
            offset += k * values[v]
    into.offset = offset
