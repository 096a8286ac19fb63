"""The line-by-line reading of plain front matter (brief.content.yamlplain) against libyaml's.

``parse_yaml`` reads front matter of the plainest shapes itself and leaves the rest to
libyaml (``yamllines._parse_nodes``). Whenever the line reader gives an answer, it must be
libyaml's to the letter: the same values of the same types, and the same lines, raw texts
and value lines in the same order. The texts are generated near the edge of what the line
reader takes: values that YAML types or refuses, indents that change a block's meaning,
empty values, comments, carried-on lines, characters YAML treats specially.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_yaml_quick import _shape

from brief.content import yamllines
from brief.content.yamllines import _parse_nodes, parse_yaml
from brief.content.yamlplain import read_plain

FAST = settings(max_examples=400, deadline=None)

VALUES = [
    "Grid batteries",
    "It's a deal",
    "Q&A with the minister",
    "a:b",
    "10:30",
    "1:30",
    "190:20:30",
    "0x1F",
    "0b11",
    "017",
    "1_000",
    "1e3",
    "1.5e3",
    "1.0e+3",
    ".5",
    "1.",
    ".inf",
    ".NaN",
    "0",
    "00",
    "1,000",
    "$5",
    "5%",
    "~",
    "null",
    "Null",
    "nULL",
    "yes",
    "Yes",
    "yEs",
    "on",
    "OFF",
    "y",
    "n",
    "true",
    "False",
    "2024-01-02",
    "2024-01-02T10:00",
    "2024-01-02 10:00:00",
    "2024-1-2 1:00:00",
    "2024-01-02T10:00:00.5+05:30",
    "/images/x.jpg",
    "https://example.org/a?b=c&d=e",
    "a: b",
    "a:",
    "a :",
    "C#",
    "a #b",
    "[a]",
    "a]",
    "{a}",
    "a}",
    "a, b",
    "!x",
    "a!",
    "%x",
    "a%",
    "@x",
    "`x",
    "a`",
    "|",
    "a|b",
    ">",
    "a > b",
    "'q'",
    "q'",
    '"q"',
    'q"',
    "*a",
    "a*",
    "&a",
    "a&",
    "?x",
    "? x",
    "a?",
    ":x",
    "é",
    "😀",
    "\u00a0a",
    "a\u00a0",
    "a\u3000b",
    "a  b",
    "<<",
    "=",
    "<<x",
    "=x",
    "...",
    "... x",
    "---",
    "--",
    "- x",
    "-x",
    "-5",
    "+5",
    "a - b",
    "a -",
    "'",
    '"',
    "\\",
    "a\\nb",
    "a\tb",
    "a\x85b",
    "a\u2028b",
    "\ufeffa",
    "",
    " ",
]
KEYS = ["title", "dek", "date", "tags", "image", "a", "on", "yes", "No", "null", "true", "x-y", "_a", "A"]
KEYS += ["1a", "a b", "a:b", "-a", "é"]
NOISE = ["", "", "   ", "  continued", "# comment", "\t", "---", "...", "- x", "-", "- ", "  - y", "  b: c", "x"]
NOISE += [" x: y", "key:", "a: b # note", "? a", ": b", "[a, b]", "{a: 1}", "a: |", "  text", "a: &x b", "b: *x"]

value = st.sampled_from(VALUES) | st.text(alphabet="ab1 :-.#'", max_size=6)
separator = st.sampled_from([": ", ": ", ":  ", ":", ": \t"])
trailing = st.sampled_from(["", "", "", " ", "  "])
single = st.builds(lambda k, s, v, t: f"{k}{s}{v}{t}", st.sampled_from(KEYS), separator, value, trailing)


@st.composite
def block(draw) -> str:
    """``key:`` and a list or mapping under it, its lines mostly at one indent."""
    indent = draw(st.sampled_from([0, 2, 2, 4, 1]))
    listed = draw(st.booleans())
    rows = [draw(st.sampled_from(KEYS)) + ":" + draw(trailing)]
    for _ in range(draw(st.integers(0, 4))):
        pad = " " * (indent if draw(st.integers(0, 9)) else draw(st.sampled_from([0, 1, 2, 3, 4])))
        if draw(st.integers(0, 9)) == 0:
            listed = not listed  # a list item among mapping lines, or the other way
        head = "- " if listed else draw(st.sampled_from(KEYS)) + draw(separator)
        rows.append(pad + head + draw(value) + draw(trailing))
        if draw(st.integers(0, 7)) == 0:
            rows.append("")
    return "\n".join(rows)


front_matter = st.lists(st.one_of(single, single, block(), block(), st.sampled_from(NOISE)), max_size=8).map("\n".join)
PLAIN_KEYS, PLAIN_VALUES = st.sampled_from(KEYS[:14]), st.sampled_from(VALUES[:42])
ordinary = st.lists(
    st.tuples(
        PLAIN_KEYS,
        st.one_of(
            PLAIN_VALUES.map(lambda v: f" {v}"),
            st.builds(
                lambda pad, items: "\n" + "\n".join(f"{pad}- {v}" for v in items),
                st.sampled_from(["", "  "]),
                st.lists(PLAIN_VALUES, min_size=1, max_size=3),
            ),
            st.lists(st.tuples(PLAIN_KEYS, PLAIN_VALUES), min_size=1, max_size=3, unique_by=lambda kv: kv[0]).map(
                lambda items: "\n" + "\n".join(f"  {n}: {v}" for n, v in items)
            ),
        ),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda kv: kv[0],
).map(lambda fields: "\n".join(f"{k}:{v}" for k, v in fields))


@st.composite
def near(draw) -> str:
    """Ordinary front matter with a line or two changed: another value (which YAML may type
    or refuse), another indent, or a line of noise after it."""
    rows = draw(ordinary).split("\n")
    out = []
    for row in rows:
        change = draw(st.integers(0, 11))
        if change == 0:
            head, sep, _ = row.rpartition(": " if ": " in row else "- ")
            row = head + (sep or ": ") + draw(value) + draw(trailing)
        elif change == 1:
            row = " " * draw(st.integers(0, 4)) + row.lstrip(" ")
        out.append(row)
        if change == 2:
            out.append(draw(st.sampled_from(NOISE) | single))
    return "\n".join(out)


def _same(text: str) -> bool:
    """Whether the line reader answered; if it did, its answer must be libyaml's."""
    plain = read_plain(text, 2)
    if plain is None:
        return False
    nodes = _parse_nodes(text, "a.md", 2)
    assert isinstance(nodes, tuple), nodes  # libyaml found nothing to report either
    for mine, theirs in zip(plain, nodes, strict=True):
        assert _shape(mine) == _shape(theirs)
    return True


