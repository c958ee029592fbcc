"""Bad input gives precise messages: the file, the JSON path, and what would be accepted."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rotasat.models import InputError, Instance, load, parse, read_json
from rotasat.models.errors import loads

INSTANCES = Path(__file__).resolve().parents[2] / "instances"

BASE: dict[str, Any] = {
    "horizon": {"start": "2027-01-04", "days": 14},
    "skills": ["linux", "db"],
    "teams": [
        {
            "id": "ops",
            "timezone": "Europe/London",
            "engineers": [
                {"id": "ann", "skills": {"linux": 3}},
                {"id": "bob", "skills": {"linux": 2, "db": 2}},
            ],
            "rotations": [
                {
                    "id": "ops-oncall",
                    "timezone": "Europe/London",
                    "pattern": {"kind": "daily"},
                    "roles": [{"id": "primary", "required_skills": {"linux": 2}}],
                }
            ],
            "rules": [{"rule": "min_rest", "hours": 24}],
        }
    ],
}


def messages(change: Callable[[dict[str, Any]], Any]) -> list[str]:
    """The messages for BASE after `change`, which edits a deep copy in place."""
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(InputError) as caught:
        parse(Instance, data, "x.json")
    assert str(caught.value) == "\n".join(caught.value.messages)
    return caught.value.messages


def team(data: dict[str, Any]) -> dict[str, Any]:
    return data["teams"][0]


def engineer(data: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return data["teams"][0]["engineers"][index]


def rotation(data: dict[str, Any]) -> dict[str, Any]:
    return data["teams"][0]["rotations"][0]


def test_the_base_document_is_valid() -> None:
    instance = parse(Instance, copy.deepcopy(BASE), "x.json")
    assert [e.id for e in instance.teams[0].engineers] == ["ann", "bob"]


# --------------------------------------------------------------------------------------------
# Cross-references


def test_unknown_engineer_in_rotation() -> None:
    assert messages(lambda d: rotation(d).update(engineers=["ann", "zed"])) == [
        "x.json: teams[0].rotations[0].engineers[1]: unknown engineer 'zed': expected an "
        "engineer of team 'ops' ('ann', 'bob')"
    ]


def test_engineer_of_another_team_in_rotation() -> None:
    def change(d: dict[str, Any]) -> None:
        d["teams"].append({"id": "web", "engineers": [{"id": "cy"}]})
        rotation(d)["engineers"] = ["ann", "cy"]

    assert messages(change) == [
        "x.json: teams[0].rotations[0].engineers[1]: unknown engineer 'cy': expected an "
        "engineer of team 'ops' ('ann', 'bob')"
    ]


def test_unknown_skill_with_a_catalogue() -> None:
    assert messages(lambda d: engineer(d)["skills"].update(pyhton=2)) == [
        "x.json: teams[0].engineers[0].skills.pyhton: unknown skill 'pyhton': expected one of "
        "'db', 'linux'"
    ]


def test_unknown_skill_in_a_role_and_in_a_system() -> None:
    def change(d: dict[str, Any]) -> None:
        rotation(d)["roles"][0]["required_skills"]["k8s"] = 2
        rotation(d)["roles"][0]["preferred_skills"] = ["dba"]
        d["systems"] = [{"id": "ledger", "skills": ["db", "sql"]}]

    assert messages(change) == [
        "x.json: systems[0].skills[1]: unknown skill 'sql': expected one of 'db', 'linux'",
        "x.json: teams[0].rotations[0].roles[0].preferred_skills[0]: unknown skill 'dba': "
        "expected one of 'db', 'linux'",
        "x.json: teams[0].rotations[0].roles[0].required_skills.k8s: unknown skill 'k8s': "
        "expected one of 'db', 'linux'",
    ]


def test_any_skill_name_without_a_catalogue() -> None:
    data = copy.deepcopy(BASE)
    del data["skills"]
    engineer(data)["skills"]["anything"] = 1
    assert parse(Instance, data, "x.json").skills is None


def test_unknown_role_in_engineer_roles() -> None:
    assert messages(lambda d: engineer(d).update(roles=["primry"])) == [
        "x.json: teams[0].engineers[0].roles[0]: unknown role 'primry': the team's rotations "
        "have roles 'primary'"
    ]


def test_unknown_role_when_the_team_has_no_rotation() -> None:
    def change(d: dict[str, Any]) -> None:
        team(d)["rotations"] = []
        engineer(d)["roles"] = ["primary"]

    assert messages(change) == [
        "x.json: teams[0].engineers[0].roles[0]: unknown role 'primary': the team's rotations "
        "have roles (none defined)"
    ]


def test_duplicate_engineer_ids_across_teams() -> None:
    def change(d: dict[str, Any]) -> None:
        d["teams"].append({"id": "web", "engineers": [{"id": "cy"}, {"id": "ann"}]})

    assert messages(change) == [
        "x.json: teams[1].engineers[1].id: duplicate engineer id 'ann' (also in team 'ops'): ids "
        "must be unique across the instance"
    ]


def test_duplicate_engineer_ids_in_one_team() -> None:
    assert messages(lambda d: team(d)["engineers"].append({"id": "bob"})) == [
        "x.json: teams[0].engineers[2].id: duplicate engineer id 'bob' (earlier in this team): "
        "ids must be unique across the instance"
    ]


def test_duplicate_rotation_ids_across_teams() -> None:
    def change(d: dict[str, Any]) -> None:
        other = copy.deepcopy(rotation(d))
        other["roles"] = [{"id": "primary"}]
        d["teams"].append({"id": "web", "engineers": [{"id": "cy"}], "rotations": [other]})

    assert messages(change) == [
        "x.json: teams[1].rotations[0].id: duplicate rotation id 'ops-oncall': ids must be unique "
        "across the instance"
    ]


def test_duplicate_team_ids() -> None:
    assert messages(lambda d: d["teams"].append({"id": "ops", "engineers": [{"id": "cy"}]})) == [
        "x.json: teams[1].id: duplicate team id 'ops': ids must be unique"
    ]


def test_duplicate_role_and_window_names() -> None:
    def change(d: dict[str, Any]) -> None:
        rotation(d)["roles"].append({"id": "primary"})
        rotation(d)["pattern"] = {
            "kind": "windows",
            "windows": [
                {"name": "day", "start": "08:00", "hours": 12},
                {"name": "day", "start": "20:00", "hours": 12},
            ],
        }

    assert messages(change) == [
        "x.json: teams[0].rotations[0].roles: duplicate role id 'primary' in one rotation",
        "x.json: teams[0].rotations[0].pattern.windows: duplicate window name 'day'",
    ]


def test_skill_level_nobody_on_the_rotation_has() -> None:
    change = lambda d: rotation(d)["roles"][0]["required_skills"].update(linux=4)  # noqa: E731
    assert messages(change) == [
        "x.json: teams[0].rotations[0].roles[0].required_skills.linux: role 'primary' asks for "
        "skill 'linux' at level 4 but the best who may take the role has level 3: lower the level "
        "or add an engineer with that skill"
    ]


def test_skill_nobody_on_the_rotation_has_at_all() -> None:
    def change(d: dict[str, Any]) -> None:
        rotation(d)["engineers"] = ["ann"]  # bob, who has db, is not on the rotation
        rotation(d)["roles"][0]["required_skills"]["db"] = 1

    assert messages(change) == [
        "x.json: teams[0].rotations[0].roles[0].required_skills.db: role 'primary' asks for "
        "skill 'db' at level 1 but nobody who may take the role has it: lower the level or add an "
        "engineer with that skill"
    ]


def test_references_from_rules_and_preferences() -> None:
    def change(d: dict[str, Any]) -> None:
        team(d)["rules"] += [
            {"rule": "shifts", "max": 5, "engineers": ["zed"], "role": "lead"},
            {"rule": "max_consecutive", "max": 2, "rotation": "nope"},
            {"rule": "forbidden_succession", "first": "night", "then": "turn"},
            {"rule": "shifts", "min": 5, "max": 2},
        ]
        engineer(d)["preferences"] = [{"kind": "avoid", "rotation": "x", "shift_type": "late"}]

    assert messages(change) == [
        "x.json: teams[0].engineers[0].preferences[0].rotation: unknown rotation 'x': expected "
        "one of 'ops-oncall'",
        "x.json: teams[0].engineers[0].preferences[0].shift_type: unknown shift type 'late': "
        "expected one of 'turn'",
        "x.json: teams[0].rules[1].engineers[0]: unknown engineer 'zed': expected an engineer of "
        "team 'ops' ('ann', 'bob')",
        "x.json: teams[0].rules[1].role: unknown role 'lead': expected one of 'primary'",
        "x.json: teams[0].rules[2].rotation: unknown rotation 'nope': expected one of "
        "'ops-oncall'",
        "x.json: teams[0].rules[3].first: unknown shift type 'night': expected one of 'turn'",
        "x.json: teams[0].rules[4].max: max (2) is below min (5): max must be at least min",
    ]


def test_consecutive_rule_needs_a_rotation_when_there_are_several() -> None:
    def change(d: dict[str, Any]) -> None:
        second = copy.deepcopy(rotation(d))
        second["id"] = "ops-backup"
        team(d)["rotations"].append(second)
        team(d)["rules"].append({"rule": "max_consecutive", "max": 3})

    assert messages(change) == [
        "x.json: teams[0].rules[1].rotation: rule 'max_consecutive' needs a rotation when the "
        "team has several: expected one of 'ops-backup', 'ops-oncall'"
    ]


def test_unknown_system() -> None:
    def change(d: dict[str, Any]) -> None:
        d["systems"] = [{"id": "ledger"}]
        team(d)["systems"] = ["ledgr"]
        engineer(d)["built_systems"] = ["ledger", "billing"]

    assert messages(change) == [
        "x.json: teams[0].engineers[0].built_systems[1]: unknown system 'billing': expected one "
        "of 'ledger'",
        "x.json: teams[0].systems[0]: unknown system 'ledgr': expected one of 'ledger'",
    ]


def test_every_problem_is_reported_at_once() -> None:
    def change(d: dict[str, Any]) -> None:
        rotation(d)["engineers"] = ["zed"]
        engineer(d, 1)["roles"] = ["boss"]
        engineer(d, 1)["skills"]["go"] = 3

    found = messages(change)
    assert len(found) == 4  # zed, boss, go, and so nobody on the rotation has linux
    assert all(line.startswith("x.json: teams[0].") for line in found)


# --------------------------------------------------------------------------------------------
# Values


@pytest.mark.parametrize(
    ("where", "path"),
    [
        (lambda d: engineer(d), "teams[0].engineers[0].timezone"),
        (lambda d: team(d), "teams[0].timezone"),
        (lambda d: rotation(d), "teams[0].rotations[0].timezone"),
    ],
)
def test_unknown_time_zone(where: Callable[[dict[str, Any]], dict[str, Any]], path: str) -> None:
    (line,) = messages(lambda d: where(d).update(timezone="Mars/Olympus"))
    assert line.startswith(
        f"x.json: {path}: unknown time zone 'Mars/Olympus': expected an IANA name such as "
        "'Europe/London'"
    )


def test_unknown_time_zone_suggests_a_close_name() -> None:
    (line,) = messages(lambda d: rotation(d).update(timezone="London"))
    assert line.startswith(
        "x.json: teams[0].rotations[0].timezone: unknown time zone 'London': expected an IANA "
        "name such as 'Europe/London'; did you mean 'Europe/London'?"
    )


def test_unknown_time_zone_of_a_window() -> None:
    def change(d: dict[str, Any]) -> None:
        rotation(d)["pattern"] = {
            "kind": "windows",
            "windows": [{"name": "apac", "start": "08:00", "hours": 8, "timezone": "Asia/Bombay2"}],
        }

    (line,) = messages(change)
    assert line.startswith(
        "x.json: teams[0].rotations[0].pattern.windows[0].timezone: unknown time zone "
        "'Asia/Bombay2'"
    )


def test_leave_ending_before_it_starts() -> None:
    change = lambda d: engineer(d).update(  # noqa: E731
        unavailability=[{"start": "2027-01-08", "end": "2027-01-07"}]
    )
    assert messages(change) == [
        "x.json: teams[0].engineers[0].unavailability[0].end: leave ends on 2027-01-07 before it "
        "starts on 2027-01-08: 'end' must be on or after 'start'"
    ]


def test_one_day_leave_is_fine() -> None:
    data = copy.deepcopy(BASE)
    engineer(data)["unavailability"] = [{"start": "2027-01-08", "end": "2027-01-08"}]
    parse(Instance, data, "x.json")


def test_working_hours_ending_before_they_start() -> None:
    change = lambda d: engineer(d).update(working_hours={"start": "17:00", "end": "09:00"})  # noqa: E731
    assert messages(change) == [
        "x.json: teams[0].engineers[0].working_hours.end: working hours end at 09:00, not after "
        "they start at 17:00: 'end' must be later the same day"
    ]


@pytest.mark.parametrize(
    ("change", "line"),
    [
        (
            lambda d: team(d)["rules"].append({"rule": "hours", "max": -5}),
            "x.json: teams[0].rules[1].max: Input should be greater than or equal to 0 (got -5)",
        ),
        (
            lambda d: team(d)["rules"].append({"rule": "shifts", "min": -1}),
            "x.json: teams[0].rules[1].min: Input should be greater than or equal to 0 (got -1)",
        ),
        (
            lambda d: team(d)["rules"][0].update(hours=-1),
            "x.json: teams[0].rules[0].hours: Input should be greater than 0 (got -1)",
        ),
        (
            lambda d: team(d)["rules"][0].update(hard=False, weight=-3),
            "x.json: teams[0].rules[0].weight: Input should be greater than or equal to 0 (got -3)",
        ),
        (
            lambda d: engineer(d).update(history={"hours": -3}),
            "x.json: teams[0].engineers[0].history.hours: Input should be greater than or equal "
            "to 0 (got -3)",
        ),
        (
            lambda d: engineer(d).update(history={"weighted_hours": -0.5}),
            "x.json: teams[0].engineers[0].history.weighted_hours: Input should be greater than or "
            "equal to 0 (got -0.5)",
        ),
        (
            lambda d: engineer(d)["skills"].update(linux=7),
            "x.json: teams[0].engineers[0].skills.linux: Input should be less than or equal to 5 "
            "(got 7)",
        ),
        (
            lambda d: d["horizon"].update(days=0),
            "x.json: horizon.days: Input should be greater than or equal to 1 (got 0)",
        ),
        (
            lambda d: d["horizon"].update(start="2027-02-30"),
            "x.json: horizon.start: Input should be a valid date or datetime, day value is "
            "outside expected range (got '2027-02-30')",
        ),
        (
            lambda d: engineer(d).update(working_days=["monday"]),
            "x.json: teams[0].engineers[0].working_days[0]: Input should be 'mon', 'tue', 'wed', "
            "'thu', 'fri', 'sat' or 'sun' (got 'monday')",
        ),
        (
            lambda d: engineer(d).update(id="ann smith"),
            "x.json: teams[0].engineers[0].id: String should match pattern "
            "'^[A-Za-z0-9_.:@+-]+$' (got 'ann smith')",
        ),
        (
            lambda d: rotation(d).update(weights={"night_start": "22:10"}),
            "x.json: teams[0].rotations[0].weights.night_start: night boundaries must fall on a "
            "quarter hour, e.g. 22:00 or 06:30 (got '22:10')",
        ),
        (
            lambda d: d.update(holidays={"country": "XX"}),
            "x.json: holidays: unknown holiday country 'XX': expected an ISO 3166-1 code such as "
            "'GB', 'US' or 'DE'",
        ),
        (
            lambda d: d.update(holidays={"country": "GB", "subdivision": "LDN"}),
            "x.json: holidays: unknown subdivision 'LDN' of GB: expected one of ENG, NIR, SCT, "
            "WLS",
        ),
        (
            lambda d: d.update(teams=[]),
            "x.json: teams: List should have at least 1 item after validation, not 0",
        ),
    ],
)
def test_values_out_of_range(change: Callable[[dict[str, Any]], Any], line: str) -> None:
    assert messages(change) == [line]


# --------------------------------------------------------------------------------------------
# Shape: kinds, unknown and missing fields


def test_unknown_rule_kind() -> None:
    assert messages(lambda d: team(d)["rules"].append({"rule": "max_nights", "max": 3})) == [
        "x.json: teams[0].rules[1]: unknown kind 'max_nights': expected one of 'shifts', "
        "'hours', 'max_consecutive', 'min_consecutive', 'min_consecutive_off', 'min_rest', "
        "'forbidden_succession', 'max_weekends', 'max_holidays'"
    ]


def test_missing_rule_kind() -> None:
    assert messages(lambda d: team(d)["rules"].append({"max": 3})) == [
        "x.json: teams[0].rules[1]: missing 'rule': expected one of 'shifts', 'hours', "
        "'max_consecutive', 'min_consecutive', 'min_consecutive_off', 'min_rest', "
        "'forbidden_succession', 'max_weekends', 'max_holidays'"
    ]


def test_unknown_pattern_kind() -> None:
    assert messages(lambda d: rotation(d).update(pattern={"kind": "fortnightly"})) == [
        "x.json: teams[0].rotations[0].pattern: unknown kind 'fortnightly': expected one of "
        "'daily', 'weekly', 'custom', 'windows'"
    ]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: engineer(d).update(skils={}), "teams[0].engineers[0].skils"),
        (lambda d: team(d)["rules"][0].update(hour=3), "teams[0].rules[0].hour"),
        (
            lambda d: rotation(d)["pattern"].update(handof="09:00"),
            "teams[0].rotations[0].pattern.handof",
        ),
        (lambda d: d.update(horizn={}), "horizn"),
        (lambda d: d["horizon"].update(end="2027-02-01"), "horizon.end"),
    ],
)
def test_unknown_field(change: Callable[[dict[str, Any]], Any], path: str) -> None:
    assert messages(change) == [f"x.json: {path}: unknown field: remove it or check its spelling"]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.pop("horizon"), "horizon"),
        (lambda d: engineer(d).pop("id"), "teams[0].engineers[0].id"),
        (lambda d: rotation(d).pop("pattern"), "teams[0].rotations[0].pattern"),
        (
            lambda d: rotation(d).update(pattern={"kind": "custom"}),
            "teams[0].rotations[0].pattern.length_hours",
        ),
        (lambda d: team(d)["rules"][0].pop("hours"), "teams[0].rules[0].hours"),
        (
            lambda d: engineer(d).update(preferences=[{"dates": []}]),
            "teams[0].engineers[0].preferences[0].kind",
        ),
    ],
)
def test_missing_required_field(change: Callable[[dict[str, Any]], Any], path: str) -> None:
    assert messages(change) == [f"x.json: {path}: this field is required"]


def test_wrong_type() -> None:
    assert messages(lambda d: d.update(teams="ops")) == [
        "x.json: teams: Input should be a valid list (got 'ops')"
    ]


def test_not_an_object_at_all() -> None:
    with pytest.raises(InputError) as caught:
        parse(Instance, [], "x.json")
    (line,) = caught.value.messages
    assert line == "x.json: (document): expected a JSON object, got an array"


# --------------------------------------------------------------------------------------------
# Reading files


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('{"a": 1,}', "x.json: line 1 column 9: invalid JSON: Expecting property name enclosed in "
         "double quotes"),
        ("", "x.json: line 1 column 1: invalid JSON: Expecting value"),
        ('{\n  "a": [1, 2}\n}', "x.json: line 2 column 13: invalid JSON: Expecting ',' delimiter"),
    ],
)
def test_malformed_json(text: str, line: str) -> None:
    with pytest.raises(InputError) as caught:
        loads(text, "x.json")
    assert caught.value.messages == [line]


def test_read_json_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"horizon": }', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_json(bad)
    assert caught.value.messages == [f"{bad}: line 1 column 13: invalid JSON: Expecting value"]

    with pytest.raises(InputError) as caught:
        read_json(tmp_path / "missing.json")
    assert caught.value.messages == [f"{tmp_path / 'missing.json'}: no such file"]

    with pytest.raises(InputError) as caught:
        read_json(tmp_path)
    assert caught.value.messages == [f"{tmp_path}: is a directory, expected a JSON file"]

    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"name": "caf\xe9"}')
    with pytest.raises(InputError) as caught:
        read_json(latin)
    assert caught.value.messages == [f"{latin}: not UTF-8 text, expected a JSON file"]


def test_load_prefixes_every_message_with_the_file(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    engineer(data)["timezone"] = "Europe/Londn"
    path = tmp_path / "team.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(Instance, path)
    (line,) = caught.value.messages
    assert line.startswith(f"{path}: teams[0].engineers[0].timezone: unknown time zone")


# --------------------------------------------------------------------------------------------
# Round trip


def test_a_full_dump_loads_back() -> None:
    instance = load(Instance, INSTANCES / "quarter-12.json")
    again = parse(Instance, json.loads(instance.model_dump_json()), "dump.json")
    assert again == instance


def test_a_compact_dump_loads_back() -> None:
    # the union tags 'kind' and 'rule' have no default, so a compact dump keeps them
    instance = load(Instance, INSTANCES / "quarter-12.json")
    compact = instance.model_dump(mode="json", exclude_defaults=True)
    assert parse(Instance, compact, "dump.json") == instance


def test_head_counts_by_weekday_and_date_are_valid() -> None:
    data = copy.deepcopy(BASE)
    data["teams"][0]["rotations"][0]["roles"][0].update(
        head_count=2,
        head_counts=[
            {"date": "2027-01-08", "head_count": 0},
            {"weekdays": ["sat", "sun"], "shift_type": "turn", "head_count": 1},
        ],
    )
    role = parse(Instance, data, "x.json").teams[0].rotations[0].roles[0]
    assert [(h.date, h.weekdays, h.head_count) for h in role.head_counts] == [
        (dt.date(2027, 1, 8), [], 0), (None, ["sat", "sun"], 1)
    ]


def test_head_counts_name_the_entry_that_cannot_match() -> None:
    def change(d: dict[str, Any]) -> None:
        rotation(d)["roles"][0]["head_counts"] = [
            {"shift_type": "late", "head_count": 1},
            {"date": "2027-01-18", "head_count": 1},
            {"date": "2027-01-05", "weekdays": ["tue"], "head_count": 1},
            {"weekdays": ["fri"], "head_count": 101},
        ]

    assert messages(change) == [
        "x.json: teams[0].rotations[0].roles[0].head_counts[3].head_count: Input should be less "
        "than or equal to 100 (got 101)",
    ]
    del_101 = messages(lambda d: (change(d), rotation(d)["roles"][0]["head_counts"].pop()))
    assert del_101 == [
        "x.json: teams[0].rotations[0].roles[0].head_counts[0].shift_type: unknown shift type "
        "'late': rotation 'ops-oncall' has 'turn'",
        "x.json: teams[0].rotations[0].roles[0].head_counts[1].date: 2027-01-18 is outside the "
        "horizon 2027-01-04 to 2027-01-17",
        "x.json: teams[0].rotations[0].roles[0].head_counts[2].weekdays: give a date or "
        "weekdays, not both: a date already names its weekday",
    ]
