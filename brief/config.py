"""Site configuration: ``brief.toml`` at the site root, read with :mod:`tomllib`.

Every key is declared once in :data:`OPTIONS` with its type, default and a
description (the README's table mirrors it, and a test keeps them in step).
Loading collects every problem (unknown key with a did-you-mean hint, wrong
type, bad value) before failing, so one run shows them all.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from brief.errors import BuildFailed, Problem
from brief.settings import (
    CONFIG_NAME,
    OPTIONS,
    check_authors,
    check_base_url,
    check_related,
    check_table,
    check_values,
    check_warnings,
)
from brief.theme import TEXT_LIMIT, InputError, read_input
from brief.tomllines import error_line as toml_error_line
from brief.tomllines import line_of


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
    warnings: dict[str, str] = field(default_factory=dict)
    """``[warnings]``: warning code → "off", "warning" or "error" (brief.errors.tuned)."""
    notes: tuple[Problem, ...] = ()
    """Warnings about brief.toml itself (a deprecated key), reported with the build's."""

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
        url = check_base_url(url, problems, "--base-url", None, "base_url")
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
    problems: list[Problem] = []
    authors = check_authors(data.pop("authors", {}), text, root, problems)
    warnings = check_warnings(data.pop("warnings", {}), text, problems)
    values = check_table(data, OPTIONS, "", text, problems)  # a value of the wrong type is replaced by its default
    flat = {k: v for k, v in values.items() if not isinstance(v, dict)}
    publisher = values.get("publisher", {})
    markdown = values.get("markdown", {})
    related = values.get("related", {})
    check_related(related, text, problems)
    flat["base_url"] = check_base_url(flat["base_url"], problems, CONFIG_NAME, line_of(text, "base_url"), "base_url")
    check_values(flat, publisher, root, text, problems)
    if problems:
        raise BuildFailed(problems, "configuration")
    return Config(
        root=root,
        publisher_name=publisher.get("name") or flat["title"],
        publisher_logo=publisher.get("logo"),
        allow_html=markdown["allow_html"],
        typographer=markdown["typographer"],
        authors=authors,
        warnings=warnings,
        related=RelatedOptions(
            **{  # type: ignore[arg-type]  # each value was checked against its option's type above
                k: float(v) if isinstance(RelatedOptions.__dataclass_fields__[k].default, float) else v
                for k, v in related.items()
            }
        ),
        **flat,
    )
