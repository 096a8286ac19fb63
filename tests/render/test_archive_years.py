"""A year's articles found by bisection (brief.render.archive.articles_of_year, which a kept
plan uses for the archive pages an edit changes) are the ones the archive lists for that year."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from brief.render.archive import articles_of_year, year_of

ZONES = [UTC, ZoneInfo("Pacific/Kiritimati"), ZoneInfo("America/Adak"), timezone(timedelta(hours=-9, minutes=-30))]
NEW_YEAR = st.sampled_from([datetime(y, 1, 1) for y in range(2021, 2026)]).flatmap(
    lambda day: st.integers(-30 * 3600, 30 * 3600).map(lambda s: day + timedelta(seconds=s))
)  # (around midnight of a new year: the times a time zone puts in one year or the other)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(NEW_YEAR | st.datetimes(datetime(2020, 1, 1), datetime(2027, 1, 1)), max_size=30), st.sampled_from(ZONES)
)
def test_a_years_articles_are_those_the_archive_lists_for_it(times, zone):
    articles = [SimpleNamespace(slug=f"a{i}", date=t.replace(tzinfo=UTC)) for i, t in enumerate(times)]
    for article in articles:
        article.sort_key = (-article.date.timestamp(), article.slug)
    articles.sort(key=lambda a: a.sort_key)  # (the site's order: newest first, ties by slug)
    site = SimpleNamespace(config=SimpleNamespace(tz=zone), articles=tuple(articles))
    for year in range(2019, 2029):
        expected = [a for a in site.articles if year_of(site, a) == year]
        assert articles_of_year(site, year) == expected
