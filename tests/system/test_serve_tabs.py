"""``brief serve`` with many tabs in one browser: one live-reload connection for all of them.

Browsers open at most six HTTP/1.1 connections to a host; a stream per tab would leave the
seventh tab unable to load. live.js shares one stream through a SharedWorker
(/__brief/live-worker.js) and opens its own only where SharedWorker is missing. The
server's count of open streams is read from its -v log ("Live reload: … (N open)").
"""

from __future__ import annotations

import re
import time

from helpers import REPO, article, atomic_write, make_site
from test_serve import EventStreams

OPEN = re.compile(r"Live reload: \S+ (?:connected|gone) \((\d+) open\)")
ALPHA = "/2024/01/alpha/"
BETA = "/2024/01/beta/"


def _site(tmp_path):
    return make_site(
        tmp_path,
        {
            "content/alpha.md": article("Quokkas hop about the island. MARKER-ONE\n", title="Alpha", slug="alpha"),
            "content/beta.md": article("Zebras graze the savanna at dawn.\n", title="Beta", slug="beta"),
            "static/css/brief.css": (REPO / "static" / "css" / "brief.css").read_text(encoding="utf-8"),
        },
        config="search = false\n",
    )


def _open_counts(server) -> list[int]:
    return [int(m.group(1)) for line in server.stderr.splitlines() if (m := OPEN.search(line))]


