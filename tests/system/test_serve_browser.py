"""``brief serve`` in headless Chromium: live reload keeps the scroll position, problems
show over the page and go away when fixed, CSS is swapped without a navigation, an open
page reconnects after a restart, and every save reaches the screen (of a large site too)
through the edited page's fast path. How quickly is measured by benchmarks/serve_latency.py,
not asserted here: a timed assertion only measures the machine the suite runs on.

The rest of ``brief serve`` (safety, debounce, load) is tested in tests/serve/test_serve.py.
"""

from __future__ import annotations

import contextlib
import re
import sys
import time
from pathlib import Path

import pytest
from conftest import ARTICLE_FILE, ARTICLE_URL
from helpers import REPO, ServeProcess, article, atomic_write

sys.path.insert(0, str(REPO / "benchmarks"))


# --- 1. the browser ------------------------------------------------------------------------


def _long_page(site: Path, marker: str) -> tuple[Path, str, str]:
    """The sample article made long enough to scroll, with ``marker`` in it: its file, its
    text as it was and the paragraphs added."""
    path = site / "content" / ARTICLE_FILE
    original = path.read_text(encoding="utf-8")
    filler = "".join(f"Filler paragraph {i} so the page is long enough to scroll.\n\n" for i in range(80))
    path.write_text(original + f"\n{marker}\n\n" + filler, encoding="utf-8")
    return path, original, filler


def test_live_reload_keeps_scroll_shows_problems_and_swaps_css(browser, sample_site, start_server):
    path, original, filler = _long_page(sample_site, "MARKER-ALPHA stays put.")
    server = start_server(sample_site)

    context = browser.new_context(viewport={"width": 1000, "height": 700})
    try:
        page = context.new_page()
        navigations = []
        page.on("framenavigated", lambda frame: frame == page.main_frame and navigations.append(frame.url))
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        page.wait_for_function("window.__briefLive === true", timeout=10_000)
        assert "MARKER-ALPHA" in page.inner_text("body")
        page.evaluate("window.scrollTo(0, 1500)")
        page.wait_for_function("Math.abs(window.scrollY - 1500) < 2", timeout=5_000)

        # An atomic save of the body: the new text appears without a manual reload, at the same place.
        atomic_write(path, original + "\nMARKER-BRAVO replaces it.\n\n" + filler)
        page.wait_for_function(
            "document.readyState === 'complete' && document.body.innerText.includes('MARKER-BRAVO')", timeout=10_000
        )
        page.wait_for_function("window.__briefLive === true", timeout=10_000)
        assert "MARKER-ALPHA" not in page.inner_text("body")
        try:
            page.wait_for_function("Math.abs(window.scrollY - 1500) <= 3", timeout=3_000)
        except Exception:
            pytest.fail(f"scroll position lost on reload: scrollY={page.evaluate('window.scrollY')}, expected 1500")

        # Broken front matter: the overlay names file, line, field and what is wrong.
        broken = original.replace("date: 2026-11-09T09:45:00", "date: not-a-date", 1)
        assert broken != original
        date_line = broken.splitlines().index("date: not-a-date") + 1
        atomic_write(path, broken + "\nMARKER-BRAVO replaces it.\n\n" + filler)
        problem = re.compile(rf"content/{re.escape(ARTICLE_FILE)}:{date_line}: date: (\S.*)")
        page.wait_for_selector("#brief-problems dialog[open]", timeout=10_000)
        overlay = page.inner_text("#brief-problems dialog")
        said = server.wait_for(problem)  # the terminal says the same
        assert f"content/{ARTICLE_FILE}:{date_line}\n" in overlay and f"\ndate: {said.group(1)}\n" in overlay, overlay

        # Fixed: the overlay goes away and the new content shows.
        atomic_write(path, original + "\nMARKER-CHARLIE after the fix.\n\n" + filler)
        page.wait_for_function(
            "!document.getElementById('brief-problems') && document.readyState === 'complete'"
            " && document.body.innerText.includes('MARKER-CHARLIE')",
            timeout=10_000,
        )
        page.wait_for_function("window.__briefLive === true", timeout=10_000)

        # A stylesheet edit is applied in place: no navigation, page state survives.
        page.evaluate("window.__marker = 'still here'")
        before = len(navigations)
        css = sample_site / "static" / "css" / "brief.css"
        with css.open("a", encoding="utf-8") as f:
            f.write("\nbody { outline: 7px solid rgb(1, 2, 3) }\n")
        page.wait_for_function("getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)'", timeout=10_000)
        assert page.evaluate("getComputedStyle(document.body).outlineWidth") == "7px"
        assert page.evaluate("window.__marker") == "still here"
        assert len(navigations) == before, navigations
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
    finally:
        context.close()


