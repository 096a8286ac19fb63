"""Work on every core for ``brief build``: a function mapped over chunks by forked processes.

The stages before page rendering (reading and validating the article files, their
Markdown) are pure functions of one item and the build's settings, so a large site hands
them to worker processes. The workers are forked: they inherit the function's data (set
in :data:`_task` before the fork), so only each chunk's results are pickled, back to the
parent, which puts them in the order of the items: the result is the same whatever the
number of workers, and the same as a one-process run.

Only ``brief build`` writing into a folder asks for workers; the preview server, which
has threads, never forks (``workers`` is 1 there).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_WORKERS = 8

_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The running map (function, items), inherited by the forked workers."""


def can_fork() -> bool:
    """Whether processes can be forked here (multiprocessing's "fork" start method: every
    system but Windows). Asked without importing multiprocessing, which is imported where a
    pool is made: a cached build after an edit makes none, and saves its import (7 ms)."""
    return hasattr(os, "fork")


def cores() -> int:
    """The cores this process may run on."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(count, MAX_WORKERS))


def fork_map(
    function: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    chunk: int,
    done: Callable[[int], None] | None = None,
) -> list[R]:
    """``[function(item) for item in items]``, computed by ``workers`` forked processes in
    chunks of ``chunk`` items (in this process when one worker would do or forking is not
    possible). ``done`` is called with the items finished so far, as chunks come back.

    An exception in a worker is raised here, as it would be in a one-process run."""
    return list(fork_iter(function, items, workers, chunk, done))


def fork_iter(
    function: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    chunk: int,
    done: Callable[[int], None] | None = None,
) -> Iterator[R]:
    """:func:`fork_map` one result at a time, in the order of ``items``, each as soon as its
    chunk is back: a caller that keeps only a digest of each result never holds them all."""
    global _task
    if workers <= 1 or len(items) <= chunk or not can_fork():
        for n, item in enumerate(items, 1):
            yield function(item)
            if done is not None and (n % chunk == 0 or n == len(items)):
                done(n)
        return
    bounds = [(lo, min(lo + chunk, len(items))) for lo in range(0, len(items), chunk)]
    finished = 0
    _task = (function, items)
    try:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
            for part in pool.imap(_run_range, bounds):  # in order: the result does not depend on timing
                finished += len(part)
                if done is not None:
                    done(finished)
                yield from part
    finally:
        _task = None


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers and cleans up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_range(bounds: tuple[int, int]) -> list[Any]:
    assert _task is not None
    function, items = _task
    return [function(items[i]) for i in range(*bounds)]
