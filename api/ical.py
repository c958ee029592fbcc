"""A job's schedule as an iCalendar feed (one per engineer or per team) and as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from rotasat.models import Assignment, Instance

CSV_COLUMNS = ("team", "rotation", "shift", "shift_type", "role", "engineer", "name", "start",
               "end")


def summary(assignment: Assignment) -> str:
    """'Primary on-call: platform-oncall'."""
    role = assignment.role[:1].upper() + assignment.role[1:]
    return f"{role} on-call: {assignment.rotation}"


def calendar(instance: Instance, assignments: list[Assignment], job_id: str, title: str,
             stamp: dt.datetime) -> bytes:
    """VEVENTs in each rotation's time zone (with its VTIMEZONE), stable UIDs, DTSTAMP `stamp`
    (when the schedule was made), marked free time: on call is not a meeting."""
    zones = {(t.id, r.id): r.timezone for t in instance.teams for r in t.rotations}
    names = {e.id: e.name or e.id for t in instance.teams for e in t.engineers}
    cal = Calendar()
    cal.add("prodid", "-//rotasat//on-call schedule//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    for a in assignments:
        zone = ZoneInfo(zones.get((a.team, a.rotation), "UTC"))
        event = Event()
        event.add("uid", f"{job_id}-{a.shift}-{a.role}-{a.engineer}@rotasat")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("dtstart", a.start.astimezone(zone))
        event.add("dtend", a.end.astimezone(zone))
        event.add("summary", summary(a))
        event.add("description", f"{names.get(a.engineer, a.engineer)} ({a.engineer}), "
                  f"team {a.team}, shift {a.shift}, role {a.role}")
        event.add("categories", ["On-call"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    if assignments:  # zone definitions for the years the schedule spans
        first = min(a.start for a in assignments).date().replace(month=1, day=1)
        last = max(a.end for a in assignments).date().replace(month=12, day=31)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def schedule_csv(instance: Instance, assignments: list[Assignment]) -> str:
    """One row per assignment, times in ISO 8601 with their offset."""
    names = {e.id: e.name or "" for t in instance.teams for e in t.engineers}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for a in assignments:
        writer.writerow([a.team, a.rotation, a.shift, a.shift_type, a.role, a.engineer,
                         names.get(a.engineer, ""), a.start.isoformat(), a.end.isoformat()])
    return out.getvalue()
