"""What runs inside a solver worker process: take a task, solve it, report as it goes.

Events go back to the server on one shared queue as (kind, job id, data) tuples: `started`,
`progress` (objective, bound, gap, elapsed, solutions), `schedule` (each improving schedule),
`done` (the Solution JSON) and `failed` (a message). A comparison sends `policy` as each policy
starts (its index), `progress` of that policy's search, `solved` with each policy's Solution, and
`done` with the Comparison JSON. A stop request is a multiprocessing Event the solve polls
(`should_stop`), exactly as Ctrl-C does in the CLI.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import threading
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from typing import Any

# kind ('solve' or 'compare'), job id, instance JSON, parameters JSON, and the initial schedule
# (a solve) or the policies and team (a comparison) as JSON
Task = tuple[str, str, str, str, str]


def worker_main(tasks: Queue[Task | None], events: Queue[Any], stop: Event) -> None:
    """Serve tasks until told to stop (None) or the server process is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    _exit_with_parent(os.getppid())
    from .service import solve_instance  # imported once per process, after the fork

    while True:
        try:
            task = tasks.get(timeout=1.0)
        except queue.Empty:
            continue
        except (EOFError, OSError):
            return
        if task is None:
            return
        run_task(task, events, stop, solve_instance)


def run_task(task: Task, events: Queue[Any], stop: Event, solve_instance: Any) -> None:
    """Solve one job, sending its progress, improving schedules and result."""
    from rotasat.models import Assignment, Instance, SolveParameters

    kind, job_id, instance_json, params_json, initial_json = task
    if kind == "compare":
        run_comparison(task, events, stop)
        return
    events.put(("started", job_id, None))
    started = time.perf_counter()
    last: list[Any] = [None]

    def on_progress(p: Any) -> None:
        key = (p.objective, round(p.bound, 6))
        if key != last[0]:
            last[0] = key
            events.put(("progress", job_id, {
                "objective": p.objective, "bound": p.bound, "gap": p.gap,
                "elapsed": round(p.elapsed, 3), "solutions": p.solutions,
            }))

    def on_schedule(objective: int, schedule: list[Any]) -> None:
        events.put(("schedule", job_id, {
            "objective": objective, "elapsed": round(time.perf_counter() - started, 3),
            "assignments": [a.model_dump(mode="json") for a in schedule],
        }))

    try:
        instance = Instance.model_validate_json(instance_json)
        params = SolveParameters.model_validate_json(params_json)
        initial = [Assignment.model_validate(a) for a in json.loads(initial_json)]
        solution = solve_instance(instance, params, on_progress=on_progress,
                                  should_stop=stop.is_set, baseline=True,
                                  initial=initial or None, on_schedule=on_schedule)
        events.put(("done", job_id, solution.model_dump_json()))
    except Exception as error:  # a bug: the job fails, the worker lives on
        events.put(("failed", job_id, f"internal error: {type(error).__name__}: {error}"))


def run_comparison(task: Task, events: Queue[Any], stop: Event) -> None:
    """Solve one instance under each policy of a comparison, reporting each one."""
    from rotasat.models import Instance, SolveParameters

    from .compare import PolicyChoice, compare

    _, job_id, instance_json, params_json, request_json = task
    events.put(("started", job_id, None))
    started = time.perf_counter()
    last: list[Any] = [None]

    def elapsed() -> float:
        return round(time.perf_counter() - started, 3)

    def on_started(choice: PolicyChoice) -> None:
        last[0] = None
        events.put(("policy", job_id, {"index": position[choice.name], "elapsed": elapsed()}))

    def on_progress(_: PolicyChoice, p: Any) -> None:
        key = (p.objective, round(p.bound, 6))
        if key != last[0]:
            last[0] = key
            events.put(("progress", job_id, {
                "objective": p.objective, "bound": p.bound, "gap": p.gap,
                "elapsed": elapsed(), "solutions": p.solutions,
            }))

    def on_solved(choice: PolicyChoice, solution: Any) -> None:
        stopped = stop.is_set() and solution.status not in ("OPTIMAL", "INFEASIBLE")
        events.put(("solved", job_id, {"index": position[choice.name], "stopped": stopped,
                                       "solution": solution.model_dump_json()}))

    try:
        instance = Instance.model_validate_json(instance_json)
        params = SolveParameters.model_validate_json(params_json)
        request = json.loads(request_json)
        choices = [PolicyChoice.model_validate(c) for c in request["policies"]]
        position = {choice.name: k for k, choice in enumerate(choices)}
        comparison = compare(instance, choices, params, request["team"], on_solved=on_solved,
                             on_started=on_started, on_progress=on_progress,
                             should_stop=stop.is_set)
        events.put(("done", job_id, {"comparison": comparison.model_dump_json(),
                                     "elapsed": elapsed()}))
    except Exception as error:  # a bug: the job fails, the worker lives on
        events.put(("failed", job_id, f"internal error: {type(error).__name__}: {error}"))


def _exit_with_parent(parent: int) -> None:
    """A worker never outlives its server, even one killed with SIGKILL."""

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
