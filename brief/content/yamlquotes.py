"""Where a YAML syntax error really is when a quote or a bracket is to blame.

PyYAML says where it gave up, and a quote that is never closed makes it give up late: the
quote takes in the lines after it, so the error lands on a later key, on a ``:`` or at the
end of the front matter, in words about keys or indentation. :func:`explain` reads the
front matter's lines as YAML does, finds the first value whose quote or bracket is never
closed, or whose quotes close before the value ends (``title: "The "big" deal"``), and says
so on that value's line, quoting the line and saying what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import yaml

Key = tuple[str | int, ...]
_Stack = list[tuple[int, str | int]]  # (column, key or list item index), from the top level down
_QUOTES = "\"'"
_ENTRY = re.compile(  # indentation, "- " items, a key, anchors or tags, then the value
    r"(?P<indent> *)(?P<dashes>(?:-(?:[ \t]+|$))*)"
    r"(?:(?P<key>\"[^\"]*\"|'[^']*'|[^\s\"'\[\]{}#&*!|>%@`-][^:]*?)[ \t]*:(?=[ \t]|$))?"
    r"[ \t]*(?:[&!]\S*(?:[ \t]+|$))*(?P<value>.*)"
)
_DASH = re.compile(r"-(?:[ \t]+|$)")
_STOPS = {"'": re.compile("'"), '"': re.compile(r'["\\]')}  # a quote, or a backslash escaping what follows
_COMMENT = re.compile(r"[ \t]+#")
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:(?!:\s|\s#).)*(?<![\s:])")  # text YAML reads unquoted
_SHOWN = 60  # characters of a line quoted in a message
_SUGGESTED = 60  # the longest value written out in a hint


@dataclass(frozen=True)
class Slip:
    """A quote or bracket that makes the front matter unreadable."""

    line: int
    """0-based line in the front matter's text."""
    key: Key
    """The field whose value it is, e.g. ``("tags", 0)``; ``()`` when unknown."""
    message: str
    """What is wrong, the line's text, and what to write instead (in parentheses)."""


@dataclass(frozen=True)
class _Found:
    kind: str
    """``"unclosed"`` (a quote or bracket never closed) or ``"early"`` (quotes closing before the value ends)."""
    char: str
    """The quote or bracket."""
    at: int
    """Its index in the front matter's text."""
    text: str = ""
    """For ``"early"``: the value (or flow item) from its opening quote to its end."""
    close: int = 0
    """For ``"early"``: where the early closing quote stands in ``text``."""


def explain(exc: yaml.MarkedYAMLError, text: str) -> Slip | None:
    """The quote or bracket behind PyYAML's error ``exc``, or None when it is something else
    (indentation, tabs, a ``: `` in a value...)."""
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    upto = text.count("\n", 0, mark.index) if mark else len(lines) - 1
    for _, stack, found in _walk(text, lines, upto):
        if found is not None:
            line = text.count("\n", 0, found.at)
            return Slip(line, _key(stack), _message(found, lines[line]))
    opened = (
        exc.context_mark
    )  # the opening quote, when the stream ended inside a quoted value the walk missed (`? "key`)
    if opened is None or exc.context != "while scanning a quoted scalar" or "end of stream" not in (exc.problem or ""):
        return None
    char = text[opened.index : opened.index + 1]
    if char not in _QUOTES:
        return None
    line = text.count("\n", 0, opened.index)
    key = next((_key(stack) for i, stack, _ in _walk(text, lines, line) if i == line), ())
    return Slip(line, key, _message(_Found("unclosed", char, opened.index), lines[line]))


