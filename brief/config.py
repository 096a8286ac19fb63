"""Site configuration: ``brief.toml`` at the site root, read with :mod:`tomllib`.

Every key is declared once in :data:`OPTIONS` with its type, default and a
description (the README's table mirrors it, and a test keeps them in step).
Loading collects every problem (unknown key with a did-you-mean hint, wrong
type, bad value) before failing, so one run shows them all.
"""

from __future__ import annotations

import math
import posixpath
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from brief.errors import BuildFailed, Problem, did_you_mean, forbidden_in_pages
from brief.theme import static_file
from brief.tomllines import error_line as toml_error_line
from brief.tomllines import line_of

CONFIG_NAME = "brief.toml"
CACHE_DIR = ".brief-cache"
"""The build cache's folder beside brief.toml (brief.cache; the image cache is inside it)."""
MAX_WEIGHT = 1000
"""Largest weight under [related]: weights only count relative to each other."""
PERMALINK_FIELDS = ("year", "month", "day", "slug", "section")


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
    "archive_per_page": Option(int, 100, "Articles per page of a year in the archive (/archive/YYYY/)."),
    "feed_size": Option(int, 20, "Entries in the main Atom and JSON feeds and in each section and tag feed."),
    "search": Option(
        bool, True, "Build a Pagefind search index of the articles, a /search/ page and a search box in the header."
    ),
    "publisher": {
        "name": Option(str, None, "Publisher name (default: the site title)."),
        "logo": Option(str, None, "Publisher logo: a path under static/ such as /images/logo.svg, or an https URL."),
    },
    "markdown": {
        "allow_html": Option(bool, False, "Pass raw HTML in Markdown through; off, it is shown escaped."),
        "typographer": Option(bool, False, "Typographic quotes, dashes and ellipses."),
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
}


@dataclass(frozen=True, slots=True)
class RelatedOptions:
    """``[related]``: how automatic related-article suggestions are scored (see OPTIONS)."""

    count: int = 4
    tags: float = 1.0
    text: float = 1.0
    section: float = 0.15
    recency: float = 0.1
    half_life_days: float = 365.0
    min_score: float = 0.2
    language: str = ""


