"""Kept page plans: a cached build whose edit left the site's shape alone plans only the pages
that show what the edit changed.

Planning every page (brief.render.pages) takes 50–70 ms of a cached build at 10,000
articles (16,000 pages); an edit of one article's text, headline or standfirst changes a
dozen of them. When this build's marks (brief.render.pagedeps) differ from the last build's
only in articles' marks, in which articles tags and authors have and in which tags and
authors there are (the site's, the order's, the sections' and every term's name are the
same, and no article came or went: brief.render.keptmarks), every page is where the last
build had it, with the same output, path, template and source, but the pages of a tag's or
author's listing whose articles changed, or that came or went: they are made of what those
marks digest. Any other page's last change and key can differ only if it shows an article
whose mark changed. :func:`kept_plan` then plans:

- the pages of the articles that changed, and (:meth:`KeptPlan.keys`, once the related
  lists are complete) the pages of those whose related list moved or shows one that changed;
- every page of the listing of a tag or author whose articles changed (an article's tags
  or authors edited): when the listing has more or fewer pages than the last build's, the
  whole site is planned;
- every page of the listing of a tag or author that came (no article had it), put where
  the full plan has it: after the pages of the one before it in its kind's order, or after
  the page listing them all (a new tag's page: 0.2 s of planning saved at 10,000 articles);
  the pages of one that went are left out;
- the pages of the front page's, sections', tags', authors' and years' listings that show
  an article that changed, and the front page's first (it also shows the sections' latest);
- the overviews of sections, tags and authors and the archive's first page (cheap to plan:
  their contexts are made when asked for, and their keys kept by their marks);
- every page no mark keeps the key of (``deps`` None: corrections, standalone pages, 404
  and search);

and takes every other page as the last build had it (a :class:`KeptSpec` with its last
key): an article's page from the article, any other from :attr:`PageDeps.rows
<brief.render.pagedeps.PageDeps.rows>`. A page planned now at an output the last build did
not have, or a page of the last build's without marks that none planned now replaces, means
that the shape changed after all: the whole site is planned, as without a cache.

A kept page is made from its plan when it must be made (its file in the output folder was
changed by hand, a link's fragment names it): the whole site is then planned once, in that
process, and the page's plan taken from it.

With :data:`brief.render.pagedeps.VERIFY` (tests), the whole site is planned beside it and
every page and kept key compared with the full path's.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import Any

from markupsafe import Markup

from brief.content.model import Article
from brief.render import pagedeps
from brief.render.archive import archive_index, articles_of_year, year_of, year_pages
from brief.render.contract import ArticleView, DocView
from brief.render.keptmarks import changed_marks
from brief.render.pagedeps import PageDeps, keys_kept, moved_lists
from brief.render.pages import (
    ArticlePages,
    PageMemo,
    author_bio,
    closing_pages,
    front_pages,
    site_feeds,
    site_pages,
)
from brief.render.plans import PageSpec
from brief.render.termpages import overview_page, term_pages
from brief.render.views import site_view
from brief.site.model import TERM_FOLDERS, Site, Term


class _Whole:
    """The whole site's plans, made the first time a kept page must be made."""

    __slots__ = ("site", "views", "bios", "memo", "docs", "specs")

    def __init__(
        self,
        site: Site,
        views: Mapping[str, ArticleView],
        bios: dict[str, Markup],
        memo: PageMemo | None,
        docs: dict[str, DocView],
    ) -> None:
        self.site, self.views, self.bios, self.memo, self.docs = site, views, bios, memo, docs
        self.specs: dict[str, PageSpec] | None = None

    def spec(self, output: str) -> PageSpec:
        if self.specs is None:
            whole = site_pages(self.site, self.views, self.bios, self.memo, self.docs)
            self.specs = {spec.output: spec for spec in whole}
        return self.specs[output]


