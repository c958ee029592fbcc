"""The CP-SAT model of one component: teams linked by incidents are solved together.

Per team: variables, hard families, rules and rotation terms, in that order; then the
component's incidents and sprint capacity; one objective summing every term.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model
from ortools.sat.python import cp_model_helper as cmh
from rotasat.models import Instance
from rotasat.models.support import Incident

from .constraints import add_constraints
from .context import Context, Expr, Guards
from .data import TeamData
from .incidents import IncidentPart, add_incidents, build_incident_infos
from .objective import Term, objective_terms
from .rules import add_rules
from .slack import Slacks
from .variables import Variables, make_variables


class TeamModel:
    """One team's rotation part, built into `model` (its own when none is given)."""

    def __init__(self, data: TeamData, model: cp_model.CpModel | None = None,
                 guards: Guards | None = None, slacks: Slacks | None = None,
                 explain: bool = False) -> None:
        self.data = data
        self.model = model if model is not None else cp_model.CpModel()
        self.guards = guards if guards is not None else Guards(self.model, active=explain)
        self.slacks = slacks if slacks is not None else Slacks(self.model)
        self.vars: Variables = make_variables(self.model, data)
        ctx = Context(self.model, data, self.vars, self.guards, self.slacks)
        coverage_terms = add_constraints(ctx)
        rule_terms = add_rules(ctx)
        self.terms: list[Term] = objective_terms(ctx, coverage_terms, rule_terms)
        if model is None and not explain:
            self.model.minimize(sum(t.weight * t.value for t in self.terms))

    @property
    def size(self) -> int:
        """Number of variables, for reports."""
        return len(self.model.proto.variables)


class ComponentModel:
    """Teams that share incidents (and so engineers' time) in one model.

    With `explain`, hard constraint groups are guarded by assumption literals so that an
    infeasible model can say which groups clash.
    """

    def __init__(self, instance: Instance, datas: list[TeamData], incidents: list[Incident],
                 explain: bool = False) -> None:
        self.instance = instance
        self.datas = datas
        self.model = cp_model.CpModel()
        self.guards = Guards(self.model, active=explain)
        self.slacks = Slacks(self.model)
        self.teams = [TeamModel(d, self.model, self.guards, self.slacks) for d in datas]
        self.terms: list[Term] = [t for team in self.teams for t in team.terms]
        self.incidents: IncidentPart | None = None
        if instance.incidents:  # every team is judged on support once there are incidents
            self.incidents = build_incident_infos(instance, datas, incidents)
            self.terms += add_incidents(self.model, instance, datas,
                                        [t.vars for t in self.teams], self.incidents,
                                        self.guards, self.slacks)
        if not explain:
            self.model.minimize(sum(t.weight * t.value for t in self.terms))
        self._flat: dict[int, tuple[Expr, NDArray[np.int64], NDArray[np.int64], int]] = {}

    @property
    def size(self) -> int:
        return len(self.model.proto.variables)

    def reader(self, every: list[int]) -> Callable[[Expr], int]:
        """Reads any expression of this model off `every` variable's value: the terms' sums
        span thousands of literals, and CP-SAT's own `value` flattens them on each call (40 us
        each, 8% of the search of engineers' time on a team with 287 incidents)."""
        values = np.asarray(every, dtype=np.int64)
        flat = self._flat

        def value(expr: Expr) -> int:
            if isinstance(expr, int | np.integer):
                return int(expr)
            hit = flat.get(id(expr))
            if hit is None or hit[0] is not expr:  # (the expression is kept: its id is not reused)
                parts = cmh.FlatIntExpr(expr)
                hit = flat[id(expr)] = (
                    expr, np.array([v.index for v in parts.vars], dtype=np.int64),
                    np.array(parts.coeffs, dtype=np.int64), int(parts.offset))
            _, indices, coefficients, offset = hit
            return int(values[indices] @ coefficients) + offset

        return value


def hint_all(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint every variable of `model` with `values`: a complete schedule, which CP-SAT follows
    at once (a hint on the assignment literals alone left it seconds of repair)."""
    model.clear_hints()
    hint = model.proto.solution_hint  # in bulk: a hint per variable took 20 ms on 5,500 of them
    hint.vars.extend(range(len(values)))
    hint.values.extend(values)


def components(instance: Instance) -> list[tuple[list[str], list[Incident]]]:
    """Teams grouped so that no incident links two groups, with each group's incidents."""
    from .incidents import pool

    parent = {t.id: t.id for t in instance.teams}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    team_of = {e.id: t.id for t in instance.teams for e in t.engineers}
    rotation_team = {r.id: t.id for t in instance.teams for r in t.rotations}
    for incident in instance.incidents:
        owner = instance.owner_of(incident.system)
        policy = instance.policy_of(owner)
        linked = {owner.id}
        linked |= {team_of[e.id] for e in pool(instance, incident, owner, policy)}
        if incident.assignee is not None:
            linked.add(team_of[incident.assignee])
        if policy.owner_rotation is not None:
            linked.add(rotation_team[policy.owner_rotation])
        first, *rest = sorted(linked)
        for other in rest:
            parent[find(other)] = find(first)
    groups: dict[str, list[str]] = {}
    for team in instance.teams:
        groups.setdefault(find(team.id), []).append(team.id)
    incidents: dict[str, list[Incident]] = {}
    for incident in instance.incidents:
        incidents.setdefault(find(instance.owner_of(incident.system).id), []).append(incident)
    return [(ids, incidents.get(root, [])) for root, ids in groups.items()]
