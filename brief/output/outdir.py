"""The output folder's life around a build: which folder may be replaced, one build at a
time, the atomic exchange of the new site for the old, and the removal of what the old
one (or a killed build) left beside it. brief.output.writers writes into the staging folder."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import threading
from collections.abc import Callable
from contextlib import contextmanager, suppress
from functools import lru_cache, partial
from pathlib import Path

from brief.errors import BriefError
from brief.forks import fork_process

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def check_output_dir(out_dir: Path, root: Path, sources: list[Path]) -> None:
    """Refuse an output folder whose replacement would destroy the user's own files."""
    out = out_dir.resolve()
    root = root.resolve()
    if out == root or root.is_relative_to(out):
        raise BriefError(
            f"output folder {out_dir} is the site folder or contains it; choose a folder such as {root / 'public'}"
        )
    for source in sources:
        src = source.resolve()
        if out == src or out.is_relative_to(src) or src.is_relative_to(out):
            raise BriefError(
                f"output folder {out_dir} overlaps the source folder {source}; choose a separate folder such as {root / 'public'}"
            )
    if out.exists() and not out.is_dir():
        raise BriefError(f"output path {out_dir} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        raise BriefError(
            f"output folder {out_dir} is not empty and does not look like a built site (no index.html); "
            "refusing to replace it. Remove it or choose another folder"
        )


_cleanups: list[threading.Thread | int] = []
"""Work on previous outputs under way (see :func:`in_background`): threads, or forked processes (by pid)."""


@contextmanager
def output_lock(out_dir: Path, on_wait=None):
    """Hold an exclusive lock for a build into ``out_dir`` (an advisory ``flock`` on the folder
    that holds it: staging, swap and leftovers all live there). A second build into the same
    place waits for the first, after saying so through ``on_wait``; both then complete."""
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(parent, os.O_RDONLY)
    except OSError:
        yield  # the writer reports the folder's problem clearly
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"Another brief build is writing into {parent}; waiting for it to finish")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def finish_cleanups() -> None:
    """Wait until previous outputs being removed in the background are gone. (The threads are
    not daemons: the interpreter waits for them at exit anyway; a build killed meanwhile leaves
    a staging folder that the next build removes.)"""
    while _cleanups:
        cleanup = _cleanups.pop()
        if isinstance(cleanup, int):
            with suppress(ChildProcessError):
                os.waitpid(cleanup, 0)
        else:
            cleanup.join()


def remove_previous(folder: Path, background: bool) -> None:
    """Remove the previous output after the exchange, now or in the background (see
    :func:`in_background`)."""
    in_background(partial(shutil.rmtree, folder, ignore_errors=True), background, "remove previous output")


def in_background(task: Callable[[], object], background: bool, name: str) -> None:
    """Run ``task`` (work on the previous output after the exchange) now, or in the
    background: then the CLI waits for it with :func:`finish_cleanups` after saving the
    cache. In the background means a forked process where the platform forks: removing
    16,000 files from Python on a thread holds the interpreter lock long enough to slow the
    cache's saving by half (10,000 articles: 0.6 s against 0.35 s), while a process of its
    own runs on the other core. ``task`` must not raise."""
    if not background:
        task()
        return

    def run() -> int:  # (the process ignores Ctrl-C and SIGTERM: the task finishes; the parent reports)
        task()
        return 0

    pid = fork_process(run)  # (-1 where this system does not fork)
    if pid > 0:
        _cleanups.append(pid)
        return
    cleanup = threading.Thread(target=task, name=name)
    cleanup.start()
    _cleanups.append(cleanup)


def remove_dead_staging(out_dir: Path) -> None:
    """Staging folders of builds that were killed (their process is gone) are removed."""
    for leftover in out_dir.parent.glob(f".{out_dir.name}.tmp-*") if out_dir.parent.is_dir() else ():
        pid = leftover.name.rpartition("-")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


@lru_cache(maxsize=1)
def _renameat2() -> Callable[..., int] | None:
    """The C library's renameat2, from the symbols this process has loaded already (not
    ``ctypes.util.find_library``, which runs ``ldconfig -p`` in a forked process: 10 ms of
    every build, and a fork of the whole build); None where there is none (not Linux)."""
    import ctypes  # (here: most commands never swap a folder)

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    return renameat2


_swapped: list[Path] = []
"""Output folders into which this process has swapped a new site."""


def swapped_outputs() -> tuple[Path, ...]:
    """The output folders this process has put a new site into: what a message about an
    interrupted build must say is in place."""
    return tuple(_swapped)


def swap_in(staging: Path, out_dir: Path) -> Path | None:
    """Put the site in ``staging`` in place of ``out_dir``; returns where the previous site
    now is (to be removed), or None when there was none. Ctrl-C is held back until the swap
    and its record are both done, so an interrupt never leaves them disagreeing."""
    with _interrupts_held():
        if not out_dir.exists():
            os.rename(staging, out_dir)
            _swapped.append(out_dir)
            return None
        if exchange(staging, out_dir):
            _swapped.append(out_dir)
            return staging
        old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
        os.rename(out_dir, old)
        os.rename(staging, out_dir)
        _swapped.append(out_dir)
        return old


@contextmanager
def _interrupts_held():
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are delivered to the main thread only
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def recover_interrupted_swap(out_dir: Path) -> None:
    """If a build died between the two renames of the fallback swap, put the old site back."""
    if out_dir.exists():
        return
    leftovers = sorted(out_dir.parent.glob(f".{out_dir.name}.old-*")) if out_dir.parent.is_dir() else []
    if leftovers:
        os.rename(leftovers[-1], out_dir)
