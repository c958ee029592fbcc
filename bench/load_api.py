"""Load test of the HTTP API on loopback: validate throughput and latency, then 200 jobs
submitted at once, every one accounted for.

Starts `rotasat serve --dev` on 127.0.0.1 (a free port, a fresh SQLite file), then
1. after 10 unmeasured warm-up requests, sends VALIDATE requests to POST /v1/validate,
   CONCURRENCY at a time;
2. submits JOBS jobs to POST /v1/jobs at once (CONCURRENCY at a time): each is accepted (202)
   or refused (429, with Retry-After);
3. polls every accepted job until it is over, and checks that none is lost: every accepted job
   completes, and accepted + refused = JOBS.
Prints a Markdown table. Every loop is bounded in count and time; the server is stopped at the
end.

    .venv/bin/python bench/load_api.py
    .venv/bin/python bench/load_api.py --jobs 200 --validate 500 --concurrency 32 --workers 2 \
        --queue-depth 64
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = (ROOT / "instances" / "weekly-6.json").read_bytes()
JSON = {"Content-Type": "application/json"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, folder: str, workers: int, depth: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "ROTASAT_DATABASE_URL": f"sqlite:///{folder}/load.db",
           "ROTASAT_WORKERS": str(workers), "ROTASAT_QUEUE_DEPTH": str(depth)}
    server = subprocess.Popen(
        [sys.executable, "-m", "rotasat.api.cli", "serve", "--dev", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).json()["workers"]:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not start within 60 s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed_posts(client: httpx.AsyncClient, url: str, count: int,
                      concurrency: int) -> tuple[list[float], list[httpx.Response], float]:
    """`count` POSTs of the instance, `concurrency` at a time: latencies, responses, seconds."""
    gate = asyncio.Semaphore(concurrency)
    latencies: list[float] = []

    async def one() -> httpx.Response:
        async with gate:
            started = time.perf_counter()
            response = await client.post(url, content=INSTANCE, headers=JSON)
            latencies.append(time.perf_counter() - started)
            return response

    started = time.perf_counter()
    responses = await asyncio.gather(*(one() for _ in range(count)))
    return latencies, list(responses), time.perf_counter() - started


async def drain(client: httpx.AsyncClient, ids: list[str], timeout: float) -> dict[str, str]:
    """Poll each accepted job until it is over; its final status."""
    final: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while len(final) < len(ids) and time.monotonic() < deadline:
        for job_id in ids:
            if job_id not in final:
                status = (await client.get(f"/v1/jobs/{job_id}")).json()["status"]
                if status not in ("queued", "running"):
                    final[job_id] = status
        await asyncio.sleep(0.2)
    return final


async def run(args: argparse.Namespace, base: str) -> int:
    limits = httpx.Limits(max_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await timed_posts(client, "/v1/validate", 10, 1)  # warm-up, not measured
        v_lat, v_resp, v_time = await timed_posts(client, "/v1/validate", args.validate,
                                                  args.concurrency)
        assert all(r.status_code == 200 for r in v_resp), "a validate request failed"
        query = f"/v1/jobs?time_limit={args.time_limit}"
        s_lat, s_resp, s_time = await timed_posts(client, query, args.jobs, args.concurrency)
        accepted = [r.json()["id"] for r in s_resp if r.status_code == 202]
        refused = [r for r in s_resp if r.status_code == 429]
        assert all("Retry-After" in r.headers for r in refused), "a 429 without Retry-After"
        other = [r.status_code for r in s_resp if r.status_code not in (202, 429)]
        started = time.perf_counter()
        final = await drain(client, accepted, timeout=args.jobs * args.time_limit + 120)
        drained = time.perf_counter() - started
        listed = (await client.get("/v1/jobs?limit=1000")).json()["total"]

    completed = sum(status == "completed" for status in final.values())
    lost = len(accepted) - len(final)
    print("| requests | count | throughput (req/s) | p50 (ms) | p95 (ms) |")
    print("|---|---:|---:|---:|---:|")
    for name, lat, total in (("POST /v1/validate", v_lat, v_time),
                             ("POST /v1/jobs", s_lat, s_time)):
        print(f"| {name} | {len(lat)} | {len(lat) / total:.0f} | "
              f"{1000 * statistics.median(lat):.1f} | {1000 * percentile(lat, 0.95):.1f} |")
    print()
    print("| jobs submitted at once | accepted (202) | refused (429) | other | completed | "
          "lost | listed | drained in (s) | jobs/s solved |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    print(f"| {args.jobs} | {len(accepted)} | {len(refused)} | {len(other)} | {completed} | "
          f"{lost} | {listed} | {drained:.1f} | {completed / max(drained, 1e-9):.1f} |")
    ok = not other and lost == 0 and completed == len(accepted) and \
        len(accepted) + len(refused) == args.jobs and listed == len(accepted)
    print("\nnone lost: every job completed or was refused with 429" if ok else "\nFAILED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--validate", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue-depth", type=int, default=64)
    parser.add_argument("--time-limit", type=float, default=2.0)
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = start_server(port, folder, args.workers, args.queue_depth)
        try:
            return asyncio.run(run(args, f"http://127.0.0.1:{port}"))
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":
    sys.exit(main())
