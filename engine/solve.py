"""solve(): build one sub-model per component, share the time among them, assemble the result.

A component is a set of teams that incidents link (a builder on another team, a dedicated support
team); most teams are components of their own. Components share no engineers, so each is an
independent sub-model: the objective is the sum of theirs and so is the bound.

Every component starts from a complete schedule (the greedy one, or a given one), so a large
organisation has a plan at once; components the greedy left without one get a short first round;
then the remaining time goes to the components not yet proven optimal, each improving from its
best schedule so far (passed to CP-SAT as a complete hint).
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model
from rotasat.models import Assignment, Instance, ObjectiveTerm, Solution, SolveParameters

from .columns import PRICE_SECONDS, RootPrices
from .data import TeamData, build_team_data
from .explain import explain_infeasible
from .figures import incident_figures, team_figures
from .lns import Found, reassign_engineers
from .model import ComponentModel, components, hint_all
from .sequential import coverage_is_priced, sequential_schedule
from .submodel import Neighbourhoods, SubModel, Unsupported
from .warmstart import greedy_handlers, greedy_schedule
from .windows import Place, Window, WindowSolver, mend_coverage, sweep_windows

# At most this share of the time limit goes to building a first schedule engineer by engineer
# and improving it there (sequential.py), when neither the initial nor the greedy schedule keeps
# the hard rules; CP-SAT polishes it in the rest. Benchmark Instance8 needs about 40 s of 60
# for its rosters to be priced and dived (bench/README.md).
SEQUENTIAL_SHARE = 0.65
# With --deterministic or one worker, this share of each component's time to improve goes to
# re-solving a few engineers at a time (lns.py) first, and CP-SAT's own search then proves what
# it can from the better schedule; otherwise the two run side by side (_improve).
LNS_SHARE = 0.7
# Where the rosters' relaxation was priced to the end (columns.py), CP-SAT first searches, for
# at most this share of the polish, only the schedules that keep every duty of the best one
# that the relaxation holds whole (relaxation-induced neighbourhood search): on benchmark
# Instance16 it finds 3227 in 4 s where the whole model stayed at 3322 for 470 s. Where the
# core leaves too much open to be searched through (Instance8), its time is the whole model's
# polish's loss, so it is kept short (at 0.3, 7 of 8 Instance8 runs of 60 s ended near 1400,
# against 3 of 5 without it the same day: too few to tell; bench/README.md).
CORE_SHARE = 0.1
# Then the whole model's search has this share of what is left, CP-SAT re-solves a few days at
# a time with the rest held (windows.py) for at most WINDOW_SHARE of what is left then, and the
# whole model has the rest (to prove what it can). The whole model goes first because its
# search does better from the descent's schedule than from the windows': on Instance5 at 60 s
# it went from 1239 to 1145-1147 in three runs of three, after 3 s of windows (1238) to 1233,
# 1238 and 1158. Since windows are models of their own (submodel.py), they gain more per
# second than the whole model: on Instance20, from the same schedule (8444) for 150 s, 6586
# and 6468 (seeds 0, 1) with 0.8 against 6752 and 6681 with 0.5 (bench/README.md, session 16).
# On Instance4 and 5 the windows end by themselves within seconds (every one proven, none
# gaining), so the share changes nothing there.
WHOLE_FIRST = 0.2
WINDOW_SHARE = 0.8
# A window's model frees the duties of its days and the auxiliaries (runs, weekends, slacks)
# within this many constraints of them (submodel.py). On benchmark Instance8 one was enough
# for every window to reach the value the whole model with holds reached; two leave a margin.
REACH = 2
# When the windows end before their time (no window gains), a schedule one of whose engineers'
# rosters carries at least this share of its cost beyond what the priced relaxation says that
# roster is worth gets that engineer the roster the relaxation prices cheapest, and windows
# mend everyone's duties around it, on a copy kept only if it ends better
# (_swap_costliest_roster). On benchmark Instance8, one shift short at 1399 after the windows
# and the whole model, one engineer's reduced cost was 95 (no other above 2); with that roster
# swapped, windows from the copy reached 1304 to 1311 in 6 of 16 runs of 20 to 40 s, where the
# whole model found nothing in 8 runs of 20 to 30 s. Swapped before the windows instead, the
# windows alone did as well or better in 9 of 10 runs (bench/README.md, session 19).
SWAP_SHARE = 0.01
# With at least this many seconds of the windows' share left, any roster at least SWAP_FLOOR
# beyond its worth is swapped (costliest first): on Instance8 at 600 s the windows end with
# minutes left and no roster 1% beyond its worth; the first such swap took 1304 to 1301 and
# 1305 to 1303 (two runs), and in three more (at 1302 and 1303) found nothing, or nothing to
# swap. Below it, only the costly ones: the small instances' windows also end early, and their
# last seconds prove them optimal (Instance6 at 60 s).
SWAP_ROOMY = 60.0
SWAP_FLOOR = 1.0

STATUS = {
    cp_model.OPTIMAL: "OPTIMAL",
    cp_model.FEASIBLE: "FEASIBLE",
    cp_model.INFEASIBLE: "INFEASIBLE",
    cp_model.UNKNOWN: "UNKNOWN",
    cp_model.MODEL_INVALID: "MODEL_INVALID",
}


@dataclass(frozen=True)
class Progress:
    """A snapshot of a running solve, for live display."""

    elapsed: float
    objective: int | None  # of the whole instance, once every team has a schedule
    bound: float
    gap: float | None
    solutions: int
    team: str  # the team being solved
    teams_done: int
    teams: int


ProgressHandler = Callable[[Progress], None]
# Called with the whole instance's objective and schedule each time it improves.
ScheduleHandler = Callable[[int, list[Assignment]], None]


@dataclass
class TeamRun:
    """One component's sub-model and its best result so far."""

    datas: list[TeamData]
    model: ComponentModel
    status: str = "UNKNOWN"
    objective: int | None = None
    bound: float = 0.0
    chosen: list[list[tuple[int, int, int]]] = field(default_factory=list)  # per team
    handlers: list[str | None] = field(default_factory=list)  # per incident (None: deferred)
    term_values: list[int] = field(default_factory=list)
    hint: list[int] = field(default_factory=list)  # every variable's value in that schedule
    # per team, the (shift, role, engineer) triples the rosters' relaxation holds whole
    core: list[set[tuple[int, int, int]]] = field(default_factory=list)
    # per team, that relaxation's prices (None where it was not priced to the end)
    prices: list[RootPrices | None] = field(default_factory=list)
    # the model indexed to cut windows out of it (submodel.py), once the windows start; False
    # where it has a constraint that cannot be cut (the windows then hold duties in a copy)
    neighbourhoods: Neighbourhoods | bool | None = None

    @property
    def finished(self) -> bool:
        return self.status in ("OPTIMAL", "INFEASIBLE", "MODEL_INVALID")

    @property
    def label(self) -> str:
        return "+".join(d.team.id for d in self.datas)


