"""Where everything goes: slugs brief accepts, the permalink, and a redirect for every old URL.

From a reader's :class:`~brief.migrate.model.Archive` to the files of the new site, before
any is written: each item's slug made valid and unique (the old one listed), the
``permalink`` that reproduces the most source URLs (or the target site's own), every
other URL the source published for an article as one of its ``aliases``, and every page,
author, section, tag or listing URL that moved as a ``[redirects]`` entry of brief.toml.
A URL no static host can serve from a file (``/?p=12``) is listed as unreachable.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from brief.content.aliases import alias_path
from brief.content.dates import parse_datetime
from brief.content.schema import permalink
from brief.migrate.model import Archive, Item, Listing, Profile
from brief.migrate.report import Report
from brief.slugs import slugify

DEFAULT_PERMALINK = "/{year}/{month}/{slug}/"
PATTERNS = (
    "/{year}/{month}/{slug}/",
    "/{year}/{month}/{day}/{slug}/",
    "/{year}/{slug}/",
    "/{slug}/",
    "/{section}/{slug}/",
    "/{section}/{year}/{month}/{day}/{slug}/",
    "/{section}/{year}/{month}/{slug}/",
)
"""Permalinks tried on every archive, each also under the source's most common first folder."""
PAGE_FIELDS = ("title", "dek", "updated", "draft", "slug")
RESERVED = {
    "sections",
    "tags",
    "authors",
    "archive",
    "search",
    "page",
    "pagefind",
    "404",
    "feed",
    "images",
    "css",
    "js",
}
"""Slugs a standalone page may not take: brief's own folders (a page is served at /{slug}/)."""


@dataclass
class Placed:
    """An item with its place in the new site."""

    item: Item
    slug: str
    path: str
    """Its Markdown file, relative to the site folder: ``content/blog/2020/a.md`` or ``…/a/index.md``."""
    url: str = ""
    """Its URL in the new site (site path)."""
    public: bool = True
    """Whether readers could see it on the source (not a draft, not scheduled): only then are its URLs kept."""


@dataclass
class Plan:
    placed: list[Placed] = field(default_factory=list)
    profiles: list[tuple[Profile, str]] = field(default_factory=list)
    """Each profile with its slug."""
    permalink: str = DEFAULT_PERMALINK
    redirects: dict[str, str] = field(default_factory=dict)
    """``[redirects]``: old site path → new site path."""
    urls: list[tuple[str, str, str, str]] = field(default_factory=list)
    """source-urls.txt: (source URL, new URL, kind, source)."""
    timezone: tzinfo = UTC


def page_path(url: str) -> str:
    """A URL path as a comparable site path: ``/a/index.html`` → ``/a/``, percent escapes decoded."""
    path, _ = alias_path(url)
    return path[: -len("index.html")] if path.endswith("/index.html") else path


def written(path: str) -> str:
    """A decoded site path as brief reads it back in ``aliases:`` and ``[redirects]``: ``%`` and spaces escaped."""
    return path.replace("%", "%25").replace(" ", "%20")


def site_zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def plan(archive: Archive, report: Report, *, permalink_pattern: str | None, now: datetime) -> Plan:
    """Decide slugs, files, the permalink and redirects. ``permalink_pattern`` is the target site's
    own when it already has a brief.toml (the import then follows it)."""
    result = Plan(timezone=site_zone(archive.site.timezone))
    _place(archive.items, result, report, now, [listing.url for listing in archive.listings])
    one_spelling([p.item for p in result.placed if p.item.kind == "article"], report)
    articles = [p for p in result.placed if p.item.kind == "article"]
    result.permalink = permalink_pattern or choose_permalink(articles, archive.site.permalinks, result.timezone)
    for placed in result.placed:
        placed.url = _new_url(placed, result)
    _unclash(result, report)
    taken = {p.url for p in result.placed if p.url} | _brief_pages(result)
    _aliases(result, report, taken)
    for profile in archive.profiles:
        result.profiles.append((profile, slugify(profile.name) or slugify(profile.key) or "author"))
    _listings(archive.listings, result, report, taken)
    for old, target in archive.redirects.items():  # a source page that only led to another site
        path = page_path(old)
        if alias_path(old)[1] is not None:
            report.unreachable.append((old, f"it redirected to {target}: {alias_path(old)[1]}"))
        elif written(path) not in result.redirects and path not in taken:
            result.redirects[written(path)] = target
            result.urls.append((path, target, "redirect", target))
            report.redirects.append((path, target, "the source redirected it to another site"))
    return result


