"""Benchmark: the demo quarter team and synthetic organisations of 10 and 50 teams.

Each case runs several times, each in a fresh process (so peak memory is its own), and the table
shows medians. Beside the optimised schedule it shows the fixed-order rotation an on-call tool
would render, judged by the same independent checker, as the baseline measured in the same run.

    python bench/run.py                      # all cases, 3 runs each
    python bench/run.py --cases demo --runs 5
    python bench/run.py --time-limit 60      # override every case's limit
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from common import fmt, in_fresh_process, median

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Case:
    name: str
    source: str  # an instance file, or "generate:TEAMS:ENGINEERS:DAYS:SEED"
    time_limit: float
    target: str


CASES = {
    "demo": Case("demo quarter team", str(ROOT / "instances" / "quarter-12.json"), 10.0,
                 "proven optimal within 10 s"),
    "org10": Case("10 teams of 10", "generate:10:10:91:1", 60.0, "-"),
    "org50": Case("50 teams of 10", "generate:50:10:91:1", 120.0,
                  "build <= 5 s, first feasible <= 15 s, gap <= 1% at 120 s, memory < 2 GB"),
    "incidents": Case("50 teams of 10, 5,000 incidents", "generate:50:10:91:1:5000", 120.0,
                      "first feasible <= 20 s, gap <= 2% at 120 s"),
}


def run_once(source: str, time_limit: float, workers: int, seed: int) -> dict[str, object]:
    """One solve in this process; prints a JSON record."""
    from rotasat.api.service import judge_baseline
    from rotasat.checker import evaluate
    from rotasat.engine import Progress, solve
    from rotasat.engine.data import build_team_data
    from rotasat.engine.model import ComponentModel, components
    from rotasat.models import Instance, SolveParameters, load
    from rotasat.models.generator import generate

    if source.startswith("generate:"):
        teams, engineers, days, gen_seed, *rest = (int(x) for x in source.split(":")[1:])
        incidents = rest[0] if rest else 0
        instance = generate(teams, engineers, days, seed=gen_seed, incidents=incidents,
                            sprint_days=14 if incidents else None)
    else:
        instance = load(Instance, source)
    first_feasible: list[float] = []

    def progress(p: Progress) -> None:
        if p.objective is not None and not first_feasible:
            first_feasible.append(p.elapsed)

    started = time.perf_counter()
    solution = solve(instance, SolveParameters(time_limit=time_limit, workers=workers,
                                               seed=seed), on_progress=progress)
    wall = time.perf_counter() - started
    judged = evaluate(instance, solution.assignments, solution.incidents)
    baseline = judge_baseline(instance)
    variables = sum(
        ComponentModel(instance, [build_team_data(instance, instance.team(t)) for t in ids],
                       incidents).size
        for ids, incidents in components(instance)
    )
    return {
        "engineers": sum(len(t.engineers) for t in instance.teams),
        "days": instance.horizon.days,
        "variables": variables,
        "build": solution.build_time,
        "first_feasible": first_feasible[0] if first_feasible else None,
        "wall": wall,
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": solution.gap,
        "checker_agrees": judged.feasible and judged.objective == solution.objective,
        "baseline_objective": baseline.objective,
        "baseline_violations": len(baseline.violations),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        source, limit, workers, seed = json.loads(args.one)
        print(json.dumps(run_once(source, limit, workers, seed)))
        return

    header = ("| instance | engineers | days | variables | build s | first feasible s | "
              "solve s | status | objective | bound | gap % | fixed-order objective "
              "(rules broken) | optimised / fixed-order | peak MB | target |")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for key in args.cases:
        case = CASES[key]
        limit = args.time_limit or case.time_limit
        records = []
        for seed in range(args.runs):
            records.append(in_fresh_process(__file__, [case.source, limit, args.workers, seed]))
            print(f"  {key} run {seed + 1}/{args.runs}: {records[-1]['status']} "
                  f"{records[-1]['objective']} (bound {records[-1]['bound']})", file=sys.stderr)
        assert all(r["checker_agrees"] for r in records), "the checker disagrees with the engine"
        statuses = sorted({str(r["status"]) for r in records})
        objective = median([r["objective"] for r in records])
        baseline = median([r["baseline_objective"] for r in records])
        gap = median([r["gap"] for r in records])
        row = [
            case.name, records[0]["engineers"], records[0]["days"], records[0]["variables"],
            fmt(median([r["build"] for r in records])),
            fmt(median([r["first_feasible"] for r in records])),
            fmt(median([r["wall"] for r in records]), 1),
            "/".join(statuses),
            fmt(objective, 0), fmt(median([r["bound"] for r in records]), 0),
            fmt(None if gap is None else 100 * gap, 1),
            f"{fmt(baseline, 0)} ({fmt(median([r['baseline_violations'] for r in records]), 0)})",
            fmt(None if not (objective and baseline) else objective / baseline, 3),
            fmt(max(r["peak_mb"] for r in records), 0),
            case.target,
        ]
        print("| " + " | ".join(str(c) for c in row) + " |", flush=True)
    print(f"\nmedians of {args.runs} runs, {args.workers} workers, time limits as listed; "
          "python bench/run.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
