"""Golden-file tests: a rendered article and the front page, byte for byte.

The fixture site tests/sites/golden has a base_url with a path prefix, a
draft and a scheduled article. After an intended change to templates or
rendering, regenerate the golden files and review the diff:

    BRIEF_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/render/test_golden.py

Content hashes in stylesheet and script names (``brief.3f2a1c9e.css``) are written as
``brief.HASH.css``, so a CSS edit does not change every golden page; tests/media/test_assets.py
checks the hashes themselves.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime

import pytest
from helpers import TESTS

from brief.build import BuildOptions, build
from brief.config import load_config

SITE = TESTS / "sites" / "golden"
GOLDEN = TESTS / "golden"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
HASHED = re.compile(r"\.[0-9a-f]{8}\.(css|js)\b")
PAGES = {
    "article.html": "2026/03/harbour-reopens/index.html",
    "author.html": "authors/mara-lind/index.html",
    "section.html": "sections/economy/index.html",
    "tags.html": "tags/index.html",
    "archive.html": "archive/index.html",
    "archive-year.html": "archive/2026/index.html",
    "404.html": "404.html",
    "article-minimal.html": "2026/02/rail-link-delay/index.html",
    "front-page.html": "index.html",
    "front-page-2.html": "page/2/index.html",
    "search.html": "search/index.html",
    "page.html": "about/index.html",
    "corrections.html": "corrections/index.html",
}


def unhashed(text: str) -> str:
    return HASHED.sub(r".HASH.\1", text)


@pytest.fixture(scope="module")
def golden_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden") / "public"
    result = build(load_config(SITE), out, BuildOptions(now=NOW))
    return out, result


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_matches_golden(golden_build, name):
    out, _ = golden_build
    actual = unhashed((out / PAGES[name]).read_text(encoding="utf-8"))
    expected_path = GOLDEN / name
    if os.environ.get("BRIEF_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        expected_path.write_text(actual, encoding="utf-8")
    assert expected_path.exists(), f"missing {expected_path}; run with BRIEF_UPDATE_GOLDEN=1"
    assert actual == expected_path.read_text(encoding="utf-8")


def test_golden_site_file_list(golden_build):
    """Drafts and scheduled articles stay out; the sample logo never leaks in from the theme."""
    out, result = golden_build
    files = sorted(
        {unhashed(p.relative_to(out).as_posix()) for p in out.rglob("*") if p.is_file() and "pagefind" not in p.parts}
    )
    assert {"pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "pagefind-entry.json"} <= {
        p.name for p in (out / "pagefind").iterdir()
    }
    assert files == [
        "2026/01/budget-vote/index.html",
        "2026/02/rail-link-delay/index.html",
        "2026/03/harbour-reopens/index.html",
        "2026/03/harbour-reopens/port.svg",
        "404.html",
        "about/index.html",
        "archive/2026/index.html",
        "archive/index.html",
        "authors/desk-staff/index.html",
        "authors/index.html",
        "authors/jonas-ek/index.html",
        "authors/mara-lind/index.html",
        "corrections/feed.xml",
        "corrections/index.html",
        "css/brief.HASH.css",
        "css/brief.css",
        "css/search.HASH.css",
        "css/search.css",
        "feed.json",
        "feed.xml",
        "images/favicon.svg",
        "images/logo.svg",
        "images/placeholder.svg",
        "index.html",
        "js/brief.HASH.js",
        "js/brief.js",
        "js/embeds.HASH.js",
        "js/embeds.js",
        "js/search.HASH.js",
        "js/search.js",
        "news-sitemap.xml",
        "page/2/index.html",
        "robots.txt",
        "search/index.html",
        "sections/economy/feed.xml",
        "sections/economy/index.html",
        "sections/index.html",
        "sections/politics/feed.xml",
        "sections/politics/index.html",
        "sections/transport/feed.xml",
        "sections/transport/index.html",
        "sitemap.xml",
        "tags/budget/feed.xml",
        "tags/budget/index.html",
        "tags/index.html",
        "tags/ports/feed.xml",
        "tags/ports/index.html",
        "tags/shipping/feed.xml",
        "tags/shipping/index.html",
    ]
    assert result.articles == 3
    assert "Golden Media" in (out / "images/logo.svg").read_text()
