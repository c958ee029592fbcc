"""`rotasat retro PLAN.json ACTUALS.csv`, driven as a user would: the report, the policy fragment,
rows left out on stderr with their line, and bad input of every kind exiting 2 with the file,
the line where there is one, and the reason, never a traceback."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest
from retro_support import csv_text, plan, team_figures
from rotasat.api import cli
from rotasat.api.cli import app
from rotasat.api.retro import WINDOW, RetroReport
from typer.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[2]
PLAN = ROOT / "instances" / "retro" / "plan.json"
ACTUALS = ROOT / "instances" / "retro" / "actuals.csv"
WEEKLY = ROOT / "instances" / "weekly-6.json"
WIDE = {"COLUMNS": "250"}


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, ["retro", *(str(a) for a in args)], env=WIDE)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_report_shows_planned_against_actual_and_the_policy_fragment() -> None:
    result = run(PLAN, ACTUALS)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "42 of 42 rows used" in out
    assert "payments: support planned against actual" in out
    # payments sprint 4: 320 h capacity, 64 h reserve (20%), planned 34 h, actual 112 h = 35%
    assert any(
        line.split() == ["sprint", "4", "2027-02-15", "4", "320.0", "64.0", "(20%)", "34.0",
                         "112.0", "35.0%", "+48.0"]
        for line in out.splitlines()
    )
    assert "Next sprint's reserve for payments: 26% (planned 20%, +6 points)" in out
    assert "sorted 18.0 21.0 23.0 24.0 26.0 35.0 (%), rank 0.8 x (6 - 1) = 4" in out
    assert 'policy: {"reserve": 0.26}' in out
    assert "Next sprint's reserve for search: 14% (planned 25%, -11 points)" in out
    assert 'policy: {"reserve": 0.14}' in out
    assert "Statistic: the 80th percentile" in out and "Why: about four sprints in five" in out
    assert result.stderr == ""


def test_derivation_between_two_ranks() -> None:
    result = run(PLAN, ACTUALS, "--window", "5", "--team", "payments")
    assert result.exit_code == 0, result.output
    # sprints 2 to 6: sorted 21 23 24 26 35, rank 0.8 x 4 = 3.2 between 26 and 35
    assert "sorted 21.0 23.0 24.0 26.0 35.0 (%), rank 0.8 x (5 - 1) = 3.2 counting from 0\n" \
        "  26.0 + 0.2 x (35.0 - 26.0) = 27.8%, rounded to 28%\n" in result.stdout


def test_json_report_for_one_team() -> None:
    result = run(PLAN, ACTUALS, "--json", "--team", "search", "--window", "3")
    assert result.exit_code == 0, result.output
    report = RetroReport.model_validate_json(result.stdout)
    (team,) = report.teams
    assert team.team == "search" and report.window == 3
    # last three: 14 11 13 -> sorted 11 13 14, rank 0.8 x 2 = 1.6: 13 + 0.6 x 1 = 13.6 -> 14%
    assert team.recommendation is not None
    assert (team.recommendation.value_pct, team.recommendation.policy) == (
        13.6, {"reserve": 0.14}
    )


def test_rows_left_out_are_listed_on_stderr_and_the_report_goes_on(tmp_path: Path) -> None:
    lines = ACTUALS.read_text().splitlines()
    lines[2] = "payments,bobb,2027-01-04,14.4"
    lines[5] = "payments,alice,2027-01-18,-3"
    actuals = write(tmp_path / "actuals.csv", "\n".join(lines) + "\n")
    result = run(PLAN, actuals)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {actuals}: line 3: unknown engineer 'bobb': not in the plan "
        "(did you mean 'bob'?): row left out",
        f"warning: {actuals}: line 6: hours -3 is negative: expected 0 or more: row left out",
    ]
    assert "40 of 42 rows used" in result.stdout
    assert f"2 rows of {actuals} left out (listed on stderr)" in result.stdout
    assert "2 rows of the actuals left out" in result.stdout


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    nosprints = plan(team_figures("payments", ["alice"], 1)).model_copy(update={"sprints": []})
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"engineer,sprint,hours\nalice,\xff,1\n")
    return {
        "missing": tmp_path / "missing.csv",
        "dir": tmp_path,
        "binary": binary,
        "empty": write(tmp_path / "empty.csv", ""),
        "columns": write(tmp_path / "columns.csv", "engineer,week,spent\nalice,1,2\n"),
        "all bad": write(tmp_path / "bad.csv", csv_text("zed,2027-01-04,2", "alice,x,1")),
        "malformed": write(tmp_path / "malformed.json", '{"instance": "x",\n "status" }'),
        "not a solution": write(tmp_path / "notsol.json", '{"instance": "x", "assignments": []}'),
        "no sprints": write(tmp_path / "nosprints.json", nosprints.model_dump_json()),
    }


@pytest.mark.parametrize(
    ("case", "args", "expected"),
    [
        ("plan missing", ["{missing}.json", ACTUALS], "{missing}.json: no such file"),
        ("plan malformed", ["{malformed}", ACTUALS],
         "{malformed}: line 2 column 11: invalid JSON"),
        ("plan is an instance", [WEEKLY, ACTUALS],
         f"{WEEKLY}: this is an instance, expected a solution"),
        ("plan not a solution", ["{not a solution}", ACTUALS],
         "{not a solution}: status: this field is required"),
        ("plan without sprints", ["{no sprints}", ACTUALS],
         "{no sprints}: the plan has no sprint figures"),
        ("actuals missing", [PLAN, "{missing}"], "{missing}: no such file"),
        ("actuals a directory", [PLAN, "{dir}"], "{dir}: is a directory, expected a CSV file"),
        ("actuals not UTF-8", [PLAN, "{binary}"], "{binary}: not UTF-8 text"),
        ("actuals empty", [PLAN, "{empty}"], "{empty}: empty: expected a header line"),
        ("missing columns", [PLAN, "{columns}"],
         "{columns}: line 1: missing columns 'sprint', 'hours': expected engineer, sprint, hours"),
        ("no usable row", [PLAN, "{all bad}"],
         "{all bad}: line 2: unknown engineer 'zed': not in the plan: row left out"),
        ("unknown team", [PLAN, ACTUALS, "--team", "ops"],
         f"--team: unknown team 'ops': {PLAN} has payments, search"),
        ("window 0", [PLAN, ACTUALS, "--window", "0"], "--window: must be 1 or more (got 0)"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_file_line_and_reason(
    case: str, args: list[str | Path], expected: str, files: dict[str, Path]
) -> None:
    names = {k: str(v) for k, v in files.items()}
    result = run(*(a.format(**names) if isinstance(a, str) else a for a in args))
    assert result.exit_code == 2, result.output
    assert f"error: {expected.format(**names)}" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_no_usable_row_lists_every_row_then_says_so(files: dict[str, Path]) -> None:
    result = run(PLAN, files["all bad"])
    bad = files["all bad"]
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"error: {bad}: line 2: unknown engineer 'zed': not in the plan: row left out",
        f"error: {bad}: line 3: unknown sprint 'x' for alice: expected a sprint label of the "
        "plan such as 'sprint 1 (2027-01-04 to 2027-01-17)' (or 'sprint 1'), or its start date "
        "such as 2027-01-04: row left out",
        f"error: {bad}: no usable rows: nothing to compare with the plan",
    ]


def test_console_script_exits_2_without_traceback(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "rotasat"
    columns = write(tmp_path / "a.csv", "engineer,hours\n")
    done = subprocess.run(
        [str(script), "retro", str(PLAN), str(columns)], capture_output=True, text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert f"{columns}: line 1: missing column 'sprint'" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_window_default_is_the_module_default() -> None:
    assert inspect.signature(cli.retro).parameters["window"].default == WINDOW
