"""The retrospective's pure functions: reading actuals, joining them with a plan, the statistic.

Plans are built from sprint figures directly (retro_support), so every share below can be worked
out by hand: engineers have 80 h of capacity per sprint unless said otherwise, and a reserve of
20%.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from retro_support import csv_text, figure, plan, sprint_label, sprint_start, team_figures
from rotasat.api.retro import (
    WINDOW,
    Actuals,
    RetroReport,
    parse_actuals,
    percentile,
    read_actuals,
    retrospective,
    whole_percent,
)
from rotasat.models import InputError, Solution, load

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "instances" / "retro"

# Two payments engineers (160 h a sprint) over five sprints whose team shares are, in order,
# 15%, 22%, 18%, 30% and 20% of capacity: 24, 35.2, 28.8, 48 and 32 hours, split unevenly.
SHARES = [15, 22, 18, 30, 20]
PAIR = plan(team_figures("payments", ["alice", "bob"], 5))
PAIR_ROWS = [
    f"{engineer},{sprint_start(n)},{hours:g}"
    for n, total in enumerate([24, 35.2, 28.8, 48, 32], 1)
    for engineer, hours in (("alice", round(total * 0.75, 2)), ("bob", round(total * 0.25, 2)))
]


def report(solution: Solution, *rows: str, header: str = "engineer,sprint,hours",
           team: str | None = None, window: int = WINDOW) -> RetroReport:
    actuals = parse_actuals(csv_text(*rows, header=header), "actuals.csv")
    return retrospective(solution, actuals, team=team, window=window, plan_source="plan.json")


def problems(result: RetroReport) -> list[tuple[int, str]]:
    return [(p.line, p.problem) for p in result.problems]


def raises(call: object, *args: object, **kwargs: object) -> list[str]:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    return info.value.messages


# --------------------------------------------------------------------------------------------
# The statistic


def test_80th_percentile_of_five_shares_by_hand() -> None:
    # sorted: 15 18 20 22 30; rank h = 0.8 x (5 - 1) = 3.2, counting from 0, lies between
    # x[3] = 22 and x[4] = 30: 22 + 0.2 x (30 - 22) = 23.6, rounded half up to 24%.
    assert percentile([15, 22, 18, 30, 20]) == pytest.approx(23.6)
    assert whole_percent(23.6) == 24


def test_over_six_sprints_one_bad_sprint_does_not_set_it() -> None:
    # h = 0.8 x 5 = 4 exactly (integer arithmetic): x[4], the second-highest of
    # 18 21 23 24 26 35; the storm of 35% is not the reserve.
    assert percentile([18, 24, 21, 35, 23, 26]) == 26
    assert percentile([18, 24, 21, 99, 23, 26]) == 26


def test_percentile_matches_numpy_linear_method() -> None:
    rng = random.Random(7)
    for _ in range(200):
        values = [round(rng.uniform(0, 60), 2) for _ in range(rng.randint(1, 12))]
        assert percentile(values) == pytest.approx(float(np.percentile(values, 80)))


def test_rounding_is_half_up_to_a_whole_percent() -> None:
    assert [whole_percent(v) for v in (22.5, 23.5, 23.49, 0.4, 0.5)] == [23, 24, 23, 0, 1]


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        percentile([])


# --------------------------------------------------------------------------------------------
# Planned against actual, and the recommendation


def test_recommendation_from_five_sprints() -> None:
    result = report(PAIR, *PAIR_ROWS)
    assert result.problems == [] and result.used_rows == result.rows == 10
    (team,) = result.teams
    assert [s.actual_pct for s in team.sprints] == SHARES
    r = team.recommendation
    assert r is not None
    assert r.sprints == [sprint_label(n) for n in range(1, 6)]
    assert (r.value_pct, r.reserve_pct, r.reserve) == (23.6, 24, 0.24)
    assert r.policy == {"reserve": 0.24}
    assert r.planned_reserve_pct == 20
    assert "80th percentile" in r.statistic and "last 6 sprints" in r.statistic
    assert r.notes == ["5 sprints with actuals, fewer than the window of 6"]


def test_team_figures_per_sprint() -> None:
    first = report(PAIR, *PAIR_ROWS).teams[0].sprints[0]
    # two engineers: 160 h capacity, 32 h reserve, planned 2 x (8 duty + 4 incident) = 24 h;
    # actual 24 h = 15% of capacity, 8 h under the reserve.
    assert (first.capacity_hours, first.reserve_hours, first.planned_hours) == (160, 32, 24)
    assert (first.actual_hours, first.actual_pct, first.over_reserve_hours) == (24, 15, -8)
    assert (first.engineers, first.recorded, first.counted) == (2, 2, True)


def test_window_takes_the_last_sprints() -> None:
    # the last three: 18 30 20 -> sorted 18 20 30, h = 0.8 x 2 = 1.6: 20 + 0.6 x 10 = 26.
    r = report(PAIR, *PAIR_ROWS, window=3).teams[0].recommendation
    assert r is not None
    assert r.sprints == [sprint_label(n) for n in (3, 4, 5)]
    assert (r.value_pct, r.reserve) == (26, 0.26)
    assert r.notes == []


def test_one_sprint_is_its_own_share() -> None:
    r = report(PAIR, "alice,sprint 1,20", "bob,sprint 1,8").teams[0].recommendation
    # 28 h of 160 h = 17.5%, rounded half up to 18%
    assert r is not None
    assert (r.shares_pct, r.value_pct, r.reserve_pct) == ([17.5], 17.5, 18)
    assert r.notes[0].startswith("one sprint only")


def test_engineer_without_actuals_is_left_out_not_counted_as_zero() -> None:
    result = report(PAIR, "alice,sprint 1,20", "alice,sprint 2,10", "bob,sprint 2,30")
    sprint1, sprint2 = result.teams[0].sprints[:2]
    # sprint 1 counts alice alone: 20 h of her 80 h = 25% (not 20 h of 160 h = 12.5%)
    assert (sprint1.recorded, sprint1.capacity_hours, sprint1.actual_pct) == (1, 80, 25)
    assert (sprint2.recorded, sprint2.actual_pct) == (2, 25)
    bob1 = next(e for e in result.teams[0].engineers if e.engineer == "bob")
    assert (bob1.actual_hours, bob1.actual_pct, bob1.lines) == (None, None, [])
    assert any("sprint 1: no actuals for bob" in n for n in result.notes)
    assert any("no actuals for sprint 3, sprint 4, sprint 5: not counted" in n
               for n in result.notes)
    assert result.teams[0].recommendation is not None
    assert result.teams[0].recommendation.shares_pct == [25, 25]


def test_an_engineer_with_no_actuals_at_all() -> None:
    rows = [r for r in PAIR_ROWS if r.startswith("alice")]
    team = report(PAIR, *rows).teams[0]
    assert all(e.actual_hours is None for e in team.engineers if e.engineer == "bob")
    assert all(s.recorded == 1 and s.capacity_hours == 80 for s in team.sprints)
    # alice took 75% of each sprint's hours: 18, 26.4, 21.6, 36 and 24 h of her 80 h
    assert [s.actual_pct for s in team.sprints] == [22.5, 33, 27, 45, 30]


def test_zero_capacity() -> None:
    figures = [
        figure("alice", 1),
        figure("bob", 1, capacity=0),  # away the whole sprint
        figure("alice", 2, capacity=0),
        figure("bob", 2, capacity=0),
    ]
    result = report(plan(figures), "alice,sprint 1,16", "bob,sprint 1,4", "alice,sprint 2,0",
                    "bob,sprint 2,0")
    s1, s2 = result.teams[0].sprints
    bob = next(e for e in result.teams[0].engineers if e.engineer == "bob")
    # bob's 4 h have no capacity of his to be a share of, yet they are support the team did:
    # 20 h of 80 h = 25%
    assert (bob.actual_hours, bob.actual_pct) == (4, None)
    assert (s1.actual_pct, s1.counted) == (25, True)
    # nobody had capacity in sprint 2: no share, not counted
    assert (s2.actual_pct, s2.reserve_pct, s2.counted) == (None, None, False)
    assert any("sprint 2: no capacity" in n for n in result.notes)
    assert result.teams[0].recommendation is not None
    assert result.teams[0].recommendation.shares_pct == [25]


def test_no_counted_sprint_gives_no_recommendation() -> None:
    two = plan([*team_figures("payments", ["alice"], 1),
                figure("erin", 1, team="search", capacity=0)])
    result = report(two, "alice,sprint 1,10", "erin,sprint 1,3")
    search = next(t for t in result.teams if t.team == "search")
    assert search.recommendation is None
    assert search.no_recommendation == "no sprint with actuals and capacity"


def test_more_support_than_capacity_caps_the_reserve_at_100() -> None:
    r = report(PAIR, "alice,sprint 1,100", "bob,sprint 1,90").teams[0].recommendation
    assert r is not None
    assert (r.value_pct, r.reserve_pct, r.policy) == (118.75, 100, {"reserve": 1.0})
    assert "capped at 100%" in r.notes[0]


def test_duplicate_rows_are_added_together_and_said_so() -> None:
    result = report(PAIR, "alice,sprint 1,10", "bob,sprint 1,8", "alice,sprint 1,6")
    alice = result.teams[0].engineers[0]
    assert (alice.engineer, alice.actual_hours, alice.lines) == ("alice", 16, [2, 4])
    assert "alice, sprint 1: lines 2, 4 added together (16 h)" in result.notes


def test_team_option_keeps_one_team_and_says_what_it_left() -> None:
    two = plan(team_figures("payments", ["alice"], 2) + team_figures("search", ["erin"], 2))
    result = report(two, "alice,sprint 1,10", "erin,sprint 1,20", "erin,sprint 2,20",
                    team="search")
    assert [t.team for t in result.teams] == ["search"]
    assert result.used_rows == 2
    assert "1 row of other teams than 'search' not shown" in result.notes


def test_rows_left_out_are_flagged_on_the_recommendation() -> None:
    result = report(PAIR, *PAIR_ROWS, "carol,sprint 1,4")
    assert problems(result) == [(12, "unknown engineer 'carol': not in the plan")]
    r = result.teams[0].recommendation
    assert r is not None and "1 row of the actuals left out" in r.notes[-1]


# --------------------------------------------------------------------------------------------
# Reading the rows


def test_sprint_by_label_short_label_or_start_date() -> None:
    result = report(PAIR, f"alice,{sprint_label(1)},1", "bob,Sprint 1,2", "alice,2027-01-18,3",
                    "bob,sprint 2 ,4")
    assert result.problems == []
    assert [e.actual_hours for e in result.teams[0].engineers[:4]] == [1, 2, 3, 4]


def test_header_in_any_order_and_case_with_team_and_extra_columns() -> None:
    text = "\ufeffHours, Team ,Engineer,Sprint,Comment\n\n2.5,payments,alice,sprint 1,pager\n"
    actuals = parse_actuals(text, "a.csv")
    assert actuals.ignored_columns == ["comment"]
    assert "columns not used: comment" in retrospective(PAIR, actuals).notes
    (row,) = actuals.rows
    assert (row.line, row.engineer, row.sprint, row.hours, row.team) == (
        3, "alice", "sprint 1", 2.5, "payments"
    )


def test_semicolons_with_decimal_commas() -> None:
    actuals = parse_actuals("engineer;sprint;hours\nalice;2027-01-04;2,5\n", "a.csv")
    assert [r.hours for r in actuals.rows] == [2.5]


def test_unreadable_rows_are_reported_with_their_line() -> None:
    actuals = parse_actuals(
        csv_text("alice,sprint 1,abc", "alice,sprint 1,-2", "alice,sprint 1,nan",
                 "alice,sprint 1", ",sprint 1,", "bob,sprint 1,3", "alice,sprint 1,1,extra",
                 "bob,sprint 2,inf"),
        "a.csv",
    )
    assert [r.line for r in actuals.rows] == [7]
    assert [(p.line, p.problem) for p in actuals.problems] == [
        (2, "hours 'abc' is not a number"),
        (3, "hours -2 is negative: expected 0 or more"),
        (4, "hours 'nan' is not a number"),
        (5, "2 fields where the header has 3"),
        (6, "engineer is empty; hours is empty"),
        (8, "4 fields where the header has 3"),
        (9, "hours 'inf' is not a number"),
    ]


def test_rows_that_do_not_match_the_plan() -> None:
    two = plan(team_figures("payments", ["alice"], 2) + team_figures("search", ["erin"], 2))
    result = report(
        two,
        "payments,alice,sprint 1,1",
        "payments,alcie,sprint 1,1",
        "payments,alice,sprint 9,1",
        "payments,alice,2027-01-05,1",
        "payments,alice,2027-02-30,1",
        "search,alice,sprint 1,1",
        header="team,engineer,sprint,hours",
    )
    assert problems(result) == [
        (3, "unknown engineer 'alcie': not in the plan (did you mean 'alice'?)"),
        (4, "unknown sprint 'sprint 9' for alice: expected a sprint label of the plan such as "
            "'sprint 1 (2027-01-04 to 2027-01-17)' (or 'sprint 1'), or its start date such as "
            "2027-01-04"),
        (5, "no sprint of alice starts on 2027-01-05: they start on 2027-01-04, 2027-01-18"),
        (6, "sprint '2027-02-30' is not a valid date"),
        (7, "alice is in team 'payments' in the plan, not 'search'"),
    ]
    assert (result.rows, result.used_rows) == (6, 1)


# --------------------------------------------------------------------------------------------
# Unusable input


def test_missing_columns_are_named(tmp_path: Path) -> None:
    assert raises(parse_actuals, "Engineer,spent\nalice,3\n", "a.csv") == [
        "a.csv: line 1: missing columns 'sprint', 'hours': expected engineer, sprint, hours "
        "(team optional); the header has: engineer, spent"
    ]
    assert raises(parse_actuals, "\n\nengineer,sprint\n", "a.csv")[0].startswith(
        "a.csv: line 3: missing column 'hours'"
    )


def test_empty_file_and_doubled_column() -> None:
    assert raises(parse_actuals, " \n", "a.csv") == [
        "a.csv: empty: expected a header line 'engineer,sprint,hours' (team optional)"
    ]
    assert raises(parse_actuals, "engineer,sprint,hours,hours\n", "a.csv") == [
        "a.csv: line 1: column 'hours' appears twice"
    ]


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    assert raises(read_actuals, tmp_path / "none.csv") == [f"{tmp_path / 'none.csv'}: no such file"]
    assert raises(read_actuals, tmp_path) == [f"{tmp_path}: is a directory, expected a CSV file"]
    binary = tmp_path / "x.csv"
    binary.write_bytes(b"engineer,sprint,hours\n\xff\xfe\n")
    assert raises(read_actuals, binary) == [f"{binary}: not UTF-8 text, expected a CSV file"]


def test_no_usable_row_is_unusable_input() -> None:
    actuals = parse_actuals(csv_text("carol,sprint 1,3", "alice,sprint 1,x"), "a.csv")
    assert raises(retrospective, PAIR, actuals) == [
        "a.csv: line 2: unknown engineer 'carol': not in the plan: row left out",
        "a.csv: line 3: hours 'x' is not a number: row left out",
        "a.csv: no usable rows: nothing to compare with the plan",
    ]
    assert raises(retrospective, PAIR, Actuals(source="a.csv"), team="payments") == [
        "a.csv: no usable rows for team 'payments': nothing to compare with the plan"
    ]


def test_plan_team_and_window_problems() -> None:
    actuals = parse_actuals(csv_text(*PAIR_ROWS), "a.csv")
    bare = PAIR.model_copy(update={"sprints": []})
    assert raises(retrospective, bare, actuals, plan_source="p.json") == [
        "p.json: the plan has no sprint figures ('sprints' is empty): solve an instance whose "
        "teams have a sprint cadence"
    ]
    assert raises(retrospective, PAIR, actuals, team="ops", plan_source="p.json") == [
        "--team: unknown team 'ops': p.json has payments"
    ]
    no_sprints = PAIR.model_copy(
        update={"teams": [*PAIR.teams, PAIR.teams[0].model_copy(update={"team": "ops"})]}
    )
    assert raises(retrospective, no_sprints, actuals, team="ops", plan_source="p.json") == [
        "--team: team 'ops' has no sprints in p.json"
    ]
    assert raises(retrospective, PAIR, actuals, window=0) == [
        "--window: must be 1 or more (got 0)"
    ]


# --------------------------------------------------------------------------------------------
# The shipped example


def test_example_pair_is_consistent() -> None:
    solution = load(Solution, EXAMPLE / "plan.json")
    result = retrospective(solution, read_actuals(EXAMPLE / "actuals.csv"))
    assert result.problems == [] and result.notes == []
    assert result.used_rows == result.rows == len(solution.sprints) == 42
    payments, search = result.teams
    assert [s.actual_pct for s in payments.sprints] == [18, 24, 21, 35, 23, 26]
    assert [s.actual_pct for s in search.sprints] == [12, 15, 10, 14, 11, 13]
    assert payments.recommendation is not None and search.recommendation is not None
    # second-highest of six: 26 (the storm of 35% is not the reserve); 14 for search
    assert payments.recommendation.policy == {"reserve": 0.26}
    assert search.recommendation.policy == {"reserve": 0.14}
    assert (payments.recommendation.planned_reserve_pct,
            search.recommendation.planned_reserve_pct) == (20, 25)
