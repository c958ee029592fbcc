"""Calendar subscriptions: a feed's secret URL serves a job's iCalendar without an API key (Google
Calendar and Outlook cannot send one); tokens are stored hashed and can be revoked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_support import job_in, quarter, weekly
from fastapi.testclient import TestClient
from icalendar import Calendar
from rotasat.api.store import hash_key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture(scope="module")
def solved(tenants: tuple[TestClient, str, str]) -> str:
    """weekly-6 solved by tenant acme; the job's URL."""
    client, acme, _ = tenants
    url = client.post("/v1/jobs?time_limit=5", json=weekly(), headers=bearer(acme)).headers[
        "Location"]

    class Authed:
        def get(self, path: str) -> Any:
            return client.get(path, headers=bearer(acme))

    job_in(Authed(), url, "completed")  # type: ignore[arg-type]
    return url


def test_a_feed_serves_the_calendar_without_a_key(tenants, solved: str):
    client, acme, _ = tenants
    response = client.post(f"{solved}/feeds?engineer=alice", headers=bearer(acme))
    assert response.status_code == 201
    feed = response.json()
    job_id = solved.rsplit("/", 1)[1]
    assert response.headers["Location"] == f"{solved}/feeds/{feed['id']}"
    assert feed["job"] == job_id and feed["engineer"] == "alice" and feed["team"] is None
    token = feed["token"]
    assert token.startswith("cal_") and len(token) > 40
    assert feed["url"] == f"/v1/feeds/{token}.ics"
    assert feed["subscribe"] == f"http://testserver/v1/feeds/{token}.ics"

    public = client.get(feed["url"])  # no Authorization header, as a calendar client sends
    assert public.status_code == 200
    assert public.headers["content-type"] == "text/calendar; charset=utf-8"
    private = client.get(f"{solved}/calendar.ics?engineer=alice", headers=bearer(acme))
    assert public.content == private.content  # the same iCalendar as the authenticated route
    cal = Calendar.from_ical(public.content)
    assert str(cal["X-WR-CALNAME"]) == "alice on call (weekly-6)"
    assert len(cal.walk("VEVENT")) == 2
    assert client.get(f"{solved}/calendar.ics?engineer=alice").status_code == 401


def test_a_team_feed_and_the_list_of_feeds(tenants, solved: str):
    client, acme, _ = tenants
    created = client.post(f"{solved}/feeds?team=platform", headers=bearer(acme)).json()
    cal = Calendar.from_ical(client.get(created["url"]).content)
    assert str(cal["X-WR-CALNAME"]) == "platform on call (weekly-6)"
    assert len(cal.walk("VEVENT")) == 8
    listed = client.get(f"{solved}/feeds", headers=bearer(acme)).json()
    assert listed[-1] == {k: created[k] for k in ("id", "job", "engineer", "team",
                                                  "created_at")}
    assert all("token" not in feed and "url" not in feed for feed in listed)


def test_a_revoked_feed_is_404(tenants, solved: str):
    client, acme, _ = tenants
    feed = client.post(f"{solved}/feeds?engineer=bob", headers=bearer(acme)).json()
    assert client.get(feed["url"]).status_code == 200
    response = client.delete(f"{solved}/feeds/{feed['id']}", headers=bearer(acme))
    assert response.status_code == 204 and response.content == b""
    gone = client.get(feed["url"])
    assert gone.status_code == 404
    assert gone.json() == {"detail": "no feed at this address: it was revoked, or never existed"}
    assert feed["id"] not in [f["id"] for f in
                              client.get(f"{solved}/feeds", headers=bearer(acme)).json()]
    again = client.delete(f"{solved}/feeds/{feed['id']}", headers=bearer(acme))
    assert again.status_code == 404
    assert again.json() == {"detail": f"no feed {feed['id']!r} in job {feed['job']}"}
    assert client.get("/v1/feeds/cal_guessed.ics").status_code == 404


