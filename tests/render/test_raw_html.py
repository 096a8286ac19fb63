"""Raw HTML in Markdown, in brief.toml's three modes: "escape", "safe" (the default), "trusted".

Most cases render through :class:`brief.render.markdown.Renderer` and compare the HTML and
the warnings exactly; the last ones read brief.toml or run whole builds. The hostile cases
(every spelling of a script) are in test_hostile_markdown.py; a page of sanitised raw HTML
passes the Nu checker in tests/system/test_raw_html_valid.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import article, make_site, read_output, run_build
from markdown_it import MarkdownIt
from test_config import problems
from test_markdown import page, renderer
from test_markdown_stream import _render

from brief.config import Config, load_config
from brief.errors import WARNING
from brief.render.fragment import PageEnv
from brief.render.htmlpolicy import verified
from brief.render.mdstream import parts
from brief.render.rawhtml import RawHtml

WRAP = '<div class="table-wrap" role="region" aria-label="Table" tabindex="0">\n'


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "content").mkdir()
    return tmp_path


def render(site: Path, text: str, mode: str = "safe", **kwargs) -> tuple[str, list[str]]:
    """The body's HTML (its first line is line 10 of content/a.md) and its problems, formatted."""
    env = page(site)
    html = str(renderer(site, html=mode, **kwargs).block(text, env, 10))
    return html, [p.format() for p in env.problems]


def warning(line: int, message: str, code: str = "raw-html-removed") -> str:
    return f"content/a.md:{line}: warning: body: {message} [{code}]"


# --- what "safe" keeps ------------------------------------------------------------------------

KEPT = """<table class="data">
<caption>Rates</caption>
<thead><tr><th scope="col">Region</th><th colspan="2">Share</th></tr></thead>
<tr><td>North</td><td>41%</td><td>+2</td></tr>
</table>

<figure id="chart">
<img src="https://example.org/chart.png" alt="Chart of rates" width="640" height="480">
<figcaption>Rates by region</figcaption>
</figure>

<details open>
<summary>Method</summary>
<dl><dt>Rate</dt><dd>Share of <em>demand</em></dd></dl>
</details>

<h1>Raw heading</h1>
<ol start="3" reversed><li>three</li><li value="9">four</li></ol>
<blockquote cite="https://example.org/src"><p>Quoted <abbr title="kilowatt-hour">kWh</abbr>, <a href="mailto:desk@example.org">mail</a>,
<time datetime="2024-05-01">May Day</time>, H<sub>2</sub>O<br>and <code>x &lt; y</code>.</p></blockquote>
"""


def test_safe_keeps_tables_figures_details_lists_and_links(site):
    html, problems = render(site, KEPT)
    assert problems == []
    assert (
        html
        == (
            WRAP + '<table class="data">\n<caption>Rates</caption>\n'
            '<thead><tr><th scope="col">Region</th><th colspan="2">Share</th></tr></thead>\n'
            "<tbody><tr><td>North</td><td>41%</td><td>+2</td></tr>\n</tbody></table></div>\n"
            '<figure id="h-chart">\n'
            '<img src="https://example.org/chart.png" alt="Chart of rates" width="640" height="480">\n'
            "<figcaption>Rates by region</figcaption>\n</figure>\n"
            '<details open="">\n<summary>Method</summary>\n'
            "<dl><dt>Rate</dt><dd>Share of <em>demand</em></dd></dl>\n</details>\n"
            "<h2>Raw heading</h2>\n"  # the headline is the page's only h1
            '<ol start="3" reversed=""><li>three</li><li value="9">four</li></ol>\n'
            '<blockquote cite="https://example.org/src"><p>Quoted <abbr title="kilowatt-hour">kWh</abbr>, '
            '<a href="mailto:desk@example.org">mail</a>,\n<time datetime="2024-05-01">May Day</time>, '
            "H<sub>2</sub>O<br>and <code>x &lt; y</code>.</p></blockquote>\n"
        )
    )


