"""Sprints and each engineer's capacity in them: derived data, like the shift calendar.

Capacity is what a planner would count by hand: the engineer's working hours on each working day
of the sprint that falls inside the horizon, less public holidays and leave.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .base import WEEKDAYS
from .instance import Engineer, Instance, Team


@dataclass(frozen=True)
class Sprint:
    index: int  # counted from the cadence's first sprint
    start: dt.date
    end: dt.date  # the first day after the sprint

    @property
    def label(self) -> str:
        return f"sprint {self.index + 1} ({self.start} to {self.end - dt.timedelta(days=1)})"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day < self.end


def team_sprints(instance: Instance, team: Team) -> list[Sprint]:
    """The team's sprints that overlap the horizon, in order (empty without a cadence)."""
    cadence = team.sprints
    if cadence is None:
        return []
    length = dt.timedelta(days=cadence.length_days)
    first, stop = instance.horizon.start, instance.horizon.end
    k = (first - cadence.first_start).days // cadence.length_days
    sprints = []
    while True:
        start = cadence.first_start + k * length
        if start >= stop:
            break
        sprints.append(Sprint(k, start, start + length))
        k += 1
    return sprints


def sprint_of(sprints: list[Sprint], day: dt.date) -> Sprint | None:
    return next((s for s in sprints if s.contains(day)), None)


def capacity_minutes(instance: Instance, engineer: Engineer, sprint: Sprint) -> int:
    """Working minutes of `engineer` in the part of `sprint` inside the horizon."""
    hours = engineer.working_hours
    per_day = (
        dt.datetime.combine(dt.date.min, hours.end) - dt.datetime.combine(dt.date.min, hours.start)
    ).seconds // 60
    away = {
        leave.start + dt.timedelta(days=i)
        for leave in engineer.unavailability
        for i in range((leave.end - leave.start).days + 1)
    }
    total = 0
    day = max(sprint.start, instance.horizon.start)
    while day < min(sprint.end, instance.horizon.end):
        working = WEEKDAYS[day.weekday()] in engineer.working_days
        if working and day not in instance.holiday_dates and day not in away:
            total += per_day
        day += dt.timedelta(days=1)
    return total
