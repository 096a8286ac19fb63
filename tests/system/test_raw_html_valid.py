"""Raw HTML sanitised by ``html = "safe"`` (the default) makes valid, accessible pages: an
article holding every kept construct, every hostile fragment of the fuzz test (as a block and
inside a paragraph), HTML blocks with Markdown between them, a wide table, a responsive local
image and an embed, built once, then checked by the W3C Nu HTML checker and by axe in Chromium
at a phone's width."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import serve
from helpers import article, make_site
from test_browser import axe_serious
from test_fuzz import HTML_FRAGMENTS, PNG_800, SAFE_HTML, SAFE_HTML_BLOCKS
from test_raw_html import KEPT, REMOVED

from brief.build import BuildOptions, build
from brief.config import load_config

ACROSS_BLOCKS = (
    "<details>\n<summary>More</summary>\n\nMarkdown **inside**, then a list:\n\n- one\n- two\n\n</details>\n\n"
    "<table><tr><td>\n\n> a quote in a cell\n\n</td><td>two</td></tr></table>\n\n"
    "<figure>\n\n![A chart](https://example.org/chart.png)\n\n<figcaption>Last</figcaption>\n\nAfter it.\n\n</figure>\n\n"
    "<ul>\n<li>a</li>\n\n<li>b</li>\n</ul>\n\n"
    "<div class=note>\n\nA note in Markdown\n\n</div>"
)
WIDE_TABLE = (
    "<table><tr>"
    + "".join(f"<th>Column {n} with a long heading</th>" for n in range(12))
    + "</tr><tr>"
    + "".join(f"<td>https://example.org/a/long/address/{n}</td>" for n in range(12))
    + "</tr></table>"
)
PAGE = "2024/01/raw/index.html"


@pytest.fixture(scope="module")
def raw_site(tmp_path_factory) -> Path:
    """The built site (its output folder) of one article full of raw HTML."""
    tmp_path = tmp_path_factory.mktemp("raw")
    fragments = [f for f in HTML_FRAGMENTS if "src=x" not in f]  # a missing image is an error, not a page
    body = "\n\n".join(
        [
            KEPT,
            REMOVED,
            WIDE_TABLE,
            '<figure><img src="wide.png" alt="A wide picture"><figcaption>Copied and resized</figcaption></figure>',
            '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Grid week"></iframe>',
            ACROSS_BLOCKS,
            *SAFE_HTML_BLOCKS,
            "Inline: " + " and ".join(fragments + SAFE_HTML).replace("\n", " "),
            # Last: an unclosed <!-- makes the rest one HTML block, and an unclosed <textarea> takes what follows.
            *fragments,
        ]
    )
    site = make_site(
        tmp_path,
        {
            "content/raw.md": article(
                body=body, title="Raw", takeaways=["A <b>bold <i>point"], image={"src": "wide.png", "alt": "Wide"}
            ),
            "content/wide.png": PNG_800,
        },
    )
    out = tmp_path / "out"
    build(load_config(site), out, BuildOptions())
    return out


def test_sanitised_raw_html_is_valid(raw_site, node_tool):
    page = raw_site / PAGE
    html = page.read_text(encoding="utf-8")
    for kept in ('<table class="data">', "<figcaption>Rates by region</figcaption>", "<summary>Method</summary>"):
        assert kept in html
    assert "<picture><source" in html and 'class="embed embed-youtube"' in html
    assert "alert(" not in html and "onerror" not in html
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--stdout", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    errors = [
        f"{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)


def test_sanitised_raw_html_is_accessible_and_fits_a_phone(raw_site, browser, node_tool):
    with serve(raw_site) as url:
        serious = axe_serious(browser, f"{url}/{PAGE}", 360, node_tool)
    assert serious == [], "\n".join(serious)
