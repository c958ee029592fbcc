"""The greedy first schedule keeps the hard rules it can see as it goes."""

from engine_support import engineer, team_instance
from rotasat.engine.data import build_team_data
from rotasat.engine.warmstart import greedy_schedule

WINDOWS = {"kind": "windows", "windows": [{"name": "early", "start": "00:00", "hours": 8},
                                          {"name": "late", "start": "12:00", "hours": 8}]}


def test_a_shift_type_limit_counts_only_shifts_of_its_type():
    # alice alone, at most one late shift: the early shifts do not count toward that limit,
    # so she takes both earlies and one late; the second late stays empty.
    rules = [{"rule": "shifts", "shift_type": "late", "max": 1}]
    instance = team_instance([engineer("alice")], days=2, pattern=WINDOWS,
                             roles=[{"id": "staff", "understaff_weight": 1}], rules=rules)
    data = build_team_data(instance, instance.teams[0])
    held = sorted(data.shifts[s].id for s, _, _ in greedy_schedule(data))
    assert held == ["r/2027-01-04/early", "r/2027-01-04/late", "r/2027-01-05/early"]
