"""Which pages the site has: articles, the front page, listings, archive, 404.

Pure: from the site index and the article views to a list of :class:`PageSpec`
(output path, site path, last change, template and context). Rendering them is
render.py's job; the sitemap is made from the same list, so every page built is
a page listed.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from markupsafe import Markup

from brief.content.model import Article
from brief.digests import pickled_digest
from brief.render.archive import archive_pages
from brief.render.atom import ATOM_TYPE
from brief.render.contract import (
    ArticleView,
    DocView,
    FeedLink,
    FrontSection,
    Meta,
    PageView,
    SiteView,
)
from brief.render.corrections import corrections_pages
from brief.render.metadata import article_meta, page_meta
from brief.render.plans import (
    ORDER_DEP,
    SECTIONS_DEP,
    PageSpec,
    last_change,
    paginated,
    term_name_dep,
)
from brief.render.share import share_links
from brief.render.standalone import doc_pages
from brief.render.termpages import overview_page, term_pages
from brief.render.views import related_views, site_view
from brief.site.model import Site, Term

ATOM = ATOM_TYPE
JSON_FEED = "application/feed+json"
LATEST_ON_404 = 5
FRONT_SECTION_ENTRIES = 3
"""Briefs in each section's block on the front page."""


@dataclass
class PageMemo:
    """The page plans' part of the build cache, in memory only (the preview's): each article
    page's metadata, kept while its view and page heading are the very same."""

    meta: dict[str, tuple[ArticleView, PageView, Meta]] = field(default_factory=dict)


def site_pages(
    site: Site,
    views: Mapping[str, ArticleView],
    bios: dict[str, Markup] | None = None,
    memo: PageMemo | None = None,
    docs: dict[str, DocView] | None = None,
) -> Iterator[PageSpec]:
    """Every page of the site, in a stable order: the articles', then :func:`other_pages`
    (made of ``bios`` and ``docs``). ``memo`` (the preview's) keeps an article's metadata
    while its view and page are the same. No plan reads the related lists (a page's context
    and inputs do, when made): the pages may be planned while they are being made."""
    sv = site_view(site)
    articles = ArticlePages(site, sv, views, site_feeds(site), memo)  # (its digests live as long as the specs)
    for article in site.articles:
        yield articles.spec(article)
    yield from other_pages(site, views, bios, docs)


def other_pages(
    site: Site,
    views: Mapping[str, ArticleView],
    bios: dict[str, Markup] | None = None,
    docs: dict[str, DocView] | None = None,
) -> Iterator[PageSpec]:
    """Every page but the articles', in a stable order: the front page, the sections', tags'
    and authors' listings, the archive, corrections, standalone pages, 404 and search. None
    reads the related lists. ``bios`` are rendered author bios by slug; ``docs`` are the
    standalone pages' views by slug (brief.render.standalone)."""
    sv, main_feeds = site_view(site), site_feeds(site)
    yield from front_pages(site, sv, views, main_feeds)
    for kind, terms in (("section", site.sections), ("tag", site.tags), ("author", site.authors)):
        yield overview_page(site, sv, kind, terms, views, main_feeds)
        for term in terms.values():
            yield from term_pages(site, sv, term, views, main_feeds, author_bio(bios, term))
    yield from archive_pages(site, sv, views, main_feeds)
    yield from closing_pages(site, sv, views, docs, main_feeds)


def author_bio(bios: dict[str, Markup] | None, term: Term) -> Markup | None:
    """What an author's listing shows of ``bios`` (rendered, by slug); None for other terms."""
    return (bios or {}).get(term.slug) if term.kind == "author" else None


