"""POST /v1/validate and the errors every route shares: the CLI's messages, prefixed with where
the problem is ('body', 'query'), never a 500."""

from __future__ import annotations

from api_support import JSON, WEEKLY, weekly
from fastapi.testclient import TestClient
from rotasat.api.cli import app
from typer.testing import CliRunner


def test_a_valid_instance_is_summarised_as_the_cli_does(dev: TestClient):
    response = dev.post("/v1/validate", content=WEEKLY.read_bytes(), headers=JSON)
    assert response.status_code == 200
    report = response.json()
    assert report["summary"] == ("weekly-6: 1 team, 6 engineers, 1 rotation, 4 shifts, 28 days "
                                 "from 2027-01-04 to 2027-01-31")
    cli = CliRunner().invoke(app, ["validate", str(WEEKLY)], env={"COLUMNS": "250"})
    assert cli.output.strip() == f"OK: {WEEKLY}: {report['summary']}"
    assert (report["teams"], report["engineers"], report["shifts"]) == (1, 6, 4)


def test_a_schema_problem_names_the_json_path_like_the_cli(dev: TestClient, tmp_path):
    data = weekly()
    data["teams"][0]["engineers"][1]["timezone"] = "Europe/Londn"
    response = dev.post("/v1/validate", json=data)
    assert response.status_code == 422
    message = ("teams[0].engineers[1].timezone: unknown time zone 'Europe/Londn': expected an "
               "IANA name such as 'Europe/London'; did you mean 'Europe/London', "
               "'Europe/Lisbon'?")
    assert response.json() == {"detail": [f"body: {message}"]}
    broken = tmp_path / "broken.json"
    bob = '"name": "Bob Turner"'
    broken.write_text(WEEKLY.read_text().replace(bob, bob + ', "timezone": "Europe/Londn"'))
    cli = CliRunner().invoke(app, ["validate", str(broken)], env={"COLUMNS": "250"})
    assert cli.output.strip() == f"error: {broken}: {message}"


def test_every_problem_is_reported(dev: TestClient):
    data = weekly()
    data["teams"][0]["engineers"][0]["skills"]["linux"] = 9
    data["teams"][0]["rules"][0]["bogus"] = 1
    detail = dev.post("/v1/validate", json=data).json()["detail"]
    assert detail == [
        "body: teams[0].engineers[0].skills.linux: Input should be less than or equal to 5 "
        "(got 9)",
        "body: teams[0].rules[0].bogus: unknown field: remove it or check its spelling",
    ]


def test_malformed_json_is_located(dev: TestClient):
    response = dev.post("/v1/validate", content=b'{"name": ', headers=JSON)
    assert response.status_code == 422
    assert response.json() == {"detail": ["body: line 1 column 10: invalid JSON: Expecting value"]}


def test_an_empty_body_or_a_non_object_says_what_is_expected(dev: TestClient):
    assert dev.post("/v1/validate", content=b"", headers=JSON).json() == {
        "detail": ["body: empty: expected an instance as a JSON object"]}
    assert dev.post("/v1/validate", json=[1, 2]).json() == {
        "detail": ["body: (document): expected a JSON object, got an array"]}


def test_a_body_is_read_as_json_unless_it_says_it_is_something_else(dev: TestClient):
    response = dev.post("/v1/validate", content=WEEKLY.read_bytes())
    assert response.status_code == 200 and response.json()["name"] == "weekly-6"
    # what `curl -d @instance.json` sends without -H
    response = dev.post("/v1/validate", content=WEEKLY.read_bytes(),
                        headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert response.json() == {"detail": [
        "body: send the instance as JSON with 'Content-Type: application/json' "
        "(got 'application/x-www-form-urlencoded')"]}


def test_oversized_bodies_are_refused_before_they_are_read(tmp_path):
    from api_support import settings
    from rotasat.api.app import create_app

    with TestClient(create_app(settings(tmp_path, dev_mode=True, max_body_bytes=1000))) as client:
        response = client.post("/v1/validate", content=WEEKLY.read_bytes(), headers=JSON)
        assert response.status_code == 413
        size = len(WEEKLY.read_bytes())
        assert response.json() == {"detail": f"body too large: at most 1000 bytes (got {size})"}

        def chunks():  # no Content-Length: counted as it arrives
            for _ in range(5):
                yield b" " * 400

        response = client.post("/v1/validate", content=chunks(), headers=JSON)
        assert response.status_code == 413
        assert response.json() == {"detail": "body too large: at most 1000 bytes"}


def test_health_needs_no_key(tenants):
    client, _, _ = tenants
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "workers": 1, "running": 0, "queued": 0,
                               "queue_depth": 32}


def test_openapi_documents_the_routes(dev: TestClient):
    paths = dev.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/v1/validate", "/v1/solve", "/v1/jobs", "/v1/jobs/{job_id}",
            "/v1/jobs/{job_id}/events", "/v1/jobs/{job_id}/resume",
            "/v1/jobs/{job_id}/calendar.ics", "/v1/jobs/{job_id}/schedule.csv"} <= set(paths)
    assert dev.get("/docs").status_code == 200
