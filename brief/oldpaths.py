"""Old addresses: the site paths an article's ``aliases:`` and brief.toml's ``[redirects]``
may name, and the ``[redirects]`` table itself.

An old path is a site path as the old site served it, without the base path
(``/2019/05/old-title/``, ``/news/old.html``; ``old/path`` is read as ``/old/path``).
A path ending in ``/`` or without an extension gets a redirect page at
``…/index.html``; one ending in ``.html`` or ``.htm`` gets that very file. Anything a
static host could not serve from a file (a query string, a scheme or host, ``..``,
``//``, a hidden folder) or that would land among brief's own files is refused, with
what was expected.

``[redirects]`` maps old paths to where they lead now: the site path of a page or file
the build makes, or an absolute http(s) URL (a page that moved to another site). Its
problems are collected with their lines in brief.toml here; whether a target is a page
of the build, and clashes with pages, files, aliases and the ledger, are found once every
output is known (brief.site.tableredirects).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from brief.errors import Problem
from brief.settings import CONFIG_NAME, clean_url
from brief.settings import _describe as describe
from brief.tomllines import key_lines, line_in, line_of

EXAMPLE = "/2019/05/old-title/"
PAGE_SUFFIXES = (".html", ".htm")
MAX_SEGMENT_BYTES = 200
"""Longest folder or file name an old path may give (file systems stop at 255 bytes)."""
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
"""First segments of brief's own files and folders, which no old path may take."""
FEED_NAMES = ("feed.xml", "feed.json")
"""What section and tag feeds are called: no folder of an old path may be named so."""
TARGET_EXAMPLE = "/sections/energy/"
TABLE_EXAMPLE = '"/categories/energy/" = "/sections/energy/"'
_SAFE_ASCII = frozenset("-._~!&'()*+,;=@/")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def alias_path(text: str) -> tuple[str, str | None]:
    """``text`` as a site path (``old/a`` → ``/old/a``, ``caf%C3%A9`` → ``café``), and why it
    cannot be an old address (ending with what was expected), or None when it can."""
    expected = f"(expected a path of this site, such as {EXAMPLE} or /news/old.html)"
    if _SCHEME.match(text) or text.startswith("//"):
        return text, f"is a full URL {expected[:-1]}, without scheme and host: only this site's own paths redirect)"
    if "?" in text or "#" in text:
        return text, f"has a query string or #fragment {expected[:-1]}: static hosts serve files by path alone)"
    if " " in text:  # a space the old site served is written %20 (as it was in the address)
        return text, f"holds a space or control character (U+0020) {expected}"
    path, reason = _decoded(text, expected, _SAFE_ASCII, spaces=True)
    if reason is not None:
        return path, reason
    segments = path.split("/")[1:]
    if path == "/":
        return path, "is the front page (expected the old path of this article)"
    if _longest(path, segments) > MAX_SEGMENT_BYTES:
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
    if not _FEED_NAMES.isdisjoint(map(str.casefold, segments[:-1])):
        return path, f"has a folder named like a feed {expected}"
    return path, None


def _longest(path: str, segments: list[str]) -> int:
    """The length in UTF-8 bytes of the longest of ``segments``, the names of ``path``."""
    if path.isascii():
        return max(map(len, segments))  # (a byte a character: counted in C, 10,000 ledger lines a build)
    return max(len(s.encode("utf-8")) for s in segments)


_FEED_NAMES = frozenset(FEED_NAMES)


def alias_output(path: str) -> str:
    """Where the redirect page of the site path ``path`` goes in the output:
    ``/a/b/`` and ``/a/b`` → ``a/b/index.html``; ``/a/b.html`` → ``a/b.html``."""
    inner = path.strip("/")
    if not path.endswith("/") and inner.lower().endswith(PAGE_SUFFIXES):
        return inner
    return f"{inner}/index.html"


PLAIN_SIGNS = frozenset("-._~/")
_PLAIN = re.compile(r"[A-Za-z0-9._~/-]*")
"""A path of ASCII letters, digits and these signs only: what nearly every old address is."""


def refused_character(path: str, safe: frozenset[str] | None, spaces: bool) -> str | None:
    """Why a decoded path cannot hold one of its characters (a space or control character,
    an ASCII sign not in ``safe`` when given), or None."""
    for ch in path:
        if (ch.isspace() or unicodedata.category(ch)[0] in "CZ") and not (spaces and ch == " "):
            return f"holds a space or control character (U+{ord(ch):04X})"
        if safe is not None and ord(ch) < 128 and not ch.isalnum() and ch not in safe and not (spaces and ch == " "):
            return f"holds '{ch}', which old addresses cannot hold unencoded"
    return None


