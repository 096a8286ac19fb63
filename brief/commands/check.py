"""``brief check``: everything a build validates, plus what a build does not stop for.

The site is built in memory (nothing is written), then every page is read back:
each internal link and image must lead to a file of the site, each ``#anchor`` to
an id on its page, and every article must be reachable by following links from
the front page. Editorial warnings (headline and dek lengths, missing takeaways,
images without alt text, an analysis without byline, an article related to itself,
duplicate headlines) come from the build itself.

Findings are :class:`~brief.errors.Problem` objects, printed as text, JSON or GitHub
Actions annotations. Errors make the exit code 1; ``--strict`` counts warnings too.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from brief.errors import ERROR, WARNING, BriefError, BuildFailed, Problem

_URL_IN_HTML = re.compile(r'\s(href|src)="([^"]*)"')

_LINK_ATTRS = {("a", "href"), ("img", "src"), ("link", "href"), ("script", "src"), ("source", "src"),
               ("video", "src"), ("audio", "src"), ("iframe", "src")}
_FEED_KINDS = ("alternate", "icon", "manifest")


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


@dataclass
class CheckResult:
    problems: list[Problem]
    pages: int
    links: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != WARNING]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def check_site(site_dir: Path, *, drafts: bool = False, future: bool = False, base_url: str | None = None) -> CheckResult:
    """Build the site in memory and check it. Raises :class:`BriefError` only for a site
    that cannot be read at all (no brief.toml problems: those are findings)."""
    from brief.build import BuildOptions, build
    from brief.output.search import BUNDLE_FILES, SEARCH_FOLDER
    from brief.config import load_config
    from brief.output.writers import MemoryWriter

    try:
        config = load_config(site_dir)
        if base_url:
            config = config.with_base_url(base_url)
    except BuildFailed as exc:
        return CheckResult(exc.problems, 0, 0)
    except BriefError as exc:  # brief.toml cannot be read: still a finding, in every format
        return CheckResult([Problem("brief.toml", None, None, exc.message)], 0, 0)
    writer = MemoryWriter()
    warnings: list[Problem] = []
    kept: dict = {}
    try:
        # No search index: it takes long on a large site and holds no links of its own.
        build(config, None, BuildOptions(drafts=drafts, future=future, keep=kept, link_check=False, search=False),
              on_warning=warnings.append, writer=writer)
    except BuildFailed as exc:
        return CheckResult(exc.problems, 0, 0)
    site, views = kept["site"], kept["views"]
    sources = {a.output_dir + "/index.html": a for a in site.articles}
    written = {rel: {url for _, url in _markdown_urls(views[a.slug])} for rel, a in sources.items()}
    pages = {rel: _text(data) for rel, data in writer.files.items() if rel.endswith(".html")}
    files = set(writer.files) | ({f"{SEARCH_FOLDER}/{name}" for name in BUNDLE_FILES} if config.search and site.articles else set())
    problems, links = link_problems(pages, files, config.base_path, sources, written)
    problems += reachability(pages, config.base_path, sources)
    return CheckResult(warnings + problems, len(pages), links)


def _text(data: bytes | Path) -> str:
    raw = data if isinstance(data, bytes) else data.read_bytes()
    return raw.decode("utf-8", "replace")


def _markdown_urls(view) -> list[tuple[str, str]]:
    """(attribute, URL) of each link and image written in an article's Markdown (body,
    takeaways, analysis, caption), once each, in order."""
    html = "".join([view.body, *view.takeaways, view.analysis.body if view.analysis else "",
                    view.image.caption if view.image and view.image.caption else ""])
    return [(attr, unescape(url)) for attr, url in dict.fromkeys(_URL_IN_HTML.findall(html))]


def link_problems(pages: dict[str, str], files: set[str], base_path: str, sources: dict,
                  written: dict[str, set[str]] | None = None) -> tuple[list[Problem], int]:
    """Broken internal links, images and anchors in ``pages`` (output path → HTML). A link
    that an article's Markdown holds (``written``, by page) is reported on the article's
    file and line; any other on the page, as the templates made it."""
    found: dict[str, PageLinks] = {rel: extract(html) for rel, html in pages.items()}
    problems: list[Problem] = []
    count = 0
    seen: set[tuple[str, str]] = set()
    for rel, page in found.items():
        for tag, url, line in page.links:
            count += 1
            reason = _broken(rel, url, found, files, base_path)
            if reason is None or (rel, url) in seen:
                continue
            seen.add((rel, url))
            article = sources.get(rel)
            what = "image" if tag in ("img", "source") else "link"
            if article is not None and (written is None or url in written.get(rel, ())):
                problems.append(Problem(article.relpath, _source_line(article, url, base_path), None,
                                        f"{what} {url}: {reason}"))
            else:
                problems.append(Problem(f"page {rel}", line, None, f"{what} {url}: {reason} (in the page made from the templates)"))
    return problems, count


def _broken(rel: str, url: str, pages: dict[str, PageLinks], files: set[str], base_path: str) -> str | None:
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
        target = unquote(parts.path[len(base_path):])
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


def _source_line(article, url: str, base_path: str) -> int | None:
    """The line of the article's file that holds ``url`` (as written, without the base path)."""
    try:
        lines = article.path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    needles = [url, url[len(base_path) - 1:] if url.startswith(base_path) else url]
    fragment = urlsplit(url).fragment
    if fragment:
        needles.append("#" + fragment)
    for needle in needles:
        for number, line in enumerate(lines, 1):
            if needle and needle in line:
                return number
    return None


