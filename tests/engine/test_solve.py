"""solve(): parameters, determinism, independent teams, progress and the result record."""

from __future__ import annotations

from engine_support import audited, engineer, solved, team_instance
from rotasat.engine import solve
from rotasat.models import Instance, SolveParameters


def two_teams() -> Instance:
    base = team_instance([engineer("alice"), engineer("bob")], days=3,
                         weights={"fairness_spread": 1})
    team = base.teams[0]
    other = team.model_copy(update={
        "id": "u",
        "engineers": [engineer_model.model_copy(update={"id": engineer_model.id + "2"})
                      for engineer_model in team.engineers],
        "rotations": [team.rotations[0].model_copy(update={"id": "r2"})],
    })
    return Instance.model_validate({**base.model_dump(), "teams": [team.model_dump(),
                                                                   other.model_dump()]})


def test_independent_teams_add_up():
    # each team: 3 turns over 2 engineers, spread 240 (see test_objective): total 480.
    solution = solved(two_teams())
    assert solution.status == "OPTIMAL"
    assert solution.objective == 480 and solution.bound == 480 and solution.gap == 0
    assert {t.team for t in solution.terms} == {"t", "u"}
    assert {a.team for a in solution.assignments} == {"t", "u"}


def test_deterministic_mode_repeats_itself():
    instance = team_instance(
        [engineer(f"e{i}", skills={"db": 1 + i % 5}) for i in range(6)], days=14,
        roles=[{"id": "primary", "required_skills": {"db": 2}}, {"id": "secondary"}],
        rules=[{"rule": "min_rest", "hours": 24}],
        weights={"fairness_spread": 2, "fairness_deviation": 1, "skill": 5},
    )
    params = SolveParameters(time_limit=1.0, workers=2, deterministic=True, seed=3)
    first = audited(instance, solve(instance, params))
    second = audited(instance, solve(instance, params))
    assert first.objective == second.objective
    assert [a.engineer for a in first.assignments] == [a.engineer for a in second.assignments]


def test_progress_reports_improving_solutions():
    seen = []
    instance = team_instance([engineer(f"e{i}") for i in range(4)], days=7,
                             weights={"fairness_spread": 1})
    solution = audited(instance, solve(instance, SolveParameters(time_limit=5),
                                       on_progress=seen.append))
    assert seen and seen[-1].objective == solution.objective
    assert all(p.elapsed >= 0 and p.teams == 1 for p in seen)


def test_stop_request_keeps_the_best_schedule():
    instance = team_instance([engineer(f"e{i}") for i in range(6)], days=28,
                             rules=[{"rule": "min_rest", "hours": 24}],
                             weights={"fairness_spread": 1, "fairness_deviation": 1})
    solution = audited(instance, solve(instance, SolveParameters(time_limit=30),
                                       should_stop=lambda: True))
    assert solution.status in ("FEASIBLE", "OPTIMAL")
    assert solution.wall_time < 10
    assert len(solution.assignments) == 28


def test_result_records_are_iso_with_offset():
    solution = solved(team_instance([engineer("alice")], days=1, zone="America/New_York"))
    record = solution.model_dump(mode="json")["assignments"][0]
    assert record["start"] == "2027-01-04T09:00:00-05:00"
    assert record["end"] == "2027-01-05T09:00:00-05:00"
    assert set(record) >= {"shift", "start", "end", "role", "engineer"}


def test_rule_clash_is_named():
    # two engineers, three turns, each may hold one: coverage needs three.
    instance = team_instance([engineer("alice"), engineer("bob")], days=3,
                             rules=[{"rule": "shifts", "max": 1, "id": "one each"}])
    solution = solved(instance)
    assert solution.status == "INFEASIBLE"
    text = "\n".join(solution.explanation)
    assert "rule 0 (one each) for alice" in text and "rule 0 (one each) for bob" in text
    assert "needs 1 engineer" in text
