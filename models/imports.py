"""Incidents from ticket-system exports: a CSV file and a mapping from its columns to Incident.

Pure conversion (csv and pydantic, no solver). The default `Mapping()` reads a ServiceNow incident
export as laid out in ../shared/samples/README.md: one row per update of an incident (the latest
by `sys_mod_count`, then `sys_updated_at`, is kept), `?` for a missing value, `D/M/YYYY HH:MM`
times, priority as `1 - Critical` ... `4 - Low`, impact as `1 - High` ... `3 - Low`. A mapping
file (instances/mappings/*.json) adapts other exports: which column feeds which field, value
tables, the time format, defaults.

Field by field, with the default (ServiceNow) mapping:

- id <- `number`; title: none (the sample has no `short_description`; map it if yours has).
- system <- `cmdb_ci` when present, else `category`; looked up in `system.values` (e.g.
  {"Category 9": "billing"}), else made into an id ("Category 9" -> "category-9").
- priority <- the digit of `priority` ("1 - Critical" -> P1); severity <- the digit of `impact`
  (1 -> S1, 2 -> S2, 3 -> S3); tier <- `assignment_group` through `tier.values`, L3 otherwise.
- arrival <- `opened_at`, read in the mapping's time zone (UTC; the CLI's --timezone overrides).
- effort_hours: an export records elapsed time (opened to resolved), which counts nights,
  weekends and waiting, not hands-on effort, so it is not used. Effort comes from a column when
  the mapping names one (e.g. Jira's "Time Spent" in seconds) and otherwise, or when the cell is
  empty or 0, from `effort.per_priority` (P1 4 h, P2 3 h, P3 2 h, P4 1 h).
- sla <- `sla[priority]`: P1 respond 1 h, resolve 4 h; P2 respond 4 h, resolve 24 h; none for P3
  and P4, since an SLA makes an incident interrupt-worthy under the default interrupt rule.
- required_skills <- `skills[system]` (none by default); assignee: not pinned by default.
- made_sla is not part of an incident; it is counted for the summary.

Every row that cannot be read is reported with its line number (the line where its record
starts) and every reason; rows that can be read are kept. Unusable input (no file, not text, no
header, columns the mapping names missing from the header, no rows) raises InputError.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .base import Id, SkillLevel, Strict, TimeZone, check_time_zone
from .errors import InputError, describe, load, parse
from .support import SLA, Incident, Priority, Severity, Tier

__all__ = [
    "Choice",
    "Effort",
    "ImportResult",
    "Mapping",
    "MissingColumns",
    "Names",
    "Updates",
    "import_incidents",
    "into_instance",
    "load_mapping",
    "read_incidents",
    "zone_problem",
]

PRIORITIES: tuple[Priority, ...] = ("P1", "P2", "P3", "P4")
MAX_EFFORT = 24 * 14  # Incident.effort_hours
ID = re.compile(r"^[A-Za-z0-9_.:@+-]{1,100}$")

Column = Annotated[str, Field(min_length=1, description="a column name of the header")]
Columns = Column | Annotated[list[Column], Field(min_length=1)]
"""A column, or several: the first non-missing value wins. A name repeated in the header (Jira
repeats `Component/s` for each value) counts as several columns in header order."""

V = TypeVar("V", bound=str)


# --------------------------------------------------------------------------------------------
# The mapping file


class Choice(Strict, Generic[V]):
    """A priority, severity or tier read from a column.

    A value is looked up in `values` (case and surrounding spaces ignored), else read from its
    digit ('1 - Critical', '1', 'P1' for a priority, 'S1' for a severity, 'L1' for a tier), else
    it is `other`; a missing value (or no column) is `default`. Null `other` or `default`: the row
    is rejected instead.
    """

    column: Columns | None = None
    values: dict[str, V] = Field({}, description="value in the export -> value in rotasat")
    other: V | None = Field(None, description="for values neither the table nor the digit reads")
    default: V | None = Field(None, description="when the value is missing, or there is no column")

    @model_validator(mode="after")
    def _column_or_default(self) -> Choice[V]:
        if self.column is None and self.default is None:
            raise PydanticCustomError(
                "no_source", "give a column to read, or a default for every incident"
            )
        return self


class Names(Strict):
    """An id (system, assignee) read from a column: looked up in `values`, else made into an id
    ('Category 9' -> 'category-9') when `other` is 'slug', or rejected when it is 'reject'."""

    column: Columns
    values: dict[str, Id] = Field({}, description="value in the export -> id in the instance")
    other: Literal["slug", "reject"] = "slug"
    default: Id | None = Field(None, description="when the value is missing; null: reject the row")


class Effort(Strict):
    """Hands-on effort: from `column` in `unit` when it has a value above 0, else by priority."""

    column: Columns | None = None
    unit: Literal["hours", "minutes", "seconds"] = "hours"
    per_priority: dict[Priority, Annotated[float, Field(gt=0, le=MAX_EFFORT)]] = {
        "P1": 4.0, "P2": 3.0, "P3": 2.0, "P4": 1.0,
    }  # fmt: skip

    @field_validator("per_priority")
    @classmethod
    def _every_priority(cls, value: dict[str, float]) -> dict[str, float]:
        absent = [p for p in PRIORITIES if p not in value]
        if absent:
            raise PydanticCustomError(
                "priorities", "needs an effort for P1, P2, P3 and P4 (missing {absent})",
                {"absent": ", ".join(absent)},
            )
        return value


class Updates(Strict):
    """How to tell the latest of several rows of one incident: the highest `count` (a whole
    number), then the latest `time`, then the last in the file."""

    count: Column | None = "sys_mod_count"
    time: Column | None = "sys_updated_at"


class Mapping(Strict):
    """How the columns of an export become incidents. The defaults read a ServiceNow export."""

    name: str = "servicenow"
    description: str | None = None
    encoding: str = Field("utf-8-sig", description="text encoding; utf-8-sig also reads UTF-8")
    delimiter: str = Field(",", min_length=1, max_length=1)
    missing: list[str] = Field(["?", ""], description="values that mean 'no value'")
    time_format: str = Field(
        "%d/%m/%Y %H:%M", description="strptime format of times, or 'iso' for ISO 8601"
    )
    timezone: TimeZone = Field("UTC", description="zone of times written without an offset")
    updates: Updates = Updates()
    id: Column = "number"
    title: Columns | None = None
    system: Names = Names(column=["cmdb_ci", "category"])
    priority: Choice[Priority] = Choice[Priority](column="priority")
    severity: Choice[Severity] = Choice[Severity](column="impact")
    tier: Choice[Tier] = Choice[Tier](column="assignment_group", other="L3", default="L3")
    arrival: Column = "opened_at"
    effort: Effort = Effort()
    sla: dict[Priority, SLA] = Field(
        {
            "P1": SLA(respond_hours=1, resolve_hours=4),
            "P2": SLA(respond_hours=4, resolve_hours=24),
        },
        description="SLA by priority; priorities not listed get none",
    )
    skills: dict[Id, dict[Id, SkillLevel]] = Field(
        {}, description="required skills by system id (after the system.values table)"
    )
    assignee: Names | None = Field(None, description="pins each incident to this engineer")
    made_sla: Column | None = Field(
        "made_sla", description="a true/false column, counted in the summary only"
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise PydanticCustomError(
                "encoding", "unknown encoding: expected e.g. 'utf-8-sig' or 'cp1252'"
            ) from None
        return value

    @field_validator("time_format")
    @classmethod
    def _readable_format(cls, value: str) -> str:
        if value == "iso":
            return value
        probe = dt.datetime(2027, 11, 25, 13, 45, 30)
        try:
            dt.datetime.strptime(probe.strftime(value), value)
        except ValueError:
            ok = False
        else:
            ok = "%" in value
        if not ok:
            raise PydanticCustomError(
                "time_format",
                "cannot read back the times it writes: expected a strptime format such as "
                "'%d/%m/%Y %H:%M', or 'iso'",
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)

    def columns(self) -> dict[str, list[str]]:
        """Every column the mapping reads -> the mapping fields that read it."""
        fields: list[tuple[str, Columns | None]] = [
            ("id", self.id),
            ("title", self.title),
            ("system.column", self.system.column),
            ("priority.column", self.priority.column),
            ("severity.column", self.severity.column),
            ("tier.column", self.tier.column),
            ("arrival", self.arrival),
            ("effort.column", self.effort.column),
            ("assignee.column", self.assignee.column if self.assignee else None),
            ("made_sla", self.made_sla),
            ("updates.count", self.updates.count),
            ("updates.time", self.updates.time),
        ]
        used: dict[str, list[str]] = {}
        for name, columns in fields:
            for column in _listed(columns):
                used.setdefault(column, []).append(name)
        return used

    def time_shape(self) -> str:
        """The time format as a reader would write it: '%d/%m/%Y %H:%M' -> 'D/M/YYYY HH:MM'."""
        if self.time_format == "iso":
            return "ISO 8601"
        shape = self.time_format
        for code, shown in _SHAPES.items():
            shape = shape.replace(code, shown)
        return shape


_SHAPES = {
    "%d": "D", "%m": "M", "%Y": "YYYY", "%y": "YY", "%H": "HH", "%I": "hh", "%M": "MM",
    "%S": "SS", "%f": "ffffff", "%p": "AM", "%b": "Mon", "%B": "Month", "%z": "+HHMM",
    "%%": "%",
}  # fmt: skip


def _listed(columns: Columns | None) -> list[str]:
    if columns is None:
        return []
    return [columns] if isinstance(columns, str) else list(dict.fromkeys(columns))


def _absent(columns: Columns | None) -> str:
    """'opened_at is missing', 'cmdb_ci and category are missing'."""
    names = _listed(columns)
    if len(names) == 1:
        return f"{names[0]} is missing"
    return f"{', '.join(names[:-1])} and {names[-1]} are missing"


def load_mapping(path: str | Path) -> Mapping:
    """Read and validate a mapping file; problems name the file and the JSON path."""
    return load(Mapping, path)


# --------------------------------------------------------------------------------------------
# The result


@dataclass
class ImportResult:
    """What an export turned into, and everything that did not make it."""

    incidents: list[Incident]
    rejected: list[tuple[int, str]]  # (line where the record starts, every reason)
    rows: int  # data rows read (blank lines are not rows)
    collapsed: int  # rows that are earlier updates of an incident kept in a later state
    source: str = ""
    mapping: str = ""
    zone: str = "UTC"
    lines: dict[str, int] = field(default_factory=dict)  # incident id -> the line it came from
    filled: Counter[str] = field(default_factory=Counter)  # how a field was filled -> incidents
    made_sla: Counter[str] = field(default_factory=Counter)  # 'met', 'missed', 'unknown'
    notes: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """The summary a user reads: counts, what defaults filled, SLA record, rejections."""
        lines = [
            f"{self.source} (mapping {self.mapping}): {_count(self.rows, 'row')} read, "
            f"{_count(len(self.incidents), 'incident')} produced, "
            f"{_count(self.collapsed, 'earlier update')} collapsed, "
            f"{_count(len(self.rejected), 'row')} rejected"
        ]
        if self.incidents:
            lines.append(
                "  priorities: " + _tally(i.priority for i in self.incidents)
                + "; severities: " + _tally(i.severity for i in self.incidents)
                + "; tiers: " + _tally(i.tier for i in self.incidents)
            )
            lines.append("  systems: " + _tally(i.system for i in self.incidents))
            first = min(i.arrival for i in self.incidents)
            last = max(i.arrival for i in self.incidents)
            lines.append(
                f"  arrivals: {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} ({self.zone})"
            )
        for how, count in sorted(self.filled.items()):
            lines.append(f"  {how}: {_count(count, 'incident')}")
        if self.made_sla:
            lines.append(
                "  made_sla in the export: "
                + ", ".join(f"{self.made_sla[k]} {k}" for k in ("met", "missed", "unknown")
                            if self.made_sla[k])
            )
        lines.extend(f"  note: {note}" for note in self.notes)
        for line, reason in self.rejected:
            lines.append(f"  rejected: line {line}: {reason}")
        return lines


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _tally(values: Any, most: int = 12) -> str:
    counts = Counter(values)
    shown = sorted(counts)[:most]
    more = f", and {len(counts) - most} more" if len(counts) > most else ""
    return ", ".join(f"{k} {counts[k]}" for k in shown) + more


# --------------------------------------------------------------------------------------------
# Reading


class MissingColumns(InputError):
    """The header lacks columns the mapping reads."""


class RowError(Exception):
    pass


@dataclass
class _Row:
    """One record: values by column name, missing values as None."""

    cells: list[str]
    index: dict[str, list[int]]
    missing: frozenset[str]

    def get(self, columns: Columns | None) -> tuple[str, str | None]:
        """(column read, its value): the first non-missing value among `columns`."""
        names = _listed(columns)
        for name in names:
            for i in self.index[name]:
                value = self.cells[i].strip()
                if value not in self.missing:
                    return name, value
        return names[0] if names else "", None


@dataclass
class _Candidate:
    line: int
    key: str
    order: tuple[int, dt.datetime]
    incident: Incident
    filled: list[str]
    made_sla: bool | None


def import_incidents(
    path: str | Path, mapping: Mapping | None = None, timezone: str | None = None
) -> ImportResult:
    """Read an export file. `timezone` (an IANA name) overrides the mapping's."""
    mapping = mapping or Mapping()
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError([f"{source}: no such file"]) from None
    except IsADirectoryError:
        raise InputError([f"{source}: is a directory, expected a CSV file"]) from None
    except OSError as error:
        raise InputError([f"{source}: cannot read: {error.strerror or error}"]) from None
    try:
        text = raw.decode(mapping.encoding)
    except UnicodeDecodeError as error:
        raise InputError(
            [f"{source}: byte {error.start} is not {mapping.encoding} text: save the export as "
             "UTF-8 CSV, or set the mapping's encoding"]
        ) from None
    return read_incidents(text, mapping, source, timezone)