@dataclass(frozen=True, slots=True)
class Config:
    """A validated site configuration. Paths are absolute."""

    root: Path
    """Site root: the folder holding brief.toml (or just content/)."""
    title: str = "Brief"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    """Always ends with ``/``."""
    language: str = "en"
    timezone: str = "UTC"
    default_author: str = "Staff"
    per_page: int = 10
    permalink: str = "/{year}/{month}/{slug}/"
    archive_per_page: int = 100
    feed_size: int = 20
    publisher_name: str = "Brief"
    publisher_logo: str | None = None
    allow_html: bool = False
    typographer: bool = False
    search: bool = True
    authors: dict[str, dict[str, str]] = field(default_factory=dict)
    """Author profiles from ``[authors.<slug>]`` tables: name, role, bio, avatar."""
    related: RelatedOptions = field(default_factory=lambda: RelatedOptions())

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. ``/briefs/`` (always starts and ends with ``/``)."""
        return urlsplit(self.base_url).path or "/"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def static_dir(self) -> Path:
        return self.root / "static"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def with_base_url(self, url: str) -> Config:
        """A copy with another base_url (``brief build --base-url``); raises on a bad URL."""
        problems: list[Problem] = []
        url = _check_base_url(url, problems, "--base-url", None, "base_url")
        if problems:
            raise BuildFailed(problems, "configuration")
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values["base_url"] = url
        return Config(**values)


def load_config(root: Path) -> Config:
    """Read ``root/brief.toml`` (optional) and return a validated :class:`Config`.

    Raises :class:`BuildFailed` listing every problem in the file.
    """
    root = root.resolve()
    path = root / CONFIG_NAME
    if not path.exists():
        if not (root / "content").is_dir():
            raise BuildFailed(
                [
                    Problem(
                        str(root),
                        None,
                        None,
                        f"not a brief site: neither {CONFIG_NAME} nor content/ found (run 'brief init DIR' to create one)",
                    )
                ],
                "configuration",
            )
        return Config(root=root, publisher_name="Brief")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(str(exc))
        message = re.sub(r"\(at line \d+, (column \d+)\)", r"(\1)", str(exc))
        if "overwrite" in message:
            message += "; each key and [table] may be given only once"
        raise BuildFailed([Problem(CONFIG_NAME, line, None, f"invalid TOML: {message}")], "configuration") from None
    problems: list[Problem] = []
    authors = _check_authors(data.pop("authors", {}), text, root, problems)
    values = _check_table(data, OPTIONS, "", text, problems)  # a value of the wrong type is replaced by its default
    flat = {k: v for k, v in values.items() if not isinstance(v, dict)}
    publisher = values.get("publisher", {})
    markdown = values.get("markdown", {})
    related = values.get("related", {})
    for key, lowest in (("count", 0), ("tags", 0), ("text", 0), ("section", 0), ("recency", 0), ("min_score", 0)):
        if not math.isfinite(related[key]):  # TOML has nan and inf; scores made with them mean nothing
            problems.append(
                Problem(
                    CONFIG_NAME,
                    line_of(text, f"related.{key}"),
                    f"related.{key}",
                    f"expected a finite number, got {related[key]}",
                )
            )
        elif related[key] < lowest:
            problems.append(
                Problem(
                    CONFIG_NAME,
                    line_of(text, f"related.{key}"),
                    f"related.{key}",
                    f"must be at least {lowest}, got {related[key]}",
                )
            )
        elif (
            key in ("tags", "text", "section", "recency") and related[key] > MAX_WEIGHT
        ):  # weights are relative; larger ones overflow
            problems.append(
                Problem(
                    CONFIG_NAME,
                    line_of(text, f"related.{key}"),
                    f"related.{key}",
                    f"must be at most {MAX_WEIGHT}, got {related[key]}",
                )
            )
    if not math.isfinite(related["half_life_days"]):
        problems.append(
            Problem(
                CONFIG_NAME,
                line_of(text, "related.half_life_days"),
                "related.half_life_days",
                f"expected a finite number, got {related['half_life_days']}",
            )
        )
    elif related["half_life_days"] <= 0:
        problems.append(
            Problem(
                CONFIG_NAME,
                line_of(text, "related.half_life_days"),
                "related.half_life_days",
                f"must be more than 0, got {related['half_life_days']}",
            )
        )
    flat["base_url"] = _check_base_url(flat["base_url"], problems, CONFIG_NAME, line_of(text, "base_url"), "base_url")
    _check_values(flat, publisher, root, text, problems)
    if problems:
        raise BuildFailed(problems, "configuration")
    return Config(
        root=root,
        publisher_name=publisher.get("name") or flat["title"],
        publisher_logo=publisher.get("logo"),
        allow_html=markdown["allow_html"],
        typographer=markdown["typographer"],
        authors=authors,
        related=RelatedOptions(
            **{  # type: ignore[arg-type]  # each value was checked against its option's type above
                k: float(v) if isinstance(RelatedOptions.__dataclass_fields__[k].default, float) else v
                for k, v in related.items()
            }
        ),
        **flat,
    )


PROFILE_FIELDS = ("name", "role", "bio", "avatar")


def _check_authors(data: Any, text: str, root: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """``[authors.<slug>]`` tables, each with optional name, role, bio and avatar strings."""
    from brief.content.slugs import is_valid_slug, slugify

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


def _check_table(data: dict, spec: dict, prefix: str, text: str, problems: list[Problem]) -> dict:
    values: dict[str, Any] = {}
    for key in data:
        name = prefix + key
        if key not in spec:
            hint = did_you_mean(key, spec) or _did_you_mean_nested(key, spec)
            if not hint and prefix and isinstance(OPTIONS.get(key), Option):
                hint = f"; '{key}' is a top-level key: move it above the first [table] (keys after [{prefix[:-1]}] belong to that table)"
            known = ", ".join(sorted([*spec, *(["authors"] if not prefix else [])]))
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
            values[key] = _check_table(sub, option, name + ".", text, problems)
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


def _check_values(flat: dict, publisher: dict, root: Path, text: str, problems: list[Problem]) -> None:
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


def _check_base_url(url: str, problems: list[Problem], path: str, line: int | None, key: str) -> str:
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
    return url if url.endswith("/") else url + "/"


def _is_type(value: Any, expected: type) -> bool:
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, expected)


def _type_name(t: type) -> str:
    return {str: "a string", int: "an integer", float: "a number", bool: "true or false"}.get(t, t.__name__)


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
    """'allow_html' at top level probably belongs in [markdown]."""
    for table, sub in spec.items():
        if isinstance(sub, dict) and key in sub:
            return f"; did you mean '{key}' under [{table}]?"
    return ""
