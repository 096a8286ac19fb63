"""YAML front matter with the file line of every key, list item and value.

PyYAML's safe loader, with what brief needs on top: dates stay text (the schema
parses them, with better messages), tags other than YAML's plain ones and
anchors/aliases are refused, duplicate keys are errors, and every key and scalar
gets its 1-based line in the file (PyYAML counts from the start of the block).

Front matter of the plainest shapes (``key: text`` lines, lists and mappings of them) is
read line by line without libyaml (brief.content.yamlplain). Otherwise libyaml composes the
nodes; front matter with nothing to refuse or build specially is then read in one walk,
:func:`_quick`. Anything else goes the careful way:
:func:`_index` records the lines and finds every problem, then :func:`_construct` builds
the values with PyYAML's constructor. Both give the same answer where the walk gives one
(tests/content/test_yaml_quick.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml

from brief.content.yamlplain import read_plain
from brief.content.yamlquotes import explain
from brief.errors import Problem

try:  # libyaml is several times faster; the pure-Python loader behaves the same.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):
    """The safe loader, but dates stay text: the schema parses them with better messages
    (YAML's own constructor raises a bare ValueError on ``date: 2026-13-45``)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        """YAML's tag for a node, as the resolver gives it, sooner (libyaml asks for every
        node): the implicit resolvers are tried straight from their table, and collections
        get their default tag."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        if kind is yaml.MappingNode:
            return _MAP
        return _SEQ if kind is yaml.SequenceNode else super().resolve(kind, value, implicit)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_str)  # type: ignore[type-var]

Key = tuple[str | int, ...]
_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_IMPLICIT = dict(_Loader.yaml_implicit_resolvers)
"""The implicit resolvers (tag and pattern) by a plain scalar's first character ('' for the empty one)."""
assert None not in _IMPLICIT and not _Loader.yaml_path_resolvers  # none for any character, none by path
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)
_KEY_TAGS = _PLAIN_TAGS | {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}  # what plain `<<:` and `=:` resolve to
_YAML_HINTS = {  # PyYAML's words → what the editor should do
    "mapping values are not allowed": "put a value that contains ': ' in quotes",
    "tab character": "indent with spaces, not tabs",
    "did not find expected key": "check the indentation: the keys of one mapping must line up",
    "unexpected end of stream": "a quote or bracket is not closed",
    "unknown escape character": "inside double quotes a backslash starts an escape: write \\\\ for one, or use single quotes",
}
_ALIAS_MESSAGE = "YAML anchors and aliases (& and *) are not supported in front matter; write the value out"


def parse_yaml(
    text: str, rel: str, first_line: int
) -> tuple[dict, dict[Key, int], dict[Key, str], dict[Key, int]] | list[Problem]:
    """The front matter ``text`` (whose first line is file line ``first_line``) as (values,
    line of each key and item, raw text of each scalar, line of each scalar's text), or
    the problems that keep it from being read."""
    plain = read_plain(text, first_line)
    if plain is not None:
        return plain
    return _parse_nodes(text, rel, first_line)


