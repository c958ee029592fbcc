"""The always-hard rules: each found with a readable message, and absent from a clean week."""

from __future__ import annotations

from checker_support import messages, record, rota
from rotasat.checker import evaluate

WEEK = "alice bob carol alice bob carol alice"


def test_clean_week_is_feasible(tiny):
    result = evaluate(tiny, rota(tiny, "oncall", WEEK))
    assert result.feasible
    assert result.violations == []


# coverage -------------------------------------------------------------------------------------


def test_understaffing_is_forbidden_without_a_weight(tiny):
    result = evaluate(tiny, rota(tiny, "oncall", "alice bob - alice bob carol alice"))
    assert not result.feasible
    assert messages(result) == [
        "oncall/2027-01-06 has 0 primary, below the head count of 1 (under-staffing is not "
        "allowed for this role)"
    ]
    assert result.violations[0].date.isoformat() == "2027-01-06"


def test_overstaffing_is_forbidden_without_a_weight(tiny):
    extra = record(tiny, "oncall/2027-01-04", "bob")
    result = evaluate(tiny, [*rota(tiny, "oncall", WEEK), extra])
    assert messages(result, "coverage") == [
        "oncall/2027-01-04 has 2 primary (alice, bob), above the head count of 1 (over-staffing "
        "is not allowed for this role)"
    ]


def test_weights_allow_under_and_over_staffing_up_to_the_cap(make):
    role = {"id": "primary", "understaff_weight": 0, "overstaff_weight": 0, "max_head_count": 2}
    instance = make(rotation={"roles": [role]})
    # Monday empty, Tuesday two: allowed. Wednesday three: above the cap of 2.
    week = rota(instance, "oncall", "- bob carol alice bob carol alice")
    extra = [
        record(instance, "oncall/2027-01-05", "alice"),
        record(instance, "oncall/2027-01-06", "alice"),
        record(instance, "oncall/2027-01-06", "bob"),
    ]
    assert messages(evaluate(instance, week + extra)) == [
        "oncall/2027-01-06 has 3 primary (carol, alice, bob), above the maximum head count of 2"
    ]


# one duty at a time ---------------------------------------------------------------------------


def test_one_role_per_shift(pair_roles):
    week = rota(pair_roles, "oncall", WEEK) + rota(
        pair_roles, "oncall", "alice carol alice bob carol alice bob", role="secondary"
    )
    assert messages(evaluate(pair_roles, week), "one_duty_at_a_time") == [
        "alice holds oncall/2027-01-04 in 2 roles (primary, secondary): one role per shift"
    ]


def test_overlapping_shifts_across_rotations(with_business):
    oncall = rota(with_business, "oncall", WEEK)
    # business runs 10:00–18:00 on weekdays; alice's turn runs Mon 09:00 to Tue 09:00.
    business = rota(with_business, "business", "alice carol bob carol carol", "responder")
    assert messages(evaluate(with_business, oncall + business), "one_duty_at_a_time") == [
        "alice holds oncall/2027-01-04 and business/2027-01-04/day, which overlap from "
        "2027-01-04 10:00 to 2027-01-04 18:00 (UTC)"
    ]


def test_back_to_back_shifts_do_not_overlap(tiny):
    # alice holds Monday and Tuesday: the first ends when the second starts.
    result = evaluate(tiny, rota(tiny, "oncall", "alice alice bob carol bob carol bob"))
    assert messages(result, "one_duty_at_a_time") == []


# rotation membership, role eligibility, required skills --------------------------------------


def test_rotation_membership(make):
    instance = make(rotation={"engineers": ["alice", "bob"]})
    result = evaluate(instance, rota(instance, "oncall", WEEK))
    assert messages(result, "rotation_membership") == [
        "carol holds oncall/2027-01-06 (primary) but is not on rotation oncall (its engineers: "
        "alice, bob)",
        "carol holds oncall/2027-01-09 (primary) but is not on rotation oncall (its engineers: "
        "alice, bob)",
    ]
    clean = rota(instance, "oncall", "alice bob alice bob alice bob alice")
    assert messages(evaluate(instance, clean), "rotation_membership") == []


def test_role_eligibility(make):
    instance = make(
        engineers={"carol": {"roles": ["secondary"]}},
        rotation={"roles": [{"id": "primary"}, {"id": "secondary", "head_count": 0}]},
    )
    result = evaluate(instance, rota(instance, "oncall", "alice bob carol alice bob alice bob"))
    assert messages(result, "role_eligibility") == [
        "carol holds oncall/2027-01-06 (primary) but may take only secondary"
    ]


def test_required_skills(make):
    instance = make(engineers={"carol": {"skills": {"linux": 2}}, "bob": {"skills": {}}})
    result = evaluate(instance, rota(instance, "oncall", WEEK))
    assert sorted(messages(result, "required_skills")) == [
        "bob holds oncall/2027-01-05 (primary) but lacks linux (primary requires level 3)",
        "bob holds oncall/2027-01-08 (primary) but lacks linux (primary requires level 3)",
        "carol holds oncall/2027-01-06 (primary) but has linux at level 2 (primary requires "
        "level 3)",
        "carol holds oncall/2027-01-09 (primary) but has linux at level 2 (primary requires "
        "level 3)",
    ]


