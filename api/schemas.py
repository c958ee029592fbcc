"""What the HTTP API answers, as documented in its OpenAPI schema."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field
from rotasat.models import Solution, SolveParameters

from .store import Job, utc

JobStatus = Literal["queued", "running", "completed", "failed", "cancelled", "interrupted"]


class Problem(BaseModel):
    """An error: one message, or one per problem ('body: teams[0].id: ...')."""

    detail: str | list[str]


class Progress(BaseModel):
    objective: int | None = Field(None, description="best objective so far")
    bound: float | None = Field(None, description="proven lower bound")
    gap: float | None = Field(None, description="(objective - bound) / objective")
    elapsed: float = Field(0.0, description="seconds of solving")
    solutions: int = Field(0, description="improving solutions found")


class JobView(BaseModel):
    id: str
    status: JobStatus
    instance: str = Field(description="the instance's name")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    parameters: SolveParameters
    progress: Progress
    solution_status: str | None = Field(
        None, description="OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN once the solve returned"
    )
    error: str | None = None
    resumed: int = Field(0, description="times resumed after an interruption")
    links: dict[str, str]

    @classmethod
    def of(cls, job: Job) -> JobView:
        base = f"/v1/jobs/{job.id}"
        return cls(
            id=job.id, status=job.status, instance=job.instance_name,  # type: ignore[arg-type]
            created_at=utc(job.created_at), started_at=utc(job.started_at),  # type: ignore[arg-type]
            finished_at=utc(job.finished_at), parameters=job.params,
            progress=Progress(objective=job.objective, bound=job.bound, gap=job.gap,
                              elapsed=job.elapsed or 0.0, solutions=job.solutions or 0),
            solution_status=job.solution_status, error=job.error, resumed=job.resumed or 0,
            links={"self": base, "events": f"{base}/events", "schedule": f"{base}/schedule.csv",
                   "calendar": f"{base}/calendar.ics?team=TEAM_ID"},
        )


class JobDetail(JobView):
    solution: Solution | None = Field(
        None, description="the best solution so far: final once the job is over; while it runs, "
        "the best schedule found (figures come with the final solution)",
    )


class JobPage(BaseModel):
    items: list[JobView]
    total: int
    limit: int
    offset: int


class ValidationReport(BaseModel):
    valid: Literal[True] = True
    summary: str = Field(description="what `rotasat validate` prints after 'OK: FILE: '")
    name: str
    teams: int
    engineers: int
    rotations: int
    shifts: int
    days: int
    first_day: dt.date
    last_day: dt.date


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    workers: int = Field(description="solver processes alive")
    running: int
    queued: int
    queue_depth: int
