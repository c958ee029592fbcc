"""Jobs: submit, list, follow, stop, resume; the synchronous solve; the queue's limits."""

from __future__ import annotations

from pathlib import Path

from api_support import JSON, WEEKLY, job_in, quarter, settings, sse_events, weekly
from fastapi.testclient import TestClient
from rotasat.api.app import create_app
from rotasat.checker import check_solution
from rotasat.models import Instance, Solution, load


def submit(client: TestClient, data: object = None, query: str = "time_limit=5") -> str:
    response = client.post(f"/v1/jobs?{query}", json=data or weekly())
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/v1/jobs/{response.json()['id']}"
    return response.headers["Location"]


def test_a_job_runs_to_its_solution_and_the_stream_tells_each_improvement(dev: TestClient):
    url = submit(dev)
    with dev.stream("GET", f"{url}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        events = list(sse_events(stream.iter_lines()))
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "end" and set(kinds[:-1]) == {"progress"} and len(kinds) >= 2
    objectives = [data["objective"] for kind, data in events if kind == "progress"]
    assert objectives == sorted(set(objectives), reverse=True)  # each one an improvement
    end = events[-1][1]
    assert end["status"] == "completed" and end["solution_status"] == "OPTIMAL"
    assert end["objective"] == objectives[-1] == 10270
    job = dev.get(url).json()
    assert job["status"] == "completed" and job["progress"]["objective"] == 10270
    assert job["progress"]["gap"] == 0 and job["progress"]["solutions"] >= 1
    solution = Solution.model_validate(job["solution"])
    assert check_solution(load(Instance, WEEKLY), solution).ok  # judged by the checker
    assert solution.baseline is not None  # the fixed-order rotation beside it, as in the CLI


def test_the_stream_of_a_finished_job_replays_it(dev: TestClient):
    url = submit(dev)
    job_in(dev, url, "completed")
    with dev.stream("GET", f"{url}/events", headers={"Last-Event-ID": "1"}) as stream:
        events = list(sse_events(stream.iter_lines()))
    assert events[-1][0] == "end" and all(kind == "progress" for kind, _ in events[:-1])


def test_jobs_are_listed_newest_first_a_page_at_a_time(dev: TestClient):
    first, second = submit(dev), submit(dev)
    page = dev.get("/v1/jobs?limit=1").json()
    assert page["limit"] == 1 and page["offset"] == 0 and page["total"] >= 2
    assert [job["id"] for job in page["items"]] == [second.rsplit("/", 1)[1]]
    ids = [job["id"] for job in dev.get("/v1/jobs?limit=1000").json()["items"]]
    assert ids.index(second.rsplit("/", 1)[1]) < ids.index(first.rsplit("/", 1)[1])
    job_in(dev, second, "completed")
    done = dev.get("/v1/jobs?status=completed&limit=1000").json()
    assert all(job["status"] == "completed" for job in done["items"])
    assert dev.get("/v1/jobs?limit=0").json() == {"detail": [
        "query: limit: Input should be greater than or equal to 1 (got '0')"]}


def test_delete_stops_a_running_job_and_keeps_its_best_schedule(dev: TestClient):
    url = submit(dev, quarter(), "time_limit=30")
    job_in(dev, url, "running")
    with dev.stream("GET", f"{url}/events") as stream:  # wait for a first schedule
        next(sse_events(stream.iter_lines()))
    response = dev.delete(url)
    assert response.status_code == 200
    job = response.json()
    assert job["status"] == "cancelled" and job["solution_status"] == "FEASIBLE"
    assert job["progress"]["elapsed"] < 20
    solution = Solution.model_validate(dev.get(url).json()["solution"])
    assert check_solution(load(Instance, Path(WEEKLY).with_name("quarter-12.json")),
                          solution).ok
    assert dev.delete(url).json() == {
        "detail": f"job {job['id']} is cancelled: only a queued or running job can be stopped"}


def test_queue_full_is_429_with_retry_after_and_a_queued_job_can_be_cancelled(dev: TestClient):
    # one worker, queue depth 2: a long job runs, two wait, the fourth is refused
    running = submit(dev, quarter(), "time_limit=20")
    job_in(dev, running, "running")
    waiting = [submit(dev), submit(dev)]
    refused = dev.post("/v1/jobs?time_limit=5", json=weekly())
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 20
    assert refused.json() == {
        "detail": f"the job queue is full: retry in {refused.headers['Retry-After']} s"}
    assert dev.get("/healthz").json()["queued"] == 2
    cancelled = dev.delete(waiting[0])
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert dev.get(waiting[0]).json()["solution"] is None
    assert dev.delete(running).json()["status"] == "cancelled"
    assert job_in(dev, waiting[1], "completed")["solution_status"] == "OPTIMAL"


def test_synchronous_solve_answers_with_the_solution(dev: TestClient):
    response = dev.post("/v1/solve?time_limit=5", content=WEEKLY.read_bytes(), headers=JSON)
    assert response.status_code == 200
    solution = Solution.model_validate(response.json())
    assert solution.status == "OPTIMAL" and solution.objective == 10270
    assert solution.parameters.time_limit == 5
    job = dev.get(response.headers["Location"]).json()  # also kept as a job
    assert job["status"] == "completed"


def test_time_limits_and_workers_are_capped_by_the_server(dev: TestClient):
    assert dev.post("/v1/solve?time_limit=6", json=weekly()).json() == {
        "detail": ["query: time_limit: at most 5 s on this server (got 6)"]}
    assert dev.post("/v1/jobs?time_limit=31", json=weekly()).json() == {
        "detail": ["query: time_limit: at most 30 s on this server (got 31)"]}
    assert dev.post("/v1/jobs?workers=3", json=weekly()).json() == {
        "detail": ["query: workers: at most 2 on this server (got 3)"]}
    response = dev.post("/v1/jobs?time_limit=-1&gap=x", json=weekly())
    assert response.status_code == 422
    assert response.json() == {"detail": [
        "query: gap: Input should be a valid number, unable to parse string as a number "
        "(got 'x')"]}
    assert dev.post("/v1/jobs?time_limit=0", json=weekly()).json() == {
        "detail": ["query: time_limit: Input should be greater than 0 (got 0.0)"]}


def test_instance_size_is_capped_by_the_server(tmp_path: Path):
    app = create_app(settings(tmp_path, dev_mode=True, max_engineers=5, max_days=27))
    with TestClient(app) as client:
        response = client.post("/v1/jobs", json=weekly())
        assert response.status_code == 422
        assert response.json() == {"detail": [
            "body: teams: 6 engineers in all, more than this server solves (5)",
            "body: horizon.days: 28 days, more than this server solves (27)"]}


def test_unknown_jobs_are_404_and_only_interrupted_jobs_resume(dev: TestClient):
    assert dev.get("/v1/jobs/nope").status_code == 404
    assert dev.get("/v1/jobs/nope").json() == {"detail": "no job 'nope'"}
    assert dev.delete("/v1/jobs/nope").status_code == 404
    url = submit(dev)
    job = job_in(dev, url, "completed")
    response = dev.post(f"{url}/resume")
    assert response.status_code == 409
    assert response.json() == {
        "detail": f"job {job['id']} is completed: only an interrupted job can be resumed"}


def test_an_interrupted_job_resumes_from_its_best_schedule(tmp_path: Path):
    config = settings(tmp_path, dev_mode=True)
    with TestClient(create_app(config)) as client:
        url = submit(client, quarter(), "time_limit=30")
        with client.stream("GET", f"{url}/events") as stream:
            next(sse_events(stream.iter_lines()))
        best = job_in(client, url, "running")
    # the server stopped while the job ran
    with TestClient(create_app(config)) as client:
        job = client.get(url).json()
        assert job["status"] == "interrupted"
        assert job["error"] == "the server stopped while this job was running"
        kept = Solution.model_validate(job["solution"])
        assert kept.assignments and kept.objective is not None
        assert best["progress"]["objective"] >= kept.objective
        response = client.post(f"{url}/resume?time_limit=2")
        assert response.status_code == 202
        assert response.json()["status"] in ("queued", "running")
        with client.stream("GET", f"{url}/events") as stream:
            events = list(sse_events(stream.iter_lines()))
        first = events[0][1]["objective"]
        assert first <= kept.objective  # it started from the kept schedule, not from scratch
        done = client.get(url).json()
        assert done["status"] == "completed" and done["resumed"] == 1
        assert done["parameters"]["time_limit"] == 2
        assert done["solution"]["objective"] <= kept.objective