@dataclass(slots=True)
class KeptSpec(PageSpec):
    """A page taken as the last build had it (see the module's doc): its output, path, last
    change, template and source; its context is its plan's, made when asked for."""

    whole: _Whole | None = field(default=None, compare=False, repr=False)

    def get_context(self) -> dict[str, Any]:
        assert self.whole is not None
        return self.whole.spec(self.output).get_context()


@dataclass
class KeptPlan:
    """A build's pages planned by :func:`kept_plan`: :attr:`specs`, as the full plan's list."""

    specs: list[PageSpec]
    fresh: set[int]
    """The positions in :attr:`specs` of the pages planned now."""
    kept: set[int]
    """The positions of the other pages (their keys are the last build's)."""
    changed: set[str]
    """The articles whose mark changed, by slug, and the marks of the tags and authors whose
    articles changed (:func:`~brief.render.plans.term_dep`, :func:`~brief.render.plans.terms_dep`)."""
    articles: ArticlePages
    whole: _Whole

    def keys(
        self,
        now: PageDeps,
        last: PageDeps,
        previous: Mapping[str, tuple[bytes, Any]],
        templates: Mapping[str, bytes],
        view_keys: dict[int, bytes],
    ) -> set[int]:
        """The pages whose key is kept (as brief.render.pagedeps.kept_keys), once ``now`` has
        the related lists: a kept article page whose list moved is planned now, its key made."""
        specs, fresh, site = self.specs, self.fresh, self.articles.site
        moved = moved_lists(now, last, self.changed)
        for slug in moved:
            i = place(site, slug)
            if i not in fresh:
                specs[i] = self.articles.spec(site.articles[i])
                fresh.add(i)
                self.kept.discard(i)
        kept = self.kept | keys_kept(specs, sorted(fresh), self.changed, moved, previous)
        if pagedeps.VERIFY:
            _verify(self, kept, now, last, previous, templates, view_keys)
        return kept


