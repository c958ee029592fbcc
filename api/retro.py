"""Retrospective: the support time planned against the support time actually spent, sprint by
sprint, and the next sprint's support reserve from that record (../shared/DOMAIN.md, "Support
inside Scrum", point 3).

Pure functions over records, so that the HTTP API can serve the same thing as the CLI:

- `parse_actuals` reads the CSV text of actual hours into rows, and the rows it cannot read into
  problems with their line numbers (`read_actuals` is the only function here touching the disk);
- `retrospective` joins those rows with a past plan (a Solution with sprint figures) and returns a
  `RetroReport`: planned against actual per team and sprint, per engineer and sprint, and a
  `Recommendation` per team;
- `recommend` and `percentile` compute the statistic; `render` turns a report into rich tables.

The statistic (STATISTIC, WHY): the 80th percentile of the team's actual support share of
capacity over its last `window` sprints with actuals, by linear interpolation between ranks
(what a spreadsheet's PERCENTILE.INC computes), rounded half up to a whole percent.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from pydantic import Field
from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from rotasat.models import InputError, Solution, SprintFigures
from rotasat.models.errors import read_text
from rotasat.models.solution import Record

WINDOW = 6  # sprints: a quarter of two-week sprints
QUANTILE = 80  # percent of recent sprints that would have fitted within the reserve
REQUIRED = ("engineer", "sprint", "hours")
OPTIONAL = ("team",)
STATISTIC = (
    f"the {QUANTILE}th percentile of the team's actual support share of capacity over its last "
    "{window} sprints with actuals (linear interpolation between ranks, as a spreadsheet's "
    "PERCENTILE.INC), rounded half up to a whole percent"
)
WHY = (
    "about four sprints in five fit within the reserve, and one bad sprint does not set it on its "
    "own (over 6 sprints the 80th percentile is the second-highest share). A mean lets half the "
    "sprints overrun; the maximum lets one incident storm tax every later sprint; a mean plus a "
    "standard deviation is inflated by that one storm and assumes a symmetric spread, which "
    "support load (mostly quiet, the odd storm) does not have. The percentile assumes nothing "
    "about the shape of the load and can be checked by hand"
)
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --------------------------------------------------------------------------------------------
# Records


class ActualRow(Record):
    """One readable row of the actuals CSV."""

    line: int = Field(description="line number in the CSV file, the header being line 1")
    engineer: str
    sprint: str = Field(description="as written: a sprint label of the plan or its start date")
    hours: float = Field(ge=0)
    team: str | None = None


class RowProblem(Record):
    """A row that cannot be used, and why; it is left out of every figure."""

    line: int
    problem: str


class Actuals(Record):
    """The actuals CSV, read: the usable rows and the problems of the others."""

    source: str = Field(description="the file name, used in messages")
    rows: list[ActualRow] = Field(default_factory=list)
    problems: list[RowProblem] = Field(default_factory=list)
    ignored_columns: list[str] = Field(default_factory=list)


class EngineerSprint(Record):
    """One engineer in one sprint: the plan and what was actually spent."""

    team: str
    engineer: str
    sprint: str
    start: dt.date
    capacity_hours: float
    reserve_hours: float
    planned_hours: float = Field(description="duty + incident + interrupting hours of the plan")
    actual_hours: float | None = Field(None, description="null: no row in the actuals")
    actual_pct: float | None = Field(None, description="actual as % of capacity")
    over_reserve_hours: float | None = Field(None, description="actual - reserve; < 0: under")
    lines: list[int] = Field([], description="the CSV lines summed into actual_hours")


class TeamSprint(Record):
    """One team in one sprint, summed over the engineers with actuals (all when none has)."""

    team: str
    sprint: str
    start: dt.date
    engineers: int = Field(description="engineers of the team in this sprint of the plan")
    recorded: int = Field(description="engineers with actuals; the sums below count them only")
    capacity_hours: float
    reserve_hours: float
    planned_hours: float
    actual_hours: float | None = None
    reserve_pct: float | None = Field(None, description="reserve as % of capacity")
    planned_pct: float | None = None
    actual_pct: float | None = Field(None, description="the actual support share, %")
    over_reserve_hours: float | None = Field(None, description="actual - reserve; < 0: under")
    counted: bool = Field(False, description="enters the recommendation")


class Recommendation(Record):
    """The next sprint's support reserve for one team, and how it was reached."""

    team: str
    statistic: str
    window: int
    sprints: list[str] = Field(description="the sprints it draws on, oldest first")
    shares_pct: list[float] = Field(description="their actual support shares, %")
    value_pct: float = Field(description="the statistic before rounding, %")
    reserve_pct: int = Field(description="the recommendation, whole percent")
    reserve: float = Field(description="the same as a share, as Policy.reserve takes it")
    planned_reserve_pct: float | None = Field(
        None, description="the reserve of the plan's last sprint drawn on, %"
    )
    policy: dict[str, float] = Field(description="the fragment for the team's policy")
    notes: list[str] = Field(default_factory=list)


