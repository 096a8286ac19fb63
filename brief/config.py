"""Site configuration: ``brief.toml`` at the site root, read with :mod:`tomllib`.

Every key is declared once in :data:`OPTIONS` with its type, default and a
description (the README's table mirrors it, and a test keeps them in step).
Loading collects every problem (unknown key with a did-you-mean hint, wrong
type, bad value) before failing, so one run shows them all.
"""

from __future__ import annotations

import math
import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from brief.errors import RENAMED_CODES, WARNING, BuildFailed, Problem, did_you_mean
from brief.menus import MenuItem, check_menu
from brief.newsletter_settings import NewsletterOptions, check_newsletter
from brief.oldpaths import TableRedirect, check_redirects
from brief.settings import (
    CONFIG_NAME,
    MAX_WEIGHT,
    OPTIONS,
    check_authors,
    check_base_url,
    check_table,
    check_values,
    check_warnings,
)
from brief.settings import _describe as describe
from brief.theme import TEXT_LIMIT, InputError, read_input
from brief.tomllines import error_line as toml_error_line
from brief.tomllines import line_of
from brief.urls import HOST_NAME


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
    html: str = "safe"
    """``[markdown] html``: raw HTML in Markdown is "escape"d, "safe" (sanitised) or "trusted"."""
    typographer: bool = False
    search: bool = True
    embeds_allow: tuple[str, ...] = ()
    """``[embeds] allow``: hosts whose https pages a URL alone on its line or ``::: embed`` may embed."""
    byline_outlets: tuple[str, ...] = ()
    """``[bylines] outlets``: names an analysis byline may give besides people (brief.site.bylines)."""
    authors: dict[str, dict[str, str]] = field(default_factory=dict)
    """Author profiles from ``[authors.<slug>]`` tables: name, role, bio, avatar."""
    related: RelatedOptions = field(default_factory=lambda: RelatedOptions())
    warnings: dict[str, str] = field(default_factory=dict)
    """``[warnings]``: warning code → "off", "warning" or "error" (brief.errors.tuned)."""
    notes: tuple[Problem, ...] = ()
    """Warnings about brief.toml itself (a deprecated key), reported with the build's."""
    menu: tuple[MenuItem, ...] = ()
    """``[[menu]]``: links the header and footer show (brief.menus; resolved by the site index)."""
    redirects: tuple[TableRedirect, ...] = ()
    """``[redirects]``: old site paths and where they lead (brief.oldpaths; checked against the
    build's pages by brief.site.tableredirects)."""
    newsletter: NewsletterOptions = field(default_factory=NewsletterOptions)
    """``[newsletter]``: the email edition of ``brief newsletter`` (brief.newsletter_settings)."""

    @property
    def base_path(self) -> str:
        """The path part of base_url, e.g. ``/briefs/`` (always starts and ends with ``/``)."""
        return urlsplit(self.base_url).path or "/"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def content_dir(self) -> Path:
        return _below(self.root, "content")

    @property
    def static_dir(self) -> Path:
        return _below(self.root, "static")

    @property
    def templates_dir(self) -> Path:
        return _below(self.root, "templates")

    def with_base_url(self, url: str) -> Config:
        """A copy with another base_url (``brief build --base-url``); raises on a bad URL."""
        problems: list[Problem] = []
        url = check_base_url(url, problems, "--base-url", None, "base_url")
        if problems:
            raise BuildFailed(problems, "configuration")
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values["base_url"] = url
        return Config(**values)


def _host_names(names: list[str], key: str, text: str, problems: list[Problem]) -> tuple[str, ...]:
    """Host names of a list such as ``[embeds] allow``, lowercased; a problem for each
    entry that is not one (a URL, a path, a wildcard)."""
    hosts = [name.strip().lower() for name in names]
    for name, host in zip(names, hosts, strict=True):
        if not HOST_NAME.fullmatch(host):
            message = f"'{name}' is not a host name (expected a name such as charts.example.org, without https://, a path or a port)"
            problems.append(Problem(CONFIG_NAME, line_of(text, key), key, message))
    return tuple(dict.fromkeys(host for host in hosts if HOST_NAME.fullmatch(host)))


def _check_related(related: dict[str, Any], text: str, problems: list[Problem]) -> None:
    """The [related] weights and counts: finite, not negative, weights at most MAX_WEIGHT."""

    def problem(key: str, message: str) -> None:
        problems.append(Problem(CONFIG_NAME, line_of(text, f"related.{key}"), f"related.{key}", message))

    for key in ("count", "tags", "text", "section", "recency", "min_score"):
        if not math.isfinite(related[key]):  # TOML has nan and inf; scores made with them mean nothing
            problem(key, f"expected a finite number, got {related[key]}")
        elif related[key] < 0:
            problem(key, f"must be at least 0, got {related[key]}")
        elif key in ("tags", "text", "section", "recency") and related[key] > MAX_WEIGHT:
            problem(key, f"must be at most {MAX_WEIGHT}, got {related[key]}")  # weights are relative; larger overflow
    if not math.isfinite(related["half_life_days"]):
        problem("half_life_days", f"expected a finite number, got {related['half_life_days']}")
    elif related["half_life_days"] <= 0:
        problem("half_life_days", f"must be more than 0, got {related['half_life_days']}")


def _renamed_codes(levels: object, text: str, notes: list[Problem]) -> object:
    """``[warnings]`` with the old names of codes (RENAMED_CODES) replaced by the new ones, a
    deprecated-key warning in ``notes`` for each; the old name is ignored when the new is given too."""
    if not isinstance(levels, dict):
        return levels
    renamed: dict[str, object] = {}
    for code, level in levels.items():
        new = RENAMED_CODES.get(code)
        if new is None:
            renamed.setdefault(code, level)
            continue
        key = f"warnings.{code}"
        message = (
            f"deprecated, and ignored: {new}, its new name, is given too; remove it"
            if new in levels
            else f"deprecated: the code is now {new}; write that instead"
        )
        notes.append(Problem(CONFIG_NAME, line_of(text, key), key, message, WARNING, "deprecated-key"))
        if new not in levels:
            renamed[new] = level
    return renamed