def whole(bound: float) -> float:
    """CP-SAT's bound rounded up to a whole number: every objective is one (the weights and
    terms are integers), and the LP's bound comes with float noise (0.9999999999999998)."""
    return float(math.ceil(bound - 1e-6)) if math.isfinite(bound) else bound


def gap_of(objective: float | None, bound: float) -> float | None:
    if objective is None:
        return None
    if objective == bound:
        return 0.0
    return abs(objective - bound) / max(1.0, abs(objective))


class _Tracker:
    """Aggregates progress across teams and forwards it to the caller."""

    def __init__(self, runs: list[TeamRun], started: float, handler: ProgressHandler | None,
                 should_stop: Callable[[], bool] | None,
                 on_schedule: ScheduleHandler | None = None) -> None:
        self.runs, self.started, self.handler = runs, started, handler
        self.should_stop = should_stop or (lambda: False)
        self.solutions = 0
        self.on_schedule = on_schedule
        self.published: int | None = None  # the objective last passed to on_schedule
        # schedules may come from CP-SAT's callback and the search of engineers at once
        self.lock = threading.RLock()

    def publish(self, current: TeamRun, chosen: list[list[tuple[int, int, int]]],
                objective: int) -> None:
        """Pass the whole schedule to on_schedule when every team has one and it improved."""
        if self.on_schedule is None:
            return
        others = [r.objective for r in self.runs if r is not current]
        if any(o is None for o in others):
            return
        total = objective + sum(o for o in others if o is not None)
        if self.published is not None and total >= self.published:
            return
        self.published = total
        assignments: list[Assignment] = []
        for run in self.runs:
            picked = chosen if run is current else run.chosen
            for data, keys in zip(run.datas, picked, strict=True):
                assignments += team_figures(data, keys)[0]
        self.on_schedule(total, assignments)

    def report(self, current: TeamRun, objective: int | None, bound: float) -> None:
        if self.handler is None:
            return
        total: int | None = 0
        total_bound = 0.0
        for run in self.runs:
            obj = objective if run is current and objective is not None else run.objective
            total = None if obj is None or total is None else total + obj
            total_bound += max(bound, run.bound) if run is current else run.bound
        self.handler(
            Progress(
                elapsed=time.perf_counter() - self.started,
                objective=total,
                bound=total_bound,
                gap=gap_of(total, total_bound),
                solutions=self.solutions,
                team=current.label,
                teams_done=sum(r.finished for r in self.runs),
                teams=len(self.runs),
            )
        )


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, run: TeamRun, tracker: _Tracker, proves: bool = True) -> None:
        super().__init__()
        self.run, self.tracker = run, tracker
        self.proves = proves  # False when searching part of the schedules: no bound then

    def on_solution_callback(self) -> None:
        with self.tracker.lock:
            self.tracker.solutions += 1
            # keep every improving schedule as it comes: a stop or a time limit loses nothing,
            # and what is reported is always the exact cost of a schedule that was kept
            if _record(self.run, self) and self.run.objective is not None:
                self.tracker.publish(self.run, self.run.chosen, self.run.objective)
            # proven already, so the search of engineers beside this one reports it too
            if self.proves:
                self.run.bound = max(self.run.bound, whole(self.best_objective_bound))
            self.tracker.report(self.run, self.run.objective, self.run.bound)
        if self.tracker.should_stop():
            self.stop_search()


