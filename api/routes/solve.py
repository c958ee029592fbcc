"""POST /v1/solve: a synchronous solve for small instances, with a capped time limit."""

from __future__ import annotations

import anyio
from fastapi import APIRouter, Response
from rotasat.models import Instance, Solution

from ..deps import JobsDep, SettingsDep, StoreDep, SyncParamsDep, TenantDep, check_size
from ..schemas import JobView, Problem

router = APIRouter(prefix="/v1", tags=["solve"])


@router.post(
    "/solve", summary="Solve and wait for the solution", response_model=None,
    responses={
        200: {"model": Solution, "description": "the solution"},
        202: {"model": JobView, "description": "still running after the server's wait: follow "
              "the job at Location"},
        422: {"model": Problem}, 429: {"model": Problem},
    },
)
async def solve(instance: Instance, params: SyncParamsDep, tenant: TenantDep, jobs: JobsDep,
                store: StoreDep, settings: SettingsDep,
                response: Response) -> Solution | JobView:
    """Runs as a job in the worker pool (so it is also at Location, with its calendar and CSV)
    and answers with the Solution when done. The time limit is capped by the server
    (ROTASAT_MAX_SYNC_TIME_LIMIT); a full queue answers 429 with Retry-After."""
    check_size(instance, settings)
    job = await anyio.to_thread.run_sync(jobs.submit, tenant, instance, params)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    event_log = jobs.event_log(job.id)
    if event_log is not None:
        await anyio.to_thread.run_sync(event_log.finished.wait, settings.sync_wait)
    stored = await anyio.to_thread.run_sync(lambda: store.job(job.id))
    job = stored or job
    solution = await anyio.to_thread.run_sync(store.solution, job.id)
    if job.status in ("queued", "running") or solution is None:
        response.status_code = 202
        return JobView.of(job)
    return solution
