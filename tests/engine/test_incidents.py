"""Incidents against sprint capacity: support models, allocation patterns, reserve, terms.

Unless a test says otherwise: one team owning system 'api', two-week sprints from Monday
2027-01-04, a 14-day horizon. Working days are Mon-Fri 09:00-17:00, so an engineer's capacity in
the sprint is 10 days x 8 h = 80 h = 800 points, and the 20% reserve is 160 points (16 h).
"""

from __future__ import annotations

from typing import Any

from engine_support import engineer, solved
from rotasat.models import Instance

ALL_OFF = {k: 0 for k in ("fairness_spread", "fairness_deviation", "preferences", "skill",
                          "interruption", "deferral", "sla_missed", "expertise", "knowledge",
                          "support_spread")}


def incident(iid: str, when: str, hours: float, **extra: Any) -> dict[str, Any]:
    return {"id": iid, "system": "api", "arrival": f"2027-01-{when}:00Z",
            "effort_hours": hours, **extra}


def org(engineers: list[dict[str, Any]], incidents: list[dict[str, Any]], *,
        weights: dict[str, int] | None = None, policy: dict[str, Any] | None = None,
        rotations: list[dict[str, Any]] | None = None,
        extra_teams: list[dict[str, Any]] | None = None) -> Instance:
    return Instance.model_validate({
        "horizon": {"start": "2027-01-04", "days": 14},
        # deferral costs a little unless a test says otherwise, so work is done when it fits
        "policy": {"weights": {**ALL_OFF, "deferral": 1, **(weights or {})}, **(policy or {})},
        "teams": [{
            "id": "t", "timezone": "UTC", "systems": ["api"], "engineers": engineers,
            "sprints": {"length_days": 14, "first_start": "2027-01-04"},
            "rotations": rotations or [],
        }, *(extra_teams or [])],
        "incidents": incidents,
    })


def handlers(solution: Any) -> dict[str, str | None]:
    return {o.incident: o.handler for o in solution.incidents}


def test_work_that_may_not_interrupt_waits_when_the_reserve_is_full():
    # Two P3 incidents of 10 h (100 points each) against a 160-point reserve: one fits, the
    # other is deferred to the next sprint: (5 - 3) x 20 = 40.
    solution = solved(org([engineer("alice")],
                          [incident("A", "05T10:00", 10), incident("B", "06T10:00", 10)],
                          weights={"deferral": 20}))
    assert solution.objective == 40
    deferred = [o for o in solution.incidents if o.deferred]
    assert len(deferred) == 1
    assert deferred[0].target_sprint == "sprint 2 (2027-01-18 to 2027-01-31)"  # past the horizon
    row = solution.sprints[0]
    assert (row.capacity_hours, row.reserve_hours, row.incident_hours) == (80.0, 16.0, 10.0)


def test_urgent_work_interrupts_the_sprint_beyond_the_reserve():
    # A P1 of 20 h (200 points) must be handled: 40 points beyond the reserve, x 10.
    solution = solved(org([engineer("alice")], [incident("A", "05T10:00", 20, priority="P1")],
                          weights={"interruption": 10}))
    assert solution.objective == 400
    row = solution.sprints[0]
    assert (row.interrupting_hours, row.interruption_hours) == (20.0, 4.0)
    assert row.protected_pct == 75.0  # (80 - 20) / 80
    assert solution.teams[0].interrupted_sprints == 1


def test_round_robin_walks_the_order_and_skips_who_is_away():
    bob = engineer("bob", unavailability=[{"start": "2027-01-06", "end": "2027-01-06"}])
    people = [engineer("alice"), bob, engineer("carol")]
    incidents = [incident(f"I{k}", f"0{5 + k}T10:00", 1) for k in range(4)]
    solution = solved(org(people, incidents, policy={"allocation": "round_robin"}))
    # I0 alice; I1 arrives on the 6th while bob is away: carol; I2 alice; I3 bob.
    assert handlers(solution) == {"I0": "alice", "I1": "carol", "I2": "alice", "I3": "bob"}


