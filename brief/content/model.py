"""The validated, immutable model of an article and an author profile (stage 2's output).

Nothing here is copied from front matter with ``setattr``: every field is
declared, typed and documented, so templates and later stages know exactly
what exists. Markdown is kept as source text here; it is rendered once, after
the site index exists (links between articles need their final URLs).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from brief.content.linemap import LineMap
from brief.frozen import maker


@dataclass(frozen=True, slots=True)
class Image:
    """The hero image of an article."""

    src: str
    """As written in front matter."""
    url: str
    """An https URL, a site path under static/ (``/images/x.jpg``), or ``""`` for a file next to the article."""
    alt: str
    """Alternative text; ``""`` only for a decorative image."""
    caption: str | None
    """Inline Markdown."""
    credit: str | None
    decorative: bool
    hero: bool = True
    """False: the sharing image (OpenGraph, Twitter, JSON-LD, the JSON feed's ``image``), not
    shown as the article's hero figure."""
    source: Path | None = None
    """The local file (under static/ or next to the article); None for an https URL.
    A file next to the article (``url == ""``) is copied into the article's folder."""
    caption_line: int | None = None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The Editor's Desk block."""

    label: str
    byline: str | None
    body: str
    """Markdown."""
    line: int | None
    """File line on which the text of ``analysis.body`` starts, for messages about its Markdown."""


@dataclass(frozen=True, slots=True)
class RelatedRef:
    """One entry of ``related`` as written: a slug, or an external link."""

    slug: str | None
    title: str | None
    url: str | None
    line: int | None


@dataclass(frozen=True, slots=True)
class Correction:
    """One note of ``corrections:``: a fix of a published error, or a substantive update."""

    date: datetime
    """When the note was made, time-zone aware: on or after the article's date, and not
    after the build's time (brief.content.corrections)."""
    text: str
    """Inline Markdown: what was wrong and what is right (or what was added)."""
    kind: str
    """``"correction"`` (the default) or ``"update"``; only corrections are listed on
    ``/corrections/`` and as ``CorrectionComment`` in JSON-LD."""
    index: int
    """Position in the front-matter list, for messages (``corrections[2].text``)."""
    line: int | None
    """File line of ``text``, for messages about its Markdown."""


@dataclass(frozen=True, slots=True)
class Article:
    """One validated article."""

    path: Path
    relpath: str
    """Source path relative to the site root; used in messages."""
    slug: str
    title: str
    dek: str | None
    date: datetime
    """Publication time, time-zone aware."""
    updated: datetime | None
    authors: tuple[str, ...]
    section: str
    tags: tuple[str, ...]
    image: Image | None
    takeaways: tuple[str, ...]
    """Inline Markdown, one item each."""
    takeaway_lines: tuple[int | None, ...]
    analysis: Analysis | None
    related: tuple[RelatedRef, ...]
    draft: bool
    body: str | None
    """Markdown after the front matter; None in an article that was pickled (a row of the
    build cache, a worker process's result) while it had a :attr:`digest`: read it with
    :func:`brief.content.bodies.article_body`, which reads it again from the file."""
    body_line: int
    url_path: str
    """Site path without the base path, e.g. ``/2026/10/grid-batteries/``."""
    slug_line: int | None = None
    """Line of ``slug:`` when the slug was set in front matter."""
    canonical: str | None = None
    """``canonical:``: the absolute URL where the article was first published (syndicated or
    cross-posted), percent-encoded; None: this site's own page is the canonical one."""
    aliases: tuple[str, ...] = ()
    """``aliases:``: old site paths of the article (``/2019/05/old-title/``), without the base
    path and percent-escapes decoded; each gets a redirect to the article (brief.content.aliases)."""
    expires: datetime | None = None
    """``expires:``: from this time on the article is left out of the site, its feeds,
    sitemaps and related lists (an embargoed licence, a time-limited notice)."""
    corrections: tuple[Correction, ...] = ()
    """``corrections:``, newest first (notes of one time keep their written order)."""
    lines: LineMap = field(default_factory=LineMap, compare=False, repr=False)
    """Front-matter lines by key (``("tags", 1)`` → 7), for messages found after validation."""
    real_path: Path | None = field(default=None, compare=False, repr=False)
    """``path`` with symlinks resolved (computed once: links between articles are matched on it)."""
    digest: bytes = field(default=b"", compare=False, repr=False)
    """Digest of the file's path and bytes, when the build keeps a cache ("" otherwise)."""

    def expired(self, now: datetime) -> bool:
        """Whether the article's ``expires:`` time has come."""
        return self.expires is not None and self.expires <= now

    @property
    def key(self) -> Path:
        return self.real_path or self.path.resolve()

    @property
    def modified(self) -> datetime:
        """The last change readers are told of: the latest of the date, ``updated`` and the
        newest correction or update (JSON-LD ``dateModified``, the feeds' ``updated``, the
        sitemap's ``lastmod``)."""
        if self.updated is None and not self.corrections:  # most articles (listings ask for every entry)
            return self.date
        return max(self.date, self.updated or self.date, *(note.date for note in self.corrections[:1]))

    @property
    def output_dir(self) -> str:
        """Folder of this article in the output, e.g. ``2026/10/grid-batteries``."""
        return self.url_path.strip("/")

    @property
    def sort_key(self) -> tuple:
        """Newest first; ties broken by slug so builds are deterministic."""
        return (-self.date.timestamp(), self.slug)


@dataclass(frozen=True, slots=True)
class Page:
    """One validated standalone page (About, Contact, Corrections policy): a file in
    ``content/pages/`` or one with ``type: page``. Not an article: no date, byline, section,
    tags, feed, listing or related list; published at ``/{slug}/``."""

    path: Path
    relpath: str
    """Source path relative to the site root; used in messages."""
    slug: str
    title: str
    dek: str | None
    """The standfirst under the title; also the meta description."""
    updated: datetime | None
    """Last substantive change (the sitemap's ``lastmod``), time-zone aware."""
    draft: bool
    body: str
    """Markdown after the front matter."""
    body_line: int
    url_path: str
    """Site path without the base path: ``/{slug}/``."""
    slug_line: int | None = None
    """Line of ``slug:`` when the slug was set in front matter."""
    lines: LineMap = field(default_factory=LineMap, compare=False, repr=False)
    """Front-matter lines by key, for messages found after validation."""
    real_path: Path | None = field(default=None, compare=False, repr=False)
    digest: bytes = field(default=b"", compare=False, repr=False)
    """Digest of the file's path and bytes, when the build keeps a cache ("" otherwise)."""

    @property
    def key(self) -> Path:
        return self.real_path or self.path.resolve()

    @property
    def output_dir(self) -> str:
        """Folder of this page in the output, e.g. ``about``."""
        return self.url_path.strip("/")


@dataclass(frozen=True, slots=True)
class Profile:
    """An author's profile, from ``content/authors/<slug>.md`` or ``[authors.<slug>]`` in brief.toml."""

    slug: str
    name: str | None
    """Display name; None to use the name the articles give."""
    role: str | None
    bio: str | None
    """Markdown."""
    avatar: str | None
    """A site path under static/ (``/images/ana.jpg``) or an https URL."""
    source: str
    """Where it was defined, for messages."""


# Pickling an article (the build cache holds one per file; worker processes send them back):
# pathlib pickles a path as its parts, and unpickling 20,000 of them (``path`` and
# ``real_path`` of 10,000 articles) took 0.15 s of every cached build. An article is pickled
# as its field values with the paths as text, and ``real_path`` left out when it is ``path``.
# The body is left out when the article has a digest (of its file's path and bytes): most of
# a pickled article's bytes (at 10,000 articles the cache's articles take 9.3 MB without,
# 31.6 MB with), needed again only for an article whose Markdown or term counts must be made
# again, when brief.content.bodies reads it from the file (checked against the digest). So
# a cold build whose files are read by forked workers holds no body in its main process:
# the workers that count terms and render Markdown read the files again.
_ARTICLE_FIELDS = tuple(f.name for f in fields(Article))
_PATH_AT = _ARTICLE_FIELDS.index("path")
_REAL_AT = _ARTICLE_FIELDS.index("real_path")
_BODY_AT = _ARTICLE_FIELDS.index("body")


def _reduce_article(article: Article) -> tuple:
    values = [getattr(article, name) for name in _ARTICLE_FIELDS]
    path, real = article.path, article.real_path
    values[_PATH_AT] = str(path)
    values[_REAL_AT] = True if real == path else (None if real is None else str(real))
    if article.digest:
        values[_BODY_AT] = None
    return (_article, (tuple(values),))


def _article(values: tuple) -> Article:
    """An article from what :func:`_reduce_article` kept."""
    row = list(values)
    path = row[_PATH_AT] = path_of(row[_PATH_AT])
    real = row[_REAL_AT]
    row[_REAL_AT] = path if real is True else (None if real is None else Path(real))
    return _make_article(*row)


_make_article = maker(Article)  # (a cached build reads back every article: brief.frozen)


_PATH = type(Path())
"""The concrete path class of this system (PosixPath)."""


def path_of(text: str) -> Path:
    """``Path(text)`` for the text of a path as pathlib wrote it (``str(path)``), made faster:
    its folder's path (made once, and remembered) with its name added. Parsing the whole
    text again took half the time of reading an article back from the build cache."""
    folder, slash, name = text.rpartition("/")
    if not (slash and name and folder.strip("/")) or name in (".", ".."):  # ("//x": a root of its own)
        return _PATH(text)
    base = _folder(folder)
    made = _add_name(base, name)
    return _with_text(made, text) if _with_text is not None and str(base) == folder else made  # (as pathlib wrote it)


@lru_cache(maxsize=1024)
def _folder(text: str) -> Path:
    return _PATH(text)


def _name_adder() -> Callable[[Path, str], Path]:
    """The fastest way this Python has to add a name to a path, if it gives what parsing the
    whole text gives: pathlib's own (private) one when it does, else ``/``."""
    add = getattr(_PATH, "_make_child_relpath", None)
    try:
        made = add(_PATH("/a/b"), "c.md") if add is not None else None
    except Exception:  # noqa: BLE001 - a private method that changed: not used
        made = None
    if made is not None and made == _PATH("/a/b/c.md") and str(made) == "/a/b/c.md" and made.name == "c.md":
        return add  # type: ignore[return-value]
    return operator.truediv


_add_name = _name_adder()


def _text_keeper() -> Callable[[Path, str], Path] | None:
    """The fastest way this Python has to give a path made by :data:`_add_name` the text
    ``str()`` would make of it, known already: pathlib's own (private) attribute, where
    ``str()`` keeps the text it made, when a path given it there reads back as the same
    path (Python 3.11 makes it again for each new path: 10,000 articles' paths, 15 ms of
    every build); None when there is no such way."""

    def keep(path: Path, text: str) -> Path:
        path._str = text  # type: ignore[attr-defined]
        return path

    try:
        made = keep(_add_name(_PATH("/a/b"), "c.md"), "/a/b/c.md")
    except (AttributeError, TypeError):  # (no such attribute)
        return None
    if str(made) == "/a/b/c.md" and made == _PATH("/a/b/c.md") and made.parent == _PATH("/a/b") and made.stem == "c":
        return keep
    return None


_with_text = _text_keeper()


def child_path(folder: Path, name: str) -> Path:
    """``folder / name`` for a plain file name (no separator), made faster (the folder
    walk of 10,000 articles: 20 ms of every build)."""
    return _add_name(folder, name) if type(folder) is _PATH else folder / name


def child_paths(folder: Path, names: Iterable[str]) -> Iterator[Path]:
    """:func:`child_path` of each of ``names``, each with its text made of the folder's
    (not again when first asked for: Python 3.11 makes it for each path)."""
    text = str(folder)
    keep = _with_text if type(folder) is _PATH and text.startswith("/") and not text.endswith("/") else None
    if keep is None:
        yield from (child_path(folder, name) for name in names)
        return
    add, prefix = _add_name, text + "/"
    for name in names:
        yield keep(add(folder, name), prefix + name)


Article.__reduce__ = _reduce_article  # type: ignore[assignment,method-assign]
