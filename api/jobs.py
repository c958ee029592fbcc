"""The job lifecycle: a bounded pool of solver processes fed from a queue of bounded depth.

queued -> running -> completed | failed | cancelled; a job running when the server stops is
marked interrupted (at shutdown, or at the next start after a crash) and may be resumed from its
best schedule. Solves never run in the server's event loop: each runs in one of
`settings.workers` processes (see worker.py). One dispatcher thread reads the workers' events,
records them in the store and in each job's event log (what the SSE stream follows), and hands
queued jobs to idle workers.

A job is a solve or a comparison of policies (`api.compare.compare` in the worker, one policy
after another). A comparison's event log has a `policy` event per policy solved, then `end`;
stopping it keeps the policies solved and the current one's best schedule; resuming an
interrupted one solves every policy again.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import multiprocessing as mp
import queue
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

from rotasat.models import Instance, Solution, SolveParameters

from .schemas import CompareProgress, PolicyState
from .settings import Settings
from .store import CompareJob, Job, Store, now
from .worker import worker_main

log = logging.getLogger("rotasat.api")
MAX_LOGS = 2_000  # event logs kept in memory; older finished jobs replay from the store
MAX_EVENTS = 10_000  # per job


class QueueFull(Exception):
    """Every worker is busy and the queue is at its depth."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the job queue is full: retry in {retry_after} s")
        self.retry_after = retry_after


class Conflict(Exception):
    """The job is not in a state that allows this."""


class EventLog:
    """A job's events in order, for Server-Sent Events: `progress` for each improving
    solution, `end` once it is over."""

    def __init__(self) -> None:
        self.items: list[tuple[int, str, dict[str, Any]]] = []
        self.finished = threading.Event()
        self.best: int | None = None
        self._lock = threading.Lock()

    def add(self, kind: str, data: dict[str, Any]) -> None:
        with self._lock:
            if len(self.items) < MAX_EVENTS or kind == "end":
                self.items.append((len(self.items) + 1, kind, data))
        if kind == "end":
            self.finished.set()

    def since(self, seen: int) -> list[tuple[int, str, dict[str, Any]]]:
        with self._lock:
            return self.items[seen:]


@dataclass
class Slot:
    """One worker process and the job it is solving."""

    process: BaseProcess
    tasks: Any
    stop: Any
    job_id: str | None = None
    started: float = 0.0
    time_limit: float = 0.0
    spawned: float = field(default_factory=time.monotonic)


@dataclass
class Active:
    """What the server keeps about a running job (a comparison: each policy's state too)."""

    params: SolveParameters
    bound: float | None = None
    cancel: bool = False
    started: float = field(default_factory=time.monotonic)
    policies: list[PolicyState] | None = None


def end_data(job: Job) -> dict[str, Any]:
    """The data of a job's `end` event."""
    progress = CompareProgress.of(job)
    if progress is not None:
        return {"status": job.status, "done": progress.done, "total": progress.total,
                "elapsed": job.elapsed, "error": job.error}
    return {
        "status": job.status, "solution_status": job.solution_status,
        "objective": job.objective, "bound": job.bound, "gap": job.gap,
        "elapsed": job.elapsed, "error": job.error,
    }


def waiting(policies: list[PolicyState]) -> str:
    """A comparison's progress before it starts: every policy waiting (JSON)."""
    return json.dumps([PolicyState(name=p.name, description=p.description).model_dump()
                       for p in policies])


def states(job: Job) -> list[PolicyState]:
    assert job.comparing is not None
    return [PolicyState.model_validate(item) for item in json.loads(job.comparing.progress)]


