"""Sub-models: the part of a CP-SAT model that a few free variables touch, the rest fixed.

Re-solving a neighbourhood (a window of days) by adding holds to a copy of the whole model
makes CP-SAT load and presolve every variable each time: on benchmark Instance22 (190,071
variables, 667,000 constraints) that took 5 to 6 s a window, whatever its size. Here the model is
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


def _references(constraint: cp_model_pb2.ConstraintProto) -> list[int]:
    """Every literal or variable a constraint mentions (its enforcement literals too)."""
    kind = constraint.WhichOneof("constraint")
    if kind in ("bool_or", "bool_and", "at_most_one", "exactly_one"):
        refs = list(getattr(constraint, kind).literals)
    elif kind == "linear":
        refs = list(constraint.linear.vars)
    elif kind == "lin_max":
        refs = list(constraint.lin_max.target.vars)
        for expression in constraint.lin_max.exprs:
            refs += expression.vars
    else:
        raise Unsupported(kind)
    refs += constraint.enforcement_literal
    return refs


def _gather(starts: NDArray[np.int64], data: NDArray[np.int64], ids: NDArray[np.int64]
            ) -> NDArray[np.int64]:
    """The rows `ids` of a table stored as `data` cut at `starts`, one after the other."""
    low, lengths = starts[ids], starts[ids + 1] - starts[ids]
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    return data[np.repeat(low - ends + lengths, lengths) + np.arange(total)]


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
        return every.tolist()


class Neighbourhoods:
    """A model indexed by variable, to cut sub-models out of it (module docstring).

    `decisions` marks the variables that are free only when asked for (the duties); the others
    follow the seeds within `reach` constraints.
    """

    def __init__(self, model: cp_model.CpModel, decisions: Iterable[int]) -> None:
        # The proto through protobuf's own parser: reading 667,000 constraints field by field
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
        # every (constraint, variable) pair, then the table both ways: in bulk, since a numpy
        # call per constraint took most of the 17 s that Instance22's index first cost
        refs: list[int] = []
        counts: list[int] = []
        for constraint in proto.constraints:
            mentioned = _references(constraint)
            refs += mentioned
            counts.append(len(mentioned))
        flat = np.asarray(refs, dtype=np.int64)
        flat = np.where(flat < 0, -flat - 1, flat)
        pairs = np.unique(np.repeat(np.arange(len(counts), dtype=np.int64), counts) * size + flat)
        owners, variables = pairs // size, pairs % size  # by constraint, then variable
        self._members = variables
        self._member_starts = np.searchsorted(owners, np.arange(len(counts) + 1))
        order = np.argsort(variables, kind="stable")
        self._by_variable = owners[order]
        self._starts = np.searchsorted(variables[order], np.arange(size + 1))
        self._objective_vars = np.asarray(proto.objective.vars, dtype=np.int64)
        self._objective_coefficients = np.asarray(proto.objective.coeffs, dtype=np.int64)

    def _constraints_of(self, variables: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.unique(_gather(self._starts, self._by_variable, variables))

    def independent(self, parts: Sequence[SubModel]) -> bool:
        """Does no constraint mention free variables of two of `parts`? Then each part's
        solution can be completed into the others' (their changes meet in no constraint)."""
        touched = [self._constraints_of(part.free) for part in parts]
        return len(np.unique(np.concatenate(touched))) == sum(len(t) for t in touched)

    def free_variables(self, seeds: Iterable[int], reach: int) -> NDArray[np.int64]:
        """The seeds and the auxiliaries within `reach` constraints of them, sorted."""
        free = np.zeros(len(self.decision), dtype=bool)
        frontier = np.unique(np.asarray(list(seeds), dtype=np.int64))
        free[frontier] = True
        for _ in range(reach):
            touched = self._constraints_of(frontier)
            if len(touched) == 0:
                break
            near = np.unique(_gather(self._member_starts, self._members, touched))
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
        position = np.full(len(self.decision), -1, dtype=np.int64)  # local, for numpy
        position[free] = np.arange(len(free))
        cut = _Cut(values, local, position)
        target = cut.model.proto
        for v in free:
            target.variables.add().domain.extend(self.proto.variables[int(v)].domain)
        for c in self._constraints_of(free):
            cut.add(self.proto.constraints[int(c)])
        at = position[self._objective_vars]  # the objective's free part, in bulk
        free_terms = at >= 0
        if free_terms.any():
            target.objective.vars.extend(at[free_terms].tolist())
            target.objective.coeffs.extend(self._objective_coefficients[free_terms].tolist())
        hint = target.solution_hint
        hint.vars.extend(range(len(free)))
        hint.values.extend([int(values[int(v)]) for v in free])
        return SubModel(cut.model, free)


def _shift(domain: Sequence[int], by: int) -> list[int]:
    """A domain's intervals moved by `by`, its infinite ends left infinite."""
    return [d if d in (INT_MIN, INT_MAX) else max(INT_MIN + 1, min(INT_MAX - 1, d + by))
            for d in domain]


def _within(domain: Sequence[int], value: int) -> bool:
    """Is `value` in a domain given as its intervals' ends, one after the other?"""
    return any(low <= value <= high for low, high in zip(domain[::2], domain[1::2], strict=True))


