"""One line of inline Markdown that is plain text (most takeaways) is its own HTML, without
markdown-it (brief.render.mdrules.plain_inline): for any text it takes so, markdown-it gives
the same HTML and records nothing (no problem, id, file or dependency), with and without
the typographer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer
from brief.render.mdrules import plain_inline

PIECES = st.sampled_from(
    list("abcXYZ019 .,;:'\"()%$-+?!#=@^|/\t")
    + list("*_[]<>&\\`~{}\n\r\x00")
    + ["é", "ß", "—", "“", "”", "\u00a0", "\u2028", "\u200b", "😀", "(c)", "(TM)", "...", "--", "+-", ",,", "word"]
)
PLAIN_PIECES = st.sampled_from(
    list("abcXYZ019 .,;:'\"()%$-+?!#=@^|/") + ["é", "—", "“", "\u00a0", "😀", "(c)", "...", "--", "word"]
)
TEXT = st.one_of(st.lists(PIECES, max_size=24), st.lists(PLAIN_PIECES, max_size=24)).map("".join)

TAKEAWAYS = [
    "Storage capacity rose 12% in 2025, the fastest pace since 2019.",
    "The regulator's report puts the cost at $4.2 billion; prices follow in Q3.",
    "Three of five grid operators - not all - back the plan.",
    "Café owners in Zürich pay 8.5 cents per kWh.",
]


def _markdown_it(root: Path, text: str, typographer: bool) -> tuple[str, PageEnv]:
    renderer = Renderer(Config(root=root, publisher_name="P", typographer=typographer), {})
    env = PageEnv(source=root / "content" / "a.md", relpath="content/a.md", url_path="/2026/10/a/")
    html = renderer._inline_md.renderInline(text, {"brief": env, "line": 3, "field": "takeaways[0]"})
    return html, env


@settings(max_examples=400, deadline=None)
@given(TEXT, st.booleans())
@example("A plain line.", False)
@example(" spaces around ", True)
def test_plain_text_is_what_markdown_it_renders(tmp_path_factory, text, typographer):
    plain = plain_inline(text, typographer)
    if plain is None:
        return
    html, env = _markdown_it(tmp_path_factory.getbasetemp(), text, typographer)
    assert plain == html
    assert (env.problems, env.ids, env.assets, env.deps, env.images) == ([], set(), {}, {}, [])


@pytest.mark.parametrize("text", TAKEAWAYS)
def test_a_usual_takeaway_needs_no_markdown_it(tmp_path, text):
    assert plain_inline(text, typographer=False) == text == _markdown_it(tmp_path, text, False)[0]


@pytest.mark.parametrize(
    ("text", "typographer"),
    [
        ("Rates *fell*.", False),
        ("See [the report](other.md).", False),
        ("Costs & benefits", False),
        ('A "quoted" word', False),
        ("{{< figure >}}", False),
        ("Prices rose {{ .Params.rise }} in May", False),
        ("{% include note.html %}", False),
        ("A line\nand another", False),
        ("The regulator's report", True),
        ("Prices -- then costs", True),
        ("Wait...", True),
    ],
)
def test_text_with_markup_or_typography_goes_to_markdown_it(text, typographer):
    assert plain_inline(text, typographer) is None


def test_the_renderer_gives_a_takeaway_with_a_footnote_mark_its_warning(tmp_path):
    renderer = Renderer(Config(root=tmp_path, publisher_name="P"), {})
    env = PageEnv(source=tmp_path / "a.md", relpath="content/a.md")
    assert renderer.inline(TAKEAWAYS[0], env, 3, "takeaways[0]") == TAKEAWAYS[0]
    renderer.inline("Rates fell.[^1]", env, 4, "takeaways[1]")
    assert [(p.line, p.field, p.code) for p in env.problems] == [(4, "takeaways[1]", "misplaced-footnote")]
