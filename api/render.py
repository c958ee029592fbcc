"""Rich renderables for a solve's result: header, objective terms, figures and the baseline.

Every function takes plain records (models.solution) and returns something a rich Console can
print; nothing here solves or checks. User data is always passed as Text, never as markup.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rotasat.models import Evaluation, Instance, Solution
from rotasat.models.solution import EngineerFigures, ObjectiveTerm, TeamFigures, Violation

STATUS_STYLE = {
    "OPTIMAL": "bold green",
    "FEASIBLE": "bold yellow",
    "INFEASIBLE": "bold red",
    "UNKNOWN": "bold red",
    "MODEL_INVALID": "bold red",
}
STATUS_MEANING = {
    "OPTIMAL": "proven optimal: no schedule has a lower objective",
    "FEASIBLE": "a valid schedule, not proven optimal within the time limit",
    "INFEASIBLE": "no schedule keeps every hard rule",
    "UNKNOWN": "no schedule found within the time limit",
    "MODEL_INVALID": "the solver rejected the model (a bug in rotasat)",
}
EXAMPLES = 5  # violations of the baseline listed by name


def number(value: float | None, digits: int = 1) -> str:
    """1234.0 -> '1234', 12.345 -> '12.3', None -> '-'."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.{digits}f}"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f}%"


