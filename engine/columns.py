"""Rosters priced against coverage (column generation), and a dive to one roster each.

For teams whose coverage is priced (sequential.py), each engineer's duties are bound only by
their own rules, so a schedule is one *roster* per engineer. A linear master (GLOP) mixes
rosters to cover the shifts at least cost; each engineer's own model prices a new roster against
the master's coverage duals, until none is cheaper (the classic Dantzig-Wolfe split): exactly by
dynamic programming over the days where the engineer's rules allow it (rosterdp.py), else by
CP-SAT.
That relaxation is far tighter than CP-SAT's own on these teams: on benchmark Instance8 it
reaches 1296.6 against the optimum 1300, where CP-SAT's bound stays at 1249 to 1278.

Its mixed rosters are then made whole by a dive: every duty the relaxation holds whole is kept,
then the duty it holds most, and rosters are priced again, until the mix is whole. Where those
steps would not fit in the time (thousands of duties held in part, benchmark Instance20), the
dive holds whole rosters instead, one engineer a step. A few dives
differ by a little noise; the cheapest is kept, and never one worse than the start. The descent
(sequential.py) and then CP-SAT (solve.py) polish what the dives could not (bench/README.md),
CP-SAT first among the schedules that keep every duty the relaxation holds whole (its core);
where that polish is stuck, the relaxation's prices name the engineer whose roster went astray
and the roster to give them instead (RootPrices).
Fairness couples engineers outside coverage, so teams that weigh it are left to the descent; so
are teams too large for the relaxation to be priced in time (ROOT_SHARE).
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model
from rotasat.models.instance import Role

from .context import Expr
from .data import TeamData
from .rosterdp import RosterProgramme

Duty = tuple[int, int]  # (shift, role)
Roster = frozenset[Duty]

SCALE = 1000  # duals are real numbers; the pricing objective needs integers
PRICE_SECONDS = 1.0  # per engineer and round: most rosters of the benchmark price in far less
# Pricing rounds after each dive step (the root prices to the end). Fewer make a dive faster
# and the relaxation it follows looser: on Instance8 at 60 s, 2 gave 7 of 10 runs within 1% of
# the optimum (medians 1310, 1311), 4 gave 2 of 5 (median 1322) the same day, 10 none of 4.
ROUNDS_PER_STEP = 2
THREADS = 2  # pricing solves run side by side (CP-SAT releases the GIL)
# The root must be priced to the end within this share of the time, or the dives are skipped:
# Instance8 needs about 40% of its 35 s and some 30 rounds; Instance20 and 22 never get there,
# and the descent does better with the time (bench/README.md)
ROOT_SHARE = 0.6
ROOT_ROUNDS = 20  # ... and is given up after one round when twenty such would not fit
# ... or, priced exactly (rosterdp.py), when this many per engineer would not: Instance20 (50
# engineers) needs about 80 rounds; at 1.5 s a round they fit in its share at 600 s (priced to
# the end in 110 to 125 s; at 3.5 s a round they did not, bench/README.md, sessions 21, 22)
ROOT_ROUNDS_EXACT = 1.5
# Where every engineer's roster is priced exactly, the root prices at this blend of the duals
# giving the best Lagrangian bound so far and the master's (Wentges' smoothing): without it the
# duals swing and the master creeps down (Instance20: 4819 after 398 s from a poor start, 4824
# after 235 s with 0.7; bench/pricing.py, bench/README.md session 21)
SMOOTHING = 0.7
MAX_DIVES = 4  # dives from the same root while time allows, the cheapest kept
# A dive by duties takes about DUTY_STEPS steps per duty the root holds in part, each about
# DUTY_STEP_ROUNDS of the root's rounds (Instance8 at 80 s: 74 and 52 steps for 461 duties,
# 0.26 s a step against 0.85 s a round). Where that would not fit in the time left, the dive
# fixes whole rosters instead, one engineer a step (Instance20: some 9000 duties in part).
DUTY_STEPS = 0.2
DUTY_STEP_ROUNDS = 0.3
NOISE = 0.2  # later dives force a duty held nearly most, not the most, so that they differ

# the master's value, coverage duals, convexity duals and the mix (roster weights above zero)
Master = tuple[float, dict[Duty, float], dict[int, float], dict[tuple[int, Roster], float]]


def coverage_cost(data: TeamData, staffed: Counter[Duty]) -> float:
    """What under- and over-staffing cost the team when `staffed` engineers hold each duty;
    infinite when a hard staffing limit breaks."""
    cost = 0.0
    for s, r in data.needs:
        role = data.roles(s)[r]
        need, have = data.head_count(s, r), staffed[s, r]
        if have - need > surplus_allowed(role, need):
            return float("inf")
        cost += (int(role.understaff_weight or 0) * max(0, need - have)
                 + int(role.overstaff_weight or 0) * max(0, have - need))
    return cost


def surplus_allowed(role: Role, need: int) -> float:
    """How many engineers above `need` the role may take: none without an overstaff weight,
    up to its max_head_count with one."""
    if role.overstaff_weight is None:
        return 0.0
    if role.max_head_count is not None:
        return float(max(0, role.max_head_count - need))
    return float("inf")


class EngineerModel:
    """One engineer's duties and own rules in a small CP-SAT model, built once.

    `cost` is what the engineer's duties cost the team by themselves (preferences, skills, soft
    rules); `duties` pairs each (shift, role) with its literal; `programme`, where the
    engineer's rules allow one, prices rosters exactly by dynamic programming (rosterdp.py)
    instead of CP-SAT.
    """

    def __init__(self, model: cp_model.CpModel, cost: Expr,
                 duties: list[tuple[Duty, cp_model.IntVar]]) -> None:
        self.model, self.cost, self.duties = model, cost, duties
        self.programme: RosterProgramme | None = None  # set by with_programmes

    def price(self, duals: dict[Duty, float], forced: set[Duty], seconds: float,
              deterministic: bool) -> tuple[list[tuple[int, Roster]], float]:
        """Rosters found while minimising cost minus the duals of their duties, holding every
        duty of `forced` (cheapest last), and the seconds it took (deterministic ones when
        asked)."""
        walked = 0.0
        if self.programme is not None:
            began = time.perf_counter()
            rosters, work = self.programme.cheapest(duals, forced)
            walked = work if deterministic else time.perf_counter() - began
            if rosters is not None:
                return rosters, walked
            # its cheapest roster breaks a per-type maximum too wide to tally: CP-SAT prices it
        model = self.model
        model.clear_assumptions()
        model.add_assumptions([lit for duty, lit in self.duties if duty in forced])
        prices = cp_model.LinearExpr.weighted_sum(
            [lit for _, lit in self.duties],
            [-round(SCALE * duals.get(duty, 0.0)) for duty, _ in self.duties])
        model.minimize(prices + SCALE * self.cost)  # type: ignore[operator]
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.catch_sigint_signal = False
        if deterministic:
            solver.parameters.max_deterministic_time = seconds
        else:
            solver.parameters.max_time_in_seconds = seconds
        found: list[tuple[int, Roster]] = []
        engineer = self

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(self) -> None:
                roster = frozenset(d for d, lit in engineer.duties if self.boolean_value(lit))
                found.append((int(self.value(engineer.cost)), roster))

        solver.solve(model, Collect())
        return found[-3:], walked + (solver.deterministic_time if deterministic
                                     else solver.wall_time)

    def cost_of(self, roster: Roster) -> int:
        """What `roster` costs by itself (its soft rules' slacks at their least)."""
        model = self.model
        model.clear_assumptions()
        model.add_assumptions([lit if duty in roster else ~lit for duty, lit in self.duties])
        model.minimize(self.cost)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.catch_sigint_signal = False
        if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise ValueError("a roster that breaks its engineer's own rules")
        return round(solver.objective_value)


def with_programmes(data: TeamData, models: dict[int, EngineerModel]
                    ) -> dict[int, EngineerModel]:
    """`models`, each given its programme (rosterdp.py) if every one has one, else none (all
    priced by CP-SAT): priced partly exactly and partly by CP-SAT, the dives went astray more
    often (Instance5 at 60 s: 2 of 7 runs within 1%, against 4 of 4 with CP-SAT for all; not
    explained, bench/README.md session 21). Built here, for the pricing, and not with every
    engineer's model: the descent builds one for each engineer it re-plans."""
    programmes = {e: RosterProgramme.of(data, e, model.cost, model.duties)
                  for e, model in models.items()}
    if all(programme is not None for programme in programmes.values()):
        for e, model in models.items():
            model.programme = programmes[e]
        first = next(iter(programmes.values()), None)
        if first is not None:  # compiled on first use (seconds without a cache): before any
            first.cheapest({}, set())  # pricing round is timed
    return models


class RootPrices:
    """The relaxation priced to the end, as prices: what each engineer's roster costs beyond
    what the relaxation says it is worth (its reduced cost: at least zero for every roster,
    zero for those of the relaxation's mix), and the roster each engineer would take at
    those prices. A schedule's reduced costs add up to about its gap to the relaxation, so an
    engineer whose roster alone carries a large part of it is where the schedule went astray
    (solve.py swaps that roster for the priced one and mends the rest around it)."""

    def __init__(self, models: dict[int, EngineerModel], duals: dict[Duty, float],
                 convexity: dict[int, float], deterministic: bool) -> None:
        self.models, self.duals, self.convexity = models, duals, convexity
        self.deterministic = deterministic
        self._cheapest: dict[int, Roster | None] = {}

    def reduced_cost(self, e: int, roster: Roster) -> float:
        return (self.models[e].cost_of(roster) - sum(self.duals.get(d, 0.0) for d in roster)
                - self.convexity[e])

    def cheapest(self, e: int, seconds: float) -> Roster | None:
        """Engineer e's cheapest roster at these prices found within `seconds`, priced once
        (the prices do not change)."""
        if e not in self._cheapest:
            found, _ = self.models[e].price(self.duals, set(), seconds, self.deterministic)
            self._cheapest[e] = found[-1][1] if found else None
        return self._cheapest[e]


class RosterDive:
    """The master over rosters, its pricing, and the dive; see the module docstring."""

    def __init__(self, data: TeamData, models: dict[int, EngineerModel],
                 start: dict[int, Roster], costs: dict[int, int], deterministic: bool) -> None:
        self.data, self.models, self.deterministic = data, models, deterministic
        self.engineers = sorted(models)
        self.spent = 0.0  # pricing seconds (deterministic ones when asked), per thread
        self.priced = False  # did the last pricing end because no roster was cheaper?
        self.rosters: dict[int, dict[Roster, int]] = {e: {start[e]: costs[e]}
                                                      for e in self.engineers}
        self.forced: dict[int, set[Duty]] = {e: set() for e in self.engineers}
        self.fixed: dict[int, Roster] = {}  # engineers held to one roster (a dive by rosters)
        self.rounds = 0  # pricing rounds so far
        self.lp_settings = ""  # GLOP's own settings (_master)
        self.warm = False  # does GLOP go on from the last basis (the dives)?
        self.core: dict[int, Roster] = {}  # the duties the priced root holds whole
        self.prices: RootPrices | None = None  # the priced root's
        self._build_master()

    def run(self, start: dict[int, Roster], deadline: Callable[[], float],
            should_stop: Callable[[], bool]) -> dict[int, Roster] | None:
        """The cheapest whole set of rosters (one per engineer) of `start` and the dives that
        time allows, or None when the master could not be solved."""
        total = deadline()
        with ThreadPoolExecutor(THREADS) as pool:
            root = self._price(pool, None, lambda: deadline() - (1 - ROOT_SHARE) * total,
                               should_stop)
            if root is None:
                return None
            best = (self._cost(start), start)  # a dive cut short by time can be worse
            if not self.priced:
                return start  # the time is better spent re-planning engineer by engineer
            self.core = {e: frozenset(duties) for e, duties in _held_whole(root[3]).items()}
            self.warm = True  # the dives' masters go on from the last basis (_master)
            self.prices = RootPrices(self.models, root[1], root[2], self.deterministic)
            # where a dive by duties would not fit, the dive fixes whole rosters instead
            step = DUTY_STEP_ROUNDS * (total - deadline()) / max(1, self.rounds)
            fractional = sum(1e-6 < w < 1 - 1e-6 for w in _held(root[3]).values())
            dive = (self._dive_rosters if DUTY_STEPS * fractional * step > deadline()
                    else self._dive)
            for attempt in range(MAX_DIVES):
                started = deadline()
                noise = NOISE if attempt else 0.0
                rosters = dive(pool, root, random.Random(attempt), noise, deadline, should_stop)
                if rosters is not None:
                    cost = self._cost(rosters)
                    if cost < best[0]:
                        best = (cost, rosters)
                took = started - deadline()
                if deadline() < took or should_stop():  # no time for another whole dive
                    break
                for e in self.engineers:  # the next dive starts from the root again
                    self.forced[e].clear()
                self.fixed.clear()
                for weight in self.weights.values():
                    weight.SetUb(1)
            return best[1]

    def _dive(self, pool: ThreadPoolExecutor, master: Master, rng: random.Random, noise: float,
              deadline: Callable[[], float], should_stop: Callable[[], bool]
              ) -> dict[int, Roster] | None:
        """Force duties until the mix is whole: those it holds whole, then the one it holds
        most (the first dive), or one of those it holds nearly most (later dives, so they
        differ). When time runs out, each engineer's heaviest roster."""
        while True:
            mix = master[3]
            held = _held(mix)
            fractional = sorted((w, key) for key, w in held.items() if 1e-6 < w < 1 - 1e-6)
            if not fractional or deadline() <= 0 or should_stop():
                return self._whole(mix)
            for e, duties in _held_whole(mix).items():
                self.forced[e] |= duties
            # one duty at a time: forcing three per step made dives faster but worse (measured
            # on Instance8: 1398 to 1403 after polishing, against 1302 to 1406)
            _, (e, duty) = max(fractional, key=lambda item: item[0] + noise * rng.random())
            self.forced[e].add(duty)
            found = self._price(pool, ROUNDS_PER_STEP, deadline, should_stop)
            if found is None:
                return self._whole(mix)
            master = found

    def _dive_rosters(self, pool: ThreadPoolExecutor, master: Master, rng: random.Random,
                      noise: float, deadline: Callable[[], float],
                      should_stop: Callable[[], bool]) -> dict[int, Roster] | None:
        """Hold engineers to one roster each until the mix is whole: those whose mix is one
        roster already, then the engineer whose heaviest roster weighs most (nearly most in
        later dives), pricing the others again after each. At most one step per engineer:
        for teams whose relaxation is too fractional for a dive by duties (benchmark
        Instance20: some 9000 of its 11000 duties held in part at the root). When time runs
        out, each engineer's heaviest roster."""
        while True:
            heaviest: dict[int, tuple[float, Roster]] = {}
            for (e, roster), weight in master[3].items():
                if e not in heaviest or weight > heaviest[e][0]:
                    heaviest[e] = (weight, roster)
            open_ = {e: held for e, held in heaviest.items() if e not in self.fixed}
            for e, (weight, roster) in open_.items():
                if weight >= 1 - 1e-6:
                    self.fixed[e] = roster
            left = [(weight, e) for e, (weight, _) in open_.items() if e not in self.fixed]
            if not left or deadline() <= 0 or should_stop():
                return self._whole(master[3])
            _, e = max(left, key=lambda item: item[0] + noise * rng.random())
            self.fixed[e] = heaviest[e][1]
            found = self._price(pool, ROUNDS_PER_STEP, deadline, should_stop)
            if found is None:
                return self._whole(master[3])
            master = found

    def _cost(self, rosters: dict[int, Roster]) -> float:
        """What the team pays for `rosters`: their own costs and the coverage terms."""
        staffed: Counter[Duty] = Counter(d for roster in rosters.values() for d in roster)
        return (sum(self.rosters[e][roster] for e, roster in rosters.items())
                + coverage_cost(self.data, staffed))

    def _price(self, pool: ThreadPoolExecutor, rounds: int | None, deadline: Callable[[], float],
               should_stop: Callable[[], bool]) -> Master | None:
        """Solve the master and price rosters until none is cheaper (or `rounds`, or time).
        Where every engineer is priced exactly (rosterdp.py), the root prices at duals smoothed
        towards the best Lagrangian bound's (SMOOTHING)."""
        done = 0
        self.priced = False
        smooth = rounds is None and all(m.programme is not None for m in self.models.values())
        centre: dict[Duty, float] | None = None
        best, plain = -math.inf, False  # plain: at the master's own duals next
        while True:
            master = self._master()
            if master is None:
                return None
            _, duals, convexity, _ = master
            if (rounds is not None and done >= rounds) or deadline() <= 0 or should_stop():
                return master
            seconds = max(0.05, min(PRICE_SECONDS, deadline()))
            began = deadline()
            at = duals if centre is None or plain else {
                d: SMOOTHING * centre[d] + (1 - SMOOTHING) * duals[d] for d in duals}
            results = list(pool.map(self._pricer(at, seconds), self.engineers))
            needed = (max(ROOT_ROUNDS, ROOT_ROUNDS_EXACT * len(self.engineers)) if smooth
                      else ROOT_ROUNDS)
            if rounds is None and done == 0 and needed * (began - deadline()) > began:
                return master  # too slow to be priced to the end in time: not even started
            added = 0
            for e, (found, spent) in zip(self.engineers, results, strict=True):
                self.spent += spent / THREADS
                for cost, roster in found:
                    reduced = cost - sum(duals.get(d, 0.0) for d in roster) - convexity[e]
                    if roster not in self.rosters[e] and reduced < -1e-6:
                        self.rosters[e][roster] = cost
                        added += 1
            done += 1
            self.rounds += 1
            if smooth:
                bound = self._lagrangian(at, results)
                if bound > best:
                    best, centre = bound, at
            if not added:
                if at is duals:
                    self.priced = True
                    return master
                plain = True  # nothing cheaper at the blend: ask at the master's duals
            else:
                plain = False

    def _lagrangian(self, duals: dict[Duty, float],
                    results: list[tuple[list[tuple[int, Roster]], float]]) -> float:
        """The relaxation's Lagrangian bound at `duals`, given each engineer's cheapest roster
        at them (exact pricing): what covering every need would be worth at those prices,
        less what short or surplus cover may save, plus each engineer's cheapest roster."""
        data, value = self.data, 0.0
        for (s, r), price in duals.items():
            role, need = data.roles(s)[r], data.head_count(s, r)
            surplus = surplus_allowed(role, need)
            value += need * price + min(0.0, int(role.understaff_weight or 0) - price) * need
            over = int(role.overstaff_weight or 0) + price
            if over < 0:
                value += over * surplus  # (-inf where the surplus is unbounded)
        for found, _ in results:
            if not found:
                return -math.inf  # forced duties no roster holds: no bound
            cost, roster = found[-1]  # the cheapest
            value += cost - sum(duals.get(d, 0.0) for d in roster)
        return value

    def _pricer(self, duals: dict[Duty, float], seconds: float
                ) -> Callable[[int], tuple[list[tuple[int, Roster]], float]]:
        def price(e: int) -> tuple[list[tuple[int, Roster]], float]:
            if e in self.fixed:
                return [], 0.0
            return self.models[e].price(duals, self.forced[e], seconds, self.deterministic)
        return price

    def _master(self) -> Master | None:
        """Solve the master over the rosters so far that hold every forced duty."""
        lp = self.lp
        columns = len(self.weights)
        for e in self.engineers:  # rosters new since the last solve
            for roster, cost in self.rosters[e].items():
                if (e, roster) not in self.weights:
                    weight = lp.NumVar(0, 1, "")
                    lp.Objective().SetCoefficient(weight, cost)
                    self.convexity[e].SetCoefficient(weight, 1)
                    for duty in roster:
                        self.coverage[duty].SetCoefficient(weight, 1)
                    self.weights[e, roster] = weight
        for (e, roster), weight in self.weights.items():
            if not self.forced[e] <= roster or self.fixed.get(e, roster) != roster:
                weight.SetUb(0)  # lacks a forced duty, or not the roster held: out of the dive
        if self.warm:
            # GLOP's presolve starts over at every solve; without it, the dual simplex goes on
            # from the last basis once bounds tighten (a dive's step), the primal once rosters
            # are added (its pricing). Instance20's master after a roster is fixed: 0.3 to 0.8 s,
            # and 0.3 s after a pricing, against 5 to 10 s with presolve or one simplex for both
            dual = len(self.weights) == columns
            self.lp_settings = f"use_preprocessing: false use_dual_simplex: {str(dual).lower()}"
            lp.SetSolverSpecificParametersAsString(self.lp_settings)
        # Now and then GLOP's presolve fails on a dive's master (ABNORMAL in 8 of 21 dives, six
        # runs on Instance8, even solved from scratch); without presolve the same master solves
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            lp.SetSolverSpecificParametersAsString("use_preprocessing: false")
            fresh = pywraplp.MPSolverParameters()
            fresh.SetIntegerParam(fresh.INCREMENTALITY, fresh.INCREMENTALITY_OFF)
            solved = lp.Solve(fresh)
            lp.SetSolverSpecificParametersAsString(self.lp_settings)
            if solved != pywraplp.Solver.OPTIMAL:
                return None
        return (lp.Objective().Value(),
                {cell: c.dual_value() for cell, c in self.coverage.items()},
                {e: c.dual_value() for e, c in self.convexity.items()},
                {key: w.solution_value() for key, w in self.weights.items()
                 if w.solution_value() > 1e-9})

    def _build_master(self) -> None:
        """The master's rows: each engineer holds one roster in all, and each (shift, role) is
        covered by rosters plus a priced shortfall, less a priced surplus."""
        data = self.data
        lp = self.lp = pywraplp.Solver.CreateSolver("GLOP")
        objective = lp.Objective()
        objective.SetMinimization()
        self.weights: dict[tuple[int, Roster], pywraplp.Variable] = {}
        self.convexity = {e: lp.Constraint(1, 1) for e in self.engineers}
        self.coverage = {}
        for s, r in sorted(data.needs):
            role = data.roles(s)[r]
            need = data.head_count(s, r)
            row = lp.Constraint(need, need)
            short = lp.NumVar(0, need, "")
            objective.SetCoefficient(short, int(role.understaff_weight or 0))
            row.SetCoefficient(short, 1)
            extra = lp.NumVar(0, min(surplus_allowed(role, need), lp.infinity()), "")
            objective.SetCoefficient(extra, int(role.overstaff_weight or 0))
            row.SetCoefficient(extra, -1)
            self.coverage[s, r] = row

    def _whole(self, mix: dict[tuple[int, Roster], float]) -> dict[int, Roster]:
        """Each engineer's heaviest roster in the mix (the mix itself once it is whole)."""
        best: dict[int, tuple[float, Roster]] = {}
        for (e, roster), weight in mix.items():
            if e not in best or weight > best[e][0]:
                best[e] = (weight, roster)
        return {e: roster for e, (_, roster) in best.items()}


def _held(mix: dict[tuple[int, Roster], float]) -> dict[tuple[int, Duty], float]:
    """How much of each engineer's duty the mix holds (1: every roster of theirs in it)."""
    held: defaultdict[tuple[int, Duty], float] = defaultdict(float)
    for (e, roster), weight in mix.items():
        for duty in roster:
            held[e, duty] += weight
    return held


def _held_whole(mix: dict[tuple[int, Roster], float]) -> dict[int, set[Duty]]:
    """Each engineer's duties that every roster of theirs in the mix holds."""
    whole: defaultdict[int, set[Duty]] = defaultdict(set)
    for (e, duty), weight in _held(mix).items():
        if weight >= 1 - 1e-6:
            whole[e].add(duty)
    return whole


class Dived(NamedTuple):
    """What dive_schedule found: one roster per engineer (None when the master could not be
    solved), what each costs by itself, the seconds spent, the duties the relaxation
    priced to the end held whole (empty when it was not: the core solve.py searches first)
    and its prices (None when it was not)."""

    rosters: dict[int, Roster] | None
    costs: dict[int, int]
    spent: float
    core: dict[int, Roster]
    prices: RootPrices | None = None


def dive_schedule(data: TeamData, models: dict[int, EngineerModel], start: dict[int, Roster],
                  seconds: float, deterministic: bool = False,
                  should_stop: Callable[[], bool] = lambda: False) -> Dived:
    """One roster per engineer from the dives within `seconds`, starting from the rosters of
    `start` (which keep each engineer's rules), None when the master cannot be solved; what
    each of those rosters costs by itself; the seconds spent; and the root's whole duties.

    With `deterministic`, `seconds` counts the pricing's deterministic time, so the same input
    gives the same rosters."""
    costs = {e: models[e].cost_of(start[e]) for e in models}
    dive = RosterDive(data, models, start, costs, deterministic)
    started = time.perf_counter()

    def spent() -> float:
        return dive.spent if deterministic else time.perf_counter() - started

    rosters = dive.run(start, lambda: seconds - spent(), should_stop)
    if rosters is None:
        return Dived(None, {}, spent(), dive.core, dive.prices)
    return Dived(rosters, {e: dive.rosters[e][roster] for e, roster in rosters.items()}, spent(),
                 dive.core, dive.prices)
