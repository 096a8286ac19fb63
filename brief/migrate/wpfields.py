"""A WordPress export's fields → brief's front matter, listings and author names.

Every element of an imported post is counted in the report with what it became
(``wp:post_name`` → slug, ``wp:comment_status`` → not imported…); every postmeta key
too, except WordPress's own (``_edit_lock``, ``_edit_last``…), which are counted as one
line. An author's e-mail address is counted, never shown.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from brief.migrate.dates import normalise
from brief.migrate.fields import NOT_IMPORTED
from brief.migrate.mdtext import plain_text
from brief.migrate.model import Item, Listing
from brief.migrate.report import Report
from brief.migrate.weburls import Site
from brief.migrate.wpshortcodes import Attachment
from brief.migrate.xmlfile import child, child_text, children, text
from brief.slugs import slugify

ORDER = ("title", "dek", "date", "updated", "authors", "section", "tags", "image", "draft", "slug")
PAGE_KEYS = ("title", "dek", "updated", "draft", "slug")
DRAFT_STATUSES = ("draft", "pending", "private", "future")
UNCATEGORIZED = "uncategorized"
INTERNAL = "postmeta: WordPress's internal keys (_edit_lock, _edit_last, …)"
BECAME = {
    "title": "title",
    "link": "URL (kept)",
    "dc:creator": "authors",
    "content:encoded": "body",
    "excerpt:encoded": "dek",
    "wp:post_date": "date",
    "wp:post_date_gmt": "date (its offset)",
    "wp:post_modified": "updated (when after the date)",
    "wp:post_modified_gmt": "updated (its offset)",
    "wp:post_name": "slug",
    "wp:status": "draft (unless publish)",
    "wp:post_type": "article or page",
    "wp:post_id": "?p= links between posts",
    "wp:post_password": "draft (password-protected: not made public)",
    "pubDate": f"{NOT_IMPORTED} (wp:post_date is the date)",
    "guid": f"{NOT_IMPORTED} (an identifier)",
}
PAGE_ONLY = {"wp:post_parent": "URL (a page inside another)"}
ARTICLE_ONLY = ("dc:creator", "wp:post_date", "wp:post_date_gmt")


@dataclass
class Author:
    name: str
    bio: str = ""


class Entry:
    """One ``<item>`` of the export."""

    def __init__(self, element: ET.Element, line: int | None, name: str) -> None:
        self.element, self.line, self.file = element, line, name
        self.id = int(self.get("wp:post_id")) if self.get("wp:post_id").isdigit() else 0
        self.type = self.get("wp:post_type") or "post"
        self.status = self.get("wp:status") or "publish"
        self.title = " ".join(plain_text(html.unescape(self.get("title"))).split())
        self.author = self.get("dc:creator")
        self.slug = self.get("wp:post_name")

    def get(self, name: str) -> str:
        return child_text(self.element, name)

    def meta(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, value in self.postmeta():
            found.setdefault(key, value)
        return found

    def meta_all(self, key: str) -> list[str]:
        return [value.strip() for k, value in self.postmeta() if k == key and value.strip()]

    def postmeta(self) -> list[tuple[str, str]]:
        return [
            (child_text(m, "wp:meta_key"), text(child(m, "wp:meta_value")))
            for m in children(self.element, "wp:postmeta")
        ]

    def terms(self) -> list[tuple[str, str, str]]:
        """(domain, nicename, name) of each category and tag, as the export lists them."""
        out = []
        for element in children(self.element, "category"):
            domain = element.get("domain", "")
            if domain:
                out.append((domain, element.get("nicename", ""), html.unescape(text(element).strip())))
        return out


def nicename(login: str) -> str:
    """WordPress's author slug (``user_nicename``) for a login: ``John.Doe`` → ``john-doe``."""
    value = re.sub(r"[^a-z0-9 _-]", "", login.lower().replace(".", "-"))
    return re.sub(r"-+", "-", re.sub(r"\s+", "-", value)).strip("-")


