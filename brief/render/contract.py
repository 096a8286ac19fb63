"""The template contract: every object a theme's templates can see.

Each page's template gets ``site`` (:class:`SiteView`), ``page`` (:class:`PageView`)
and, by page kind, ``article``, ``doc``, ``articles``, ``related``, ``share``,
``listing``, ``terms``, ``years``, ``pagination`` (docs/themes.md lists which); the
newsletter's templates get ``edition`` and ``items`` (:class:`EditionView`).
All of them are the frozen dataclasses below, and nothing else reaches a
template: a field added here is a field themes may use, and docs/themes.md says
so. The objects are built by :mod:`brief.render.views` and
:mod:`brief.render.pages`; the Jinja environment (with ``asset()``, ``url()``
and the date filters) is :mod:`brief.render.templates`'.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""Month names, as dates are shown on pages (``humandate``) and in the archive."""


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    publisher_name: str
    publisher_logo: str | None
    home_url: str
    search_url: str | None = None
    """The search page (``/search/``); None when the site has search off."""
    menu: tuple[MenuItemView, ...] = ()
    """``[[menu]]`` of brief.toml: links for the header and the footer, in order."""


@dataclass(frozen=True, slots=True)
class MenuItemView:
    """One ``[[menu]]`` link."""

    title: str
    url: str
    """Root-relative URL (base path included) of a page of the site, or an absolute http(s) URL."""
    canonical: str | None
    """Absolute URL of the page of the site it leads to (compare with ``page.canonical`` for
    ``aria-current``); None for a link to another site."""
    header: bool
    """Shown in the header (``where = "header"`` or ``"both"``)."""
    footer: bool


@dataclass(frozen=True, slots=True)
class Link:
    """A named link: a section, tag or author page, a feed."""

    name: str
    url: str
    """Root-relative URL (base path included); absolute for feeds."""


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    url: str
    """Absolute URL."""
    type: str
    """MIME type: application/atom+xml or application/feed+json."""


@dataclass(frozen=True, slots=True)
class Meta:
    """Search-engine and social metadata of a page (built by brief.render.metadata)."""

    og: tuple[tuple[str, str], ...] = ()
    """OpenGraph ``(property, content)`` pairs, e.g. ``("og:title", "…")``, in order."""
    twitter: tuple[tuple[str, str], ...] = ()
    """Twitter card ``(name, content)`` pairs."""
    jsonld: tuple[Markup, ...] = ()
    """JSON-LD documents, serialised and escaped for a <script> element."""


@dataclass(frozen=True, slots=True)
class PageView:
    title: str
    description: str
    canonical: str
    kind: str
    """"article", "index", "section", "tag", "author", "sections", "tags", "authors",
    "archive", "archive-year", "corrections", "404", "search" or "page"."""
    feeds: tuple[FeedLink, ...] = ()
    """Feeds to announce with <link rel="alternate">: the site's, then this page's own."""
    meta: Meta = Meta()


@dataclass(frozen=True, slots=True)
class ImageSource:
    """A ``<source>`` of a ``<picture>``: the candidates in one more format."""

    type: str
    """MIME type, ``image/webp``."""
    srcset: str


@dataclass(frozen=True, slots=True)
class ImageView:
    url: str
    """The ``src``: the original, or its largest resized copy when the original is wider."""
    alt: str
    caption: Markup | None
    credit: str | None
    width: int | None = None
    """Intrinsic size when brief can read it from the file, so the page reserves the space."""
    height: int | None = None
    srcset: str | None = None
    """For a local PNG, JPEG or WebP image: its widths in its own format (``url 480w, …``)."""
    sizes: str | None = None
    """The ``sizes`` that goes with ``srcset`` and ``sources``."""
    sources: tuple[ImageSource, ...] = ()
    """``<source>`` elements for a ``<picture>`` (the WebP copies); empty otherwise."""
    share_url: str | None = None
    """The copy for OpenGraph, Twitter cards and JSON-LD (1200 px wide, or the original when
    narrower), root-relative; None: ``url`` is used."""
    share_width: int | None = None
    share_height: int | None = None
    hero: bool = True
    """False: a sharing image only (``image.hero: false``): not shown as the hero figure."""


@dataclass(frozen=True, slots=True)
class AnalysisView:
    label: str
    byline: str | None
    body: Markup


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """One note of an article's ``corrections:``: a correction or a substantive update."""

    kind: str
    """``"correction"`` or ``"update"``."""
    date: datetime
    """When it was made, in the site's time zone."""
    text: Markup
    """Rendered inline Markdown."""
    anchor: str
    """Id of the note on the article page: ``correction-1``, ``correction-2``… and
    ``update-1``…, numbered oldest first within each kind (a new note never renumbers)."""


