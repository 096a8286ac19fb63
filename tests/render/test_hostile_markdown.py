"""Hostile Markdown (issue #7, part 2): deep nesting, huge tables, dangerous URLs, raw HTML.

Whole builds through the real CLI. The output is checked by parsing it, never by searching
for one spelling: every page and feed is read with :mod:`html.parser` (Atom and JSON feeds
too, their HTML content included), and every ``href``/``src``-like value is judged the way a
browser would: HTML entities decoded, whitespace and control characters removed, case folded.
test_markdown.py covers the renderer in-process; these are the end-to-end cases.
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import Raw, article, make_site, read_output, run_build, tree

URL_ATTRS = {"href", "src", "srcset", "action", "formaction", "poster", "data", "background", "xlink:href", "cite"}
BAD_SCHEME = re.compile(r"(javascript|vbscript|data):")
# The theme's scripts (under content-hashed names), Pagefind's UI on the search page, JSON-LD.
THEME_SCRIPT_SRC = re.compile(r"/js/(brief|search)\.[0-9a-f]{8}\.js|/pagefind/pagefind-ui\.js")
THEME_SCRIPTS = {(("type", "application/ld+json"),)}


@dataclass
class Element:
    where: str
    tag: str
    attrs: tuple[tuple[str, str | None], ...]
    text: str = ""


class _Collector(HTMLParser):
    def __init__(self, where: str) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.elements: list[Element] = []
        self._open_script: Element | None = None

    def handle_starttag(self, tag, attrs):
        element = Element(self.where, tag, tuple(attrs))
        self.elements.append(element)
        if tag == "script":
            self._open_script = element

    def handle_startendtag(self, tag, attrs):
        self.elements.append(Element(self.where, tag, tuple(attrs)))

    def handle_data(self, data):
        if self._open_script is not None:
            self._open_script.text += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._open_script = None


def html_elements(html: str, where: str) -> list[Element]:
    parser = _Collector(where)
    parser.feed(html)
    parser.close()
    return parser.elements


@dataclass
class Output:
    """Every element of every page, and every URL of every page, feed and sitemap."""

    elements: list[Element] = field(default_factory=list)
    urls: list[tuple[str, str, str]] = field(default_factory=list)
    """(file, where in it, value) — attribute values already entity-decoded."""


def read_site(public: Path) -> Output:
    out = Output()

    def add_html(html: str, where: str) -> None:
        for element in html_elements(html, where):
            out.elements.append(element)
            out.urls.extend(
                (where, f"<{element.tag} {name}>", value or "") for name, value in element.attrs if name in URL_ATTRS
            )

    for path in sorted(public.rglob("*")):
        rel = path.relative_to(public).as_posix()
        if path.suffix == ".html":
            add_html(path.read_text(encoding="utf-8"), rel)
        elif path.suffix == ".xml":
            for node in ET.parse(path).iter():
                name = node.tag.rpartition("}")[2]
                out.urls.extend(
                    (rel, f"<{name} {k}>", v) for k, v in node.attrib.items() if k.rpartition("}")[2] in URL_ATTRS
                )
                if name in ("loc", "id", "uri", "icon", "logo") and node.text:
                    out.urls.append((rel, f"<{name}>", node.text))
                if name in ("content", "summary", "title") and node.get("type") == "html" and node.text:
                    add_html(node.text, f"{rel} <{name}>")
        elif path.suffix == ".json":
            feed = json.loads(path.read_text(encoding="utf-8"))
            for item in [feed, *feed.get("items", []), *feed.get("authors", [])]:
                for key, value in item.items():
                    if isinstance(value, str) and (
                        key.endswith("url") or key in ("image", "banner_image", "icon", "favicon")
                    ):
                        out.urls.append((rel, key, value))
                if isinstance(item.get("content_html"), str):
                    add_html(item["content_html"], f"{rel} content_html")
    return out


def as_browser_reads(url: str) -> str:
    """Entities are already decoded by the parser; browsers also drop tabs and newlines anywhere
    and control characters and spaces around it. Drop every one of them, everywhere."""
    return re.sub(r"[\x00-\x20\x7f-\x9f]", "", url).lower()


def dangerous_urls(out: Output) -> list[tuple[str, str, str]]:
    return [u for u in out.urls if BAD_SCHEME.match(as_browser_reads(u[2]))]


def unexpected_active_content(out: Output) -> list[Element]:
    """Scripts but the theme's own, frames, plugins, <base>, refresh <meta>, inline event handlers."""
    return [e for e in out.elements if _active(e)]


