"""A team's linear relaxation, solved on its own: what the bound starts from, and where.

CP-SAT's bound is its linear relaxation plus the cuts it adds at the root. This script builds
one team's rotation model as the engine does (incidents left out), relaxes it (each Boolean to
[0, 1], each `max` to "at least each term, at most their sum", clauses and at-most-ones as
linear rows) and solves that with GLOP. It prints the relaxation's value and, per engineer,
the load, the turns held by role and the weekends touched, so that one can see what the
relaxation gets away with (bench/README.md, session 8: on the demo team it is 1546, every load
exactly at the mean).

    python bench/relaxation.py instances/quarter-12.json
    python bench/relaxation.py instances/org-quarter.json --team platform
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from ortools.linear_solver import pywraplp
from ortools.sat import cp_model_pb2
from ortools.sat.python import cp_model
from ortools.sat.python import cp_model_helper as cmh
from rotasat.engine.data import build_team_data
from rotasat.engine.model import TeamModel
from rotasat.models import Instance

INFINITE = 2**62  # CP-SAT's domains use +-2^63 - 1 for "unbounded"


def as_proto(model: cp_model.CpModel) -> cp_model_pb2.CpModelProto:
    """The model as a protobuf message (CP-SAT's own proto type has no bytes to parse)."""
    proto = cp_model_pb2.CpModelProto()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.pb"
        model.export_to_file(str(path))
        proto.ParseFromString(path.read_bytes())
    return proto


def relax(proto: cp_model_pb2.CpModelProto) -> tuple[pywraplp.Solver, list[pywraplp.Variable]]:
    """The linear relaxation of a CP-SAT model without enforcement literals."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    x = [lp.NumVar(v.domain[0], v.domain[-1], v.name) for v in proto.variables]

    def literal(index: int) -> pywraplp.LinearExpr:
        return x[index] if index >= 0 else 1 - x[-index - 1]

    def linear(vars_: list[int], coeffs: list[int], offset: int = 0) -> pywraplp.LinearExpr:
        return sum((c * x[v] for v, c in zip(vars_, coeffs, strict=True)), offset)

    for c in proto.constraints:
        if c.enforcement_literal:
            raise ValueError("enforced constraints are not relaxed here (build without guards)")
        kind = c.WhichOneof("constraint")
        if kind == "linear":
            row = linear(list(c.linear.vars), list(c.linear.coeffs))
            low, high = c.linear.domain[0], c.linear.domain[-1]
            if low > -INFINITE:
                lp.Add(row >= low)
            if high < INFINITE:
                lp.Add(row <= high)
        elif kind == "bool_or":
            lp.Add(sum(literal(i) for i in c.bool_or.literals) >= 1)
        elif kind == "at_most_one":
            lp.Add(sum(literal(i) for i in c.at_most_one.literals) <= 1)
        elif kind == "exactly_one":
            lp.Add(sum(literal(i) for i in c.exactly_one.literals) == 1)
        elif kind == "lin_max":  # over Booleans here: the max is at most their sum
            target = c.lin_max.target
            terms = [linear(list(e.vars), list(e.coeffs), e.offset) for e in c.lin_max.exprs]
            top = linear(list(target.vars), list(target.coeffs), target.offset)
            for term in terms:
                lp.Add(top >= term)
            lp.Add(top <= sum(terms))
        else:
            raise ValueError(f"no relaxation written for {kind} constraints")
    objective = proto.objective
    lp.Minimize(linear(list(objective.vars), list(objective.coeffs), int(objective.offset)))
    return lp, x


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("--team", help="team id (default: the first team)")
    args = parser.parse_args()
    instance = Instance.model_validate_json(args.instance.read_text())
    team = instance.team(args.team) if args.team else instance.teams[0]
    data = build_team_data(instance, team)
    built = TeamModel(data)
    proto = as_proto(built.model)
    lp, x = relax(proto)
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        raise SystemExit("the relaxation has no optimum")
    value = [variable.solution_value() for variable in x]
    print(f"{team.id}: linear relaxation {lp.Objective().Value():.1f} "
          f"({len(proto.variables)} variables, {len(proto.constraints)} constraints)")

    def relaxed(expr: cp_model.LinearExprT) -> float:
        """An expression of the model, read off the relaxed values."""
        flat = cmh.FlatIntExpr(expr)
        return sum(c * value[v.index] for v, c in zip(flat.vars, flat.coeffs, strict=True)) \
            + flat.offset

    roles = sorted({role.id for rotation in team.rotations for role in rotation.roles})
    turns: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (s, r, e), literal in built.vars.assign.items():
        turns[e][data.roles(s)[r].id] += value[literal.index]
    # weekends touched: the weekend rule's literal where it made one (rules.py names it
    # weekend|saturday|engineer), else the most held of that weekend's duties
    index = {variable.name: i for i, variable in enumerate(proto.variables)}
    weekends: dict[int, float] = defaultdict(float)
    for e, engineer in enumerate(data.engineers):
        days: dict[object, list[int]] = defaultdict(list)
        for s in data.holdable(e):
            for saturday in data.burden[s, e].weekends:
                days[saturday].append(s)
        for saturday, shifts in days.items():
            touched = index.get(f"weekend|{saturday}|{engineer.id}")
            weekends[e] += (value[touched] if touched is not None
                            else max(value[built.vars.hold[s, e].index] for s in shifts))
    print(f"{'engineer':20} {'load':>9} " + " ".join(f"{r:>10}" for r in roles)
          + f" {'weekends':>9}")
    for e, engineer in enumerate(data.engineers):
        print(f"{engineer.id:20} {relaxed(built.vars.load[e]):9.1f} "
              + " ".join(f"{turns[e][r]:10.2f}" for r in roles)
              + f" {weekends[e]:9.2f}")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # the reader stopped early (e.g. `| head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