class _StopWatch:
    """Polls the stop request while CP-SAT runs and stops the search once there is a schedule
    to keep (the callback stops it at the first solution otherwise)."""

    def __init__(self, solver: cp_model.CpSolver, tracker: _Tracker, already_found: bool,
                 halt: threading.Event | None = None) -> None:
        self.solver, self.tracker, self.already_found = solver, tracker, already_found
        self.halt = halt or threading.Event()  # the caller's own reason to stop this search
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self.done.wait(0.1):
            if (self.tracker.should_stop() or self.halt.is_set()) and self.already_found:
                self.solver.stop_search()
                return

    def __enter__(self) -> _StopWatch:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.done.set()
        self.thread.join()


def solve(
    instance: Instance,
    params: SolveParameters | None = None,
    on_progress: ProgressHandler | None = None,
    should_stop: Callable[[], bool] | None = None,
    initial: list[Assignment] | None = None,
    on_schedule: ScheduleHandler | None = None,
    initial_incidents: dict[str, str | None] | None = None,
) -> Solution:
    """Solve every team of `instance`; the result carries the schedule and its figures.

    `initial` (e.g. the best schedule of an interrupted solve) replaces the greedy warm start of
    each team it covers, where it keeps every hard rule; `initial_incidents` (incident id ->
    handler, None for deferred) goes with it. `on_schedule` receives the objective
    and schedule of the whole instance whenever it improves.
    """
    params = params or SolveParameters()
    started = time.perf_counter()
    runs = []
    for team_ids, incidents in components(instance):
        datas = [build_team_data(instance, instance.team(t)) for t in team_ids]
        runs.append(TeamRun(datas, ComponentModel(instance, datas, incidents)))
    build_time = time.perf_counter() - started
    tracker = _Tracker(runs, started, on_progress, should_stop, on_schedule)
    for run in runs:  # round zero: the initial or greedy schedule, where it keeps the rules
        _warm_start(run, tracker, [_initial_keys(d, initial or []) for d in run.datas],
                    initial_incidents or {}, SEQUENTIAL_SHARE * params.time_limit / len(runs),
                    params.deterministic)

    if params.deterministic:
        for run in runs:
            _improve(run, params, params.time_limit / len(runs), tracker)
        return _assemble(instance, params, runs, started, build_time)
    missing = [r for r in runs if r.objective is None and not r.finished]
    if len(runs) > 1:  # round one: a first schedule for every team the greedy left without
        for i, run in enumerate(missing):
            left = params.time_limit - (time.perf_counter() - started)
            _solve_team(run, params, max(0.05, 0.5 * left / (len(missing) - i)), tracker,
                        first_only=True)
    pending = [r for r in runs if not r.finished]
    for i, run in enumerate(pending):  # round two: improve, sharing what time is left
        if tracker.should_stop() and run.objective is not None:
            continue  # stopping: keep the schedule it has; teams without one still get one
        left = params.time_limit - (time.perf_counter() - started)
        if left <= 0.01 and run.objective is not None:
            break
        _improve(run, params, max(0.05, left / (len(pending) - i)), tracker)
    return _assemble(instance, params, runs, started, build_time)


def _initial_keys(data: TeamData, initial: list[Assignment]) -> set[tuple[int, int, int]]:
    """The (shift, role, engineer) triples of `initial` that belong to this team's model."""
    shift_index = {shift.id: s for s, shift in enumerate(data.shifts)}
    engineer_index = {engineer.id: e for e, engineer in enumerate(data.engineers)}
    keys = set()
    for a in initial:
        s, e = shift_index.get(a.shift), engineer_index.get(a.engineer)
        if a.team != data.team.id or s is None or e is None:
            continue
        roles = [role.id for role in data.roles(s)]
        if a.role in roles:
            keys.add((s, roles.index(a.role), e))
    return keys


def _warm_start(run: TeamRun, tracker: _Tracker,
                initial: list[set[tuple[int, int, int]]] | None = None,
                initial_incidents: dict[str, str | None] | None = None,
                seconds: float = 0.0, deterministic: bool = False) -> None:
    """Complete the initial schedule (or else the greedy one) into values for every variable.

    CP-SAT follows a complete, feasible hint at once; a hint on the assignment literals alone
    left it seconds of search to rebuild the auxiliary variables (measured: 2.7 to 5.7 s per
    team of 10 over a quarter). Fixing the rotation makes that a propagation (and a quick
    search over the incidents, if any). When neither keeps the hard rules, `seconds` may go to
    building one engineer by engineer.
    """
    starts: list[list[set[tuple[int, int, int]]]] = []
    if initial and any(initial):
        starts.append(initial)
    starts.append([greedy_schedule(d) for d in run.datas])
    part = run.model.incidents
    attempts = []
    if part is not None and initial and any(initial) and initial_incidents:
        given = {
            i: initial_incidents[info.incident.id]
            for i, info in enumerate(part.infos)
            if info.incident.id in initial_incidents
            and initial_incidents[info.incident.id] in (None, *info.allowed)
        }
        attempts.append((initial, given))
    for chosen in starts:  # with the incidents placed greedily too, then without
        if part is not None:
            attempts.append((chosen, greedy_handlers(part, run.datas, chosen)))
        attempts.append((chosen, {}))
    for chosen, handlers in attempts:
        if _probe(run, tracker, chosen, handlers):
            return
    # the greedy broke a rule it cannot see coming (a minimum): build one engineer by engineer
    # where coverage is priced (sequential.py)
    if seconds > 0:

        def handlers_for(chosen: list[set[tuple[int, int, int]]]) -> dict[int, str | None]:
            return {} if part is None else greedy_handlers(part, run.datas, chosen)

        def better(keys: set[tuple[int, int, int]]) -> None:  # keep it while the rest improves
            _probe(run, tracker, [keys], handlers_for([keys]))

        single = len(run.datas) == 1  # with several teams, a schedule needs all of them
        run.core = [set() for _ in run.datas]
        run.prices = [None for _ in run.datas]

        def on_root(t: int) -> Callable[[set[tuple[int, int, int]], RootPrices], None]:
            def keep_root(core: set[tuple[int, int, int]], prices: RootPrices) -> None:
                run.core[t].update(core)
                run.prices[t] = prices
            return keep_root

        built = [sequential_schedule(d, seconds / len(run.datas), deterministic,
                                     on_schedule=better if single else None,
                                     should_stop=tracker.should_stop, on_root=on_root(t))
                 for t, d in enumerate(run.datas)]
        if all(keys is not None for keys in built):
            chosen = [keys or set() for keys in built]
            if chosen == [set(keys) for keys in run.chosen]:
                return  # reported and probed already (a probe took 6 s on Instance22)
            if part is None or not _probe(run, tracker, chosen, handlers_for(chosen)):
                _probe(run, tracker, chosen, {})


