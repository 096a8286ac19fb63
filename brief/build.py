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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .config import Config
from .errors import WARNING, BriefError, BuildFailed, Problem, did_you_mean, errors_in
from .authors import AUTHORS_FOLDER, load_profiles
from .feeds import feed_files
from .index import build_index
from .related import RelatedIndex, TokenCache
from .loader import discover, load
from .markdown import Renderer
from .model import Article, Site
from .pages import site_pages
from .parallel import render_parallel, worker_count
from .output import MemoryWriter, OutputWriter, check_output_dir, static_files
from .render import PageCache, TemplateProblem, ViewCache, check_templates, make_environment, render_articles, render_bios, render_pages
from .schema import validate
from .sitemaps import sitemap_files
from .slug import slugify
from .theme import theme_static_files

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


@dataclass
class BuildOptions:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    """Build time (UTC); defaults to the current time. Tests pin it."""
    progress: Callable[[int, int], None] | None = None
    """Called as pages are written with (pages done, pages in all), for long builds."""
    cache: SourceCache | None = None
    """Parsed articles kept between builds (the preview server's)."""
    pages: PageCache | None = None
    """Rendered pages kept between builds (the preview server's)."""
    jobs: int | None = None
    """Processes to render pages with; None: every core for a large site, one for a small one."""
    keep: dict | None = None
    """Filled after a successful build with its config, site, views, renderer and
    environment, so the preview can show a single-article edit at once."""


def build(config: Config, output: Path | None, options: BuildOptions | None = None,
          on_warning: Callable[[Problem], None] | None = None, writer: MemoryWriter | None = None) -> BuildResult:
    """Build the site of ``config`` into ``output`` (or into ``writer``, kept in memory).

    Raises :class:`BuildFailed`."""
    with _cyclic_gc_paused():
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

    with _timed("load+validate", timings):
        loaded = load_articles(config, options.cache)
        profiles, profile_problems = load_profiles(config)
        own_static, static_problems = static_files(config.static_dir, config.root)
        problems = loaded.problems + profile_problems + static_problems + _check_config_files(config)
    with _timed("index", timings):
        site, index_problems = build_index(loaded.articles, config, drafts=options.drafts, future=options.future,
                                           now=now, invalid_slugs=frozenset(loaded.invalid.values()), profiles=profiles,
                                           token_cache=options.cache.tokens if options.cache else None)
        problems += index_problems
    with _timed("markdown", timings):
        renderer = _renderer(site, frozenset(loaded.invalid))
        views, assets, md_problems = render_articles(site, renderer, options.cache.views if options.cache else None)
        bios, bio_problems = render_bios(site, renderer)
        problems += md_problems + bio_problems
    warnings = [p for p in problems if p.severity == WARNING]
    if errors_in(problems):
        raise BuildFailed(problems)
    if on_warning:
        for warning in sorted(warnings, key=lambda p: p.sort_key):
            on_warning(warning)

    writer = writer if writer is not None else OutputWriter(output)  # type: ignore[arg-type]
    try:
        with _timed("render+write", timings):
            pages = 0
            env = options.pages.environment(config) if options.pages is not None else make_environment(config)
            template_problems = check_templates(env)
            if template_problems:
                raise BuildFailed(template_problems)
            specs = list(site_pages(site, views, bios, options.pages.meta if options.pages is not None else None))
            workers = worker_count(len(specs), options.jobs) if isinstance(writer, OutputWriter) else 1
            if workers > 1:
                jobs = [(spec, target) for spec in specs
                        if (target := writer.reserve(spec.output, _origin(spec.output))) is not None]
                pages, found = render_parallel(jobs, env, workers, options.progress)
                template_problems += found
            else:
                for spec, data in render_pages(specs, env, template_problems, options.pages):
                    writer.write(spec.output, data, origin=_origin(spec.output))
                    pages += 1
                    if options.progress and (pages % 100 == 0 or pages == len(specs)):
                        options.progress(pages, len(specs))
            if template_problems:
                raise BuildFailed(template_problems)
        with _timed("feeds+sitemaps", timings):
            for relpath, data in feed_files(site, views, now, options.pages.feeds if options.pages is not None else None):
                writer.write(relpath, data, origin="feeds")
            public = [(spec.path, spec.lastmod) for spec in specs if spec.public]
            for relpath, data in sitemap_files(site, public, now):
                if relpath in own_static:  # the site's own robots.txt (or sitemap) wins
                    continue
                writer.write(relpath, data, origin="sitemaps")
        with _timed("copy", timings):
            _copy_assets(own_static, assets, writer)
        if writer.problems:
            raise BuildFailed(writer.problems)
        writer.commit()
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
    return BuildResult(output, len(site.articles), pages, writer.count, time.perf_counter() - started, warnings, timings)


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


