"""`rotasat import incidents`, driven as a user would: the JSON it writes, the summary on stderr,
exit 0 (all read), 1 (rows rejected, the rest still written) and 2 (unusable input)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rotasat.api.cli import app
from rotasat.models import Instance, load
from typer.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[2]
EXCERPT = ROOT / "tests" / "fixtures" / "servicenow_excerpt.csv"  # 5 incidents, 20 updates
JIRA_CSV = ROOT / "tests" / "fixtures" / "jira_issues.csv"
JIRA = ROOT / "instances" / "mappings" / "jira.json"
WIDE = {"COLUMNS": "250"}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["import", "incidents", *map(str, args)], env=WIDE)


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def shop(tmp_path: Path) -> Path:
    """A team owning the systems of the Jira fixture, over the first quarter of 2027."""
    return write_json(
        tmp_path / "shop.json",
        {
            "name": "shop",
            "horizon": {"start": "2027-01-04", "days": 91},
            "teams": [
                {
                    "id": "shop",
                    "systems": ["billing", "search", "storefront"],
                    "engineers": [{"id": "ana"}, {"id": "ben"}],
                }
            ],
        },
    )


def test_a_servicenow_export_prints_incidents_and_summarises_on_stderr() -> None:
    result = run(EXCERPT)
    assert result.exit_code == 0, result.output
    incidents = json.loads(result.stdout)["incidents"]
    assert [i["id"] for i in incidents][:2] == ["INC1000140", "INC1000007"]
    assert incidents[0]["priority"] == "P1" and incidents[0]["arrival"] == "2027-01-16T11:30:00Z"
    lines = result.stderr.splitlines()
    assert lines[0] == (
        f"{EXCERPT} (mapping servicenow): 20 rows read, 5 incidents produced, "
        "15 earlier updates collapsed, 0 rows rejected"
    )
    assert lines[-1] == "5 incidents written to stdout"


def test_output_file_and_timezone(tmp_path: Path) -> None:
    out = tmp_path / "new" / "incidents.json"
    result = run(EXCERPT, "--timezone", "Europe/London", "-o", out)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    incidents = {i["id"]: i for i in json.loads(out.read_text())["incidents"]}
    assert incidents["INC1000000"]["arrival"] == "2027-03-31T14:38:00+01:00"
    assert f"5 incidents written to {out}" in result.stderr


def test_rejected_rows_exit_1_and_the_rest_is_still_written(tmp_path: Path) -> None:
    lines = EXCERPT.read_text().splitlines()
    lines[16] = lines[16].replace("23/2/2027 05:44", "31/13/2027 10:00", 1)  # line 17
    lines[2] = lines[2].replace("4 - Low", "Low-ish")  # line 3
    export = tmp_path / "export.csv"
    export.write_text("\n".join(lines) + "\n")
    out = tmp_path / "incidents.json"
    result = run(export, "-o", out)
    assert result.exit_code == 1, result.output
    assert len(json.loads(out.read_text())["incidents"]) == 5
    err = result.stderr
    counts = "20 rows read, 5 incidents produced, 13 earlier updates collapsed, 2 rows rejected"
    assert counts in err
    note = "INC1000063 is built from line 16, an earlier update: its update on line 17 was rejected"
    assert f"  note: {note}" in err
    assert "  rejected: line 3: priority 'Low-ish' is not a priority: expected" in err
    assert (
        "  rejected: line 17: opened_at '31/13/2027 10:00' is not a D/M/YYYY HH:MM time" in err
    )
    assert err.splitlines()[-1] == f"2 rows rejected; 5 incidents written to {out} without them"


def test_the_jira_mapping_into_an_instance_that_then_validates(tmp_path: Path) -> None:
    out = tmp_path / "shop-with-incidents.json"
    result = run(JIRA_CSV, "--mapping", JIRA, "--into", shop(tmp_path), "-o", out)
    assert result.exit_code == 0, result.output
    instance = load(Instance, out)
    assert [i.id for i in instance.incidents] == ["SHOP-101", "SHOP-102", "SHOP-103", "SHOP-104"]
    assert instance.teams[0].id == "shop"
    assert f"4 incidents written to {out} (added to {tmp_path / 'shop.json'})" in result.stderr


def test_an_instance_that_does_not_take_the_incidents_exits_2_and_writes_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out.json"
    result = run(EXCERPT, "--into", shop(tmp_path), "-o", out)
    assert result.exit_code == 2
    assert not out.exists()
    assert (
        f"error: {tmp_path / 'shop.json'}: incidents[0].system: no team owns system "
        "'category-26': add it to a team's systems (owned now: 'billing', 'search', "
        f"'storefront') (INC1000140, line 21 of {EXCERPT})"
    ) in result.stderr


def test_a_jira_export_without_its_mapping_names_missing_and_present_columns() -> None:
    result = run(JIRA_CSV)
    assert result.exit_code == 2
    assert result.stdout == ""
    err = result.stderr.splitlines()
    assert err[0].startswith(f"error: {JIRA_CSV}: no columns 'number' (id), 'cmdb_ci' ")
    assert err[1].startswith(f"error: {JIRA_CSV}: the header has 16 columns: Summary, Issue key")
    assert err[2] == (
        f"error: {JIRA_CSV}: without --mapping a ServiceNow export is expected; "
        "instances/mappings/ has mappings for other layouts"
    )


def test_unusable_input_exits_2_with_one_line_per_problem(tmp_path: Path) -> None:
    bad_mapping = write_json(tmp_path / "m.json", {"priority": {"column": "priority",
                                                                "values": {"Urgent": "P0"}}})
    cases = {
        "missing": ([tmp_path / "nope.csv"], f"error: {tmp_path / 'nope.csv'}: no such file"),
        "zone": ([EXCERPT, "--timezone", "Europe/Londn"],
                 "error: --timezone: unknown time zone 'Europe/Londn'"),
        "mapping": ([EXCERPT, "--mapping", bad_mapping],
                    f"error: {bad_mapping}: priority.values.Urgent: Input should be 'P1'"),
        "into": ([EXCERPT, "--into", tmp_path / "none.json"],
                 f"error: {tmp_path / 'none.json'}: no such file"),
        "output": ([EXCERPT, "-o", tmp_path],
                   f"error: {tmp_path}: is a directory, expected a file name to write"),
    }  # fmt: skip
    for case, (args, expected) in cases.items():
        result = run(*args)
        assert result.exit_code == 2, case
        assert result.stderr.startswith(expected), (case, result.stderr)
        assert result.stdout == "", case
        assert "Traceback" not in result.output, case


# `rotasat import nrp` ---------------------------------------------------------------------------

INSTANCE1 = ROOT / "tests" / "fixtures" / "Instance1.txt"  # the benchmark's Instance1


def test_nrp_import_then_solve_reports_the_benchmark_objective(tmp_path: Path) -> None:
    out = tmp_path / "i1" / "instance.json"
    imported = CliRunner().invoke(app, ["import", "nrp", str(INSTANCE1), "-o", str(out)],
                                  env=WIDE)
    assert imported.exit_code == 0, imported.output
    assert imported.stderr.strip() == f"{INSTANCE1} written to {out}"
    assert load(Instance, out).name == "Instance1"
    solved = CliRunner().invoke(app, ["solve", str(out), "--json", "--no-baseline", "-q"],
                                env=WIDE)
    assert solved.exit_code == 0, solved.output  # 3 if the checker disagreed
    solution = json.loads(solved.stdout)
    assert (solution["status"], solution["objective"]) == ("OPTIMAL", 607)


def test_nrp_import_prints_to_stdout_without_output() -> None:
    result = CliRunner().invoke(app, ["import", "nrp", str(INSTANCE1)], env=WIDE)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["horizon"] == {"start": "2027-01-04", "days": 14}


def test_nrp_import_of_a_malformed_file_exits_2_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "Instance1.txt"
    bad.write_text(INSTANCE1.read_text().replace("D,480,", "D,48O,"))
    result = CliRunner().invoke(app, ["import", "nrp", str(bad)], env=WIDE)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {bad}: line 9: length of shift D '48O' is not a whole number"
    ]
    missing = CliRunner().invoke(app, ["import", "nrp", str(tmp_path / "none.txt")], env=WIDE)
    assert missing.exit_code == 2
    assert missing.stderr.strip() == f"error: {tmp_path / 'none.txt'}: no such file"
