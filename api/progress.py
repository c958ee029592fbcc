"""Live progress of a running solve, on stderr.

On a terminal a status line (spinner, best objective, bound, gap, elapsed, solutions, team i/n) is
redrawn several times a second; elsewhere (a pipe, a CI log) a plain line is written at most every
few seconds. Either way a last line sums the search up. The engine calls `update` from its search
threads; it only stores the snapshot, and rendering happens on rich's refresh thread.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console, RenderableType
from rich.live import Live
from rich.spinner import Spinner
from rich.table import Table
from rich.text import Text
from rotasat.engine import Progress

LOG_EVERY = 5.0  # seconds between plain progress lines when stderr is not a terminal


class LiveProgress:
    """A context manager showing `Progress` snapshots of the solve of instance `name`."""

    def __init__(self, console: Console, name: str, time_limit: float, enabled: bool = True):
        self.console, self.name, self.time_limit, self.enabled = console, name, time_limit, enabled
        self.latest: Progress | None = None
        self.started = time.perf_counter()
        self.logged = self.started
        self.spinner = Spinner("dots")
        self.live: Live | None = None

    def __enter__(self) -> LiveProgress:
        self.started = self.logged = time.perf_counter()
        if self.enabled and self.console.is_terminal:
            self.live = Live(self, console=self.console, refresh_per_second=8, transient=True)
            self.live.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.live is not None:
            self.live.stop()
        if self.enabled and kind is None:
            self.console.print(Text(self.line(final=True), style="dim"), soft_wrap=True)

    def update(self, progress: Progress) -> None:
        """Called by the engine on every improvement (from a solver thread)."""
        self.latest = progress
        if self.enabled and self.live is None:
            now = time.perf_counter()
            if now - self.logged >= LOG_EVERY:
                self.logged = now
                self.console.print(self.line(), soft_wrap=True, markup=False, highlight=False)

    def line(self, final: bool = False) -> str:
        """E.g. 'solving x | team platform (0/2 done) | best 10270 | bound 9980 | gap 2.82% |
        3 solutions | 4.1 s of 20 s'."""
        elapsed = time.perf_counter() - self.started
        p = self.latest
        clock = f"{elapsed:.1f} s" + ("" if final else f" of {self.time_limit:g} s")
        if p is None:
            return f"{'searched' if final else 'solving'} {self.name}: {clock}"
        parts = [
            f"{'searched' if final else 'solving'} {self.name}",
            (
                f"{p.teams_done}/{p.teams} team(s) finished"
                if final
                else f"team {p.team} ({p.teams_done}/{p.teams} done)"
            ),
        ]
        if p.objective is None:
            parts.append("no complete schedule yet" if not final else "no complete schedule")
        else:
            gap = "-" if p.gap is None else f"{100 * p.gap:.2f}%"
            parts += [f"best {p.objective}", f"bound {p.bound:.0f}", f"gap {gap}"]
        parts += [f"{p.solutions} solution{'s' if p.solutions != 1 else ''}", clock]
        return " | ".join(parts)

    def __rich__(self) -> RenderableType:
        grid = Table.grid(padding=(0, 1))
        grid.add_row(self.spinner, Text(self.line()))
        return grid
