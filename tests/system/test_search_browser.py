"""Search (issue #8, part 1) in headless Chromium: the /search/ page finds articles (under a
path prefix too), the section facet narrows the results, the header's search box works with
and without JavaScript, and the preview server builds its own index.

The index itself (what is indexed, reuse, search = false) is tested in tests/output/test_search.py.
"""

from __future__ import annotations

import re
import time
from urllib.parse import quote

import pytest
from conftest import serve
from helpers import atomic_write
from test_search import _site

from brief.build import BuildOptions, build
from brief.config import load_config


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


_ALL_LOADED = (
    "[...document.querySelectorAll('.pagefind-ui__result')].every(e => e.querySelector('.pagefind-ui__result-link'))"
    " && document.querySelectorAll('.pagefind-ui__result').length > 0"
)
"""Every result shown has its link: Pagefind's UI shows a loading skeleton until a result's data arrives."""


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
        page.wait_for_function(_ALL_LOADED + " && document.querySelectorAll('.pagefind-ui__result').length === 1")
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
        page.wait_for_function(_ALL_LOADED, timeout=15000)
        assert page.locator(".pagefind-ui__result-link").all_inner_texts() == ["Central Banks Hold Steady"]
        assert page.input_value(".pagefind-ui__search-input") == "wages"
        page.close()


def test_preview_indexes_after_a_pause_and_after_edits(tmp_path, browser, start_server):
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
