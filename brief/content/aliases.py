"""``aliases:``: old addresses of an article, each to become a redirect to its page.

An alias is a site path as the old site served it, without the base path
(``/2019/05/old-title/``, ``/news/old.html``; ``old/path`` is read as ``/old/path``).
A path ending in ``/`` or without an extension gets a redirect page at
``…/index.html``; one ending in ``.html`` or ``.htm`` gets that very file. Anything a
static host could not serve from a file (a query string, a scheme or host, ``..``,
``//``, a hidden folder) or that would land among brief's own files is an error here,
with the line and what was expected. Clashes with other aliases and with the site's
pages are found later, once every output is known (brief.site.redirects).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from brief.content.checker import Checker, describe

EXAMPLE = "/2019/05/old-title/"
PAGE_SUFFIXES = (".html", ".htm")
MAX_SEGMENT_BYTES = 200
"""Longest folder or file name an alias may give (file systems stop at 255 bytes)."""
RESERVED_ROOTS = {
    "_redirects": "brief's redirect rules for Netlify and Cloudflare Pages",
    "_nginx-redirects.map": "brief's redirect map for nginx",
    "pagefind": "the search index",
    "search": "the search page",
    "404.html": "the not-found page",
    "feed.xml": "the Atom feed",
    "feed.json": "the JSON feed",
    "sitemap.xml": "the sitemap",
    "news-sitemap.xml": "the news sitemap",
    "robots.txt": "robots.txt",
}
"""First segments of brief's own files and folders, which no alias may take."""
FEED_NAMES = ("feed.xml", "feed.json")
"""What section and tag feeds are called: no folder of an alias may be named so."""
_SAFE_ASCII = frozenset("-._~!&'()*+,;=@/")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def aliases_field(c: Checker) -> tuple[str, ...]:
    """The ``aliases:`` list, each path normalised (leading ``/``, percent-escapes decoded);
    every bad entry is an error on its own line."""
    value = c.doc.meta.get("aliases")
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(("aliases",), f"expected a list of old paths such as [{EXAMPLE}], got {describe(value)}")
        return ()
    found: dict[str, int] = {}
    paths: list[str] = []
    for i, item in enumerate(value):
        key = ("aliases", i)
        text = c.text(key, item, required=True)
        if text is None:
            continue
        path, reason = alias_path(text)
        if reason is not None:
            c.error(key, f"'{text}' {reason}")
            continue
        first = found.setdefault(alias_output(path).casefold(), i)
        if first != i:
            c.error(key, f"'{text}' repeats aliases[{first}] (expected each old path once)")
            continue
        paths.append(path)
    return tuple(paths)


def alias_path(text: str) -> tuple[str, str | None]:
    """``text`` as a site path (``old/a`` → ``/old/a``, ``caf%C3%A9`` → ``café``), and why it
    cannot be an alias (ending with what was expected), or None when it can."""
    expected = f"(expected a path of this site, such as {EXAMPLE} or /news/old.html)"
    if _SCHEME.match(text) or text.startswith("//"):
        return text, f"is a full URL {expected[:-1]}, without scheme and host: only this site's own paths redirect)"
    if "?" in text or "#" in text:
        return text, f"has a query string or #fragment {expected[:-1]}: static hosts serve files by path alone)"
    if "\\" in text:
        return text, f"holds a backslash {expected}"
    if _ESCAPE.search(text):
        return text, f"holds a '%' that starts no %XX escape {expected}"
    try:
        path = unquote(text, errors="strict")
    except UnicodeDecodeError:
        return text, f"has %XX escapes that are not UTF-8 {expected}"
    for ch in path:
        if ch.isspace() or unicodedata.category(ch)[0] in "CZ":
            return text, f"holds a space or control character (U+{ord(ch):04X}) {expected}"
        if ord(ch) < 128 and not ch.isalnum() and ch not in _SAFE_ASCII:
            return text, f"holds '{ch}', which old addresses cannot hold unencoded {expected}"
    path = "/" + path.lstrip("/") if not path.startswith("/") else path
    segments = path.split("/")[1:]
    if path == "/":
        return path, "is the front page (expected the old path of this article)"
    if any(s == "" for s in segments[:-1]):
        return path, f"has an empty folder ('//') {expected}"
    if any(s in (".", "..") for s in segments):
        return path, f"has a '.' or '..' folder {expected}"
    if any(s.startswith(".") for s in segments if s):
        return path, f"has a name starting with '.', which web servers hide {expected}"
    if any(len(s.encode("utf-8")) > MAX_SEGMENT_BYTES for s in segments):
        return path, f"has a name longer than {MAX_SEGMENT_BYTES} bytes {expected}"
    name = segments[-1]
    if "." in name and not name.lower().endswith(PAGE_SUFFIXES):
        return path, (
            "does not end in '/', '.html' or '.htm' (expected a folder such as /2019/05/old-title/, a path without "
            "extension, or a page such as /news/old.html: brief writes a redirect page there)"
        )
    root = segments[0].casefold()
    if root in RESERVED_ROOTS:
        where = "is" if len(segments) == 1 or segments[1:] == [""] else "is inside"
        return path, f"{where} {RESERVED_ROOTS[root]} {expected}"
    if any(s.casefold() in FEED_NAMES for s in segments[:-1]):
        return path, f"has a folder named like a feed {expected}"
    return path, None


def alias_output(path: str) -> str:
    """Where the redirect page of the site path ``path`` goes in the output:
    ``/a/b/`` and ``/a/b`` → ``a/b/index.html``; ``/a/b.html`` → ``a/b.html``."""
    inner = path.strip("/")
    if not path.endswith("/") and inner.lower().endswith(PAGE_SUFFIXES):
        return inner
    return f"{inner}/index.html"
