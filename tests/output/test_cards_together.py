"""The order pages are made in (brief.output.pages.cards_together): the pages showing entry
cards newest first among themselves, every other page in its place."""

from __future__ import annotations

from datetime import UTC, datetime

from brief.output.pages import cards_together
from brief.render.plans import PageSpec


def _spec(name: str, template: str, day: int | None) -> PageSpec:
    when = datetime(2026, 1, day, tzinfo=UTC) if day is not None else None
    return PageSpec(f"{name}/index.html", f"/{name}/", when, template)


SPECS = [
    _spec("a1", "article.html", 5),
    _spec("front", "index.html", 9),
    _spec("front-2", "index.html", 3),
    _spec("economy", "list.html", 8),
    _spec("economy-2", "list.html", 2),
    _spec("empty-tag", "list.html", None),
    _spec("archive", "archive.html", 9),
    _spec("energy", "list.html", 3),
    _spec("search", "search.html", None),
]


def test_listing_pages_newest_first_in_the_listings_places():
    specs = SPECS
    order = [specs[i].path.strip("/") for i in cards_together(specs)]
    # articles, the archive and the search page where they were; the listings by last change,
    # equal ones in their own order, a listing with none last
    assert order == ["a1", "front", "economy", "front-2", "energy", "economy-2", "archive", "empty-tag", "search"]
    assert sorted(cards_together(specs)) == list(range(len(specs)))


def test_no_listing_keeps_the_order():
    specs = [_spec(f"a{i}", "article.html", 1 + i % 3) for i in range(6)]
    assert cards_together(specs) == list(range(6))


def test_some_positions_only_in_the_same_way():
    # (a cached build's edit: the kept pages are taken first, the others made in this order)
    order = [SPECS[i].path.strip("/") for i in cards_together(SPECS, [8, 3, 2, 0])]
    assert order == ["a1", "economy", "front-2", "search"]
    assert cards_together(SPECS, []) == []
