"""Incidents and sprints: pools, candidates, patterns, sprint accounting, terms and figures.

The organisation is in incident_support.py (alice, bob, carol in ops with one 14-day sprint;
wendy in web, who built billing; dee and dan in the dedicated team help; lee in the L3 team).
Incidents arrive on Tuesday 2027-01-05 at 10:00 UTC, are on billing and take 2 h, unless a test
says otherwise.
"""

from __future__ import annotations

import time

import pytest
from checker_support import messages, record
from incident_support import SPRINT_1, SPRINT_2, decide, duty, incident, org
from rotasat.checker import check_solution, evaluate
from rotasat.models import Evaluation, IncidentOutcome, Solution


def outcome(evaluation: Evaluation, ident: str) -> IncidentOutcome:
    return next(o for o in evaluation.incidents if o.incident == ident)


def term(evaluation: Evaluation, team: str, name: str) -> tuple[int, int, int]:
    """(value, weight, cost) of one team's term."""
    [found] = [t for t in evaluation.terms if (t.team, t.name) == (team, name)]
    return found.value, found.weight, found.cost


def team_of(evaluation: Evaluation, team: str):
    return next(t for t in evaluation.teams if t.team == team)


def sprint_of(evaluation: Evaluation, engineer: str):
    [found] = [s for s in evaluation.sprints if s.engineer == engineer]
    return found


# Pools by support model ------------------------------------------------------------------------


def test_team_pool_less_those_on_leave():
    instance = org(
        incidents=[incident("i1"), incident("i2")],
        engineers={"carol": {"unavailability": [{"start": "2027-01-05", "end": "2027-01-05"}]}},
    )
    result = evaluate(instance, [], decide(instance, {"i1": "carol", "i2": "wendy"}))
    # The pool is ops; carol is on leave the whole of Tuesday (UTC), wendy is on web.
    assert messages(result) == [
        "incident i1: carol handles it but is on leave at the arrival",
        "incident i2: wendy handles it but is not in the pool (team ops)",
    ]
    assert [(v.rule, v.team, v.engineer, str(v.date)) for v in result.violations] == [
        ("candidate", "ops", "carol", "2027-01-05"),
        ("candidate", "ops", "wendy", "2027-01-05"),
    ]
    fine = evaluate(instance, [], decide(instance, {"i1": "alice", "i2": "bob"}))
    assert fine.feasible


def test_leave_is_taken_in_the_engineer_zone():
    # carol in Tokyo (UTC+9) on leave Wednesday 2027-01-06: from Tuesday 15:00 UTC.
    instance = org(
        incidents=[incident("i1", time="14:59"), incident("i2", time="15:00")],
        engineers={"carol": {"timezone": "Asia/Tokyo",
                             "unavailability": [{"start": "2027-01-06", "end": "2027-01-06"}]}},
    )
    result = evaluate(instance, [], decide(instance, {"i1": "carol", "i2": "carol"}))
    assert messages(result) == ["incident i2: carol handles it but is on leave at the arrival"]


def test_builders_pool_follows_an_engineer_who_moved_teams():
    instance = org(
        policy={"support_model": "builders"},
        incidents=[
            incident("i1"),  # billing: built by wendy, now on web
            incident("i2", system="search"),  # built by alice
            incident("i3", system="reports"),  # built by nobody: ops's engineers
        ],
    )
    good = evaluate(instance, [], decide(instance, {"i1": "wendy", "i2": "alice", "i3": "carol"}))
    assert good.feasible
    # wendy's team has no cadence: no sprint to count it in.
    assert outcome(good, "i1").sprint is None
    assert outcome(good, "i3").sprint == SPRINT_1
    bad = evaluate(instance, [], decide(instance, {"i1": "alice", "i2": "bob", "i3": "wendy"}))
    assert messages(bad) == [
        "incident i1: alice handles it but is not in the pool (builders of billing)",
        "incident i2: bob handles it but is not in the pool (builders of search)",
        "incident i3: wendy handles it but is not in the pool (team ops (nobody built reports))",
    ]


def test_dedicated_pool():
    instance = org(policy={"support_model": "dedicated"}, incidents=[incident("i1"),
                                                                       incident("i2")])
    result = evaluate(instance, [], decide(instance, {"i1": "dan", "i2": "alice"}))
    assert messages(result) == [
        "incident i2: alice handles it but is not in the pool (dedicated team help)"
    ]


@pytest.mark.parametrize(
    ("l3_to", "l3_handler", "l3_pool"),
    [("builders", "wendy", "builders of billing"), ("l3_team", "lee", "l3 team deep")],
)
def test_tiered_pools(l3_to, l3_handler, l3_pool):
    instance = org(
        policy={"support_model": "tiered", "l3_to": l3_to},
        incidents=[incident("i1", tier="L1"), incident("i2", tier="L2"), incident("i3")],
    )
    good = evaluate(instance, [], decide(instance, {"i1": "dee", "i2": "dan", "i3": l3_handler}))
    assert good.feasible
    # L1/L2 never go to engineering; L3 never to the dedicated team.
    bad = evaluate(instance, [], decide(instance, {"i1": l3_handler, "i2": "alice", "i3": "dee"}))
    assert messages(bad) == [
        f"incident i1: {l3_handler} handles it but is not in the pool (dedicated team help)",
        "incident i2: alice handles it but is not in the pool (dedicated team help)",
        f"incident i3: dee handles it but is not in the pool ({l3_pool})",
    ]