def _probe(run: TeamRun, tracker: _Tracker, chosen: list[set[tuple[int, int, int]]],
           handlers: dict[int, str | None]) -> bool:
    """Complete a rotation (and some incident handlers) into a full schedule and keep it;
    False when it breaks a hard rule."""
    part = run.model.incidents
    probe = _holding(run, chosen, every_duty=True)
    if part is not None:
        for (i, eid), literal in part.handle.items():
            if i in handlers:
                probe.add(probe.get_bool_var_from_proto_index(literal.index)
                          == (handlers[i] == eid))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10.0
    solver.parameters.stop_after_first_solution = True
    solver.parameters.catch_sigint_signal = False
    if solver.solve(probe) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        _record(run, solver)
        run.status = "FEASIBLE"
        tracker.report(run, run.objective, run.bound)
        if run.objective is not None:
            tracker.publish(run, run.chosen, run.objective)
        return True
    return False


def _holding(run: TeamRun, keys: list[set[tuple[int, int, int]]], every_duty: bool,
             open_shifts: list[set[int]] | None = None,
             open_engineers: list[set[int]] | None = None) -> cp_model.CpModel:
    """A copy of the component's model in which each team holds its (shift, role, engineer)
    `keys`; with `every_duty`, no other duty either (the schedule is then fixed), but on the
    shifts each team leaves open (`open_shifts`), for its engineers `open_engineers` (all
    when None)."""
    model = run.model.model.clone()
    on: list[int] = []
    off: list[int] = []
    for i, (team, held) in enumerate(zip(run.model.teams, keys, strict=True)):
        left_open = open_shifts[i] if open_shifts is not None else set()
        engineers = open_engineers[i] if open_engineers is not None else None
        for key, literal in team.vars.assign.items():
            if key[0] in left_open and (engineers is None or key[2] in engineers):
                continue
            if key in held:
                on.append(literal.index)
            elif every_duty:
                off.append(literal.index)
    # Two sums (all held on, none of the rest) that presolve turns into fixed values, written
    # to the proto in bulk: one constraint per literal through the Python API took 2.4 s on
    # benchmark Instance22 (182,000 literals) for every schedule the descent reported
    for indices, total in ((on, len(on)), (off, 0)):
        if indices:
            held_sum = model.proto.constraints.add().linear
            held_sum.vars.extend(indices)
            held_sum.coeffs.extend([1] * len(indices))
            held_sum.domain.extend([total, total])
    return model


def _window_solver(run: TeamRun, params: SolveParameters, tracker: _Tracker
                   ) -> tuple[int, int, WindowSolver]:
    """The component's horizon in days, its number of engineers, and a function that
    re-solves some of those days for some of those engineers (by position, teams in order)
    with every other duty held as the best schedule has it (windows.py)."""
    day_of, horizon = _days(run)
    positions = [(i, e) for i, d in enumerate(run.datas) for e in range(len(d.engineers))]

    def open_in(place: Place) -> tuple[list[set[int]], list[set[int]] | None]:
        """Each team's shifts on the window's days, and its engineers in the window."""
        first, days, group = place
        shifts = [{s for s, day in enumerate(team_days) if (day - first) % horizon < days}
                  for team_days in day_of]
        who = (None if group is None else
               [{e for p, (i, e) in enumerate(positions) if p in group and i == t}
                for t in range(len(run.datas))])
        return shifts, who

    def solve(places: list[Place], seconds: float) -> list[Window]:
        began = time.perf_counter()
        neighbourhoods = _index(run) if len(places) > 1 and params.workers > 1 else None
        if neighbourhoods is not None:
            parts = [_cut(run, neighbourhoods, *open_in(place)) for place in places]
            if neighbourhoods.independent(parts):
                outcomes = _solve_parts_side_by_side(run, params, parts, seconds, tracker)
                windows = [Window(kept, status == "OPTIMAL", spent)
                           for spent, status, kept in outcomes]
            else:  # a constraint over the whole horizon joins them: one after the other
                windows = [_solve_window(run, params, tracker, *open_in(place), seconds)
                           for place in places]
            if params.deterministic:
                return windows
            # in wall time, shared (the index and the cuts given up cost time too)
            took = (time.perf_counter() - began) / len(places)
            return [window._replace(spent=took) for window in windows]
        return [_solve_window(run, params, tracker, *open_in(place), seconds)
                for place in places]

    return horizon, len(positions), solve


