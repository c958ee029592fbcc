"""How the benchmark's rosters' relaxation is priced: round by round, with the engine's pricing.

Imports a benchmark instance, builds each engineer's own model as the engine does
(sequential.engineer_model, columns.with_programmes: a dynamic programme where every
engineer's rules allow one, rosterdp.py, else CP-SAT) and prices the root relaxation
(columns.RosterDive) from the engine's first pass, with no time limit of the engine's own,
printing the master's value round by round (the programmes' agreement with CP-SAT is
tests/engine/test_rosterdp.py's), and at the end what the last master's mix is made of: the
head count it leaves short and the surplus it staffs (fractions of a person-shift where the mix
is fractional) and what its rosters cost by themselves (preferences, soft rules).

    python bench/pricing.py 20 --seconds 600              # Instance20's root, priced exactly
    python bench/pricing.py 20 --seconds 600 --cp-sat     # ... by CP-SAT, as before session 21
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rotasat.engine import columns
from rotasat.engine.data import TeamData, build_team_data
from rotasat.engine.sequential import FIRST_SHARE, engineer_model, sequential_schedule
from rotasat.models import Instance
from rotasat.models.nrp import import_file

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks" / "curtois"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("instance", type=int)
    parser.add_argument("--seconds", type=float, default=600.0)
    parser.add_argument("--first", type=float, default=40.0, help="seconds for the first pass")
    parser.add_argument("--cp-sat", action="store_true", help="price by CP-SAT only")
    args = parser.parse_args()
    path = DATA / f"Instance{args.instance}.txt"
    if not path.exists():
        sys.exit(f"no benchmark file at {path}")
    instance = Instance.model_validate(import_file(path))
    data = build_team_data(instance, instance.teams[0])
    dive = root_from_first_pass(data, args.first, args.cp_sat)
    models = dive.models
    print(f"{sum(m.programme is not None for m in models.values())} of {len(models)} "
          "engineers priced by a programme")
    began = time.perf_counter()
    solve_master = dive._master
    rounds = [0]
    last: list[columns.Master] = []

    def master() -> columns.Master | None:
        found = solve_master()
        if found is not None:
            rounds[0] += 1
            last[:] = [found]
            print(f"round {rounds[0]}: {time.perf_counter() - began:6.1f} s, master "
                  f"{found[0]:.1f}", flush=True)
        return found

    dive._master = master  # type: ignore[method-assign]
    deadline = began + args.seconds
    with ThreadPoolExecutor(columns.THREADS) as pool:
        dive._price(pool, None, lambda: deadline - time.perf_counter(), lambda: False)
    print(f"priced to the end: {dive.priced}, after {time.perf_counter() - began:.1f} s")
    if last:
        short, surplus, own = mix_figures(data, dive, last[0][3])
        print(f"the last master's mix: {short:.1f} short, {surplus:.1f} surplus, "
              f"{own:.1f} of the rosters' own costs")


def root_from_first_pass(data: TeamData, first: float, cp_sat: bool) -> columns.RosterDive:
    """The root to price, from the engine's first pass (`first` seconds), each engineer
    priced by their programme where every one has one (by CP-SAT with `cp_sat`)."""
    models = {e: engineer_model(data, e) for e in range(len(data.engineers))}
    if not cp_sat:
        columns.with_programmes(data, models)
    firsts: list[set[tuple[int, int, int]]] = []
    sequential_schedule(data, first / FIRST_SHARE, on_schedule=firsts.append,
                        should_stop=lambda: bool(firsts))  # the first pass only
    start = {e: frozenset((s, r) for s, r, who in firsts[0] if who == e) for e in models}
    costs = {e: models[e].cost_of(roster) for e, roster in start.items()}
    return columns.RosterDive(data, models, start, costs, deterministic=False)


def mix_figures(data: TeamData, dive: columns.RosterDive,
                mix: dict[tuple[int, columns.Roster], float]) -> tuple[float, float, float]:
    """The head count `mix` leaves short, the surplus it staffs, and what its rosters cost by
    themselves, each weighted by its share of the mix."""
    staffed: defaultdict[columns.Duty, float] = defaultdict(float)
    own = 0.0
    for (e, roster), weight in mix.items():
        own += weight * dive.rosters[e][roster]
        for duty in roster:
            staffed[duty] += weight
    short = sum(max(0.0, data.head_count(s, r) - staffed[s, r]) for s, r in data.needs)
    surplus = sum(max(0.0, staffed[s, r] - data.head_count(s, r)) for s, r in data.needs)
    return short, surplus, own


if __name__ == "__main__":
    main()
