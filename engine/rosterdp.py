"""One engineer's cheapest roster by dynamic programming over the rotation's turns.

Pricing a roster (columns.py) is a shortest path when the engineer's rules look only along the
turns: which shift type the last turn held, how long the current run of duty or rest is, whether
that run touches the horizon's first turn (where minimum runs are exempt), and counts: the
duties (or minutes) held so far, the weekends touched so far and, for a per-type maximum that a
roster has broken, the duties of that type (a maximum no cheapest roster breaks costs the walk
nothing; the roster returned keeps them all). A state of those, turn after
turn, gives the exact cheapest roster at any prices, far faster than CP-SAT on long horizons:
on benchmark Instance20 (182 days) 0.03 s against 5 to 14 s for CP-SAT with eight workers to
prove the same roster, and one second of CP-SAT often found none at all (bench/README.md,
sessions 21 and 22). The walk is compiled (numba) and releases the interpreter's lock, so the
pricing threads run side by side.

It applies only where that reading is exact: one rotation, one role, at most one duty a turn
(its shifts overlap one another and none of the next turn's), every rule of the engineer's hard
and one of: duties or hours in all (equal shift lengths), per-type maxima (narrow enough to
tally, TALLY_CELLS), maximum and minimum runs, minimum rest runs, forbidden successions, maximum
weekends (a weekend spanning at most two turns). Its own cost must be linear in its duties
(preferences, skills). Anything else and `RosterProgramme.of` returns None: the engineer keeps
CP-SAT's pricing.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numba
import numpy as np
from numpy.typing import NDArray
from ortools.sat.python import cp_model_helper as cmh
from rotasat.models.instance import (
    ForbiddenSuccession,
    HourCount,
    MaxConsecutive,
    MaxWeekends,
    MinConsecutive,
    MinConsecutiveOff,
    ShiftCount,
)

from .data import TeamData, round_half_up

Duty = tuple[int, int]  # (shift, role)
WORK_PER_SECOND = 4e8  # cells visited by the walk counted as one deterministic second
# the most cells a tallied walk may keep (turns x states x counts x tallies): Instance8's three
# maxima tallied at once keep 8e7 (160 MB of back pointers); one of Instance22's types of at most
# 46 in 364 days would keep 1e10
TALLY_CELLS = 1.2e8


class RosterProgramme:
    """The programme for one engineer, built once; `cheapest` prices a roster."""

    def __init__(self, turns: list[dict[int, Duty]], types: int, cost: NDArray[np.float64],
                 constant: int, cannot_follow: set[tuple[int, int]], longest: int | None,
                 shortest: int, rest: int, counts: tuple[int, int] | None,
                 weekends: tuple[list[int], int] | None, caps: dict[int, int] | None = None
                 ) -> None:
        self.turns, self.types, self.cost, self.constant = turns, types, cost, constant
        # per-type maxima that may bind: tallied in the walk's state only once a roster
        # breaks one (`tallied` grows, so later pricings start with what earlier ones needed)
        self.caps = caps or {}
        self.tallied: list[int] = []
        self.least, self.most = counts if counts is not None else (0, 0)
        self.counted = counts is not None
        weekend_of, self.weekend_cap = weekends if weekends is not None else ([], 0)
        cap = longest if longest is not None else max(shortest, 1)
        rest = max(rest, 1)
        # states: ("work", type, run, border), ("off", run, border); runs beyond the rules'
        # reach are one state (a run of at least `cap` with no maximum, at least `rest` off)
        states: list[tuple[Any, ...]] = [("work", t, run, b) for t in range(types)
                                         for run in range(1, cap + 1) for b in (0, 1)]
        states += [("off", run, b) for run in range(1, rest + 1) for b in (0, 1)]
        at = {s: i for i, s in enumerate(states)}
        n = len(states)
        self.may_rest = np.array([at[s] for s in states if s[0] == "work"
                                  and (s[2] >= shortest or s[3])], dtype=np.int64)
        self.may_work = np.array([at[s] for s in states if s[0] == "off"
                                  and (s[1] >= rest or s[2])], dtype=np.int64)
        preds: list[list[int]] = []  # n: best state that may rest next, n + 1: may work next
        for s in states:
            if s[0] == "work":
                _, t, run, b = s
                begun = ([] if b else [n + 1]) if run == 1 else []  # after a rest
                runs = ([run - 1] if run > 1 else []) + (
                    [cap] if run == cap and longest is None else [])  # a run beyond reach
                preds.append(begun + [at["work", u, r, b] for u in range(types) for r in runs
                                      if (u, t) not in cannot_follow])
            else:
                _, run, b = s
                begun = ([] if b else [n]) if run == 1 else [at["off", run - 1, b]]
                preds.append(begun + ([at["off", rest, b]] if run == rest else []))
        # predecessors of each state, flat (state s's are pred[start[s]:start[s + 1]])
        self.pred = np.array([p for ps in preds for p in ps], dtype=np.int64)
        self.start = np.cumsum([0] + [len(ps) for ps in preds], dtype=np.int64)
        self.work_type = np.array([s[1] if s[0] == "work" else 0 for s in states],
                                  dtype=np.int64)
        self.working = np.array([s[0] == "work" for s in states])
        self.starts_run = np.array([s[0] == "work" and s[2] == 1 for s in states])
        self.begins = np.array([at["work", t, 1, 1] for t in range(types)], dtype=np.int64)
        self.begins_off = at["off", 1, 1]
        self.weekend_key = np.array(weekend_of or [-1] * len(turns), dtype=np.int64)
        # the most duties any `r` turns in a row can hold (runs of `longest` apart by `rest`):
        # counts that cannot reach the least in the turns left are never kept
        reach = np.arange(len(turns) + 1, dtype=np.int64)
        if longest is not None:
            reach = reach // (longest + rest) * longest + np.minimum(reach % (longest + rest),
                                                                     longest)
        self.reach = reach

    @classmethod
    def of(cls, data: TeamData, e: int, own_cost: Any, duties: list[tuple[Duty, Any]]
           ) -> RosterProgramme | None:
        """Engineer e's programme, or None when its rules or costs are beyond it (the module
        docstring). `own_cost` and `duties` are the engineer's own CP-SAT model's."""
        team = data.team
        if len(team.rotations) != 1 or not duties:
            return None
        rotation = team.rotations[0].id
        slots = data.slots.get(rotation, [])
        turn_of = {s: k for k, shifts in enumerate(slots) for s in shifts}
        types = sorted({data.shifts[s].shift_type or "" for (s, _), _ in duties})
        type_of = {t: i for i, t in enumerate(types)}
        turns: list[dict[int, Duty]] = [{} for _ in slots]
        minutes = set()
        for (s, r), _ in duties:
            shift = data.shifts[s]
            if s not in turn_of or len(data.roles(s)) != 1:
                return None
            t = type_of[shift.shift_type or ""]
            if t in turns[turn_of[s]]:
                return None  # two shifts of one type in a turn: the state cannot tell them
            turns[turn_of[s]][t] = (s, r)
            minutes.add(shift.minutes)
        if not _one_duty_a_turn(data, slots):
            return None
        cost = np.full((len(slots), len(types)), np.inf)
        constant = _linear_cost(own_cost, duties, turn_of, type_of, data, cost)
        if constant is None:
            return None
        cannot_follow: set[tuple[int, int]] = set()
        longest: int | None = None
        shortest, rest = 1, 1
        least, most = 0, len(slots)
        counted, weekend_cap = False, None
        caps: dict[int, int] = {}
        unit = minutes.pop() if len(minutes) == 1 else None
        engineer = data.engineers[e].id
        for rule in team.rules:
            if rule.engineers is not None and engineer not in rule.engineers:
                continue
            if not rule.hard or getattr(rule, "rotation", None) not in (None, rotation):
                return None
            if isinstance(rule, ShiftCount):
                if rule.role is not None:
                    return None
                if rule.shift_type is not None:  # a per-type maximum (no minimum)
                    if rule.min > 0:
                        return None
                    if rule.max is not None and rule.shift_type in type_of:
                        t = type_of[rule.shift_type]
                        caps[t] = min(caps.get(t, rule.max), rule.max)
                    continue
                least, most, counted = max(least, rule.min), min(most, _or(rule.max, most)), True
            elif isinstance(rule, HourCount):
                if unit is None:
                    return None
                low = math.ceil(round_half_up(Fraction(str(rule.min)) * 60) / unit)
                high = most if rule.max is None else (
                    round_half_up(Fraction(str(rule.max)) * 60) // unit)
                least, most, counted = max(least, low), min(most, high), True
            elif isinstance(rule, MaxConsecutive):
                longest = rule.max if longest is None else min(longest, rule.max)
            elif isinstance(rule, MinConsecutive):
                shortest = max(shortest, rule.min)
            elif isinstance(rule, MinConsecutiveOff):
                rest = max(rest, rule.min)
            elif isinstance(rule, ForbiddenSuccession):
                if rule.first in type_of and rule.then in type_of:
                    cannot_follow.add((type_of[rule.first], type_of[rule.then]))
            elif isinstance(rule, MaxWeekends):
                weekend_cap = rule.max if weekend_cap is None else min(weekend_cap, rule.max)
            else:
                return None
        for t, cap in list(caps.items()):
            if cap == 0:  # none of the type: its duties are never worth taking
                cost[:, t] = np.inf
            if cap == 0 or cap >= min(sum(t in options for options in turns), most):
                del caps[t]  # no roster can break it
        weekends = None
        if weekend_cap is not None:
            keys = _weekend_keys(data, e, turns)
            if keys is None:
                return None
            weekends = (keys, min(weekend_cap, max(keys) + 1 if keys else 0))
        programme = cls(turns, len(types), cost, constant, cannot_follow, longest, shortest,
                        rest, (least, most) if counted else None, weekends, caps)
        if any(programme._cells([t]) > TALLY_CELLS for t in caps):
            return None  # a maximum too wide to tally (Instance22's): CP-SAT prices it
        return programme

    def cheapest(self, prices: dict[Duty, float], forced: set[Duty]
                 ) -> tuple[list[tuple[int, frozenset[Duty]]] | None, float]:
        """The roster minimising its own cost less `prices` of its duties, holding every duty
        of `forced`, with its own cost (an empty list when no roster keeps the rules; None when
        the walk would have to tally more per-type counts than TALLY_CELLS allows), and the
        deterministic seconds taken. One roster: the cheapest of each of three sizes, as
        CP-SAT's last few improving rosters, did not help the dives (Instance11 at 60 s: 3763
        and 3862 against 3443; bench/README.md, session 21)."""
        unit = self.cost.copy()
        must = np.zeros(len(self.turns), dtype=bool)
        for k, options in enumerate(self.turns):
            for t, duty in options.items():
                unit[k, t] -= prices.get(duty, 0.0)
                if duty in forced:
                    must[k] = True
                    unit[k, [u for u in range(self.types) if u != t]] = np.inf
        spent = 0
        while True:
            tally, room = self._tally()
            value, types, cells = _walk(
                unit, must, self.work_type, self.working, self.starts_run, self.start,
                self.pred, self.may_rest, self.may_work, self.begins, self.begins_off,
                self.weekend_key, self.weekend_cap, tally, room, int(self.counted), self.least,
                self.most, self.reach)
            spent += cells
            if not math.isfinite(value):
                return [], spent / WORK_PER_SECOND
            held = np.bincount(types[types >= 0], minlength=self.types)
            broken = [t for t, cap in self.caps.items() if held[t] > cap]
            if not broken:  # every maximum kept: the cheapest roster of the relaxed walk
                break
            tallied = sorted(set(self.tallied) | set(broken))
            if self._cells(tallied) > TALLY_CELLS:
                return None, spent / WORK_PER_SECOND
            self.tallied = tallied
        roster = [(k, int(t)) for k, t in enumerate(types) if t >= 0]
        own = self.constant + float(sum(self.cost[k, t] for k, t in roster))
        duties = frozenset(self.turns[k][t] for k, t in roster)
        return [(round(own), duties)], spent / WORK_PER_SECOND

    def _cells(self, tallied: list[int]) -> float:
        """The most cells a walk tallying these types may keep."""
        tallies = (self.weekend_cap + 1) * math.prod(self.caps[t] + 1 for t in tallied)
        return len(self.turns) * len(self.work_type) * (self.most + 1) * tallies

    def _tally(self) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """The walk's tally, one number for the weekends touched and the duties of each type
        tallied (mixed radix, weekends first): each type's step in it (0: not tallied), and
        whether a duty of the type may still be added at each tally."""
        step = np.zeros(self.types, dtype=np.int64)
        size = self.weekend_cap + 1
        for t in self.tallied:
            step[t] = size
            size *= self.caps[t] + 1
        room = np.ones((self.types, size), dtype=bool)
        for t in self.tallied:
            room[t] = np.arange(size) // step[t] % (self.caps[t] + 1) < self.caps[t]
        return step, room


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _one_duty_a_turn(data: TeamData, slots: list[list[int]]) -> bool:
    """Do a turn's shifts all overlap one another (so one_duty_at_a_time allows one of them)
    and none overlap another turn's (so nothing else joins turns)?"""
    for k, shifts in enumerate(slots):
        if not shifts:
            continue
        latest_start = max(data.shifts[s].start for s in shifts)
        earliest_end = min(data.shifts[s].end for s in shifts)
        if latest_start >= earliest_end:
            return False
        if k + 1 < len(slots) and slots[k + 1] and max(
                data.shifts[s].end for s in shifts) > min(
                data.shifts[s].start for s in slots[k + 1]):
            return False
    return True


