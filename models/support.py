"""Incidents, sprints and the support policy: how escalations meet a team's sprint.

See ../shared/DOMAIN.md: support models (who handles escalations), allocation patterns (how they
are handed out inside a team), the support reserve planned into each sprint, and the rule that
says which incidents may interrupt a sprint beyond that reserve.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from .base import Id, SkillLevel, Strict

Priority = Literal["P1", "P2", "P3", "P4"]
Severity = Literal["S1", "S2", "S3", "S4"]
Tier = Literal["L1", "L2", "L3"]


class SLA(Strict):
    """Deadlines counted from the incident's arrival."""

    respond_hours: float | None = Field(None, gt=0, description="first response due after")
    resolve_hours: float | None = Field(None, gt=0, description="resolution due after")


class Incident(Strict):
    """An escalated support issue."""

    id: Id
    title: str | None = None
    system: Id = Field(description="the system it concerns; its owner team's policy applies")
    required_skills: dict[Id, SkillLevel] = Field(
        {}, description="the assignee needs each skill at this level or above"
    )
    priority: Priority = "P3"
    severity: Severity = "S3"
    tier: Tier = "L3"
    arrival: dt.datetime = Field(description="ISO 8601 with offset, e.g. 2027-01-05T14:30:00Z")
    sla: SLA | None = None
    effort_hours: float = Field(gt=0, le=24 * 14, description="estimated hands-on effort")
    assignee: Id | None = Field(None, description="pinned: this engineer takes it")

    @field_validator("arrival")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise PydanticCustomError(
                "naive_datetime",
                "arrival has no UTC offset: write it as e.g. 2027-01-05T14:30:00Z or "
                "2027-01-05T14:30:00+01:00",
            )
        return value


class SprintCadence(Strict):
    """Sprints of `length_days`, the first starting on `first_start` (may precede the horizon)."""

    length_days: int = Field(14, ge=1, le=56)
    first_start: dt.date


class InterruptRule(Strict):
    """Which incidents may take time beyond the support reserve: any that matches one clause.

    The default is "P1 or S1 or SLA-bound".
    """

    priorities: list[Priority] = ["P1"]
    severities: list[Severity] = ["S1"]
    sla_bound: bool = Field(True, description="incidents with a resolve-by SLA may interrupt")

    def allows(self, incident: Incident) -> bool:
        return (
            incident.priority in self.priorities
            or incident.severity in self.severities
            or (self.sla_bound and incident.sla is not None
                and incident.sla.resolve_hours is not None)
        )


SupportModel = Literal["team", "builders", "dedicated", "tiered"]
Allocation = Literal["round_robin", "rotating_owner", "most_qualified", "optimised"]
