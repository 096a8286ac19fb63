"""The quick reading of front matter (brief.content.yamllines._quick) against the careful one.

``parse_yaml`` first reads the nodes libyaml composed in one walk that builds the values and
records every line; anything unusual (an alias, a tag that is not plain, a duplicate or
merge key, a value that cannot be built) sends the file to the careful path, ``_index`` then
``_construct``, which finds and words the problems. Whenever the quick walk gives an answer,
it must be the careful path's to the letter: the same values of the same types, and the
same lines, raw texts and value lines, recorded in the same order (the build cache keeps
them as they are).
"""

from __future__ import annotations

import math

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brief.content import yamllines
from brief.content.yamllines import _construct, _index, _Loader, _mark_lines, _quick, parse_yaml

FAST = settings(max_examples=300, deadline=None)

SCALARS = [
    "Grid batteries",
    "Two words - not a key",
    "2024",
    "-17",
    "+3",
    "0",
    "017",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1:30",
    "190:20:30",
    "1.5",
    "1.",
    "-.5e+3",
    "6.8523015e+5",
    ".inf",
    "-.Inf",
    ".nan",
    ".NaN",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "null",
    "~",
    "",
    "2024-01-02",
    "2024-01-02 10:00:00",
    "2024-1-2T10:00:00.5Z",
    "'quoted: text'",
    "''",
    '"double \\u00e9 \\x41"',
    '"2024"',
    "'yes'",
    "Q&A with the minister",
    "&anchor value",
    "*anchor",
    "!!str 5",
    "!!int zz",
    "!!int 12",
    "!!float 1",
    "!!bool yes",
    "!!null ''",
    "!!binary AAAA",
    "!!timestamp 2024-01-02",
    "!!seq x",
    "!!map [b]",
    "!!str {b: 1}",
    "!!python/name:os.system",
    "!custom x",
    "! non-specific",
    "[a, 1, yes, [b]]",
    "{a: 1, b: [2, 3], 1: x}",
    "[]",
    "{}",
    "|\n  block text\n  on two lines",
    ">-\n  folded\n  text",
    "x # a comment",
    "Line one\u2028line two",
    "next\x85line",
    "<<",
    "=",
]
KEYS = ["title", "date", "tags", "image", "a", "b", "1", "01", "true", "null", "~", "'q'", ".nan", "<<", "="]
KEYS += ["Q&A", "x y"]


def _render(tree, indent: int = 0) -> list[str]:
    """Front-matter lines for a tree of ("map", [(key, tree)]), ("seq", [tree]) or a scalar's text."""
    pad = " " * indent
    kind, items = tree
    out: list[str] = []
    for item in items:
        key, value = item if kind == "map" else ("-", item)
        head = f"{pad}{key}:" if kind == "map" else f"{pad}-"
        if isinstance(value, tuple):
            out.append(head)
            out += _render(value, indent + 2)
        else:
            first, *rest = value.split("\n")
            out.append(f"{head} {first}".rstrip())
            out += [f"{pad}{line}" for line in rest]
    return out


ordinary = st.sampled_from(SCALARS[:40])  # plain values of every implicit type, quoted text
hostile = st.text(alphabet="ab &*:-#'\"[]{}!|>?,.\t", max_size=6)  # mostly YAML errors


