"""POST /v1/compare: a comparison of policies as a job in the worker pool: the table, progress,
events, stopping, the checks on the policies, caps, queue and tenants."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_support import job_in, quarter, settings, sse_events, wait_for, weekly
from fastapi.testclient import TestClient
from rotasat.api.app import create_app
from rotasat.api.compare import Comparison, PolicyChoice, apply
from rotasat.api.compare import compare as compare_policies
from rotasat.api.schemas import CompareRequest
from rotasat.checker import check_solution
from rotasat.models import Instance, Solution, SolveParameters

# One team of three with two-week sprints, a daily primary and three incidents on its system.
TINY: dict[str, Any] = {
    "name": "tiny-team",
    "horizon": {"start": "2027-01-04", "days": 14},
    "systems": [{"id": "api", "skills": ["db"]}],
    "teams": [{
        "id": "core", "timezone": "Europe/London",
        "sprints": {"first_start": "2027-01-04"},
        "systems": ["api"],
        "engineers": [{"id": "ann", "skills": {"db": 4}}, {"id": "bob", "skills": {"db": 2}},
                      {"id": "cy", "skills": {"db": 3}}],
        "rotations": [{"id": "core-oncall", "timezone": "Europe/London",
                       "pattern": {"kind": "daily"}, "roles": [{"id": "primary"}]}],
    }],
    "incidents": [
        {"id": "i1", "system": "api", "arrival": "2027-01-05T10:00:00Z", "effort_hours": 2,
         "priority": "P1", "sla": {"resolve_hours": 4}},
        {"id": "i2", "system": "api", "arrival": "2027-01-09T03:00:00Z", "effort_hours": 1},
        {"id": "i3", "system": "api", "arrival": "2027-01-12T11:00:00Z", "effort_hours": 3},
    ],
}
SHIELD = {"name": "shield", "reserve": 0.25, "weights": {"interruption": 50}}


def body(policies: list[Any] | None = None, instance: dict[str, Any] | None = None,
         **extra: Any) -> dict[str, Any]:
    return {"instance": copy.deepcopy(instance or TINY),
            "policies": ["round-robin", SHIELD] if policies is None else policies, **extra}


def submit(client: TestClient, data: dict[str, Any], query: str = "time_limit=2",
           **headers: str) -> str:
    response = client.post(f"/v1/compare?{query}", json=data, headers=headers)
    assert response.status_code == 202, response.text
    assert response.headers["Location"] == f"/v1/jobs/{response.json()['id']}"
    return response.headers["Location"]


@pytest.fixture(scope="module")
def compared(dev: TestClient) -> tuple[str, list[tuple[str, dict[str, Any]]]]:
    """TINY compared under round-robin and shield, 2 s each: the job's URL and its events."""
    url = submit(dev, body())
    with dev.stream("GET", f"{url}/events") as stream:
        events = list(sse_events(stream.iter_lines()))
    return url, events


def test_a_comparison_runs_as_a_job_and_ends_with_the_table(
        dev: TestClient, compared: tuple[str, list[tuple[str, dict[str, Any]]]]):
    url, _ = compared
    job = dev.get(url).json()
    assert job["kind"] == "compare" and job["status"] == "completed"
    assert job["solution"] is None and job["parameters"]["time_limit"] == 2
    assert job["compare"]["done"] == job["compare"]["total"] == 2
    assert job["compare"]["current"] is None and job["compare"]["team"] is None
    assert [p["name"] for p in job["compare"]["policies"]] == ["round-robin", "shield"]
    assert [p["state"] for p in job["compare"]["policies"]] == ["solved", "solved"]
    assert job["links"] == {"self": url, "events": f"{url}/events",
                            "policy": f"{url}/policies/POSITION"}
    table = Comparison.model_validate(job["comparison"])
    assert table.instance == "tiny-team" and table.team is None
    assert [p.name for p in table.policies] == ["round-robin", "shield"]
    assert table.policies[0].description == "allocation round_robin"
    assert table.policies[1].description == (
        'policy: {"name":"shield","reserve":0.25,"weights":{"interruption":50}}')
    assert all(p.status in ("OPTIMAL", "FEASIBLE") for p in table.policies)
    assert table.pareto and set(table.pareto) <= {"round-robin", "shield"}
    reserve = table.row("organisation", "reserve_hours").values
    assert reserve["shield"] > reserve["round-robin"]  # type: ignore[operator]  # 25% vs 20%
    for state, run in zip(job["compare"]["policies"], table.policies, strict=True):
        assert state["objective"] == run.objective and state["status"] == run.status