def _decoded(
    text: str, expected: str, safe: frozenset[str] | None = None, spaces: bool = False
) -> tuple[str, str | None]:
    """``text`` with its %XX escapes decoded and a leading ``/``, and why it is no site path
    (a backslash, a bad escape, a space (unless ``spaces``: a file's name may hold one, as
    ``%20``) or control character, an ASCII sign not in ``safe`` when given, ``//``, ``.``,
    ``..``, a hidden name), or None."""
    if _PLAIN.fullmatch(text) and (safe is None or safe >= PLAIN_SIGNS):
        path = text  # the common case, letters, digits and -._~/ only: nothing to decode or refuse
    else:
        if "\\" in text:
            return text, f"holds a backslash {expected}"
        if _ESCAPE.search(text):
            return text, f"holds a '%' that starts no %XX escape {expected}"
        try:
            path = unquote(text, errors="strict")
        except UnicodeDecodeError:
            return text, f"has %XX escapes that are not UTF-8 {expected}"
        bad = refused_character(path, safe, spaces)
        if bad is not None:
            return text, bad + f" {expected}"
    path = "/" + path.lstrip("/") if not path.startswith("/") else path
    segments = path.split("/")[1:]
    if "" in segments[:-1]:
        return path, f"has an empty folder ('//') {expected}"
    if "." in segments or ".." in segments:
        return path, f"has a '.' or '..' folder {expected}"
    if "/." in path:  # (a name starting with '.': every name follows a '/')
        return path, f"has a name starting with '.', which web servers hide {expected}"
    return path, None


@dataclass(frozen=True, slots=True)
class TableRedirect:
    """One ``[redirects]`` entry of brief.toml, checked on its own (not yet against the build)."""

    old: str
    """The old site path, normalised as an alias is (``/categories/energy/``)."""
    target: str
    """Where it leads: a site path, normalised the same way (leading ``/``, escapes decoded),
    or an absolute http(s) URL, percent-encoded where it has to be."""
    key: str
    """The key as brief.toml writes it, for messages."""
    line: int | None

    @property
    def field(self) -> str:
        """How messages name the entry: ``redirects."/categories/energy/"``."""
        return f'redirects."{self.key}"'

    @property
    def external(self) -> bool:
        return self.target.startswith(("http://", "https://"))


def check_redirects(data: Any, text: str, problems: list[Problem]) -> tuple[TableRedirect, ...]:
    """``[redirects]``: each key an old site path, each value a site path or an http(s) URL;
    every bad entry is a problem on its own line of brief.toml."""
    if not isinstance(data, dict):
        message = f"expected a table [redirects] of old paths and where they lead, such as {TABLE_EXAMPLE}, got {describe(data)}"
        problems.append(Problem(CONFIG_NAME, line_of(text, "redirects"), "redirects", message))
        return ()
    found: dict[str, TableRedirect] = {}
    lines = key_lines(text)
    for key, value in data.items():
        line = line_in(lines, f"redirects.{key}")
        name = f'redirects."{key}"'
        old, reason = alias_path(key)
        if old == "/":
            reason = "is the front page, which is always the site's own (expected an old path such as /blog/)"
        if reason is not None:
            problems.append(Problem(CONFIG_NAME, line, name, f"'{key}' {reason}"))
            continue
        target, why = _target(value)
        if why is not None:
            problems.append(Problem(CONFIG_NAME, line, name, why))
            continue
        first = found.get(alias_output(old).casefold())
        if first is not None:
            where = f" on line {first.line}" if first.line else ""
            message = f"'{key}' is the same old path as {first.field}{where} (expected each old path once)"
            problems.append(Problem(CONFIG_NAME, line, name, message))
            continue
        found[alias_output(old).casefold()] = TableRedirect(old, target, key, line)
    return tuple(found.values())


def _target(value: Any) -> tuple[str, str | None]:
    """A ``[redirects]`` value as the entry keeps it, and why it cannot be one (or None)."""
    expected = f"(expected the path of a page this site builds, such as {TARGET_EXAMPLE}, or an http(s) URL)"
    if not isinstance(value, str) or not value.strip():
        return "", f"expected a site path such as {TARGET_EXAMPLE} or an absolute http(s) URL, got {describe(value)}"
    if _SCHEME.match(value) or value.startswith("//"):
        try:
            parts = urlsplit(value)
        except ValueError:
            return value, f"'{value}' is not a valid URL {expected}"
        unsafe = any(ch.isspace() or ord(ch) < 32 or ch in '"<>\\`' for ch in value)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or unsafe:
            return value, f"'{value}' is neither a site path nor an absolute http(s) URL with a host {expected}"
        return clean_url(value), None
    if "?" in value or "#" in value:
        return value, f"'{value}' has a query string or #fragment {expected}"
    if " " in value:
        return value, f"'{value}' holds a space (expected a site path with %20 for a space in a file's name)"
    path, reason = _decoded(value, expected, spaces=True)
    return path, None if reason is None else f"'{value}' {reason}"
