"""Links in rendered HTML: what a page links to, which ids it has, and where a link leads.

Below both the build (which refuses links written in articles that lead to no page
or file of the site) and ``brief check`` (which reads every page back, anchors
included): one definition of "this link is broken" for both.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from brief.errors import Problem
from brief.render.fragment import HEADING_ID_PREFIX

_URL_IN_HTML = re.compile(r'\s(href|src)="([^"]*)"')
_URL_AFTER_SPACE = re.compile(r' (href|src)="([^"]*)"')
""":data:`_URL_IN_HTML` where every ``href="`` and ``src="`` follows a space, as in all HTML brief
renders: a literal first character lets the regex engine skip to each space (an article's
body: 46 → 14 µs)."""


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
            if name == "id" or (name == "name" and tag == "a"):
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
    return html_urls(html)


def html_urls(html: str) -> list[tuple[str, str]]:
    """(attribute, URL) of each ``href`` and ``src`` in HTML that brief rendered, once each, in order."""
    spaced = html.count('href="') + html.count('src="') == html.count(' href="') + html.count(' src="')
    found = (_URL_AFTER_SPACE if spaced else _URL_IN_HTML).findall(html)
    return [(attr, unescape(url)) for attr, url in dict.fromkeys(found)]


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


HasId = Callable[[str, str], bool | None]
"""Whether the page at an output path has an element with an id (or ``<a name>``); None: unknown."""


def article_link_problems(
    site,
    views: Mapping,
    files: set[str],
    has_id: HasId | None = None,
    written: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> list[Problem]:
    """Links and images written in articles (body, takeaways, analysis, caption) that lead to
    no page or file of this build (``files``: its pages, static files and article files;
    feeds and sitemaps are added here), and ``#anchors`` that name no element of their page
    (see :data:`HasId`). What ``brief build`` checks, and so ``brief check``: one set of rules.
    ``written``: each article's :func:`markdown_urls` by slug, when known already."""
    files = with_feeds(site, files)
    problems = []
    for article in site.articles:
        urls = written[article.slug] if written is not None else markdown_urls(views[article.slug])
        problems += written_link_problems(article, urls, files, site.config.base_path, has_id)
    return problems


def written_link_problems(
    source, urls: Sequence[tuple[str, str]], files: set[str], base: str, has_id: HasId | None
) -> list[Problem]:
    """The broken ones of the (attribute, URL) pairs written in ``source``'s Markdown (an
    article or a standalone page, with ``relpath``, ``path`` and ``output_dir``), on its file
    and line, as the author wrote them: the rules of articles and pages alike."""
    rel = source.output_dir + "/index.html"
    problems = []
    for attr, url in urls:
        if _article_file(url) or (attr == "src" and _relative(url)) or _OPENER.search(unquote(url)):
            continue  # the Markdown pass resolved it (to a site path), or reported why not
        reason = why_broken(rel, url, {}, files, base)
        if reason is None and has_id is not None:
            reason = missing_anchor(rel, url, base, has_id)
        if reason is not None:
            problems.append(_link_problem(source.relpath, source, attr, url, reason, base))
    return problems


def _link_problem(relpath: str, article, attr: str, url: str, reason: str, base: str) -> Problem:
    """A broken link or image as the author wrote it, on its line."""
    what = "image" if attr == "src" else "link"
    shown = as_written(article, url)
    anchor = reason.startswith("no element with id")
    if anchor and shown != url:  # the heading's id, as the author named it
        reason = reason.replace(f"'{_fragment(url)}'", f"'{_fragment(shown)}'")
    hint = _ANCHOR_HINT if anchor else NO_PAGE_HINT
    return Problem(relpath, source_line(article, shown, base), None, f"{what} {shown}: {reason}{hint}")


def with_feeds(site, files: set[str]) -> set[str]:
    """``files`` and what the build writes after the pages: feeds, sitemaps, robots.txt."""
    files = files | {"feed.xml", "feed.json", "corrections/feed.xml", "sitemap.xml", "news-sitemap.xml", "robots.txt"}
    return files | {t.url_path.lstrip("/") + "feed.xml" for terms in (site.sections, site.tags) for t in terms.values()}


def failed_body_link_problems(site, bodies: Mapping[str, str], files: set[str], root: Path) -> list[Problem]:
    """Site-absolute links and ``#anchors`` in the bodies of files whose front matter failed
    (``bodies``: their HTML by file): checked in the same run as the front matter. Relative
    links wait until the article has a URL."""
    problems = []
    base = site.config.base_path
    for relpath, html in bodies.items():
        ids = extract(html).ids
        article = _Written(root / relpath)
        for attr, url in html_urls(html):
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or _article_file(url) or _OPENER.search(unquote(url)):
                continue
            if not parts.path and parts.fragment:
                reason = None if unquote(parts.fragment) in ids else f"no element with id '{unquote(parts.fragment)}'"
            elif parts.path.startswith("/"):
                reason = why_broken("index.html", url, {}, with_feeds(site, files), base)
            else:
                continue
            if reason is not None:
                problems.append(_link_problem(relpath, article, attr, url, reason, base))
    return problems


@dataclass(frozen=True)
class _Written:
    path: Path


_OPENER = re.compile(r"\{\{|\{%")
"""Template syntax of another generator in a URL: reported as such (brief.render.foreign), not as a broken link."""


def _relative(url: str) -> bool:
    """A path relative to the article's file: the Markdown pass turns the images it finds
    into site paths, so one still relative is one it reported (missing, hidden, outside)."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and bool(parts.path) and not parts.path.startswith("/")


def _article_file(url: str) -> bool:
    """A link to an article's file (``b.md``): the Markdown pass resolves those."""
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc and parts.path.endswith(".md")


NO_PAGE_HINT = " (expected a page or file of this site; build with --no-link-check to publish anyway)"
_ANCHOR_HINT = " (expected the id of an element on that page, such as a heading's: ## Outlook is #outlook)"


def _fragment(url: str) -> str:
    return unquote(url.partition("#")[2])


def missing_anchor(rel: str, url: str, base_path: str, has_id: HasId) -> str | None:
    """Why ``url``'s ``#fragment`` names nothing on its page, or None (no fragment, fine, or unknown)."""
    parts = urlsplit(url.strip())
    if not parts.fragment or parts.scheme or parts.netloc:
        return None
    target = rel if not parts.path else internal_page(rel, url, base_path)
    if target is None:
        return None
    fragment = unquote(parts.fragment)
    if fragment.lower() == "top":  # the top of the page, to every browser (HTML's "scroll to the fragment")
        return None
    found = has_id(target, fragment)
    if found is None and not target.endswith(".html"):
        target += "/index.html"
        found = has_id(target, fragment)
    return f"no element with id '{fragment}' on {target}" if found is False else None


def as_written(article, url: str) -> str:
    """``url`` as the author wrote it, as far as the output changed it: the heading's id
    without brief's ``h-`` prefix (a link to ``#outlook`` is written ``#h-outlook``) and
    characters brief percent-encoded (``/{BRANCH}/`` is written ``/%7BBRANCH%7D/``)."""
    try:
        text = article.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return url
    base, hash_, fragment = url.partition("#")
    if fragment.startswith(HEADING_ID_PREFIX) and "#" + fragment not in text:
        fragment = fragment[len(HEADING_ID_PREFIX) :]
    shown = base + hash_ + fragment
    plain = unquote(shown)
    if plain != shown and plain not in text:
        for candidate in (unquote(base) + hash_ + fragment, base + hash_ + unquote(fragment)):
            if candidate in text:
                return candidate
    return plain if plain != shown and plain in text else shown