class JobManager:
    """Owns the worker processes, the queue and the event logs."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings, self.store = settings, store
        self.context = mp.get_context("spawn")
        self.events: Any = None
        self.slots: list[Slot] = []
        self.waiting: deque[str] = deque()
        self.active: dict[str, Active] = {}
        self.logs: OrderedDict[str, EventLog] = OrderedDict()
        self.lock = threading.RLock()
        self.closing = threading.Event()
        self.thread = threading.Thread(target=self._run, name="rotasat-jobs", daemon=True)

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the workers, queue again what was queued, mark what was running interrupted."""
        self.events = self.context.Queue()
        self.slots = [self._spawn() for _ in range(self.settings.workers)]
        with self.lock:
            for job_id in self.store.recover():
                self.waiting.append(job_id)
                self._log(job_id)
        self.thread.start()

    def close(self, timeout: float = 3.0) -> None:
        """Stop the workers; running jobs are marked interrupted, queued ones stay queued."""
        self.closing.set()
        self.thread.join(timeout)
        for slot in self.slots:
            slot.tasks.put(None)
        deadline = time.monotonic() + timeout
        for slot in self.slots:
            if slot.job_id is not None:
                slot.process.terminate()
            slot.process.join(max(0.1, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join(1.0)
            if slot.job_id is not None:
                self._finish(slot.job_id, "interrupted",
                             error="the server stopped while this job was running")
                slot.job_id = None

    def _spawn(self) -> Slot:
        tasks, stop = self.context.Queue(), self.context.Event()
        process = self.context.Process(target=worker_main, args=(tasks, self.events, stop),
                                       name="rotasat-solver", daemon=True)
        process.start()
        return Slot(process, tasks, stop)

    def _run(self) -> None:
        """The dispatcher: handle workers' events, replace dead workers, start queued jobs."""
        while not self.closing.is_set():
            try:
                kind, job_id, data = self.events.get(timeout=0.1)
                self._handle(kind, job_id, data)
            except queue.Empty:
                pass
            except Exception:  # a bug here must not stop every job
                log.exception("rotasat: error handling a worker event")
            try:
                self._check_workers()
                self._dispatch()
            except Exception:
                log.exception("rotasat: error dispatching jobs")

    # -- requests ----------------------------------------------------------------------------

    def submit(self, tenant: str, instance: Instance, params: SolveParameters,
               compare: CompareJob | None = None) -> Job:
        """Store a job (a comparison, given its request) and queue it, or raise QueueFull."""
        with self.lock:
            self._check_room()
            job = self.store.add_job(tenant, instance, params, compare)
            self.waiting.append(job.id)
            self._log(job.id)
            self._dispatch()
        return job

    def cancel(self, job: Job) -> None:
        """Take a queued job off the queue, or ask a running one to stop and keep its best
        schedule; Conflict when it is over."""
        with self.lock:
            if job.id in self.waiting:
                self.waiting.remove(job.id)
                self._finish(job.id, "cancelled")
                return
            for slot in self.slots:
                if slot.job_id == job.id:
                    self.active[job.id].cancel = True
                    slot.stop.set()
                    return
        raise Conflict(f"job {job.id} is {job.status}: only a queued or running job can be "
                       "stopped")

    def resume(self, job: Job, time_limit: float | None = None) -> None:
        """Queue an interrupted job again (with a new time limit, if given); it starts from its
        best schedule."""
        with self.lock:
            if job.status != "interrupted":
                raise Conflict(f"job {job.id} is {job.status}: only an interrupted job can be "
                               "resumed")
            self._check_room()
            params = job.params
            if time_limit is not None:
                params = params.model_copy(update={"time_limit": time_limit})
            self.store.update_job(job.id, status="queued", finished_at=None, error=None,
                                  resumed=job.resumed + 1, parameters=params.model_dump_json())
            if job.comparing is not None:
                self.store.restart_compare(job.id, waiting(states(job)))
            self.waiting.append(job.id)
            self.logs.pop(job.id, None)
            self._log(job.id)
            self._dispatch()

    def event_log(self, job_id: str) -> EventLog | None:
        with self.lock:
            return self.logs.get(job_id)

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {
                "workers": sum(s.process.is_alive() for s in self.slots),
                "running": sum(s.job_id is not None for s in self.slots),
                "queued": len(self.waiting),
            }

    # -- internals (called with the lock held, or from the dispatcher) -----------------------

    def _check_room(self) -> None:
        idle = sum(s.job_id is None for s in self.slots)
        if len(self.waiting) >= self.settings.queue_depth + idle:
            raise QueueFull(self._retry_after())

    def _retry_after(self) -> int:
        """Seconds until a running job reaches its time limit at the latest."""
        left = [s.time_limit - (time.monotonic() - s.started) for s in self.slots if s.job_id]
        return max(1, math.ceil(min(left, default=1.0)))

    def _log(self, job_id: str) -> EventLog:
        if job_id not in self.logs:
            self.logs[job_id] = EventLog()
            finished = [k for k, v in self.logs.items() if v.finished.is_set()]
            for old in itertools.islice(finished, max(0, len(self.logs) - MAX_LOGS)):
                del self.logs[old]
        return self.logs[job_id]

    def _dispatch(self) -> None:
        with self.lock:
            for slot in self.slots:
                if not self.waiting:
                    return
                if slot.job_id is not None or not slot.process.is_alive():
                    continue
                job = self.store.job(self.waiting.popleft())
                if job is None or job.status != "queued":
                    continue
                params = job.params
                active = Active(params)
                if job.comparing is None:
                    initial = self.store.best_schedule(job.id) if job.resumed else []
                    extra = json.dumps([a.model_dump(mode="json") for a in initial])
                else:
                    active.policies = states(job)
                    extra = json.dumps({"team": job.comparing.team,
                                        "policies": json.loads(job.comparing.policies)})
                slot.stop.clear()
                slot.job_id, slot.started = job.id, time.monotonic()
                slot.time_limit = params.time_limit * len(active.policies or [None])
                self.active[job.id] = active
                self.store.update_job(job.id, status="running", started_at=now())
                slot.tasks.put((job.kind, job.id, self.store.instance(job).model_dump_json(),
                                params.model_dump_json(), extra))

    def _check_workers(self) -> None:
        with self.lock:
            for i, slot in enumerate(self.slots):
                if slot.process.is_alive() or self.closing.is_set():
                    continue
                if time.monotonic() - slot.spawned < 1.0:
                    continue  # a worker that dies at once is replaced once a second at most
                if slot.job_id is not None:
                    self._finish(slot.job_id, "failed", error=(
                        "internal error: the worker process solving this job stopped "
                        f"(exit code {slot.process.exitcode})"))
                self.slots[i] = self._spawn()

    def _handle(self, kind: str, job_id: str, data: Any) -> None:
        active = self.active.get(job_id)
        if active is None:
            return
        if active.policies is not None:
            self._handle_compare(kind, job_id, data, active, active.policies)
        elif kind == "progress":
            active.bound = data["bound"]
            self.store.update_job(job_id, objective=data["objective"], bound=data["bound"],
                                  gap=data["gap"], elapsed=data["elapsed"],
                                  solutions=data["solutions"])
            event_log = self._log(job_id)
            if data["objective"] is not None and (
                event_log.best is None or data["objective"] < event_log.best
            ):
                event_log.best = data["objective"]
                event_log.add("progress", data)
        elif kind == "schedule":
            job = self.store.job(job_id)
            objective = data["objective"]
            bound = active.bound if active.bound is not None else None
            gap = None if bound is None else abs(objective - bound) / max(1.0, abs(objective))
            interim = Solution.model_validate({
                "instance": job.instance_name if job else "", "status": "FEASIBLE",
                "objective": objective, "bound": bound, "gap": gap,
                "wall_time": data["elapsed"], "parameters": active.params.model_dump(),
                "assignments": data["assignments"],
            })
            self.store.save_solution(job_id, interim, final=False)
        elif kind == "done":
            solution = Solution.model_validate_json(data)
            self.store.save_solution(job_id, solution, final=True)
            if solution.status == "MODEL_INVALID":
                self._finish(job_id, "failed", solution, error=(
                    "internal error: the solver rejected the model (MODEL_INVALID)"))
            else:
                self._finish(job_id, "cancelled" if active.cancel else "completed", solution)
        elif kind == "failed":
            self._finish(job_id, "failed", error=data)

    def _handle_compare(self, kind: str, job_id: str, data: Any, active: Active,
                        policies: list[PolicyState]) -> None:
        """A comparison's events: `policy` (one starts), `progress` (of the one being solved),
        `solved` (one is over: its solution), `done` (the table), `failed`."""
        if kind == "policy":
            policies[data["index"]].state = "running"
            self.store.update_compare(job_id, progress=self._states_json(policies))
            self.store.update_job(job_id, objective=None, bound=None, gap=None, solutions=0,
                                  elapsed=data["elapsed"])
        elif kind == "progress":
            self.store.update_job(job_id, objective=data["objective"], bound=data["bound"],
                                  gap=data["gap"], elapsed=data["elapsed"],
                                  solutions=data["solutions"])
        elif kind == "solved":
            index = data["index"]
            solution = Solution.model_validate_json(data["solution"])
            self.store.save_policy_solution(job_id, index, solution)
            state = policies[index]
            state.state = "stopped" if data["stopped"] else "solved"
            state.status, state.objective = solution.status, solution.objective
            state.bound, state.gap = solution.bound, solution.gap
            state.wall_time = solution.wall_time
            self.store.update_compare(job_id, progress=self._states_json(policies))
            done = sum(p.state in ("solved", "stopped") for p in policies)
            self._log(job_id).add("policy", {"position": index, **state.model_dump(),
                                             "done": done, "total": len(policies)})
        elif kind == "done":
            self.store.update_compare(job_id, comparison=data["comparison"])
            self.store.update_job(job_id, objective=None, bound=None, gap=None, solutions=0,
                                  elapsed=data["elapsed"])
            self._finish(job_id, "cancelled" if active.cancel else "completed")
        elif kind == "failed":
            self._finish(job_id, "failed", error=data)

    @staticmethod
    def _states_json(policies: list[PolicyState]) -> str:
        return json.dumps([p.model_dump() for p in policies])

    def _finish(self, job_id: str, status: str, solution: Solution | None = None,
                error: str | None = None) -> None:
        """Record the end of a job, free its worker and close its event log."""
        values: dict[str, Any] = {"status": status, "finished_at": now(), "error": error}
        if solution is not None:
            values.update(solution_status=solution.status, objective=solution.objective,
                          bound=solution.bound, gap=solution.gap, elapsed=solution.wall_time)
        self.store.update_job(job_id, **values)
        with self.lock:
            self.active.pop(job_id, None)
            for slot in self.slots:
                if slot.job_id == job_id:
                    slot.job_id = None
            job = self.store.job(job_id)
            if job is not None:
                self._log(job_id).add("end", end_data(job))
