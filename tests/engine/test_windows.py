"""Windows of days swept over the horizon: how they grow, repeat and end."""

from rotasat.engine.windows import FIRST_DAYS, LONGEST, Window, sweep_windows


def recorder(outcome):
    """A solve that records each window (first day, days) and answers `outcome(first, days)`."""
    seen: list[tuple[int, int]] = []

    def solve(first: int, days: int, seconds: float) -> Window:
        seen.append((first, days))
        improved, proven = outcome(first, days)
        return Window(improved, proven, 0.25)

    return seen, solve


def test_windows_grow_while_every_one_is_proven_and_none_gains():
    # 28 days: a week in steps of 2 days (14 windows), then 11 days in steps of 3, 17 in steps
    # of 5; 26 would be more than two thirds of the horizon, nearly the whole model
    seen, solve = recorder(lambda first, days: (False, True))
    spent = sweep_windows(28, solve, budget=100.0)
    sizes = sorted({days for _, days in seen})
    assert FIRST_DAYS == 7 and LONGEST == 2 / 3 and sizes == [7, 11, 17]
    assert [first for first, days in seen if days == 7] == list(range(0, 28, 2))
    assert [first for first, days in seen if days == 17] == [0, 5, 10, 15, 20, 25]
    assert spent == 0.25 * len(seen)


def test_a_sweep_that_gains_is_repeated_at_the_same_size():
    gains = iter([True] + [False] * 100)
    seen, solve = recorder(lambda first, days: (next(gains), True))
    sweep_windows(21, solve, budget=100.0)
    # two sweeps of a week (11 windows each), then 11 days (7 windows); 17 is too long
    assert [days for _, days in seen] == [7] * 22 + [11] * 7


def test_windows_left_unproven_end_the_search_when_they_gain_nothing():
    seen, solve = recorder(lambda first, days: (False, first != 4))
    sweep_windows(28, solve, budget=100.0)
    assert {days for _, days in seen} == {7} and len(seen) == 14


def test_the_search_keeps_to_its_budget_and_stops_when_asked():
    seen, solve = recorder(lambda first, days: (False, True))
    assert sweep_windows(28, solve, budget=1.0) == 1.0
    assert len(seen) == 4
    seen, solve = recorder(lambda first, days: (False, True))
    assert sweep_windows(28, solve, budget=100.0, should_stop=lambda: True) == 0.0
    assert seen == []
    # a horizon where a week is more than two thirds leaves everything to the whole model
    seen, solve = recorder(lambda first, days: (False, True))
    assert sweep_windows(10, solve, budget=100.0) == 0.0 and seen == []
