"""Sprint accounting (docs/semantics.md, "Incidents and sprints"), in points (tenths of an hour).

Per engineer and sprint of their team: capacity C, reserve R, duty D, incidents that may not
interrupt N and incidents that may U. The hard rule is N ≤ max(0, R − D); interruption is
max(0, D + N + U − R) and protected capacity C − min(C, D + N + U). Sprints and capacity minutes
are derived data from rotasat.models.sprints, like the shift calendar.

Support points (duty of every shift held plus effort of every incident handled) are counted here
too, over the whole horizon, whether or not the engineer's team has sprints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from rotasat.models.instance import Team
from rotasat.models.sprints import Sprint, capacity_minutes, sprint_of, team_sprints

from .context import Context
from .load import decimal, round_half_up


def effort_points(hours: float) -> int:
    """⌊effort_hours × 10 + 1/2⌋."""
    return round_half_up(decimal(hours) * 10)


def duty_points(support_hours: float, minutes: int) -> int:
    """⌊support_hours × minutes / 1440 × 10 + 1/2⌋: a 24 h duty takes `support_hours`."""
    return round_half_up(decimal(support_hours) * minutes / 144)


def capacity_points(minutes: int) -> int:
    """⌊capacity minutes / 6 + 1/2⌋."""
    return round_half_up(Fraction(minutes, 6))


def reserve_points(reserve: float, capacity: int) -> int:
    """⌊reserve × C + 1/2⌋."""
    return round_half_up(decimal(reserve) * capacity)


@dataclass
class Ledger:
    """One engineer in one sprint of their team."""

    engineer: str
    team: str
    sprint: Sprint
    capacity: int  # C
    reserve: int  # R
    duty: int = 0  # D
    normal: int = 0  # N: incidents that may not interrupt
    urgent: int = 0  # U: incidents that may interrupt

    @property
    def support(self) -> int:
        return self.duty + self.normal + self.urgent

    @property
    def room(self) -> int:
        """What the reserve leaves after duty: max(0, R − D)."""
        return max(0, self.reserve - self.duty)

    @property
    def interruption(self) -> int:
        return max(0, self.support - self.reserve)

    @property
    def protected(self) -> int:
        return self.capacity - min(self.capacity, self.support)


class Books:
    """Every engineer's ledgers (teams with a cadence) and support points."""

    def __init__(self, ctx: Context) -> None:
        instance = ctx.instance
        self.ctx = ctx
        self.sprints: dict[str, list[Sprint]] = {}  # team id -> its sprints in the horizon
        self.ledgers: dict[tuple[str, int], Ledger] = {}  # (engineer, sprint index)
        self.support: dict[str, int] = dict.fromkeys(ctx.engineers, 0)
        for team in instance.teams:
            self.sprints[team.id] = team_sprints(instance, team)
            self._open(team)
        for h in ctx.held:
            points = duty_points(h.role.support_hours, h.shift.minutes)
            self.support[h.engineer.id] += points
            ledger = self.ledger(h.engineer.id, h.shift.shift.date)
            if ledger is not None:
                ledger.duty += points

    def _open(self, team: Team) -> None:
        reserve = self.ctx.instance.policy_of(team).reserve
        for engineer in team.engineers:
            for sprint in self.sprints[team.id]:
                capacity = capacity_points(capacity_minutes(self.ctx.instance, engineer, sprint))
                self.ledgers[(engineer.id, sprint.index)] = Ledger(
                    engineer.id, team.id, sprint, capacity, reserve_points(reserve, capacity)
                )

    def ledger(self, engineer: str, day: dt.date) -> Ledger | None:
        """The engineer's ledger of the sprint of their team containing `day`, if any."""
        team = self.ctx.engineers[engineer][1]
        sprint = sprint_of(self.sprints[team.id], day)
        return None if sprint is None else self.ledgers[(engineer, sprint.index)]

    def handle(
        self, engineer: str, arrival: dt.datetime, points: int, interrupting: bool
    ) -> Sprint | None:
        """Count an incident's effort for its handler, in the sprint containing the arrival date
        in the handler's zone; that sprint (None: the team has none there)."""
        self.support[engineer] += points
        ledger = self.ledger(engineer, arrival.astimezone(self.ctx.zones[engineer]).date())
        if ledger is None:
            return None
        if interrupting:
            ledger.urgent += points
        else:
            ledger.normal += points
        return ledger.sprint

    def of_team(self, team: Team) -> list[Ledger]:
        """The team's ledgers: engineers in order, each with their sprints in order."""
        return [
            self.ledgers[(engineer.id, sprint.index)]
            for engineer in team.engineers
            for sprint in self.sprints[team.id]
        ]