def _days(run: TeamRun) -> tuple[list[list[int]], int]:
    """Per team, the day of each shift (from the component's first day), and the horizon in
    days."""
    first_day = min(shift.date for d in run.datas for shift in d.shifts)
    day_of = [[(shift.date - first_day).days for shift in d.shifts] for d in run.datas]
    return day_of, max(day for days in day_of for day in days) + 1


def _index(run: TeamRun) -> Neighbourhoods | None:
    """The component's model indexed to cut windows out of it (submodel.py), made once (in
    the first window's time: 7 s on benchmark Instance22); None where it cannot be cut."""
    if run.neighbourhoods is None:
        duties = [lit.index for team in run.model.teams for lit in team.vars.assign.values()]
        try:
            run.neighbourhoods = Neighbourhoods(run.model.model, duties)
        except Unsupported:
            run.neighbourhoods = False
    return run.neighbourhoods if isinstance(run.neighbourhoods, Neighbourhoods) else None


def _cut(run: TeamRun, neighbourhoods: Neighbourhoods, shifts: list[set[int]],
         who: list[set[int]] | None) -> SubModel:
    """The sub-model that frees each team's duties on its `shifts` for its engineers `who`
    (everyone when None)."""
    seeds = [lit.index for t, team in enumerate(run.model.teams)
             for key, lit in team.vars.assign.items()
             if key[0] in shifts[t] and (who is None or key[2] in who[t])]
    return neighbourhoods.cut(run.hint, seeds, REACH)


def _solve_window(run: TeamRun, params: SolveParameters, tracker: _Tracker,
                  shifts: list[set[int]], who: list[set[int]] | None, seconds: float) -> Window:
    """Search, within `seconds`, the schedules that change only each team's duties on its
    `shifts` for its engineers `who` (everyone when None), keeping the best if better; what
    that did. As a model of its own (submodel.py), or where that cannot be cut, as a copy of
    the whole with holds."""
    began, before = time.perf_counter(), run.objective
    neighbourhoods = _index(run)
    if neighbourhoods is not None:
        spent, status, _ = _solve_part(run, params, _cut(run, neighbourhoods, shifts, who),
                                       seconds, tracker)
    else:
        everyone = [set(range(len(d.engineers))) for d in run.datas]
        model = _holding(run, [set(chosen) for chosen in run.chosen], every_duty=True,
                         open_shifts=shifts, open_engineers=everyone if who is None else who)
        spent, status = _solve_team(run, params, seconds, tracker, first_only=False,
                                    restricted=model)
    improved = run.objective is not None and before is not None and run.objective < before
    # the cut or the copy takes time too (deterministic time counts the solver's alone)
    took = spent if params.deterministic else time.perf_counter() - began
    return Window(improved, status == "OPTIMAL", took)


def _mend_coverage(run: TeamRun, params: SolveParameters, budget: float, tracker: _Tracker
                   ) -> float:
    """Windows around a shift staffed beyond its need and a shift short of it on other days,
    both at once (windows.mend_coverage), within `budget` seconds; the seconds spent."""
    day_of, _ = _days(run)

    def misplaced() -> tuple[set[int], set[int]]:
        """The days of a shift short of its need, and of one staffed beyond it."""
        short, spare = set(), set()
        for t, data in enumerate(run.datas):
            staffed = Counter((s, r) for s, r, _ in run.chosen[t])
            for s, r in data.needs:
                need = data.head_count(s, r)
                if staffed[s, r] < need:
                    short.add(day_of[t][s])
                elif staffed[s, r] > need:
                    spare.add(day_of[t][s])
        return short, spare

    def solve(days: frozenset[int], seconds: float) -> Window:
        shifts = [{s for s, day in enumerate(team_days) if day in days} for team_days in day_of]
        return _solve_window(run, params, tracker, shifts, None, seconds)

    return mend_coverage(misplaced, solve, budget, tracker.should_stop)


def _solve_part(run: TeamRun, params: SolveParameters, part: SubModel, budget: float,
                tracker: _Tracker) -> tuple[float, str, bool]:
    """CP-SAT on a sub-model cut from the component's (submodel.py) for `budget` seconds, its
    best schedule kept if better. Returns the seconds spent, CP-SAT's status (of the sub-model
    alone: it proves nothing of the whole) and whether the schedule was kept."""
    solver = _solver(params, budget)
    with _StopWatch(solver, tracker, run.objective is not None):
        status = STATUS[solver.solve(part.model)]
    kept = False
    if status in ("OPTIMAL", "FEASIBLE"):
        with tracker.lock:  # completed into the best schedule as it is now (side by side)
            kept = _keep(run, tracker, part.complete(run.hint, solver.response_proto.solution))
    return (solver.deterministic_time if params.deterministic else solver.wall_time), status, kept


