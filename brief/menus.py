"""``[[menu]]`` in brief.toml: the links the theme's header and footer show besides its own.

Each entry is a table with a ``title`` and either ``page`` (the slug of a standalone page,
resolved by the site index, which knows the pages) or ``url`` (a site path such as
``/sections/economy/``, or an absolute http(s) URL), and optionally ``where``: ``"header"``,
``"footer"`` or ``"both"`` (the default). Every problem is collected with its line in
brief.toml, found here by counting the ``[[menu]]`` headers (tomllib keeps no positions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from brief.errors import Problem, did_you_mean, forbidden_in_pages
from brief.slugs import is_valid_slug, slugify
from brief.tomllines import line_of

MENU_KEYS = ("title", "page", "url", "where")
PLACES = ("header", "footer", "both")
_CONFIG = "brief.toml"
_HEADER = re.compile(r"^\s*\[\[\s*menu\s*\]\]\s*(#.*)?$")
_OTHER_HEADER = re.compile(r"^\s*\[")
_KEY = re.compile(r"^\s*([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*=")


@dataclass(frozen=True, slots=True)
class MenuItem:
    """One ``[[menu]]`` entry as brief.toml gives it (checked, not yet resolved)."""

    title: str
    page: str | None
    """The slug of a standalone page; None for a ``url`` entry."""
    url: str | None
    """A site path (``/sections/economy/``, without the base path) or an absolute http(s) URL."""
    where: str
    """"header", "footer" or "both"."""
    index: int
    """Position in the menu (0-based), for messages: ``menu[2].page``."""
    line: int | None
    """Line of the entry's ``[[menu]]`` header in brief.toml."""
    target_line: int | None = None
    """Line of its ``page`` (or ``url``) key."""

    @property
    def header(self) -> bool:
        return self.where in ("header", "both")

    @property
    def footer(self) -> bool:
        return self.where in ("footer", "both")


def check_menu(data: Any, text: str, problems: list[Problem]) -> tuple[MenuItem, ...]:
    """The ``[[menu]]`` tables of brief.toml (``data``: what tomllib read), each checked."""
    if not isinstance(data, list) or not all(isinstance(entry, dict) for entry in data):
        problems.append(
            Problem(
                _CONFIG,
                line_of(text, "menu"),
                "menu",
                "expected [[menu]] tables, each with a title and a page or url "
                '(e.g. [[menu]] title = "About" page = "about")',
            )
        )
        return ()
    lines = entry_lines(text)
    items = []
    for index, entry in enumerate(data):
        where = lines[index] if index < len(lines) else {"": line_of(text, "menu")}
        item = _check_entry(index, entry, where, problems)
        if item is not None:
            items.append(item)
    return tuple(items)


def _check_entry(index: int, entry: dict, lines: dict[str, int | None], problems: list[Problem]) -> MenuItem | None:
    name = f"menu[{index}]"
    found: list[Problem] = []

    def bad(key: str, message: str) -> None:
        found.append(Problem(_CONFIG, lines.get(key) or lines.get(""), f"{name}.{key}" if key else name, message))

    for key in entry:
        if key not in MENU_KEYS:
            bad(key, f"unknown menu key{did_you_mean(key, MENU_KEYS) or ' (known keys: ' + ', '.join(MENU_KEYS) + ')'}")
    title = _text(entry, "title", bad)
    if "title" not in entry:
        bad("", 'has no title (expected title = "About", the text of the link)')
    page = _text(entry, "page", bad)
    url = _text(entry, "url", bad)
    if "page" in entry and "url" in entry:
        bad("url", "give either page or url, not both (page names a standalone page; url any other address)")
    elif "page" not in entry and "url" not in entry:
        bad("", 'has neither page nor url (expected page = "about", a page\'s slug, or url = "/sections/economy/")')
    if page is not None and not is_valid_slug(page):
        hint = f"; did you mean '{slugify(page)}'?" if slugify(page) else ""
        bad("page", f"'{page}' is not a page slug (expected lowercase letters, digits and single hyphens){hint}")
    if url is not None and (why := _bad_url(url)) is not None:
        bad("url", why)
    where = entry.get("where", "both")
    if where not in PLACES:
        hint = did_you_mean(where, PLACES) if isinstance(where, str) else ""
        bad("where", f'expected "header", "footer" or "both", got {where!r}{hint}')
    problems += found
    if found or title is None:
        return None
    return MenuItem(title, page, url, where, index, lines.get(""), lines.get("page" if page else "url"))


def _text(entry: dict, key: str, bad) -> str | None:
    if key not in entry:
        return None
    value = entry[key]
    if not isinstance(value, str) or not value.strip():
        bad(key, f"expected a non-empty string, got {value!r}")
        return None
    why = forbidden_in_pages(value)
    if why is not None:
        bad(key, why)
        return None
    return value.strip()


def _bad_url(url: str) -> str | None:
    """Why ``url`` cannot be a menu link, or None: a site path or an absolute http(s) URL."""
    expected = "(expected a site path such as /sections/economy/ or an absolute URL such as https://example.org/)"
    if any(ch.isspace() or ord(ch) < 32 or ch in '"<>\\`' for ch in url):
        return f"'{url}' contains a space, a quote or a control character {expected}"
    if url.startswith("/") and not url.startswith("//"):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return f"'{url}' is not a valid URL {expected}"
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return None
    if parts.scheme:
        return f"'{url}': {parts.scheme}: links are not allowed in the menu {expected}"
    return f"'{url}' is neither a site path starting with '/' nor an absolute http(s) URL {expected}"


def entry_lines(text: str) -> list[dict[str, int | None]]:
    """For each ``[[menu]]`` header of a TOML text, in order: its line (key ``""``) and the
    line of each key under it."""
    entries: list[dict[str, int | None]] = []
    current: dict[str, int | None] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if _HEADER.match(line):
            current = {"": number}
            entries.append(current)
        elif _OTHER_HEADER.match(line) and not _KEY.match(line):
            current = None
        elif current is not None and (key := _KEY.match(line)):
            current.setdefault(key.group(1).strip("\"'"), number)
    return entries