def read_incidents(
    text: str, mapping: Mapping | None = None, source: str = "export",
    timezone: str | None = None,
) -> ImportResult:
    """Convert the text of an export; see the module docstring for the rules."""
    mapping = mapping or Mapping()
    zone_name = mapping.timezone if timezone is None else _zone_argument(timezone)
    zone = ZoneInfo(zone_name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=mapping.delimiter)
    header = [name.strip() for name in next(reader, [])]
    if not header:
        raise InputError(
            [f"{source}: no header line of column names (the file is empty or starts blank)"]
        )
    index: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        index.setdefault(name, []).append(i)
    _check_header(header, index, mapping, source)

    missing = frozenset(mapping.missing)
    candidates: list[_Candidate] = []
    rejected: list[tuple[int, str, str | None, tuple[int, dt.datetime] | None]] = []
    start = reader.line_num + 1
    rows = 0
    try:
        for cells in reader:
            line, end, start = start, reader.line_num, reader.line_num + 1
            if not cells:
                continue  # a blank line
            rows += 1
            if len(cells) != len(header):
                runs = f" (the record runs to line {end}: an unclosed quote?)" if end > line else ""
                reason = f"{len(cells)} fields, expected {len(header)} as in the header{runs}"
                rejected.append((line, reason, None, None))
                continue
            row = _Row(cells, index, missing)
            try:
                candidates.append(_convert(row, line, mapping, zone))
            except RowError as error:
                key, order = _identify(row, mapping, zone)
                rejected.append((line, str(error), key, order))
    except csv.Error as error:
        raise InputError([f"{source}: line {start}: cannot read CSV: {error}"]) from None
    if rows == 0:
        raise InputError([f"{source}: no rows after the header"])
    return _collapse(candidates, rejected, rows, source, mapping, zone_name)