def test_feed_tokens_are_stored_hashed(tenants, solved: str):
    client, acme, _ = tenants
    token = client.post(f"{solved}/feeds?engineer=carol", headers=bearer(acme)).json()["token"]
    database = Path(str(client.app.state.settings.database_url).removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
    assert token.encode() not in raw and hash_key(token).encode() in raw


def test_feed_errors(tenants, solved: str):
    client, acme, globex = tenants
    job_id = solved.rsplit("/", 1)[1]
    assert client.post(f"{solved}/feeds", headers=bearer(acme)).json() == {
        "detail": ["query: give engineer=ID or team=ID, one of them"]}
    both = client.post(f"{solved}/feeds?engineer=alice&team=platform", headers=bearer(acme))
    assert both.status_code == 422
    response = client.post(f"{solved}/feeds?engineer=zed", headers=bearer(acme))
    assert response.status_code == 404
    assert response.json() == {"detail": "no engineer 'zed' in instance 'weekly-6'"}
    assert client.post(f"{solved}/feeds?team=ops", headers=bearer(acme)).json() == {
        "detail": "no team 'ops' in instance 'weekly-6'"}
    assert client.post(f"{solved}/feeds?engineer=alice").status_code == 401
    # another tenant's job is not found, nor are its feeds
    feed = client.post(f"{solved}/feeds?engineer=alice", headers=bearer(acme)).json()
    for response in (client.post(f"{solved}/feeds?engineer=alice", headers=bearer(globex)),
                     client.get(f"{solved}/feeds", headers=bearer(globex)),
                     client.delete(f"{solved}/feeds/{feed['id']}", headers=bearer(globex))):
        assert response.status_code == 404
        assert response.json() == {"detail": f"no job {job_id!r}"}
    assert client.get(feed["url"]).status_code == 200  # still there


def test_a_feed_of_a_job_without_a_schedule_yet_is_409_until_there_is_one(tenants):
    client, acme, _ = tenants

    class Authed:
        def get(self, path: str) -> Any:
            return client.get(path, headers=bearer(acme))

    running = client.post("/v1/jobs?time_limit=20", json=quarter(),
                          headers=bearer(acme)).headers["Location"]
    job_in(Authed(), running, "running")  # type: ignore[arg-type]
    response = client.post("/v1/jobs?time_limit=5", json=weekly(), headers=bearer(acme))
    url, job_id = response.headers["Location"], response.json()["id"]
    feed = client.post(f"{url}/feeds?team=platform", headers=bearer(acme))
    assert feed.status_code == 201  # made while the job waits for a worker
    early = client.get(feed.json()["url"])
    assert early.status_code == 409
    assert early.json() == {"detail": f"job {job_id} has no schedule yet (status queued)"}
    client.delete(running, headers=bearer(acme))
    job_in(Authed(), url, "completed")  # type: ignore[arg-type]
    assert client.get(feed.json()["url"]).status_code == 200


def test_a_comparison_has_no_feed(tenants):
    client, acme, _ = tenants
    response = client.post("/v1/compare?time_limit=1", headers=bearer(acme),
                           json={"instance": weekly(), "policies": ["round-robin"]})
    url, job_id = response.headers["Location"], response.json()["id"]
    response = client.post(f"{url}/feeds?engineer=alice", headers=bearer(acme))
    assert response.status_code == 409
    assert response.json() == {"detail": f"job {job_id} is a comparison: each policy's "
                                         f"schedule is at /v1/jobs/{job_id}/policies/POSITION"}


def test_openapi_documents_the_feeds(tenants):
    client, _, _ = tenants
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/jobs/{job_id}/feeds", "/v1/jobs/{job_id}/feeds/{feed_id}",
            "/v1/feeds/{token}.ics"} <= set(paths)
    assert "security" not in paths["/v1/feeds/{token}.ics"]["get"]
