"""brief.toml's keys (their types, defaults and help) and the checks of their values.

:func:`brief.config.load_config` reads the file and calls these; every problem is
collected with its line in brief.toml (brief.tomllines), never just the first.
"""

from __future__ import annotations

import posixpath
import re
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from brief.errors import WARNING_CODES, WARNING_LEVELS, Problem, did_you_mean, forbidden_in_pages
from brief.newsletter_settings import NEWSLETTER_KEYS
from brief.slugs import is_valid_slug, slugify
from brief.theme import static_file
from brief.tomllines import line_of
from brief.urls import path_url

CONFIG_NAME = "brief.toml"


CACHE_DIR = ".brief-cache"
"""The build cache's folder beside brief.toml (brief.cache; the image cache is inside it)."""


MAX_WEIGHT = 1000
"""Largest weight under [related]: weights only count relative to each other."""


PERMALINK_FIELDS = ("year", "month", "day", "slug", "section")


class HostNames(tuple):
    """The type of an option holding host names (``allow = ["charts.example.org"]``)."""


class Names(tuple):
    """The type of an option holding names (``outlets = ["Editorial Board"]``)."""


@dataclass(frozen=True, slots=True)
class Option:
    """One configuration key."""

    type: type
    default: Any
    doc: str


OPTIONS: dict[str, Option | dict[str, Option]] = {
    "title": Option(str, "Brief", "Name of the publication, shown in the header and page titles."),
    "description": Option(str, "", "One-sentence description of the publication; the front page's meta description."),
    "base_url": Option(
        str,
        "http://localhost:8000/",
        "Absolute URL the site is served from; may carry a path such as https://example.org/briefs/.",
    ),
    "language": Option(str, "en", "Language of the content as a BCP 47 tag (html lang attribute)."),
    "timezone": Option(str, "UTC", "IANA time zone in which dates without an offset are read, e.g. Europe/London."),
    "default_author": Option(str, "Staff", "Author used when an article names none."),
    "per_page": Option(int, 10, "Articles per front-page page; later pages live at /page/N/."),
    "permalink": Option(
        str, "/{year}/{month}/{slug}/", "URL pattern of articles; placeholders {year} {month} {day} {slug} {section}."
    ),
    "archive_per_page": Option(int, 100, "Articles per page of a year in the archive, and of /corrections/."),
    "feed_size": Option(int, 20, "Entries in the main feeds, each section and tag feed and the corrections feed."),
    "search": Option(
        bool, True, "Build a Pagefind search index of the articles, a /search/ page and a search box in the header."
    ),
    "publisher": {
        "name": Option(str, None, "Publisher name (default: the site title)."),
        "logo": Option(str, None, "Publisher logo: /images/logo.svg (under static/) or an https URL; empty for none."),
    },
    "markdown": {
        "html": Option(
            str,
            "safe",
            'Raw HTML in Markdown: "escape" shows it as text; "safe" keeps tables, figures, images, '
            'links and the like and removes scripts, styles, forms and event handlers; "trusted" passes it through.',
        ),
        "typographer": Option(bool, False, "Typographic quotes, dashes and ellipses."),
    },
    "embeds": {
        "allow": Option(HostNames, HostNames(), 'Hosts whose https pages may be embedded: ["charts.example.org"].')
    },
    "bylines": {
        "outlets": Option(
            Names,
            Names(),
            'Names an analysis byline may give besides people, such as ["Editorial Board"] (byline-mismatch).',
        )
    },
    "related": {
        "count": Option(
            int, 4, "Related articles shown under each article: the explicit ones first, then automatic suggestions."
        ),
        "tags": Option(float, 1.0, "Weight of shared tags (a rare tag counts more than a common one)."),
        "text": Option(float, 1.0, "Weight of text similarity (TF-IDF over title, dek, takeaways and body)."),
        "section": Option(float, 0.15, "Weight of being in the same section."),
        "recency": Option(float, 0.1, "Weight of a candidate's freshness (see half_life_days)."),
        "half_life_days": Option(float, 365.0, "Age in days at which a candidate's freshness has halved."),
        "min_score": Option(float, 0.2, "Suggestions scoring below this are not shown."),
        "language": Option(
            str,
            "",
            "Language of the stop words ignored in text similarity (en, de, fr, es); default: the site language.",
        ),
    },
    "newsletter": {key: Option(*spec) for key, spec in NEWSLETTER_KEYS.items()},  # brief newsletter's edition
}


PROFILE_FIELDS = ("name", "role", "bio", "avatar")


