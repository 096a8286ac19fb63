"""What each Jekyll document becomes, the listing pages the site published, and its redirects.

- Posts, drafts and the documents of a published collection whose documents are all dated
  are articles; other pages and published collections' documents are standalone pages;
  the ``_authors`` collection holds profiles.
- A page that lists posts (a ``paginator.posts`` or ``site.posts`` loop) is the home page
  or the archive, one that loops over ``site.tags`` or ``site.categories`` the tag or
  section index, and a page with a ``tag:`` or ``category:`` and such a layout that term's
  page: brief makes its own, so each is a :class:`~brief.migrate.model.Listing`.
- jekyll-archives' pages (tags, categories, years, months, days, with its permalinks) and
  jekyll-paginate's pages (``paginate_path``, one per ``paginate`` posts) are listings too.
- A page with ``redirect_to`` (jekyll-redirect-from, or ``layout: redirect``) adds its URL
  to what it redirects to: an article, page, profile or listing of the import.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from brief.migrate.jekylldocs import Doc
from brief.migrate.jekyllsite import SiteConfig, brief_permalinks, fill, slugify
from brief.migrate.model import Archive, Item, Listing, ListingKind, SiteInfo
from brief.migrate.report import Report

NOT_FOUND_URLS = ("/404.html", "/404/", "/404")
_LOOPS = (
    (re.compile(r"paginator\.posts|\bin\s+site\.posts\b|site\.posts\s*\|"), "archive"),
    (re.compile(r"\bin\s+site\.tags\b"), "tags"),
    (re.compile(r"\bin\s+site\.categories\b"), "sections"),
)
_TERM_INDEXES: dict[str, ListingKind] = {"/tags/": "tags", "/tag/": "tags", "/categories/": "sections"}
_TERM_INDEXES |= {"/category/": "sections", "/tags.html": "tags", "/categories.html": "sections"}
_TERM_INDEXES |= {"/authors/": "authors", "/author/": "authors"}
_DOCUMENT = re.compile(r"\A\s*(?:\{%[^%]*%\}\s*)*(?:<!doctype html|<html\b)", re.I)


@dataclass
class Sorted:
    """The site's documents by what they become."""

    articles: list[Doc] = field(default_factory=list)
    pages: list[Doc] = field(default_factory=list)
    authors: list[Doc] = field(default_factory=list)
    redirects: list[tuple[Doc, str]] = field(default_factory=list)
    listed: list[tuple[str, str, str]] = field(default_factory=list)
    """Listing pages found among the pages: (URL, kind or ``category``, term name)."""


def sort_docs(docs: list[Doc], config: SiteConfig, report: Report) -> Sorted:
    out = Sorted()
    dated = {d.kind for d in docs} - {d.kind for d in docs if not (d.file_date or d.meta.get("date"))}
    for doc in docs:
        target = _redirect_target(doc)
        if target and doc.urls:
            out.redirects.append((doc, target))
        elif doc.kind == "authors":
            out.authors.append(doc)
        elif doc.kind in ("posts", "drafts"):
            out.articles.append(doc)
        elif doc.kind != "pages" and not doc.output:
            report.skip(doc.rel, f"in the {doc.kind} collection, which the site does not publish (output: false)")
        elif doc.kind != "pages":
            (out.articles if doc.kind in dated else out.pages).append(doc)
        elif not doc.published:
            report.skip(doc.rel, "published: false, so Jekyll never built it")
        elif doc.url in NOT_FOUND_URLS:
            report.skip(doc.rel, "the page-not-found page: brief writes its own")
        elif _DOCUMENT.match(doc.source.body):
            report.skip(doc.rel, "a whole HTML document of its own (an app, a tool), not an article or page")
        elif not _listing(doc, out, report):
            out.pages.append(doc)
    return out


def _redirect_target(doc: Doc) -> str:
    value = doc.meta.get("redirect_to")
    if value is None and str(doc.meta.get("layout") or "") == "redirect":
        value = doc.meta.get("redirect") or doc.meta.get("redirect_url") or doc.meta.get("target")
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value else ""


def _listing(doc: Doc, out: Sorted, report: Report) -> bool:
    """Whether the page is a listing (then noted as one, and listed in the report)."""
    body = doc.source.body
    kind = next((k for pattern, k in _LOOPS if pattern.search(body)), "")
    if kind == "archive" and doc.url == "/" or doc.url == "/":
        kind = "home"
    layout = str(doc.meta.get("layout") or "").lower()
    name = ""
    if not kind and "tag" in layout and isinstance(doc.meta.get("tag") or doc.meta.get("tag_name"), str):
        kind, name = "tag", str(doc.meta.get("tag") or doc.meta.get("tag_name"))
    elif not kind and "categor" in layout and isinstance(doc.meta.get("category"), str):
        kind, name = "category", str(doc.meta["category"])
    if not kind and doc.url in _TERM_INDEXES:
        kind = _TERM_INDEXES[doc.url]
    if not kind:
        return False
    for url in doc.urls:
        out.listed.append((url, kind, name))
    what = {
        "home": "the home page",
        "archive": "a list of posts",
        "tags": "the tag index",
        "sections": "the category index",
        "authors": "the list of authors",
    }
    report.skip(doc.rel, f"{what.get(kind, f'the page of {name}')}: brief makes its own listing pages")
    return True