def test_most_qualified_prefers_levels_then_builders():
    people = [engineer("alice", skills={"db": 2}), engineer("bob", skills={"db": 4}),
              engineer("carol", skills={"db": 4}, built_systems=["api"])]
    solution = solved(org(people, [incident("A", "05T10:00", 1, required_skills={"db": 2})],
                          policy={"allocation": "most_qualified"}))
    assert handlers(solution) == {"A": "carol"}  # bob and carol tie on db 4; carol built api


def test_rotating_owner_gives_each_incident_to_whoever_is_on_call():
    rotation = {"id": "oncall", "timezone": "UTC", "pattern": {"kind": "daily"},
                "roles": [{"id": "primary"}]}
    incidents = [incident(f"I{k}", f"{4 + k:02d}T12:00", 1) for k in range(5)]
    solution = solved(org([engineer("alice"), engineer("bob")], incidents,
                          policy={"allocation": "rotating_owner"}, rotations=[rotation],
                          weights={"fairness_spread": 1}))
    on_call = {a.shift: a.engineer for a in solution.assignments}
    for k in range(5):
        assert handlers(solution)[f"I{k}"] == on_call[f"oncall/2027-01-{4 + k:02d}"]


def test_builders_handle_their_system_from_another_team():
    other = {"id": "u", "timezone": "UTC",
             "engineers": [engineer("bob", built_systems=["api"])]}
    solution = solved(org([engineer("alice")], [incident("A", "05T10:00", 1)],
                          policy={"support_model": "builders"}, extra_teams=[other]))
    assert handlers(solution) == {"A": "bob"}


def test_tiered_sends_l1_to_the_dedicated_team_and_l3_to_the_builders():
    desk = {"id": "desk", "kind": "dedicated", "timezone": "UTC",
            "engineers": [engineer("dora")]}
    people = [engineer("alice", built_systems=["api"]), engineer("bob")]
    solution = solved(org(people, [incident("A", "05T10:00", 1, tier="L1"),
                                   incident("B", "05T11:00", 1, tier="L3")],
                          policy={"support_model": "tiered"}, extra_teams=[desk]))
    assert handlers(solution) == {"A": "dora", "B": "alice"}


def test_an_sla_shorter_than_the_effort_is_missed_with_its_reason():
    solution = solved(org([engineer("alice")],
                          [incident("A", "05T10:00", 10, sla={"resolve_hours": 4})],
                          weights={"sla_missed": 100}))
    # SLA-bound, so it may interrupt and is handled, but 10 h of effort cannot fit 4 h.
    (outcome,) = solution.incidents
    assert (outcome.sla_met, outcome.reason) == (False, "effort exceeds the resolve-by time")
    assert solution.objective == 100


def test_expertise_sends_the_work_to_the_strongest_candidate():
    people = [engineer("alice", skills={"db": 2}), engineer("bob", skills={"db": 5})]
    solution = solved(org(people, [incident("A", "05T10:00", 1, required_skills={"db": 1})],
                          weights={"expertise": 10}))
    assert handlers(solution) == {"A": "bob"} and solution.objective == 0


def test_knowledge_spreads_a_system_over_engineers():
    # Two incidents on api, two equal engineers: one each leaves no engineer-gap (min(2, 2) - 2).
    solution = solved(org([engineer("alice"), engineer("bob")],
                          [incident("A", "05T10:00", 1), incident("B", "06T10:00", 1)],
                          weights={"knowledge": 5}))
    assert solution.objective == 0
    assert set(handlers(solution).values()) == {"alice", "bob"}
    assert solution.teams[0].knowledge == {"api": 2}


def test_urgent_incident_nobody_can_take_is_explained():
    alice = engineer("alice", unavailability=[{"start": "2027-01-05", "end": "2027-01-05"}])
    solution = solved(org([alice], [incident("A", "05T10:00", 1, priority="P1")]))
    assert solution.status == "INFEASIBLE"
    assert "incident A (P1/S3, api)" in solution.explanation[0]
    assert "nobody can take it" in solution.explanation[0]