def check_authors(data: Any, text: str, root: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """``[authors.<slug>]`` tables, each with optional name, role, bio and avatar strings."""
    if not isinstance(data, dict):
        problems.append(
            Problem(
                CONFIG_NAME,
                line_of(text, "authors"),
                "authors",
                f"expected tables [authors.<slug>], got {_describe(data)}",
            )
        )
        return {}
    profiles: dict[str, dict[str, str]] = {}
    for slug, fields in data.items():
        key = f"authors.{slug}"
        line = line_of(text, key)
        if not is_valid_slug(slug):
            hint = f"; did you mean '{slugify(slug)}'?" if slugify(slug) else ""
            problems.append(
                Problem(
                    CONFIG_NAME,
                    line,
                    key,
                    f"'{slug}' is not an author slug (expected lowercase letters, digits and hyphens, e.g. [authors.ana-ortiz]){hint}",
                )
            )
            continue
        if not isinstance(fields, dict):
            problems.append(
                Problem(
                    CONFIG_NAME, line, key, f"expected a table with name, role, bio and avatar, got {_describe(fields)}"
                )
            )
            continue
        profile: dict[str, str] = {}
        for name, value in fields.items():
            if name not in PROFILE_FIELDS:
                problems.append(
                    Problem(
                        CONFIG_NAME,
                        line_of(text, f"{key}.{name}"),
                        f"{key}.{name}",
                        f"unknown author key{did_you_mean(name, PROFILE_FIELDS) or ' (known keys: ' + ', '.join(PROFILE_FIELDS) + ')'}",
                    )
                )
            elif not isinstance(value, str) or not value.strip():
                problems.append(
                    Problem(
                        CONFIG_NAME,
                        line_of(text, f"{key}.{name}"),
                        f"{key}.{name}",
                        f"expected a non-empty string, got {_describe(value)}",
                    )
                )
            elif (bad := forbidden_in_pages(value)) is not None:
                problems.append(Problem(CONFIG_NAME, line_of(text, f"{key}.{name}"), f"{key}.{name}", bad))
            else:
                profile[name] = value.strip()
        if profile.get("avatar"):
            profile["avatar"], message = image_url(profile["avatar"], root / "static")
            if message:
                problems.append(Problem(CONFIG_NAME, line_of(text, f"{key}.avatar"), f"{key}.avatar", message))
        profiles[slug] = profile
    return profiles


def check_warnings(data: Any, text: str, problems: list[Problem]) -> dict[str, str]:
    """``[warnings]``: each key a warning code (brief.errors.WARNING_CODES), each value
    "off", "warning" or "error"."""
    if not isinstance(data, dict):
        problems.append(
            Problem(
                CONFIG_NAME,
                line_of(text, "warnings"),
                "warnings",
                f"expected a table [warnings], got {_describe(data)}",
            )
        )
        return {}
    levels: dict[str, str] = {}
    for code, level in data.items():
        name = f"warnings.{code}"
        if code not in WARNING_CODES:
            hint = did_you_mean(code, WARNING_CODES) or " (the README lists every code under Warnings)"
            problems.append(Problem(CONFIG_NAME, line_of(text, name), name, f"unknown warning code{hint}"))
        elif level not in WARNING_LEVELS:
            problems.append(
                Problem(
                    CONFIG_NAME,
                    line_of(text, name),
                    name,
                    f'expected "off", "warning" or "error", got {_describe(level)}',
                )
            )
        else:
            levels[code] = level
    return levels


def check_table(data: dict, spec: dict, prefix: str, text: str, problems: list[Problem]) -> dict:
    values: dict[str, Any] = {}
    for key in data:
        name = prefix + key
        if key not in spec:
            hint = did_you_mean(key, spec) or _did_you_mean_nested(key, spec)
            if not hint and prefix and isinstance(OPTIONS.get(key), Option):
                hint = f"; '{key}' is a top-level key: move it above the first [table] (keys after [{prefix[:-1]}] belong to that table)"
            known = ", ".join(sorted([*spec, *(["authors", "menu", "redirects", "warnings"] if not prefix else [])]))
            problems.append(
                Problem(
                    CONFIG_NAME,
                    line_of(text, name),
                    name,
                    f"unknown configuration key{hint or f' (known keys: {known})'}",
                )
            )
    for key, option in spec.items():
        name = prefix + key
        if isinstance(option, dict):
            sub = data.get(key, {})
            if not isinstance(sub, dict):
                problems.append(
                    Problem(CONFIG_NAME, line_of(text, name), name, f"expected a table [{name}], got {_describe(sub)}")
                )
                sub = {}
            values[key] = check_table(sub, option, name + ".", text, problems)
            continue
        value = data.get(key, option.default)
        if key in data and not _is_type(value, option.type):
            problems.append(
                Problem(
                    CONFIG_NAME,
                    line_of(text, name),
                    name,
                    f"expected {_type_name(option.type)}, got {_describe(value)}",
                )
            )
            value = option.default
        elif isinstance(value, str) and (bad := forbidden_in_pages(value)) is not None:
            problems.append(Problem(CONFIG_NAME, line_of(text, name), name, bad))
        values[key] = value
    return values


def check_values(flat: dict, publisher: dict, root: Path, text: str, problems: list[Problem]) -> None:
    def bad(key: str, message: str) -> None:
        problems.append(Problem(CONFIG_NAME, line_of(text, key), key, message))

    if not flat["title"].strip():
        bad("title", "must not be empty")
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", flat["language"]):
        bad("language", f"'{flat['language']}' is not a language tag (expected e.g. 'en' or 'en-GB')")
    try:
        zoneinfo.ZoneInfo(flat["timezone"])
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        hint = did_you_mean(flat["timezone"], zoneinfo.available_timezones())
        bad("timezone", f"unknown time zone '{flat['timezone']}' (expected an IANA name such as 'Europe/London'){hint}")
    for key in ("per_page", "archive_per_page", "feed_size"):
        if flat[key] < 1:
            bad(key, f"must be at least 1, got {flat[key]}")
    if not flat["default_author"].strip():
        bad("default_author", "must not be empty")
    message = check_permalink(flat["permalink"])
    if message:
        bad("permalink", message)
    if publisher.get("logo") is not None:
        publisher["logo"], message = image_url(publisher["logo"], root / "static")
        if message:
            bad("publisher.logo", message)


def image_url(url: str, static_dir: Path) -> tuple[str, str | None]:
    """An avatar or logo as it can stand in a src attribute, and why it cannot (or None).

    An https URL is percent-encoded where it holds what a URL may not (<, >, quotes,
    non-ASCII letters); a site path must name a file under static/ (the site's or the
    theme's) and is percent-encoded as a whole; a space is refused."""
    if any(ch.isspace() for ch in url):
        return (
            url,
            f"'{url}' contains a space (expected a URL without spaces: write %20 in an https URL, or rename the file)",
        )
    if url.startswith("https://"):
        return clean_url(url), None
    if not url.startswith("/"):
        return url, f"'{url}' must be a path under static/ starting with '/' or an https URL"
    if static_file(static_dir, url) is None:
        return url, f"file not found: static{posixpath.normpath(url)} (expected a file under static/)"
    return quote(posixpath.normpath(url)), None


def clean_url(url: str) -> str:
    """Percent-encode what may not appear raw in a URL (spaces, quotes, <, >, non-ASCII),
    keeping what is already encoded and every reserved character."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def check_permalink(pattern: str) -> str | None:
    """Why a permalink pattern is unusable, or None when it is fine."""
    names = re.findall(r"\{([^{}]*)\}", pattern)
    unknown = [n for n in names if n not in PERMALINK_FIELDS]
    if unknown:
        return f"unknown placeholder {{{unknown[0]}}} (expected {', '.join('{' + f + '}' for f in PERMALINK_FIELDS)})"
    if "slug" not in names:
        return "must contain {slug} so that every article gets its own URL"
    if not (pattern.startswith("/") and pattern.endswith("/")):
        return f"'{pattern}' must start and end with '/' (e.g. '/{{year}}/{{month}}/{{slug}}/')"
    literal = re.sub(r"\{[^{}]*\}", "x", pattern)
    if not re.fullmatch(r"[/A-Za-z0-9._~-]*", literal) or "/../" in literal or "/./" in literal or "//" in literal:
        return f"'{pattern}' may only hold letters, digits, '-', '_', '.' and placeholders between single slashes"
    if any(part.startswith(".") for part in pattern.split("/")):
        return (
            f"'{pattern}' has a folder starting with '.', which web servers hide (expected e.g. '/{{year}}/{{slug}}/')"
        )
    return None


def check_base_url(url: str, problems: list[Problem], path: str, line: int | None, key: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed '[' in the host
        parts = urlsplit("")
    unsafe = any(ch.isspace() or ord(ch) < 32 or ch in '"<>\\`' for ch in url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment or unsafe:
        problems.append(
            Problem(
                path,
                line,
                key,
                f"'{url}' is not an absolute http(s) URL without query or fragment (expected e.g. 'https://example.org/' or 'https://example.org/briefs/')",
            )
        )
        return url
    url = parts._replace(path=path_url(parts.path)).geturl()  # /brèves/ → /br%C3%A8ves/, once
    return url if url.endswith("/") else url + "/"


def _is_type(value: Any, expected: type) -> bool:
    if expected in (HostNames, Names):
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, expected)


def _type_name(t: type) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    lists: dict[type, str] = {HostNames: "a list of host names", Names: "a list of names"}
    return lists.get(t) or names.get(t, t.__name__)


def _describe(value: Any) -> str:
    kind = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)
    shown = str(value).lower() if isinstance(value, bool) else repr(value)  # as TOML writes it: true, not True
    return f"{kind} ({shown[:40]}{'…' if len(shown) > 40 else ''})"


def _did_you_mean_nested(key: str, spec: dict) -> str:
    """'typographer' at top level probably belongs in [markdown]; so does 'allow_html' (html's old name)."""
    for table, sub in spec.items():
        if isinstance(sub, dict) and (key in sub or (key == "allow_html" and "html" in sub)):
            return f"; did you mean '{key}' under [{table}]?"
    return ""
