"""`rotasat keys create` and `rotasat serve`'s refusals (the server itself is driven in
test_api_server.py)."""

from __future__ import annotations

from pathlib import Path

from rotasat.api.cli import app
from rotasat.api.store import Store
from typer.testing import CliRunner


def run(tmp_path: Path, *args: str):
    env = {"ROTASAT_DATABASE_URL": f"sqlite:///{tmp_path / 'api.db'}", "COLUMNS": "250"}
    from rotasat.api.settings import get_settings

    get_settings.cache_clear()
    try:
        return CliRunner().invoke(app, list(args), env=env)
    finally:
        get_settings.cache_clear()


def test_keys_create_prints_a_key_of_the_tenant(tmp_path: Path):
    result = run(tmp_path, "keys", "create", "--tenant", "acme")
    assert result.exit_code == 0
    key = result.output.strip()
    store = Store(f"sqlite:///{tmp_path / 'api.db'}")
    assert store.tenant_of(key) == "acme"
    store.close()


def test_keys_create_refuses_a_bad_tenant_name(tmp_path: Path):
    result = run(tmp_path, "keys", "create", "--tenant", "a b")
    assert result.exit_code == 2
    assert "error: --tenant: 1 to 200 letters, digits or . _ - @ (got 'a b')" in result.output


def test_serve_without_keys_needs_the_explicit_development_mode(tmp_path: Path):
    result = run(tmp_path, "serve", "--port", "1")
    assert result.exit_code == 2
    assert (f"error: no API keys in sqlite:///{tmp_path / 'api.db'}: create one with `rotasat "
            "keys create --tenant NAME`, or run `rotasat serve --dev` (loopback only, no keys)"
            ) in result.output


def test_development_mode_binds_only_to_loopback(tmp_path: Path):
    result = run(tmp_path, "serve", "--dev", "--host", "0.0.0.0", "--port", "1")
    assert result.exit_code == 2
    assert ("error: --host: development mode (no API keys) binds only to loopback, e.g. "
            "127.0.0.1 (got 0.0.0.0)") in result.output
