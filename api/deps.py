"""Dependencies of the routes, as Annotated aliases: settings, store, jobs, tenant, job, and
the solve parameters from the query string (capped by the settings)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from rotasat.models import Instance, SolveParameters
from rotasat.models.errors import describe

from .jobs import JobManager
from .settings import Settings
from .store import Job, Store

DEV_TENANT = "dev"
QUERY_NAME = {"relative_gap": "gap"}


def settings_of(request: Request) -> Settings:
    return request.app.state.settings


def store_of(request: Request) -> Store:
    return request.app.state.store


def jobs_of(request: Request) -> JobManager:
    return request.app.state.jobs


SettingsDep = Annotated[Settings, Depends(settings_of)]
StoreDep = Annotated[Store, Depends(store_of)]
JobsDep = Annotated[JobManager, Depends(jobs_of)]
bearer = HTTPBearer(auto_error=False, description="an API key from `rotasat keys create`")


def tenant_of(
    settings: SettingsDep,
    store: StoreDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    """The tenant of the API key sent as `Authorization: Bearer KEY` (development mode: 'dev')."""
    if settings.dev_mode:
        return DEV_TENANT
    challenge = {"WWW-Authenticate": "Bearer"}
    if credentials is None:
        raise HTTPException(401, "missing API key: send the header 'Authorization: Bearer KEY'",
                            headers=challenge)
    tenant = store.tenant_of(credentials.credentials)
    if tenant is None:
        raise HTTPException(401, "invalid API key", headers=challenge)
    return tenant


TenantDep = Annotated[str, Depends(tenant_of)]


def job_of(job_id: str, tenant: TenantDep, store: StoreDep) -> Job:
    """The job, when it is this tenant's; otherwise 404, whoever owns it."""
    job = store.job(job_id, tenant)
    if job is None:
        raise HTTPException(404, f"no job {job_id!r}")
    return job


JobDep = Annotated[Job, Depends(job_of)]


def unprocessable(messages: list[str]) -> HTTPException:
    return HTTPException(422, messages)


def size_problems(instance: Instance, settings: Settings, where: str = "body: ") -> list[str]:
    """What makes the instance larger than this server solves; `where` names it."""
    problems = []
    engineers = sum(len(t.engineers) for t in instance.teams)
    if len(instance.teams) > settings.max_teams:
        problems.append(f"{where}teams: {len(instance.teams)} teams, more than this server "
                        f"solves ({settings.max_teams})")
    if engineers > settings.max_engineers:
        problems.append(f"{where}teams: {engineers} engineers in all, more than this server "
                        f"solves ({settings.max_engineers})")
    if instance.horizon.days > settings.max_days:
        problems.append(f"{where}horizon.days: {instance.horizon.days} days, more than this "
                        f"server solves ({settings.max_days})")
    return problems


def check_size(instance: Instance, settings: Settings) -> None:
    """422 when the instance is larger than this server solves."""
    problems = size_problems(instance, settings)
    if problems:
        raise unprocessable(problems)


class Parameters:
    """SolveParameters from the query string, each problem naming its parameter; the time limit
    defaults to, and may not exceed, the cap named by `cap` in the settings."""

    def __init__(self, cap: str) -> None:
        self.cap = cap

    def __call__(
        self,
        settings: SettingsDep,
        time_limit: Annotated[
            float | None, Query(description="seconds (capped by the server)")
        ] = None,
        workers: Annotated[int | None, Query(description="CP-SAT search workers")] = None,
        seed: Annotated[int, Query(description="CP-SAT random seed")] = 0,
        gap: Annotated[float, Query(description="stop once this close to the bound")] = 0.0,
        deterministic: Annotated[
            bool, Query(description="count the time limit in deterministic time")
        ] = False,
    ) -> SolveParameters:
        cap: float = getattr(settings, self.cap)
        try:
            params = SolveParameters(
                time_limit=min(settings.default_time_limit, cap) if time_limit is None
                else time_limit,
                workers=min(2, settings.max_solver_workers) if workers is None else workers,
                seed=seed, relative_gap=gap, deterministic=deterministic,
            )
        except ValidationError as error:
            lines = []
            for line in describe(error):
                name, _, problem = line.partition(": ")
                lines.append(f"query: {QUERY_NAME.get(name, name)}: {problem}")
            raise unprocessable(lines) from None
        if params.time_limit > cap:
            raise unprocessable([f"query: time_limit: at most {cap:g} s on this server "
                                 f"(got {params.time_limit:g})"])
        if params.workers > settings.max_solver_workers:
            raise unprocessable([f"query: workers: at most {settings.max_solver_workers} on "
                                 f"this server (got {params.workers})"])
        return params


JobParamsDep = Annotated[SolveParameters, Depends(Parameters("max_time_limit"))]
SyncParamsDep = Annotated[SolveParameters, Depends(Parameters("max_sync_time_limit"))]
