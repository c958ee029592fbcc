"""Windows of days swept over the horizon: how they grow, split the team, repeat and end."""

import math

import pytest
from rotasat.engine import windows
from rotasat.engine.windows import (
    FIRST_DAYS,
    GROW_BELOW,
    HALF_SPAN,
    LONGEST,
    SMALLEST_HALF,
    Window,
    sweep_windows,
)


class Recorder:
    """A solve that records the streams of windows asked for together in `blocks`, and each
    window (first day, days, engineers) in `seen` in the order one solved at a time would take
    them (a window of each stream in turn). It answers `outcome(first, days)` for each; a
    window takes 0.25 s, and none starts once the budget is spent or the search is stopped."""

    def __init__(self, outcome) -> None:
        self.outcome = outcome
        self.seen: list[tuple[int, int, frozenset[int] | None]] = []
        self.blocks: list[list[list[tuple[int, int, frozenset[int] | None]]]] = []

    def __call__(self, streams, budget: float, stop) -> list[Window]:
        self.blocks.append(streams)
        windows: list[Window] = []
        for i in range(max(len(stream) for stream in streams)):
            for stream in streams[:]:
                if i >= len(stream):
                    continue
                if 0.25 * len(windows) >= budget or stop():
                    return windows
                first, days, group = stream[i]
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
    # everyone's windows: a sweep is one stream, one window after the other
    assert [len(block) for block in solve.blocks] == [1, 1, 1]


@pytest.mark.parametrize("split_places", [1, 3])
def test_a_long_horizon_is_swept_in_halves_of_the_team_over_twice_the_days(
        monkeypatch, split_places):
    # 56 days, 9 engineers: two weeks (a quarter of the horizon) for each half, in steps of 4
    # days (14 places, 28 windows); then everyone (22 days would pass a quarter): 11 days, 17,
    # 26 (39 would pass two thirds of the horizon)
    assert HALF_SPAN == 1 / 4
    monkeypatch.setattr(windows, "SPLIT_PLACES", split_places)
    seen, solve = recorder(lambda first, days: (False, True))
    sweep_windows(56, 2 * SMALLEST_HALF + 1, solve, budget=100.0, seed=3)
    assert [days for _, days, _ in seen] == [14] * 28 + [11] * 19 + [17] * 12 + [26] * 7
    # blocks of two streams, one split of the team each: one half at `split_places` places,
    # then half a horizon (7 places) later; the other half the other way round (so the two
    # streams never share an engineer, nor come near each other's days)
    blocks = math.ceil(7 / split_places)
    halves = solve.blocks[:blocks]
    assert all(len(block) == 2 for block in halves)
    places = []
    for one_stream, other_stream in halves:
        (one,) = {group for _, _, group in one_stream}
        (other,) = {group for _, _, group in other_stream}
        assert one is not None and other is not None
        assert one | other == set(range(9)) and not one & other and len(one) == 4
        early = [first for first, _, _ in one_stream[: len(one_stream) // 2]]
        assert len(early) <= split_places and all(first < 28 for first in early)
        later = [first + 28 for first in early]
        assert [first for first, _, _ in one_stream] == early + later
        assert [first for first, _, _ in other_stream] == later + early
        places += [(first, group) for first, _, group in one_stream + other_stream]
    # every place has each half of a split once
    assert sorted(first for first, _ in places) == sorted(list(range(0, 56, 4)) * 2)
    if split_places == 1:
        assert len({group for _, group in places}) > 2  # each place draws its own halves
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


def test_an_odd_place_out_takes_its_halves_one_after_the_other():
    # 60 days: halves' windows of 14 days in steps of 4, 15 places: 7 pairs and one left over
    solve = Recorder(lambda first, days: (False, True))
    sweep_windows(60, 8, solve, budget=100.0)
    halves = [block for block in solve.blocks if block[0][0][1] == 14]
    [odd] = [block for block in halves if len(block) == 1]
    [(first, _, one), (again, _, other)] = odd[0]
    assert first == again == 56 and one | other == set(range(8)) and not one & other


def test_a_sweep_that_gains_is_repeated_at_the_same_size():
    # 21 days, one engineer: everyone's windows, a week in steps of 2 days (11 a sweep)
    gains = iter([True] + [False] * 100)
    seen, solve = recorder(lambda first, days: (next(gains), True))
    sweep_windows(21, 1, solve, budget=100.0)
    # two sweeps of a week, then 11 days (7 windows); 17 is too long
    assert [days for _, days, _ in seen] == [7] * 22 + [11] * 7


def test_halves_grow_once_a_sweep_gains_seldom():
    # 56 days, 9 engineers: halves' windows of 14 days, 28 a sweep, grow after a sweep in which
    # at most a fifth gained (5 of 28), everyone's windows of 11 days come next
    assert GROW_BELOW == 0.2
    for gaining, sweeps in ((5, 1), (6, 2)):
        outcomes = iter([True] * gaining + [False] * 1000)
        seen, solve = recorder(lambda first, days, outcomes=outcomes: (next(outcomes), True))
        sweep_windows(56, 9, solve, budget=100.0)
        assert [days for _, days, _ in seen][: 28 * sweeps + 1] == [14] * 28 * sweeps + [11]
    # a sweep that gains seldom but leaves windows unproven is repeated (larger windows would
    # leave more unproven); then one that gains nothing ends the search
    gains = iter([True] * 2 + [False] * 1000)
    seen, solve = recorder(lambda first, days: (next(gains), first != 4))
    sweep_windows(56, 9, solve, budget=100.0)
    assert [days for _, days, _ in seen] == [14] * 56


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
