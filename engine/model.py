"""One team's CP-SAT model: variables, hard families, rules and the objective, in that order."""

from __future__ import annotations

from ortools.sat.python import cp_model

from .constraints import add_constraints
from .context import Context, Guards
from .data import TeamData
from .objective import Term, objective_terms
from .rules import add_rules
from .variables import Variables, make_variables


class TeamModel:
    """Builds the model of one team. With `explain`, hard constraint groups are guarded by
    assumption literals so that an infeasible model can say which groups clash."""

    def __init__(self, data: TeamData, explain: bool = False) -> None:
        self.data = data
        self.model = cp_model.CpModel()
        self.guards = Guards(self.model, active=explain)
        self.vars: Variables = make_variables(self.model, data)
        ctx = Context(self.model, data, self.vars, self.guards)
        coverage_terms = add_constraints(ctx)
        rule_terms = add_rules(ctx)
        self.terms: list[Term] = objective_terms(ctx, coverage_terms, rule_terms)
        if not explain:
            self.model.minimize(sum(t.weight * t.value for t in self.terms))

    @property
    def size(self) -> int:
        """Number of variables, for reports."""
        return len(self.model.proto.variables)
