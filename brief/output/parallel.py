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

import contextlib
import os
import signal
from collections.abc import Callable

import jinja2

from brief.errors import BriefError, Problem
from brief.forks import can_fork, cores
from brief.output.search import SearchFeed, put_part
from brief.output.staged import make_folder_of, write_file
from brief.output.writers import OutputWriter
from brief.render.plans import PageSpec

PARALLEL_MIN_PAGES = 500
"""Below this many pages a single process is faster than starting workers. Measured with
benchmarks/ab.py (cold, 6 runs each) against 2,000 before: the pages stage of 1,000
articles' 1,722 pages 0.53 -> 0.35 s, of 300 articles' 0.17 -> 0.13 s."""
CHUNK = 250
"""Pages per task: small enough to balance the workers, large enough to keep overhead low."""
YIELD_NICENESS = 10
"""The workers' priority (``nice``) once Pagefind runs beside them."""

_job: tuple | None = None
"""The running parallel render (pages, environment, template digests, writer, the search
folder and the pages to index), inherited by forked workers."""


def worker_count(items: int, jobs: int | None, minimum: int = PARALLEL_MIN_PAGES) -> int:
    """Processes to work on ``items`` with: ``jobs`` if given, else every core when there are
    at least ``minimum`` items and one otherwise."""
    if jobs is not None:
        return max(1, jobs)
    return cores() if items >= minimum and can_fork() else 1


def render_parallel(
    jobs: list[tuple[PageSpec, str]],
    env: jinja2.Environment,
    templates: dict[str, bytes] | None,
    writer: OutputWriter,
    workers: int,
    progress: Callable[[str, int, int], None] | None = None,
    view_keys: dict[int, bytes] | None = None,
    search: SearchFeed | None = None,
    kept: set[int] | None = None,
) -> tuple[int, list[Problem]]:
    """Process every ``(spec, reserved staging path)`` with ``workers`` processes: build the
    context, and (with ``templates``, the template digests of a cached build) reuse the
    previous build's file when the page's key is unchanged, else render and write it; and
    put the part of it to index into ``search``'s folder when it is a page to index.

    Records each page's key in ``writer`` and tells ``search`` of each page, in the order of
    ``jobs`` whatever order the workers finish in. Returns the pages done and the template
    problems (each once, in a stable order). ``kept``: the positions in ``jobs`` of the pages
    whose key is known to be the previous build's without making it (brief.render.pagedeps).
    Raises :class:`BriefError` when a worker cannot write."""
    global _job, _known_views
    found = (search.folder, search.wanted) if search is not None else None
    _job = (jobs, env, templates, writer, found, kept or set())
    _known_views = dict(view_keys or {})  # inherited by the workers
    done = 0
    problems: list[Problem] = []
    finished: dict[int, tuple[int, set[int]]] = {}  # ranges not yet told to ``search``: start → (end, parts put)
    told = 0
    yielded = False
    try:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        ranges = [(lo, min(lo + CHUNK, len(jobs))) for lo in range(0, len(jobs), CHUNK)]
        with context.Pool(workers, initializer=_worker_start) as pool:
            for (lo, hi), count, reused, keys, parts, found, same, error in pool.imap_unordered(_process_range, ranges):
                if error is not None:
                    raise BriefError(error)
                done += count
                writer.reused += reused
                writer.kept_by_workers(jobs[i][0].output for i in same)
                for i, key in keys:
                    writer.keys[jobs[i][0].output] = key
                problems += [p for p in found if p not in problems]
                finished[lo] = (hi, set(parts))
                while search is not None and told in finished:
                    end, put = finished.pop(told)
                    for i in range(told, end):
                        search.done(jobs[i][0].output, put=i in put)
                    told = end
                    if search.indexing and not yielded:
                        yielded = _yield_to_indexer()
                if progress is not None:
                    progress("Writing pages", done, len(jobs))
    finally:
        _job, _known_views = None, {}
    return done, sorted(problems, key=lambda p: p.sort_key)


_known_views: dict[int, bytes] = {}
_made: set[str] = set()
"""Staging folders this worker has made (each worker makes the folders of its pages)."""


def _yield_to_indexer() -> bool:
    """Lower the workers' priority: once Pagefind runs (on the pages to index, which come
    first), the rest of the site has time to render while it indexes, and Pagefind, which
    then writes its bundle on one core, is what the build waits for (10,000 articles on
    2 cores: 1 s sooner)."""
    import multiprocessing

    for child in multiprocessing.active_children():
        if child.pid is not None:
            with contextlib.suppress(OSError):  # (gone already)
                os.setpriority(os.PRIO_PROCESS, child.pid, YIELD_NICENESS)
    return True


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the parent stops the workers and cleans up,
    # so the workers themselves must not each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _process_range(bounds: tuple[int, int]):
    from brief.render.keys import page_key
    from brief.render.templates import render_page

    assert _job is not None
    jobs, env, templates, writer, search, kept = _job
    done = reused = 0
    keys: list[tuple[int, bytes]] = []
    parts: list[int] = []  # pages whose part to index was put into the search folder
    same: list[int] = []  # pages whose file is the previous build's own (its stamp the recorded one)
    problems: list[Problem] = []
    known = _known_views  # a view shared by pages of several ranges is digested once per worker
    spare = writer.from_spare
    try:
        for i in range(*bounds):
            spec, target = jobs[i]
            key = writer.previous[spec.output][0] if i in kept and writer.previous else None
            context = (
                None if (spec.inputs is not None or key is not None) and templates is not None else spec.get_context()
            )
            if key is None and templates is not None:
                key = page_key(spec, context, templates, known)
            if key is not None:
                keys.append((i, key))
                linked = writer.link_previous(spec.output, key, target)
                if linked is not None:
                    if linked:
                        same.append(i)
                    if search is not None and spec.output in search[1]:  # (the index may be rebuilt all the same)
                        put_part(search[0], spec.output, _read(target))
                        parts.append(i)
                    reused += 1
                    done += 1
                    continue
            data = render_page(env, spec, context if context is not None else spec.get_context(), problems)
            if data is None:
                continue
            make_folder_of(spec.output, target, _made, spare)
            write_file(target, spec.output, data)
            if search is not None and spec.output in search[1]:
                put_part(search[0], spec.output, data)
                parts.append(i)
            done += 1
    except BriefError as exc:
        return bounds, done, reused, keys, parts, problems, [], exc.message
    return bounds, done, reused, keys, parts, problems, same, None