def test_a_team_policy_overrides_the_organisation_policy():
    # ops sends its incidents to the dedicated team; the organisation's default is "team".
    instance = org(
        ops={"policy": {"support_model": "dedicated", "weights": {"deferral": 0}}},
        incidents=[incident("i1")],
    )
    assert messages(evaluate(instance, [], decide(instance, {"i1": "alice"}))) == [
        "incident i1: alice handles it but is not in the pool (dedicated team help)"
    ]


# Handling: pinned, never deferred ------------------------------------------------------------


def test_a_pinned_assignee_is_the_only_candidate_whatever_the_pool():
    instance = org(incidents=[incident("i1", assignee="dee")])  # dee is not in ops's pool
    assert evaluate(instance, [], decide(instance, {"i1": "dee"})).feasible
    other = evaluate(instance, [], decide(instance, {"i1": "alice"}))
    assert messages(other) == ["incident i1: is pinned to dee but alice handles it"]
    deferred = evaluate(instance, [], decide(instance, {"i1": None}))
    assert messages(deferred) == ["incident i1: is deferred, but it is pinned to dee"]


def test_interrupting_incidents_are_never_deferred():
    instance = org(
        incidents=[
            incident("i1", priority="P1"),
            incident("i2", severity="S1"),
            incident("i3", sla={"resolve_hours": 8}),  # SLA-bound
            incident("i4", sla={"respond_hours": 1}),  # a respond-by SLA alone does not bind
            incident("i5", priority="P2", severity="S2"),
        ],
        engineers={e: {"unavailability": [{"start": "2027-01-05", "end": "2027-01-05"}]}
                   for e in ("alice", "bob", "carol")},
    )
    result = evaluate(instance, [], decide(instance, dict.fromkeys(
        ["i1", "i2", "i3", "i4", "i5"])))
    # Everyone in ops is on leave on Tuesday: no candidate, so each may only be deferred.
    why = "no candidate: everyone in the pool (team ops) is on leave"
    assert messages(result) == [
        f"incident i1: is deferred, but it may interrupt the sprint (P1, S3); {why}",
        f"incident i2: is deferred, but it may interrupt the sprint (P3, S1); {why}",
        f"incident i3: is deferred, but it may interrupt the sprint (P3, S3); {why}",
    ]
    assert [outcome(result, i).interrupting for i in ("i1", "i2", "i3", "i4", "i5")] == [
        True, True, True, False, False
    ]
    assert outcome(result, "i5").reason == why


def test_the_owner_interrupt_rule_decides():
    instance = org(
        policy={"interrupt": {"priorities": ["P1", "P2"], "severities": [], "sla_bound": False}},
        incidents=[incident("i1", priority="P2"), incident("i2", severity="S1"),
                   incident("i3", sla={"resolve_hours": 8})],
    )
    result = evaluate(instance, [], decide(instance, {"i1": "alice", "i2": None, "i3": None}))
    assert [o.interrupting for o in result.incidents] == [True, False, False]
    assert result.feasible


# Allocation patterns ---------------------------------------------------------------------------


def test_round_robin_pointer_skips_leave_and_moves_on_deferral():
    instance = org(
        policy={"allocation": "round_robin"},
        incidents=[
            incident("i3", day="2027-01-06"),  # listed out of order: (arrival, id) decides
            incident("i1", day="2027-01-04"),
            incident("i2", day="2027-01-05"),
            incident("i4", day="2027-01-06"),
            incident("p1", day="2027-01-07", assignee="carol"),
            incident("i5", day="2027-01-08"),
            incident("i6", day="2027-01-09"),
        ],
        engineers={
            "bob": {"unavailability": [{"start": "2027-01-05", "end": "2027-01-05"},
                                       {"start": "2027-01-08", "end": "2027-01-08"}]},
            "alice": {"unavailability": [{"start": "2027-01-08", "end": "2027-01-08"}]},
            "carol": {"unavailability": [{"start": "2027-01-08", "end": "2027-01-08"}]},
        },
    )
    # Pointer 0: i1 → alice (pointer 1); i2: bob on leave → carol (pointer 3), deferred, but the
    # pointer moves all the same; i3: nobody at or after 3 → wraps to alice (pointer 1); i4
    # (same arrival, later id) → bob (pointer 2); p1 is pinned, outside the pattern: the pointer
    # stays at 2; i5: everyone on leave, no candidate, the pointer stays at 2; i6 → carol.
    plan = {"i1": "alice", "i2": None, "i3": "alice", "i4": "bob", "p1": "carol", "i5": None,
            "i6": "carol"}
    assert evaluate(instance, [], decide(instance, plan)).feasible
    wrong = {**plan, "i2": "alice", "i4": "carol", "i6": "alice"}
    assert messages(evaluate(instance, [], decide(instance, wrong))) == [
        "incident i2: alice handles it, but under round_robin the round robin gives it to carol",
        "incident i4: carol handles it, but under round_robin the round robin gives it to bob",
        "incident i6: alice handles it, but under round_robin the round robin gives it to carol",
    ]


