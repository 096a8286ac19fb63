"""Articles found by their dates with bisection (brief.site.model.Site.dated): a year's, as the
archive lists them (brief.render.archive.articles_of_year, which a kept plan uses for the
archive pages an edit changes), and those of any span, as a filter of every article finds them
(the news sitemap's two days)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from brief.render.archive import articles_of_year, year_of
from brief.site.model import Site

ZONES = [UTC, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("America/Adak"), timezone(timedelta(hours=-9, minutes=-30))]
NEW_YEAR = st.sampled_from([datetime(y, 1, 1) for y in range(2021, 2026)]).flatmap(
    lambda day: st.integers(-30 * 3600, 30 * 3600).map(lambda s: day + timedelta(seconds=s))
)  # (around midnight of a new year: the times a time zone puts in one year or the other)
TIMES = st.lists(NEW_YEAR | st.datetimes(datetime(2020, 1, 1), datetime(2027, 1, 1)), max_size=30)


def _site(times: list[datetime], zone) -> Site:
    articles = [SimpleNamespace(slug=f"a{i}", date=t.replace(tzinfo=UTC)) for i, t in enumerate(times)]
    for article in articles:
        article.sort_key = (-article.date.timestamp(), article.slug)
    articles.sort(key=lambda a: a.sort_key)  # (the site's order: newest first, ties by slug)
    return Site(SimpleNamespace(tz=zone), tuple(articles), {}, {}, {})  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(TIMES, st.sampled_from(ZONES))
def test_a_years_articles_are_those_the_archive_lists_for_it(times, zone):
    site = _site(times, zone)
    for year in range(2019, 2029):
        expected = [a for a in site.articles if year_of(site, a) == year]
        assert articles_of_year(site, year) == expected


@settings(max_examples=200, deadline=None)
@given(TIMES, NEW_YEAR, st.integers(0, 5 * 86400 * 10**6))
def test_the_articles_of_a_span_are_those_a_filter_finds(times, since, micros):
    site = _site(times, UTC)
    since = since.replace(tzinfo=UTC)
    before = since + timedelta(microseconds=micros)
    assert list(site.dated(since, before)) == [a for a in site.articles if since <= a.date < before]
    if site.articles:  # (a span starting or ending at an article's very time)
        at = site.articles[len(site.articles) // 2].date
        assert list(site.dated(at, at + timedelta(microseconds=1))) == [a for a in site.articles if a.date == at]