class SourceCache:
    """Results of stages 1–2 per file, reused while the file's size and mtime stay the same.

    The preview server keeps one between rebuilds. Validation also looks at other
    files (images, static/) and at brief.toml, so the owner must :meth:`clear` it
    whenever anything but an article file changed.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, tuple[tuple[int, int], tuple[Article | None, list[Problem], str | None]]] = {}
        self.views = ViewCache()
        """Rendered Markdown of the cached articles."""
        self.tokens = TokenCache()
        """Term counts of the cached articles (related-article scoring)."""

    def get(self, path: Path, stamp: tuple[int, int]):
        entry = self._entries.get(path)
        return entry[1] if entry is not None and entry[0] == stamp else None

    def put(self, path: Path, stamp: tuple[int, int], result) -> None:
        self._entries[path] = (stamp, result)

    def forget(self, path: Path) -> None:
        """Drop one file (its watcher saw it change: do not trust a coarse mtime)."""
        self._entries.pop(path, None)

    def clear(self) -> None:
        self._entries.clear()
        self.views.clear()
        self.tokens.clear()


def load_articles(config: Config, cache: SourceCache | None = None) -> Loaded:
    loaded = Loaded([], [], {})
    for path in discover(config.content_dir, config.root, skip=(AUTHORS_FOLDER,)):
        stamp = _stamp(path) if cache is not None else None
        result = cache.get(path, stamp) if cache is not None and stamp is not None else None
        if result is None:
            result = _load_one(path, config)
            if cache is not None and stamp is not None:
                cache.put(path, stamp, result)
        article, found, invalid_slug = result
        loaded.problems += found
        if article is not None:
            loaded.articles.append(article)
        elif invalid_slug is not None:
            loaded.invalid[path.resolve()] = invalid_slug
    return loaded


def _load_one(path: Path, config: Config) -> tuple[Article | None, list[Problem], str | None]:
    """Stages 1–2 for one file: the article (or None), its problems, and a failed file's likely slug."""
    doc = load(path, config.root)
    if isinstance(doc, list):
        return None, doc, slugify(path.stem)
    article, found = validate(doc, config)
    if article is not None:
        return article, found, None
    given = doc.meta.get("slug")
    return None, found, given if isinstance(given, str) else slugify(path.stem)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def explain_related(config: Config, slug: str, *, drafts: bool = False, future: bool = False,
                    limit: int = 10, now: datetime | None = None) -> dict:
    """Why the build shows the related articles it shows for ``slug`` (``brief related``)."""
    now = now or datetime.now(timezone.utc)
    loaded = load_articles(config)
    errors = errors_in(loaded.problems)
    if errors:
        raise BuildFailed(errors, "loading the articles")
    site, _ = build_index(loaded.articles, config, drafts=drafts, future=future, now=now)
    if slug not in site.built:
        known = sorted(site.built)
        reason = "is a draft or scheduled (try --drafts or --future)" if slug in site.all_articles else f"does not exist{did_you_mean(slug, known)}"
        raise BriefError(f"article '{slug}' {reason}")
    index = RelatedIndex(site.articles, config.related, config.language, now)
    shown = {item.article.slug for item in site.related[slug] if item.article is not None and item.automatic}
    listed = {item.article.slug for item in site.related[slug] if item.article is not None and not item.automatic}
    article = site.all_articles[slug]
    candidates = [{
        "slug": s.article.slug, "title": s.article.title, "score": s.score, "tags": round(s.tags, 6),
        "text": round(s.text, 6), "section": round(s.section, 6), "recency": round(s.recency, 6),
        "shared_tags": list(s.shared_tags), "shared_terms": list(s.shared_terms),
        "shown": s.article.slug in shown, "listed": s.article.slug in listed,
        "why": ("listed" if s.article.slug in listed else "shown" if s.article.slug in shown
                else "shares too little" if not s.passes else "below min_score" if not index.clears(s) else "list full"),
    } for s in index.explain(slug, limit)]
    return {"slug": slug, "title": article.title, "count": config.related.count, "min_score": config.related.min_score,
            "explicit": [item.article.slug if item.article else item.url for item in site.related[slug] if not item.automatic],
            "candidates": candidates}


def _renderer(site: Site, invalid: frozenset[Path]) -> Renderer:
    urls = {a.key: site.url(a.url_path) for a in site.articles}
    unbuilt = frozenset(p for p, a in site.by_path.items() if a.slug not in site.built)
    return Renderer(site.config, urls, unbuilt, invalid)


def _check_config_files(config: Config) -> list[Problem]:
    logo = config.publisher_logo
    if logo and logo.startswith("/"):
        rel = logo.lstrip("/")
        if rel not in theme_static_files() and not (config.static_dir / rel).is_file():
            return [Problem("brief.toml", None, "publisher.logo", f"file not found: static/{rel} (expected a file under static/)")]
    return []


def _copy_assets(own_static: dict[str, Path], assets: dict[str, tuple[Path, str]], writer: OutputWriter) -> None:
    # Order matters: the site's static/ overrides the theme's file by file, and
    # article images are copied last so a clash with a static file is reported.
    files = {**theme_static_files(), **own_static}
    for relpath, source in files.items():
        writer.copy(relpath, source, origin=f"static/{relpath}")
    for relpath, (source, origin) in assets.items():
        writer.copy(relpath, source, origin=origin)


def _origin(relpath: str) -> str:
    return f"page {relpath}"


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