def _wait_open(server, count: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not (_open_counts(server) and _open_counts(server)[-1] == count):
        assert time.monotonic() < deadline, f"expected {count} open streams, log says {_open_counts(server)[-5:]}"
        time.sleep(0.05)


def _open_tabs(context, url: str, count: int) -> list:
    tabs = []
    for i in range(count):
        page = context.new_page()
        started = time.monotonic()
        try:
            page.goto(url, timeout=5_000)
            page.wait_for_function("window.__briefLive === true", timeout=5_000)
        except Exception as exc:
            raise AssertionError(f"tab {i + 1} did not load and connect within 5 s") from exc
        assert time.monotonic() - started < 5, f"tab {i + 1} took {time.monotonic() - started:.1f} s"
        tabs.append(page)
    return tabs


def _all(tabs, script: str, what: str, timeout: int = 10_000) -> None:
    for i, page in enumerate(tabs):
        try:
            page.wait_for_function(script, timeout=timeout)
        except Exception as exc:
            raise AssertionError(f"tab {i + 1} of {len(tabs)} never showed {what}") from exc


def test_ten_tabs_share_one_live_reload_connection(browser, tmp_path, start_server):
    site = _site(tmp_path)
    server = start_server(site, "-v")
    context = browser.new_context()
    try:
        started = time.monotonic()
        tabs = _open_tabs(context, server.url.rstrip("/") + ALPHA, 10)
        print(f"\n10 tabs loaded and connected in {time.monotonic() - started:.2f} s")
        assert {page.evaluate("window.__briefLiveMode") for page in tabs} == {"shared"}
        _wait_open(server, 1)
        assert max(_open_counts(server)) == 1, _open_counts(server)

        # One save of the article every tab shows: every tab reloads and shows it.
        atomic_write(site / "content" / "alpha.md", article("Quokkas hop. MARKER-TWO\n", title="Alpha", slug="alpha"))
        _all(tabs, "document.readyState === 'complete' && document.body.innerText.includes('MARKER-TWO')", "the save")
        _all(tabs, "window.__briefLive === true", "live reload after reloading")
        _wait_open(server, 1)

        # A stylesheet save is swapped in place in every tab, without a navigation.
        for page in tabs:
            page.evaluate("window.__kept = 'yes'")
        with (site / "static" / "css" / "brief.css").open("a", encoding="utf-8") as css:
            css.write("\nbody { outline: 5px solid rgb(4, 5, 6) }\n")
        _all(tabs, "getComputedStyle(document.body).outlineColor === 'rgb(4, 5, 6)'", "the new stylesheet")
        assert [page.evaluate("window.__kept") for page in tabs] == ["yes"] * 10

        # A broken save shows the problems in every tab; the fix clears them in every tab.
        atomic_write(site / "content" / "alpha.md", article("Broken.\n", title="Alpha", slug="alpha", date="never"))
        _all(tabs, "document.getElementById('brief-problems') !== null", "the problems overlay")
        shown = tabs[-1].inner_text("#brief-problems dialog")
        assert "content/alpha.md:3\n" in shown and "\ndate: 'never' is not" in shown, shown
        atomic_write(site / "content" / "alpha.md", article("Fixed. MARKER-THREE\n", title="Alpha", slug="alpha"))
        _all(
            tabs,
            "!document.getElementById('brief-problems') && document.body.innerText.includes('MARKER-THREE')",
            "the fix",
        )
        _wait_open(server, 1)
        assert max(_open_counts(server)) <= 2, _open_counts(server)  # a worker replaced, never one per tab
    finally:
        context.close()


def test_an_update_reloads_only_the_tabs_showing_a_changed_page(browser, tmp_path, start_server):
    site = _site(tmp_path)
    server = start_server(site, "-v")
    context = browser.new_context()
    try:
        alpha = _open_tabs(context, server.url.rstrip("/") + ALPHA, 5)
        beta = _open_tabs(context, server.url.rstrip("/") + BETA, 5)
        _wait_open(server, 1)
        for page in alpha + beta:
            page.evaluate("window.__kept = 'yes'")
        done = server.rebuilds()
        atomic_write(site / "content" / "alpha.md", article("Quokkas. MARKER-FOUR\n", title="Alpha", slug="alpha"))
        _all(alpha, "document.body.innerText.includes('MARKER-FOUR')", "the save")
        server.wait_rebuilds(done)
        time.sleep(1.0)  # an update for the other pages would have arrived by now
        assert [page.evaluate("window.__kept") for page in alpha] == [None] * 5  # reloaded
        assert [page.evaluate("window.__kept") for page in beta] == ["yes"] * 5  # left alone
    finally:
        context.close()


def test_without_shared_worker_each_tab_connects_itself(browser, tmp_path, start_server):
    """The fallback: where SharedWorker is missing, live.js opens a stream per tab and
    everything still works (a few tabs: six connections is the browser's limit)."""
    site = _site(tmp_path)
    server = start_server(site, "-v")
    context = browser.new_context()
    context.add_init_script("delete window.SharedWorker")
    try:
        tabs = _open_tabs(context, server.url.rstrip("/") + ALPHA, 3)
        assert {page.evaluate("window.__briefLiveMode") for page in tabs} == {"tab"}
        _wait_open(server, 3)
        atomic_write(site / "content" / "alpha.md", article("Quokkas. MARKER-FIVE\n", title="Alpha", slug="alpha"))
        _all(tabs, "document.body.innerText.includes('MARKER-FIVE')", "the save")
    finally:
        context.close()


def test_a_browser_refused_past_the_cap_connects_when_a_place_frees(browser, tmp_path, start_server):
    """64 streams are open: a new browser's stream gets 503 and live.js tries again a few
    seconds later, and gets in once a place is free."""
    site = _site(tmp_path)
    server = start_server(site, "-v")
    streams = EventStreams(server.port, 64)
    context = browser.new_context()
    try:
        streams.wait_all(lambda names: names[:1] == ["hello"], 20, "hello")
        page = context.new_page()
        page.goto(server.url.rstrip("/") + ALPHA, timeout=5_000)
        server.wait_for(r"Live reload: 64 browsers connected, the most allowed", timeout=10)
        page.wait_for_timeout(500)
        assert page.evaluate("window.__briefLive") is None
        streams.sockets[0].close()
        page.wait_for_function("window.__briefLive === true", timeout=15_000)
        atomic_write(site / "content" / "alpha.md", article("Quokkas. MARKER-SIX\n", title="Alpha", slug="alpha"))
        page.wait_for_function("document.body.innerText.includes('MARKER-SIX')", timeout=10_000)
    finally:
        context.close()
        streams.close()
