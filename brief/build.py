"""The build, as a list of stages: load → validate → index → render → write.

1. ``brief.content``: every file under ``content/`` read and validated into articles;
2. ``brief.site``: the site index (sections, tags, authors, related articles);
3. ``brief.render``: every article's Markdown once, then the page plans, each page
   through Jinja, feeds and sitemaps;
4. ``brief.output``: written into a staging folder (or kept in memory) and swapped
   into place; the search index made from the written pages.

Everything is gathered and checked before anything is written: when any file has an
error, every problem is reported together and the output folder is not touched. The
clock is read once, here, and passed down. A finished build hands its consumers (the
preview, ``brief check``) a typed :class:`BuildState`; the preview shows a one-article
edit at once through :func:`brief.edit.render_article_page`.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jinja2
from markupsafe import Markup

from brief.cache import BuildCache
from brief.config import Config
from brief.content.authors import load_profiles
from brief.content.load import load_articles
from brief.digests import pickled_digest
from brief.errors import WARNING, BuildFailed, Problem, errors_in, tuned
from brief.manifest import input_folders, site_key
from brief.media.assets import fingerprinted
from brief.media.images import prune_cache as prune_images
from brief.output.outdir import check_output_dir, output_lock
from brief.output.pages import copy_files, render_and_write
from brief.output.parallel import worker_count
from brief.output.search import publish as publish_search
from brief.output.writers import MemoryWriter, OutputWriter
from brief.render.articles import render_bios
from brief.render.contract import ArticleView
from brief.render.feeds import feed_plan
from brief.render.keys import environment
from brief.render.links import article_link_problems
from brief.render.markdown import Renderer
from brief.render.pages import site_pages
from brief.render.sitemaps import NEWS_WINDOW, sitemap_files
from brief.render.templates import TemplateProblem, check_templates
from brief.render.views import render_articles
from brief.site.index import build_index
from brief.site.model import Site
from brief.site.related import PARALLEL_MIN_ARTICLES
from brief.theme import static_files, theme_static_files

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BuildState:
    """What a finished build hands to its consumers: the preview renders a one-article
    edit against it (:func:`brief.edit.render_article_page`), ``brief check`` reads its site."""

    config: Config
    site: Site
    views: dict[str, ArticleView]
    """Every built article's view, by slug."""
    renderer: Renderer
    env: jinja2.Environment


@dataclass
class BuildResult:
    """What a successful build did."""

    output: Path | None
    articles: int
    pages: int
    files: int
    elapsed: float
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    reused: int = 0
    """Files taken unchanged from the previous build (with a cache)."""
    state: BuildState | None = None
    """The site as this build made it (see :class:`BuildState`)."""


@dataclass
class BuildOptions:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    """Build time (UTC); defaults to the current time. Tests pin it."""
    progress: Callable[[str, int, int], None] | None = None
    """Called as the build goes with (stage, items done, items in all), for a progress bar."""
    cache: BuildCache | None = None
    """What the previous build kept (see brief.cache): the preview's in memory, or
    ``.brief-cache/`` for ``brief build``. Updated by a successful build."""
    jobs: int | None = None
    """Processes to render pages with; None: every core for a large site, one for a small one."""
    link_check: bool = True
    """Fail on links and images in articles that lead to no page or file of the site."""
    background_cleanup: bool = False
    """Remove the previous output on a thread once the new one is in place (the CLI waits for
    it after saving the cache); the default removes it before returning."""
    search: bool = True
    """Index the articles for search (when the site has search on); the preview indexes
    on its own, after a pause, so that showing an edit never waits for it."""
    fingerprint: bool = True
    """Publish stylesheets and scripts under content-hashed names too, and link to those
    (brief.media.assets); off in the preview, which swaps stylesheets in place."""


def build(
    config: Config,
    output: Path | None,
    options: BuildOptions | None = None,
    on_warning: Callable[[Problem], None] | None = None,
    writer: MemoryWriter | None = None,
) -> BuildResult:
    """Build the site of ``config`` into ``output`` (or into ``writer``, kept in memory).

    Raises :class:`BuildFailed`."""
    with _cyclic_gc_paused():
        if writer is None and output is not None:  # two builds into one place take turns
            with output_lock(output if output.is_absolute() else config.root / output, log.warning):
                return _build(config, output, options or BuildOptions(), on_warning, writer)
        return _build(config, output, options or BuildOptions(), on_warning, writer)


