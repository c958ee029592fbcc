"""POST /v1/validate: the checks of `rotasat validate`, with the same messages."""

from __future__ import annotations

from fastapi import APIRouter
from rotasat.models import Instance

from ..deps import TenantDep
from ..schemas import Problem, ValidationReport
from ..service import instance_summary

router = APIRouter(prefix="/v1", tags=["instances"])


@router.post("/validate", summary="Validate an instance",
             responses={422: {"model": Problem, "description": "one message per problem"}})
def validate(instance: Instance, _: TenantDep) -> ValidationReport:
    """The schema and every cross-reference. A problem is reported as
    'body: JSON path: what is wrong', exactly as `rotasat validate` reports it for a file."""
    return ValidationReport(**instance_summary(instance))
