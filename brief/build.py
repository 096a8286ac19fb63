"""The build, as a list of stages: load → validate → index → render → write.

Everything is gathered and checked before anything is written: when any file
has an error, every problem is reported together and the output folder is not
touched. The clock is read once, here, and passed down.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from brief.cache import BuildCache, input_folders, site_key, snapshot
from brief.render.links import article_link_problems
from brief.digests import digest, file_stamp, pickled_digest
from brief.config import Config
from brief.errors import WARNING, BuildFailed, Problem, errors_in
from brief.media.assets import fingerprinted
from brief.content.authors import AUTHORS_FOLDER, load_profiles
from brief.render.feeds import feed_plan
from brief.media.images import prune_cache as prune_images
from brief.site.index import build_index
from brief.site.related import PARALLEL_MIN_ARTICLES
from brief.content.files import discover, load
from brief.render.markdown import Renderer
from brief.content.model import Article
from brief.site.model import Site
from brief.render.pages import PageSpec, site_pages
from brief.output.parallel import render_parallel, worker_count
from brief.output.outdir import check_output_dir, output_lock
from brief.output.writers import MemoryWriter, OutputWriter
from brief.render.templates import TemplateProblem, check_templates, environment, render_page
from brief.render.keys import page_key
from brief.render.views import render_articles
from brief.render.articles import render_bios
from brief.content.schema import validate
from brief.output.search import publish as publish_search
from brief.render.sitemaps import NEWS_WINDOW, sitemap_files
from brief.content.slugs import slugify
from brief.theme import static_files, theme_static_files

log = logging.getLogger(__name__)


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
    (brief.assets); off in the preview, which swaps stylesheets in place."""
    keep: dict | None = None
    """Filled after a successful build with its config, site, views, renderer and
    environment, so the preview can show a single-article edit at once."""


def build(config: Config, output: Path | None, options: BuildOptions | None = None,
          on_warning: Callable[[Problem], None] | None = None, writer: MemoryWriter | None = None) -> BuildResult:
    """Build the site of ``config`` into ``output`` (or into ``writer``, kept in memory).

    Raises :class:`BuildFailed`."""
    with _cyclic_gc_paused():
        if writer is None and output is not None:
            # Two builds into one place take turns (a second one waits, saying so): each
            # swaps in a complete site of its own, and leftovers are never shared.
            with output_lock(output if output.is_absolute() else config.root / output, log.warning):
                return _build(config, output, options or BuildOptions(), on_warning, writer)
        return _build(config, output, options or BuildOptions(), on_warning, writer)


