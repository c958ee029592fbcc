"""Staff-rostering benchmark files as ordinary instances: the shift scheduling format of Curtois
and Qu (schedulingbenchmarks.org/nrp; ../shared/benchmarks/curtois/README.md).

Pure conversion (text in, an instance document out; no solver). Every benchmark rule becomes a
rule of the general vocabulary, so the engine and the checker need nothing of their own:

- horizon of N days, day 0 a Monday: `horizon` from `start` (a Monday, 2027-01-04 by default);
- shift types: one rotation with a `windows` pattern, a window per type, all at 00:00 UTC and as
  long as the type (at most 24 h), so two shifts of one day overlap and "one shift a day" is the
  one-duty-at-a-time rule; a rotation's slots are then days;
- "cannot follow": `forbidden_succession` (first, then);
- MaxShifts per type: `shifts` with `shift_type` and `max`;
- Min/MaxTotalMinutes: `hours` with `min`/`max` = minutes / 60 (the rule's hours × 60, rounded,
  gives back the exact minutes);
- MaxConsecutiveShifts: `max_consecutive`;
- MinConsecutiveShifts and MinConsecutiveDaysOff: `min_consecutive` and `min_consecutive_off`
  (runs touching the first or last day are exempt, in the benchmark as in docs/semantics.md);
- MaxWeekends: `max_weekends`; the benchmark's weekend is days 7k+5 and 7k+6, and a shift that
  starts at 00:00 and lasts at most 24 h touches [Saturday 00:00, Monday 00:00) exactly when it
  is worked on Saturday or Sunday;
- days off: `unavailability` (consecutive days merged);
- shift-on and shift-off requests: `prefer` and `avoid` preferences with the date, `shift_type`
  and weight;
- cover: one role, `head_counts` per (date, type) and `understaff_weight`/`overstaff_weight`
  from the cover weights (which must be the same on every line).

Staff with the same limit share one rule (`engineers` lists them; null when it is everyone).
Rules that cannot bind are left out: a per-type maximum or a maximum run of at least the number
of days, a maximum of weekends of at least the horizon's weekends, a minimum run of 1. Every rule
is hard, as in the benchmark; the policy weighs preferences 1 and every other rotation term 0, so
the objective is the benchmark's: request weights not met plus cover weights times shortfall and
excess.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

from .errors import InputError, parse
from .instance import Instance

MONDAY = dt.date(2027, 1, 4)
SECTIONS = ("HORIZON", "SHIFTS", "STAFF", "DAYS_OFF", "SHIFT_ON_REQUESTS",
            "SHIFT_OFF_REQUESTS", "COVER")
REQUIRED = ("HORIZON", "SHIFTS", "STAFF", "COVER")
STAFF_FIELDS = ("id", "MaxShifts", "MaxTotalMinutes", "MinTotalMinutes", "MaxConsecutiveShifts",
                "MinConsecutiveShifts", "MinConsecutiveDaysOff", "MaxWeekends")
ID = re.compile(r"^[A-Za-z0-9_.:@+-]{1,100}$")
MAX_HEAD_COUNT = 100  # a role's head count is at most 100
MAX_DAYS = 731  # a horizon is at most 731 days

Line = tuple[int, list[str]]  # (line number, comma-separated fields)


class Problems:
    """Problems found so far, each as 'file: line N: what is wrong'."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.messages: list[str] = []

    def add(self, line: int | None, message: str) -> None:
        where = f"{self.source}: line {line}: " if line is not None else f"{self.source}: "
        self.messages.append(where + message)

    def raise_any(self) -> None:
        if self.messages:
            raise InputError(self.messages)


