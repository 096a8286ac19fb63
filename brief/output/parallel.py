"""Rendering pages on every core.

Rendering is most of a large build and each page is independent, so ``brief build``
forks worker processes once the index and the Markdown are done. The workers
inherit the whole site (specs, views, compiled templates) from the fork, so no
page data is pickled: each gets a range of page numbers, renders those pages and
writes them straight into the staging folder, whose paths the parent has already
reserved (so clashes are still found in one place). What comes back is a count
and any template problems. Output is byte-identical to a one-process build:
rendering is a pure function of a page's template and context.

Only ``brief build`` writing to a folder uses workers; the preview server, which
has threads, never forks.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable
from pathlib import Path

import jinja2

from brief.errors import BriefError, Problem
from brief.output.writers import OutputWriter, write_file
from brief.render.plans import PageSpec

PARALLEL_MIN_PAGES = 2000
"""Below this many pages a single process is faster than starting workers."""
CHUNK = 250
"""Pages per task: small enough to balance the workers, large enough to keep overhead low."""
MAX_WORKERS = 8

_job: tuple | None = None
"""The running parallel render (pages, environment, template digests, writer), inherited by
forked workers."""


def worker_count(items: int, jobs: int | None, minimum: int = PARALLEL_MIN_PAGES) -> int:
    """Processes to work on ``items`` with: ``jobs`` if given, else every core when there are
    at least ``minimum`` items and one otherwise."""
    if jobs is not None:
        return max(1, jobs)
    if items < minimum or not _can_fork():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_WORKERS))


def render_parallel(
    jobs: list[tuple[PageSpec, Path]],
    env: jinja2.Environment,
    templates: dict[str, bytes] | None,
    writer: OutputWriter,
    workers: int,
    progress: Callable[[str, int, int], None] | None = None,
    view_keys: dict[int, bytes] | None = None,
) -> tuple[int, list[Problem]]:
    """Process every ``(spec, reserved staging path)`` with ``workers`` processes: build the
    context, and (with ``templates``, the template digests of a cached build) reuse the
    previous build's file when the page's key is unchanged, else render and write it.

    Records each page's key in ``writer``; returns the pages done and the template problems
    (each once, in a stable order). Raises :class:`BriefError` when a worker cannot write."""
    global _job, _known_views
    _job = (jobs, env, templates, writer)
    _known_views = dict(view_keys or {})  # inherited by the workers
    done = 0
    problems: list[Problem] = []
    try:
        context = multiprocessing.get_context("fork")
        ranges = [(lo, min(lo + CHUNK, len(jobs))) for lo in range(0, len(jobs), CHUNK)]
        with context.Pool(workers, initializer=_worker_start) as pool:
            for count, reused, keys, found, error in pool.imap_unordered(_process_range, ranges):
                if error is not None:
                    raise BriefError(error)
                done += count
                writer.reused += reused
                for i, key in keys:
                    writer.keys[jobs[i][0].output] = key
                problems += [p for p in found if p not in problems]
                if progress is not None:
                    progress("Writing pages", done, len(jobs))
    finally:
        _job, _known_views = None, {}
    return done, sorted(problems, key=lambda p: p.sort_key)


_known_views: dict[int, bytes] = {}


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers and cleans up,
    # so the workers themselves must not each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _process_range(bounds: tuple[int, int]):
    from brief.render.keys import page_key
    from brief.render.templates import render_page

    assert _job is not None
    jobs, env, templates, writer = _job
    done = reused = 0
    keys: list[tuple[int, bytes]] = []
    problems: list[Problem] = []
    known = _known_views  # a view shared by pages of several ranges is digested once per worker
    try:
        for i in range(*bounds):
            spec, target = jobs[i]
            context = None if spec.inputs is not None and templates is not None else spec.get_context()
            key = page_key(spec, context, templates, known) if templates is not None else None
            if key is not None:
                keys.append((i, key))
                if writer.link_previous(spec.output, key, target):
                    reused += 1
                    done += 1
                    continue
            data = render_page(env, spec, context if context is not None else spec.get_context(), problems)
            if data is None:
                continue
            write_file(target, spec.output, data)
            done += 1
    except BriefError as exc:
        return done, reused, keys, problems, exc.message
    return done, reused, keys, problems, None
