"""WordPress shortcodes and Gutenberg block comments left in an article are errors on their
line, as Hugo's and Liquid's are (tests/render/test_foreign_syntax.py); ordinary Markdown
with brackets in it (links, footnotes, task lists, [sic], [1], notes in brackets, code) never is."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import article, make_site, run_build
from hypothesis import given, settings
from hypothesis import strategies as st

from brief.config import Config
from brief.render.foreign import closing_names
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer

MAP = "`brief import --map` can replace every one, see README › Migrating"


@pytest.fixture(scope="module")
def renderers(tmp_path_factory) -> dict[str, Renderer]:
    root = tmp_path_factory.mktemp("wp")
    (root / "content").mkdir()
    return {mode: Renderer(Config(root=root, publisher_name="P", html=mode), {}) for mode in ("safe", "escape")}


def wordpress(renderer: Renderer, body: str) -> list[tuple[int | None, str]]:
    """(line, message) of each WordPress problem of ``body``, its first line being line 1."""
    env = PageEnv(source=Path("content/a.md").resolve(), relpath="content/a.md")
    renderer.block(body, env, 1)
    return [(p.line, p.message) for p in env.problems if p.message.startswith("WordPress")]


def constructs(found: list[tuple[int | None, str]]) -> list[tuple[int | None, str]]:
    """(line, the construct as the message names it)."""
    return [(line, message.split(" would be ")[0].split(" ", 2)[2].removeprefix("comment ")) for line, message in found]


FLAGGED = [
    ('Sign up: [newsletter list="daily"] today.\n', [(1, '[newsletter list="daily"]')]),
    (
        'Intro.\n\n[contact-form-7 id="12" title="Contact form 1"]\n',
        [(3, '[contact-form-7 id="12" title="Contact form 1"]')],
    ),
    ("[gallery ids=1,2,3 columns=3]\n", [(1, "[gallery ids=1,2,3 columns=3]")]),
    ("Click [su_button url='#' style=flat]here.\n", [(1, "[su_button url='#' style=flat]")]),
    (
        '[soundcloud url="https://x.org/a" "quoted positional"]\n',
        [(1, '[soundcloud url="https://x.org/a" "quoted positional"]')],
    ),
    ("[su_note]Careful.[/su_note]\n", [(1, "[/su_note]")]),  # the closing tag stands for the pair
    ("Contents:\n[toc /]\n\nAnd [br/] here.\n", [(2, "[toc /]"), (4, "[br/]")]),
    ("[su_note]\nCareful.\n[/su_note]\n", [(1, "[su_note]"), (3, "[/su_note]")]),
    ("[su_note]\n\nCareful.\n\n- a list\n- [/su_note]\n", [(1, "[su_note]"), (6, "[/su_note]")]),
    ('[video src="a.mp4"][/video]\n', [(1, '[video src="a.mp4"]'), (1, "[/video]")]),
    ('## A heading [cta id="4"]\n', [(1, '[cta id="4"]')]),
    ('> quoted\n> [newsletter list="daily"]\n', [(2, '[newsletter list="daily"]')]),
    ('| a | b |\n| - | - |\n| [newsletter list="x"] | 2 |\n', [(3, '[newsletter list="x"]')]),
    ('<div class="box">\n[newsletter list="daily"]\n</div>\n', [(2, '[newsletter list="daily"]')]),
    ('Text[^1].\n\n[^1]: See [newsletter list="x"].\n', [(3, '[newsletter list="x"]')]),
    ('<!-- wp:latest-posts {"postsToShow":3} /-->\n', [(1, "<!-- wp:latest-posts -->")]),
    ("Before.\n\n<!-- wp:search /-->\n\nAfter.\n", [(3, "<!-- wp:search -->")]),
    ("<!-- wp:core/archives /-->\n", [(1, "<!-- wp:core/archives -->")]),
    (
        '<!-- wp:jetpack/slideshow {"ids":[1,2]} -->\n<div class="slides">Two</div>\n<!-- /wp:jetpack/slideshow -->\n',
        [(1, "<!-- wp:jetpack/slideshow -->")],  # its closing comment is not reported again
    ),
    ('<!-- wp:latest-posts {\n"postsToShow":3} /-->\n', [(1, "<!-- wp:latest-posts -->")]),
    ("Text <!-- wp:search /--> inline.\n", [(1, "<!-- wp:search -->")]),
    ("<!-- wp:paragraph -->\n<p>Hello.</p>\n<!-- /wp:paragraph -->\n", [(1, "<!-- wp:paragraph -->")]),
]


@pytest.mark.parametrize("mode", ["safe", "escape"])
@pytest.mark.parametrize(("body", "expected"), FLAGGED)
def test_each_rule_flags_what_it_should_on_its_line(renderers, mode, body, expected):
    assert constructs(wordpress(renderers[mode], body)) == expected


ORDINARY = [
    "Read [the guide](other.md) and [a b=c](https://example.org/).\n",
    'See [the report][r] and [size=large].\n\n[r]: https://example.org/ "Report"\n',
    "[link text key=v](x.md) [other key=v][ref]\n\n[ref]: https://example.org/\n",
    "A claim[^1] and another[^note].\n\n[^1]: The source.\n[^note]: Another.\n",
    "- [ ] to do\n- [x] done\n- [X] done too\n",
    "- [x]\n- [ ]\n",
    "As she said [sic] in [1] of them, [2] and [3].\n",
    "[Editor's note: the figure x=1 was wrong.] And [Update: see page=5 of the report].\n",
    "[Photo: AP] [n=5] [a = b] [see page=5 of the report] [Updated at 10:30 a.m.]\n",
    "> [!NOTE]\n> Useful.\n\n> [!WARNING]\n> Careful.\n",
    'Write `[newsletter list="daily"]` or ``[/su_note]`` or `<!-- wp:search /-->`.\n',
    '```\n[newsletter list="daily"]\n[su_note]\n[/su_note]\n<!-- wp:latest-posts /-->\n```\n',
    '~~~html\n<!-- wp:search /-->\n[gallery ids="1"]\n~~~\n',
    'Code:\n\n    [newsletter list="daily"]\n    <!-- wp:search /-->\n',
    '\\[newsletter list="daily"] is how the plugin is written.\n',
    "[su_note]\n\nIt is shown, in code, as:\n\n```\n[/su_note]\n```\n",  # closed only in code
    "[toc]\n\nA word alone on its line with no closing tag.\n",
    "Text^[an inline note, see a=b] here.\n",
    "<!-- a plain comment --> and <!-- /wp:paragraph -->\n",
    "[[Wiki Link]] and [[1]] and [ ] and [] and [a][b] and [a]: b\n",
]


@pytest.mark.parametrize("mode", ["safe", "escape"])
@pytest.mark.parametrize("body", ORDINARY)
def test_ordinary_markdown_is_never_flagged(renderers, mode, body):
    assert wordpress(renderers[mode], body) == []


def test_in_raw_html_a_pre_is_code_and_escaped_html_is_text(renderers):
    """With ``html = "escape"`` a ``<pre>`` is shown as text, and what it holds with it."""
    body = '<pre>[newsletter list="daily"]\n<!-- wp:search /--></pre>\n'
    assert wordpress(renderers["safe"], body) == []
    assert constructs(wordpress(renderers["escape"], body)) == [
        (1, '[newsletter list="daily"]'),
        (2, "<!-- wp:search -->"),
    ]


PIECES = st.sampled_from(
    [
        "words",
        "[sic]",
        "[1]",
        "[12]",
        "[^1]",
        "[x]",
        "[ ]",
        "[Editor's note: x=1 applies]",
        "[Update: 10:30]",
        "[a](other.md)",
        '[b c="d"](https://example.org/)',
        "[e f=g][ref]",
        "[ref]",
        "[ref][]",
        "![chart](chart.png)",
        "^[inline note]",
        '`[newsletter list="x"]`',
        "`[/su_note]`",
        "`<!-- wp:search /-->`",
        "[!NOTE]",
        "[citation needed]",
        "[a = b]",
        "[n=5]",
        "x[i]",
        "<b>bold</b>",
        "a <!-- note -->",
        "(see [here](x.md))",
        "\\[escaped key=v]",
    ]
)
LINE = st.lists(PIECES, min_size=1, max_size=6).map(" ".join)
PREFIX = st.sampled_from(["", "- ", "- [ ] ", "- [x] ", "1. ", "> ", "## ", "> [!NOTE]\n> "])
CODE = st.sampled_from(
    [
        '```\n[newsletter list="x"]\n[/su_note]\n<!-- wp:latest-posts /-->\n```',
        '<pre>[newsletter list="x"] <!-- wp:search /--></pre>',
    ]
)
BLOCK = st.one_of(st.tuples(PREFIX, LINE).map("".join), CODE)
DOCUMENT = st.lists(BLOCK, min_size=1, max_size=8).map(lambda blocks: "\n\n".join(blocks) + "\n\n[ref]: x.md\n")


@settings(max_examples=300, deadline=None)
@given(DOCUMENT)
def test_ordinary_markdown_is_never_flagged_whatever_its_arrangement(renderers, body):
    assert wordpress(renderers["safe"], body) == []


INSERTED = st.sampled_from(
    [
        ('[newsletter list="daily"]', '[newsletter list="daily"]'),
        ('Join [contact-form-7 id="12"] now', '[contact-form-7 id="12"]'),
        ("[toc /]", "[toc /]"),
        ("Ends here.[/su_note]", "[/su_note]"),
        ('<!-- wp:latest-posts {"postsToShow":3} /-->', "<!-- wp:latest-posts -->"),
        ("<!-- wp:search /-->", "<!-- wp:search -->"),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(BLOCK, min_size=0, max_size=6), st.integers(min_value=0, max_value=6), INSERTED)
def test_a_construct_put_anywhere_is_flagged_once_on_its_line(renderers, blocks, where, inserted):
    written, named = inserted
    where = min(where, len(blocks))
    before = "".join(block + "\n\n" for block in blocks[:where])
    body = before + written + "\n\n" + "\n\n".join(blocks[where:]) + "\n"
    assert constructs(wordpress(renderers["safe"], body)) == [(before.count("\n") + 1, named)]


def test_closing_names_skip_code_and_links():
    text = "```\n[/a]\n```\n[/b] and `[/c]` and [/d](x.md)\n    [/e]\n~~~~\n[/f]\n~~~\n[/g]\n~~~~\n[/h]\n[/i][/j]\n"
    assert closing_names(text) == {"b", "h", "i", "j"}
    assert closing_names("No closing tag [here].\n") == frozenset()


def test_the_messages_say_what_to_write_instead(renderers):
    found = wordpress(
        renderers["safe"],
        '[newsletter list="daily"]\n\n[caption id="1"]\n\n<!-- wp:latest-posts /-->\n\n<!-- wp:paragraph -->\n',
    )
    assert found == [
        (
            1,
            f'WordPress shortcode [newsletter list="daily"] would be published as text '
            f"(expected brief Markdown in its place; {MAP})",
        ),
        (
            3,
            'WordPress shortcode [caption id="1"] would be published as text (expected an image alone in its '
            f'paragraph, its caption as the title: ![what it shows](path "caption"); {MAP})',
        ),
        (
            5,
            f"WordPress block <!-- wp:latest-posts --> would be dropped from the page "
            f"(expected brief Markdown in its place; {MAP})",
        ),
        (
            7,
            "WordPress block comment <!-- wp:paragraph --> would be dropped from the page (expected no comment: "
            "the HTML between it and <!-- /wp:paragraph --> is what readers see; delete both comments)",
        ),
    ]


def test_brief_build_reports_them_on_their_lines_and_writes_nothing(tmp_path):
    body = (
        "The storage fleet ran for six days [sic], says [the report](b.md).[^1]\n\n"  # 7
        '[newsletter list="daily"]\n\n'  # 9
        "[su_note]\nCareful with the numbers.\n[/su_note]\n\n"  # 11-13
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n\n'  # 15
        "- [x] checked\n- [ ] not yet\n\n"  # 17-18
        '```\n[contact-form-7 id="12"]\n<!-- wp:search /-->\n```\n\n'  # 20-23
        "[^1]: Figures from the utility [1].\n"  # 25
    )
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(body, takeaways=["One"]),
            "content/b.md": article(
                "Fine [sic] text, [a link](a.md), [^n] and `[x y=z]`.\n\n[^n]: Note.\n", title="B", takeaways=["One"]
            ),
            "content/c.md": article("Text.\n", title='Sign up [newsletter list="daily"]', takeaways=["One"]),
        },
    )
    code, _, err = run_build(site)
    assert code == 1
    assert [line for line in err.splitlines() if "WordPress" in line] == [
        f'content/a.md:9: body: WordPress shortcode [newsletter list="daily"] would be published as text '
        f"(expected brief Markdown in its place; {MAP})",
        f"content/a.md:11: body: WordPress shortcode [su_note] would be published as text "
        f"(expected brief Markdown in its place; {MAP})",
        f"content/a.md:13: body: WordPress shortcode [/su_note] would be published as text "
        f"(expected brief Markdown in its place; {MAP})",
        f"content/a.md:15: body: WordPress block <!-- wp:latest-posts --> would be dropped from the page "
        f"(expected brief Markdown in its place; {MAP})",
        f'content/c.md:2: title: WordPress shortcode [newsletter list="daily"] would be published as text '
        f"(expected brief Markdown in its place; {MAP})",
    ], err
    assert not [line for line in err.splitlines() if line.startswith("content/b.md")], err
    assert not (site / "public").exists()


def test_brief_build_of_ordinary_brackets_succeeds(tmp_path):
    body = (
        "As she said [sic], in [1] of them.\n\n"
        "[Editor's note: this story was updated.]\n\n"
        "- [x] checked\n- [ ] not yet\n\n"
        "A claim[^1].\n\n[^1]: The source.\n"
    )
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 0, err
    page = next((site / "public").rglob("a/index.html")).read_text(encoding="utf-8")
    assert "As she said [sic], in [1] of them." in page
    assert "[Editor’s note: this story was updated.]" in page or "[Editor's note: this story was updated.]" in page