def listings(docs: Sorted, items: list[Item], config: SiteConfig) -> list[Listing]:
    """Every listing page the site published: home, archives, term pages and indexes, pagination."""
    sections = {str(i.front.get("section")) for i in items if i.kind == "article" and i.front.get("section")}
    out = [Listing("/", "home")]
    for url, kind, name in docs.listed:
        if kind == "category":
            out.append(Listing(url, "section" if name in sections else "tag", name))
        else:
            out.append(Listing(url, kind, name))  # type: ignore[arg-type]
    posts = [d for d in docs.articles if d.kind == "posts" and d.urls]
    archives = config.archives
    mode = archives.slug_mode
    if "tags" in archives.enabled:
        for tag in dict.fromkeys(t for d in posts for t in d.tags):
            url = fill(archives.permalinks["tag"], {"name": slugify(tag, mode), "type": "tag"})
            out.append(Listing(url, "tag", tag))
    if "categories" in archives.enabled:
        for name in dict.fromkeys(c for d in posts for c in d.categories):
            url = fill(archives.permalinks["category"], {"name": slugify(name, mode), "type": "category"})
            out.append(Listing(url, "section" if name in sections else "tag", name))
    for kind, parts in (("year", 1), ("month", 2), ("day", 3)):
        if kind in archives.enabled:
            dates = dict.fromkeys(tuple(d.when.strftime("%Y-%m-%d").split("-")[:parts]) for d in posts if d.when)
            for date in dates:
                values = dict(zip(("year", "month", "day"), date, strict=False))
                out.append(Listing(fill(archives.permalinks[kind], values), "archive"))
    if config.paginate:
        for number in range(2, math.ceil(len(posts) / config.paginate) + 1):
            path = "/" + config.paginate_path.replace(":num", str(number)).lstrip("/")
            out.append(Listing(path if "." in path.rsplit("/", 1)[-1] else path.rstrip("/") + "/", "archive"))
    return list({listing.url: listing for listing in reversed(out)}.values())[::-1]


def resolve_redirects(redirects: list[tuple[Doc, str]], archive: Archive, config: SiteConfig, report: Report) -> None:
    """Each redirect page's URLs join what it pointed to (an item, a profile, a listing)."""
    items = {u: i for i in archive.items for u in i.urls}
    profiles = {u: p for p in archive.profiles for u in p.urls}
    lists = {listing.url: listing for listing in archive.listings}
    host = (urlsplit(config.url).hostname or "").removeprefix("www.")
    for doc, target in redirects:
        parts = urlsplit(target)
        if parts.scheme and (parts.hostname or "").removeprefix("www.") != host:
            for url in doc.urls:
                archive.redirects[url] = target
            report.field_used("redirect_to", "[redirects] entry (to another site)", target)
            continue
        path = parts.path or "/"
        if config.baseurl and path.startswith(config.baseurl + "/"):
            path = path[len(config.baseurl) :]
        path = "/" + path.lstrip("/")
        variants = (path, path.rstrip("/") + "/", path.rstrip("/"), path.rstrip("/") + ".html")
        item = next((items[v] for v in variants if v in items), None)
        profile = next((profiles[v] for v in variants if v in profiles), None)
        listing = next((lists[v] for v in variants if v in lists), None)
        report.field_used("redirect_to", "an old URL of the page it leads to", target)
        if item is not None:
            item.urls += [u for u in doc.urls if u not in item.urls]
        elif profile is not None:
            profile.urls += [u for u in doc.urls if u not in profile.urls]
        elif listing is not None:
            archive.listings += [Listing(u, listing.kind, listing.name) for u in doc.urls]
        else:
            message = f"{', '.join(doc.urls)} redirected to {target}, which is no page the import makes: not kept"
            report.warn(doc.rel, doc.source.line_of("redirect_to"), message)


def site_info(config: SiteConfig, articles: list[Doc]) -> SiteInfo:
    data = config.data
    base = config.url + config.baseurl + "/" if config.url else ""
    template = config.posts.permalink
    return SiteInfo(
        title=str(data.get("title") or data.get("name") or ""),
        description=" ".join(str(data.get("description") or "").split()),
        base_url=base,
        language=str(data.get("lang") or data.get("language") or data.get("locale") or "").replace("_", "-"),
        timezone=str(data.get("timezone") or ""),
        permalinks=brief_permalinks(template, [d.categories for d in articles if d.kind == "posts"]),
    )