def zone_problem(name: str) -> str | None:
    """Why `name` is not an IANA time zone, or None when it is one."""
    try:
        check_time_zone(name)
    except PydanticCustomError as error:
        return error.message()
    return None


def _zone_argument(name: str) -> str:
    problem = zone_problem(name)
    if problem is not None:
        raise InputError([f"timezone: {problem}"])
    return name


def _check_header(
    header: list[str], index: dict[str, list[int]], mapping: Mapping, source: str
) -> None:
    absent = {c: names for c, names in mapping.columns().items() if c not in index}
    if not absent:
        return
    listing = ", ".join(f"{column!r} ({' and '.join(names)})" for column, names in absent.items())
    columns, them = ("column", "it") if len(absent) == 1 else ("columns", "them")
    messages = [f"{source}: no {columns} {listing}: the mapping {mapping.name!r} reads {them}"]
    hint = ""
    if len(header) == 1 and any(d in header[0] for d in ";\t|"):
        hint = f" (one column: is the delimiter {mapping.delimiter!r} right?)"
    messages.append(f"{source}: the header has {_count(len(header), 'column')}{hint}: "
                    + ", ".join(header))
    raise MissingColumns(messages)


def _identify(
    row: _Row, mapping: Mapping, zone: ZoneInfo
) -> tuple[str | None, tuple[int, dt.datetime] | None]:
    """The key and update order of a rejected row, when they can be read."""
    _, key = row.get(mapping.id)
    try:
        order = _order(row, mapping, zone)
    except RowError:
        order = None
    return key, order


