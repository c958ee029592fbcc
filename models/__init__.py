"""Pure, validated data: the instance schema, the shifts it defines, and solve results."""

from .calendar import Shift, rotation_shifts, team_shifts
from .errors import InputError, load, parse, read_json
from .instance import (
    Engineer,
    HeadCount,
    Holidays,
    Horizon,
    Instance,
    ObjectiveWeights,
    Policy,
    Role,
    Rotation,
    Team,
)
from .solution import (
    Assignment,
    EngineerFigures,
    Evaluation,
    IncidentOutcome,
    ObjectiveTerm,
    Solution,
    SolveParameters,
    SprintFigures,
    TeamFigures,
    Violation,
)

__all__ = [
    "Assignment",
    "Engineer",
    "EngineerFigures",
    "Evaluation",
    "HeadCount",
    "Holidays",
    "Horizon",
    "IncidentOutcome",
    "InputError",
    "Instance",
    "ObjectiveTerm",
    "ObjectiveWeights",
    "Policy",
    "Role",
    "Rotation",
    "Shift",
    "Solution",
    "SolveParameters",
    "SprintFigures",
    "Team",
    "TeamFigures",
    "Violation",
    "load",
    "parse",
    "read_json",
    "rotation_shifts",
    "team_shifts",
]