def test_round_robin_points_into_the_organisation_order_one_pointer_per_owner():
    # Builders: billing's are carol (2) and wendy (3); search's alice (0) and carol (2); nobody
    # built shop (web's), so wendy alone.
    instance = org(
        policy={"support_model": "builders", "allocation": "round_robin"},
        engineers={"carol": {"built_systems": ["search", "billing"]}},
        incidents=[incident("i1", day="2027-01-04"),
                   incident("w1", day="2027-01-05", time="09:00", system="shop"),
                   incident("i2", day="2027-01-05"),
                   incident("i3", day="2027-01-06", system="search"),
                   incident("i4", day="2027-01-07")],
    )
    # ops's pointer: i1 → carol (pointer 3); i2 → wendy (pointer 4); i3: nobody of search's
    # pool at or after 4 → alice (pointer 1); i4 → carol. web's own pointer: w1 → wendy, which
    # leaves ops's pointer at 3 (shared, it would be 4 and i2 would go to carol).
    plan = {"i1": "carol", "w1": "wendy", "i2": "wendy", "i3": "alice", "i4": "carol"}
    assert evaluate(instance, [], decide(instance, plan)).feasible


def test_most_qualified_ties_go_to_a_builder_then_organisation_order():
    instance = org(
        policy={"allocation": "most_qualified"},
        engineers={"carol": {"built_systems": ["billing"]}},
        incidents=[
            # db: alice 2, bob 4, carol 4; carol built billing → carol.
            incident("i1", required_skills={"db": 3}),
            # search, db: bob and carol tie at 4, neither built search → bob (earlier).
            incident("i2", system="search", required_skills={"db": 3}),
            # no skills: everyone scores 0; alice built search → alice.
            incident("i3", system="search"),
            # linux + db: alice 7, bob 8, carol 7 → bob.
            incident("i4", required_skills={"linux": 1, "db": 1}),
        ],
    )
    plan = {"i1": "carol", "i2": "bob", "i3": "alice", "i4": "bob"}
    assert evaluate(instance, [], decide(instance, plan)).feasible
    wrong = {"i1": "bob", "i2": "carol", "i3": "bob", "i4": None}
    assert messages(evaluate(instance, [], decide(instance, wrong))) == [
        "incident i1: bob handles it, but under most_qualified the most qualified candidate is "
        "carol",
        "incident i2: carol handles it, but under most_qualified the most qualified candidate "
        "is bob",
        "incident i3: bob handles it, but under most_qualified the most qualified candidate is "
        "alice",
    ]


def test_most_qualified_passes_over_leave():
    instance = org(
        policy={"allocation": "most_qualified"},
        engineers={"bob": {"unavailability": [{"start": "2027-01-05", "end": "2027-01-05"}]}},
        incidents=[incident("i1", required_skills={"db": 3})],
    )
    # bob (db 4) is away; carol (db 4) is next.
    assert evaluate(instance, [], decide(instance, {"i1": "carol"})).feasible


def test_rotating_owner_follows_the_on_call_holder():
    instance = org(
        policy={"allocation": "rotating_owner"},
        incidents=[
            incident("i1", time="08:00"),  # Monday's turn runs to Tuesday 09:00: alice's
            incident("i2", time="09:00"),  # Tuesday's turn: bob's
            incident("i3", day="2027-01-06"),  # Wednesday's turn: unstaffed
        ],
    )
    schedule = duty(instance, alice="04", bob="05")
    plan = {"i1": "alice", "i2": "bob", "i3": None}
    assert evaluate(instance, schedule, decide(instance, plan)).feasible
    wrong = {"i1": "bob", "i2": "carol", "i3": "alice"}
    assert messages(evaluate(instance, schedule, decide(instance, wrong))) == [
        "incident i1: bob handles it, but under rotating_owner the rotating owner (holder of "
        "primary on oncall/2027-01-04) is alice",
        "incident i2: carol handles it, but under rotating_owner the rotating owner (holder of "
        "primary on oncall/2027-01-05) is bob",
        # Someone may take Wednesday's turn, but nobody holds it: the incident can only wait.
        "incident i3: alice handles it, but under rotating_owner the rotating owner (holder of "
        "primary on oncall/2027-01-06) is nobody",
    ]


