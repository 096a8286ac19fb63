"""The URLs Hugo publishes, computed as Hugo computes them (checked against Hugo 0.168).

- A page's URL: its ``url:`` as written (a leading ``/`` and, without an extension, a
  trailing one added; case kept); else the permalink pattern of its section
  (``[permalinks]``); else ``/<folders>/<slug or file or bundle name>/``. Paths are
  *sanitized* as Hugo's ``paths.Sanitize`` does (letters, digits, marks and ``./_#+~``
  kept, runs of spaces and hyphens → one ``-``, anything else dropped) and lowercased
  unless ``disablePathToLower``. ``uglyURLs`` makes ``/a/b/`` ``/a/b.html`` (pages and
  terms; sections and taxonomy indexes keep their folders).
- Pattern tokens: ``:year :month :monthname :day :weekday :weekdayname :yearday`` (from
  the page's date as written), ``:section`` (first folder), ``:sections`` (the folders
  of its nearest section), ``:sections[a:b]``, ``:title`` (urlized), ``:slug`` (slug, else
  the title), ``:slugorfilename``, ``:filename`` and ``:contentbasename`` (the file's
  name, a bundle's folder), ``:slugorcontentbasename``, ``:sectionslug``/``:sectionslugs``
  (a section's slug or title), and Go date layouts such as ``:2006``.
- An alias: an absolute one as written; a relative one from the folder of the page's
  URL (``spring`` on ``/2021/03/tides/`` is ``/2021/03/spring/``); a trailing ``/``, or
  ``.html`` with ``uglyURLs``, added when it has no extension.
- Terms: ``/<taxonomy>/<urlized term>/`` (or the taxonomy's pattern); indexes ``/<taxonomy>/``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field

_TOKEN = re.compile(r":(\w+)(\[[^\]]*\])?")
_EXT = re.compile(r"\.[A-Za-z0-9]{1,6}$")


def sanitize(text: str) -> str:
    """Hugo's ``paths.Sanitize``: what survives of ``text`` in a path."""
    out: list[str] = []
    hyphen = False
    for i, ch in enumerate(text):
        if _allowed(text, i, ch):
            if hyphen:
                out.append("-")
                hyphen = False
            out.append(ch)
        elif out and (ch == "-" or ch.isspace()):
            hyphen = True
    return "".join(out)


def _allowed(text: str, i: int, ch: str) -> bool:
    if ch == " ":
        return False
    category = unicodedata.category(ch)
    if category[0] in "LM" or category == "Nd" or ch in "./\\_#+~":
        return True
    return ch == "%" and bool(re.fullmatch(r"[0-9A-Fa-f]{2}", text[i + 1 : i + 3]))


def urlize(text: str, lower: bool = True) -> str:
    """Hugo's ``urlize``: sanitized, lowercased unless ``disablePathToLower``."""
    clean = sanitize(text.strip())
    return clean.lower() if lower else clean


@dataclass
class PageFacts:
    """What a permalink pattern can name about one page."""

    date: str = ""
    """ISO date as written (only the date part is used), or "" (Hugo's zero date)."""
    title: str = ""
    slug: str = ""
    filename: str = ""
    """The file's name without extension and language; a bundle's folder name."""
    folders: list[str] = field(default_factory=list)
    """The folders from content/ to the page (a bundle's parent folders)."""
    sections: list[str] = field(default_factory=list)
    """The folders of the page's nearest section (a folder that is top-level or has _index.md)."""
    section_slugs: list[str] = field(default_factory=list)
    """Each of those sections' slug or title."""


def expand(pattern: str, page: PageFacts, lower: bool = True) -> str:
    """``pattern`` with each token replaced; the result sanitized (and lowercased) as Hugo does."""
    pattern = pattern.replace("\\:", "\x00")

    def one(match: re.Match[str]) -> str:
        return _token(match.group(1), match.group(2), page, lower)

    path = _TOKEN.sub(one, pattern).replace("\x00", ":")
    path = re.sub(r"/{2,}", "/", "/" + path.lstrip("/"))
    return urlize(path, lower)


