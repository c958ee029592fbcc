"""Windows of days swept over the horizon: how they grow, split the team, repeat and end; and
windows around a misplaced duty's two days."""

from rotasat.engine.windows import (
    FIRST_DAYS,
    HALF_SPAN,
    LONGEST,
    MEND_REACH,
    SMALLEST_HALF,
    Window,
    mend_coverage,
    sweep_windows,
)


class Recorder:
    """A solve that records each window (first day, days, engineers) in `seen`, how many were
    asked for together in `batches`, and answers `outcome(first, days)`."""

    def __init__(self, outcome) -> None:
        self.outcome = outcome
        self.seen: list[tuple[int, int, frozenset[int] | None]] = []
        self.batches: list[int] = []

    def __call__(self, places, seconds: float) -> list[Window]:
        self.batches.append(len(places))
        windows = []
        for first, days, group in places:
            self.seen.append((first, days, group))
            improved, proven = self.outcome(first, days)
            windows.append(Window(improved, proven, 0.25))
        return windows


def recorder(outcome):
    solve = Recorder(outcome)
    return solve.seen, solve


def test_windows_grow_while_every_one_is_proven_and_none_gains():
    # 28 days, one engineer: a week in steps of 2 days (14 windows), then 11 days in steps of
    # 3, 17 in steps of 5; 26 would be more than two thirds of the horizon (nearly the whole
    # model)
    seen, solve = recorder(lambda first, days: (False, True))
    spent = sweep_windows(28, 1, solve, budget=100.0)
    sizes = sorted({days for _, days, _ in seen})
    assert FIRST_DAYS == 7 and LONGEST == 2 / 3 and sizes == [7, 11, 17]
    assert [first for first, days, _ in seen if days == 7] == list(range(0, 28, 2))
    assert [first for first, days, _ in seen if days == 17] == [0, 5, 10, 15, 20, 25]
    assert {group for _, _, group in seen} == {None}
    assert spent == 0.25 * len(seen)


def test_a_long_horizon_is_swept_in_halves_of_the_team_over_twice_the_days():
    # 56 days, 9 engineers: two weeks (a quarter of the horizon) for each half, in steps of 4
    # days (14 places, 28 windows); then everyone (22 days would pass a quarter): 11 days, 17,
    # 26 (39 would pass two thirds of the horizon)
    assert HALF_SPAN == 1 / 4
    seen, solve = recorder(lambda first, days: (False, True))
    sweep_windows(56, 2 * SMALLEST_HALF + 1, solve, budget=100.0, seed=3)
    assert [days for _, days, _ in seen] == [14] * 28 + [11] * 19 + [17] * 12 + [26] * 7
    # in pairs: a half at one place and the other half half a horizon (7 places) later, then
    # the other way round, each pair asked for together
    halves = [(first, group) for first, days, group in seen if days == 14]
    assert [first for first, _ in halves] == [
        first + later for first in range(0, 28, 4) for _ in (0, 1) for later in (0, 28)]
    assert solve.batches[:14] == [2] * 14 and set(solve.batches[14:]) == {1}
    for i in range(0, 28, 4):
        (first, one), (later, other), (again, two), (_, three) = halves[i: i + 4]
        assert (later - first, again) == (28, first) and (one, other) == (three, two)
        assert one is not None and other is not None
        assert one | other == set(range(9)) and not one & other and len(one) == 4
    assert len({group for _, group in halves}) > 2  # each place draws its own halves
    assert {group for _, days, group in seen if days != 14} == {None}
    # the halves are drawn from the seed: the same seed, the same windows
    again, solve = recorder(lambda first, days: (False, True))
    sweep_windows(56, 9, solve, budget=100.0, seed=3)
    assert again == seen
    # a team with fewer than two halves of SMALLEST_HALF, or a horizon of four weeks (where two
    # weeks are half of it), is never split: a week for everyone comes first
    for horizon, engineers in ((56, 2 * SMALLEST_HALF - 1), (28, 30)):
        seen, solve = recorder(lambda first, days: (False, True))
        sweep_windows(horizon, engineers, solve, budget=100.0)
        assert seen[0][1] == 7 and {group for _, _, group in seen} == {None}


