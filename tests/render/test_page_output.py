"""Standalone pages built: ``/{slug}/`` with the site's header and footer, the ``[[menu]]``
in both (``aria-current`` on the current page's item), links between articles and pages,
and what pages stay out of (feeds, listings, related lists, news sitemap, search)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from helpers import article, make_site, run_build

from brief.build import BuildOptions, build
from brief.commands.check import check_site
from brief.config import load_config
from brief.errors import BuildFailed
from brief.output.writers import MemoryWriter
from brief.serve.rebuild import Preview, Watcher

NOW = datetime(2026, 5, 3, tzinfo=UTC)
SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='30'/>\n"
CONFIG = """\
title = "The Courier"
base_url = "https://example.org/briefs/"

[[menu]]
title = "About"
page = "about"

[[menu]]
title = "Masthead"
page = "masthead"
where = "footer"

[[menu]]
title = "Economy"
url = "/sections/economy/"
where = "header"

[[menu]]
title = "Partner"
url = "https://partner.example/"
where = "footer"
"""
ABOUT = """\
---
title: About us
dek: Who writes The Courier.
updated: 2026-03-01T10:00:00
---
We cover the harbour. Read [our first story](../news/story-one.md).

![The newsroom at night](office.svg)

## Contact

Write to the desk.
"""


def files() -> dict[str, str]:
    story = {"section": "Economy", "tags": ["Harbour"], "takeaways": ["A fact."]}
    return {
        "content/pages/about.md": ABOUT,
        "content/pages/office.svg": SVG,
        "content/masthead.md": "---\ntitle: Masthead\ntype: page\n---\nEditors and reporters.\n",
        "content/news/story-one.md": article(
            "Background: [who we are](../pages/about.md#contact).\n", title="Story one", date="2026-05-02", **story
        ),
        "content/news/story-two.md": article("More harbour news.\n", title="Story two", date="2026-05-01", **story),
    }


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("pages"), files(), CONFIG)
    result = build(load_config(site), site / "public", BuildOptions(now=NOW))
    assert result.warnings == []
    return site / "public"


def read(out, rel: str) -> str:
    return (out / rel).read_text(encoding="utf-8")


class _Navs(HTMLParser):
    """The links of the header's and the footer's <nav>: (text, href, aria-current)."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: dict[str, list[list]] = {}
        self._nav: str | None = None
        self._link: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._nav = attrs.get("aria-label")
            self.navs[self._nav] = []
        elif tag == "a" and self._nav:
            self._link = ["", attrs.get("href"), attrs.get("aria-current")]
            self.navs[self._nav].append(self._link)

    def handle_data(self, data):
        if self._link is not None:
            self._link[0] += data

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        elif tag == "nav":
            self._nav = None


def navs(html: str) -> dict[str, list[tuple]]:
    parser = _Navs()
    parser.feed(html)
    return {name: [tuple(link) for link in links] for name, links in parser.navs.items()}


def test_a_page_is_published_at_its_slug_with_the_site_s_chrome(out):
    html = read(out, "about/index.html")
    assert '<h1 class="standalone-title">About us</h1>' in html
    assert '<p class="dek">Who writes The Courier.</p>' in html
    assert '<time datetime="2026-03-01T10:00:00+00:00">1 March 2026</time>' in html
    assert "<title>About us — The Courier</title>" in html
    assert '<meta name="description" content="Who writes The Courier.">' in html
    assert '<link rel="canonical" href="https://example.org/briefs/about/">' in html
    assert '<body class="page-page">' in html and 'class="skip-link"' in html
    assert '<header class="site-header">' in html and '<footer class="site-footer">' in html
    assert 'role="search"' in html
    assert '<h2 id="h-contact">Contact</h2>' in html
    # an image next to the page is copied beside it
    assert re.search(
        r'<img src="/briefs/about/office.svg" alt="The newsroom at night"[^>]* width="40" height="30"', html
    )
    assert (out / "about/office.svg").read_text() == SVG
    # type: page outside content/pages/
    assert "Editors and reporters." in read(out, "masthead/index.html")
    assert not (out / "pages").exists()


def test_the_menu_is_in_the_header_and_the_footer(out):
    about = navs(read(out, "about/index.html"))
    assert about["Site"] == [
        ("Latest", "/briefs/", None),
        ("Sections", "/briefs/sections/", None),
        ("Topics", "/briefs/tags/", None),
        ("Archive", "/briefs/archive/", None),
        ("About", "/briefs/about/", "page"),
        ("Economy", "/briefs/sections/economy/", None),
    ]
    assert about["More"] == [
        ("The Courier", "/briefs/", None),
        ("Authors", "/briefs/authors/", None),
        ("Archive", "/briefs/archive/", None),
        ("Corrections", "/briefs/corrections/", None),
        ("Feed", "/briefs/feed.xml", None),
        ("About", "/briefs/about/", "page"),
        ("Masthead", "/briefs/masthead/", None),
        ("Partner", "https://partner.example/", None),
    ]
    masthead = navs(read(out, "masthead/index.html"))
    assert [link for link in masthead["More"] if link[2]] == [("Masthead", "/briefs/masthead/", "page")]
    assert [link for link in masthead["Site"] if link[2]] == []
    economy = navs(read(out, "sections/economy/index.html"))
    assert [link for link in economy["Site"] if link[2]] == [("Economy", "/briefs/sections/economy/", "page")]
    front = navs(read(out, "index.html"))
    assert [link for link in front["Site"] + front["More"] if link[2]] == [("Latest", "/briefs/", "page")]
    assert ("About", "/briefs/about/", None) in front["Site"]