def _walk(text: str, lines: list[str], upto: int) -> Iterator[tuple[int, _Stack, _Found | None]]:
    """Each line that starts an entry, up to line ``upto``: its index, the keys it is under (for
    :func:`_key`, before the walk goes on), and what is wrong with its value's quotes or brackets
    (the walk ends there). Lines that carry on a value (a block scalar, a long value wrapped
    onto more lines) are read with the value, not as entries."""
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    stack: _Stack = []
    i = 0
    while i <= upto and i < len(lines):
        if not lines[i].strip() or lines[i].lstrip().startswith("#"):
            i += 1
            continue
        entry = _ENTRY.match(lines[i])
        assert entry is not None  # every group may be empty
        column = _enter(stack, entry)
        found, end = _read_value(text, starts[i] + entry.start("value"))
        yield i, stack, found
        if found is not None:
            return
        value = entry["value"].strip()
        if not value or value.startswith("#"):  # a key whose value is the lines below it
            i += 1
            continue
        i = text.count("\n", starts[i], end) + i + 1
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > column):
            i += 1  # the value goes on (a block scalar, a plain value wrapped onto more lines)


def _key(stack: _Stack) -> Key:
    return tuple(part for _, part in stack)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _enter(stack: _Stack, entry: re.Match[str]) -> int:
    """Move ``stack`` to the entry's key or list item; return the column its value hangs from."""
    column = len(entry["indent"])
    for dash in _DASH.finditer(entry["dashes"]):
        column = len(entry["indent"]) + dash.start()
        while stack and stack[-1][0] > column:
            stack.pop()
        top = stack[-1] if stack else None
        if top is not None and top[0] == column and isinstance(top[1], int):
            stack[-1] = (column, top[1] + 1)
        else:
            stack.append((column, 0))
    if entry["key"] is not None:
        column = entry.start("key")
        while stack and (stack[-1][0] > column or (stack[-1][0] == column and isinstance(stack[-1][1], int))):
            stack.pop()
        if stack and stack[-1][0] == column:
            stack.pop()
        key = entry["key"]
        stack.append((column, key[1:-1] if key[0] in _QUOTES else key.rstrip()))
    return column


def _read_value(text: str, at: int) -> tuple[_Found | None, int]:
    """What is wrong with the quotes or brackets of the value starting at ``at``, and where the
    value's quotes or brackets end (``at`` for a value with none)."""
    char = text[at : at + 1]
    if char and char in "[{":
        return _read_flow(text, at)
    if not char or char not in _QUOTES:
        return None, at
    close = _closing(text, at)
    if close < 0:
        return _Found("unclosed", char, at), at
    rest = text[close + 1 : _line_end(text, close)]
    if not rest.strip() or rest.lstrip().startswith("#"):
        return None, close
    if "\n" in text[at:close]:  # closed on a later line, by the next value's opening quote
        return _Found("unclosed", char, at), at
    value = text[at : _line_end(text, at)].rstrip()
    last = value.rfind(char)
    if last > close - at and _COMMENT.match(value, last + 1):
        value = value[: last + 1]
    return _Found("early", char, at, value, close - at), at


def _read_flow(text: str, at: int) -> tuple[_Found | None, int]:
    """A ``[...]`` or ``{...}`` value: a bracket never closed, or a quoted item that is."""
    opened: list[int] = []
    item_starts = True  # after a bracket, a comma or ': ', where a quote opens a quoted item
    i = at
    while i < len(text):
        char = text[i]
        if char in "[{":
            opened.append(i)
            item_starts = True
        elif char in "]}":
            opened.pop()
            if not opened:
                return None, i
            item_starts = False
        elif char == "," or (char == ":" and text[i + 1 : i + 2] in ("", " ", "\t", "\n")):
            item_starts = True
        elif char == "#" and text[i - 1] in " \t\n":
            i = _line_end(text, i)
            continue
        elif char in _QUOTES and item_starts:
            found = _read_flow_quote(text, i)
            if found is not None:
                return found, at
            i = _closing(text, i)
            item_starts = False
        elif char not in " \t\n":
            item_starts = False
        i += 1
    return _Found("unclosed", text[opened[0]], opened[0]), at