@dataclass(frozen=True, slots=True)
class ArticleView:
    slug: str
    title: str
    dek: str | None
    url: str
    """Root-relative URL, base path included."""
    canonical: str
    """Absolute URL."""
    section: str
    authors: tuple[str, ...]
    date: datetime
    """In the site's time zone."""
    updated: datetime | None
    reading_minutes: int
    draft: bool
    image: ImageView | None
    takeaways: tuple[Markup, ...]
    analysis: AnalysisView | None
    body: Markup
    section_link: Link | None = None
    """The section's page."""
    author_links: tuple[Link, ...] = ()
    """One per author, in the order given, to the author pages."""
    tag_links: tuple[Link, ...] = ()
    scheduled: bool = False
    """Dated after the build time (only in builds with --future, such as the preview)."""
    original_url: str | None = None
    """``canonical:`` from front matter: where the article was first published. The page's
    canonical link, ``og:url``, JSON-LD and share links point there; None: to ``canonical``."""
    corrections: tuple[CorrectionView, ...] = ()
    """``corrections:``, newest first: the notes at the foot of the page (``#corrections``)."""
    notices: tuple[CorrectionView, ...] = ()
    """The newest correction and the newest update (each when there is one), newest first:
    the notice under the byline ("Corrected 3 October 2026")."""
    modified: datetime | None = None
    """The later of ``updated`` and the newest note; None when the article has neither.
    JSON-LD ``dateModified``, ``article:modified_time`` and the feeds' ``updated`` use it."""
    byline_updated: datetime | None = None
    """The "Updated" time the byline shows: ``updated`` when it is later than every note and
    on another day than the publication and the newest note; None otherwise (a note's own
    notice says when the article last changed)."""


@dataclass(frozen=True, slots=True)
class DocView:
    """A standalone page's own content (About, Contact…), for ``page.html`` as ``doc``."""

    slug: str
    title: str
    dek: str | None
    url: str
    """Root-relative URL, base path included."""
    canonical: str
    """Absolute URL."""
    updated: datetime | None
    """In the site's time zone."""
    draft: bool
    body: Markup


@dataclass(frozen=True, slots=True)
class RelatedView:
    title: str
    url: str
    external: bool
    domain: str | None
    section: str | None
    date: datetime | None
    dek: str | None


@dataclass(frozen=True, slots=True)
class ShareLink:
    name: str
    label: str
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None


@dataclass(frozen=True, slots=True)
class ListingView:
    """The heading part of a listing page (section, tag, author, archive year, corrections)."""

    kind: str
    title: str
    """Heading: the section's, tag's or author's name ("Energy Storage"), or the year."""
    description: str
    name: str
    url: str
    feed_url: str | None = None
    """The listing's own Atom feed (absolute), for sections, tags and corrections."""
    role: str | None = None
    bio: Markup | None = None
    """Rendered Markdown."""
    avatar: str | None = None
    count: int = 0
    """How many briefs (on ``/corrections/``: corrections) the listing has, over all its pages."""


@dataclass(frozen=True, slots=True)
class FrontSection:
    """A section's block on the front page: its latest briefs not already shown above it."""

    name: str
    url: str
    """The section's page."""
    count: int
    """Briefs in the section in all."""
    entries: tuple[ArticleView, ...]


@dataclass(frozen=True, slots=True)
class CorrectionEntryView:
    """One correction on ``/corrections/``: the note and the article it corrects."""

    date: datetime
    """When the correction was made, in the site's time zone."""
    text: Markup
    """The note's rendered inline Markdown."""
    title: str
    """The article's headline."""
    url: str
    """The article's notes: its root-relative URL (base path included) + ``#corrections``."""
    section: str
    canonical: str
    """The article's absolute URL."""
    anchor: str
    """The note's id on the article page (``correction-2``)."""


@dataclass(frozen=True, slots=True)
class TermView:
    name: str
    url: str
    count: int
    latest: ArticleView | None


@dataclass(frozen=True, slots=True)
class MonthView:
    label: str
    """"October 2026"."""
    anchor: str
    """Id of the month's heading on its year page, e.g. "m-2026-10"."""
    url: str
    """The year page (first page showing the month) plus the anchor."""
    count: int
    entries: tuple[ArticleView, ...] = ()


@dataclass(frozen=True, slots=True)
class YearView:
    year: int
    url: str
    count: int
    months: tuple[MonthView, ...]


CONTRACT = (
    SiteView,
    MenuItemView,
    Link,
    FeedLink,
    Meta,
    PageView,
    ImageSource,
    ImageView,
    AnalysisView,
    CorrectionView,
    ArticleView,
    DocView,
    RelatedView,
    ShareLink,
    Pagination,
    ListingView,
    FrontSection,
    CorrectionEntryView,
    TermView,
    MonthView,
    YearView,
)
"""Every class of the contract (page keys digest them on a fast path: brief.render.keys)."""
