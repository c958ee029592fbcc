"""Incidents from ticket-system exports (models/imports.py): the ServiceNow default, the Jira
mapping, collapsing updates, and every kind of unreadable row reported with its line number."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rotasat.models import InputError
from rotasat.models.imports import (
    ImportResult,
    Mapping,
    import_incidents,
    into_instance,
    load_mapping,
    read_incidents,
)
from rotasat.models.support import SLA

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
EXCERPT = FIXTURES / "servicenow_excerpt.csv"  # 5 incidents x 4 updates of the shared sample
JIRA_CSV = FIXTURES / "jira_issues.csv"  # 4 issues, one exported twice, multi-line fields
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "servicenow_incidents.csv"
MAPPINGS = ROOT / "instances" / "mappings"
UTC = dt.UTC


def excerpt_rows() -> tuple[list[str], list[list[str]]]:
    header, *rows = list(csv.reader(EXCERPT.open(newline="", encoding="utf-8")))
    return header, rows


def as_csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def edited(change: Callable[[dict[str, str]], None], line: int) -> str:
    """The excerpt with the row on `line` (the header is line 1) changed through its columns."""
    header, rows = excerpt_rows()
    cells = dict(zip(header, rows[line - 2], strict=True))
    change(cells)
    rows[line - 2] = [cells[name] for name in header]
    return as_csv(header, rows)


def by_id(result: ImportResult) -> dict[str, Any]:
    return {i.id: i for i in result.incidents}


# --------------------------------------------------------------------------------------------
# The mapping files


def test_the_servicenow_file_is_the_default_mapping_written_out() -> None:
    shipped = load_mapping(MAPPINGS / "servicenow.json")
    assert shipped.description
    assert shipped.model_dump(exclude={"description"}) == Mapping().model_dump(
        exclude={"description"}
    )


def test_the_jira_mapping_loads_and_names_its_columns() -> None:
    jira = load_mapping(MAPPINGS / "jira.json")
    assert jira.name == "jira"
    assert set(jira.columns()) == {
        "Issue key", "Summary", "Component/s", "Project key", "Priority",
        "Custom field (Severity)", "Created", "Time Spent", "Updated",
    }  # fmt: skip
    assert jira.time_shape() == "D/Mon/YY hh:MM AM"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"colour": "red"}, "m.json: colour: unknown field"),
        (
            {"priority": {"column": "priority", "values": {"Urgent": "P0"}}},
            "m.json: priority.values.Urgent: Input should be 'P1', 'P2', 'P3' or 'P4'",
        ),
        (
            {"severity": {"column": None}},
            "m.json: severity: give a column to read, or a default for every incident",
        ),
        (
            {"effort": {"per_priority": {"P1": 2}}},
            "m.json: effort.per_priority: needs an effort for P1, P2, P3 and P4 "
            "(missing P2, P3, P4)",
        ),
        ({"effort": {"unit": "days"}}, "m.json: effort.unit: Input should be 'hours'"),
        (
            {"time_format": "%Q"},
            "m.json: time_format: cannot read back the times it writes: expected a strptime "
            "format such as '%d/%m/%Y %H:%M', or 'iso' (got '%Q')",
        ),
        ({"timezone": "Europe/Londn"}, "m.json: timezone: unknown time zone 'Europe/Londn'"),
        (
            {"encoding": "klingon"},
            "m.json: encoding: unknown encoding: expected e.g. 'utf-8-sig' or 'cp1252' "
            "(got 'klingon')",
        ),
        ({"system": {"values": {"Category 9": "bill ing"}}}, "m.json: system.column: this "),
        (
            {"system": {"column": "category", "values": {"Category 9": "bill ing"}}},
            "m.json: system.values.Category 9: String should match pattern",
        ),
    ],
)
def test_a_bad_mapping_file_names_the_file_and_path(
    document: dict[str, Any], expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError) as error:
        load_mapping(path)
    assert any(m.startswith(f"{path.parent}/{expected}") for m in error.value.messages), (
        error.value.messages
    )


# --------------------------------------------------------------------------------------------
# ServiceNow: the default mapping


@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="../shared/samples is not here")
def test_the_shared_sample_reads_whole() -> None:
    result = import_incidents(SHARED_SAMPLE)
    assert (result.rows, len(result.incidents), result.collapsed) == (960, 240, 720)
    assert result.rejected == [] and result.notes == []
    priorities = [i.priority for i in result.incidents]
    assert {p: priorities.count(p) for p in ("P1", "P2", "P3", "P4")} == {
        "P1": 3, "P2": 14, "P3": 48, "P4": 175,
    }  # fmt: skip
    assert sum(result.made_sla.values()) == 240 and result.made_sla["unknown"] == 0
    arrivals = [i.arrival for i in result.incidents]
    assert arrivals == sorted(arrivals)
    assert arrivals[0] == dt.datetime(2027, 1, 5, 17, 15, tzinfo=UTC)


def test_the_excerpt_becomes_one_incident_per_number_in_its_latest_state() -> None:
    result = import_incidents(EXCERPT)
    assert (result.rows, len(result.incidents), result.collapsed) == (20, 5, 15)
    assert result.rejected == []
    # sorted by arrival: INC1000140 opened 16/1/2027 11:30, INC1000000 31/3/2027 14:38
    assert [i.id for i in result.incidents] == [
        "INC1000140", "INC1000007", "INC1000014", "INC1000063", "INC1000000",
    ]  # fmt: skip
    critical = by_id(result)["INC1000140"]
    assert critical.model_dump(exclude_none=True) == {
        "id": "INC1000140",
        "system": "category-26",  # cmdb_ci is '?', so the category, made into an id
        "required_skills": {},
        "priority": "P1",  # '1 - Critical'
        "severity": "S1",  # impact '1 - High'
        "tier": "L3",  # 'Group 70' is not in tier.values
        "arrival": dt.datetime(2027, 1, 16, 11, 30, tzinfo=UTC),
        "sla": {"respond_hours": 1.0, "resolve_hours": 4.0},
        "effort_hours": 4.0,  # effort.per_priority for P1
    }
    assert by_id(result)["INC1000000"].sla is None  # P4: no SLA by default
    assert result.lines["INC1000140"] == 21  # the Closed update, sys_mod_count 3
    assert result.made_sla == {"met": 4, "missed": 1}  # INC1000063 missed its SLA
    assert result.filled == {
        "effort_hours from effort.per_priority (no effort column)": 5,
        "system made from the category value (not in system.values)": 5,
        "tier L3 from tier.other (assignment_group values not in the table)": 5,
    }


def test_the_summary_says_what_was_read_produced_collapsed_and_filled() -> None:
    summary = import_incidents(EXCERPT).summary()
    assert summary[0] == (
        f"{EXCERPT} (mapping servicenow): 20 rows read, 5 incidents produced, "
        "15 earlier updates collapsed, 0 rows rejected"
    )
    assert "  priorities: P1 1, P2 1, P4 3; severities: S1 1, S2 3, S3 1; tiers: L3 5" in summary
    assert "  systems: category-26 1, category-53 1, category-9 3" in summary
    assert "  made_sla in the export: 4 met, 1 missed" in summary


def test_a_mapping_table_names_the_systems_and_tiers() -> None:
    mapping = Mapping(
        system={"column": ["cmdb_ci", "category"], "values": {"category 9": "billing"}},
        tier={"column": "assignment_group", "values": {"Group 70": "L2"}, "other": "L3"},
    )
    incidents = by_id(import_incidents(EXCERPT, mapping))
    assert incidents["INC1000000"].system == "billing"  # table keys ignore case
    assert incidents["INC1000007"].system == "category-53"
    assert (incidents["INC1000014"].tier, incidents["INC1000000"].tier) == ("L2", "L3")


def test_a_system_outside_the_table_is_rejected_when_asked() -> None:
    mapping = Mapping(system={"column": "category", "values": {}, "other": "reject"})
    result = import_incidents(EXCERPT, mapping)
    assert result.incidents == []
    assert result.rejected[0] == (2, "category 'Category 9' is not in the mapping's system.values")
    assert len(result.rejected) == 20


def test_cmdb_ci_comes_before_category_when_present() -> None:
    text = edited(lambda row: row.update(cmdb_ci="Billing DB"), line=5)  # INC1000000's latest
    incident = by_id(read_incidents(text))["INC1000000"]
    assert incident.system == "billing-db"


def test_times_are_read_in_the_given_zone() -> None:
    # 31/3/2027 14:38 in London is BST (UTC+1); 16/1/2027 11:30 is GMT
    incidents = by_id(import_incidents(EXCERPT, timezone="Europe/London"))
    assert incidents["INC1000000"].arrival.astimezone(UTC) == dt.datetime(
        2027, 3, 31, 13, 38, tzinfo=UTC
    )
    assert incidents["INC1000140"].arrival.utcoffset() == dt.timedelta(0)


def test_an_unknown_zone_is_unusable_input() -> None:
    with pytest.raises(InputError, match="timezone: unknown time zone 'Mars/Olympus'"):
        import_incidents(EXCERPT, timezone="Mars/Olympus")


# --------------------------------------------------------------------------------------------
# Collapsing updates


def test_the_latest_update_wins_by_mod_count_whatever_the_file_order() -> None:
    header, rows = excerpt_rows()
    count, priority = header.index("sys_mod_count"), header.index("priority")
    first = rows[:4]  # INC1000000, sys_mod_count 0..3
    first[3][priority] = "2 - High"  # escalated in its last update
    text = as_csv(header, list(reversed(first)))  # the last update now comes first, on line 2
    result = read_incidents(text)
    assert [(i.id, i.priority) for i in result.incidents] == [("INC1000000", "P2")]
    assert (result.rows, result.collapsed, result.lines["INC1000000"]) == (4, 3, 2)
    assert first[3][count] == "3"


def test_equal_mod_counts_fall_back_to_the_update_time_then_the_file_order() -> None:
    header, rows = excerpt_rows()
    count, priority, updated = (header.index(c) for c in ("sys_mod_count", "priority",
                                                          "sys_updated_at"))
    pair = [list(rows[0]), list(rows[1])]
    for row in pair:
        row[count] = "7"
    pair[0][priority], pair[0][updated] = "1 - Critical", "1/4/2027 09:00"  # later, first line
    assert by_id(read_incidents(as_csv(header, pair)))["INC1000000"].priority == "P1"
    pair[0][updated] = pair[1][updated]  # a full tie: the later line wins
    assert by_id(read_incidents(as_csv(header, pair)))["INC1000000"].priority == "P4"


# --------------------------------------------------------------------------------------------
# Rows that cannot be read


def _set(**cells: str) -> Callable[[dict[str, str]], None]:
    return lambda row: row.update(cells)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_set(opened_at="31/13/2027 10:00"),
         "opened_at '31/13/2027 10:00' is not a D/M/YYYY HH:MM time"),
        (_set(opened_at="2027-03-31 14:38"),
         "opened_at '2027-03-31 14:38' is not a D/M/YYYY HH:MM time"),
        (_set(opened_at="?"), "opened_at is missing"),
        (_set(priority="9 - Unknown"),
         "priority '9 - Unknown' is not a priority: expected '1 - Critical' ... '4 - Low' or "
         "P1 ... P4, or a value of priority.values"),
        (_set(priority="?"), "priority is missing (no priority.default)"),
        (_set(impact="Huge"),
         "impact 'Huge' is not a severity: expected '1 - High' ... '4 - Low' or S1 ... S4, or a "
         "value of severity.values"),
        (_set(number="?"), "number is missing"),
        (_set(number="INC 7"), "number 'INC 7' is not an id (letters, digits and _.:@+- only)"),
        (_set(sys_mod_count="three"), "sys_mod_count 'three' is not a whole number"),
        (_set(sys_updated_at="yesterday"),
         "sys_updated_at 'yesterday' is not a D/M/YYYY HH:MM time"),
        (_set(cmdb_ci="?", category="?"),
         "cmdb_ci and category are missing (no system.default)"),
        (_set(category="???!"),
         "category '???!' cannot be made into an id: add it to system.values"),
        (_set(priority="0 - Panic", opened_at="31/3/27 14:38"),
         "priority '0 - Panic' is not a priority: expected '1 - Critical' ... '4 - Low' or "
         "P1 ... P4, or a value of priority.values; "
         "opened_at '31/3/27 14:38' is not a D/M/YYYY HH:MM time"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
def test_an_unreadable_row_is_rejected_with_its_line_and_reason(
    change: Callable[[dict[str, str]], None], reason: str
) -> None:
    result = read_incidents(edited(change, line=7))  # INC1000007's first update
    assert result.rejected == [(7, reason)]
    assert result.rows == 20
    assert len(result.incidents) == 5  # INC1000007 still comes from its later updates


def test_a_row_with_the_wrong_number_of_fields_is_rejected() -> None:
    header, rows = excerpt_rows()
    text = as_csv(header, rows).splitlines()
    text[3] = text[3].rsplit(",", 1)[0]  # line 4 loses its last field
    text[5] += ",extra"
    result = read_incidents("\n".join(text) + "\n")
    assert result.rejected == [
        (4, "35 fields, expected 36 as in the header"),
        (6, "37 fields, expected 36 as in the header"),
    ]


def test_an_unclosed_quote_says_where_its_record_runs_to() -> None:
    header, rows = excerpt_rows()
    lines = as_csv(header, rows).splitlines()
    lines[18] = lines[18].replace("Caller", '"Caller', 1)  # line 19 opens a quote, never closed
    result = read_incidents("\n".join(lines) + "\n")
    assert result.rejected == [
        (19, "8 fields, expected 36 as in the header (the record runs to line 21: an "
             "unclosed quote?)")
    ]
    assert result.rows == 18


def test_a_rejected_latest_update_is_noted_and_the_incident_kept_from_an_earlier_one() -> None:
    result = read_incidents(edited(_set(opened_at="31/3/2027 25:00"), line=5))
    assert result.rejected == [(5, "opened_at '31/3/2027 25:00' is not a D/M/YYYY HH:MM time")]
    assert result.lines["INC1000000"] == 4
    assert result.notes == [
        "INC1000000 is built from line 4, an earlier update: its update on line 5 was rejected"
    ]


def test_an_incident_whose_every_row_is_rejected_is_named() -> None:
    header, rows = excerpt_rows()
    for row in rows[4:8]:  # INC1000007, lines 6 to 9
        row[header.index("priority")] = "urgent"
    result = read_incidents(as_csv(header, rows))
    assert [line for line, _ in result.rejected] == [6, 7, 8, 9]
    assert "INC1000007" not in by_id(result)
    assert result.notes == [
        "INC1000007 is not produced: every row of it was rejected (lines 6, 7, 8, 9)"
    ]
    assert "  rejected: line 6: priority 'urgent' is not a priority: expected '1 - Critical' " \
        "... '4 - Low' or P1 ... P4, or a value of priority.values" in result.summary()


def test_a_time_the_clocks_skip_is_rejected() -> None:
    text = edited(_set(opened_at="28/3/2027 01:30"), line=10)  # BST starts at 01:00 that day
    result = read_incidents(text, timezone="Europe/London")
    assert result.rejected == [
        (10, "opened_at '28/3/2027 01:30' does not exist in Europe/London (the clocks go "
             "forward then)")
    ]
    assert read_incidents(text).rejected == []  # in UTC it exists


def test_blank_lines_are_not_rows() -> None:
    header, rows = excerpt_rows()
    text = as_csv(header, rows[:4]).replace("\n", "\n\n", 1) + "\n"
    result = read_incidents(text)
    assert (result.rows, result.rejected, len(result.incidents)) == (4, [], 1)


# --------------------------------------------------------------------------------------------
# Unusable input


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "x.csv: no such file"),
        (b"", "x.csv: no header line of column names (the file is empty or starts blank)"),
        ("header only", "x.csv: no rows after the header"),
        (b"number,opened_at\n\xff\xfe,1\n", "x.csv: byte 17 is not utf-8-sig text"),
    ],
)
def test_unusable_input_raises_with_the_file_name(
    content: bytes | str | None, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    if content == "header only":
        path.write_text(EXCERPT.read_text().splitlines()[0] + "\n")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    with pytest.raises(InputError) as error:
        import_incidents(path)
    assert error.value.messages[0].startswith(f"{tmp_path}/{expected}"), error.value.messages


def test_missing_columns_are_named_beside_the_ones_there() -> None:
    with pytest.raises(InputError) as error:
        import_incidents(JIRA_CSV)
    first, header = error.value.messages
    assert first.startswith(
        f"{JIRA_CSV}: no columns 'number' (id), 'cmdb_ci' (system.column), 'category' "
        "(system.column), 'priority' (priority.column), 'impact' (severity.column)"
    )
    assert first.endswith("'sys_updated_at' (updates.time): the mapping 'servicenow' reads them")
    assert header.startswith(f"{JIRA_CSV}: the header has 16 columns: Summary, Issue key, ")


def test_a_file_with_another_delimiter_gets_a_hint() -> None:
    header, rows = excerpt_rows()
    text = ";".join(header) + "\n" + ";".join(rows[0]) + "\n"
    with pytest.raises(InputError) as error:
        read_incidents(text, source="semi.csv")
    assert error.value.messages[-1].startswith(
        "semi.csv: the header has 1 column (one column: is the delimiter ',' right?): number;"
    )


# --------------------------------------------------------------------------------------------
# Jira


def test_the_jira_mapping_reads_a_jira_export() -> None:
    jira = load_mapping(MAPPINGS / "jira.json")
    result = import_incidents(JIRA_CSV, jira, timezone="America/New_York")
    assert (result.rows, len(result.incidents), result.collapsed, result.rejected) == (
        5, 4, 1, [],
    )  # fmt: skip
    incidents = by_id(result)
    payments = incidents["SHOP-101"]
    assert (payments.title, payments.system, payments.priority, payments.severity) == (
        "Card payments time out", "billing", "P1", "S1",  # first of two Component/s columns
    )  # fmt: skip
    assert payments.effort_hours == 3.0  # Time Spent 10800 s
    assert payments.arrival.astimezone(UTC) == dt.datetime(2027, 1, 5, 14, 15, tzinfo=UTC)
    assert payments.sla == SLA(respond_hours=1, resolve_hours=4)
    search = incidents["SHOP-102"]  # exported twice: the row updated last (line 5) wins
    assert (search.priority, search.severity, search.effort_hours) == ("P2", "S2", 1.5)
    assert result.lines == {"SHOP-101": 2, "SHOP-102": 5, "SHOP-103": 6, "SHOP-104": 7}
    slow = incidents["SHOP-103"]  # no component: the project key; 11:45 PM
    assert (slow.system, slow.severity, slow.arrival.hour) == ("storefront", "S4", 23)
    assert incidents["SHOP-104"].effort_hours == 3.0  # Time Spent 0: P2 by priority
    assert result.filled["effort_hours from effort.per_priority (no effort logged)"] == 2
    assert result.filled["tier L3 from tier.default (no column)"] == 4


def test_jira_rows_with_bad_effort_or_priority_are_rejected() -> None:
    jira = load_mapping(MAPPINGS / "jira.json")
    text = JIRA_CSV.read_text(encoding="utf-8-sig")
    text = text.replace(",10800,", ",1300000,").replace(",Low,,11/Jan/27", ",Trivial,,11/Jan/27")
    text = text.replace("12/Jan/27 8:00 AM", "12/01/2027 08:00")
    result = read_incidents(text, jira, "jira.csv")
    assert result.rejected == [
        (2, "Time Spent '1300000' is 361.1 hours of effort, more than the 336 an incident may "
            "take"),
        (6, "Priority 'Trivial' is not a priority: expected '1 - Critical' ... '4 - Low' or "
            "P1 ... P4, or a value of priority.values"),
        (7, "Created '12/01/2027 08:00' is not a D/Mon/YY hh:MM AM time"),
    ]
    assert [i.id for i in result.incidents] == ["SHOP-102"]


# --------------------------------------------------------------------------------------------
# Into an instance


def shop_instance(**extra: Any) -> dict[str, Any]:
    return {
        "name": "shop",
        "horizon": {"start": "2027-01-04", "days": 91},
        "teams": [
            {
                "id": "shop",
                "systems": ["billing", "search", "storefront"],
                "engineers": [{"id": "ana"}, {"id": "ben"}],
            }
        ],
        **extra,
    }


def test_the_shipped_quarter_12_mapping_names_systems_of_that_instance() -> None:
    mapping = load_mapping(MAPPINGS / "servicenow-quarter-12.json")
    quarter = json.loads((ROOT / "instances" / "quarter-12.json").read_text())
    owned = {system for team in quarter["teams"] for system in team.get("systems", [])}
    assert set(mapping.system.values.values()) <= owned
    assert set(mapping.skills) <= owned
    if SHARED_SAMPLE.exists():  # the README's example: every category maps, every arrival fits
        result = import_incidents(SHARED_SAMPLE, mapping)
        assert (len(result.incidents), result.rejected) == (240, [])
        merged = into_instance(quarter, result, "quarter-12.json")
        assert len(merged["incidents"]) == len(quarter.get("incidents", [])) + 240


def test_incidents_are_appended_to_an_instance_and_validated() -> None:
    result = import_incidents(JIRA_CSV, load_mapping(MAPPINGS / "jira.json"))
    own = {"id": "OLD-1", "system": "search", "arrival": "2027-01-04T10:00:00Z",
           "effort_hours": 1}
    merged = into_instance(shop_instance(incidents=[own]), result, "shop.json")
    assert [i["id"] for i in merged["incidents"]] == [
        "OLD-1", "SHOP-101", "SHOP-102", "SHOP-103", "SHOP-104",
    ]  # fmt: skip
    assert merged["incidents"][1]["arrival"] == "2027-01-05T09:15:00Z"
    assert "title" not in merged["incidents"][0] and "assignee" not in merged["incidents"][1]


def test_an_instance_that_does_not_own_the_systems_names_the_incident_and_line() -> None:
    result = import_incidents(EXCERPT)
    with pytest.raises(InputError) as error:
        into_instance(shop_instance(), result, "shop.json")
    assert error.value.messages[0] == (
        "shop.json: incidents[0].system: no team owns system 'category-26': add it to a team's "
        f"systems (owned now: 'billing', 'search', 'storefront') (INC1000140, line 21 of "
        f"{EXCERPT})"
    )
    assert len(error.value.messages) == 5
