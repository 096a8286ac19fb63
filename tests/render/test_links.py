"""Every internal link of the built sample site resolves to a file in the output,
with and without a base_url path prefix. The crawl starts at the front page and
follows every href, src and form action, so it also proves every page is reachable."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from conftest import BUILD_TIME
from helpers import REPO
from hypothesis import given
from hypothesis import strategies as st

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.render.links import html_urls


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action") and value:  # the header's search form goes to /search/
                self.urls.append(value)
            if name == "id" and value:
                self.ids.add(value)


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _file_for(out: Path, base_path: str, url_path: str) -> Path | None:
    if not url_path.startswith(base_path):
        return None
    rel = unquote(url_path[len(base_path) :])
    target = out / rel
    if url_path.endswith("/"):
        target = target / "index.html"
    return target


@pytest.mark.parametrize("base_url", ["https://meridian.example.org/", "https://example.org/deep/briefs/"])
def test_crawl_resolves_every_internal_link(tmp_path, base_url):
    out = tmp_path / "public"
    config = load_config(REPO).with_base_url(base_url)
    build(config, out, BuildOptions(now=BUILD_TIME))
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
    base_path = urlsplit(base_url).path
    start = base_url
    seen: set[str] = set()
    queue = [start]
    broken: list[str] = []
    anchors: list[tuple[str, str, str]] = []
    ids: dict[str, set[str]] = {}
    while queue:
        page_url = queue.pop()
        if page_url in seen:
            continue
        seen.add(page_url)
        path = _file_for(out, base_path, urlsplit(page_url).path)
        assert path is not None and path.is_file(), page_url
        if path.suffix != ".html":
            continue
        links = _parse(path)
        ids[urlsplit(page_url).path] = links.ids
        for raw in links.urls:
            absolute = urljoin(page_url, raw)
            parts = urlsplit(absolute)
            if parts.scheme in ("mailto",) or f"{parts.scheme}://{parts.netloc}" != origin:
                continue  # external: share links, related external articles
            target = _file_for(out, base_path, parts.path)
            if target is None or not target.is_file():
                broken.append(f"{page_url} -> {raw}")
                continue
            if parts.fragment:
                anchors.append((page_url, parts.path, parts.fragment))
            queue.append(absolute.split("#")[0])
    assert broken == []
    missing = [f"{page} -> {path}#{frag}" for page, path, frag in anchors if path in ids and frag not in ids[path]]
    assert missing == []
    # every HTML page in the output is reachable from the front page (except the 404 page)
    built = {p for p in out.rglob("*.html") if p.name != "404.html"}
    reached = {_file_for(out, base_path, urlsplit(u).path) for u in seen}
    assert built - reached == set()
    assert len(seen) > 60


def test_feeds_and_sitemap_links_resolve(tmp_path):
    out = tmp_path / "public"
    base_url = "https://example.org/briefs/"
    build(load_config(REPO).with_base_url(base_url), out, BuildOptions(now=BUILD_TIME))
    text = "".join(
        (out / name).read_text() for name in ("feed.xml", "feed.json", "sitemap.xml", "news-sitemap.xml", "robots.txt")
    )
    urls = set(re.findall(r"https://example\.org/[^\s\"'<>)\\]*", text))
    assert urls
    bad = [u for u in urls if not (_file_for(out, "/briefs/", urlsplit(u).path) or Path("/nonexistent")).is_file()]
    assert bad == []


def _every_field_links(tmp_path: Path) -> Path:
    """One article with links in each field that holds Markdown, one of them twice."""
    from helpers import article, make_site

    text = article(
        "See [the body's](https://example.org/body) and [again](https://example.org/takeaway).\n",
        title="Links everywhere",
        takeaways=["A [takeaway's](https://example.org/takeaway) link."],
        analysis={"label": "Analysis", "body": "An [analysis link](https://example.org/analysis)."},
        image={"src": "https://example.org/hero.jpg", "alt": "A hero", "caption": "[Caption](https://example.org/c)"},
    )
    return make_site(tmp_path, {"content/links.md": text})


@pytest.mark.parametrize("where", ["tests/sites/golden", "tests/sites/edge", ".", "every field"])
def test_links_kept_with_the_rendered_markdown_are_those_of_the_view(where, tmp_path):
    """The build checks the links each article's rendered parts kept (found once, where the
    Markdown was rendered, and cached with it); ``brief check`` and the preview read them from
    the views. Both must be the same list, in the same order."""
    from test_feeds import index_site

    from brief.render.links import markdown_urls
    from brief.render.markdown import Renderer
    from brief.render.views import render_articles

    site, _ = index_site(_every_field_links(tmp_path) if where == "every field" else REPO / where)
    config = site.config
    urls = {a.path.resolve(): site.url(a.url_path) for a in site.articles}
    written: dict[str, tuple[tuple[str, str], ...]] = {}
    views, _, _ = render_articles(site, Renderer(config, urls), urls=written)
    assert written.keys() == views.keys()
    assert any(written.values())
    for slug, view in views.items():
        assert list(written[slug]) == markdown_urls(view), slug
    if where == "every field":
        assert [url for _, url in written["links"]] == [
            "https://example.org/body",
            "https://example.org/takeaway",
            "https://example.org/analysis",
            "https://example.org/c",
        ]


_PIECES = [
    ' href="',
    '\thref="',
    '\nsrc="',
    ' src="',
    'data-src="',
    'xhref="',
    '"',
    "a b",
    "/x?y=1&amp;z",
    "é",
    '\u2003href="',
]


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_the_urls_found_in_html_are_those_of_the_whitespace_rule(pieces):
    # html_urls looks after spaces alone when every href=" and src=" follows one (a faster
    # regex); whatever the HTML, it finds what the rule "whitespace, href or src, =\"" finds.
    html = "".join(pieces)
    rule = re.compile(r'\s(href|src)="([^"]*)"')
    expected = [(attr, unescape(url)) for attr, url in dict.fromkeys(rule.findall(html))]
    assert html_urls(html) == expected


def test_the_urls_of_a_rendered_article_are_found_after_spaces():
    html = '<p>See <a href="/2024/01/grid/">the grid</a> and <img src="/img/a.png" alt="A"></p>'
    assert html_urls(html) == [("href", "/2024/01/grid/"), ("src", "/img/a.png")]
    assert html_urls('<a\nhref="/x/">x</a> <img data-src="/no.png" src="/yes.png">') == [
        ("href", "/x/"),
        ("src", "/yes.png"),
    ]
