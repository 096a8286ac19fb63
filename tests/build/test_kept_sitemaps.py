"""A cached build keeps the sitemaps it would make the same (brief.render.sitemaps.sitemap_plan):
their key is made of every page's path and last change as they are, so an edit of an
article's text makes none, and a change a reader of the sitemap sees (a time written with
another offset, a new page) makes them again as a clean build does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.render import sitemaps

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _cached(site: Path, out: Path) -> None:
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache))
    cache.save(site)


@pytest.mark.slow
def test_sitemaps_are_kept_while_no_page_or_last_change_differs(tmp_path, monkeypatch):
    site = make_site(
        tmp_path,
        {f"content/a{i}.md": article(f"Text {i}.\n", title=f"Story {i}", date=f"2024-0{i + 1}-02") for i in range(4)},
    )
    made: list[int] = []
    original = sitemaps._sitemaps
    monkeypatch.setattr(sitemaps, "_sitemaps", lambda *args: made.append(1) or original(*args))
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    _cached(site, cached)
    assert made == [1]

    def check(edit: str, remade: bool) -> None:
        made.clear()
        _cached(site, cached)
        assert made == ([1] if remade else []), edit
        build(load_config(site), clean, BuildOptions(now=NOW))
        assert tree(cached) == tree(clean), edit

    (site / "content/a1.md").write_text(article("Other text.\n", title="Story 1", date="2024-02-02"))
    check("text", remade=False)
    # The same moment, written with another offset: the sitemap shows the time as written.
    (site / "content/a1.md").write_text(article("Other text.\n", title="Story 1", date="2024-02-02T02:00:00+02:00"))
    check("offset", remade=True)
    assert "<lastmod>2024-02-02T02:00:00+02:00</lastmod>" in (cached / "sitemap.xml").read_text()
    (site / "content/a4.md").write_text(article("New.\n", title="Story 4", date="2024-06-02"))
    check("new article", remade=True)
    check("nothing", remade=False)
