"""What a source reader hands over: the archive as brief will hold it, before any file is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Kind = Literal["article", "page"]
ListingKind = Literal["section", "tag", "author", "home", "archive", "sections", "tags", "authors"]


@dataclass
class Asset:
    """A file an item shows or links to, copied into the new site."""

    source: Path | None
    """The file in the source archive; None when it is not there (listed as missing, never fatal)."""
    name: str
    """Where it goes: a path relative to the item's Markdown file (``photo.jpg``, ``images/a.png``),
    or, when ``static`` is true, a path under ``static/`` (``images/2020/a.png``)."""
    static: bool = False
    written: str = ""
    """The reference as the source wrote it, for the report (``/uploads/a.png``, ``{{site.baseurl}}/a.png``)."""
    line: int | None = None
    """Line of the source file where it is referenced, when known."""


@dataclass
class Item:
    """One article or standalone page."""

    source: str
    """Where it came from, as the report names it: a path relative to the source folder
    (``_posts/2020-01-02-a.md``) or ``export.xml: item 12`` for an export file."""
    kind: Kind
    front: dict[str, Any]
    """brief's front matter, in brief's key order: title, dek, date, updated, authors, section,
    tags, image, draft, slug, canonical, expires, aliases (and nothing else). Dates are ISO 8601
    strings keeping the written offset. ``slug`` is the source's slug as written (the plan makes
    it valid); ``aliases`` holds the source's own alias paths (``aliases:``/``redirect_from:``)."""
    body: str
    """The body in brief's Markdown (constructs converted, unknown ones left as written)."""
    urls: list[str] = field(default_factory=list)
    """Site paths the source published for it, the main one first (``/blog/2020/a/``,
    ``/2020/01/02/a.html``), without the source site's base path."""
    folder: str = ""
    """Sub-folder of ``content/`` (or of ``content/pages/``) the source kept it in, ``posts/2020``
    for example; the plan may change it. Assets go beside the Markdown file."""
    assets: list[Asset] = field(default_factory=list)


@dataclass
class Profile:
    """An author as the source describes them."""

    name: str
    """Display name: what articles' ``authors:`` will say."""
    key: str = ""
    """The source's identifier (a Jekyll data key, a WordPress login), for the report."""
    role: str = ""
    bio: str = ""
    """Markdown."""
    avatar: Asset | None = None
    urls: list[str] = field(default_factory=list)
    """The source's author page paths (``/author/jdoe/``), redirected to the brief author page."""


@dataclass
class Listing:
    """A listing page the source published (a category, tag or author page, the blog index)."""

    url: str
    kind: ListingKind
    name: str = ""
    """The section, tag or author name as the articles now carry it (empty for home/archive/indexes)."""


@dataclass
class SiteInfo:
    """Site-wide settings read from the source's configuration."""

    title: str = ""
    description: str = ""
    base_url: str = ""
    language: str = ""
    timezone: str = ""
    permalinks: list[str] = field(default_factory=list)
    """brief permalink patterns that would reproduce the source's article URLs, best first, when
    the reader can tell from the configuration (the plan also tries the usual ones)."""


@dataclass
class Archive:
    """Everything a reader found."""

    items: list[Item] = field(default_factory=list)
    profiles: list[Profile] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    site: SiteInfo = field(default_factory=SiteInfo)
    redirects: dict[str, str] = field(default_factory=dict)
    """Source URLs that only redirected to another site (a Jekyll ``redirect_to`` page): old site
    path → the absolute URL it led to (the plan makes each a ``[redirects]`` entry)."""
