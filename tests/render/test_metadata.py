"""Search-engine and social metadata (brief.metadata, templates/partials/meta.html).

Real sites, no mocks: the golden fixture and a scratch site whose article is
full of hostile text are indexed and rendered the way brief/build.py does, each
page's Meta goes through the real partial, and the HTML is parsed back
(html.parser, not a regex) to check exact values.
"""

from __future__ import annotations

import dataclasses
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import BUILD_TIME
from helpers import TESTS, article, make_site

from brief.config import load_config
from brief.content.authors import load_profiles
from brief.content.load import load_articles
from brief.errors import errors_in
from brief.render.contract import FeedLink, Meta, PageView
from brief.render.markdown import Renderer
from brief.render.metadata import absolute, article_meta, front_meta, jsonld, og_locale, page_meta
from brief.render.templates import make_environment
from brief.render.views import render_articles
from brief.site.index import build_index

SITES = TESTS / "sites"
BASE = "https://example.org/briefs/"

HOSTILE_TITLE = "Rates </script><script>alert(1)</script> \"quoted\" & 'single' Ünïcode"
HOSTILE_DEK = "Dek </script><!-- \"d\" & 'e' <b>"
HOSTILE_SECTION = 'Desk </script> "S"'
HOSTILE_TAG = "Tag </SCRIPT > 'T' & \"U\""
HOSTILE_AUTHOR = 'Ann "A" </script> O\'Neil'
HOSTILE_ALT = "Alt </script> \"a\" & 'b'"
HOSTILE_DESCRIPTION = 'Site </script> "desc" & more'
REMOTE_IMAGE = "https://cdn.example.net/img/rates.jpg?w=1200&h=630"
REMOTE_LOGO = "https://cdn.example.net/logo.png"


# -- building the views the way brief/build.py does ---------------------------------------


@dataclasses.dataclass
class Built:
    config: object
    site: object
    views: dict
    env: object


def _build(root: Path, **index_options) -> Built:
    config = load_config(root)
    loaded = load_articles(config)
    profiles, problems = load_profiles(config)
    site, found = build_index(
        loaded.articles,
        config,
        drafts=False,
        future=False,
        now=BUILD_TIME,
        profiles=profiles,
        pages=loaded.pages,
        **index_options,
    )
    urls = {a.path.resolve(): site.url(a.url_path) for a in site.articles}
    views, _, rendered = render_articles(site, Renderer(config, urls))
    problems = loaded.problems + problems + found + rendered
    assert errors_in(problems) == [], problems
    return Built(config, site, views, make_environment(config, site))


def _article_page(built: Built, slug: str) -> tuple[PageView, object]:
    """The article's PageView as the render stage makes it, and the view."""
    view = built.views[slug]
    config = built.config
    page = PageView(
        f"{view.title} — {config.title}", view.dek or config.description or view.title, view.canonical, "article"
    )
    return page, view


def _front_page(built: Built) -> PageView:
    config = built.config
    return PageView(config.title, config.description or config.title, built.site.absolute_url("/"), "index")


