"""Experiment: pricing the benchmark's rosters by dynamic programming instead of CP-SAT.

Instance20 and Instance22 never get their rosters' relaxation priced to the end (columns.py):
CP-SAT takes up to its second per engineer and round on 182 or 364 days. Here one employee's
cheapest roster at given coverage prices is found exactly by a dynamic programme over the days,
its state the last shift type (or a day off), the length of the current run of work or rest
(capped where the rules stop caring), whether that run touches the horizon's first day (the
benchmark's border exemption), the shifts worked so far and the weekends worked so far. It reads
the benchmark file itself (models/nrp.py's reader) and shares nothing with the engine, so that
`check` can hold it against the engine's own pricing model (sequential.engineer_model).

    python bench/pricing.py check 20 --employees 3       # the DP against the engine's CP-SAT
    python bench/pricing.py root 20 --seconds 240         # column generation root, DP priced

Per-type maximum counts below the horizon (Instance8, 22) are not in the state: such employees
are refused. Equal shift lengths are assumed (every benchmark instance here has them), so
minutes are whole shifts. Not used by the engine (yet): bench/README.md, session 21.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from rotasat.models.nrp import Problems, _Reader, read_sections

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"
Array = NDArray[np.float64]


@dataclass
class Benchmark:
    """A benchmark file's parts, by index: days, shift types, employees, cover."""

    days: int
    types: list[str]
    minutes: int  # every shift's length
    cannot_follow: set[tuple[int, int]]  # (type, type on the next day)
    employees: list[str]
    limits: list[dict[str, Any]]
    days_off: list[set[int]]
    requests: list[list[tuple[int, int, int]]]  # (day, type, weight: + off request, - on)
    cover: dict[tuple[int, int], tuple[int, int, int]]  # (day, type) -> need, under, over


def read(path: Path) -> Benchmark:
    problems = Problems(str(path))
    reader = _Reader(read_sections(path.read_text(), problems), problems)
    reader.read()
    problems.raise_any()
    types = list(reader.shifts)
    lengths = set(reader.shifts.values())
    if len(lengths) != 1:
        raise SystemExit(f"{path.name}: shifts of different lengths ({sorted(lengths)})")
    index = {t: i for i, t in enumerate(types)}
    employees = list(reader.staff)
    requests = [[(r["day"], index[r["shift_type"]],
                  r["weight"] if r["kind"] == "avoid" else -r["weight"])
                 for r in reader.requests[eid]] for eid in employees]
    assert reader.weights is not None
    _, under, over = reader.weights
    return Benchmark(
        days=reader.days, types=types, minutes=lengths.pop(),
        cannot_follow={(index[a], index[b]) for a, b in reader.cannot_follow},
        employees=employees, limits=[reader.staff[eid] for eid in employees],
        days_off=[set(reader.days_off[eid]) for eid in employees], requests=requests,
        cover={(day, index[t]): (need, under, over) for _, day, t, need in reader.cover})