def front_pages(
    site: Site,
    sv: SiteView,
    views: Mapping[str, ArticleView],
    main_feeds: tuple[FeedLink, ...],
    only: Collection[int] | None = None,
) -> Iterator[PageSpec]:
    """The front page and its following pages (``only``: of these numbers, brief.render.plans.paginated)."""
    yield from paginated(
        site,
        sv,
        "/",
        views,
        site.articles,
        site.config.per_page,
        "index.html",
        lambda n, total: PageView(
            sv.title if n == 1 else f"{sv.title} — Page {n} of {total}",
            sv.description or sv.title,
            "",
            "index",
            main_feeds,
        ),
        {},
        first=front_sections(site, views),
        frame=(ORDER_DEP, SECTIONS_DEP),
        only=only,
    )


def closing_pages(
    site: Site,
    sv: SiteView,
    views: Mapping[str, ArticleView],
    docs: dict[str, DocView] | None,
    main_feeds: tuple[FeedLink, ...],
) -> Iterator[PageSpec]:
    """The last pages of :func:`other_pages`, after the archive's: corrections, standalone
    pages, 404 and search. None has :attr:`PageSpec.deps`."""
    yield from corrections_pages(site, sv, views, main_feeds)
    yield from doc_pages(site, sv, docs or {}, main_feeds)
    page = PageView(
        f"Page not found — {sv.title}", sv.description or sv.title, site.absolute_url("/404.html"), "404", main_feeds
    )
    page = replace(page, meta=page_meta(site, page))
    yield PageSpec(
        "404.html",
        "/404.html",
        None,
        "404.html",
        {"site": sv, "page": page, "latest": [views[a.slug] for a in site.articles[:LATEST_ON_404]]},
        public=False,
    )
    if sv.search_url:  # not in the sitemap: it has nothing of its own to find
        page = PageView(
            f"Search — {sv.title}",
            f"Search the briefs of {sv.title}.",
            site.absolute_url("/search/"),
            "search",
            main_feeds,
        )
        yield PageSpec(
            "search/index.html",
            "/search/",
            None,
            "search.html",
            {"site": sv, "page": replace(page, meta=page_meta(site, page)), "bundle": site.url("/pagefind/")},
            public=False,
        )


def article_page(
    site: Site,
    sv: SiteView,
    article: Article,
    view: ArticleView,
    views: Mapping[str, ArticleView],
    main_feeds: tuple[FeedLink, ...],
    memo: PageMemo | None = None,
    digests: dict[int, bytes] | None = None,
) -> PageSpec:
    """The page of one article (also used by the preview to show an edit before the full rebuild).
    ``digests`` keeps, by object, what the page's key digests of objects many pages share (the
    related entries made of each article's view, the site's feeds): it must outlive them all."""
    return ArticlePages(site, sv, views, main_feeds, memo, digests).spec(article, view)


