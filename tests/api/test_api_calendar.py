"""A job's schedule as iCalendar (per engineer, per team) and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from api_support import job_in, weekly
from fastapi.testclient import TestClient
from icalendar import Calendar


@pytest.fixture(scope="module")
def solved(dev: TestClient) -> str:
    """weekly-6 solved to optimality; the job's URL."""
    url = dev.post("/v1/jobs?time_limit=5", json=weekly()).headers["Location"]
    job_in(dev, url, "completed")
    return url


def test_an_engineers_feed_has_one_event_per_duty_in_the_rotations_zone(dev: TestClient,
                                                                          solved: str):
    response = dev.get(f"{solved}/calendar.ics?engineer=alice")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == "alice on call (weekly-6)"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    events = cal.walk("VEVENT")
    duties = [a for a in dev.get(solved).json()["solution"]["assignments"]
              if a["engineer"] == "alice"]
    assert len(events) == len(duties) == 2
    first, duty = events[0], duties[0]  # weekly-6 has several optima: follow the solution
    assert str(first["SUMMARY"]) == f"{duty['role'].capitalize()} on-call: platform-oncall"
    start = first.decoded("DTSTART")
    assert start == dt.datetime.fromisoformat(duty["start"])
    assert start.hour == 9 and start.weekday() == 0  # Monday 09:00 hand-off
    assert start.tzinfo.key == "Europe/London"  # a zoned time, not a floating one
    assert first.decoded("DTEND") - start == dt.timedelta(days=7)
    assert first.decoded("DTSTAMP").tzinfo is not None
    job_id = solved.rsplit("/", 1)[1]
    assert str(first["UID"]) == f"{job_id}-{duty['shift']}-{duty['role']}-alice@rotasat"
    assert len({str(e["UID"]) for e in events}) == 2


def test_a_teams_feed_holds_every_duty(dev: TestClient, solved: str):
    cal = Calendar.from_ical(dev.get(f"{solved}/calendar.ics?team=platform").content)
    summaries = sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Primary on-call: platform-oncall"] * 4 + [
        "Secondary on-call: platform-oncall"] * 4


def test_feed_errors(dev: TestClient, solved: str):
    assert dev.get(f"{solved}/calendar.ics").json() == {
        "detail": ["query: give engineer=ID or team=ID, one of them"]}
    assert dev.get(f"{solved}/calendar.ics?engineer=alice&team=platform").status_code == 422
    response = dev.get(f"{solved}/calendar.ics?engineer=zed")
    assert response.status_code == 404
    assert response.json() == {"detail": "no engineer 'zed' in instance 'weekly-6'"}
    assert dev.get(f"{solved}/calendar.ics?team=ops").json() == {
        "detail": "no team 'ops' in instance 'weekly-6'"}


def test_a_job_without_a_schedule_has_no_feed(dev: TestClient):
    data = weekly()
    data["teams"][0]["engineers"] = data["teams"][0]["engineers"][:1]  # one engineer, two roles
    url = dev.post("/v1/jobs?time_limit=5", json=data).headers["Location"]
    job = job_in(dev, url, "completed")
    assert job["solution_status"] == "INFEASIBLE"
    response = dev.get(f"{url}/schedule.csv")
    assert response.status_code == 409
    assert response.json() == {"detail": f"job {job['id']} has no schedule yet (status completed)"}


def test_the_csv_has_a_row_per_assignment(dev: TestClient, solved: str):
    response = dev.get(f"{solved}/schedule.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 8
    first = dev.get(solved).json()["solution"]["assignments"][0]
    names = {e["id"]: e["name"] for e in weekly()["teams"][0]["engineers"]}
    assert rows[0] == {
        "team": "platform", "rotation": "platform-oncall", "shift": "platform-oncall/2027-01-04",
        "shift_type": "turn", "role": first["role"], "engineer": first["engineer"],
        "name": names[first["engineer"]],
        "start": "2027-01-04T09:00:00+00:00", "end": "2027-01-11T09:00:00+00:00"}
