"""Benchmark: the Curtois & Qu staff-rostering instances, imported and solved by the engine.

Each instance is read from ../shared/benchmarks/curtois/ (`rotasat import nrp`), solved in a
fresh process with the wall-clock limit given, and its schedule judged by the independent
checker. The table shows the objective against the published optimum (optima.csv), the gap to it,
the time the best schedule was found, and the status; with several runs, medians.

    python bench/nrp.py --time-limit 60 --instances 1 2 3 4 5 6 7 8 11
    python bench/nrp.py --time-limit 600 --instances 14 16 20 22 --runs 1
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from common import fmt, in_fresh_process, median

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "benchmarks" / "curtois"


def run_once(number: int, time_limit: float, workers: int, seed: int,
             save: str | None = None) -> dict[str, object]:
    """One solve in this process; returns the record printed as JSON. With `save`, the
    instance and its schedule are written there too (for `rotasat check` or a closer look)."""
    from rotasat.checker import evaluate
    from rotasat.engine import Progress, solve
    from rotasat.models import Instance, SolveParameters
    from rotasat.models.nrp import import_file

    started = time.perf_counter()
    imported_data = import_file(DATA / f"Instance{number}.txt")
    instance = Instance.model_validate(imported_data)
    imported = time.perf_counter() - started
    found: list[tuple[float, int]] = []  # (elapsed, objective) at each improvement

    def progress(p: Progress) -> None:
        if p.objective is not None and (not found or p.objective < found[-1][1]):
            found.append((p.elapsed, p.objective))

    solution = solve(instance, SolveParameters(time_limit=time_limit, workers=workers,
                                               seed=seed), on_progress=progress)
    judged = evaluate(instance, solution.assignments, solution.incidents)
    best = next((t for t, o in found if o == solution.objective), None)
    if save is not None:
        folder = Path(save)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"Instance{number}.json").write_text(json.dumps(imported_data, indent=1))
        (folder / f"Instance{number}-seed{seed}.solution.json").write_text(
            solution.model_dump_json(indent=1))
    return {
        "instance": number,
        "import": imported,
        "build": solution.build_time,
        "first": found[0][0] if found else None,
        "best_time": best,
        "wall": solution.wall_time,
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "checker_agrees": judged.feasible and judged.objective == solution.objective,
    }


def optima() -> dict[int, int]:
    with (DATA / "optima.csv").open() as handle:
        return {int(row["instance"].removeprefix("Instance")): int(row["optimum"])
                for row in csv.DictReader(handle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--instances", nargs="+", type=int, default=[1, 2, 3, 4, 5, 6, 7, 8, 11])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--runs", type=int, default=1, help="runs per instance (seeds 0, 1, ...)")
    parser.add_argument("--save", metavar="DIR",
                        help="write each instance and its schedules into DIR")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_once(*json.loads(args.one))))
        return
    if not DATA.is_dir():
        sys.exit(f"{DATA}: not found (the benchmark files live in ../shared/benchmarks/curtois)")
    best = optima()
    print("| instance | objective | optimum | gap to optimum % | best found at s | "
          "first found at s | bound | status |")
    print("|---|---:|---:|---:|---:|---:|---:|---|", flush=True)
    for number in args.instances:
        records = []
        for seed in range(args.runs):
            spec = [number, args.time_limit, args.workers, seed, args.save]
            records.append(in_fresh_process(__file__, spec))
            print(f"  Instance{number} run {seed + 1}/{args.runs}: {records[-1]['status']} "
                  f"{records[-1]['objective']} (best at {fmt(records[-1]['best_time'], 1)} s)",
                  file=sys.stderr, flush=True)
        assert all(r["checker_agrees"] for r in records if r["objective"] is not None), (
            "the checker disagrees with the engine")
        objective = median([r["objective"] for r in records])
        optimum = best.get(number)
        gap = None if objective is None or not optimum else 100 * (objective - optimum) / optimum
        row = [
            f"Instance{number}", fmt(objective, 0), str(optimum or "-"), fmt(gap, 2),
            fmt(median([r["best_time"] for r in records]), 1),
            fmt(median([r["first"] for r in records]), 1),
            fmt(median([r["bound"] for r in records]), 0),
            "/".join(sorted({str(r["status"]) for r in records})),
        ]
        print("| " + " | ".join(row) + " |", flush=True)
    print(f"\n{'medians of ' + str(args.runs) + ' runs' if args.runs > 1 else 'one run'}, "
          f"{args.workers} workers, {args.time_limit:g} s each (wall clock, model building "
          f"included); python bench/nrp.py {' '.join(sys.argv[1:])}")


if __name__ == "__main__":
    main()