def _solve_parts_side_by_side(run: TeamRun, params: SolveParameters, parts: list[SubModel],
                              budget: float, tracker: _Tracker) -> list[tuple[float, str, bool]]:
    """_solve_part for sub-models that share no constraint (Neighbourhoods.independent), each
    on a thread and a worker of its own: one worker proves such a window about as fast as two
    (on Instance20: median 0.57 s against 0.55 s, bench/README.md, session 17). Each is
    completed into the best schedule as it stands when it ends, which holds every rule since
    the parts' changes meet in no constraint (and gives the same schedule in either order)."""
    one = params.model_copy(update={"workers": 1})
    with ThreadPoolExecutor(len(parts)) as pool:  # CP-SAT releases the GIL while it solves
        return list(pool.map(lambda part: _solve_part(run, one, part, budget, tracker), parts))


def _record(run: TeamRun, found: Found) -> bool:
    """Keep the schedule `found` holds (a solver's or a callback's) if it is strictly better
    than the best so far, with every variable's value for hints. True when kept.

    The objective is the schedule's exact cost, term by term (slack.py): never CP-SAT's
    objective_value, which slack inequalities may overstate before the optimum (and which on
    rare races between workers belonged to another solution).
    """
    return _record_values(run, _values(run, found))


def _values(run: TeamRun, found: Found) -> list[int]:
    """Every variable's value in the schedule `found` holds: all at once (one by one, 5,500
    took 9 ms a schedule), and only the model's own, which a probe's clone shares (it adds
    constraints, never variables)."""
    return [int(v) for v in found.response_proto.solution][: run.model.size]


def _keep(run: TeamRun, tracker: _Tracker, every: list[int]) -> bool:
    """_record_values, and a kept schedule counted, published and reported. True when kept."""
    with tracker.lock:
        if not _record_values(run, every) or run.objective is None:
            return False
        tracker.solutions += 1
        tracker.publish(run, run.chosen, run.objective)
        tracker.report(run, run.objective, run.bound)
        return True


def _record_values(run: TeamRun, every: list[int]) -> bool:
    """_record, from every variable's value."""
    value = run.model.reader(every)
    values = [t.evaluate(value) for t in run.model.terms]
    objective = sum(t.weight * v for t, v in zip(run.model.terms, values, strict=True))
    if run.objective is not None and objective >= run.objective:
        return False
    run.objective = objective
    run.chosen = [[k for k, lit in team.vars.assign.items() if every[lit.index]]
                  for team in run.model.teams]
    part = run.model.incidents
    run.handlers = []
    if part is not None:
        for i, info in enumerate(part.infos):
            picked = [e for e in info.allowed if every[part.handle[i, e].index]]
            run.handlers.append(picked[0] if picked else None)
    run.term_values = values
    run.hint = every
    return True


def _improve(run: TeamRun, params: SolveParameters, budget: float, tracker: _Tracker) -> None:
    """Spend `budget` improving the component's schedule: engineers re-solved a few at a time
    (lns.py) beside CP-SAT's own search on the other workers, which proves what it can; then,
    if that search of engineers gives up, CP-SAT on all of them. Deterministic or with one
    worker, one after the other (LNS_SHARE of the budget first). Teams whose coverage is priced
    have had their engineer-by-engineer descent already (sequential.py): CP-SAT alone, within
    their relaxation's core first (CORE_SHARE), then the whole model (WHOLE_FIRST), a few days
    at a time (WINDOW_SHARE; where those windows end stuck, the days around a surplus and a
    shortfall at once, then swapped rosters) and the whole model again."""
    if run.objective is None or all(coverage_is_priced(d) for d in run.datas):
        # what the best schedule and the relaxation's core both hold (none without a core)
        kept = ([set(chosen) & core for chosen, core in zip(run.chosen, run.core, strict=True)]
                if run.core and run.objective is not None else [])
        if any(kept):
            budget -= _solve_team(run, params, CORE_SHARE * budget, tracker, first_only=False,
                                  restricted=_holding(run, kept, every_duty=False))[0]
        if run.objective is not None:
            budget -= _solve_team(run, params, WHOLE_FIRST * budget, tracker,
                                  first_only=False)[0]
            if not run.finished and not tracker.should_stop():
                windows = WINDOW_SHARE * budget
                horizon, engineers, solve_window = _window_solver(run, params, tracker)
                spent = sweep_windows(horizon, engineers, solve_window, windows,
                                      tracker.should_stop, params.seed)
                if spent < windows and not tracker.should_stop():  # the windows are stuck
                    spent += _mend_coverage(run, params, windows - spent, tracker)
                tried: set[tuple[int, int]] = set()  # (team, engineer) swapped already
                swapped = True
                while swapped and spent < windows and not tracker.should_stop():  # stuck
                    seconds, swapped = _swap_costliest_roster(run, params, windows - spent,
                                                              tracker, tried)
                    spent += seconds
                budget -= spent
        if not run.finished:
            _solve_team(run, params, max(0.05, budget), tracker, first_only=False)
        return

    def keep(found: Found) -> bool:
        return _keep(run, tracker, _values(run, found))

    work = run.model.model.clone()
    if params.deterministic or params.workers < 2:
        budget -= reassign_engineers(run.model, work, lambda: run.hint, LNS_SHARE * budget,
                                     params.seed, params.deterministic, keep,
                                     tracker.should_stop)
        _solve_team(run, params, max(0.05, budget), tracker, first_only=False)
        return
    began, halt = time.perf_counter(), threading.Event()
    side = params.model_copy(update={"workers": params.workers - 1})
    beside = threading.Thread(target=_solve_team, args=(run, side, budget, tracker, False),
                              kwargs={"halt": halt})
    beside.start()
    try:
        reassign_engineers(run.model, work, lambda: run.hint, budget, params.seed, False, keep,
                           lambda: tracker.should_stop() or run.finished or _close_enough(
                               run, params))
    finally:
        halt.set()
        beside.join()
    left = budget - (time.perf_counter() - began)
    if left > 0.05 and not (run.finished or _close_enough(run, params) or tracker.should_stop()):
        _solve_team(run, params, left, tracker, first_only=False)