def _parse_nodes(
    text: str, rel: str, first_line: int
) -> tuple[dict, dict[Key, int], dict[Key, str], dict[Key, int]] | list[Problem]:
    """:func:`parse_yaml` through libyaml's nodes (for what :func:`read_plain` leaves)."""
    loader = _Loader(text)
    at = _mark_lines(text, first_line)
    try:
        node = loader.get_single_node()
        if node is None:
            return [Problem(rel, first_line - 1, None, "front matter is empty (expected at least 'title' and 'date')")]
        if not isinstance(node, yaml.MappingNode):
            return [
                Problem(
                    rel,
                    at(node.start_mark),
                    None,
                    "front matter must be fields written 'key: value', not a list or a single value",
                )
            ]
        quick = _quick(loader, node, at, "&" in text)
        if quick is not None:
            return quick
        line_map: dict[Key, int] = {}
        raw: dict[Key, str] = {}
        value_lines: dict[Key, int] = {}
        problems: list[Problem] = []
        _index(node, (), at, line_map, raw, problems, rel, set(), value_lines)
        if problems:
            return problems
        meta = _construct(loader, node, rel, at)
    except yaml.MarkedYAMLError as exc:
        return [_syntax_problem(exc, text, rel, first_line)]
    except yaml.reader.ReaderError as exc:  # a control character; the first one in the text is where the reader stopped
        pos = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, pos) + first_line if pos >= 0 else None
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return [
            Problem(
                rel,
                line,
                None,
                f"invalid YAML in front matter: the control character {shown} is not allowed (remove it)",
            )
        ]
    except yaml.YAMLError as exc:
        return [Problem(rel, None, None, f"invalid YAML in front matter: {exc}")]
    except RecursionError:
        return [Problem(rel, None, None, "front matter is nested too deeply")]
    finally:
        loader.dispose()
    if isinstance(meta, list):
        return meta
    return meta, line_map, raw, value_lines


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel: str, first_line: int) -> Problem:
    """PyYAML's error, on the line of the quote or bracket behind it when there is one (PyYAML
    reports an unclosed quote where it gave up, often lines later), else where PyYAML stopped."""
    slip = explain(exc, text)
    if slip is not None:
        return Problem(rel, slip.line + first_line, dotted(slip.key), f"invalid YAML in front matter: {slip.message}")
    at = _mark_lines(text, first_line)
    mark = exc.problem_mark or exc.context_mark
    line = at(mark) if mark else None
    what = " ".join(p for p in (exc.context, exc.problem) if p)
    hint = next((f" ({h})" for words, h in _YAML_HINTS.items() if words in what), "")
    if (
        not hint and mark and text[mark.index : mark.index + 1] == "\t"
    ):  # libyaml: "found character that cannot start any token"
        hint = " (indent with spaces, not tabs)"
    return Problem(rel, line, None, f"invalid YAML in front matter: {what}{hint}")


def _mark_lines(text: str, first_line: int) -> Callable[[Any], int]:
    """The file line of a YAML mark. YAML also ends lines at U+0085, U+2028 and U+2029,
    which editors show inside a line; then the mark's character index is counted instead."""
    if not any(ch in text for ch in "\x85\u2028\u2029"):
        return lambda mark: mark.line + first_line
    return lambda mark: text.count("\n", 0, mark.index) + first_line


def _construct(
    loader: Any, node: yaml.MappingNode, rel: str, at: Callable[[Any], int]
) -> dict[str, Any] | list[Problem]:
    """Build the front matter key by key; keys stay the names written (``1:`` is the key ``"1"``)."""
    meta: dict[str, Any] = {}
    problems: list[Problem] = []
    for knode, vnode in node.value:
        try:
            meta[knode.value] = loader.construct_object(vnode, deep=True)
        except (ValueError, TypeError, LookupError, OverflowError) as exc:  # `!!int abc`, `!!int ""`, 5000 digits
            why = "it is empty" if isinstance(exc, IndexError) else str(exc)
            problems.append(Problem(rel, at(vnode.start_mark), knode.value, f"cannot read the value ({why})"))
    return problems or meta


_SCALAR_TAGS = frozenset("tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp"))


class _Unusual(Exception):
    """Front matter :func:`_quick` leaves to the careful path (:func:`_index`, :func:`_construct`)."""


def _quick(
    loader: Any, node: yaml.MappingNode, at: Callable[[Any], int], anchors: bool
) -> tuple[dict, dict[Key, int], dict[Key, str], dict[Key, int]] | None:
    """What :func:`_index` and :func:`_construct` give for front matter with nothing to refuse
    and nothing unusual to build, in one walk over the nodes; None for anything else (an
    alias, a tag not plain, a duplicate key, a merge key, a value that cannot be read, a
    node whose tag is not its kind's), which the careful path then reads and reports.
    ``anchors``: whether the text may hold one (it has a ``&``), so aliases must be looked for."""
    lines: dict[Key, int] = {}
    raw: dict[Key, str] = {}
    value_lines: dict[Key, int] = {}
    meta: dict[str, Any] = {}
    seen = {id(node)} if anchors else None
    try:
        if node.tag != _MAP:
            return None
        for knode, vnode in node.value:
            if type(knode) is not yaml.ScalarNode or knode.tag not in _SCALAR_TAGS or knode.value in meta:
                return None
            key = (knode.value,)
            lines[key] = at(knode.start_mark)
            meta[knode.value] = _quick_value(loader, vnode, key, at, lines, raw, value_lines, seen)
    except Exception:  # _Unusual, a value that cannot be built, nesting too deep: the careful path says what
        return None
    return meta, lines, raw, value_lines


