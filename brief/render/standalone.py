"""Standalone pages rendered: each page's Markdown once, its page plan, and its links.

In: the site index (its built pages and menu) and the build's Markdown renderer. Out: a
:class:`~brief.render.contract.DocView` per page (the body through the same renderer as
articles: ``.md`` links, images next to the page, heading ids, foreign template syntax),
the files next to pages that they show, their :class:`PageSpec` (``page.html`` at
``/{slug}/``, public, so listed in sitemap.xml; never in feeds, listings, related lists,
the news sitemap or the search index), and the links of pages and of the menu that lead
nowhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from brief.errors import Problem
from brief.render.contract import DocView, FeedLink, PageView, SiteView
from brief.render.fragment import PageEnv
from brief.render.links import NO_PAGE_HINT, html_urls, why_broken, with_feeds, written_link_problems
from brief.render.markdown import Renderer
from brief.render.metadata import page_meta
from brief.render.plans import PageSpec
from brief.settings import CONFIG_NAME
from brief.site.model import Site
from brief.urls import path_url

PAGE_TEMPLATE = "page.html"
"""Files the build writes after the pages, which a link may lead to."""


def render_docs(
    site: Site, renderer: Renderer, assets: dict[str, tuple[Path, str]]
) -> tuple[dict[str, DocView], list[Problem]]:
    """The Markdown of every built page, once: the views by slug and the problems found. The
    files next to pages that they show are added to ``assets`` (output path → source file and
    the page's file), with the articles'."""
    docs: dict[str, DocView] = {}
    problems: list[Problem] = []
    for page in site.pages:
        env = PageEnv(source=page.path, relpath=page.relpath, url_path=page.url_path)
        body = renderer.block(page.body, env, page.body_line)
        docs[page.slug] = DocView(
            slug=page.slug,
            title=page.title,
            dek=page.dek,
            url=site.url(page.url_path),
            canonical=site.absolute_url(page.url_path),
            updated=page.updated.astimezone(site.config.tz) if page.updated else None,
            draft=page.draft,
            body=body,
        )
        problems += env.problems
        renderer.images.want(env.images)
        for output, source in env.assets.items():
            assets[output] = (source, page.relpath)
    return docs, problems


def searchable(specs: list[PageSpec]) -> list[str]:
    """Output paths of the pages to index for search: those made from a file (the articles'),
    but not standalone pages, which every page's menu links and which have no date, section
    or tag for the search page's filters."""
    return [spec.output for spec in specs if spec.source and spec.template != PAGE_TEMPLATE]


def doc_pages(
    site: Site, sv: SiteView, docs: dict[str, DocView], main_feeds: tuple[FeedLink, ...]
) -> Iterator[PageSpec]:
    """The page of each standalone page, at ``/{slug}/``."""
    for page in site.pages:
        doc = docs[page.slug]
        view = PageView(
            f"{doc.title} — {sv.title}", doc.dek or sv.description or doc.title, doc.canonical, "page", main_feeds
        )
        view = replace(view, meta=page_meta(site, view, [(doc.title, doc.canonical)]))
        yield PageSpec(
            f"{page.output_dir}/index.html",
            page.url_path,
            page.updated,
            PAGE_TEMPLATE,
            {"site": sv, "page": view, "doc": doc},
            source=page.relpath,
        )


def doc_link_problems(
    site: Site, docs: dict[str, DocView], files: set[str], has_id: Callable[[str, str], bool | None] | None = None
) -> list[Problem]:
    """Links and images written in pages, and ``[[menu]]`` site paths, that lead to no page or
    file of this build (``files``: its pages, static files and files next to articles and pages),
    and ``#anchors`` that name no element of their page: the check articles get."""
    files = with_feeds(site, files)
    base = site.config.base_path
    problems = []
    for page in site.pages:
        problems += written_link_problems(page, html_urls(docs[page.slug].body), files, base, has_id)
    for item in site.config.menu:
        if item.url is None or not item.url.startswith("/"):
            continue
        cut = min((i for i in (item.url.find("?"), item.url.find("#")) if i >= 0), default=len(item.url))
        reason = why_broken("index.html", base + path_url(item.url[1:cut]), {}, files, base)
        if reason is not None:
            problems.append(
                Problem(CONFIG_NAME, item.target_line, f"menu[{item.index}].url", f"{item.url}: {reason}{NO_PAGE_HINT}")
            )
    return problems
