"""Atom and JSON feeds (brief.feeds), checked on real sites with a real feed parser.

Sites are indexed and rendered the way build.py does (load → index → render the
Markdown), then ``feed_files`` is called directly, so these tests do not depend
on where the build writes the feeds.
"""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from conftest import BUILD_TIME
from helpers import REPO, article, make_site

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.content.authors import load_profiles
from brief.content.load import load_articles
from brief.errors import errors_in
from brief.render.contract import ArticleView
from brief.render.feeds import absolute_links, feed_files
from brief.render.markdown import Renderer
from brief.render.views import render_articles
from brief.render.xmldoc import clean_xml_text
from brief.site.index import build_index
from brief.site.model import Site

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = 'A </script> "quoted" & <b>bold</b> Ünïcode'
SCRATCH_BASE = "https://news.example.com/desk/"
SECTIONS = ("Economy", "Climate", "Technology")
START = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
ROOT_RELATIVE = re.compile(r"""\s(?:href|src)\s*=\s*["']?/(?!/)""")
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9" width="160" height="90"></svg>'


def index_site(root: Path, now: datetime = BUILD_TIME, *, future: bool = False) -> tuple[Site, dict[str, ArticleView]]:
    """The index and rendered views of the site at ``root``, made as build.py makes them."""
    config = load_config(root)
    loaded = load_articles(config)
    profiles, profile_problems = load_profiles(config)
    site, problems = build_index(
        loaded.articles,
        config,
        drafts=False,
        future=future,
        now=now,
        invalid_slugs=frozenset(loaded.invalid.values()),
        profiles=profiles,
        pages=loaded.pages,
    )
    urls = {a.path.resolve(): site.url(a.url_path) for a in site.articles}
    unbuilt = frozenset(p for p, a in site.by_path.items() if a.slug not in site.built)
    views, _, md_problems = render_articles(site, Renderer(config, urls, unbuilt, frozenset(loaded.invalid)))
    found = loaded.problems + profile_problems + problems + md_problems
    assert not errors_in(found), [p.format() for p in found]
    return site, views


def scratch_site(tmp_path: Path, count: int = 60, config: str = "") -> Path:
    """``count`` articles two hours apart, three sections, overlapping tags; the newest has a hostile title."""
    files: dict[str, str | bytes] = {"static/images/hero.svg": SVG}
    for i in range(count):
        body = (
            f"Body of story {i}, with a [link to the one before](story-{max(i - 1, 0):03}.md),\n"
            "a [page of the site](/about/), an [external one](https://example.com/x) and a\n"
            '[scheme-relative one](//cdn.example.com/x.js). Code reads `<a href="/not-a-link">`.\n\n'
            "![A chart](/images/hero.svg)\n\nA claim.[^1]\n\n[^1]: A source.\n"
        )
        files[f"content/story-{i:03}.md"] = article(
            body,
            title=HOSTILE if i == count - 1 else f"Story {i}",
            date=(START + timedelta(hours=2 * i)).isoformat(),
            dek=f"Dek of story {i}." if i % 2 else None,
            updated=(START + timedelta(hours=2 * i + 1)).isoformat() if i % 5 == 0 else None,
            section=SECTIONS[i % 3],
            tags=[f"Tag {i % 4}", "Everything"] if i % 4 else ["Everything"],
            authors=["Ana Ortiz", "Bo Li"] if i % 2 else None,
            image={"src": "/images/hero.svg", "alt": f"Hero {i}"} if i % 3 == 0 else None,
            takeaways=[f"Takeaway **{i}**.", "Second point."],
            analysis={"label": "Market View", "byline": "Ana Ortiz, Editor", "body": f"Analysis of {i}."}
            if i % 2
            else None,
        )
    toml = (
        f'title = "Scratch & <Co>"\ndescription = "Briefs, tested."\nbase_url = "{SCRATCH_BASE}"\n'
        f'language = "en-GB"\n{config}[publisher]\nname = "Scratch Media"\nlogo = "/images/hero.svg"\n'
    )
    return make_site(tmp_path, files, toml)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Site, dict[str, ArticleView], dict[str, bytes]]:
    site, views = index_site(scratch_site(tmp_path_factory.mktemp("feeds")))
    return site, views, dict(feed_files(site, views, BUILD_TIME))


