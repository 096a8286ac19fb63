"""Front matter in the plainest YAML, read line by line without libyaml.

Nearly every article's front matter is the same few shapes: ``key: text`` lines, and keys
holding a list of ``- text`` items or a mapping of ``  key: text`` lines (``image:``).
:func:`read_plain` reads exactly those, one line at a time, each value typed by YAML's own
implicit resolvers and built by PyYAML's own constructors, and gives what
:func:`brief.content.yamllines.parse_yaml` gives for them through libyaml: the values,
the line of every key and item, the raw text and line of every scalar, in the same order.

Anything else, or anything that could read differently (a quote, a bracket, a tag, an
anchor, a comment, a value carried onto the next line, a tab, an empty value, a repeated
key, a character YAML treats specially), is not guessed at: :func:`read_plain` returns
None and libyaml reads the text. tests/content/test_yaml_plain.py compares the two on
generated front matter.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

Key = tuple[str | int, ...]
_TIMESTAMP = "tag:yaml.org,2002:timestamp"  # kept as text (brief.content.yamllines)
_BUILT = frozenset("tag:yaml.org,2002:" + t for t in ("int", "float", "bool", "null"))
_CONSTRUCTOR = SafeConstructor()  # int, float, bool and null are built as the safe loader builds them
_IMPLICIT = dict(yaml.resolver.Resolver.yaml_implicit_resolvers)
"""YAML's implicit resolvers (tag and pattern) by a plain scalar's first character."""

_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
"""Characters left to libyaml: tabs, control characters, YAML's other line breaks (U+0085,
U+2028, U+2029), a byte-order mark, noncharacters, lone surrogates. Everything but what
YAML prints as it is (``\n``, 20–7E, A0–2027, 202A–D7FF, E000–FEFE, FF00–FFFD, 10000 and
up), written as what it leaves out: compiled the other way, as that set's complement, the
class took 5 ms of every build's start."""
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
"""A top-level line: its key, and its value unless the line ends at the colon."""
_INNER = re.compile(r"( +)(?:(- +)|([A-Za-z_][A-Za-z0-9_-]*):(?: +))(.*)")
"""A line of a key's block: its indent, then ``- `` and an item, or a key and its value."""
_STARTS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""Characters that cannot start a plain scalar, or start one only in some places."""


def read_plain(text: str, first_line: int) -> tuple[dict, dict[Key, int], dict[Key, str], dict[Key, int]] | None:
    """The front matter ``text`` (its first line being file line ``first_line``) as (values,
    line of each key and item, raw text of each scalar, line of each scalar's text), when
    it is written in the plainest YAML (see the module docstring); None otherwise."""
    if not text or "#" in text:
        return None
    rows = text.split("\n")
    # (printable ASCII lines are safe: the pattern is for the rest)
    if not (text.isascii() and all(map(str.isprintable, rows))) and _UNSAFE.search(text) is not None:
        return None
    meta: dict[str, Any] = {}
    lines: dict[Key, int] = {}
    raw: dict[Key, str] = {}
    value_lines: dict[Key, int] = {}
    field = _KEY.fullmatch
    n = 0
    try:
        while n < len(rows):
            row = rows[n]
            if not row:  # an empty line between fields
                n += 1
                continue
            m = field(row)
            if m is None:
                return None
            name, value = m.groups()
            if name in meta:
                return None
            key: Key = (name,)
            line = n + first_line
            lines[key] = line
            value = value.rstrip(" ") if value else ""
            if value:
                meta[name] = _scalar(value)
                raw[key] = value
                value_lines[key] = line
                n += 1
            else:
                meta[name], n = _block(rows, n + 1, key, first_line, lines, raw, value_lines)
    except Exception:  # _NotPlain, or a value PyYAML's constructor refuses: libyaml's path says what
        return None
    return (meta, lines, raw, value_lines) if meta else None  # empty lines only: libyaml says so


def _block(
    rows: list[str], n: int, key: Key, first_line: int, lines: dict, raw: dict, value_lines: dict
) -> tuple[list | dict, int]:
    """The list or mapping written under ``key:`` from row ``n`` on, and the row after it.
    A list may sit at the key's own indent (``- Energy``) or deeper; a mapping deeper; all
    lines of one block at one indent. Anything else (nothing under the key) is not plain."""
    while n < len(rows) and not rows[n]:
        n += 1
    if n == len(rows) or not rows[n].startswith(("-", " ")):
        raise _NotPlain  # an empty value, which libyaml reads (and types) itself
    flush = rows[n].startswith("-")  # a list at the key's indent: it ends at the first other line
    items: list[Any] = []
    mapping: dict[Any, Any] = {}
    indent, listed = -1, False  # the block's indent and kind, from its first line
    while n < len(rows):
        row = rows[n]
        if not row:
            n += 1
            continue
        if flush:
            if row[:2] != "- ":  # an item at the key's own indent (``tags:`` then ``- Energy``) is "- +(.*)"
                break  # the next field, which the top level reads (or refuses)
            width, item, name, value = 0, True, None, row[2:].lstrip(" ")
        elif row.startswith(" "):
            m = _INNER.fullmatch(row)
            if m is None:
                raise _NotPlain
            width, item, name, value = len(m.group(1)), bool(m.group(2)), m.group(3), m.group(4)
        else:
            break
        if indent < 0:
            indent, listed = width, item
        value = value.rstrip(" ")
        if width != indent or item != listed or not value:
            raise _NotPlain
        line = n + first_line
        if item:
            inner: Key = key + (len(items),)
            lines[inner] = line
            items.append(_scalar(value))
        else:
            assert name is not None
            inner = key + (name,)
            if inner in lines:  # a repeated key (only this block records lines one longer than its key's)
                raise _NotPlain
            lines[inner] = line
            mapping[_scalar(name)] = _scalar(value)
        raw[inner] = value
        value_lines[inner] = line
        n += 1
    return (items if listed else mapping), n


class _NotPlain(Exception):
    """A value :func:`read_plain` leaves to libyaml."""


def _scalar(value: str) -> Any:
    """A plain scalar's value, typed as YAML's implicit resolvers type it (dates kept as text)."""
    first = value[0]
    if first in _STARTS or ": " in value or value[-1] == ":":
        raise _NotPlain
    if first in _IMPLICIT:  # (most text starts with a letter no implicit type starts with)
        for tag, pattern in _IMPLICIT[first]:
            if pattern.match(value):
                if tag == _TIMESTAMP:
                    return value
                if tag not in _BUILT:  # a merge key (<<) or a value key (=)
                    raise _NotPlain
                return _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    return value