def test_markdown_between_html_blocks_stays_inside_a_container(site):
    # A blank line ends an HTML block; what can hold Markdown (details, div, a cell, a list
    # item) stays open for it, what cannot (a paragraph, a row) is closed there.
    text = (
        "<details>\n<summary>More</summary>\n\nMarkdown **inside**\n\n</details>\n\n"
        "<table><tr><td>\n\n- a list in a cell\n\n</td></tr></table>\n\n"
        "<p>Open paragraph\n\nMarkdown after it\n\n"
        "<div class=note>\n\nLeft open\n"
    )
    html, problems = render(site, text)
    assert problems == []
    assert html == (
        "<details>\n<summary>More</summary>\n<p>Markdown <strong>inside</strong></p>\n</details>\n"
        + WRAP
        + "<table><tbody><tr><td>\n<ul>\n<li>a list in a cell</li>\n</ul>\n</td></tr></tbody></table></div>\n"
        "<p>Open paragraph\n</p><p>Markdown after it</p>\n"
        '<div class="note">\n<p>Left open</p>\n</div>'  # closed at the end of the text
    )


def test_blank_lines_inside_a_table_keep_it_one_table(site):
    html, problems = render(site, "<table>\n<tr><td>a</td></tr>\n\n<tr><td>b</td></tr>\n</table>\n")
    assert problems == []
    assert html == WRAP + "<table>\n<tbody><tr><td>a</td></tr>\n<tr><td>b</td></tr>\n</tbody></table></div>\n"


def test_details_without_a_summary_gets_the_label_browsers_show(site):
    html, _ = render(site, "<details>\n\nOnly markdown\n\n</details>\n\n<details></details>\n")
    assert html == (
        "<details>\n<summary>Details</summary><p>Only markdown</p>\n</details>\n"
        "<details><summary>Details</summary></details>\n"
    )


def test_inline_html_is_closed_where_markdown_closes_and_at_the_end_of_the_line(site):
    html, problems = render(site, 'Text <span class="x">a *b</span> c* d <b>open\n')
    assert problems == []
    assert html == '<p>Text <span class="x">a <em>b c</em> d <b>open</b></span></p>\n'
    html, _ = render(site, "*em <span>span* after</span> end\n")
    assert html == "<p><em>em <span>span</span></em> after end</p>\n"


def test_no_link_inside_a_link(site):
    html, problems = render(
        site,
        '[see <a href="https://x.org/">raw</a>](https://y.org/) and <a href="https://z.org/">raw [md](https://y.org/)</a>\n',
    )
    assert html == '<p><a href="https://y.org/">see raw</a> and <a href="https://z.org/">raw md</a></p>\n'
    assert problems == [warning(10, "<a> removed, its text kept: it stood inside another link")]


def test_ids_are_prefixed_like_heading_ids_and_never_repeated(site):
    text = '<a id="intro">A</a> <a name="old">B</a> <span id="intro">dup</span> <a href="#intro">to</a>\n\n## Intro\n'
    html, problems = render(site, text)
    assert html == (
        '<p><a id="h-intro">A</a> <a id="h-old">B</a> <span>dup</span> <a href="#h-intro">to</a></p>\n'
        '<h2 id="h-intro-2">Intro</h2>\n'
    )
    assert problems == [
        warning(10, 'id="intro" removed from <span> (the page already has an element with this id)'),
    ]


# --- what "safe" removes, each a warning on its line --------------------------------------------

REMOVED = """Para <script>alert(1)</script> and <img src="https://e.org/a.png" alt="A" onerror="alert(2)" style="float:left">
and <a href="java&#x09;script:alert(3)" onclick="x">link</a> <a href=" DATA:text/html,x">data</a>.

<div>
<form action="/x"><input name=q><button>Go</button></form>
<iframe src="https://evil.example/"></iframe>
<svg onload=alert(4)><circle r=1 /></svg>
<p>a<div>b</div> <font color=red>red</font></p>
<ul>loose text<li>item</li></ul>
</div>

Text <div>block</div> and <li>item</li>, <time>May</time>, <img src="https://e.org/a.png" width="100%" alt="w">.
"""


