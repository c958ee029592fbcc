"""`rotasat compare` end to end on a small generated organisation: real solves, a few seconds."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from rotasat.api.cli import app
from rotasat.api.compare import Comparison
from rotasat.models.generator import document, generate
from typer.testing import CliRunner, Result

WIDE = {"COLUMNS": "250"}
PRESETS = ("round-robin", "rotating-owner", "most-qualified", "optimised")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args], env=WIDE)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two product teams of four and a dedicated support team over two weeks, 24 incidents."""
    instance = generate(2, 4, 14, seed=3, incidents=24, dedicated=True, policies="mixed",
                        zone="Europe/London")
    path = tmp_path_factory.mktemp("compare") / "small.json"
    path.write_text(json.dumps(document(instance)))
    return path


def test_compare_four_presets(small: Path, tmp_path: Path) -> None:
    table, sheet = tmp_path / "out" / "table.json", tmp_path / "table.csv"
    args = [a for p in PRESETS for a in ("--policy", p)]
    result = run("compare", small, *args, "--time-limit", "1", "-o", table, "--csv", sheet)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "policies compared, organisation" in out
    for name in PRESETS:
        assert name in out
    assert "protected sprint capacity (%)" in out and "backlog deferred" in out
    assert "Pareto set (the organisation" in out
    assert "solving synthetic-2x4x14-seed3-24inc under 4 policies" in result.stderr

    comparison = Comparison.model_validate_json(table.read_text())
    assert [p.name for p in comparison.policies] == list(PRESETS)
    assert all(p.status in ("OPTIMAL", "FEASIBLE") for p in comparison.policies)
    assert comparison.parameters.time_limit == 1
    assert comparison.pareto and set(comparison.pareto) <= set(PRESETS)
    # the engine's figures arrive: incidents counted, sprints accounted
    deferred = comparison.row("organisation", "deferred").values
    handled = comparison.row("organisation", "knowledge_spread").values
    protected = comparison.row("organisation", "protected_pct").values
    assert all(deferred[p] is not None and handled[p] is not None for p in PRESETS)
    assert all(0 < protected[p] <= 100 for p in PRESETS)  # type: ignore[operator]
    for row in comparison.rows:
        for name in row.best:
            assert row.values[name] is not None

    rows = list(csv.reader(sheet.open()))
    assert rows[0] == ["scope", "figure", "label", "unit", "better", *PRESETS, "best"]
    assert rows[-1][1] == "pareto"


def test_compare_one_team_with_a_policy_file(small: Path, tmp_path: Path) -> None:
    shield = tmp_path / "shield.json"
    shield.write_text(json.dumps({"name": "shield", "weights": {"interruption": 100}}))
    result = run("compare", small, "-p", "optimised", "-p", shield, "--team", "payments",
                 "--time-limit", "1", "-q")
    assert result.exit_code == 0, result.output
    assert "policies compared, team payments" in result.stdout
    assert "Pareto set (team payments" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["-p", "fastest"], "error: --policy: unknown policy 'fastest'"),
        (["-p", "optimised", "--team", "nobody"], "error: --team: unknown team 'nobody'"),
        (["-p", "optimised", "--time-limit", "0"], "error: --time-limit: "),
    ],
)
def test_bad_options_exit_2(small: Path, args: list[str], needle: str) -> None:
    result = run("compare", small, *args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.output


def test_a_bad_policy_file_names_its_path(small: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"interrupt": {"priorities": ["P9"]}}))
    result = run("compare", small, "-p", bad, "-o", tmp_path / "never.json")
    assert result.exit_code == 2
    assert f"error: {bad}: interrupt.priorities[0]: " in result.stderr
    assert not (tmp_path / "never.json").exists()


def test_the_policy_option_is_required(small: Path) -> None:
    result = run("compare", small)
    assert result.exit_code == 2
    assert "--policy" in result.output