def _token(name: str, cut: str | None, page: PageFacts, lower: bool) -> str:
    words = {
        "title": lambda: urlize(page.title, lower),
        "slug": lambda: urlize(page.slug or page.title, lower),
        "slugorfilename": lambda: urlize(page.slug or page.filename, lower),
        "slugorcontentbasename": lambda: urlize(page.slug or page.filename, lower),
        "filename": lambda: urlize(page.filename, lower),
        "contentbasename": lambda: urlize(page.filename, lower),
        "section": lambda: page.folders[0] if page.folders else "",
        "sections": lambda: "/".join(_cut(page.sections, cut)),
        "sectionslug": lambda: urlize(page.section_slugs[0], lower) if page.section_slugs else "",
        "sectionslugs": lambda: "/".join(urlize(s, lower) for s in _cut(page.section_slugs, cut)),
    }
    if name in words:
        return words[name]()
    return _date_token(name, page.date) or f":{name}{cut or ''}"


def _cut(items: list[str], cut: str | None) -> list[str]:
    """``[1:]``, ``[last]``, ``[0]`` of Hugo's ``:sections[…]``."""
    if not cut:
        return items
    spec = cut.strip("[] ").lower()
    if ":" not in spec:
        index = len(items) - 1 if spec == "last" else int(spec or 0)
        return items[index : index + 1] if 0 <= index < len(items) else []
    low, _, high = spec.partition(":")
    return items[int(low or 0) : (int(high) if high else len(items))]


_GO_LAYOUT = {"2006": "%Y", "06": "%y", "01": "%m", "1": "%-m", "02": "%d", "2": "%-d", "Jan": "%b", "January": "%B"}
_GO_LAYOUT.update({"Mon": "%a", "Monday": "%A", "15": "%H", "04": "%M", "05": "%S"})


def _date_token(name: str, written: str) -> str:
    try:
        day = dt.date.fromisoformat(written[:10]) if written else dt.date(1, 1, 1)
    except ValueError:
        day = dt.date(1, 1, 1)
    simple = {
        "year": str(day.year),
        "month": f"{day.month:02d}",
        "monthname": calendar.month_name[day.month],
        "day": f"{day.day:02d}",
        "weekday": str(day.isoweekday() % 7),
        "weekdayname": calendar.day_name[day.weekday()],
        "yearday": str(day.timetuple().tm_yday),
    }
    if name in simple:
        return simple[name]
    parts = re.findall(r"January|Monday|2006|Jan|Mon|\d\d|\d|[^\dJM]+|.", name)
    if not any(p in _GO_LAYOUT for p in parts):
        return ""
    if day.year < 1000:
        day = day.replace(year=1000) if "2006" not in parts else day
    return "".join(day.strftime(_GO_LAYOUT[p]) if p in _GO_LAYOUT else p for p in parts)


def finish(path: str, ugly: bool, pattern: str = "") -> str:
    """A page path as published: ``/`` or, with ``uglyURLs``, ``.html`` at the end; a file
    name kept only when the permalink ``pattern`` itself ends with one (``/:slug.html``):
    a name such as ``v2.0`` or ``lencr.org`` is a folder (checked with Hugo 0.168)."""
    path = "/" + path.lstrip("/")
    if _EXT.search(pattern) and not path.endswith("/"):
        return path
    if ugly and path.strip("/"):
        return path.rstrip("/") + ".html"
    return path.rstrip("/") + "/"


def front_url(url: str) -> str:
    """A ``url:`` front-matter value as Hugo publishes it (not sanitized, case kept)."""
    url = "/" + url.strip().lstrip("/")
    last = url.rsplit("/", 1)[-1]
    return url if (url.endswith("/") or _EXT.search(last)) else url + "/"


def alias_path(alias: str, page_url: str, ugly: bool) -> str | None:
    """An ``aliases:`` entry → the path Hugo writes its redirect page at; None for a full URL."""
    alias = alias.strip()
    if not alias or re.match(r"[a-z][a-z0-9+.-]*://", alias, re.I):
        return None
    if not alias.startswith("/"):
        base = page_url.rstrip("/").rsplit("/", 1)[0] + "/"  # the folder holding the page's URL
        alias = base + alias
    trailing = alias.endswith("/")
    alias = posixpath.normpath(alias) + ("/" if trailing else "")
    return alias if _EXT.search(alias.rsplit("/", 1)[-1]) else finish(alias, ugly)
