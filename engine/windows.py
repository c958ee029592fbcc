"""Re-solving a few days at a time, for the team or half of it: the neighbourhood that mends
coverage.

A schedule one shift short of the best is seldom one engineer's doing: covering that shift means
moving several engineers' duties around those days at once, which neither the descent (one
engineer at a time, sequential.py) nor CP-SAT's own neighbourhoods (random variables and
constraints) do. Here every duty outside a window of consecutive days is held as the best
schedule has it, and CP-SAT finds the best schedule within the window, most often proven in a
fraction of a second; each window is a model of its own, cut out of the whole (submodel.py).

Where the horizon is long (eight weeks or more), a window spans twice the days for half the
engineers (a random half, then the other half, drawn afresh at each place): as many duties,
but runs of duty and days off can move further. On benchmark Instance20, from one schedule for
150 s, three seeds: 6382, 6137 and 5932, where windows for everyone reached 6406, 6407 and 6519,
and both kinds in turn 6514, 6402 and 6098. On a horizon of four weeks, where two weeks are half
of it, halves left Instance8 one shift short at 120 s (1408, 1403; both kinds in turn 1323,
1525) where everyone's windows covered it (1312, 1314); so a half's window spans at most a
quarter of the horizon (HALF_SPAN), and shorter horizons keep everyone's windows (bench/README.md,
session 17). Halves go in pairs: a half at one place and the other half half a horizon later
share no engineer and no day, so solve.py solves the two side by side, a worker each, where
their models share no constraint (one worker proves such a window about as fast as two): from
the same Instance20 schedule, 6107, 5845 and 6017.

Windows sweep the horizon (wrapping round its end) in steps of a third of their length; a sweep
that gains nothing although every window was proven grows them by half (they were too small to
hold a better schedule), one that gains nothing with windows left unproven ends the search, and
so would windows longer than LONGEST of the horizon: they are nearly the whole model, whose own
search may as well have the time (and prove the optimum).
On benchmark Instance8, from a schedule at 1493 that the whole model had not improved for
13 s, windows of 10 days reached 1313 in 21 s; at 60 s, 6 of 10 runs ended within 1% of the
optimum against 6 of 16 without windows, and 3 of 10 one shift short (1399 and above)
against 10 of 16 (bench/README.md).

Where the sweep ends stuck with a shift short of its need and another staffed beyond it on a day
further off than any window reaches, the days around both are freed at once (mend_coverage).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import NamedTuple

FIRST_DAYS = 7  # a week for everyone: the rules that span days (weekends, runs, rest) fit in it
GROWTH = 1.5
WINDOW_SECONDS = 3.0  # at most, per window
# Longer windows are nearly the whole model: on Instance4 (28 days), windows grown to 26 days
# took the time in which the whole model proves, at 60 s, the optimum it has from 1.6 s
LONGEST = 2 / 3
# The team is split in two for windows twice as long where both halves keep this many engineers
# (fewer is the descent's neighbourhood: one engineer's duties against everyone else's) and
# such a window spans at most this share of the horizon (module docstring)
SMALLEST_HALF = 4
HALF_SPAN = 1 / 4


# Where the windows end stuck with a shift short and another staffed beyond its need on a day
# further off, mend_coverage frees everyone on the days within this many of each, at once
MEND_REACH = 2


class Window(NamedTuple):
    """What solving one window did: did the best schedule improve, was the window's best
    proven, and the seconds it took."""

    improved: bool
    proven: bool
    spent: float


# A window: its first day, its days (first, ..., first + days - 1, modulo the horizon) and its
# engineers (positions among the team's; None for all of them)
Place = tuple[int, int, frozenset[int] | None]
# solve(places, seconds): those windows, side by side where they share no constraint (else one
# after the other), each within `seconds`; what each did, in order
WindowSolver = Callable[[list[Place], float], list[Window]]
# solve(days, seconds): everyone's duties on those days re-solved at once, within `seconds`
DaysSolver = Callable[[frozenset[int], float], Window]
# misplaced(): the days of the best schedule's shifts short of their need, and of those staffed
# beyond it
Misplaced = Callable[[], tuple[set[int], set[int]]]


def sweep_windows(horizon: int, engineers: int, solve: WindowSolver, budget: float,
                  should_stop: Callable[[], bool] = lambda: False, seed: int = 0) -> float:
    """Solve windows of days over a horizon of `horizon` days, for a team of `engineers`,
    within `budget` seconds, as the module docstring says (halves drawn from `seed`). Returns
    the seconds spent."""
    rng = random.Random(seed)
    size = FIRST_DAYS  # the days of a window for everyone; a half's window spans twice as many
    spent = 0.0
    while size <= LONGEST * horizon:
        halves = 2 * size <= HALF_SPAN * horizon and engineers >= 2 * SMALLEST_HALF
        gained, proven = False, True
        for batch in _batches(horizon, 2 * size if halves else size, engineers, halves, rng):
            if budget - spent <= 0 or should_stop():
                return spent
            for window in solve(batch, min(WINDOW_SECONDS, budget - spent)):
                spent += window.spent
                gained |= window.improved
                proven &= window.proven
        if not gained:
            if not proven:
                return spent
            size = math.ceil(size * GROWTH)
    return spent


def _batches(horizon: int, days: int, engineers: int, halves: bool, rng: random.Random
             ) -> list[list[Place]]:
    """One sweep's windows, in steps of a third of their length. Halves go in pairs: a half at
    one place with the other half half a horizon later (no engineer and no day in common, so
    the two can be solved side by side), then the other way round."""
    firsts = list(range(0, horizon, max(1, days // 3)))
    if not halves:
        return [[(first, days, None)] for first in firsts]
    batches: list[list[Place]] = []
    pairs = len(firsts) // 2
    for first, later in zip(firsts[:pairs], firsts[pairs:2 * pairs], strict=True):
        one, other = _halves(engineers, rng)
        batches += [[(first, days, one), (later, days, other)],
                    [(first, days, other), (later, days, one)]]
    for first in firsts[2 * pairs:]:
        one, other = _halves(engineers, rng)
        batches += [[(first, days, one)], [(first, days, other)]]
    return batches


def _halves(engineers: int, rng: random.Random) -> tuple[frozenset[int], frozenset[int]]:
    """A random half of the engineers and the other half."""
    shuffled = rng.sample(range(engineers), engineers)
    return frozenset(shuffled[: engineers // 2]), frozenset(shuffled[engineers // 2:])


def mend_coverage(misplaced: Misplaced, solve: DaysSolver, budget: float,
                  should_stop: Callable[[], bool] = lambda: False) -> float:
    """Move a duty from a shift staffed beyond its need to a shift short of it on another day:
    everyone's duties on the days around both (MEND_REACH) re-solved as one window, the
    nearest pairs first, again from the start after each gain, until none gains, `budget`
    seconds are spent or `should_stop`. Returns the seconds spent.

    Windows of consecutive days cannot make that move when the two days lie further apart
    than a window: the engineer who gives up the one duty must take the other. On benchmark
    Instance8, runs that ended one shift short (1400) had a surplus on day 2 and a shortfall on
    day 12, every window of up to 18 days proven with no gain; this window mended it at once
    (1308, bench/README.md session 24)."""
    spent = 0.0
    while True:
        short, spare = misplaced()
        pairs = sorted((abs(a - b), a, b) for a in spare for b in short if a != b)
        tried: set[frozenset[int]] = set()
        for _, a, b in pairs:
            days = frozenset(day for centre in (a, b)
                             for day in range(centre - MEND_REACH, centre + MEND_REACH + 1))
            if days in tried:
                continue
            if budget - spent <= 0 or should_stop():
                return spent
            tried.add(days)
            window = solve(days, min(WINDOW_SECONDS, budget - spent))
            spent += window.spent
            if window.improved:
                break
        else:
            return spent
