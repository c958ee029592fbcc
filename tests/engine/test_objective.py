"""Objective terms with derived optima (flat shift weights: a 24 h turn is 240 points)."""

from engine_support import duty, engineer, solved, team_instance
from rotasat.engine.data import build_team_data
from rotasat.engine.objective import load_step, narrowest_window, nearest_in_class


def test_fairness_spread_counts_history():
    # 3 turns, 2 engineers: without history one holds 2 (480) and one 1 (240): spread 240.
    plain = solved(team_instance([engineer("alice"), engineer("bob")], days=3,
                                 weights={"fairness_spread": 1}))
    assert plain.objective == 240
    # alice already carried 24 h last quarter (240 points): she takes 1, bob 2, spread 0.
    carried = solved(team_instance(
        [engineer("alice", history={"hours": 24}), engineer("bob")], days=3,
        weights={"fairness_spread": 1},
    ))
    assert carried.objective == 0
    assert len(duty(carried, "alice")) == 1
    alice = next(f for f in carried.engineers if f.engineer == "alice")
    assert (alice.load, alice.history_load, alice.total_load) == (24.0, 24.0, 48.0)


def test_fairness_deviation_from_the_floor_of_the_mean(three_engineers):
    # 4 turns over 3 engineers: loads 480, 240, 240; mean 320; |160| + |80| + |80| = 320.
    solution = solved(team_instance(three_engineers, days=4, weights={"fairness_deviation": 1}))
    assert solution.objective == 320
    team = solution.teams[0]
    assert (team.load_min, team.load_max, team.load_spread) == (24.0, 48.0, 24.0)


def test_avoid_preference_moves_duty():
    # The turn of the 5th: alice's avoidance costs 2, bob's 1, so bob takes it: 1 x 20.
    alice = engineer("alice", preferences=[{"kind": "avoid", "dates": ["2027-01-05"],
                                            "weight": 2}])
    bob = engineer("bob", preferences=[{"kind": "avoid", "weekdays": ["tue"], "weight": 1}])
    solution = solved(team_instance([alice, bob], days=2, weights={"preferences": 20}))
    assert solution.objective == 20
    assert "r/2027-01-05" in duty(solution, "bob")


def test_prefer_costs_each_matching_shift_not_held():
    # alice prefers Mondays and Tuesdays (weight 3) but may hold one turn: 1 missed -> 3.
    alice = engineer("alice", preferences=[{"kind": "prefer", "weekdays": ["mon", "tue"],
                                            "weight": 3}])
    rules = [{"rule": "shifts", "max": 1, "engineers": ["alice"]}]
    solution = solved(team_instance([alice, engineer("bob")], days=2, rules=rules,
                                    weights={"preferences": 1}))
    assert solution.objective == 3


def test_skill_gap_prefers_the_stronger_engineer():
    # min rest forces alternation over 3 turns: alice (linux 5) holds 2, bob (linux 2) 1.
    # bob's gap is 5 - 2 = 3 levels, x 5.
    people = [engineer("alice", skills={"linux": 5}), engineer("bob", skills={"linux": 2})]
    solution = solved(team_instance(
        people, days=3, roles=[{"id": "primary", "required_skills": {"linux": 2}}],
        rules=[{"rule": "min_rest", "hours": 24}], weights={"skill": 5},
    ))
    assert solution.objective == 15
    assert duty(solution, "bob") == ["r/2027-01-05"]


def test_preferred_skills_count_without_being_required():
    people = [engineer("alice", skills={"k8s": 1}), engineer("bob", skills={"k8s": 4})]
    solution = solved(team_instance(
        people, days=1, roles=[{"id": "primary", "preferred_skills": ["k8s"]}],
        weights={"skill": 1},
    ))
    assert solution.objective == 1 and duty(solution, "bob") == ["r/2027-01-04"]


