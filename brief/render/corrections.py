"""``/corrections/``: every correction of the site's articles, newest first, and its Atom feed.

The page newsrooms keep for transparency. It lists corrections only: an update (``kind:
update``) adds to an article without admitting an error, so it is shown on its article and
moves its dates, but is not listed here. Built articles only (a draft's or an expired
article's corrections are not). The page exists on every site, saying when there are none
yet, so the footer's link always leads somewhere; it is paginated at ``archive_per_page``
(a dated list, like the archive). A standalone page with the slug ``corrections-policy``
is linked from its introduction.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from brief.digests import digest, pickled_digest
from brief.render.atom import ATOM_TYPE, absolute_links, atom_head, aware, origin_of, rfc3339, sub
from brief.render.contract import (
    ArticleView,
    CorrectionEntryView,
    FeedLink,
    Link,
    ListingView,
    PageView,
    Pagination,
    SiteView,
)
from brief.render.metadata import page_meta
from brief.render.plans import PageSpec
from brief.render.xmldoc import clean_xml_text, xml_document
from brief.site.model import Site

PATH = "/corrections/"
FEED = "corrections/feed.xml"
POLICY_SLUG = "corrections-policy"
"""The slug of the standalone page the corrections page links to, when the site has it."""
TEMPLATE = "corrections.html"


def correction_entries(site: Site, views: Mapping[str, ArticleView]) -> list[CorrectionEntryView]:
    """Every correction of the built articles, newest first (ties: the newer article first)."""
    entries = [
        CorrectionEntryView(
            note.date,
            note.text,
            view.title,
            view.url + "#corrections",
            view.section,
            view.canonical,
            note.anchor,
        )
        for view in (views[a.slug] for a in site.articles if a.corrections)  # (a view's notes are its article's)
        for note in view.corrections
        if note.kind == "correction"
    ]
    return sorted(entries, key=lambda e: -e.date.timestamp())  # stable: the articles' order for ties


def corrections_pages(
    site: Site, sv: SiteView, views: Mapping[str, ArticleView], main_feeds: tuple[FeedLink, ...]
) -> Iterator[PageSpec]:
    """The pages of ``/corrections/`` (``/corrections/page/2/``…); one page when there are none."""
    entries = correction_entries(site, views)
    per_page = site.config.archive_per_page
    total = max(1, -(-len(entries) // per_page))
    title = f"Corrections — {sv.title}"
    feeds = (*main_feeds, FeedLink(title, site.absolute_url(FEED), ATOM_TYPE))
    description = f"Every correction to the briefs of {sv.title}, newest first."
    listing = ListingView(
        "corrections", "Corrections", description, "Corrections", site.url(PATH), feeds[-1].url, count=len(entries)
    )
    policy = next((Link(p.title, site.url(p.url_path)) for p in site.pages if p.slug == POLICY_SLUG), None)
    trail = [("Corrections", site.absolute_url(PATH))]

    def path_of(n: int) -> str:
        return PATH if n == 1 else f"{PATH}page/{n}/"

    for n in range(1, total + 1):
        chunk = tuple(entries[(n - 1) * per_page : n * per_page])
        pagination = Pagination(
            n, total, site.url(path_of(n - 1)) if n > 1 else None, site.url(path_of(n + 1)) if n < total else None
        )
        suffix = f" — Page {n} of {total}" if n > 1 else ""
        page = PageView(
            f"Corrections{suffix} — {sv.title}", description, site.absolute_url(path_of(n)), "corrections", feeds
        )
        context = {
            "site": sv,
            "page": page,  # its metadata is added when the page is rendered
            "listing": listing,
            "corrections": chunk,
            "pagination": pagination,
            "policy": policy,
        }
        yield PageSpec(
            path_of(n).lstrip("/") + "index.html",
            path_of(n),
            max((e.date for e in chunk), default=None),
            TEMPLATE,
            make=partial(_with_meta, site, trail, context),
            inputs=partial(tuple, (TEMPLATE, trail, *context.values())),  # what the metadata is made of too
        )


def _with_meta(site: Site, trail: list[tuple[str, str]], context: dict[str, Any]) -> dict[str, Any]:
    """The page's context with its metadata, made when the page is rendered."""
    page = context["page"]
    return {**context, "page": replace(page, meta=page_meta(site, page, trail))}


def corrections_feed_plan(
    site: Site, views: Mapping[str, ArticleView], now: datetime, memo: dict | None = None
) -> tuple[str, bytes, Callable[[], bytes]]:
    """``(path, key, make)`` of ``corrections/feed.xml``, as brief.render.feeds plans the
    other feeds: its newest ``feed_size`` corrections. ``memo`` (the preview's feed memo)
    keeps the bytes while the entries are the same."""
    entries = tuple(correction_entries(site, views)[: site.config.feed_size])
    # Without corrections the feed's time is the site's first article's (the feed has been
    # empty since then), or the build's on a site without articles, as the other feeds say.
    since = site.articles[-1].date if site.articles else now
    key = digest(repr(("corrections", None if entries else since)), pickled_digest(entries))

    def make() -> bytes:
        last = memo.get(FEED) if memo is not None else None
        if last is not None and last[0] == key:
            return last[2]
        data = corrections_feed(site, entries, since)
        if memo is not None:
            memo[FEED] = (key, (), data)
        return data

    return FEED, key, make


def corrections_feed(site: Site, entries: tuple[CorrectionEntryView, ...], since: datetime) -> bytes:
    """The Atom document of ``entries`` (newest first); ``since`` is its time when there are none."""
    config = site.config
    updated = entries[0].date if entries else aware(since).astimezone(config.tz)
    feed = atom_head(site, f"Corrections — {config.title}", PATH, updated)
    origin = origin_of(config.base_url)
    for item in entries:
        entry = ET.SubElement(feed, "entry")
        sub(entry, "id", f"{item.canonical}#{item.anchor}")
        sub(entry, "title", f"Correction: {item.title}")
        sub(entry, "link", rel="alternate", type="text/html", href=f"{item.canonical}#corrections")
        sub(entry, "published", rfc3339(item.date))
        sub(entry, "updated", rfc3339(item.date))
        content = sub(entry, "content", type="html", **{"xml:base": item.canonical})
        content.text = clean_xml_text(absolute_links(str(item.text), origin))
    ET.indent(feed)
    return xml_document(feed)
