"""The build, as a list of stages: load → validate → index → render → write.

1. ``brief.content``: every file under ``content/`` read and validated into articles;
2. ``brief.site``: the site index (sections, tags, authors, related articles);
3. ``brief.render``: every article's Markdown once (images only planned, from their
   headers), then the page plans; once every input is checked, the images' copies made
   (``brief.media.copies``), each page through Jinja, feeds and sitemaps;
4. ``brief.output``: written into a staging folder (or kept in memory) and swapped
   into place; the search index made from the written pages.

Everything is gathered and checked before anything is written (brief.buildcheck): when
any file has an error, every problem is reported together and the output folder is not
touched. The clock is read once, here, and passed down. A finished build hands its
consumers (the preview, ``brief check``) a typed :class:`BuildState`; the preview shows a
one-article edit at once through :func:`brief.edit.render_article_page`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import jinja2

from brief.buildcheck import Checked, check_inputs
from brief.buildtypes import BuildOptions, BuildResult, BuildState
from brief.config import Config
from brief.content.dates import current_time
from brief.content.ledger import ledger_file
from brief.errors import BuildFailed, Problem
from brief.manifest import input_folders, site_key
from brief.media.images import prune_cache as prune_images
from brief.output.feeds import write_feeds
from brief.output.outdir import check_output_dir, output_lock
from brief.output.pages import copy_files, render_and_write
from brief.output.redirects import publish_redirects, write_plan_ledger
from brief.output.search import SearchFeed
from brief.output.spare import SPARES, spares_for
from brief.output.writers import MemoryWriter, OutputWriter
from brief.render.feeds import feed_plan
from brief.render.keptpages import page_rows
from brief.render.pagedeps import PageDeps, keep_keys
from brief.render.schedule import cache_deadline, upcoming
from brief.render.standalone import searchable
from brief.render.templates import TemplateProblem
from brief.settings import CACHE_DIR
from brief.timing import cyclic_gc_paused, timed

log = logging.getLogger(__name__)


def build(
    config: Config,
    output: Path | None,
    options: BuildOptions | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    writer: MemoryWriter | None = None,
) -> BuildResult:
    """Build the site of ``config`` into ``output`` (or into ``writer``, kept in memory).

    Raises :class:`BuildFailed`."""
    with cyclic_gc_paused():
        if writer is None and output is not None:  # two builds into one place take turns
            with output_lock(output if output.is_absolute() else config.root / output, log.warning):
                return _build(config, output, options or BuildOptions(), on_warning, writer)
        return _build(config, output, options or BuildOptions(), on_warning, writer)


def _build(
    config: Config,
    output: Path | None,
    options: BuildOptions,
    on_warning: Callable[[Problem], None] | None,
    writer: MemoryWriter | None,
) -> BuildResult:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    now = options.now or current_time()
    if writer is None:
        assert output is not None
        output = output if output.is_absolute() else config.root / output
        check_output_dir(output, config.root, [config.content_dir, config.templates_dir, config.static_dir])
    cache = options.cache
    if cache is not None:
        key = site_key(config, options.drafts, options.future, options.link_check)
        cache.start(key, str(config.root), str(output) if writer is None else "", input_folders(config), options.stamps)
    checked = check_inputs(config, options, now, timings, out=output if writer is None else None)
    if on_warning:
        for warning in sorted(checked.warnings, key=lambda p: p.sort_key):
            on_warning(warning)
    target: OutputWriter | MemoryWriter
    if writer is None:
        assert output is not None
        target = _output_writer(config, output, options)
    else:
        target = writer
        if cache is not None:
            target.previous = cache.outputs
    try:
        env, pages = _publish(config, checked, target, options, now, timings)
        if cache is not None and options.save_ahead:
            cache.save_ahead(config.root)  # (its largest tables, written meanwhile by a process of its own)
        with timed("swap+ledger", timings):
            target.commit()
            if writer is None and not (options.drafts or options.future):  # (before the cache notes its stamp)
                write_plan_ledger(config.root, checked.redirects, cache.redirects if cache else None, now)
        ahead = tuple(upcoming(checked.site.all_articles.values(), now))  # (the cache's deadline is the first)
        if cache is not None:
            with timed("cache notes", timings):
                read = [source for source, _ in checked.assets.values()]
                read += [ledger_file(config.root)] if options.ledger else []
                deadline = cache_deadline(checked.site, now, drafts=options.drafts, known=ahead)
                cache.finish(target.outputs(), read, deadline, target.spare if isinstance(target, OutputWriter) else "")
                cache.page_deps = checked.page_deps or PageDeps()
                if isinstance(target, OutputWriter):
                    prune_images(config.root, [source for source, _ in checked.assets.values()], time.time())
    except TemplateProblem as exc:
        target.abort()
        raise BuildFailed([*checked.warnings, exc.problem]) from None
    except BuildFailed as exc:  # counted with the warnings, as a failure found earlier is
        target.abort()
        raise BuildFailed([*checked.warnings, *exc.problems]) from None
    except BaseException:
        target.abort()
        raise
    state = BuildState(config, checked.site, checked.views, checked.renderer, env)
    return BuildResult(
        output,
        len(checked.site.articles),
        pages,
        target.count,
        time.perf_counter() - started,
        checked.warnings,
        timings,
        reused=target.reused,
        state=state,
        redirects=checked.redirects.moved,
        expired=len(checked.site.expired),
        now=now,
        upcoming=ahead,
    )


def _output_writer(config: Config, output: Path, options: BuildOptions) -> OutputWriter:
    """The writer of a build into ``output``; with a cache, one that stages into the spare tree
    it records, and takes the output files the checks made ahead found as recorded as such."""
    cache, ahead = options.cache, options.lookahead
    if cache is None:
        target = OutputWriter(output)
    else:
        checks = ahead.output_checks() if ahead is not None else None
        same = checks is not None and cache.saved and checks.saved == cache.saved
        changed, exact = (checks.changed, str(output) in checks.exact) if checks is not None and same else (None, False)
        spares = spares_for(config.root / CACHE_DIR / SPARES, output)
        target = OutputWriter(output, cache.outputs, spares, cache.spare, changed, exact)
    target.background = options.background_cleanup
    return target


def _publish(
    config: Config,
    checked: Checked,
    writer: OutputWriter | MemoryWriter,
    options: BuildOptions,
    now: datetime,
    timings: dict[str, float],
) -> tuple[jinja2.Environment, int]:
    """Render and write every page, the search index, feeds, sitemaps and copies; returns
    the Jinja environment and the number of pages. Raises :class:`BuildFailed`."""
    cache = options.cache
    site, views = checked.site, checked.views
    env, specs, fingerprints = checked.env, checked.specs, checked.fingerprints
    template_problems: list[Problem] = []
    if checked.feeds_ahead is not None:
        checked.feeds_ahead.finish()  # its process ends before the page workers are forked
    # First the images' copies the image cache lacks (brief.media.copies: threads on every core):
    # an image whose pixels do not decode fails the build before any page is rendered.
    with timed("images", timings):
        image_problems = checked.renderer.images.make(
            options.jobs, options.progress, cache.inputs_time if cache else None
        )
        if image_problems:
            raise BuildFailed(image_problems)
    # The search index is made while the pages are written (Pagefind in a process of its own).
    parts, indexed = (cache.kept_parts() if cache else None), config.search and options.search and site.articles
    search = SearchFeed(searchable(specs), writer, options.jobs, parts) if indexed else None
    with timed("render+write", timings):
        jobs, progress, view_keys = options.jobs, options.progress, checked.view_keys
        templates = checked.template_digests if cache is not None else None
        last = cache.page_deps if cache is not None else None
        if checked.kept is not None and last is not None and checked.page_deps is not None and view_keys is not None:
            known = checked.kept.keys(
                checked.page_deps, last, writer.previous or {}, checked.template_digests, view_keys
            )
        else:
            known = keep_keys(last, checked.page_deps, writer.previous, specs, checked.template_digests, view_keys)
        pages = render_and_write(
            specs, env, templates, writer, jobs, progress, template_problems, view_keys, search, known, views.make_all
        )
        if template_problems:
            raise BuildFailed(template_problems)
    if checked.page_deps is not None:  # (what the next build takes its kept pages from)
        checked.page_deps.take_rows(page_rows(specs, len(site.articles)), cache.page_deps if cache else None)
    checked.specs = specs = []  # done with: freed for the feeds, ledger and cache (the peak at 100,000 articles)
    with timed("feeds+sitemaps", timings):
        if options.progress is not None:
            options.progress("Feeds and sitemaps", 1, 1)
        # Only the preview keeps the feeds' bytes for its next build: brief build's cache
        # starts the next run without them, and they hold a copy of every entry's HTML.
        kept = cache.feeds if cache is not None and isinstance(writer, MemoryWriter) else None
        write_feeds(feed_plan(site, views, now, kept, views.key_of), writer, checked.feeds_ahead)
        for relpath, key, make in checked.sitemaps:  # (the site's own robots.txt or sitemap wins)
            if relpath not in checked.own_static and not (key is not None and writer.reuse(relpath, key, "sitemaps")):
                writer.write(relpath, make(), origin="sitemaps", key=key)
    with timed("copy", timings):
        publish_redirects(checked.redirects, site, writer, checked.own_static)  # before the copies: see its doc
        copy_files(checked.own_static, checked.assets, writer, fingerprints)
    if writer.problems:  # a path two things claim: no index to wait for (it may hold no page at all)
        if search is not None:
            search.close()
        raise BuildFailed(writer.problems)
    if search is not None:
        with timed("search", timings):  # what of it is left once the rest is written
            search.publish(options.progress)
    if writer.problems:
        raise BuildFailed(writer.problems)
    return env, pages
