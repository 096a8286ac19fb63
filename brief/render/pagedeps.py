"""Page keys kept by dependency: a cached build skips the key of a page nothing of which changed.

A page's key (brief.render.keys) digests its template and its inputs; making the inputs
and digesting them costs 15–30 µs a page, 0.35 s of every cached build at 10,000
articles, most of it for pages an edit leaves alone. An article page, a page of a listing
(:func:`brief.render.plans.paginated`), the archive's first page and the pages listing every
section, tag or author say what their inputs are made of (:attr:`PageSpec.deps
<brief.render.plans.PageSpec.deps>`), and each such dependency has a **mark** in every build:

- an article: its view's key (brief.render.viewkeys.view_key), which every page showing it
  depends on; its related list (the articles it lists, the external links), which only
  its own page does (:attr:`PageSpec.own <brief.render.plans.PageSpec.own>`);
- a section, tag or author: its name, URL, profile, bio and articles in order (its
  pages), or only its name and URL (the pages of articles in a section);
- the built articles in order, with their URLs and times (the front page, the archive);
- every section, every tag, every author (the front page's blocks; the pages listing them);
- the site: the templates' digests, the site's view and its feeds (every page).

A page whose dependencies all have their last build's marks, while the site's has, keeps
its last key: its inputs would be the same. Any other page's key is made as before.

:data:`VERIFY` (for tests) makes every kept key again and fails when one differs.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from brief.digests import digest, pickled_digest
from brief.render.keys import page_key
from brief.render.pages import site_feeds
from brief.render.plans import (
    ORDER_DEP,
    SITE_DEP,
    PageSpec,
    term_dep,
    term_name_dep,
    terms_dep,
)
from brief.render.views import site_view
from brief.site.model import Site

VERIFY = False
"""Make every kept key again and raise AssertionError when it is not the key kept (tests)."""


@dataclass
class PageDeps:
    """What a build's page keys are kept by (saved in the build cache): each dependency's mark."""

    marks: dict[str, bytes | tuple] = field(default_factory=dict)
    """By the names :attr:`PageSpec.deps <brief.render.plans.PageSpec.deps>` uses."""
    related: dict[str, tuple] = field(default_factory=dict)
    """Each article's related list (:attr:`PageSpec.own <brief.render.plans.PageSpec.own>`), by its slug."""
    rows: list[tuple] = field(default_factory=list)
    """Every page but the articles', in order: its output, path, last change, template, whether
    it is public, its source, and whether it has :attr:`PageSpec.deps
    <brief.render.plans.PageSpec.deps>` (brief.render.keptpages plans what an edit changed
    and takes the other pages from these)."""

    # Saved, the rows are a pickle of their own, kept with the rows they were read as: an
    # edit that changes no page's row saves those bytes again (10,000 articles: 4 ms a save).
    def __getstate__(self) -> dict[str, Any]:
        state = {name: value for name, value in vars(self).items() if name != "_packed"}
        packed = getattr(self, "_packed", None)
        if packed is None or packed[0] is not self.rows:
            packed = self._packed = (self.rows, pickle.dumps(self.rows, protocol=pickle.HIGHEST_PROTOCOL))
        state["rows"] = packed[1]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        data = state.get("rows", b"")
        state["rows"] = pickle.loads(data) if data else []
        vars(self).update(state)
        if data:
            self._packed = (self.rows, data)

    def take_rows(self, rows: list[tuple], last: PageDeps | None) -> None:
        """This build's :attr:`rows`: the ``last`` build's own list (with its bytes) when equal."""
        packed = getattr(last, "_packed", None)
        if packed is not None and packed[0] == rows:
            self.rows, self._packed = packed[0], packed
        else:
            self.rows = rows