def _order(row: _Row, mapping: Mapping, zone: ZoneInfo) -> tuple[int, dt.datetime]:
    count, when = -1, dt.datetime.min.replace(tzinfo=dt.UTC)
    problems: list[str] = []
    if mapping.updates.count is not None:
        column, value = row.get(mapping.updates.count)
        if value is not None:
            try:
                count = int(value)
            except ValueError:
                problems.append(f"{column} {value!r} is not a whole number")
    if mapping.updates.time is not None:
        column, value = row.get(mapping.updates.time)
        if value is not None:
            try:
                when = _time(column, value, mapping, zone)
            except RowError as error:
                problems.append(str(error))
    if problems:
        raise RowError("; ".join(problems))
    return count, when


def _convert(row: _Row, line: int, mapping: Mapping, zone: ZoneInfo) -> _Candidate:
    """One row as an incident, or RowError with every reason it cannot be."""
    problems: list[str] = []
    filled: list[str] = []

    def attempt(read: Any, *args: Any) -> Any:
        try:
            return read(*args)
        except RowError as error:
            problems.append(str(error))
            return None

    column, key = row.get(mapping.id)
    if key is None:
        problems.append(_absent(mapping.id))
    elif not ID.match(key):
        problems.append(f"{column} {key!r} is not an id (letters, digits and _.:@+- only)")
    order = attempt(_order, row, mapping, zone)
    _, title = row.get(mapping.title)
    system = attempt(_name, row, "system", mapping.system, filled)
    assignee = None
    if mapping.assignee is not None:
        assignee = attempt(_name, row, "assignee", mapping.assignee, filled)
    priority = attempt(_choice, row, "priority", mapping.priority, filled)
    severity = attempt(_choice, row, "severity", mapping.severity, filled)
    tier = attempt(_choice, row, "tier", mapping.tier, filled)
    column, value = row.get(mapping.arrival)
    if value is None:
        problems.append(_absent(mapping.arrival))
        arrival = None
    else:
        arrival = attempt(_time, column, value, mapping, zone)
    effort = attempt(_effort, row, mapping.effort, priority, filled)
    made_sla = None
    if mapping.made_sla is not None:
        made_sla = _truth(row.get(mapping.made_sla)[1])
    if problems:
        raise RowError("; ".join(problems))

    data = {
        "id": key, "title": title, "system": system, "priority": priority,
        "severity": severity, "tier": tier, "arrival": arrival, "effort_hours": effort,
        "sla": mapping.sla.get(priority), "required_skills": mapping.skills.get(system, {}),
        "assignee": assignee,
    }  # fmt: skip
    try:
        incident = Incident.model_validate(data)
    except ValidationError as error:  # what the readers above let through, said plainly
        raise RowError("; ".join(describe(error))) from None
    assert key is not None and order is not None
    return _Candidate(line, key, order, incident, filled, made_sla)