def test_a_sweep_that_gains_is_repeated_at_the_same_size():
    gains = iter([True] + [False] * 100)
    seen, solve = recorder(lambda first, days: (next(gains), True))
    sweep_windows(21, 1, solve, budget=100.0)
    # two sweeps of a week (11 windows each), then 11 days (7 windows); 17 is too long
    assert [days for _, days, _ in seen] == [7] * 22 + [11] * 7


def test_windows_left_unproven_end_the_search_when_they_gain_nothing():
    seen, solve = recorder(lambda first, days: (False, first != 4))
    sweep_windows(28, 1, solve, budget=100.0)
    assert {days for _, days, _ in seen} == {7} and len(seen) == 14


def test_the_search_keeps_to_its_budget_and_stops_when_asked():
    seen, solve = recorder(lambda first, days: (False, True))
    assert sweep_windows(28, 1, solve, budget=1.0) == 1.0
    assert len(seen) == 4
    seen, solve = recorder(lambda first, days: (False, True))
    assert sweep_windows(28, 1, solve, budget=100.0, should_stop=lambda: True) == 0.0
    assert seen == []
    # a horizon where a week is more than two thirds leaves everything to the whole model
    seen, solve = recorder(lambda first, days: (False, True))
    assert sweep_windows(10, 1, solve, budget=100.0) == 0.0 and seen == []


def around(*centres: int) -> frozenset[int]:
    return frozenset(day for c in centres for day in range(c - MEND_REACH, c + MEND_REACH + 1))


def test_a_duty_is_mended_across_the_days_around_its_surplus_and_a_shortfall_nearest_first():
    # shortfalls on days 5 and 20, surpluses on days 1, 3 and 5 (day 5 with itself is no pair:
    # a window of consecutive days holds both): the pairs by distance, each window the days
    # within MEND_REACH of both of its days; nothing gains, so each is solved once
    assert MEND_REACH == 2
    seen: list[frozenset[int]] = []

    def solve(days, seconds):
        seen.append(days)
        return Window(False, True, 0.5)

    spent = mend_coverage(lambda: ({5, 20}, {1, 3, 5}), solve, budget=100.0)
    assert seen == [around(3, 5), around(1, 5), around(20, 5), around(3, 20), around(1, 20)]
    assert spent == 0.5 * len(seen)


def test_after_a_gain_the_misplaced_duties_are_read_again_from_the_nearest():
    # the second window gains and leaves one pair, which is tried again from the start; the
    # search ends when a whole pass gains nothing (or nothing is misplaced)
    states = iter([({10, 14}, {1}), ({10}, {1}), (set(), set())])
    outcomes = iter([False, True, False])
    seen: list[frozenset[int]] = []

    def solve(days, seconds):
        seen.append(days)
        return Window(next(outcomes), True, 0.25)

    assert mend_coverage(lambda: next(states), solve, budget=100.0) == 0.75
    assert seen == [around(1, 10), around(1, 14), around(1, 10)]


def test_the_mending_keeps_to_its_budget_and_stops_when_asked():
    budgets: list[float] = []

    def solve(days, seconds):
        budgets.append(seconds)
        return Window(False, False, 2.5)

    misplaced = lambda: ({10, 20, 30}, {1})  # noqa: E731
    assert mend_coverage(misplaced, solve, budget=4.0) == 5.0
    assert budgets == [3.0, 1.5]  # a window gets at most WINDOW_SECONDS, then what is left
    budgets.clear()
    assert mend_coverage(misplaced, solve, budget=4.0, should_stop=lambda: True) == 0.0
    assert budgets == []
