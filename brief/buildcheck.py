"""The build's checks: stages 1–3 and the Markdown pass, everything that can fail on input.

Every article file read and validated (``brief.content``), the site index made
(``brief.site``), every article's Markdown rendered once (images only planned, from their
headers), the page plans made and every link checked (``brief.render``). When any file has
an error, :func:`check_inputs` raises with every problem of every file, before any image is
encoded, any page rendered or anything written; else it hands brief.build a
:class:`Checked` site to publish.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from brief.buildtypes import BuildOptions
from brief.config import Config
from brief.content.authors import load_profiles
from brief.content.load import Loaded, load_articles
from brief.content.model import Profile
from brief.errors import WARNING, BuildFailed, Problem, errors_in, tuned
from brief.media.assets import fingerprinted
from brief.output.feeds import FeedsAhead, cancel, feeds_ahead
from brief.output.parallel import worker_count
from brief.output.redirects import redirect_plan
from brief.render.anchors import link_index
from brief.render.articles import check_bodies, render_bios
from brief.render.contract import DocView
from brief.render.keptpages import KeptPlan, kept_plan
from brief.render.keys import environment
from brief.render.links import article_link_problems, failed_body_link_problems
from brief.render.markdown import Renderer
from brief.render.pagedeps import PageDeps, add_related, page_marks
from brief.render.pages import site_pages
from brief.render.plans import PageSpec
from brief.render.sitemaps import sitemap_plan
from brief.render.standalone import doc_link_problems, render_docs
from brief.render.templates import check_templates
from brief.render.views import ArticleViews, render_articles, site_renderer
from brief.site.index import build_index
from brief.site.model import Site
from brief.site.pages import page_link_states
from brief.site.redirects import RedirectPlan
from brief.site.relatedmemo import PARALLEL_MIN_ARTICLES
from brief.site.suggestions import counts_ahead
from brief.site.terms import TermsAhead
from brief.theme import static_files, theme_static_files
from brief.timing import timed

if TYPE_CHECKING:
    from brief.cache import BuildCache


@dataclass
class Checked:
    """Stages 1–3 and the Markdown pass: everything that can fail on input, checked."""

    site: Site
    renderer: Renderer
    views: ArticleViews
    bios: dict[str, Markup]
    assets: dict[str, tuple[Path, str]]
    """Files next to articles that pages show: output path → (source file, the article's file)."""
    own_static: dict[str, Path]
    warnings: list[Problem]
    env: jinja2.Environment
    template_digests: dict[str, bytes]
    fingerprints: dict[str, str]
    specs: list[PageSpec]
    """Every page to render, planned (contexts are made as each page is rendered)."""
    redirects: RedirectPlan = field(default_factory=RedirectPlan)  # aliases' and the ledger's
    view_keys: dict[int, bytes] | None = None
    """With a cache: each article view's key, by the view's id (brief.render.viewkeys.view_key)."""
    page_deps: PageDeps | None = None  # with a cache: what its page keys are kept by
    kept: KeptPlan | None = None  # with a cache, after an edit that left the site's shape: what was planned
    feeds_ahead: FeedsAhead | None = None  # the feeds, made meanwhile (brief.output.feeds)
    sitemaps: list[tuple[str, bytes | None, Callable[[], bytes]]] = field(default_factory=list)
    """The sitemaps' files, keyed (brief.render.sitemaps.sitemap_plan)."""


def check_inputs(
    config: Config, options: BuildOptions, now: datetime, timings: dict[str, float], *, out: Path | None
) -> Checked:
    """Load, validate, index and render every article's Markdown; raise :class:`BuildFailed` with
    every problem of every file when any is an error. ``out``: the output folder (None: in memory, one process)."""
    cache, parallel = options.cache, out is not None
    with timed("load+validate", timings):
        loaded, profiles, own_static, problems, terms = _load(config, options, parallel)
    later: list[Callable[[], None]] = []  # the related suggestions, when they are made meanwhile
    with timed("index", timings):
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
            pages=loaded.pages,
            static=frozenset(own_static),
            later=later if parallel else None,
            scorer=options.scorer,
            ahead=terms,
        )
        problems += index_problems
    with timed("markdown", timings):
        renderer = site_renderer(site, frozenset(loaded.invalid), page_link_states(site, loaded.pages))
        if options.progress is not None:
            options.progress("Indexing", 1, 1)
        view_keys: dict[int, bytes] | None = {} if cache is not None else None  # for page and feed keys
        written: dict[str, tuple[tuple[str, str], ...]] = {}  # each article's links, found with its HTML
        # Markdown on every core from views.PARALLEL_MIN_ARTICLES articles (the related
        # scoring's own threshold, ``workers`` above, is 1,000)
        md_jobs = options.jobs if parallel else 1
        views, assets, md_problems = render_articles(
            site, renderer, cache.markdown if cache is not None else None, options.progress, md_jobs, view_keys, written
        )
        bios, bio_problems = render_bios(site, renderer)
        docs, doc_problems = render_docs(site, renderer, assets)  # standalone pages
        failed_html, failed_problems = check_bodies(loaded.failed, renderer)
        problems += md_problems + bio_problems + failed_problems + doc_problems
        previous = cache.outputs if cache is not None else None
        ahead = feeds_ahead(site, views, now, views.key_of, options.jobs, previous, out, problems)
    with timed("plan+links", timings):
        all_static = {**theme_static_files(), **own_static}
        fingerprints = fingerprinted(all_static) if options.fingerprint else {}
        memos = (cache.templates, cache.template_facts) if cache is not None else (None, None)
        env, template_digests = environment(config, memos[0], fingerprints, memos[1])
        template_problems = check_templates(env)
        # (plans, redirects, sitemaps, the link checks' index: made while ``later`` makes the related lists)
        specs, marks, kept = _page_plans(site, views, bios, docs, cache, parallel, template_digests)
        statics, memo = (own_static, all_static, fingerprints), cache.redirects if cache is not None else None
        redirects = redirect_plan(config, site, specs, statics, assets, options.ledger, memo)
        problems += redirects.problems
        sitemaps = sitemap_plan(site, [(spec.path, spec.lastmod) for spec in specs if spec.public], now)
        shown = None if template_problems else env
        index = options.link_check and link_index(site.articles, specs, views, {**all_static, **assets}, shown)
        _related_complete(site, later, marks)
        if index:
            problems += article_link_problems(site, views, *index, written)
            problems += doc_link_problems(site, docs, *index)
            problems += failed_body_link_problems(site, failed_html, index[0], config.root)
        problems += template_problems
    problems = tuned([*config.notes, *problems], config.warnings)
    if errors_in(problems):
        cancel(ahead)
        raise BuildFailed(problems)
    warnings = [p for p in problems if p.severity == WARNING]
    checked = Checked(
        site, renderer, views, bios, assets, own_static, warnings, env, template_digests, fingerprints, specs
    )
    checked.redirects, checked.view_keys, checked.feeds_ahead = redirects, view_keys, ahead
    checked.page_deps, checked.kept, checked.sitemaps = marks, kept, sitemaps
    return checked