def test_each_policys_solution_is_kept_and_judged_by_the_checker(
        dev: TestClient, compared: tuple[str, list[tuple[str, dict[str, Any]]]]):
    url, _ = compared
    job = dev.get(url).json()
    response = dev.get(f"{url}/policies/1")
    assert response.status_code == 200
    kept = response.json()
    assert kept["position"] == 1 and kept["name"] == "shield" and kept["state"] == "solved"
    solution = Solution.model_validate(kept["solution"])
    assert solution.objective == job["comparison"]["policies"][1]["objective"]
    shielded = apply(Instance.model_validate(TINY), PolicyChoice(name="shield", policy=SHIELD))
    assert shielded.teams[0].policy is not None and shielded.teams[0].policy.reserve == 0.25
    assert check_solution(shielded, solution).ok
    assert dev.get(f"{url}/policies/2").json() == {
        "detail": f"no policy at position 2 in job {job['id']} (it compares 2)"}
    assert dev.get(f"{url}/schedule.csv").json() == {
        "detail": f"job {job['id']} is a comparison: each policy's schedule is at "
                  f"/v1/jobs/{job['id']}/policies/POSITION"}
    solve = dev.post("/v1/jobs?time_limit=5", json=weekly()).json()
    response = dev.get(f"/v1/jobs/{solve['id']}/policies/0")
    assert response.status_code == 404
    assert response.json() == {
        "detail": f"job {solve['id']} is a solve, not a comparison: it has no policies"}


def test_the_stream_has_a_policy_event_per_policy_then_the_end(
        compared: tuple[str, list[tuple[str, dict[str, Any]]]]):
    _, events = compared
    assert [kind for kind, _ in events] == ["policy", "policy", "end"]
    first, second, end = (data for _, data in events)
    assert (first["position"], first["name"], first["done"], first["total"]) == (
        0, "round-robin", 1, 2)
    assert (second["position"], second["name"], second["done"]) == (1, "shield", 2)
    assert first["state"] == "solved" and first["status"] in ("OPTIMAL", "FEASIBLE")
    assert isinstance(first["objective"], int) and first["wall_time"] > 0
    assert end["status"] == "completed" and (end["done"], end["total"]) == (2, 2)
    assert end["error"] is None and end["elapsed"] > 0


def test_comparisons_are_listed_as_such(dev: TestClient,
                                        compared: tuple[str, list[tuple[str, dict[str, Any]]]]):
    url, _ = compared
    job_id = url.rsplit("/", 1)[1]
    comparisons = dev.get("/v1/jobs?kind=compare&limit=1000").json()["items"]
    assert job_id in [job["id"] for job in comparisons]
    assert all(job["kind"] == "compare" and job["compare"] for job in comparisons)
    solves = dev.get("/v1/jobs?kind=solve&limit=1000").json()["items"]
    assert job_id not in [job["id"] for job in solves]
    assert all(job["kind"] == "solve" and job["compare"] is None for job in solves)


def test_bad_policies_are_422_with_their_paths(dev: TestClient):
    response = dev.post("/v1/compare", json=body([
        "fastest", {"name": "shield", "weights": {"skil": 3}}, 5,
        {"allocation": "random", "reserve": 2}]))
    assert response.status_code == 422
    assert response.json() == {"detail": [
        "body: policies[0]: unknown preset 'fastest': expected one of round-robin, "
        "rotating-owner, most-qualified, optimised, or a partial Policy object",
        "body: policies[1].weights.skil: unknown field: remove it or check its spelling",
        "body: policies[2]: expected a preset or a partial Policy object, got a number",
        "body: policies[3].allocation: Input should be 'round_robin', 'rotating_owner', "
        "'most_qualified' or 'optimised' (got 'random')",
        "body: policies[3].reserve: Input should be less than or equal to 1 (got 2)",
    ]}


def test_a_policy_the_instance_cannot_take_and_an_unknown_team_are_422(dev: TestClient):
    response = dev.post("/v1/compare", json=body(["optimised", {"support_model": "tiered"}]))
    assert response.status_code == 422
    assert response.json() == {"detail": [
        "body: policies[1]: teams[0].policy.support_model: support model 'tiered' (team "
        "'core') needs a team of kind 'dedicated'"]}
    assert dev.post("/v1/compare", json=body(team="ops")).json() == {"detail": [
        "body: team: unknown team 'ops': expected one of core"]}