def _linear_cost(own_cost: Any, duties: list[tuple[Duty, Any]], turn_of: dict[int, int],
                 type_of: dict[str, int], data: TeamData, cost: NDArray[np.float64]
                 ) -> int | None:
    """Fill `cost` (turn x type) with each duty's own cost and return the constant, or None
    when the cost is not a sum over duty literals."""
    where = {literal.index: (turn_of[s], type_of[data.shifts[s].shift_type or ""])
             for (s, _), literal in duties}
    for cell in where.values():
        cost[cell] = 0.0
    if isinstance(own_cost, int | np.integer):
        return int(own_cost)
    flat = cmh.FlatIntExpr(own_cost)
    for var, coefficient in zip(flat.vars, flat.coeffs, strict=True):
        if var.index not in where:
            return None
        cost[where[var.index]] += coefficient
    return int(flat.offset)


def _weekend_keys(data: TeamData, e: int, turns: list[dict[int, Duty]]) -> list[int] | None:
    """Per turn, the weekend its duties touch (numbered from 0; -1 for none), or None when a
    turn's duties touch different weekends, or one weekend spans other than one or two turns
    in a row."""
    number: dict[Any, int] = {}
    keys: list[int] = []
    for options in turns:
        touched = {data.burden[s, e].weekends for s, _ in options.values()}
        if len(touched) > 1:
            return None
        days = touched.pop() if touched else ()
        if len(days) > 1:
            return None
        keys.append(number.setdefault(days[0], len(number)) if days else -1)
    for key in set(keys) - {-1}:
        at = [k for k, x in enumerate(keys) if x == key]
        if len(at) > 2 or at[-1] - at[0] != len(at) - 1:
            return None
    return keys


