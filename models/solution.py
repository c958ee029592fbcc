"""What a solve returns and what the checker reports: plain data other tools can read."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN", "MODEL_INVALID"]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SolveParameters(Record):
    time_limit: float = Field(30.0, gt=0, le=86_400, description="seconds")
    workers: int = Field(2, ge=1, le=64, description="CP-SAT search workers")
    seed: int = Field(0, ge=0, le=2**31 - 1)
    relative_gap: float = Field(0.0, ge=0, le=1, description="stop once this close to the bound")
    deterministic: bool = Field(
        False, description="same input, same solution: time limit in deterministic seconds"
    )


class Assignment(Record):
    """One engineer holding one role on one shift."""

    shift: str
    team: str
    rotation: str
    shift_type: str
    role: str
    engineer: str
    start: dt.datetime = Field(description="ISO 8601 with offset")
    end: dt.datetime


class ObjectiveTerm(Record):
    """One term of the objective: cost = weight x value."""

    name: str
    team: str | None = None
    value: int
    weight: int
    cost: int
    unit: str = ""


class EngineerFigures(Record):
    engineer: str
    team: str
    shifts: int
    hours: float = Field(description="duty hours in this plan")
    load: float = Field(description="weighted duty hours in this plan")
    history_load: float = Field(description="weighted hours carried from past periods")
    total_load: float
    weekends: int = Field(description="weekends touched by a duty (engineer's zone)")
    holidays: int = Field(description="public holidays touched by a duty")
    night_hours: float
    preference_cost: int = Field(description="weight of preferences not met")
    skill_gap: int = Field(description="levels short of 5 in required skills, summed over duties")


class TeamFigures(Record):
    team: str
    engineers: int = Field(description="engineers counted for fairness")
    load_min: float
    load_max: float
    load_spread: float = Field(description="hours between most and least loaded (incl. history)")
    load_mean: float
    load_gini: float = Field(description="0 = perfectly even, 1 = one engineer carries all")
    understaffed: int = Field(description="person-shifts missing")
    overstaffed: int = Field(description="person-shifts beyond the head count")
    preference_cost: int
    skill_gap: int
    support_spread: float = Field(0.0, description="hours between most and least support")
    support_gini: float = 0.0
    interruption_hours: float = 0.0
    interrupted_sprints: int = Field(0, description="engineer-sprints beyond the reserve")
    protected_pct: float | None = Field(None, description="sprint capacity left, % of capacity")
    incidents_handled: int = 0
    deferred: int = 0
    sla_met: int = 0
    sla_missed: int = 0
    expertise_gap: int = 0
    knowledge: dict[str, int] = Field({}, description="system -> engineers who handled it")


class IncidentOutcome(Record):
    """What happens to one incident: who handles it, or that it waits in the backlog."""

    incident: str
    team: str = Field(description="the owner team")
    handler: str | None = Field(None, description="null: deferred to the backlog")
    sprint: str | None = Field(None, description="the handler's sprint it is handled in")
    deferred: bool = False
    target_sprint: str | None = Field(None, description="deferred: the sprint it is planned for")
    interrupting: bool = False
    sla_met: bool | None = Field(None, description="null: the incident has no SLA")
    reason: str | None = Field(None, description="why the SLA is missed, or why deferred")
    expertise_gap: int = 0


class SprintFigures(Record):
    """One engineer in one sprint: capacity, the support reserve and what support took."""

    engineer: str
    team: str
    sprint: str
    start: dt.date
    capacity_hours: float
    reserve_hours: float
    duty_hours: float
    incident_hours: float = Field(description="incidents that may not interrupt")
    interrupting_hours: float = Field(description="incidents that may interrupt the sprint")
    interruption_hours: float = Field(description="support beyond the reserve")
    protected_pct: float = Field(description="share of capacity left for sprint work, %")


class Violation(Record):
    rule: str
    message: str
    team: str | None = None
    engineer: str | None = None
    date: dt.date | None = None


class Evaluation(Record):
    """A schedule judged by the independent checker."""

    feasible: bool
    violations: list[Violation] = []
    objective: int
    terms: list[ObjectiveTerm] = []
    engineers: list[EngineerFigures] = []
    teams: list[TeamFigures] = []
    incidents: list[IncidentOutcome] = []
    sprints: list[SprintFigures] = []


class Solution(Record):
    """A solve's result: status, the objective with its bound, and the schedule."""

    instance: str
    status: Status
    objective: int | None = None
    bound: float | None = None
    gap: float | None = Field(None, description="(objective - bound) / objective; 0 when proven")
    wall_time: float = Field(description="seconds, model building included")
    build_time: float = 0.0
    parameters: SolveParameters = SolveParameters()
    terms: list[ObjectiveTerm] = []
    assignments: list[Assignment] = []
    incidents: list[IncidentOutcome] = Field([], description="who handles each incident")
    engineers: list[EngineerFigures] = []
    teams: list[TeamFigures] = []
    sprints: list[SprintFigures] = []
    explanation: list[str] = Field([], description="why the instance is infeasible, in words")
    baseline: Evaluation | None = Field(
        None, description="the fixed-order rotation an on-call tool would render, judged alike"
    )
