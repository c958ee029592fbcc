"""What the CLI and the HTTP API both call: solve, then judge the result and the baseline."""

from __future__ import annotations

from collections.abc import Callable

from rotasat.checker import evaluate
from rotasat.engine import Progress, solve
from rotasat.engine.baseline import fixed_order
from rotasat.models import Instance, Solution, SolveParameters


def solve_instance(
    instance: Instance,
    params: SolveParameters | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    baseline: bool = True,
) -> Solution:
    """Solve `instance` and attach the fixed-order baseline, both judged by the checker."""
    solution = solve(instance, params, on_progress=on_progress, should_stop=should_stop)
    if baseline:
        solution.baseline = evaluate(instance, fixed_order(instance))
    return solution