def test_safe_removes_active_content_with_a_warning_on_each_line(site):
    html, problems = render(site, REMOVED)
    assert html == (
        '<p>Para  and <img src="https://e.org/a.png" alt="A">\n'
        "and <a>link</a> <a>data</a>.</p>\n"
        "<div>\nGo\n\n\n<p>a</p><div>b</div> red\n<ul><li>item</li></ul>\n</div>\n"
        '<p>Text block and item, May, <img src="https://e.org/a.png" alt="w">.</p>\n'
    )
    assert problems == [
        warning(10, "<script> removed with everything in it (scripts never run from an article)"),
        warning(10, 'onerror="alert(2)" removed from <img> (event handlers never run from an article)'),
        warning(10, 'style="float:left" removed from <img> (inline styles are not kept: the theme styles the page)'),
        warning(11, 'href="java\\tscript:alert(3)" removed from <a> (javascript: URLs are never kept)'),
        warning(11, 'onclick="x" removed from <a> (event handlers never run from an article)'),
        warning(11, 'href=" DATA:text/html,x" removed from <a> (data: URLs are never kept)'),
        warning(
            21,
            "<div> removed, its text kept: inside a paragraph only inline elements (<span>, <a>, <em>, …) can "
            "stand; put an HTML block on lines of its own, after a blank line",
        ),
        warning(21, "<li> removed, its text kept: a list item belongs in <ul> or <ol>"),
        warning(21, "<time> removed, its text kept: it needs a datetime attribute such as 2024-05-01"),
        warning(21, 'width="100%" removed from <img> (expected a whole number of pixels)'),
        warning(14, "<form> removed, its text kept (not among the elements kept in safe mode)"),
        warning(14, "<input> removed (not among the elements kept in safe mode)"),
        warning(14, "<button> removed, its text kept (not among the elements kept in safe mode)"),
        warning(15, '<iframe src="https://evil.example/"> removed (not from a known embed provider)', "iframe-removed"),
        warning(16, "<svg> removed with everything in it (inline SVG is not kept; show it as an image file instead)"),
        warning(17, "<font> removed, its text kept (not among the elements kept in safe mode)"),
        warning(18, "text 'loose text' removed: it stood in <ul> outside any item"),
    ]


def test_an_iframe_of_a_known_provider_becomes_a_click_to_load_card(site):
    html, problems = render(
        site, '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ" title="Grid week"></iframe>\n'
    )
    assert problems == []
    assert html.startswith('<figure class="embed embed-youtube">')
    assert 'data-embed-title="Grid week"' in html and "<iframe" not in html
    html, problems = render(site, 'In text <iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>\n')
    assert html == "<p>In text </p>\n"
    assert problems == [
        warning(
            10,
            '<iframe src="https://www.youtube.com/embed/dQw4w9WgX…"> removed (an embed must stand on a line '
            "of its own, after a blank line, outside tables and lists)",
            "iframe-removed",
        )
    ]


def test_what_nh3_would_change_is_left_out(site):
    # The walk writes only what the allowlist keeps, and nh3 must give every piece back
    # unchanged; a piece it would change (here an attribute a resolver added) is left out.
    assert verified('<p><a href="https://x.org/" title="t">x</a></p>')
    assert not verified('<p onclick="x">x</p>') and not verified("<p>x")

    class Resolver:  # resolves as brief's renderer does not: adds an attribute nh3 removes
        def raw_link(self, href, env, line, field):
            return href

        def raw_image(self, attrs, env, line, field):
            return [*attrs, ("style", "x")], ""

    raw = RawHtml(Config(root=site), Resolver())
    env = PageEnv(source=site / "content/a.md", relpath="content/a.md")
    state = {"brief": env, "line": 3, "field": "body"}
    tokens = MarkdownIt("commonmark", {"html": True}).parse(
        '<div><img src="https://e.org/a.png" alt="A"></div>\n<p>b</p>\n'
    )
    assert raw.block(tokens, 0, state) + raw.finish(state) == ""
    assert [(p.line, p.severity, p.code, p.message) for p in env.problems] == [
        (
            3,
            WARNING,
            "raw-html-removed",
            "raw HTML left out: the sanitiser could not check it (please report this as a bug)",
        )
    ]


