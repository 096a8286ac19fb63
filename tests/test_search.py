"""Search (issue #8, part 1): the Pagefind index, the /search/ page, the header's search box.

Real builds, a real Pagefind run, searches in headless Chromium over a loopback server,
and the real dev server for the preview's own index.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REPO, serve
from helpers import article, make_site, run_build
from test_serve import atomic_write, start_server  # noqa: F401 - the fixture is used below

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


def _search(browser, url: str, query: str, **context) -> tuple[list[str], list[str], str]:
    page = browser.new_page(**context)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{url}search/?q={quote(query)}")
    # Done when the message says how many results there are and that many are shown.
    page.wait_for_function(
        """() => {
        const text = document.querySelector('.pagefind-ui__message')?.textContent || '';
        if (/no results/i.test(text)) return true;
        const found = text.match(/^(\\d+) results? for/);
        return found && document.querySelectorAll('.pagefind-ui__result-link').length === Math.min(+found[1], 5);
    }""",
        timeout=15000,
    )
    titles = page.locator(".pagefind-ui__result-link").all_inner_texts()
    hrefs = [a.get_attribute("href") for a in page.locator(".pagefind-ui__result-link").all()]
    message = page.inner_text(".pagefind-ui__message")
    # Not even the script-built UI holds a javascript: URL (Pagefind's form had one).
    assert (
        page.evaluate("""() => [...document.querySelectorAll('*')].flatMap(e => [...e.attributes])
        .filter(a => /^\\s*javascript:/i.test(a.value)).map(a => a.name)""")
        == []
    )
    assert page.get_attribute(".pagefind-ui__search-input", "aria-labelledby") == "brief-search-title"
    page.close()
    assert all(r.startswith(url.split("/", 3)[0] + "//" + url.split("/")[2]) for r in requests), requests
    return titles, hrefs, message


@pytest.mark.parametrize("prefix", ["", "briefs/"])
def test_search_in_a_browser_finds_the_article(tmp_path, browser, prefix):
    # Under a path prefix too: the site is served from a parent folder, as a host would.
    root = tmp_path / "root"
    with serve(root) as origin:
        url = f"{origin}/{prefix}"
        site = _site(tmp_path)
        build(load_config(site).with_base_url(url), root / prefix, BuildOptions())
        titles, hrefs, message = _search(browser, url, "zanzibarite")
        assert titles == ["Batteries Carry the Grid"], message
        assert hrefs == [f"/{prefix}2024/01/grid/"]
        # Words only in share links or related lists are not in the index.
        titles, _, message = _search(browser, url, "LinkedIn")
        assert titles == [] and "No results" in message


def test_section_facet_narrows_the_results(tmp_path, browser):
    site = _site(tmp_path)
    out = tmp_path / "public"
    build(load_config(site), out, BuildOptions())
    with serve(out) as origin:
        page = browser.new_page()
        page.goto(f"{origin}/search/?q=outlook")
        page.wait_for_selector(".pagefind-ui__filter-panel")
        page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length === 2", timeout=15000)
        section = page.locator("details.pagefind-ui__filter-block", has_text="Section")
        if section.get_attribute("open") is None:  # the UI opens the block when it is the only one
            section.locator("summary").click()
        page.get_by_label(re.compile("^Economy")).check()
        page.wait_for_function("document.querySelectorAll('.pagefind-ui__result').length === 1", timeout=15000)
        assert page.locator(".pagefind-ui__result-link").all_inner_texts() == ["Central Banks Hold Steady"]
        page.close()


def test_header_search_box_works_without_javascript(tmp_path, browser):
    site = _site(tmp_path)
    out = tmp_path / "public"
    build(load_config(site), out, BuildOptions())
    with serve(out) as origin:
        context = browser.new_context(java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{origin}/2024/01/grid/")
        page.fill("#brief-search-q", "central banks")
        page.press("#brief-search-q", "Enter")
        page.wait_for_url(re.compile(r"/search/\?q=central\+banks$"))
        assert "needs JavaScript" in page.inner_text(".search-noscript")
        context.close()
        # With JavaScript the same form lands on results, and the address keeps the query.
        page = browser.new_page()
        page.goto(f"{origin}/")
        page.fill("#brief-search-q", "wages")
        page.press("#brief-search-q", "Enter")
        page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
        assert page.locator(".pagefind-ui__result-link").all_inner_texts() == ["Central Banks Hold Steady"]
        assert page.input_value(".pagefind-ui__search-input") == "wages"
        page.close()


def test_preview_indexes_after_a_pause_and_after_edits(tmp_path, browser, start_server):  # noqa: F811
    site = _site(tmp_path)
    server = start_server(site)
    server.wait_for(r"Indexed 2 articles for search in \d+ ms", timeout=20)
    titles, _, _ = _search(browser, server.url, "zanzibarite")
    assert titles == ["Batteries Carry the Grid"]
    grid = site / "content/grid.md"
    atomic_write(grid, grid.read_text().replace("zanzibarite", "quokkalith"))
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if server.stderr.count("Indexed 2 articles for search") >= 2:
            break
        time.sleep(0.1)
    titles, _, _ = _search(browser, server.url, "quokkalith")
    assert titles == ["Batteries Carry the Grid"]
    assert "public" not in {p.name for p in site.iterdir()}  # the preview never writes the site


def test_a_site_without_articles_has_no_search_yet(tmp_path):
    # Pagefind cannot index nothing; a search box that can find nothing would only mislead.
    site = make_site(tmp_path, {}, 'title = "Empty"\n')
    code, _, err = run_build(site)
    assert code == 0, err
    public = site / "public"
    assert not (public / "pagefind").exists() and not (public / "search").exists()
    assert "site-search" not in (public / "index.html").read_text()