def _active(e: Element) -> bool:
    if any(name.startswith("on") for name, _ in e.attrs):
        return True
    if e.tag == "script":
        if len(e.attrs) == 2 and e.attrs[1] == ("defer", None) and e.attrs[0][0] == "src":
            return not THEME_SCRIPT_SRC.fullmatch(e.attrs[0][1] or "")
        return e.attrs not in THEME_SCRIPTS
    if e.tag == "meta":
        return not _theme_meta(e)
    return e.tag in ("iframe", "frame", "object", "embed", "applet", "base")


def _theme_meta(e: Element) -> bool:
    attrs = dict(e.attrs)
    return e.tag == "meta" and "http-equiv" not in attrs


def build_ok(site: Path, *args: str) -> str:
    code, _, err = run_build(site, *args)
    assert "Traceback" not in err, err
    assert code == 0, err
    return err


# --- nesting ----------------------------------------------------------------------------------

TOO_DEEP = (
    "body: quotes and lists are nested too deeply here; the text inside would be lost "
    "(expected at most 19 nested quotes or 9 nested lists)"
)


@pytest.mark.parametrize(
    "marker", ["> ", "- ", "1. ", "> - "], ids=["quotes", "bullets", "numbers", "quotes-and-lists"]
)
def test_ten_thousand_nested_levels(tmp_path, marker):
    # One line opens 10,000 levels. markdown-it stops at 20 and used to drop the text silently.
    site = make_site(tmp_path, {"content/a.md": article(body="Intro.\n\n" + marker * 10_000 + "the deepest text\n")})
    before = tree(site)
    started = time.perf_counter()
    code, _, err = run_build(site)
    assert time.perf_counter() - started < 30
    assert "Traceback" not in err and "RecursionError" not in err, err
    assert code == 1, err
    assert f"content/a.md:7: {TOO_DEEP}" in err.splitlines()  # body from line 5: "Intro.", blank, the nest
    assert err.splitlines()[-1] == "Error: build failed: 1 error, 1 warning; nothing was written"
    assert tree(site) == before


@pytest.mark.slow
def test_ten_thousand_nested_blockquotes_one_level_per_line(tmp_path):
    # "> a", ">> a", ">>> a", ...: the problem is reported on the first line whose text would be lost.
    body = "".join(">" * i + f" level {i}\n" for i in range(1, 10_001))
    site = make_site(tmp_path, {"content/a.md": article(body=body)})
    code, _, err = run_build(site)
    assert "Traceback" not in err
    assert code == 1
    assert f"content/a.md:24: {TOO_DEEP}" in err.splitlines()  # body starts on line 5; level 20 is line 24
    assert not (site / "public").exists()


def test_ten_thousand_nested_list_items_in_the_analysis(tmp_path):
    text = article(analysis={"byline": "Ed", "body": "Intro.\n\n" + "- " * 10_000 + "deep\n"})
    site = make_site(tmp_path, {"content/a.md": text})
    code, _, err = run_build(site)
    assert "Traceback" not in err
    assert code == 1
    assert any(
        line.startswith("content/a.md:") and line.endswith(TOO_DEEP.replace("body:", "analysis.body:"))
        for line in err.splitlines()
    ), err