@numba.njit(cache=True, nogil=True)
def _walk(unit, must, work_type, working, starts_run, start, pred, may_rest, may_work,
          begins, begins_off, weekend_key, weekend_cap, tally, room, step, least, most, reach):  # type: ignore[no-untyped-def]
    """The programme's walk along the turns, compiled (numpy's array steps spent most of their
    time filling memory and held the interpreter's lock, so two pricing threads gained
    nothing): the cheapest value, each turn's shift type (-1: off) and the cells visited.

    A cell is (state, duties so far, tally) after a turn, the tally counting the weekends
    touched so far and the duties of each type tallied (`tally[t]`: a duty of type t's step in
    it, 0 for none; `room[t, w]`: may tally w take one more of type t); only duty counts that
    can still end between `least` and `most` are kept. Each cell remembers its best predecessor
    state, so the roster is read back from the last turn. Predecessor `n` stands for the best
    state that may rest next, `n + 1` for the best that may work next. Ties go to the lowest
    count, state and tally, so the same prices give the same roster. `reach[r]` is the
    most duties r turns in a row may hold."""
    turns, types = unit.shape
    n = work_type.shape[0]
    weekends = weekend_cap + 1
    tallies = room.shape[1]
    no_weekend_left = np.arange(tallies) % weekends == weekend_cap  # per tally
    counting_types = tallies > weekends  # else the tally is the weekends alone
    inf = np.inf
    lows = np.zeros(turns, np.int64)  # the counts kept after each turn: lows[k] to ends[k]
    ends = np.zeros(turns, np.int64)
    ends[0] = min(step, most)
    for k in range(1, turns):
        if step:
            lows[k] = max(0, least - reach[turns - k])
            ends[k] = min(reach[k + 1], most)
    offset = np.zeros(turns + 1, np.int64)  # where each turn's back pointers begin
    for k in range(1, turns):
        if ends[k] < lows[k]:  # too few turns left for the least duties
            return inf, np.full(turns, -1, np.int64), 0
        offset[k + 1] = offset[k] + n * (ends[k] - lows[k] + 1) * tallies
    back = np.empty(offset[turns], np.int16)
    before = np.full((n, most + 1, tallies), inf)
    after = np.full((n, most + 1, tallies), inf)
    first_weekend = 1 if weekend_key[0] >= 0 else 0
    if step <= most and first_weekend <= weekend_cap:
        for t in range(types):  # (every tallied maximum is at least 1)
            before[begins[t], step, first_weekend + tally[t]] = unit[0, t]
    if not must[0]:
        before[begins_off, 0, 0] = 0.0
    best_rest = np.full((most + 1, tallies), inf)  # best state that may rest next, and its value
    from_rest = np.zeros((most + 1, tallies), np.int64)
    best_work = np.full((most + 1, tallies), inf)
    from_work = np.zeros((most + 1, tallies), np.int64)
    cells = 0
    for k in range(1, turns):
        low, end = lows[k], ends[k]
        high = ends[k - 1]  # the counts before turn k that matter: lows[k] to high
        width = end - low + 1
        for c in range(low, high + 1):
            for w in range(tallies):
                value, arg = inf, -1
                for p in may_rest:
                    if before[p, c, w] < value:
                        value, arg = before[p, c, w], p
                best_rest[c, w], from_rest[c, w] = value, arg
                value, arg = inf, -1
                for p in may_work:
                    if before[p, c, w] < value:
                        value, arg = before[p, c, w], p
                best_work[c, w], from_work[c, w] = value, arg
        cells += (high + 1 - low) * tallies * (may_rest.shape[0] + may_work.shape[0])
        after[:, low:end + 1, :] = inf
        key = weekend_key[k]
        for s in range(n):
            if working[s]:
                t = work_type[s]
                add = unit[k, t]
                if add == inf:
                    continue
                grow = step
                # a weekend counts when first worked: in a new weekend's turn, or in its second
                # turn after an unworked first
                touch = 0 if key < 0 else (
                    1 if weekend_key[k - 1] != key or starts_run[s] else 0)
                capped = tally[t] > 0
                shift = touch + tally[t]
            else:
                if must[k]:
                    continue
                add, grow, touch, t, capped, shift = 0.0, 0, 0, 0, False, 0
            for c in range(low, high + 1):
                count = c + grow
                if count > end:
                    break
                for w in range(tallies if counting_types else weekends - touch):
                    if counting_types and ((touch and no_weekend_left[w])
                                           or (capped and not room[t, w])):
                        continue  # no weekend left to touch, or the type's maximum reached
                    moved = w + shift
                    value, arg = inf, -1
                    for j in range(start[s], start[s + 1]):
                        p = pred[j]
                        if p == n:
                            v, q = best_rest[c, w], from_rest[c, w]
                        elif p == n + 1:
                            v, q = best_work[c, w], from_work[c, w]
                        else:
                            v, q = before[p, c, w], p
                        if v < value:
                            value, arg = v, q
                    cells += start[s + 1] - start[s]
                    if arg >= 0:
                        after[s, count, moved] = value + add
                        back[offset[k] + (s * width + count - low) * tallies + moved] = arg
        before, after = after, before
    value, state, count, touched = inf, -1, -1, -1
    for c in range(least, most + 1):
        for s in range(n):
            for w in range(tallies):
                if before[s, c, w] < value:
                    value, state, count, touched = before[s, c, w], s, c, w
    held = np.full(turns, -1, np.int64)
    if state < 0:
        return value, held, cells
    for k in range(turns - 1, 0, -1):
        width = ends[k] - lows[k] + 1
        came = back[offset[k] + (state * width + count - lows[k]) * tallies + touched]
        if working[state]:
            held[k] = work_type[state]
            key = weekend_key[k]
            count -= step
            touched -= tally[work_type[state]]
            if key >= 0 and (weekend_key[k - 1] != key or starts_run[state]):
                touched -= 1
        state = came
    if working[state]:
        held[0] = work_type[state]
    return value, held, cells
