"""The site index's model: the immutable :class:`Site` and its terms and related entries.

Made once per build by :func:`brief.site.index.build_index` from the validated
articles; every later stage reads it and none changes it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from brief.config import Config
from brief.content.model import Article, Page, Profile
from brief.slugs import slugify
from brief.urls import path_url


@dataclass(frozen=True, slots=True)
class RelatedItem:
    """A resolved related entry: another article of the site or an external link."""

    title: str
    url: str
    external: bool
    domain: str | None = None
    article: Article | None = None
    automatic: bool = False
    """Suggested by brief rather than listed in front matter."""


@dataclass(frozen=True, slots=True)
class Term:
    """A section, tag or author, with the built articles that carry it (newest first)."""

    kind: str
    """"section", "tag" or "author"."""
    name: str
    slug: str
    articles: tuple[Article, ...]
    profile: Profile | None = None

    @property
    def url_path(self) -> str:
        return f"/{TERM_FOLDERS[self.kind]}/{self.slug}/"


TERM_FOLDERS = {"section": "sections", "tag": "tags", "author": "authors"}


@dataclass(frozen=True, slots=True)
class MenuLink:
    """A ``[[menu]]`` entry resolved: where it leads and where it is shown."""

    title: str
    url: str
    """Root-relative URL (base path included) of a page of the site, or an absolute http(s) URL."""
    path: str | None
    """Site path of a link within the site (``/about/``), without the base path; None otherwise."""
    header: bool
    footer: bool


@dataclass(frozen=True, slots=True)
class Site:
    """The site index: everything later stages need, computed once."""

    config: Config
    articles: tuple[Article, ...]
    """Articles in this build, newest first."""
    all_articles: dict[str, Article]
    """Every valid article by slug, drafts and scheduled ones included."""
    by_path: dict[str, Article]
    """Every valid article by the text of its resolved source path (for links written as
    ``other.md``; by text: hashing 10,000 new paths took 17 ms of every build)."""
    related: dict[str, tuple[RelatedItem, ...]]
    """Related entries of each built article, by slug, in the order given."""
    built: frozenset[str] = field(default_factory=frozenset)
    """Slugs of the articles in this build."""
    sections: dict[str, Term] = field(default_factory=dict)
    """Sections by slug, sorted by name."""
    now: datetime | None = None
    """Build time: articles dated after it are scheduled."""
    tags: dict[str, Term] = field(default_factory=dict)
    authors: dict[str, Term] = field(default_factory=dict)
    pages: tuple[Page, ...] = ()
    """Standalone pages in this build (drafts only with ``--drafts``), by slug."""
    all_pages: dict[str, Page] = field(default_factory=dict)
    """Every valid standalone page by slug, drafts included."""
    menu: tuple[MenuLink, ...] = ()
    """``[[menu]]`` of brief.toml, resolved (entries leading to a page left out of the build dropped)."""

    @property
    def expired(self) -> tuple[Article, ...]:
        """Articles left out because their ``expires:`` time has come (counted in the summary)."""
        if self.now is None:
            return ()
        return tuple(a for a in self.all_articles.values() if a.expired(self.now))

    def term(self, kind: str, name: str) -> Term:
        """The section, tag or author called ``name``. Every name of a built article has one,
        except in a build that already failed (a name without letters, two spellings)."""
        slug = slugify(name)
        found = {"section": self.sections, "tag": self.tags, "author": self.authors}[kind].get(slug)
        return found or Term(kind, name, slug or "-", ())

    def dated(self, since: datetime, before: datetime) -> tuple[Article, ...]:
        """The built articles dated from ``since`` up to ``before`` (not included), newest
        first, found by bisection: :attr:`articles` are in order of their times."""
        first = bisect_right(self.articles, -before.timestamp(), key=_minus_stamp)
        return self.articles[first : bisect_right(self.articles, -since.timestamp(), key=_minus_stamp)]

    def url(self, path: str) -> str:
        """Root-relative URL of a site path: ``/a/`` → ``/briefs/a/`` when base_url has a path;
        ``/images/é 1.svg`` → ``/images/%C3%A9%201.svg`` (brief.urls)."""
        return self.config.base_path + path_url(path.lstrip("/"))

    def absolute_url(self, path: str) -> str:
        """Absolute URL of a site path, percent-encoded like :meth:`url`."""
        return self.config.base_url + path_url(path.lstrip("/"))


def _minus_stamp(article: Article) -> float:
    return -article.date.timestamp()  # (the order of Article.sort_key, without its ties)