@dataclass
class _Checked:
    """Stages 1–3 and the Markdown pass: everything that can fail on input, checked."""

    site: Site
    renderer: Renderer
    views: dict[str, ArticleView]
    bios: dict[str, Markup]
    assets: dict[str, tuple[Path, str]]
    """Files next to articles that pages show: output path → (source file, the article's file)."""
    own_static: dict[str, Path]
    warnings: list[Problem]


def _build(
    config: Config,
    output: Path | None,
    options: BuildOptions,
    on_warning: Callable[[Problem], None] | None,
    writer: MemoryWriter | None,
) -> BuildResult:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    now = options.now or datetime.now(UTC)
    if writer is None:
        assert output is not None
        output = output if output.is_absolute() else config.root / output
        check_output_dir(output, config.root, [config.content_dir, config.templates_dir, config.static_dir])
    cache = options.cache
    if cache is not None:
        cache.start(
            site_key(config, options.drafts, options.future, options.link_check),
            str(config.root),
            str(output) if writer is None else "",
            input_folders(config),
        )
    checked = _check(config, options, now, timings, parallel=writer is None)
    if on_warning:
        for warning in sorted(checked.warnings, key=lambda p: p.sort_key):
            on_warning(warning)
    previous = cache.outputs if cache is not None else None
    target: OutputWriter | MemoryWriter
    if writer is None:
        assert output is not None
        target = OutputWriter(output, previous)
        target.background = options.background_cleanup
    else:
        target = writer
        if previous is not None:
            target.previous = previous
    try:
        env, pages = _publish(config, checked, target, options, now, timings)
        target.commit()
        if cache is not None:
            cache.finish(
                target.outputs(), [source for source, _ in checked.assets.values()], _next_change(checked.site, now)
            )
            if isinstance(target, OutputWriter):
                prune_images(config.root, [source for source, _ in checked.assets.values()], time.time())
    except TemplateProblem as exc:
        target.abort()
        raise BuildFailed([exc.problem]) from None
    except BaseException:
        target.abort()
        raise
    for stage, seconds in timings.items():
        log.debug("%-14s %.3f s", stage, seconds)
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
    )


def _check(
    config: Config, options: BuildOptions, now: datetime, timings: dict[str, float], *, parallel: bool
) -> _Checked:
    """Load, validate, index and render every article's Markdown; raise :class:`BuildFailed`
    with every problem of every file when any is an error."""
    cache = options.cache
    with _timed("load+validate", timings):
        loaded = load_articles(config, cache.content if cache is not None else None, options.progress)
        profiles, profile_problems = load_profiles(config)
        own_static, static_problems = static_files(config.static_dir, config.root)
        problems = loaded.problems + profile_problems + static_problems
    with _timed("index", timings):
        workers = worker_count(len(loaded.articles), options.jobs, PARALLEL_MIN_ARTICLES) if parallel else 1
        site, index_problems = build_index(
            loaded.articles,
            config,
            drafts=options.drafts,
            future=options.future,
            now=now,
            invalid_slugs=frozenset(loaded.invalid.values()),
            profiles=profiles,
            memo=cache.related if cache is not None else None,
            workers=workers,
        )
        problems += index_problems
    with _timed("markdown", timings):
        renderer = _renderer(site, frozenset(loaded.invalid))
        if options.progress is not None:
            options.progress("Indexing", 1, 1)
        views, assets, md_problems = render_articles(
            site, renderer, cache.markdown if cache is not None else None, options.progress
        )
        bios, bio_problems = render_bios(site, renderer)
        problems += md_problems + bio_problems
    problems = tuned([*config.notes, *problems], config.warnings)
    if errors_in(problems):
        raise BuildFailed(problems)
    warnings = [p for p in problems if p.severity == WARNING]
    return _Checked(site, renderer, views, bios, assets, own_static, warnings)