def test_rotating_owner_falls_back_to_most_qualified():
    # Only alice is on the rotation, and she is on leave Tuesday 2027-01-05.
    instance = org(
        policy={"allocation": "rotating_owner"},
        rotation={"engineers": ["alice"]},
        engineers={"alice": {"unavailability": [{"start": "2027-01-05", "end": "2027-01-05"}]}},
        incidents=[incident("i1", required_skills={"db": 1}),
                   incident("i2", day="2027-01-07", required_skills={"db": 1})],
    )
    result = evaluate(instance, [], decide(instance, {"i1": "carol", "i2": "bob"}))
    assert messages(result) == [
        # Tuesday's turn overlaps alice's leave and nobody else is on the rotation: the most
        # qualified candidate takes it; bob and carol tie at db 4, bob comes first.
        "incident i1: carol handles it, but under rotating_owner no candidate may take primary "
        "on oncall/2027-01-05, so the most qualified candidate is bob",
        # alice may take Thursday's turn, but nobody holds it: the incident can only wait.
        "incident i2: bob handles it, but under rotating_owner the rotating owner (holder of "
        "primary on oncall/2027-01-07) is nobody",
    ]


def test_rotating_owner_without_a_shift_or_a_rotation():
    instance = org(
        policy={"allocation": "rotating_owner", "support_model": "builders"},
        engineers={"dee": {"built_systems": ["billing"]}},
        incidents=[
            # reports: nobody built it, so ops's engineers; ops's first rotation has no turn
            # before Monday 09:00; most qualified with no skills: no builder, alice comes first.
            incident("i1", day="2027-01-04", time="08:00", system="reports"),
            # billing: built by wendy (web) and dee (help), neither team has a rotation;
            # db: wendy 5, dee 0.
            incident("i2", required_skills={"db": 1}),
        ],
    )
    result = evaluate(instance, [], decide(instance, {"i1": "bob", "i2": "dee"}))
    assert messages(result) == [
        "incident i1: bob handles it, but under rotating_owner no shift of oncall holds the "
        "arrival, so the most qualified candidate is alice",
        "incident i2: dee handles it, but under rotating_owner there is no owner rotation, so "
        "the most qualified candidate is wendy",
    ]
    assert evaluate(instance, [], decide(instance, {"i1": "alice", "i2": "wendy"})).feasible


def test_a_pin_overrides_the_pattern():
    instance = org(policy={"allocation": "rotating_owner"},
                   incidents=[incident("i1", assignee="carol")])
    schedule = duty(instance, alice="05")
    assert evaluate(instance, schedule, decide(instance, {"i1": "carol"})).feasible


def test_rotating_owner_names_its_rotation():
    instance = org(
        ops={"rotations": [
            {"id": "oncall", "timezone": "UTC", "pattern": {"kind": "daily"},
             "roles": [{"id": "primary", "understaff_weight": 0}]},
            {"id": "triage", "timezone": "UTC", "pattern": {"kind": "weekly"},
             "roles": [{"id": "lead", "understaff_weight": 0}, {"id": "helper",
                                                               "understaff_weight": 0}]},
        ]},
        policy={"allocation": "rotating_owner", "owner_rotation": "triage"},
        incidents=[incident("i1")],
    )
    schedule = [record(instance, "triage/2027-01-04", "carol", role="lead"),
                record(instance, "triage/2027-01-04", "bob", role="helper"),
                *duty(instance, alice="05")]
    assert evaluate(instance, schedule, decide(instance, {"i1": "carol"})).feasible
    assert messages(evaluate(instance, schedule, decide(instance, {"i1": "alice"}))) == [
        "incident i1: alice handles it, but under rotating_owner the rotating owner (holder of "
        "lead on triage/2027-01-04) is carol"
    ]


def test_optimised_takes_any_candidate():
    instance = org(incidents=[incident("i1"), incident("i2"), incident("i3")])
    plan = {"i1": "carol", "i2": "carol", "i3": None}
    assert evaluate(instance, [], decide(instance, plan)).feasible


# Sprint accounting -----------------------------------------------------------------------------


def test_the_reserve_rule_names_engineer_sprint_and_hours():
    instance = org(incidents=[incident("i1", effort_hours=10), incident("i2", effort_hours=5),
                              incident("i3", effort_hours=30, priority="P1")])
    schedule = duty(instance, alice="04 05")
    # alice: R 160, D 2 turns × 10 = 20, so non-interrupting work may take 140;
    # N = 100 + 50 = 150 > 140. The P1 (U = 300) is outside the rule.
    result = evaluate(instance, schedule, decide(instance, {"i1": "alice", "i2": "alice",
                                                            "i3": "alice"}))
    assert messages(result) == [
        f"alice in {SPRINT_1}: 15 h of incidents that may not interrupt exceed the 14 h the "
        "reserve leaves after duty (reserve 16 h, duty 2 h)"
    ]
    [violation] = result.violations
    assert (violation.rule, violation.team, violation.engineer, str(violation.date)) == (
        "reserve", "ops", "alice", "2027-01-04"
    )
    # Deferring i2 fits: 100 ≤ 140.
    assert evaluate(instance, schedule, decide(instance, {"i1": "alice", "i2": None,
                                                          "i3": "alice"})).feasible


