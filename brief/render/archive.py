"""The archive: one page per year, its months in order, and the overview of every year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import replace

from brief.content.model import Article
from brief.render.contract import MONTHS, ArticleView, FeedLink, ListingView, MonthView, PageView, SiteView, YearView
from brief.render.metadata import page_meta
from brief.render.plans import ORDER_DEP, PageSpec, last_change, paginated
from brief.site.model import Site


def archive_pages(
    site: Site, sv: SiteView, views: Mapping[str, ArticleView], main_feeds: tuple[FeedLink, ...]
) -> Iterator[PageSpec]:
    tz = site.config.tz
    by_year: dict[int, list[Article]] = defaultdict(list)
    for article in site.articles:
        by_year[article.date.astimezone(tz).year].append(article)
    per_page = site.config.archive_per_page
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
    newest = last_change(site.articles[0]) if site.articles else None
    yield PageSpec(
        "archive/index.html", "/archive/", newest, "archive.html", {"site": sv, "page": page, "years": years}
    )
    for year_view in years:
        articles = by_year[year_view.year]
        heading = f"{year_view.year}"

        def make_page(n: int, total: int, heading: str = heading) -> PageView:
            suffix = f" — Page {n} of {total}" if n > 1 else ""
            return PageView(
                f"Archive {heading}{suffix} — {sv.title}",
                f"Briefs published by {sv.title} in {heading}.",
                "",
                "archive-year",
                main_feeds,
            )

        listing = ListingView(
            "archive-year",
            str(year_view.year),
            f"Briefs published in {year_view.year}.",
            str(year_view.year),
            year_view.url,
            count=year_view.count,
        )
        trail = [
            ("Archive", site.absolute_url("/archive/")),
            (str(year_view.year), site.absolute_url(f"/archive/{year_view.year}/")),
        ]
        yield from paginated(
            site,
            sv,
            f"/archive/{year_view.year}/",
            views,
            articles,
            per_page,
            "archive_year.html",
            make_page,
            {"listing": listing, "months": ()},
            trail,
            frame=(ORDER_DEP,),  # (its years and months: the articles' times, in order)
        )