def _name(row: _Row, what: str, names: Names, filled: list[str]) -> str:
    column, value = row.get(names.column)
    if value is None:
        if names.default is None:
            raise RowError(f"{_absent(names.column)} (no {what}.default)")
        filled.append(f"{what} {names.default} from {what}.default ({_absent(names.column)})")
        return names.default
    table = {k.strip().casefold(): v for k, v in names.values.items()}
    found = table.get(value.casefold())
    if found is not None:
        return found
    if names.other == "reject":
        raise RowError(f"{column} {value!r} is not in the mapping's {what}.values")
    slug = re.sub(r"[^a-z0-9_.:@+]+", "-", value.lower()).strip("-")[:100]
    if not slug:
        raise RowError(f"{column} {value!r} cannot be made into an id: add it to {what}.values")
    filled.append(f"{what} made from the {column} value (not in {what}.values)")
    return slug


def _choice(row: _Row, what: str, choice: Choice[Any], filled: list[str]) -> str:
    letter = what[0].upper()  # P, S, L for priority, severity, tier
    column, value = row.get(choice.column)
    if value is None:
        if choice.default is None:
            raise RowError(f"{_absent(choice.column)} (no {what}.default)")
        why = "no column" if choice.column is None else _absent(choice.column)
        filled.append(f"{what} {choice.default} from {what}.default ({why})")
        return str(choice.default)
    table = {k.strip().casefold(): v for k, v in choice.values.items()}
    found = table.get(value.casefold())
    if found is not None:
        return str(found)
    top = 3 if what == "tier" else 4
    digit = re.fullmatch(rf"(?:{letter}|{letter.lower()})?\s*([1-{top}])(?:\s*-.*)?", value)
    if digit:
        return f"{'L' if what == 'tier' else letter}{digit.group(1)}"
    if choice.other is not None:
        filled.append(f"{what} {choice.other} from {what}.other ({column} values not in the table)")
        return str(choice.other)
    examples = {
        "priority": "'1 - Critical' ... '4 - Low' or P1 ... P4",
        "severity": "'1 - High' ... '4 - Low' or S1 ... S4",
        "tier": "L1, L2 or L3",
    }[what]
    raise RowError(
        f"{column} {value!r} is not a {what}: expected {examples}, or a value of {what}.values"
    )


