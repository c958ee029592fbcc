"""The store against SQLite always, and against PostgreSQL when ROTASAT_TEST_DATABASE_URL is
set (CI starts one): jobs, instances and solutions survive a restart; running jobs become
interrupted."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import WEEKLY, job_in, settings, weekly
from fastapi.testclient import TestClient
from rotasat.api.app import create_app
from rotasat.api.store import Base, CompareJob, Store, make_engine
from rotasat.models import Instance, Solution, SolveParameters, load
from sqlalchemy import inspect

POSTGRES = os.environ.get("ROTASAT_TEST_DATABASE_URL")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not POSTGRES, reason="ROTASAT_TEST_DATABASE_URL is not set"))]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    assert POSTGRES is not None
    store = Store(POSTGRES)
    Base.metadata.drop_all(store.engine)
    store.close()
    yield POSTGRES


def test_jobs_and_solutions_round_trip(url: str):
    store = Store(url)
    instance = load(Instance, WEEKLY)
    job = store.add_job("acme", instance, SolveParameters(time_limit=3))
    assert store.job(job.id, "acme") is not None and store.job(job.id, "globex") is None
    assert store.instance(job) == instance
    assert store.job(job.id).params.time_limit == 3  # type: ignore[union-attr]
    solution = Solution(instance="weekly-6", status="FEASIBLE", objective=12, wall_time=1.0)
    store.save_solution(job.id, solution, final=False)
    store.save_solution(job.id, solution.model_copy(update={"objective": 10}), final=True)
    assert store.solution(job.id).objective == 10  # type: ignore[union-attr]
    store.update_job(job.id, status="running", objective=10, bound=9.5)
    store.close()

    again = Store(url)  # a restart
    assert again.recover() == []
    row = again.job(job.id)
    assert row is not None and row.status == "interrupted" and row.objective == 10
    assert row.created_at.tzinfo is None or row.created_at.utcoffset() is not None
    rows, total = again.jobs("acme", 10, 0)
    assert total == 1 and rows[0].id == job.id
    assert again.jobs("acme", 10, 0, "completed") == ([], 0)
    again.close()


def test_queued_jobs_are_handed_back_oldest_first(url: str):
    store = Store(url)
    instance = load(Instance, WEEKLY)
    first = store.add_job("acme", instance, SolveParameters())
    second = store.add_job("acme", instance, SolveParameters())
    assert store.recover() == [first.id, second.id]
    store.close()


def test_a_server_on_each_backend_solves_and_remembers(url: str, tmp_path: Path):
    config = settings(tmp_path, dev_mode=True, database_url=url)
    with TestClient(create_app(config)) as client:
        location = client.post("/v1/jobs?time_limit=5", json=weekly()).headers["Location"]
        assert job_in(client, location, "completed")["progress"]["objective"] == 10270
    with TestClient(create_app(config)) as client:
        job = client.get(location).json()
        assert job["status"] == "completed" and job["solution"]["objective"] == 10270
        assert client.get(f"{location}/schedule.csv").status_code == 200


def test_a_database_from_before_comparisons_and_feeds_gets_their_tables(url: str):
    """New kinds of data are new tables, so an existing database needs no migration."""
    engine = make_engine(url)
    Base.metadata.create_all(engine, tables=[
        Base.metadata.tables[name] for name in ("api_keys", "instances", "jobs", "solutions")])
    engine.dispose()
    store = Store(url)
    assert {"compare_jobs", "policy_solutions", "feeds"} <= set(
        inspect(store.engine).get_table_names())
    instance = load(Instance, WEEKLY)
    solve = store.add_job("acme", instance, SolveParameters())
    request = CompareJob(team=None, policies='[{"name": "round-robin"}]',
                         progress='[{"name": "round-robin", "description": "x"}]')
    compare = store.add_job("acme", instance, SolveParameters(), request)
    assert (solve.kind, compare.kind) == ("solve", "compare")
    assert [j.id for j in store.jobs("acme", 10, 0, kind="compare")[0]] == [compare.id]
    assert [j.id for j in store.jobs("acme", 10, 0, kind="solve")[0]] == [solve.id]
    assert store.job(compare.id).kind == "compare"  # type: ignore[union-attr]
    solution = Solution(instance="weekly-6", status="FEASIBLE", objective=12, wall_time=1.0)
    store.save_policy_solution(compare.id, 0, solution)
    assert store.policy_solution(compare.id, 0) == solution
    assert store.policy_solution(compare.id, 1) is None
    store.update_compare(compare.id, comparison="{}")
    assert store.comparison(compare.id) == "{}"
    store.restart_compare(compare.id, "[]")
    assert store.comparison(compare.id) is None and store.policy_solution(compare.id, 0) is None
    feed, token = store.add_feed(solve, "alice", None)
    assert store.feed_of_token(token).id == feed.id  # type: ignore[union-attr]
    assert [f.id for f in store.feeds(solve)] == [feed.id] and store.feeds(compare) == []
    store.revoke_feed(feed.id)
    assert store.feed_of_token(token) is None and store.feed(solve, feed.id) is None
    store.close()