class _Head(HTMLParser):
    """Collects <meta>, <link> and the text of each <script> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.og: list[tuple[str, str]] = []
        self.names: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: tuple[dict[str, str], list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "property" in a:
            self.og.append((a["property"], a["content"]))
        elif tag == "meta" and "name" in a:
            self.names.append((a["name"], a["content"]))
        elif tag == "link":
            self.links.append(a)
        elif tag == "script":
            self._script = (a, [])

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


@dataclasses.dataclass
class Parsed:
    html: str
    og: list[tuple[str, str]]
    twitter: list[tuple[str, str]]
    links: list[dict[str, str]]
    jsonld: list[dict]
    raw_scripts: list[str]

    def og_values(self, prop: str) -> list[str]:
        return [v for k, v in self.og if k == prop]

    def og1(self, prop: str) -> str:
        (value,) = self.og_values(prop)
        return value

    def tw(self, name: str) -> str:
        (value,) = [v for k, v in self.twitter if k == name]
        return value

    def of_type(self, kind: str) -> dict:
        (doc,) = [d for d in self.jsonld if d["@type"] == kind]
        return doc


def _render(built: Built, page: PageView, meta: Meta) -> Parsed:
    html = built.env.get_template("partials/meta.html").render(page=dataclasses.replace(page, meta=meta))
    return _parse(html)


def _parse(html: str) -> Parsed:
    head = _Head()
    head.feed(html)
    head.close()
    docs = []
    for attrs, body in head.scripts:
        if attrs.get("type") == "application/ld+json":
            docs.append(json.loads(body))
    return Parsed(html, head.og, head.names, head.links, docs, [body for _, body in head.scripts])


def _urls(value) -> list[str]:
    """Every string under a "url", "@id" or "item" key, or in "image", anywhere in a JSON-LD document."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("url", "@id", "item") and isinstance(item, str):
                found.append(item)
            elif key == "image":
                found.extend(item)
            else:
                found.extend(_urls(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(_urls(item))
    return found


# -- the golden site ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def golden() -> Built:
    return _build(SITES / "golden")


def test_golden_article_opengraph_and_twitter(golden):
    page, view = _article_page(golden, "harbour-reopens")
    out = _render(golden, page, article_meta(golden.site, page, view))
    url = BASE + "2026/03/harbour-reopens/"
    image = BASE + "2026/03/harbour-reopens/port.svg"
    title = 'Harbour Reopens After "Storm" Repairs <script>'
    dek = "The port's main quay is back in service three weeks early — and freight rates are already easing."
    assert out.og == [
        ("og:type", "article"),
        ("og:site_name", "Golden Gazette"),
        ("og:locale", "en_GB"),
        ("og:title", title),
        ("og:description", dek),
        ("og:url", url),
        ("og:image", image),
        ("og:image:alt", "Two harbour cranes over a dark blue quay"),
        ("og:image:width", "1200"),
        ("og:image:height", "675"),
        ("article:published_time", "2026-03-02T09:15:00+01:00"),
        ("article:modified_time", "2026-03-04T10:30:00+01:00"),  # its correction, later than updated:
        ("article:section", "Economy"),
        ("article:tag", "Shipping"),
        ("article:tag", "Ports"),
        ("article:author", BASE + "authors/mara-lind/"),
        ("article:author", BASE + "authors/jonas-ek/"),
    ]
    assert out.twitter == [
        ("twitter:card", "summary_large_image"),
        ("twitter:title", title),
        ("twitter:description", dek),
        ("twitter:image", image),
        ("twitter:image:alt", "Two harbour cranes over a dark blue quay"),
    ]
    assert out.links == []


def test_golden_article_jsonld(golden):
    page, view = _article_page(golden, "harbour-reopens")
    out = _render(golden, page, article_meta(golden.site, page, view))
    url = BASE + "2026/03/harbour-reopens/"
    title = 'Harbour Reopens After "Storm" Repairs <script>'
    assert [d["@type"] for d in out.jsonld] == ["NewsArticle", "BreadcrumbList"]
    assert out.of_type("NewsArticle") == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "description": "The port's main quay is back in service three weeks early — and freight rates are already easing.",
        "image": [BASE + "2026/03/harbour-reopens/port.svg"],
        "datePublished": "2026-03-02T09:15:00+01:00",
        "dateModified": "2026-03-04T10:30:00+01:00",
        "correction": [
            {
                "@type": "CorrectionComment",
                "text": "An earlier version said rates fell 6%; they fell 4% – as <b>the</b> rail link brief reported.",
                "datePublished": "2026-03-04T10:30:00+01:00",
            }
        ],
        "author": [
            {"@type": "Person", "name": "Mara Lind", "url": BASE + "authors/mara-lind/"},
            {"@type": "Person", "name": "Jonas Ek", "url": BASE + "authors/jonas-ek/"},
        ],
        "publisher": {
            "@type": "Organization",
            "name": "Golden Media",
            "logo": {"@type": "ImageObject", "url": BASE + "images/logo.svg"},
        },
        "articleSection": "Economy",
        "keywords": ["Shipping", "Ports"],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": "en-GB",
        "url": url,
    }
    assert out.of_type("BreadcrumbList") == {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "Golden Gazette", "item": BASE},
            {"@type": "ListItem", "position": 2, "name": "Economy", "item": BASE + "sections/economy/"},
            {"@type": "ListItem", "position": 3, "name": title, "item": url},
        ],
    }
    # The "<script>" of the title is escaped as JSON, never raw inside the element.
    assert all("<" not in body and ">" not in body for body in out.raw_scripts)
    assert "\\u003cscript\\u003e" in out.raw_scripts[0]


