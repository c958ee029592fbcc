"""The instance schema: one organisation's teams, engineers, rotations and rules.

The same models are the file format, the API body and the test fixtures. They are pure
validated data: nothing here knows about the solver. Cross-references (engineer ids, skills,
roles, systems, time zones) are checked once the whole document is parsed, and every problem is
reported with its JSON path and what would be accepted.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .base import WEEKDAYS, Id, SkillLevel, Strict, TimeZone, Weekday, check_time_zone
from .support import Allocation, Incident, InterruptRule, SprintCadence, SupportModel

__all__ = ["WEEKDAYS", "Id", "SkillLevel", "Strict", "TimeZone", "Weekday", "check_time_zone"]

# --------------------------------------------------------------------------------------------
# Engineers


class Unavailability(Strict):
    """Leave: the engineer takes no duty that overlaps these dates (inclusive, engineer's zone)."""

    start: dt.date
    end: dt.date = Field(description="last day of leave, inclusive")
    kind: Literal["pto", "sick", "training", "other"] = "pto"
    note: str | None = None

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.date, info: ValidationInfo) -> dt.date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise PydanticCustomError(
                "end_before_start",
                "leave ends on {end} before it starts on {start}: 'end' must be on or after "
                "'start'",
                {"start": str(start), "end": str(end)},
            )
        return end


class WorkingHours(Strict):
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: dt.time, info: ValidationInfo) -> dt.time:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise PydanticCustomError(
                "end_before_start",
                "working hours end at {end}, not after they start at {start}: 'end' must be "
                "later the same day",
                {"start": start.isoformat("minutes"), "end": end.isoformat("minutes")},
            )
        return end


class Preference(Strict):
    """A wish about duty: 'prefer' costs its weight for each matching shift not held,
    'avoid' costs its weight for each matching shift held.

    A shift matches when it is on one of `dates` or `weekdays` (its start date in the rotation's
    zone; both empty means every day) and, where given, of the rotation and shift type named.
    """

    kind: Literal["prefer", "avoid"]
    dates: list[dt.date] = []
    weekdays: list[Weekday] = []
    rotation: Id | None = None
    shift_type: Id | None = None
    weight: int = Field(1, ge=1, le=1_000_000)


class History(Strict):
    """On-call load already carried in past periods, so that fairness spans quarters."""

    hours: float = Field(0, ge=0)
    weighted_hours: float | None = Field(
        None, ge=0, description="hours with weekend/holiday/night weights applied; default hours"
    )
    shifts: int = Field(0, ge=0)
    weekends: int = Field(0, ge=0)
    holidays: int = Field(0, ge=0)

    @property
    def load_hours(self) -> float:
        return self.hours if self.weighted_hours is None else self.weighted_hours


class Engineer(Strict):
    id: Id
    name: str | None = None
    email: str | None = None
    skills: dict[Id, SkillLevel] = {}
    built_systems: list[Id] = Field(
        [], description="systems this engineer built; ownership survives a move to another team"
    )
    timezone: TimeZone | None = Field(None, description="default: the team's time zone")
    working_days: list[Weekday] = ["mon", "tue", "wed", "thu", "fri"]
    working_hours: WorkingHours = WorkingHours()
    unavailability: list[Unavailability] = []
    preferences: list[Preference] = []
    roles: list[Id] | None = Field(None, description="roles this engineer may take; null: any")
    history: History = History()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)


# --------------------------------------------------------------------------------------------
# Rotations


class HeadCount(Strict):
    """The head count of some of a role's shifts, e.g. 2 engineers on weekdays and 1 at weekends
    (`{"weekdays": ["sat", "sun"], "head_count": 1}` over a role head count of 2), or what one
    date and shift type needs (`{"date": "2027-01-08", "shift_type": "late", "head_count": 3}`).

    An entry matches a shift on `date` (its start date in the rotation's zone) or on one of
    `weekdays`, and of `shift_type`, each where given; an entry with none matches every shift.
    The role's first matching entry sets the shift's head count; with none, the role's does.
    """

    date: dt.date | None = None
    weekdays: list[Weekday] = Field([], description="empty: every day (or only `date`)")
    shift_type: Id | None = Field(None, description="one of the rotation's shift types")
    head_count: int = Field(ge=0, le=100, description="engineers wanted on the matching shifts")