def header(solution: Solution, source: str, instance: Instance) -> RenderableType:
    """Instance, status and the solver's figures, as a two-column grid."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    status = Text(solution.status, style=STATUS_STYLE.get(solution.status, "bold"))
    status.append(f"  ({STATUS_MEANING.get(solution.status, '')})", style="default")
    p = solution.parameters
    horizon = instance.horizon
    last = horizon.end - dt.timedelta(days=1)
    rows: list[tuple[str, Text | str]] = [
        ("instance", f"{solution.instance}  ({source})"),
        ("horizon", f"{horizon.days} days, {horizon.start} to {last}"),
        ("status", status),
        ("objective", number(solution.objective)),
        ("bound", number(solution.bound)),
        ("gap", percent(solution.gap)),
        ("wall time", f"{solution.wall_time:.2f} s (model built in {solution.build_time:.2f} s)"),
        (
            "parameters",
            f"time limit {p.time_limit:g} s, {p.workers} worker(s), seed {p.seed}, "
            f"relative gap {p.relative_gap:g}" + (", deterministic" if p.deterministic else ""),
        ),
    ]
    for key, value in rows:
        grid.add_row(key, value if isinstance(value, Text) else Text(value))
    return Panel(grid, title="rotasat solve", title_align="left", expand=False)


def explanation(solution: Solution) -> RenderableType:
    """Why there is no schedule, in a red panel."""
    lines = solution.explanation or ["(no explanation was produced)"]
    return Panel(
        Text("\n".join(lines)),
        title=f"{solution.status}: {STATUS_MEANING.get(solution.status, '')}",
        title_align="left",
        border_style="red",
    )


def terms_table(terms: Sequence[ObjectiveTerm], total: int | None) -> Table:
    """The objective term by term: cost = weight x value, and their sum."""
    table = Table(
        title="Objective terms (minimised)", title_justify="left", show_footer=True,
        box=box.SIMPLE_HEAD,
    )
    table.add_column("team", footer="total")
    table.add_column("term")
    table.add_column("value", justify="right")
    table.add_column("weight", justify="right")
    table.add_column("cost", justify="right", footer=number(total), style="bold")
    table.add_column("unit", style="dim")
    for t in terms:
        table.add_row(
            Text(t.team or ""), Text(t.name), str(t.value), str(t.weight), str(t.cost), Text(t.unit)
        )
    return table


def engineers_table(figures: Sequence[EngineerFigures]) -> Table:
    """Per engineer: duty, load (weighted hours) with history, weekends, holidays, costs.

    The team column is left out when every engineer is of one team.
    """
    table = Table(
        title="Engineers: hours on duty; load = weighted hours (weekend, holiday, night); "
        "hist = load carried from past periods; wkend, hol = weekends, holidays touched; "
        "night = night hours; pref = preference cost; skill = levels short of 5",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    several = len({f.team for f in figures}) > 1
    columns = [
        "engineer", *(["team"] if several else []), "shifts", "hours", "load", "hist",
        "total", "wkend", "hol", "night", "pref", "skill",
    ]  # fmt: skip
    for i, name in enumerate(columns):
        first = i < 1 + several
        table.add_column(name, justify="left" if first else "right", no_wrap=first)
    for f in figures:
        table.add_row(
            Text(f.engineer),
            *([Text(f.team)] if several else []),
            str(f.shifts),
            number(f.hours),
            number(f.load),
            number(f.history_load),
            number(f.total_load),
            str(f.weekends),
            str(f.holidays),
            number(f.night_hours),
            str(f.preference_cost),
            str(f.skill_gap),
        )
    return table


def teams_table(figures: Sequence[TeamFigures]) -> Table:
    """Per team: how evenly the load (history included) is spread, and coverage gaps."""
    table = Table(
        title="Teams: total load (history included) of the engineers counted for fairness, in "
        "weighted hours; gini 0 = even; under, over = person-shifts short of or beyond the "
        "head count",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    columns = [
        "team", "engineers", "min", "max", "spread", "mean", "gini", "under", "over", "pref",
        "skill",
    ]  # fmt: skip
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for f in figures:
        table.add_row(
            Text(f.team),
            str(f.engineers),
            number(f.load_min),
            number(f.load_max),
            number(f.load_spread),
            number(f.load_mean),
            f"{f.load_gini:.3f}",
            str(f.understaffed),
            str(f.overstaffed),
            str(f.preference_cost),
            str(f.skill_gap),
        )
    return table


def _difference(optimised: float | None, baseline: float | None, digits: int = 1) -> str:
    """'-345 (-80%)', '+0.012 (+4%)' or 'same', at the precision the figures are shown."""
    if optimised is None or baseline is None:
        return ""
    optimised, baseline = round(optimised, digits), round(baseline, digits)
    delta = round(optimised - baseline, digits)
    if delta == 0:
        return "same"
    text = f"{delta:+.{digits}f}" if not float(delta).is_integer() else f"{int(delta):+d}"
    if baseline:
        text += f" ({100 * delta / abs(baseline):+.0f}%)"
    return text


def baseline_comparison(
    solution: Solution, baseline: Evaluation, violations: int | None
) -> RenderableType:
    """The optimised schedule beside the fixed-order rotation, judged by the same checker.

    `violations` is the hard-rule count the checker found in the optimised schedule (None when it
    was not checked).
    """
    table = Table(
        title="Optimised vs fixed-order rotation (what an on-call tool would render)",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("measure")
    table.add_column("optimised", justify="right")
    table.add_column("fixed order", justify="right")
    table.add_column("difference", justify="right", style="dim")

    def row(name: str, mine: float | None, theirs: float | None, digits: int = 1) -> None:
        fmt = (lambda v: f"{v:.3f}") if digits == 3 else number
        table.add_row(
            Text(name),
            "-" if mine is None else fmt(mine),
            "-" if theirs is None else fmt(theirs),
            _difference(mine, theirs, digits),
        )

    row("hard rules broken", violations, len(baseline.violations))
    several = len(solution.teams) > 1
    by_team = {t.team: t for t in baseline.teams}
    for mine in solution.teams:
        theirs = by_team.get(mine.team)
        suffix = f" ({mine.team})" if several else ""
        row(f"load spread, h{suffix}", mine.load_spread, theirs and theirs.load_spread)
        row(f"load gini{suffix}", mine.load_gini, theirs and theirs.load_gini, 3)
    row(
        "under-staffed person-shifts",
        sum(t.understaffed for t in solution.teams),
        sum(t.understaffed for t in baseline.teams),
    )
    row(
        "preference cost",
        sum(t.preference_cost for t in solution.teams),
        sum(t.preference_cost for t in baseline.teams),
    )
    row(
        "skill gap",
        sum(t.skill_gap for t in solution.teams),
        sum(t.skill_gap for t in baseline.teams),
    )
    row("objective", solution.objective, baseline.objective)
    parts: list[RenderableType] = [table]
    count = len(baseline.violations)
    if count:
        kinds = Counter(v.rule for v in baseline.violations)
        summary = ", ".join(f"{n} {rule}" for rule, n in kinds.most_common())
        lines = [v.message for v in examples(baseline.violations, EXAMPLES)]
        if count > len(lines):
            lines.append(f"... and {count - len(lines)} more")
        title = f"The fixed-order rotation breaks {count} hard rule(s) ({summary}), e.g.:"
        parts.append(problems(title, lines, ""))
    return Group(*parts)


def examples(violations: Sequence[Violation], count: int) -> list[Violation]:
    """Up to `count` violations, taking each kind of rule in turn so every kind shows."""
    by_rule: dict[str, list[Violation]] = {}
    for v in violations:
        by_rule.setdefault(v.rule, []).append(v)
    chosen: list[Violation] = []
    for depth in range(count):
        for group in by_rule.values():
            if depth < len(group) and len(chosen) < count:
                chosen.append(group[depth])
    return chosen


def problems(title: str, lines: Sequence[str], style: str = "red") -> RenderableType:
    """A heading and one bulleted line per problem, wrapped with a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(width=3, justify="right")
    grid.add_column()
    for line in lines:
        grid.add_row("-", Text(line))
    return Group(Text(title, style=f"bold {style}".strip()), grid)
