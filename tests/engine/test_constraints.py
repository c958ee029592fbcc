"""Coverage, one duty at a time, leave, skills and working hours: the always-hard families."""

from engine_support import engineer, solved, team_instance


def test_every_shift_gets_exactly_its_head_count(three_engineers):
    # 3 daily turns x 1 primary: exactly 3 assignments, no cost anywhere.
    solution = solved(team_instance(three_engineers, days=3))
    assert solution.status == "OPTIMAL"
    assert solution.objective == 0
    assert sorted(a.shift for a in solution.assignments) == [
        "r/2027-01-04", "r/2027-01-05", "r/2027-01-06"
    ]


def test_head_count_of_two_uses_both_engineers():
    instance = team_instance(
        [engineer("alice"), engineer("bob")], days=2, roles=[{"id": "primary", "head_count": 2}]
    )
    solution = solved(instance)
    assert len(solution.assignments) == 4


def test_one_engineer_cannot_hold_two_roles_on_one_shift():
    instance = team_instance(
        [engineer("alice")], days=1, roles=[{"id": "primary"}, {"id": "secondary"}]
    )
    solution = solved(instance)
    assert solution.status == "INFEASIBLE"
    text = "\n".join(solution.explanation)
    assert "alice can hold only one duty at a time" in text
    assert "primary on 2027-01-04" in text and "secondary on 2027-01-04" in text


def test_overlapping_windows_go_to_different_engineers():
    # 08:00-16:00 and 12:00-20:00 overlap, so one engineer cannot hold both.
    windows = {
        "kind": "windows",
        "windows": [{"name": "day", "start": "08:00", "hours": 8},
                    {"name": "late", "start": "12:00", "hours": 8}],
    }
    alone = solved(team_instance([engineer("alice")], days=1, pattern=windows))
    assert alone.status == "INFEASIBLE"
    pair = solved(team_instance([engineer("alice"), engineer("bob")], days=1, pattern=windows))
    assert pair.status == "OPTIMAL"
    assert {a.engineer for a in pair.assignments} == {"alice", "bob"}


def test_leave_moves_the_duty_to_someone_else():
    alice = engineer("alice", unavailability=[{"start": "2027-01-05", "end": "2027-01-05"}])
    solution = solved(team_instance([alice, engineer("bob")], days=3))
    on_the_5th = [a.engineer for a in solution.assignments if a.shift == "r/2027-01-05"]
    # the turn of the 4th (09:00 to 09:00 on the 5th) also overlaps alice's leave
    on_the_4th = [a.engineer for a in solution.assignments if a.shift == "r/2027-01-04"]
    assert on_the_5th == ["bob"] and on_the_4th == ["bob"]


def test_skill_and_leave_clash_is_explained_in_planner_words():
    carol = engineer(
        "carol",
        skills={"db": 4},
        unavailability=[{"start": "2027-01-05", "end": "2027-01-05", "kind": "pto"}],
    )
    instance = team_instance(
        [engineer("alice", skills={"db": 1}), carol],
        days=3,
        roles=[{"id": "primary", "required_skills": {"db": 3}}],
    )
    solution = solved(instance)
    assert solution.status == "INFEASIBLE"
    text = "\n".join(solution.explanation)
    assert "primary needs 1 engineer with db level 3" in text
    assert "2027-01-05" in text
    assert "carol is on leave (pto) 2027-01-05" in text
    assert "alice lacks the skill level" in text


def test_required_skill_keeps_novices_off_the_role():
    instance = team_instance(
        [engineer("alice", skills={"db": 3}), engineer("bob", skills={"db": 1})],
        days=2,
        roles=[{"id": "primary", "required_skills": {"db": 2}}],
    )
    solution = solved(instance)
    assert {a.engineer for a in solution.assignments} == {"alice"}


def test_role_eligibility():
    instance = team_instance(
        [engineer("alice", roles=["secondary"]), engineer("bob"), engineer("carol")],
        days=2,
        roles=[{"id": "primary"}, {"id": "secondary"}],
        rules=[{"rule": "shifts", "max": 2}],
    )
    solution = solved(instance)
    assert all(a.role == "secondary" for a in solution.assignments if a.engineer == "alice")


def test_within_working_hours_gives_each_window_to_its_region():
    # 00:00-08:00 UTC is 05:30-13:30 in Kolkata; 08:00-16:00 UTC is 09:00-17:00 in Berlin.
    pattern = {
        "kind": "windows",
        "windows": [{"name": "apac", "start": "00:00", "hours": 8},
                    {"name": "emea", "start": "08:00", "hours": 8}],
    }
    ravi = engineer("ravi", timezone="Asia/Kolkata",
                    working_hours={"start": "05:00", "end": "14:00"})
    jana = engineer("jana", timezone="Europe/Berlin",
                    working_hours={"start": "09:00", "end": "17:00"})
    instance = team_instance([ravi, jana], days=1, pattern=pattern)
    rotation = instance.teams[0].rotations[0].model_copy(update={"within_working_hours": True})
    team = instance.teams[0].model_copy(update={"rotations": [rotation]})
    instance = instance.model_copy(update={"teams": [team]})
    solution = solved(instance)
    assert {a.shift_type: a.engineer for a in solution.assignments} == {
        "apac": "ravi", "emea": "jana"
    }


def test_head_counts_by_date_and_weekday_first_match_wins():
    # Two wanted on weekdays, three on Wednesday the 6th, one at weekends; the Saturday entry
    # comes after the weekend one, so Saturday keeps one. Two engineers cannot staff Wednesday
    # three times over: one person-shift short at 100, the optimum.
    role = {
        "id": "primary", "head_count": 2, "understaff_weight": 100,
        "head_counts": [
            {"date": "2027-01-06", "head_count": 3},
            {"weekdays": ["sat", "sun"], "head_count": 1},
            {"date": "2027-01-09", "head_count": 3},
        ],
    }
    instance = team_instance([engineer("alice"), engineer("bob")], days=7, roles=[role])
    solution = solved(instance)
    assert solution.status == "OPTIMAL"
    assert solution.objective == 100
    per_day: dict[str, int] = {}
    for a in solution.assignments:
        per_day[a.shift] = per_day.get(a.shift, 0) + 1
    assert list(per_day.values()) == [2, 2, 2, 2, 2, 1, 1]
    assert solution.teams[0].understaffed == 1
