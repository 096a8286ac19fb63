"""Page keys kept by dependency: a cached build skips the key of a page nothing of which changed.

A page's key (brief.render.keys) digests its template and its inputs; making the inputs
and digesting them costs 15–30 µs a page, 0.35 s of every cached build at 10,000
articles, most of it for pages an edit leaves alone. An article page and a page of a
listing (:func:`brief.render.plans.paginated`) say what their inputs are made of
(:attr:`PageSpec.deps <brief.render.plans.PageSpec.deps>`), and each such dependency has
a **mark** in every build:

- an article: its view's key (brief.render.viewkeys.view_key), which every page showing it
  depends on; its related list (the articles it lists, the external links), which only
  its own page does (:attr:`PageSpec.own <brief.render.plans.PageSpec.own>`);
- a section, tag or author: its name, URL, profile, bio and articles in order (its
  pages), or only its name and URL (the pages of articles in a section);
- the built articles in order, with their URLs and times (the front page, the archive);
  every section (the front page's blocks);
- the site: the templates' digests, the site's view and its feeds (every page).

A page whose dependencies all have their last build's marks, while the site's has, keeps
its last key: its inputs would be the same. Any other page's key is made as before.

:data:`VERIFY` (for tests) makes every kept key again and fails when one differs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from brief.digests import digest, pickled_digest
from brief.render.keys import page_key
from brief.render.pages import site_feeds
from brief.render.plans import (
    ORDER_DEP,
    SECTIONS_DEP,
    SITE_DEP,
    PageSpec,
    term_dep,
    term_name_dep,
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
    sections = [term_dep("section", slug) for slug in site.sections]
    marks[SECTIONS_DEP] = digest(repr([(name, marks[name]) for name in sections]))
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
) -> dict[int, bytes]:
    """The pages of ``specs`` (by position) whose key stays the one ``previous`` (the last
    build's outputs, which ``last`` describes) holds, with that key."""
    if not previous or last.marks.get(SITE_DEP) != now.marks[SITE_DEP]:
        return {}
    # (a page's dependencies are what this build has: every one has a mark now)
    changed = {name for name, mark in now.marks.items() if last.marks.get(name) != mark}
    # The pages whose related list moved, or shows an article that changed (its slug is
    # there as written; an external entry is a tuple, never a mark's name).
    moved = {
        slug for slug, items in now.related.items() if last.related.get(slug) != items or not changed.isdisjoint(items)
    }
    kept: dict[int, bytes] = {}
    for i, spec in enumerate(specs):
        deps = spec.deps
        if deps is None or not changed.isdisjoint(deps) or spec.own in moved:
            continue
        entry = previous.get(spec.output)
        if entry is not None:
            kept[i] = entry[0]
    if VERIFY:  # (``view_keys`` itself: a view made now for a page's inputs is put there)
        for i, key in kept.items():
            made = page_key(specs[i], None, dict(templates), view_keys)
            if made != key:
                raise AssertionError(f"{specs[i].output}: the kept key is not the page's key")
    return kept


def keep_keys(
    last: PageDeps | None,
    now: PageDeps | None,
    previous: Mapping[str, tuple[bytes, Any]] | None,
    specs: list[PageSpec],
    templates: Mapping[str, bytes],
    view_keys: dict[int, bytes] | None,
) -> dict[int, bytes]:
    """The keys a cached build keeps (:func:`kept_keys`), by this build's marks (``now``:
    :func:`page_marks`, with :func:`add_related`); nothing without a cache (``last`` None)."""
    if last is None or now is None or view_keys is None:
        return {}
    return kept_keys(specs, now, last, previous, templates, view_keys)