def _swap_costliest_roster(run: TeamRun, params: SolveParameters, budget: float,
                           tracker: _Tracker, tried: set[tuple[int, int]]
                           ) -> tuple[float, bool]:
    """Where the relaxation was priced to the end and an engineer's roster carries at least
    SWAP_SHARE of the best schedule's cost beyond what the relaxation says it is worth (its
    reduced cost, columns.RootPrices), give the costliest such engineer the roster the
    relaxation prices cheapest (an engineer not `tried` yet, who then is) and let windows mend
    everyone's duties around it, on a copy of the run (nothing published meanwhile), within
    `budget` seconds; the copy's schedule is kept if it ends better than the best. With
    SWAP_ROOMY seconds or more, any roster at least SWAP_FLOOR beyond its worth will do.
    Returns the seconds spent (deterministic ones when asked; pricing counts in wall-clock
    time only) and whether a roster was swapped (False: nothing left worth swapping)."""
    if run.objective is None:
        return 0.0, False
    began = time.perf_counter()
    least = SWAP_SHARE * run.objective
    if budget >= SWAP_ROOMY:
        least = min(least, SWAP_FLOOR)
    held = [_rosters(run.chosen[t], prices.models) if prices is not None else {}
            for t, prices in enumerate(run.prices)]
    costly = sorted(((cost, t, e) for t, prices in enumerate(run.prices) if prices is not None
                     for e, roster in held[t].items()
                     if (cost := prices.reduced_cost(e, roster)) >= least), reverse=True)
    for _, t, e in costly:
        prices = run.prices[t]
        assert prices is not None
        if (t, e) in tried:
            continue
        tried.add((t, e))
        if (roster := prices.cheapest(e, PRICE_SECONDS)) not in (None, held[t][e]):
            break
    else:
        return (0.0 if params.deterministic else time.perf_counter() - began), False
    chosen = [set(keys) for keys in run.chosen]
    chosen[t] = {key for key in chosen[t] if key[2] != e} | {(s, r, e) for s, r in roster}
    trial = replace(run, objective=None, status="UNKNOWN")
    unseen = _Tracker([trial], tracker.started, None, tracker.should_stop)
    spent = 0.0
    if _probe(trial, unseen, chosen, {}):
        horizon, engineers, solve_window = _window_solver(trial, params, unseen)
        left = budget if params.deterministic else budget - (time.perf_counter() - began)
        spent = sweep_windows(horizon, engineers, solve_window, left, unseen.should_stop,
                              params.seed)
        run.neighbourhoods = trial.neighbourhoods
        _keep(run, tracker, trial.hint)
    return (spent if params.deterministic else time.perf_counter() - began), True


def _rosters(chosen: list[tuple[int, int, int]], engineers: Iterable[int]
             ) -> dict[int, frozenset[tuple[int, int]]]:
    """Each of `engineers`' (shift, role) duties in a team's `chosen` triples."""
    duties: dict[int, set[tuple[int, int]]] = {e: set() for e in engineers}
    for s, r, e in chosen:
        if e in duties:
            duties[e].add((s, r))
    return {e: frozenset(held) for e, held in duties.items()}


def _close_enough(run: TeamRun, params: SolveParameters) -> bool:
    """Is the best schedule within the relative gap asked for (CP-SAT's own stop, which
    cannot see the schedules found beside it)?"""
    gap = gap_of(run.objective, run.bound)
    return params.relative_gap > 0 and gap is not None and gap <= params.relative_gap


