"""Server settings, read from the environment (prefix ROTASAT_), e.g. ROTASAT_WORKERS=4."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """What an operator may tune; every limit a client can run into is here."""

    model_config = SettingsConfigDict(env_prefix="ROTASAT_", extra="ignore")

    database_url: str = Field(
        "sqlite:///rotasat.db",
        description="SQLAlchemy URL: a SQLite file, or postgresql+psycopg://user:pw@host/db",
    )
    dev_mode: bool = Field(
        False, description="no API keys: every request is tenant 'dev' (serve binds to loopback)"
    )
    workers: int = Field(2, ge=1, le=64, description="solver worker processes")
    queue_depth: int = Field(32, ge=0, le=100_000, description="jobs waiting for a worker")
    max_time_limit: float = Field(300.0, gt=0, description="cap on a job's time limit, seconds")
    default_time_limit: float = Field(30.0, gt=0, description="a job's time limit when unset")
    max_sync_time_limit: float = Field(10.0, gt=0, description="cap for POST /v1/solve")
    sync_wait: float = Field(
        60.0, gt=0, description="POST /v1/solve answers 202 with the job if it takes longer"
    )
    max_solver_workers: int = Field(2, ge=1, le=64, description="cap on CP-SAT threads per job")
    max_body_bytes: int = Field(2_000_000, ge=1_000, description="larger bodies get 413")
    max_teams: int = Field(100, ge=1)
    max_engineers: int = Field(2_000, ge=1, description="engineers across all teams")
    max_days: int = Field(400, ge=1, description="horizon length")
    max_policies: int = Field(8, ge=1, le=100, description="policies in one comparison")
    page_size: int = Field(20, ge=1, le=1_000, description="GET /v1/jobs default page size")
    stream_seconds: float = Field(
        3_600.0, gt=0, description="an event stream closes after this long (clients reconnect)"
    )


@lru_cache
def get_settings() -> Settings:
    """The settings of this process, read once."""
    return Settings()
