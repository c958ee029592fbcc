"""Helpers for the HTTP API tests: instances, settings, waiting with a deadline, a real server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
from fastapi.testclient import TestClient
from rotasat.api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
WEEKLY = ROOT / "instances" / "weekly-6.json"  # solved to optimality in well under a second
QUARTER = ROOT / "instances" / "quarter-12.json"  # still improving after several seconds
JSON = {"Content-Type": "application/json"}
T = TypeVar("T")


def weekly() -> dict[str, Any]:
    return json.loads(WEEKLY.read_text())


def quarter() -> dict[str, Any]:
    return json.loads(QUARTER.read_text())


def settings(tmp: Path, **values: Any) -> Settings:
    """Test settings: a SQLite file in `tmp`, one worker, small caps."""
    base: dict[str, Any] = {"database_url": f"sqlite:///{tmp / 'api.db'}", "workers": 1,
                            "max_time_limit": 30, "max_sync_time_limit": 5}
    return Settings(**{**base, **values})


def wait_for(probe: Callable[[], T | None], timeout: float = 20.0, every: float = 0.05) -> T:
    """Poll `probe` until it returns something truthy, or fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"nothing after {timeout} s")


def job_in(client: TestClient | httpx.Client, url: str, *statuses: str,
           timeout: float = 20.0) -> dict[str, Any]:
    """The job at `url` once its status is one of `statuses`."""
    def probe() -> dict[str, Any] | None:
        job = client.get(url).json()
        return job if job["status"] in statuses else None

    return wait_for(probe, timeout)


def sse_events(lines: Iterator[str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(event, data) pairs from the lines of a text/event-stream body."""
    kind = None
    for line in lines:
        if line.startswith("event: "):
            kind = line[len("event: "):]
        elif line.startswith("data: ") and kind is not None:
            yield kind, json.loads(line[len("data: "):])
            kind = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """`rotasat serve` in a child process on 127.0.0.1, stopped with SIGTERM or SIGKILL."""

    def __init__(self, env: dict[str, str], port: int, *args: str) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rotasat.api.cli", "serve", "--port", str(port), *args],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        wait_for(self._ready, timeout=30, every=0.1)

    def _ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"server exited: {self.process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            return httpx.get(self.url + "/healthz", timeout=1).json()["workers"] > 0
        except httpx.HTTPError:
            return False

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