def authors(channel: ET.Element, report: Report) -> dict[str, Author]:
    """Login → display name (else first and last name, else the login), each field counted."""
    found: dict[str, Author] = {}
    for element in children(channel, "wp:author"):
        login = child_text(element, "wp:author_login")
        display = html.unescape(child_text(element, "wp:author_display_name"))
        first_last = " ".join(
            html.unescape(child_text(element, k)) for k in ("wp:author_first_name", "wp:author_last_name")
        ).strip()
        name = display or first_last or login
        for kid in element:
            value = text(kid).strip()
            if not value:
                continue
            if kid.tag == "wp:author_email":
                report.counts["author e-mail addresses (never written)"] += 1
                report.field_used(kid.tag, f"{NOT_IMPORTED} (private: never written)", "(not shown)")
                continue
            became = {
                "wp:author_login": "author (the key posts name)",
                "wp:author_display_name": "author's name",
                "wp:author_first_name": "author's name" if not display else NOT_IMPORTED,
                "wp:author_last_name": "author's name" if not display else NOT_IMPORTED,
                "wp:author_description": "author's bio",
            }.get(kid.tag, NOT_IMPORTED)
            report.field_used(kid.tag, became, value)
        bio = plain_text(child_text(element, "wp:author_description"))
        found[login] = Author(" ".join(name.split()), bio)
    return found


def categories(channel: ET.Element) -> dict[str, tuple[str, str]]:
    """Category nicename → (name, parent's nicename), from the export's list of categories."""
    found: dict[str, tuple[str, str]] = {}
    for element in children(channel, "wp:category"):
        found[child_text(element, "wp:category_nicename")] = (
            html.unescape(child_text(element, "wp:cat_name")),
            child_text(element, "wp:category_parent"),
        )
    for element in children(channel, "wp:term"):
        if child_text(element, "wp:term_taxonomy") == "category":
            found.setdefault(
                child_text(element, "wp:term_slug"),
                (html.unescape(child_text(element, "wp:term_name")), child_text(element, "wp:term_parent")),
            )
    return found


