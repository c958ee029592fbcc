"""Objective terms and team figures: fairness (with history), preferences, skill, staffing.

Turn loads in the base week (UTC, default weights; see test_checker_load.py): Mon–Thu 285
points each, Fri 295, Sat 360, Sun 350.
"""

from __future__ import annotations

import pytest
from checker_support import figures, record, rota, term
from rotasat.checker import evaluate

WEEK = "alice bob carol alice bob carol alice"


def test_fairness_with_history(make):
    instance = make(
        engineers={"alice": {"history": {"hours": 10}}},
        weights={"fairness_spread": 2, "fairness_deviation": 1},
    )
    result = evaluate(instance, rota(instance, "oncall", WEEK))
    # alice: 100 history + Mon 285 + Thu 285 + Sun 350 = 1020; bob: Tue 285 + Fri 295 = 580;
    # carol: Wed 285 + Sat 360 = 645.
    assert [figures(result, e).total_load for e in ("alice", "bob", "carol")] == [102, 58, 64.5]
    assert figures(result, "alice").history_load == 10
    # spread 1020 − 580 = 440; ⌊2245 / 3⌋ = 748: deviation 272 + 168 + 103 = 543.
    assert term(result, "fairness_spread") == (440, 2, 880)
    assert term(result, "fairness_deviation") == (543, 1, 543)
    assert result.objective == 1423
    [team] = result.teams
    assert (team.engineers, team.load_min, team.load_max, team.load_spread) == (3, 58, 102, 44)
    assert team.load_mean == pytest.approx(74.8333, abs=1e-4)  # 2245 / 3 / 10
    # Gini: sorted 580, 645, 1020: Σ (2i − n − 1) x = −2·580 + 0 + 2·1020 = 880; / (3 · 2245).
    assert team.load_gini == pytest.approx(880 / 6735)


def test_fairness_group_leaves_out_who_cannot_take_a_role(make):
    instance = make(
        extra_engineers=[
            {"id": "dave", "skills": {"linux": 2}},  # below primary's linux 3
            {"id": "erin", "skills": {"linux": 5}},  # not on the rotation
        ],
        rotation={"engineers": ["alice", "bob", "carol", "dave"]},
        weights={"fairness_spread": 1},
    )
    result = evaluate(instance, rota(instance, "oncall", WEEK))
    # Group alice 920, bob 580, carol 645: spread 340 (dave and erin at 0 are not counted).
    assert term(result, "fairness_spread") == (340, 1, 340)
    assert result.teams[0].engineers == 3


def test_fairness_terms_are_zero_below_two_engineers(make):
    instance = make(
        rotation={"engineers": ["alice"]}, weights={"fairness_spread": 2, "fairness_deviation": 1}
    )
    result = evaluate(instance, rota(instance, "oncall", " ".join(["alice"] * 7)))
    assert term(result, "fairness_spread") == (0, 2, 0)
    assert term(result, "fairness_deviation") == (0, 1, 0)


def test_zero_weights_list_no_terms(tiny):
    assert evaluate(tiny, rota(tiny, "oncall", WEEK)).terms == []


def test_preferences(make):
    instance = make(
        engineers={
            "alice": {
                "preferences": [
                    {"kind": "prefer", "weekdays": ["sat", "sun"], "rotation": "oncall",
                     "weight": 3},
                    {"kind": "avoid", "dates": ["2027-01-04"], "shift_type": "turn", "weight": 2},
                    {"kind": "avoid", "rotation": "business", "weight": 50},
                ]
            },
            "bob": {"preferences": [{"kind": "prefer"}]},
        },
        rotations=[
            {
                "id": "business",
                "timezone": "UTC",
                "pattern": {"kind": "windows", "windows": [{"name": "day", "start": "10:00",
                                                           "hours": 1}]},
                "roles": [{"id": "responder", "understaff_weight": 0}],
            }
        ],
        weights={"preferences": 20},
    )
    result = evaluate(instance, rota(instance, "oncall", WEEK))
    # alice prefers the oncall turns of Sat 9 and Sun 10 (3 each), holds Sun only → 3 (the
    # business shifts those days do not match the rotation); avoids Mon 4, holds it → 2;
    # avoids business shifts, holds none → 0. bob prefers every shift of the team (1 each):
    # 7 oncall + 7 business, holds 2 → 12.
    assert figures(result, "alice").preference_cost == 5
    assert figures(result, "bob").preference_cost == 12
    assert term(result, "preferences") == (17, 20, 340)
    assert result.teams[0].preference_cost == 17


