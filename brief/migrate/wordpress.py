"""``brief import wordpress EXPORT.xml``: a WordPress export (WXR 1.0–1.2) → an :class:`Archive`.

Posts become articles and pages standalone pages; attachments are the images posts show
(their hero, ``[gallery]``, ``[caption]``); menus, reusable blocks, revisions and other
post types are listed as skipped, with the reason. The export says each post's URL; with
``--uploads`` (the site's ``wp-content/uploads`` folder) images are copied and keep their
paths. Dates take the offset WordPress stored beside them (``post_date`` against
``post_date_gmt``). Authors' e-mail addresses are never written anywhere.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

from brief.errors import BriefError
from brief.migrate import htmlmd, wpbody, wpfields
from brief.migrate.constructs import Replacements
from brief.migrate.mdtext import Blocks, plain_text
from brief.migrate.model import Archive, Item, Profile, SiteInfo
from brief.migrate.report import Report
from brief.migrate.weburls import Site, guess_timezone, permalink_patterns, slug_of
from brief.migrate.wpfields import Entry
from brief.migrate.wpshortcodes import Attachment, Shortcodes
from brief.migrate.xmlfile import XmlDoc, XmlError, child, child_text, children, parse

NOT_WXR = "not a WordPress export (expected an RSS file with wp:wxr_version, as Tools › Export writes)"
SKIPPED_TYPES = {
    "nav_menu_item": "a menu entry (brief's menus are set in brief.toml)",
    "wp_block": "a reusable block (its content is put where posts use it)",
    "revision": "a revision (the post itself is imported)",
    "customize_changeset": "a saved Customizer change, not content",
    "custom_css": "the theme's custom CSS, not content",
    "oembed_cache": "WordPress's cache of an embed, not content",
}
SKIPPED_STATUSES = {
    "trash": "in the trash",
    "auto-draft": "an unsaved draft WordPress made on its own",
    "inherit": "a revision or an attachment's status",
}


def read(
    src: Path,
    *,
    report: Report,
    replacements: Replacements,
    progress: Callable[[str, int, int], None],
    uploads: Path | None = None,
) -> Archive:
    """The export at ``src`` as an archive; :class:`BriefError` when it is not a WordPress export."""
    doc = _parse(src)
    channel = child(doc.root, "channel")
    assert channel is not None
    export = _Export(src, doc, channel, report, replacements, uploads)
    return export.read(progress)


def _parse(src: Path) -> XmlDoc:
    try:
        doc = parse(src)
    except XmlError as exc:
        where = f"{src}:{exc.line}" if exc.line else str(src)
        raise BriefError(
            f"{where}: not a WordPress export: {exc.message} (expected the XML file Tools › Export writes)"
        ) from None
    except OSError as exc:
        raise BriefError(f"{src}: cannot read it: {exc.strerror or exc}") from None
    channel = child(doc.root, "channel") if doc.root.tag == "rss" else None
    if channel is None or child(channel, "wp:wxr_version") is None:
        raise BriefError(f"{src}: {NOT_WXR}")
    return doc


class _Export:
    """One export being read: its site, authors, terms and attachments, then its posts."""

    def __init__(
        self,
        src: Path,
        doc: XmlDoc,
        channel: ET.Element,
        report: Report,
        replacements: Replacements,
        uploads: Path | None,
    ) -> None:
        self.src, self.doc, self.channel, self.report, self.replacements = src, doc, channel, report, replacements
        self.name = src.name
        home = child_text(channel, "link") or child_text(channel, "wp:base_blog_url")
        self.site = Site(home)
        hosts = {self.site.host} | {Site(child_text(channel, k)).host for k in ("wp:base_blog_url", "wp:base_site_url")}
        self.uploads = wpbody.Uploads(uploads, hosts, report, src.name)
        self.authors = wpfields.authors(channel, report)
        self.categories = wpfields.categories(channel)
        self.attachments: dict[int, Attachment] = {}
        self.reusable: dict[int, str] = {}
        self.attachment_pages: dict[str, str] = {}
        self.post_urls: dict[int, str] = {}
        self.archive = Archive()
        self.dates: list[datetime] = []
        self.samples: list[tuple[str, datetime, str, str]] = []

    def read(self, progress: Callable[[str, int, int], None]) -> Archive:
        self._version()
        if self.doc.removed_characters:
            self.report.warn(
                self.name, None, f"{self.doc.removed_characters} control characters XML does not allow removed"
            )
        entries = [Entry(item, self.doc.line(item), self.name) for item in children(self.channel, "item")]
        self.report.counts["items in the export"] = len(entries)
        for entry in entries:
            self._index(entry)
        used: list[tuple[Entry, Item]] = []
        for done, entry in enumerate(entries, 1):
            progress("Reading posts", done, len(entries))
            item = self._item(entry)
            if item is not None:
                used.append((entry, item))
                self.archive.items.append(item)
        self.archive.site = self._site_info()
        self.archive.listings = wpfields.listings(used, self.categories, self.site, self.report)
        self.archive.profiles = self._profiles(used)
        return self.archive

    def _version(self) -> None:
        version = child_text(self.channel, "wp:wxr_version")
        if version not in ("1.0", "1.1", "1.2"):
            self.report.warn(
                self.name,
                self.doc.line(child(self.channel, "wp:wxr_version")),
                f"WXR version '{version}' (expected 1.0, 1.1 or 1.2): read as 1.2",
            )

    def _index(self, entry: Entry) -> None:
        """First pass: attachments, reusable blocks and every post's URL (for links between posts)."""
        if entry.type == "attachment":
            self.report.counts["attachments (media library)"] += 1
            meta = entry.meta()
            self.attachments[entry.id] = Attachment(
                entry.id,
                entry.get("wp:attachment_url") or entry.get("guid"),
                title=entry.title,
                alt=meta.get("_wp_attachment_image_alt", "").strip(),
                caption=plain_text(entry.get("excerpt:encoded")),
                parent=_int(entry.get("wp:post_parent")),
                order=_int(entry.get("wp:menu_order")),
                mime=entry.get("wp:post_mime_type"),
            )
            if entry.get("link"):
                self.attachment_pages[entry.get("link").rstrip("/")] = self.attachments[entry.id].url
        elif entry.type == "wp_block":
            self.reusable[entry.id] = entry.get("content:encoded")
        elif entry.type in ("post", "page"):
            path = self.site.path(entry.get("link"))
            if path is not None and "?" not in path:
                self.post_urls[entry.id] = path

    def _skip(self, entry: Entry) -> str:
        """Why the entry is not imported, or ""."""
        if entry.type == "attachment":
            return "-"
        if entry.type not in ("post", "page"):
            return SKIPPED_TYPES.get(entry.type, f"post type '{entry.type}' (only posts and pages are imported)")
        return SKIPPED_STATUSES.get(entry.status, "")

    def _item(self, entry: Entry) -> Item | None:
        why = self._skip(entry)
        if why:
            if why != "-":
                self.report.skip(f"{self.name}: item {entry.id} ({entry.type} '{entry.title}')", why)
            return None
        front, dek_from_body = wpfields.front(entry, self.authors, self.categories, self.report)
        item = Item(f"{self.name}: item {entry.id}", "article" if entry.type == "post" else "page", front, "")
        item.urls = self._urls(entry)
        published = slug_of(item.urls[0]) if item.urls and entry.status == "publish" else ""
        if published and not published.isdigit():
            front["slug"] = published  # what the URL says, when it differs from wp:post_name
        body_post = self._body(entry, item)
        if dek_from_body and "dek" not in front and body_post.teaser:
            wpfields.teaser_dek(front, body_post.teaser, self.report)
        if item.kind == "article":
            wpfields.hero(entry, front, self._attachment_reference(entry, item), self.report)
            self._sample(entry, item)
        item.front = wpfields.ordered(front, item.kind)
        item.folder = self._folder(entry, item)
        return item

    def _attachment_reference(self, entry: Entry, item: Item) -> Callable[[int], Attachment | None]:
        def find(number: int) -> Attachment | None:
            found = self.attachments.get(number)
            if found is None:
                return None
            url = self.uploads.resolve(found.url, entry.line, item.assets)
            return Attachment(
                found.id, url, found.title, found.alt, found.caption, found.parent, found.order, found.mime
            )

        return find

    def _urls(self, entry: Entry) -> list[str]:
        """The post's path, its old slugs' paths; ``?p=``/``?page_id=`` listed as unreachable."""
        urls: list[str] = []
        path = self.site.path(entry.get("link"))
        if path is not None and "?" not in path:
            urls.append(path)
            for old in entry.meta_all("_wp_old_slug"):
                head = path.rstrip("/").rsplit("/", 1)[0]
                urls.append(f"{head}/{old}/")
        if entry.status == "publish" and not entry.get("wp:post_password"):
            query = f"/?p={entry.id}" if entry.type == "post" else f"/?page_id={entry.id}"
            self.report.unreachable.append(
                (query, f"{self.name}: item {entry.id}: WordPress answers it; a static host serves files by path alone")
            )
        return list(dict.fromkeys(urls))

    def _body(self, entry: Entry, item: Item) -> wpbody.Post:
        blocks = Blocks()
        content_line = self.doc.line(child(entry.element, "content:encoded")) or entry.line or 1

        def markdown(inner: str, line: int) -> str:
            return htmlmd.to_markdown(inner, report=self.report, source=self.name, line=line, blocks=blocks)

        shortcodes = Shortcodes(
            self.report,
            self.replacements,
            self.name,
            content_line,
            blocks,
            markdown,
            attachments=self.attachments,
            children=[a for a in self.attachments.values() if a.parent == entry.id],
            resolve=lambda url, line: self.uploads.resolve(url, line, item.assets),
        )
        post = wpbody.Post(
            self.report, shortcodes, self.uploads, self.post_urls, self.reusable, self.attachment_pages, item.assets
        )
        post.footnotes = wpfields.footnotes(entry)
        item.body = wpbody.convert(entry.get("content:encoded"), post)
        return post

    def _sample(self, entry: Entry, item: Item) -> None:
        local = entry.get("wp:post_date")
        try:
            when = datetime.fromisoformat(str(item.front.get("date", "")))
        except ValueError:
            return
        self.dates.append(when)
        if entry.status == "publish" and item.urls and local:
            self.samples.append((item.urls[0], when, unquote(entry.slug), str(item.front.get("section") or "")))

    def _folder(self, entry: Entry, item: Item) -> str:
        if item.kind == "article":
            return str(item.front.get("date", ""))[:4] if re.match(r"\d{4}", str(item.front.get("date", ""))) else ""
        path = item.urls[0] if item.urls else ""
        return path.strip("/").rsplit("/", 1)[0] if path.strip("/").count("/") else ""

    def _site_info(self) -> SiteInfo:
        zone, how = guess_timezone(self.dates)
        if zone:
            self.report.warn(self.name, None, f"time zone {zone}: {how} (set timezone in brief.toml if yours differs)")
        return SiteInfo(
            title=html.unescape(child_text(self.channel, "title")),
            description=html.unescape(child_text(self.channel, "description")),
            base_url=self.site.base_url,
            language=child_text(self.channel, "language"),
            timezone=zone,
            permalinks=permalink_patterns(self.samples),
        )

    def _profiles(self, used: list[tuple[Entry, Item]]) -> list[Profile]:
        public: set[str] = set()
        wrote: dict[str, int] = {}
        for entry, item in used:
            wrote[entry.author] = wrote.get(entry.author, 0) + 1
            if item.kind == "article" and entry.status == "publish":
                public.add(entry.author)
        profiles = []
        for login, author in self.authors.items():
            if login not in wrote:
                self.report.counts["authors without posts (no profile)"] += 1
                continue
            urls = [f"/author/{wpfields.nicename(login)}/"] if login in public else []
            profiles.append(Profile(author.name, key=login, bio=author.bio, urls=urls))
        for login in wrote:
            if login and login not in self.authors:
                profiles.append(
                    Profile(login, key=login, urls=[f"/author/{wpfields.nicename(login)}/"] if login in public else [])
                )
        return profiles


def _int(value: str) -> int:
    return int(value) if value.strip().isdigit() else 0
