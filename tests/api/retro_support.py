"""Past plans for the retrospective tests, built as Solutions with sprint figures directly (the
engine's sprint figures are not needed to test the comparison), and actuals CSV text.

Sprints last 14 days from Monday 2027-01-04 and carry the engine's labels,
'sprint 1 (2027-01-04 to 2027-01-17)'.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from rotasat.models import Solution, SprintFigures, TeamFigures

FIRST = dt.date(2027, 1, 4)
LENGTH = 14


def sprint_start(number: int) -> dt.date:
    return FIRST + dt.timedelta(days=LENGTH * (number - 1))


def sprint_label(number: int) -> str:
    start = sprint_start(number)
    return f"sprint {number} ({start} to {start + dt.timedelta(days=LENGTH - 1)})"


def figure(
    engineer: str,
    number: int = 1,
    *,
    team: str = "payments",
    capacity: float = 80.0,
    reserve: float = 0.2,
    duty: float = 8.0,
    incident: float = 4.0,
    interrupting: float = 0.0,
) -> SprintFigures:
    """One engineer in sprint `number`: reserve is the policy's share of capacity."""
    reserve_hours = reserve * capacity
    support = duty + incident + interrupting
    protected = 100 * (capacity - max(reserve_hours, support)) / capacity if capacity else 0.0
    return SprintFigures(
        engineer=engineer,
        team=team,
        sprint=sprint_label(number),
        start=sprint_start(number),
        capacity_hours=capacity,
        reserve_hours=reserve_hours,
        duty_hours=duty,
        incident_hours=incident,
        interrupting_hours=interrupting,
        interruption_hours=max(0.0, support - reserve_hours),
        protected_pct=protected,
    )


def team_figures(
    team: str, engineers: Sequence[str], sprints: int, **options: float
) -> list[SprintFigures]:
    """Every engineer in sprints 1..`sprints`, all alike."""
    return [figure(e, n, team=team, **options) for n in range(1, sprints + 1) for e in engineers]


def plan(figures: Sequence[SprintFigures], instance: str = "retro-test") -> Solution:
    """A solved plan holding `figures`, with per-team figures summed from them."""
    by_team: dict[str, list[SprintFigures]] = defaultdict(list)
    for f in figures:
        by_team[f.team].append(f)
    teams = []
    for team, members in sorted(by_team.items()):
        capacity = sum(f.capacity_hours for f in members)
        used = sum(max(f.reserve_hours, f.duty_hours + f.incident_hours + f.interrupting_hours)
                   for f in members)
        teams.append(
            TeamFigures(
                team=team,
                engineers=len({f.engineer for f in members}),
                load_min=0, load_max=0, load_spread=0, load_mean=0, load_gini=0,
                understaffed=0, overstaffed=0, preference_cost=0, skill_gap=0,
                interruption_hours=sum(f.interruption_hours for f in members),
                interrupted_sprints=sum(1 for f in members if f.interruption_hours > 0),
                protected_pct=100 * (capacity - used) / capacity if capacity else None,
            )
        )
    return Solution(
        instance=instance, status="OPTIMAL", objective=0, bound=0, gap=0, wall_time=0.1,
        teams=teams, sprints=list(figures),
    )


def csv_text(*rows: str, header: str = "engineer,sprint,hours") -> str:
    return "\n".join([header, *rows]) + "\n"