def _front_matter(scalar: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    tree = st.recursive(
        scalar,
        lambda inner: st.one_of(
            st.tuples(st.just("map"), st.lists(st.tuples(st.sampled_from(KEYS), inner), min_size=1, max_size=4)),
            st.tuples(st.just("seq"), st.lists(inner, min_size=1, max_size=4)),
        ),
        max_leaves=12,
    )
    return st.lists(st.tuples(st.sampled_from(KEYS), tree), min_size=1, max_size=6).map(
        lambda items: "\n".join(_render(("map", items)))
    )


front_matter = _front_matter(
    st.one_of(ordinary, ordinary, ordinary, st.sampled_from(SCALARS), st.text(alphabet="ab1 .-_", max_size=8))
)


def _shape(value):
    """A value's types and contents, item by item in order (NaN as text: it equals nothing)."""
    if isinstance(value, dict):
        return ("dict", [(_shape(k), _shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_shape(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


def _both(text: str):
    """(the quick walk's answer or None, the careful path's answer: a problem list, the
    values with their maps, or the name of the error it raised)."""
    loader = _Loader(text)
    at = _mark_lines(text, 2)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, type(exc).__name__
    if not isinstance(node, yaml.MappingNode):
        return None, "not a mapping"
    quick = _quick(loader, node, at, "&" in text)
    lines: dict = {}
    raw: dict = {}
    value_lines: dict = {}
    problems: list = []
    try:
        _index(node, (), at, lines, raw, problems, "a.md", set(), value_lines)
        careful = problems or _construct(loader, node, "a.md", at)
    except (yaml.YAMLError, RecursionError, IndexError) as exc:
        return quick, type(exc).__name__
    finally:
        loader.dispose()
    return quick, (careful if isinstance(careful, list) else (careful, lines, raw, value_lines))


def _same(quick, careful) -> None:
    assert isinstance(careful, tuple), careful  # the careful path found nothing to report either
    for mine, theirs in zip(quick, careful, strict=True):
        assert _shape(mine) == _shape(theirs)


@FAST
@given(st.one_of(front_matter, _front_matter(st.one_of(st.sampled_from(SCALARS), hostile))))
@example("title: A\ndate: 2024-01-02\ntags:\n- a\n- b\nimage:\n  src: /x.png\n  1: one\n  01: again")
@example("a: .nan\nb: {.nan: 1, .NaN: 2}")
@example("a: !!int zz")
@example('a: !!int ""')
@example("a: !!str [x]")
@example("a: !!str {b: 1}")
@example("a: !!map [b]")
@example("a: !!seq x")
@example("a: [!!map x]")
@example("a: &x [1]\nb: *x")
@example("a: {<<: {b: 1}, c: 2}")
@example("a: 1\na: 2")
@example("a:\n  b: 1\n  b: 2")
@example("a: [{b: 1}, {b: 2}]")
@example("? [a]\n: b")
@example("a:\n  ? [b]\n  : c")
@example("!!str\na: 1")
@example("a: Q&A\nb: x")
def test_quick_reading_is_the_careful_one_whenever_it_answers(text):
    quick, careful = _both(text)
    if quick is not None:
        _same(quick, careful)


@pytest.mark.slow  # (6 s: in make test, not in the inner loop's subset)
@FAST
@given(front_matter.filter(lambda t: not any(mark in t for mark in "&*!<=")))
def test_parse_yaml_answers_as_the_careful_path(text):
    """Through parse_yaml itself (the quick walk, or the careful path when it gives up)."""
    quick, careful = _both(text)
    parsed = parse_yaml(text, "a.md", 2)
    if isinstance(careful, tuple):
        _same(parsed, careful)
    elif isinstance(careful, list):
        assert parsed == careful


def test_ordinary_front_matter_is_read_quickly(monkeypatch):
    """The walk is taken for what articles hold (else the careful path would do all the work)."""
    text = (
        "title: Grid batteries\ndek: 'Why: the grid'\ndate: 2024-01-02T08:30\nauthors:\n- Ann Lee\n"
        "tags: [Energy, Q&A]\nimage:\n  src: /images/x.jpg\n  alt: A chart\ntakeaways:\n- One.\n"
        "draft: no\nanalysis:\n  body: |\n    Text.\n"
    )
    quick, careful = _both(text)
    assert quick is not None
    _same(quick, careful)
    monkeypatch.setattr(yamllines, "_index", None)  # parse_yaml must not need it
    parsed = parse_yaml(text, "a.md", 2)
    assert not isinstance(parsed, list) and parsed[1][("takeaways", 0)] == 12