def test_an_invalid_instance_and_bad_policies_are_reported_together(dev: TestClient):
    data = body([{"weights": {"skil": 3}}])
    data["instance"]["teams"][0]["engineers"][1]["id"] = "ann"
    del data["instance"]["horizon"]
    data["extra"] = 1
    response = dev.post("/v1/compare", json=data)
    assert response.status_code == 422
    assert response.json() == {"detail": [
        "body: instance.horizon: this field is required",
        "body: extra: unknown field: remove it or check its spelling",
        "body: policies[0].weights.skil: unknown field: remove it or check its spelling",
    ]}


@pytest.mark.parametrize(("data", "detail"), [
    ({"instance": TINY}, ["body: policies: this field is required"]),
    (body([]), ["body: policies: give at least one policy to compare"]),
    (body({"allocation": "round_robin"}),  # type: ignore[arg-type]
     ["body: policies: expected an array of presets and partial Policy objects, got an "
      "object"]),
    (body(["round-robin"] * 4), [
        "body: policies: at most 3 policies in a comparison on this server (got 4)"]),
    (body([{"name": "x" * 101}]), [
        "body: policies[0].name: at most 100 characters for a policy's name (got 101)"]),
    (body(team=5), ["body: team: Input should be a valid string (got 5)"]),
])
def test_body_errors(capped: TestClient, data: dict[str, Any], detail: list[str]):
    response = capped.post("/v1/compare", json=data)
    assert response.status_code == 422
    assert response.json() == {"detail": detail}


def test_limits_are_the_servers(capped: TestClient):
    assert capped.post("/v1/compare?time_limit=31", json=body()).json() == {
        "detail": ["query: time_limit: at most 30 s on this server (got 31)"]}
    assert capped.post("/v1/compare?workers=3", json=body()).json() == {
        "detail": ["query: workers: at most 2 on this server (got 3)"]}
    response = capped.post("/v1/compare", json=body(instance=weekly()))
    assert response.status_code == 422
    assert response.json() == {"detail": [
        "body: instance.teams: 6 engineers in all, more than this server solves (5)"]}
    assert capped.post("/v1/compare", content=b"").json() == {
        "detail": ["body: empty: expected a comparison as a JSON object"]}


