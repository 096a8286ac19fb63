"""brief.render.mdstream renders exactly what markdown-it's own render gives: the same HTML,
and the same problems, heading ids, files and dependencies recorded, in the same order,
whether the document is rendered whole or cut into parts (forced here with tiny parts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer
from brief.render.mdstream import parts, render_by_blocks

WORDS = st.sampled_from(
    [
        "rates",
        "grid",
        "Café",
        "storage",
        '"quoted"',
        "it's",
        "--",
        "...",
        "(c)",
        "*em*",
        "**strong**",
        "`code`",
        "~~gone~~",
        "[a](other.md)",
        "[b](#outlook)",
        "[c](/images/x.png)",
        "[d](https://example.org/)",
        "![chart](chart.svg)",
        "^[inline note]",
        "[^1]",
        "[^n]",
        "<b>raw</b>",
        "[e](missing.md)",
        "[f](draft.md#x)",
        "&amp;",
        "\\*",
    ]
)
LINE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)


@st.composite
def block(draw) -> str:
    kind = draw(
        st.sampled_from(
            [
                "para",
                "heading",
                "list",
                "loose",
                "ordered",
                "quote",
                "fence",
                "table",
                "footdef",
                "refdef",
                "indented",
                "rule",
                "embed",
                "callout",
                "figure",
            ]
        )
    )
    line = draw(LINE)
    if kind == "heading":
        return "#" * draw(st.integers(1, 6)) + " " + draw(st.sampled_from(["Outlook", "Outlook", "fn1", line]))
    if kind == "list":
        return "\n".join(f"- {draw(LINE)}" for _ in range(draw(st.integers(1, 3))))
    if kind == "loose":
        return "\n\n".join(f"* {draw(LINE)}" for _ in range(draw(st.integers(2, 3))))
    if kind == "ordered":
        return "\n".join(f"{n}. {draw(LINE)}" for n in range(1, draw(st.integers(2, 4))))
    if kind == "quote":
        return "> " + line + ("\n>\n> > " + draw(LINE) if draw(st.booleans()) else "")
    if kind == "fence":
        return "```\ncode line\n\nafter a blank\n```"
    if kind == "table":
        return f"| a | b |\n|---|---|\n| {line} | x |"
    if kind == "footdef":
        return f"[^{draw(st.sampled_from(['1', 'n']))}]: {line}"
    if kind == "refdef":
        return "[ref]: https://example.org/ref\n\nSee [it][ref]."
    if kind == "indented":
        return "    indented code\n\n    more"
    if kind == "rule":
        return "---"
    if kind == "embed":  # a URL alone, or a ::: embed block (brief.render.directives)
        return draw(
            st.sampled_from(["https://youtu.be/dQw4w9WgXcQ", f"::: embed <https://vimeo.com/1>\ncaption: {line}\n:::"])
        )
    if kind == "callout":
        return f"::: {draw(st.sampled_from(['callout warning', 'callout', 'pullquote —', 'nope']))} {line}\n{draw(LINE)}\n:::"
    if kind == "figure":
        return '![chart](chart.svg "A caption")'
    return line + ("\n" + draw(LINE) if draw(st.booleans()) else "")


DOCUMENT = st.lists(block(), min_size=1, max_size=14).map("\n\n".join)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("stream")
    (root / "content").mkdir()
    (root / "static" / "images").mkdir(parents=True)
    (root / "static" / "images" / "x.png").write_bytes(b"not read")
    (root / "content" / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>')
    return root


def _render(site: Path, text: str, *, stream: bool, part: int | None, typographer: bool, doc_id: str):
    config = Config(root=site, publisher_name="P", typographer=typographer)
    urls = {(site / "content" / "other.md").resolve(): "/2026/10/other/"}
    renderer = Renderer(config, urls, drafts=frozenset({(site / "content" / "draft.md").resolve()}))
    env = PageEnv(source=site / "content" / "a.md", relpath="content/a.md", url_path="/2026/10/a/")
    env.problems.append("earlier")  # type: ignore[arg-type]  # what a takeaway already found stays first
    state = {"brief": env, "line": 7, "field": "body", "outer_level": 1}
    if doc_id:
        state["docId"] = doc_id
    md = renderer._md
    html = render_by_blocks(md, text, state, part) if stream else md.render(text, state)
    return html, [str(p) for p in env.problems], sorted(env.ids), list(env.assets.items()), list(env.deps.items())


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(DOCUMENT, st.sampled_from([None, 40, 120]), st.booleans(), st.sampled_from(["", "analysis"]))
def test_streamed_render_is_markdown_it_s_render(site, text, part, typographer, doc_id):
    expected = _render(site, text, stream=False, part=None, typographer=typographer, doc_id=doc_id)
    got = _render(site, text, stream=True, part=part, typographer=typographer, doc_id=doc_id)
    assert got == expected


def test_parts_are_cut_only_between_top_level_blocks():
    text = "para one\n\n```\nfenced\n\nstill fenced\n```\n\npara two\n\n- item\n\n- loose item\n\nlast para\n"
    pieces = parts(text, cut=True, size=1)
    assert "".join(piece + "\n" for _, piece in pieces[:-1]) + pieces[-1][1] == text
    assert [offset for offset, _ in pieces] == [0, 8, 14]  # never at or inside the fence, nor in the loose list
    assert parts(text, cut=False, size=1) == [(0, text)]  # not to be cut: whole
    assert parts(text + "[x]: /u\n", cut=True, size=1) == [(0, text + "[x]: /u\n")]  # definitions: whole


@pytest.mark.parametrize("part", [None, 30])
def test_a_too_deep_document_reports_as_markdown_it_s_render(site, part):
    """Nesting past markdown-it's limit is reported first, then the link problems, as before."""
    text = "[x](missing.md)\n\n" + "> " * 30 + "deep\n\nafter [y](missing.md)\n\n" + "> " * 25 + "deeper\n"
    expected = _render(site, text, stream=False, part=None, typographer=False, doc_id="")
    got = _render(site, text, stream=True, part=part, typographer=False, doc_id="")
    assert got == expected
    assert "nested too deeply" in got[1][1]
