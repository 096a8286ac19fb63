"""The archive: one page per year, its months in order, and the overview of every year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from brief.content.model import Article
from brief.render.contract import MONTHS, ArticleView, FeedLink, ListingView, MonthView, PageView, SiteView, YearView
from brief.render.metadata import page_meta
from brief.render.plans import ORDER_DEP, PageSpec, last_change, paginated
from brief.site.model import Site


def archive_pages(
    site: Site, sv: SiteView, views: Mapping[str, ArticleView], main_feeds: tuple[FeedLink, ...]
) -> Iterator[PageSpec]:
    """The archive's first page (every year, its months), then each year's pages, newest first."""
    by_year = _by_year(site)
    yield archive_index(site, sv, main_feeds, by_year)
    for year in sorted(by_year, reverse=True):
        yield from year_pages(site, sv, views, main_feeds, year, by_year[year])


def archive_index(
    site: Site, sv: SiteView, main_feeds: tuple[FeedLink, ...], by_year: Mapping[int, list[Article]] | None = None
) -> PageSpec:
    """The archive's first page: every year with its months. Its context is made when asked
    for (``by_year``: each year's articles, in the site's order; None: found then); its key
    is kept while the order and its newest article, which gives its last change, are the same."""
    newest = site.articles[0] if site.articles else None
    return PageSpec(
        "archive/index.html",
        "/archive/",
        last_change(newest) if newest is not None else None,
        "archive.html",
        make=partial(_index_context, site, sv, main_feeds, by_year),
        deps=(ORDER_DEP, newest.slug) if newest is not None else (ORDER_DEP,),
    )


def _index_context(
    site: Site, sv: SiteView, main_feeds: tuple[FeedLink, ...], by_year: Mapping[int, list[Article]] | None
) -> dict[str, Any]:
    tz, per_page = site.config.tz, site.config.archive_per_page
    by_year = _by_year(site) if by_year is None else by_year
    years = []
    for year in sorted(by_year, reverse=True):
        articles = by_year[year]
        counts: dict[int, int] = defaultdict(int)
        first_page: dict[int, int] = {}
        for i, article in enumerate(articles):
            month = article.date.astimezone(tz).month
            counts[month] += 1
            first_page.setdefault(month, i // per_page + 1)
        base = f"/archive/{year}/"
        months = tuple(
            MonthView(
                f"{MONTHS[m - 1]} {year}",
                f"m-{year}-{m:02d}",
                site.url(base if first_page[m] == 1 else f"{base}page/{first_page[m]}/") + f"#m-{year}-{m:02d}",
                counts[m],
            )
            for m in sorted(counts, reverse=True)
        )
        years.append(YearView(year, site.url(base), len(articles), months))
    page = PageView(
        f"Archive — {sv.title}",
        f"Every brief published by {sv.title}, by year and month.",
        site.absolute_url("/archive/"),
        "archive",
        main_feeds,
    )
    page = replace(page, meta=page_meta(site, page, [("Archive", page.canonical)]))
    return {"site": sv, "page": page, "years": years}


def year_pages(
    site: Site,
    sv: SiteView,
    views: Mapping[str, ArticleView],
    main_feeds: tuple[FeedLink, ...],
    year: int,
    articles: list[Article],
    only: Collection[int] | None = None,
) -> Iterator[PageSpec]:
    """The pages of ``year``'s ``articles`` (``only``: of these numbers, brief.render.plans.paginated)."""
    heading = f"{year}"

    def make_page(n: int, total: int) -> PageView:
        suffix = f" — Page {n} of {total}" if n > 1 else ""
        return PageView(
            f"Archive {heading}{suffix} — {sv.title}",
            f"Briefs published by {sv.title} in {heading}.",
            "",
            "archive-year",
            main_feeds,
        )

    url = site.url(f"/archive/{year}/")
    listing = ListingView("archive-year", heading, f"Briefs published in {year}.", heading, url, count=len(articles))
    trail = [("Archive", site.absolute_url("/archive/")), (heading, site.absolute_url(f"/archive/{year}/"))]
    yield from paginated(
        site,
        sv,
        f"/archive/{year}/",
        views,
        articles,
        site.config.archive_per_page,
        "archive_year.html",
        make_page,
        {"listing": listing, "months": ()},
        trail,
        frame=(ORDER_DEP,),  # (its years and months: the articles' times, in order)
        only=only,
    )


def _by_year(site: Site) -> dict[int, list[Article]]:
    """Each year's articles (:func:`year_of`), in the site's order."""
    found: dict[int, list[Article]] = defaultdict(list)
    for article in site.articles:
        found[year_of(site, article)].append(article)
    return found


def year_of(site: Site, article: Article) -> int:
    """The year whose archive pages list ``article`` (in the site's time zone)."""
    return article.date.astimezone(site.config.tz).year


def articles_of_year(site: Site, year: int) -> list[Article]:
    """``year``'s articles in the site's order (newest first), as :func:`archive_pages` lists them."""
    tz = site.config.tz
    return list(site.dated(datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)))
