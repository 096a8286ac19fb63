"""HTML → brief Markdown (brief/migrate/htmlmd.py): each construct, the escaping of text, and
the Markdown rendered back by brief's own renderer (what a reader of the import would see)."""

from __future__ import annotations

from pathlib import Path

import pytest

from brief.config import Config
from brief.migrate.htmlmd import to_markdown
from brief.migrate.mdtext import Blocks, escape_text, plain_text, tidy
from brief.migrate.report import Report
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer


def md(html: str, report: Report | None = None, blocks: Blocks | None = None) -> str:
    return to_markdown(html, report=report or Report(), source="export.xml", line=10, blocks=blocks)


def render(tmp_path: Path, text: str) -> tuple[str, list[str]]:
    (tmp_path / "content").mkdir(exist_ok=True)
    env = PageEnv(source=tmp_path / "content" / "a.md", relpath="content/a.md", url_path="/2026/01/a/")
    html = str(Renderer(Config(root=tmp_path), {}).block(text, env, 1))
    return html, [p.format() for p in env.problems]


# --- text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("snake_case and 2 * 3", "snake_case and 2 * 3"),
        ("*stars* and __init__", r"\*stars\* and \_\_init\_\_"),
        ("<b>shown as text</b>", r"\<b>shown as text\</b>"),
        ("AT&T and &copy; written out", r"AT&T and \&copy; written out"),
        ("[1] and [sic]", "[1] and [sic]"),
        ("[not](a link)", r"[not\](a link)"),
        ("~~not struck~~ and a ~ tilde", r"\~\~not struck\~\~ and a ~ tilde"),
        ("`code`", r"\`code\`"),
        ("an inline ^[footnote]", r"an inline \^[footnote]"),
        ("https://example.org/a_b_/*x*", "https://example.org/a_b_/*x*"),
        ("C:\\path and \\* and \\", "C:\\path and \\\\\\* and \\\\"),
    ],
)
def test_text_is_escaped_only_where_markdown_would_read_markup(text, expected):
    assert escape_text(text) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>1. not a list</p>", "1\\. not a list\n"),
        ("<p>- not a bullet</p>", "\\- not a bullet\n"),
        ("<p># not a heading</p>", "\\# not a heading\n"),
        ("<p>&gt; not a quote</p>", "\\> not a quote\n"),
        ("<p>::: not a block</p>", "\\::: not a block\n"),
        ("<p>---</p>", "\\---\n"),
        ("<p>Total<br>==</p>", "Total\\\n\\==\n"),
        ("<p>Total<br>= 4</p>", "Total\\\n= 4\n"),
        ("<p>[a]: not a definition</p>", "\\[a]: not a definition\n"),
        ("<p>In 2020. A year</p>", "In 2020. A year\n"),
        ("<p>a - b and c # d</p>", "a - b and c # d\n"),
    ],
)
def test_what_would_start_a_block_is_escaped_at_a_line_start_only(html, expected):
    assert md(html) == expected


def test_escaped_text_renders_as_the_text(tmp_path):
    html = (
        "<p>*stars*, snake_case, 2 * 3, &lt;b&gt;bold?&lt;/b&gt;, &amp;amp;, [1], `tick`</p>"
        "<p>1. first</p><p>https://example.org/x_y</p>"
    )
    out, problems = render(tmp_path, md(html))
    assert problems == []
    assert "<p>*stars*, snake_case, 2 * 3, &lt;b&gt;bold?&lt;/b&gt;, &amp;amp;, [1], `tick`</p>" in out
    assert "<p>1. first</p>" in out
    assert "<ol" not in out


def test_inline_elements():
    html = (
        "<p>A <em>light</em> and <strong>heavy</strong> <b>word <strong>nested</strong></b>, "
        "<code>x_y</code>, H<sub>2</sub>O, m<sup>2</sup>, <del>old</del>, "
        '<a href="https://example.org/a" title="A &quot;title&quot;">a link</a>, '
        '<a href="https://example.org/">https://example.org/</a>, <a href="javascript:alert(1)">no</a>.</p>'
    )
    assert md(html) == (
        "A *light* and **heavy** **word nested**, `x_y`, H<sub>2</sub>O, m<sup>2</sup>, ~~old~~, "
        '[a link](https://example.org/a "A \\"title\\""), <https://example.org/>, no.\n'
    )


def test_line_breaks_headings_lists_and_quotes():
    html = (
        "<h1>Title #</h1><h3>Sub</h3><p>one<br>two<br/> three</p>"
        '<ul><li>a</li><li>b<ul><li>c</li></ul></li></ul><ol start="3"><li>x</li></ol>'
        "<blockquote><p>quoted</p><p>twice</p></blockquote><hr>"
    )
    assert md(html) == (
        "# Title \\#\n\n### Sub\n\none\\\ntwo\\\nthree\n\n- a\n- b\n  - c\n\n3. x\n\n> quoted\n>\n> twice\n\n---\n"
    )