class Role(Strict):
    """Coverage for one role on every shift of a rotation."""

    id: Id
    head_count: int = Field(1, ge=0, le=100, description="engineers wanted on each shift")
    head_counts: list[HeadCount] = Field(
        [],
        description="head counts by date, weekday or shift type; the first entry matching a "
        "shift overrides head_count",
    )
    required_skills: dict[Id, SkillLevel] = Field(
        {}, description="every engineer in this role needs each skill at this level or above"
    )
    preferred_skills: list[Id] = Field(
        [], description="skills whose strength counts in the skill objective, beside the required"
    )
    understaff_weight: int | None = Field(
        None, ge=0, description="cost per missing engineer; null: under-staffing is forbidden"
    )
    overstaff_weight: int | None = Field(
        None, ge=0, description="cost per extra engineer; null: over-staffing is forbidden"
    )
    max_head_count: int | None = Field(
        None, ge=0, description="hard cap when over-staffing is allowed; null: no cap"
    )
    support_hours: float = Field(
        1.0, ge=0, le=24, description="support work a 24 h duty in this role takes from the sprint"
    )


class Daily(Strict):
    """One turn a day, handed off at `handoff` local time."""

    kind: Literal["daily"]
    handoff: dt.time = dt.time(9, 0)


class Weekly(Strict):
    """One turn a week, handed off on `handoff_day` at `handoff`; the first turn starts with the
    horizon and may be short."""

    kind: Literal["weekly"]
    handoff: dt.time = dt.time(9, 0)
    handoff_day: Weekday = "mon"


class Custom(Strict):
    """Back-to-back turns of `length_hours`, the first at `handoff` on the horizon's first day."""

    kind: Literal["custom"]
    handoff: dt.time = dt.time(9, 0)
    length_hours: int = Field(ge=1, le=24 * 28)


class Window(Strict):
    """A daily window, e.g. one of three follow-the-sun windows; its name is the shift type."""

    name: Id
    start: dt.time
    hours: float = Field(gt=0, le=24)
    timezone: TimeZone | None = Field(None, description="default: the rotation's time zone")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)


class Windows(Strict):
    """Several shifts a day, one per window (follow-the-sun, or early/late/night types)."""

    kind: Literal["windows"]
    windows: list[Window] = Field(min_length=1)
    days: list[Weekday] = list(WEEKDAYS)


ShiftPattern = Annotated[Daily | Weekly | Custom | Windows, Field(discriminator="kind")]


class ShiftWeights(Strict):
    """How much an hour of duty counts toward load; the largest applicable multiplier wins.

    Weekend, holiday and night are judged in the engineer's own time zone.
    """

    weekend: float = Field(1.5, ge=0, le=10)
    holiday: float = Field(2.0, ge=0, le=10)
    night: float = Field(1.5, ge=0, le=10)
    night_start: dt.time = dt.time(22, 0)
    night_end: dt.time = dt.time(7, 0)

    @field_validator("night_start", "night_end")
    @classmethod
    def _quarter_hour(cls, value: dt.time) -> dt.time:
        if value.minute % 15 or value.second:
            raise PydanticCustomError(
                "quarter_hour", "night boundaries must fall on a quarter hour, e.g. 22:00 or 06:30"
            )
        return value


class Rotation(Strict):
    id: Id
    name: str | None = None
    timezone: TimeZone = Field(description="zone of the hand-off time and of shift dates")
    pattern: ShiftPattern
    roles: list[Role] = Field(min_length=1)
    engineers: list[Id] | None = Field(None, description="who is on this rotation; null: the team")
    within_working_hours: bool = Field(
        False, description="only engineers whose working hours contain the shift may take it"
    )
    weights: ShiftWeights = ShiftWeights()

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)

    @property
    def shift_types(self) -> list[str]:
        if isinstance(self.pattern, Windows):
            return [w.name for w in self.pattern.windows]
        return ["turn"]


# --------------------------------------------------------------------------------------------
# Rules: each hard, or soft at a cost of `weight` per unit of violation.


class RuleBase(Strict):
    id: str | None = Field(None, max_length=200, description="a name for this rule in reports")
    hard: bool = True
    weight: int = Field(1, ge=0, le=1_000_000, description="cost per unit of violation if soft")
    engineers: list[Id] | None = Field(None, description="whom the rule binds; null: everyone")


