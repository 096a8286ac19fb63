"""Corrections in a reader's browser and in the W3C Nu HTML checker: the sample's articles with
notes and ``/corrections/`` (its later pages, and the page of a site without corrections),
valid HTML, no serious axe-core violation in either colour scheme at 360 and 1280 px, and
the byline's notice leading to the notes."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import BUILD_TIME
from helpers import make_site
from test_browser import axe_serious

from brief.build import BuildOptions, build
from brief.config import load_config

CORRECTED = "/2026/10/shipping-lanes-detour-costs/"
BOTH_KINDS = "/2026/09/chip-packaging-bottleneck/"
PAGES = [CORRECTED, BOTH_KINDS, "/corrections/"]


def test_pages_with_corrections_are_valid_html(sample_output, node_tool, tmp_path):
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    notes = "corrections:\n" + "".join(f"  - date: 2026-10-1{i}\n    text: Fix *{i}* & more.\n" for i in range(3))
    paged = make_site(
        tmp_path / "paged",
        {
            "content/a.md": f"---\ntitle: A\ndate: 2026-10-01\ntakeaways: [One]\n{notes}---\nBody.\n",
            "content/b.md": "---\ntitle: B\ndate: 2026-10-02\ntakeaways: [Two]\n---\nBody.\n",
        },
        "archive_per_page = 2\n",
    )
    empty = make_site(tmp_path / "empty", {"content/a.md": "---\ntitle: A\ndate: 2026-10-01\n---\nBody.\n"})
    for site in (paged, empty):
        build(load_config(site), site / "public", BuildOptions(now=BUILD_TIME))
    pages = [sample_output / path.lstrip("/") / "index.html" for path in PAGES]
    pages += [paged / "public/corrections/index.html", paged / "public/corrections/page/2/index.html"]
    pages += [paged / "public/2026/10/a/index.html", empty / "public/corrections/index.html"]
    assert all(page.is_file() for page in pages)
    result = subprocess.run(
        [java, "-jar", str(node_tool("vnu-jar/build/dist/vnu.jar")), "--errors-only", "--stdout", "--format", "json"]
        + [str(page) for page in pages],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_pages_with_corrections_are_accessible(browser, sample_url, node_tool, path, width, scheme):
    serious = axe_serious(browser, sample_url + path, width, node_tool, scheme=scheme)
    assert serious == [], "\n".join(serious)


STYLES = """() => {
  const note = getComputedStyle(document.querySelector('.correction-note'));
  const notice = document.querySelector('.correction-notice a');
  const heading = document.querySelector('#corrections').getBoundingClientRect();
  return {border: note.borderLeftWidth, noticeFont: getComputedStyle(notice).fontFamily,
          top: heading.top, bottom: heading.bottom, hash: location.hash};
}"""


@pytest.mark.parametrize("width", [360, 1280])
def test_the_notice_leads_to_the_notes(browser, sample_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, reduced_motion="reduce")
    page = context.new_page()
    try:
        page.goto(sample_url + BOTH_KINDS)
        assert page.locator(".correction-notice a").all_inner_texts() == [
            "Updated 29 September 2026",
            "Corrected 26 September 2026",
        ]
        page.locator(".correction-notice a").first.click()
        page.wait_for_function("location.hash === '#corrections'")
        found = page.evaluate(STYLES)
        assert found["hash"] == "#corrections"
        assert found["top"] >= -1 and found["bottom"] <= 800, found  # the notes' heading is in view
        assert float(found["border"].removesuffix("px")) >= 2  # each note has its rule on the left
        assert "serif" not in found["noticeFont"].replace("sans-serif", "")
        assert page.locator(".corrections h2").inner_text().casefold() == "corrections and updates"
    finally:
        context.close()


def test_the_corrections_page_leads_to_the_notes_and_the_policy(browser, sample_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        page.goto(sample_url + "/corrections/")
        links = page.locator(".archive-item > a")
        assert links.all_inner_texts() == [
            "The Long Way Round Becomes the Normal Way",
            "The Long Way Round Becomes the Normal Way",
            "The Chip Shortage Moves to the Back End",
        ]
        assert page.locator(".listing-description a").get_attribute("href") == "/corrections-policy/"
        links.last.click()
        page.wait_for_url(f"{sample_url}{BOTH_KINDS}#corrections")
        assert page.locator("#correction-1").inner_text().startswith("Correction 26 September 2026")
    finally:
        context.close()