class TeamRetro(Record):
    team: str
    sprints: list[TeamSprint] = Field(default_factory=list)
    engineers: list[EngineerSprint] = Field(default_factory=list)
    recommendation: Recommendation | None = None
    no_recommendation: str | None = Field(None, description="why there is none")


class RetroReport(Record):
    """Planned against actual support per team and sprint, and the next reserve."""

    plan: str = Field(description="the plan's instance name")
    actuals: str = Field(description="the actuals file")
    rows: int = Field(description="data rows in the actuals file")
    used_rows: int = Field(description="rows that count in the figures")
    window: int
    statistic: str
    why: str = WHY
    problems: list[RowProblem] = Field([], description="rows left out, with their line numbers")
    notes: list[str] = Field(default_factory=list)
    teams: list[TeamRetro] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Reading the actuals


def read_actuals(path: str | Path) -> Actuals:
    """Read the actuals CSV; a missing, unreadable or headless file is an InputError."""
    text = read_text(path, expected="a CSV file", encoding="utf-8-sig")
    return parse_actuals(text, str(path))


def parse_actuals(text: str, source: str) -> Actuals:
    """The CSV text as rows: a header naming engineer, sprint and hours (and optionally team), in
    any order and case, then one row per engineer and sprint.

    A comma separates fields unless the header line has none and has semicolons (then a decimal
    comma is read too) or tabs. Blank lines are skipped. Rows that cannot be read become
    problems with their line number; a missing header or missing columns raise InputError.
    """
    text = text.removeprefix("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ","
    if "," not in first:
        delimiter = next((d for d in (";", "\t") if d in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    index: dict[str, int] = {}
    actuals = Actuals(source=source)
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in record]
                index = _columns(header, source, line)
                known = set(REQUIRED) | set(OPTIONAL)
                actuals.ignored_columns = [h for h in header if h not in known]
                continue
            row, problem = _row(record, header, index, line, decimal_comma=delimiter == ";")
            if row is not None:
                actuals.rows.append(row)
            else:
                actuals.problems.append(RowProblem(line=line, problem=problem))
    except csv.Error as error:
        raise InputError([f"{source}: line {reader.line_num}: unreadable CSV: {error}"]) from None
    if header is None:
        raise InputError(
            [f"{source}: empty: expected a header line 'engineer,sprint,hours' (team optional)"]
        )
    return actuals


def _columns(header: list[str], source: str, line: int) -> dict[str, int]:
    doubled = sorted({h for h in header if h and header.count(h) > 1})
    if doubled:
        raise InputError(
            [f"{source}: line {line}: column {', '.join(map(repr, doubled))} appears twice"]
        )
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        found = ", ".join(h or "(blank)" for h in header)
        raise InputError(
            [
                f"{source}: line {line}: missing column{'s' if len(missing) > 1 else ''} "
                f"{', '.join(map(repr, missing))}: expected engineer, sprint, hours "
                f"(team optional); the header has: {found}"
            ]
        )
    return {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}


def _row(
    record: list[str], header: list[str], index: dict[str, int], line: int, *, decimal_comma: bool
) -> tuple[ActualRow | None, str]:
    if len(record) != len(header):
        return None, f"{len(record)} fields where the header has {len(header)}"
    cell = {name: record[i].strip() for name, i in index.items()}
    reasons = [f"{name} is empty" for name in ("engineer", "sprint") if not cell[name]]
    raw = cell["hours"]
    hours = math.nan
    if not raw:
        reasons.append("hours is empty")
    else:
        try:
            hours = float(raw.replace(",", ".") if decimal_comma else raw)
        except ValueError:
            reasons.append(f"hours {raw!r} is not a number")
        else:
            if not math.isfinite(hours):
                reasons.append(f"hours {raw!r} is not a number")
            elif hours < 0:
                reasons.append(f"hours {raw} is negative: expected 0 or more")
    if reasons:
        return None, "; ".join(reasons)
    team = cell.get("team") or None
    return ActualRow(
        line=line, engineer=cell["engineer"], sprint=cell["sprint"], hours=hours, team=team
    ), ""


# --------------------------------------------------------------------------------------------
# Planned against actual


def short_label(label: str) -> str:
    """'sprint 3 (2027-02-01 to 2027-02-14)' -> 'sprint 3'."""
    return label.split(" (", 1)[0]


def planned_hours(figure: SprintFigures) -> float:
    return figure.duty_hours + figure.incident_hours + figure.interrupting_hours


def retrospective(
    plan: Solution,
    actuals: Actuals,
    *,
    team: str | None = None,
    window: int = WINDOW,
    plan_source: str = "plan",
) -> RetroReport:
    """Join the actual hours with the plan's sprint figures, and recommend each team's reserve.

    Rows naming an unknown engineer or sprint (for that engineer) join the row problems. An
    engineer-sprint without a row has no actual (not zero): the team's figures for that sprint
    count the engineers with actuals only, and a sprint without any, or with no capacity among
    them, does not enter the recommendation. Raises InputError when the plan has no sprint
    figures, for a bad `team` or `window`, and when no row is usable.
    """
    if window < 1:
        raise InputError([f"--window: must be 1 or more (got {window})"])
    if not plan.sprints:
        raise InputError(
            [
                f"{plan_source}: the plan has no sprint figures ('sprints' is empty): solve an "
                "instance whose teams have a sprint cadence"
            ]
        )
    teams_in_plan = sorted({f.team for f in plan.sprints})
    if team is not None and team not in teams_in_plan:
        if team in {t.team for t in plan.teams}:
            raise InputError([f"--team: team {team!r} has no sprints in {plan_source}"])
        raise InputError(
            [f"--team: unknown team {team!r}: {plan_source} has {', '.join(teams_in_plan)}"]
        )
    selected = [team] if team is not None else teams_in_plan

    problems = list(actuals.problems)
    notes: list[str] = []
    if actuals.ignored_columns:
        notes.append(f"columns not used: {', '.join(actuals.ignored_columns)}")
    by_engineer: dict[str, list[SprintFigures]] = defaultdict(list)
    for figure in sorted(plan.sprints, key=lambda f: (f.start, f.team, f.engineer)):
        by_engineer[figure.engineer].append(figure)

    spent: dict[tuple[str, str, str], list[ActualRow]] = defaultdict(list)
    elsewhere = 0
    for row in actuals.rows:
        matched = _match(row, by_engineer)
        if isinstance(matched, str):
            problems.append(RowProblem(line=row.line, problem=matched))
        elif matched.team not in selected:
            elsewhere += 1
        else:
            spent[(matched.team, matched.engineer, matched.sprint)].append(row)
    problems.sort(key=lambda p: p.line)
    used = sum(len(rows) for rows in spent.values())
    if elsewhere:
        notes.append(
            f"{elsewhere} row{'s' if elsewhere > 1 else ''} of other teams than {team!r} not shown"
        )
    if not used:
        scope = f" for team {team!r}" if team is not None else ""
        raise InputError(
            [*problem_lines(actuals.source, problems),
             f"{actuals.source}: no usable rows{scope}: nothing to compare with the plan"]
        )
    for (_, engineer, sprint), rows in sorted(spent.items()):
        if len(rows) > 1:
            lines = ", ".join(str(r.line) for r in rows)
            notes.append(
                f"{engineer}, {short_label(sprint)}: lines {lines} added together "
                f"({sum(r.hours for r in rows):g} h)"
            )

    teams = [
        _team(name, [f for f in plan.sprints if f.team == name], spent, window, notes)
        for name in selected
    ]
    if problems:
        left_out = f"{len(problems)} row{'s' if len(problems) > 1 else ''} of the actuals left " \
                   "out (with their line numbers): fix them and run again before relying on this"
        for t in teams:
            if t.recommendation is not None:
                t.recommendation.notes.append(left_out)
    return RetroReport(
        plan=plan.instance,
        actuals=actuals.source,
        rows=len(actuals.rows) + len(actuals.problems),
        used_rows=used,
        window=window,
        statistic=STATISTIC.format(window=window),
        problems=problems,
        notes=notes,
        teams=teams,
    )


def _match(row: ActualRow, by_engineer: dict[str, list[SprintFigures]]) -> SprintFigures | str:
    """The plan's figure a row is about, or why there is none."""
    figures = by_engineer.get(row.engineer)
    if not figures:
        close = difflib.get_close_matches(row.engineer, list(by_engineer), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown engineer {row.engineer!r}: not in the plan{hint}"
    if row.team is not None:
        teams = sorted({f.team for f in figures})
        figures = [f for f in figures if f.team == row.team]
        if not figures:
            return (f"{row.engineer} is in team {' and '.join(map(repr, teams))} in the plan, "
                    f"not {row.team!r}")
    value = row.sprint
    hits = [f for f in figures if f.sprint == value]
    if not hits and DATE.fullmatch(value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return f"sprint {value!r} is not a valid date"
        hits = [f for f in figures if f.start == day]
        if not hits:
            starts = ", ".join(str(f.start) for f in figures[:4])
            more = ", ..." if len(figures) > 4 else ""
            return f"no sprint of {row.engineer} starts on {value}: they start on {starts}{more}"
    if not hits:
        hits = [f for f in figures if short_label(f.sprint).casefold() == value.casefold()]
    if not hits:
        example = figures[0]
        return (
            f"unknown sprint {value!r} for {row.engineer}: expected a sprint label of the plan "
            f"such as {example.sprint!r} (or {short_label(example.sprint)!r}), or its start date "
            f"such as {example.start}"
        )
    if len(hits) > 1:
        where = " and ".join(repr(f.team) for f in hits)
        return f"{row.engineer} has sprint {value!r} in teams {where}: add a team column"
    return hits[0]


def _pct(part: float, whole: float) -> float | None:
    """part as % of whole, to 2 decimals (None when whole is 0): the shares the statistic uses
    are the ones the report shows."""
    return round(100 * part / whole, 2) if whole > 0 else None


def _two(hours: float | None) -> float | None:
    """Hours to 2 decimals, so that sums read 28.8, not 28.799999999999997."""
    return None if hours is None else round(hours, 2) + 0.0


def _team(
    name: str,
    figures: list[SprintFigures],
    spent: dict[tuple[str, str, str], list[ActualRow]],
    window: int,
    notes: list[str],
) -> TeamRetro:
    result = TeamRetro(team=name)
    by_sprint: dict[str, list[SprintFigures]] = defaultdict(list)
    for figure in figures:
        by_sprint[figure.sprint].append(figure)
    unrecorded: list[str] = []
    for sprint, members in sorted(by_sprint.items(), key=lambda kv: kv[1][0].start):
        rows = [
            _engineer_sprint(f, spent.get((name, f.engineer, sprint), []))
            for f in sorted(members, key=lambda f: f.engineer)
        ]
        result.engineers.extend(rows)
        recorded = [r for r in rows if r.actual_hours is not None]
        basis = recorded or rows
        capacity = sum(r.capacity_hours for r in basis)
        reserve = sum(r.reserve_hours for r in basis)
        planned = sum(r.planned_hours for r in basis)
        actual = sum(r.actual_hours or 0 for r in recorded) if recorded else None
        share = _pct(actual, capacity) if actual is not None else None
        result.sprints.append(
            TeamSprint(
                team=name,
                sprint=sprint,
                start=members[0].start,
                engineers=len(rows),
                recorded=len(recorded),
                capacity_hours=_two(capacity),
                reserve_hours=_two(reserve),
                planned_hours=_two(planned),
                actual_hours=_two(actual),
                reserve_pct=_pct(reserve, capacity),
                planned_pct=_pct(planned, capacity),
                actual_pct=share,
                over_reserve_hours=None if actual is None else _two(actual - reserve),
                counted=share is not None,
            )
        )
        label = f"{name}, {short_label(sprint)}"
        if not recorded:
            unrecorded.append(short_label(sprint))
        elif share is None:
            notes.append(f"{label}: no capacity among the engineers with actuals: not counted")
        elif len(recorded) < len(rows):
            missing = ", ".join(r.engineer for r in rows if r.actual_hours is None)
            notes.append(
                f"{label}: no actuals for {missing}: the sprint counts the {len(recorded)} "
                f"of {len(rows)} engineers with actuals"
            )
    if unrecorded:
        notes.append(f"{name}: no actuals for {', '.join(unrecorded)}: not counted")
    counted = [s for s in result.sprints if s.counted]
    if counted:
        result.recommendation = recommend(name, counted, window)
    else:
        result.no_recommendation = "no sprint with actuals and capacity"
    return result


def _engineer_sprint(figure: SprintFigures, rows: list[ActualRow]) -> EngineerSprint:
    actual = sum(r.hours for r in rows) if rows else None
    return EngineerSprint(
        team=figure.team,
        engineer=figure.engineer,
        sprint=figure.sprint,
        start=figure.start,
        capacity_hours=figure.capacity_hours,
        reserve_hours=figure.reserve_hours,
        planned_hours=planned_hours(figure),
        actual_hours=_two(actual),
        actual_pct=None if actual is None else _pct(actual, figure.capacity_hours),
        over_reserve_hours=None if actual is None else _two(actual - figure.reserve_hours),
        lines=[r.line for r in rows],
    )


# --------------------------------------------------------------------------------------------
# The recommendation


def percentile(values: Sequence[float], q: int = QUANTILE) -> float:
    """The q-th percentile by linear interpolation between ranks (Hyndman and Fan's type 7,
    numpy's default, a spreadsheet's PERCENTILE.INC): sorted values x[0..n-1], rank
    h = (n - 1) q / 100, result x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
    The rank is computed in integers, so 6 values give exactly the second-highest at q = 80."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    whole, rest = divmod((len(ordered) - 1) * q, 100)
    if rest == 0:
        return ordered[whole]
    low, high = ordered[whole], ordered[whole + 1]
    return low + rest / 100 * (high - low)


def whole_percent(pct: float) -> int:
    """Round half up: 23.5 -> 24, 23.49 -> 23 (a tiny tolerance absorbs float noise)."""
    return math.floor(pct + 0.5 + 1e-9)


def recommend(team: str, sprints: Sequence[TeamSprint], window: int = WINDOW) -> Recommendation:
    """The reserve for the next sprint from the last `window` counted sprints (by start)."""
    recent = sorted(sprints, key=lambda s: s.start)[-window:]
    shares = [s.actual_pct for s in recent if s.actual_pct is not None]
    if len(shares) != len(recent):
        raise ValueError("recommend() needs sprints with an actual share")
    value = percentile(shares)
    pct = whole_percent(value)
    notes = []
    if pct > 100:
        notes.append(f"the statistic is {value:.1f}%: capped at 100%, support took the sprint")
        pct = 100
    if len(recent) == 1:
        notes.append("one sprint only: a first estimate; revisit after a few more")
    elif len(recent) < window:
        notes.append(f"{len(recent)} sprints with actuals, fewer than the window of {window}")
    reserve = round(pct / 100, 2)
    return Recommendation(
        team=team,
        statistic=STATISTIC.format(window=window),
        window=window,
        sprints=[s.sprint for s in recent],
        shares_pct=shares,
        value_pct=round(value, 2),
        reserve_pct=pct,
        reserve=reserve,
        planned_reserve_pct=recent[-1].reserve_pct,
        policy={"reserve": reserve},
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# Output


def problem_lines(source: str, problems: Iterable[RowProblem]) -> list[str]:
    return [f"{source}: line {p.line}: {p.problem}: row left out" for p in problems]


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _signed(value: float | None) -> Text:
    if value is None:
        return Text("-")
    if abs(value) < 0.05:
        return Text("0.0")
    return Text(f"{value:+.1f}", style="red" if value > 0 else "green")


def team_table(team: TeamRetro) -> Table:
    table = Table(
        title=f"{team.team}: support planned against actual, hours per sprint",
        caption="planned: duty + incident + interrupting hours; ±reserve: actual - reserve",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("sprint")
    table.add_column("starts")
    table.add_column("eng.", justify="right")
    for column in ("capacity", "reserve", "planned", "actual", "actual %", "±reserve"):
        table.add_column(column, justify="right", no_wrap=True)
    for s in team.sprints:
        engineers = str(s.engineers) if s.recorded in (0, s.engineers) else \
            f"{s.recorded}/{s.engineers}"
        table.add_row(
            Text(short_label(s.sprint)),
            str(s.start),
            engineers,
            _hours(s.capacity_hours),
            _hours(s.reserve_hours) if s.reserve_pct is None
            else f"{s.reserve_hours:.1f} ({s.reserve_pct:.0f}%)",
            _hours(s.planned_hours),
            _hours(s.actual_hours),
            _share(s.actual_pct),
            _signed(s.over_reserve_hours),
        )
    return table


def recommendation_text(team: TeamRetro) -> Text:
    r = team.recommendation
    if r is None:
        return Text(f"No reserve recommended for {team.team}: {team.no_recommendation}.")
    text = Text()
    text.append(f"Next sprint's reserve for {team.team}: {r.reserve_pct}%", style="bold")
    if r.planned_reserve_pct is not None:
        change = r.reserve_pct - r.planned_reserve_pct
        text.append(f" (planned {r.planned_reserve_pct:g}%, {change:+g} points)")
    n = len(r.sprints)
    ordered = sorted(r.shares_pct)
    whole, rest = divmod(QUANTILE * (n - 1), 100)
    if n == 1:
        text.append(f"\n  the actual share of {short_label(r.sprints[0])}, the one sprint with "
                    f"actuals: {r.value_pct:.1f}%, rounded to {r.reserve_pct}%")
    else:
        low = ordered[whole]
        at = f"the value at rank {whole}: {low:.1f}%" if rest == 0 else \
            f"{low:.1f} + {rest / 100:g} x ({ordered[whole + 1]:.1f} - {low:.1f}) = " \
            f"{r.value_pct:.1f}%"
        text.append(
            f"\n  {QUANTILE}th percentile of the actual share over the last {n} sprints, "
            f"{short_label(r.sprints[0])} to {short_label(r.sprints[-1])}:"
            f"\n  sorted {' '.join(f'{v:.1f}' for v in ordered)} (%), rank {QUANTILE / 100:g} x "
            f"({n} - 1) = {QUANTILE * (n - 1) / 100:g} counting from 0"
            f"\n  {at}, rounded to {r.reserve_pct}%"
        )
    for note in r.notes:
        text.append(f"\n  note: {note}")
    text.append(f"\n  policy: {json.dumps(r.policy)}", style="bold")
    return text


def render(report: RetroReport) -> list[RenderableType]:
    """The report as a header, one table and one recommendation per team, and the statistic."""
    parts: list[RenderableType] = [
        Text(
            f"Retrospective of plan {report.plan} against {report.actuals}: "
            f"{report.used_rows} of {report.rows} rows used"
        )
    ]
    for team in report.teams:
        parts.append(Group(team_table(team), recommendation_text(team), Text("")))
    parts.append(
        Text(
            "Feed a policy fragment into the next solve as the team's reserve "
            "(teams[].policy.reserve in the instance). A team without a policy of its own follows "
            "the organisation's: copy that policy into the team, then set the reserve."
        )
    )
    parts.append(Text(f"Statistic: {report.statistic}.", style="dim"))
    parts.append(Text(f"Why: {WHY}.", style="dim"))
    for note in report.notes:
        parts.append(Text(f"note: {note}"))
    if report.problems:
        count = len(report.problems)
        parts.append(
            Text(
                f"{count} row{'s' if count > 1 else ''} of {report.actuals} left out "
                "(listed on stderr)",
                style="yellow",
            )
        )
    return parts
