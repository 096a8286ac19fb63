"""The preview's fast path: one edited article's page, rendered against the last build.

In: the :class:`~brief.build.BuildState` of the last good build and the path of an edited
article. Out: that article's page as a full build would make it, or None when only a full
build can tell (errors, a new or moved article). The preview publishes it at once and the
full rebuild that follows publishes the exact site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from brief.build import BuildState
from brief.content.corrections import future_notes
from brief.content.files import load
from brief.content.schema import validate
from brief.errors import errors_in, tuned
from brief.render.fragment import PageEnv
from brief.render.pages import article_page, site_feeds
from brief.render.templates import render_page
from brief.render.views import article_view, site_view


@dataclass(frozen=True)
class ArticlePage:
    """One article's page, rendered on its own (see :func:`render_article_page`)."""

    output: str
    """Path in the output folder, e.g. ``2026/10/a/index.html``."""
    path: str
    """Site path without the base path, e.g. ``/2026/10/a/``."""
    data: bytes
    files: tuple[str, ...]
    """Output paths of the files next to the article that the page shows."""


def render_article_page(state: BuildState, path: Path) -> ArticlePage | None:
    """The page of the article in ``path`` as it is now, rendered against the index of the
    build ``state`` came from: how the preview shows an edit at once, before the full
    rebuild. None when that would not be the page a full build makes: the file has
    errors, is not an article of that build, or moved to another address."""
    config, site = state.config, state.site
    doc = load(path, config.root)
    if isinstance(doc, list):
        return None
    article, problems = validate(doc, config)
    if article is not None and site.now is not None:
        problems += future_notes([article], site.now)
    old = site.by_path.get(str(article.key)) if article is not None else None
    if (
        article is None
        or old is None
        or old.slug not in site.built
        or old.url_path != article.url_path
        or errors_in(tuned(problems, config.warnings))
    ):
        return None
    env = PageEnv(source=article.path, relpath=article.relpath, url_path=article.url_path)
    view = article_view(article, site, state.renderer, env)
    if errors_in(tuned(env.problems, config.warnings)):
        return None
    spec = article_page(site, site_view(site), article, view, state.views, site_feeds(site))
    data = render_page(state.env, spec, spec.get_context(), [])
    if data is None:
        return None
    return ArticlePage(spec.output, spec.path, data, tuple(env.assets))
