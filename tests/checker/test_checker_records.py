"""Malformed records: each is reported with its position, and never counted as coverage."""

from __future__ import annotations

import datetime as dt

from checker_support import messages, record, rota
from rotasat.checker import evaluate

WEEK = "alice bob carol alice bob carol alice"


def test_a_clean_week_has_no_record_problems(tiny):
    assert messages(evaluate(tiny, rota(tiny, "oncall", WEEK))) == []


def test_unknown_shift(tiny):
    bad = record(tiny, "oncall/2027-01-04", "alice", shift="oncall/2027-02-01")
    result = evaluate(tiny, [bad])
    assert messages(result, "record") == [
        "record 0: unknown shift 'oncall/2027-02-01' (held by alice as primary)"
    ]
    # Left out of everything else: Monday is still unstaffed.
    assert "oncall/2027-01-04 has 0 primary" in messages(result, "coverage")[0]


def test_unknown_engineer(tiny):
    result = evaluate(tiny, [record(tiny, "oncall/2027-01-04", "zed")])
    assert messages(result, "record") == [
        "record 0: unknown engineer 'zed' holds oncall/2027-01-04 (primary)"
    ]


def test_unknown_role(tiny):
    result = evaluate(tiny, [record(tiny, "oncall/2027-01-04", "alice", role="boss")])
    assert messages(result, "record") == [
        "record 0: alice holds oncall/2027-01-04 as 'boss', an unknown role: rotation oncall has "
        "roles 'primary'"
    ]


def test_role_of_another_rotation(with_business):
    bad = record(with_business, "oncall/2027-01-04", "alice", role="responder")
    assert messages(evaluate(with_business, [bad]), "record") == [
        "record 0: alice holds oncall/2027-01-04 as 'responder', a role of another rotation: "
        "rotation oncall has roles 'primary'"
    ]


def test_engineer_of_another_team(two_teams):
    bad = record(two_teams, "webcall/2027-01-04", "alice")
    result = evaluate(two_teams, [bad])
    assert messages(result, "record") == [
        "record 0: alice of team 'ops' holds webcall/2027-01-04 (primary) of team 'web'"
    ]
    assert not [v for v in result.violations if v.rule == "rotation_membership"]


def test_start_and_end_must_match_the_shift(tiny):
    late = record(
        tiny, "oncall/2027-01-04", "alice", start=dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)
    )
    assert messages(evaluate(tiny, [late]), "record") == [
        "record 0: alice holds oncall/2027-01-04 (primary) from 2027-01-04T10:00:00+00:00 to "
        "2027-01-05T09:00:00+00:00, but the shift runs from 2027-01-04T09:00:00+00:00 to "
        "2027-01-05T09:00:00+00:00"
    ]


def test_the_same_instant_with_another_offset_is_fine(tiny):
    # 09:00 UTC written as 10:00+01:00 is the same instant: not a mismatch.
    paris = dt.timezone(dt.timedelta(hours=1))
    same = record(
        tiny,
        "oncall/2027-01-04",
        "alice",
        start=dt.datetime(2027, 1, 4, 10, 0, tzinfo=paris),
        end=dt.datetime(2027, 1, 5, 10, 0, tzinfo=paris),
    )
    assert messages(evaluate(tiny, [same]), "record") == []


def test_copied_fields_must_match_the_shift(tiny):
    bad = record(tiny, "oncall/2027-01-04", "alice", shift_type="night")
    assert messages(evaluate(tiny, [bad]), "record") == [
        "record 0: alice holds oncall/2027-01-04 (primary) with shift_type 'night', but the "
        "shift's shift_type is 'turn'"
    ]


def test_duplicate_record_is_reported_and_counted_once(tiny):
    week = rota(tiny, "oncall", WEEK)
    result = evaluate(tiny, [*week, week[0]])
    assert messages(result, "record") == [
        "record 7: alice holds oncall/2027-01-04 (primary) again (as in record 0)"
    ]
    # Counted once: no over-staffing on Monday, and alice holds 3 shifts, not 4.
    assert messages(result, "coverage") == []
    assert next(f for f in result.engineers if f.engineer == "alice").shifts == 3