def test_understaffing_is_priced_when_allowed():
    # One engineer, two roles: one role stays empty, 1 person-shift x 7.
    roles = [{"id": "primary"}, {"id": "secondary", "understaff_weight": 7}]
    solution = solved(team_instance([engineer("alice")], days=1, roles=roles))
    assert solution.objective == 7
    assert solution.teams[0].understaffed == 1


def test_overstaffing_is_priced_and_capped():
    # Head count 1, but both alice and bob prefer the turn (50 each if missed): holding it
    # together costs one extra engineer, 2, less than 50; a third is barred by the cap of 2.
    fans = [engineer(e, preferences=[{"kind": "prefer", "weight": 50}])
            for e in ("alice", "bob", "carol")]
    roles = [{"id": "primary", "overstaff_weight": 2, "max_head_count": 2}]
    solution = solved(team_instance(fans, days=1, roles=roles, weights={"preferences": 1}))
    # two hold it (cost 2 for the extra one), the third misses it (50)
    assert solution.objective == 52
    assert solution.teams[0].overstaffed == 1


def test_weekend_uplift_in_load():
    # A Saturday 09:00 turn lies wholly in the weekend: 24 h x 1.5 = 36 weighted hours.
    solution = solved(team_instance(
        [engineer("alice")], days=1, start="2027-01-09",
        shift_weights={"weekend": 1.5, "holiday": 1, "night": 1},
    ))
    alice = solution.engineers[0]
    assert (alice.hours, alice.load, alice.weekends) == (24.0, 36.0, 1)


def test_daylight_saving_turn_is_23_hours():
    # London springs forward on 2027-03-28: the turn from 09:00 on the 27th lasts 23 h.
    solution = solved(team_instance([engineer("alice")], days=1, start="2027-03-27",
                                    zone="Europe/London"))
    assert solution.engineers[0].hours == 23.0


def test_zero_weights_drop_their_terms(three_engineers):
    solution = solved(team_instance(three_engineers, days=2))
    assert solution.terms == []


def test_loads_keep_their_class_modulo_the_turns_step():
    # Flat 24 h turns are 240 points each, so a load is its history plus a multiple of 240.
    # alice carried 12 h (120 points), bob and carol nothing: loads of classes 120 and 0 are at
    # least 120 apart (the step less the widest gap between the classes, 240 - 120), whatever
    # the turns. Over 2 days the mean is (120 + 480) / 3 = 200: alice can come within 80 of it
    # (120 or 360), bob within 40 (240); both bounds hold in every schedule.
    instance = team_instance([engineer("alice", history={"hours": 12}), engineer("bob"),
                              engineer("carol")], days=2)
    data = build_team_data(instance, instance.teams[0])
    assert [load_step(data, e) for e in range(3)] == [240, 240, 240]
    assert narrowest_window(data, [0, 1, 2]) == 120
    assert narrowest_window(data, [1, 2]) == 0
    assert [nearest_in_class(data, e, 200) for e in range(3)] == [80, 40, 40]
    # the optimum meets both: alice 120 (no turn), bob and carol 240 each; spread 120, and
    # deviations from the floor of the mean 80 + 40 + 40
    both = solved(team_instance([engineer("alice", history={"hours": 12}), engineer("bob"),
                                 engineer("carol")], days=2,
                                weights={"fairness_spread": 1, "fairness_deviation": 1}))
    assert both.status == "OPTIMAL"
    assert both.objective == 120 + 160
    assert duty(both, "alice") == []


def test_an_engineer_who_can_hold_no_turn_keeps_the_history_as_load():
    # dave is on leave all week: his load is his 30 h (300 points), so the window must reach it
    instance = team_instance([engineer("alice"), engineer(
        "dave", history={"hours": 30},
        unavailability=[{"start": "2027-01-01", "end": "2027-01-20"}])], days=2)
    data = build_team_data(instance, instance.teams[0])
    assert (load_step(data, 0), load_step(data, 1)) == (240, 0)
    assert narrowest_window(data, [0, 1]) == 60  # 300 against alice's 0, 240 or 480
    assert nearest_in_class(data, 1, 200) == 100
    assert nearest_in_class(data, 0, 200) == 40
