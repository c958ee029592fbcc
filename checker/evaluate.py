"""Judge a schedule: hard violations, objective terms and figures, all recomputed from the
instance and the assignment records alone (no solver, nothing of the engine)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from rotasat.models.instance import Instance
from rotasat.models.solution import (
    Assignment,
    Evaluation,
    IncidentOutcome,
    ObjectiveTerm,
    Solution,
    Violation,
)

from .context import Context
from .hard import hard_violations
from .incidents import judge_incidents
from .records import check_records
from .rules import RULES, bound, label
from .terms import engineer_figures, support_terms, tally, team_figures, team_terms


def _rules(ctx: Context) -> tuple[list[Violation], dict[str, dict[int, int]]]:
    """Violations of hard rules, and units of soft rules per team id and rule index."""
    violations: list[Violation] = []
    units: dict[str, dict[int, int]] = {}
    for team in ctx.instance.teams:
        units[team.id] = {}
        for index, rule in enumerate(team.rules):
            check = RULES[rule.rule]
            total = 0
            for engineer in bound(rule, team):
                for breach in check(rule, engineer, team, ctx):
                    total += breach.units
                    if rule.hard:
                        violations.append(
                            Violation(
                                rule=rule.rule,
                                message=f"{label(index, rule)}: {breach.message}",
                                team=team.id,
                                engineer=engineer.id,
                                date=breach.date,
                            )
                        )
            units[team.id][index] = total
    return violations, units


def evaluate(
    instance: Instance,
    assignments: list[Assignment],
    incidents: list[IncidentOutcome] | None = None,
) -> Evaluation:
    """Recompute every hard rule, objective term and figure of `assignments` and the incident
    decisions on `instance`.

    Of each outcome in `incidents` only `incident` and `handler` (None: deferred) are read; every
    incident of the instance must appear exactly once (None counts as no outcomes).
    """
    ctx = Context.of(instance)
    held, violations = check_records(ctx, assignments)
    ctx.add(held)
    violations += hard_violations(ctx)
    rule_violations, units = _rules(ctx)
    violations += rule_violations
    support = judge_incidents(ctx, incidents)
    violations += support.violations
    terms: list[ObjectiveTerm] = []
    engineers = []
    teams = []
    for team in instance.teams:
        t = tally(ctx, team)
        terms += team_terms(ctx, t, units[team.id])
        terms += support_terms(ctx, support.tallies[team.id])
        engineers += engineer_figures(ctx, t)
        teams.append(team_figures(t, support.tallies[team.id]))
    return Evaluation(
        feasible=not violations,
        violations=violations,
        objective=sum(term.cost for term in terms),
        terms=terms,
        engineers=engineers,
        teams=teams,
        incidents=support.outcomes,
        sprints=support.sprints,
    )


class CheckResult(BaseModel):
    """A solve's result held against the checker: ok when feasible and every figure agrees."""

    model_config = ConfigDict(extra="forbid")

    evaluation: Evaluation
    mismatches: list[str] = []
    ok: bool


def _key(term: ObjectiveTerm) -> str:
    return f"{term.team or '(organisation)'}/{term.name}"


def _compare_terms(reported: list[ObjectiveTerm], recomputed: list[ObjectiveTerm]) -> list[str]:
    """A line per term that is missing on either side or differs in value, weight or cost."""
    mine = {(t.team, t.name): t for t in recomputed}
    theirs: dict[tuple[str | None, str], ObjectiveTerm] = {}
    lines = []
    for term in reported:
        if (term.team, term.name) in theirs:
            lines.append(f"term {_key(term)}: reported twice")
        theirs[(term.team, term.name)] = term
    for key, term in theirs.items():
        other = mine.get(key)
        if other is None:
            lines.append(f"term {_key(term)}: reported (cost {term.cost}) but not recomputed")
            continue
        if (term.value, term.weight, term.cost) != (other.value, other.weight, other.cost):
            lines.append(
                f"term {_key(term)}: reported value {term.value} × weight {term.weight} = "
                f"{term.cost}, recomputed value {other.value} × weight {other.weight} = "
                f"{other.cost}"
            )
    for key, other in mine.items():
        if key not in theirs:
            lines.append(f"term {_key(other)}: recomputed (cost {other.cost}) but not reported")
    return lines


OUTCOME_FIELDS = ("handler", "deferred", "sla_met", "target_sprint")


def _compare_outcomes(
    reported: list[IncidentOutcome], recomputed: list[IncidentOutcome]
) -> list[str]:
    """A line per field of OUTCOME_FIELDS where a reported outcome differs from the recomputed
    one (outcomes of unknown or repeated incidents are record violations, not compared here)."""
    mine = {o.incident: o for o in recomputed}
    seen: set[str] = set()
    lines = []
    for theirs in reported:
        other = mine.get(theirs.incident)
        if other is None or theirs.incident in seen:
            continue
        seen.add(theirs.incident)
        for name in OUTCOME_FIELDS:
            a, b = getattr(theirs, name), getattr(other, name)
            if a != b:
                lines.append(f"incident {theirs.incident}: reported {name} {a!r}, recomputed {b!r}")
    return lines


def check_solution(instance: Instance, solution: Solution) -> CheckResult:
    """Evaluate a solution's assignments and incident decisions, and compare its reported
    objective, terms and incident outcomes.

    Without a reported objective (e.g. INFEASIBLE) the objective and terms are not compared.
    """
    evaluation = evaluate(instance, solution.assignments, solution.incidents)
    mismatches = _compare_outcomes(solution.incidents, evaluation.incidents)
    if solution.objective is not None:
        if solution.objective != evaluation.objective:
            mismatches.append(
                f"objective: reported {solution.objective}, recomputed {evaluation.objective}"
            )
        mismatches += _compare_terms(solution.terms, evaluation.terms)
    return CheckResult(
        evaluation=evaluation,
        mismatches=mismatches,
        ok=evaluation.feasible and not mismatches,
    )
