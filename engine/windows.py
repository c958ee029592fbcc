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
session 17). Halves go in two streams, one split of the team between them: one stream takes
one half's windows at a place and then half a horizon later, the other stream the other half's
the other way round, so the two never share an engineer or come near each other's days, and
solve.py solves them side by side, a worker each (one worker proves such a window about as fast
as two), cutting a stream's next window while the other's solves. From one Instance20 schedule
for 150 s, pairs solved together (session 17) reached 6107, 5845 and 6017; the streams solve
about 9% more windows in the same time (340 against 312), with schedules neither better nor
worse within the runs' spread (session 18). A split serves one place and its partner
(SPLIT_PLACES): one split for a whole sweep solved 16% to 31% more windows than a split drawn
afresh at each place, and no better schedules (bench/README.md, session 18).

Windows sweep the horizon (wrapping round its end) in steps of a third of their length. A sweep
that gains nothing although every window was proven grows them by half (they were too small to
hold a better schedule). Halves' windows grow already after a sweep in which at most a fifth of
them gained (GROW_BELOW): waiting for a sweep that gains nothing spent most of the time on
windows that gain a few points. On Instance20 from one schedule, 90 s of windows: 5509 and 5596
(seeds 0, 1), against 5654 and 5759. Everyone's windows on Instance8 did worse so (60 s, seeds
0-4: 1320, 1307, 1310, 1303 and 1398, against 1307, 1304, 1304, 1307 and 1305), so they keep
the first rule. A sweep that gains nothing with windows left unproven ends the search, and so
would windows longer than LONGEST of the horizon: they are nearly the whole model, whose own
search may as well have the time (and prove the optimum).
On benchmark Instance8, from a schedule at 1493 that the whole model had not improved for
13 s, windows of 10 days reached 1313 in 21 s; at 60 s, 6 of 10 runs ended within 1% of the
optimum against 6 of 16 without windows, and 3 of 10 one shift short (1399 and above)
against 10 of 16 (bench/README.md).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from typing import NamedTuple

FIRST_DAYS = 7  # a week for everyone: the rules that span days (weekends, runs, rest) fit in it
GROWTH = 1.5
GROW_BELOW = 0.2  # a sweep of halves' windows in which at most this share gained grows them
WINDOW_SECONDS = 3.0  # at most, per window
# Longer windows are nearly the whole model: on Instance4 (28 days), windows grown to 26 days
# took the time in which the whole model proves, at 60 s, the optimum it has from 1.6 s
LONGEST = 2 / 3
# The team is split in two for windows twice as long where both halves keep this many engineers
# (fewer is the descent's neighbourhood: one engineer's duties against everyone else's) and
# such a window spans at most this share of the horizon (module docstring)
SMALLEST_HALF = 4
HALF_SPAN = 1 / 4
SPLIT_PLACES = 1  # places a split of the team into halves serves before a new one is drawn


class Window(NamedTuple):
    """What solving one window did: did the best schedule improve, was the window's best
    proven, and the seconds it took."""

    improved: bool
    proven: bool
    spent: float


# A window: its first day, its days (first, ..., first + days - 1, modulo the horizon) and its
# engineers (positions among the team's; None for all of them)
Place = tuple[int, int, frozenset[int] | None]
# solve(streams, budget, should_stop): the windows of each stream one after the other, the
# streams side by side where their windows share no constraint, each window within
# WINDOW_SECONDS, none started once `budget` seconds are spent or should_stop(); what each
# window solved did (in the order they ended; their `spent` adds up to the time taken)
WindowSolver = Callable[[list[list[Place]], float, Callable[[], bool]], list[Window]]


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
        gains, solved, proven = 0, 0, True
        for streams in _blocks(horizon, 2 * size if halves else size, engineers, halves, rng):
            if budget - spent <= 0 or should_stop():
                return spent
            for window in solve(streams, budget - spent, should_stop):
                spent += window.spent
                gains += window.improved
                solved += 1
                proven &= window.proven
        if not gains and not proven:
            return spent
        if proven and gains <= (GROW_BELOW if halves else 0) * solved:
            size = math.ceil(size * GROWTH)
    return spent


def _blocks(horizon: int, days: int, engineers: int, halves: bool, rng: random.Random
            ) -> list[list[list[Place]]]:
    """One sweep's windows, in steps of a third of their length, as blocks of streams.

    Everyone's windows are one stream. Halves come in blocks of SPLIT_PLACES places (a place
    and the one half a horizon later), one split of the team each: one stream takes the first
    half's windows at those places, then at the places half a horizon later; the other stream
    takes the other half's windows the other way round. So the two streams are always half a
    horizon apart with no engineer in common, and each window can start as soon as the one
    before it in its stream ends, beside the other stream's."""
    firsts = list(range(0, horizon, max(1, days // 3)))
    if not halves:
        return [[[(first, days, None) for first in firsts]]]
    blocks: list[list[list[Place]]] = []
    pairs = len(firsts) // 2
    for at in range(0, pairs, SPLIT_PLACES):
        early = firsts[at: min(pairs, at + SPLIT_PLACES)]
        late = firsts[pairs + at: pairs + at + len(early)]  # half a horizon later
        one, other = _halves(engineers, rng)
        blocks.append([[(first, days, one) for first in early + late],
                       [(first, days, other) for first in late + early]])
    for first in firsts[2 * pairs:]:  # an odd place out: its halves one after the other
        one, other = _halves(engineers, rng)
        blocks.append([[(first, days, one), (first, days, other)]])
    return blocks


def _halves(engineers: int, rng: random.Random) -> tuple[frozenset[int], frozenset[int]]:
    """A random half of the engineers and the other half."""
    shuffled = rng.sample(range(engineers), engineers)
    return frozenset(shuffled[: engineers // 2]), frozenset(shuffled[engineers // 2:])
