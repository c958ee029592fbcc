"""GET /healthz: is the server up, and how busy."""

from __future__ import annotations

from fastapi import APIRouter

from ..deps import JobsDep, SettingsDep
from ..schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness, workers and queue")
def healthz(jobs: JobsDep, settings: SettingsDep) -> Health:
    """Needs no API key."""
    return Health(**jobs.counts(), queue_depth=settings.queue_depth)
