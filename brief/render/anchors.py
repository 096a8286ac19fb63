"""Which ids a page of this build has, before any page is written: what the build's
``#anchor`` check asks (:data:`brief.render.links.HasId`).

An article's ids are first looked for in its rendered Markdown (headings, footnotes,
raw ``id``/``<a name>``), which the build already holds; only an id found there
neither, or on a page that is not an article, makes the page be rendered through
its template, once, to read the ids the theme gives it. A site whose templates do
not compile answers "unknown" (their errors are reported on their own).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import jinja2

from brief.content.model import Article
from brief.render.contract import ArticleView
from brief.render.links import extract
from brief.render.plans import PageSpec
from brief.render.templates import render_page


def link_index(
    articles: Sequence[Article],
    specs: list[PageSpec],
    views: Mapping[str, ArticleView],
    files: Mapping[str, object],
    env: jinja2.Environment | None,
) -> tuple[set[str], PageIds]:
    """What a build's link checks read: every output path (the pages' and ``files``'), and
    the ids of each page (its ``articles``' pages by their views)."""
    pages = {a.output_dir + "/index.html": a.slug for a in articles}
    return {spec.output for spec in specs} | set(files), PageIds(specs, pages, views, env)


class PageIds:
    """``has_id(output, fragment)`` for the pages in ``specs``."""

    def __init__(
        self,
        specs: list[PageSpec],
        articles: Mapping[str, str],
        views: Mapping[str, ArticleView],
        env: jinja2.Environment | None,
    ) -> None:
        """``articles``: the slug of each article page, by its output path; ``views``: the
        articles' views, by slug (a view is asked for only when a link names its page)."""
        self._specs = {spec.output: spec for spec in specs}
        self._articles = articles
        self._views = views
        self._env = env
        self._markdown: dict[str, set[str]] = {}
        self._rendered: dict[str, set[str] | None] = {}

    def __call__(self, output: str, fragment: str) -> bool | None:
        spec = self._specs.get(output)
        if spec is None:
            return None
        slug = self._articles.get(output)
        if slug is not None:
            view = self._views[slug]
            if output not in self._markdown:
                self._markdown[output] = extract(_markdown_html(view)).ids
            if fragment in self._markdown[output]:
                return True
        if output not in self._rendered:
            self._rendered[output] = self._render(spec)
        ids = self._rendered[output]
        return None if ids is None else fragment in ids

    def _render(self, spec: PageSpec) -> set[str] | None:
        if self._env is None:
            return None
        data = render_page(self._env, spec, spec.get_context(), [])
        return None if data is None else extract(data.decode("utf-8", "replace")).ids


def _markdown_html(view: ArticleView) -> str:
    return "".join(
        [
            view.body,
            *view.takeaways,
            view.analysis.body if view.analysis else "",
            view.image.caption if view.image and view.image.caption else "",
        ]
    )