def read_sections(text: str, problems: Problems) -> dict[str, list[Line]]:
    """The data lines of each section (comments and blank lines dropped), by section name."""
    sections: dict[str, list[Line]] = {}
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            name = line[len("SECTION_"):]
            if name not in SECTIONS:
                problems.add(number, f"unknown section {line!r}: expected one of "
                             + ", ".join(f"SECTION_{s}" for s in SECTIONS))
                current = None
            elif name in sections:
                problems.add(number, f"{line} appears a second time")
                current = None
            else:
                sections[name] = []
                current = name
            continue
        if current is None:
            if not sections:
                problems.add(number, "data before the first SECTION_ line: is this a benchmark "
                             "file in the shift scheduling format?")
                problems.raise_any()
            continue  # lines of an unknown or repeated section are reported once, above
        sections[current].append((number, [field.strip() for field in line.split(",")]))
    for name in REQUIRED:
        if name not in sections:
            problems.add(None, f"missing SECTION_{name}")
    return sections


def _integer(problems: Problems, line: int, text: str, what: str, low: int = 0,
             high: int | None = None) -> int | None:
    """`text` as an integer in [low, high], or None after recording the problem."""
    try:
        value = int(text)
    except ValueError:
        problems.add(line, f"{what} {text!r} is not a whole number")
        return None
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"at least {low}"
        problems.add(line, f"{what} {value} is out of range: expected {bound}")
        return None
    return value


def _hours(minutes: int) -> int | float:
    """Minutes as the hours a rule or window takes: whole hours as integers, else the float
    whose hours × 60 rounds back to exactly `minutes` (checked)."""
    if minutes % 60 == 0:
        return minutes // 60
    hours = minutes / 60
    assert int(Fraction(str(hours)) * 60 + Fraction(1, 2)) == minutes, minutes
    return hours