def test_skill_gap_counts_required_and_preferred_skills(make):
    instance = make(
        engineers={"alice": {"skills": {"linux": 5, "db": 2}}},
        rotation={"roles": [{"id": "primary", "required_skills": {"linux": 3},
                             "preferred_skills": ["db", "linux"]}]},
        weights={"skill": 5},
    )
    result = evaluate(instance, rota(instance, "oncall", WEEK))
    # Per turn, (5 − linux) + (5 − db), linux counted once, db 0 when absent:
    # alice 0 + 3 = 3 (× 3 turns = 9), bob 1 + 5 = 6 (× 2 = 12), carol 2 + 5 = 7 (× 2 = 14).
    assert [figures(result, e).skill_gap for e in ("alice", "bob", "carol")] == [9, 12, 14]
    assert term(result, "skill") == (35, 5, 175)
    assert result.teams[0].skill_gap == 35


def test_understaffing_and_overstaffing(make):
    role = {"id": "primary", "head_count": 2, "understaff_weight": 100, "overstaff_weight": 10,
            "max_head_count": 3}
    instance = make(rotation={"roles": [role]})
    # Two each day, except Monday with alice alone (1 missing) and Tuesday with three (1 extra).
    schedule = (
        rota(instance, "oncall", "alice alice bob alice bob carol alice")
        + rota(instance, "oncall", "- bob carol carol alice alice bob")
        + [record(instance, "oncall/2027-01-05", "carol")]
    )
    result = evaluate(instance, schedule)
    assert result.feasible
    assert term(result, "understaffing:oncall/primary") == (1, 100, 100)
    assert term(result, "overstaffing:oncall/primary") == (1, 10, 10)
    assert result.objective == 110
    assert (result.teams[0].understaffed, result.teams[0].overstaffed) == (1, 1)


def test_objective_sums_the_terms_of_every_team(two_teams, make):
    instance = make(
        teams=[t.model_dump(mode="json", exclude_none=True) for t in two_teams.teams[1:]],
        weights={"fairness_spread": 1},
        rules=[{"rule": "shifts", "max": 2, "hard": False, "weight": 1000}],
    )
    schedule = rota(instance, "oncall", WEEK) + rota(instance, "webcall", " ".join(["wendy"] * 7))
    result = evaluate(instance, schedule)
    # ops: spread 920 − 580 = 340, alice's third shift 1000. web: one engineer, spread 0.
    assert [(t.team, t.name, t.cost) for t in result.terms] == [
        ("ops", "fairness_spread", 340),
        ("ops", "rule:0:shifts", 1000),
        ("web", "fairness_spread", 0),
    ]
    assert result.objective == 1340


def test_staffing_terms_follow_each_shifts_head_count(make):
    role = {"id": "primary", "understaff_weight": 100, "overstaff_weight": 1,
            "head_counts": [{"weekdays": ["sat", "sun"], "head_count": 2}]}
    instance = make(rotation={"roles": [role]})
    # One each day: Saturday and Sunday want two (2 missing); Monday gets a second (1 extra).
    schedule = [*rota(instance, "oncall", WEEK), record(instance, "oncall/2027-01-04", "bob")]
    result = evaluate(instance, schedule)
    assert term(result, "understaffing:oncall/primary") == (2, 100, 200)
    assert term(result, "overstaffing:oncall/primary") == (1, 1, 1)
