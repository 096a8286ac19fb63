"""Two helpers of the build's stages: the cycle collector paused, and each stage timed."""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager


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
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