def _solve_team(run: TeamRun, params: SolveParameters, budget: float, tracker: _Tracker,
                first_only: bool, halt: threading.Event | None = None,
                restricted: cp_model.CpModel | None = None) -> tuple[float, str]:
    """CP-SAT on the component from its best schedule, for `budget` seconds (deterministic
    ones when asked); with `restricted` (a copy of the model with some duties held, _holding),
    only among the schedules it allows (no bound then). Returns the seconds spent and CP-SAT's
    status."""
    model = run.model.model if restricted is None else restricted
    hint_all(model, run.hint)  # continue from the best schedule so far
    solver = _solver(params, budget)
    solver.parameters.relative_gap_limit = params.relative_gap
    solver.parameters.stop_after_first_solution = first_only
    with _StopWatch(solver, tracker, run.objective is not None, halt):
        status = STATUS[solver.solve(model, _Callback(run, tracker, proves=restricted is None))]
    spent = solver.deterministic_time if params.deterministic else solver.wall_time
    found = status in ("OPTIMAL", "FEASIBLE")
    if found:
        with tracker.lock:
            if _record(run, solver) and run.objective is not None:
                tracker.publish(run, run.chosen, run.objective)
    if restricted is not None:  # part of the schedules only: its bound and status prove nothing
        return spent, status
    if found:
        run.bound = max(run.bound, whole(solver.best_objective_bound))
        # OPTIMAL only when proven: CP-SAT also says OPTIMAL when it stops within the relative
        # gap asked for, and the gap then shows how far from proven it is
        proven = run.objective is not None and run.bound >= run.objective
        run.status = "OPTIMAL" if proven else "FEASIBLE"
    elif status == "INFEASIBLE":
        run.status = "INFEASIBLE"
    elif status == "MODEL_INVALID":
        run.status = "MODEL_INVALID"
    elif status == "UNKNOWN" and run.objective is not None:
        run.bound = max(run.bound, whole(solver.best_objective_bound))
    tracker.report(run, run.objective, run.bound)
    return spent, status


def _solver(params: SolveParameters, budget: float) -> cp_model.CpSolver:
    """A CP-SAT solver with the parameters asked for, for `budget` seconds (deterministic ones
    when asked)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = params.workers
    if params.workers == 1:
        p.linearization_level = 2  # as the max_lp worker below (one worker has no subsolvers)
    elif params.workers <= 4:
        # Few workers get only the default LP, which linearises little of this model; the
        # max_lp worker's full relaxation gives a real bound (measured: bench/README.md).
        p.subsolvers.extend(["max_lp", "default_lp", "core", "quick_restart"][: params.workers])
    p.random_seed = params.seed
    if params.deterministic:
        p.max_deterministic_time = budget
        p.interleave_search = True
        p.max_time_in_seconds = 1e6
    else:
        p.max_time_in_seconds = budget
    # Stop requests (Ctrl-C in the CLI, DELETE in the API) arrive through should_stop, polled
    # here; CP-SAT must not swallow SIGINT itself, or the other teams would still be solved.
    p.catch_sigint_signal = False
    return solver


def _assemble(instance: Instance, params: SolveParameters, runs: list[TeamRun], started: float,
              build_time: float) -> Solution:
    statuses = [r.status for r in runs]
    if "MODEL_INVALID" in statuses:
        status = "MODEL_INVALID"
    elif "INFEASIBLE" in statuses:
        status = "INFEASIBLE"
    elif "UNKNOWN" in statuses:
        status = "UNKNOWN"
    elif all(s == "OPTIMAL" for s in statuses):
        status = "OPTIMAL"
    else:
        status = "FEASIBLE"
    solution = Solution(
        instance=instance.name,
        status=status,
        wall_time=0.0,
        build_time=round(build_time, 3),
        parameters=params,
    )
    if status in ("OPTIMAL", "FEASIBLE"):
        objective = sum(r.objective or 0 for r in runs)
        bound = sum(r.bound for r in runs)
        solution.objective = objective
        solution.bound = bound
        solution.gap = gap_of(objective, bound)
        for run in runs:
            for data, keys in zip(run.datas, run.chosen, strict=True):
                assignments, engineers, figures = team_figures(data, keys)
                solution.assignments += assignments
                solution.engineers += engineers
                solution.teams.append(figures)
            if run.model.incidents is not None:
                outcomes, sprints = incident_figures(
                    instance, run.datas, run.chosen, run.model.incidents, run.handlers,
                    solution.teams)
                solution.incidents += outcomes
                solution.sprints += sprints
            for term, value in zip(run.model.terms, run.term_values, strict=True):
                solution.terms.append(
                    ObjectiveTerm(
                        name=term.name,
                        team=term.team,
                        value=value,
                        weight=term.weight,
                        cost=term.weight * value,
                        unit=term.unit,
                    )
                )
        _in_instance_order(instance, solution)
    elif status == "INFEASIBLE":
        for run in runs:
            if run.status == "INFEASIBLE":
                solution.explanation += explain_infeasible(run.model, params)
    elif status == "UNKNOWN":
        missing = [r.label for r in runs if r.status == "UNKNOWN"]
        solution.explanation.append(
            f"no schedule found within {params.time_limit:g} s for team(s) "
            f"{', '.join(missing)}: allow more time"
        )
    solution.wall_time = round(time.perf_counter() - started, 3)
    return solution


def _in_instance_order(instance: Instance, solution: Solution) -> None:
    """Teams, engineers and incidents listed as the instance lists them, whatever the
    components' order."""
    teams = {t.id: i for i, t in enumerate(instance.teams)}
    engineers = {e.id: i for i, e in enumerate(e for t in instance.teams for e in t.engineers)}
    incidents = {x.id: i for i, x in enumerate(instance.incidents)}
    solution.teams.sort(key=lambda f: teams[f.team])
    solution.engineers.sort(key=lambda f: engineers[f.engineer])
    solution.terms.sort(key=lambda t: teams.get(t.team or "", 0))
    solution.assignments.sort(key=lambda a: (a.start, teams[a.team], a.rotation))
    solution.incidents.sort(key=lambda o: incidents[o.incident])
    solution.sprints.sort(key=lambda r: (teams[r.team], engineers[r.engineer], r.start))
