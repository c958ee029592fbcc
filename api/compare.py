"""One instance solved under several support policies, the figures laid side by side.

`compare(instance, policies, params, team=None)` is what `rotasat compare` and the HTTP API call:
each policy is applied to the instance (a preset sets `allocation`, a policy file is a partial
Policy merged over each team's policy; with `team`, only that team's policy changes), every
variant goes through `api.service.solve_instance` with the same parameters, and `tabulate` reads
the figures off the solutions:

- per organisation, and per team when `team` is given;
- each figure says whether lower or higher is better (or neither: context such as the status),
  and the best value of each row is marked (every policy that reaches it, so ties share it);
- the Pareto set: the policies that no other policy dominates, i.e. none is at least as good on
  every ranked plan figure and better on one (solver figures, objective, bound and gap, are marked
  but not part of it: a policy file may change the weights, and the objective with them).

Figures per scope (the organisation, or one team: its engineers' sprints and duties, the
incidents it owns):

| figure | from |
|---|---|
| support hours, reserve, reserve used | sprint figures: duty + incident hours against the reserve |
| protected sprint capacity | Σ max(0, capacity - support) / Σ capacity |
| sprint interruption hours, interruptions | hours beyond the reserve; engineer-sprints with any |
| SLA met / missed, expertise gap, backlog deferred | incident outcomes of the incidents owned |
| knowledge spread | mean over systems with incidents of the engineers who handled one |
| load / support-hours spread and Gini | team figures (the organisation: its worst team) |
| weekend, holiday, night burden | the most any one engineer carries (duty) |
| out-of-hours incidents | the most one engineer handles outside working hours or on a holiday |
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field
from rich.table import Table
from rich.text import Text
from rotasat.engine import Progress
from rotasat.models import (
    InputError,
    Instance,
    Policy,
    Solution,
    SolveParameters,
    parse,
    read_json,
)
from rotasat.models.base import WEEKDAYS
from rotasat.models.solution import Record, Status
from rotasat.models.support import Allocation

from . import service

Better = Literal["lower", "higher"]
ORGANISATION = "organisation"
SOLVED = ("OPTIMAL", "FEASIBLE")

PRESETS: dict[str, Allocation] = {
    "round-robin": "round_robin",
    "rotating-owner": "rotating_owner",
    "most-qualified": "most_qualified",
    "optimised": "optimised",
}
_ALIASES = {
    **{allocation: name for name, allocation in PRESETS.items()},
    "optimized": "optimised",
    "roundrobin": "round-robin",
}


# --------------------------------------------------------------------------------------------
# Records


class PolicyChoice(Record):
    """One policy to compare: a preset (`allocation` on every team's policy) and/or a partial
    Policy (`policy`, merged over each team's policy, nested objects key by key)."""

    name: str = Field(min_length=1, max_length=100)
    allocation: Allocation | None = None
    policy: dict[str, Any] = Field({}, description="partial Policy JSON")
    source: str | None = Field(None, description="the file it was read from")

    @property
    def description(self) -> str:
        parts = []
        if self.allocation is not None:
            parts.append(f"allocation {self.allocation}")
        if self.policy:
            shown = json.dumps(self.policy, separators=(",", ":"), sort_keys=True)
            parts.append(f"{self.source or 'policy'}: {shown}")
        return "; ".join(parts) or "the instance as it is"


class Figure(Record):
    key: str
    label: str
    unit: str = ""
    better: Better | None = Field(None, description="null: context, not ranked")
    pareto: bool = Field(False, description="counts in the Pareto comparison")
    help: str = ""


class Row(Record):
    """One figure in one scope, a value per policy (null: no schedule, or nothing to count)."""

    scope: str = Field(description="'organisation' or a team id")
    figure: str
    values: dict[str, float | int | str | None]
    best: list[str] = Field([], description="policies reaching the best value")


class PolicyRun(Record):
    name: str
    description: str
    status: Status
    objective: int | None = None
    bound: float | None = None
    gap: float | None = None
    wall_time: float = 0.0


class Comparison(Record):
    """The side-by-side table of `rotasat compare` (and of the HTTP API)."""

    instance: str
    team: str | None = Field(None, description="the team whose policy alone was changed")
    parameters: SolveParameters
    policies: list[PolicyRun]
    figures: list[Figure]
    rows: list[Row]
    pareto_scope: str
    pareto: list[str] = Field(description="policies no other beats on every ranked figure")
    dominated_by: dict[str, list[str]] = Field(
        {}, description="each policy outside the Pareto set: the policies that dominate it"
    )

    def row(self, scope: str, figure: str) -> Row:
        return next(r for r in self.rows if r.scope == scope and r.figure == figure)

    @property
    def scopes(self) -> list[str]:
        return list(dict.fromkeys(r.scope for r in self.rows))


def _figure(key: str, label: str, unit: str, better: Better | None, pareto: bool, help: str
            ) -> Figure:
    return Figure(key=key, label=label, unit=unit, better=better, pareto=pareto, help=help)


FIGURES: list[Figure] = [
    _figure("support_hours", "support hours", "h", None, False,
            "duty + incident hours in the sprints of the scope's engineers"),
    _figure("reserve_hours", "support reserve", "h", None, False,
            "the sprints' support reserve (reserve x capacity)"),
    _figure("reserve_used_pct", "reserve used", "%", None, False, "support hours / reserve"),
    _figure("protected_pct", "protected sprint capacity", "%", "higher", True,
            "capacity left for sprint work, % of capacity"),
    _figure("interruption_hours", "sprint interruption", "h", "lower", True,
            "support beyond the reserve"),
    _figure("interruptions", "sprint interruptions", "eng-sprints", "lower", True,
            "engineer-sprints with support beyond the reserve"),
    _figure("sla_met", "SLA met", "incidents", "higher", True, "incidents with an SLA, met"),
    _figure("sla_missed", "SLA missed", "incidents", "lower", True,
            "incidents with an SLA, missed (deferred, or effort beyond the deadline)"),
    _figure("expertise_gap", "expertise gap", "levels", "lower", True,
            "levels the handlers lack against the best candidate, summed"),
    _figure("knowledge_spread", "knowledge spread", "eng/system", "higher", True,
            "mean over systems with incidents of the engineers who handled one"),
    _figure("load_spread", "load spread", "h", "lower", True,
            "weighted duty hours (with history) between most and least loaded; org: worst team"),
    _figure("load_gini", "load Gini", "", "lower", True, "0 = even; org: worst team"),
    _figure("support_spread", "support-hours spread", "h", "lower", True,
            "duty + incident hours between most and least; org: worst team"),
    _figure("support_gini", "support-hours Gini", "", "lower", True, "org: worst team"),
    _figure("weekend_burden", "weekend burden", "max weekends", "lower", True,
            "most weekends touched by one engineer's duties"),
    _figure("holiday_burden", "holiday burden", "max holidays", "lower", True,
            "most public holidays touched by one engineer's duties"),
    _figure("night_burden", "night burden", "max h", "lower", True,
            "most night duty hours of one engineer"),
    _figure("out_of_hours", "out-of-hours incidents", "max", "lower", True,
            "most incidents one engineer handles outside working hours or on a holiday"),
    _figure("deferred", "backlog deferred", "incidents", "lower", True,
            "incidents deferred to a later sprint"),
    _figure("objective", "objective", "", "lower", False, "the weighted sum minimised"),
    _figure("bound", "bound", "", None, False, "the solver's lower bound"),
    _figure("gap", "gap", "%", "lower", False, "(objective - bound) / objective"),
    _figure("status", "status", "", None, False, "OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN"),
    _figure("wall_time", "solve time", "s", None, False, "seconds, model building included"),
]
FIGURE = {f.key: f for f in FIGURES}


# --------------------------------------------------------------------------------------------
# Policies


def preset(name: str) -> PolicyChoice:
    """A named preset: round-robin, rotating-owner, most-qualified, optimised."""
    key = _ALIASES.get(name.strip().lower(), name.strip().lower())
    if key not in PRESETS:
        raise InputError(
            [f"--policy: unknown preset {name!r}: expected one of {', '.join(PRESETS)} or a "
             "policy JSON file"]
        )
    return PolicyChoice(name=key, allocation=PRESETS[key])


def partial_policy(data: Any, source: str) -> dict[str, Any]:
    """Check a partial Policy document: every problem names the source and the JSON path."""
    if not isinstance(data, dict):
        kind = "an array" if isinstance(data, list) else type(data).__name__
        raise InputError(
            [f"{source}: expected a JSON object of Policy fields (e.g. {{\"allocation\": "
             f"\"round_robin\"}}), got {kind}"]
        )
    parse(Policy, merge(Policy().model_dump(mode="json"), data), source)
    return data


def policy_file(path: str | Path) -> PolicyChoice:
    """A partial Policy read from a JSON file; named by its `name`, else by the file name."""
    data = partial_policy(read_json(path), str(path))
    name = data.get("name") if isinstance(data.get("name"), str) else None
    return PolicyChoice(name=name or Path(path).stem, policy=data, source=str(path))


def policy_choice(value: str) -> PolicyChoice:
    """What `--policy VALUE` names: a preset, or else a policy JSON file."""
    key = _ALIASES.get(value.strip().lower(), value.strip().lower())
    if key in PRESETS:
        return preset(key)
    if value.lower().endswith(".json") or Path(value).exists():
        return policy_file(value)
    raise InputError(
        [f"--policy: unknown policy {value!r}: expected a preset ({', '.join(PRESETS)}) or a "
         "policy JSON file"]
    )


def merge(base: dict[str, Any], partial: dict[str, Any]) -> dict[str, Any]:
    """`partial` over `base`: objects merged key by key, anything else replaced."""
    merged = dict(base)
    for key, value in partial.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def apply(instance: Instance, choice: PolicyChoice, team: str | None = None) -> Instance:
    """The instance with `choice` on every team's policy (or only on `team`'s)."""
    if team is not None:
        check_team(instance, team)
    data = instance.model_dump(mode="json")
    for index, member in enumerate(instance.teams):
        if team is not None and member.id != team:
            continue
        policy = merge(instance.policy_of(member).model_dump(mode="json"), choice.policy)
        if choice.allocation is not None:
            policy["allocation"] = choice.allocation
        data["teams"][index]["policy"] = policy
    return parse(Instance, data, choice.source or f"policy {choice.name!r}")


def check_team(instance: Instance, team: str) -> None:
    ids = [t.id for t in instance.teams]
    if team not in ids:
        raise InputError([f"--team: unknown team {team!r}: expected one of {', '.join(ids)}"])


def _unique_names(choices: Sequence[PolicyChoice]) -> list[PolicyChoice]:
    seen: dict[str, int] = {}
    named = []
    for choice in choices:
        seen[choice.name] = seen.get(choice.name, 0) + 1
        if seen[choice.name] > 1:
            choice = choice.model_copy(update={"name": f"{choice.name}#{seen[choice.name]}"})
        named.append(choice)
    return named


# --------------------------------------------------------------------------------------------
# Compare


Solver = Callable[[Instance, SolveParameters], Solution]


def _solve(instance: Instance, params: SolveParameters,
           seed: Solution | None = None,
           on_progress: Callable[[Progress], None] | None = None,
           should_stop: Callable[[], bool] | None = None) -> Solution:
    """Solve one variant; `seed` (a schedule of another policy) is its starting point."""
    if seed is None or not seed.assignments:
        return service.solve_instance(instance, params, baseline=False, on_progress=on_progress,
                                      should_stop=should_stop)
    handlers = {o.incident: o.handler for o in seed.incidents}
    return service.solve_instance(instance, params, baseline=False, initial=seed.assignments,
                                  initial_incidents=handlers, on_progress=on_progress,
                                  should_stop=should_stop)


def compare(
    instance: Instance,
    policies: Sequence[PolicyChoice | str],
    params: SolveParameters | None = None,
    team: str | None = None,
    on_solved: Callable[[PolicyChoice, Solution], None] | None = None,
    solver: Solver | None = None,
    on_started: Callable[[PolicyChoice], None] | None = None,
    on_progress: Callable[[PolicyChoice, Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Comparison:
    """Solve `instance` under each policy with the same parameters and tabulate the figures.

    A string names a preset (never a file: the HTTP API passes what clients send; the CLI reads
    policy files with `policy_choice` first). Every policy is checked and applied before the
    first solve. `on_started` hears each policy as its solve begins, `on_progress` its progress,
    `on_solved` its solution; `solver` replaces `service.solve_instance` (tests).

    `should_stop` (polled, as in a solve) stops the comparison early: the policy being solved
    keeps its best schedule, the ones not started are left out, and the table covers the
    policies solved (in their given order).
    """
    if not policies:
        raise InputError(["--policy: give at least one policy to compare"])
    params = params or SolveParameters()
    choices = _unique_names([preset(p) if isinstance(p, str) else p for p in policies])
    for choice in choices:
        if choice.policy:
            partial_policy(choice.policy, choice.source or f"policy {choice.name!r}")
    variants = [apply(instance, choice, team) for choice in choices]
    # Fixed patterns first; the optimised ones then start from the best schedule found so far.
    # Optimised may do whatever a fixed pattern does, so it should never end worse; starting
    # from scratch it sometimes did within the time limit (org-quarter, 30 s: 27273 against
    # rotating owner's 26206).
    scope = [team] if team is not None else [t.id for t in instance.teams]
    optimised = [all(v.policy_of(v.team(t)).allocation == "optimised" for t in scope)
                 for v in variants]
    order = sorted(range(len(choices)), key=lambda k: optimised[k])
    solved: dict[int, Solution] = {}
    for k in order:
        if should_stop is not None and should_stop():
            break
        seed = None
        if solver is None and optimised[k]:
            done = [x for x in solved.values() if x.objective is not None]
            seed = min(done, key=lambda x: x.objective or 0) if done else None
        if on_started is not None:
            on_started(choices[k])
        if solver is not None:
            solution = solver(variants[k], params)
        else:
            solution = _solve(variants[k], params, seed, _heard(on_progress, choices[k]),
                              should_stop)
        if on_solved is not None:
            on_solved(choices[k], solution)
        solved[k] = solution
    runs = [(choices[k], solved[k]) for k in range(len(choices)) if k in solved]
    return tabulate(instance, runs, params, team)


def _heard(on_progress: Callable[[PolicyChoice, Progress], None] | None,
           choice: PolicyChoice) -> Callable[[Progress], None] | None:
    """The solve's progress handler: `on_progress` told which policy it is about."""
    if on_progress is None:
        return None
    return lambda progress: on_progress(choice, progress)


def tabulate(
    instance: Instance,
    runs: Sequence[tuple[PolicyChoice, Solution]],
    params: SolveParameters | None = None,
    team: str | None = None,
) -> Comparison:
    """The comparison table for solutions already at hand, one per policy."""
    if team is not None:
        check_team(instance, team)
    runs = list(zip(_unique_names([c for c, _ in runs]), [s for _, s in runs], strict=True))
    names = [choice.name for choice, _ in runs]
    scopes = [ORGANISATION] + ([team] if team is not None else [])
    rows: list[Row] = []
    for scope in scopes:
        values = {
            choice.name: scope_figures(instance, solution, None if scope == ORGANISATION else scope)
            for choice, solution in runs
        }
        for figure in FIGURES:
            by_policy = {name: values[name][figure.key] for name in names}
            rows.append(Row(scope=scope, figure=figure.key, values=by_policy,
                            best=_best(figure, by_policy)))
    pareto_scope = scopes[-1]
    solved = [name for (_, solution), name in zip(runs, names, strict=True)
              if solution.status in SOLVED]
    table = {r.figure: r.values for r in rows if r.scope == pareto_scope}
    ranked = [
        f for f in FIGURES
        if f.pareto and f.better is not None
        and all(table[f.key][name] is not None for name in solved)
    ]
    dominated_by = {
        name: [other for other in solved
               if other != name and _dominates(ranked, table, other, name)]
        for name in solved
    }
    return Comparison(
        instance=instance.name,
        team=team,
        parameters=params or SolveParameters(),
        policies=[
            PolicyRun(name=choice.name, description=choice.description, status=s.status,
                      objective=s.objective, bound=s.bound, gap=s.gap, wall_time=s.wall_time)
            for choice, s in runs
        ],
        figures=FIGURES,
        rows=rows,
        pareto_scope=pareto_scope,
        pareto=[name for name in solved if not dominated_by[name]],
        dominated_by={name: by for name, by in dominated_by.items() if by},
    )


def _best(figure: Figure, values: dict[str, Any]) -> list[str]:
    present = {k: v for k, v in values.items() if isinstance(v, int | float)}
    if figure.better is None or not present:
        return []
    target = min(present.values()) if figure.better == "lower" else max(present.values())
    return [k for k, v in present.items() if v == target]


def _dominates(figures: list[Figure], table: dict[str, dict[str, Any]], a: str, b: str) -> bool:
    """a is at least as good as b on every figure and better on one."""
    strictly = False
    for figure in figures:
        x, y = table[figure.key][a], table[figure.key][b]
        if figure.better == "higher":
            x, y = -x, -y
        if x > y:
            return False
        strictly = strictly or x < y
    return strictly


# --------------------------------------------------------------------------------------------
# Figures of one solution, for the organisation (team None) or one team


def scope_figures(
    instance: Instance, solution: Solution, team: str | None
) -> dict[str, float | int | str | None]:
    values: dict[str, float | int | str | None] = {f.key: None for f in FIGURES}
    values.update(
        status=solution.status,
        objective=solution.objective,
        bound=None if solution.bound is None else round(solution.bound, 1),
        gap=None if solution.gap is None else round(100 * solution.gap, 2),
        wall_time=round(solution.wall_time, 1),
    )
    if solution.status not in SOLVED:
        return values

    def mine(owner: str) -> bool:
        return team is None or owner == team

    # sprints: support against the reserve
    sprints = [s for s in solution.sprints if mine(s.team)]
    if sprints:
        capacity = sum(s.capacity_hours for s in sprints)
        support = sum(s.duty_hours + s.incident_hours + s.interrupting_hours for s in sprints)
        reserve = sum(s.reserve_hours for s in sprints)
        protected = sum(
            max(0.0, s.capacity_hours - (s.duty_hours + s.incident_hours + s.interrupting_hours))
            for s in sprints
        )
        values.update(
            support_hours=round(support, 1),
            reserve_hours=round(reserve, 1),
            reserve_used_pct=round(100 * support / reserve, 1) if reserve else None,
            protected_pct=round(100 * protected / capacity, 1) if capacity else None,
            interruption_hours=round(sum(s.interruption_hours for s in sprints), 1),
            interruptions=sum(1 for s in sprints if s.interruption_hours > 0),
        )

    # incidents owned
    system_of = {i.id: i.system for i in instance.incidents}
    outcomes = [o for o in solution.incidents if mine(o.team)]
    values.update(
        sla_met=sum(1 for o in outcomes if o.sla_met is True),
        sla_missed=sum(1 for o in outcomes if o.sla_met is False),
        expertise_gap=sum(o.expertise_gap for o in outcomes),
        deferred=sum(1 for o in outcomes if o.deferred),
    )
    handlers: dict[str, set[str]] = {}
    for outcome in outcomes:
        people = handlers.setdefault(system_of.get(outcome.incident, "?"), set())
        if outcome.handler is not None and not outcome.deferred:
            people.add(outcome.handler)
    if handlers:
        spread = sum(len(p) for p in handlers.values()) / len(handlers)
        values["knowledge_spread"] = round(spread, 2)

    # fairness: the team's figures, or the worst team's
    teams = [t for t in solution.teams if mine(t.team)]
    if teams:
        values.update(
            load_spread=round(max(t.load_spread for t in teams), 1),
            load_gini=round(max(t.load_gini for t in teams), 3),
            support_spread=round(max(t.support_spread for t in teams), 1),
            support_gini=round(max(t.support_gini for t in teams), 3),
        )

    # burdens: the most any one engineer carries
    engineers = [e for e in solution.engineers if mine(e.team)]
    if engineers:
        values.update(
            weekend_burden=max(e.weekends for e in engineers),
            holiday_burden=max(e.holidays for e in engineers),
            night_burden=round(max(e.night_hours for e in engineers), 1),
        )
    values["out_of_hours"] = _out_of_hours(instance, solution, team)
    return values


def _out_of_hours(instance: Instance, solution: Solution, team: str | None) -> int | None:
    """The most incidents one engineer (of the team) handles outside their working days and
    hours, or on a public holiday, in their own zone."""
    home = {e.id: (e, t) for t in instance.teams for e in t.engineers}
    arrivals = {i.id: i.arrival for i in instance.incidents}
    counts: dict[str, int] = {}
    for eid, (_, member) in home.items():
        if team is None or member.id == team:
            counts[eid] = 0
    holidays = instance.holiday_dates
    for outcome in solution.incidents:
        if outcome.handler not in counts or outcome.deferred or outcome.incident not in arrivals:
            continue
        engineer, member = home[outcome.handler]
        local = arrivals[outcome.incident].astimezone(ZoneInfo(member.zone_of(engineer)))
        working = (
            WEEKDAYS[local.weekday()] in engineer.working_days
            and local.date() not in holidays
            and engineer.working_hours.start <= local.time() < engineer.working_hours.end
        )
        if not working:
            counts[outcome.handler] += 1
    return max(counts.values()) if counts and instance.incidents else None


# --------------------------------------------------------------------------------------------
# Output: a rich table per scope, CSV, JSON


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _arrow(figure: Figure) -> str:
    return {"lower": "↓", "higher": "↑"}.get(figure.better or "", "")


def figure_label(figure: Figure) -> str:
    return f"{figure.label} ({figure.unit})" if figure.unit else figure.label


def tables(comparison: Comparison) -> list[Table]:
    """One table per scope: a row per figure, a column per policy, the best marked '*'."""
    names = [p.name for p in comparison.policies]
    result = []
    for scope in comparison.scopes:
        title = (
            f"{comparison.instance}: policies compared, "
            + ("organisation" if scope == ORGANISATION else f"team {scope}")
        )
        table = Table(
            title=title,
            caption="* best of its row (ties share it); ↓ lower is better, ↑ higher is better, "
            "blank: not ranked; '-' nothing to count or no schedule",
            title_justify="left",
            caption_justify="left",
        )
        table.add_column("figure")
        table.add_column("", justify="center")
        for name in names:
            table.add_column(name, justify="right")
        for figure in comparison.figures:
            row = comparison.row(scope, figure.key)
            cells: list[Text] = []
            for name in names:
                text = _shown(row.values.get(name))
                if name in row.best and len(names) > 1:
                    cells.append(Text(f"{text}*", style="bold green"))
                else:
                    cells.append(Text(f"{text} " if figure.better else text))
            table.add_row(figure_label(figure), _arrow(figure), *cells)
        result.append(table)
    return result


def pareto_lines(comparison: Comparison) -> list[str]:
    scope = comparison.pareto_scope
    where = "the organisation" if scope == ORGANISATION else f"team {scope}"
    ranked = sum(1 for f in comparison.figures if f.pareto)
    lines = [
        f"Pareto set ({where}, {ranked} plan figures; no other policy is at least as good on "
        f"every one and better on one): {', '.join(comparison.pareto) or '(none solved)'}"
    ]
    for name, by in comparison.dominated_by.items():
        lines.append(f"  {name} is dominated by {', '.join(by)}")
    unsolved = [p for p in comparison.policies if p.status not in SOLVED]
    for run in unsolved:
        lines.append(f"  {run.name}: no schedule ({run.status}), not compared")
    return lines


def to_csv(comparison: Comparison) -> str:
    """scope, figure, label, unit, better, a column per policy, best; then Pareto membership."""
    names = [p.name for p in comparison.policies]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["scope", "figure", "label", "unit", "better", *names, "best"])
    for row in comparison.rows:
        figure = FIGURE[row.figure]
        writer.writerow([
            row.scope, figure.key, figure.label, figure.unit, figure.better or "",
            *["" if row.values.get(n) is None else row.values[n] for n in names],
            "; ".join(row.best),
        ])
    writer.writerow([
        comparison.pareto_scope, "pareto", "in the Pareto set", "", "",
        *["yes" if n in comparison.pareto else "no" for n in names],
        "; ".join(comparison.pareto),
    ])
    return out.getvalue()


def to_json(comparison: Comparison) -> str:
    return comparison.model_dump_json(indent=2)
