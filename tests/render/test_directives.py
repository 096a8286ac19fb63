"""The block syntax (brief.render.directives): a provider's URL alone on its line, ``::: embed``,
``::: callout`` and ``::: pullquote``; their HTML, every mistake an error on its line, and
the same HTML and problems whether a text is rendered whole or block by block."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import article, make_site, read_output, run_build

from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer
from brief.render.mdstream import parts, render_by_blocks

YT = "dQw4w9WgXcQ"
WATCH = f"https://www.youtube.com/watch?v={YT}"


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "content").mkdir()
    return tmp_path


def render(site: Path, text: str, first_line: int = 1) -> tuple[str, list[str]]:
    renderer = Renderer(Config(root=site, embeds_allow=("charts.example.org",)), {})
    env = PageEnv(source=site / "content" / "a.md", relpath="content/a.md")
    html = str(renderer.block(text, env, first_line))
    return html, [p.format() for p in env.problems]


def cards(html: str) -> int:
    return html.count('<figure class="embed ')


# --- a URL alone on its line ------------------------------------------------------------------


@pytest.mark.parametrize("line", [WATCH, f"<{WATCH}>", f"  {WATCH}  "])
def test_a_provider_url_alone_is_a_card(site, line):
    html, problems = render(site, f"Before.\n\n{line}\n\nAfter.\n")
    assert cards(html) == 1 and problems == []
    assert html.startswith("<p>Before.</p>\n<figure") and html.endswith("</figure>\n<p>After.</p>\n")


def test_a_url_before_a_heading_is_alone_too(site):
    html, _ = render(site, f"{WATCH}\n## Next\n")
    assert cards(html) == 1 and '<h2 id="h-next">Next</h2>' in html


@pytest.mark.parametrize(
    "text",
    [
        f"See {WATCH}\n",  # in a sentence
        f"{WATCH}\nand more text\n",  # the paragraph goes on
        f"[the speech]({WATCH})\n",  # a link with its own text
        f"- {WATCH}\n- https://youtu.be/{YT}\n",  # a list of links
        f"> {WATCH}\n",  # a quote
        f"    {WATCH}\n",  # indented code
        "https://example.org/story\n",  # an unknown host
        "https://www.google.com/maps/place/London\n",  # a maps link, not an embed
    ],
)
def test_a_url_that_is_not_alone_stays_as_written(site, text):
    html, problems = render(site, text)
    assert cards(html) == 0 and problems == []


def test_an_unknown_autolink_stays_a_link(site):
    html, _ = render(site, "<https://example.org/story>\n")
    assert html == '<p><a href="https://example.org/story">https://example.org/story</a></p>\n'


# --- ::: embed -------------------------------------------------------------------------------


def test_embed_block_with_every_option(site):
    text = (
        f"::: embed {WATCH}\n"
        "caption: The minister's *statement*, [12 March](https://example.org/)\n"
        "title: Budget statement\n"
        "ratio: 4:3\n"
        "start: 1:30\n"
        ":::\n"
    )
    html, problems = render(site, text)
    assert problems == []
    assert '<div class="embed-frame" data-ratio="4:3"' in html
    assert f'data-embed-src="https://www.youtube-nocookie.com/embed/{YT}?autoplay=1&amp;start=90"' in html
    assert 'data-embed-title="Budget statement"' in html and '<p class="embed-title">Budget statement</p>' in html
    assert f'href="{WATCH}&amp;t=90s"' in html
    assert html.endswith(
        "<figcaption>The minister's <em>statement</em>, "
        '<a href="https://example.org/">12 March</a></figcaption>\n</figure>\n'
    )


def test_embed_block_with_the_url_only(site):
    html, problems = render(site, "::: embed <https://datawrapper.dwcdn.net/AbC12/>\n:::\n")
    assert problems == [] and cards(html) == 1 and "<figcaption>" not in html


def test_a_caption_is_checked_like_other_text(site):
    _, problems = render(site, f"::: embed {WATCH}\ncaption: see [b](missing.md)\n:::\n", first_line=4)
    assert problems == [
        "content/a.md:5: body: link to a missing article: content/missing.md "
        "(expected the path of an article's .md file, relative to this file)"
    ]


ERRORS = [
    (
        "::: embed\n:::\n",
        "content/a.md:10: body: ::: embed without a URL (expected ::: embed https://…)",
    ),
    (
        "::: embed https://example.org/story\n:::\n",
        "content/a.md:10: body: cannot embed https://example.org/story (expected the URL of one video, post, "
        "chart, map or track on YouTube, Vimeo, X, Bluesky, Mastodon, Instagram, TikTok, Datawrapper, "
        "Flourish, Google Maps, SoundCloud, Spotify, or of a page on a host listed under [embeds] allow in brief.toml)",
    ),
    (
        f"::: embed {WATCH}\ncaptoin: x\n:::\n",
        "content/a.md:11: body: 'captoin: x' is not an option of ::: embed; did you mean 'caption'? "
        "(expected lines such as caption: …, title: …, ratio: 4:3, start: 1:30)",
    ),
    (
        f"::: embed {WATCH}\njust some words\n:::\n",
        "content/a.md:11: body: 'just some words' is not an option of ::: embed "
        "(expected lines such as caption: …, title: …, ratio: 4:3, start: 1:30)",
    ),
    (
        f"::: embed {WATCH}\ncaption: a\n\ncaption: b\n:::\n",
        "content/a.md:13: body: caption: given twice in one ::: embed (expected each option once)",
    ),
    (
        f"::: embed {WATCH}\nratio: 5:4\n:::\n",
        "content/a.md:11: body: ratio: '5:4' is not one of 16:9, 4:3, 3:2, 1:1, 4:5, 3:4, 2:3, 9:16, 21:9",
    ),
    (
        f"::: embed {WATCH}\nstart: soon\n:::\n",
        "content/a.md:11: body: start: 'soon' is not a time (expected 90, 1:30 or 1m30s)",
    ),
    (
        "::: embed https://x.com/jack/status/20\nstart: 30\n:::\n",
        "content/a.md:11: body: start: a X post cannot start at a time (expected start: only for YouTube and Vimeo videos)",
    ),
    (
        "::: embedd https://x.com/jack/status/20\n:::\n",
        "content/a.md:10: body: unknown block '::: embedd'; did you mean 'embed'?",
    ),
    (
        "::: {.note}\ntext\n:::\n",
        "content/a.md:10: body: unknown block '::: {.note}' (expected ::: embed URL, ::: callout "
        "[note|tip|important|warning|caution] [title] or ::: pullquote [— attribution])",
    ),
    (
        "::: callout warnign Roads closed\ntext\n:::\n",
        "content/a.md:10: body: unknown kind of callout 'warnign'; did you mean 'warning'? "
        "(expected ::: callout, then one of note, tip, important, warning, caution, then the title if any)",
    ),
    (
        "::: pullquote — Ana\n:::\n",
        "content/a.md:10: body: a pull quote without text (expected the quoted words between ::: pullquote and :::)",
    ),
    (
        "Intro.\n\n::: callout\nnever closed\n",
        "content/a.md:12: body: ::: callout is not closed (expected a line ::: after its text)",
    ),
]


@pytest.mark.parametrize(("text", "message"), ERRORS, ids=[e[0].split("\n")[0] for e in ERRORS])
def test_mistakes_are_errors_on_their_line(site, text, message):
    _, problems = render(site, text, first_line=10)
    assert problems == [message]


def test_several_mistakes_in_one_block_are_reported_in_line_order(site):
    _, problems = render(site, f"::: embed {WATCH}\nratio: 2:1\nstart: never\n:::\n", first_line=3)
    assert [p.split(": body: ")[0] for p in problems] == ["content/a.md:4", "content/a.md:5"]


# --- callouts and pull quotes ----------------------------------------------------------------


def test_callout(site):
    html, problems = render(
        site, "::: callout warning Roads **closed** tonight\nThe bridge is *shut*.\n\nDetour.\n:::\n"
    )
    assert problems == []
    assert html == (
        '<div class="callout callout-warning" role="note">\n'
        '<p class="callout-title"><span class="callout-kind">Warning</span> Roads <strong>closed</strong> tonight</p>\n'
        "<p>The bridge is <em>shut</em>.</p>\n<p>Detour.</p>\n</div>\n"
    )


def test_callout_without_kind_or_title_is_a_note(site):
    html, _ = render(site, "::: callout\nText.\n:::\n")
    assert html.startswith(
        '<div class="callout callout-note" role="note">\n<p class="callout-title"><span class="callout-kind">Note</span></p>'
    )


def test_blocks_nest_with_a_longer_fence_outside(site):
    text = (
        f":::: callout tip Watch this\nFirst.\n\n{WATCH}\n\n::: embed https://vimeo.com/76979871\n:::\n::::\nAfter.\n"
    )
    html, problems = render(site, text)
    assert problems == []
    assert cards(html) == 2 and html.index("callout-tip") < html.index("embed-youtube") < html.index("embed-vimeo")
    assert html.endswith("</figure>\n</div>\n<p>After.</p>\n")


def test_pullquote(site):
    html, problems = render(site, "::: pullquote — Ana Ortiz, *Energy Editor*\nStorage carried the grid.\n:::\n")
    assert problems == []
    assert html == (
        '<figure class="pullquote">\n<blockquote>\n<p>Storage carried the grid.</p>\n</blockquote>\n'
        "<figcaption>— Ana Ortiz, <em>Energy Editor</em></figcaption>\n</figure>\n"
    )


def test_pullquote_without_attribution(site):
    html, _ = render(site, "::: pullquote\nWords.\n:::\n")
    assert html == '<figure class="pullquote">\n<blockquote>\n<p>Words.</p>\n</blockquote>\n</figure>\n'


def test_raw_html_in_a_title_is_escaped(site):
    html, _ = render(site, "::: callout note <script>alert(1)</script>\nx\n:::\n")
    assert "<script>" not in html  # escaped, or removed by the sanitiser (raw HTML's own tests)


# --- whole or block by block: the same ----------------------------------------------------------

MIXED = (
    "Intro [a](missing.md).\n\n"
    f"{WATCH}\n\n"
    "::: callout warnign T [b](gone.md)\nBody [c](none.md).\n:::\n\n"
    f"::: embed {WATCH}\ncaption: cap [d](nothere.md)\nratio: 9:9\n:::\n\n"
    "::: pullquote — X\nQuote [e](missing2.md).\n:::\n\n"
    "Middle paragraph that is long enough to be cut after.\n\n"
    "::: nope\ninside\n\nstill inside\n:::\n\n"
    'Last [f](missing3.md). ![chart](https://example.org/c.png "A chart")\n\n'
    '![chart](https://example.org/c.png "A chart")\n'
)


@pytest.mark.parametrize("part", [None, 20, 60])
def test_streamed_render_is_markdown_it_s_render(site, part):
    renderer = Renderer(Config(root=site), {})
    results = []
    for stream in (False, True):
        env = PageEnv(source=site / "content" / "a.md", relpath="content/a.md")
        state = {"brief": env, "line": 5, "field": "body", "outer_level": 1}
        html = render_by_blocks(renderer._md, MIXED, state, part) if stream else renderer._md.render(MIXED, state)
        results.append((html, [p.format() for p in env.problems]))
    assert results[0] == results[1]
    assert len(results[0][1]) == 9  # six missing links, the callout's kind, the ratio and '::: nope'
    assert cards(results[0][0]) == 2 and results[0][0].count("<figcaption>A chart</figcaption>") == 1


def test_a_long_text_is_never_cut_inside_a_block():
    text = "one\n\n::: callout\nin\n\nstill in\n\n```\n:::\n```\n\nin too\n:::\n\nafter\n\nlast\n"
    offsets = [offset for offset, _ in parts(text, cut=True, size=1)]
    assert offsets == [0, 2, 14, 16]  # before the block, then only after its closing line


# --- in a whole build --------------------------------------------------------------------------


def test_errors_stop_the_build_with_file_and_line(tmp_path):
    body = "Intro.\n\n::: callout danger\nText.\n:::\n\n::: embed https://example.org/x\n:::\n"
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 1
    lines = err.splitlines()
    assert any(line.startswith("content/a.md:9: body: unknown kind of callout 'danger'") for line in lines), err
    assert any(line.startswith("content/a.md:13: body: cannot embed https://example.org/x") for line in lines), err
    assert not (site / "public").exists()


def test_a_page_without_embeds_links_no_embed_script(tmp_path):
    body = "::: callout\nText.\n:::\n\n::: pullquote\nWords.\n:::\n"
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 0, err
    html = read_output(site, "2024/01/a/index.html")
    assert 'class="callout callout-note"' in html and 'class="pullquote"' in html
    assert "embeds." not in html


def test_an_embed_in_the_editor_s_desk_links_the_script(tmp_path):
    analysis = {"body": f"Context.\n\n{WATCH}\n"}
    site = make_site(tmp_path, {"content/a.md": article("Body.\n", takeaways=["One"], analysis=analysis)})
    code, _, err = run_build(site)
    assert code == 0, err
    html = read_output(site, "2024/01/a/index.html")
    assert cards(html) == 1 and 'src="/js/embeds.' in html


def test_an_embed_on_a_standalone_page_links_the_script(tmp_path):
    page = f"---\ntitle: About us\n---\nWho we are.\n\n{WATCH}\n"
    site = make_site(tmp_path, {"content/pages/about.md": page, "content/a.md": article("Body.\n", takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 0, err
    html = read_output(site, "about/index.html")
    assert cards(html) == 1 and 'src="/js/embeds.' in html
    assert "embeds." not in read_output(site, "2024/01/a/index.html")