def parse(data: bytes) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def raw_contents(data: bytes) -> list[str]:
    """The content HTML of each entry as written (feedparser sanitizes and resolves it)."""
    return [e.find(f"{ATOM}content").text for e in ET.fromstring(data).iter(f"{ATOM}entry")]


def parsed_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    assert parsed.tzinfo is not None, value
    return parsed


def test_feed_files_yields_every_feed(scratch):
    site, _, files = scratch
    expected = {"feed.xml", "feed.json", "corrections/feed.xml"}
    expected |= {f"sections/{slug}/feed.xml" for slug in site.sections}
    expected |= {f"tags/{slug}/feed.xml" for slug in site.tags}
    assert set(files) == expected
    assert "sections/economy/feed.xml" in files and "tags/everything/feed.xml" in files
    assert all(not path.startswith("/") for path in files)


def test_main_atom_feed(scratch):
    site, views, files = scratch
    data = files["feed.xml"]
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"')
    assert b"ns0:" not in data
    feed = parse(data)
    newest = [views[a.slug] for a in site.articles[:20]]
    assert feed.feed.id == SCRATCH_BASE
    assert feed.feed.title == "Scratch & <Co>"
    assert feed.feed.subtitle == "Briefs, tested."
    assert feed.feed.language == "en-GB"
    links = {link.rel: link for link in feed.feed.links}
    assert links["self"].href == SCRATCH_BASE + "feed.xml"
    assert (links["alternate"].href, links["alternate"].type) == (SCRATCH_BASE, "text/html")
    assert feed.feed.author_detail.name == "Scratch Media"
    assert feed.feed.generator == "brief"
    assert feed.feed.icon == SCRATCH_BASE + "images/favicon.svg"
    assert feed.feed.logo == SCRATCH_BASE + "images/hero.svg"
    assert parsed_time(feed.feed.updated) == max(v.updated or v.date for v in newest)

    assert len(feed.entries) == 20 < len(site.articles)
    assert [e.id for e in feed.entries] == [v.canonical for v in newest]
    published = [parsed_time(e.published) for e in feed.entries]
    assert published == sorted(published, reverse=True)
    assert published == [v.date for v in newest]
    for entry, view in zip(feed.entries, newest):
        assert entry.id.startswith(SCRATCH_BASE) and entry.link == entry.id
        assert parsed_time(entry.updated) == (view.updated or view.date) >= parsed_time(entry.published)
        assert [a.name for a in entry.authors] == [site.term("author", n).name for n in view.authors]
        assert all(a.href.startswith(SCRATCH_BASE + "authors/") for a in entry.authors)
        assert entry.tags[0].label == view.section and entry.tags[0].scheme == SCRATCH_BASE + "sections/"
        if view.dek:
            assert entry.summary == view.dek
    # feedparser fills in a missing summary from the content: look at what was written.
    summaries = [e.find(f"{ATOM}summary") for e in ET.fromstring(data).iter(f"{ATOM}entry")]
    assert [s.text if s is not None else None for s in summaries] == [v.dek for v in newest]
    assert feed.entries[0].title == HOSTILE
    assert feed.entries[0].title_detail.type == "text/plain"


