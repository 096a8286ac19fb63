"""A top-level paragraph of plain text is written as markdown-it writes it, without markdown-it
(brief.render.mdstream.plain_paragraph): the whole document's HTML, and what it records
(problems, heading ids, files, dependencies), are markdown-it's own, whatever surrounds the
paragraph (lists, quotes, code, tables, raw HTML, embeds, footnotes), with each raw HTML
mode and with and without the typographer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer
from brief.render.mdstream import plain_paragraph, render_by_blocks

PLAIN = ["Rates", "grid", "Café", "naïve", "it's", '"Quoted"', "(aside)", "$5", "€4", "12%", "--", "...", "(c)"]
TRICKY = [
    "2024.",
    "1)",
    "a_b",
    "*em*",
    "[link](other.md)",
    "<b>raw</b>",
    "&amp;",
    "x\u00a0",
    "a\u2028b",
    "https://example.org/",
]
WORDS = st.one_of(st.sampled_from(PLAIN), st.sampled_from(PLAIN), st.sampled_from(PLAIN), st.sampled_from(TRICKY))
LINE = st.lists(WORDS, min_size=1, max_size=5).map(" ".join)
STARTS = st.one_of(
    st.just(""), st.just(""), st.sampled_from(["- ", "* ", "+ ", "1. ", "# ", "> ", "    ", "\t", " ", "| "])
)
ENDS = st.one_of(st.just(""), st.just(""), st.sampled_from([" ", "  ", "\t", "\u00a0"]))
OTHER = st.sampled_from(
    [
        "===",
        "---",
        "| a | b |\n|---|---|\n| c | d |",
        "```\ncode\n```",
        "::: callout note Heads up\nText.\n:::",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "<div>",
        "</div>",
        "<div>\nRaw text\n</div>",
        "Text with a note.^[An inline note.]",
        "[^1]: A note.",
        "See [a][ref].\n\n[ref]: https://example.org/",
        "## Outlook",
        "<script>alert(1)</script>",
        "Prices {{ .Params.rise }} in May.",
        '<p onclick="x()">Raw paragraph</p>',
    ]
)


@st.composite
def paragraph(draw) -> str:
    lines = draw(st.lists(st.tuples(STARTS, LINE, ENDS), min_size=1, max_size=3))
    return "\n".join(start + text + end for start, text, end in lines)


CLEAN = st.lists(
    st.tuples(st.sampled_from(["Rates", "Café", '"Quoted"', "(aside)"]), st.lists(st.sampled_from(PLAIN), max_size=5)),
    min_size=1,
    max_size=3,
).map(lambda lines: "\n".join(" ".join([first, *rest]) for first, rest in lines))
"""A paragraph of plain text, as most of an article's are."""

DOCUMENT = st.lists(st.one_of(paragraph(), CLEAN, CLEAN, OTHER), min_size=1, max_size=8).flatmap(
    lambda blocks: st.lists(
        st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n"]), min_size=len(blocks), max_size=len(blocks)
    ).map(lambda gaps: "".join(b + g for b, g in zip(blocks, gaps)))
)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("plain")
    (root / "content").mkdir()
    return root


def _render(root: Path, text: str, html: str, typographer: bool, stream: bool):
    config = Config(root=root, publisher_name="P", typographer=typographer, html=html)
    renderer = Renderer(config, {(root / "content" / "other.md").resolve(): "/2026/10/other/"})
    env = PageEnv(source=root / "content" / "a.md", relpath="content/a.md", url_path="/2026/10/a/")
    state = {"brief": env, "line": 7, "field": "body", "outer_level": 1}
    md = renderer._md
    out = render_by_blocks(md, text, state) if stream else md.render(text, state)
    if renderer._raw is not None:
        out += renderer._raw.finish(state)
    return out, [str(p) for p in env.problems], sorted(env.ids), list(env.assets.items()), list(env.deps.items())


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(DOCUMENT, st.sampled_from(["escape", "safe", "trusted"]), st.booleans())
@example('One plain paragraph.\n\nAnd a "second" one\nover two lines.\n', "safe", False)
@example("<div>\n\nPlain text between.\n\n</div>\n", "trusted", False)
@example("- a list\n\nPlain after it.\n", "safe", False)
@example("It's -- he said... (c)\n", "safe", True)
@example("<script>x</script>\n\nPlain text.\n\nPrices {{ .Params.rise }} in May.\n", "safe", False)
def test_a_document_with_plain_paragraphs_is_markdown_it_s_render(root, text, html, typographer):
    assert _render(root, text, html, typographer, stream=True) == _render(root, text, html, typographer, stream=False)


@pytest.mark.parametrize(
    "text",
    [
        "Rates rose 12% in 2025, the fastest pace since 2019.\n",
        'The minister said: "We will act." (Her words.)\n\n',
        "Café owners pay €4 more\nthan last year.\n   \n",
        "$5 a day.",
    ],
)
def test_a_plain_paragraph_is_taken(text):
    assert plain_paragraph(text, typographer=False) == "<p>" + text.strip().replace('"', "&quot;") + "</p>\n"


@pytest.mark.parametrize(
    ("text", "typographer"),
    [
        ("Rates *rose*.", False),
        ("A line  \nwith a hard break", False),
        ("Title\n===", False),
        ("2024. A year", False),
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", False),
        ("Ends in a space ", False),
        ("One\n\nTwo", False),
        ("It's plain", True),
        ("", False),
    ],
)
def test_anything_else_goes_to_markdown_it(text, typographer):
    assert plain_paragraph(text, typographer) is None


def test_with_line_breaks_on_no_paragraph_is_taken_as_plain(root):
    """markdown-it's ``breaks`` option writes a line break inside a paragraph as ``<br />``."""
    renderer = Renderer(Config(root=root, publisher_name="P"), {})
    md = renderer._md
    md.options["breaks"] = True
    env = PageEnv(source=root / "content" / "a.md", relpath="content/a.md")
    text = "Two lines\nof plain text.\n\nAnd one more.\n"
    assert render_by_blocks(md, text, {"brief": env, "line": 1}) == md.render(text, {"brief": env, "line": 1})
    assert "<br />" in md.render(text, {})
