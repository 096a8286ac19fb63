"""Feeds: Atom 1.0 (RFC 4287) for the site, each section and each tag, and JSON Feed 1.1.

Pure: ``feed_files`` yields ``(output path, bytes)`` pairs and touches no file.
Entries carry the whole article (takeaways, the Editor's Desk, the body), and
every link in it is made absolute, since feed readers show it away from the site.
XML is built with ElementTree, so titles holding ``<``, ``&`` or quotes are
escaped by the serializer, never by hand; characters XML 1.0 forbids are dropped.
"""

from __future__ import annotations

import io
import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import cast

from markupsafe import escape

from brief.content.model import Article
from brief.digests import digest
from brief.render.atom import FAVICON, absolute_links, atom_head, aware, origin_of, rfc3339, sub
from brief.render.contract import ArticleView
from brief.render.corrections import corrections_feed_plan
from brief.render.templates import humandate
from brief.render.xmldoc import clean_xml_text, indented_document, indented_text, xml_document
from brief.site.model import TERM_FOLDERS, Site
from brief.slugs import slugify

log = logging.getLogger(__name__)

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def feed_files(
    site: Site, views: Mapping[str, ArticleView], now: datetime, memo: FeedMemo | None = None
) -> Iterator[tuple[str, bytes]]:
    """Every feed of ``site`` as ``(path, bytes)`` (see :func:`feed_plan`)."""
    for path, _, make in feed_plan(site, views, now, memo):
        yield path, make()


@dataclass
class FeedMemo:
    """The feeds' part of the build cache, in memory only (the preview's): each feed's bytes,
    kept while its title and the very same entry views stay."""

    feeds: dict[str, tuple[tuple, tuple[ArticleView, ...], bytes]] = field(default_factory=dict)


def feed_plan(
    site: Site,
    views: Mapping[str, ArticleView],
    now: datetime,
    memo: FeedMemo | None = None,
    keys: Callable[[str], bytes] | None = None,
) -> Iterator[tuple[str, bytes | None, Callable[[], bytes]]]:
    """Every feed of ``site``: ``feed.xml``, ``feed.json``, one Atom feed per section and tag,
    then ``corrections/feed.xml`` (brief.render.corrections), as ``(path, key, make)``:
    ``make()`` gives the bytes.

    ``views`` are the rendered articles by slug; ``now`` (the build time) is the
    ``updated`` of a feed without entries. Paths are relative to the output folder.
    ``memo`` (the preview's, kept in the build cache) keeps each feed while its title and
    the very same entry views stay. With ``keys`` (each article's view's key, by its slug:
    brief.render.views.ArticleViews.key) each feed gets a ``key`` from its title and its entries, so a cached build can keep the
    previous build's file without making it again (the site's settings are part of the
    cache's own key)."""
    size = site.config.feed_size
    title = site.config.title
    feeds = [
        ("feed.xml", title, "/", site.articles[:size], "atom"),
        ("feed.json", title, "/", site.articles[:size], "json"),
    ]
    feeds += [
        (t.url_path.lstrip("/") + "feed.xml", f"{t.name} — {title}", t.url_path, t.articles[:size], "atom")
        for t in site.sections.values()
    ]
    feeds += [
        (t.url_path.lstrip("/") + "feed.xml", f"Tag: {t.name} — {title}", t.url_path, t.articles[:size], "atom")
        for t in site.tags.values()
    ]
    texts = EntryTexts()  # (an article's entry, made once for all the feeds that show it)
    for path, feed_title, page_path, articles, kind in feeds:
        key = (feed_title, page_path, kind, None if articles else now)
        digest_key = None
        if keys is not None:
            digest_key = digest(repr(key), *(keys(a.slug) for a in articles))

        def make(
            path=path,
            key=key,
            articles=articles,
            feed_title=feed_title,
            page_path=page_path,
            kind=kind,
        ) -> bytes:
            entries = tuple(views[a.slug] for a in articles)
            last = memo.feeds.get(path) if memo is not None else None
            if (
                last is not None
                and last[0] == key
                and len(last[1]) == len(entries)
                and all(a is b for a, b in zip(last[1], entries))
            ):
                return last[2]
            if kind == "json":
                data = json_feed(site, views, articles)
            else:
                data = atom_feed(site, views, articles, title=feed_title, page_path=page_path, now=now, entries=texts)
            if memo is not None:
                memo.feeds[path] = (key, entries, data)
            return data

        yield path, digest_key, make
    yield corrections_feed_plan(site, views, now, memo.feeds if memo is not None else None)