def test_duty_beyond_the_reserve_leaves_no_room():
    # alice holds all 14 turns at support_hours 2.0: 14 × 20 = 280 > R 160, so
    # max(0, 160 − 280) = 0 and even 0.1 h (1 point) of non-interrupting work breaks the rule.
    instance = org(rotation={"roles": [{"id": "primary", "support_hours": 2.0}]},
                   incidents=[incident("i1", effort_hours=0.1)])
    schedule = duty(instance, alice=" ".join(f"{d:02d}" for d in range(4, 18)))
    result = evaluate(instance, schedule, decide(instance, {"i1": "alice"}))
    assert messages(result) == [
        f"alice in {SPRINT_1}: 0.1 h of incidents that may not interrupt exceed the 0 h the "
        "reserve leaves after duty (reserve 16 h, duty 28 h)"
    ]


def test_interruption_and_protected_capacity():
    instance = org(
        weights={"interruption": 10},
        engineers={"carol": {"unavailability": [{"start": "2027-01-11", "end": "2027-01-12"}]}},
        incidents=[incident("i1", effort_hours=12), incident("i2", effort_hours=8, priority="P1"),
                   incident("i3", effort_hours=1.25, severity="S1")],
    )
    schedule = duty(instance, alice="04 05", bob="06")
    result = evaluate(instance, schedule, decide(instance, {"i1": "alice", "i2": "alice",
                                                            "i3": "carol"}))
    assert result.feasible
    # alice: C 800, R 160, D 2 × 10 = 20, N 120 (≤ 160 − 20 = 140), U 80.
    # Interruption = 20 + 120 + 80 − 160 = 60; protected = 800 − 220 = 580 (72.5 %).
    alice = sprint_of(result, "alice")
    assert (alice.sprint, str(alice.start)) == (SPRINT_1, "2027-01-04")
    assert (alice.capacity_hours, alice.reserve_hours, alice.duty_hours, alice.incident_hours,
            alice.interrupting_hours, alice.interruption_hours, alice.protected_pct) == (
        80, 16, 2, 12, 8, 6, 72.5
    )
    # carol: 2 leave days → 8 × 480 = 3840 min → 640; R ⌊0.2 × 640 + ½⌋ = 128; U = 1.25 h →
    # ⌊12.5 + ½⌋ = 13: no interruption; protected 640 − 13 = 627.
    carol = sprint_of(result, "carol")
    assert (carol.capacity_hours, carol.reserve_hours, carol.interrupting_hours,
            carol.interruption_hours) == (64, 12.8, 1.3, 0)
    assert carol.protected_pct == pytest.approx(100 * 627 / 640)
    # bob: D 10 only; protected 790.
    assert sprint_of(result, "bob").protected_pct == pytest.approx(98.75)
    assert term(result, "ops", "interruption") == (60, 10, 600)
    ops = team_of(result, "ops")
    assert (ops.interruption_hours, ops.interrupted_sprints) == (6, 1)
    # Σ protected 580 + 790 + 627 = 1997 over Σ capacity 800 + 800 + 640 = 2240.
    assert ops.protected_pct == pytest.approx(100 * 1997 / 2240)
    assert team_of(result, "web").protected_pct is None  # no cadence
    # Figures for every engineer of a team with a cadence, and for no one else.
    assert [s.engineer for s in result.sprints] == ["alice", "bob", "carol"]


def test_an_incident_counts_in_the_handler_zone_sprint():
    # Two 7-day sprints; bob in Los Angeles (UTC−8). i1 arrives Monday 2027-01-11 05:00 UTC,
    # still Sunday the 10th in Los Angeles: bob's first sprint; alice's second.
    instance = org(
        ops={"sprints": {"length_days": 7, "first_start": "2027-01-04"}},
        engineers={"bob": {"timezone": "America/Los_Angeles"}},
        incidents=[incident("i1", day="2027-01-11", time="05:00"),
                   incident("i2", day="2027-01-11", time="05:00")],
    )
    result = evaluate(instance, [], decide(instance, {"i1": "bob", "i2": "alice"}))
    assert outcome(result, "i1").sprint == "sprint 1 (2027-01-04 to 2027-01-10)"
    assert outcome(result, "i2").sprint == "sprint 2 (2027-01-11 to 2027-01-17)"
    # Capacity per 7-day sprint: 5 × 480 = 2400 min → 400 points.
    bob = [s for s in result.sprints if s.engineer == "bob"]
    assert [(s.capacity_hours, s.incident_hours) for s in bob] == [(40, 2), (40, 0)]


def test_duty_points_round_each_shift_and_count_in_the_shift_date_sprint():
    # A window rotation 10:00–17:30 UTC (450 min) at support_hours 0.5:
    # 0.5 × 450 / 1440 × 10 = 1.5625 → 2 points per shift; Saturday and Sunday's in sprint 1
    # → 4 (0.4 h), not ⌊3.125 + ½⌋ = 3; Monday's in sprint 2 → 2.
    instance = org(
        ops={"sprints": {"length_days": 7, "first_start": "2027-01-04"}},
        rotation={
            "pattern": {"kind": "windows",
                        "windows": [{"name": "day", "start": "10:00", "hours": 7.5}]},
            "roles": [{"id": "primary", "support_hours": 0.5, "understaff_weight": 0}],
        },
        incidents=[incident("i1")],
    )
    schedule = [record(instance, "oncall/2027-01-10/day", "alice"),
                record(instance, "oncall/2027-01-09/day", "alice"),
                record(instance, "oncall/2027-01-11/day", "alice")]
    result = evaluate(instance, schedule, decide(instance, {"i1": None}))
    alice = [s for s in result.sprints if s.engineer == "alice"]
    assert [s.duty_hours for s in alice] == [0.4, 0.2]