def test_a_save_while_the_page_reloads_keeps_the_scroll_position(browser, sample_site, start_server):
    """A second reload that comes before the page finished loading (a second save, or the
    full rebuild's update after the edited page's fast path) keeps the place the reader
    was at, not the scroll position of a page still loading. The browser's own restoration
    is turned off and the page's one image held back, so the page is caught mid-load."""
    path, original, filler = _long_page(sample_site, "MARKER-ALPHA")
    server = start_server(sample_site)

    context = browser.new_context(viewport={"width": 1000, "height": 700})
    context.add_init_script("history.scrollRestoration = 'manual'")
    held: list = []
    try:
        page = context.new_page()
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        page.wait_for_function("window.__briefLive === true && document.readyState === 'complete'", timeout=10_000)
        page.evaluate("window.scrollTo(0, 1500)")
        page.wait_for_function("Math.abs(window.scrollY - 1500) < 2", timeout=5_000)

        page.route("**/images/logo.svg", lambda route: held.append(route))  # "load" waits for it
        atomic_write(path, original + "\nMARKER-BRAVO\n\n" + filler)
        page.wait_for_function(
            "document.body.innerText.includes('MARKER-BRAVO') && window.__briefLive === true"
            " && document.readyState !== 'complete'",
            timeout=10_000,
        )
        assert page.evaluate("window.scrollY") == 0  # caught before brief restores the place
        atomic_write(path, original + "\nMARKER-CHARLIE\n\n" + filler)
        page.wait_for_function(
            "document.body.innerText.includes('MARKER-CHARLIE') && window.__briefLive === true", timeout=10_000
        )
        page.unroute("**/images/logo.svg")
        for route in held:
            with contextlib.suppress(Exception):  # the request of a page already left
                route.continue_()
        page.wait_for_function("document.readyState === 'complete'", timeout=10_000)
        try:
            page.wait_for_function("Math.abs(window.scrollY - 1500) <= 3", timeout=3_000)
        except Exception:
            pytest.fail(f"scroll position lost on reload: scrollY={page.evaluate('window.scrollY')}, expected 1500")
    finally:
        context.close()


def test_browser_reconnects_after_a_server_restart(browser, sample_site, start_server):
    """Stop the server, change the article while it is down, start it again on the same
    port: the open page reconnects by itself and shows the change."""
    first = start_server(sample_site)
    port = first.port
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(first.url.rstrip("/") + ARTICLE_URL)
        page.wait_for_function("window.__briefLive === true", timeout=10_000)
        first.stop()
        path = sample_site / "content" / ARTICLE_FILE
        atomic_write(path, path.read_text(encoding="utf-8") + "\nMARKER-AFTER-RESTART\n")
        start_server(sample_site, port=port)
        page.wait_for_function("document.body.innerText.includes('MARKER-AFTER-RESTART')", timeout=15_000)
    finally:
        context.close()


# --- 8. every save reaches the screen (speed: benchmarks/serve_latency.py) -------------------


def _save_to_dom(browser, server: ServeProcess, path: Path, url_path: str, rounds: int) -> list[float]:
    """Milliseconds from an atomic save of ``path`` to its new text in the open page, per save;
    each save waits for the previous rebuild to finish, as an editor's saves are seconds apart."""
    page = browser.new_page()
    try:
        page.goto(server.url.rstrip("/") + url_path)
        page.wait_for_function("window.__briefLive === true", timeout=10_000)
        original = path.read_text(encoding="utf-8")
        times = []
        for i in range(rounds):
            done = server.rebuilds()
            marker = f"Speed marker {i} {time.time_ns()}"
            page.wait_for_timeout(200)
            start = time.perf_counter()
            atomic_write(path, original + f"\n{marker}\n")
            page.wait_for_function(f"document.body && document.body.innerText.includes({marker!r})", timeout=30_000)
            times.append((time.perf_counter() - start) * 1000)
            server.wait_rebuilds(done, timeout=60)
        return times
    finally:
        page.close()