class EntryTexts:
    """Each article's Atom entry as text (:func:`~brief.render.xmldoc.indented_text`; None: one
    ElementTree must write), by its view, for the feeds of one build: an article's entry is
    the same in every feed that shows it. At most :attr:`LIMIT` characters are kept (a site
    with thousands of tags could otherwise keep an entry of every article); the feeds are
    made newest first (the site's, the sections', then the tags'), so the entries kept are
    those of the articles most feeds show."""

    LIMIT = 32 * 1024 * 1024

    def __init__(self) -> None:
        self._texts: dict[int, tuple[ArticleView, str | None]] = {}  # (the view kept: its id stays its own)
        self._size = 0

    def text(self, view: ArticleView, make: Callable[[], str | None]) -> str | None:
        """The entry of ``view``: kept, or made by ``make`` (and kept while there is room)."""
        found = self._texts.get(id(view))
        if found is not None and found[0] is view:
            return found[1]
        made = make()
        if self._size < self.LIMIT:
            self._texts[id(view)] = (view, made)
            self._size += len(made or "")
        return made


def atom_feed(
    site: Site,
    views: Mapping[str, ArticleView],
    articles: tuple[Article, ...] | list[Article],
    *,
    title: str,
    page_path: str,
    now: datetime,
    entries: EntryTexts | None = None,
) -> bytes:
    """One Atom document of ``articles`` (newest first) for the page at site path ``page_path``;
    the feed itself lives at ``page_path + "feed.xml"``. ``entries``: the entries made for
    other feeds of the same build, taken and added to (an article is shown in the feeds of
    the site, its section and each of its tags: 4,944 entries of 2,043 articles in the 252
    feeds of the 10,000-article benchmark corpus)."""
    config = site.config
    shown = [views[a.slug] for a in articles]
    updated = max((_modified(v) for v in shown), default=aware(now).astimezone(config.tz))
    feed = atom_head(site, title, page_path, updated)
    origin = origin_of(config.base_url)
    made = entries if entries is not None else EntryTexts()
    texts = [made.text(view, partial(_entry_text, site, view, origin)) for view in shown]
    if None not in texts:
        data = indented_document(feed, cast(list[str], texts))
        if data is not None:
            return data
    for view in shown:  # (a tree ElementTree must write: built whole)
        feed.append(_atom_entry(site, view, origin))
    ET.indent(feed)
    return xml_document(feed)


def _entry_text(site: Site, view: ArticleView, origin: str) -> str | None:
    return indented_text(_atom_entry(site, view, origin), level=1)


def _atom_entry(site: Site, view: ArticleView, origin: str) -> ET.Element:
    entry = ET.Element("entry")
    sub(entry, "id", view.canonical)
    sub(entry, "title", view.title)
    sub(entry, "link", rel="alternate", type="text/html", href=view.canonical)
    sub(entry, "published", rfc3339(view.date))
    sub(entry, "updated", rfc3339(_modified(view)))
    for name, url in _authors(site, view):
        author = sub(entry, "author")
        sub(author, "name", name)
        if url:
            sub(author, "uri", url)
    for kind, name in _categories(view, site):
        term = site.term(kind, name)
        sub(entry, "category", term=term.slug, label=term.name, scheme=site.absolute_url(f"/{TERM_FOLDERS[kind]}/"))
    if view.dek:
        sub(entry, "summary", view.dek)
    # xml:base lets readers resolve what is still relative (footnote links such as "#fn1").
    content = sub(entry, "content", type="html", **{"xml:base": view.canonical})
    content.text = content_html(view, origin)  # cleaned of what XML cannot hold already
    return entry


