"""Links in rendered HTML: what a page links to, which ids it has, and where a link leads.

Below both the build (which refuses links written in articles that lead to no page
or file of the site) and ``brief check`` (which reads every page back, anchors
included): one definition of "this link is broken" for both.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from brief.errors import Problem

_URL_IN_HTML = re.compile(r'\s(href|src)="([^"]*)"')


_LINK_ATTRS = {
    ("a", "href"),
    ("img", "src"),
    ("link", "href"),
    ("script", "src"),
    ("source", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("iframe", "src"),
}


@dataclass
class PageLinks:
    """What one HTML page links to and which ids it has."""

    ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str, int]] = field(default_factory=list)
    """(tag, URL as written, line in the HTML)."""


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageLinks()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.page.ids.add(value)
            elif (tag, name) in _LINK_ATTRS:
                self.page.links.append((tag, value, self.getpos()[0]))
            elif name == "srcset" and tag in ("img", "source"):
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.page.links.append((tag, url, self.getpos()[0]))

    handle_startendtag = handle_starttag


def extract(html: str) -> PageLinks:
    parser = _Extractor()
    parser.feed(html)
    parser.close()
    return parser.page


def markdown_urls(view) -> list[tuple[str, str]]:
    """(attribute, URL) of each link and image written in an article's Markdown (body,
    takeaways, analysis, caption), once each, in order."""
    html = "".join(
        [
            view.body,
            *view.takeaways,
            view.analysis.body if view.analysis else "",
            view.image.caption if view.image and view.image.caption else "",
        ]
    )
    return [(attr, unescape(url)) for attr, url in dict.fromkeys(_URL_IN_HTML.findall(html))]


def why_broken(rel: str, url: str, pages: dict[str, PageLinks], files: set[str], base_path: str) -> str | None:
    """Why ``url`` on page ``rel`` leads nowhere, or None when it is fine (or not ours to check)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "not a valid URL"
    scheme = parts.scheme.lower()
    if scheme in ("javascript", "vbscript"):
        return f"{scheme}: links are not allowed"
    if scheme or parts.netloc:  # another site (or mailto:, tel:): not ours to check
        return None
    here_dir = posixpath.dirname(rel)
    if not parts.path:
        target = rel
    elif parts.path.startswith("/"):
        if not parts.path.startswith(base_path):
            return f"outside the site's base path {base_path}"
        target = unquote(parts.path[len(base_path) :])
    else:
        target = posixpath.normpath(posixpath.join(here_dir, unquote(parts.path)))
        if target.startswith("../") or target == "..":
            return "leads outside the site"
    if target in ("", "."):
        target = "index.html"
    elif target.endswith("/"):
        target += "index.html"
    if target not in files:
        if target + "/index.html" in files:
            target += "/index.html"
        else:
            return "no such page or file in the site"
    if parts.fragment:
        page = pages.get(target)
        if page is not None and unquote(parts.fragment) not in page.ids:
            return f"no element with id '{unquote(parts.fragment)}' on {target}"
    return None


def source_line(article, url: str, base_path: str) -> int | None:
    """The line of the article's file that holds ``url`` (as written, without the base path)."""
    try:
        lines = article.path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    needles = [url, url[len(base_path) - 1 :] if url.startswith(base_path) else url]
    fragment = urlsplit(url).fragment
    if fragment:
        needles.append("#" + fragment)
    for needle in needles:
        for number, line in enumerate(lines, 1):
            if needle and needle in line:
                return number
    return None


def internal_page(rel: str, url: str, base_path: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = parts.path
    if not path:
        return None
    if path.startswith("/"):
        if not path.startswith(base_path):  # both percent-encoded (brief.urls)
            return None
        target = unquote(path[len(base_path) :])
    else:
        path = unquote(path)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
        if path.endswith("/") and target not in (".", ""):
            target += "/"
    if target in ("", "."):
        return "index.html"
    return target + "index.html" if target.endswith("/") else target


def article_link_problems(site, views: dict, files: set[str]) -> list[Problem]:
    """Links and images written in articles (body, takeaways, analysis, caption) that lead to
    no page or file of this build (``files``: its pages, static files and article files;
    feeds and sitemaps are added here). What ``brief build`` checks; anchors are checked
    by ``brief check``, which reads the rendered pages."""
    files = files | {"feed.xml", "feed.json", "sitemap.xml", "news-sitemap.xml", "robots.txt"}
    files |= {t.url_path.lstrip("/") + "feed.xml" for terms in (site.sections, site.tags) for t in terms.values()}
    problems = []
    base = site.config.base_path
    for article in site.articles:
        rel = article.output_dir + "/index.html"
        for attr, url in markdown_urls(views[article.slug]):
            reason = why_broken(rel, url, {}, files, base)
            if reason is not None:
                what = "image" if attr == "src" else "link"
                problems.append(
                    Problem(
                        article.relpath,
                        source_line(article, url, base),
                        None,
                        f"{what} {url}: {reason} (expected a page or file of this site; "
                        "build with --no-link-check to publish anyway)",
                    )
                )
    return problems