class ShiftCount(RuleBase):
    """Min and max number of shifts per engineer, optionally of one rotation, role or type."""

    rule: Literal["shifts"]
    min: int = Field(0, ge=0)
    max: int | None = Field(None, ge=0)
    rotation: Id | None = None
    role: Id | None = None
    shift_type: Id | None = None


class HourCount(RuleBase):
    """Min and max duty hours per engineer over the horizon."""

    rule: Literal["hours"]
    min: float = Field(0, ge=0)
    max: float | None = Field(None, ge=0)
    rotation: Id | None = None


class MaxConsecutive(RuleBase):
    """No more than `max` turns (days, for window patterns) in a row on one rotation."""

    rule: Literal["max_consecutive"]
    max: int = Field(ge=1)
    rotation: Id | None = Field(None, description="null: the team's only rotation")


class MinConsecutive(RuleBase):
    """Every run of turns on duty is at least `min` long, except runs touching the horizon's
    first or last turn."""

    rule: Literal["min_consecutive"]
    min: int = Field(ge=1)
    rotation: Id | None = None


class MinConsecutiveOff(RuleBase):
    """Every run of turns off duty is at least `min` long, with the same border exemption."""

    rule: Literal["min_consecutive_off"]
    min: int = Field(ge=1)
    rotation: Id | None = None


class MinRest(RuleBase):
    """At least `hours` between the end of one duty and the start of the next."""

    rule: Literal["min_rest"]
    hours: float = Field(gt=0, le=24 * 28)


class ForbiddenSuccession(RuleBase):
    """A shift of type `first` may not be followed by one of type `then` on the next turn."""

    rule: Literal["forbidden_succession"]
    first: Id
    then: Id
    rotation: Id | None = None


class MaxWeekends(RuleBase):
    """At most `max` weekends with any duty (a duty touching Saturday or Sunday, engineer's zone),
    not counting weekends carried in history."""

    rule: Literal["max_weekends"]
    max: int = Field(ge=0)


class MaxHolidays(RuleBase):
    """At most `max` public holidays with any duty (engineer's zone)."""

    rule: Literal["max_holidays"]
    max: int = Field(ge=0)


Rule = Annotated[
    ShiftCount
    | HourCount
    | MaxConsecutive
    | MinConsecutive
    | MinConsecutiveOff
    | MinRest
    | ForbiddenSuccession
    | MaxWeekends
    | MaxHolidays,
    Field(discriminator="rule"),
]


# --------------------------------------------------------------------------------------------
# Policy, teams, organisation


class ObjectiveWeights(Strict):
    """Weights of the soft objectives; a weight of 0 drops its term.

    Units: load and support hours are counted in tenths of an hour; the other terms per
    occurrence.
    """

    fairness_spread: int = Field(
        2, ge=0, description="per 0.1 h between the most and least loaded engineer of a team"
    )
    fairness_deviation: int = Field(
        1, ge=0, description="per 0.1 h each engineer's load is off the team mean"
    )
    preferences: int = Field(20, ge=0, description="per unit of preference weight not met")
    skill: int = Field(
        5, ge=0,
        description="per level the on-duty engineer lacks of 5 in each required or preferred skill",
    )
    interruption: int = Field(
        10, ge=0, description="per 0.1 h of support beyond an engineer's sprint reserve"
    )
    deferral: int = Field(
        20, ge=0, description="per deferred incident, times 5 minus its priority number"
    )
    sla_missed: int = Field(200, ge=0, description="per incident whose SLA is missed")
    expertise: int = Field(
        10, ge=0, description="per level the assignee is below the best eligible engineer"
    )
    knowledge: int = Field(
        5, ge=0, description="per engineer fewer than could have handled a system's incidents"
    )
    support_spread: int = Field(
        1, ge=0, description="per 0.1 h between the most and least support hours of a team"
    )


class Policy(Strict):
    """The choices a team makes about support, and the weights of the objectives."""

    name: str = "default"
    support_model: SupportModel = Field(
        "team",
        description="who handles the team's incidents: 'team' (its own engineers), 'builders' "
        "(whoever built the system, on any team), 'dedicated' (the dedicated support team), "
        "'tiered' (L1/L2 to the dedicated team, L3 per l3_to)",
    )
    l3_to: Literal["builders", "l3_team"] = Field(
        "builders", description="tiered: L3 goes to the builders or to the L3 support team"
    )
    allocation: Allocation = Field(
        "optimised",
        description="how incidents are handed out: 'round_robin' (next in turn, in arrival "
        "order), 'rotating_owner' (whoever holds the duty at arrival), 'most_qualified', "
        "'optimised' (the solver trades off skills, fairness and sprint protection)",
    )
    owner_rotation: Id | None = Field(
        None, description="rotating owner: the rotation whose first role owns incidents; "
        "default: the first rotation of the handling team",
    )
    reserve: float = Field(0.2, ge=0, le=1, description="share of sprint capacity for support")
    interrupt: InterruptRule = InterruptRule()
    weights: ObjectiveWeights = ObjectiveWeights()


