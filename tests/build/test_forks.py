"""brief.forks: a map on forked processes gives what a one-process map gives, in order."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from brief import forks


def _square_with_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _fails_at_seven(n: int) -> int:
    if n == 7:
        raise ValueError("seven")
    return n


@pytest.mark.skipif(not forks.can_fork(), reason="needs fork")
def test_fork_iter_yields_every_result_in_order_from_workers() -> None:
    items = list(range(53))
    got = list(forks.fork_iter(_square_with_pid, items, workers=2, chunk=5))
    assert [square for square, _ in got] == [n * n for n in items]
    assert any(pid != os.getpid() for _, pid in got)  # made by workers, not here
    assert forks._task is None


@pytest.mark.skipif(not forks.can_fork(), reason="needs fork")
def test_fork_iter_reports_progress_as_chunks_come_back() -> None:
    seen: list[int] = []
    list(forks.fork_iter(_square_with_pid, range(20), workers=2, chunk=6, done=seen.append))
    assert seen == [6, 12, 18, 20]


@pytest.mark.skipif(not forks.can_fork(), reason="needs fork")
def test_a_consumer_that_stops_early_leaves_no_task_behind() -> None:
    results = forks.fork_iter(_square_with_pid, range(40), workers=2, chunk=4)
    assert next(results)[0] == 0
    results.close()  # (a caller that raised while consuming)
    assert forks._task is None
    assert [square for square, _ in forks.fork_map(_square_with_pid, [3, 4], workers=2, chunk=1)] == [9, 16]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_error_is_raised_in_the_caller(workers: int) -> None:
    with pytest.raises(ValueError, match="seven"):
        list(forks.fork_iter(_fails_at_seven, range(10), workers=workers, chunk=2))
    assert forks._task is None


def test_one_worker_maps_here_in_order() -> None:
    assert forks.fork_map(_square_with_pid, [1, 2, 3], workers=1, chunk=1) == [(n * n, os.getpid()) for n in (1, 2, 3)]


# --- fork_call: one call in a process of its own ---------------------------------------------

_needs_fork = pytest.mark.skipif(not forks.can_fork(), reason="needs fork")


@_needs_fork
def test_fork_call_returns_what_the_call_returned_in_another_process() -> None:
    running = forks.fork_call(lambda: (os.getpid(), [n * n for n in range(1000)], b"x" * 300_000))
    assert running is not None
    pid, squares, blob = running.result()  # type: ignore[misc]
    assert pid != os.getpid() and squares[999] == 998_001 and blob == b"x" * 300_000


@_needs_fork
def test_a_result_larger_than_the_shared_memory_comes_through_the_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("brief.forks.SHARED", 4096)
    running = forks.fork_call(lambda: "y" * 200_000)
    assert running is not None and running.result() == "y" * 200_000


@_needs_fork
def test_a_call_that_raises_or_dies_gives_none_and_leaves_no_process() -> None:
    def fails() -> int:
        raise ValueError("in the child")

    def dies() -> int:
        os._exit(9)

    for function in (fails, dies):
        running = forks.fork_call(function)
        assert running is not None
        pid = running.pid
        assert running.result() is None
        forks.reap()  # (the process may still be leaving: waited for)
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped


@_needs_fork
def test_a_cancelled_call_is_ended_at_once() -> None:
    import time

    running = forks.fork_call(lambda: time.sleep(60))
    assert running is not None
    pid = running.pid
    started = time.monotonic()
    running.cancel()
    assert time.monotonic() - started < 5
    forks.reap()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    assert running.result() is None  # (asked after all: nothing)


@_needs_fork
def test_every_process_of_a_call_is_reaped_once_it_has_left() -> None:
    """The result is read as soon as it is sent (the process closes its end of the pipe then:
    a gain in time, which no test here asserts), and the process is reaped once it has left:
    by :func:`forks.reap` at the latest (at exit)."""
    pids = []
    for value in range(3):
        running = forks.fork_call(lambda value=value: value)
        assert running is not None
        pids.append(running.pid)
        assert running.result() == value
    forks.reap()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


@_needs_fork
def test_ended_processes_are_reaped_at_exit(tmp_path) -> None:
    code = (
        "import os, atexit\n"
        "atexit.register(lambda: print(pid in forks._leaving, flush=True))\n"  # (run last: after forks' own)
        "import time\n"
        "from brief import forks\n"
        "running = forks.fork_call(lambda: time.sleep(60))\n"
        "pid = running.pid\n"
        "running.cancel()\n"  # (killed: still leaving as the call returns, nearly always)
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert done.stdout.strip() == "False", done.stdout + done.stderr


def test_fork_call_declines_in_a_process_with_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("brief.forks.threading.active_count", lambda: 2)
    assert forks.fork_call(lambda: 1) is None


def _pool_squares() -> list[int]:
    import multiprocessing

    for _ in range(30):  # (a worker left waiting for the queue's lock when the pool ends: not every time)
        with multiprocessing.get_context("fork").Pool(2) as pool:  # (leaving it ends the workers by SIGTERM)
            found = pool.map(abs, range(-40, 0), chunksize=3)
    return found


@_needs_fork
@pytest.mark.timeout(60)
def test_a_forked_call_may_use_a_pool_of_its_own() -> None:
    """The process of a related scoring that scores everything uses a pool (brief.site.related):
    its workers are ended by SIGTERM, which the process must not leave ignored for them."""
    running = forks.fork_call(_pool_squares)
    assert running is not None
    assert running.result() == list(range(40, 0, -1))