# Deferral, SLA, expertise, knowledge, support spread -------------------------------------------


def test_deferral_cost_and_target_sprint():
    instance = org(
        weights={"deferral": 20},
        incidents=[incident("i1", priority="P2"), incident("i2", priority="P4"),
                   incident("i3", priority="P3"), incident("i4", system="shop")],
    )
    result = evaluate(instance, [], decide(instance, {"i1": None, "i2": None, "i3": "bob",
                                                      "i4": None}))
    # ops defers a P2 (5 − 2 = 3) and a P4 (1): 4. web defers a P3: 2.
    assert term(result, "ops", "deferral") == (4, 20, 80)
    assert term(result, "web", "deferral") == (2, 20, 40)
    assert result.objective == 120
    i1 = outcome(result, "i1")
    assert (i1.deferred, i1.handler, i1.sprint, i1.target_sprint, i1.reason) == (
        True, None, None, SPRINT_2, f"deferred to {SPRINT_2}"
    )
    assert outcome(result, "i3").target_sprint is None
    assert outcome(result, "i4").target_sprint == "backlog"  # web has no cadence
    ops = team_of(result, "ops")
    assert (ops.incidents_handled, ops.deferred) == (1, 2)


def test_target_sprint_is_read_in_the_owner_zone():
    # ops in Auckland (UTC+13 in January): Sunday 2027-01-17 12:00 UTC is Monday the 18th there,
    # in sprint 2, so the target is sprint 3.
    instance = org(ops={"timezone": "Pacific/Auckland"},
                   incidents=[incident("i1", day="2027-01-17", time="12:00")])
    result = evaluate(instance, [], decide(instance, {"i1": None}))
    assert outcome(result, "i1").target_sprint == "sprint 3 (2027-02-01 to 2027-02-14)"


def test_sla_missed_reasons():
    instance = org(
        weights={"sla_missed": 200},
        incidents=[
            incident("i1", effort_hours=6, sla={"resolve_hours": 4}),  # handled, too long
            incident("i2", sla={"respond_hours": 1}),  # deferred
            incident("i3", effort_hours=6, sla={"respond_hours": 1, "resolve_hours": 4},
                     priority="P4", severity="S4", tier="L3"),
            incident("i4", sla={"resolve_hours": 8}),  # met
            incident("i5"),  # no SLA
        ],
        policy={"interrupt": {"sla_bound": False}},
    )
    result = evaluate(instance, [], decide(instance, {"i1": "alice", "i2": None, "i3": None,
                                                      "i4": "bob", "i5": None}))
    assert [(o.sla_met, o.reason) for o in result.incidents] == [
        (False, "SLA missed: effort 6 h exceeds the resolve-by 4 h"),
        (False, f"deferred to {SPRINT_2}; SLA missed: deferred"),
        (False, f"deferred to {SPRINT_2}; SLA missed: deferred, effort 6 h exceeds the "
                "resolve-by 4 h"),
        (True, None),
        (None, f"deferred to {SPRINT_2}"),
    ]
    assert term(result, "ops", "sla_missed") == (3, 200, 600)
    ops = team_of(result, "ops")
    assert (ops.sla_met, ops.sla_missed) == (1, 3)


def test_expertise_against_the_best_candidate():
    instance = org(
        weights={"expertise": 10},
        engineers={"bob": {"unavailability": [{"start": "2027-01-06", "end": "2027-01-06"}]}},
        incidents=[
            # best linux 5 (alice), best db 4 (bob, carol)
            incident("i1", required_skills={"linux": 4, "db": 3}),
            incident("i2", required_skills={"linux": 4, "db": 3}),
            incident("i3", required_skills={"linux": 4, "db": 3}),
            # Wednesday, bob away: best linux 5, db 4 (carol)
            incident("i4", day="2027-01-06", required_skills={"linux": 1, "db": 1}),
            # pinned: the assignee is the only candidate, so the best is dee herself
            incident("i5", required_skills={"linux": 5}, assignee="dee"),
            incident("i6", required_skills={"kotlin": 1}),  # nobody has it: best 0
        ],
    )
    plan = {"i1": "carol", "i2": "alice", "i3": "bob", "i4": "alice", "i5": "dee", "i6": "bob"}
    result = evaluate(instance, [], decide(instance, plan))
    # i1 carol: linux 5 − 3 = 2, db 4 − 4 = 0 → 2; i2 alice: 0 + (4 − 2) = 2; i3 bob: 1 + 0 = 1;
    # i4 alice: 0 + (4 − 2) = 2; i5 dee: 0; i6: 0.
    assert [o.expertise_gap for o in result.incidents] == [2, 2, 1, 2, 0, 0]
    assert term(result, "ops", "expertise") == (7, 10, 70)
    assert team_of(result, "ops").expertise_gap == 7


