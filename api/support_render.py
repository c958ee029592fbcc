"""Rich tables for the support side of a result: incidents, sprints and the reserve.

Shown only when the instance has incidents. Planners act on three things here: which teams'
sprints were interrupted and by how much, what waits in the backlog, and which SLAs are missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from rich import box
from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from rotasat.models import Solution
from rotasat.models.solution import IncidentOutcome, SprintFigures, TeamFigures

from .render import number

LISTED = 15  # deferred or SLA-missed incidents listed by name


def support_tables(solution: Solution) -> list[RenderableType]:
    if not solution.incidents:
        return []
    return [
        support_table(solution.teams),
        sprints_table(solution.sprints),
        attention_table(solution.incidents),
    ]


def support_table(figures: Sequence[TeamFigures]) -> Table:
    """Per team: incidents owned, the sprint reserve, and how evenly support is spread."""
    table = Table(
        title="Support: incidents the team owns (handled, deferred to the backlog, SLA met / "
        "missed); over h = support hours beyond the sprint reserve, in 'hit' engineer-sprints; "
        "protected = share of sprint capacity left for sprint work; spread = support hours "
        "between the most and least loaded; exp gap = skill levels below the best available; "
        "know = engineers who handled each system, on average",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    columns = ["team", "handled", "deferred", "SLA ok", "SLA miss", "over h", "hit",
               "protected", "spread h", "gini", "exp gap", "know"]
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=True)
    for f in figures:
        knowledge = (sum(f.knowledge.values()) / len(f.knowledge)) if f.knowledge else None
        table.add_row(
            Text(f.team), str(f.incidents_handled), str(f.deferred), str(f.sla_met),
            str(f.sla_missed), number(f.interruption_hours), str(f.interrupted_sprints),
            "-" if f.protected_pct is None else f"{f.protected_pct:.1f}%",
            number(f.support_spread), f"{f.support_gini:.3f}", str(f.expertise_gap),
            number(knowledge),
        )
    return table


def sprints_table(rows: Sequence[SprintFigures]) -> Table:
    """Per team and sprint, summed over engineers: capacity, reserve and what support took."""
    table = Table(
        title="Sprints (hours, summed over each team's engineers): duty = on-call support, "
        "planned = incidents that may not interrupt, urgent = incidents that may, over = beyond "
        "the reserve",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    columns = ["team", "sprint", "capacity", "reserve", "duty", "planned", "urgent", "over",
               "protected"]
    for i, name in enumerate(columns):
        table.add_column(name, justify="left" if i < 2 else "right", no_wrap=True)
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * 6)
    for r in rows:
        sums = totals[r.team, r.sprint]
        for k, v in enumerate((r.capacity_hours, r.reserve_hours, r.duty_hours,
                               r.incident_hours, r.interrupting_hours, r.interruption_hours)):
            sums[k] += v
    for (team, sprint), (cap, reserve, duty, planned, urgent, over) in totals.items():
        used = min(cap, duty + planned + urgent)
        protected = f"{100 * (cap - used) / cap:.1f}%" if cap else "-"
        table.add_row(Text(team), Text(sprint), *(number(x) for x in
                      (cap, reserve, duty, planned, urgent, over)), protected)
    return table


def attention_table(outcomes: Sequence[IncidentOutcome]) -> Table:
    """The incidents a planner has to act on: deferred, or with a missed SLA."""
    flagged = [o for o in outcomes if o.deferred or o.sla_met is False]
    table = Table(
        title=f"Incidents needing attention: {sum(o.deferred for o in outcomes)} deferred, "
        f"{sum(o.sla_met is False for o in outcomes)} SLA missed"
        + (f" (first {LISTED} listed)" if len(flagged) > LISTED else ""),
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    for name in ("incident", "team", "handler", "planned for", "SLA", "why"):
        table.add_column(name, no_wrap=name == "incident")
    for o in flagged[:LISTED]:
        sla = "-" if o.sla_met is None else ("met" if o.sla_met else "missed")
        table.add_row(Text(o.incident), Text(o.team), Text(o.handler or "-"),
                      Text(o.target_sprint or o.sprint or "-"), sla, Text(o.reason or ""))
    return table