def test_code_blocks_keep_their_language_and_text():
    html = (
        '<pre class="wp-block-code"><code class="language-python">def f(x):\n    return x * 2  # __x__\n\n'
        "print(f(1))</code></pre>"
        '<pre class="brush: php; gutter: false">echo "```";</pre><pre>plain &lt;b&gt;</pre>'
        "<p>inline <code>a<br>b</code></p>"
    )
    report = Report()
    assert md(html, report) == (
        "```python\ndef f(x):\n    return x * 2  # __x__\n\nprint(f(1))\n```\n\n"
        '````php\necho "```";\n````\n\n```\nplain <b>\n```\n\ninline `a b`\n'
    )
    assert report.converted["<pre> → code fence with its language"] == 2
    assert report.converted["<pre> → code fence"] == 1


def test_verse_keeps_its_lines():
    html = '<pre class="wp-block-verse">The tide came in,<br>the boats went out.\n\n# Second stanza</pre>'
    assert md(html) == "The tide came in,\\\nthe boats went out.\n\n\\# Second stanza\n"


# --- images and figures ----------------------------------------------------------------------


def test_images_keep_alt_and_title():
    html = (
        '<p>See <img src="/a.png" alt="A [chart]" title="Rates since 2020"> here.</p>'
        '<p><img src="/b b.png" alt="B"></p>'
        '<p><img src="data:image/gif;base64,R0lGOD" data-src="/lazy.png" alt="Lazy"></p>'
        '<p><img src="/c.png" alt="C" title="DSC_0042"></p>'
        '<p><img class="wp-smiley" src="/smile.png" alt="🙂"> ok</p>'
    )
    report = Report()
    assert md(html, report) == (
        'See ![A \\[chart\\]](/a.png "Rates since 2020") here.\n\n![B](</b b.png>)\n\n![Lazy](/lazy.png)\n\n'
        "![C](/c.png)\n\n🙂 ok\n"
    )
    assert report.converted["<img title> → dropped (a file name, or would show as a caption)"] == 1


def test_a_figure_is_an_image_alone_with_its_caption_as_title(tmp_path):
    html = (
        '<figure class="wp-block-image"><a href="/full/bridge.jpg"><img src="https://example.org/bridge.jpg" '
        'alt="The bridge at dawn"/></a><figcaption>The <em>east</em> span, "reopened"</figcaption></figure>'
        '<figure><a href="https://example.org/story/"><img src="https://example.org/c.jpg" alt="C"></a>'
        "<figcaption>Linked</figcaption></figure>"
    )
    report = Report()
    text = md(html, report)
    assert text == (
        '![The bridge at dawn](https://example.org/bridge.jpg "The east span, \\"reopened\\"")\n\n'
        "[![C](https://example.org/c.jpg)](https://example.org/story/)\n\n*Linked*\n"
    )
    out, _ = render(tmp_path, text)
    assert "<figcaption>The east span, &quot;reopened&quot;</figcaption></figure>" in out
    assert report.converted["<figure> → figure"] == 1


def test_a_gallery_of_figures_gives_each_figure():
    html = (
        '<figure class="wp-block-gallery"><figure><img src="/a.jpg" alt="A"><figcaption>One</figcaption></figure>'
        '<figure><img src="/b.jpg" alt="B"></figure><figcaption>Both</figcaption></figure>'
    )
    assert md(html) == '![A](/a.jpg "One")\n\n![B](/b.jpg)\n\nBoth\n'


# --- tables ----------------------------------------------------------------------------------


def test_a_simple_table_is_a_pipe_table(tmp_path):
    html = (
        "<table><thead><tr><th>Month</th><th style='text-align:right'>Share | %</th></tr></thead>"
        "<tbody><tr><td><p>January</p></td><td>41<br>(est.)</td></tr><tr><td>February</td></tr></tbody>"
        "<caption>Shares</caption></table>"
    )
    text = md(html)
    assert text == (
        "| Month | Share \\| % |\n| --- | ---: |\n| January | 41<br>(est.) |\n| February |  |\n\n*Shares*\n"
    )
    out, problems = render(tmp_path, text)
    assert problems == []
    assert '<td style="text-align:right">41<br>(est.)</td>' in out


def test_a_table_with_spans_or_blocks_stays_html_without_presentational_attributes():
    report = Report()
    html = (
        '<table style="width:100%" class="x"><tr><td colspan="2" style="color:red">wide</td></tr>\n\n'
        "<tr><td><ul><li>a</li></ul></td><td>b</td></tr></table>"
    )
    assert md(html, report) == (
        '<table><tr><td colspan="2">wide</td></tr>\n<tr><td><ul><li>a</li></ul></td><td>b</td></tr></table>\n'
    )
    assert report.converted["<table> → HTML table (cells span rows or columns, or hold blocks)"] == 1


