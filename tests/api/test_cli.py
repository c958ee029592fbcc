"""The `rotasat` command line, driven as a user would: exit codes, what is printed, what is
written. Bad input of every kind must exit 2 with a message naming the file and the JSON path,
never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rotasat.api import cli
from rotasat.api.cli import app
from rotasat.models import Instance, Solution, load
from typer.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[2]
WEEKLY = ROOT / "instances" / "weekly-6.json"
ENGINEERS = ("alice", "bob", "carol", "dan", "erin", "frank")
WIDE = {"COLUMNS": "250"}  # no wrapping, so messages can be matched whole


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


def weekly_data() -> dict[str, Any]:
    return json.loads(WEEKLY.read_text())


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """weekly-6 solved once for the module, its Solution written under a directory to create."""
    out = tmp_path_factory.mktemp("solve") / "out" / "weekly-6.solution.json"
    return run("solve", WEEKLY, "--time-limit", "5", "-o", out), out


@pytest.fixture
def tiny_infeasible(tmp_path: Path) -> Path:
    """Two engineers on a daily primary needing db 3: ana (db 4) is on leave all week, ben has
    db 1, so no one can take any turn."""
    return write_json(
        tmp_path / "tiny-infeasible.json",
        {
            "name": "tiny-infeasible",
            "horizon": {"start": "2027-01-04", "days": 7},
            "teams": [
                {
                    "id": "db-team",
                    "timezone": "Europe/London",
                    "engineers": [
                        {
                            "id": "ana",
                            "skills": {"db": 4},
                            "unavailability": [{"start": "2027-01-01", "end": "2027-01-31"}],
                        },
                        {"id": "ben", "skills": {"db": 1}},
                    ],
                    "rotations": [
                        {
                            "id": "db-oncall",
                            "timezone": "Europe/London",
                            "pattern": {"kind": "daily"},
                            "roles": [{"id": "primary", "required_skills": {"db": 3}}],
                        }
                    ],
                }
            ],
        },
    )


# --------------------------------------------------------------------------------------------
# solve


def test_solve_prints_the_optimal_schedule_figures_and_baseline(
    solved: tuple[Result, Path],
) -> None:
    result, _ = solved
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "OPTIMAL" in out
    for engineer in ENGINEERS:
        assert engineer in out
    for heading in ("Objective terms", "Engineers", "Teams", "Optimised vs fixed-order"):
        assert heading in out
    # the fixed-order rotation puts carol on duty during her leave; the optimum breaks nothing
    assert "hard rules broken" in out
    assert "carol holds platform-oncall/2027-01-11 (secondary) but is on leave" in out
    assert "Independent check: every hard rule holds" in out
    assert "searched weekly-6" in result.stderr  # the progress summary, on stderr


def test_solve_writes_a_solution_that_check_accepts(solved: tuple[Result, Path]) -> None:
    _, path = solved
    solution = load(Solution, path)
    assert solution.status == "OPTIMAL"
    assert solution.baseline is not None and not solution.baseline.feasible
    checked = run("check", WEEKLY, path)
    assert checked.exit_code == 0, checked.output
    assert checked.stdout.startswith("OK: ")
    assert f"objective {solution.objective} recomputed" in checked.stdout


def test_solve_json_prints_the_solution_alone() -> None:
    result = run("solve", WEEKLY, "--time-limit", "5", "--json", "--quiet", "--no-baseline")
    assert result.exit_code == 0, result.output
    solution = Solution.model_validate_json(result.stdout)
    assert solution.status == "OPTIMAL"
    assert solution.baseline is None
    assert {a.engineer for a in solution.assignments} <= set(ENGINEERS)
    assert result.stderr == ""


def test_infeasible_instance_exits_1_with_the_reason(tiny_infeasible: Path) -> None:
    result = run("solve", tiny_infeasible, "--time-limit", "5")
    assert result.exit_code == 1
    assert "INFEASIBLE" in result.stdout
    assert "db-oncall primary needs 1 engineer with db level 3" in result.stdout
    assert "ana is on leave" in result.stdout
    as_json = run("solve", tiny_infeasible, "--json", "-q")
    assert as_json.exit_code == 1
    assert Solution.model_validate_json(as_json.stdout).explanation


def test_daily_rotation_prints_as_a_week_calendar(tmp_path: Path) -> None:
    """Long ids are shortened with a legend, holidays marked H, weekends in their columns."""
    instance = {
        "name": "daily-3",
        "horizon": {"start": "2027-01-04", "days": 7},
        "holidays": {"dates": ["2027-01-06"]},
        "teams": [
            {
                "id": "ops",
                "engineers": [
                    {"id": "amelia.hughes"},
                    {"id": "quinn.brown"},
                    {"id": "quinn.mueller"},
                ],
                "rotations": [
                    {
                        "id": "ops-daily",
                        "timezone": "UTC",
                        "pattern": {"kind": "daily"},
                        "roles": [{"id": "primary"}],
                    }
                ],
            }
        ],
    }
    result = run("solve", write_json(tmp_path / "daily.json", instance), "--time-limit", "5")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "ops / ops-daily: daily, hand-off 09:00 UTC" in out
    assert all(day in out for day in ("Mon", "Sat", "Sun"))
    assert "6 H" in out and "H = public holiday: 6 Jan holiday" in out
    assert "names: amelia = amelia.hughes, quinn.b = quinn.brown, quinn.m = quinn.mueller" in out


# --------------------------------------------------------------------------------------------
# validate, check, generate, schema


def test_validate_summarises_a_valid_instance() -> None:
    result = run("validate", WEEKLY)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"OK: {WEEKLY}: weekly-6: 1 team, 6 engineers, 1 rotation, 4 shifts, 28 days from "
        "2027-01-04 to 2027-01-31"
    )


def test_check_catches_an_engineer_put_on_duty_during_leave(
    solved: tuple[Result, Path], tmp_path: Path
) -> None:
    data = json.loads(solved[1].read_text())
    # carol is on leave 11-15 January: give her the primary turn starting 11 January
    turn = next(
        a for a in data["assignments"]
        if a["shift"] == "platform-oncall/2027-01-11" and a["role"] == "primary"
    )  # fmt: skip
    turn["engineer"] = "carol"
    result = run("check", WEEKLY, write_json(tmp_path / "tampered.json", data))
    assert result.exit_code == 1
    assert "FAILED" in result.stdout
    assert (
        "violation (leave): carol holds platform-oncall/2027-01-11 (primary) but is on leave "
        "(pto) 2027-01-11 to 2027-01-15" in result.stdout
    )


def test_check_catches_a_misreported_objective(
    solved: tuple[Result, Path], tmp_path: Path
) -> None:
    data = json.loads(solved[1].read_text())
    true_objective = data["objective"]
    data["objective"] = true_objective + 1
    result = run("check", WEEKLY, write_json(tmp_path / "tampered.json", data))
    assert result.exit_code == 1
    assert (
        f"mismatch: objective: reported {true_objective + 1}, recomputed {true_objective}"
        in result.stdout
    )


def test_generate_is_deterministic_and_valid(tmp_path: Path) -> None:
    args = ["generate", "--teams", "1", "--engineers-per-team", "6", "--days", "14", "--seed"]
    first, again, other = run(*args, "7"), run(*args, "7"), run(*args, "8")
    assert first.exit_code == 0, first.output
    assert first.stdout == again.stdout
    assert first.stdout != other.stdout
    written = tmp_path / "generated" / "org.json"
    assert run(*args, "7", "--start", "2027-04-05", "-o", written).exit_code == 0
    instance = load(Instance, written)
    assert instance.horizon.start.isoformat() == "2027-04-05"
    assert run("validate", written).exit_code == 0


@pytest.mark.parametrize(("flag", "field"), [([], "horizon"), (["--solution"], "status")])
def test_schema_is_json(flag: list[str], field: str) -> None:
    result = run("schema", *flag)
    assert result.exit_code == 0
    assert field in json.loads(result.stdout)["properties"]


# --------------------------------------------------------------------------------------------
# bad input: exit 2, file and path named, no traceback


def _instance_with(tmp_path: Path, change: Any) -> Path:
    data = weekly_data()
    change(data)
    return write_json(tmp_path / "broken.json", data)


def _unknown_field(d: dict[str, Any]) -> None:
    d["teams"][0]["engineers"][0]["shoe_size"] = 42


def _unknown_zone(d: dict[str, Any]) -> None:
    d["teams"][0]["engineers"][1]["timezone"] = "Europe/Londn"


def _unknown_engineer(d: dict[str, Any]) -> None:
    d["teams"][0]["rules"].append({"rule": "shifts", "max": 3, "engineers": ["zed"]})


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("missing", "missing.json: no such file"),
        ("directory", "is a directory, expected a JSON file"),
        ("malformed", "malformed.json: line 2 column 12: invalid JSON: Expecting ':' delimiter"),
        ("unknown field", "broken.json: teams[0].engineers[0].shoe_size: unknown field"),
        ("unknown zone", "broken.json: teams[0].engineers[1].timezone: unknown time zone"),
        ("unknown engineer", "broken.json: teams[0].rules[2].engineers[0]: unknown engineer 'zed'"),
        ("negative time limit", "--time-limit: Input should be greater than 0"),
        ("too many workers", "--workers: Input should be less than or equal to 64"),
        ("not a solution", "notsol.json: status: this field is required"),
        ("instance as solution", "weekly-6.json: this is an instance, expected a solution"),
        ("output is a directory", "is a directory, expected a file name to write"),
        ("bad generator size", "generate: engineers_per_team must be at least 3"),
        ("negative seed", "--seed: must be 0 or more (got -1)"),
    ],
)
def test_bad_input_exits_2_naming_file_and_path(case: str, expected: str, tmp_path: Path) -> None:
    malformed = tmp_path / "malformed.json"
    malformed.write_text('{"name": "x",\n "horizon" {"start": "2027-01-04"}}')
    notsol = write_json(tmp_path / "notsol.json", {"instance": "weekly-6", "assignments": []})
    arguments: dict[str, Callable[[], list[Any]]] = {
        "missing": lambda: ["validate", tmp_path / "missing.json"],
        "directory": lambda: ["solve", tmp_path],
        "malformed": lambda: ["solve", malformed],
        "unknown field": lambda: ["validate", _instance_with(tmp_path, _unknown_field)],
        "unknown zone": lambda: ["solve", _instance_with(tmp_path, _unknown_zone)],
        "unknown engineer": lambda: ["check", _instance_with(tmp_path, _unknown_engineer), notsol],
        "negative time limit": lambda: ["solve", WEEKLY, "--time-limit", "-1"],
        "too many workers": lambda: ["solve", WEEKLY, "--workers", "1000"],
        "not a solution": lambda: ["check", WEEKLY, notsol],
        "instance as solution": lambda: ["check", WEEKLY, WEEKLY],
        "output is a directory": lambda: ["solve", WEEKLY, "-o", tmp_path],
        "bad generator size": lambda: [
            "generate", "--teams", "1", "--engineers-per-team", "2", "--days", "7", "--seed", "1",
        ],
        "negative seed": lambda: [
            "generate", "--teams", "1", "--engineers-per-team", "3", "--days", "7", "--seed", "-1",
        ],
    }  # fmt: skip
    args = arguments[case]()
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_every_problem_gets_its_own_line(tmp_path: Path) -> None:
    def two_problems(d: dict[str, Any]) -> None:
        _unknown_field(d)
        _unknown_zone(d)

    result = run("validate", _instance_with(tmp_path, two_problems))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith(f"error: {tmp_path / 'broken.json'}: teams[0]") for line in lines)


# --------------------------------------------------------------------------------------------
# the console script itself


def test_console_script_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "rotasat"
    done = subprocess.run(
        [str(script), "solve", str(tmp_path / "nope.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"{tmp_path / 'nope.json'}: no such file" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_bug_exits_3_as_an_internal_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "solve_instance", broken)
    monkeypatch.delenv("ROTASAT_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["solve", str(WEEKLY), "--quiet"])
    assert exit_info.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: ZeroDivisionError: division by zero" in err
    assert "Traceback" not in err