def wp_date(local: str, gmt: str) -> str | None:
    """``2020-01-02 10:00:00`` stored beside ``2020-01-02 08:00:00`` GMT → ``2020-01-02T10:00:00+02:00``;
    without a GMT time (drafts have ``0000-00-00 00:00:00``) no offset; None for no date."""
    try:
        when = datetime.strptime(local.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    out = when.isoformat()
    try:
        utc = datetime.strptime(gmt.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return out
    minutes = round((when - utc).total_seconds() / 900) * 15
    if abs(minutes) > 14 * 60:
        return out
    sign = "+" if minutes >= 0 else "-"
    return f"{out}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def front(
    entry: Entry, people: dict[str, Author], terms: dict[str, tuple[str, str]], report: Report
) -> tuple[dict[str, Any], bool]:
    """brief's front matter (without the hero) and whether the dek may come from the body."""
    page = entry.type == "page"
    out: dict[str, Any] = {"title": entry.title or "Untitled"}
    if not entry.title:
        report.warn(entry.file, entry.line, f"item {entry.id} has no title: imported as 'Untitled' (write its title)")
    _count_fields(entry, report, page)
    excerpt = plain_text(entry.get("excerpt:encoded"))
    described = entry.meta().get("_yoast_wpseo_metadesc", "").strip()
    if excerpt or described:
        out["dek"] = excerpt or " ".join(described.split())
    if not page:
        _date(entry, out, report)
        author = people.get(entry.author)
        out["authors"] = [author.name if author else entry.author] if entry.author else []
        _terms(entry, out, report)
    updated = wp_date(entry.get("wp:post_modified"), entry.get("wp:post_modified_gmt"))
    base = wp_date(entry.get("wp:post_date"), entry.get("wp:post_date_gmt"))
    if updated and base and _after(updated, base):
        out["updated"] = updated
    _status(entry, out, report)
    out["slug"] = unquote_slug(entry.slug) or slugify(entry.title)
    return out, "dek" not in out


def _date(entry: Entry, out: dict[str, Any], report: Report) -> None:
    """``wp:post_date``; else the last change, else ``pubDate``, said in the report; else none
    (the build then asks for one)."""
    date = wp_date(entry.get("wp:post_date"), entry.get("wp:post_date_gmt"))
    if date is not None:
        out["date"] = date
        report.date(entry.file, entry.line, "wp:post_date", entry.get("wp:post_date"), date)
        return
    date = wp_date(entry.get("wp:post_modified"), entry.get("wp:post_modified_gmt"))
    what = "the time it was last changed"
    if date is None and entry.get("pubDate"):
        date, what = normalise(entry.get("pubDate"))[0], "its pubDate"
    if date is None:
        report.warn(entry.file, entry.line, f"'{entry.title}' has no date in the export (write one: brief needs it)")
        return
    out["date"] = date
    report.warn(entry.file, entry.line, f"'{entry.title}' has no date: {what} is used")


def unquote_slug(slug: str) -> str:
    """WordPress keeps a slug of other scripts percent-encoded (``%e6%97%a5``): the text it stands for."""
    return unquote(slug.strip())


def _after(later: str, earlier: str) -> bool:
    try:
        a, b = datetime.fromisoformat(later), datetime.fromisoformat(earlier)
        if (a.utcoffset() is None) != (b.utcoffset() is None):
            a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
        return a > b
    except ValueError:
        return False


def _status(entry: Entry, out: dict[str, Any], report: Report) -> None:
    if entry.status in DRAFT_STATUSES or entry.get("wp:post_password"):
        out["draft"] = True
    if entry.status == "future":
        report.warn(
            entry.file, entry.line, f"'{entry.title}' is scheduled (status future): imported as a draft, its date kept"
        )
    elif entry.get("wp:post_password"):
        report.warn(
            entry.file,
            entry.line,
            f"'{entry.title}' is password-protected: imported as a draft (a static site cannot ask for the password)",
        )
    elif entry.status not in DRAFT_STATUSES and entry.status != "publish":
        out["draft"] = True
        report.warn(entry.file, entry.line, f"'{entry.title}' has status '{entry.status}': imported as a draft")


def _count_fields(entry: Entry, report: Report, page: bool) -> None:
    comments = 0
    for kid in entry.element:
        value = text(kid).strip()
        if kid.tag == "wp:comment":
            comments += 1
        elif kid.tag in ("wp:postmeta", "category") or value in ("", "0"):
            continue
        elif page and kid.tag in ARTICLE_ONLY:
            report.field_used(kid.tag, f"{NOT_IMPORTED} (a standalone page has none)", value)
        else:
            became = BECAME.get(kid.tag) or (PAGE_ONLY.get(kid.tag, NOT_IMPORTED) if page else NOT_IMPORTED)
            report.field_used(kid.tag, became, value)
    if comments:
        report.counts["comments (not imported)"] += comments
        report.field_used("wp:comment", f"{NOT_IMPORTED} (comments)", f"{comments} comments")
    for key, value in entry.postmeta():
        if key == "_thumbnail_id":
            report.field_used(
                f"postmeta: {key}", "image" if not page else f"{NOT_IMPORTED} (a page has no hero)", value
            )
        elif key == "_yoast_wpseo_metadesc":
            report.field_used(f"postmeta: {key}", "dek (when there is no excerpt)", value)
        elif key == "footnotes":
            report.field_used(f"postmeta: {key}", "footnotes ([^1] in the body)", value)
        elif key == "_wp_old_slug":
            report.field_used(f"postmeta: {key}", "URL (an old address, redirected)", value)
        elif key.startswith("_"):
            report.field_used(INTERNAL, NOT_IMPORTED, key)
        else:
            report.field_used(f"postmeta: {key}", NOT_IMPORTED, value)


def _terms(entry: Entry, out: dict[str, Any], report: Report) -> None:
    section = ""
    tags: list[str] = []
    for domain, nice, name in entry.terms():
        if domain == "category" and (nice == UNCATEGORIZED or name.casefold() == UNCATEGORIZED):
            report.field_used("category", f"{NOT_IMPORTED} (Uncategorized, WordPress's default: no section)", name)
        elif domain == "category" and not section:
            section = name
            report.field_used("category", "section (the first)", name)
        elif domain in ("category", "post_tag", "tag"):
            tags.append(name)
            report.field_used("category" if domain == "category" else domain, "tags", name)
        else:
            report.field_used(f"taxonomy {domain}", NOT_IMPORTED, name)
    if section:
        out["section"] = section
    tags = [t for t in dict.fromkeys(tags) if t and t.casefold() != section.casefold()]
    if tags:
        out["tags"] = tags


def footnotes(entry: Entry) -> list[tuple[str, str]]:
    """Gutenberg's footnotes of a post (its ``footnotes`` postmeta, JSON): (id, HTML) in order."""
    try:
        notes = json.loads(entry.meta().get("footnotes") or "[]")
    except ValueError:
        return []
    if not isinstance(notes, list):
        return []
    return [(str(n["id"]), str(n.get("content", ""))) for n in notes if isinstance(n, dict) and n.get("id")]


def teaser_dek(out: dict[str, Any], teaser: str, report: Report) -> None:
    """The text before ``<!--more-->`` as the dek, when it is one or two sentences of at most 300 characters."""
    sentences = len(re.findall(r"[.!?…](?:\s|$)", teaser))
    if teaser and len(teaser) <= 300 and sentences <= 2:
        out["dek"] = teaser
        report.convert("<!--more--> teaser → dek")


def hero(entry: Entry, out: dict[str, Any], find: Callable[[int], Attachment | None], report: Report) -> None:
    """The featured image (``_thumbnail_id``) → ``image``, alt from the attachment, caption from its excerpt."""
    number = entry.meta().get("_thumbnail_id", "").strip()
    if not number.isdigit():
        return
    found = find(int(number))
    if found is None:
        report.warn(
            entry.file, entry.line, f"'{entry.title}': featured image {number} is not in the export; no hero image"
        )
        return
    image: dict[str, Any] = {"src": found.url, "alt": found.alt}
    if not found.alt:
        image["decorative"] = True
        report.warn(
            entry.file,
            entry.line,
            f"the hero image {found.url} has no alt text: marked decorative (write image.alt to describe it)",
        )
    if found.caption:
        image["caption"] = found.caption
    out["image"] = image


def ordered(out: dict[str, Any], kind: str) -> dict[str, Any]:
    """brief's keys in brief's order (a page has only a page's), empty ones left out."""
    keys = PAGE_KEYS if kind == "page" else ORDER
    return {k: out[k] for k in keys if k in out and out[k] not in (None, "", [])}


def listings(
    used: list[tuple[Entry, Item]], terms: dict[str, tuple[str, str]], site: Site, report: Report
) -> list[Listing]:
    """The category, tag and Uncategorized pages WordPress published (at its default bases)."""
    kinds: dict[str, tuple[str, str]] = {}
    for entry, item in used:
        if item.kind != "article" or entry.status != "publish" or item.front.get("draft"):
            continue
        for domain, nice, name in entry.terms():
            if domain == "category" and (nice == UNCATEGORIZED or name.casefold() == UNCATEGORIZED):
                kinds[f"/category/{nice or UNCATEGORIZED}/"] = ("archive", "")
            elif domain == "category":
                for path, parent_name in _category_paths(nice, name, terms):
                    kind = "section" if parent_name == item.front.get("section") else "tag"
                    if kinds.get(path, ("", ""))[0] != "section":
                        kinds[path] = (kind, parent_name)
            elif domain in ("post_tag", "tag"):
                kinds.setdefault(f"/tag/{nice or slugify(name)}/", ("tag", name))
    found: list[Listing] = []
    for url, (kind, name) in kinds.items():
        found.append(Listing(url, "section" if kind == "section" else "archive" if kind == "archive" else "tag", name))
    return found


def _category_paths(nice: str, name: str, terms: dict[str, tuple[str, str]]) -> list[tuple[str, str]]:
    """``/category/parent/child/`` and the parents' own pages (WordPress lists a child's posts there too)."""
    chain = [(nice, name)]
    seen = {nice}
    parent = terms.get(nice, ("", ""))[1]
    while parent and parent not in seen and len(chain) < 10:
        seen.add(parent)
        chain.insert(0, (parent, terms.get(parent, (parent, ""))[0]))
        parent = terms.get(parent, ("", ""))[1]
    out = []
    for depth in range(len(chain), 0, -1):
        path = "/category/" + "/".join(n for n, _ in chain[:depth]) + "/"
        out.append((path, chain[depth - 1][1]))
    return out