def one_spelling(items: list[Item], report: Report) -> None:
    """One spelling per section, tag and author slug across the archive (the most used one):
    brief refuses two names that make one URL (``Energy storage``, ``Energy Storage``)."""
    for key in ("section", "tags", "authors"):
        spellings: dict[str, Counter[str]] = {}
        for item in items:
            for name in _names(item.front.get(key)):
                spellings.setdefault(slugify(name), Counter())[name] += 1
        chosen = {slug: _favourite(names) for slug, names in spellings.items() if len(names) > 1}
        for slug, names in spellings.items():
            if slug in chosen:
                others = ", ".join(f"'{n}' ×{c}" for n, c in names.items() if n != chosen[slug])
                report.warn("", None, f"{key}: {others} written as '{chosen[slug]}' (one name per URL /…/{slug}/)")
        if not chosen:
            continue
        for item in items:
            value = item.front.get(key)
            if isinstance(value, list):
                item.front[key] = list(dict.fromkeys(chosen.get(slugify(str(v)), v) for v in value))
            elif isinstance(value, str):
                item.front[key] = chosen.get(slugify(value), value)


def _favourite(names: Counter[str]) -> str:
    """The most used spelling; on a tie a capitalised one (``Jane Doe`` over ``jane doe`` and ``JANE DOE``)."""
    return max(names, key=lambda n: (names[n], n[:1].isupper() and not n.isupper(), n == n.title()))


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [value] if isinstance(value, str) else []


def _date(item: Item, zone: tzinfo) -> datetime | None:
    try:
        return parse_datetime(item.front.get("date"), zone)
    except ValueError:
        return None


def _place(items: list[Item], result: Plan, report: Report, now: datetime, listings: list[str]) -> None:
    """Unique valid slugs per kind (first come, first served, oldest first) and file paths. A
    page (at ``/<slug>/``) never takes an address the source published for another item or a
    listing (``/blog/``, ``/status/``): that address keeps leading where it led."""
    used: dict[str, set[str]] = {"article": set(), "page": set(RESERVED)}
    owner: dict[str, str] = {}  # a root address's slug → the item that published it ("" a listing)
    published = [(url, i.source) for i in items if not i.front.get("draft") for url in i.urls]
    for url, source in [*published, *((url, "") for url in listings)]:
        root = re.fullmatch(r"/([^/]+)/(?:index\.html?)?", url)
        if root:
            owner.setdefault(slugify(unquote(root[1])) or root[1], source)
    files: set[str] = set()
    ordered = sorted(items, key=lambda i: (str(i.front.get("date", "")), i.source))
    for item in ordered:
        written = str(item.front.get("slug") or "")
        base = slugify(written) or slugify(str(item.front.get("title", ""))) or item.kind
        slug, n = base, 1
        while slug in used[item.kind] or (item.kind == "page" and owner.get(slug, item.source) != item.source):
            n += 1
            slug = f"{base}-{n}"
        used[item.kind].add(slug)
        if slug != written:
            report.slugs.append((item.source, written, slug))
        folder = "pages" if item.kind == "page" else item.folder.strip("/")
        folder = posixpath.join("content", folder) if folder else "content"
        bundle = any(not a.static for a in item.assets)
        path = posixpath.join(folder, slug, "index.md") if bundle else posixpath.join(folder, f"{slug}.md")
        while path in files:  # same slug in another kind's folder: never two items in one file
            path = path.replace(".md", "-2.md") if not bundle else path.replace("/index.md", "-2/index.md")
        files.add(path)
        date = _date(item, result.timezone)
        public = not item.front.get("draft") and (item.kind == "page" or date is None or date <= now)
        expires = _date(Item(item.source, item.kind, {"date": item.front.get("expires")}, ""), result.timezone)
        if expires is not None and expires <= now:
            public = False  # taken down on the source too: its URLs are no longer published
        result.placed.append(Placed(item, slug, path, public=public))