def test_entry_content_is_the_whole_article_with_absolute_links(scratch):
    site, views, files = scratch
    contents = raw_contents(files["feed.xml"])
    for html, art in zip(contents, site.articles):
        view = views[art.slug]
        n = int(art.slug.rsplit("-", 1)[1])
        assert "<h2>Key Takeaways</h2>" in html and f"<li>Takeaway <strong>{n}</strong>.</li>" in html
        assert f"Body of story {n}" in html
        assert html.index("Key Takeaways") < html.index(f"Body of story {n}")
        if view.analysis:
            assert "<h2>Market View</h2>" in html and f"Analysis of {n}." in html and "Ana Ortiz, Editor" in html
            assert html.index("Market View") < html.index(f"Body of story {n}")
        if view.image:
            assert f'<img src="{SCRATCH_BASE}images/hero.svg" alt="Hero {n}" width="160" height="90">' in html
        assert not ROOT_RELATIVE.search(html), html
        assert f'<a href="{SCRATCH_BASE}about/">' in html
        assert f'<img src="{SCRATCH_BASE}images/hero.svg" alt="A chart"' in html
        previous = site.all_articles[f"story-{max(n - 1, 0):03}"]
        assert f'<a href="{site.absolute_url(previous.url_path)}">' in html
        assert '<a href="//cdn.example.com/x.js">' in html
        assert "<code>&lt;a href=&quot;/not-a-link&quot;&gt;</code>" in html
        assert "/desk/desk/" not in html
    # Readers resolve what stays relative (footnote links) against the article.
    entry = parse(files["feed.xml"]).entries[0]
    assert f'href="{views[site.articles[0].slug].canonical}#fn1"' in entry.content[0].value


