"""The HTTP API: create_app() assembles it; serve() runs it under uvicorn.

Thin by design: routes call what the CLI calls (`service.solve_instance` in the worker
processes, `models.errors.describe` for messages). Errors a client can cause are 4xx with the
CLI's precise messages, `{"detail": "..."}` or `{"detail": ["body: JSON path: problem", ...]}`;
a 500 means a bug in rotasat.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from rotasat.models import InputError, Instance
from rotasat.models.errors import describe, loads, parse
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .jobs import JobManager, QueueFull
from .routes import calendar, compare, health, jobs, solve, validate
from .schemas import CompareRequest
from .settings import Settings, get_settings
from .store import Store

log = logging.getLogger("rotasat.api")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Open the store, start the worker pool; on the way out, stop both."""
    settings: Settings = app.state.settings
    app.state.store = store = Store(settings.database_url)
    app.state.jobs = manager = JobManager(settings, store)
    manager.start()
    try:
        yield
    finally:
        manager.close()
        store.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """The FastAPI application, configured by `settings` (default: from the environment)."""
    app = FastAPI(
        title="rotasat",
        summary="On-call rotations for Scrum teams, optimised with CP-SAT.",
        version="0.1.0",
        lifespan=lifespan,
        strict_content_type=False,  # `curl -d @instance.json` sends a form content type
    )
    app.state.settings = settings or get_settings()
    for module in (health, validate, solve, jobs, compare, calendar):
        app.include_router(module.router)
    app.include_router(calendar.public)
    app.add_exception_handler(RequestValidationError, bad_request)  # type: ignore[arg-type]
    app.add_exception_handler(InputError, input_error)  # type: ignore[arg-type]
    app.add_exception_handler(QueueFull, queue_full)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, internal_error)
    app.add_middleware(BodyLimit, max_bytes=app.state.settings.max_body_bytes)
    return app


# --------------------------------------------------------------------------------------------
# Errors


class _Errors:
    """RequestValidationError's items without their first location part, for describe()."""

    def __init__(self, items: list[dict[str, Any]]) -> None:
        self.items = items

    def errors(self) -> list[dict[str, Any]]:
        return self.items


async def bad_request(request: Request, error: RequestValidationError) -> JSONResponse:
    """422 with one 'where: JSON path: problem' line per problem. Every body of this API is an
    instance, or (POST /v1/compare) a comparison request holding one, so body problems are found
    again by the CLI's own parse(), word for word."""
    kind = request.headers.get("content-type", "")
    if kind and "json" not in kind.split(";")[0]:
        return JSONResponse({"detail": [
            f"body: send the instance as JSON with 'Content-Type: application/json' "
            f"(got {kind!r})"]}, status_code=415)
    lines: list[str] = []
    body_checked = False
    for item in error.errors():
        where, *rest = item["loc"] or ("request",)
        if where == "body":
            if not body_checked:
                body_checked = True
                lines += await body_problems(request)
            continue
        for line in describe(_Errors([{**item, "loc": tuple(rest)}])):  # type: ignore[arg-type]
            lines.append(f"{where}: {line}")
    return JSONResponse({"detail": lines}, status_code=422)


async def body_problems(request: Request) -> list[str]:
    """What `rotasat validate` would say about the body, with 'body' for the file name; for a
    comparison, about its instance and its policies."""
    raw = await request.body()
    route = request.scope.get("route")
    comparing = getattr(route, "path", None) == "/v1/compare"
    if not raw.strip():
        return [f"body: empty: expected {'a comparison' if comparing else 'an instance'} as a "
                "JSON object"]
    try:
        data = loads(raw, "body")
        if not comparing:
            parse(Instance, data, "body")
            return ["body: not an instance"]  # pragma: no cover - FastAPI and parse() agree
        try:
            parse(CompareRequest, data, "body")
            problems = []
        except InputError as found:
            problems = found.messages
        problems += compare.body_problems(data, request.app.state.settings)
        return problems or ["body: not a comparison"]  # pragma: no cover - as above
    except InputError as problems:
        return problems.messages


async def input_error(_: Request, error: InputError) -> JSONResponse:
    return JSONResponse({"detail": error.messages}, status_code=422)


async def queue_full(_: Request, error: QueueFull) -> JSONResponse:
    return JSONResponse({"detail": str(error)}, status_code=429,
                        headers={"Retry-After": str(error.retry_after)})


async def internal_error(_: Request, error: Exception) -> JSONResponse:
    log.error("rotasat: internal error", exc_info=error)
    return JSONResponse(
        {"detail": f"internal error: {type(error).__name__}: this is a bug in rotasat, not a "
         "problem with your request"}, status_code=500)


class BodyLimit:
    """Refuse bodies above `max_bytes` with 413 before reading them when Content-Length says
    so, and as soon as the count passes it otherwise (chunked uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self.refuse(send, int(length) if length.isdigit() else None)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:  # FastAPI passes HTTPException through body reading
                raise HTTPException(413, self.detail(None), headers={"Connection": "close"})
            return message

        await self.app(scope, counted, send)

    def detail(self, length: int | None) -> str:
        return (f"body too large: at most {self.max_bytes} bytes"
                + (f" (got {length})" if length is not None else ""))

    async def refuse(self, send: Send, length: int | None) -> None:
        detail = (f"body too large: at most {self.max_bytes} bytes"
                  + (f" (got {length})" if length is not None else ""))
        response = JSONResponse({"detail": detail}, status_code=413,
                                headers={"Connection": "close"})
        await response({"type": "http"}, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - never called by JSONResponse
    return {"type": "http.disconnect"}


# --------------------------------------------------------------------------------------------
# Commands behind `rotasat serve` and `rotasat keys create`


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(host: str, port: int, dev: bool) -> None:
    """Run the API under uvicorn. Without keys, only in development mode, on loopback."""
    import uvicorn

    settings = Settings(dev_mode=True) if dev else get_settings()
    if settings.dev_mode and not is_loopback(host):
        raise InputError([f"--host: development mode (no API keys) binds only to loopback, "
                          f"e.g. 127.0.0.1 (got {host})"])
    if not settings.dev_mode:
        store = Store(settings.database_url)
        try:
            if not store.has_keys():
                raise InputError([
                    f"no API keys in {settings.database_url}: create one with `rotasat keys "
                    "create --tenant NAME`, or run `rotasat serve --dev` (loopback only, no "
                    "keys)"])
        finally:
            store.close()
    uvicorn.run(create_app(settings), host=host, port=port, timeout_graceful_shutdown=3,
                log_level="info")


def create_key(tenant: str) -> str:
    """A new API key for `tenant`, stored hashed in the configured database."""
    tenant = tenant.strip()
    if not tenant or len(tenant) > 200 or not all(c.isalnum() or c in "._-@" for c in tenant):
        raise InputError([f"--tenant: 1 to 200 letters, digits or . _ - @ (got {tenant!r})"])
    store = Store(get_settings().database_url)
    try:
        return store.create_key(tenant)
    finally:
        store.close()