def test_links_between_articles_and_pages_resolve(out):
    story = read(out, "2026/05/story-one/index.html")
    assert '<a href="/briefs/about/#h-contact">who we are</a>' in story
    assert '<a href="/briefs/2026/05/story-one/">our first story</a>' in read(out, "about/index.html")


def test_pages_stay_out_of_feeds_listings_related_and_the_news_sitemap(out):
    atom = ET.fromstring(read(out, "feed.xml"))
    titles = [e.findtext("{http://www.w3.org/2005/Atom}title") for e in atom.iter("{http://www.w3.org/2005/Atom}entry")]
    assert titles == ["Story one", "Story two"]
    assert [item["title"] for item in json.loads(read(out, "feed.json"))["items"]] == ["Story one", "Story two"]
    for rel in ("index.html", "sections/economy/index.html", "tags/harbour/index.html", "archive/2026/index.html"):
        assert "About us" not in read(out, rel) and "Masthead</a></h" not in read(out, rel), rel
    related = read(out, "2026/05/story-two/index.html").split('class="related"', 1)[1]
    assert "Story one" in related and "/briefs/about/" not in related.split("</section>")[0]
    news = read(out, "news-sitemap.xml")
    assert "/story-one/" in news and "/about/" not in news and "/masthead/" not in news


def test_pages_are_in_the_sitemap(out):
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = {u.findtext(f"{ns}loc"): u.findtext(f"{ns}lastmod") for u in ET.fromstring(read(out, "sitemap.xml"))}
    assert urls["https://example.org/briefs/about/"] == "2026-03-01T10:00:00+00:00"
    assert urls["https://example.org/briefs/masthead/"] is None
    assert "https://example.org/briefs/2026/05/story-one/" in urls


def test_the_search_index_holds_the_articles_only(out):
    """Pages are linked from every page's menu; the search is the archive's (section and tag
    filters, dates), so they are not indexed."""
    entry = json.loads(read(out, "pagefind/pagefind-entry.json"))
    assert [language["page_count"] for language in entry["languages"].values()] == [2]


def test_a_broken_link_in_a_page_fails_the_build_and_brief_check(tmp_path):
    broken = {**files(), "content/pages/about.md": ABOUT + "\nSee [the archive](/archvie/).\n"}
    site = make_site(tmp_path, broken, CONFIG)
    expected = (
        "content/pages/about.md:14: link /briefs/archvie/: no such page or file in the site "
        "(expected a page or file of this site; build with --no-link-check to publish anyway)"
    )
    with pytest.raises(BuildFailed) as info:
        build(load_config(site), None, BuildOptions(now=NOW, search=False), writer=MemoryWriter())
    assert [p.format() for p in info.value.problems] == [expected]
    assert expected in [p.format() for p in check_site(site).problems]
    site = make_site(tmp_path, {**broken, "content/pages/about.md": ABOUT + "\nSee [nothing](#nowhere).\n"})
    with pytest.raises(BuildFailed) as info:
        build(load_config(site), None, BuildOptions(now=NOW, search=False), writer=MemoryWriter())
    [problem] = info.value.problems
    assert problem.path == "content/pages/about.md" and problem.line == 14 and "#nowhere" in problem.message


def test_a_cached_build_follows_page_edits(tmp_path):
    site = make_site(
        tmp_path, files(), CONFIG.replace('base_url = "https://example.org/briefs/"\n', "search = false\n")
    )
    assert run_build(site)[0] == 0
    about = site / "content/pages/about.md"
    about.write_text(ABOUT.replace("title: About us", "title: About the Courier"), encoding="utf-8")
    code, _, err = run_build(site)
    assert code == 0, err
    assert "About the Courier" in (site / "public/about/index.html").read_text(encoding="utf-8")
    about.rename(site / "content/pages/who-we-are.md")
    code, _, err = run_build(site)
    assert code == 1 and "brief.toml:6: menu[0].page: no page with slug 'about'" in err
    assert "content/news/story-one.md:10: body: link to a missing article: content/pages/about.md" in err


def test_the_preview_rebuilds_when_a_page_or_the_menu_changes(tmp_path):
    site = make_site(tmp_path, files(), CONFIG)
    preview = Preview(site, "http://127.0.0.1:8000/")
    about = site / "content/pages/about.md"
    assert Watcher(preview)._relevant(about)
    preview.rebuild()
    assert not preview.snapshot.problems
    about.write_text(ABOUT.replace("We cover the harbour.", "We cover the harbour and the rail."), encoding="utf-8")
    preview.rebuild({str(about)})
    assert b"the harbour and the rail" in preview.snapshot.files["about/index.html"]
    config = site / "brief.toml"
    config.write_text(CONFIG.replace('title = "Partner"', 'title = "Our partner"'), encoding="utf-8")
    preview.rebuild({str(config)})
    assert b">Our partner</a>" in preview.snapshot.files["2026/05/story-two/index.html"]


def test_a_page_s_markdown_is_checked_as_an_article_s(tmp_path):
    """Leftover template syntax of another generator and a missing image, on their lines."""
    body = "Welcome.\n\nOur repository: {{ site.repository }}\n\n![Team](team.png)\n\n## Contact\n"
    site = make_site(tmp_path, {**files(), "content/pages/about.md": "---\ntitle: About us\n---\n" + body}, CONFIG)
    with pytest.raises(BuildFailed) as info:
        build(load_config(site), None, BuildOptions(now=NOW, search=False), writer=MemoryWriter())
    body_problems = [p for p in info.value.problems if p.field == "body"]
    assert [(p.path, p.line) for p in body_problems] == [("content/pages/about.md", 6), ("content/pages/about.md", 8)]
    assert "{{ site.repository }}" in body_problems[0].message
    assert "image not found: content/pages/team.png" in body_problems[1].message
    assert {p.path for p in info.value.problems} == {"content/pages/about.md"}