class _Reader:
    """Reads one file's sections into the parts of an instance document."""

    def __init__(self, sections: dict[str, list[Line]], problems: Problems) -> None:
        self.sections = sections
        self.problems = problems
        self.days = 0
        self.shifts: dict[str, int] = {}  # type -> minutes, in file order
        self.cannot_follow: list[tuple[str, str]] = []
        self.staff: dict[str, dict[str, Any]] = {}  # id -> limits
        self.days_off: dict[str, set[int]] = defaultdict(set)
        self.requests: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.cover: list[tuple[int, int, str, int]] = []  # (line, day, type, required)
        self.weights: tuple[int, int, int] | None = None  # (line, under, over)
        self.unusable: set[str] = set()  # ids already reported as unusable

    def fields(self, name: str, count: int | None, at_least: int | None = None) -> list[Line]:
        """The section's lines with the right number of fields (others are recorded)."""
        good = []
        for number, fields in self.sections.get(name, []):
            if count is not None and len(fields) != count:
                self.problems.add(number, f"SECTION_{name} lines have {count} comma-separated "
                                  f"fields, this one has {len(fields)}")
            elif at_least is not None and len(fields) < at_least:
                self.problems.add(number, f"SECTION_{name} lines have at least {at_least} "
                                  f"comma-separated fields, this one has {len(fields)}")
            else:
                good.append((number, fields))
        return good

    def identifier(self, line: int, text: str, what: str) -> bool:
        if ID.match(text):
            return True
        self.unusable.add(text)  # reported here once, not again where it is used
        self.problems.add(line, f"{what} {text!r} is not a usable id: letters, digits and "
                          "_ . : @ + - only, 1 to 100 of them")
        return False

    def day(self, line: int, text: str) -> int | None:
        return _integer(self.problems, line, text, "day", 0, self.days - 1)

    def shift(self, line: int, text: str) -> str | None:
        if text in self.shifts or text in self.unusable:
            return text if text in self.shifts else None
        known = ", ".join(self.shifts) or "(none)"
        self.problems.add(line, f"unknown shift type {text!r}: SECTION_SHIFTS defines {known}")
        return None

    def employee(self, line: int, text: str) -> str | None:
        if text in self.staff or text in self.unusable:
            return text if text in self.staff else None
        self.problems.add(line, f"unknown employee {text!r}: not in SECTION_STAFF")
        return None

    def read(self) -> None:
        self.read_horizon()
        self.read_shifts()
        self.read_staff()
        self.read_days_off()
        self.read_requests("SHIFT_ON_REQUESTS", "prefer")
        self.read_requests("SHIFT_OFF_REQUESTS", "avoid")
        self.read_cover()

    def read_horizon(self) -> None:
        lines = self.fields("HORIZON", 1)
        if len(self.sections.get("HORIZON", [])) > 1:
            self.problems.add(self.sections["HORIZON"][1][0],
                              "SECTION_HORIZON holds one number, the days of the horizon")
        if lines:
            number, (text,) = lines[0]
            self.days = _integer(self.problems, number, text, "horizon", 1, MAX_DAYS) or 0
        self.problems.raise_any()  # nothing else can be read without the horizon

    def read_shifts(self) -> None:
        follow: list[tuple[int, str, list[str]]] = []
        lines = self.sections.get("SHIFTS", [])
        for number, fields in lines:  # names first, so a bad line does not hide its type
            if not self.identifier(number, fields[0], "shift type"):
                continue
            if fields[0] in self.shifts:
                self.problems.add(number, f"shift type {fields[0]!r} is defined twice")
                continue
            self.shifts[fields[0]] = 0
        for number, fields in self.fields("SHIFTS", 3):
            name, length, banned = fields
            if name not in self.shifts:
                continue
            minutes = _integer(self.problems, number, length, f"length of shift {name}", 1,
                               24 * 60)
            if minutes is not None:
                self.shifts[name] = minutes
                follow.append((number, name, [b.strip() for b in banned.split("|") if b.strip()]))
        for number, first, successors in follow:
            for then in successors:
                if self.shift(number, then) is not None:
                    self.cannot_follow.append((first, then))

    def read_staff(self) -> None:
        for number, fields in self.sections.get("STAFF", []):
            eid = fields[0]
            if not self.identifier(number, eid, "employee"):
                continue
            if eid in self.staff:
                self.problems.add(number, f"employee {eid!r} is listed twice")
                continue
            self.staff[eid] = {}  # known, so a bad line does not hide its requests
            if len(fields) != len(STAFF_FIELDS):
                self.problems.add(number, f"SECTION_STAFF lines have {len(STAFF_FIELDS)} "
                                  f"comma-separated fields, this one has {len(fields)}")
                continue
            limits: dict[str, Any] = {"line": number, "max_shifts": {}}
            for label, text in zip(STAFF_FIELDS[2:], fields[2:], strict=True):
                limits[label] = _integer(self.problems, number, text, label)
            for pair in filter(None, (p.strip() for p in fields[1].split("|"))):
                shift, equals, count = pair.partition("=")
                if not equals:
                    self.problems.add(number, f"MaxShifts {pair!r} is not <ShiftID>=<max>")
                elif self.shift(number, shift.strip()) is not None:
                    value = _integer(self.problems, number, count.strip(),
                                     f"MaxShifts of {shift.strip()}")
                    limits["max_shifts"][shift.strip()] = value
            low, high = limits["MinTotalMinutes"], limits["MaxTotalMinutes"]
            if low is not None and high is not None and low > high:
                self.problems.add(number, f"MinTotalMinutes {low} is above MaxTotalMinutes "
                                  f"{high}")
            self.staff[eid] = limits

    def read_days_off(self) -> None:
        for number, fields in self.fields("DAYS_OFF", None, at_least=1):
            eid = self.employee(number, fields[0])
            for text in filter(None, fields[1:]):
                day = self.day(number, text)
                if eid is not None and day is not None:
                    self.days_off[eid].add(day)

    def read_requests(self, section: str, kind: str) -> None:
        for number, (who, when, what, weight) in self.fields(section, 4):
            eid = self.employee(number, who)
            day = self.day(number, when)
            shift = self.shift(number, what)
            value = _integer(self.problems, number, weight, "weight", 0, 1_000_000)
            if None in (eid, day, shift, value) or value == 0:
                continue  # a request of weight 0 costs nothing either way
            self.requests[str(eid)].append(
                {"kind": kind, "day": day, "shift_type": shift, "weight": value}
            )

    def read_cover(self) -> None:
        seen: dict[tuple[int, str], int] = {}
        for number, (when, what, required, under, over) in self.fields("COVER", 5):
            day = self.day(number, when)
            shift = self.shift(number, what)
            need = _integer(self.problems, number, required, "requirement", 0, MAX_HEAD_COUNT)
            weights = (
                _integer(self.problems, number, under, "weight for under"),
                _integer(self.problems, number, over, "weight for over"),
            )
            if day is None or shift is None:
                continue
            if (day, shift) in seen:
                self.problems.add(number, f"cover of day {day} shift {shift} was given on line "
                                  f"{seen[day, shift]} already")
                continue
            seen[day, shift] = number
            if need is None or None in weights:
                continue
            if self.weights is None:
                self.weights = (number, *weights)  # type: ignore[assignment]
            elif weights != self.weights[1:]:
                line, low, high = self.weights
                self.problems.add(
                    number,
                    f"cover weights {weights[0]} (under) and {weights[1]} (over) differ from "
                    f"line {line}'s {low} and {high}: a role prices every shortfall and excess "
                    "alike, so every cover line needs the same weights",
                )
                continue
            self.cover.append((number, day, shift, need))
        for day in range(self.days):
            missing = [s for s in self.shifts if (day, s) not in seen]
            if missing and self.sections.get("COVER"):
                self.problems.add(None, f"SECTION_COVER has no line for day {day} and shift "
                                  f"type(s) {', '.join(missing)}: every day needs the cover of "
                                  "every shift type")
                break