def reachability(pages: dict[str, str], base_path: str, sources: dict) -> list[Problem]:
    """Articles whose page cannot be reached by following links from the front page."""
    if "index.html" not in pages:
        return []
    links = {rel: extract(html) for rel, html in pages.items()}
    reached = {"index.html"}
    queue = deque(["index.html"])
    while queue:
        rel = queue.popleft()
        for _, url, _ in links[rel].links:
            target = _internal_page(rel, url, base_path)
            if target is not None and target in links and target not in reached:
                reached.add(target)
                queue.append(target)
    return [Problem(article.relpath, None, None,
                    "no link leads to this article from the front page, its section or its tags (readers cannot find it)")
            for rel, article in sorted(sources.items()) if rel not in reached]


def _internal_page(rel: str, url: str, base_path: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if path.startswith("/"):
        if not path.startswith(base_path):
            return None
        target = path[len(base_path):]
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), path))
        if path.endswith("/") and target not in (".", ""):
            target += "/"
    if target in ("", "."):
        return "index.html"
    return target + "index.html" if target.endswith("/") else target


# --- reporting ---------------------------------------------------------------------------------

def report(result: CheckResult, fmt: str, strict: bool) -> tuple[str, int]:
    """The text to print and the exit code."""
    problems = sorted(result.problems, key=lambda p: p.sort_key)
    failing = [p for p in problems if p.severity != WARNING or strict]
    code = 1 if failing else 0
    if fmt == "json":
        data = {
            "ok": not failing,
            "pages": result.pages,
            "links": result.links,
            "errors": sum(1 for p in problems if p.severity != WARNING),
            "warnings": sum(1 for p in problems if p.severity == WARNING),
            "problems": [{"path": p.path, "line": p.line, "field": p.field, "message": p.message,
                          "severity": ERROR if (p.severity != WARNING or strict) else WARNING} for p in problems],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n", code
    if fmt == "github":
        out = []
        for p in problems:
            level = "error" if (p.severity != WARNING or strict) else "warning"
            where = f"file={_escape_property(p.path)}" + (f",line={p.line}" if p.line else "")
            title = f",title={_escape_property(p.field)}" if p.field else ""
            out.append(f"::{level} {where}{title}::{_escape_data(p.message)}")
        out.append(_summary(result, problems, strict))
        return "\n".join(out) + "\n", code
    lines: list[str] = []
    last = None
    for p in problems:
        if p.path != last and last is not None:
            lines.append("")
        last = p.path
        text = p.format()
        lines.append(text.replace(": warning: ", ": error: ", 1) if strict and p.severity == WARNING else text)
    if lines:
        lines.append("")
    lines.append(_summary(result, problems, strict))
    return "\n".join(lines) + "\n", code


def _summary(result: CheckResult, problems: list[Problem], strict: bool) -> str:
    errors = sum(1 for p in problems if p.severity != WARNING)
    warnings = len(problems) - errors
    verdict = "failed" if errors or (strict and warnings) else "passed"
    return (f"Check {verdict}: {errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
            f"{' (--strict: warnings count as errors)' if strict and warnings else ''}; "
            f"{result.pages} pages, {result.links} links checked")


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: % first, then the line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


__all__ = ["check_site", "report", "link_problems", "reachability", "BriefError"]




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
        for attr, url in _markdown_urls(views[article.slug]):
            reason = _broken(rel, url, {}, files, base)
            if reason is not None:
                what = "image" if attr == "src" else "link"
                problems.append(Problem(article.relpath, _source_line(article, url, base), None,
                                        f"{what} {url}: {reason} (expected a page or file of this site; "
                                        "build with --no-link-check to publish anyway)"))
    return problems
