"""What a build is asked and what it hands back (brief.build): its options, its result, and
the site as it made it, for the build's consumers (the preview, ``brief check``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from brief.config import Config
from brief.errors import Problem
from brief.lookahead import Lookahead
from brief.render.contract import ArticleView
from brief.render.markdown import Renderer
from brief.render.schedule import Change
from brief.site.model import Site
from brief.site.redirects import Moved
from brief.site.suggestions import Scorer
from brief.stamps import Stamps

if TYPE_CHECKING:
    from brief.cache import BuildCache


@dataclass(frozen=True)
class BuildState:
    """What a finished build hands to its consumers: the preview renders a one-article
    edit against it (:func:`brief.edit.render_article_page`), ``brief check`` reads its site."""

    config: Config
    site: Site
    views: Mapping[str, ArticleView]
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
    expired: int = 0
    """Articles left out because their ``expires:`` time has come."""
    redirects: list[Moved] = field(default_factory=list)
    """Redirects this build added by itself: articles whose URL changed since the ledger recorded it."""
    now: datetime | None = None
    """The time the build took as now (UTC)."""
    upcoming: tuple[Change, ...] = ()
    """When the published site changes next by itself, in time order (brief.render.schedule)."""


@dataclass
class BuildOptions:
    drafts: bool = False
    future: bool = False
    now: datetime | None = None
    """Build time (UTC); default: now (or BRIEF_NOW: :func:`~brief.content.dates.current_time`)."""
    progress: Callable[[str, int, int], None] | None = None
    """Called as the build goes with (stage, items done, items in all), for a progress bar."""
    cache: BuildCache | None = None
    """What the last build kept (brief.cache: the preview's, or ``.brief-cache/``); updated on success."""
    jobs: int | None = None
    """Processes to render pages with; None: every core for a large site, one for a small one."""
    link_check: bool = True
    """Fail on links and images in articles that lead to no page or file of the site."""
    background_cleanup: bool = False
    """Remove the previous output on a thread after the swap (the CLI waits for it once the cache is saved)."""
    save_ahead: bool = False
    """The cache is saved once the build ends (``brief build``): its largest tables start being
    written as soon as the pages are (brief.cache.BuildCache.save_ahead)."""
    search: bool = True
    """Index the articles for search (when the site has it on); the preview indexes on its own, later."""
    fingerprint: bool = True
    """Publish and link stylesheets and scripts under content-hashed names (off in the preview)."""
    ledger: bool = False
    """Read the URL ledger (brief.content.ledger) for redirects from old URLs and, in a build
    into an output folder without drafts or future articles, record this build's article URLs
    in it after success (brief build's; brief check only reads it)."""
    stamps: Stamps | None = None
    """The input files' stamps taken before it began (brief build's): the cache records these."""
    lookahead: Lookahead | None = None
    """The checks of the cache's and the output's files made ahead (brief build's, brief.lookahead)."""
    scorer: Scorer | None = None
    """The process started to score the related suggestions, if asked (brief build's, brief.site.scorer)."""