class System(Strict):
    id: Id
    name: str | None = None
    skills: list[Id] = Field([], description="skills needed to support this system")


class Team(Strict):
    id: Id
    name: str | None = None
    kind: Literal["product", "dedicated", "l3"] = Field(
        "product", description="a product team, the dedicated support team, or the L3 team"
    )
    timezone: TimeZone = "UTC"
    sprints: SprintCadence | None = Field(None, description="sprint cadence; null: no sprints")
    systems: list[Id] = Field([], description="systems this team owns")
    engineers: list[Engineer] = Field(min_length=1)
    rotations: list[Rotation] = []
    rules: list[Rule] = []
    policy: Policy | None = Field(None, description="overrides the organisation's policy")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)

    def zone_of(self, engineer: Engineer) -> str:
        return engineer.timezone or self.timezone

    def rotation_engineers(self, rotation: Rotation) -> list[Engineer]:
        if rotation.engineers is None:
            return list(self.engineers)
        wanted = set(rotation.engineers)
        return [e for e in self.engineers if e.id in wanted]


class Horizon(Strict):
    start: dt.date
    days: int = Field(ge=1, le=731)

    @property
    def end(self) -> dt.date:
        """The first day after the horizon."""
        return self.start + dt.timedelta(days=self.days)

    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]


class Holidays(Strict):
    """Public holidays: explicit dates, a country (and subdivision) from the `holidays` package,
    or both."""

    dates: list[dt.date] = []
    country: str | None = Field(None, description="ISO 3166-1 code, e.g. 'GB', 'US', 'DE'")
    subdivision: str | None = Field(None, description="e.g. 'ENG' for GB, 'CA' for US")

    @model_validator(mode="after")
    def _known_country(self) -> Holidays:
        if self.country is None:
            if self.subdivision is not None:
                raise PydanticCustomError(
                    "subdivision_without_country", "a subdivision needs a country"
                )
            return self
        import holidays as holiday_calendars

        supported = holiday_calendars.list_supported_countries()
        if self.country not in supported:
            raise PydanticCustomError(
                "unknown_country",
                "unknown holiday country '{country}': expected an ISO 3166-1 code such as "
                "'GB', 'US' or 'DE'",
                {"country": self.country},
            )
        subdivisions = supported[self.country]
        if self.subdivision is not None and self.subdivision not in subdivisions:
            raise PydanticCustomError(
                "unknown_subdivision",
                "unknown subdivision '{sub}' of {country}: expected one of {accepted}",
                {
                    "sub": self.subdivision,
                    "country": self.country,
                    "accepted": ", ".join(subdivisions[:30]),
                },
            )
        return self

    def within(self, horizon: Horizon) -> dict[dt.date, str]:
        """Holiday dates in (and a day either side of) the horizon, with their names."""
        first = horizon.start - dt.timedelta(days=1)
        last = horizon.end + dt.timedelta(days=28)
        found: dict[dt.date, str] = {}
        if self.country is not None:
            import holidays as holiday_calendars

            years = range(first.year, last.year + 1)
            calendar = holiday_calendars.country_holidays(
                self.country, subdiv=self.subdivision, years=years
            )
            for day, name in calendar.items():
                if first <= day <= last:
                    found[day] = str(name)
        for day in self.dates:
            found.setdefault(day, "holiday")
        return dict(sorted(found.items()))


