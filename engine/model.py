"""The CP-SAT model of one component: teams linked by incidents are solved together.

Per team: variables, hard families, rules and rotation terms, in that order; then the
component's incidents and sprint capacity; one objective summing every term.
"""

from __future__ import annotations

from ortools.sat.python import cp_model
from rotasat.models import Instance
from rotasat.models.support import Incident

from .constraints import add_constraints
from .context import Context, Guards
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

    @property
    def size(self) -> int:
        return len(self.model.proto.variables)


def hint_all(model: cp_model.CpModel, values: list[int]) -> None:
    """Hint every variable of `model` with `values`: a complete schedule, which CP-SAT follows
    at once (a hint on the assignment literals alone left it seconds of repair)."""
    model.clear_hints()
    for i, value in enumerate(values):
        model.add_hint(model.get_int_var_from_proto_index(i), value)


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