def test_golden_article_without_image_or_update(golden):
    """dateModified falls back to datePublished; no image gives a summary card and no image keys."""
    page, view = _article_page(golden, "budget-vote")
    out = _render(golden, page, article_meta(golden.site, page, view))
    news = out.of_type("NewsArticle")
    assert news["datePublished"] == news["dateModified"] == "2026-01-10T18:00:00+01:00"
    assert out.og1("article:published_time") == out.og1("article:modified_time") == "2026-01-10T18:00:00+01:00"
    assert "image" not in news
    assert news["author"] == [{"@type": "Person", "name": "Desk Staff", "url": BASE + "authors/desk-staff/"}]
    assert news["articleSection"] == "Politics" and news["keywords"] == ["Budget"]
    assert not [k for k, _ in out.og if k.startswith("og:image")]
    assert out.twitter == [
        ("twitter:card", "summary"),
        ("twitter:title", "Council Passes Budget"),
        ("twitter:description", "A narrow vote ends a month of talks."),
    ]
    crumbs = out.of_type("BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["item"]) for c in crumbs] == [
        (1, BASE),
        (2, BASE + "sections/politics/"),
        (3, BASE + "2026/01/budget-vote/"),
    ]


def test_golden_article_without_tags_has_no_keywords(golden):
    page, view = _article_page(golden, "rail-link-delay")
    out = _render(golden, page, article_meta(golden.site, page, view))
    assert "keywords" not in out.of_type("NewsArticle")
    assert out.og_values("article:tag") == []
    # No dek: the page description is the site's, as the render stage sets it.
    assert out.of_type("NewsArticle")["description"] == "A fixture publication for golden-file tests."


def test_golden_front_page(golden):
    page = _front_page(golden)
    out = _render(golden, page, front_meta(golden.site, page))
    assert out.og == [
        ("og:type", "website"),
        ("og:site_name", "Golden Gazette"),
        ("og:locale", "en_GB"),
        ("og:title", "Golden Gazette"),
        ("og:description", "A fixture publication for golden-file tests."),
        ("og:url", BASE),
    ]
    assert out.twitter == [
        ("twitter:card", "summary"),
        ("twitter:title", "Golden Gazette"),
        ("twitter:description", "A fixture publication for golden-file tests."),
    ]
    assert out.jsonld == [
        {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Golden Gazette",
            "url": BASE,
            "inLanguage": "en-GB",
            "description": "A fixture publication for golden-file tests.",
        },
        {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": "Golden Media",
            "url": BASE,
            "logo": {"@type": "ImageObject", "url": BASE + "images/logo.svg"},
        },
    ]


def test_listing_page_breadcrumb_and_feeds(golden):
    section_url = BASE + "sections/economy/"
    feed = FeedLink("Economy — Golden Gazette", section_url + "feed.xml", "application/atom+xml")
    page = PageView("Economy — Golden Gazette", "Economy briefs", section_url, "section", feeds=(feed,))
    out = _render(golden, page, page_meta(golden.site, page, [("Economy", section_url)]))
    assert out.og1("og:type") == "website"
    assert out.og1("og:url") == section_url
    assert out.og1("og:title") == "Economy — Golden Gazette"
    assert out.tw("twitter:card") == "summary"
    assert out.jsonld == [
        {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Golden Gazette", "item": BASE},
                {"@type": "ListItem", "position": 2, "name": "Economy", "item": section_url},
            ],
        }
    ]
    assert out.links == [
        {
            "rel": "alternate",
            "type": "application/atom+xml",
            "title": "Economy — Golden Gazette",
            "href": section_url + "feed.xml",
        }
    ]


def test_404_page_has_no_jsonld(golden):
    page = PageView(
        "Page not found — Golden Gazette", "A fixture publication for golden-file tests.", BASE + "404.html", "404"
    )
    out = _render(golden, page, page_meta(golden.site, page))
    assert out.jsonld == []
    assert out.og1("og:type") == "website" and out.og1("og:url") == BASE + "404.html"
    assert out.tw("twitter:card") == "summary"


