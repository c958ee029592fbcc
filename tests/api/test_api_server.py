"""A real `rotasat serve` on 127.0.0.1 driven over HTTP: submit, follow the SSE stream, stop a
job, kill the server mid-solve, restart it, find the job interrupted and resume it."""

from __future__ import annotations

from pathlib import Path

import httpx
from api_support import Server, free_port, job_in, quarter, sse_events, weekly
from rotasat.api.store import Store


def test_submit_follow_stop_restart_resume(tmp_path: Path):
    database = f"sqlite:///{tmp_path / 'api.db'}"
    store = Store(database)
    key = store.create_key("acme")
    store.close()
    env = {"ROTASAT_DATABASE_URL": database, "ROTASAT_WORKERS": "1",
           "ROTASAT_MAX_TIME_LIMIT": "30"}
    port = free_port()
    server = Server(env, port)
    try:
        client = httpx.Client(base_url=server.url, timeout=30,
                              headers={"Authorization": f"Bearer {key}"})
        # submit, and follow the stream to its end
        response = client.post("/v1/jobs", params={"time_limit": 5}, json=weekly())
        assert response.status_code == 202
        url = response.headers["Location"]
        with client.stream("GET", f"{url}/events") as stream:
            events = list(sse_events(stream.iter_lines()))
        assert [k for k, _ in events][-1] == "end" and events[0][0] == "progress"
        assert events[-1][1]["solution_status"] == "OPTIMAL"

        # stop a long solve once it has a schedule: it keeps it
        long = client.post("/v1/jobs", params={"time_limit": 30}, json=quarter())
        url = long.headers["Location"]
        with client.stream("GET", f"{url}/events") as stream:
            next(sse_events(stream.iter_lines()))
        stopped = client.delete(url).json()
        assert stopped["status"] == "cancelled" and stopped["solution_status"] == "FEASIBLE"

        # kill the server while a job runs
        url = client.post("/v1/jobs", params={"time_limit": 30},
                          json=quarter()).headers["Location"]
        with client.stream("GET", f"{url}/events") as stream:
            first = next(sse_events(stream.iter_lines()))[1]
        job_in(client, url, "running")
        client.close()
    finally:
        server.stop(kill=True)

    server = Server(env, port)
    try:
        client = httpx.Client(base_url=server.url, timeout=30,
                              headers={"Authorization": f"Bearer {key}"})
        job = client.get(url).json()
        assert job["status"] == "interrupted" and job["solution"]["assignments"]
        assert job["solution"]["objective"] <= first["objective"]
        assert client.post(f"{url}/resume", params={"time_limit": 2}).status_code == 202
        with client.stream("GET", f"{url}/events") as stream:
            events = list(sse_events(stream.iter_lines()))
        assert events[0][1]["objective"] <= job["solution"]["objective"]
        assert events[-1][1]["status"] == "completed"
        assert client.get(url).json()["resumed"] == 1
        client.close()
    finally:
        server.stop()
    # a graceful shutdown on SIGTERM (uvicorn then re-raises the signal: exit status -15)
    assert "Application shutdown complete." in server.process.stderr.read().decode()  # type: ignore[union-attr]