def json_feed(site: Site, views: Mapping[str, ArticleView], articles: tuple[Article, ...] | list[Article]) -> bytes:
    """The JSON Feed 1.1 document of ``articles`` (newest first)."""
    config = site.config
    origin = origin_of(config.base_url)
    feed: dict = {
        "version": JSON_FEED_VERSION,
        "title": clean_xml_text(config.title),
        "home_page_url": site.absolute_url("/"),
        "feed_url": site.absolute_url("/feed.json"),
    }
    if config.description:
        feed["description"] = clean_xml_text(config.description)
    # JSON Feed's "icon" must be square and large (512 px): no image of the site promises that.
    feed["favicon"] = site.absolute_url(FAVICON)
    feed["language"] = config.language
    feed["authors"] = [{"name": clean_xml_text(config.publisher_name), "url": site.absolute_url("/")}]
    items = []
    for article in articles:
        view = views[article.slug]
        item: dict = {
            "id": view.canonical,
            "url": view.canonical,
            "title": clean_xml_text(view.title),
            "content_html": content_html(view, origin),
        }
        if view.dek:
            item["summary"] = clean_xml_text(view.dek)
        if view.image:
            item["image"] = _absolute(view.image.share_url or view.image.url, origin)
        item["date_published"] = rfc3339(view.date)
        item["date_modified"] = rfc3339(_modified(view))
        item["authors"] = [
            {"name": clean_xml_text(name), **({"url": url} if url else {})} for name, url in _authors(site, view)
        ]
        item["tags"] = [clean_xml_text(name) for _, name in _categories(view, site)]
        items.append(item)
    feed["items"] = items
    buffer = io.BytesIO()  # encoded piece by piece: a feed of long articles is never also held as text
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(feed):
        buffer.write(chunk.encode("utf-8"))
    buffer.write(b"\n")
    return buffer.getvalue()


def content_html(view: ArticleView, origin: str) -> str:
    """The whole article as one HTML fragment, with root-relative links made absolute.

    The hero image, the takeaways, the Editor's Desk (label, body, byline), then the body:
    the order of the article page, without the site's chrome."""
    parts: list[str] = []
    if view.image and view.image.hero:  # a sharing image only (hero: false) is not shown
        img = view.image
        size = f' width="{img.width}" height="{img.height}"' if img.width and img.height else ""
        parts.append(f'<figure><img src="{escape(img.url)}" alt="{escape(img.alt)}"{size}>')
        caption = " ".join(str(p) for p in (img.caption, escape(img.credit) if img.credit else None) if p)
        if caption:
            parts.append(f"<figcaption>{caption}</figcaption>")
        parts.append("</figure>\n")
    if view.takeaways:
        items = "".join(f"<li>{t}</li>\n" for t in view.takeaways)
        parts.append(f"<h2>Key Takeaways</h2>\n<ol>\n{items}</ol>\n")
    if view.analysis:
        a = view.analysis
        parts.append(f"<h2>{escape(a.label)}</h2>\n{a.body}")
        if a.byline:
            parts.append(f"<p><em>{escape(a.byline)}</em></p>\n")
        parts.append("<hr>\n")
    parts.append(str(view.body))
    if view.corrections:
        parts.append(_notes_html(view))
    return clean_xml_text(absolute_links("".join(parts), origin))


def notes_heading(kinds: set[str]) -> str:
    """The heading of an article's notes, by the kinds it has (as the theme words it)."""
    return "Corrections" if kinds == {"correction"} else "Updates" if kinds == {"update"} else "Corrections and updates"


def _notes_html(view: ArticleView) -> str:
    """The article's corrections and updates, newest first, as the page's foot shows them."""
    items = "".join(
        f"<li><strong>{'Correction' if note.kind == 'correction' else 'Update'}, {humandate(note.date)}:</strong> "
        f"{note.text}</li>\n"
        for note in view.corrections
    )
    heading = notes_heading({note.kind for note in view.corrections})
    return f"<hr>\n<h2>{heading}</h2>\n<ul>\n{items}</ul>\n"


def _authors(site: Site, view: ArticleView) -> list[tuple[str, str | None]]:
    """Each author's display name (a profile may set it) and the absolute URL of their page."""
    out: list[tuple[str, str | None]] = []
    for name in view.authors:
        try:
            term = site.term("author", name)
        except KeyError:  # every built article's authors have a page; be safe all the same
            out.append((name, None))
            continue
        out.append((term.name, site.absolute_url(term.url_path)))
    return out


def _categories(view: ArticleView, site: Site) -> list[tuple[str, str]]:
    """(kind, name) of the section, then of each tag that has a page."""
    article = site.all_articles.get(view.slug)
    tags = article.tags if article is not None else ()
    found = [("section", view.section), *(("tag", t) for t in tags)]
    terms = {"section": site.sections, "tag": site.tags}
    return [(kind, name) for kind, name in found if slugify(name) in terms[kind]]


def _modified(view: ArticleView) -> datetime:
    return view.modified or view.date


def _absolute(url: str, origin: str) -> str:
    return origin + url if url.startswith("/") and not url.startswith("//") else url
