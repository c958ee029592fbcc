"""check_solution: a solve's reported objective and terms held against the recomputation."""

from __future__ import annotations

import subprocess
import sys
import time

from checker_support import build, rota
from rotasat.checker import CheckResult, check_solution, evaluate
from rotasat.models import Assignment, ObjectiveTerm, Solution, team_shifts

WEEK = "alice bob carol alice bob carol alice"


def fair_instance():
    # As in test_checker_objective: spread 440 × 2 = 880, deviation 543 × 1 → objective 1423.
    return build(
        engineers={"alice": {"history": {"hours": 10}}},
        weights={"fairness_spread": 2, "fairness_deviation": 1},
    )


def solution(instance, objective, terms, status="OPTIMAL", assignments=None) -> Solution:
    return Solution(
        instance=instance.name,
        status=status,
        objective=objective,
        terms=terms,
        wall_time=0.1,
        assignments=rota(instance, "oncall", WEEK) if assignments is None else assignments,
    )


def spread(value, weight=2):
    return ObjectiveTerm(name="fairness_spread", team="ops", value=value, weight=weight,
                         cost=value * weight)


DEVIATION = ObjectiveTerm(name="fairness_deviation", team="ops", value=543, weight=1, cost=543)


def test_a_faithful_solution_is_ok():
    instance = fair_instance()
    result = check_solution(instance, solution(instance, 1423, [spread(440), DEVIATION]))
    assert isinstance(result, CheckResult)
    assert (result.ok, result.mismatches) == (True, [])
    assert result.evaluation.objective == 1423


def test_a_wrong_objective_and_term_are_named():
    instance = fair_instance()
    result = check_solution(instance, solution(instance, 1425, [spread(441), DEVIATION]))
    assert not result.ok
    assert result.mismatches == [
        "objective: reported 1425, recomputed 1423",
        "term ops/fairness_spread: reported value 441 × weight 2 = 882, recomputed value 440 × "
        "weight 2 = 880",
    ]


def test_missing_and_unknown_terms_are_named():
    instance = fair_instance()
    extra = ObjectiveTerm(name="skill", team="ops", value=0, weight=5, cost=0)
    result = check_solution(instance, solution(instance, 1423, [spread(440), extra]))
    assert result.mismatches == [
        "term ops/skill: reported (cost 0) but not recomputed",
        "term ops/fairness_deviation: recomputed (cost 543) but not reported",
    ]


def test_without_an_objective_only_the_schedule_is_judged():
    instance = fair_instance()
    infeasible = solution(instance, None, [], status="INFEASIBLE", assignments=[])
    result = check_solution(instance, infeasible)
    assert result.mismatches == []
    assert not result.ok  # an empty schedule leaves every turn without its primary
    assert len(result.evaluation.violations) == 7


def test_an_infeasible_schedule_is_not_ok_even_when_the_figures_agree():
    instance = fair_instance()
    schedule = rota(instance, "oncall", "alice bob carol alice bob carol -")
    reported = evaluate(instance, schedule)
    result = check_solution(
        instance, solution(instance, reported.objective, reported.terms, assignments=schedule)
    )
    assert result.mismatches == []
    assert not result.ok


def test_the_checker_imports_neither_ortools_nor_the_engine():
    code = (
        "import sys, rotasat.checker\n"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'ortools'"
        " or m.startswith('rotasat.engine')]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_organisation_quarter_is_checked_in_seconds():
    # 50 teams × 10 engineers × 91 days, daily primary and secondary: 9,100 records.
    teams = [
        {
            "id": f"t{t}",
            "timezone": ("Europe/London", "America/New_York", "Asia/Kolkata")[t % 3],
            "engineers": [{"id": f"e{t}_{i}", "skills": {"linux": 4}} for i in range(10)],
            "rotations": [
                {
                    "id": f"r{t}",
                    "timezone": "Europe/London",
                    "pattern": {"kind": "daily"},
                    "roles": [{"id": "primary", "required_skills": {"linux": 3}},
                              {"id": "secondary"}],
                }
            ],
            "rules": [{"rule": "min_rest", "hours": 24},
                      {"rule": "max_weekends", "max": 3, "hard": False}],
        }
        for t in range(50)
    ]
    instance = build(horizon={"start": "2027-01-04", "days": 91}, teams=teams)
    records = []
    for team in instance.teams[1:]:
        for k, shift in enumerate(team_shifts(instance, team)):
            for j, role in enumerate(("primary", "secondary")):
                engineer = team.engineers[(2 * k + j) % 10]  # each engineer every fifth day
                records.append(
                    Assignment(shift=shift.id, team=team.id, rotation=shift.rotation,
                               shift_type=shift.shift_type, role=role, engineer=engineer.id,
                               start=shift.start, end=shift.end)
                )
    assert len(records) == 9100
    began = time.perf_counter()
    result = evaluate(instance, records)
    elapsed = time.perf_counter() - began
    # Only the base team "ops" is left unstaffed (its 91 turns); the 50 teams are clean.
    assert {(v.team, v.rule) for v in result.violations} == {("ops", "coverage")}
    assert len(result.violations) == 91
    assert elapsed < 5, f"{elapsed:.1f} s"
