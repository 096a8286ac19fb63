"""Corrections and updates as readers, search engines and feed readers get them: the notice
under the byline, the notes at the foot of the article, JSON-LD, OpenGraph, the feeds and
the sitemap; built into a scratch folder exactly as ``brief build`` does."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from helpers import make_site

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.errors import BuildFailed

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://news.example.org/desk/"
CONFIG = f'title = "Desk"\nbase_url = "{BASE}"\ntimezone = "Europe/London"\n'
NOTES = (
    "corrections:\n"
    "  - date: 2026-10-04T09:00:00\n"
    "    text: An earlier version gave the wrong *capacity*; it is 3 GW & rising, per [the operator](https://grid.example/).\n"
    "  - date: 2026-10-05T10:00:00\n"
    "    kind: update\n"
    "    text: Added Saturday's figures.\n"
    "  - date: 2026-10-06T08:00:00\n"
    "    text: The second correction.\n"
    "  - date: 2026-10-03T18:00:00\n"
    "    kind: update\n"
    "    text: The first update.\n"
)


def story(title: str, notes: str = "", extra: str = "", date: str = "2026-10-03T08:30:00") -> str:
    return f"---\ntitle: {title}\ndate: {date}\ntags: [Grid]\ntakeaways: [One]\n{extra}{notes}---\nThe body.\n"


def built(tmp_path: Path, files: dict[str, str], config: str = CONFIG) -> Path:
    site = make_site(tmp_path, files, config)
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    return site / "public"


def jsonld_article(html: str) -> dict:
    for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
        data = json.loads(block)
        if data["@type"] == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle")


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta property="{re.escape(name)}" content="([^"]*)">', html)
    assert found, name
    return found.group(1)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return built(
        tmp_path_factory.mktemp("corrections"),
        {
            "content/grid.md": story("Grid", NOTES, "updated: 2026-10-04T12:00:00\n"),
            "content/plain.md": story("Plain", date="2026-10-01", extra="updated: 2026-10-02T12:00:00\n"),
            "content/fixes.md": story(
                "Fixes", "corrections:\n  - date: 2026-10-02\n    text: Only a fix.\n", date="2026-10-01"
            ),
            "content/adds.md": story(
                "Adds",
                "corrections:\n  - date: 2026-10-02\n    text: Only an addition.\n    kind: update\n",
                date="2026-09-30",
            ),
        },
    )


def page(out: Path, slug: str) -> str:
    return (out / "2026" / ("09" if slug == "adds" else "10") / slug / "index.html").read_text(encoding="utf-8")


def test_the_notice_under_the_byline_names_the_newest_correction_and_update(out):
    html = page(out, "grid")
    assert (
        '<p class="correction-notice meta-line"><span class="meta-items">'
        '<a href="#corrections">Corrected <time datetime="2026-10-06T08:00:00+01:00">6 October 2026</time></a>'
        '<a href="#corrections">Updated <time datetime="2026-10-05T10:00:00+01:00">5 October 2026</time></a>'
        "</span></p>"
    ) in html
    assert html.index('class="byline meta-line"') < html.index('class="correction-notice')
    assert "byline-updated" not in html  # updated: is older than the notes, which say when it changed


def test_the_notes_at_the_foot_newest_first_with_their_ids(out):
    html = page(out, "grid")
    foot = html[html.index('<section class="corrections"') :]
    foot = foot[: foot.index("</section>")]
    assert '<section class="corrections" aria-labelledby="corrections">' in foot
    assert '<h2 id="corrections">Corrections and updates</h2>' in foot
    notes = re.findall(
        r'<li class="correction-note is-(\w+)" id="([\w-]+)">\s*<p class="correction-meta"><strong class="correction-kind">'
        r'(\w+)</strong> <time datetime="([^"]+)">([^<]+)</time></p>\s*<p class="correction-text">(.*?)</p>',
        foot,
    )
    assert notes == [
        (
            "correction",
            "correction-2",
            "Correction",
            "2026-10-06T08:00:00+01:00",
            "6 October 2026",
            "The second correction.",
        ),
        ("update", "update-2", "Update", "2026-10-05T10:00:00+01:00", "5 October 2026", "Added Saturday's figures."),
        (
            "correction",
            "correction-1",
            "Correction",
            "2026-10-04T09:00:00+01:00",
            "4 October 2026",
            'An earlier version gave the wrong <em>capacity</em>; it is 3 GW &amp; rising, per <a href="https://grid.example/">the operator</a>.',
        ),
        ("update", "update-1", "Update", "2026-10-03T18:00:00+01:00", "3 October 2026", "The first update."),
    ]
    # After the body, before the topics, the share links and the related articles.
    order = [
        html.index(m) for m in ('class="article-body"', 'class="corrections"', 'class="article-tags"', 'class="share"')
    ]
    assert order == sorted(order)
    assert html.count('id="corrections"') == 1


def test_the_heading_names_the_kinds_there_are(out):
    assert '<h2 id="corrections">Corrections</h2>' in page(out, "fixes")
    assert '<h2 id="corrections">Updates</h2>' in page(out, "adds")
    assert "Corrected <time" in page(out, "fixes") and "Updated <time" not in page(out, "fixes")
    plain = page(out, "plain")
    assert "correction" not in plain.replace("/corrections/", "")  # no notice, no section, no id
    assert (
        '<span class="byline-updated">Updated <time datetime="2026-10-02T12:00:00+01:00">2 October 2026</time></span>'
        in plain
    )


@pytest.mark.parametrize(
    ("updated", "shown"),
    [
        ("2026-10-09T12:00:00", "9 October 2026"),  # after the newest note, on another day: shown
        ("2026-10-06T12:00:00", None),  # the newest note's day: its notice says it
        ("2026-10-05T12:00:00", None),  # older than the newest note
    ],
)
def test_the_byline_says_updated_only_when_no_note_says_it(tmp_path, updated, shown):
    out = built(tmp_path, {"content/grid.md": story("Grid", NOTES, f"updated: {updated}\n")})
    found = re.findall(r'class="byline-updated">Updated <time datetime="[^"]+">([^<]+)</time>', page(out, "grid"))
    assert found == ([shown] if shown else [])


def test_json_ld_and_opengraph_carry_the_last_change_and_each_correction(out):
    html = page(out, "grid")
    data = jsonld_article(html)
    assert data["datePublished"] == "2026-10-03T08:30:00+01:00"
    assert data["dateModified"] == "2026-10-06T08:00:00+01:00"
    assert data["correction"] == [
        {"@type": "CorrectionComment", "text": "The second correction.", "datePublished": "2026-10-06T08:00:00+01:00"},
        {
            "@type": "CorrectionComment",
            "text": "An earlier version gave the wrong capacity; it is 3 GW & rising, per the operator.",
            "datePublished": "2026-10-04T09:00:00+01:00",
        },
    ]
    assert meta(html, "article:modified_time") == "2026-10-06T08:00:00+01:00"
    adds = jsonld_article(page(out, "adds"))  # an update is no correction: it only moves the dates
    assert "correction" not in adds and adds["dateModified"] == "2026-10-02T00:00:00+01:00"
    assert meta(page(out, "adds"), "article:modified_time") == "2026-10-02T00:00:00+01:00"
    plain = jsonld_article(page(out, "plain"))
    assert "correction" not in plain and plain["dateModified"] == "2026-10-02T12:00:00+01:00"


def test_the_feeds_move_the_entry_and_carry_the_notes(out):
    atom = (out / "feed.xml").read_bytes()
    parsed = feedparser.parse(atom)
    assert parsed.bozo == 0
    entries = {e.title: e for e in parsed.entries}
    assert entries["Grid"].updated == "2026-10-06T08:00:00+01:00"
    assert entries["Grid"].published == "2026-10-03T08:30:00+01:00"
    assert entries["Adds"].updated == "2026-10-02T00:00:00+01:00"
    root = ET.fromstring(atom)
    assert root.findtext(f"{ATOM}updated") == "2026-10-06T08:00:00+01:00"
    grid = next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == "Grid")
    content = grid.findtext(f"{ATOM}content") or ""
    assert content.endswith(
        "<hr>\n<h2>Corrections and updates</h2>\n<ul>\n"
        "<li><strong>Correction, 6 October 2026:</strong> The second correction.</li>\n"
        "<li><strong>Update, 5 October 2026:</strong> Added Saturday's figures.</li>\n"
        "<li><strong>Correction, 4 October 2026:</strong> An earlier version gave the wrong <em>capacity</em>; it is "
        '3 GW &amp; rising, per <a href="https://grid.example/">the operator</a>.</li>\n'
        "<li><strong>Update, 3 October 2026:</strong> The first update.</li>\n</ul>\n"
    )
    items = {i["title"]: i for i in json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]}
    assert items["Grid"]["date_modified"] == "2026-10-06T08:00:00+01:00"
    assert items["Grid"]["date_published"] == "2026-10-03T08:30:00+01:00"
    assert "<h2>Corrections and updates</h2>" in items["Grid"]["content_html"]
    assert items["Plain"]["date_modified"] == "2026-10-02T12:00:00+01:00"
    section = feedparser.parse((out / "sections/news/feed.xml").read_bytes())
    assert {e.title: e.updated for e in section.entries}["Grid"] == "2026-10-06T08:00:00+01:00"


def test_the_sitemap_moves_too(out):
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}2026/10/grid/</loc>\n    <lastmod>2026-10-06T08:00:00+01:00</lastmod>" in sitemap


def test_a_broken_link_in_a_note_is_reported_on_its_line(tmp_path):
    site = make_site(
        tmp_path,
        {"content/a.md": story("A", "corrections:\n  - date: 2026-10-04\n    text: See [the figures](missing.md).\n")},
        CONFIG,
    )
    with pytest.raises(BuildFailed) as info:
        build(load_config(site), site / "public", BuildOptions(now=NOW))
    assert [p.format() for p in info.value.problems] == [
        "content/a.md:8: corrections[0].text: link to a missing article: content/missing.md (expected the path "
        "of an article's .md file, relative to this file)"
    ]


# --- /corrections/ and its feed ----------------------------------------------------------------


def entries_of(html: str) -> list[tuple[str, str, str, str]]:
    return re.findall(
        r'<li class="archive-item">\s*<time datetime="([^"]+)">[^<]+</time>\s*<a href="([^"]+)">([^<]+)</a>\s*'
        r'<p class="archive-note">(.*?)</p>',
        html,
    )


def test_the_corrections_page_lists_every_correction_newest_first(out):
    html = (out / "corrections/index.html").read_text(encoding="utf-8")
    assert entries_of(html) == [  # corrections only: the updates stay on their articles
        ("2026-10-06T08:00:00+01:00", "/desk/2026/10/grid/#corrections", "Grid", "The second correction."),
        (
            "2026-10-04T09:00:00+01:00",
            "/desk/2026/10/grid/#corrections",
            "Grid",
            'An earlier version gave the wrong <em>capacity</em>; it is 3 GW &amp; rising, per <a href="https://grid.example/">the operator</a>.',
        ),
        ("2026-10-02T00:00:00+01:00", "/desk/2026/10/fixes/#corrections", "Fixes", "Only a fix."),
    ]
    assert "<title>Corrections — Desk</title>" in html
    assert '<span class="listing-count">3 corrections</span>' in html
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Corrections — Desk" href="{BASE}corrections/feed.xml">'
        in html
    )
    assert f'<a class="listing-feed" href="{BASE}corrections/feed.xml">Follow by feed</a>' in html
    assert '<a href="/desk/corrections/" aria-current="page">Corrections</a>' in html  # the footer's link
    assert '<a href="/desk/corrections/">Corrections</a>' in page(out, "grid")
    assert "How we correct mistakes" not in html  # the site has no corrections-policy page
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}corrections/</loc>\n    <lastmod>2026-10-06T08:00:00+01:00</lastmod>" in sitemap


def test_the_corrections_feed(out):
    data = (out / "corrections/feed.xml").read_bytes()
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0 and parsed.version == "atom10"
    assert parsed.feed.title == "Corrections — Desk"
    assert parsed.feed.updated == "2026-10-06T08:00:00+01:00"
    assert [link.href for link in parsed.feed.links] == [f"{BASE}corrections/feed.xml", f"{BASE}corrections/"]
    assert [(e.id, e.title, e.link, e.updated, e.published) for e in parsed.entries] == [
        (
            f"{BASE}2026/10/grid/#correction-2",
            "Correction: Grid",
            f"{BASE}2026/10/grid/#corrections",
            "2026-10-06T08:00:00+01:00",
            "2026-10-06T08:00:00+01:00",
        ),
        (
            f"{BASE}2026/10/grid/#correction-1",
            "Correction: Grid",
            f"{BASE}2026/10/grid/#corrections",
            "2026-10-04T09:00:00+01:00",
            "2026-10-04T09:00:00+01:00",
        ),
        (
            f"{BASE}2026/10/fixes/#correction-1",
            "Correction: Fixes",
            f"{BASE}2026/10/fixes/#corrections",
            "2026-10-02T00:00:00+01:00",
            "2026-10-02T00:00:00+01:00",
        ),
    ]
    root = ET.fromstring(data)
    first = root.find(f"{ATOM}entry")
    assert first is not None and first.findtext(f"{ATOM}content") == "The second correction."
    assert root.find(f"{ATOM}author/{ATOM}name") is not None  # the entries' author, for Atom


def test_the_corrections_page_is_paginated_at_the_archive_size(tmp_path):
    notes = "corrections:\n" + "".join(f"  - date: 2026-10-{10 + i}\n    text: Fix {i}.\n" for i in range(5))
    out = built(
        tmp_path,
        {"content/a.md": story("A", notes, date="2026-10-01"), "content/b.md": story("B", date="2026-10-02")},
        CONFIG + "archive_per_page = 2\nfeed_size = 3\n",
    )
    pages = [
        out / "corrections/index.html",
        out / "corrections/page/2/index.html",
        out / "corrections/page/3/index.html",
    ]
    texts = [[e[3] for e in entries_of(p.read_text(encoding="utf-8"))] for p in pages]
    assert texts == [["Fix 4.", "Fix 3."], ["Fix 2.", "Fix 1."], ["Fix 0."]]
    second = pages[1].read_text(encoding="utf-8")
    assert "<title>Corrections — Page 2 of 3 — Desk</title>" in second
    assert '<span class="listing-count">5 corrections</span> <span>Page 2 of 3</span>' in second
    assert 'href="/desk/corrections/" rel="prev"' in second and 'href="/desk/corrections/page/3/" rel="next"' in second
    assert not (out / "corrections/page/4").exists()
    assert len(feedparser.parse((out / "corrections/feed.xml").read_bytes()).entries) == 3  # feed_size
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{BASE}corrections/page/3/</loc>\n    <lastmod>2026-10-10T00:00:00+01:00</lastmod>" in sitemap


def test_without_corrections_the_page_and_feed_say_so(tmp_path):
    out = built(
        tmp_path,
        {
            "content/a.md": story("A", date="2026-10-01"),
            "content/b.md": story("B", "corrections:\n  - date: 2026-10-04\n    text: Added.\n    kind: update\n"),
            # A draft's corrections are not published.
            "content/c.md": story("C", "corrections:\n  - date: 2026-10-04\n    text: Fix.\n", "draft: true\n"),
            "content/pages/corrections-policy.md": "---\ntitle: How we correct\n---\nIn the open.\n",
        },
    )
    html = (out / "corrections/index.html").read_text(encoding="utf-8")
    assert entries_of(html) == []
    assert '<p class="entries-empty">No corrections have been published.</p>' in html
    assert '<span class="listing-count">0 corrections</span>' in html
    assert 'How we correct mistakes: <a href="/desk/corrections-policy/">How we correct</a>.' in html
    parsed = feedparser.parse((out / "corrections/feed.xml").read_bytes())
    assert parsed.bozo == 0 and parsed.entries == []
    assert parsed.feed.updated == "2026-10-01T00:00:00+01:00"  # the first article's: empty since then
    nothing = built(tmp_path / "empty", {})
    assert (nothing / "corrections/index.html").exists()
    assert feedparser.parse((nothing / "corrections/feed.xml").read_bytes()).feed.updated == "2026-11-01T12:00:00+00:00"


def test_nothing_else_may_take_the_corrections_page(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": story("A", extra="aliases: [/corrections/]\n"),
            "content/pages/corrections.md": "---\ntitle: Corrections policy\n---\nOur policy.\n",
        },
        CONFIG + '[redirects]\n"/corrections/" = "/archive/"\n"/fixes/" = "/corrections/"\n',
    )
    with pytest.raises(BuildFailed) as info:
        build(load_config(site), site / "public", BuildOptions(now=NOW))
    assert [p.format() for p in info.value.problems] == [
        'brief.toml:5: redirects."/corrections/": /corrections/ is also brief\'s own page /corrections/ '
        "(expected an old path that no page or file of the site uses)",
        "content/a.md:6: aliases[0]: /corrections/ is also brief's own page /corrections/ (expected an old "
        "address that no page or file of the site uses)",
        "content/pages/corrections.md: slug: the page's URL /corrections/ is also brief's own page /corrections/ "
        "(the list of corrections) (expected each page to have its own URL; set another slug:)",
    ]
    article_site = make_site(
        tmp_path / "article",
        {"content/x.md": story("X", extra="slug: corrections\n")},
        CONFIG + 'permalink = "/{slug}/"\n',
    )
    with pytest.raises(BuildFailed) as info:
        build(load_config(article_site), article_site / "public", BuildOptions(now=NOW))
    assert [p.format() for p in info.value.problems] == [
        "content/x.md: this article's page 'corrections/index.html' is also one of brief's own pages (expected "
        "another slug, or a permalink in brief.toml that keeps articles apart from tags/, sections/, authors/, "
        "archive/, corrections/ and search/)"
    ]
