"""Stage 3 for standalone pages: which pages this build has, URL clashes, and the menu.

Pure: from the validated pages and articles, the config (its ``[[menu]]``) and the names of
the site's own static files to the built pages, every valid page by slug, the resolved
menu and the problems. A page is published at ``/{slug}/``; that URL may be no other
page's, no article's, none of brief's own pages' (``/sections/``, ``/tags/``, …) and no
static file's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from brief.config import Config
from brief.content.model import Article, Page
from brief.errors import WARNING, Problem, did_you_mean
from brief.menus import MenuItem
from brief.settings import CONFIG_NAME, clean_url
from brief.site.model import MenuLink, Site
from brief.urls import path_url

OWN_FOLDERS = {
    "sections": "the list of sections",
    "tags": "the list of topics",
    "authors": "the list of authors",
    "archive": "the archive",
    "corrections": "the list of corrections",
}
"""First folders of brief's own pages, which no standalone page may take."""
SEARCH_FOLDERS = {"search": "search page", "pagefind": "search index"}
"""Taken too when the site has search on."""


@dataclass(frozen=True, slots=True)
class PageIndex:
    pages: tuple[Page, ...]
    """The pages of this build, by slug."""
    all_pages: dict[str, Page]
    """Every valid page by slug, drafts included."""
    menu: tuple[MenuLink, ...]


def index_pages(
    pages: list[Page],
    articles: list[Article],
    config: Config,
    *,
    drafts: bool,
    invalid_slugs: frozenset[str],
    static: frozenset[str],
    problems: list[Problem],
) -> PageIndex:
    """Index the valid ``pages``; problems (clashes, menu entries leading nowhere) go to ``problems``.

    ``invalid_slugs`` are the likely slugs of files that failed (a menu entry naming one is not
    reported again, nor one naming a page whose URL clashes); ``static`` holds the output paths
    of the site's own static files."""
    by_slug = _unique(pages, problems)
    dropped = {p.slug for p in pages} - set(by_slug)
    taken = _taken_urls(articles, config)
    for page in sorted(by_slug.values(), key=lambda p: p.relpath):
        clash = taken.get(page.url_path) or (
            f"the file static/{page.output_dir}/index.html" if f"{page.output_dir}/index.html" in static else None
        )
        if clash is not None:
            problems.append(
                Problem(
                    page.relpath,
                    page.slug_line,
                    "slug",
                    f"the page's URL {page.url_path} is also {clash} (expected each page to have its own URL; "
                    "set another slug:)",
                )
            )
            del by_slug[page.slug]
            dropped.add(page.slug)
    built = tuple(sorted((p for p in by_slug.values() if drafts or not p.draft), key=lambda p: p.slug))
    shown = {p.slug: p for p in built}
    quiet = invalid_slugs | dropped
    links = [_menu_link(item, shown, by_slug, articles, quiet, config, problems) for item in config.menu]
    return PageIndex(built, by_slug, tuple(link for link in links if link is not None))


@dataclass(frozen=True, slots=True)
class PageLinkStates:
    """What a Markdown link to a page's ``.md`` file becomes (brief.render.markdown.Renderer)."""

    urls: dict[Path, str]
    """Source file (resolved) → root-relative URL, for each page of the build."""
    unbuilt: frozenset[Path]
    """Valid pages left out of this build (drafts): a link to one is a warning."""
    clashing: frozenset[Path]
    """Pages left out for a URL clash, reported on their own: a link to one is not reported again."""


def page_link_states(site: Site, pages: list[Page]) -> PageLinkStates:
    """The link targets of the standalone pages of ``site``; ``pages``: every valid one."""
    built = {p.slug for p in site.pages}
    return PageLinkStates(
        {p.key: site.url(p.url_path) for p in site.pages},
        frozenset(p.key for p in site.all_pages.values() if p.slug not in built),
        frozenset(p.key for p in pages if site.all_pages.get(p.slug) is not p),
    )


def _unique(pages: list[Page], problems: list[Problem]) -> dict[str, Page]:
    groups: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        groups[page.slug].append(page)
    for slug, group in groups.items():
        for page in group if len(group) > 1 else ():
            others = ", ".join(o.relpath for o in group if o is not page)
            problems.append(
                Problem(
                    page.relpath,
                    page.slug_line,
                    "slug",
                    f"the page's URL /{slug}/ is also the URL of the page {others} "
                    "(expected every page to have its own slug; set slug: in one of them)",
                )
            )
    return {slug: group[0] for slug, group in groups.items() if len(group) == 1}


def _taken_urls(articles: list[Article], config: Config) -> dict[str, str]:
    """Site paths a page may not have → what has them."""
    taken = {f"/{folder}/": f"brief's own page /{folder}/ ({what})" for folder, what in OWN_FOLDERS.items()}
    if config.search:
        taken |= {f"/{folder}/": f"brief's own {what} /{folder}/" for folder, what in SEARCH_FOLDERS.items()}
    for article in sorted(articles, key=lambda a: a.relpath):
        taken.setdefault(article.url_path, f"the URL of the article {article.relpath}")
    return taken


def _menu_link(
    item: MenuItem,
    built: dict[str, Page],
    valid: dict[str, Page],
    articles: list[Article],
    invalid_slugs: frozenset[str],
    config: Config,
    problems: list[Problem],
) -> MenuLink | None:
    field = f"menu[{item.index}].page"
    if item.url is not None:
        return _url_link(item, config)
    assert item.page is not None
    page = built.get(item.page)
    if page is not None:
        url = config.base_path + path_url(page.url_path.lstrip("/"))
        return MenuLink(item.title, url, page.url_path, item.header, item.footer)
    if item.page in valid:
        problems.append(
            Problem(
                CONFIG_NAME,
                item.target_line,
                field,
                f"the page '{item.page}' ({valid[item.page].relpath}) is a draft, so the menu leaves it out of this build",
                WARNING,
                "menu-page-not-built",
            )
        )
    elif item.page not in invalid_slugs:  # a page with errors of its own: those are reported
        article = next((a for a in articles if a.slug == item.page), None)
        hint = (
            f"; '{item.page}' is an article: link it with url = \"{article.url_path}\""
            if article is not None
            else did_you_mean(item.page, valid)
        )
        problems.append(
            Problem(
                CONFIG_NAME,
                item.target_line,
                field,
                f"no page with slug '{item.page}' (expected the slug of a standalone page: a file in "
                f"content/pages/ or one with type: page){hint}",
            )
        )
    return None


def _url_link(item: MenuItem, config: Config) -> MenuLink:
    url = item.url
    assert url is not None
    if not url.startswith("/"):
        return MenuLink(item.title, clean_url(url), None, item.header, item.footer)
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path = url[:cut]
    return MenuLink(item.title, config.base_path + path_url(path[1:]) + url[cut:], path, item.header, item.footer)