@pytest.mark.parametrize(
    ("attribute", "why"),
    [
        ('colspan="0"', "expected a whole number from 1 to 1000"),
        ('dir="up"', "expected ltr, rtl or auto"),
        ('lang="en_GB"', "expected a language tag such as en or pt-BR"),
        ('scope="everything"', "expected row, col, rowgroup or colgroup"),
        ('align="left"', "not among the attributes kept in safe mode"),
        ('id="two words"', "expected a name without spaces"),
    ],
)
def test_attribute_values_html_would_refuse_are_removed(site, attribute, why):
    html, problems = render(site, f"<table><tr><th {attribute}>x</th></tr></table>\n")
    assert html == WRAP + "<table><tbody><tr><th>x</th></tr></tbody></table></div>\n"
    name, value = attribute.split("=", 1)
    assert problems == [warning(10, f"{name}={value} removed from <th> ({why})")]


# --- the three modes ----------------------------------------------------------------------------

MIXED = 'A <b onclick="x">bold</b> word.\n\n<div class="note"><script>alert(1)</script>Note</div>\n'


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (
            "escape",
            "<p>A &lt;b onclick=&quot;x&quot;&gt;bold&lt;/b&gt; word.</p>\n"
            "<p>&lt;div class=&quot;note&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;Note&lt;/div&gt;</p>\n",
        ),
        ("safe", '<p>A <b>bold</b> word.</p>\n<div class="note">Note</div>\n'),
        ("trusted", '<p>A <b onclick="x">bold</b> word.</p>\n<div class="note"><script>alert(1)</script>Note</div>\n'),
    ],
)
def test_each_mode(site, mode, expected):
    html, problems = render(site, MIXED, mode)
    assert html == expected
    assert len(problems) == (2 if mode == "safe" else 0)


@pytest.mark.parametrize("mode", ["safe", "trusted"])
def test_links_and_images_in_raw_html_are_resolved_as_markdown_ones(site, mode):
    (site / "content/charts").mkdir()
    (site / "content/charts/rates.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' width='8' height='6'/>")
    text = (
        '<a href="other.md#Outlook">other</a> <a href="/about/">about</a> <a href="#part">part</a>\n'
        '<img src="charts/rates.svg" alt="Rates">\n\n'
        '<a href="missing.md">gone</a>\n\n<img src="charts/none.png" alt="None">\n'
    )
    env = page(site)
    r = renderer(site, {"other.md": "/briefs/2024/01/other/"}, html=mode, base_url="https://example.org/briefs/")
    html = str(r.block(text, env, 10))
    assert (
        '<a href="/briefs/2024/01/other/#h-Outlook">other</a> <a href="/briefs/about/">about</a> '
        '<a href="#h-part">part</a>\n<img src="/briefs/rates.svg" alt="Rates" width="8" height="6" '
        'loading="lazy" decoding="async">'
    ) in html
    assert env.assets == {"rates.svg": (site / "content/charts/rates.svg").resolve()}  # copied beside the page
    assert [p.format() for p in env.problems] == [
        "content/a.md:13: body: link to a missing article: content/missing.md "
        "(expected the path of an article's .md file, relative to this file)",
        "content/a.md:15: body: image not found: content/charts/none.png "
        "(expected a path relative to this file, or /images/... under static/)",
    ]


# A long text is rendered in parts (brief.render.mdstream); with raw HTML on, never inside an
# HTML block that runs over blank lines, nor between two HTML blocks.
STREAMED = (
    "Intro <span id=a>one\n\n<pre>\ncode\n\n<b>still</b> pre\n</pre>\n\n"
    "<details>\n<summary>S</summary>\n\nInside **md**\n\n</details>\n\n"
    "<table>\n<tr><td>a</td></tr>\n\n<tr><td>b</td></tr>\n</table>\n\n"
    "<!-- a comment\n\nover lines -->\n\nAfter it\n\n<div>\n\nLeft open\n\nStill <script>x</script> in it\n"
)


