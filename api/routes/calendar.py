"""A job's schedule for calendars (iCalendar, per engineer or team) and spreadsheets (CSV), and
calendar subscriptions: feeds read with a secret token in the URL instead of an API key, since
Google Calendar and Outlook subscribe by URL and send no Authorization header."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from rotasat.models import Instance, Solution

from ..deps import JobDep, StoreDep
from ..ical import calendar, schedule_csv
from ..schemas import FeedCreated, FeedView, Problem
from ..store import Job, Store, utc

router = APIRouter(prefix="/v1/jobs", tags=["calendars"])
public = APIRouter(prefix="/v1/feeds", tags=["calendars"])
ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "no such job, engineer or team"},
    409: {"model": Problem, "description": "the job has no schedule yet, or is a comparison"},
    422: {"model": Problem, "description": "neither or both of engineer and team"},
}
ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "the feed"}}
Engineer = Annotated[str | None, Query(description="an engineer's id")]
Team = Annotated[str | None, Query(description="a team's id")]


def check_solve(job: Job) -> None:
    """409 for a comparison: it has a schedule per policy, not one."""
    if job.comparing is not None:
        raise HTTPException(409, f"job {job.id} is a comparison: each policy's schedule is at "
                                 f"/v1/jobs/{job.id}/policies/POSITION")


def schedule_of(job: Job, store: Store) -> tuple[Instance, Solution]:
    check_solve(job)
    solution = store.solution(job.id)
    if solution is None or not solution.assignments:
        raise HTTPException(409, f"job {job.id} has no schedule yet (status {job.status})")
    return store.instance(job), solution


def check_one(engineer: str | None, team: str | None) -> None:
    if (engineer is None) == (team is None):
        raise HTTPException(422, ["query: give engineer=ID or team=ID, one of them"])


def check_subject(instance: Instance, engineer: str | None, team: str | None) -> None:
    """One of engineer and team, and one the instance has."""
    check_one(engineer, team)
    if engineer is not None:
        if engineer not in {e.id for t in instance.teams for e in t.engineers}:
            raise HTTPException(404, f"no engineer {engineer!r} in instance {instance.name!r}")
    elif team not in {t.id for t in instance.teams}:
        raise HTTPException(404, f"no team {team!r} in instance {instance.name!r}")


def ics(job: Job, store: Store, engineer: str | None, team: str | None) -> Response:
    """The iCalendar feed of `engineer` (or `team`) in the job's best schedule."""
    check_one(engineer, team)
    instance, solution = schedule_of(job, store)
    check_subject(instance, engineer, team)
    if engineer is not None:
        chosen = [a for a in solution.assignments if a.engineer == engineer]
        title, name = f"{engineer} on call ({instance.name})", engineer
    else:
        chosen = [a for a in solution.assignments if a.team == team]
        title, name = f"{team} on call ({instance.name})", str(team)
    stamp = utc(job.finished_at or job.started_at or job.created_at)
    body = calendar(instance, chosen, job.id, title, stamp)  # type: ignore[arg-type]
    return Response(body, media_type="text/calendar; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}-{job.id}.ics"'})


@router.get("/{job_id}/calendar.ics", summary="iCalendar feed of one engineer or one team",
            response_class=Response, responses={**ICS, **ERRORS})
def calendar_feed(job: JobDep, store: StoreDep, engineer: Engineer = None,
                  team: Team = None) -> Response:
    """Every duty of the engineer (or of the team's engineers) in the job's best schedule,
    importable into Google Calendar and Outlook. To subscribe (a calendar client cannot send
    an API key), make a feed: POST /v1/jobs/{job_id}/feeds."""
    return ics(job, store, engineer, team)


@router.get("/{job_id}/schedule.csv", summary="The job's best schedule as CSV",
            response_class=Response, responses={
                200: {"content": {"text/csv": {}}, "description": "one row per assignment"},
                404: ERRORS[404], 409: ERRORS[409]})
def schedule(job: JobDep, store: StoreDep) -> Response:
    instance, solution = schedule_of(job, store)
    return Response(schedule_csv(instance, solution.assignments),
                    media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{job.id}.csv"'})


# --------------------------------------------------------------------------------------------
# Subscriptions


@router.post("/{job_id}/feeds", status_code=201,
             summary="A calendar subscription URL for one engineer or one team",
             responses={404: ERRORS[404], 409: {"model": Problem, "description": "a comparison"},
                        422: ERRORS[422]})
def create_feed(job: JobDep, store: StoreDep, request: Request, response: Response,
                engineer: Engineer = None, team: Team = None) -> FeedCreated:
    """A secret address serving what GET /v1/jobs/{job_id}/calendar.ics serves, without an API
    key: paste `subscribe` into Google Calendar (From URL) or Outlook (Subscribe from web).
    The token is shown only now (only its hash is kept); anyone who has the address can read
    the feed until it is revoked with DELETE. A feed may be made while the job runs: it
    answers 409 until there is a schedule."""
    check_one(engineer, team)
    check_solve(job)
    check_subject(store.instance(job), engineer, team)
    feed, token = store.add_feed(job, engineer, team)
    url = f"/v1/feeds/{token}.ics"
    response.headers["Location"] = f"/v1/jobs/{job.id}/feeds/{feed.id}"
    return FeedCreated(**FeedView.of(feed).model_dump(), url=url, token=token,
                       subscribe=str(request.base_url).rstrip("/") + url)


@router.get("/{job_id}/feeds", summary="The job's calendar subscriptions (without tokens)",
            responses={404: ERRORS[404]})
def list_feeds(job: JobDep, store: StoreDep) -> list[FeedView]:
    return [FeedView.of(feed) for feed in store.feeds(job)]


@router.delete("/{job_id}/feeds/{feed_id}", status_code=204, response_class=Response,
               summary="Revoke a calendar subscription",
               responses={404: {"model": Problem, "description": "no such job or feed"}})
def revoke_feed(job: JobDep, store: StoreDep, feed_id: str) -> Response:
    """Its address answers 404 from now on."""
    if store.feed(job, feed_id) is None:
        raise HTTPException(404, f"no feed {feed_id!r} in job {job.id}")
    store.revoke_feed(feed_id)
    return Response(status_code=204)


@public.get("/{token}.ics", summary="A calendar subscription (no API key: the token is the key)",
            response_class=Response, responses={
                **ICS, 404: {"model": Problem, "description": "no such feed, or revoked"},
                409: ERRORS[409]})
def subscribed_feed(token: str, store: StoreDep) -> Response:
    """The same iCalendar as GET /v1/jobs/{job_id}/calendar.ics for the feed's engineer or
    team, always from the job's current best schedule."""
    feed = store.feed_of_token(token)
    job = None if feed is None else store.job(feed.job_id, feed.tenant)
    if feed is None or job is None:
        raise HTTPException(404, "no feed at this address: it was revoked, or never existed")
    return ics(job, store, feed.engineer, feed.team)