def _quick_value(
    loader: Any,
    node: Any,
    key: Key,
    at: Callable[[Any], int],
    lines: dict,
    raw: dict,
    value_lines: dict,
    seen: set[int] | None,
) -> Any:
    """One value for :func:`_quick`, its lines recorded in the order :func:`_index` records them."""
    if seen is not None:
        if id(node) in seen:
            raise _Unusual
        seen.add(id(node))
    kind, tag = type(node), node.tag
    if kind is yaml.ScalarNode:
        raw[key] = node.value
        value_lines[key] = at(node.start_mark) + (1 if node.style in ("|", ">") else 0)
        return _quick_scalar(loader, node)
    if kind is yaml.SequenceNode and tag == _SEQ:
        items = []
        for i, item in enumerate(node.value):
            lines[key + (i,)] = at(item.start_mark)
            items.append(_quick_value(loader, item, key + (i,), at, lines, raw, value_lines, seen))
        return items
    if kind is yaml.MappingNode and tag == _MAP:
        mapping = {}
        for knode, vnode in node.value:
            if type(knode) is not yaml.ScalarNode:
                raise _Unusual
            inner = key + (knode.value,)
            if inner in lines:  # a duplicate key: only this mapping records lines one longer than its own
                raise _Unusual
            lines[inner] = at(knode.start_mark)
            name = _quick_scalar(loader, knode)
            mapping[name] = _quick_value(loader, vnode, inner, at, lines, raw, value_lines, seen)
        return mapping
    raise _Unusual


def _quick_scalar(loader: Any, node: yaml.ScalarNode) -> Any:
    """A scalar as the safe loader builds it (dates as text), or :class:`_Unusual` for a tag
    it would not build as a plain value (or would merge, as ``<<``)."""
    tag = node.tag
    if tag == _STR or tag == "tag:yaml.org,2002:timestamp":
        return node.value
    if tag not in _SCALAR_TAGS:
        raise _Unusual
    return loader.yaml_constructors[tag](loader, node)


def _index(
    node: yaml.Node,
    key: Key,
    at: Callable[[Any], int],
    lines: dict,
    raw: dict,
    problems: list[Problem],
    rel: str,
    seen: set[int],
    value_lines: dict,
) -> None:
    """Record lines and raw scalars; refuse aliases (and with them "billion laughs") and duplicate keys."""
    if id(node) in seen:
        if not any(p.message == _ALIAS_MESSAGE for p in problems):  # once per file, not once per alias of a bomb
            # An alias is the anchored node itself, whose mark is the anchor's; the nearest key is where it is used.
            line = next(
                (lines[key[:n]] for n in range(len(key), 0, -1) if isinstance(key[n - 1], str) and key[:n] in lines),
                None,
            )
            problems.append(Problem(rel, line, dotted(key), _ALIAS_MESSAGE))
        return
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(
            Problem(
                rel,
                at(node.start_mark),
                dotted(key),
                f"the YAML tag '{tag}' is not supported (expected plain text, numbers, true/false, lists and mappings)",
            )
        )
        return
    if isinstance(node, yaml.ScalarNode):
        raw[key] = node.value
        value_lines[key] = at(node.start_mark) + (1 if node.style in ("|", ">") else 0)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[key + (i,)] = at(item.start_mark)
            _index(item, key + (i,), at, lines, raw, problems, rel, seen, value_lines)
    elif isinstance(node, yaml.MappingNode):
        where: dict[Any, int] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                problems.append(Problem(rel, at(knode.start_mark), dotted(key), "a key must be a plain name"))
                continue
            if knode.tag not in _KEY_TAGS:  # `!!python/name:os.system : v` would be read as the key ''
                tag = knode.tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(
                    Problem(
                        rel,
                        at(knode.start_mark),
                        dotted(key),
                        f"the YAML tag '{tag}' on a key is not supported (expected a plain name)",
                    )
                )
                continue
            name = knode.value
            line = at(knode.start_mark)
            if name in where:
                problems.append(
                    Problem(rel, line, dotted(key + (name,)), f"duplicate key (first given on line {where[name]})")
                )
                continue
            where[name] = line
            lines[key + (name,)] = line
            _index(vnode, key + (name,), at, lines, raw, problems, rel, seen, value_lines)


def dotted(key: Key) -> str | None:
    """``("takeaways", 2)`` → ``takeaways[2]``; ``("image", "alt")`` → ``image.alt``."""
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or None
