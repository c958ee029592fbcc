"""Re-solving a few engineers at a time: a neighbourhood CP-SAT's own search seldom tries.

Balancing load means moving whole turns between two particular people: the most and the least
loaded. CP-SAT's neighbourhoods free random variables, constraints or time windows, and rarely
free exactly two engineers' duties at once, so at a few seconds a team it leaves the rotation
unbalanced (one team with 100 incidents at 2.4 s: fairness 691 against 109 after 60 s).

Here everything but a few engineers' duties and incidents is fixed to the best schedule so far,
and CP-SAT finds the best way for them to share what they hold, in a fraction of a second. Half
the neighbourhoods pair the most and least loaded engineers of a team, the others are drawn at
random (for skills, preferences, rules). How many engineers are freed adapts: a quarter more
after a neighbourhood solved to optimality, a quarter fewer after one that was not (STEP;
measured in bench/README.md).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from .model import ComponentModel, TeamModel, hint_all

FIRST_SIZE = 2.0  # engineers freed at first
STEP = 0.25  # how fast the size adapts to how hard the neighbourhoods are
# Per neighbourhood: a pair solves to optimality in some 0.02 s. On 10 teams at 24 s (with and
# without incidents, two seeds each) 0.05 s did best; 0.2 s did 3 to 10% worse, 0.03 s once lost
# 15% on a team whose neighbourhoods could not even be loaded in the time.
SUB_SECONDS = 0.05
PATIENCE = 60  # neighbourhoods in a row without a better schedule end the search
# In deterministic mode a neighbourhood is charged twice CP-SAT's deterministic time and this,
# for what that count leaves out (loading the model: small neighbourhoods took 1.5 to 1.9 times
# their deterministic time in wall time; fixing the other engineers, keeping a schedule), so
# that a deterministic solve takes about its time limit. Charging CP-SAT's count alone, the
# org-quarter instance took 43 s for 30 and the demo 14 s for 10; charged so, 34 s and 8 s
# (23 to 27 s per policy since the Python around each neighbourhood was cut, session 7).
SETUP_CHARGE = 0.01

Found = cp_model.CpSolver | cp_model.CpSolverSolutionCallback  # a schedule to read
Keep = Callable[[Found], bool]  # records a schedule if better; True if kept


def reassign_engineers(component: ComponentModel, work: cp_model.CpModel,
                       hint: Callable[[], list[int]], seconds: float, seed: int,
                       deterministic: bool, keep: Keep, should_stop: Callable[[], bool]) -> float:
    """Improve the schedule whose variable values `hint` returns, a few engineers at a time,
    for at most `seconds` (deterministic ones with `deterministic`); each better schedule goes
    to `keep`, which updates what `hint` returns. `work` is a copy of the component's model to
    search in (its own may be solving meanwhile). Returns the seconds spent, of that kind."""
    teams = [t for t in component.teams if len(t.data.engineers) > 1]
    if not teams or seconds <= 0:
        return 0.0
    # each variable's domain, held once: reached through the proto each time, fixing cost
    # four times as much (3.6 ms a neighbourhood on a team with 287 incidents)
    cells = [v.domain for v in work.proto.variables]
    domains = {i: _ends(list(cell)) for i, cell in enumerate(cells)}
    owned = _literals_by_engineer(component)
    rng = random.Random(seed)
    size, idle, spent, began = FIRST_SIZE, 0, 0.0, time.perf_counter()
    values: list[int] = []
    freed: list[int] = []  # literals the last neighbourhood freed

    def used() -> float:
        return spent if deterministic else time.perf_counter() - began

    def fix(indices: list[int]) -> None:
        for i in indices:
            cell = cells[i]
            cell[0] = cell[1] = values[i]

    everyone = sum(len(t.data.engineers) for t in component.teams)
    while idle < PATIENCE and not should_stop() and seconds - used() > 0.01:
        left = seconds - used()
        if hint() is not values:  # a better schedule, kept here or found beside: fix it all
            values = hint()
            hint_all(work, values)
            fix([i for indices in owned.values() for i in indices])
        else:  # the same schedule: only what the last neighbourhood freed needs fixing again
            fix(freed)
        team = rng.choice(teams)
        free = _pick(team, values, min(len(team.data.engineers), round(size)), rng)
        freed = [i for e in free for i in owned[team, e]]
        for i in freed:
            cells[i][0], cells[i][1] = domains[i]
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = 1
        p.random_seed = rng.randrange(1 << 20)
        p.catch_sigint_signal = False
        # one round of presolve: most of the model is fixed, and the time is better searched
        # (10 teams at 24 s, two seeds, with and without incidents: 1% to 3% lower)
        p.max_presolve_iterations = 1
        if deterministic:
            p.max_deterministic_time = min(SUB_SECONDS, left)
        else:
            p.max_time_in_seconds = min(SUB_SECONDS, left)
        status = solver.solve(work)
        spent += 2 * solver.deterministic_time + SETUP_CHARGE
        if status == cp_model.OPTIMAL:
            size = min(size + STEP, float(len(team.data.engineers)))
        else:
            size = max(2.0, size - STEP)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and keep(solver):
            idle = 0
        else:
            idle += 1
        if status == cp_model.OPTIMAL and len(free) == everyone:
            break  # that neighbourhood was the whole component: its schedule is optimal
    return used()


def _ends(domain: list[int]) -> tuple[int, int]:
    """A Boolean's domain as (low, high); a list first, as the proto's repeated fields read
    index -1 wrongly."""
    return domain[0], domain[-1]


def _literals_by_engineer(component: ComponentModel) -> dict[tuple[TeamModel, int], list[int]]:
    """Per (team, engineer): the proto indices of their duty and incident literals, which a
    neighbourhood fixes unless it frees that engineer."""
    owned: dict[tuple[TeamModel, int], list[int]] = {}
    engineer_of: dict[str, tuple[TeamModel, int]] = {}
    for team in component.teams:
        for e, engineer in enumerate(team.data.engineers):
            owned[team, e] = []
            engineer_of[engineer.id] = (team, e)
        for (_, _, e), literal in team.vars.assign.items():
            owned[team, e].append(literal.index)
    if component.incidents is not None:
        for (_, eid), literal in component.incidents.handle.items():
            owned[engineer_of[eid]].append(literal.index)
    return owned


def _pick(team: TeamModel, values: list[int], size: int, rng: random.Random) -> set[int]:
    """`size` engineers of `team`: half the time its most and least loaded first."""
    data = team.data
    free: set[int] = set()
    if len(data.fairness_group) > 1 and rng.random() < 0.5:
        load = {e: data.history_points[e] for e in data.fairness_group}
        for (s, e), literal in team.vars.hold.items():
            if e in load and values[literal.index]:
                load[e] += data.burden[s, e].points
        ranked = sorted(load, key=lambda e: (load[e], e))
        free = {ranked[0], ranked[-1]}
    while len(free) < size:
        free.add(rng.randrange(len(data.engineers)))
    return free
