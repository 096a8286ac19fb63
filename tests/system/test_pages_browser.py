"""A standalone page and a long ``[[menu]]`` in a real browser and in the Nu HTML checker:
valid HTML, no serious axe-core violation, nothing wider than a 360-px phone (the header's
links wrap), and the current page's menu item marked for assistive technology."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from conftest import BUILD_TIME, serve
from helpers import article, make_site
from test_browser import axe_serious

from brief.build import BuildOptions, build
from brief.config import load_config

MENU = [
    ("About", 'page = "about"'),
    ("Corrections policy", 'page = "corrections-policy"'),
    ("Masthead and contacts", 'page = "masthead"'),
    ("Economy", 'url = "/sections/economy/"'),
    ("Partner newsroom", 'url = "https://partner.example/"'),
]
PAGES = ["/about/", "/corrections-policy/", "/"]


@pytest.fixture(scope="module")
def pages_site(tmp_path_factory):
    config = 'title = "The Long-Named Harbour Courier"\nbase_url = "https://example.org/"\n' + "".join(
        f'\n[[menu]]\ntitle = "{title}"\n{target}\n' for title, target in MENU
    )
    body = "## Who we are\n\nA newsroom on the harbour. " * 3 + "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    files = {
        "content/pages/about.md": "---\ntitle: About us\ndek: Who writes the Courier.\nupdated: 2026-03-01\n---\n"
        + body,
        "content/pages/corrections-policy.md": "---\ntitle: Corrections policy\n---\nWe fix mistakes in the open.\n",
        "content/pages/masthead.md": "---\ntitle: Masthead\n---\nEditors and reporters.\n",
        "content/a.md": article(
            "Story. See [about us](pages/about.md).\n",
            title="A story",
            date="2026-11-20",
            section="Economy",
            takeaways=["A fact."],
        ),
    }
    site = make_site(tmp_path_factory.mktemp("pages-browser"), files, config)
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME))
    with serve(out) as url:
        yield out, url


def test_pages_with_a_menu_are_valid_html(pages_site, node_tool):
    out, _ = pages_site
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    files = [out / "about/index.html", out / "corrections-policy/index.html", out / "index.html"]
    files += [out / "2026/11/a/index.html"]
    result = subprocess.run(
        [java, "-jar", str(node_tool("vnu-jar/build/dist/vnu.jar")), "--errors-only", "--stdout", "--format", "json"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    assert [f"{m.get('url')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
    assert result.returncode == 0


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("width", [360, 1280])
def test_pages_with_a_menu_are_accessible(browser, pages_site, node_tool, path, width):
    _, url = pages_site
    serious = axe_serious(browser, url + path, width, node_tool)
    assert serious == [], "\n".join(serious)


@pytest.mark.parametrize("path", PAGES)
def test_the_header_wraps_on_a_phone(browser, pages_site, path):
    _, url = pages_site
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"horizontal scrolling of {overflow}px at 360px on {path}"
    boxes = page.eval_on_selector_all(
        ".site-nav a, .site-footer-nav a",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.right]; })",
    )
    # The theme's own links (four in the header, five in the footer) and the menu's in both.
    assert len(boxes) == 4 + 5 + 2 * len(MENU)
    outside = [name for name, left, right in boxes if left < 0 or right > 360]
    assert outside == []
    rows = {round(top) for top in page.eval_on_selector_all(".site-nav a", "els => els.map(e => e.offsetTop)")}
    assert len(rows) > 1, "the header's links should wrap onto more than one line at 360 px"
    current = page.eval_on_selector_all('[aria-current="page"]', "els => els.map(e => e.textContent)")
    expected = {"/about/": ["About", "About"], "/corrections-policy/": ["Corrections policy"] * 2, "/": ["Latest"]}
    assert current == expected[path]
    context.close()
