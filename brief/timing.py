"""Two helpers of the build's stages: the cycle collector paused, and each stage timed."""

from __future__ import annotations

import gc
import logging
import sys
import time
from contextlib import contextmanager

log = logging.getLogger(__name__)


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cycle collector for the length of a build.

    A build allocates hundreds of thousands of objects that live until it ends and
    makes almost no reference cycles, so the collector's repeated scans of the young
    and old generations find nothing and cost about a quarter of a rebuild (0.45 s of
    1.65 s at 5,000 articles). Plain reference counting still frees everything; cycles
    are collected as usual once the build is over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def timed(stage: str, timings: dict[str, float]):
    """Add the stage's wall time to ``timings[stage]``, and log it (``brief build -v``) with
    this process's peak memory so far, so that a large build shows where time and memory go."""
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds = time.perf_counter() - start
        timings[stage] = timings.get(stage, 0.0) + seconds
        log.debug("%-14s %7.3f s   peak %6.0f MB", stage, seconds, peak_mb())


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB (0 where the platform does not say)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0.0
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 / (1024 if sys.platform == "darwin" else 1)  # macOS counts bytes