def _build(config: Config, output: Path | None, options: BuildOptions,
           on_warning: Callable[[Problem], None] | None, writer: MemoryWriter | None) -> BuildResult:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    now = options.now or datetime.now(timezone.utc)
    if writer is None:
        assert output is not None
        output = output if output.is_absolute() else config.root / output
        check_output_dir(output, config.root, [config.content_dir, config.templates_dir, config.static_dir])

    cache = options.cache
    if cache is not None:
        cache.reset(site_key(config, options.drafts, options.future, options.link_check), str(config.root),
                    str(output) if writer is None else "")
        cache.inputs_time = time.time()
        cache.inputs = snapshot(input_folders(config))
    with _timed("load+validate", timings):
        loaded = load_articles(config, cache, options.progress)
        profiles, profile_problems = load_profiles(config)
        own_static, static_problems = static_files(config.static_dir, config.root)
        problems = loaded.problems + profile_problems + static_problems
    with _timed("index", timings):
        site, index_problems = build_index(loaded.articles, config, drafts=options.drafts, future=options.future,
                                           now=now, invalid_slugs=frozenset(loaded.invalid.values()), profiles=profiles,
                                           cache=cache,
                                           workers=worker_count(len(loaded.articles), options.jobs, PARALLEL_MIN_ARTICLES)
                                           if writer is None else 1)
        problems += index_problems
    with _timed("markdown", timings):
        renderer = _renderer(site, frozenset(loaded.invalid))
        if options.progress is not None:
            options.progress("Indexing", 1, 1)
        views, assets, md_problems = render_articles(site, renderer, cache, options.progress)
        bios, bio_problems = render_bios(site, renderer)
        problems += md_problems + bio_problems
    warnings = [p for p in problems if p.severity == WARNING]
    if errors_in(problems):
        raise BuildFailed(problems)
    if on_warning:
        for warning in sorted(warnings, key=lambda p: p.sort_key):
            on_warning(warning)

    previous = cache.outputs if cache is not None else None
    if writer is None:
        writer = OutputWriter(output, previous)  # type: ignore[arg-type]
        writer.background = options.background_cleanup
    elif previous is not None:
        writer.previous = previous
    try:
        with _timed("render+write", timings):
            fingerprints = fingerprinted({**theme_static_files(), **own_static}) if options.fingerprint else {}
            env, template_digests = environment(config, cache, fingerprints)
            template_problems = check_templates(env)
            if template_problems:
                raise BuildFailed(template_problems)
            memo = cache.memo.setdefault("meta", {}) if cache is not None else None
            specs = list(site_pages(site, views, bios, memo))
            if options.link_check:
                files = {spec.output for spec in specs} | set(own_static) | set(theme_static_files()) | set(assets)
                broken = article_link_problems(site, views, files)
                if broken:
                    raise BuildFailed(broken)
            # Digests of the views, once, before workers fork: page and feed keys are made of them.
            view_keys = {id(v): pickled_digest(v) for v in views.values()} if cache is not None else None
            pages = _render_and_write(specs, env, template_digests if cache is not None else None, writer,
                                      options, template_problems, view_keys)
            if template_problems:
                raise BuildFailed(template_problems)
        if config.search and options.search and site.articles:
            with _timed("search", timings):
                publish_search([spec.output for spec in specs if spec.source], config.language, writer, options.progress)
        with _timed("feeds+sitemaps", timings):
            if options.progress is not None:
                options.progress("Feeds and sitemaps", 1, 1)
            feeds_memo = cache.memo.setdefault("feeds", {}) if cache is not None else None
            for relpath, key, make in feed_plan(site, views, now, feeds_memo, view_keys):
                if key is None or not writer.reuse(relpath, key, "feeds"):
                    writer.write(relpath, make(), origin="feeds", key=key)
            public = [(spec.path, spec.lastmod) for spec in specs if spec.public]
            for relpath, data in sitemap_files(site, public, now):
                if relpath in own_static:  # the site's own robots.txt (or sitemap) wins
                    continue
                writer.write(relpath, data, origin="sitemaps")
        with _timed("copy", timings):
            _copy_assets(own_static, assets, writer, fingerprints)
        if writer.problems:
            raise BuildFailed(writer.problems)
        writer.commit()
        if cache is not None:
            cache.outputs = writer.outputs()
            cache.prune()
            extra = sorted({str(path) for path, _ in assets.values()} | {str(dep[1]) for dep in _file_deps(cache)}
                           - cache.inputs.keys())
            for path in extra:
                stamp = file_stamp(Path(path))
                if stamp is not None:
                    cache.inputs[path] = stamp
            cache.extra_inputs = tuple(extra)
            if isinstance(writer, OutputWriter):
                prune_images(config.root, [source for source, _ in assets.values()], time.time())
            cache.next_change = _next_change(site, now)
        if options.keep is not None:
            options.keep.clear()
            options.keep.update(config=config, site=site, views=views, renderer=renderer, env=env)
    except TemplateProblem as exc:
        writer.abort()
        raise BuildFailed([exc.problem]) from None
    except BaseException:
        writer.abort()
        raise
    for stage, seconds in timings.items():
        log.debug("%-14s %.3f s", stage, seconds)
    return BuildResult(output, len(site.articles), pages, writer.count, time.perf_counter() - started, warnings, timings,
                       reused=writer.reused)


def _render_and_write(specs: list[PageSpec], env, templates: dict[str, bytes] | None,
                      writer: OutputWriter | MemoryWriter, options: BuildOptions, problems: list[Problem],
                      view_keys: dict[int, bytes] | None = None) -> int:
    """Build each page's context; with ``templates`` (a cached build) reuse the previous
    build's page when its key is unchanged, else render and write it. Many pages are
    processed by several processes. Returns the pages done."""
    workers = worker_count(len(specs), options.jobs) if isinstance(writer, OutputWriter) else 1
    if workers > 1 and len(specs) > 1:
        jobs = [(spec, target) for spec in specs if (target := writer.reserve(spec.output, spec.origin)) is not None]
        done, found = render_parallel(jobs, env, templates, writer, workers, options.progress,  # type: ignore[arg-type]
                                      view_keys)
        problems += [p for p in found if p not in problems]
        return done
    known: dict[int, bytes] = dict(view_keys or {})
    done = 0
    for n, spec in enumerate(specs, 1):
        context = spec.get_context()
        key = page_key(spec, context, templates, known) if templates is not None else None
        if key is None or not writer.reuse(spec.output, key, spec.origin):
            data = render_page(env, spec, context, problems)
            if data is None:
                continue
            writer.write(spec.output, data, origin=spec.origin, key=key)
        done += 1
        if options.progress and (n % 100 == 0 or n == len(specs)):
            options.progress("Writing pages", n, len(specs))
    return done


