"""Sitemaps (sitemaps.org 0.9), the Google News sitemap and robots.txt.

Pure: ``sitemap_files`` yields ``(output path, bytes)`` pairs and touches no file
(``sitemap_plan`` gives each with a key, for a cached build to keep).
A sitemap holds at most 50,000 URLs; past that, ``sitemap.xml`` becomes a
sitemap index of ``sitemap-1.xml``, ``sitemap-2.xml``, … so its address never changes.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from array import array
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import cast

from brief.content.model import Article
from brief.digests import digest
from brief.render.xmldoc import XML_DECLARATION, clean_xml_text, escape_xml_text, xml_document
from brief.site.model import Site

log = logging.getLogger(__name__)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_URLS = 50_000
"""URLs per sitemap file (sitemaps.org protocol limit)."""
NEWS_MAX_URLS = 1_000
"""URLs in the news sitemap (Google News limit)."""
NEWS_WINDOW = timedelta(days=2)
"""Google News reads only articles published in the last two days."""


def sitemap_files(
    site: Site, pages: list[tuple[str, datetime | None]], now: datetime, *, max_urls: int = MAX_URLS
) -> Iterator[tuple[str, bytes]]:
    """``sitemap.xml`` (plus ``sitemap-N.xml`` when there are more than ``max_urls`` pages),
    ``news-sitemap.xml`` and ``robots.txt``.

    ``pages`` are the public HTML pages as (site path without the base path, last
    modification or None), in the order the sitemap should list them; a path given
    twice is listed once. ``now`` (the build time) decides which articles are news.
    """
    for relpath, _, make in sitemap_plan(site, pages, now, max_urls=max_urls):
        yield relpath, make()


def sitemap_plan(
    site: Site, pages: list[tuple[str, datetime | None]], now: datetime, *, max_urls: int = MAX_URLS
) -> list[tuple[str, bytes | None, Callable[[], bytes]]]:
    """:func:`sitemap_files` as (output path, key, make): the sitemaps' files are keyed by a
    digest of everything they are made of (the site's address, the pages' paths and last
    changes, :func:`_moments`), so that a cached build keeps them without making them
    (at 10,000 articles, 45 ms of every edit); the news sitemap and robots.txt (None) are
    made each time."""
    if max_urls < 1:
        raise ValueError(f"max_urls must be at least 1, got {max_urls}")
    count = len(dict.fromkeys(path for path, _ in pages))
    names = ["sitemap.xml"]
    if count > max_urls:
        names += [f"sitemap-{n}.xml" for n in range(1, -(-count // max_urls) + 1)]
    paths = "\n".join(path for path, _ in pages)
    key = digest("sitemaps", site.absolute_url("/"), str(max_urls), paths, *_moments([m for _, m in pages]))
    made: dict[str, bytes] = {}

    def make(name: str) -> bytes:
        if not made:
            made.update(_sitemaps(site, pages, max_urls))
        return made[name]

    plan: list[tuple[str, bytes | None, Callable[[], bytes]]] = [(n, digest(key, n), partial(make, n)) for n in names]
    plan.append(("news-sitemap.xml", None, partial(news_sitemap, site, now)))
    plan.append(("robots.txt", None, partial(robots_txt, site)))
    return plan


_NONE = b"\xff" * 10  # (no wall time's state: its year would be 65,535)


def _moments(changes: list[datetime | None]) -> tuple[bytes, bytes, str]:
    """What the sitemaps show of each last change, whichever objects they are: its wall time
    with its fold (the state a pickle of it holds), and its time zone, numbered by equality
    and named. (A pickle of the datetimes themselves differs with which of them are one
    object, one zone: a page planned now and one kept from the last build's, brief.render.keptpages.)"""
    zones: dict[object, int] = {}
    walls = b"".join(cast(list[bytes], [m.__reduce_ex__(4)[1][0] if m is not None else _NONE for m in changes]))
    numbers = array("I", [zones.setdefault(m.tzinfo if m is not None else None, len(zones)) for m in changes])
    return walls, numbers.tobytes(), repr(list(zones))


def _sitemaps(site: Site, pages: list[tuple[str, datetime | None]], max_urls: int) -> Iterator[tuple[str, bytes]]:
    """``sitemap.xml`` and, past ``max_urls`` pages, ``sitemap-N.xml`` (see :func:`sitemap_files`)."""
    unique = list(dict.fromkeys(path for path, _ in pages))
    lastmod: dict[str, datetime | None] = {}
    for path, modified in pages:
        lastmod.setdefault(path, modified)
    entries = [(site.absolute_url(path), lastmod[path]) for path in unique]
    if len(entries) <= max_urls:
        yield "sitemap.xml", _urlset(entries)
    else:
        chunks = [entries[i : i + max_urls] for i in range(0, len(entries), max_urls)]
        index = ET.Element("sitemapindex", xmlns=SITEMAP_NS)
        for n, chunk in enumerate(chunks, 1):
            name = f"sitemap-{n}.xml"
            item = ET.SubElement(index, "sitemap")
            ET.SubElement(item, "loc").text = site.absolute_url(name)
            newest = max((m for _, m in chunk if m is not None), key=_aware, default=None)
            if newest is not None:
                ET.SubElement(item, "lastmod").text = _w3c(newest)
        ET.indent(index)
        yield "sitemap.xml", xml_document(index)
        for n, chunk in enumerate(chunks, 1):
            yield f"sitemap-{n}.xml", _urlset(chunk)


def _urlset(entries: Iterable[tuple[str, datetime | None]]) -> bytes:
    """A sitemap's bytes, as :func:`_urlset_tree` serialises them, joined as text: a sitemap
    has an entry per page of the site, and ElementTree spent 20 µs on each."""
    rows = list(entries)
    if not rows:
        return _urlset_tree(rows)
    parts = [XML_DECLARATION, f'<urlset xmlns="{SITEMAP_NS}">\n']
    for loc, modified in rows:
        text = escape_xml_text(clean_xml_text(loc))
        parts.append(f"  <url>\n    <loc>{text}</loc>\n" if text else "  <url>\n    <loc />\n")
        if modified is not None:
            parts.append(f"    <lastmod>{_w3c(modified)}</lastmod>\n")
        parts.append("  </url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def _urlset_tree(entries: Iterable[tuple[str, datetime | None]]) -> bytes:
    """A sitemap through ElementTree (the reference :func:`_urlset` is tested against)."""
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    for loc, modified in entries:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = clean_xml_text(loc)
        if modified is not None:
            ET.SubElement(url, "lastmod").text = _w3c(modified)
    ET.indent(urlset)
    return xml_document(urlset)


def news_articles(site: Site, now: datetime) -> list[Article]:
    """Articles published in the two days up to ``now`` (both ends included), newest first,
    at most :data:`NEWS_MAX_URLS`."""
    now = _aware(now)
    start = now - NEWS_WINDOW
    # A syndicated copy (canonical: elsewhere) is not this site's news.
    recent = [a for a in site.dated(start, now + timedelta(microseconds=1)) if a.canonical is None]
    return recent[:NEWS_MAX_URLS]


def news_sitemap(site: Site, now: datetime) -> bytes:
    """The Google News sitemap: always a valid urlset, empty when nothing is recent."""
    config = site.config
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:news": NEWS_NS})
    language = news_language(config.language)
    for article in news_articles(site, now):
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = site.absolute_url(article.url_path)
        news = ET.SubElement(url, "news:news")
        publication = ET.SubElement(news, "news:publication")
        ET.SubElement(publication, "news:name").text = clean_xml_text(config.publisher_name)
        ET.SubElement(publication, "news:language").text = language
        ET.SubElement(news, "news:publication_date").text = _w3c(article.date.astimezone(config.tz))
        ET.SubElement(news, "news:title").text = clean_xml_text(article.title)
    ET.indent(urlset)
    return xml_document(urlset)


def news_language(tag: str) -> str:
    """The language code Google News wants for a BCP 47 tag: the ISO 639 primary subtag
    (``en-GB`` → ``en``), except Chinese, which is ``zh-cn`` (Simplified) or ``zh-tw`` (Traditional)."""
    subtags = tag.lower().split("-")
    if subtags[0] != "zh":
        return subtags[0]
    traditional = {"hant", "tw", "hk", "mo"}
    return "zh-tw" if traditional & set(subtags[1:]) and "hans" not in subtags else "zh-cn"


def robots_txt(site: Site) -> bytes:
    """Allow everything and name both sitemaps (crawlers read robots.txt only at the host's root)."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "",
        f"Sitemap: {site.absolute_url('/sitemap.xml')}",
        f"Sitemap: {site.absolute_url('/news-sitemap.xml')}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _w3c(value: datetime) -> str:
    """W3C datetime with seconds and an offset, e.g. ``2026-03-02T09:15:00+01:00``."""
    return _aware(value).isoformat(timespec="seconds")


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