def page_marks(
    site: Site,
    keys: Callable[[str], bytes],
    templates: Mapping[str, bytes],
    bios: Mapping[str, Markup],
) -> PageDeps:
    """This build's marks (see the module's doc) but the related lists, which may still be
    being made by another process (:func:`add_related`); ``keys``: each article's view's key
    by its slug (brief.render.views.ArticleViews.key)."""
    marks: dict[str, bytes | tuple] = {
        SITE_DEP: digest(
            pickled_digest(site_view(site)), pickled_digest(site_feeds(site)), repr(sorted(templates.items()))
        ),
        ORDER_DEP: digest("\n".join(f"{a.slug}\t{a.url_path}\t{a.date.timestamp()!r}" for a in site.articles)),
    }
    for kind, terms in (("section", site.sections), ("tag", site.tags), ("author", site.authors)):
        for slug, term in terms.items():
            bio = str(bios.get(slug, "")) if kind == "author" else ""
            members = tuple(a.slug for a in term.articles)
            marks[term_dep(kind, slug)] = pickled_digest((term.name, term.url_path, term.profile, bio, members))
            marks[term_name_dep(kind, slug)] = (term.name, term.url_path)
    for kind, terms in (("section", site.sections), ("tag", site.tags), ("author", site.authors)):
        names = [term_dep(kind, slug) for slug in terms]  # (SECTIONS_DEP is the sections')
        marks[terms_dep(kind)] = digest(repr([(name, marks[name]) for name in names]))
    for article in site.articles:
        marks[article.slug] = keys(article.slug)
    return PageDeps(marks)


def add_related(deps: PageDeps, site: Site) -> None:
    """Each article's related list, in ``deps`` (once the site's lists are complete)."""
    deps.related = {
        article.slug: tuple(
            (item.title, item.url, item.domain) if item.external or item.article is None else item.article.slug
            for item in site.related.get(article.slug, ())
        )
        for article in site.articles
    }


def kept_keys(
    specs: list[PageSpec],
    now: PageDeps,
    last: PageDeps,
    previous: Mapping[str, tuple[bytes, Any]] | None,
    templates: Mapping[str, bytes],
    view_keys: dict[int, bytes],
) -> set[int]:
    """The positions in ``specs`` of the pages whose key stays the one ``previous`` (the last
    build's outputs, which ``last`` describes) holds."""
    if not previous or last.marks.get(SITE_DEP) != now.marks[SITE_DEP]:
        return set()
    # (a page's dependencies are what this build has: every one has a mark now)
    changed = {name for name, mark in now.marks.items() if last.marks.get(name) != mark}
    kept = keys_kept(specs, range(len(specs)), changed, moved_lists(now, last, changed), previous)
    if VERIFY:  # (``view_keys`` itself: a view made now for a page's inputs is put there)
        for i in kept:
            spec = specs[i]
            made = page_key(spec, spec.get_context() if spec.inputs is None else None, dict(templates), view_keys)
            if made != previous[spec.output][0]:
                raise AssertionError(f"{specs[i].output}: the kept key is not the page's key")
    return kept


def moved_lists(now: PageDeps, last: PageDeps, changed: set[str]) -> set[str]:
    """The articles whose related list moved, or shows an article that changed (its slug is
    there as written; an external entry is a tuple, never a mark's name), by slug."""
    return {
        slug for slug, items in now.related.items() if last.related.get(slug) != items or not changed.isdisjoint(items)
    }


def keys_kept(
    specs: list[PageSpec],
    positions: Iterable[int],
    changed: set[str],
    moved: set[str],
    previous: Mapping[str, tuple[bytes, Any]],
) -> set[int]:
    """Of the pages of ``specs`` at ``positions``, those whose dependencies are not among the
    marks that ``changed``, whose related list is not among those ``moved``, and which the
    last build wrote (``previous``)."""
    kept: set[int] = set()
    for i in positions:
        spec = specs[i]
        deps = spec.deps
        if deps is None or not changed.isdisjoint(deps) or spec.own in moved or spec.output not in previous:
            continue
        kept.add(i)
    return kept


def keep_keys(
    last: PageDeps | None,
    now: PageDeps | None,
    previous: Mapping[str, tuple[bytes, Any]] | None,
    specs: list[PageSpec],
    templates: Mapping[str, bytes],
    view_keys: dict[int, bytes] | None,
) -> set[int]:
    """The pages whose key a cached build keeps (:func:`kept_keys`), by this build's marks
    (``now``: :func:`page_marks`, with :func:`add_related`); none without a cache (``last`` None)."""
    if last is None or now is None or view_keys is None:
        return set()
    return kept_keys(specs, now, last, previous, templates, view_keys)
