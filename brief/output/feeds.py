"""The feeds' files: written in the feeds stage, or made ahead, on the other core, while the
main process plans the pages.

Once every article's view is made, a cold build's main process spends its next half second
(10,000 articles; 5 s at 100,000) planning the pages and checking links on one core, and
then half a second more making the feeds on one core as well. Making the feeds needs only the
site index, the views and the build's time, so ``brief build`` forks one process for them as
soon as the views are made: it writes each feed that the previous build's output lacks (by
key) into a work folder beside the output folder, and the feeds stage moves those files into
the staging folder instead of making them (:func:`write_feeds`). The bytes are those the
main process would make (the same function over a forked copy of the same objects).

A build whose checks fail stops the process and removes the folder before it reports them
(:func:`cancel`); one stopped otherwise (an exception, Ctrl-C) does when the object is
dropped, or at the latest when the command ends. The folder of a build that was killed is
removed by the next one, as its staging folder is (brief.output.outdir.remove_dead_staging:
the same name pattern).
"""

from __future__ import annotations

import os
import shutil
import signal
import weakref
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from brief.errors import Problem, errors_in
from brief.forks import can_fork
from brief.output.parallel import worker_count
from brief.output.writers import MemoryWriter, OutputWriter
from brief.render.contract import ArticleView
from brief.render.feeds import feed_plan
from brief.site.model import Site

MIN_ARTICLES = 500
"""From this many articles a build makes its feeds ahead (below, forking costs about what it
saves). Against 2,000 before (benchmarks/ab.py, cold, 6 runs each): the feeds stage of 600
articles 0.16 -> 0.01 s, of 1,000 articles 0.24 -> 0.01 s."""
MIN_FEEDS = 50
"""And only when it has this many feeds to make: a cached build after an edit makes a few (a
process for them slowed such a build of 10,000 articles by 0.05 s)."""

_job: tuple | None = None
"""What the forked process makes (it inherits it): the feeds to make, planned, and the work folder."""


def feeds_ahead(
    site: Site,
    views: Mapping[str, ArticleView],
    now: datetime,
    keys: Callable[[str], bytes] | None,
    jobs: int | None,
    previous: dict[str, tuple[bytes, Any]] | None,
    out: Path | None,
    problems: list[Problem],
) -> FeedsAhead | None:
    """The feeds made by a process of their own while the pages are planned, for a site of
    :data:`MIN_ARTICLES` or more built into the folder ``out`` on more than one core
    (``jobs``) with :data:`MIN_FEEDS` or more feeds to make (by key, against the
    ``previous`` build's outputs), while no error is found; None otherwise (the feeds stage
    makes them)."""
    if out is None or keys is None or worker_count(len(site.articles), jobs, MIN_ARTICLES) < 2:
        return None
    if errors_in(problems) or not can_fork():
        return None
    last = previous or {}
    plan = feed_plan(site, views, now, None, keys)
    todo = [(rel, key, make) for rel, key, make in plan if key is not None and last.get(rel, (None,))[0] != key]
    if len(todo) < MIN_FEEDS:
        return None
    folder = out.parent / f".{out.name}.tmp-feeds-{os.getpid()}"  # (removed after a kill as staging is)
    try:
        return FeedsAhead(todo, folder)
    except OSError:  # (no room for its folder: the feeds stage makes them)
        return None


def write_feeds(
    plan: Iterable[tuple[str, bytes | None, Callable[[], bytes]]],
    writer: OutputWriter | MemoryWriter,
    ahead: FeedsAhead | None,
) -> None:
    """Every feed of ``plan`` (brief.render.feeds.feed_plan) into ``writer``: the previous
    build's file when made from the same key, else the file ``ahead`` made, else made now."""
    for relpath, key, make in plan:
        if key is not None and writer.reuse(relpath, key, "feeds"):
            continue
        if (
            key is not None
            and ahead is not None
            and ahead.adopt(relpath, key, partial(writer.adopt, relpath, origin="feeds", key=key))
        ):
            continue
        writer.write(relpath, make(), origin="feeds", key=key)
    if ahead is not None:
        ahead.close()


class FeedsAhead:
    """The feeds of one build, being made by a process of its own (see the module's doc)."""

    def __init__(self, todo: list[tuple[str, bytes, Callable[[], bytes]]], folder: Path) -> None:
        """``todo``: (output path, key, make) of each feed to make, from the feed plan
        (brief.render.feeds.feed_plan), which the process inherits. Raises OSError when the
        work folder cannot be made."""
        global _job
        self.folder = folder
        self._made: dict[str, tuple[bytes, Path]] | None = None
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        _job = (todo, folder)
        try:
            import multiprocessing

            self._pool = multiprocessing.get_context("fork").Pool(1, initializer=_ignore_sigint)
            self._result = self._pool.apply_async(_make_feeds)
        finally:
            _job = None
        # Ended when dropped too: a build whose checks fail drops it with the exception.
        self._ended = weakref.finalize(self, _end, self._pool, folder)

    def finish(self) -> None:
        """Wait for the feeds, and end the process and the threads that tend it: before the
        build forks its page workers, so that none is forked while they run. Raises what
        making the feeds raised."""
        if self._made is None:
            try:
                made = self._result.get()
            finally:
                self._pool.terminate()
                self._pool.join()
            self._made = {rel: (key, self.folder / name) for rel, key, name in made}

    def adopt(self, relpath: str, key: bytes, put: Callable[[Path], None]) -> bool:
        """Give ``put`` the file made ahead for the feed at ``relpath`` (with this ``key``), if
        there is one; whether there was. Raises what making the feeds raised."""
        self.finish()
        assert self._made is not None
        found = self._made.get(relpath)
        if found is None or found[0] != key:
            return False
        put(found[1])
        return True

    def close(self) -> None:
        """Stop the process (if it still runs) and remove the work folder."""
        self._ended()


def cancel(ahead: FeedsAhead | None) -> None:
    """Stop ``ahead``'s process and remove its folder, if there is one (a build that fails)."""
    if ahead is not None:
        ahead.close()


def _end(pool: Any, folder: Path) -> None:
    pool.terminate()
    pool.join()
    shutil.rmtree(folder, ignore_errors=True)


def _make_feeds() -> list[tuple[str, bytes, str]]:
    """In the forked process: each feed to make, written to the work folder, as (output path,
    key, file name)."""
    assert _job is not None
    todo, folder = _job
    made = []
    for n, (relpath, key, make) in enumerate(todo):
        name = f"{n}.xml"
        with open(folder / name, "wb") as file:
            file.write(make())
        made.append((relpath, key, name))
    return made


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C and stops this one
