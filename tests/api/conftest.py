"""Fixtures of the HTTP API tests; helpers live in api_support.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_support import settings
from fastapi.testclient import TestClient
from rotasat.api.app import create_app
from rotasat.api.store import Store


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A development-mode server (no keys), one solver worker, queue depth 2."""
    tmp = tmp_path_factory.mktemp("dev")
    with TestClient(create_app(settings(tmp, dev_mode=True, queue_depth=2))) as client:
        yield client


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, str, str]]:
    """A server with keys: a client and the keys of tenants 'acme' and 'globex'."""
    tmp = tmp_path_factory.mktemp("keys")
    store = Store(f"sqlite:///{tmp / 'api.db'}")
    acme, globex = store.create_key("acme"), store.create_key("globex")
    store.close()
    with TestClient(create_app(settings(tmp))) as client:
        yield client, acme, globex


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "api.db"
