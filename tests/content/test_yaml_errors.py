"""YAML syntax errors caused by quotes and brackets (issue #18, item 6): reported on the line
where the quote or bracket opened, with that line's text and a hint about quotes, never
about indentation (PyYAML reports an unclosed quote where it gave up, lines later).

The exact messages go through the real CLI: one build of a site holding every case, one
problem line per file. A property test then checks, through the loader, that a quote left
open anywhere in generated front matter is reported on its own line.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from helpers import make_site, run_build
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from brief.content.files import load
from brief.content.yamllines import dotted

PREFIX = "invalid YAML in front matter: "
NEVER_CLOSED = PREFIX + "the quote opened on this line is never closed: "

CASES = {  # file name → (text, the problem line expected on stderr)
    "unclosed-double": (
        '---\ntitle: "Unclosed quote\ndate: 2024-01-02\ndek: Nothing happened\n---\nBody.\n',
        "content/unclosed-double.md:2: title: " + NEVER_CLOSED + '`title: "Unclosed quote` '
        '(end the value with ", or remove the opening ")',
    ),
    "unclosed-single": (
        "---\ntitle: A Quiet Week\ndek: 'Nothing happened\ndate: 2024-01-02\n---\nBody.\n",
        "content/unclosed-single.md:3: dek: " + NEVER_CLOSED + "`dek: 'Nothing happened` "
        "(end the value with ', or remove the opening ')",
    ),
    "unclosed-at-the-end": (  # PyYAML: "found unexpected end of stream", at the closing ---
        '---\ndate: 2024-01-02\ndek: Nothing happened\ntitle: "A Quiet Week\n---\nBody.\n',
        "content/unclosed-at-the-end.md:4: title: " + NEVER_CLOSED + '`title: "A Quiet Week` '
        '(end the value with ", or remove the opening ")',
    ),
    "unclosed-bracket": (
        "---\ntitle: A Quiet Week\ntags: [Energy, Markets\ndate: 2024-01-02\n---\nBody.\n",
        "content/unclosed-bracket.md:3: tags: " + PREFIX + "the [ opened on this line is never closed: "
        "`tags: [Energy, Markets` (end the list with ], or put the whole value in quotes if the [ is part of the text)",
    ),
    "unclosed-brace": (
        "---\ntitle: A Quiet Week\ndate: 2024-01-02\nimage: {src: /images/x.svg, alt: A chart\n---\nBody.\n",
        "content/unclosed-brace.md:4: image: " + PREFIX + "the { opened on this line is never closed: "
        "`image: {src: /images/x.svg, alt: A chart` "
        "(end the mapping with }, or put the whole value in quotes if the { is part of the text)",
    ),
    "nested-quotes": (
        '---\ntitle: "The "big" deal"\ndate: 2024-01-02\n---\nBody.\n',
        "content/nested-quotes.md:2: title: " + PREFIX + 'the value has a " inside its double quotes, '
        'which ends it early: `title: "The "big" deal"` '
        '(put single quotes around it: \'The "big" deal\'; or write each " inside as \\"; or remove the outer quotes)',
    ),
    "nested-both-quotes": (
        '---\ntitle: "It\'s the "big" deal"\ndate: 2024-01-02\n---\nBody.\n',
        "content/nested-both-quotes.md:2: title: " + PREFIX + 'the value has a " inside its double quotes, '
        'which ends it early: `title: "It\'s the "big" deal"` '
        '(write each " inside as \\": "It\'s the \\"big\\" deal"; or remove the outer quotes)',
    ),
    "apostrophe": (
        "---\ntitle: A Quiet Week\ndate: 2024-01-02\ndek: 'It's here'\n---\nBody.\n",
        "content/apostrophe.md:4: dek: " + PREFIX + "the value has an apostrophe (') inside its single quotes, "
        "which ends it early: `dek: 'It's here'` "
        "(put double quotes around it: \"It's here\"; or write each apostrophe inside as ''; or remove the outer quotes)",
    ),
    "text-after-quote": (
        '---\ntitle: "Quiet" week ahead\ndate: 2024-01-02\n---\nBody.\n',
        "content/text-after-quote.md:2: title: " + PREFIX + "the value goes on after its closing quote: "
        '`title: "Quiet" week ahead` (put quotes around all of it: \'"Quiet" week ahead\'; or remove the quotes)',
    ),
    # The quote takes in the lines below it up to the next quote: PyYAML says "did not find expected
    # key" on line 4, and brief used to add "check the indentation".
    "swallows-keys": (
        '---\ntitle: "Grid operators brace for winter\ndate: 2024-01-02\ndek: "A quiet week"\n'
        "tags: [Energy]\n---\nBody.\n",
        "content/swallows-keys.md:2: title: " + NEVER_CLOSED + '`title: "Grid operators brace for winter` '
        '(end the value with ", or remove the opening ")',
    ),
    # ... or up to the end: PyYAML says "end of stream", at the closing --- thirty lines down.
    "swallows-to-the-end": (
        '---\ntitle: "Grid operators brace for winter\ndate: 2024-01-02\ntakeaways:\n'
        + "".join(f"  - Point {n}\n" for n in range(30))
        + "---\nBody.\n",
        "content/swallows-to-the-end.md:2: title: " + NEVER_CLOSED + '`title: "Grid operators brace for winter` '
        '(end the value with ", or remove the opening ")',
    ),
    "list-item": (
        '---\ntitle: A Quiet Week\ndate: 2024-01-02\ntags:\n  - Energy\n  - "Markets\n  - Europe\n---\nBody.\n',
        "content/list-item.md:6: tags[1]: "
        + NEVER_CLOSED
        + '`- "Markets` (end the value with ", or remove the opening ")',
    ),
    "flow-item": (
        '---\ntitle: A Quiet Week\ntags: ["Energy, Markets]\ndate: 2024-01-02\n---\nBody.\n',
        "content/flow-item.md:3: tags: " + NEVER_CLOSED + '`tags: ["Energy, Markets]` '
        '(end the value with ", or remove the opening ")',
    ),
    "nested-field": (
        '---\ntitle: A Quiet Week\ndate: 2024-01-02\nimage:\n  src: /images/x.svg\n  alt: "A chart\n'
        "analysis:\n  byline: Ed\n---\nBody.\n",
        "content/nested-field.md:6: image.alt: " + NEVER_CLOSED + '`alt: "A chart` '
        '(end the value with ", or remove the opening ")',
    ),
    "long-line": (
        '---\ntitle: "' + "The council met again on Tuesday and the budget vote was delayed once more"
        "\ndate: 2024-01-02\n---\nBody.\n",
        "content/long-line.md:2: title: "
        + NEVER_CLOSED
        + '`title: "The council met again on Tuesday and the budget vot…` '
        '(end the value with ", or remove the opening ")',
    ),
    # A line the walk does not read as a key: PyYAML's own mark of the opening quote.
    "explicit-key": (
        '---\n? "title\n: A Quiet Week\ndate: 2024-01-02\n---\nBody.\n',
        "content/explicit-key.md:2: " + NEVER_CLOSED + '`? "title` (end the value with ", or remove the opening ")',
    ),
    "backslash": (
        '---\ntitle: "Rates up 5\\3 points"\ndate: 2024-01-02\n---\nBody.\n',
        "content/backslash.md:2: " + PREFIX + "while parsing a quoted scalar found unknown escape character "
        "(inside double quotes a backslash starts an escape: write \\\\ for one, or use single quotes)",
    ),
    # Not quotes: the indentation hint stays, after a quoted value that rightly spans two lines.
    "indentation": (
        '---\ntitle: "A long headline\n  on two lines"\ndate: 2024-01-02\nimage:\n  src: /images/x.svg\n'
        " alt: A chart\n---\nBody.\n",
        "content/indentation.md:7: " + PREFIX + "while parsing a block mapping did not find expected key "
        "(check the indentation: the keys of one mapping must line up)",
    ),
}


@pytest.fixture(scope="module")
def stderr_lines(tmp_path_factory) -> list[str]:
    site = make_site(tmp_path_factory.mktemp("yaml"), {f"content/{name}.md": text for name, (text, _) in CASES.items()})
    code, _, err = run_build(site)
    assert code == 1, err
    assert "Traceback" not in err
    assert not (site / "public").exists()
    return err.splitlines()


@pytest.mark.parametrize("name", CASES)
def test_message(stderr_lines, name):
    expected = CASES[name][1]
    assert expected in stderr_lines, "\n".join(stderr_lines)
    ours = [line for line in stderr_lines if line.startswith(f"content/{name}.md")]
    assert ours == [expected]  # one problem per file: the YAML cannot be read past it
    if name != "indentation":
        assert "indentation" not in expected


# --- property: a quote left open is reported on its own line ------------------------------------

WORDS = st.text(string.ascii_letters + string.digits, min_size=1, max_size=6)
PLAIN = st.lists(WORDS, min_size=1, max_size=3).map(" ".join)
# No '#' inside quotes: a quote left open ends at the next quote of its kind, and with '#' after
# that one, the rest of the line is a comment and the YAML is valid (a value that took in lines).
IN_QUOTES = string.ascii_letters + string.digits + " .,!?-:"
SCALARS = st.one_of(
    PLAIN.map(lambda text: ("plain", text)),
    st.text(IN_QUOTES + "'", min_size=1, max_size=20).map(lambda text: ('"', text)),
    st.text(IN_QUOTES + '"', min_size=1, max_size=20).map(lambda text: ("'", text)),
)
VALUES = st.one_of(
    SCALARS.map(lambda s: ("scalar", s)),
    st.lists(SCALARS, min_size=1, max_size=3).map(lambda items: ("list", items)),
    st.lists(SCALARS, min_size=1, max_size=3).map(lambda items: ("map", items)),
)


def _front_matter(entries: list, open_at: int, comment: bool) -> tuple[str, int, str | None]:
    """The front matter's lines with the ``open_at``-th quoted value's closing quote left out (none
    when -1); the file line of that value and its field."""
    lines: list[str] = []
    quoted = 0
    target: tuple[int, str | None] = (0, None)

    def written(scalar: tuple[str, str], key: tuple) -> str:
        nonlocal quoted, target
        style, text = scalar
        if style == "plain":
            return text
        quoted += 1
        if quoted - 1 == open_at:
            target = (len(lines) + 2, dotted(key))
            return style + text
        return style + text + style + ("  # note" if comment else "")

    for n, (kind, value) in enumerate(entries):
        key = f"k{n}"
        if kind == "scalar":
            lines.append(f"{key}: {written(value, (key,))}")
            continue
        lines.append(f"{key}:")
        for i, item in enumerate(value):
            if kind == "list":
                lines.append(f"  - {written(item, (key, i))}")
            else:
                lines.append(f"  s{i}: {written(item, (key, f's{i}'))}")
    assume(quoted > open_at or open_at < 0)
    return "\n".join(lines), *target


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=6), st.integers(0, 5), st.booleans())
@example([("scalar", ('"', "Unclosed")), ("scalar", ("plain", "2024"))], 0, False)
@example([("list", [("plain", "a"), ("'", "It"), ("plain", "b")]), ("scalar", ('"', "x"))], 0, True)
@example([("map", [('"', "A chart"), ("plain", "x")]), ("scalar", ("'", "s"))], 0, False)
def test_an_open_quote_is_reported_on_its_line(entries, open_at, comment):
    head, line, field = _front_matter(entries, open_at, comment)
    root = Path("/nonexistent-site")
    problems = load(root / "content" / "a.md", root, f"---\n{head}\n---\nBody.\n".encode())
    assert isinstance(problems, list), head
    assert [(p.line, p.field) for p in problems] == [(line, field)], head
    assert problems[0].message.startswith(NEVER_CLOSED), problems[0].message


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=6), st.booleans())
def test_closed_quotes_are_not_blamed_for_another_error(entries, comment):
    head, _, _ = _front_matter(entries, -1, comment)
    line = head.count("\n") + 3
    root = Path("/nonexistent-site")
    problems = load(root / "content" / "a.md", root, f"---\n{head}\nsection: Markets: Europe\n---\nBody.\n".encode())
    assert isinstance(problems, list), head
    assert [(p.line, p.field, p.message) for p in problems] == [
        (
            line,
            None,
            PREFIX + "mapping values are not allowed in this context (put a value that contains ': ' in quotes)",
        )
    ], head