def _grouped(staff: dict[str, Any], value_of: Any) -> list[tuple[Any, list[str]]]:
    """(value, employees with it) in order of first appearance, skipping None."""
    groups: dict[Any, list[str]] = {}
    for eid, limits in staff.items():
        value = value_of(limits)
        if value is not None:
            groups.setdefault(value, []).append(eid)
    return list(groups.items())


def _rules(reader: _Reader) -> list[dict[str, Any]]:
    """The benchmark's hard rules, staff with the same limit sharing one rule."""
    days, staff, everyone = reader.days, reader.staff, len(reader.staff)
    weekends = len({d // 7 for d in range(days) if d % 7 >= 5})
    rules: list[dict[str, Any]] = [
        {"rule": "forbidden_succession", "id": f"{first} then {then}", "first": first,
         "then": then}
        for first, then in reader.cannot_follow
    ]

    def add(rule: dict[str, Any], engineers: list[str]) -> None:
        rules.append({**rule, **({"engineers": engineers} if len(engineers) < everyone else {})})

    for shift in reader.shifts:
        for most, who in _grouped(staff, lambda x, s=shift: x["max_shifts"].get(s)):
            if most < days:
                add({"rule": "shifts", "id": f"at most {most} {shift} shifts", "shift_type": shift,
                     "max": most}, who)
    for (low, high), who in _grouped(
        staff, lambda x: (x["MinTotalMinutes"], x["MaxTotalMinutes"])
        if None not in (x["MinTotalMinutes"], x["MaxTotalMinutes"]) else None,
    ):
        add({"rule": "hours", "id": f"{low} to {high} minutes", "min": _hours(low),
             "max": _hours(high)}, who)
    for most, who in _grouped(staff, lambda x: x["MaxConsecutiveShifts"]):
        if most == 0:
            add({"rule": "shifts", "id": "no shifts at all", "max": 0}, who)
        elif most < days:
            add({"rule": "max_consecutive", "id": f"at most {most} days in a row",
                 "max": most}, who)
    for least, who in _grouped(staff, lambda x: x["MinConsecutiveShifts"]):
        if least > 1:
            add({"rule": "min_consecutive", "id": f"at least {least} days on in a row",
                 "min": least}, who)
    for least, who in _grouped(staff, lambda x: x["MinConsecutiveDaysOff"]):
        if least > 1:
            add({"rule": "min_consecutive_off", "id": f"at least {least} days off in a row",
                 "min": least}, who)
    for most, who in _grouped(staff, lambda x: x["MaxWeekends"]):
        if most < weekends:
            add({"rule": "max_weekends", "id": f"at most {most} weekend{'s' * (most != 1)}",
                 "max": most}, who)
    return rules


def _leave(days: set[int], start: dt.date) -> list[dict[str, Any]]:
    """Days off as inclusive date ranges, consecutive days merged."""
    ranges: list[list[int]] = []
    for day in sorted(days):
        if ranges and ranges[-1][1] == day - 1:
            ranges[-1][1] = day
        else:
            ranges.append([day, day])
    return [
        {"start": (start + dt.timedelta(days=a)).isoformat(),
         "end": (start + dt.timedelta(days=b)).isoformat(), "kind": "other",
         "note": "day off"}
        for a, b in ranges
    ]


def convert(text: str, source: str, name: str = "nrp", start: dt.date = MONDAY) -> dict[str, Any]:
    """The instance document of one benchmark file's `text`; InputError lists every problem,
    each as '<source>: line N: what is wrong'."""
    if start.weekday() != 0:
        raise InputError([f"start {start} is a {start:%A}: day 0 of the benchmark is a Monday"])
    problems = Problems(source)
    sections = read_sections(text, problems)
    problems.raise_any()
    reader = _Reader(sections, problems)
    reader.read()
    problems.raise_any()

    def date(day: int) -> str:
        return (start + dt.timedelta(days=day)).isoformat()

    engineers = []
    for eid in reader.staff:
        engineer: dict[str, Any] = {"id": eid}
        if reader.days_off.get(eid):
            engineer["unavailability"] = _leave(reader.days_off[eid], start)
        if reader.requests.get(eid):
            engineer["preferences"] = [
                {"kind": r["kind"], "dates": [date(r["day"])], "shift_type": r["shift_type"],
                 "weight": r["weight"]}
                for r in reader.requests[eid]
            ]
        engineers.append(engineer)
    _, under, over = reader.weights or (0, 0, 0)
    role = {
        "id": "staff",
        "head_count": 0,
        "head_counts": [
            {"date": date(day), "shift_type": shift, "head_count": need}
            for _, day, shift, need in reader.cover
        ],
        "understaff_weight": under,
        "overstaff_weight": over,
    }
    document: dict[str, Any] = {
        "name": name,
        "description": f"{source} (shift scheduling benchmark format), imported by rotasat: "
        f"day 0 is {start}",
        "horizon": {"start": start.isoformat(), "days": reader.days},
        "policy": {
            "name": "benchmark",
            "weights": {"fairness_spread": 0, "fairness_deviation": 0, "preferences": 1,
                        "skill": 0},
        },
        "teams": [
            {
                "id": "staff",
                "timezone": "UTC",
                "engineers": engineers,
                "rotations": [
                    {
                        "id": "roster",
                        "timezone": "UTC",
                        "pattern": {
                            "kind": "windows",
                            "windows": [
                                {"name": shift, "start": "00:00", "hours": _hours(minutes)}
                                for shift, minutes in reader.shifts.items()
                            ],
                        },
                        "roles": [role],
                        "weights": {"weekend": 1, "holiday": 1, "night": 1},
                    }
                ],
                "rules": _rules(reader),
            }
        ],
    }
    parse(Instance, document, source)  # a bug here, not the file's fault, but never silent
    return document


def import_file(path: Path, start: dt.date = MONDAY) -> dict[str, Any]:
    """Read and convert one benchmark file; the instance is named after the file."""
    source = str(path)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise InputError([f"{source}: no such file"]) from None
    except IsADirectoryError:
        raise InputError([f"{source}: is a directory, expected a benchmark file"]) from None
    except UnicodeDecodeError as error:
        raise InputError([f"{source}: not ASCII text (byte {error.start}): expected a "
                          "benchmark file in the shift scheduling format"]) from None
    except OSError as error:
        raise InputError([f"{source}: cannot read: {error.strerror}"]) from None
    return convert(text, source, name=path.stem, start=start)
