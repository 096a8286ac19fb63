"""The preview's problems overlay in headless Chromium, at 360 and 1280 px: every problem with
its file, line and marked source lines (the same lines as the terminal), above the whole page
(nothing of the masthead over its heading), closed by its button or Escape and back on the
next failing save, gone with the fix; no serious axe violation, light or dark; file text
never becomes markup."""

from __future__ import annotations

import re

import pytest
from conftest import ARTICLE_FILE, ARTICLE_URL
from helpers import atomic_write

SECOND_FILE = "grid-batteries-winter.md"
HOSTILE = '<img src=x onerror="window.__pwned = 1">'

# The overlay lives in the shadow root of #brief-problems.
OPEN = "(() => { const h = document.getElementById('brief-problems'); return !!h && h.shadowRoot.querySelector('dialog').open; })()"
GONE = "!document.getElementById('brief-problems')"
ITEMS = """() => [...document.getElementById('brief-problems').shadowRoot.querySelectorAll('li')].map(li => ({
    severity: li.className,
    heading: li.querySelector('h3').textContent,
    what: li.querySelector('p').textContent,
    rows: li.querySelector('pre') ? [...li.querySelectorAll('.row')].map(r => r.textContent) : null,
    marked: [...li.querySelectorAll('mark.row')].map(r => r.textContent),
}))"""
FOCUSED = """() => { const h = document.getElementById('brief-problems');
    return h && h.shadowRoot.activeElement && h.shadowRoot.activeElement.outerHTML; }"""


def _break(path, new_value: str) -> int:
    """Replace the article's ``date:`` line with ``new_value``; return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("date:"))
    lines[number] = f"date: {new_value}"
    atomic_write(path, "\n".join(lines))
    return number + 1


def _terminal_rows(server, where: str) -> list[str]:
    """The excerpt rows the terminal printed under the last problem line starting with ``where``."""
    lines = server.lines
    start = max(i for i, line in enumerate(lines) if line.startswith(where + ": "))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        rows.append(line)
    return rows


def _axe_serious(page, node_tool) -> tuple[list[str], list]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations', 'passes']})")
    serious = [
        f"{v['id']} [{v['impact']}] {v['help']}: {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    checked = [n["target"] for v in result["passes"] if v["id"] == "color-contrast" for n in v["nodes"]]
    return serious, checked


@pytest.mark.parametrize("width", [360, 1280])
def test_the_overlay_shows_every_problem_where_it_is(browser, sample_site, start_server, node_tool, width):
    first, second = sample_site / "content" / ARTICLE_FILE, sample_site / "content" / SECOND_FILE
    originals = {path: path.read_text(encoding="utf-8") for path in (first, second)}
    server = start_server(sample_site)
    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(server.url.rstrip("/") + ARTICLE_URL)
        page.wait_for_function("window.__briefLive === true", timeout=10_000)
        title = page.inner_text("h1")

        # Two articles broken: both shown, errors with their marked line, the same rows as the terminal.
        line_one = _break(first, "not-a-date")
        line_two = _break(second, HOSTILE)
        page.wait_for_function(OPEN, timeout=10_000)
        page.wait_for_function(f"({ITEMS})().filter(p => p.severity === 'error').length === 2", timeout=10_000)
        items = [item for item in page.evaluate(ITEMS) if item["severity"] == "error"]
        assert [item["heading"] for item in items] == [
            f"error content/{SECOND_FILE}:{line_two}",
            f"error content/{ARTICLE_FILE}:{line_one}",
        ]
        assert items[0]["what"].startswith(f"date: '{HOSTILE}' is not an ISO 8601 date")
        assert items[0]["marked"] == [f"> {line_two} | date: {HOSTILE}"]
        assert items[1]["marked"] == [f"> {line_one} | date: not-a-date"]
        for item, name, line in ((items[0], SECOND_FILE, line_two), (items[1], ARTICLE_FILE, line_one)):
            assert len(item["rows"]) == 5, item  # two lines either side
            server.wait_for(re.escape(f"content/{name}:{line}: date: "))
            assert [f"  {row}".rstrip() for row in item["rows"]] == _terminal_rows(server, f"content/{name}:{line}")
        # File text stays text: no element made of it, no script run.
        assert page.evaluate("document.getElementById('brief-problems').shadowRoot.querySelector('img')") is None
        assert page.evaluate("window.__pwned") is None

        # Focus is in the overlay, on its close button; it covers the page, its heading on top.
        assert page.evaluate(FOCUSED) == '<button type="button" autofocus="">Close</button>'
        box = page.evaluate(
            """() => { const root = document.getElementById('brief-problems').shadowRoot;
                const d = root.querySelector('dialog').getBoundingClientRect();
                const hits = [...root.querySelectorAll('h2, h3')].map(h => {
                    const r = h.getBoundingClientRect(); const x = r.left + r.width / 2, y = r.top + r.height / 2;
                    const hit = root.elementFromPoint(x, y);
                    return {outer: document.elementFromPoint(x, y).id, inner: hit === h || h.contains(hit)};
                });
                const dialog = root.querySelector('dialog');
                return {left: d.left, top: d.top, width: d.width, height: d.height, hits,
                        overflow: dialog.scrollWidth - dialog.clientWidth,
                        background: getComputedStyle(dialog).backgroundColor};
            }"""
        )
        assert (box["left"], box["top"], box["width"], box["height"]) == (0, 0, width, 800), box
        # The title and the first problem are in view, nothing over them.
        assert box["hits"][:2] == [{"outer": "brief-problems", "inner": True}] * 2, box
        assert box["overflow"] <= 0, box  # long lines scroll inside their excerpt, not the overlay
        assert box["background"].startswith("rgb("), box  # opaque: the masthead does not show through

        # Accessible, light and dark, overlay included.
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            page.wait_for_function("document.getAnimations().length === 0")  # the theme's colour transitions
            serious, checked = _axe_serious(page, node_tool)
            assert serious == [], f"{scheme}:\n" + "\n".join(serious)
            assert any("#brief-problems" in str(target) for target in checked), (scheme, checked[:5])
        page.emulate_media(color_scheme="light")

        # The close button hides it; the page (the last good version) is usable again.
        page.locator("#brief-problems button").click()
        page.wait_for_function(GONE, timeout=5_000)
        assert page.inner_text("h1") == title

        # The next failing save brings it back; Escape hides it too.
        _break(first, "still-not-a-date")
        page.wait_for_function(OPEN, timeout=10_000)
        assert page.evaluate(FOCUSED) == '<button type="button" autofocus="">Close</button>'
        page.keyboard.press("Escape")
        page.wait_for_function(GONE, timeout=5_000)
        _break(first, "never")
        page.wait_for_function(OPEN, timeout=10_000)

        # Fixed: the page reloads without the overlay.
        for path, text in originals.items():
            atomic_write(path, text + "\nMARKER-FIXED\n" if path == first else text)
        page.wait_for_function(
            f"{GONE} && document.readyState === 'complete' && document.body.innerText.includes('MARKER-FIXED')",
            timeout=15_000,
        )
    finally:
        context.close()