def test_every_save_reaches_the_page_on_the_sample_site(browser, sample_site, start_server):
    server = start_server(sample_site)
    times = _save_to_dom(browser, server, sample_site / "content" / ARTICLE_FILE, ARTICLE_URL, rounds=5)
    assert len(times) == 5
    shown = re.findall(r"Showed the edited page in (\d+) ms", server.stderr)
    assert len(shown) == 5, f"expected each save shown through the edited page's fast path:\n{server.stderr}"


def test_every_save_reaches_the_page_on_2000_articles(browser, tmp_path, start_server):
    """A large site: each save is shown through the edited page's fast path, before the whole
    rebuild that follows it. 2,000 articles rather than the 5,000 of benchmarks/serve_latency.py:
    what is tested here is that every save arrives, not how fast, and starting a preview of 5,000
    took most of this test's time (26 s, 11 s at 2,000)."""
    from corpus import write_corpus

    site = write_corpus(tmp_path / "corpus", 2000, seed=5)
    path = sorted((site / "content").glob("*.md"))[-1]
    year, month = re.search(r"date: '?(\d{4})-(\d{2})", path.read_text(encoding="utf-8")).groups()
    server = start_server(site, ready=False).wait_ready(timeout=120)
    times = _save_to_dom(browser, server, path, f"/{year}/{month}/{path.stem}/", rounds=3)
    assert len(times) == 3
    shown = re.findall(r"Showed the edited page in (\d+) ms", server.stderr)
    assert len(shown) == 3, f"expected each save shown through the edited page's fast path:\n{server.stderr}"


def test_quick_css_saves_leave_one_stylesheet(browser, sample_site, start_server):
    """Saves that come faster than the stylesheet loads (slowed down here) end with one
    link per stylesheet, carrying the last change."""
    server = start_server(sample_site)
    page = browser.new_page()
    try:
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        page.wait_for_function("window.__briefLive === true", timeout=10_000)
        count = page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length")

        def slow(route):
            time.sleep(0.4)
            route.continue_()

        page.route(re.compile(r".*\.css\?brief-reload=.*"), slow)
        css = sample_site / "static" / "css" / "brief.css"
        for i in range(1, 5):  # Playwright holds the requests until the page is waited on below
            done = server.rebuilds()
            with css.open("a", encoding="utf-8") as f:
                f.write(f"\nbody {{ outline: {i}px solid rgb(1, 2, 3) }}\n")
            server.wait_rebuilds(done)
            time.sleep(0.1)
        page.wait_for_function("getComputedStyle(document.body).outlineWidth === '4px'", timeout=10_000)
        page.wait_for_timeout(1000)
        assert page.evaluate("document.querySelectorAll('link[rel=stylesheet]').length") == count
        assert page.evaluate("getComputedStyle(document.body).outlineWidth") == "4px"
    finally:
        page.close()


# --- 9. a save in two steps ---------------------------------------------------------------


def test_a_two_step_save_never_flashes_the_overlay(browser, tmp_path, start_server):
    """vim renames the article away and writes the new one 150 ms later: for a moment the
    article is missing (and b.md, which links to it, broken), yet no tab ever shows the
    problems overlay, and the new text appears."""
    from test_serve_saves import linked_site, two_step_save

    site = linked_site(tmp_path)
    server = start_server(site)
    context = browser.new_context()
    # Record in sessionStorage (it survives the reload) any moment the overlay is in the page.
    context.add_init_script(
        "new MutationObserver(() => { if (document.getElementById('brief-problems'))"
        " sessionStorage.setItem('brief-flashed', '1'); }).observe(document, {childList: true, subtree: true});"
    )
    try:
        tabs = []
        for url in ("/2024/01/a/", "/2024/01/b/", "/"):
            page = context.new_page()
            page.goto(server.url.rstrip("/") + url)
            page.wait_for_function("window.__briefLive === true", timeout=10_000)
            tabs.append(page)
        before = len(server.lines)
        two_step_save(site / "content" / "a.md", article("SECOND-VERSION.\n", title="Alpha", slug="a"), 0.15, "rename")
        tabs[0].wait_for_function("document.body.innerText.includes('SECOND-VERSION')", timeout=10_000)
        tabs[0].wait_for_timeout(1000)
        assert [page.evaluate("sessionStorage.getItem('brief-flashed')") for page in tabs] == [None] * 3
        assert not [line for line in server.lines[before:] if "Error" in line], server.stderr
    finally:
        context.close()