def _unclash(result: Plan, report: Report) -> None:
    """An article whose URL would be a page's or one of brief's own (``/search/`` with
    ``permalink = "/{slug}/"``) gets another slug; its old URL becomes an alias as any other."""
    slugs = {p.slug for p in result.placed if p.item.kind == "article"}
    pages = {p.url for p in result.placed if p.item.kind == "page"}
    for placed in result.placed:
        if placed.item.kind != "article" or not placed.url:
            continue
        old, n = placed.slug, 1
        while placed.url in pages or placed.url.strip("/") in RESERVED:
            n += 1
            placed.slug = f"{old}-{n}"
            if placed.slug in slugs:
                continue
            placed.url = _new_url(placed, result)
        if placed.slug != old:
            slugs.add(placed.slug)
            placed.path = placed.path.replace(f"/{old}.md", f"/{placed.slug}.md").replace(
                f"/{old}/index.md", f"/{placed.slug}/index.md"
            )
            report.slugs.append((placed.item.source, old, placed.slug))
            report.warn(placed.item.source, None, f"slug {old}: its URL is a page's or brief's own; now {placed.slug}")


def _new_url(placed: Placed, result: Plan) -> str:
    if placed.item.kind == "page":
        return f"/{placed.slug}/"
    date = _date(placed.item, result.timezone)
    if date is None:
        return ""
    section = str(placed.item.front.get("section") or "News")
    return permalink(result.permalink, date=date.astimezone(result.timezone), slug=placed.slug, section=section)


def choose_permalink(articles: list[Placed], suggested: list[str], zone: tzinfo) -> str:
    """The pattern under which most public articles keep their main source URL (brief's default on a tie)."""
    mains = [(p, page_path(p.item.urls[0])) for p in articles if p.item.urls and p.public]
    firsts = Counter(url.split("/")[1] for _, url in mains if url.count("/") > 2)
    prefixes = [""] + [f"/{name}" for name, _ in firsts.most_common(3) if name and not name.isdigit()]
    candidates = list(
        dict.fromkeys([*suggested, DEFAULT_PERMALINK, *(pre + pat for pre in prefixes for pat in PATTERNS)])
    )
    best, best_score = DEFAULT_PERMALINK, -1
    for pattern in candidates:
        score = 0
        for placed, url in mains:
            date = _date(placed.item, zone)
            if date is None:
                continue
            section = str(placed.item.front.get("section") or "News")
            new = permalink(pattern, date=date.astimezone(zone), slug=placed.slug, section=section)
            score += new == url
        if score > best_score:
            best, best_score = pattern, score
    return best


def _aliases(result: Plan, report: Report, taken: set[str]) -> None:
    """Every other URL of a public article becomes one of its aliases; of a page, a redirect."""
    claimed: dict[str, str] = {}
    for placed in result.placed:
        if not placed.public:
            continue
        item = placed.item
        aliases: list[str] = []
        if not placed.url:
            report.unreachable += [
                (url, f"{item.source}: no readable date, so no URL in the new site") for url in item.urls
            ]
            continue
        for url in dict.fromkeys(item.urls):
            path, why = alias_path(url)
            if why is not None:
                report.unreachable.append((url, f"{item.source}: {why}"))
                continue
            path = page_path(url)
            result.urls.append((path, placed.url, item.kind, item.source))
            if path == placed.url:
                continue
            if path in taken or path in claimed:
                other = claimed.get(path, "a page of the new site")
                report.warn(item.source, None, f"old URL {path} is also {other}: no redirect from it")
                continue
            claimed[path] = item.source
            if item.kind == "page":
                result.redirects[written(path)] = placed.url
            else:
                aliases.append(written(path))
            report.redirects.append((path, placed.url, f"{item.source}: {_why(path, placed.url)}"))
        if aliases:
            item.front["aliases"] = aliases
    taken.update(claimed)