class _Cut:
    """A sub-model being written: constraints added with every variable outside `local` (the
    whole model's index -> the sub-model's) replaced by its value."""

    LONG = 32  # linear constraints longer than this are substituted with numpy

    def __init__(self, values: Sequence[int], local: dict[int, int],
                 position: NDArray[np.int64]) -> None:
        self.values, self.local, self.position = values, local, position
        self.array = np.asarray(values, dtype=np.int64)
        self.model = cp_model.CpModel()

    def _literals(self, refs: Iterable[int]) -> tuple[list[int], int, int]:
        """The free literals renamed, and how many fixed ones are true and false."""
        local, values = self.local, self.values
        free: list[int] = []
        true = false = 0
        for ref in refs:
            v = ref if ref >= 0 else -ref - 1
            i = local.get(v)
            if i is not None:
                free.append(i if ref >= 0 else -i - 1)
            elif values[v] == (1 if ref >= 0 else 0):
                true += 1
            else:
                false += 1
        return free, true, false

    def add(self, constraint: cp_model_pb2.ConstraintProto) -> None:
        """Add `constraint`; nothing when it holds whatever the free variables do. One whose
        body is all fixed and broken becomes a clause that some enforcement literal is off."""
        enforcement, _, off = self._literals(constraint.enforcement_literal)
        if off:
            return  # enforced by a literal that stays false
        kind = constraint.WhichOneof("constraint")
        target = self.model.proto

        def add() -> cmh.ConstraintProto:
            new = target.constraints.add()
            if enforcement:
                new.enforcement_literal.extend(enforcement)
            return new

        def broken() -> None:  # the body fails whatever the free variables do
            target.constraints.add().bool_or.literals.extend([-r - 1 for r in enforcement])

        if kind in ("bool_or", "bool_and", "at_most_one", "exactly_one"):
            free, true, false = self._literals(getattr(constraint, kind).literals)
            if kind == "bool_or":
                if free and not true:
                    add().bool_or.literals.extend(free)
                elif not true:
                    broken()
            elif kind == "bool_and":
                if false:
                    broken()
                elif free:
                    add().bool_and.literals.extend(free)
            elif true > 1 or (kind == "exactly_one" and not true and not free):
                broken()
            elif true:  # at most one or exactly one, taken already: every free one is off
                if free:
                    add().bool_and.literals.extend([-r - 1 for r in free])
            elif free:
                getattr(add(), kind).literals.extend(free)
        elif kind == "linear":
            linear = constraint.linear
            variables, coefficients, constant = self._expression(linear.vars, linear.coeffs)
            if variables:
                new = add().linear
                new.vars.extend(variables)
                new.coeffs.extend(coefficients)
                new.domain.extend(_shift(linear.domain, -constant))
            elif not _within(linear.domain, constant):
                broken()
        elif kind == "lin_max":
            lin_max = constraint.lin_max
            target_sum = self._expression(lin_max.target.vars, lin_max.target.coeffs)
            free_sums, fixed_max = [], None
            for expression in lin_max.exprs:
                variables, coefficients, constant = self._expression(expression.vars,
                                                                     expression.coeffs)
                if variables:
                    free_sums.append((variables, coefficients, constant + expression.offset))
                elif fixed_max is None or constant + expression.offset > fixed_max:
                    fixed_max = constant + expression.offset
            if not target_sum[0] and not free_sums:  # all fixed
                if target_sum[2] + lin_max.target.offset != fixed_max:
                    broken()
                return
            if fixed_max is not None:  # the fixed ones as one: a cut of Instance22 has 3,100
                free_sums.append(([], [], fixed_max))  # maxima of 10 to 20 sums, most fixed
            new_max = add().lin_max
            into_sums = [new_max.target] + [new_max.exprs.add() for _ in free_sums]
            sums = [(*target_sum[:2], target_sum[2] + lin_max.target.offset), *free_sums]
            for into, (variables, coefficients, constant) in zip(into_sums, sums, strict=True):
                if variables:
                    into.vars.extend(variables)
                    into.coeffs.extend(coefficients)
                into.offset = constant
        else:
            raise Unsupported(kind)

    def _expression(self, variables: Sequence[int], coefficients: Sequence[int]
                    ) -> tuple[list[int], list[int], int]:
        """A linear sum's free variables renamed, their coefficients, and the fixed part."""
        if len(variables) > self.LONG:
            ids = np.asarray(variables, dtype=np.int64)
            weights = np.asarray(coefficients, dtype=np.int64)
            at = self.position[ids]
            fixed = at < 0
            return (at[~fixed].tolist(), weights[~fixed].tolist(),
                    int(weights[fixed] @ self.array[ids[fixed]]))
        local, values = self.local, self.values
        kept: list[int] = []
        kept_coefficients: list[int] = []
        constant = 0
        for v, k in zip(variables, coefficients, strict=True):
            i = local.get(v)
            if i is None:
                constant += k * values[v]
            else:
                kept.append(i)
                kept_coefficients.append(k)
        return kept, kept_coefficients, constant
