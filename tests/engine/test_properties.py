"""Property tests over random tiny teams: the engine agrees with exhaustive search.

For each random instance small enough to enumerate, every way of filling each (shift, role)
with one engineer is judged by the independent checker. An OPTIMAL verdict must match the best
feasible objective found that way, and an INFEASIBLE verdict must mean no way is feasible.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

from engine_support import solved
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rotasat.checker import evaluate
from rotasat.models import Assignment, Instance, team_shifts

DATES = ["2027-01-08", "2027-01-09", "2027-01-10"]  # Fri, Sat, Sun: weekend rules bite


@st.composite
def tiny_instances(draw: Any) -> Instance:
    n_engineers = draw(st.integers(2, 3))
    days = draw(st.integers(1, 3))
    n_roles = draw(st.integers(1, 2))
    if n_engineers ** (days * n_roles) > 300:
        days = 1
    required = draw(st.integers(1, 3))
    engineers = []
    for i in range(n_engineers):
        leave = draw(st.lists(st.sampled_from(DATES), max_size=1))
        engineers.append({
            "id": f"e{i}",
            "skills": {"db": draw(st.integers(required if i == 0 else 1, 5))},
            "unavailability": [{"start": d, "end": d} for d in leave],
            "history": {"hours": draw(st.sampled_from([0, 0, 12, 30]))},
            "preferences": draw(st.lists(st.builds(
                lambda kind, d, w: {"kind": kind, "dates": [d], "weight": w},
                st.sampled_from(["prefer", "avoid"]), st.sampled_from(DATES), st.integers(1, 3),
            ), max_size=1)),
        })
    roles = [{"id": "primary", "required_skills": {"db": required}}]
    if n_roles == 2:
        roles.append({"id": "secondary"})
    rule_choices = [
        {"rule": "shifts", "max": draw(st.integers(0, 2))},
        {"rule": "hours", "max": draw(st.sampled_from([24, 48]))},
        {"rule": "min_rest", "hours": 24},
        {"rule": "max_consecutive", "max": 1},
        {"rule": "min_consecutive", "min": 2},
        {"rule": "min_consecutive_off", "min": 2},
        {"rule": "max_weekends", "max": 0},
        {"rule": "max_holidays", "max": 0},
    ]
    rules = []
    for rule in draw(st.lists(st.sampled_from(rule_choices), max_size=2, unique_by=str)):
        if draw(st.booleans()):
            rule = {**rule, "hard": False, "weight": draw(st.integers(1, 9))}
        rules.append(rule)
    weights = {k: draw(st.integers(0, 3)) for k in
               ("fairness_spread", "fairness_deviation", "preferences", "skill")}
    return Instance.model_validate({
        "horizon": {"start": DATES[0], "days": days},
        "holidays": {"dates": [draw(st.sampled_from(DATES))]},
        "policy": {"weights": weights},
        "teams": [{
            "id": "t", "timezone": "Europe/London", "engineers": engineers, "rules": rules,
            "rotations": [{"id": "r", "timezone": "Europe/London", "pattern": {"kind": "daily"},
                           "roles": roles}],
        }],
    })


def exhaustive_best(instance: Instance) -> int | None:
    """The best objective over every complete schedule, or None if none is feasible."""
    team = instance.teams[0]
    slots = [(shift, role) for shift in team_shifts(instance, team)
             for role in team.rotations[0].roles]
    best = None
    for pick in itertools.product(team.engineers, repeat=len(slots)):
        assignments = [
            Assignment(shift=s.id, team=team.id, rotation=s.rotation, shift_type=s.shift_type,
                       role=role.id, engineer=e.id, start=s.start, end=s.end)
            for (s, role), e in zip(slots, pick, strict=True)
        ]
        judged = evaluate(instance, assignments)
        if judged.feasible and (best is None or judged.objective < best):
            best = judged.objective
    return best


EXAMPLES = int(os.environ.get("PROP_EXAMPLES", "40"))  # raise it to hunt for bugs


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_engine_matches_exhaustive_search(instance: Instance) -> None:
    solution = solved(instance, workers=1, seed=0)  # also checks figures against the checker
    best = exhaustive_best(instance)
    event(solution.status)
    if best is None:
        assert solution.status == "INFEASIBLE"
        assert solution.explanation
    else:
        assert solution.status == "OPTIMAL"
        assert solution.objective == best