def test_nesting_just_below_the_limit_keeps_every_word(tmp_path):
    body = (
        "> " * 19
        + "quoted nineteen deep\n\n"
        + "- " * 9
        + "listed nine deep\n\n"
        + "".join("  " * i + f"- item {i}\n" for i in range(9))
    )
    site = make_site(tmp_path, {"content/a.md": article(body=body)})
    build_ok(site)
    html = read_output(site, "2024/01/a/index.html")
    assert "quoted nineteen deep" in html and "listed nine deep" in html and "item 8" in html
    assert html.count("<blockquote>") == 19


@pytest.mark.slow
def test_deeply_nested_inline_markup(tmp_path):
    body = (
        "*" * 10_000
        + "starred"
        + "*" * 10_000
        + "\n\n"
        + "[" * 10_000
        + "bracketed"
        + "](https://example.org/)" * 10_000
        + "\n\n"
        + "_a " * 5_000
        + "underscored"
        + " a_" * 5_000
        + "\n\n"
        + "`" * 5_000
        + " code "
        + "`" * 5_000
        + "\n"
    )
    site = make_site(tmp_path, {"content/a.md": article(body=body)})
    build_ok(site)
    html = read_output(site, "2024/01/a/index.html")
    for word in ("starred", "bracketed", "underscored", "<code>code</code>"):
        assert word in html
    elements = html_elements(html, "page")  # parses, tags balanced enough for a parser
    assert sum(e.tag == "a" and dict(e.attrs).get("href") == "https://example.org/" for e in elements) >= 1


# --- size -------------------------------------------------------------------------------------


def test_five_thousand_row_table(tmp_path):
    rows = "".join(f"| {i} | Region {i} | {i * 7 % 100}% |\n" for i in range(5_000))
    body = "| n | Region | Share |\n|---:|:---|---:|\n" + rows + "\nAfter the table.\n"
    site = make_site(tmp_path, {"content/a.md": article(body=body)})
    started = time.perf_counter()
    build_ok(site)
    assert time.perf_counter() - started < 60
    html = read_output(site, "2024/01/a/index.html")
    table = html[html.index("<table>") : html.index("</table>")]
    assert table.count("<tr>") == 5_001  # the header row and 5,000 rows
    assert table.count("<td") == 15_000
    assert '<td style="text-align:left">Region 4999</td>' in table
    assert "<p>After the table.</p>" in html


# --- dangerous URLs ---------------------------------------------------------------------------

# Markdown that tries to smuggle a script URL into href or src. None may become a link or an image.
DANGEROUS_MARKDOWN = [
    "[a1](JaVaScRiPt:alert(1))",
    "[a2](java&#x73;cript:alert(1))",
    "[a3](&#x6A;avascript:alert(1))",
    "[a4](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[a5](javascript&colon;alert(1))",
    "[a6](javascript\\:alert(1))",
    "[a7]( javascript:alert(1))",
    "[a8](\tjavascript:alert(1))",
    "[a9](\njavascript:alert(1))",
    "[a10](<  javascript:alert(1)>)",
    "[a11](<jav\tascript:alert(1)>)",
    "[a12](jav&#x09;ascript:alert(1))",
    "[a13](java&Tab;script:alert(1))",
    "[a14](&NewLine;javascript:alert(1))",
    "[a15](&#x1;javascript:alert(1))",
    "[a16](vbscript:msgbox(1))",
    "[a17](VbScRiPt:msgbox(1))",
    "[a18](data:text/html,<script>alert(1)</script>)",
    "[a19](DaTa:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a20](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[a21](data:image/png;base64,iVBORw0KGgo=)",
    '[a22](javascript:alert(1) "title")',
    "<JaVaScRiPt:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,x>",
    "<DATA:text/html;base64,PHNjcmlwdD4=>",
    "[r1] [r2] [r3] [r4] [r5]",
    "![i1](JaVaScRiPt:alert(1))",
    "![i2](java&#x73;cript:alert(1))",
    "![i3](data:text/html,x)",
    "![i4](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![i5](data:image/png;base64,iVBORw0KGgo=)",
    "![i6][r1]",
]
REFERENCES = (
    "[r1]: \tjavascript:alert(1)\n[r2]: <java&#x73;cript:alert(1)>\n[r3]:\n  VBSCRIPT:msgbox(1)\n"
    '[r4]: data:text/html,x\n[r5]: JaVaScRiPt:alert(1) "t"\n'
)


