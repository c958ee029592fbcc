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
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model
from rotasat.models import SolveParameters

from .data import Exclusion, TeamData

if TYPE_CHECKING:
    from .model import ComponentModel

MAX_LINES = 12


def explain_infeasible(component: ComponentModel, params: SolveParameters) -> list[str]:
    lines = [line for data in component.datas for line in understaffed_slots(data)]
    lines += unhandled_incidents(component)
    if lines:
        return lines
    return clashing_rules(component, params)


def unhandled_incidents(component: ComponentModel) -> list[str]:
    """Incidents that must be handled (urgent or pinned) but that nobody may take."""
    part = component.incidents
    if part is None:
        return []
    lines = []
    for info in part.infos:
        if info.allowed or info.deferrable:
            continue
        incident = info.incident
        why = ("the pinned assignee is on leave" if incident.assignee is not None
               else f"everyone its {info.policy.support_model!r} support model allows is away")
        lines.append(
            f"{info.owner.id}: incident {incident.id} ({incident.priority}/{incident.severity}, "
            f"{incident.system}) arriving {incident.arrival.isoformat(' ', 'minutes')} may "
            f"interrupt a sprint and cannot wait, but nobody can take it: {why}"
        )
    return _capped(lines)


def understaffed_slots(data: TeamData) -> list[str]:
    """Shifts and roles that too few engineers can take, grouped by identical cause."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for (s, r), engineers in sorted(data.eligible.items()):
        role = data.roles(s)[r]
        need = data.head_count(s, r)
        if role.understaff_weight is not None or len(engineers) >= need:
            continue
        shift = data.shifts[s]
        needs = f"{need} engineer{'s' if need != 1 else ''}"
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
        verb = "lacks" if len(lacking) == 1 else "lack"
        parts.append(f"{names}{more} {verb} the skill level")
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


def clashing_rules(component: ComponentModel, params: SolveParameters) -> list[str]:
    """Name a minimal set of constraint groups that cannot hold together."""
    from .model import ComponentModel  # the explaining model is built only when needed

    deadline = time.perf_counter() + max(5.0, min(60.0, params.time_limit))
    incidents = [] if component.incidents is None else [
        info.incident for info in component.incidents.infos]
    built = ComponentModel(component.instance, component.datas, incidents, explain=True)
    label = "+".join(d.team.id for d in component.datas)
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
            f"{label}: the rules cannot all hold, but no small set of clashing rules was "
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
    head = f"{label}: these rules cannot all hold together:"
    return [head, *[f"  - {w}" for w in _capped(sorted(words))]]
