"""Objective terms: each returns the expression of its value; weights come from the policy.

Every value is exact in every solution (not only at the optimum), so the figures reported for a
time-limited solve match what the checker recomputes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from itertools import pairwise

from ortools.sat.python import cp_model

from .context import Context, Expr
from .data import TeamData
from .slack import Value

Exact = Callable[[Value], int] | None

LOAD_UNIT = "points (0.1 weighted h)"
RULE_UNITS = {
    "shifts": "shifts",
    "hours": "minutes",
    "max_consecutive": "slots",
    "min_consecutive": "slots",
    "min_consecutive_off": "slots",
    "min_rest": "shift pairs",
    "forbidden_succession": "shift pairs",
    "max_weekends": "weekends",
    "max_holidays": "holidays",
}


@dataclass
class Term:
    """One objective term: `value` is what CP-SAT minimises; `exact` (when set) recomputes the
    term's true value from a solution, for terms built on inequality slacks (slack.py)."""

    name: str
    weight: int
    unit: str
    value: Expr
    team: str = ""
    exact: Callable[[Value], int] | None = None

    def evaluate(self, value: Value) -> int:
        return self.exact(value) if self.exact is not None else int(value(self.value))


def objective_terms(
    ctx: Context, coverage: dict[str, list[Expr]], rules: dict[str, list[Expr]]
) -> list[Term]:
    """All terms with a positive weight, in the order the report lists them."""
    weights = ctx.data.weights
    terms = [
        Term("fairness_spread", weights.fairness_spread, LOAD_UNIT, 0),
        Term("fairness_deviation", weights.fairness_deviation, LOAD_UNIT, 0),
        Term("preferences", weights.preferences, "preference weight", 0),
        Term("skill", weights.skill, "skill levels", 0),
    ]
    builders = {
        "fairness_spread": fairness_spread,
        "fairness_deviation": fairness_deviation,
        "preferences": preferences,
        "skill": skill_gap,
    }
    kept = []
    for term in terms:
        if term.weight > 0:  # a zero weight drops the term and its variables
            term.value, term.exact = builders[term.name](ctx)
            kept.append(term)
    team = ctx.data.team.id
    for name, units in coverage.items():
        rotation_role = name.split(":", 1)[1]
        rotation, role_id = rotation_role.split("/", 1)
        role = next(r for r in ctx.data.rotation_of[rotation].roles if r.id == role_id)
        weight = role.understaff_weight if name.startswith("under") else role.overstaff_weight
        kept.append(Term(name, int(weight or 0), "person-shifts", sum(units),
                         exact=ctx.slacks.total(units)))
    for name, units in rules.items():
        index = int(name.split(":")[1])
        rule = ctx.data.team.rules[index]
        kept.append(Term(name, rule.weight, RULE_UNITS[rule.rule], sum(units),
                         exact=ctx.slacks.total(units)))
    for term in kept:
        term.team = team
    return kept


def fairness_spread(ctx: Context) -> tuple[Expr, Exact]:
    """Most loaded minus least loaded engineer of the fairness group, history included."""
    group = ctx.data.fairness_group
    if len(group) < 2:
        return 0, None
    loads = [ctx.vars.load[e] for e in group]
    low, high = _load_bounds(ctx, group)
    most = ctx.model.new_int_var(low, high, "load|max")
    least = ctx.model.new_int_var(low, high, "load|min")
    for load in loads:  # inequalities, tight at the optimum (see slack.py)
        ctx.model.add(most >= load)
        ctx.model.add(least <= load)
    total = fixed_total_load(ctx.data)
    if total is not None:
        # redundant, for the bound: someone carries at least the mean, someone at most
        ctx.model.add(len(group) * most >= total)
        ctx.model.add(len(group) * least <= total)
    # redundant: loads are history plus whole turns, so they stay in their classes modulo the
    # turns' common step, and a window holding one load of each class is that wide at least
    ctx.model.add(most - least >= narrowest_window(ctx.data, group))

    def exact(value: Value) -> int:
        values = [int(value(load)) for load in loads]
        return max(values) - min(values)

    return most - least, exact