def _load(
    config: Config, options: BuildOptions, parallel: bool
) -> tuple[Loaded, dict[str, Profile], dict[str, Path], list[Problem], TermsAhead | None]:
    """Stages 1–2: the articles (on every core when ``parallel``, their related terms counted
    meanwhile when the index will want them), the authors' profiles and the site's own
    static files, with every problem found."""
    cache = options.cache
    content, stamps, memo = (cache.content, cache.inputs, cache.related) if cache is not None else (None, None, None)
    terms = counts_ahead(config, memo, background=parallel)
    loaded = load_articles(config, content, options.progress, options.jobs if parallel else 1, stamps, terms)
    profiles, profile_problems = load_profiles(config)
    own_static, static_problems = static_files(config.static_dir, config.root)
    return loaded, profiles, own_static, loaded.problems + profile_problems + static_problems, terms


def _page_plans(
    site: Site,
    views: ArticleViews,
    bios: dict[str, Markup],
    docs: dict[str, DocView],
    cache: BuildCache | None,
    parallel: bool,
    templates: dict[str, bytes],
) -> tuple[list[PageSpec], PageDeps | None, KeptPlan | None]:
    """Every page's plan (brief.render.pages) and, with a ``cache``, the marks of what page keys
    are kept by (brief.render.pagedeps; ``templates``: the templates' digests), and the kept
    plan when the last build's pages could be taken (brief.render.keptpages). None reads the
    related lists, which may still be being made (:func:`_related_complete`). The pages'
    memo is the preview's (kept between its rebuilds): a build into a folder (``parallel``)
    would only fill it, in each page worker (100,000 articles: ~100 MB per worker)."""
    if cache is None:
        return list(site_pages(site, views, bios, None, docs)), None, None
    marks = page_marks(site, views.key, templates, bios)
    memo = cache.pages if not parallel else None
    kept = kept_plan(site, views, bios, docs, memo, marks, cache.page_deps, cache.outputs)
    if kept is not None:
        return kept.specs, marks, kept
    return list(site_pages(site, views, bios, memo, docs)), marks, None


def _related_complete(site: Site, later: list[Callable[[], None]], marks: PageDeps | None) -> None:
    """Wait for the related lists made meanwhile (``later``), and add them to a cached
    build's ``marks`` (brief.render.pagedeps): from here on, ``site.related`` may be read."""
    for finish in later:
        finish()
    if marks is not None:
        add_related(marks, site)
