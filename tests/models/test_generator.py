"""The synthetic instance generator: seeded, valid, realistic and feasible by construction."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import time
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from rotasat.models import Instance, parse, team_shifts
from rotasat.models.generator import SKILLS, document, generate, witness
from rotasat.models.instance import MaxWeekends, MinRest, ShiftCount

SIZES = [(1, 3, 14), (1, 5, 28), (2, 6, 91), (3, 8, 35), (4, 10, 91), (2, 12, 182), (9, 7, 21)]


def dumped(instance: Instance) -> str:
    return json.dumps(document(instance), sort_keys=True, ensure_ascii=False)


def test_same_seed_same_json() -> None:
    first = generate(4, 10, 91, seed=7)
    again = generate(4, 10, 91, seed=7)
    assert dumped(first) == dumped(again)
    assert first.model_dump_json() == again.model_dump_json()


def test_other_seed_other_instance() -> None:
    assert dumped(generate(2, 8, 28, seed=1)) != dumped(generate(2, 8, 28, seed=2))


@pytest.mark.parametrize(("teams", "size", "days"), SIZES)
@pytest.mark.parametrize("seed", [0, 1, 42])
def test_document_validates_and_loads_back(teams: int, size: int, days: int, seed: int) -> None:
    instance = generate(teams, size, days, seed)
    data = json.loads(json.dumps(document(instance)))
    assert parse(Instance, data, "generated.json") == instance


def test_document_keeps_the_union_tags() -> None:
    data = document(generate(1, 6, 14, seed=3))
    team = data["teams"][0]
    assert team["rotations"][0]["pattern"]["kind"] == "daily"
    assert [rule["rule"] for rule in team["rules"]] == ["min_rest", "shifts", "max_weekends"]
    assert "hard" not in team["rules"][0]  # defaults are still left out


def test_fifty_teams_of_ten_over_a_quarter_is_fast() -> None:
    began = time.perf_counter()
    instance = generate(50, 10, 91, seed=11)
    took = time.perf_counter() - began
    assert len(instance.teams) == 50
    assert sum(len(t.engineers) for t in instance.teams) == 500
    assert took < 2.0, f"generating 50x10x91 took {took:.2f} s"


def test_shape_of_a_team() -> None:
    instance = generate(8, 10, 91, seed=5, start=dt.date(2027, 1, 4))
    assert instance.horizon.start == dt.date(2027, 1, 4)
    assert instance.horizon.days == 91
    assert instance.skills == list(SKILLS)
    system_ids = {s.id for s in instance.systems}
    for team in instance.teams:
        assert set(team.systems) <= system_ids and team.systems
        (rotation,) = team.rotations
        assert rotation.pattern.kind == "daily"
        assert rotation.pattern.handoff == dt.time(9, 0)
        assert rotation.timezone == team.timezone
        primary, secondary = rotation.roles
        assert (primary.id, secondary.id) == ("primary", "secondary")
        ((skill, level),) = primary.required_skills.items()
        assert level >= 2
        holders = [e for e in team.engineers if e.skills.get(skill, 0) >= level]
        assert len(holders) >= 3
        # a team mostly sits in its own zone
        zones = Counter(team.zone_of(e) for e in team.engineers)
        assert zones.most_common(1)[0][0] == team.timezone
        for engineer in team.engineers:
            assert 2 <= len(engineer.skills) <= 4
            assert all(1 <= v <= 5 for v in engineer.skills.values())
            assert 0 <= engineer.history.hours <= 200
            for block in engineer.unavailability:
                assert 1 <= (block.end - block.start).days + 1 <= 7
            for preference in engineer.preferences:
                assert 1 <= preference.weight <= 3
                assert preference.dates or preference.weekdays
        rest, shifts, weekends = team.rules
        assert isinstance(rest, MinRest) and rest.hours == 24 and rest.hard
        assert isinstance(shifts, ShiftCount) and shifts.max == 21 and shifts.hard  # ceil(182/10)+2
        assert isinstance(weekends, MaxWeekends) and not weekends.hard and weekends.weight == 5


def test_engineer_ids_and_names_unique() -> None:
    instance = generate(50, 10, 28, seed=2)
    engineers = [e for t in instance.teams for e in t.engineers]
    assert len({e.id for e in engineers}) == len(engineers)
    assert len({e.name for e in engineers}) > 0.9 * len(engineers)


def test_holidays_follow_the_first_team() -> None:
    countries = {
        "Europe/London": "GB",
        "Europe/Berlin": "DE",
        "America/New_York": "US",
        "Asia/Kolkata": "IN",
    }
    seen = set()
    for seed in range(12):
        instance = generate(3, 6, 14, seed)
        assert instance.holidays.country == countries[instance.teams[0].timezone]
        seen.add(instance.holidays.country)
    assert len(seen) >= 2


def test_leave_preferences_and_history_are_drawn() -> None:
    instance = generate(50, 10, 91, seed=3)
    engineers = [e for t in instance.teams for e in t.engineers]
    with_pto = [e for e in engineers if any(u.kind == "pto" for u in e.unavailability)]
    sick = [e for e in engineers if any(u.kind == "sick" for u in e.unavailability)]
    assert 0.05 * len(engineers) <= len(with_pto) <= 0.2 * len(engineers)
    assert sick
    assert 0.15 * len(engineers) <= sum(1 for e in engineers if e.preferences) <= 0.45 * len(
        engineers
    )
    assert len({e.history.hours for e in engineers}) > 100
    assert any(e.timezone for e in engineers)


def test_small_teams_have_a_primary_only() -> None:
    instance = generate(2, 4, 28, seed=1)
    for team in instance.teams:
        assert [r.id for r in team.rotations[0].roles] == ["primary"]


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"teams": 0, "engineers_per_team": 5, "days": 7}, "teams must be at least 1"),
        ({"teams": 1, "engineers_per_team": 2, "days": 7}, "engineers_per_team must be at least 3"),
        ({"teams": 1, "engineers_per_team": 5, "days": 0}, "days must be between 1 and 731"),
    ],
)
def test_impossible_sizes_are_refused(kwargs: dict[str, int], needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        generate(seed=0, **kwargs)


# --------------------------------------------------------------------------------------------
# Feasibility: the witness roster, checked here independently of the generator's own code.


def check_roster(instance: Instance, roster: list[tuple[str, str, str]]) -> None:
    """Assert the hard rules the generator uses hold for `roster` (docs/semantics.md)."""
    for team in instance.teams:
        shifts = {s.id: s for s in team_shifts(instance, team)}
        engineers = {e.id: e for e in team.engineers}
        rotation = team.rotations[0]
        roles = {r.id: r for r in rotation.roles}
        mine = [a for a in roster if a[0] in shifts]
        # coverage: exactly head_count per shift and role
        counts = Counter((s, r) for s, r, _ in mine)
        for sid in shifts:
            for role in rotation.roles:
                assert counts[sid, role.id] == role.head_count, (sid, role.id)
        held: dict[str, list[tuple[float, float]]] = {}
        for sid, rid, eid in mine:
            engineer, shift = engineers[eid], shifts[sid]
            # required skills
            for skill, level in roles[rid].required_skills.items():
                assert engineer.skills.get(skill, 0) >= level, (sid, rid, eid)
            # leave, as [start 00:00, end + 1 day 00:00) in the engineer's zone
            zone = ZoneInfo(team.zone_of(engineer))
            for block in engineer.unavailability:
                off = dt.datetime.combine(block.start, dt.time(0), zone).timestamp()
                back = dt.datetime.combine(block.end + dt.timedelta(days=1), dt.time(0), zone)
                start, end = shift.start.timestamp(), shift.end.timestamp()
                assert not (off < end and start < back.timestamp()), (sid, eid, block)
            held.setdefault(eid, []).append((shift.start.timestamp(), shift.end.timestamp()))
        rest = next(r for r in team.rules if isinstance(r, MinRest)).hours * 3600
        cap = next(r for r in team.rules if isinstance(r, ShiftCount)).max
        for eid, spans in held.items():
            spans.sort()
            assert cap is not None and len(spans) <= cap, eid
            for (_, end), (start, _) in itertools.pairwise(spans):
                assert start - end >= rest, eid  # also: no overlap


@pytest.mark.parametrize(("teams", "size", "days"), SIZES)
@pytest.mark.parametrize("seed", [0, 5])
def test_a_roster_keeping_the_hard_rules_exists(
    teams: int, size: int, days: int, seed: int
) -> None:
    instance = generate(teams, size, days, seed)
    roster = witness(instance)
    assert roster is not None
    check_roster(instance, roster)


@pytest.mark.parametrize("start", [dt.date(2027, 3, 10), dt.date(2027, 10, 20)])
@pytest.mark.parametrize("size", [3, 6, 7])
def test_feasible_across_clock_changes_with_heavy_leave(start: dt.date, size: int) -> None:
    # Around a spring-forward the rest between the turns either side of the 23-hour one is 23 h,
    # so three days in a row need distinct engineers; leave is then dropped where it must be.
    for seed in range(4):
        instance = generate(3, size, 35, seed, start=start, leave_rate=0.6, sick_rate=0.4)
        roster = witness(instance)
        assert roster is not None
        check_roster(instance, roster)
        assert any(e.unavailability for t in instance.teams for e in t.engineers)


def test_the_witness_gives_up_rather_than_break_a_rule() -> None:
    data = document(generate(1, 6, 14, seed=0))
    # everyone off sick on the second day: no roster exists, and the witness says so
    for record in data["teams"][0]["engineers"]:
        record["unavailability"] = [{"start": "2027-01-05", "end": "2027-01-05", "kind": "sick"}]
    assert witness(parse(Instance, data, "blocked.json")) is None