def fairness_deviation(ctx: Context) -> tuple[Expr, Exact]:
    """Sum over the group of |load - floor(mean load)|."""
    group = ctx.data.fairness_group
    if len(group) < 2:
        return 0, None
    n = len(group)
    low, high = _load_bounds(ctx, group)
    total = fixed_total_load(ctx.data)
    if total is not None:
        mean: Expr = total // n  # known before solving: no variable needed
    else:
        mean = ctx.model.new_int_var(low, high, "load|mean")
        everyone = sum(ctx.vars.load[e] for e in group)
        ctx.model.add(n * mean <= everyone)
        ctx.model.add(everyone <= n * mean + n - 1)
    deviations = []
    for e in group:
        # with the mean known, the nearest load of e's class to it bounds e's deviation
        least = 0 if total is None else min(nearest_in_class(ctx.data, e, total // n),
                                            high - low)
        deviation = ctx.model.new_int_var(least, high - low,
                                          f"load|dev|{ctx.data.engineers[e].id}")
        ctx.model.add(deviation >= ctx.vars.load[e] - mean)  # type: ignore[operator]
        ctx.model.add(deviation >= mean - ctx.vars.load[e])  # type: ignore[operator]
        deviations.append(deviation)
    if total is not None:
        # redundant: the loads sum to the total, so they are off the floor by the remainder
        ctx.model.add(sum(deviations) >= total - n * (total // n))

    def exact(value: Value) -> int:
        floor = int(value(mean))
        return sum(abs(int(value(ctx.vars.load[e])) - floor) for e in group)

    return sum(deviations), exact


def fixed_total_load(data: TeamData) -> int | None:
    """The group's total load when no choice can change it, else None.

    That holds when every shift is fully staffed by rule (exact head counts) and weighs the same
    for everyone who may take it (same zone), as on most single-site teams.
    """
    total = sum(data.history_points[e] for e in data.fairness_group)
    for s in range(len(data.shifts)):
        staff = 0
        for r, role in enumerate(data.roles(s)):
            if role.understaff_weight is not None or role.overstaff_weight is not None:
                return None
            staff += data.head_count(s, r)
        points = {data.burden[s, e].points for r in range(len(data.roles(s)))
                  for e in data.eligible[s, r]}
        if len(points) > 1:
            return None
        if staff and not points:
            return None  # infeasible anyway; keep the general form
        total += staff * next(iter(points), 0)
    return total


def load_step(data: TeamData, e: int) -> int:
    """The step of e's load: the gcd of the points of every turn e may hold (0 when none,
    as the load is then e's history alone)."""
    return reduce(math.gcd, (data.burden[s, e].points for s in data.holdable(e)), 0)


def nearest_in_class(data: TeamData, e: int, target: int) -> int:
    """How close e's load can come to `target`: it is e's history plus a multiple of the
    step."""
    step, history = load_step(data, e), data.history_points[e]
    if step == 0 or target <= history:  # no load below the history
        return abs(history - target)
    below = (target - history) % step
    return min(below, step - below)


def narrowest_window(data: TeamData, group: list[int]) -> int:
    """The least max - min of loads that keep their classes modulo the group's common step:
    the step less the widest gap between the classes around the circle."""
    step = reduce(math.gcd, (load_step(data, e) for e in group), 0)
    if step == 0:
        histories = [data.history_points[e] for e in group]
        return max(histories) - min(histories)
    classes = sorted({data.history_points[e] % step for e in group})
    gaps = [b - a for a, b in pairwise(classes)] + [classes[0] + step - classes[-1]]
    return step - max(gaps)


def _load_bounds(ctx: Context, group: list[int]) -> tuple[int, int]:
    data = ctx.data
    low = min(data.history_points[e] for e in group)
    high = max(
        data.history_points[e] + sum(data.burden[s, e].points for s in data.holdable(e))
        for e in group
    )
    return low, high


def preferences(ctx: Context) -> tuple[Expr, Exact]:
    """Weight of preferences not met: a preferred shift not held, an avoided shift held."""
    data, v = ctx.data, ctx.vars
    cost: Expr = 0
    for e, engineer in enumerate(data.engineers):
        for pref in engineer.preferences:
            for s in data.preferred(pref):
                held = v.held(s, e)
                cost += pref.weight * (held if pref.kind == "avoid" else 1 - held)
    return cost, None


def skill_gap(ctx: Context) -> tuple[Expr, Exact]:
    """Levels short of 5 in each required or preferred skill of the role, per assignment."""
    data = ctx.data
    literals, coefficients = [], []
    for (s, r, e), literal in ctx.vars.assign.items():
        role = data.roles(s)[r]
        skills = list(role.required_skills) + [
            k for k in role.preferred_skills if k not in role.required_skills
        ]
        gap = sum(5 - data.engineers[e].skills.get(k, 0) for k in skills)
        if gap:
            literals.append(literal)
            coefficients.append(gap)
    return (cp_model.LinearExpr.weighted_sum(literals, coefficients) if literals else 0), None