def _time(column: str, value: str, mapping: Mapping, zone: ZoneInfo) -> dt.datetime:
    try:
        if mapping.time_format == "iso":
            moment = dt.datetime.fromisoformat(value)
        else:
            moment = dt.datetime.strptime(value, mapping.time_format)
    except ValueError:
        raise RowError(f"{column} {value!r} is not a {mapping.time_shape()} time") from None
    if moment.tzinfo is not None:
        return moment
    aware = moment.replace(tzinfo=zone)  # fold 0: an ambiguous time is the earlier one
    if aware.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != moment:
        raise RowError(
            f"{column} {value!r} does not exist in {zone.key} (the clocks go forward then)"
        )
    return aware


def _effort(row: _Row, effort: Effort, priority: str | None, filled: list[str]) -> float | None:
    hours: float | None = None
    if effort.column is not None:
        column, value = row.get(effort.column)
        if value is not None:
            try:
                amount = float(value)
            except ValueError:
                raise RowError(f"{column} {value!r} is not a number of {effort.unit}") from None
            if amount < 0 or amount != amount:
                raise RowError(f"{column} {value!r} is not a number of {effort.unit} (0 or more)")
            hours = amount / {"hours": 1, "minutes": 60, "seconds": 3600}[effort.unit]
            if hours > MAX_EFFORT:
                raise RowError(
                    f"{column} {value!r} is {hours:.1f} hours of effort, more than the "
                    f"{MAX_EFFORT} an incident may take"
                )
            hours = hours or None  # 0: nothing logged
    if hours is None:
        if priority is None:
            return None  # the priority's own problem is reported
        why = "no effort column" if effort.column is None else "no effort logged"
        filled.append(f"effort_hours from effort.per_priority ({why})")
        hours = effort.per_priority[priority]  # type: ignore[index]
    return round(hours, 2)