@pytest.mark.parametrize("size", [1, 40])
def test_a_long_text_with_raw_html_renders_the_same_in_parts(site, size):
    pieces = parts(STREAMED, cut=True, html=True, size=size)
    assert len(pieces) >= 3
    assert "".join(piece + "\n" for _, piece in pieces[:-1]) + pieces[-1][1] == STREAMED
    assert not [piece for _, piece in pieces[1:] if piece.startswith("<")]
    assert any("<pre>\ncode\n\n<b>still</b> pre\n</pre>" in piece for _, piece in pieces)
    assert any("<!-- a comment\n\nover lines -->" in piece for _, piece in pieces)
    whole = _render(site, STREAMED, stream=False, part=None, typographer=False, doc_id="")
    assert _render(site, STREAMED, stream=True, part=size, typographer=False, doc_id="") == whole


# --- brief.toml ---------------------------------------------------------------------------------


def _config(tmp_path: Path, toml: str) -> Config:
    return load_config(make_site(tmp_path, {}, toml))


@pytest.mark.parametrize(
    ("toml", "mode", "notes"),
    [
        ("", "safe", []),
        ('[markdown]\nhtml = "escape"\n', "escape", []),
        ('[markdown]\nhtml = "trusted"\n', "trusted", []),
        (
            "[markdown]\nallow_html = true\n",
            "trusted",
            [
                'brief.toml:2: warning: markdown.allow_html: deprecated; write html = "trusted" (or "escape") '
                "under [markdown] [deprecated-key]"
            ],
        ),
        (
            "[markdown]\ntypographer = true\nallow_html = false\n",
            "escape",
            [
                'brief.toml:3: warning: markdown.allow_html: deprecated; write html = "trusted" (or "escape") '
                "under [markdown] [deprecated-key]"
            ],
        ),
        (
            '[markdown]\nallow_html = true\nhtml = "safe"\n',
            "safe",
            [
                "brief.toml:2: warning: markdown.allow_html: deprecated, and ignored: html is given too; remove it "
                "[deprecated-key]"
            ],
        ),
    ],
    ids=["default", "escape", "trusted", "allow_html-true", "allow_html-false", "both"],
)
def test_html_mode_and_its_old_name(tmp_path, toml, mode, notes):
    config = _config(tmp_path, toml)
    assert config.html == mode
    assert [p.format() for p in config.notes] == notes


def test_unknown_html_mode_is_an_error_with_a_hint(tmp_path):
    assert problems(tmp_path, '[markdown]\nhtml = "sfe"\n') == [
        'brief.toml:2: markdown.html: unknown mode \'sfe\' (expected "escape", "safe" or "trusted"); did you mean \'safe\'?'
    ]


# --- whole builds -------------------------------------------------------------------------------


def test_build_reports_each_removal_and_the_deprecated_key(tmp_path):
    body = 'Intro.\n\n<table>\n<tr><td onclick="x">a</td></tr>\n</table>\n\n<script>alert(1)</script>\n'
    site = make_site(
        tmp_path,
        {"content/a.md": article(body=body, takeaways=["One"]), "content/b.md": article(title="B", takeaways=["Two"])},
        "[markdown]\nallow_html = false\n",
    )
    code, _, err = run_build(site)
    assert code == 0, err
    assert "brief.toml:2: warning: markdown.allow_html: deprecated; " in err  # allow_html = false is "escape"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in read_output(site, "2024/01/a/index.html")
    (site / "brief.toml").write_text('[warnings]\niframe-removed = "error"\n', encoding="utf-8")
    code, _, err = run_build(site)
    assert code == 0, err
    lines = (site / "content/a.md").read_text(encoding="utf-8").splitlines()
    td, script = lines.index('<tr><td onclick="x">a</td></tr>') + 1, lines.index("<script>alert(1)</script>") + 1
    assert err.splitlines() == [
        f'content/a.md:{td}: warning: body: onclick="x" removed from <td> (event handlers never run from an article) '
        "[raw-html-removed]",
        f"content/a.md:{script}: warning: body: <script> removed with everything in it (scripts never run from an article) "
        "[raw-html-removed]",
    ]
    html = read_output(site, "2024/01/a/index.html")
    assert "<td>a</td>" in html and "alert" not in html
    (site / "brief.toml").write_text('[warnings]\nraw-html-removed = "off"\n', encoding="utf-8")
    code, _, err = run_build(site)
    assert (code, err) == (0, "")
