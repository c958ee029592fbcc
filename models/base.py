"""Building blocks shared by the schema modules: strict models, ids, levels, zones."""

from __future__ import annotations

import difflib
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SkillLevel = Annotated[int, Field(ge=1, le=5, description="1 (novice) to 5 (expert)")]
Id = Annotated[
    str,
    Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:@+-]+$", description="identifier"),
]


class Strict(BaseModel):
    """Base of every schema model: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def check_time_zone(name: str) -> str:
    """Accept an IANA time zone name such as 'Europe/London'."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, IsADirectoryError):
        zones = sorted(available_timezones())
        cities: dict[str, list[str]] = {}
        for zone in zones:
            cities.setdefault(zone.rsplit("/", 1)[-1].lower(), []).append(zone)
        city = name.rsplit("/", 1)[-1].lower()
        close = [
            *difflib.get_close_matches(name, zones, n=3, cutoff=0.75),
            *(z for c in difflib.get_close_matches(city, list(cities), n=2, cutoff=0.75)
              for z in cities[c]),
        ]
        close = list(dict.fromkeys(close))[:3]
        hint = f"; did you mean {', '.join(repr(z) for z in close)}?" if close else ""
        raise PydanticCustomError(
            "time_zone",
            "unknown time zone '{name}': expected an IANA name such as 'Europe/London'{hint}",
            {"name": name, "hint": hint},
        ) from None
    return name


TimeZone = Annotated[str, Field(description="IANA time zone name, e.g. 'Europe/London'")]