def _truth(value: str | None) -> bool | None:
    if value is None:
        return None
    return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}.get(
        value.casefold()
    )


def _collapse(
    candidates: list[_Candidate],
    rejected: list[tuple[int, str, str | None, tuple[int, dt.datetime] | None]],
    rows: int,
    source: str,
    mapping: Mapping,
    zone: str,
) -> ImportResult:
    """Keep the latest readable row of each incident; say when a later row was unreadable."""
    latest: dict[str, _Candidate] = {}
    for c in candidates:
        kept = latest.get(c.key)
        if kept is None or (c.order, c.line) >= (kept.order, kept.line):
            latest[c.key] = c
    chosen = sorted(latest.values(), key=lambda c: (c.incident.arrival, c.key))
    result = ImportResult(
        incidents=[c.incident for c in chosen],
        rejected=sorted((line, reason) for line, reason, _, _ in rejected),
        rows=rows,
        collapsed=len(candidates) - len(chosen),
        source=source,
        mapping=mapping.name,
        zone=zone,
        lines={c.key: c.line for c in chosen},
    )
    for c in chosen:
        result.filled.update(set(c.filled))
        if mapping.made_sla is not None:
            result.made_sla[{True: "met", False: "missed", None: "unknown"}[c.made_sla]] += 1
    lost: dict[str, list[int]] = {}
    for line, _, key, order in rejected:
        if key is None:
            continue
        kept = latest.get(key)
        if kept is None:
            lost.setdefault(key, []).append(line)
        elif order is None or (order, line) > (kept.order, kept.line):
            result.notes.append(
                f"{key} is built from line {kept.line}, an earlier update: its update on line "
                f"{line} was rejected"
            )
    for key, lines in lost.items():
        shown = ", ".join(str(n) for n in lines)
        where = f"line {shown}" if len(lines) == 1 else f"lines {shown}"
        result.notes.append(f"{key} is not produced: every row of it was rejected ({where})")
    return result


# --------------------------------------------------------------------------------------------
# Into an instance


def into_instance(document: Any, result: ImportResult, source: str) -> dict[str, Any]:
    """The instance document with the imported incidents appended after its own, validated as
    an Instance; problems with imported incidents also name the incident and its line."""
    from .instance import Instance

    if not isinstance(document, dict):
        raise InputError([f"{source}: expected a JSON object (an instance)"])
    own = document.get("incidents") or []
    if not isinstance(own, list):
        raise InputError([f"{source}: incidents: expected an array"])
    added = [i.model_dump(mode="json", exclude_none=True) for i in result.incidents]
    merged = {**document, "incidents": [*own, *added]}
    try:
        parse(Instance, merged, source)
    except InputError as error:
        raise InputError([_locate(m, len(own), result) for m in error.messages]) from None
    return merged


def _locate(message: str, offset: int, result: ImportResult) -> str:
    found = re.search(r"incidents\[(\d+)\]", message)
    if not found or int(found.group(1)) < offset:
        return message
    incident = result.incidents[int(found.group(1)) - offset]
    where = f" ({incident.id}, line {result.lines[incident.id]} of {result.source})"
    return message + where

