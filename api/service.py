"""What the CLI and the HTTP API both call: solve, then judge the result and the baseline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from rotasat.checker import evaluate
from rotasat.engine import Progress, solve
from rotasat.engine.baseline import fixed_order
from rotasat.engine.solve import ScheduleHandler
from rotasat.models import (
    Assignment,
    Evaluation,
    Instance,
    Solution,
    SolveParameters,
    team_shifts,
)


def solve_instance(
    instance: Instance,
    params: SolveParameters | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    baseline: bool = True,
    initial: list[Assignment] | None = None,
    on_schedule: ScheduleHandler | None = None,
    initial_incidents: dict[str, str | None] | None = None,
) -> Solution:
    """Solve `instance` and attach the fixed-order baseline, both judged by the checker.

    `initial` is a schedule to start from (the best one of an interrupted job); `on_schedule`
    receives the objective and the whole schedule each time it improves.
    """
    solution = solve(instance, params, on_progress=on_progress, should_stop=should_stop,
                     initial=initial, on_schedule=on_schedule,
                     initial_incidents=initial_incidents)
    if baseline:
        solution.baseline = judge_baseline(instance)
    return solution


def judge_baseline(instance: Instance) -> Evaluation:
    """The fixed-order rotation judged by the checker, on the rotation alone: an on-call tool
    renders turns, not incident allocations, so incidents are left out of its judgement."""
    rotation_only = instance.model_copy(update={"incidents": []})
    return evaluate(rotation_only, fixed_order(rotation_only))


def plural(count: int, word: str, suffix: str = "s") -> str:
    """plural(1, 'team') -> '1 team', plural(2, 'mismatch', 'es') -> '2 mismatches'."""
    return f"{count} {word}{'' if count == 1 else suffix}"


def instance_summary(instance: Instance) -> dict[str, Any]:
    """What `rotasat validate` and POST /v1/validate report about a valid instance."""
    teams = instance.teams
    figures: dict[str, Any] = {
        "name": instance.name,
        "teams": len(teams),
        "engineers": sum(len(t.engineers) for t in teams),
        "rotations": sum(len(t.rotations) for t in teams),
        "shifts": sum(len(team_shifts(instance, t)) for t in teams),
        "days": instance.horizon.days,
        "first_day": instance.horizon.start,
        "last_day": instance.horizon.end - dt.timedelta(days=1),
    }
    figures["summary"] = (
        f"{instance.name}: {plural(figures['teams'], 'team')}, "
        f"{plural(figures['engineers'], 'engineer')}, {plural(figures['rotations'], 'rotation')}, "
        f"{plural(figures['shifts'], 'shift')}, {plural(figures['days'], 'day')} from "
        f"{figures['first_day']} to {figures['last_day']}"
    )
    return figures
