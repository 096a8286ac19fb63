"""``brief import feed FEED.xml``: an RSS 2.0 or Atom 1.0 file → an :class:`Archive`.

Each entry becomes an article: its HTML (``content:encoded`` or ``description``; Atom's
``content`` or ``summary``, of type ``html``, ``xhtml`` or ``text``) brief Markdown through
:mod:`brief.migrate.htmlmd`, with links and images made absolute on the feed's site; its
link's path on the feed's site its source URL, and the link's last segment its slug;
``dc:creator``/``author`` its authors; categories its section (the first) and tags; a
``media:content``, ``media:thumbnail`` or image ``enclosure`` its hero image; an audio or
video enclosure a link under the text. A feed holds only the latest entries and says
nothing of the site's category or author pages: the report says how many entries there were.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from brief.errors import BriefError
from brief.migrate import htmlmd
from brief.migrate.constructs import Replacements
from brief.migrate.dates import normalise
from brief.migrate.fields import NOT_IMPORTED
from brief.migrate.mdtext import media_link, plain_text
from brief.migrate.model import Archive, Item, Profile, SiteInfo
from brief.migrate.report import Report
from brief.migrate.weburls import Site, guess_timezone, permalink_patterns, slug_of
from brief.migrate.xmlfile import XmlDoc, XmlError, child, child_text, children, parse, text
from brief.slugs import slugify

NOT_FEED = 'not an RSS 2.0 or Atom feed (expected <rss version="2.0"> or <feed xmlns="http://www.w3.org/2005/Atom">)'
DEK_LIMIT = 300
_EMAIL = re.compile(r"[^\s@()]+@[^\s@()]+")
_URL_ATTRIBUTE = re.compile(r"""(\s(?:href|src|poster)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
RSS_BECAME = {
    "title": "title",
    "link": "URL (kept) and slug",
    "feedburner:origLink": "URL (kept) and slug",
    "guid": f"{NOT_IMPORTED} (an identifier)",
    "pubDate": "date",
    "dc:date": "date",
    "dc:creator": "authors",
    "author": "authors",
    "category": "section (the first) and tags",
    "description": "body (or dek when content:encoded is the body)",
    "content:encoded": "body",
    "media:content": "image",
    "media:thumbnail": "image",
    "media:group": "image",
    "enclosure": "image, or a link under the body",
}
ATOM_BECAME = {
    "atom:title": "title",
    "atom:link": "URL (kept) and slug",
    "atom:id": f"{NOT_IMPORTED} (an identifier)",
    "atom:published": "date",
    "atom:updated": "updated (date when there is no published)",
    "atom:author": "authors",
    "atom:category": "section (the first) and tags",
    "atom:summary": "dek (or body when there is no content)",
    "atom:content": "body",
    "media:content": "image",
    "media:thumbnail": "image",
    "media:group": "image",
}


@dataclass
class _Entry:
    """One RSS item or Atom entry, in the terms both share."""

    element: ET.Element
    line: int | None
    title: str = ""
    link: str = ""
    date: str = ""
    date_field: str = ""
    updated: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    body: str = ""
    body_line: int | None = None
    summary: str = ""
    base: str = ""
    """What the body's relative URLs are relative to: Atom's ``xml:base``, else the entry's link."""
    images: list[tuple[str, str]] = field(default_factory=list)
    """(URL, alt text as the feed describes it) of media:content, media:thumbnail, image enclosures."""
    files: list[tuple[str, str]] = field(default_factory=list)
    """(URL, MIME type) of audio and video enclosures."""


def read(
    src: Path, *, report: Report, replacements: Replacements, progress: Callable[[str, int, int], None]
) -> Archive:
    """The feed at ``src`` as an archive; :class:`BriefError` when it is not RSS 2.0 or Atom."""
    doc = _parse(src)
    root = doc.root
    if root.tag == "rss":
        channel = child(root, "channel")
        assert channel is not None
        site = Site(child_text(channel, "link"))
        info = SiteInfo(
            title=plain_text(child_text(channel, "title")),
            description=plain_text(child_text(channel, "description")),
            language=child_text(channel, "language"),
        )
        entries = [_rss(item, doc) for item in children(channel, "item")]
        became = RSS_BECAME
    else:
        link = _atom_link(root)
        site = Site(urljoin(root.get("xml:base", ""), link))
        info = SiteInfo(
            title=_atom_text(child(root, "atom:title"), plain=True),
            description=_atom_text(child(root, "atom:subtitle"), plain=True),
            language=root.get("xml:lang", ""),
        )
        fallback = [n for a in children(root, "atom:author") if (n := child_text(a, "atom:name"))]
        entries = [_atom(entry, doc, fallback) for entry in children(root, "atom:entry")]
        became = ATOM_BECAME
    info.base_url = site.base_url
    return _archive(src, entries, site, info, became, report, progress)


def _parse(src: Path) -> XmlDoc:
    try:
        doc = parse(src)
    except XmlError as exc:
        where = f"{src}:{exc.line}" if exc.line else str(src)
        raise BriefError(f"{where}: not an RSS 2.0 or Atom feed: {exc.message}") from None
    except OSError as exc:
        raise BriefError(f"{src}: cannot read it: {exc.strerror or exc}") from None
    root = doc.root
    version = root.get("version", "")
    if root.tag == "rss" and child(root, "channel") is not None and re.fullmatch(r"2\.0(\.\d+)?|0\.9[12]", version):
        if b"wxr_version>" in src.read_bytes():  # a WordPress export (WXR) says so
            raise BriefError(
                f"{src}: a WordPress export, not an RSS 2.0 or Atom feed (expected a feed; import this file "
                "with brief import wordpress, which keeps its pages, authors, images and drafts)"
            )
        return doc
    if root.tag == "atom:feed":
        return doc
    raise BriefError(f"{src}: {NOT_FEED}")


def _archive(
    src: Path,
    entries: list[_Entry],
    site: Site,
    info: SiteInfo,
    became: dict[str, str],
    report: Report,
    progress: Callable[[str, int, int], None],
) -> Archive:
    archive = Archive(site=info)
    report.counts["entries in the feed"] = len(entries)
    dates: list[datetime] = []
    samples: list[tuple[str, datetime, str, str]] = []
    for number, entry in enumerate(entries, 1):
        progress("Reading posts", number, len(entries))
        item = _item(src.name, number, entry, site, became, report)
        archive.items.append(item)
        try:
            when = datetime.fromisoformat(str(item.front.get("date")))
        except ValueError:
            continue
        dates.append(when)
        if item.urls:
            samples.append((item.urls[0], when, str(item.front.get("slug", "")), str(item.front.get("section", ""))))
    names = dict.fromkeys(a for item in archive.items for a in item.front.get("authors", []))
    archive.profiles = [Profile(name, key=name) for name in names]
    info.timezone, how = guess_timezone(dates)
    if info.timezone:
        report.warn(src.name, None, f"time zone {info.timezone}: {how} (set timezone in brief.toml if yours differs)")
    info.permalinks = permalink_patterns(samples)
    if entries:
        shown = sorted(d for i in archive.items if re.match(r"\d{4}-\d\d-\d\d", d := str(i.front.get("date", ""))[:10]))
        span = f" (dated {shown[0]} to {shown[-1]})" if shown else ""
        report.warn(
            src.name,
            None,
            f"a feed holds only a site's latest entries: {len(entries)} read{span}; older posts are not in it",
        )
    return archive


def _item(name: str, number: int, entry: _Entry, site: Site, became: dict[str, str], report: Report) -> Item:
    source = f"{name}: entry {number}"
    _count(entry, became, report)
    front: dict[str, Any] = {"title": entry.title or entry.link or f"Entry {number}"}
    body_html = _absolute(entry.body or entry.summary, entry.base or entry.link or site.base_url)
    if entry.body and entry.summary:
        summary = plain_text(entry.summary)
        summary = re.sub(r"\s*(\[(?:…|\.\.\.)\]|…|Continue reading.*|Read more.*)$", "", summary, flags=re.I)
        if summary and len(summary) <= DEK_LIMIT and not plain_text(entry.body).startswith(summary):
            front["dek"] = summary
    for key, value in (("date", entry.date), ("updated", entry.updated)):
        if value:
            iso, changed = normalise(value)
            if iso is None:
                report.warn(name, entry.line, f"{key}: '{value}' is not a date brief can read; kept as written")
                front[key] = value
                continue
            if changed:
                report.date(name, entry.line, entry.date_field if key == "date" else "updated", value, iso)
            front[key] = iso
    if front.get("updated") and front.get("updated") == front.get("date"):
        del front["updated"]
    if entry.authors:
        front["authors"] = entry.authors
    if entry.categories:
        front["section"] = entry.categories[0]
        tags = [c for c in entry.categories[1:] if c.casefold() != entry.categories[0].casefold()]
        if tags:
            front["tags"] = tags
    body = htmlmd.to_markdown(body_html, report=report, source=name, line=entry.body_line or entry.line)
    image = _hero(entry, body_html, name, report)
    if image:
        front["image"] = image
    for url, mime in entry.files:
        kind = "video" if mime.startswith("video") else "audio"
        body += f"\n{media_link(kind, url)}\n"
        report.convert(f"enclosure ({kind}) → link under the body")
    path = site.path(_untracked(entry.link)) if entry.link else None
    urls: list[str] = []
    if path is not None and "?" in path:
        report.unreachable.append((path, f"{source}: a static host serves files by path alone"))
    elif path is not None:
        urls.append(path)
    elif entry.link:
        report.warn(name, entry.line, f"the link {entry.link} is not on the feed's site ({site.host}): no old URL kept")
    front["slug"] = (slug_of(path) if path and "?" not in path else "") or slugify(str(front["title"]))
    folder = str(front.get("date", ""))[:4]
    return Item(source, "article", front, body, urls, folder if folder.isdigit() else "")


def _untracked(url: str) -> str:
    """``url`` without the ``utm_…`` parameters a feed plugin adds to links."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not k.startswith("utm_")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _count(entry: _Entry, became: dict[str, str], report: Report) -> None:
    for kid in entry.element:
        value = text(kid).strip() or kid.get("url", "") or kid.get("href", "") or kid.get("term", "")
        if value or len(kid):
            shown = _EMAIL.sub("(an e-mail address, not shown)", value) or kid.tag
            report.field_used(kid.tag, became.get(kid.tag, NOT_IMPORTED), shown)


def _hero(entry: _Entry, body_html: str, name: str, report: Report) -> dict[str, Any] | None:
    for url, alt in entry.images:
        if url in body_html:
            report.field_used("image (media:content, enclosure…)", f"{NOT_IMPORTED} (the body shows it)", url)
            return None
        image: dict[str, Any] = {"src": url, "alt": alt}
        if not alt:
            image["decorative"] = True
            report.warn(
                name,
                entry.line,
                f"the hero image {url} has no alt text: marked decorative (write image.alt to describe it)",
            )
        return image
    return None


def _absolute(body: str, base: str) -> str:
    """Links and images of the entry made absolute (a feed's relative URLs are relative to the entry)."""
    if not base:
        return body

    def one(match: re.Match[str]) -> str:
        url = html.unescape(match[3]).strip()
        if not url or url.startswith(("#", "mailto:", "data:")) or re.match(r"[a-z][a-z0-9+.-]*:", url, re.I):
            return match[0]
        return f"{match[1]}{match[2]}{html.escape(urljoin(base, url), quote=True)}{match[2]}"

    return _URL_ATTRIBUTE.sub(one, body)


def _person(value: str) -> str:
    """``jane@example.org (Jane Doe)`` → ``Jane Doe``; an address alone is never written."""
    named = re.fullmatch(r"\s*\S+@\S+\s*\((.+)\)\s*", value)
    if named:
        return named.group(1).strip()
    return "" if _EMAIL.fullmatch(value.strip()) else " ".join(value.split())


def _media(element: ET.Element) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    images: list[tuple[str, str]] = []
    files: list[tuple[str, str]] = []
    groups = [element, *children(element, "media:group")]
    for group in groups:
        for media in children(group, "media:content") + children(group, "media:thumbnail"):
            url, mime = media.get("url", ""), media.get("type", "")
            alt = child_text(media, "media:description") or child_text(group, "media:description")
            if url and (media.get("medium") == "image" or mime.startswith("image/") or media.tag == "media:thumbnail"):
                images.append((url, plain_text(alt)))
            elif url and (mime.startswith(("audio/", "video/")) or media.get("medium") in ("audio", "video")):
                files.append((url, mime or f"{media.get('medium')}/"))
    for enclosure in children(element, "enclosure") + [
        link for link in children(element, "atom:link") if link.get("rel") == "enclosure"
    ]:
        url, mime = enclosure.get("url") or enclosure.get("href") or "", enclosure.get("type", "")
        if url and mime.startswith("image/"):
            images.append((url, ""))
        elif url and mime.startswith(("audio/", "video/")):
            files.append((url, mime))
    return images, list(dict.fromkeys(files))


def _rss(item: ET.Element, doc: XmlDoc) -> _Entry:
    entry = _Entry(item, doc.line(item))
    entry.title = plain_text(child_text(item, "title"))
    entry.link = child_text(item, "feedburner:origLink") or child_text(item, "link")
    guid = child(item, "guid")
    if not entry.link and guid is not None and guid.get("isPermaLink", "true") == "true":
        entry.link = text(guid).strip()
    entry.date_field = "pubDate" if child(item, "pubDate") is not None else "dc:date"
    entry.date = child_text(item, entry.date_field)
    people = [text(c) for c in children(item, "dc:creator") + children(item, "author")]
    entry.authors = [p for p in dict.fromkeys(_person(v) for v in people) if p]
    entry.categories = list(dict.fromkeys(plain_text(text(c)) for c in children(item, "category") if text(c).strip()))
    content, description = child(item, "content:encoded"), child(item, "description")
    entry.body, entry.summary = text(content).strip(), text(description).strip()
    entry.body_line = doc.line(content) if entry.body else doc.line(description)
    entry.images, entry.files = _media(item)
    return entry


def _atom(element: ET.Element, doc: XmlDoc, fallback: list[str]) -> _Entry:
    entry = _Entry(element, doc.line(element))
    entry.title = _atom_text(child(element, "atom:title"), plain=True)
    entry.link = urljoin(element.get("xml:base", ""), _atom_link(element))
    published, updated = child_text(element, "atom:published"), child_text(element, "atom:updated")
    entry.date, entry.date_field = (published, "published") if published else (updated, "updated")
    entry.updated = updated if published else ""
    names = [n for a in children(element, "atom:author") if (n := child_text(a, "atom:name"))]
    entry.authors = list(dict.fromkeys(names or fallback))
    labels = [c.get("label") or c.get("term") or "" for c in children(element, "atom:category")]
    entry.categories = list(dict.fromkeys(label.strip() for label in labels if label.strip()))
    content, summary = child(element, "atom:content"), child(element, "atom:summary")
    entry.body, entry.summary = _atom_text(content), _atom_text(summary)
    entry.body_line = doc.line(content) if entry.body else doc.line(summary)
    used = content if entry.body else summary
    if used is not None and used.get("xml:base"):
        entry.base = urljoin(entry.link or element.get("xml:base", ""), used.get("xml:base", ""))
    entry.images, entry.files = _media(element)
    return entry


def _atom_link(element: ET.Element) -> str:
    links = children(element, "atom:link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("type", "text/html") in (
            "text/html",
            "application/xhtml+xml",
        ):
            return link.get("href", "")
    return ""


def _atom_text(element: ET.Element | None, plain: bool = False) -> str:
    """An Atom text construct as HTML (or as plain text): ``type`` html, xhtml or text."""
    if element is None:
        return ""
    kind = element.get("type", "text")
    if kind == "xhtml":
        inner = "".join(_xhtml(kid) for kid in element)
        value = inner if not plain else plain_text(inner)
    elif kind in ("html", "text/html"):
        value = text(element) if not plain else plain_text(text(element))
    else:
        raw = text(element).strip()
        if plain:
            return " ".join(raw.split())
        value = "".join(f"<p>{html.escape(p.strip())}</p>" for p in re.split(r"\n\s*\n", raw) if p.strip())
    return value.strip()


def _xhtml(element: ET.Element) -> str:
    """An XHTML element (``xhtml:div``) written back as HTML (``div``)."""
    copy = deepcopy(element)
    for node in copy.iter():
        node.tag = node.tag.split(":", 1)[-1] if isinstance(node.tag, str) else node.tag
    return ET.tostring(copy, encoding="unicode", method="html")