def _read_flow_quote(text: str, at: int) -> _Found | None:
    char = text[at]
    close = _closing(text, at)
    if close < 0:
        return _Found("unclosed", char, at)
    after = close + 1
    while text[after : after + 1] in (" ", "\t"):
        after += 1
    if text[after : after + 1] in ("", ",", "]", "}", ":", "#", "\n"):
        return None
    if "\n" in text[at:close]:
        return _Found("unclosed", char, at)
    end = min((j for j in (text.find(c, close) for c in ",]}\n") if j >= 0), default=len(text))
    return _Found("early", char, at, text[at:end].rstrip(), close - at)


def _closing(text: str, at: int) -> int:
    """The index of the quote closing the one at ``at``, or -1: YAML escapes ``"`` as ``\\"`` and
    ``'`` as ``''``."""
    quote = text[at]
    i = at + 1
    while (stop := _STOPS[quote].search(text, i)) is not None:
        i = stop.start()
        escaped = text[i] == "\\" if quote == '"' else text[i + 1 : i + 2] == "'"  # `\x` or `''`
        if not escaped:
            return i
        i += 2
    return -1


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _message(found: _Found, line: str) -> str:
    """What is wrong, with ``line``'s text (trimmed, shortened) and what to write instead."""
    shown = line.strip()
    shown = shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "…"
    char = found.char
    if found.kind == "unclosed" and char in "[{":
        end, what = ("]", "list") if char == "[" else ("}", "mapping")
        return (
            f"the {char} opened on this line is never closed: `{shown}` "
            f"(end the {what} with {end}, or put the whole value in quotes if the {char} is part of the text)"
        )
    if found.kind == "unclosed":
        return f"the quote opened on this line is never closed: `{shown}` (end the value with {char}, or remove the opening {char})"
    rest = found.text[found.close + 1 :]
    if rest[:1].isspace() and char not in rest:
        return f"the value goes on after its closing quote: `{shown}` ({_text_after_fix(found)})"
    if char == '"':
        return f'the value has a " inside its double quotes, which ends it early: `{shown}` ({_nested_fix(found)})'
    return f"the value has an apostrophe (') inside its single quotes, which ends it early: `{shown}` ({_nested_fix(found)})"


def _nested_fix(found: _Found) -> str:
    """``"The "big" deal"``: other quotes around it, the inner quotes escaped, or no outer quotes."""
    char, text = found.char, found.text
    inner = text[1:-1] if len(text) > 1 and text.endswith(char) else text[1:]
    fixes = []
    if char == '"' and "'" not in inner:
        fixes.append(("put single quotes around it", f"'{inner}'"))
    if char == "'" and '"' not in inner:
        fixes.append(("put double quotes around it", f'"{inner}"'))
    if char == '"':
        fixes.append(('write each " inside as \\"', '"' + re.sub(r'(?<!\\)"', r'\\"', inner) + '"'))
    else:
        fixes.append(("write each apostrophe inside as ''", "'" + inner.replace("'", "''") + "'"))
    if _PLAIN.fullmatch(inner):
        fixes.append(("remove the outer quotes", ""))
    return _fixes(fixes)


def _text_after_fix(found: _Found) -> str:
    """``"Quoted" and more``: quotes around all of it, or none."""
    char, text = found.char, found.text
    other = "'" if char == '"' else '"'
    whole = other + text + other if other not in text else "'" + text.replace("'", "''") + "'"
    fixes = [("put quotes around all of it", whole)]
    if _PLAIN.fullmatch(text[1 : found.close] + text[found.close + 1 :]):
        fixes.append(("remove the quotes", ""))
    return _fixes(fixes)


def _fixes(fixes: list[tuple[str, str]]) -> str:
    """The ways out, the first one written out in full unless it is too long to copy from a message."""
    (what, value), *others = fixes
    first = f"{what}: {value}" if len(value) <= _SUGGESTED else what
    return "; or ".join([first, *(what for what, _ in others)])
