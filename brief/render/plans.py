"""Page plans: what one page to render is (:class:`PageSpec`), and how a long list is cut into pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain
from operator import attrgetter
from typing import Any

from brief.content.model import Article
from brief.render.contract import MONTHS, ArticleView, MonthView, Pagination, SiteView
from brief.render.metadata import front_meta, page_meta
from brief.site.model import Site


@dataclass(slots=True)
class PageSpec:
    """One HTML page to render (never changed once made: not frozen only because a frozen
    dataclass takes three times as long to make, and a build makes one per page)."""

    output: str
    """Path in the output folder, e.g. ``tags/energy/page/2/index.html``."""
    path: str
    """Site path without base path, e.g. ``/tags/energy/page/2/``."""
    lastmod: datetime | None
    """Newest change among what the page shows (for the sitemap)."""
    template: str
    context: dict[str, Any] | None = None
    """What the template sees; None when ``make`` builds it on demand."""
    public: bool = True
    """False for pages that are not listed in the sitemap (404)."""
    source: str | None = None
    """The file the page is made from (an article's), for messages; None for built-in pages."""
    make: Callable[[], dict[str, Any]] | None = field(default=None, compare=False, repr=False)
    """Builds the context. Most pages' contexts are built only when the page is processed,
    so a large site never holds every page's context (metadata, related lists) at once."""
    inputs: Callable[[], tuple] | None = field(default=None, compare=False, repr=False)
    """What ``make`` makes the context of, besides the site's settings (brief.toml keys the
    whole build cache): a cached build digests these for the page's key (brief.render.keys)
    instead of making the context, so an unchanged page costs a digest of a few objects whose
    digests are mostly known already. Must name everything the context depends on."""
    deps: tuple[str, ...] | None = field(default=None, compare=False, repr=False)
    """The slugs of the articles whose views ``inputs`` holds (or shows parts of), when
    everything else in them follows from the site's shape (brief.render.pagedeps): a cached
    build then keeps the page's last key, without making its inputs, while none of these
    articles and nothing of that shape changed. None: the key is made every build."""
    own: str | None = field(default=None, compare=False, repr=False)
    """The article whose related list the page shows (its own page's), for the same purpose:
    the articles that list shows are the page's dependencies too (brief.render.pagedeps
    reads them from the list, which may not be complete yet when the page is planned)."""

    @property
    def origin(self) -> str:
        """Who writes the page, as messages name it: the article's file, or ``page <output>``."""
        return self.source or f"page {self.output}"

    def get_context(self) -> dict[str, Any]:
        if self.context is not None:
            return self.context
        assert self.make is not None
        return self.make()


def term_dep(kind: str, slug: str) -> str:
    """In :attr:`PageSpec.deps`, a section's, tag's or author's name, URL, profile, bio and
    articles in order (what its pages are made of besides the articles' views)."""
    return f"#{kind}:{slug}"


def term_name_dep(kind: str, slug: str) -> str:
    """In :attr:`PageSpec.deps`, only a term's name and URL (an article page shows its section's)."""
    return f"#name:{kind}:{slug}"


def terms_dep(kind: str) -> str:
    """In :attr:`PageSpec.deps`, every section's, tag's or author's name, URL, profile, bio
    and articles (:func:`term_dep` of each, in order): the page listing them all."""
    return f"#terms:{kind}"


ORDER_DEP = "#order"
"""In :attr:`PageSpec.deps`: the built articles in order, with their URLs and times (the
front page's and the archive's pages)."""
SECTIONS_DEP = terms_dep("section")
"""In :attr:`PageSpec.deps`: every section's name, URL and articles (the front page's blocks)."""
SITE_DEP = "#site"
"""What every page's key depends on: its template, the site's view, the site's feeds (kept
keys need it unchanged, so no spec names it)."""


def last_change(article: Article) -> datetime:
    """The sitemap's ``lastmod``: the latest of the date, ``updated`` and the newest note."""
    return article.modified


_MODIFIED = attrgetter("modified")  # (last_change, in C: a listing page asks it of every entry)
_SLUG = attrgetter("slug")


def paginated(
    site: Site,
    sv: SiteView,
    base: str,
    views: Mapping[str, ArticleView],
    articles: tuple[Article, ...] | list[Article],
    per_page: int,
    template: str,
    make_page,
    extra: dict[str, Any],
    breadcrumb: list[tuple[str, str]] | None = None,
    first: tuple[dict[str, Any], list[Article]] | None = None,
    frame: tuple[str, ...] = (),
    only: Collection[int] | None = None,
) -> Iterator[PageSpec]:
    """Pages of a listing of ``articles`` at ``base``, ``base/page/2/``…, showing their ``views``
    (taken when a page's context or inputs are made); ``make_page(n, total)`` gives each
    PageView; ``breadcrumb`` is the trail after Home for the listing's metadata; ``first``
    is more context for the first page only, with the articles it shows (for its last change);
    ``frame``: what everything but the entries' views is made of (:attr:`PageSpec.deps`);
    ``only``: the numbers of the pages to plan (brief.render.keptpages), None: every page."""
    listing = _Listing(site, sv, base, views, len(articles), per_page, template, make_page, extra, breadcrumb)
    for n in range(1, listing.total + 1) if only is None else sorted(n for n in only if 1 <= n <= listing.total):
        chunk = articles[(n - 1) * per_page : n * per_page]
        more, shown = first if first is not None and n == 1 else (_NOTHING, ())
        lastmod = max(map(_MODIFIED, chain(chunk, shown) if shown else chunk), default=None)  # (each one's last_change)
        path = listing.path_of(n)
        plan = _ListingPlan(listing, n, chunk, more)
        yield PageSpec(
            path.lstrip("/") + "index.html",
            path,
            lastmod,
            template,
            make=plan,
            inputs=plan.inputs,
            deps=(*frame, *map(_SLUG, chunk), *map(_SLUG, shown)),
        )


_NOTHING: dict[str, Any] = {}  # (never changed: the context of pages but a listing's first)


class _Listing:
    """What every page of one listing shares (:func:`paginated`): each page's plan is then a
    :class:`_ListingPlan` of five slots, not two closures and a list of views (the 6,000
    listing pages of 10,000 articles: about 5 ms less to plan, and less memory)."""

    __slots__ = ("site", "sv", "base", "views", "total", "template", "make_page", "extra", "breadcrumb")

    def __init__(
        self,
        site: Site,
        sv: SiteView,
        base: str,
        views: Mapping[str, ArticleView],
        count: int,
        per_page: int,
        template: str,
        make_page,
        extra: dict[str, Any],
        breadcrumb: list[tuple[str, str]] | None,
    ) -> None:
        self.site, self.sv, self.base, self.views, self.template = site, sv, base, views, template
        self.total = max(1, -(-count // per_page))
        self.make_page, self.extra, self.breadcrumb = make_page, extra, breadcrumb

    def path_of(self, n: int) -> str:
        return self.base if n == 1 else f"{self.base}page/{n}/"

    def pagination(self, n: int) -> Pagination:  # (made only for a page made again: few in a cached build)
        site, total = self.site, self.total
        return Pagination(
            number=n,
            total=total,
            prev_url=site.url(self.path_of(n - 1)) if n > 1 else None,
            next_url=site.url(self.path_of(n + 1)) if n < total else None,
        )


class _ListingPlan:
    """One listing page's plan: calling it makes the page's context; :meth:`inputs` are what
    the page's key is made of. The entries' views are taken from the build's views once."""

    __slots__ = ("listing", "n", "articles", "more", "made")

    def __init__(self, listing: _Listing, n: int, articles: Sequence[Article], more: dict[str, Any]) -> None:
        self.listing, self.n, self.articles, self.more = listing, n, articles, more
        self.made: list[ArticleView] | None = None

    def entries(self) -> list[ArticleView]:
        if self.made is None:
            views = self.listing.views
            self.made = [views[a.slug] for a in self.articles]
        return self.made

    def __call__(self) -> dict[str, Any]:
        listing, n = self.listing, self.n
        site, entries = listing.site, self.entries()
        page = replace(listing.make_page(n, listing.total), canonical=site.absolute_url(listing.path_of(n)))
        page = replace(
            page,
            meta=front_meta(site, page)
            if page.kind == "index" and n == 1
            else page_meta(site, page, listing.breadcrumb),
        )
        context = {
            "site": listing.sv,
            "page": page,
            "entries": entries,
            "pagination": listing.pagination(n),
            **listing.extra,
            **self.more,
        }
        if "months" in listing.extra:
            context["months"] = months_on_page(entries, site)
        return context

    def inputs(self) -> tuple:
        listing, n = self.listing, self.n
        page = listing.make_page(n, listing.total)
        pagination = listing.pagination(n)
        return (
            listing.template,
            listing.sv,
            n,
            page,
            self.entries(),
            pagination,
            listing.extra,
            listing.breadcrumb,
            self.more,
        )


def months_on_page(entries: list[ArticleView], site: Site) -> tuple[MonthView, ...]:
    """Entries of one archive page grouped by month, newest first."""
    groups: dict[tuple[int, int], list[ArticleView]] = defaultdict(list)
    for entry in entries:
        groups[(entry.date.year, entry.date.month)].append(entry)
    return tuple(
        MonthView(f"{MONTHS[m - 1]} {y}", f"m-{y}-{m:02d}", "", len(items), tuple(items))
        for (y, m), items in sorted(groups.items(), reverse=True)
    )