# leave ----------------------------------------------------------------------------------------


def test_leave_covers_whole_days_in_the_engineers_zone(make):
    leave = {"unavailability": [{"start": "2027-01-06", "end": "2027-01-07", "kind": "pto"}]}
    instance = make(engineers={"carol": leave})
    # carol's Tuesday turn ends Wednesday 09:00 UTC, inside her leave from Wednesday 00:00.
    result = evaluate(instance, rota(instance, "oncall", "alice carol bob alice bob carol alice"))
    assert messages(result, "leave") == [
        "carol holds oncall/2027-01-05 (primary) but is on leave (pto) 2027-01-06 to 2027-01-07"
    ]
    # Friday's turn starts 09:00 on the 8th, after leave ends (Friday 00:00): allowed.
    assert result.violations[0].engineer == "carol"


def test_leave_in_another_zone(make):
    leave = {"unavailability": [{"start": "2027-01-06", "end": "2027-01-07", "kind": "sick"}]}
    instance = make(engineers={"carol": {**leave, "timezone": "Pacific/Honolulu"}})
    # In Honolulu (UTC−10) leave runs from Wed 10:00 UTC to Fri 10:00 UTC: the Tuesday turn
    # (ends Wed 09:00 UTC) is clear, but the Thursday turn (starts Thu 09:00 UTC) is not, and
    # neither is Friday's (starts 09:00 UTC, 23:00 Thursday in Honolulu).
    result = evaluate(instance, rota(instance, "oncall", "alice carol bob carol carol bob alice"))
    assert messages(result, "leave") == [
        "carol holds oncall/2027-01-07 (primary) but is on leave (sick) 2027-01-06 to 2027-01-07",
        "carol holds oncall/2027-01-08 (primary) but is on leave (sick) 2027-01-06 to 2027-01-07",
    ]


# working hours --------------------------------------------------------------------------------


def test_working_hours(make):
    instance = make(
        rotation={
            "within_working_hours": True,
            "pattern": {
                "kind": "windows",
                "windows": [{"name": "day", "start": "09:00", "hours": 8}],
                "days": ["mon", "tue", "wed", "thu", "fri"],
            },
        },
        engineers={
            "alice": {"working_hours": {"start": "10:00", "end": "18:00"}},
            "bob": {"working_days": ["mon", "tue", "wed", "thu"]},
            "carol": {"timezone": "America/New_York"},
        },
    )
    # Shifts run 09:00–17:00 UTC. bob (09:00–17:00 UTC, Mon–Thu) is fine Mon–Thu, not on Friday;
    # alice starts work at 10:00; carol's 09:00 UTC is 04:00 in New York.
    schedule = rota(instance, "oncall", "bob bob bob alice bob")
    schedule[2] = record(instance, "oncall/2027-01-06/day", "carol")
    assert sorted(messages(evaluate(instance, schedule), "working_hours")) == [
        "alice holds oncall/2027-01-07/day (primary) but it runs 2027-01-07 09:00 to 2027-01-07 "
        "17:00 UTC, outside working hours 10:00-18:00 mon,tue,wed,thu,fri: it starts at 09:00, "
        "before 10:00",
        "bob holds oncall/2027-01-08/day (primary) but it runs 2027-01-08 09:00 to 2027-01-08 "
        "17:00 UTC, outside working hours 09:00-17:00 mon,tue,wed,thu: fri is not a working day",
        "carol holds oncall/2027-01-06/day (primary) but it runs 2027-01-06 04:00 to 2027-01-06 "
        "12:00 America/New_York, outside working hours 09:00-17:00 mon,tue,wed,thu,fri: it "
        "starts at 04:00, before 09:00",
    ]


def test_working_hours_reject_a_shift_across_midnight(make):
    instance = make(rotation={"within_working_hours": True})
    result = evaluate(instance, rota(instance, "oncall", WEEK))
    assert messages(result, "working_hours")[0] == (
        "alice holds oncall/2027-01-04 (primary) but it runs 2027-01-04 09:00 to 2027-01-05 "
        "09:00 UTC, outside working hours 09:00-17:00 mon,tue,wed,thu,fri: it ends on another day"
    )


def test_coverage_follows_the_first_matching_head_count(make):
    role = {"id": "primary", "required_skills": {"linux": 3},
            "head_counts": [{"date": "2027-01-05", "head_count": 2},
                            {"weekdays": ["tue", "sun"], "head_count": 0}]}
    instance = make(rotation={"roles": [role]})
    # Tuesday the 5th wants 2 (the first entry), Sunday none, every other day 1.
    week = rota(instance, "oncall", "alice bob carol alice bob carol alice")
    assert messages(evaluate(instance, week)) == [
        "oncall/2027-01-05 has 1 primary (bob), below the head count of 2 (under-staffing is "
        "not allowed for this role)",
        "oncall/2027-01-10 has 1 primary (alice), above the head count of 0 (over-staffing is "
        "not allowed for this role)",
    ]
