"""What a published site's addresses say, for the readers of export files and feeds.

An export or a feed holds each post's full URL, not the site's settings: the site path
(without the site's base path), the slug (the link's last segment), the permalink scheme
(what the paths of most posts have in common) and the time zone (what the dates' offsets
fit) are read back from them.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo, available_timezones

from brief.slugs import slugify

_PAGE_SUFFIX = re.compile(r"\.(?:html?|php|aspx?)$", re.I)
_COMMON_ZONES = (
    "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Madrid", "Europe/Rome", "Europe/Amsterdam",
    "Europe/Helsinki", "Europe/Athens", "Europe/Moscow", "America/New_York", "America/Chicago", "America/Denver",
    "America/Phoenix", "America/Los_Angeles", "America/Sao_Paulo", "America/Toronto", "America/Mexico_City",
    "Asia/Kolkata", "Asia/Tokyo", "Asia/Shanghai", "Asia/Singapore", "Australia/Sydney", "Australia/Perth",
    "Pacific/Auckland", "Africa/Johannesburg", "Africa/Lagos",
)  # fmt: skip


class Site:
    """A site's address: its host and base path (``https://example.org/blog/``)."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url.strip())
        self.host = (parts.hostname or "").lower().removeprefix("www.")
        self.base_path = parts.path.rstrip("/")
        self.base_url = f"{parts.scheme or 'https'}://{parts.netloc}{self.base_path}/" if parts.netloc else ""

    def path(self, url: str) -> str | None:
        """``https://example.org/blog/2020/a/`` → ``/2020/a/`` (with ``?query`` when it has one);
        None for a URL of another host or one that is not http(s)."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https", ""):
            return None
        host = (parts.hostname or "").lower().removeprefix("www.")
        if host and host != self.host:
            return None
        if not host and not parts.path.startswith("/"):
            return None
        path = re.sub(r"//+", "/", parts.path or "/")  # servers read /a//b/ as /a/b/
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            path = path[len(self.base_path) :] or "/"
        return path + (f"?{parts.query}" if parts.query else "")


def slug_of(path: str) -> str:
    """The last segment of a path, without ``.html``: ``/2020/01/My_Post/`` → ``My_Post``."""
    segment = unquote(path.split("?")[0].rstrip("/").rsplit("/", 1)[-1])
    return _PAGE_SUFFIX.sub("", segment)


def permalink_patterns(samples: list[tuple[str, datetime, str, str]]) -> list[str]:
    """brief permalinks that give most of the sample posts' paths, best first.

    ``samples`` are (site path, the date as the site wrote it, slug, section).
    A pattern is kept when it gives at least a fifth of the paths.
    """
    counts: Counter[str] = Counter()
    for path, when, slug, section in samples:
        pattern = _pattern(path, when, slug, section)
        if pattern:
            counts[pattern] += 1
    return [pattern for pattern, n in counts.most_common(3) if n * 5 >= len(samples)]


def _pattern(path: str, when: datetime, slug: str, section: str) -> str:
    if "?" in path or not path.endswith("/"):
        return ""
    out: list[str] = []
    for segment in path.strip("/").split("/"):
        if segment == f"{when.year:04d}" and "{year}" not in out:
            out.append("{year}")
        elif segment == f"{when.month:02d}" and out[-1:] == ["{year}"]:
            out.append("{month}")
        elif segment == f"{when.day:02d}" and out[-1:] == ["{month}"]:
            out.append("{day}")
        elif unquote(segment) == slug:
            out.append("{slug}")
        elif section and segment == slugify(section):
            out.append("{section}")
        elif re.fullmatch(r"[a-z0-9][a-z0-9_-]*", segment):
            out.append(segment)
        else:
            return ""
    return "/" + "/".join(out) + "/" if out and out[-1] == "{slug}" else ""


def guess_timezone(dates: list[datetime]) -> tuple[str, str]:
    """(IANA name, how it was chosen) of a zone whose offsets are those of every date
    given (each with the offset the site wrote); ("", why) when none fits."""
    aware = [d for d in dates if d.utcoffset() is not None]
    if not aware:
        return "", "no date with an offset"
    offsets = {d.utcoffset() for d in aware}
    if offsets == {timedelta(0)}:
        return "UTC", "every date is at +00:00"
    if len(offsets) == 1:
        (offset,) = offsets
        assert offset is not None
        hours, rest = divmod(int(offset.total_seconds()), 3600)
        if not rest and -12 <= hours <= 14:
            return f"Etc/GMT{-hours:+d}", f"every date is at {_written(offset)} (a fixed offset)"
    spread = sorted({(d.year, d.month, d.utcoffset()): d for d in aware}.values())[:400]
    names = [*_COMMON_ZONES, *sorted(z for z in available_timezones() if "/" in z)]
    best, best_fit = "", 0
    for name in dict.fromkeys(names):
        zone = ZoneInfo(name)
        fit = sum(d.astimezone(zone).utcoffset() == d.utcoffset() for d in spread)
        if fit > best_fit:
            best, best_fit = name, fit
        if fit == len(spread):
            break
    shown = ", ".join(sorted(_written(o) for o in offsets if o is not None))
    if not best:
        return "", "no time zone has the dates' offsets"
    if best_fit < len(spread):
        return best, f"it fits {best_fit} of {len(spread)} sampled dates (offsets {shown}; the site changed its zone)"
    return best, f"its offsets are those of every date ({shown}); the file does not name the zone"


def _written(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
