"""Images and files a Jekyll post refers to → files copied into the new site's ``static/``.

Jekyll copies every file that is not a page, a post or in a ``_`` folder to the same path
in the built site, so a reference is a site path: ``/assets/img/a.png`` (written so, or
``{{ site.baseurl }}/assets/img/a.png`` before Liquid was converted, or with the old
site's own address in front), or a path relative to the page's URL. A reference to such a
file that exists in the source folder becomes an :class:`~brief.migrate.model.Asset` kept
at the same path under ``static/`` (so its URL does not change), the reference rewritten
to the site path; one whose file is not there is listed as missing and left as it is.
Links to pages (``.html``, ``/about/``) are not files: the plan deals with them.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from brief.migrate.jekyllsite import SiteConfig
from brief.migrate.model import Asset
from brief.migrate.report import Report

FILE_SUFFIXES = frozenset((
    "png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "ico", "bmp", "tif", "tiff", "pdf", "doc", "docx", "xls",
    "xlsx", "ppt", "pptx", "odt", "ods", "odp", "csv", "tsv", "zip", "gz", "tgz", "bz2", "xz", "7z", "tar", "mp3",
    "mp4", "m4a", "ogg", "oga", "ogv", "webm", "wav", "mov", "epub", "ics", "kml", "kmz", "geojson",
))  # fmt: skip
"""What a link (not an image) must end with to be a file of the site rather than a page."""
PAGE_SUFFIXES = {"", ".html", ".htm", ".md", ".markdown", ".php", ".asp", ".aspx", ".xml", ".json", ".txt", ".rss"}
_IMAGE = re.compile(r"(!\[(?:[^\]\\]|\\.)*\]\(\s*)(<[^>\n]+>|[^)\s]+)")
_LINK = re.compile(r"((?<!!)\[(?:[^\]\\]|\\.)*\]\(\s*)(<[^>\n]+>|[^)\s]+)")
_DEFINITION = re.compile(r"^( {0,3}\[[^\]\n]+\]:\s*)(<[^>\n]+>|\S+)", re.M)
_ATTRIBUTE = re.compile(r"""(\b(?:src|href|poster|data-src)\s*=\s*["'])([^"'\n]+)""", re.I)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?^ {0,3}\1[ \t]*$", re.M | re.S)


@dataclass
class Assets:
    """Finds the files one site's items refer to."""

    src: Path
    config: SiteConfig
    report: Report
    documents: set[str] = field(default_factory=set)
    """Paths of the site's pages and posts (relative to the site folder): never copied as files."""
    _hosts: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        host = urlsplit(self.config.url).hostname
        if host:
            self._hosts = {host.lower(), host.lower().removeprefix("www."), "www." + host.lower().removeprefix("www.")}

    def site_path(self, written: str, page_url: str) -> str | None:
        """The site path ``written`` names (a relative one read from the page's URL, the old
        base path and the site's own address taken off), or None when it names another site."""
        target = written.strip().strip("<>")
        parts = urlsplit(target)
        foreign = parts.scheme not in ("http", "https", "") or (parts.hostname or "").lower() not in self._hosts
        if (parts.scheme or parts.netloc) and foreign:
            return None
        path = parts.path
        if not path or path.startswith(("#", "(")):
            return None
        if not path.startswith("/"):
            path = join_url(page_url, path)
        base = self.config.baseurl
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base) :] or "/"
        return path

    def find(
        self, written: str, page_url: str, where: tuple[str, int | None], image: bool = True
    ) -> tuple[str, Asset] | None:
        """(the reference as the new site writes it, the asset) for a file of the source; None
        when ``written`` names a page (or another site), or a file the source does not hold
        (then listed as missing: an image, or a link to a ``.pdf``, ``.zip``… file)."""
        path = self.site_path(written, page_url)
        suffix = posixpath.splitext(path or "/")[1].lower()
        if path is None or path.endswith("/") or not re.fullmatch(r"\.[a-z0-9]{1,6}", suffix):
            return None
        rel = unquote(path).lstrip("/")
        file = None if rel in self.documents else self._file(rel)
        if file is None:
            if image and suffix not in PAGE_SUFFIXES or suffix[1:] in FILE_SUFFIXES:
                self.report.miss(where[0], where[1], written)
            return None
        return path, Asset(file, rel, static=True, written=written, line=where[1])

    def _file(self, rel: str) -> Path | None:
        """The source file Jekyll copied to site path ``rel``: the same path, or a file of a
        published collection (``_principles/a.pdf`` is at ``/partnership-principles/a.pdf``)."""
        if ".." in rel.split("/") or self.config.excluded(rel):
            return None
        if not rel.split("/")[0].startswith("_") and (self.src / rel).is_file():
            return self.src / rel
        for collection in self.config.collections.values():
            prefix = collection.permalink.split(":", 1)[0].lstrip("/")
            if collection.output and collection.label != "posts" and prefix.endswith("/") and rel.startswith(prefix):
                candidate = self.src / collection.folder / rel[len(prefix) :]
                if candidate.is_file():
                    return candidate
        return None


def join_url(page_url: str, target: str) -> str:
    """``target``, relative to the page at ``page_url``, as a site path (a final ``/`` kept)."""
    joined = posixpath.normpath(posixpath.join(page_url.rsplit("/", 1)[0] or "/", target))
    joined = "/" + joined.lstrip("/") if joined != "." else "/"
    return joined + "/" if target.endswith("/") and not joined.endswith("/") else joined


def rewrite(
    text: str,
    page_url: str,
    finder: Assets,
    line_of: Callable[[str], int | None],
    source: str,
    page_of: Callable[[str], str | None] = lambda target: None,
) -> tuple[str, list[Asset]]:
    """``text`` with every file reference (images, links to files, HTML ``src``/``href``)
    rewritten to its site path, and the assets it uses; fenced code is left alone. A link
    to a ``.md`` file that ``page_of`` knows becomes that page's URL (jekyll-relative-links,
    on by default on GitHub Pages, does so)."""
    assets: dict[str, Asset] = {}

    def swap(match: re.Match[str]) -> str:
        written = match[2]
        path, hash_mark, anchor = written.strip("<>").partition("#")
        if path.lower().endswith((".md", ".markdown")) and not match[1].startswith("!"):
            url = page_of(path)
            if url is not None:
                finder.report.convert("link to a .md file → link")
                return match[1] + url + hash_mark + anchor
        relative = path and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|[/#(?]", path)
        image = match[1].startswith("!") or match[1].lower().lstrip().startswith(("src", "poster", "data-src"))
        found = finder.find(written.strip("<>"), page_url, (source, line_of(written)), image)
        relative = relative and not image and posixpath.splitext(path)[1].lower() in ("", ".html", ".htm")
        if found is None and relative:  # a page's URL relative to this page's: written out, as it will move
            finder.report.convert("relative link → site path")
            return match[1] + join_url(page_url, path) + hash_mark + anchor
        if found is None:
            return match[0]
        new, asset = found
        assets.setdefault(asset.name, asset)
        new = f"<{new}>" if written.startswith("<") else new
        return match[1] + new

    pieces: list[str] = []
    last = 0
    for code in [*_FENCE.finditer(text), None]:
        part = text[last : code.start() if code else len(text)]
        for pattern in (_IMAGE, _LINK, _DEFINITION, _ATTRIBUTE):
            part = pattern.sub(swap, part)
        pieces.append(part)
        if code:
            pieces.append(code[0])
            last = code.end()
    return "".join(pieces), list(assets.values())