def _why(old: str, new: str) -> str:
    if old.casefold() == new.casefold():
        return "letter case"
    if old.endswith((".html", ".htm")):
        return "a .html address"
    return "URL scheme" if posixpath.basename(old.rstrip("/")) == posixpath.basename(new.rstrip("/")) else "slug"


def _built(result: Plan) -> dict[str, set[str]]:
    """Slugs of the sections, tags and authors the new site will have pages for."""
    found: dict[str, set[str]] = {"section": set(), "tag": set(), "author": set()}
    for placed in result.placed:
        if placed.item.kind != "article" or not placed.public:
            continue
        front: dict[str, Any] = placed.item.front
        found["section"].add(slugify(str(front.get("section") or "News")))
        found["tag"].update(slugify(str(t)) for t in front.get("tags") or [])
        found["author"].update(slugify(str(a)) for a in front.get("authors") or [])
    return found


def _brief_pages(result: Plan) -> set[str]:
    """Pages brief makes by itself: the indexes, each section, tag, author and archive year."""
    pages = set(INDEXES.values())
    for kind, slugs in _built(result).items():
        pages.update(f"/{kind}s/{slug}/" for slug in slugs)
    for placed in result.placed:
        date = _date(placed.item, result.timezone) if placed.public and placed.item.kind == "article" else None
        if date is not None:
            pages.add(f"/archive/{date.astimezone(result.timezone).year:04d}/")
    return pages


INDEXES = {"home": "/", "archive": "/archive/", "sections": "/sections/", "tags": "/tags/", "authors": "/authors/"}


def _listings(listings: list[Listing], result: Plan, report: Report, taken: set[str]) -> None:
    built = _built(result)
    terms = [(Listing(url, "author", profile.name), slug) for profile, slug in result.profiles for url in profile.urls]
    terms += [(listing, slugify(listing.name)) for listing in listings]
    for listing, slug in terms:
        target = _listing_target(listing, slug, built)
        if listing.url.strip("/") == "" and target == "/":  # the front page stays the front page
            result.urls.append(("/", "/", listing.kind, listing.name or listing.kind))
            continue
        path, why = alias_path(listing.url)
        if why is not None:
            report.unreachable.append((listing.url, f"the {listing.kind} page {listing.name}: {why}"))
            continue
        path = page_path(listing.url)
        if listing.kind not in INDEXES and target in INDEXES.values():
            report.warn(
                "", None, f"{path}: no public article has the {listing.kind} '{listing.name}'; redirected to {target}"
            )
        result.urls.append((path, target, listing.kind, listing.name or listing.kind))
        if path == target or written(path) in result.redirects:
            continue
        if path in taken:
            report.warn("", None, f"old URL {path} ({listing.kind} {listing.name}) is now another page: no redirect")
            continue
        result.redirects[written(path)] = target
        report.redirects.append(
            (path, target, f"the {listing.kind} page{' of ' + listing.name if listing.name else ''}")
        )


def _listing_target(listing: Listing, slug: str, built: dict[str, set[str]]) -> str:
    if listing.kind in INDEXES:
        return INDEXES[listing.kind]
    order = {"section": ("section", "tag"), "tag": ("tag", "section"), "author": ("author",)}[listing.kind]
    for kind in order:
        if slug in built[kind]:
            return f"/{kind}s/{slug}/"
    return f"/{order[0]}s/"
