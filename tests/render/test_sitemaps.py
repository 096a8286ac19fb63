"""Sitemaps, the Google News sitemap and robots.txt (brief.sitemaps), on real sites."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import BUILD_TIME
from helpers import REPO, article, make_site
from hypothesis import given, settings
from hypothesis import strategies as st
from test_feeds import HOSTILE, index_site

from brief.config import load_config
from brief.content.load import load_articles
from brief.render.sitemaps import (
    MAX_URLS,
    NEWS_MAX_URLS,
    _urlset,
    _urlset_tree,
    news_language,
    sitemap_files,
    sitemap_plan,
)
from brief.site.index import build_index
from brief.site.model import Site

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
GOLDEN = REPO / "tests" / "sites" / "golden"
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def pages_of(site: Site) -> list[tuple[str, datetime | None]]:
    """Pages as build.py would list them: front pages without a date, articles with theirs."""
    pages: list[tuple[str, datetime | None]] = [("/", None), ("/page/2/", None)]
    pages += [(a.url_path, a.updated or a.date) for a in site.articles]
    pages += [(term.url_path, None) for term in site.sections.values()]
    return pages


def urlset(data: bytes) -> dict[str, str | None]:
    root = ET.fromstring(data)
    assert root.tag == f"{SM}urlset"
    return {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.findall(f"{SM}url")}


def test_sitemap_lists_every_page_with_absolute_urls():
    site, _ = index_site(GOLDEN)
    files = dict(sitemap_files(site, pages_of(site), BUILD_TIME))
    assert list(files) == ["sitemap.xml", "news-sitemap.xml", "robots.txt"]
    data = files["sitemap.xml"]
    assert data.startswith(
        b'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    )
    base = "https://example.org/briefs/"
    assert urlset(data) == {
        base: None,
        base + "page/2/": None,
        base + "2026/03/harbour-reopens/": "2026-03-03T00:00:00+01:00",
        base + "2026/02/rail-link-delay/": "2026-02-20T00:00:00+01:00",
        base + "2026/01/budget-vote/": "2026-01-10T18:00:00+01:00",
        base + "sections/economy/": None,
        base + "sections/politics/": None,
        base + "sections/transport/": None,
    }
    for lastmod in filter(None, urlset(data).values()):
        assert datetime.fromisoformat(lastmod).tzinfo is not None


def test_sample_site_sitemap_keeps_page_order_and_drops_repeats():
    site, _ = index_site(REPO)
    pages = pages_of(site)
    files = dict(sitemap_files(site, pages + [("/", BUILD_TIME)], BUILD_TIME))
    locs = [u.findtext(f"{SM}loc") for u in ET.fromstring(files["sitemap.xml"])]
    assert locs == ["https://meridian.example.org/" + path.lstrip("/") for path, _ in pages]


def test_more_urls_than_the_limit_make_a_sitemap_index():
    site, _ = index_site(GOLDEN)
    pages = pages_of(site)  # 8 pages
    files = dict(sitemap_files(site, pages, BUILD_TIME, max_urls=3))
    assert list(files) == [
        "sitemap.xml",
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-3.xml",
        "news-sitemap.xml",
        "robots.txt",
    ]
    index = ET.fromstring(files["sitemap.xml"])
    assert index.tag == f"{SM}sitemapindex"
    entries = [(s.findtext(f"{SM}loc"), s.findtext(f"{SM}lastmod")) for s in index.findall(f"{SM}sitemap")]
    base = "https://example.org/briefs/"
    assert entries == [
        (base + "sitemap-1.xml", "2026-03-03T00:00:00+01:00"),  # newest lastmod among its URLs
        (base + "sitemap-2.xml", "2026-02-20T00:00:00+01:00"),
        (base + "sitemap-3.xml", None),  # only section pages, without dates
    ]
    parts = [urlset(files[f"sitemap-{n}.xml"]) for n in (1, 2, 3)]
    assert [len(p) for p in parts] == [3, 3, 2]
    together = {loc: mod for part in parts for loc, mod in part.items()}
    assert together == urlset(dict(sitemap_files(site, pages, BUILD_TIME))["sitemap.xml"])


def test_exactly_the_limit_is_still_one_sitemap():
    site, _ = index_site(GOLDEN)
    files = dict(sitemap_files(site, pages_of(site), BUILD_TIME, max_urls=8))
    assert "sitemap-1.xml" not in files and len(urlset(files["sitemap.xml"])) == 8
    assert MAX_URLS == 50_000
    with pytest.raises(ValueError):
        list(sitemap_files(site, [], BUILD_TIME, max_urls=0))


def news_site(tmp_path: Path) -> Path:
    def at(delta: timedelta) -> str:
        return (NOW + delta).isoformat()

    files = {
        "content/one-day.md": article(title=HOSTILE, date=at(-timedelta(days=1))),
        "content/just-in.md": article(title="Just In", date=at(timedelta(0))),
        "content/two-days.md": article(title="Two Days", date=at(-timedelta(days=2))),
        "content/too-old.md": article(title="Too Old", date=at(-timedelta(days=2, seconds=1))),
        "content/three-days.md": article(title="Three Days", date=at(-timedelta(days=3))),
        "content/future.md": article(title="Future", date=at(timedelta(hours=1))),
        # Same instant as one-day, written in another zone: kept and shown in the site's zone.
        "content/tokyo.md": article(
            title="Tokyo", date=(NOW - timedelta(days=1, hours=1)).astimezone(timezone(timedelta(hours=9))).isoformat()
        ),
    }
    config = (
        'title = "Daily"\nbase_url = "https://example.org/briefs/"\nlanguage = "en-GB"\n'
        'timezone = "Europe/Berlin"\n[publisher]\nname = "Daily & Co"\n'
    )
    return make_site(tmp_path, files, config)


def test_news_sitemap_window(tmp_path):
    # future=True puts the scheduled article in the index, so the window itself must leave it out.
    site, _ = index_site(news_site(tmp_path), NOW, future=True)
    assert {"future", "too-old", "three-days"} <= site.built
    data = dict(sitemap_files(site, [], NOW))["news-sitemap.xml"]
    assert b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' in data
    root = ET.fromstring(data)
    assert root.tag == f"{SM}urlset"
    urls = root.findall(f"{SM}url")
    base = "https://example.org/briefs/2026/"
    assert [u.findtext(f"{SM}loc") for u in urls] == [
        base + "06/just-in/",
        base + "06/one-day/",
        base + "06/tokyo/",
        base + "06/two-days/",
    ]
    first = urls[1].find(f"{NEWS}news")
    assert first.findtext(f"{NEWS}publication/{NEWS}name") == "Daily & Co"
    assert first.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert first.findtext(f"{NEWS}publication_date") == "2026-06-09T14:00:00+02:00"
    assert first.findtext(f"{NEWS}title") == HOSTILE
    assert urls[2].find(f"{NEWS}news").findtext(f"{NEWS}publication_date") == "2026-06-09T13:00:00+02:00"


def test_news_sitemap_without_recent_articles_is_an_empty_urlset(tmp_path):
    site, _ = index_site(news_site(tmp_path), NOW)
    data = dict(sitemap_files(site, [], NOW + timedelta(days=30)))["news-sitemap.xml"]
    root = ET.fromstring(data)
    assert root.tag == f"{SM}urlset" and len(root) == 0


def test_news_sitemap_holds_at_most_1000_articles(tmp_path):
    site = make_site(
        tmp_path,
        {"content/seed.md": article(title="Seed", date=NOW.isoformat())},
        'base_url = "https://example.org/"\n',
    )
    config = load_config(site)
    seed = load_articles(config).articles[0]
    many = [
        dataclasses.replace(
            seed,
            slug=f"n{i:04}",
            relpath=f"content/n{i:04}.md",
            path=seed.path.with_name(f"n{i:04}.md"),
            url_path=f"/n{i:04}/",
            date=NOW - timedelta(minutes=2 * i),
            title=f"News {i}",
        )
        for i in range(1_100)
    ]
    index, problems = build_index(many, config, drafts=False, future=False, now=NOW)
    assert not problems
    root = ET.fromstring(dict(sitemap_files(index, [], NOW))["news-sitemap.xml"])
    locs = [u.findtext(f"{SM}loc") for u in root.findall(f"{SM}url")]
    assert NEWS_MAX_URLS == 1_000
    assert locs == [f"https://example.org/n{i:04}/" for i in range(1_000)]


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("de-AT", "de"),
        ("fil", "fil"),
        ("sr-Latn-RS", "sr"),
        ("zh", "zh-cn"),
        ("zh-CN", "zh-cn"),
        ("zh-Hans", "zh-cn"),
        ("zh-Hans-HK", "zh-cn"),
        ("zh-TW", "zh-tw"),
        ("zh-Hant", "zh-tw"),
        ("zh-HK", "zh-tw"),
        ("ZH-hant-tw", "zh-tw"),
    ],
)
def test_news_language(tag, code):
    assert news_language(tag) == code


def test_robots_txt():
    site, _ = index_site(GOLDEN)
    robots = dict(sitemap_files(site, [], BUILD_TIME))["robots.txt"].decode("utf-8")
    assert robots.splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://example.org/briefs/sitemap.xml",
        "Sitemap: https://example.org/briefs/news-sitemap.xml",
    ]


def test_build_writes_the_sitemaps(sample_output):
    """The build writes the sitemaps: every HTML page of the output is in sitemap.xml, and only those."""
    assert (sample_output / "sitemap.xml").exists(), "the build wrote no sitemap.xml"
    # The 404 page and the search page have nothing of their own for a search engine to find.
    pages = {p.relative_to(sample_output).as_posix() for p in sample_output.rglob("*.html")} - {
        "404.html",
        "search/index.html",
    }
    expected = {"https://meridian.example.org/" + p.removesuffix("index.html") for p in pages}
    root = ET.fromstring((sample_output / "sitemap.xml").read_bytes())
    assert {u.findtext(f"{SM}loc") for u in root.iter(f"{SM}url")} == expected
    assert (sample_output / "news-sitemap.xml").exists() and (sample_output / "robots.txt").exists()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(min_size=1, max_size=40),
            st.none() | st.datetimes(timezones=st.just(UTC) | st.just(timezone(timedelta(hours=-5)))),
        ),
        max_size=6,
    )
)
def test_the_text_built_sitemap_is_byte_for_byte_what_elementtree_writes(entries):
    """The sitemap is joined as text for speed (brief.render.sitemaps._urlset): for any
    addresses (ampersands, angle brackets, quotes, control characters, non-ASCII) and dates,
    the bytes are those of ElementTree's serialisation, and they parse."""
    fast = _urlset(entries)
    assert fast == _urlset_tree(entries)
    assert len(ET.fromstring(fast).findall(f"{SM}url")) == len(entries)


_ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2)), ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")])
_WHEN = (
    st.none()
    | st.builds(
        lambda when, zone, fold: when.replace(tzinfo=zone, fold=fold),
        st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
        _ZONES,
        st.integers(0, 1),
    )
    | st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1))
)  # (naive: shown as UTC)


def _copy(when: datetime | None) -> datetime | None:
    # another object of equal value, its zone another object where one can be made
    if when is None:
        return None
    zone = when.tzinfo
    if isinstance(zone, timezone) and zone is not UTC:
        zone = timezone(zone.utcoffset(None))
    return datetime(*when.timetuple()[:6], when.microsecond, tzinfo=zone, fold=when.fold)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(_WHEN, min_size=1, max_size=8), st.lists(_WHEN, min_size=1, max_size=8))
def test_the_sitemaps_key_is_the_same_for_equal_times_and_differs_with_the_sitemap(first, second):
    """The key a cached build keeps the sitemaps by (sitemap_plan) depends on the values of
    the pages' last changes, not on which of them are one object (a kept page's and a page
    planned now are other objects), and differs whenever the sitemap would."""
    site, _ = index_site(GOLDEN)
    second = (second * 8)[: len(first)]
    pages = [(f"/p{i}/", when) for i, when in enumerate(first)]
    shared = [(path, first[0]) for path, _ in pages]  # one object many times
    copies = [(path, _copy(when)) for path, when in pages]
    others = [(path, when) for (path, _), when in zip(pages, second, strict=True)]

    def key(listed):
        return sitemap_plan(site, listed, NOW)[0][1]

    def made(listed):
        return sitemap_plan(site, listed, NOW)[0][2]()

    assert key(copies) == key(pages)
    assert key(shared) == key([(path, _copy(first[0])) for path, _ in pages])
    if made(others) != made(pages):
        assert key(others) != key(pages)
