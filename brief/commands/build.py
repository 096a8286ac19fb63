"""``brief build``: the build with its on-disk cache, and "up to date" without building.

In: the config and the command's options. Out: :class:`Outcome`, either the
:class:`~brief.build.BuildResult` of a build, or the number of files of an
output that nothing has changed since the last build (checked before the heavy
modules are even imported). The cache is loaded from ``.brief-cache/`` first and
saved after a successful build, while the previous output is removed on a thread.
Only this command keeps the site's URL ledger (``published-urls.txt``, brief.content.ledger)
and records when it built and what changes next (``.brief-cache/last-build.json``, read by
``brief schedule --due`` and by the next "up to date" answer).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from brief.commands.schedule import change_record, first_moment, iso, valid_record
from brief.config import Config
from brief.content.dates import current_time
from brief.errors import Problem
from brief.lookahead import look_ahead
from brief.manifest import input_folders, last_build, record_build, site_key, up_to_date
from brief.settings import CACHE_DIR
from brief.stamps import take_stamps
from brief.timing import cyclic_gc_paused

if TYPE_CHECKING:  # the build's modules are imported only when there is something to build
    from brief.build import BuildResult


@dataclass
class Outcome:
    result: BuildResult | None
    """The build's result; None when the output was up to date."""
    unchanged: int = 0
    """Files in the output that was up to date."""
    checked_in: float = 0.0
    """Seconds the up-to-date check took."""
    next_changes: list[dict] | None = field(default=None)
    """The changes at the first moment ahead, as :func:`~brief.commands.schedule.change_record`
    makes them (empty: none ahead); None when not known (an output up to date with a build
    that recorded none)."""
    kept: object = field(default=None, repr=False, compare=False)
    """What the build loaded and made (its cache), held until whoever runs the build lets the
    outcome go: the command then ends at once (brief.cli), where freeing it object by object
    on return took 10,000 articles 0.04 s."""


def build_site(
    config: Config,
    out: Path,
    *,
    drafts: bool = False,
    future: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
    link_check: bool = True,
    now: datetime | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    on_warning: Callable[[Problem], None] | None = None,
) -> Outcome:
    """Build ``config`` into ``out`` unless nothing changed since the last build there.
    Raises :class:`~brief.errors.BuildFailed`."""
    # A build makes hardly any reference cycles: the collector's scans find nothing and cost
    # time (reading 10,000 articles' rows from the cache: 0.45 s with them, 0.25 s without).
    with cyclic_gc_paused():
        now = now or current_time()
        folders = input_folders(config)
        stamps = None
        if use_cache:
            started = time.perf_counter()
            check = up_to_date(config.root, site_key(config, drafts, future, link_check), out, folders, now.timestamp())
            if check.unchanged is not None:
                return Outcome(
                    None, check.unchanged, time.perf_counter() - started, _recorded(config, out, drafts, future)
                )
            # The build records the stamps of its inputs, taken before it reads any (by the
            # check, unless it stopped at a changed input before walking the folders).
            stamps = check.stamps or take_stamps(folders)
        # Meanwhile, another process checks the last build's files (brief.lookahead).
        ahead = look_ahead(config.root / CACHE_DIR, config.root / out) if use_cache else None
        from brief.build import BuildOptions, build
        from brief.bytecode import SignedBytecode
        from brief.cache import BuildCache
        from brief.output.outdir import finish_cleanups
        from brief.site.scorer import start_scorer
        from brief.timing import timed

        cache = BuildCache.load(config.root, ahead) if use_cache else BuildCache()
        scorer = start_scorer(cache.related, cache.content.articles, config, now) if use_cache else None
        compiled = None
        if use_cache:
            compiled = cache.templates.bytecode = SignedBytecode.of_site(config.root)
        try:
            result = build(
                config,
                out,
                BuildOptions(
                    drafts=drafts,
                    future=future,
                    now=now,
                    progress=progress,
                    jobs=jobs,
                    cache=cache,
                    background_cleanup=True,
                    save_ahead=True,
                    link_check=link_check,
                    ledger=True,
                    stamps=stamps,
                    lookahead=ahead,
                    scorer=scorer,
                ),
                on_warning=on_warning,
            )
            with timed("cache save", result.timings):
                result.state = None  # (nothing reads it after a build here: its memory goes to the save)
                cache.release()
                cache.save(config.root)  # meanwhile the previous output is removed in the background
                if compiled is not None:
                    compiled.flush()
            upcoming = _record(config, out, now, drafts, future, result.upcoming)
        finally:
            if ahead is not None:
                ahead.close()
            if scorer is not None:
                scorer.cancel()
            finish_cleanups()
        return Outcome(result, next_changes=upcoming, kept=cache)


def _record(config: Config, out: Path, now: datetime, drafts: bool, future: bool, changes: tuple) -> list[dict]:
    """Record the build (brief.manifest.record_build); returns the changes at the first moment ahead."""
    first = first_moment([change_record(change, config) for change in changes])
    record = {"built": iso(now), "output": str(out), "drafts": drafts, "future": future, "next_changes": first}
    record_build(config.root, record)
    return first


def _recorded(config: Config, out: Path, drafts: bool, future: bool) -> list[dict] | None:
    """The next changes recorded by the last build, when it was the build of this output with these options."""
    record = last_build(config.root)
    if record is None or (record.get("output"), record.get("drafts"), record.get("future")) != (
        str(out),
        drafts,
        future,
    ):
        return None
    ahead = record.get("next_changes")
    return ahead if isinstance(ahead, list) and all(map(valid_record, ahead)) else None