def test_knowledge():
    instance = org(
        weights={"knowledge": 5},
        engineers={"carol": {"unavailability": [{"start": "2027-01-05", "end": "2027-01-06"}]}},
        incidents=[
            incident("b1"), incident("b2"), incident("b3", day="2027-01-06"),
            incident("s1", system="search"),
            incident("s2", system="search", day="2027-01-07"),
            incident("r1", system="reports", assignee="dee"),
        ],
    )
    plan = {"b1": "alice", "b2": "alice", "b3": "bob", "s1": None, "s2": "alice", "r1": "dee"}
    result = evaluate(instance, [], decide(instance, plan))
    # billing: 3 incidents; carol is on leave at every arrival, so alice and bob were
    # candidates: min(3, 2) − 2 handlers = 0. search: 2 incidents; carol is back on the 7th:
    # min(2, 3) − 1 (alice) = 1. reports: 1 incident pinned to dee: min(1, 1) − 1 = 0.
    assert term(result, "ops", "knowledge") == (1, 5, 5)
    assert team_of(result, "ops").knowledge == {"billing": 2, "search": 1, "reports": 1}
    assert term(result, "web", "knowledge") == (0, 5, 0)  # shop has no incidents
    assert team_of(result, "web").knowledge == {}


def test_support_spread_and_figures():
    instance = org(
        weights={"support_spread": 1},
        policy={"support_model": "builders"},
        incidents=[incident("i1", system="search", effort_hours=3),
                   incident("i2", effort_hours=1.5)],
    )
    schedule = duty(instance, alice="04 05", bob="06")
    result = evaluate(instance, schedule, decide(instance, {"i1": "alice", "i2": "wendy"}))
    # ops's support group (all three may hold primary): alice 2 × 10 + 30 = 50, bob 10, carol 0.
    assert term(result, "ops", "support_spread") == (50, 1, 50)
    ops = team_of(result, "ops")
    assert ops.support_spread == 5
    # Gini of 0, 10, 50: (−2 · 0 + 0 · 10 + 2 · 50) / (3 · 60).
    assert ops.support_gini == pytest.approx(100 / 180)
    # web's group is wendy alone (a candidate of i2): spread 0. help has no one in its group.
    assert term(result, "web", "support_spread") == (0, 1, 0)
    assert term(result, "help", "support_spread") == (0, 1, 0)
    # The owner's terms go to ops, the engineer's to wendy's team: she handled an ops incident.
    assert (ops.incidents_handled, team_of(result, "web").incidents_handled) == (2, 0)


def test_terms_are_listed_per_team_only_with_incidents_and_weight():
    weights = {"interruption": 10, "deferral": 20, "sla_missed": 200, "expertise": 10,
               "knowledge": 5, "support_spread": 1}
    instance = org(weights=weights, incidents=[incident("i1")])
    result = evaluate(instance, [], decide(instance, {"i1": None}))
    names = ["interruption", "deferral", "sla_missed", "expertise", "knowledge", "support_spread"]
    assert [(t.team, t.name) for t in result.terms] == [
        (team, name) for team in ("ops", "web", "help", "deep") for name in names
    ]
    # deferral 2 × 20 + knowledge min(1, 3) − 0 = 1 × 5.
    assert result.objective == 45
    quiet = org(weights=weights)  # no incidents
    assert evaluate(quiet, []).terms == []
    some = org(weights={"deferral": 20}, incidents=[incident("i1")])
    assert [t.name for t in evaluate(some, [], decide(some, {"i1": None})).terms] == [
        "deferral"
    ] * 4


def test_sprint_figures_without_incidents():
    instance = org()
    result = evaluate(instance, duty(instance, carol="04"))
    assert result.feasible and result.incidents == []
    carol = sprint_of(result, "carol")
    assert (carol.duty_hours, carol.protected_pct) == (1, pytest.approx(100 * 790 / 800))


# Outcome records and check_solution ----------------------------------------------------------


def test_outcome_records():
    instance = org(incidents=[incident("i1"), incident("i2"), incident("i3"), incident("i4")])
    given = decide(instance, {"i1": "alice", "i2": "zed", "i3": None})
    given += decide(instance, {"i1": "bob"})
    given.append(IncidentOutcome(incident="nope", team="ops", handler="alice"))
    result = evaluate(instance, [], given)
    assert messages(result, "record") == [
        "outcome 1: incident i2 handled by unknown engineer 'zed'",
        "outcome 3: incident i1 again (as in outcome 0)",
        "outcome 4: unknown incident 'nope'",
        "incident i4 has no outcome: each incident is handled or deferred exactly once",
    ]
    assert not result.feasible
    assert outcome(result, "i1").handler == "alice"  # the first outcome counts
    # Undecided incidents count as deferred in the figures, with no other violation.
    i2 = outcome(result, "i2")
    assert (i2.deferred, i2.reason) == (True, "no valid outcome given: counted as deferred")
    assert [v.rule for v in result.violations] == ["record"] * 4
    assert len(messages(evaluate(instance, []), "record")) == 4  # None: no outcomes at all


