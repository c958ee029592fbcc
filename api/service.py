"""What the CLI and the HTTP API both call: solve, then judge the result and the baseline."""

from __future__ import annotations

from collections.abc import Callable

from rotasat.checker import evaluate
from rotasat.engine import Progress, solve
from rotasat.engine.baseline import fixed_order
from rotasat.engine.solve import ScheduleHandler
from rotasat.models import Assignment, Instance, Solution, SolveParameters


def solve_instance(
    instance: Instance,
    params: SolveParameters | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    baseline: bool = True,
    initial: list[Assignment] | None = None,
    on_schedule: ScheduleHandler | None = None,
) -> Solution:
    """Solve `instance` and attach the fixed-order baseline, both judged by the checker.

    `initial` is a schedule to start from (the best one of an interrupted job); `on_schedule`
    receives the objective and the whole schedule each time it improves.
    """
    solution = solve(instance, params, on_progress=on_progress, should_stop=should_stop,
                     initial=initial, on_schedule=on_schedule)
    if baseline:
        solution.baseline = evaluate(instance, fixed_order(instance))
    return solution