@FAST
@given(front_matter | near())
@example("title: A\n\ndate: 2024-01-02\ntags:\n- a\n\n- b\nimage:\n  src: /x.png\n  on: x\n  yes: y")
@example("a:\n  - x\n  - y\nb: 1")
@example("a:\n- x\n  - y")
@example("a:\n  b: 1\n  b: 2")
@example("a:\n  on: 1\n  yes: 2")
@example("a:\n- x\nb:")
@example("a:\n\n")
@example("a: x\n  continued")
@example("a:\n- x\n  continued")
@example("a:\n  - x\n- y")
@example("a:\n - x\n  - y")
@example("a: 1\na: 2")
@example("a:\n  - x\n  b: y")
@example("a:\n  b: y\n  - x")
@example("a:\n- x\nb: y\n- z")
@example("a: " + "9" * 5000)
def test_plain_reading_is_libyamls_whenever_it_answers(text):
    _same(text)


SHAPES = [
    "k: {}",
    "k:  {}  ",
    "k: \t{}",
    "t: x\nk: {}\nz: y",
    "k:\n- {}",
    "k:\n-  {}\n- b",
    "k:\n  - {}\n  - b",
    "k:\n  a: {}\n  b: c",
    "k:\n  {}: x",
    "{}: x",
    "{}:\n- x",
]


def test_every_value_and_key_in_every_shape():
    """Each value and key of the lists above in each shape a plain field takes: what the line
    reader reads must be what libyaml reads, down to the type and the line."""
    read = 0
    for shape in SHAPES:
        for text in VALUES + KEYS:
            read += _same(shape.format(text))
    assert read > len(SHAPES) * 30  # most shapes of most ordinary values are read line by line


@FAST
@given(ordinary)
def test_ordinary_front_matter_is_read_line_by_line(text):
    """What articles hold is read without libyaml (else the line reader would save nothing)."""
    assert _same(text)


@FAST
@given(front_matter | near())
def test_parse_yaml_answers_as_libyaml(text):
    mine, nodes = parse_yaml(text, "a.md", 2), _parse_nodes(text, "a.md", 2)
    if isinstance(nodes, list):
        assert mine == nodes
    else:
        assert isinstance(mine, tuple) and [_shape(m) for m in mine] == [_shape(n) for n in nodes]


def test_the_benchmark_shape_is_read_without_libyaml(monkeypatch):
    text = (
        "title: Grid batteries\ndek: Why the grid wants them.\ndate: 2020-01-01T11:15\nauthors:\n- Writer 11\n"
        "section: Economy\ntags:\n- Energy\n- Markets\ntakeaways:\n- One point.\n- Another, with 18%.\n"
        "image:\n  src: /images/x.jpg\n  alt: A chart\ndraft: no"
    )
    monkeypatch.setattr(yamllines, "_parse_nodes", None)  # parse_yaml must not need it
    meta, lines, raw, value_lines = parse_yaml(text, "a.md", 2)  # type: ignore[misc]
    assert meta["draft"] is False and meta["image"] == {"src": "/images/x.jpg", "alt": "A chart"}
    assert (
        lines[("takeaways", 1)] == 13 and raw[("date",)] == "2020-01-01T11:15" and value_lines[("image", "alt")] == 16
    )


def test_the_characters_left_to_libyaml_are_every_one_yaml_does_not_print_as_it_is():
    """brief.content.yamlplain._UNSAFE names the characters outside YAML's printable set
    (YAML 1.1: ``\\n``, 20–7E, A0–D7FF, E000–FFFD, 10000–10FFFF, less the line breaks U+2028,
    U+2029 and a byte-order mark): checked on every code point against that set."""
    import re
    import sys

    from brief.content.yamlplain import _UNSAFE

    printable = re.compile("[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
    text = "".join(map(chr, range(sys.maxunicode + 1)))
    assert "".join(_UNSAFE.findall(text)) == printable.sub("", text)
