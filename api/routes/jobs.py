"""Jobs: submit (202 + Location), list, follow (SSE), stop, resume."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, HTTPException, Query, Response
from fastapi.responses import StreamingResponse
from rotasat.models import Instance

from ..compare import Comparison
from ..deps import JobDep, JobParamsDep, JobsDep, SettingsDep, StoreDep, TenantDep, check_size
from ..jobs import Conflict, JobManager, end_data
from ..schemas import JobDetail, JobKind, JobPage, JobStatus, JobView, Problem
from ..settings import Settings

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "no such job (or another tenant's)"},
}
STOP_WAIT = 10.0  # seconds DELETE waits for a running job to hand back its best schedule


@router.post("", status_code=202, summary="Submit a solve job",
             responses={422: {"model": Problem}, 429: {"model": Problem,
                        "description": "the queue is full: retry after Retry-After seconds"}})
def submit(instance: Instance, params: JobParamsDep, tenant: TenantDep, jobs: JobsDep,
           settings: SettingsDep, response: Response) -> JobView:
    """Queues the instance for a worker; follow it at Location (or its `events` stream)."""
    check_size(instance, settings)
    job = jobs.submit(tenant, instance, params)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return JobView.of(job)


@router.get("", summary="List jobs, newest first")
def list_jobs(
    tenant: TenantDep, store: StoreDep, settings: SettingsDep,
    limit: Annotated[int | None, Query(ge=1, le=1000, description="page size")] = None,
    offset: Annotated[int, Query(ge=0, le=2**31)] = 0,
    status: JobStatus | None = None,
    kind: JobKind | None = None,
) -> JobPage:
    size = limit or settings.page_size
    rows, total = store.jobs(tenant, size, offset, status, kind)
    return JobPage(items=[JobView.of(job) for job in rows], total=total, limit=size,
                   offset=offset)


@router.get("/{job_id}", summary="A job: status, progress, best solution so far",
            responses=NOT_FOUND)
def get_job(job: JobDep, store: StoreDep) -> JobDetail:
    """A comparison has no `solution` but, once over, its `comparison` table (each policy's
    solution is at /v1/jobs/{job_id}/policies/POSITION)."""
    if job.comparing is not None:
        table = store.comparison(job.id)
        comparison = None if table is None else Comparison.model_validate_json(table)
        return JobDetail(**JobView.of(job).model_dump(), comparison=comparison)
    return JobDetail(**JobView.of(job).model_dump(), solution=store.solution(job.id))


@router.delete("/{job_id}", summary="Stop a job early, keeping its best solution",
               responses={**NOT_FOUND, 202: {"model": JobView, "description": "still stopping"},
                          409: {"model": Problem, "description": "the job is already over"}})
def stop_job(job: JobDep, jobs: JobsDep, store: StoreDep, response: Response) -> JobView:
    """A queued job is cancelled at once; a running one stops searching and keeps its best
    schedule (answer 200 once it has, 202 if it takes longer than a few seconds). A comparison
    keeps the policies solved and the current one's best schedule, and tabulates them."""
    try:
        jobs.cancel(job)
    except Conflict as error:
        raise HTTPException(409, str(error)) from None
    event_log = jobs.event_log(job.id)
    if event_log is not None:
        event_log.finished.wait(STOP_WAIT)
    job = store.job(job.id) or job
    if job.status in ("queued", "running"):
        response.status_code = 202
    return JobView.of(job)


@router.post("/{job_id}/resume", status_code=202, summary="Resume an interrupted job",
             responses={**NOT_FOUND, 409: {"model": Problem}, 429: {"model": Problem}})
def resume_job(
    job: JobDep, jobs: JobsDep, store: StoreDep, settings: SettingsDep, response: Response,
    time_limit: Annotated[float | None, Query(
        gt=0, description="a new time limit (default: the job's own), capped by the server")
    ] = None,
) -> JobView:
    """Queues it again with its parameters, starting from its best schedule so far (a
    comparison solves every policy again)."""
    if time_limit is not None and time_limit > settings.max_time_limit:
        raise HTTPException(422, [f"query: time_limit: at most {settings.max_time_limit:g} s "
                                  f"on this server (got {time_limit:g})"])
    try:
        jobs.resume(job, time_limit)
    except Conflict as error:
        raise HTTPException(409, str(error)) from None
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return JobView.of(store.job(job.id) or job)


@router.get("/{job_id}/events", summary="Follow a job as Server-Sent Events",
            response_class=StreamingResponse,
            responses={**NOT_FOUND, 200: {"content": {"text/event-stream": {}},
                       "description": "`progress` per improving solution (a comparison: "
                       "`policy` per policy solved), then `end`"}})
async def events(job: JobDep, jobs: JobsDep, settings: SettingsDep,
                 last_event_id: Annotated[str | None, Header()] = None) -> StreamingResponse:
    """One `progress` event per improving solution (objective, bound, gap, elapsed,
    solutions), then one `end` event (status, solution_status, objective, ...); a comment every
    15 s keeps the connection open. Reconnect with Last-Event-ID to skip what was seen.

    A comparison: one `policy` event per policy solved (position, name, state, status,
    objective, bound, gap, wall_time, done, total), then `end` (status, done, total, elapsed,
    error)."""
    seen = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    return StreamingResponse(stream(job.id, seen, jobs, settings),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def sse(event_id: int, kind: str, data: dict[str, object]) -> str:
    return f"id: {event_id}\nevent: {kind}\ndata: {json.dumps(data)}\n\n"


async def stream(job_id: str, seen: int, jobs: JobManager,
                 settings: Settings) -> AsyncIterator[str]:
    """The job's event log from `seen` on, until its end (bounded by settings.stream_seconds)."""
    event_log = jobs.event_log(job_id)
    if event_log is None:  # over before this server started: only its end is known
        job = await anyio.to_thread.run_sync(jobs.store.job, job_id)
        if job is not None:
            yield sse(1, "end", end_data(job))
        return
    deadline = time.monotonic() + settings.stream_seconds
    beat = time.monotonic()
    while time.monotonic() < deadline and not jobs.closing.is_set():
        for event_id, kind, data in event_log.since(seen):
            seen = event_id
            yield sse(event_id, kind, data)
            if kind == "end":
                return
        if time.monotonic() - beat > 15:
            beat = time.monotonic()
            yield ": keep-alive\n\n"
        await anyio.sleep(0.1)
