"""POST /v1/compare: one instance solved under several policies, as a job in the worker pool;
GET /v1/jobs/{id}/policies/{position}: one policy of a comparison with its solution.

The policies are checked here, before anything is queued, with the CLI's words and the body's
JSON paths (`body: policies[1].weights.skil: unknown field: ...`); each is then applied to the
instance, so a policy the instance cannot take is a 422 too, not a failed job.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Response
from pydantic import ValidationError
from rotasat.models import InputError, Instance, Policy
from rotasat.models.errors import describe, json_kind

from ..compare import _ALIASES, PRESETS, PolicyChoice, _unique_names, apply, merge
from ..deps import JobDep, JobParamsDep, JobsDep, SettingsDep, StoreDep, TenantDep, size_problems
from ..schemas import CompareRequest, JobView, PolicyResult, PolicyState, Problem
from ..settings import Settings
from ..store import CompareJob

router = APIRouter(prefix="/v1", tags=["compare"])
DEFAULT_NAME = "policy-{n}"  # a partial policy without a name, n counted from 1


def read_policies(raw: Any, settings: Settings) -> tuple[list[tuple[int, PolicyChoice]], list[str]]:
    """The policies of a comparison body with their positions, and every problem with its
    path: a preset name, or a partial Policy object (checked as `rotasat compare` checks a
    policy file)."""
    if not isinstance(raw, list):
        return [], [f"body: policies: expected an array of presets and partial Policy objects, "
                    f"got {json_kind(raw)}"]
    problems: list[str] = []
    if not raw:
        problems.append("body: policies: give at least one policy to compare")
    if len(raw) > settings.max_policies:
        problems.append(f"body: policies: at most {settings.max_policies} policies in a "
                        f"comparison on this server (got {len(raw)})")
    chosen: list[tuple[int, PolicyChoice]] = []
    for i, item in enumerate(raw):
        where = f"body: policies[{i}]"
        if isinstance(item, str):
            key = _ALIASES.get(item.strip().lower(), item.strip().lower())
            if key in PRESETS:
                chosen.append((i, PolicyChoice(name=key, allocation=PRESETS[key])))
            else:
                problems.append(f"{where}: unknown preset {item!r}: expected one of "
                                f"{', '.join(PRESETS)}, or a partial Policy object")
            continue
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a preset or a partial Policy object, got "
                            f"{json_kind(item)}")
            continue
        try:
            Policy.model_validate(merge(Policy().model_dump(mode="json"), item))
        except ValidationError as error:
            problems += [f"{where}.{line}" for line in describe(error)]
            continue
        name = item.get("name")
        name = name.strip() if isinstance(name, str) and name.strip() else None
        if name is not None and len(name) > 100:
            problems.append(f"{where}.name: at most 100 characters for a policy's name (got "
                            f"{len(name)})")
            continue
        chosen.append((i, PolicyChoice(name=name or DEFAULT_NAME.format(n=i + 1), policy=item)))
    named = _unique_names([choice for _, choice in chosen])
    return [(i, choice) for (i, _), choice in zip(chosen, named, strict=True)], problems


def instance_problems(instance: Instance, chosen: list[tuple[int, PolicyChoice]],
                      team: str | None) -> list[str]:
    """The team must be the instance's; each policy must be one the instance can take."""
    if team is not None:
        ids = [t.id for t in instance.teams]
        if team not in ids:
            return [f"body: team: unknown team {team!r}: expected one of {', '.join(ids)}"]
    problems = []
    for i, choice in chosen:
        try:
            apply(instance, choice.model_copy(update={"source": f"body: policies[{i}]"}), team)
        except InputError as error:
            problems += error.messages
    return problems


def body_problems(data: Any, settings: Settings) -> list[str]:
    """The policies' problems of a body whose instance is invalid, so that a client hears of
    every problem at once."""
    if isinstance(data, dict) and "policies" in data:
        return read_policies(data["policies"], settings)[1]
    return []


@router.post(
    "/compare", status_code=202, summary="Compare policies: submit a comparison job",
    responses={422: {"model": Problem, "description": "one message per problem, with its "
                     "JSON path"},
               429: {"model": Problem,
                     "description": "the queue is full: retry after Retry-After seconds"}},
)
def submit_compare(body: CompareRequest, params: JobParamsDep, tenant: TenantDep,
                   jobs: JobsDep, settings: SettingsDep, response: Response) -> JobView:
    """Solves the instance under each policy with the same parameters (`time_limit` is per
    policy), one after another in a worker process, and tabulates the figures side by side:
    the `Comparison` record of `rotasat compare -o`, with the best of each figure marked and
    the Pareto set. Follow it at Location: progress as policies done of the total and the
    current one's best objective, the table once it is over; its `events` stream has one
    `policy` event per policy solved, then `end`. DELETE stops it, keeping the policies solved
    and the current one's best schedule."""
    chosen, problems = read_policies(body.policies, settings)
    too_large = size_problems(body.instance, settings, "body: instance.")
    problems = too_large + problems
    if not too_large:  # applying each policy costs as much as reading the instance again
        problems += instance_problems(body.instance, chosen, body.team)
    if problems:
        raise HTTPException(422, problems)
    choices = [choice for _, choice in chosen]
    request = CompareJob(
        team=body.team,
        policies=json.dumps([c.model_dump(mode="json", exclude_none=True) for c in choices]),
        progress=json.dumps([PolicyState(name=c.name, description=c.description).model_dump()
                             for c in choices]),
    )
    job = jobs.submit(tenant, body.instance, params, request)
    response.headers["Location"] = f"/v1/jobs/{job.id}"
    return JobView.of(job)


@router.get(
    "/jobs/{job_id}/policies/{position}", summary="One policy of a comparison, with its solution",
    responses={404: {"model": Problem, "description": "no such job, or no such policy in it"}},
)
def policy_result(
    job: JobDep, store: StoreDep,
    position: Annotated[int, Path(ge=0, le=1000, description="its place in the request, from 0")],
) -> PolicyResult:
    """Its state, as in the job's `compare.policies`, and once it is over its Solution: the
    schedule and its figures (for a policy stopped by DELETE, its best schedule)."""
    if job.comparing is None:
        raise HTTPException(404, f"job {job.id} is a solve, not a comparison: it has no policies")
    view = JobView.of(job).compare
    assert view is not None
    if position >= len(view.policies):
        raise HTTPException(404, f"no policy at position {position} in job {job.id} (it "
                                 f"compares {len(view.policies)})")
    return PolicyResult(position=position, **view.policies[position].model_dump(),
                        solution=store.policy_solution(job.id, position))

