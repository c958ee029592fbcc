"""What the benchmark scripts share: one run per fresh process, medians, table cells."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from typing import Any


def in_fresh_process(script: str, spec: list[Any]) -> dict[str, Any]:
    """Run `script --one SPEC` in a new interpreter (so memory and caches are its own) and
    return the record it prints last, as JSON."""
    out = subprocess.run([sys.executable, script, "--one", json.dumps(spec)], check=True,
                         capture_output=True, text=True).stdout
    record: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return record


def median(values: list[float | None]) -> float | None:
    """Median of the values present, None when there are none."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def fmt(value: object, digits: int = 2) -> str:
    """A table cell: '-' for None, floats to `digits` places."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)
