"""Which marks of a build's pages (brief.render.pagedeps) changed since the last build, for
brief.render.keptpages: the articles' and the listings' of tags and authors, and the tags
and authors that came or went. Any other mark that changed means a page plan of the whole
site."""

from __future__ import annotations

from brief.render.pagedeps import PageDeps
from brief.render.plans import term_dep, term_name_dep, terms_dep

_LISTINGS = {term_dep(kind, ""): kind for kind in ("tag", "author")}
"""The start of the mark of a tag's and of an author's articles (``#tag:``, then its slug)."""
_OVERVIEWS = frozenset(terms_dep(kind) for kind in ("tag", "author"))


Listings = list[tuple[str, str]]
"""Tags and authors, each as (kind, slug)."""


def changed_marks(now: PageDeps, last: PageDeps) -> tuple[set[str], Listings, Listings, Listings] | None:
    """The marks that changed, came or went (the articles' by slug, the tags' and authors'),
    the tags and authors whose articles changed, those that came and those that went, when
    no other mark changed (a section's articles, a term's name, the order, the site), and
    no article's came or went."""
    changed = set()
    listings: Listings = []
    came: Listings = []
    added = 0
    for name, mark in now.marks.items():
        old = last.marks.get(name)
        if old != mark:
            if not name.startswith("#"):  # (a slug never starts so: brief.slugs)
                if old is None:
                    return None  # an article that came
            elif name not in _OVERVIEWS:
                listing = _listing(name)
                if listing is None:
                    return None
                if old is None:
                    came.append(listing[1:])
                    added += 1
                elif not listing[0]:
                    listings.append(listing[1:])
                else:
                    return None  # (a tag's or author's name, the same slug)
            changed.add(name)
    went: Listings = []
    if len(now.marks) - added != len(last.marks):
        for name in last.marks.keys() - now.marks.keys():
            listing = _listing(name)
            if listing is None:
                return None  # an article, or a section, that went
            went.append(listing[1:])
            changed.add(name)
    return changed, listings, sorted(set(came)), sorted(set(went))


def _listing(name: str) -> tuple[bool, str, str] | None:
    """Whether the mark ``name`` is the name mark of a tag or author (or the mark of its
    articles), with its kind and slug; None for any other mark."""
    kind = _LISTINGS.get(name[: name.find(":") + 1])
    if kind is not None:
        return False, kind, name[len(kind) + 2 :]
    for kind, start in _NAMES.items():
        if name.startswith(start):
            return True, kind, name[len(start) :]
    return None


_NAMES = {kind: term_name_dep(kind, "") for kind in ("tag", "author")}
"""The start of the name mark of a tag and of an author (``#name:tag:``, then its slug)."""
