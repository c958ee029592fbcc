"""Schemathesis: requests generated from the OpenAPI schema, valid and invalid, never get a
5xx. Bounded: a few examples per operation, small server caps.

Generating whole instances from their JSON Schema takes hypothesis minutes per example, so the
request bodies are drawn as any JSON object (or, in negative mode, anything else): what reaches
the instance parser is then arbitrary, which is the point. Paths and query strings are drawn
from the schema as it is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from api_support import settings
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis.errors import Unsatisfiable
from rotasat.api.app import create_app
from schemathesis import GenerationMode
from schemathesis.core import NotSet


def fuzzable(document: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every request body's schema reduced to a JSON object."""
    for path in document["paths"].values():
        for operation in path.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                media["schema"] = {"type": "object"}
    return document


SCHEMA = schemathesis.openapi.from_dict(
    fuzzable(create_app(settings(Path("/nonexistent"))).openapi()))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("fuzz")
    config = settings(tmp, dev_mode=True, max_time_limit=1, max_sync_time_limit=1,
                      default_time_limit=1, sync_wait=3, queue_depth=4)
    with TestClient(create_app(config)) as client:
        yield client


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=lambda mode: mode.value)
def test_no_request_gets_a_server_error(operation, mode, fuzzed: TestClient):
    @given(case=operation.as_strategy(generation_mode=mode))
    @examples(max_examples=3, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        body: dict[str, Any] = {}
        if isinstance(case.body, bytes | str):
            body = {"content": case.body}
        elif not isinstance(case.body, NotSet):
            body = {"json": case.body}
        response = fuzzed.request(case.method, case.formatted_path, params=case.query or None,
                                  headers=case.headers or None, **body)
        assert response.status_code < 500, (case.method, case.formatted_path, response.text)

    try:
        check()
    except Unsatisfiable:
        pytest.skip("nothing to generate in this mode")
