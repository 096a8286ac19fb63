"""Search (issue #8, part 1): the Pagefind index, the /search/ page, the header's search box.

Real builds and a real Pagefind run. Searches in headless Chromium over a loopback server,
and the real dev server's own index, are in tests/system/test_search_browser.py.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from helpers import REPO, article, make_site, run_build

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.output.writers import MemoryWriter


def _site(tmp_path: Path, config: str = "", **extra: str) -> Path:
    files = {
        "content/grid.md": article(
            title="Batteries Carry the Grid",
            section="Climate",
            tags=["Energy", "Storage"],
            takeaways=["Storage met the evening peak."],
            body="Storage operators saw a windless week; the outlook is mixed.\n\nThe word zanzibarite appears only here.\n",
        ),
        "content/rates.md": article(
            title="Central Banks Hold Steady",
            section="Economy",
            tags=["Rates"],
            date="2024-01-05",
            takeaways=["Rates stay put."],
            body="Rate setters waited for more data on wages; the outlook is calm.\n",
        ),
        **extra,
    }
    return make_site(tmp_path, files, f'title = "Searchable"\nbase_url = "https://example.org/"\n{config}')


def entry(out: Path) -> dict:
    return json.loads((out / "pagefind" / "pagefind-entry.json").read_text())


def test_build_indexes_only_article_bodies(tmp_path):
    site = _site(tmp_path)
    code, out, err = run_build(site)
    assert code == 0, err
    public = site / "public"
    languages = entry(public)["languages"]
    assert sum(lang["page_count"] for lang in languages.values()) == 2  # the two articles, no listing page
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-ui.css"} <= {p.name for p in (public / "pagefind").iterdir()}
    page = (public / "2024/01/grid/index.html").read_text()
    assert '<article class="brief" data-pagefind-body>' in page
    # Navigation sits outside the indexed element; share links and related lists are left out of it.
    assert page.index('class="site-header"') < page.index("data-pagefind-body")
    assert '<section class="share" aria-labelledby="brief-share-title" data-pagefind-ignore="all">' in page
    assert '<section class="related" aria-labelledby="brief-related-title" data-pagefind-ignore="all">' in page
    assert re.search(
        r'<a class="section-label" href="/sections/climate/" data-pagefind-filter="section">Climate</a>', page
    )
    assert re.search(r'rel="tag" data-pagefind-filter="tag">Energy</a>', page)
    front = (public / "index.html").read_text()
    assert "data-pagefind-body" not in front
    assert '<form class="site-search" role="search" action="/search/" method="get">' in front
    search = (public / "search/index.html").read_text()
    assert 'src="/pagefind/pagefind-ui.js"' in search and 'id="brief-search"' in search


def test_search_off_builds_no_index_page_or_box(tmp_path):
    site = _site(tmp_path, "search = false\n")
    code, _, err = run_build(site)
    assert code == 0, err
    public = site / "public"
    assert not (public / "pagefind").exists() and not (public / "search").exists()
    assert "site-search" not in (public / "index.html").read_text()
    assert "data-pagefind" in (public / "2024/01/grid/index.html").read_text()  # harmless markup stays


def test_unchanged_articles_reuse_the_index_and_an_edit_rebuilds_it(tmp_path):
    site = _site(tmp_path)
    assert run_build(site)[0] == 0
    public = site / "public"
    fragments = sorted((public / "pagefind/fragment").iterdir())
    inodes = {
        p: (public / "pagefind" / p).stat().st_ino for p in (f"fragment/{fragments[0].name}", "pagefind-entry.json")
    }
    # A template only the 404 page uses: every article page keeps its key, so does the index.
    (site / "templates").mkdir()
    shutil.copy(REPO / "templates/404.html", site / "templates/404.html")
    (site / "templates/404.html").write_text(
        (site / "templates/404.html").read_text().replace("Page not found", "Lost")
    )
    code, out, err = run_build(site, "-v")
    assert code == 0, err
    assert "unchanged)" in out, out
    # The index files are the previous build's, linked (a new Pagefind run would write new files).
    assert {p: (public / "pagefind" / p).stat().st_ino for p in inodes} == inodes
    # An article edit: a new index, with the new word in it.
    grid = site / "content/grid.md"
    grid.write_text(grid.read_text().replace("zanzibarite", "quokkalith"))
    assert run_build(site)[0] == 0
    assert sorted(p.name for p in (public / "pagefind/fragment").iterdir()) != [p.name for p in fragments]


def test_in_memory_builds_index_too(tmp_path):
    writer = MemoryWriter()
    build(load_config(_site(tmp_path)), None, BuildOptions(), writer=writer)
    assert "pagefind/pagefind.js" in writer.files and "search/index.html" in writer.files


def test_a_site_without_articles_has_no_search_yet(tmp_path):
    # Pagefind cannot index nothing; a search box that can find nothing would only mislead.
    site = make_site(tmp_path, {}, 'title = "Empty"\n')
    code, _, err = run_build(site)
    assert code == 0, err
    public = site / "public"
    assert not (public / "pagefind").exists() and not (public / "search").exists()
    assert "site-search" not in (public / "index.html").read_text()
