"""The `rotasat` command line: solve, validate, check, generate, schema.

Thin by design: it reads files, calls what the HTTP API calls (`api.service.solve_instance`, the
independent checker, the generator) and prints. Tables live in api/render.py and
api/schedule.py, the live progress line in api/progress.py.

Exit codes: 0 success; 1 no schedule (INFEASIBLE, UNKNOWN) or a check that fails; 2 bad input
(missing file, malformed JSON, schema violations, bad option values), one line per problem naming
the file and the JSON path, never a traceback; 3 an internal error, i.e. a bug in rotasat
(ROTASAT_DEBUG=1 shows its traceback).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any, ParamSpec, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text
from rotasat.checker import check_solution
from rotasat.engine import Progress
from rotasat.models import (
    InputError,
    Instance,
    Solution,
    SolveParameters,
    load,
    parse,
    read_json,
)
from rotasat.models.errors import describe

from . import render
from .progress import LiveProgress
from .schedule import schedule
from .service import instance_summary, plural, solve_instance
from .support_render import support_tables

P = ParamSpec("P")
R = TypeVar("R")

BAD_INPUT, NO_SCHEDULE, INTERNAL = 2, 1, 3
SOLVED = ("OPTIMAL", "FEASIBLE")
REPORT_WIDTH = 120  # columns used when stdout is not a terminal and COLUMNS is unset
DEFAULTS = SolveParameters()
OPTION_OF = {
    "time_limit": "--time-limit",
    "workers": "--workers",
    "seed": "--seed",
    "relative_gap": "--gap",
    "deterministic": "--deterministic",
}

app = typer.Typer(
    name="rotasat",
    help="On-call rotations for Scrum teams, optimised with CP-SAT.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


# --------------------------------------------------------------------------------------------
# Output and errors


def console(stderr: bool = False) -> Console:
    """A console on stdout or stderr; 120 columns wide when not a terminal (unless COLUMNS)."""
    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal and "COLUMNS" not in os.environ:
        out.width = REPORT_WIDTH
    return out


def report_problems(messages: Sequence[str]) -> None:
    """Every problem on its own line on stderr, never wrapped, never read as markup."""
    err = console(stderr=True)
    for message in messages:
        err.print(Text(f"error: {message}", style="red"), soft_wrap=True)


def user_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn InputError raised by a command into its messages on stderr and exit code 2."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputError as error:
            report_problems(error.messages)
            raise typer.Exit(BAD_INPUT) from None

    return run


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path`, creating parent directories; failures are input errors."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except IsADirectoryError:
        raise InputError([f"{path}: is a directory, expected a file name to write"]) from None
    except OSError as error:
        raise InputError([f"{path}: cannot write: {error.strerror or error}"]) from None


def check_writable(path: Path) -> None:
    """Fail before a long solve, not after it, when the output path cannot be written."""
    if path.is_dir():
        raise InputError([f"{path}: is a directory, expected a file name to write"])
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise InputError([f"{path}: cannot write: {parent} is not a directory"])
            if not os.access(parent, os.W_OK):
                raise InputError([f"{path}: cannot write: {parent} is not writable"])
            return


def solve_parameters(**values: Any) -> SolveParameters:
    """SolveParameters from the options, each problem naming its option."""
    try:
        return SolveParameters(**values)
    except ValidationError as error:
        lines = []
        for line in describe(error):
            field, _, problem = line.partition(": ")
            lines.append(f"{OPTION_OF.get(field, field)}: {problem}")
        raise InputError(lines) from None


def load_solution(path: Path) -> Solution:
    """Read a Solution file, saying so plainly when it is an instance instead."""
    data = read_json(path)
    if isinstance(data, dict) and "horizon" in data and "status" not in data:
        raise InputError(
            [f"{path}: this is an instance, expected a solution (the file `rotasat solve -o` "
             "writes)"]
        )
    return parse(Solution, data, str(path))


# --------------------------------------------------------------------------------------------
# Commands

InstanceArg = Annotated[
    Path,
    typer.Argument(metavar="INSTANCE.json", help="an instance file", show_default=False),
]


@app.command()
@user_errors
def solve(
    instance_path: InstanceArg,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="SOLUTION.json",
            help="write the Solution JSON here (parent directories are created)",
        ),
    ] = None,
    time_limit: Annotated[
        float, typer.Option(help="seconds of search, model building included")
    ] = DEFAULTS.time_limit,
    workers: Annotated[int, typer.Option(help="CP-SAT search workers")] = DEFAULTS.workers,
    seed: Annotated[int, typer.Option(help="CP-SAT random seed")] = DEFAULTS.seed,
    gap: Annotated[
        float, typer.Option(help="stop once this close to the bound, e.g. 0.01 for 1%")
    ] = DEFAULTS.relative_gap,
    deterministic: Annotated[
        bool,
        typer.Option(
            "--deterministic",
            help="same input, same schedule: the time limit counts deterministic time",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the Solution JSON on stdout instead of tables")
    ] = False,
    baseline: Annotated[
        bool,
        typer.Option(help="also judge the fixed-order rotation an on-call tool would render"),
    ] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress on stderr")] = False,
) -> None:
    """Solve an instance and print the schedule, its figures and the baseline.

    Live progress goes to stderr; then the schedule, the objective term by term, per-engineer
    and per-team figures, and the fixed-order rotation beside them.

    Exit code 0 when a schedule is found (OPTIMAL, FEASIBLE), 1 when none is (INFEASIBLE,
    UNKNOWN), 2 on bad input.
    """
    params = solve_parameters(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        relative_gap=gap,
        deterministic=deterministic,
    )
    instance = load(Instance, instance_path)
    if output is not None:
        check_writable(output)
    err = console(stderr=True)
    with LiveProgress(err, instance.name, params.time_limit, enabled=not quiet) as live:
        solution = solve_interruptibly(instance, params, live.update, baseline, err)
    solved = solution.status in SOLVED
    check = check_solution(instance, solution) if solved else None
    if output is not None:
        write_text(output, solution.model_dump_json(indent=2))

    if as_json:
        typer.echo(solution.model_dump_json(indent=2))
        if not solved and not quiet:
            err.print(render.explanation(solution))
    else:
        out = console()
        out.print(render.header(solution, str(instance_path), instance))
        if not solved:
            out.print(render.explanation(solution))
        else:
            for table in schedule(instance, solution):
                out.print(table)
            out.print(render.terms_table(solution.terms, solution.objective))
            out.print(render.engineers_table(solution.engineers))
            out.print(render.teams_table(solution.teams))
            for table in support_tables(solution):
                out.print(table)
            if solution.baseline is not None and check is not None:
                violations = len(check.evaluation.violations)
                out.print(render.baseline_comparison(solution, solution.baseline, violations))
            if check is not None and check.ok:
                out.print(
                    Text(
                        f"Independent check: every hard rule holds; objective "
                        f"{check.evaluation.objective} recomputed term by term.",
                        style="green",
                    )
                )
    if output is not None and not quiet:
        err.print(Text(f"solution written to {output}", style="dim"), soft_wrap=True)

    if check is not None and not check.ok:
        lines = [v.message for v in check.evaluation.violations] + check.mismatches
        title = "internal error: the schedule fails the independent check"
        err.print(render.problems(title, lines))
        err.print("This is a bug in rotasat: please report it with the instance file.")
        raise typer.Exit(INTERNAL)
    if solution.status == "MODEL_INVALID":
        raise typer.Exit(INTERNAL)
    raise typer.Exit(0 if solved else NO_SCHEDULE)


@app.command()
@user_errors
def validate(instance_path: InstanceArg) -> None:
    """Validate an instance file: the schema and every cross-reference.

    Exit code 0 and a one-line summary when valid; 2 and one line per problem otherwise.
    """
    instance = load(Instance, instance_path)
    summary = instance_summary(instance)["summary"]
    console().print(Text(f"OK: {instance_path}: {summary}"), soft_wrap=True)


@app.command()
@user_errors
def check(
    instance_path: InstanceArg,
    solution_path: Annotated[
        Path,
        typer.Argument(metavar="SOLUTION.json", help="a solution file written by `solve -o`"),
    ],
) -> None:
    """Check a solution with the independent checker.

    Every hard rule is judged, and the reported objective and terms are held against the
    recomputed ones.

    Exit code 0 when all hold, 1 with every violation and mismatch listed, 2 on bad input.
    """
    instance = load(Instance, instance_path)
    solution = load_solution(solution_path)
    out = console()
    if solution.status not in SOLVED and not solution.assignments:
        out.print(
            Text(
                f"FAILED: {solution_path}: status {solution.status}, no schedule to check",
                style="red",
            ),
            soft_wrap=True,
        )
        raise typer.Exit(NO_SCHEDULE)
    result = check_solution(instance, solution)
    mismatches = list(result.mismatches)
    if solution.instance != instance.name:
        mismatches.insert(
            0, f"instance: the solution is for {solution.instance!r}, not {instance.name!r}"
        )
    evaluation = result.evaluation
    if result.ok and not mismatches:
        objective = (
            f"objective {evaluation.objective} recomputed, {plural(len(evaluation.terms), 'term')}"
            " match"
            if solution.objective is not None
            else f"no objective reported (recomputed {evaluation.objective})"
        )
        out.print(
            Text(
                f"OK: {solution_path}: {plural(len(solution.assignments), 'assignment')} keep "
                f"every hard rule of {instance.name}; {objective}",
                style="green",
            ),
            soft_wrap=True,
        )
        return
    violations = evaluation.violations
    out.print(
        Text(
            f"FAILED: {solution_path}: {plural(len(violations), 'hard-rule violation')}, "
            f"{plural(len(mismatches), 'mismatch', 'es')}",
            style="bold red",
        ),
        soft_wrap=True,
    )
    for v in violations:
        out.print(Text(f"  violation ({v.rule}): {v.message}"), soft_wrap=True)
    for m in mismatches:
        out.print(Text(f"  mismatch: {m}"), soft_wrap=True)
    raise typer.Exit(NO_SCHEDULE)


@app.command()
@user_errors
def compare(
    instance_path: InstanceArg,
    policies: Annotated[
        list[str],
        typer.Option(
            "--policy", "-p", metavar="PRESET|FILE.json", show_default=False,
            help="a policy to compare, once per policy: a preset (round-robin, rotating-owner, "
            "most-qualified, optimised) or a partial Policy JSON file merged over each team's "
            "policy",
        ),
    ],
    team: Annotated[
        str | None,
        typer.Option(help="change only this team's policy; its figures beside the organisation's"),
    ] = None,
    time_limit: Annotated[
        float, typer.Option(help="seconds of search per policy, model building included")
    ] = DEFAULTS.time_limit,
    workers: Annotated[int, typer.Option(help="CP-SAT search workers")] = DEFAULTS.workers,
    seed: Annotated[int, typer.Option(help="CP-SAT random seed")] = DEFAULTS.seed,
    gap: Annotated[
        float, typer.Option(help="stop once this close to the bound, e.g. 0.01 for 1%")
    ] = DEFAULTS.relative_gap,
    deterministic: Annotated[
        bool,
        typer.Option("--deterministic", help="the time limit counts deterministic time"),
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="TABLE.json", help="write the table as JSON"),
    ] = None,
    csv_path: Annotated[
        Path | None, typer.Option("--csv", metavar="TABLE.csv", help="write the table as CSV")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress on stderr")] = False,
) -> None:
    """Solve one instance under several policies and lay the figures side by side.

    Each policy is solved with the same parameters. A preset sets the allocation pattern of
    every team's policy (of TEAM's only, with --team); a policy file is a partial Policy JSON,
    e.g. `{"name": "shield", "weights": {"interruption": 50}}`, merged over each team's policy.
    The best value of each figure is marked, lower or higher being better as the table says,
    and the policies no other beats on every figure (the Pareto set) are named.

    Exit code 0 when every policy gets a schedule, 1 when one does not (its column says so),
    2 on bad input.
    """
    from .compare import compare as run_comparison
    from .compare import pareto_lines, policy_choice, tables, to_csv, to_json

    params = solve_parameters(
        time_limit=time_limit,
        workers=workers,
        seed=seed,
        relative_gap=gap,
        deterministic=deterministic,
    )
    choices = [policy_choice(value) for value in policies]
    instance = load(Instance, instance_path)
    for path in (output, csv_path):
        if path is not None:
            check_writable(path)
    err = console(stderr=True)

    def heard(choice: Any, solution: Solution) -> None:
        if not quiet:
            objective = "" if solution.objective is None else f", objective {solution.objective}"
            err.print(
                Text(f"{choice.name}: {solution.status}{objective} in {solution.wall_time:.1f} s",
                     style="dim"),
                soft_wrap=True,
            )

    if not quiet:
        count = f"{len(policies)} {'policy' if len(policies) == 1 else 'policies'}"
        err.print(Text(f"solving {instance.name} under {count}", style="dim"), soft_wrap=True)
    comparison = run_comparison(instance, choices, params, team, on_solved=heard)
    out = console()
    for table in tables(comparison):
        out.print(table)
    for line in pareto_lines(comparison):
        out.print(Text(line), soft_wrap=True)
    if output is not None:
        write_text(output, to_json(comparison) + "\n")
    if csv_path is not None:
        write_text(csv_path, to_csv(comparison))
    solved = all(p.status in SOLVED for p in comparison.policies)
    raise typer.Exit(0 if solved else NO_SCHEDULE)


@app.command()
@user_errors
def retro(
    plan_path: Annotated[
        Path,
        typer.Argument(metavar="PLAN.json", help="a past plan: the Solution `solve -o` wrote"),
    ],
    actuals_path: Annotated[
        Path,
        typer.Argument(
            metavar="ACTUALS.csv",
            help="support hours actually spent: columns engineer, sprint (label or start date "
            "YYYY-MM-DD), hours; team optional",
        ),
    ],
    team: Annotated[str | None, typer.Option(help="only this team")] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print the report as JSON instead of tables")
    ] = False,
    window: Annotated[
        int, typer.Option(help="recent sprints with actuals the recommendation draws on")
    ] = 6,
) -> None:
    """Compare the support planned with the support actually spent, sprint by sprint, and
    recommend each team's reserve for the next sprint.

    The recommendation is the 80th percentile of the last sprints' actual support share of
    capacity, with the policy fragment to feed into the next solve. Rows that cannot be used are
    listed on stderr with their line number.

    Exit code 0 with the report, 2 on unusable input (no usable row included).
    """
    from . import retro as retrospect

    plan = load_solution(plan_path)
    actuals = retrospect.read_actuals(actuals_path)
    report = retrospect.retrospective(
        plan, actuals, team=team, window=window, plan_source=str(plan_path)
    )
    err = console(stderr=True)
    for line in retrospect.problem_lines(report.actuals, report.problems):
        err.print(Text(f"warning: {line}", style="yellow"), soft_wrap=True)
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    out = console()
    for part in retrospect.render(report):
        out.print(part)


@app.command()
@user_errors
def generate(
    teams: Annotated[int, typer.Option(help="number of teams")],
    engineers_per_team: Annotated[int, typer.Option(help="engineers in each team (3 or more)")],
    days: Annotated[int, typer.Option(help="length of the horizon in days")],
    seed: Annotated[int, typer.Option(help="random seed: the same seed, the same instance")],
    start: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="first day of the horizon  [default: 2027-01-04]"),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="write here instead of stdout"),
    ] = None,
) -> None:
    """Write a synthetic instance (feasible by construction) as JSON."""
    from rotasat.models.generator import generate as draw

    if seed < 0:
        raise InputError([f"--seed: must be 0 or more (got {seed})"])
    extra = {} if start is None else {"start": start.date()}
    try:
        instance = draw(teams, engineers_per_team, days, seed, **extra)
    except ValueError as error:
        raise InputError([f"generate: {error}"]) from None
    text = json.dumps(instance.model_dump(mode="json", exclude_defaults=True), indent=2)
    reloaded = parse(Instance, json.loads(text), "generated instance")
    if reloaded.model_dump() != instance.model_dump():
        raise RuntimeError("the generated instance does not re-load identically from its JSON")
    if output is None:
        typer.echo(text)
    else:
        write_text(output, text + "\n")
        console(stderr=True).print(
            Text(f"instance {instance.name} written to {output}", style="dim"), soft_wrap=True
        )


@app.command()
def schema(
    solution: Annotated[
        bool, typer.Option("--solution", help="the Solution schema instead of the Instance's")
    ] = False,
) -> None:
    """Print the JSON Schema of instance files (--solution: of solution files)."""
    model: type[Instance] | type[Solution] = Solution if solution else Instance
    typer.echo(json.dumps(model.model_json_schema(), indent=2))


keys = typer.Typer(help="API keys of the HTTP API (stored hashed in ROTASAT_DATABASE_URL).",
                   no_args_is_help=True)
app.add_typer(keys, name="keys")


@keys.command("create")
@user_errors
def keys_create(
    tenant: Annotated[str, typer.Option(help="the tenant whose jobs this key reaches")],
) -> None:
    """Print a new API key for TENANT: send it as `Authorization: Bearer KEY`. Only its hash is
    stored, so this is the one time it is shown."""
    from .app import create_key

    typer.echo(create_key(tenant))


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    dev: Annotated[
        bool, typer.Option("--dev", help="development mode: no API keys, loopback only")
    ] = False,
) -> None:
    """Run the HTTP API (OpenAPI docs at /docs). Settings come from ROTASAT_* variables."""
    from .app import serve as run

    run(host, port, dev)


# --------------------------------------------------------------------------------------------
# Import from ticket systems

import_app = typer.Typer(
    help="Read incidents from ticket-system exports, or staff-rostering benchmark files.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(import_app, name="import")


@import_app.command("incidents")
@user_errors
def import_incidents(
    export: Annotated[
        Path,
        typer.Argument(metavar="EXPORT.csv", help="a CSV export of incidents", show_default=False),
    ],
    mapping: Annotated[
        Path | None,
        typer.Option(
            metavar="MAPPING.json",
            help="how the export's columns become incidents  [default: a ServiceNow export's; "
            "examples in instances/mappings/]",
        ),
    ] = None,
    timezone: Annotated[
        str | None,
        typer.Option(
            metavar="ZONE", help="time zone of times written without an offset  [default: UTC]"
        ),
    ] = None,
    into: Annotated[
        Path | None,
        typer.Option(
            metavar="INSTANCE.json",
            help="append the incidents to this instance, validate it, and write it whole",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="OUT.json", help="write here instead of stdout"),
    ] = None,
) -> None:
    """Read a ticket-system export (ServiceNow by default) into incidents, as JSON.

    Several rows of one incident are updates: the latest is kept. A summary goes to stderr:
    rows read, incidents produced, updates collapsed, defaults used, and every rejected row with
    its line number and reason.

    Exit code 0 when every row was read, 1 when rows were rejected (the others are still
    written), 2 on unusable input (no file, columns missing, an instance that does not validate).
    """
    from rotasat.models import imports

    if timezone is not None and (problem := imports.zone_problem(timezone)) is not None:
        raise InputError([f"--timezone: {problem}"])
    rules = imports.Mapping() if mapping is None else imports.load_mapping(mapping)
    instance = None if into is None else read_json(into)
    if output is not None:
        check_writable(output)
    try:
        result = imports.import_incidents(export, rules, timezone)
    except imports.MissingColumns as error:
        hint = [f"{export}: without --mapping a ServiceNow export is expected; "
                "instances/mappings/ has mappings for other layouts"] if mapping is None else []
        raise InputError(error.messages + hint) from None
    err = console(stderr=True)
    for line in result.summary():
        err.print(Text(line), soft_wrap=True)
    if into is None:
        incidents = [i.model_dump(mode="json", exclude_none=True) for i in result.incidents]
        document: dict[str, Any] = {"incidents": incidents}
    else:
        document = imports.into_instance(instance, result, str(into))
    text = json.dumps(document, indent=2)
    if output is None:
        typer.echo(text)
    else:
        write_text(output, text + "\n")
    written = plural(len(result.incidents), "incident")
    written += f" written to {output or 'stdout'}" + (f" (added to {into})" if into else "")
    if result.rejected:
        rejected = plural(len(result.rejected), "row")
        err.print(Text(f"{rejected} rejected; {written} without them", style="yellow"),
                  soft_wrap=True)
        raise typer.Exit(1)
    err.print(Text(written, style="dim"), soft_wrap=True)


@import_app.command("nrp")
@user_errors
def import_nrp(
    source: Annotated[
        Path,
        typer.Argument(metavar="InstanceN.txt", help="a shift scheduling benchmark file (Curtois "
                       "& Qu's format)", show_default=False),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="OUT.json", help="write here instead of stdout"),
    ] = None,
) -> None:
    """Convert a staff-rostering benchmark file into an instance (day 0 is Monday 2027-01-04).

    Its rules become ordinary hard rules and its requests preferences; `rotasat solve` reports
    the benchmark's objective. Exit code 2, with the file and line, on a malformed file.
    """
    from rotasat.models import nrp

    if output is not None:
        check_writable(output)
    text = json.dumps(nrp.import_file(source), indent=2)
    if output is None:
        typer.echo(text)
    else:
        write_text(output, text + "\n")
        console(stderr=True).print(Text(f"{source} written to {output}", style="dim"),
                                   soft_wrap=True)


# --------------------------------------------------------------------------------------------
# Entry point


def solve_interruptibly(
    instance: Instance,
    params: SolveParameters,
    on_progress: Callable[[Progress], None],
    baseline: bool,
    err: Console,
) -> Solution:
    """Solve in a worker thread so that Ctrl-C reaches us: the first stops the search and keeps
    the best schedule so far (every team still gets one); a second aborts."""
    stop = threading.Event()
    result: list[Solution] = []
    failure: list[BaseException] = []

    def work() -> None:
        try:
            result.append(solve_instance(instance, params, on_progress=on_progress,
                                         should_stop=stop.is_set, baseline=baseline))
        except BaseException as error:  # re-raised in the main thread
            failure.append(error)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        try:
            worker.join(0.2)
        except KeyboardInterrupt:
            if stop.is_set():
                raise
            stop.set()
            err.print("stopping: keeping the best schedule so far (Ctrl-C again to abort)")
    if failure:
        raise failure[0]
    return result[0]


def main(argv: Sequence[str] | None = None) -> None:
    """The console script: bad input exits 2 with messages, a bug exits 3, never a traceback
    (unless ROTASAT_DEBUG is set)."""
    try:
        app(args=list(argv) if argv is not None else None, prog_name="rotasat")
    except InputError as error:  # commands report their own; this is a safety net
        report_problems(error.messages)
        sys.exit(BAD_INPUT)
    except KeyboardInterrupt:
        console(stderr=True).print("interrupted")
        sys.exit(130)
    except Exception as error:
        if os.environ.get("ROTASAT_DEBUG"):
            raise
        err = console(stderr=True)
        err.print(Text(f"internal error: {type(error).__name__}: {error}", style="bold red"),
                  soft_wrap=True)
        err.print(
            "This is a bug in rotasat, not a problem with your input. Please report it with the "
            "command line and the input files; run again with ROTASAT_DEBUG=1 to see the "
            "traceback.",
            soft_wrap=True,
        )
        sys.exit(INTERNAL)


if __name__ == "__main__":  # pragma: no cover
    main()