def _publish(
    config: Config,
    checked: _Checked,
    writer: OutputWriter | MemoryWriter,
    options: BuildOptions,
    now: datetime,
    timings: dict[str, float],
) -> tuple[jinja2.Environment, int]:
    """Render and write every page, the search index, feeds, sitemaps and copies; returns
    the Jinja environment and the number of pages. Raises :class:`BuildFailed`."""
    cache = options.cache
    site, views = checked.site, checked.views
    with _timed("render+write", timings):
        all_static = {**theme_static_files(), **checked.own_static}
        fingerprints = fingerprinted(all_static) if options.fingerprint else {}
        env, template_digests = environment(config, cache.templates if cache is not None else None, fingerprints)
        template_problems = check_templates(env)
        if template_problems:
            raise BuildFailed(template_problems)
        specs = list(site_pages(site, views, checked.bios, cache.pages if cache is not None else None))
        if options.link_check:
            files = {spec.output for spec in specs} | set(all_static) | set(checked.assets)
            broken = article_link_problems(site, views, files)
            if broken:
                raise BuildFailed(broken)
        # Digests of the views, once, before workers fork: page and feed keys are made of them.
        view_keys = {id(v): pickled_digest(v) for v in views.values()} if cache is not None else None
        templates = template_digests if cache is not None else None
        pages = render_and_write(
            specs, env, templates, writer, options.jobs, options.progress, template_problems, view_keys
        )
        if template_problems:
            raise BuildFailed(template_problems)
    if config.search and options.search and site.articles:
        with _timed("search", timings):
            publish_search([spec.output for spec in specs if spec.source], config.language, writer, options.progress)
    with _timed("feeds+sitemaps", timings):
        if options.progress is not None:
            options.progress("Feeds and sitemaps", 1, 1)
        # Only the preview keeps the feeds' bytes for its next build: brief build's cache
        # starts the next run without them, and they hold a copy of every entry's HTML.
        kept = cache.feeds if cache is not None and isinstance(writer, MemoryWriter) else None
        for relpath, key, make in feed_plan(site, views, now, kept, view_keys):
            if key is None or not writer.reuse(relpath, key, "feeds"):
                writer.write(relpath, make(), origin="feeds", key=key)
        public = [(spec.path, spec.lastmod) for spec in specs if spec.public]
        for relpath, data in sitemap_files(site, public, now):
            if relpath in checked.own_static:  # the site's own robots.txt (or sitemap) wins
                continue
            writer.write(relpath, data, origin="sitemaps")
    with _timed("copy", timings):
        copy_files(checked.own_static, checked.assets, writer, fingerprints)
    if writer.problems:
        raise BuildFailed(writer.problems)
    return env, pages


def _next_change(site: Site, now: datetime) -> float:
    """The first moment after ``now`` at which a build of the same files could differ: an
    article comes due, one leaves the news sitemap's window, or a new day starts (related
    scoring counts ages in days). A site without articles shows the build time in its feeds."""
    if not site.articles:
        return now.timestamp()
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    moments = [day]
    moments += [a.date for a in site.all_articles.values() if a.date > now]
    moments += [a.date + NEWS_WINDOW for a in site.articles if a.date + NEWS_WINDOW >= now]
    return min(m.timestamp() for m in moments)


def _renderer(site: Site, invalid: frozenset[Path]) -> Renderer:
    urls = {a.key: site.url(a.url_path) for a in site.articles}
    unbuilt = frozenset(p for p, a in site.by_path.items() if a.slug not in site.built)
    return Renderer(site.config, urls, unbuilt, invalid)


@contextmanager
def _cyclic_gc_paused():
    """Pause Python's cycle collector for the length of a build.

    A build allocates hundreds of thousands of objects that live until it ends and
    makes almost no reference cycles, so the collector's repeated scans of the young
    and old generations find nothing and cost about a quarter of a rebuild (0.45 s of
    1.65 s at 5,000 articles). Plain reference counting still frees everything; cycles
    are collected as usual once the build is over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _timed(stage: str, timings: dict[str, float]):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start