class RosterDP:
    """One employee's cheapest roster at given prices, exact under every rule of the file."""

    def __init__(self, bench: Benchmark, k: int) -> None:
        limits = bench.limits[k]
        self.days, types = bench.days, len(bench.types)
        self.types = types
        maxima = limits["max_shifts"]
        allowed = [maxima.get(t, 0) > 0 for t in bench.types]
        if any(0 < maxima.get(t, 0) < self.days for t in bench.types):
            raise ValueError(f"{bench.employees[k]}: a per-type maximum below the horizon")
        self.least = math.ceil(int(limits["MinTotalMinutes"]) / bench.minutes)
        self.most = int(limits["MaxTotalMinutes"]) // bench.minutes
        longest = int(limits["MaxConsecutiveShifts"])
        shortest = int(limits["MinConsecutiveShifts"])
        rest = max(1, int(limits["MinConsecutiveDaysOff"]))
        self.weekends = min(int(limits["MaxWeekends"]), self.days // 7)
        # states: ("work", type, run, border) and ("off", run, border)
        states: list[tuple[Any, ...]] = [("work", t, run, b) for t in range(types)
                                         for run in range(1, longest + 1) for b in (0, 1)]
        states += [("off", run, b) for run in range(1, rest + 1) for b in (0, 1)]
        self.states = states
        at = {s: i for i, s in enumerate(states)}
        n = len(states)
        self.n = n
        self.may_rest = np.array([at["work", t, run, b] for t in range(types)
                                  for run in range(1, longest + 1) for b in (0, 1)
                                  if run >= shortest or b])
        self.may_work = np.array([at["off", run, b] for run in range(1, rest + 1)
                                  for b in (0, 1) if run >= rest or b])
        # predecessors, by index; n: best state that may rest next, n + 1: that may work
        # next, n + 2: none
        preds: list[list[int]] = []
        for s in states:
            if s[0] == "work":
                _, t, run, b = s
                if run == 1:
                    preds.append([n + 1] if not b else [])
                else:
                    preds.append([at["work", u, run - 1, b] for u in range(types)
                                  if (u, t) not in bench.cannot_follow])
            else:
                _, run, b = s
                if run == 1:
                    preds.append([n] if not b else [])
                else:
                    preds.append([at["off", run - 1, b]]
                                 + ([at["off", rest, b]] if run == rest else []))
        width = max(len(p) for p in preds)
        self.preds = np.array([p + [n + 2] * (width - len(p)) for p in preds])
        self.work_type = np.array([s[1] if s[0] == "work" else -1 for s in states])
        self.working = self.work_type >= 0
        self.starts_run = np.array([s[0] == "work" and s[2] == 1 for s in states])
        self.begin = [(at["work", t, 1, 1], t) for t in range(types) if allowed[t]]
        self.begin_off = at["off", 1, 1]
        own = np.zeros((self.days, types))
        own[:, [t for t in range(types) if not allowed[t]]] = np.inf
        own[sorted(bench.days_off[k]), :] = np.inf
        self.constant = 0.0
        for day, t, weight in bench.requests[k]:
            own[day, t] += weight
            self.constant += max(0, -weight)  # an on request costs its weight unless worked
        self.own = own

    def cost(self, roster: list[tuple[int, int]]) -> float:
        """What the roster costs by itself (its requests)."""
        return self.constant + float(sum(self.own[day, t] for day, t in roster))

    def cheapest(self, prices: Array) -> tuple[list[tuple[int, int]], float] | None:
        """The roster minimising its own cost less `prices` (days x types) of its shifts, and
        that value; None when no roster keeps the rules."""
        days, n = self.days, self.n
        unit = (self.own - prices).astype(np.float32)
        shape = (n + 3, self.most + 1, self.weekends + 1)
        best = np.full(shape, np.inf, dtype=np.float32)
        for state, t in self.begin:
            best[state, 1, 0] = unit[0, t]
        best[self.begin_off, 0, 0] = 0.0
        history = [best]
        rows, working = self.preds, self.working
        first, later = working & self.starts_run, working & ~self.starts_run
        for day in range(1, days):
            high = min(day, self.most)  # shifts worked before `day`
            low = max(0, self.least - (days - day))  # fewer cannot reach the least any more
            top = min(self.weekends, day // 7 + 1)
            view = best[:, low:high + 1, :top + 1]
            view[n] = view[self.may_rest].min(axis=0)
            view[n + 1] = view[self.may_work].min(axis=0)
            view[n + 2] = np.inf
            came = view[rows[:, 0]].copy()
            for j in range(1, rows.shape[1]):
                np.minimum(came, view[rows[:, j]], out=came)
            after = np.full(shape, np.inf, dtype=np.float32)
            after[:n, low:high + 1, :top + 1][~working] = came[~working]
            add = np.where(working, unit[day, np.maximum(self.work_type, 0)], 0)[:, None, None]
            end = min(high + 1, self.most)
            span = end - low
            target = after[:n, low + 1:end + 1]
            if day % 7 == 5:  # a Saturday worked: a weekend worked
                target[working, :, 1:top + 1] = (came[:, :span, :top] + add)[working]
            elif day % 7 == 6:  # a Sunday worked after a Saturday off: a weekend worked
                target[first, :, 1:top + 1] = (came[:, :span, :top] + add)[first]
                target[later, :, :top + 1] = (came[:, :span, :] + add)[later]
            else:
                target[working, :, :top + 1] = (came[:, :span, :] + add)[working]
            best = after
            history.append(best)
        return self._walk_back(history)

    def _walk_back(self, history: list[NDArray[np.float32]]
                   ) -> tuple[list[tuple[int, int]], float] | None:
        n = self.n
        last = history[-1][:n, self.least:self.most + 1, :]
        where = np.unravel_index(int(np.argmin(last)), last.shape)
        value = float(last[where])
        if not math.isfinite(value):
            return None
        state, count, weekends = int(where[0]), int(where[1]) + self.least, int(where[2])
        roster: list[tuple[int, int]] = []
        for day in range(self.days - 1, 0, -1):
            s = self.states[state]
            if s[0] == "work":
                roster.append((day, s[1]))
                count -= 1
                if day % 7 == 5 or (day % 7 == 6 and s[2] == 1):
                    weekends -= 1
            before = history[day - 1]
            options: list[int] = []
            for p in self.preds[state]:
                options += (list(self.may_rest) if p == n else list(self.may_work)
                            if p == n + 1 else [] if p == n + 2 else [int(p)])
            state = min(options, key=lambda p: float(before[p, count, weekends]))
        if self.states[state][0] == "work":
            roster.append((0, self.states[state][1]))
        return roster[::-1], value


def engine_cheapest(instance: object, bench: Benchmark, k: int, prices: Array,
                    seconds: float = 60.0) -> tuple[float, str, float]:
    """The least roster cost less `prices` by the engine's own model of employee k's rules
    (sequential.engineer_model, CP-SAT with 8 workers; prices to a tenth): the value, CP-SAT's
    status and its seconds."""
    from ortools.sat.python import cp_model
    from rotasat.engine.data import build_team_data
    from rotasat.engine.sequential import engineer_model

    data = build_team_data(instance, instance.teams[0])  # type: ignore[attr-defined]
    first = min(shift.date for shift in data.shifts)
    type_of = {t: i for i, t in enumerate(bench.types)}
    own = engineer_model(data, [x.id for x in data.engineers].index(bench.employees[k]))
    price = {duty: prices[(data.shifts[duty[0]].date - first).days,
                          type_of[data.shifts[duty[0]].shift_type]] for duty, _ in own.duties}
    model = own.model
    model.clear_assumptions()
    model.minimize(10 * own.cost - sum(round(10 * price[d]) * lit for d, lit in own.duties))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 8
    solver.parameters.max_time_in_seconds = seconds
    status = solver.solve(model)
    return solver.objective_value / 10, solver.status_name(status), solver.wall_time


def check(number: int, employees: int, trials: int) -> None:
    """The DP's cheapest roster against the engine's own pricing model."""
    from rotasat.models import Instance
    from rotasat.models.nrp import import_file

    path = DATA / f"Instance{number}.txt"
    bench = read(path)
    instance = Instance.model_validate(import_file(path))
    rng = np.random.default_rng(0)
    for k in range(min(employees, len(bench.employees))):
        dp = RosterDP(bench, k)
        for trial in range(trials):
            prices = np.round(rng.uniform(-1, 100, (bench.days, len(bench.types))), 1)
            began = time.perf_counter()
            found = dp.cheapest(prices)
            took = time.perf_counter() - began
            value, status, seconds = engine_cheapest(instance, bench, k, prices)
            mine = "none" if found is None else f"{found[1] + dp.constant:.1f}"
            print(f"{bench.employees[k]} prices {trial}: DP {mine} in {took:.3f} s, "
                  f"engine's CP-SAT {value:.1f} ({status}, {seconds:.2f} s)", flush=True)


def root(number: int, seconds: float, smoothing: float) -> None:
    """The rosters' relaxation priced by the DP (GLOP master, Wentges smoothing)."""
    from ortools.linear_solver import pywraplp

    bench = read(DATA / f"Instance{number}.txt")
    began = time.perf_counter()
    dps = [RosterDP(bench, k) for k in range(len(bench.employees))]
    lp = pywraplp.Solver.CreateSolver("GLOP")
    objective, rows = lp.Objective(), {}
    need = np.zeros((bench.days, len(bench.types)))
    for (day, t), (required, under, over) in bench.cover.items():
        short, extra = lp.NumVar(0, lp.infinity(), ""), lp.NumVar(0, lp.infinity(), "")
        row = lp.Constraint(required, required)
        row.SetCoefficient(short, 1)
        row.SetCoefficient(extra, -1)
        objective.SetCoefficient(short, under)
        objective.SetCoefficient(extra, over)
        rows[day, t], need[day, t] = row, required
    one_each = [lp.Constraint(1, 1) for _ in dps]
    objective.SetMinimization()

    def add(k: int, roster: list[tuple[int, int]]) -> None:
        x = lp.NumVar(0, lp.infinity(), "")
        objective.SetCoefficient(x, dps[k].cost(roster))
        one_each[k].SetCoefficient(x, 1)
        for duty in roster:
            if duty in rows:
                rows[duty].SetCoefficient(x, 1)

    pool = ThreadPoolExecutor(2)  # numpy releases the GIL in the DP's array operations

    def price(prices: Array) -> list[tuple[list[tuple[int, int]], float] | None]:
        return list(pool.map(lambda dp: dp.cheapest(prices), dps))

    for k, found in enumerate(price(np.full(need.shape, 100.0))):
        assert found is not None, f"{bench.employees[k]} has no roster"
        add(k, found[0])
    bound, centre = -math.inf, None
    for round_ in range(1, 10_000):
        if time.perf_counter() - began > seconds:
            break
        lp.Solve()
        value = objective.Value()
        duals = np.zeros(need.shape)
        for (day, t), row in rows.items():
            duals[day, t] = row.dual_value()
        convexity = [row.dual_value() for row in one_each]
        added = 0
        for _ in range(5):  # mispriced at the smoothed prices: closer to the master's
            prices = duals if centre is None else smoothing * centre + (1 - smoothing) * duals
            cheapest = price(prices)
            lagrangian = float((need * prices).sum()) + sum(
                f[1] + dp.constant for f, dp in zip(cheapest, dps, strict=True) if f is not None)
            if lagrangian > bound:
                bound, centre = lagrangian, prices
            for k, f in enumerate(cheapest):
                if f is not None and dps[k].cost(f[0]) - sum(
                        duals[d] for d in f[0]) - convexity[k] < -1e-6:
                    add(k, f[0])
                    added += 1
            if added:
                break
        print(f"round {round_}: {time.perf_counter() - began:6.1f} s, master {value:.1f}, "
              f"bound {bound:.1f}, rosters added {added}", flush=True)
        if not added:
            break


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", choices=["check", "root"])
    parser.add_argument("instance", type=int)
    parser.add_argument("--employees", type=int, default=3)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=240.0)
    parser.add_argument("--smoothing", type=float, default=0.7)
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"the benchmark files are not at {DATA}")
    if args.mode == "check":
        check(args.instance, args.employees, args.trials)
    else:
        root(args.instance, args.seconds, args.smoothing)


if __name__ == "__main__":
    main()