class Instance(Strict):
    """One planning problem: an organisation's teams over a horizon."""

    name: str = "instance"
    description: str | None = None
    horizon: Horizon
    holidays: Holidays = Holidays()
    skills: list[Id] | None = Field(None, description="the skill catalogue; null: any names")
    systems: list[System] = []
    policy: Policy = Policy()
    teams: list[Team] = Field(min_length=1)
    incidents: list[Incident] = Field([], description="escalated support issues to allocate")

    @model_validator(mode="after")
    def _references(self) -> Instance:
        problems = list(_reference_problems(self)) + list(_incident_problems(self))
        if problems:
            raise PydanticCustomError(
                "references",
                "{count} problem(s) with references",
                {"count": len(problems), "problems": problems},
            )
        return self

    @cached_property
    def holiday_dates(self) -> dict[dt.date, str]:
        return self.holidays.within(self.horizon)

    def policy_of(self, team: Team) -> Policy:
        return team.policy or self.policy

    def owner_of(self, system: str) -> Team:
        """The team that owns `system` (validation guarantees exactly one)."""
        return next(t for t in self.teams if system in t.systems)

    def support_team(self, kind: str) -> Team | None:
        """The dedicated ('dedicated') or L3 ('l3') support team, if the organisation has one."""
        return next((t for t in self.teams if t.kind == kind), None)

    def team(self, team_id: str) -> Team:
        for team in self.teams:
            if team.id == team_id:
                return team
        raise KeyError(team_id)


def _incident_problems(inst: Instance) -> Any:
    """Yield (json path, message) for incidents and support policies that cannot be used."""
    catalogue = set(inst.skills) if inst.skills is not None else None
    owners: dict[str, list[str]] = {}
    for team in inst.teams:
        for system in team.systems:
            owners.setdefault(system, []).append(team.id)
    engineers = {e.id for t in inst.teams for e in t.engineers}
    rotations = {r.id for t in inst.teams for r in t.rotations}
    for kind in ("dedicated", "l3"):
        several = [t.id for t in inst.teams if t.kind == kind]
        if len(several) > 1:
            yield "teams", f"only one team may be of kind {kind!r}: {', '.join(several)} are"
    for index, team in enumerate(inst.teams):
        policy = inst.policy_of(team)
        where = f"teams[{index}].policy" if team.policy is not None else "policy"
        needs_dedicated = policy.support_model in ("dedicated", "tiered")
        if needs_dedicated and inst.support_team("dedicated") is None:
            yield (
                f"{where}.support_model",
                f"support model {policy.support_model!r} (team {team.id!r}) needs a team of "
                "kind 'dedicated'",
            )
        if policy.support_model == "tiered" and policy.l3_to == "l3_team" and (
            inst.support_team("l3") is None
        ):
            yield f"{where}.l3_to", f"team {team.id!r} sends L3 to the L3 team: none has kind 'l3'"
        if policy.owner_rotation is not None and policy.owner_rotation not in rotations:
            yield (
                f"{where}.owner_rotation",
                f"unknown rotation {policy.owner_rotation!r}: expected one of "
                f"{_listing(rotations)}",
            )
    start = inst.horizon.start
    end = inst.horizon.end
    seen: set[str] = set()
    for index, incident in enumerate(inst.incidents):
        ip = f"incidents[{index}]"
        if incident.id in seen:
            yield f"{ip}.id", f"duplicate incident id {incident.id!r}: ids must be unique"
        seen.add(incident.id)
        owner = owners.get(incident.system, [])
        if not owner:
            yield (
                f"{ip}.system",
                f"no team owns system {incident.system!r}: add it to a team's systems "
                f"(owned now: {_listing(owners)})",
            )
        elif len(owner) > 1:
            yield (
                f"{ip}.system",
                f"system {incident.system!r} is owned by several teams ({', '.join(owner)}): "
                "each system needs exactly one owner",
            )
        for skill in incident.required_skills:
            if catalogue is not None and skill not in catalogue:
                yield (
                    f"{ip}.required_skills.{skill}",
                    f"unknown skill {skill!r}: expected one of {_listing(catalogue)}",
                )
        if incident.assignee is not None and incident.assignee not in engineers:
            yield f"{ip}.assignee", f"unknown engineer {incident.assignee!r}"
        day = incident.arrival.date()
        if not start <= day < end:
            yield (
                f"{ip}.arrival",
                f"arrives on {day}, outside the horizon {start} to "
                f"{end - dt.timedelta(days=1)}",
            )


def _duplicates(ids: list[str]) -> set[str]:
    seen: set[str] = set()
    return {i for i in ids if i in seen or seen.add(i)}  # type: ignore[func-returns-value]