@pytest.fixture(scope="module")
def capped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One worker, no queue, at most 3 policies and 5 engineers."""
    tmp = tmp_path_factory.mktemp("capped")
    config = settings(tmp, dev_mode=True, queue_depth=0, max_policies=3, max_engineers=5)
    with TestClient(create_app(config)) as client:
        yield client


def test_delete_keeps_the_policies_solved_and_the_current_ones_best_schedule(tmp_path: Path):
    """quarter-12 under round-robin then optimised, 3 s each, stopped once optimised has a
    schedule; with the only worker busy and no queue, another comparison is refused."""
    config = settings(tmp_path, dev_mode=True, queue_depth=0)
    with TestClient(create_app(config)) as client:
        url = submit(client, body(["round-robin", "optimised"], quarter()), "time_limit=3")
        refused = client.post("/v1/compare?time_limit=3", json=body())
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 6
        assert refused.json() == {
            "detail": f"the job queue is full: retry in {refused.headers['Retry-After']} s"}

        def optimising() -> dict[str, Any] | None:
            job = client.get(url).json()
            progress = job["compare"]
            busy = progress["current"] == "optimised" and progress["current_objective"]
            return job if busy else None

        running = wait_for(optimising, timeout=20)
        assert running["status"] == "running" and running["compare"]["done"] == 1
        states = [p["state"] for p in running["compare"]["policies"]]
        assert states == ["solved", "running"]
        response = client.delete(url)
        assert response.status_code == 200
        job = response.json()
        assert job["status"] == "cancelled" and job["compare"]["done"] == 2
        assert [p["state"] for p in job["compare"]["policies"]] == ["solved", "stopped"]
        table = Comparison.model_validate(client.get(url).json()["comparison"])
        assert [p.name for p in table.policies] == ["round-robin", "optimised"]
        assert [p.status for p in table.policies] == ["FEASIBLE", "FEASIBLE"]
        kept = Solution.model_validate(client.get(f"{url}/policies/1").json()["solution"])
        assert kept.assignments and kept.objective == table.policies[1].objective
        assert kept.wall_time < 3
        assert client.delete(url).json() == {
            "detail": f"job {job['id']} is cancelled: only a queued or running job can be "
                      "stopped"}


def test_a_queued_comparison_is_cancelled_before_any_policy(dev: TestClient):
    running = dev.post("/v1/jobs?time_limit=20", json=quarter()).headers["Location"]
    job_in(dev, running, "running")
    url = submit(dev, body())
    response = dev.delete(url)
    assert response.status_code == 200
    job = response.json()
    assert job["status"] == "cancelled" and job["compare"]["done"] == 0
    assert [p["state"] for p in job["compare"]["policies"]] == ["not run", "not run"]
    assert dev.get(url).json()["comparison"] is None
    with dev.stream("GET", f"{url}/events") as stream:
        assert [kind for kind, _ in sse_events(stream.iter_lines())] == ["end"]
    assert dev.delete(running).json()["status"] == "cancelled"


def test_an_interrupted_comparison_is_solved_again_when_resumed(tmp_path: Path):
    config = settings(tmp_path, dev_mode=True)
    with TestClient(create_app(config)) as client:
        url = submit(client, body(["round-robin", "optimised"], quarter()), "time_limit=20")
        wait_for(lambda: client.get(url).json()["compare"]["current_objective"])
    with TestClient(create_app(config)) as client:  # the server stopped while it ran
        job = client.get(url).json()
        assert job["status"] == "interrupted" and job["comparison"] is None
        assert [p["state"] for p in job["compare"]["policies"]] == ["not run", "not run"]
        response = client.post(f"{url}/resume?time_limit=1")
        assert response.status_code == 202
        done = job_in(client, url, "completed")
        assert done["resumed"] == 1 and done["parameters"]["time_limit"] == 1
        assert [p["state"] for p in done["compare"]["policies"]] == ["solved", "solved"]
        assert len(done["comparison"]["policies"]) == 2


def test_another_tenants_comparison_is_404(tenants):
    client, acme, globex = tenants
    mine, theirs = ({"Authorization": f"Bearer {key}"} for key in (acme, globex))
    url = submit(client, body(), "time_limit=1", **mine)
    job_id = url.rsplit("/", 1)[1]
    for path in ("", "/events", "/policies/0"):
        other = client.get(url + path, headers=theirs)
        assert other.status_code == 404 and other.json() == {"detail": f"no job {job_id!r}"}
    assert client.delete(url, headers=theirs).status_code == 404
    assert client.get("/v1/jobs?kind=compare", headers=theirs).json()["total"] == 0
    assert client.post("/v1/compare", json=body()).status_code == 401

    class Authed:  # job_in polls with acme's key
        def get(self, path: str):
            return client.get(path, headers=mine)

    assert job_in(Authed(), url, "completed")["compare"]["done"] == 2  # type: ignore[arg-type]


def test_openapi_documents_the_comparison(dev: TestClient):
    document = dev.get("/openapi.json").json()
    assert {"/v1/compare", "/v1/jobs/{job_id}/policies/{position}"} <= set(document["paths"])
    request = document["components"]["schemas"]["CompareRequest"]
    assert set(request["properties"]) == {"instance", "policies", "team"}
    items = request["properties"]["policies"]["items"]["anyOf"]
    assert {"enum": ["round-robin", "rotating-owner", "most-qualified", "optimised"],
            "type": "string"} in items
    assert {"$ref": "#/components/schemas/Policy"} in items
    assert "Comparison" in document["components"]["schemas"]
    CompareRequest.model_validate(request["examples"][0])  # the example is a valid request


def test_compare_stops_between_policies_and_tabulates_those_solved():
    """compare() itself: `should_stop` leaves the policies not started out of the table;
    `on_started` hears each policy as it begins."""
    instance = Instance.model_validate(TINY)
    started: list[str] = []

    def fake(variant: Instance, params: SolveParameters) -> Solution:
        return Solution(instance=variant.name, status="FEASIBLE", objective=7, wall_time=0.1)

    table = compare_policies(instance, ["round-robin", "most-qualified", "rotating-owner"],
                             solver=fake, on_started=lambda c: started.append(c.name),
                             should_stop=lambda: len(started) == 2)
    assert started == ["round-robin", "most-qualified"]
    assert [p.name for p in table.policies] == ["round-robin", "most-qualified"]
    assert set(table.row("organisation", "objective").values) == {"round-robin",
                                                                  "most-qualified"}
