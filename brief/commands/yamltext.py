"""Front matter written as a person writes it, for ``brief new`` and ``brief init``.

``yaml.dump`` writes valid YAML that nobody would type: ``'The editor''s view: …'``
with a doubled apostrophe, a long dek broken mid-sentence in a plain scalar, a date in
single quotes. Here each string gets the plainest form that reads back (with brief's
own loader, :mod:`brief.content.yamllines`) as exactly the same string:

- a plain scalar when YAML would read it back as that string (not a number, a boolean,
  a date or null; no ``: ``, no `` #``, no leading indicator such as ``-`` or ``'``);
- for long prose (a dek, a caption, a takeaway), a folded block (``>-``) wrapped only at
  single spaces, which YAML joins back with one space each;
- for text on several lines (the editor's desk), a literal block (``|``);
- otherwise double quotes, with backslash escapes for what cannot stand raw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml

WIDTH = 80
"""Longest line of a folded block before it is wrapped (when a space allows it)."""

_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
# Characters that stand raw in any scalar: YAML's printable set, less the byte-order mark
# and the characters YAML reads as line breaks (U+0085, U+2028, U+2029); tab only escaped.
_RAW = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


class Raw(str):
    """A value written exactly as given (a date brief produced: ``2026-10-03T08:30:00+01:00``)."""


class Prose(str):
    """Long text a person reads (a dek, a caption): folded when it does not fit on the line."""


def front_matter(fields: Mapping[str, object], comments: Sequence[str] = ()) -> str:
    """The front-matter block, ``---`` lines included; ``comments`` are written as ``#`` lines
    before the closing fence."""
    lines = ["---", *_mapping(fields, 0), *(f"# {c}" if c else "#" for c in comments), "---"]
    return "\n".join(lines) + "\n"


def _mapping(fields: Mapping[str, object], indent: int) -> list[str]:
    lines: list[str] = []
    for key, value in fields.items():
        lines += _entry(" " * indent + f"{key}:", value, indent)
    return lines


def _entry(head: str, value: object, indent: int) -> list[str]:
    """``head`` (``key:`` or ``-`` at column ``indent``) and its value."""
    if isinstance(value, dict):
        return [head, *_mapping(value, indent + 2)] if value else [f"{head} {{}}"]
    if isinstance(value, (list, tuple)):
        if not value:
            return [f"{head} []"]
        lines = [head]
        for item in value:
            dash = " " * (indent + 2) + "-"
            if isinstance(item, dict) and item:
                first, *rest = _mapping(item, indent + 4)
                lines += [dash + first[len(dash) :], *rest]
            else:
                lines += _entry(dash, item, indent + 2)
        return lines
    if value is None:
        return [head]
    if isinstance(value, bool):
        return [f"{head} {'true' if value else 'false'}"]
    if isinstance(value, int):
        return [f"{head} {value}"]
    if isinstance(value, Raw):
        return [f"{head} {value}"]
    if isinstance(value, str):
        return _string(head, value, indent, isinstance(value, Prose))
    raise TypeError(f"cannot write {type(value).__name__} as front matter")


def _string(head: str, text: str, indent: int, prose: bool) -> list[str]:
    pad = " " * (indent + 2)
    if "\n" in text and _literal_ok(text):
        chomp = "" if text.endswith("\n") else "-"
        return [f"{head} |{chomp}", *(pad + line if line else "" for line in text.removesuffix("\n").split("\n"))]
    long = len(head) + 1 + len(text) > WIDTH
    if is_plain(text) and not (prose and long):
        return [f"{head} {text}"]
    if prose and long and _block_ok(text):
        return [f"{head} >-", *(pad + line for line in _wrap(text, WIDTH - len(pad)))]
    return [f"{head} {quoted(text)}"]


def is_plain(text: str) -> bool:
    """Whether ``text`` can be written without quotes and read back as the same string."""
    return (
        _block_ok(text)
        and text[0] not in _INDICATORS
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR
    )


def quoted(text: str) -> str:
    """``text`` in double quotes, escaped where a character cannot stand raw."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _RAW.fullmatch(ch):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _block_ok(text: str) -> bool:
    """One line of raw characters, without spaces at either end: fit for a plain scalar or a
    folded block (neither keeps a leading or trailing space)."""
    return bool(text) and text == text.strip(" ") and _RAW.fullmatch(text) is not None


def _literal_ok(text: str) -> bool:
    """Text on several lines that a literal block keeps exactly: raw characters, a first
    line that sets the indentation (no leading space), no line of spaces only, at most one
    line break at the end."""
    lines = text.removesuffix("\n").split("\n")
    return (
        bool(lines[0])
        and not lines[0].startswith(" ")
        and not text.endswith("\n\n")
        and all(_RAW.fullmatch(line) and (line.strip(" ") or not line) for line in lines)
    )


def _wrap(text: str, width: int) -> list[str]:
    """``text`` cut at single spaces into lines of at most ``width`` where a space allows.

    Only a space with a non-space on both sides is cut: a folded block joins its lines
    with one space each, so each cut gives back exactly the space it took."""
    words = re.split(r"(?<=\S) (?=\S)", text)
    lines = [words[0]]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
