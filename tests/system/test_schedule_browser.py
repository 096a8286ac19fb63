"""A scheduled article in the preview, in headless Chromium: its embargo note and go-live time are
shown, fit a 360-px screen and pass axe-core (light and dark); the pages that show them are valid
HTML for the W3C Nu checker. The real preview server, its clock pinned by BRIEF_NOW."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess

import pytest
from helpers import article, make_site

CONFIG = 'title = "Harbour Brief"\nbase_url = "https://example.org/"\nsearch = false\ntimezone = "Europe/Paris"\n'
SCHEDULED = "/2026/12/port-corridor-talks/"
PAGES = [SCHEDULED, "/", "/sections/news/"]


@pytest.fixture
def preview(tmp_path, start_server, monkeypatch):
    monkeypatch.setenv("BRIEF_NOW", "2026-12-03T05:45:00Z")
    files = {
        "content/port-corridor-talks.md": article(
            "Talks resume.\n", title="Port corridor talks", date="2026-12-03T07:00:00", takeaways=["One"]
        ),
        "content/grid-batteries.md": article(
            "Storage.\n", title="Grid batteries", date="2026-12-02T10:30:00", takeaways=["Two"]
        ),
    }
    return start_server(make_site(tmp_path, files, CONFIG))


def _axe_serious(page, node_tool) -> list[str]:
    page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} [{v['impact']}] {v['help']}: {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_embargo_note_and_go_live_time_are_shown_and_accessible(browser, preview, node_tool, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    try:
        page = context.new_page()
        for path in PAGES:
            page.goto(preview.url.rstrip("/") + path)
            assert page.locator(".go-live").first.is_visible(), path
            assert page.locator(".go-live").first.inner_text() == "Goes live 3 December 2026, 07:00 CET (06:00 UTC)"
            if path == SCHEDULED:
                note = page.locator(".embargo-note")
                assert note.is_visible()
                assert note.inner_text().startswith("Embargoed until 3 December 2026, 07:00 CET (06:00 UTC).")
                box = note.bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
            serious = _axe_serious(page, node_tool)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert serious == [] and overflow <= 0, f"{path}: {serious}, {overflow}px too wide"
    finally:
        context.close()


def test_the_preview_pages_are_valid_html(preview, node_tool, tmp_path):
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    files = []
    for n, path in enumerate(PAGES):
        conn = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
        conn.request("GET", path)
        html = conn.getresponse().read().decode("utf-8")
        conn.close()
        assert "go-live" in html, path
        files.append(tmp_path / f"page-{n}.html")
        files[-1].write_text(html, encoding="utf-8")
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--stdout", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == [], "\n".join(errors)
