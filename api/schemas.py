"""What the HTTP API answers, as documented in its OpenAPI schema."""

from __future__ import annotations

import datetime as dt
import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SkipValidation
from rotasat.models import Instance, Policy, Solution, SolveParameters
from rotasat.models.solution import Status

from .compare import Comparison
from .store import Feed, Job, utc

JobStatus = Literal["queued", "running", "completed", "failed", "cancelled", "interrupted"]
JobKind = Literal["solve", "compare"]
Preset = Literal["round-robin", "rotating-owner", "most-qualified", "optimised"]
PolicyStep = Literal["waiting", "running", "solved", "stopped", "not run"]
ACTIVE = ("queued", "running")


class Problem(BaseModel):
    """An error: one message, or one per problem ('body: teams[0].id: ...')."""

    detail: str | list[str]


class Progress(BaseModel):
    objective: int | None = Field(None, description="best objective so far")
    bound: float | None = Field(None, description="proven lower bound")
    gap: float | None = Field(None, description="(objective - bound) / objective")
    elapsed: float = Field(0.0, description="seconds of solving")
    solutions: int = Field(0, description="improving solutions found")


class PolicyState(BaseModel):
    """Where one policy of a comparison is."""

    name: str
    description: str = Field(description="what the policy changes")
    state: PolicyStep = Field(
        "waiting", description="waiting; running; solved; stopped (by DELETE while it was "
        "being solved: its best schedule is kept); not run (the comparison ended before it)")
    status: Status | None = Field(None, description="the solver's status once it is over")
    objective: int | None = Field(None, description="best so far, final once it is over")
    bound: float | None = None
    gap: float | None = None
    wall_time: float | None = Field(None, description="seconds, once it is over")


class CompareProgress(BaseModel):
    """A comparison's progress: policies done of the total, the one being solved."""

    team: str | None = Field(None, description="the team whose policy alone is changed")
    done: int = Field(description="policies solved (or stopped)")
    total: int
    current: str | None = Field(None, description="the policy being solved")
    current_objective: int | None = Field(None, description="its best objective so far")
    policies: list[PolicyState] = Field(description="in the order they were given")

    @classmethod
    def of(cls, job: Job) -> CompareProgress | None:
        row = job.comparing
        if row is None:
            return None
        states = [PolicyState.model_validate(item) for item in json.loads(row.progress)]
        if job.status in ACTIVE:
            current = next((p for p in states if p.state == "running"), None)
            if current is not None:
                current.objective, current.bound, current.gap = job.objective, job.bound, job.gap
        else:  # over: what was waiting or running then was never solved
            current = None
            for p in states:
                if p.state in ("waiting", "running"):
                    p.state = "not run"
        return cls(team=row.team, total=len(states), policies=states,
                   done=sum(p.state in ("solved", "stopped") for p in states),
                   current=None if current is None else current.name,
                   current_objective=None if current is None else current.objective)


class JobView(BaseModel):
    id: str
    kind: JobKind = Field("solve", description="a solve, or a comparison of policies")
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
    compare: CompareProgress | None = Field(
        None, description="a comparison's progress (null for a solve)")
    links: dict[str, str]

    @classmethod
    def of(cls, job: Job) -> JobView:
        base = f"/v1/jobs/{job.id}"
        links = {"self": base, "events": f"{base}/events"}
        if job.kind == "solve":
            links.update(schedule=f"{base}/schedule.csv",
                         calendar=f"{base}/calendar.ics?team=TEAM_ID", feeds=f"{base}/feeds")
        else:
            links.update(policy=f"{base}/policies/POSITION")
        return cls(
            id=job.id, kind=job.kind, status=job.status,  # type: ignore[arg-type]
            instance=job.instance_name,
            created_at=utc(job.created_at), started_at=utc(job.started_at),  # type: ignore[arg-type]
            finished_at=utc(job.finished_at), parameters=job.params,
            progress=Progress(objective=job.objective, bound=job.bound, gap=job.gap,
                              elapsed=job.elapsed or 0.0, solutions=job.solutions or 0),
            solution_status=job.solution_status, error=job.error, resumed=job.resumed or 0,
            compare=CompareProgress.of(job), links=links,
        )


class JobDetail(JobView):
    solution: Solution | None = Field(
        None, description="the best solution so far: final once the job is over; while it runs, "
        "the best schedule found (figures come with the final solution); null for a comparison",
    )
    comparison: Comparison | None = Field(
        None, description="a comparison's table once it is over (completed, or cancelled: the "
        "policies solved by then)",
    )


# --------------------------------------------------------------------------------------------
# Comparisons


class CompareRequest(BaseModel):
    """One instance to solve under several policies."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "instance": {
            "name": "core", "horizon": {"start": "2027-01-04", "days": 14},
            "teams": [{"id": "core", "sprints": {"first_start": "2027-01-04"},
                       "engineers": [{"id": "ann"}, {"id": "bob"}, {"id": "cy"}],
                       "rotations": [{"id": "core-oncall", "timezone": "UTC",
                                      "pattern": {"kind": "daily"},
                                      "roles": [{"id": "primary"}]}]}],
        },
        "policies": ["round-robin", {"name": "shield", "reserve": 0.25,
                                     "weights": {"interruption": 50}}],
        "team": None,
    }]})

    instance: Instance
    # checked by the route, so that every problem names its path as the CLI does
    policies: SkipValidation[list[Preset | Policy]] = Field(
        description="a preset (sets `allocation` on every team's policy, or on `team`'s) or a "
        "partial Policy object merged over each team's policy key by key, named by its `name` "
        "(else policy-N); at most ROTASAT_MAX_POLICIES",
    )
    team: str | None = Field(None, description="change only this team's policy; its figures "
                             "are tabulated beside the organisation's")


class PolicyResult(PolicyState):
    """One policy of a comparison with its solution (the stopped one's best schedule too)."""

    position: int
    solution: Solution | None = None


# --------------------------------------------------------------------------------------------
# Calendar feeds


class FeedView(BaseModel):
    id: str
    job: str
    engineer: str | None
    team: str | None
    created_at: dt.datetime

    @classmethod
    def of(cls, feed: Feed) -> FeedView:
        return FeedView(id=feed.id, job=feed.job_id, engineer=feed.engineer, team=feed.team,
                        created_at=utc(feed.created_at))  # type: ignore[arg-type]


class FeedCreated(FeedView):
    url: str = Field(description="the feed's path: GET it without an API key")
    subscribe: str = Field(description="the whole address, as this server sees itself (behind "
                           "a proxy, put the public address before `url`)")
    token: str = Field(description="the feed's secret: shown once, stored only hashed")


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