def test_only_incident_and_handler_are_read():
    instance = org(incidents=[incident("i1")])
    given = [IncidentOutcome(incident="i1", team="web", handler="bob", deferred=True,
                             sla_met=False, target_sprint="later")]
    result = evaluate(instance, [], given)
    assert result.feasible
    assert outcome(result, "i1").model_dump(exclude_none=True) == {
        "incident": "i1", "team": "ops", "handler": "bob", "sprint": SPRINT_1, "deferred": False,
        "interrupting": False, "expertise_gap": 0,
    }


def _solution(instance, outcomes, objective=0, terms=()):
    return Solution(instance=instance.name, status="OPTIMAL", objective=objective,
                    terms=list(terms), wall_time=0.1, incidents=outcomes)


def test_check_solution_compares_outcomes():
    instance = org(incidents=[incident("i1", sla={"respond_hours": 2}), incident("i2")])
    judged = evaluate(instance, [], decide(instance, {"i1": None, "i2": "bob"}))
    faithful = check_solution(instance, _solution(instance, judged.incidents))
    assert (faithful.ok, faithful.mismatches) == (True, [])
    reported = [
        judged.incidents[0].model_copy(update={"sla_met": True, "target_sprint": "sprint 9"}),
        judged.incidents[1].model_copy(update={"deferred": True}),
    ]
    result = check_solution(instance, _solution(instance, reported))
    assert result.mismatches == [
        "incident i1: reported sla_met True, recomputed False",
        f"incident i1: reported target_sprint 'sprint 9', recomputed '{SPRINT_2}'",
        "incident i2: reported deferred True, recomputed False",
    ]
    assert not result.ok


def test_check_solution_passes_the_decisions():
    instance = org(weights={"deferral": 20}, incidents=[incident("i1")])
    judged = evaluate(instance, [], decide(instance, {"i1": None}))
    result = check_solution(instance, _solution(instance, judged.incidents, judged.objective,
                                                judged.terms))
    # ops defers a P3: 2 × 20; the other teams list the term at 0.
    assert (result.ok, result.mismatches, result.evaluation.objective) == (True, [], 40)


# Scale -----------------------------------------------------------------------------------------


def test_five_thousand_incidents_over_five_hundred_engineers_in_seconds():
    # 50 teams × 10 engineers with 14-day sprints over a quarter; patterns and support models
    # vary by team; "platform" (team t0's) was built by all 500, so its pool is everyone.
    patterns = ["round_robin", "most_qualified", "rotating_owner", "optimised"]
    models = ["team", "builders", "builders", "dedicated"]
    teams = [
        {
            "id": f"t{t}",
            "kind": "dedicated" if t == 49 else "product",
            "timezone": ("Europe/London", "America/New_York", "Asia/Kolkata")[t % 3],
            "sprints": {"length_days": 14, "first_start": "2027-01-04"},
            "systems": [f"s{t}", *(["platform"] if t == 0 else [])],
            "policy": {"allocation": patterns[t % 4], "support_model": models[t % 4]},
            "engineers": [
                {"id": f"e{t}_{i}", "skills": {"linux": 1 + (i + t) % 5, "db": 1 + i % 5},
                 "built_systems": [f"s{(t + 1) % 50}", "platform"],
                 "unavailability": [{"start": f"2027-02-{1 + (i * 3 + t) % 20:02d}",
                                     "end": f"2027-02-{5 + (i * 3 + t) % 20:02d}"}]}
                for i in range(10)
            ],
            "rotations": [{"id": f"r{t}", "timezone": "UTC", "pattern": {"kind": "daily"},
                           "roles": [{"id": "primary", "understaff_weight": 0}]}],
        }
        for t in range(50)
    ]
    incidents = [
        {"id": f"i{k}", "system": "platform" if k % 5 == 0 else f"s{k % 50}",
         "arrival": f"2027-{1 + k % 3:02d}-{1 + k % 28:02d}T{k % 24:02d}:{k % 60:02d}:00Z",
         "effort_hours": 1 + k % 4, "priority": ("P1", "P2", "P3", "P4")[k % 4],
         "required_skills": {"linux": 1 + k % 5, "db": 1 + k % 3}}
        for k in range(5000)
    ]
    instance = org(teams=teams, incidents=incidents, horizon={"start": "2027-01-01", "days": 91},
                   weights={"interruption": 1, "deferral": 1, "sla_missed": 1, "expertise": 1,
                            "knowledge": 1, "support_spread": 1})
    handlers = {f"i{k}": (None if k % 7 == 0 else f"e{k % 50}_{k % 10}") for k in range(5000)}
    outcomes = [IncidentOutcome(incident=i, team="?", handler=h) for i, h in handlers.items()]
    began = time.perf_counter()
    result = evaluate(instance, [], outcomes)
    elapsed = time.perf_counter() - began
    assert len(result.incidents) == 5000
    assert len(result.sprints) == 500 * 8  # sprints from 2026-12-21 to 2027-03-29 overlap
    assert elapsed < 5, f"{elapsed:.1f} s"
