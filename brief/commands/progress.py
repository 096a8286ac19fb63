"""A progress bar for long builds: stage, count, bar and rate on one line of a terminal.

Nothing is shown during the first second (most builds are over by then), nothing when
stderr is not a terminal, in CI (``CI`` set) or with ``-q``. The line is redrawn at
most ten times a second and erased before the build's summary is printed.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

DELAY = 1.0
"""Seconds before the bar appears."""
_REDRAW = 0.1
_WIDTH = 24


class Progress:
    """Called as ``progress(stage, done, total)`` by the build."""

    def __init__(self, stream: TextIO, delay: float = DELAY) -> None:
        self.stream = stream
        self.delay = delay
        self.started = time.monotonic()
        self.stage = ""
        self.stage_started = self.started
        self.drawn = 0.0
        self.shown = False

    @classmethod
    def for_terminal(cls, quiet: bool, stream: TextIO | None = None) -> Progress | None:
        """A progress bar on ``stream`` (stderr) when a person is watching it, else None."""
        stream = stream or sys.stderr
        if quiet or os.environ.get("CI") or os.environ.get("TERM") == "dumb" or not stream.isatty():
            return None
        return cls(stream)

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != self.stage:
            self.stage, self.stage_started = stage, now
        if now - self.started < self.delay or (now - self.drawn < _REDRAW and done < total):
            return
        self.drawn = now
        total = max(total, 1)
        filled = min(_WIDTH, _WIDTH * done // total)
        bar = "█" * filled + "░" * (_WIDTH - filled)
        elapsed = now - self.stage_started
        rate = f"{done / elapsed:,.0f}/s" if elapsed > 0.05 and done else ""
        self.stream.write(f"\r\033[K{stage:<18} {bar} {done:>7,}/{total:<7,} {rate:>9}")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        """Erase the bar (before the summary line)."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.shown = False