class ArticlePages:
    """What every article page of one build is made of, shared by their plans: a plan is
    then an :class:`_ArticlePlan` of three slots, where two closures over eight variables
    took about 900 bytes per article (90 MB at 100,000 articles)."""

    __slots__ = ("site", "sv", "views", "main_feeds", "memo", "digests", "sections")

    def __init__(
        self,
        site: Site,
        sv: SiteView,
        views: Mapping[str, ArticleView],
        main_feeds: tuple[FeedLink, ...],
        memo: PageMemo | None = None,
        digests: dict[int, bytes] | None = None,
    ) -> None:
        self.site, self.sv, self.views, self.main_feeds, self.memo = site, sv, views, main_feeds, memo
        self.digests = {} if digests is None else digests
        self.sections: dict[str, str] = {}  # each section's dependency name, by the name as written

    def spec(self, article: Article, view: ArticleView | None = None) -> PageSpec:
        """The plan of ``article``'s page, showing ``view`` (None: the build's view of it,
        taken when the page's context or inputs are made)."""
        plan = _ArticlePlan(self, article, view)
        section = self.sections.get(article.section)
        if section is None:  # (one string per section, not one per article: 100,000 pages)
            section = self.sections[article.section] = term_name_dep(
                "section", self.site.term("section", article.section).slug
            )
        return PageSpec(
            f"{article.output_dir}/index.html",
            article.url_path,
            last_change(article),
            "article.html",
            source=article.relpath,
            make=plan,
            inputs=plan.inputs,
            deps=(section, article.slug),  # (and what its related list shows: ``own``)
            own=article.slug,
        )

    def context(self, article: Article, view: ArticleView) -> dict[str, Any]:
        site, sv, memo = self.site, self.sv, self.memo
        term = site.term("section", article.section)
        feeds = self.main_feeds + (
            FeedLink(f"{term.name} — {sv.title}", site.absolute_url(term.url_path + "feed.xml"), ATOM),
        )
        page = PageView(
            f"{view.title} — {sv.title}",
            view.dek or sv.description or view.title,
            view.original_url or view.canonical,
            "article",
            feeds,
        )
        last = memo.meta.get(article.slug) if memo is not None else None
        if last is not None and last[0] is view and last[1] == page:
            meta = last[2]
        else:
            meta = article_meta(site, page, view)
            if memo is not None:
                memo.meta[article.slug] = (view, page, meta)
        return {
            "site": sv,
            "page": replace(page, meta=meta),
            "article": view,
            "related": related_views(site, article.slug, self.views),
            "share": share_links(view, memoised=memo is not None),
        }

    def inputs(self, article: Article, view: ArticleView) -> tuple:
        # What the related entries show (related_views makes them of the same fields), as plain
        # values: an edit of a related article's text leaves this page as it is. Each article's
        # entry, and the site's feeds, are digested once per process (``digests``, by object).
        site, views, digests, main_feeds = self.site, self.views, self.digests, self.main_feeds
        term = site.term("section", article.section)
        related: list[tuple | bytes] = []
        for item in site.related.get(article.slug, ()):
            if item.external or item.article is None:
                related.append((item.title, item.url, item.domain))
            else:
                other = views[item.article.slug]
                found = digests.get(id(other))
                if found is None:
                    entry = (other.title, other.url, other.section, other.date, other.dek)
                    found = digests[id(other)] = pickled_digest(entry)
                related.append(found)
        feeds = digests.get(id(main_feeds))
        if feeds is None:
            feeds = digests[id(main_feeds)] = pickled_digest(main_feeds)
        return ("article.html", self.sv, view, term.name, term.url_path, tuple(related), feeds)


class _ArticlePlan:
    """One article page's plan: calling it makes the page's context."""

    __slots__ = ("pages", "article", "view")

    def __init__(self, pages: ArticlePages, article: Article, view: ArticleView | None) -> None:
        self.pages, self.article, self.view = pages, article, view

    def __call__(self) -> dict[str, Any]:
        return self.pages.context(self.article, self._view())

    def inputs(self) -> tuple:
        return self.pages.inputs(self.article, self._view())

    def _view(self) -> ArticleView:
        if self.view is None:  # (taken once: the page's key is made of it, then its context)
            self.view = self.pages.views[self.article.slug]
        return self.view


def front_sections(site: Site, views: Mapping[str, ArticleView]) -> tuple[dict[str, Any], list[Article]]:
    """The first front page's section blocks (``sections``: each section's latest briefs that
    are not among the page's own entries, sections without any left out), and their articles."""
    on_page = {a.slug for a in site.articles[: site.config.per_page]}
    blocks, shown = [], []
    for term in site.sections.values():
        rest = [a for a in term.articles if a.slug not in on_page][:FRONT_SECTION_ENTRIES]
        if rest:
            entries = tuple(views[a.slug] for a in rest)
            blocks.append(FrontSection(term.name, site.url(term.url_path), len(term.articles), entries))
            shown += rest
    return {"sections": tuple(blocks)}, shown


def site_feeds(site: Site) -> tuple[FeedLink, ...]:
    """The site's own feeds, announced on every page."""
    title = site.config.title
    return (
        FeedLink(title, site.absolute_url("/feed.xml"), ATOM),
        FeedLink(f"{title} (JSON Feed)", site.absolute_url("/feed.json"), JSON_FEED),
    )
