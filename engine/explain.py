"""Why a team has no schedule, in the planner's words.

Two passes. First a direct count: a shift and role that fewer engineers can take than it needs,
with the reason each engineer is out (leave, skill, role, working hours). If every slot can be
filled on its own, the clash lies between rules: the model is rebuilt with every group of hard
constraints behind an assumption literal, CP-SAT names a set of groups that cannot hold together,
and a deletion pass shrinks that set to a minimal one when time allows.
"""

from __future__ import annotations

import time
from collections import defaultdict

from ortools.sat.python import cp_model
from rotasat.models import SolveParameters

from .data import Exclusion, TeamData

MAX_LINES = 12


def explain_infeasible(data: TeamData, params: SolveParameters) -> list[str]:
    lines = understaffed_slots(data)
    if lines:
        return lines
    return clashing_rules(data, params)


def understaffed_slots(data: TeamData) -> list[str]:
    """Shifts and roles that too few engineers can take, grouped by identical cause."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for (s, r), engineers in sorted(data.eligible.items()):
        role = data.roles(s)[r]
        if role.understaff_weight is not None or len(engineers) >= role.head_count:
            continue
        shift = data.shifts[s]
        needs = f"{role.head_count} engineer{'s' if role.head_count != 1 else ''}"
        if role.required_skills:
            needs += " with " + ", ".join(
                f"{skill} level {level}" for skill, level in role.required_skills.items()
            )
        cause = _cause(data.exclusions[s, r], [data.engineers[e].id for e in engineers])
        grouped[shift.rotation, f"{role.id} needs {needs}", cause].append(str(shift.date))
    lines = []
    for (rotation, needs, cause), dates in grouped.items():
        lines.append(f"{data.team.id}: {rotation} {needs} on {_dates(dates)}; {cause}")
    return _capped(lines)


def _cause(exclusions: list[Exclusion], available: list[str]) -> str:
    """E.g. 'only bob is available; carol and dave are on leave; ...'."""
    by_reason: dict[str, list[Exclusion]] = defaultdict(list)
    for item in exclusions:
        by_reason[item.reason].append(item)
    parts = [f"only {', '.join(available)} can take it" if available else "nobody can take it"]
    skilled_out = [x for x in exclusions if x.reason in ("leave", "hours")]
    for item in skilled_out:
        parts.append(item.detail)
    lacking = by_reason.get("skill", [])
    if lacking:
        names = ", ".join(x.engineer for x in lacking[:6])
        more = f" and {len(lacking) - 6} more" if len(lacking) > 6 else ""
        parts.append(f"{names}{more} lack the skill level")
    if by_reason.get("role"):
        parts.append(", ".join(x.engineer for x in by_reason["role"]) + " do not take this role")
    return "; ".join(parts)


def _dates(dates: list[str]) -> str:
    if len(dates) <= 4:
        return ", ".join(dates)
    return f"{len(dates)} dates from {dates[0]} to {dates[-1]}"


def _capped(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LINES:
        return lines
    return [*lines[:MAX_LINES], f"... and {len(lines) - MAX_LINES} more like these"]


def clashing_rules(data: TeamData, params: SolveParameters) -> list[str]:
    """Name a minimal set of constraint groups that cannot hold together."""
    from .model import TeamModel  # the explaining model is built only when needed

    deadline = time.perf_counter() + max(5.0, min(60.0, params.time_limit))
    built = TeamModel(data, explain=True)
    literals = list(built.guards.literals.values())

    def infeasible(subset: list[cp_model.IntVar], limit: float) -> tuple[bool, list[int]]:
        built.model.clear_assumptions()
        built.model.add_assumptions(subset)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1  # the core is reported by the single-thread search
        solver.parameters.max_time_in_seconds = max(0.5, limit)
        status = solver.solve(built.model)
        if status == cp_model.INFEASIBLE:
            return True, list(solver.sufficient_assumptions_for_infeasibility())
        return False, []

    found, core = infeasible(literals, deadline - time.perf_counter())
    if not found:
        return [
            f"{data.team.id}: the rules cannot all hold, but no small set of clashing rules was "
            "found in time; try relaxing rules one by one (make some soft)"
        ]
    by_index = {lit.index: lit for lit in literals}
    current = [by_index[i] for i in core if i in by_index]
    # deletion filter: drop each group in turn, keep it out if the rest still clashes
    position = 0
    while position < len(current) and time.perf_counter() < deadline:
        trial = current[:position] + current[position + 1 :]
        still, smaller = infeasible(trial, min(5.0, deadline - time.perf_counter()))
        if still:
            kept = set(smaller)
            current = [lit for lit in trial if lit.index in kept] or trial
        else:
            position += 1
    words = [built.guards.descriptions[lit.index][1] for lit in current]
    head = f"{data.team.id}: these rules cannot all hold together:"
    return [head, *[f"  - {w}" for w in _capped(sorted(words))]]
