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

import atexit
import logging
import mmap
import os
import pickle
import signal
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from typing import Any, Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

log = logging.getLogger(__name__)

MAX_WORKERS = 8

_task: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The running map (function, items), inherited by the forked workers."""


def can_fork() -> bool:
    """Whether processes can be forked here (multiprocessing's "fork" start method: every
    system but Windows). Asked without importing multiprocessing, which is imported where a
    pool is made: a cached build after an edit makes none, and saves its import (7 ms)."""
    return hasattr(os, "fork")


def may_fork_helper() -> bool:
    """Whether this process may fork a helper process (:func:`fork_process`): the system
    forks and can hold signals back, and no other thread runs (forking beside threads is
    unsafe: a lock one holds stays held in the copy)."""
    return can_fork() and hasattr(signal, "pthread_sigmask") and threading.active_count() == 1


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


SHARED = 64 << 20
"""Room for a forked call's result in memory shared with its parent (:func:`fork_call`):
reserved, not used, until the process writes it. A larger result goes through the pipe."""


class Pending(Generic[R]):
    """A call running in a process of its own (:func:`fork_call`)."""

    def __init__(self, pid: int, fd: int, shared: mmap.mmap) -> None:
        self.pid = pid
        self._fd, self._shared = fd, shared
        self._ended = weakref.finalize(self, _end, pid, fd, shared)

    def result(self) -> R | None:
        """Wait for the call's return value; None when the process sent none (the call
        raised, or the process was killed). The process is then ended."""
        data = bytearray()
        try:
            while chunk := os.read(self._fd, 1 << 20):
                data += chunk
            if len(data) == 8:  # (only the size: the result is in the shared memory)
                size = int.from_bytes(data, "little")
                if 0 < size <= SHARED:
                    return pickle.loads(memoryview(self._shared)[:size])  # (from our own child: data it pickled)
            elif len(data) > 8 and data[:8] == b"\0" * 8:
                return pickle.loads(memoryview(data)[8:])
            log.debug("a forked call sent no result (%d bytes)", len(data))
            return None
        except OSError:
            return None
        finally:
            self.cancel()

    def cancel(self) -> None:
        """End the process, whatever it has not sent."""
        self._ended()


def fork_call(function: Callable[[], R]) -> Pending[R] | None:
    """Start ``function()`` in a forked process (a copy of this one: it needs nothing sent);
    its return value is pickled back when asked for (:meth:`Pending.result`), through
    memory the two share (a pipe would hold the process until its parent reads: 5 MB
    took 10 ms there). None where this system cannot fork, or this process has threads
    (forking one is unsafe): the caller then calls ``function`` itself. The process
    ignores Ctrl-C (the caller is told of it, and ends it): it is killed when the caller
    asks for its result, cancels it, or drops it."""
    if not may_fork_helper():
        return None
    try:
        shared = mmap.mmap(-1, SHARED)
    except OSError:
        return None
    read, write = os.pipe()

    def send() -> int:
        os.close(read)
        data = pickle.dumps(function(), protocol=pickle.HIGHEST_PROTOCOL)
        if len(data) <= SHARED:
            shared[: len(data)] = data
            message = len(data).to_bytes(8, "little")
        else:
            message = b"\0" * 8 + data
        view = memoryview(message)
        while view:
            view = view[os.write(write, view) :]
        os.close(write)  # (the parent reads to the pipe's end: now, not once this process has left)
        return 0

    # (ended by SIGTERM: a pool it makes ends its workers so, and they would inherit it ignored)
    pid = fork_process(send, ends_on_term=True)
    os.close(write)
    if pid < 0:
        os.close(read)
        shared.close()
        return None
    return Pending(pid, read, shared)


def fork_process(run: Callable[[], int], ends_on_term: bool = False) -> int:
    """Fork a process that calls ``run()`` and leaves with what it returns (1 when it raised),
    running nothing else of this process's (no exit handlers, no output buffers flushed);
    returns its pid, or -1 when none could be forked. Ctrl-C and SIGTERM are held back while
    forking, so that neither lands in either process in the middle of the fork. The process
    ignores Ctrl-C, which reaches the whole process group: this one is told, and ends it (or
    lets it finish its task). It ignores SIGTERM too, unless it ``ends_on_term``: then SIGTERM
    ends it without running any handler of this process's, and the processes it forks (a
    multiprocessing pool's workers, which a pool ends so) do not inherit it ignored."""
    if not can_fork() or not hasattr(signal, "pthread_sigmask"):
        return -1
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pid = os.fork()
    except OSError:
        pid = -1
    if pid == 0:
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            signal.signal(signal.SIGTERM, signal.SIG_DFL if ends_on_term else signal.SIG_IGN)
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            code = run()
        finally:
            os._exit(code)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    return pid


def end_process(pid: int, fd: int) -> None:
    """Close the pipe ``fd`` from a process this one forked, then kill the process, whatever
    it is doing (what it has not sent is not wanted). It is reaped once it has left: now if
    it has, else by a later call or :func:`reap` (a large process takes a while to leave,
    and nothing here needs to wait for it: 15 ms of each edit's build, for the related
    scoring's process)."""
    with suppress(OSError):
        os.close(fd)
    with suppress(OSError):
        os.kill(pid, signal.SIGKILL)  # (not reaped yet: the pid is still its own)
    _leaving.add(pid)
    _reap_left(os.WNOHANG)


_leaving: set[int] = set()
"""Processes killed and not yet reaped (their pids stay theirs until they are)."""


def reap() -> None:
    """Reap every process :func:`end_process` ended, waiting for the ones still leaving (at
    exit: none is left behind)."""
    _reap_left(0)


def _reap_left(flags: int) -> None:
    for pid in list(_leaving):
        try:
            done, _ = os.waitpid(pid, flags)
        except ChildProcessError:  # (not this process's child: a copy of it forked meanwhile)
            done = pid
        if done:
            _leaving.discard(pid)


atexit.register(reap)


def _end(pid: int, fd: int, shared: mmap.mmap) -> None:
    end_process(pid, fd)
    with suppress(BufferError):
        shared.close()
