"""A job's schedule for calendars (iCalendar, per engineer or team) and spreadsheets (CSV)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Response
from rotasat.models import Instance, Solution

from ..deps import JobDep, StoreDep
from ..ical import calendar, schedule_csv
from ..schemas import Problem
from ..store import Job, Store, utc

router = APIRouter(prefix="/v1/jobs", tags=["calendars"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "no such job, engineer or team"},
    409: {"model": Problem, "description": "the job has no schedule yet, or is a comparison"},
    422: {"model": Problem, "description": "neither or both of engineer and team"},
}


def schedule_of(job: Job, store: Store) -> tuple[Instance, Solution]:
    if job.comparing is not None:  # a schedule per policy, not one
        raise HTTPException(409, f"job {job.id} is a comparison: each policy's schedule is at "
                                 f"/v1/jobs/{job.id}/policies/POSITION")
    solution = store.solution(job.id)
    if solution is None or not solution.assignments:
        raise HTTPException(409, f"job {job.id} has no schedule yet (status {job.status})")
    return store.instance(job), solution


@router.get("/{job_id}/calendar.ics", summary="iCalendar feed of one engineer or one team",
            response_class=Response, responses={
                200: {"content": {"text/calendar": {}}, "description": "the feed"}, **ERRORS})
def calendar_feed(
    job: JobDep, store: StoreDep,
    engineer: Annotated[str | None, Query(description="an engineer's id")] = None,
    team: Annotated[str | None, Query(description="a team's id")] = None,
) -> Response:
    """Every duty of the engineer (or of the team's engineers) in the job's best schedule,
    importable into Google Calendar and Outlook."""
    if (engineer is None) == (team is None):
        raise HTTPException(422, ["query: give engineer=ID or team=ID, one of them"])
    instance, solution = schedule_of(job, store)
    if engineer is not None:
        known = {e.id for t in instance.teams for e in t.engineers}
        if engineer not in known:
            raise HTTPException(404, f"no engineer {engineer!r} in instance {instance.name!r}")
        chosen = [a for a in solution.assignments if a.engineer == engineer]
        title, name = f"{engineer} on call ({instance.name})", engineer
    else:
        if team not in {t.id for t in instance.teams}:
            raise HTTPException(404, f"no team {team!r} in instance {instance.name!r}")
        chosen = [a for a in solution.assignments if a.team == team]
        title, name = f"{team} on call ({instance.name})", str(team)
    stamp = utc(job.finished_at or job.started_at or job.created_at)
    body = calendar(instance, chosen, job.id, title, stamp)  # type: ignore[arg-type]
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}-{job.id}.ics"'})


@router.get("/{job_id}/schedule.csv", summary="The job's best schedule as CSV",
            response_class=Response, responses={
                200: {"content": {"text/csv": {}}, "description": "one row per assignment"},
                404: ERRORS[404], 409: ERRORS[409]})
def schedule(job: JobDep, store: StoreDep) -> Response:
    instance, solution = schedule_of(job, store)
    return Response(schedule_csv(instance, solution.assignments),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{job.id}.csv"'})
