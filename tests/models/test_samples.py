"""The sample instances in instances/: they load, say what they claim, and are (in)feasible."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rotasat.models import Instance, load, team_shifts
from rotasat.models.generator import witness
from rotasat.models.instance import (
    WEEKDAYS,
    Engineer,
    MaxHolidays,
    MaxWeekends,
    MinRest,
    ShiftCount,
    Windows,
)

INSTANCES = Path(__file__).resolve().parents[2] / "instances"
FILES = sorted(INSTANCES.glob("*.json"))


def sample(name: str) -> Instance:
    return load(Instance, INSTANCES / f"{name}.json")


def test_the_samples_are_there() -> None:
    names = {f.stem for f in FILES}
    assert {"weekly-6", "quarter-12", "follow-the-sun", "infeasible-leave"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_sample_loads_and_is_described(path: Path) -> None:
    instance = load(Instance, path)
    assert instance.name == path.stem
    assert instance.description


@pytest.mark.parametrize(
    "path", [f for f in FILES if "infeasible" not in f.stem], ids=lambda p: p.stem
)
def test_feasible_samples_have_a_roster_keeping_every_hard_rule(path: Path) -> None:
    assert witness(load(Instance, path)) is not None


def test_quarter_12_is_the_flagship() -> None:
    inst = sample("quarter-12")
    assert (inst.horizon.start, inst.horizon.days) == (dt.date(2027, 1, 4), 91)
    (team,) = inst.teams
    assert len(team.engineers) == 12
    assert all(e.name and " " in e.name for e in team.engineers)
    (rotation,) = team.rotations
    assert rotation.pattern.kind == "daily" and rotation.pattern.handoff == dt.time(9, 0)
    assert rotation.timezone == "Europe/London"
    assert [r.id for r in rotation.roles] == ["primary", "secondary"]
    assert rotation.roles[0].required_skills == {"linux": 3}
    # bank holidays in the horizon
    assert (inst.holidays.country, inst.holidays.subdivision) == ("GB", "ENG")
    horizon = inst.horizon
    in_horizon = {d: n for d, n in inst.holiday_dates.items() if horizon.start <= d < horizon.end}
    assert in_horizon == {
        dt.date(2027, 3, 26): "Good Friday",
        dt.date(2027, 3, 29): "Easter Monday",
    }
    # rules
    rest, shifts, weekends, holidays = team.rules
    assert isinstance(rest, MinRest) and rest.hours == 24 and rest.hard
    assert isinstance(shifts, ShiftCount) and shifts.max == 18 and shifts.hard
    assert isinstance(weekends, MaxWeekends) and weekends.max == 4
    assert not weekends.hard and weekends.weight == 10
    assert isinstance(holidays, MaxHolidays) and holidays.max == 1 and holidays.hard
    # leave, preferences and history
    kinds = Counter(u.kind for e in team.engineers for u in e.unavailability)
    assert kinds["pto"] >= 3 and kinds["sick"] >= 1
    assert sum(1 for e in team.engineers if e.preferences) >= 3
    assert len({e.history.hours for e in team.engineers}) >= 10


def test_quarter_12_has_room_for_its_caps() -> None:
    inst = sample("quarter-12")
    (team,) = inst.teams
    duties = len(team_shifts(inst, team)) * 2
    assert duties == 182 <= 12 * 18
    primaries = [
        e
        for e in team.engineers
        if e.skills.get("linux", 0) >= 3 and (e.roles is None or "primary" in e.roles)
    ]
    assert len(primaries) * 18 >= 91


def test_infeasible_leave_is_infeasible_for_the_reason_it_gives() -> None:
    inst = sample("infeasible-leave")
    (team,) = inst.teams
    (rotation,) = team.rotations
    primary = rotation.roles[0]
    qualified = [
        e
        for e in team.engineers
        if all(e.skills.get(s, 0) >= level for s, level in primary.required_skills.items())
    ]
    assert [e.id for e in qualified] == ["ana", "ben"]
    shift = next(s for s in team_shifts(inst, team) if s.date == dt.date(2027, 1, 7))
    for engineer in qualified:
        zone = ZoneInfo(team.zone_of(engineer))
        assert any(
            dt.datetime.combine(u.start, dt.time(0), zone) < shift.end
            and shift.start < dt.datetime.combine(u.end + dt.timedelta(days=1), dt.time(0), zone)
            for u in engineer.unavailability
        )
    assert primary.understaff_weight is None  # so the uncovered turn is a hard failure
    assert witness(inst) is None


def _fits(engineer: Engineer, zone: str, start: dt.datetime, end: dt.datetime) -> bool:
    """docs/semantics.md, working hours: same local date, a working day, within the hours."""
    a, b = start.astimezone(ZoneInfo(zone)), end.astimezone(ZoneInfo(zone))
    return (
        a.date() == b.date()
        and WEEKDAYS[a.weekday()] in engineer.working_days
        and engineer.working_hours.start <= a.time()
        and b.time() <= engineer.working_hours.end
    )


def test_follow_the_sun_gives_each_window_to_exactly_one_region() -> None:
    inst = sample("follow-the-sun")
    (team,) = inst.teams
    (rotation,) = team.rotations
    assert rotation.within_working_hours
    assert isinstance(rotation.pattern, Windows) and len(rotation.pattern.windows) == 3
    assert sum(w.hours for w in rotation.pattern.windows) == 24
    regions = Counter(team.zone_of(e) for e in team.engineers)
    assert set(regions) == {"Asia/Kolkata", "Europe/Berlin", "America/New_York"}
    assert min(regions.values()) >= 3
    shifts = team_shifts(inst, team)
    assert len(shifts) == 10 * 3  # two weeks of weekdays
    for shift in shifts:
        fit = {
            team.zone_of(e)
            for e in team.engineers
            if _fits(e, team.zone_of(e), shift.start, shift.end)
        }
        assert len(fit) == 1, shift.id
        # and everyone of that region fits it
        (zone,) = fit
        assert all(
            _fits(e, zone, shift.start, shift.end)
            for e in team.engineers
            if team.zone_of(e) == zone
        )
    expected = {"apac": "Asia/Kolkata", "emea": "Europe/Berlin", "amer": "America/New_York"}
    roster = witness(inst)
    assert roster is not None
    engineers = {e.id: e for e in team.engineers}
    for shift_id, _, eid in roster:
        assert team.zone_of(engineers[eid]) == expected[shift_id.rsplit("/", 1)[1]]