def kept_plan(
    site: Site,
    views: Mapping[str, ArticleView],
    bios: dict[str, Markup],
    docs: dict[str, DocView],
    memo: PageMemo | None,
    now: PageDeps,
    last: PageDeps,
    previous: Mapping[str, tuple[bytes, Any]] | None,
) -> KeptPlan | None:
    """The pages of a build whose marks (``now``, without the related lists) differ from the
    last build's (``last``) only in articles' and in tags' and authors' articles (see the
    module's doc); None when they differ otherwise, or the last build left no rows or
    outputs (``previous``): plan every page."""
    found = changed_marks(now, last)
    if found is None or not last.rows or not previous:
        return None
    changed, changed_listings, came, went = found  # (the marks; the tags and authors whose articles changed, …)
    by_kind = {"tag": site.tags, "author": site.authors}
    listings = [by_kind[kind][slug] for kind, slug in changed_listings]
    sv, feeds = site_view(site), site_feeds(site)
    whole = _Whole(site, views, bios, memo, docs)
    specs: list[PageSpec] = [
        KeptSpec(
            f"{a.output_dir}/index.html", a.url_path, a.modified, "article.html", None, True, a.relpath, whole=whole
        )
        for a in site.articles
    ]
    first = len(specs)
    gone = tuple(f"{TERM_FOLDERS[kind]}/{slug}/" for kind, slug in went)
    rows = [row for row in last.rows if not (row[3] == LISTING and row[0].startswith(gone))] if gone else last.rows
    specs += [KeptSpec(o, p, m, t, None, public, source, whole=whole) for o, p, m, t, public, source, _ in rows]
    keyed: list[bool | None] = [None] * first + [row[6] for row in rows]  # (a page of the last build's: its flag)
    new_pages = _new_listings(site, views, bios, specs, keyed, first, came)
    if new_pages is None:
        return None
    places = {slug: place(site, slug) for slug in changed if not slug.startswith("#")}
    articles = ArticlePages(site, sv, views, feeds, memo)
    per_page = site.config.per_page
    edited = [site.articles[at] for at in places.values()]  # (the articles whose mark changed)
    planned = [articles.spec(article) for article in edited]
    planned += front_pages(site, sv, views, feeds, {1} | {at // per_page + 1 for at in places.values()})
    for term, numbers in _term_pages_showing(site, edited):
        if (term.kind, term.slug) not in changed_listings and (term.kind, term.slug) not in came:
            planned += term_pages(site, sv, term, views, feeds, author_bio(bios, term), numbers)
    for term in listings:  # (every page: where each article is, and how many there are, may have moved)
        planned += term_pages(site, sv, term, views, feeds, author_bio(bios, term))
    for kind, terms in (("section", site.sections), ("tag", site.tags), ("author", site.authors)):
        planned.append(overview_page(site, sv, kind, terms, views, feeds))
    planned.append(archive_index(site, sv, feeds))
    years = _year_pages_showing(site, edited)
    if years is None:
        return None
    for year, (listed, numbers) in years.items():
        planned += year_pages(site, sv, views, feeds, year, listed, numbers)
    planned += closing_pages(site, sv, views, docs, feeds)
    at = {spec.output: i for i, spec in enumerate(specs)}
    if len(at) != len(specs):
        return None  # (two pages at one output: the full plan says which)
    fresh: set[int] = set()
    for spec in [*new_pages, *planned]:
        i = at.get(spec.output)
        if i is None or i in fresh:
            return None  # a page the last build did not have (or two at one output: the full plan says which)
        specs[i] = spec
        fresh.add(i)
    if any(flag is False and i not in fresh for i, flag in enumerate(keyed[first:], first)):
        return None  # a page of the last build's that none planned now replaces (and no mark keeps)
    folders = tuple(term.url_path.lstrip("/") for term in listings)
    if folders and any(
        flag is not None and i not in fresh and specs[i].output.startswith(folders)
        for i, flag in enumerate(keyed[first:], first)
    ):
        return None  # a listing whose articles changed has fewer pages than the last build's
    new_outputs = {spec.output for spec in new_pages}
    if not all(map(previous.__contains__, [spec.output for spec in specs if spec.output not in new_outputs])):
        return None  # (a page the last build did not write: the full plan makes its key)
    kept = set(range(len(specs))) - fresh
    return KeptPlan(specs, fresh, kept, changed, articles, whole)


def place(site: Site, slug: str) -> int:
    """The position of the built article ``slug`` in the site's order (and of its page in
    the pages'), found by bisection: the articles are in order of :attr:`Article.sort_key
    <brief.content.model.Article.sort_key>`."""
    article = site.all_articles[slug]
    i = bisect_left(site.articles, article.sort_key, key=_SORT_KEY)
    if i < len(site.articles) and site.articles[i] is article:
        return i
    return next(i for i, other in enumerate(site.articles) if other is article)  # (never: the order is that key's)


_SORT_KEY = attrgetter("sort_key")


def page_rows(specs: list[PageSpec], articles: int) -> list[tuple]:
    """:attr:`PageDeps.rows <brief.render.pagedeps.PageDeps.rows>` of a build's ``specs``,
    whose first ``articles`` are the articles' pages. A kept page has marks: it had them in
    the build it was planned in (see :func:`kept_plan`)."""
    return [
        (s.output, s.path, s.lastmod, s.template, s.public, s.source, s.deps is not None or isinstance(s, KeptSpec))
        for s in specs[articles:]
    ]


def page_row(spec: PageSpec) -> tuple[str, str, datetime | None, str, bool, str | None]:
    """What a kept page takes of its last build's plan: all but its context (and its marks)."""
    return (spec.output, spec.path, spec.lastmod, spec.template, spec.public, spec.source)


LISTING = "list.html"
"""The template of a listing's pages (brief.render.termpages)."""


def _new_listings(
    site: Site,
    views: Mapping[str, ArticleView],
    bios: dict[str, Markup],
    specs: list[PageSpec],
    keyed: list[bool | None],
    first: int,
    came: list[tuple[str, str]],
) -> list[PageSpec] | None:
    """The pages of the tags and authors that ``came``, each put into ``specs`` where the full
    plan has it (and a None into ``keyed`` beside each: no mark of the last build's); None
    when one has nowhere to go."""
    if not came:
        return []
    sv, feeds = site_view(site), site_feeds(site)
    new_pages: list[PageSpec] = []
    for kind, terms in (("tag", site.tags), ("author", site.authors)):  # (in the full plan's order)
        for term in (term for term in terms.values() if (kind, term.slug) in came):
            pages = list(term_pages(site, sv, term, views, feeds, author_bio(bios, term)))
            where = _place_of_new(specs, first, kind, terms, term)
            if where is None:
                return None
            specs[where:where] = pages
            keyed[where:where] = [None] * len(pages)
            new_pages += pages
    return new_pages


def _place_of_new(specs: list[PageSpec], first: int, kind: str, terms: Mapping[str, Term], term: Term) -> int | None:
    """Where the pages of ``term``, a listing the last build did not have, go among ``specs``
    (the articles' ``first``): after the pages of the one before it in ``terms``' order, as
    the full plan has them, else right after the page listing them all (None: no such page)."""
    folder = f"{TERM_FOLDERS[kind]}/"
    slugs = list(terms)
    before = set(slugs[: slugs.index(term.slug)])
    overview = f"{folder}index.html"
    found = None
    for i in range(first, len(specs)):
        output = specs[i].output
        if output.startswith(folder):
            if specs[i].template == LISTING:
                if output[len(folder) :].partition("/")[0] in before:
                    found = i
            elif output == overview:
                found = i
    return found + 1 if found is not None else None


def _term_pages_showing(site: Site, edited: list[Article]) -> list[tuple[Term, set[int]]]:
    """The numbers of the pages of each section's, tag's and author's listing that show an
    article of ``edited``."""
    per_page = site.config.per_page
    found: dict[tuple[str, str], tuple[Term, set[int]]] = {}
    for article in edited:
        for kind, names in (("section", (article.section,)), ("tag", article.tags), ("author", article.authors)):
            for name in names:
                term = site.term(kind, name)
                for i, other in enumerate(term.articles):
                    if other is article:
                        found.setdefault((kind, term.slug), (term, set()))[1].add(i // per_page + 1)
                        break
    return list(found.values())


def _year_pages_showing(site: Site, edited: list[Article]) -> dict[int, tuple[list[Article], set[int]]] | None:
    """Each year's articles and the numbers of its archive pages that show an article of
    ``edited`` (None if one is not in its year's list: the full plan then says where it is)."""
    found: dict[int, tuple[list[Article], set[int]]] = {}
    for article in edited:
        year = year_of(site, article)
        listed, numbers = found.get(year) or found.setdefault(year, (articles_of_year(site, year), set()))
        i = next((i for i, other in enumerate(listed) if other is article), None)
        if i is None:
            return None
        numbers.add(i // site.config.archive_per_page + 1)
    return found


def _verify(
    plan: KeptPlan,
    kept: set[int],
    now: PageDeps,
    last: PageDeps,
    previous: Mapping[str, tuple[bytes, Any]],
    templates: Mapping[str, bytes],
    view_keys: dict[int, bytes],
) -> None:
    """Raise AssertionError unless planning every page gives the same pages, in the same
    order, and the same kept keys (which pagedeps.VERIFY makes again): for tests."""
    whole = plan.whole
    full = list(site_pages(whole.site, whole.views, whole.bios, None, whole.docs))
    for mine, theirs in zip(plan.specs, full, strict=False):
        if page_row(mine) != page_row(theirs):
            raise AssertionError(f"{mine.output}: kept as {page_row(mine)}, planned as {page_row(theirs)}")
    if len(plan.specs) != len(full):
        raise AssertionError(f"{len(plan.specs)} pages kept, {len(full)} planned")
    expected = pagedeps.kept_keys(full, now, last, previous, templates, view_keys)
    if kept != expected:
        wrong = sorted(kept ^ expected)[:3]
        raise AssertionError(f"kept keys differ from the full plan's at {[full[i].output for i in wrong]}")