def test_empty_meta_renders_nothing(golden):
    """PageView's defaults (no feeds, Meta()) render to nothing under StrictUndefined."""
    page = PageView("t", "d", BASE, "404")
    assert golden.env.get_template("partials/meta.html").render(page=page) == ""


# -- hostile text -------------------------------------------------------------------------

HOSTILE_CONFIG = f"""\
title = "Hostile </script> \\"Times\\""
description = {json.dumps(HOSTILE_DESCRIPTION)}
base_url = "{BASE}"
language = "de-AT"
timezone = "Europe/Vienna"

[publisher]
name = "Pub </script> & Co"
logo = "{REMOTE_LOGO}"
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Built:
    files = {
        "content/rates.md": article(
            title=HOSTILE_TITLE,
            dek=HOSTILE_DEK,
            date="2026-05-04T08:30:00",
            slug="rates",
            section=HOSTILE_SECTION,
            tags=[HOSTILE_TAG],
            authors=[HOSTILE_AUTHOR],
            image={"src": REMOTE_IMAGE, "alt": HOSTILE_ALT},
        ),
        "content/plain.md": article(
            title="Plain",
            date="2026-05-01",
            slug="plain",
            section=HOSTILE_SECTION,
            image={"src": REMOTE_IMAGE, "alt": "", "decorative": True},
        ),
    }
    return _build(make_site(tmp_path_factory.mktemp("hostile"), files, HOSTILE_CONFIG))


def test_hostile_article_round_trips_exactly(hostile):
    page, view = _article_page(hostile, "rates")
    out = _render(hostile, page, article_meta(hostile.site, page, view))
    for body in out.raw_scripts:
        assert "</script" not in body.lower() and "<!--" not in body
        assert "<" not in body and ">" not in body and "&" not in body
    news = out.of_type("NewsArticle")
    assert news["headline"] == HOSTILE_TITLE
    assert news["description"] == HOSTILE_DEK
    assert news["articleSection"] == HOSTILE_SECTION
    assert news["keywords"] == [HOSTILE_TAG]
    assert [a["name"] for a in news["author"]] == [HOSTILE_AUTHOR]
    assert news["image"] == [REMOTE_IMAGE]
    assert news["publisher"] == {
        "@type": "Organization",
        "name": "Pub </script> & Co",
        "logo": {"@type": "ImageObject", "url": REMOTE_LOGO},
    }
    assert news["inLanguage"] == "de-AT"
    assert news["datePublished"] == news["dateModified"] == "2026-05-04T08:30:00+02:00"
    crumbs = out.of_type("BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"]) for c in crumbs] == [
        (1, 'Hostile </script> "Times"'),
        (2, HOSTILE_SECTION),
        (3, HOSTILE_TITLE),
    ]
    assert [c["item"] for c in crumbs] == [BASE, BASE + "sections/desk-script-s/", BASE + "2026/05/rates/"]
    # Attribute values unescape to exactly the original text.
    assert out.og1("og:title") == out.tw("twitter:title") == HOSTILE_TITLE
    assert out.og1("og:description") == out.tw("twitter:description") == HOSTILE_DEK
    assert out.og1("og:site_name") == 'Hostile </script> "Times"'
    assert out.og1("og:locale") == "de_AT"
    assert out.og1("og:image") == out.tw("twitter:image") == REMOTE_IMAGE
    assert out.og1("og:image:alt") == out.tw("twitter:image:alt") == HOSTILE_ALT
    assert out.og_values("og:image:width") == []  # a remote image's size is not known
    assert out.og_values("article:section") == [HOSTILE_SECTION]
    assert out.og_values("article:tag") == [HOSTILE_TAG]
    assert out.og_values("article:author") == [BASE + "authors/ann-a-script-oneil/"]
    # The template escaped the attributes: nothing hostile is left raw outside the scripts.
    assert "<script>alert" not in out.html
    for doc in out.jsonld:
        assert all(u.startswith(("https://example.org/briefs/", "https://cdn.example.net/")) for u in _urls(doc))


def test_decorative_image_has_no_alt_keys(hostile):
    page, view = _article_page(hostile, "plain")
    out = _render(hostile, page, article_meta(hostile.site, page, view))
    assert out.og1("og:image") == REMOTE_IMAGE
    assert out.og_values("og:image:alt") == []
    assert out.tw("twitter:card") == "summary_large_image"
    assert [k for k, _ in out.twitter if k == "twitter:image:alt"] == []
    assert out.of_type("NewsArticle")["description"] == HOSTILE_DESCRIPTION


def test_hostile_front_page(hostile):
    page = _front_page(hostile)
    out = _render(hostile, page, front_meta(hostile.site, page))
    assert out.of_type("WebSite")["name"] == 'Hostile </script> "Times"'
    assert out.of_type("WebSite")["description"] == HOSTILE_DESCRIPTION
    assert out.of_type("Organization")["logo"] == {"@type": "ImageObject", "url": REMOTE_LOGO}
    assert out.og1("og:description") == HOSTILE_DESCRIPTION
    assert all("<" not in body for body in out.raw_scripts)


# -- helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("unsafe", ["<", ">", "&", "\u2028", "\u2029"])
def test_jsonld_escapes_each_unsafe_character_alone(unsafe):
    """Each character is escaped when it is the only one (the text is translated only when
    it holds one of them)."""
    text = str(jsonld({"a": f"x{unsafe}y", "b": "plain ü"}))
    assert unsafe not in text and json.loads(text) == {"a": f"x{unsafe}y", "b": "plain ü"}
    assert str(jsonld({"a": "plain ü"})) == '{"a":"plain ü"}'


def test_jsonld_escapes_for_script_and_round_trips():
    data = {"a": "</script><!-- & \u2028 \u2029 ü"}
    text = jsonld(data)
    assert str(text) == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028 \\u2029 ü"}'
    assert json.loads(text) == data
    assert str(text.__html__()) == str(text)  # Markup: the template must not escape it again


def test_absolute_keeps_base_path_once(golden):
    assert absolute(golden.site, "/briefs/a/b.jpg") == BASE + "a/b.jpg"
    assert absolute(golden.site, "https://cdn.example.net/x.jpg") == "https://cdn.example.net/x.jpg"


@pytest.mark.parametrize(
    "language, locale",
    [
        ("en-GB", "en_GB"),
        ("en", "en"),
        ("de-at", "de_AT"),
        ("zh-Hant-TW", "zh_TW"),
        ("es-419", "es_419"),
    ],
)
def test_og_locale(language, locale):
    assert og_locale(language) == locale


# -- end to end ---------------------------------------------------------------------------


def test_built_golden_site_carries_metadata(tmp_path):
    """A real build of the golden site: the article page and the front page carry their
    JSON-LD and OpenGraph, and each page's og:url is its canonical URL."""
    from brief.build import BuildOptions, build

    out = tmp_path / "public"
    build(load_config(SITES / "golden"), out, BuildOptions(now=BUILD_TIME))

    article_page = _parse((out / "2026/03/harbour-reopens/index.html").read_text(encoding="utf-8"))
    assert [d["@type"] for d in article_page.jsonld] == ["NewsArticle", "BreadcrumbList"]
    assert article_page.of_type("NewsArticle")["headline"] == 'Harbour Reopens After "Storm" Repairs <script>'
    assert article_page.og1("og:type") == "article"
    assert article_page.og1("og:url") == BASE + "2026/03/harbour-reopens/"
    assert article_page.tw("twitter:card") == "summary_large_image"
    canonical = [link["href"] for link in article_page.links if link.get("rel") == "canonical"]
    assert canonical == [BASE + "2026/03/harbour-reopens/"]

    front = _parse((out / "index.html").read_text(encoding="utf-8"))
    assert [d["@type"] for d in front.jsonld] == ["WebSite", "Organization"]
    assert front.og1("og:type") == "website" and front.og1("og:url") == BASE
    assert front.of_type("Organization")["logo"] == {"@type": "ImageObject", "url": BASE + "images/logo.svg"}

    second = _parse((out / "page/2/index.html").read_text(encoding="utf-8"))
    assert second.og1("og:url") == BASE + "page/2/"
    assert {d["@type"] for d in second.jsonld} <= {"BreadcrumbList"}
    # No text of the page opened a script element of its own: brief.js plus the JSON-LD only.
    for page in (article_page, front, second):
        assert len(page.raw_scripts) == 1 + len(page.jsonld)
