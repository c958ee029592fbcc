"""Hard constraint families that hold on every team, whatever its rules.

Leave, rotation membership, role eligibility, required skills and working hours need no
constraint: engineers they exclude get no variable (see data.py).
"""

from __future__ import annotations

from collections import defaultdict

from .context import Context, Expr


def add_constraints(ctx: Context) -> dict[str, list[Expr]]:
    """Add the hard families; return the soft coverage terms keyed by term name."""
    one_duty_at_a_time(ctx)
    return coverage(ctx)


def one_duty_at_a_time(ctx: Context) -> None:
    """At most one role per shift, and no two overlapping shifts, per engineer."""
    data, v = ctx.data, ctx.vars
    for e, engineer in enumerate(data.engineers):
        holdable = set(data.holdable(e))
        if not holdable:
            continue
        enforce = ctx.guard(("clash", e), f"{engineer.id} can hold only one duty at a time")
        for group in data.clashes:
            literals = [
                v.assign[s, r, e]
                for s in group
                if s in holdable
                for r in range(len(data.roles(s)))
                if (s, r, e) in v.assign
            ]
            ctx.at_most_one(literals, enforce)


def coverage(ctx: Context) -> dict[str, list[Expr]]:
    """Head count per shift and role: exact unless the role prices under- or over-staffing."""
    data, v, model = ctx.data, ctx.vars, ctx.model
    terms: dict[str, list[Expr]] = defaultdict(list)
    for (s, r), engineers in data.eligible.items():
        shift, role = data.shifts[s], data.roles(s)[r]
        need = data.head_count(s, r)
        staffed = sum(v.by_role(s, r, engineers))
        enforce = ctx.guard(("coverage", s, r), _coverage_words(ctx, s, r))
        key = f"{shift.rotation}/{role.id}"
        if role.understaff_weight is None:
            model.add(staffed >= need).only_enforce_if(enforce)
        elif role.understaff_weight > 0:
            terms[f"understaffing:{key}"].append(
                ctx.shortfall(staffed, need, f"{shift.id}|{role.id}|under")
            )
        if role.overstaff_weight is None:
            model.add(staffed <= need).only_enforce_if(enforce)
        else:
            if role.max_head_count is not None:
                model.add(staffed <= role.max_head_count).only_enforce_if(enforce)
            if role.overstaff_weight > 0:
                terms[f"overstaffing:{key}"].append(
                    ctx.excess(staffed, need, len(engineers), f"{shift.id}|{role.id}|over")
                )
    return terms


def _coverage_words(ctx: Context, s: int, r: int) -> str:
    data = ctx.data
    shift, role = data.shifts[s], data.roles(s)[r]
    need = data.head_count(s, r)
    needs = f"{need} engineer{'s' if need != 1 else ''}"
    if role.required_skills:
        needs += " with " + ", ".join(f"{k} level {v}" for k, v in role.required_skills.items())
    who = [data.engineers[e].id for e in data.eligible[s, r]]
    available = f"available: {', '.join(who)}" if who else "nobody is available"
    return f"{role.id} on {shift.date} ({shift.id}) needs {needs}; {available}"
