"""The comparison logic of `rotasat compare` on Solution records built by hand: figures per
scope, best marks, the Pareto set, CSV and JSON, and how policies are read and applied."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from rotasat.api.compare import (
    FIGURES,
    ORGANISATION,
    Comparison,
    PolicyChoice,
    apply,
    compare,
    pareto_lines,
    policy_choice,
    policy_file,
    preset,
    scope_figures,
    tabulate,
    to_csv,
    to_json,
)
from rotasat.models import (
    EngineerFigures,
    IncidentOutcome,
    InputError,
    Instance,
    Solution,
    SolveParameters,
    SprintFigures,
    TeamFigures,
)

# Two product teams of two, one system each, two-week sprints; 'blue' has its own policy
# (round robin, another skill weight), 'red' takes the organisation's.
INSTANCE: dict[str, Any] = {
    "name": "tiny-org",
    "horizon": {"start": "2027-01-04", "days": 14},
    "systems": [{"id": "api", "skills": ["db"]}, {"id": "web", "skills": ["frontend"]}],
    "teams": [
        {
            "id": "red",
            "timezone": "Europe/London",
            "sprints": {"first_start": "2027-01-04"},
            "systems": ["api"],
            "engineers": [{"id": "ann", "skills": {"db": 4}}, {"id": "bob", "skills": {"db": 2}}],
            "rotations": [
                {
                    "id": "red-oncall",
                    "timezone": "Europe/London",
                    "pattern": {"kind": "daily"},
                    "roles": [{"id": "primary"}],
                }
            ],
        },
        {
            "id": "blue",
            "timezone": "Europe/London",
            "sprints": {"first_start": "2027-01-04"},
            "systems": ["web"],
            "policy": {"allocation": "round_robin", "weights": {"skill": 7}},
            "engineers": [
                {"id": "cat", "skills": {"frontend": 3}},
                {"id": "dan", "skills": {"frontend": 1}},
            ],
        },
    ],
    "incidents": [
        # Tuesday 10:00, Saturday 03:00, Monday 11:00 and Wednesday 23:30, London
        {"id": "i1", "system": "api", "arrival": "2027-01-05T10:00:00Z", "effort_hours": 2,
         "priority": "P1", "sla": {"resolve_hours": 4}},
        {"id": "i2", "system": "api", "arrival": "2027-01-09T03:00:00Z", "effort_hours": 1},
        {"id": "i3", "system": "web", "arrival": "2027-01-11T11:00:00Z", "effort_hours": 3,
         "priority": "P2", "sla": {"resolve_hours": 24}},
        {"id": "i4", "system": "web", "arrival": "2027-01-13T23:30:00Z", "effort_hours": 1},
    ],
}


@pytest.fixture
def instance() -> Instance:
    return Instance.model_validate(INSTANCE)


def sprint(engineer: str, team: str, duty: float, calm: float = 0.0, urgent: float = 0.0,
           capacity: float = 80.0, reserve: float = 16.0) -> SprintFigures:
    over = max(0.0, duty + calm + urgent - reserve)
    used = min(capacity, duty + calm + urgent)
    return SprintFigures(
        engineer=engineer, team=team, sprint="sprint 1", start="2027-01-04",
        capacity_hours=capacity, reserve_hours=reserve, duty_hours=duty, incident_hours=calm,
        interrupting_hours=urgent, interruption_hours=over,
        protected_pct=round(100 * (capacity - used) / capacity, 2),
    )


def outcome(incident: str, team: str, handler: str | None, sla_met: bool | None = None,
            gap: int = 0) -> IncidentOutcome:
    return IncidentOutcome(
        incident=incident, team=team, handler=handler, deferred=handler is None,
        sla_met=sla_met, expertise_gap=gap,
    )


def team_figures(team: str, load_spread: float, load_gini: float, support_spread: float,
                 support_gini: float) -> TeamFigures:
    return TeamFigures(
        team=team, engineers=2, load_min=0, load_max=load_spread, load_spread=load_spread,
        load_mean=load_spread / 2, load_gini=load_gini, understaffed=0, overstaffed=0,
        preference_cost=0, skill_gap=0, support_spread=support_spread, support_gini=support_gini,
    )


def engineer(eid: str, team: str, weekends: int = 0, holidays: int = 0,
             night: float = 0.0) -> EngineerFigures:
    return EngineerFigures(
        engineer=eid, team=team, shifts=1, hours=24, load=24, history_load=0, total_load=24,
        weekends=weekends, holidays=holidays, night_hours=night, preference_cost=0, skill_gap=0,
    )


def solution(
    objective: int = 100,
    *,
    status: str = "FEASIBLE",
    sprints: list[SprintFigures] | None = None,
    incidents: list[IncidentOutcome] | None = None,
    teams: list[TeamFigures] | None = None,
    engineers: list[EngineerFigures] | None = None,
) -> Solution:
    return Solution(
        instance="tiny-org", status=status, objective=objective, bound=objective * 0.9,
        gap=0.1, wall_time=1.23,
        sprints=sprints if sprints is not None else [
            sprint("ann", "red", 10), sprint("bob", "red", 8),
            sprint("cat", "blue", 4), sprint("dan", "blue", 4),
        ],
        incidents=incidents if incidents is not None else [
            outcome("i1", "red", "ann", True), outcome("i2", "red", "ann"),
            outcome("i3", "blue", "cat", True), outcome("i4", "blue", "dan"),
        ],
        teams=teams if teams is not None else [
            team_figures("red", 10, 0.1, 4, 0.2), team_figures("blue", 2, 0.05, 1, 0.1)
        ],
        engineers=engineers if engineers is not None else [
            engineer("ann", "red", 1, 0, 9), engineer("bob", "red", 2, 1, 18),
            engineer("cat", "blue"), engineer("dan", "blue"),
        ],
    )


# --------------------------------------------------------------------------------------------
# Figures


def test_figures_of_the_organisation_and_of_a_team(instance: Instance) -> None:
    s = solution(
        sprints=[
            sprint("ann", "red", 10, calm=1, urgent=9),  # 20 h against a 16 h reserve
            sprint("bob", "red", 8),
            sprint("cat", "blue", 4, calm=3),
            sprint("dan", "blue", 4, calm=1),
        ],
        incidents=[
            outcome("i1", "red", "ann", True, gap=0), outcome("i2", "red", "ann", gap=2),
            outcome("i3", "blue", None, False), outcome("i4", "blue", "dan", gap=2),
        ],
    )
    org = scope_figures(instance, s, None)
    assert org["support_hours"] == 10 + 1 + 9 + 8 + 4 + 3 + 4 + 1
    assert org["reserve_hours"] == 64
    assert org["reserve_used_pct"] == round(100 * 40 / 64, 1)
    assert org["protected_pct"] == round(100 * (60 + 72 + 73 + 75) / 320, 1)
    assert (org["interruption_hours"], org["interruptions"]) == (4, 1)
    assert (org["sla_met"], org["sla_missed"], org["deferred"]) == (1, 1, 1)
    assert org["expertise_gap"] == 4
    # api: ann alone; web: dan alone (i3 waits) -> 1 engineer per system
    assert org["knowledge_spread"] == 1
    assert (org["load_spread"], org["load_gini"]) == (10, 0.1)  # the worst team
    assert (org["support_spread"], org["support_gini"]) == (4, 0.2)
    assert (org["weekend_burden"], org["holiday_burden"], org["night_burden"]) == (2, 1, 18)
    # ann: i1 in hours, i2 on a Saturday night; dan: i4 at 23:30
    assert org["out_of_hours"] == 1
    assert (org["status"], org["objective"], org["gap"], org["wall_time"]) == (
        "FEASIBLE", 100, 10.0, 1.2
    )

    blue = scope_figures(instance, s, "blue")
    assert blue["support_hours"] == 12 and blue["interruptions"] == 0
    assert (blue["sla_met"], blue["sla_missed"], blue["deferred"]) == (0, 1, 1)
    assert blue["expertise_gap"] == 2
    assert (blue["load_spread"], blue["support_gini"]) == (2, 0.1)
    assert (blue["weekend_burden"], blue["night_burden"]) == (0, 0)
    assert blue["out_of_hours"] == 1


def test_knowledge_spread_counts_distinct_handlers(instance: Instance) -> None:
    s = solution(incidents=[
        outcome("i1", "red", "ann"), outcome("i2", "red", "bob"),
        outcome("i3", "blue", "cat"), outcome("i4", "blue", "cat"),
    ])
    assert scope_figures(instance, s, None)["knowledge_spread"] == 1.5
    assert scope_figures(instance, s, "red")["knowledge_spread"] == 2


def test_no_schedule_no_figures(instance: Instance) -> None:
    s = solution(status="INFEASIBLE", sprints=[], incidents=[], teams=[], engineers=[])
    s = s.model_copy(update={"objective": None, "bound": None, "gap": None})
    values = scope_figures(instance, s, None)
    assert values["status"] == "INFEASIBLE"
    assert all(values[f.key] is None for f in FIGURES if f.key not in ("status", "wall_time"))


def test_without_sprints_the_sprint_figures_are_blank(instance: Instance) -> None:
    values = scope_figures(instance, solution(sprints=[]), None)
    assert values["protected_pct"] is None and values["support_hours"] is None
    assert values["sla_met"] == 2


# --------------------------------------------------------------------------------------------
# Best marks and the Pareto set


def choice(name: str) -> PolicyChoice:
    return PolicyChoice(name=name, allocation="optimised")


def test_best_marks_follow_the_direction_and_ties_share(instance: Instance) -> None:
    calm = solution(90, incidents=[
        outcome("i1", "red", "ann", True), outcome("i2", "red", None),
        outcome("i3", "blue", "cat", True), outcome("i4", "blue", None),
    ])
    busy = solution(120, sprints=[
        sprint("ann", "red", 10, calm=1, urgent=9), sprint("bob", "red", 8),
        sprint("cat", "blue", 4), sprint("dan", "blue", 4),
    ])
    table = tabulate(instance, [(choice("calm"), calm), (choice("busy"), busy)])
    org = {r.figure: r for r in table.rows if r.scope == ORGANISATION}
    assert org["objective"].best == ["calm"]  # lower is better
    assert org["protected_pct"].best == ["calm"]  # higher is better
    assert org["interruption_hours"].values == {"calm": 0, "busy": 4}
    assert org["interruption_hours"].best == ["calm"]
    assert org["deferred"].best == ["busy"]
    assert org["sla_met"].best == ["calm", "busy"]  # a tie: both marked
    assert org["status"].best == [] and org["support_hours"].best == []  # not ranked
    assert org["bound"].best == []


def test_pareto_set_keeps_trade_offs_and_drops_the_dominated(instance: Instance) -> None:
    base = solution(100)
    # worse on interruption and no better anywhere: dominated by base
    worse = solution(150, sprints=[
        sprint("ann", "red", 10, urgent=10), sprint("bob", "red", 8),
        sprint("cat", "blue", 4), sprint("dan", "blue", 4),
    ])
    # defers i2 (worse) and so protects more of ann's sprint (better): a trade-off
    trade = solution(90, incidents=[
        outcome("i1", "red", "ann", True), outcome("i2", "red", None),
        outcome("i3", "blue", "cat", True), outcome("i4", "blue", "dan"),
    ], sprints=[
        sprint("ann", "red", 9), sprint("bob", "red", 8),
        sprint("cat", "blue", 4), sprint("dan", "blue", 4),
    ])
    failed = solution(status="UNKNOWN", sprints=[], incidents=[], teams=[], engineers=[])
    runs = [(choice("base"), base), (choice("worse"), worse), (choice("trade"), trade),
            (choice("failed"), failed)]
    table = tabulate(instance, runs)
    assert table.pareto == ["base", "trade"]
    assert table.dominated_by == {"worse": ["base"]}
    assert table.pareto_scope == ORGANISATION
    lines = pareto_lines(table)
    assert lines[0].endswith("base, trade")
    assert "  worse is dominated by base" in lines
    assert "  failed: no schedule (UNKNOWN), not compared" in lines
    # the objective is marked but does not decide the Pareto set: 'trade' has the best one
    assert table.row(ORGANISATION, "objective").best == ["trade"]


def test_identical_results_are_all_in_the_pareto_set(instance: Instance) -> None:
    table = tabulate(instance, [(choice("a"), solution()), (choice("b"), solution(500))])
    assert table.pareto == ["a", "b"]  # the objective alone does not dominate


def test_with_a_team_the_pareto_set_is_the_teams(instance: Instance) -> None:
    # better for red, worse for blue than 'other'
    red_first = solution(sprints=[
        sprint("ann", "red", 4), sprint("bob", "red", 4),
        sprint("cat", "blue", 10, urgent=10), sprint("dan", "blue", 4),
    ])
    other = solution()
    table = tabulate(instance, [(choice("red-first"), red_first), (choice("other"), other)],
                     team="red")
    assert table.scopes == [ORGANISATION, "red"]
    assert table.pareto_scope == "red"
    assert table.pareto == ["red-first"]
    assert table.row("red", "protected_pct").best == ["red-first"]
    assert table.row(ORGANISATION, "interruption_hours").best == ["other"]


def test_duplicate_names_are_numbered(instance: Instance) -> None:
    table = tabulate(instance, [(choice("x"), solution()), (choice("x"), solution())])
    assert [p.name for p in table.policies] == ["x", "x#2"]


# --------------------------------------------------------------------------------------------
# CSV and JSON


def test_csv_has_a_row_per_figure_and_scope_and_the_pareto_row(instance: Instance) -> None:
    table = tabulate(instance, [(choice("a"), solution(90)), (choice("b"), solution(120))],
                     team="blue")
    rows = list(csv.reader(io.StringIO(to_csv(table))))
    assert rows[0] == ["scope", "figure", "label", "unit", "better", "a", "b", "best"]
    assert len(rows) == 1 + 2 * len(FIGURES) + 1
    objective = next(r for r in rows if r[:2] == [ORGANISATION, "objective"])
    assert objective == [ORGANISATION, "objective", "objective", "", "lower", "90", "120", "a"]
    status = next(r for r in rows if r[:2] == ["blue", "status"])
    assert status[4:] == ["", "FEASIBLE", "FEASIBLE", ""]
    assert rows[-1][:2] == ["blue", "pareto"]
    assert rows[-1][5:] == ["yes", "yes", "a; b"]


def test_json_loads_back(instance: Instance) -> None:
    table = tabulate(instance, [(choice("a"), solution(90)), (choice("b"), solution(120))],
                     SolveParameters(time_limit=3))
    again = Comparison.model_validate_json(to_json(table))
    assert again == table
    data = json.loads(to_json(table))
    assert data["parameters"]["time_limit"] == 3
    assert {f["key"]: f["better"] for f in data["figures"]}["protected_pct"] == "higher"


# --------------------------------------------------------------------------------------------
# Policies: presets, files, applying them


def test_presets_and_their_spellings() -> None:
    assert preset("round-robin").allocation == "round_robin"
    assert policy_choice("most_qualified").name == "most-qualified"
    assert policy_choice("Optimized").allocation == "optimised"
    with pytest.raises(InputError, match="unknown policy 'fastest'"):
        policy_choice("fastest")


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def test_a_policy_file_is_named_and_validated(tmp_path: Path) -> None:
    good = policy_file(write(tmp_path / "shield.json", {"weights": {"interruption": 50}}))
    assert (good.name, good.policy, good.allocation) == (
        "shield", {"weights": {"interruption": 50}}, None
    )
    named = policy_choice(str(write(tmp_path / "p.json", {"name": "calm", "reserve": 0.3})))
    assert named.name == "calm"

    bad = write(tmp_path / "bad.json", {"weights": {"skil": 2}, "allocation": "lottery",
                                         "reserve": 2})
    with pytest.raises(InputError) as caught:
        policy_file(bad)
    messages = caught.value.messages
    assert any(m.startswith(f"{bad}: weights.skil: unknown field") for m in messages)
    assert any(m.startswith(f"{bad}: allocation: ") and "lottery" in m for m in messages)
    assert any(m.startswith(f"{bad}: reserve: ") for m in messages)
    with pytest.raises(InputError, match="expected a JSON object of Policy fields"):
        policy_file(write(tmp_path / "list.json", ["round_robin"]))
    with pytest.raises(InputError, match="no such file"):
        policy_choice(str(tmp_path / "missing.json"))


def test_apply_sets_every_teams_policy_or_one(instance: Instance) -> None:
    everyone = apply(instance, preset("most-qualified"))
    assert [everyone.policy_of(t).allocation for t in everyone.teams] == ["most_qualified"] * 2
    # blue keeps its own weights; red gets the organisation's
    assert everyone.policy_of(everyone.team("blue")).weights.skill == 7

    shield = PolicyChoice(name="shield", policy={"weights": {"interruption": 50}})
    only_blue = apply(instance, shield, team="blue")
    blue, red = only_blue.policy_of(only_blue.team("blue")), only_blue.policy_of(
        only_blue.team("red")
    )
    assert (blue.weights.interruption, blue.weights.skill, blue.allocation) == (
        50, 7, "round_robin"
    )
    assert red == instance.policy_of(instance.team("red"))
    with pytest.raises(InputError, match="--team: unknown team 'green'"):
        apply(instance, shield, team="green")


def test_a_policy_the_instance_cannot_take_names_file_and_path(
    instance: Instance, tmp_path: Path
) -> None:
    path = write(tmp_path / "tiered.json", {"support_model": "tiered"})
    with pytest.raises(InputError) as caught:
        apply(instance, policy_file(path))
    assert caught.value.messages[0].startswith(
        f"{path}: teams[0].policy.support_model: support model 'tiered' (team 'red') needs a "
        "team of kind 'dedicated'"
    )


def test_compare_solves_each_variant_with_the_same_parameters(instance: Instance) -> None:
    seen: list[tuple[list[str], SolveParameters]] = []

    def fake(variant: Instance, params: SolveParameters) -> Solution:
        seen.append(([variant.policy_of(t).allocation for t in variant.teams], params))
        return solution(100 + len(seen))

    params = SolveParameters(time_limit=7, seed=3)
    heard: list[str] = []
    table = compare(instance, ["round-robin", preset("optimised")], params, team="red",
                    on_solved=lambda c, s: heard.append(c.name), solver=fake)
    assert [allocations for allocations, _ in seen] == [
        ["round_robin", "round_robin"],  # blue was round robin already
        ["optimised", "round_robin"],
    ]
    assert all(p is params for _, p in seen)
    assert heard == ["round-robin", "optimised"]
    assert table.team == "red" and table.parameters == params
    assert [p.objective for p in table.policies] == [101, 102]


def test_every_policy_is_checked_before_the_first_solve(
    instance: Instance, tmp_path: Path
) -> None:
    calls: list[Instance] = []

    def fake(variant: Instance, params: SolveParameters) -> Solution:
        calls.append(variant)
        return solution()

    bad = write(tmp_path / "bad.json", {"support_model": "dedicated"})
    with pytest.raises(InputError, match="needs a team of kind 'dedicated'"):
        compare(instance, ["optimised", policy_file(bad)], solver=fake)
    sent = PolicyChoice(name="sent", policy={"weights": {"skil": 1}})  # as an API client might
    with pytest.raises(InputError, match=r"policy 'sent': weights.skil: unknown field"):
        compare(instance, ["optimised", sent], solver=fake)
    assert calls == []
    # a string is a preset, never a file to read (the HTTP API passes what clients send)
    with pytest.raises(InputError, match="unknown preset"):
        compare(instance, [str(bad)], solver=fake)
    with pytest.raises(InputError, match="at least one policy"):
        compare(instance, [], solver=fake)