def test_dangerous_urls_never_become_href_or_src(tmp_path):
    body = (
        "\n\n".join(DANGEROUS_MARKDOWN)
        + "\n\nSafe [home](https://example.org/).[^n]\n\n[^n]: Note [n](vbscript:x).\n\n"
        + REFERENCES
    )
    text = article(
        title="Links",
        body=body,
        takeaways=["[t1](JaVaScRiPt:alert(1)) and <vbscript:x>", "![t2](data:text/html,x)"],
        analysis={"byline": "Ed", "body": "[an](java&#x73;cript:alert(1))\n\n<data:text/html,x>\n"},
        image={
            "src": "/images/x.svg",
            "alt": "Chart",
            "caption": "See [c](javascript:alert(1)) and ![c](data:image/png;base64,AA==)",
        },
    )
    site = make_site(
        tmp_path, {"content/a.md": text, "static/images/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )
    # jav%09ascript: and friends are harmless relative paths that lead nowhere; the link check would refuse them.
    build_ok(site, "--no-link-check")
    out = read_site(site / "public")
    assert dangerous_urls(out) == []
    assert unexpected_active_content(out) == []
    # The check saw the article everywhere it is published: its page, both main feeds, the section feed.
    wheres = {e.where for e in out.elements}
    assert {
        "2024/01/a/index.html",
        "feed.xml <content>",
        "feed.json content_html",
        "sections/news/feed.xml <content>",
    } <= wheres
    assert ("2024/01/a/index.html", "<a href>", "https://example.org/") in out.urls
    html = read_output(site, "2024/01/a/index.html")
    for shown in (
        "[a1](JaVaScRiPt:alert(1))",
        "[a16](vbscript:msgbox(1))",
        "&lt;JaVaScRiPt:alert(1)&gt;",
        "![i5](data:image/png",
        "[t1](JaVaScRiPt:alert(1))",
        "[c](javascript:alert(1))",
        "[n](vbscript:x)",
    ):
        assert shown in html, shown  # still there, as text


DANGEROUS_RELATED_URLS = [  # (the url as written in YAML, as the error shows it)
    ("JaVaScRiPt:alert(1)", "JaVaScRiPt:alert(1)"),
    ('" javascript:alert(1)"', "javascript:alert(1)"),
    ('"java\\tscript:alert(1)"', "java\\tscript:alert(1)"),
    ('"\\njavascript:alert(1)"', "javascript:alert(1)"),
    ("vbscript:msgbox(1)", "vbscript:msgbox(1)"),
    ('"data:text/html,<script>alert(1)</script>"', "data:text/html,<script>alert(1)</script>"),
    ("javascript://example.org/%0Aalert(1)", "javascript://example.org/%0Aalert(1)"),
    ("https:javascript:alert(1)", "https:javascript:alert(1)"),
]


def test_dangerous_related_urls_are_each_refused_in_one_run(tmp_path):
    files = {
        f"content/a{i}.md": article(related=Raw(f"\n  - title: Click\n    url: {url}"), title=f"Story {i}")
        for i, (url, _) in enumerate(DANGEROUS_RELATED_URLS)
    }
    site = make_site(tmp_path, files)
    code, _, err = run_build(site)
    assert "Traceback" not in err
    assert code == 1
    for i, (_, shown) in enumerate(DANGEROUS_RELATED_URLS):
        assert (
            f"content/a{i}.md:6: related[0].url: '{shown}' is not an http(s) URL (expected e.g. https://example.org/report)"
            in err.splitlines()
        ), err
    assert not (site / "public").exists()


def test_related_url_that_tries_to_break_out_of_its_attribute(tmp_path):
    url = 'https://example.org/x"onmouseover="alert(1)"><script>alert(2)</script>'
    site = make_site(tmp_path, {"content/a.md": article(related=[{"title": "Report", "url": url}])})
    build_ok(site)
    out = read_site(site / "public")
    assert unexpected_active_content(out) == []
    hrefs = [v for w, a, v in out.urls if w == "2024/01/a/index.html" and v.startswith("https://example.org/x")]
    assert hrefs == ["https://example.org/x%22onmouseover=%22alert(1)%22%3E%3Cscript%3Ealert(2)%3C/script%3E"]


SRC_REFUSED = "is not allowed (expected an https URL, a path under static/ such as /images/x.jpg, or a path relative to the article)"


DANGEROUS_HERO_SOURCES = [  # (src as written in YAML, the error's text)
    ("JaVaScRiPt:alert(1)", f"'JaVaScRiPt:alert(1)' {SRC_REFUSED}"),
    ('" vbscript:msgbox(1)"', f"'vbscript:msgbox(1)' {SRC_REFUSED}"),
    ('"data:text/html,<script>alert(1)</script>"', f"'data:text/html,<script>alert(1)</script>' {SRC_REFUSED}"),
    (
        '"java\\tscript:alert(1)"',
        "'java\\tscript:alert(1)' contains a control character (expected an https URL or a path such as /images/x.jpg)",
    ),
    ("https:javascript:alert(1)", f"'https:javascript:alert(1)' {SRC_REFUSED}"),
    (
        "//evil.example/x.png",
        "'//evil.example/x.png' is not a valid path (use forward slashes, e.g. /images/x.jpg)",
    ),
]


def test_dangerous_hero_image_sources_are_each_refused_in_one_run(tmp_path):
    files = {
        f"content/a{i}.md": article(image=Raw(f"\n  src: {src}\n  alt: A chart"), title=f"Story {i}")
        for i, (src, _) in enumerate(DANGEROUS_HERO_SOURCES)
    }
    site = make_site(tmp_path, files)
    code, _, err = run_build(site)
    assert "Traceback" not in err
    assert code == 1
    for i, (_, line) in enumerate(DANGEROUS_HERO_SOURCES):
        assert f"content/a{i}.md:5: image.src: {line}" in err.splitlines(), err
    assert not (site / "public").exists()


# --- raw HTML ---------------------------------------------------------------------------------

RAW_HTML = (
    '<script>alert("body")</script>\n\n'
    'Inline <img src=/images/raw.svg onerror=alert(1)> and <a href="javascript:alert(2)">link</a>.\n\n'
    '<iframe src="https://evil.example/"></iframe>\n\n'
    "<svg onload=alert(3)><circle r=1 /></svg>\n\n"
    "<style>body{display:none}</style>\n\n"
    '<meta http-equiv="refresh" content="0;url=javascript:alert(4)">\n'
)
RAW_IMAGE = {"static/images/raw.svg": "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>"}


def _raw_html_site(tmp_path: Path, config: str | None = None) -> Path:
    text = article(
        title="Raw",
        body=RAW_HTML,
        takeaways=["Takeaway <script>alert(5)</script>"],
        analysis={"byline": "Ed", "body": "<iframe src=//evil.example></iframe>\n"},
        image={"src": "/images/x.svg", "alt": "Chart", "caption": "Caption <img src=/images/raw.svg onerror=alert(6)>"},
    )
    files = {"content/a.md": text, "static/images/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>", **RAW_IMAGE}
    return make_site(tmp_path, files, config)


def _line(site: Path, text: str) -> int:
    """The line of content/a.md that holds ``text``."""
    lines = (site / "content/a.md").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_raw_html_is_shown_as_text_with_html_escape(tmp_path):
    site = _raw_html_site(tmp_path, '[markdown]\nhtml = "escape"\n')
    build_ok(site)
    out = read_site(site / "public")
    assert unexpected_active_content(out) == []
    assert dangerous_urls(out) == []
    assert not [
        e
        for e in out.elements
        if e.tag in ("style", "svg") or (e.tag == "img" and dict(e.attrs).get("src") == "/images/raw.svg")
    ]
    html = read_output(site, "2024/01/a/index.html")
    for text in (
        "&lt;script&gt;alert(&quot;body&quot;)&lt;/script&gt;",
        "&lt;img src=/images/raw.svg onerror=alert(1)&gt;",
        "&lt;iframe src=&quot;https://evil.example/&quot;&gt;&lt;/iframe&gt;",
        "&lt;style&gt;body{display:none}&lt;/style&gt;",
        "Takeaway &lt;script&gt;alert(5)&lt;/script&gt;",
        "&lt;iframe src=//evil.example&gt;&lt;/iframe&gt;",
        "Caption &lt;img src=/images/raw.svg onerror=alert(6)&gt;",
    ):
        assert text in html, text


def test_raw_html_is_sanitised_by_default(tmp_path):
    # html = "safe", the default: what is harmless stays (the image, the link's text), every
    # script, handler, frame, style and javascript: URL goes, in the body, takeaways, analysis
    # and caption, on the page and in the feeds; each removal is a warning on its line.
    site = _raw_html_site(tmp_path)
    err = build_ok(site)
    out = read_site(site / "public")
    assert unexpected_active_content(out) == []
    assert dangerous_urls(out) == []
    assert not [e for e in out.elements if e.tag in ("style", "svg", "iframe", "circle")]
    page = html_elements(read_output(site, "2024/01/a/index.html"), "page")
    assert [dict(e.attrs) for e in page if e.tag == "img" and dict(e.attrs).get("src") == "/images/raw.svg"] == [
        {"src": "/images/raw.svg", "alt": "", "width": "4", "height": "3", "loading": "lazy", "decoding": "async"}
    ] * 2  # the caption's, then the body's; resolved and sized as a Markdown image is
    assert ("a", ()) in [(e.tag, e.attrs) for e in page]  # the link's text stays, without its href
    script, body, takeaway = _line(site, 'alert("body")'), _line(site, "Inline <img"), _line(site, "Takeaway <")
    frame = _line(site, 'iframe src="https')
    for line in (
        f"content/a.md:{script}: warning: body: <script> removed with everything in it "
        "(scripts never run from an article) [raw-html-removed]",
        f'content/a.md:{body}: warning: body: onerror="alert(1)" removed from <img> '
        "(event handlers never run from an article) [raw-html-removed]",
        f'content/a.md:{body}: warning: body: href="javascript:alert(2)" removed from <a> '
        "(javascript: URLs are never kept) [raw-html-removed]",
        f'content/a.md:{frame}: warning: body: <iframe src="https://evil.example/"> removed '
        "(not from a known embed provider) [iframe-removed]",
        f"content/a.md:{_line(site, '<svg')}: warning: body: <svg> removed with everything in it "
        "(inline SVG is not kept; show it as an image file instead) [raw-html-removed]",
        f"content/a.md:{_line(site, '<style>')}: warning: body: <style> removed with everything in it "
        "(the theme styles the page) [raw-html-removed]",
        f"content/a.md:{_line(site, '<meta')}: warning: body: <meta> removed "
        "(not among the elements kept in safe mode) [raw-html-removed]",
        f"content/a.md:{takeaway}: warning: takeaways[0]: <script> removed with everything in it "
        "(scripts never run from an article) [raw-html-removed]",
        f'content/a.md:{_line(site, "//evil.example")}: warning: analysis.body: <iframe src="//evil.example"> removed '
        "(not from a known embed provider) [iframe-removed]",
        f'content/a.md:{_line(site, "Caption <img")}: warning: image.caption: onerror="alert(6)" removed from <img> '
        "(event handlers never run from an article) [raw-html-removed]",
    ):
        assert line in err.splitlines(), line
    assert err.count("[raw-html-removed]") == 8 and err.count("[iframe-removed]") == 2


@pytest.mark.parametrize(
    "config", ['[markdown]\nhtml = "trusted"\n', "[markdown]\nallow_html = true\n"], ids=["trusted", "allow_html"]
)
def test_raw_html_passes_with_html_trusted(tmp_path, config):
    # Documented behaviour (html = "trusted", or allow_html = true, its old name): raw HTML is the
    # editor's own, passed through unfiltered, dangerous or not, in the body, takeaways, analysis and
    # caption, on the page and in the feeds; only its <a href> and <img src> are resolved as
    # Markdown's are. Markdown link syntax stays filtered: [x](javascript:...) is still not a link.
    site = _raw_html_site(tmp_path, config)
    (site / "content/b.md").write_text(article(title="B", body="[md](javascript:alert(7))\n"), encoding="utf-8")
    err = build_ok(site, "--no-link-check")
    assert ("brief.toml:2: warning: markdown.allow_html: deprecated; " in err) == ("allow_html" in config)
    page = html_elements(read_output(site, "2024/01/a/index.html"), "page")
    scripts = [e.text for e in page if e.tag == "script" and not e.attrs]
    assert scripts == ["alert(5)", 'alert("body")']  # takeaways come before the body
    assert [dict(e.attrs)["src"] for e in page if e.tag == "iframe"] == ["//evil.example", "https://evil.example/"]
    assert {dict(e.attrs).get("onerror") for e in page if e.tag == "img"} >= {"alert(1)", "alert(6)"}
    assert ("a", (("href", "javascript:alert(2)"),)) in [(e.tag, e.attrs) for e in page]
    atom = read_site(site / "public")
    assert any(e.tag == "iframe" for e in atom.elements if e.where == "feed.xml <content>")
    other = read_output(site, "2024/01/b/index.html")
    assert "[md](javascript:alert(7))" in other
    assert not dangerous_urls(
        Output(urls=[u for u in read_site(site / "public").urls if u[0] == "2024/01/b/index.html"])
    )


@pytest.mark.parametrize("mode", ["escape", "safe"])
def test_html_in_front_matter_text_is_escaped_on_every_page(tmp_path, mode):
    # Plain fields are escaped whatever html says; takeaways and the caption are Markdown, whose
    # raw HTML is shown as text ("escape") or sanitised ("safe"; "trusted" would pass it through).
    breakout = '</script><script>alert(1)</script>"><img src=/images/x.svg onerror=alert(2)>'
    text = article(
        title=f"Title {breakout}",
        dek=f"Dek {breakout}",
        section=f"Section {breakout}",
        tags=[f"Tag {breakout}"],
        authors=[f"Author {breakout}"],
        takeaways=[f"Point {breakout}"],
        analysis={"label": f"Label {breakout}", "byline": f"Byline {breakout}", "body": "Fine."},
        image={
            "src": "/images/x.svg",
            "alt": f"Alt {breakout}",
            "caption": f"Caption {breakout}",
            "credit": f"Credit {breakout}",
        },
        related=[{"title": f"Related {breakout}", "url": "https://example.org/"}],
    )
    site = make_site(
        tmp_path,
        {"content/a.md": text, "static/images/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"},
        f'[markdown]\nhtml = "{mode}"\n',
    )
    build_ok(site)
    out = read_site(site / "public")
    assert len({e.where for e in out.elements}) > 10
    assert unexpected_active_content(out) == []
    page = read_output(site, "2024/01/a/index.html")
    if mode == "escape":
        assert "Point &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for e in out.elements:
        if e.tag == "script" and ("type", "application/ld+json") in e.attrs:
            data = json.loads(e.text)  # the JSON-LD stayed one intact document
            if e.where == "2024/01/a/index.html" and data.get("@type") == "NewsArticle":
                assert data["headline"] == f"Title {breakout}"


# --- constructs that made invalid HTML (found by tests/system/test_fuzz.py) --------------------


def _nested_anchors(html: str) -> list[str]:
    """Text of every <a> opened while another <a> is still open (invalid HTML)."""
    found: list[str] = []
    depth = 0

    class Walk(HTMLParser):
        def handle_starttag(self, tag, attrs):
            nonlocal depth
            if tag == "a":
                if depth:
                    found.append(dict(attrs).get("href") or "")
                depth += 1

        def handle_endtag(self, tag):
            nonlocal depth
            if tag == "a":
                depth = max(0, depth - 1)

    Walk().feed(html)
    return found


def test_link_inside_a_link_keeps_only_the_outer_link(tmp_path):
    body = "[see <https://x.org/> here](https://y.com/)\n\n[a ^[inline note] b](https://z.com/)\n"
    site = make_site(tmp_path, {"content/a.md": article(body=body)})
    build_ok(site)
    html = read_output(site, "2024/01/a/index.html")
    assert _nested_anchors(html) == []
    assert '<a href="https://y.com/">see https://x.org/ here</a>' in html
    # The footnote mark moves just after the link it was written in; the note itself is kept.
    assert re.search(r'<a href="https://z.com/">a  b</a><sup class="footnote-ref"><a href="#fn1" id="fnref1">', html)
    assert "inline note" in html


def test_image_without_a_path_is_an_error(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(body="Text.\n\n![chart]()\n")})
    code, _, err = run_build(site)
    assert code == 1, err
    assert (
        "content/a.md:7: body: image without a path (expected ![what it shows](path/to/image.png))" in err.splitlines()
    )
    assert not (site / "public").exists()


def test_footnotes_in_takeaways_and_captions_stay_text(tmp_path):
    # One-line fields have nowhere to put a list of notes: the text is shown as written, with a warning.
    text = article(
        body="Body with a note.[^1]\n\n[^1]: The body's note.\n",
        takeaways=["First ^[a note] point", "Second[^1] point"],
        image={"src": "/images/x.svg", "alt": "A chart", "caption": "Caption ^[note]"},
    )
    site = make_site(
        tmp_path, {"content/a.md": text, "static/images/x.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"}
    )
    err = build_ok(site)
    expected = (
        "footnotes work in the body and the analysis only; "
        "here the text is shown as written (expected the note in the body) [misplaced-footnote]"
    )
    for where in (
        "content/a.md:5: warning: takeaways[0]",
        "content/a.md:6: warning: takeaways[1]",
        "content/a.md:10: warning: image.caption",
    ):
        assert f"{where}: {expected}" in err.splitlines(), err
    html = read_output(site, "2024/01/a/index.html")
    assert "<li>First ^[a note] point</li>" in html and "<li>Second[^1] point</li>" in html
    assert '<span class="caption">Caption ^[note]</span>' in html
    assert html.count('class="footnotes"') == 1 and html.count('id="fn1"') == 1 and html.count('id="fnref1"') == 1


@pytest.mark.parametrize(
    ("body", "levels"),
    [
        ("### Three\n\ntext\n\n###### Six\n\ntext\n\n## Two\n", ["h2", "h3", "h2"]),
        ("# One\n\n#### Four\n\n##### Five\n\n## Two\n\n#### Four\n", ["h2", "h3", "h4", "h2", "h3"]),
        ("###### Only\n", ["h2"]),
    ],
)
def test_heading_levels_never_skip(tmp_path, body, levels):
    # The headline is the h1: the body's outline starts at h2 and goes down one level at a time.
    site = make_site(
        tmp_path, {"content/a.md": article(body=body, analysis={"byline": "Ed", "body": "#### Deep\n\n# Top\n"})}
    )
    build_ok(site)
    html = read_output(site, "2024/01/a/index.html")
    analysis = html[html.index('class="editors-desk') : html.index('class="article-body"')]
    assert re.findall(r"<(h[1-6]) id=\"(?!brief-)", analysis) == ["h3", "h2"]  # under the box's own h2
    body_html = html[html.index('class="article-body"') : html.index('class="share"')]
    assert re.findall(r"<(h[1-6])[ >]", body_html) == levels