def _outlets(names: list[str], text: str, problems: list[Problem]) -> tuple[str, ...]:
    """``[bylines] outlets``: names, each once; an empty one is a problem."""
    if any(not name.strip() for name in names):
        key = "bylines.outlets"
        problems.append(
            Problem(
                CONFIG_NAME, line_of(text, key), key, 'has an empty name (expected names such as "Editorial Board")'
            )
        )
    return tuple(dict.fromkeys(" ".join(name.split()) for name in names if name.strip()))


HTML_MODES = ("escape", "safe", "trusted")
"""What ``[markdown] html`` may be (brief.render.rawhtml)."""


def _allow_html(data: dict, text: str, problems: list[Problem], notes: list[Problem]) -> str | None:
    """``[markdown] allow_html``, the old name of ``html``: true meant "trusted", false
    "escape". Taken out of ``data`` (the table's check would call it unknown), with a
    deprecated-key warning in ``notes``; None when absent, not a boolean, or when ``html``
    is given too (then ``html`` wins)."""
    markdown = data.get("markdown")
    if not isinstance(markdown, dict) or "allow_html" not in markdown:
        return None
    value = markdown.pop("allow_html")
    key = "markdown.allow_html"
    if not isinstance(value, bool):
        problems.append(Problem(CONFIG_NAME, line_of(text, key), key, f"expected true or false, got {describe(value)}"))
        return None
    given = "html" in markdown
    message = (
        "deprecated, and ignored: html is given too; remove it"
        if given
        else 'deprecated; write html = "trusted" (or "escape") under [markdown]'
    )
    notes.append(Problem(CONFIG_NAME, line_of(text, key), key, message, WARNING, "deprecated-key"))
    return None if given else ("trusted" if value else "escape")


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """brief.toml's text and its parsed tables; raises :class:`BuildFailed` when it cannot be
    read or is not TOML."""
    try:
        text = read_input(path, TEXT_LIMIT).decode("utf-8-sig", errors="replace")
    except OSError as exc:  # a FIFO or a device is refused, never waited on (brief.theme.read_input)
        message = str(exc) if isinstance(exc, InputError) else f"cannot read file: {exc.strerror or exc}"
        raise BuildFailed([Problem(CONFIG_NAME, None, None, message)], "configuration") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(str(exc))
        message = re.sub(r"\(at line \d+, (column \d+)\)", r"(\1)", str(exc))
        if "overwrite" in message:
            message += "; each key and [table] may be given only once"
        raise BuildFailed([Problem(CONFIG_NAME, line, None, f"invalid TOML: {message}")], "configuration") from None
    return text, data


@lru_cache(maxsize=64, typed=True)
def _below(root: Path, name: str) -> Path:
    """``root / name``, made once: the site's folders are asked for once per file (a path is
    immutable, so every caller may share it)."""
    return root / name


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
    text, data = _read_toml(path)
    problems: list[Problem] = []
    notes: list[Problem] = []
    legacy_html = _allow_html(data, text, problems, notes)
    authors = check_authors(data.pop("authors", {}), text, root, problems)
    warnings = check_warnings(_renamed_codes(data.pop("warnings", {}), text, notes), text, problems)
    menu = check_menu(data.pop("menu", []), text, problems)
    redirects = check_redirects(data.pop("redirects", {}), text, problems)
    values = check_table(data, OPTIONS, "", text, problems)  # a value of the wrong type is replaced by its default
    flat = {k: v for k, v in values.items() if not isinstance(v, dict)}
    publisher = values.get("publisher", {})
    markdown = values.get("markdown", {})
    related = values.get("related", {})
    _check_related(related, text, problems)
    newsletter = check_newsletter(values["newsletter"], text, problems)
    if markdown["html"] not in HTML_MODES:
        hint = did_you_mean(markdown["html"], HTML_MODES)
        message = f'unknown mode \'{markdown["html"]}\' (expected "escape", "safe" or "trusted"){hint}'
        problems.append(Problem(CONFIG_NAME, line_of(text, "markdown.html"), "markdown.html", message))
    embeds_allow = _host_names(values["embeds"]["allow"], "embeds.allow", text, problems)
    outlets = _outlets(values["bylines"]["outlets"], text, problems)
    flat["base_url"] = check_base_url(flat["base_url"], problems, CONFIG_NAME, line_of(text, "base_url"), "base_url")
    if not (publisher.get("logo") or "").strip():
        publisher["logo"] = None  # logo = "" (brief init's commented default) means no logo
    check_values(flat, publisher, root, text, problems)
    if problems:
        raise BuildFailed(problems, "configuration")
    return Config(
        root=root,
        publisher_name=publisher.get("name") or flat["title"],
        publisher_logo=publisher.get("logo"),
        html=legacy_html or markdown["html"],
        typographer=markdown["typographer"],
        notes=tuple(notes),
        authors=authors,
        warnings=warnings,
        embeds_allow=embeds_allow,
        byline_outlets=outlets,
        menu=menu,
        redirects=redirects,
        newsletter=newsletter,
        related=RelatedOptions(
            **{  # type: ignore[arg-type]  # each value was checked against its option's type above
                k: float(v) if isinstance(RelatedOptions.__dataclass_fields__[k].default, float) else v
                for k, v in related.items()
            }
        ),
        **flat,
    )