def _reference_problems(inst: Instance) -> Any:
    """Yield (json path, message) for every broken cross-reference."""
    catalogue = set(inst.skills) if inst.skills is not None else None
    system_ids = {s.id for s in inst.systems}

    seen_teams: set[str] = set()
    for i, team in enumerate(inst.teams):
        if team.id in seen_teams:
            yield f"teams[{i}].id", f"duplicate team id {team.id!r}: ids must be unique"
        seen_teams.add(team.id)
    for dup in sorted(_duplicates(inst.skills or [])):
        yield "skills", f"skill {dup!r} is listed twice"
    for dup in sorted(_duplicates([s.id for s in inst.systems])):
        yield "systems", f"duplicate system id {dup!r}: ids must be unique"
    seen_engineers: dict[str, str] = {}
    seen_rotations: set[str] = set()
    for s_index, system in enumerate(inst.systems):
        for k, skill in enumerate(system.skills):
            if catalogue is not None and skill not in catalogue:
                yield (
                    f"systems[{s_index}].skills[{k}]",
                    f"unknown skill {skill!r}: expected one of {_listing(catalogue)}",
                )

    for t_index, team in enumerate(inst.teams):
        tp = f"teams[{t_index}]"
        team_engineers = {e.id for e in team.engineers}
        team_roles = {r.id for rot in team.rotations for r in rot.roles}
        team_types = {st for rot in team.rotations for st in rot.shift_types}
        rotation_ids = [r.id for r in team.rotations]
        for e_index, engineer in enumerate(team.engineers):
            ep = f"{tp}.engineers[{e_index}]"
            if engineer.id in seen_engineers:
                where = seen_engineers[engineer.id]
                also = "earlier in this team" if where == team.id else f"also in team {where!r}"
                yield (
                    f"{ep}.id",
                    f"duplicate engineer id {engineer.id!r} ({also}): ids must be unique "
                    "across the instance",
                )
            seen_engineers.setdefault(engineer.id, team.id)
            for skill in engineer.skills:
                if catalogue is not None and skill not in catalogue:
                    yield (
                        f"{ep}.skills.{skill}",
                        f"unknown skill {skill!r}: expected one of {_listing(catalogue)}",
                    )
            for k, system_id in enumerate(engineer.built_systems):
                if inst.systems and system_id not in system_ids:
                    yield (
                        f"{ep}.built_systems[{k}]",
                        f"unknown system {system_id!r}: expected one of {_listing(system_ids)}",
                    )
            for k, role_id in enumerate(engineer.roles or []):
                if role_id not in team_roles:
                    yield (
                        f"{ep}.roles[{k}]",
                        f"unknown role {role_id!r}: the team's rotations have roles "
                        f"{_listing(team_roles)}",
                    )
            for k, pref in enumerate(engineer.preferences):
                if pref.rotation is not None and pref.rotation not in rotation_ids:
                    yield (
                        f"{ep}.preferences[{k}].rotation",
                        f"unknown rotation {pref.rotation!r}: expected one of "
                        f"{_listing(rotation_ids)}",
                    )
                if pref.shift_type is not None and pref.shift_type not in team_types:
                    yield (
                        f"{ep}.preferences[{k}].shift_type",
                        f"unknown shift type {pref.shift_type!r}: expected one of "
                        f"{_listing(team_types)}",
                    )
        for k, system_id in enumerate(team.systems):
            if inst.systems and system_id not in system_ids:
                yield (
                    f"{tp}.systems[{k}]",
                    f"unknown system {system_id!r}: expected one of {_listing(system_ids)}",
                )
        for r_index, rotation in enumerate(team.rotations):
            rp = f"{tp}.rotations[{r_index}]"
            if rotation.id in seen_rotations:
                yield (
                    f"{rp}.id",
                    f"duplicate rotation id {rotation.id!r}: ids must be unique across the "
                    "instance",
                )
            seen_rotations.add(rotation.id)
            for dup in sorted(_duplicates(rotation.engineers or [])):
                yield f"{rp}.engineers", f"engineer {dup!r} is listed twice"
            for k, eid in enumerate(rotation.engineers or []):
                if eid not in team_engineers:
                    yield (
                        f"{rp}.engineers[{k}]",
                        f"unknown engineer {eid!r}: expected an engineer of team {team.id!r} "
                        f"({_listing(team_engineers)})",
                    )
            for dup in sorted(_duplicates([r.id for r in rotation.roles])):
                yield f"{rp}.roles", f"duplicate role id {dup!r} in one rotation"
            if isinstance(rotation.pattern, Windows):
                for dup in sorted(_duplicates([w.name for w in rotation.pattern.windows])):
                    yield f"{rp}.pattern.windows", f"duplicate window name {dup!r}"
            members = team.rotation_engineers(rotation)
            for o_index, role in enumerate(rotation.roles):
                yield from _head_count_problems(inst, rotation, role, f"{rp}.roles[{o_index}]")
                for k, skill in enumerate(role.preferred_skills):
                    if catalogue is not None and skill not in catalogue:
                        yield (
                            f"{rp}.roles[{o_index}].preferred_skills[{k}]",
                            f"unknown skill {skill!r}: expected one of {_listing(catalogue)}",
                        )
                for skill, level in role.required_skills.items():
                    sp = f"{rp}.roles[{o_index}].required_skills.{skill}"
                    if catalogue is not None and skill not in catalogue:
                        yield sp, f"unknown skill {skill!r}: expected one of {_listing(catalogue)}"
                        continue
                    takers = [e for e in members if e.roles is None or role.id in e.roles]
                    if not any(e.skills.get(skill, 0) >= level for e in takers):
                        best = max((e.skills.get(skill, 0) for e in takers), default=0)
                        have = (
                            f"the best who may take the role has level {best}"
                            if best
                            else "nobody who may take the role has it"
                        )
                        yield (
                            sp,
                            f"role {role.id!r} asks for skill {skill!r} at level {level} but "
                            f"{have}: lower the level or add an engineer with that skill",
                        )
        for u_index, rule in enumerate(team.rules):
            up = f"{tp}.rules[{u_index}]"
            for k, eid in enumerate(rule.engineers or []):
                if eid not in team_engineers:
                    yield (
                        f"{up}.engineers[{k}]",
                        f"unknown engineer {eid!r}: expected an engineer of team {team.id!r} "
                        f"({_listing(team_engineers)})",
                    )
            rotation_ref = getattr(rule, "rotation", None)
            if rotation_ref is not None and rotation_ref not in rotation_ids:
                yield (
                    f"{up}.rotation",
                    f"unknown rotation {rotation_ref!r}: expected one of {_listing(rotation_ids)}",
                )
            if (
                isinstance(rule, MaxConsecutive | MinConsecutive | MinConsecutiveOff)
                and rule.rotation is None
                and len(rotation_ids) > 1
            ):
                yield (
                    f"{up}.rotation",
                    f"rule {rule.rule!r} needs a rotation when the team has several: expected one "
                    f"of {_listing(rotation_ids)}",
                )
            role_ref = getattr(rule, "role", None)
            if role_ref is not None and role_ref not in team_roles:
                yield (
                    f"{up}.role",
                    f"unknown role {role_ref!r}: expected one of {_listing(team_roles)}",
                )
            for field in ("shift_type", "first", "then"):
                ref = getattr(rule, field, None)
                if ref is not None and ref not in team_types:
                    yield (
                        f"{up}.{field}",
                        f"unknown shift type {ref!r}: expected one of {_listing(team_types)}",
                    )
            low, high = getattr(rule, "min", None), getattr(rule, "max", None)
            if (
                isinstance(rule, ShiftCount | HourCount)
                and high is not None
                and low is not None
                and high < low
            ):
                yield f"{up}.max", f"max ({high}) is below min ({low}): max must be at least min"


def _head_count_problems(inst: Instance, rotation: Rotation, role: Role, where: str) -> Any:
    """Yield (json path, message) for head counts that could never match as written."""
    first, last = inst.horizon.start, inst.horizon.end - dt.timedelta(days=1)
    for k, entry in enumerate(role.head_counts):
        hp = f"{where}.head_counts[{k}]"
        if entry.shift_type is not None and entry.shift_type not in rotation.shift_types:
            yield (
                f"{hp}.shift_type",
                f"unknown shift type {entry.shift_type!r}: rotation {rotation.id!r} has "
                f"{_listing(rotation.shift_types)}",
            )
        if entry.date is not None and not first <= entry.date <= last:
            yield f"{hp}.date", f"{entry.date} is outside the horizon {first} to {last}"
        if entry.date is not None and entry.weekdays:
            yield (
                f"{hp}.weekdays",
                "give a date or weekdays, not both: a date already names its weekday",
            )


def _listing(values: Any) -> str:
    items = sorted(str(v) for v in values)
    if not items:
        return "(none defined)"
    shown = ", ".join(repr(v) for v in items[:12])
    return shown + (f" and {len(items) - 12} more" if len(items) > 12 else "")
