"""The pages of sections, tags and authors: each one's listing, and the page listing them all."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import replace
from typing import Any

from markupsafe import Markup

from brief.render.atom import ATOM_TYPE
from brief.render.contract import ArticleView, FeedLink, ListingView, PageView, SiteView, TermView
from brief.render.metadata import page_meta
from brief.render.plans import PageSpec, last_change, paginated, term_dep, terms_dep
from brief.site.model import TERM_FOLDERS, Site, Term

OVERVIEW_HEADINGS = {"section": "Sections", "tag": "Tags", "author": "Authors"}
"""The heading of the page listing every section, tag or author (and its crumb on each one's pages)."""


def term_pages(
    site: Site,
    sv: SiteView,
    term: Term,
    views: Mapping[str, ArticleView],
    main_feeds: tuple[FeedLink, ...],
    bio: Markup | None,
    only: Collection[int] | None = None,
) -> Iterator[PageSpec]:
    """The pages of ``term``'s listing (``only``: of these numbers, brief.render.plans.paginated)."""
    heading = term.name
    title = f"Tag: {heading}" if term.kind == "tag" else heading  # the document's and the feed's
    description = {
        "section": f"The latest {term.name} briefs from {sv.title}.",
        "tag": f"Briefs about {term.name} from {sv.title}.",
        "author": f"Briefs by {term.name} for {sv.title}.",
    }[term.kind]
    profile = term.profile
    if profile and profile.role:
        description = f"{term.name}, {profile.role}. {description}"
    feed = site.absolute_url(term.url_path + "feed.xml") if term.kind in ("section", "tag") else None
    feeds = main_feeds + ((FeedLink(f"{title} — {sv.title}", feed, ATOM_TYPE),) if feed else ())
    avatar = None
    if profile and profile.avatar:
        avatar = site.url(profile.avatar) if profile.avatar.startswith("/") else profile.avatar
    listing = ListingView(
        term.kind,
        heading,
        description,
        term.name,
        site.url(term.url_path),
        feed,
        profile.role if profile else None,
        bio,
        avatar,
        len(term.articles),
    )

    def make_page(n: int, total: int) -> PageView:
        suffix = f" — Page {n} of {total}" if n > 1 else ""
        return PageView(f"{title}{suffix} — {sv.title}", description, "", term.kind, feeds)

    folder = TERM_FOLDERS[term.kind]
    overview = OVERVIEW_HEADINGS[term.kind]
    trail = [(overview, site.absolute_url(f"/{folder}/")), (term.name, site.absolute_url(term.url_path))]
    yield from paginated(
        site,
        sv,
        term.url_path,
        views,
        term.articles,
        site.config.per_page,
        "list.html",
        make_page,
        {"listing": listing},
        trail,
        frame=(term_dep(term.kind, term.slug),),
        only=only,
    )


def overview_page(
    site: Site,
    sv: SiteView,
    kind: str,
    terms: dict[str, Term],
    views: Mapping[str, ArticleView],
    main_feeds: tuple[FeedLink, ...],
) -> PageSpec:
    """The page listing every section, tag or author (``kind``): each one's name, count and
    latest brief. Its context is made when asked for; its key is kept while those terms
    and their latest briefs are the same."""
    folder = TERM_FOLDERS[kind]
    latest = [t.articles[0] for t in terms.values() if t.articles]

    def make() -> dict[str, Any]:  # (a closure: three such pages a build)
        heading = OVERVIEW_HEADINGS[kind]
        description = {
            "section": f"Every section of {sv.title}.",
            "tag": f"Every topic covered by {sv.title}, with the number of briefs.",
            "author": f"The writers of {sv.title}.",
        }[kind]
        items = [
            TermView(t.name, site.url(t.url_path), len(t.articles), views[t.articles[0].slug] if t.articles else None)
            for t in terms.values()
        ]
        page = PageView(f"{heading} — {sv.title}", description, site.absolute_url(f"/{folder}/"), folder, main_feeds)
        page = replace(page, meta=page_meta(site, page, [(heading, page.canonical)]))
        return {"site": sv, "page": page, "heading": heading, "kind": kind, "terms": items}

    return PageSpec(
        f"{folder}/index.html",
        f"/{folder}/",
        max(map(last_change, latest), default=None),
        "terms.html",
        make=make,
        deps=(terms_dep(kind), *(article.slug for article in latest)),
    )