def test_json_feed(scratch):
    site, views, files = scratch
    feed = json.loads(files["feed.json"].decode("utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] == "Scratch & <Co>"
    assert feed["home_page_url"] == SCRATCH_BASE
    assert feed["feed_url"] == SCRATCH_BASE + "feed.json"
    assert feed["description"] == "Briefs, tested."
    assert feed["language"] == "en-GB"
    assert feed["authors"] == [{"name": "Scratch Media", "url": SCRATCH_BASE}]
    newest = [views[a.slug] for a in site.articles[:20]]
    items = feed["items"]
    assert [i["id"] for i in items] == [i["url"] for i in items] == [v.canonical for v in newest]
    assert items[0]["title"] == HOSTILE
    assert "Ünïcode" in files["feed.json"].decode("utf-8")  # ensure_ascii=False
    atom_contents = raw_contents(files["feed.xml"])
    for item, view, art, atom_html in zip(items, newest, site.articles, atom_contents):
        assert item["content_html"] == atom_html
        assert parsed_time(item["date_published"]) == view.date
        assert parsed_time(item["date_modified"]) == (view.updated or view.date)
        assert item.get("summary") == view.dek
        assert item["tags"] == [art.section, *art.tags]
        assert [a["name"] for a in item["authors"]] == [site.term("author", n).name for n in art.authors]
        assert all(a["url"].startswith(SCRATCH_BASE + "authors/") for a in item["authors"])
        assert item.get("image") == (SCRATCH_BASE + "images/hero.svg" if view.image else None)


def test_section_and_tag_feeds_hold_only_their_articles(scratch):
    site, views, files = scratch
    for kind, terms, title in (
        ("sections", site.sections, "{} — Scratch & <Co>"),
        ("tags", site.tags, "Tag: {} — Scratch & <Co>"),
    ):
        for slug, term in terms.items():
            feed = parse(files[f"{kind}/{slug}/feed.xml"])
            page = f"{SCRATCH_BASE}{kind}/{slug}/"
            assert feed.feed.id == page
            assert feed.feed.title == title.format(term.name)
            links = {link.rel: link.href for link in feed.feed.links}
            assert links == {"self": page + "feed.xml", "alternate": page}
            assert [e.id for e in feed.entries] == [views[a.slug].canonical for a in term.articles[:20]]
            assert len(feed.entries) == min(20, len(term.articles))
    # "Everything" is on all 60 articles; "Tag 1" on 15 of them.
    assert len(parse(files["tags/everything/feed.xml"]).entries) == 20
    assert len(parse(files["tags/tag-1/feed.xml"]).entries) == 15


def test_feed_size_is_configurable(tmp_path):
    site, views = index_site(scratch_site(tmp_path, 12, "feed_size = 5\n"))
    files = dict(feed_files(site, views, BUILD_TIME))
    assert len(parse(files["feed.xml"]).entries) == 5
    assert len(json.loads(files["feed.json"])["items"]) == 5
    assert len(parse(files["sections/economy/feed.xml"]).entries) == 4
    assert len(parse(files["tags/tag-2/feed.xml"]).entries) == 3


def test_golden_site_with_base_path(tmp_path):
    site, views = index_site(REPO / "tests" / "sites" / "golden")
    files = dict(feed_files(site, views, BUILD_TIME))
    feed = parse(files["feed.xml"])
    base = "https://example.org/briefs/"
    # Drafts and scheduled articles are not in the build, so not in the feeds.
    assert [e.id for e in feed.entries] == [
        base + p for p in ("2026/03/harbour-reopens/", "2026/02/rail-link-delay/", "2026/01/budget-vote/")
    ]
    harbour = feed.entries[0]
    assert harbour.title == 'Harbour Reopens After "Storm" Repairs <script>'
    assert harbour.published == "2026-03-02T09:15:00+01:00"  # read in the site's zone, Europe/Berlin
    assert harbour.updated == "2026-03-04T10:30:00+01:00"  # its correction, later than updated:
    assert feed.feed.updated == harbour.updated
    html = raw_contents(files["feed.xml"])[0]
    assert f'<img src="{base}2026/03/harbour-reopens/port.svg"' in html
    assert f'<a href="{base}2026/02/rail-link-delay/#h-timeline">' in html
    assert "<h2>Market View</h2>" in html and "Mara Lind, Economics Editor" in html
    assert "&lt;script&gt;" in html  # raw HTML in the body stays escaped
    assert "/briefs/briefs/" not in files["feed.xml"].decode() + files["feed.json"].decode()
    assert not ROOT_RELATIVE.search(html)
    assert feed.feed.logo == base + "images/logo.svg"
    assert json.loads(files["feed.json"])["items"][0]["image"] == base + "2026/03/harbour-reopens/port.svg"
    assert [e.id for e in parse(files["sections/economy/feed.xml"]).entries] == [harbour.id]


def test_sample_site_feeds():
    site, views = index_site(REPO)
    files = dict(feed_files(site, views, BUILD_TIME))
    for path, data in files.items():
        if path.endswith(".xml"):
            feed = parse(data)
            assert all(e.id.startswith("https://meridian.example.org/") for e in feed.entries)
            assert not any(ROOT_RELATIVE.search(html) for html in raw_contents(data))
    assert len(parse(files["feed.xml"]).entries) == min(20, len(site.articles)) > 0
    assert len(json.loads(files["feed.json"])["items"]) == min(20, len(site.articles))


def test_site_without_articles(tmp_path):
    site, views = index_site(make_site(tmp_path, {}, 'base_url = "https://example.net/"\n'))
    now = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    files = dict(feed_files(site, views, now))
    assert set(files) == {"feed.xml", "feed.json", "corrections/feed.xml"}
    for path in ("feed.xml", "corrections/feed.xml"):
        feed = parse(files[path])
        assert feed.entries == [] and parsed_time(feed.feed.updated) == now
    assert feed.feed.get("subtitle") is None  # no description set
    assert json.loads(files["feed.json"])["items"] == []


def test_characters_illegal_in_xml_are_dropped(scratch):
    site, views, _ = scratch
    slug = site.articles[0].slug
    bad = dict(views)
    bad[slug] = dataclasses.replace(views[slug], title="\x0bBell\x07 and\ufffe tab\tok", dek="Nul\x00 dek")
    files = dict(feed_files(site, bad, BUILD_TIME))
    entry = parse(files["feed.xml"]).entries[0]
    assert entry.title == "Bell and tab\tok"
    assert entry.summary == "Nul dek"
    assert json.loads(files["feed.json"])["items"][0]["title"] == "Bell and tab\tok"
    assert clean_xml_text("a\x01b\r\n\u2028c\U0001f600") == "ab\r\n\u2028c\U0001f600"


def test_absolute_links_only_rewrite_attributes_of_tags():
    origin = "https://example.org"
    html = (
        '<p><a href="/a/">x</a> <img alt="" src=\'/i.png\'> <a href=/bare>y</a> '
        '<a href="//cdn/x">z</a> <a href="https://e/">w</a> <a href="#fn1">1</a> '
        '<code>href=&quot;/text&quot; href=/text</code> <a title="a > b" href="/t/">t</a></p>'
    )
    assert absolute_links(html, origin) == (
        '<p><a href="https://example.org/a/">x</a> <img alt="" src=\'https://example.org/i.png\'> '
        '<a href=https://example.org/bare>y</a> <a href="//cdn/x">z</a> <a href="https://e/">w</a> '
        '<a href="#fn1">1</a> <code>href=&quot;/text&quot; href=/text</code> '
        '<a title="a > b" href="https://example.org/t/">t</a></p>'
    )


def test_feeds_are_deterministic(scratch):
    site, views, files = scratch
    assert dict(feed_files(site, views, BUILD_TIME)) == files


def test_build_writes_the_feeds(tmp_path):
    """The build writes the feeds, exactly what feed_files makes."""
    root = REPO / "tests" / "sites" / "golden"
    out = tmp_path / "public"
    build(load_config(root), out, BuildOptions(now=BUILD_TIME))
    assert (out / "feed.xml").exists(), "the build wrote no feed.xml"
    site, views = index_site(root)
    for rel, data in feed_files(site, views, BUILD_TIME):
        assert (out / rel).read_bytes() == data, rel


def test_an_article_shown_in_many_feeds_is_written_once(scratch, monkeypatch):
    """The feeds of one plan make each article's entry once (an article is in the site's
    feed, its section's and each of its tags'), and write what each feed alone would."""
    from brief.render import feeds

    site, views, files = scratch
    made: list[str] = []
    entry = feeds._atom_entry
    monkeypatch.setattr(
        feeds, "_atom_entry", lambda site, view, origin: made.append(view.slug) or entry(site, view, origin)
    )
    again = dict(feed_files(site, views, BUILD_TIME))
    shown = sum(len(re.findall(rb"<entry>", data)) for path, data in again.items() if path != "corrections/feed.xml")
    assert len(made) == len(set(made)) < shown  # (each once: the slugs made are all different)
    for path, data in again.items():
        assert data == files[path], path  # (the fixture's feeds: made the same way)
        if path.endswith(".xml") and path != "corrections/feed.xml":
            alone = feeds.atom_feed(
                site, views, _articles_of(site, path), title=_title(data), page_path=_page(path), now=BUILD_TIME
            )
            assert alone == data, path  # (an entry memo of its own: every entry made for this feed)


def test_a_feed_with_an_entry_elementtree_must_write_is_written_whole(scratch, monkeypatch):
    from brief.render import feeds

    site, views, files = scratch
    monkeypatch.setattr(feeds, "indented_text", lambda element, level: None)  # (as for a namespaced element)
    assert dict(feed_files(site, views, BUILD_TIME)) == files


def _articles_of(site: Site, path: str) -> tuple:
    size = site.config.feed_size
    if path == "feed.xml":
        return site.articles[:size]
    kind, slug = path.split("/")[:2]
    return (site.sections if kind == "sections" else site.tags)[slug].articles[:size]


def _page(path: str) -> str:
    return "/" + path.removesuffix("feed.xml")


def _title(data: bytes) -> str:
    return ET.fromstring(data).find(f"{ATOM}title").text  # type: ignore[union-attr,return-value]


def test_entries_past_the_limit_are_made_for_each_feed(scratch, monkeypatch):
    """Once the entries kept reach their limit, an entry not kept is made again for each
    feed that shows it: the same feeds, more entries made."""
    from brief.render import feeds

    site, views, files = scratch
    made: list[str] = []
    entry = feeds._atom_entry
    monkeypatch.setattr(
        feeds, "_atom_entry", lambda site, view, origin: made.append(view.slug) or entry(site, view, origin)
    )
    monkeypatch.setattr(feeds.EntryTexts, "LIMIT", 1)  # (the first entry fills it)
    assert dict(feed_files(site, views, BUILD_TIME)) == files
    assert len(made) > len(set(made)) > 1
    assert made.count(made[0]) == 1  # (the first one kept: made once)
