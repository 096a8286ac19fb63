"""brief.forks: a map on forked processes gives what a one-process map gives, in order."""

from __future__ import annotations

import os

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