def _file_deps(cache: BuildCache):
    for parts in cache.parts.values():
        for dep in parts.deps:
            if dep[0] == "file":
                yield dep
    for _, deps in cache.sources.values():
        for path in deps:
            yield ("file", path, None)


def _next_change(site: Site, now: datetime) -> float:
    """The first moment after ``now`` at which a build of the same files could differ: an
    article comes due, one leaves the news sitemap's window, or a new day starts (related
    scoring counts ages in days). A site without articles shows the build time in its feeds."""
    if not site.articles:
        return now.timestamp()
    day = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    moments = [day]
    moments += [a.date for a in site.all_articles.values() if a.date > now]
    moments += [a.date + NEWS_WINDOW for a in site.articles if a.date + NEWS_WINDOW >= now]
    return min(m.timestamp() for m in moments)


@dataclass
class Loaded:
    """Stages 1–2 for every file."""

    articles: list[Article]
    """The valid articles."""
    problems: list[Problem]
    """Every problem of every file."""
    invalid: dict[Path, str]
    """Files that failed, with their likely slug: references to them are not
    reported again as "missing" (their own errors already are)."""


def load_articles(config: Config, cache: BuildCache | None = None,
                  progress: Callable[[str, int, int], None] | None = None) -> Loaded:
    """Stages 1–2 for every article file. With a cache, a file whose bytes are unchanged
    (and whose hero image is still there) keeps its validated article."""
    loaded = Loaded([], [], {})
    paths = list(discover(config.content_dir, config.root, skip=(AUTHORS_FOLDER,)))
    for n, path in enumerate(paths, 1):
        if progress is not None and (n % 200 == 0 or n == len(paths)):
            progress("Reading articles", n, len(paths))
        result = _load_cached(path, config, cache) if cache is not None else _load_one(path, config)
        article, found, invalid_slug = result
        loaded.problems += found
        if article is not None:
            loaded.articles.append(article)
        elif invalid_slug is not None:
            loaded.invalid[path.resolve()] = invalid_slug
    return loaded


def _load_cached(path: Path, config: Config, cache: BuildCache) -> tuple[Article | None, list[Problem], str | None]:
    value, data = cache.file_digest(path)
    key = digest(str(path), value)
    cache.used.add(key)
    entry = cache.sources.get(key)
    if entry is not None and all((file_stamp(Path(dep)) is not None) for dep in entry[1]):
        return entry[0]
    article, found, invalid_slug = _load_one(path, config, data)
    if article is not None:
        article = replace(article, digest=key)
        if not errors_in(found):  # a file with errors is checked again next time
            deps = (str(article.image.source),) if article.image is not None and article.image.source is not None else ()
            cache.sources[key] = ((article, found, None), deps)
    return article, found, invalid_slug


def _load_one(path: Path, config: Config, data: bytes | None = None) -> tuple[Article | None, list[Problem], str | None]:
    """Stages 1–2 for one file: the article (or None), its problems, and a failed file's likely slug."""
    doc = load(path, config.root, data)
    if isinstance(doc, list):
        return None, doc, slugify(path.stem)
    article, found = validate(doc, config)
    if article is not None:
        return article, found, None
    given = doc.meta.get("slug")
    return None, found, given if isinstance(given, str) else slugify(path.stem)


def _renderer(site: Site, invalid: frozenset[Path]) -> Renderer:
    urls = {a.key: site.url(a.url_path) for a in site.articles}
    unbuilt = frozenset(p for p, a in site.by_path.items() if a.slug not in site.built)
    return Renderer(site.config, urls, unbuilt, invalid)


def _copy_assets(own_static: dict[str, Path], assets: dict[str, tuple[Path, str]], writer: OutputWriter,
                 fingerprints: dict[str, str]) -> None:
    # Order matters: the site's static/ overrides the theme's file by file, and
    # article images are copied last so a clash with a static file is reported.
    files = {**theme_static_files(), **own_static}
    for relpath, source in files.items():
        writer.copy(relpath, source, origin=f"static/{relpath}")
        if relpath in fingerprints:  # also under its content-hashed name (brief.assets)
            writer.copy(fingerprints[relpath], source, origin=f"static/{relpath}")
    for relpath, (source, origin) in assets.items():
        writer.copy(relpath, source, origin=origin)


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