# --- embeds and media ------------------------------------------------------------------------


def test_an_iframe_of_a_known_provider_is_its_url_alone(tmp_path):
    report = Report()
    text = md('<p>Watch:</p><iframe src="https://www.youtube.com/embed/aqz-KE-bpKQ?start=30"></iframe>', report)
    assert text == "Watch:\n\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ&t=30s\n"
    out, _ = render(tmp_path, text)
    assert 'class="embed embed-youtube"' in out
    assert report.converted["<iframe> → embed"] == 1


def test_an_iframe_of_another_host_is_kept_and_listed_with_its_line():
    report = Report()
    html = '<p>Map:</p>\n<iframe src="https://maps.example.net/embed?x=1" style="border:0"></iframe>'
    assert md(html, report) == 'Map:\n\n<iframe src="https://maps.example.net/embed?x=1"></iframe>\n'
    assert [str(p) for p in report.unconverted["<iframe> maps.example.net"]] == ["export.xml:11"]


def test_embedded_posts_and_figures_become_their_urls():
    html = (
        '<blockquote class="twitter-tweet"><p>Words</p>&mdash; A (@a) '
        '<a href="https://twitter.com/jack/status/20">March 21, 2006</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\nhttps://vimeo.com/76979871\n</div>'
        "<figcaption>A <em>film</em></figcaption></figure>"
    )
    report = Report()
    assert md(html, report) == (
        "https://x.com/jack/status/20\n\n::: embed https://vimeo.com/76979871\ncaption: A film\n:::\n"
    )
    assert report.converted["<script> → removed (no script runs from an article)"] == 1


def test_video_and_audio_become_links_since_safe_html_removes_them():
    report = Report()
    html = '<video controls src="/media/clip.mp4"></video><audio controls><source src="/media/talk.mp3"></audio>'
    assert md(html, report) == "[Video: clip.mp4](/media/clip.mp4)\n\n[Audio: talk.mp3](/media/talk.mp3)\n"
    assert report.converted["<video> → link (brief's safe HTML removes <video>)"] == 1


def test_pull_quotes_details_and_definition_lists(tmp_path):
    html = (
        '<figure class="wp-block-pullquote"><blockquote><p>Big <em>words</em></p><cite>Someone</cite></blockquote>'
        "</figure><details><summary>How we counted</summary><p>Monthly <b>averages</b>.</p></details>"
        '<dl class="d"><dt>Term</dt><dd>Meaning</dd></dl>'
    )
    text = md(html)
    assert text == (
        "::: pullquote — Someone\nBig *words*\n:::\n\n<details>\n<summary>How we counted</summary>\n\n"
        "Monthly **averages**.\n\n</details>\n\n<dl><dt>Term</dt><dd>Meaning</dd></dl>\n"
    )
    out, problems = render(tmp_path, text)
    assert problems == []
    assert "<blockquote>" in out and "<summary>How we counted</summary>" in out


# --- blocks made before the HTML ------------------------------------------------------------


def test_blocks_fill_their_tokens_at_line_starts_in_lists_and_in_quotes():
    blocks = Blocks()
    token = blocks.add("![x](y.png)\nsecond line")
    html = f"<p> {token}</p><ul><li>{token}</li></ul><blockquote><p>{token}</p></blockquote>"
    assert md(html, blocks=blocks) == (
        "![x](y.png)\nsecond line\n\n- ![x](y.png)\n  second line\n\n> ![x](y.png)\n> second line\n"
    )


def test_plain_text_and_tidy():
    assert plain_text("<p>How the city kept warm in <em>February</em>.</p><p>Next</p>") == (
        "How the city kept warm in February. Next"
    )
    assert tidy("a  \n\n\n\nb\n```\nx  \n\n\n\ny\n```\n\n") == "a\n\nb\n```\nx  \n\n\n\ny\n```\n"


def test_html_footnotes_become_markdown_footnotes(tmp_path):
    report = Report()
    html = (
        '<p>Claim<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup> and more'
        '<sup><a href="#fn:2">2</a></sup>.</p><div class="footnote"><hr><ol>'
        '<li id="fn:1"><p>First <em>note</em>.&nbsp;<a class="footnote-backref" href="#fnref:1">&#8617;</a></p></li>'
        '<li id="fn:2"><p>Second.</p></li></ol></div>'
    )
    text = md(html, report)
    assert text == "Claim[^1] and more[^2].\n\n[^1]: First *note*.\n[^2]: Second.\n"
    assert report.converted["HTML footnotes → Markdown footnotes"] == 1
    out, problems = render(tmp_path, text)
    assert problems == []
    assert 'class="footnote-ref"' in out and "First <em>note</em>." in out
