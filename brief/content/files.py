"""Stage 1: find the article files and split each into front matter and body.

The loader knows nothing about the site: it reads one file, checks that it is
UTF-8 text with a front-matter block, parses the YAML and remembers on which
line every key and list item sits, so later stages can point at the exact line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from brief.errors import FORBIDDEN_IN_PAGES, Problem

try:  # libyaml is several times faster; the pure-Python loader behaves the same.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _Loader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, but dates stay text: the schema parses them with better messages
    (YAML's own constructor raises a bare ValueError on ``date: 2026-13-45``)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_str)

Key = tuple[str | int, ...]
FENCE = "---"
_PLAIN_TAGS = frozenset("tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map"))
_KEY_TAGS = _PLAIN_TAGS | {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}  # what plain `<<:` and `=:` resolve to
_YAML_HINTS = {  # PyYAML's words → what the editor should do
    "mapping values are not allowed": "put a value that contains ': ' in quotes",
    "tab character": "indent with spaces, not tabs",
    "did not find expected key": "check the indentation: the keys of one mapping must line up",
    "unexpected end of stream": "a quote or bracket is not closed",
}
_ALIAS_MESSAGE = "YAML anchors and aliases (& and *) are not supported in front matter; write the value out"
_EDITOR_LEFTOVERS = ("~", ".swp", ".swx", ".tmp", ".bak")


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One article file, split and parsed but not yet validated."""

    path: Path
    """Absolute path of the file."""
    relpath: str
    """Path relative to the site root, POSIX style; used in every message."""
    meta: dict[str, Any]
    """Front matter as YAML's safe loader built it."""
    lines: dict[Key, int]
    """1-based file line of each key and item, e.g. ``("image", "alt")`` or ``("takeaways", 2)``."""
    raw: dict[Key, str]
    """Source text of each scalar, so ``title: 2024`` can stay the string ``"2024"``."""
    body: str
    """The Markdown after the closing fence, with ``\\n`` line endings."""
    body_line: int
    """File line on which the body starts (for Markdown source maps)."""
    value_lines: dict[Key, int] = field(default_factory=dict)
    """File line on which each scalar's text starts (the line after ``key: |``)."""

    def line(self, key: Key) -> int | None:
        """The line of ``key``, or of its closest known parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None


def discover(content_dir: Path, site_root: Path | None = None, skip: tuple[str, ...] = ()) -> Iterator[Path]:
    """Every ``*.md`` file under ``content_dir``, sorted, skipping hidden files, editor
    leftovers and the top-level folders named in ``skip`` (``authors/`` holds profiles).

    Symlinked folders are followed while they stay inside the site (each real folder
    once); one that leads outside is yielded itself, so that :func:`load` reports it.
    """
    if not content_dir.is_dir():
        return
    root = (site_root or content_dir.parent).resolve()
    seen: set[Path] = set()
    for dirpath, dirnames, filenames in os.walk(content_dir, followlinks=True):
        here = Path(dirpath)
        real = here.resolve()
        if real in seen:  # a symlink loop, or a second link to the same folder
            dirnames[:] = []
            continue
        seen.add(real)
        keep = []
        for name in sorted(dirnames):
            if name.startswith((".", "_")) or (real == content_dir.resolve() and name in skip):
                continue
            if (here / name).is_symlink() and not (here / name).resolve().is_relative_to(root):
                yield here / name
                continue
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith((".", "#")) or name.endswith(_EDITOR_LEFTOVERS) or not name.endswith(".md"):
                continue
            yield here / name


def load(path: Path, root: Path, data: bytes | None = None) -> SourceDoc | list[Problem]:
    """Read and split one article file (``data``: its bytes, when already read); on failure
    return the problems found."""
    rel = relpath(path, root)
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        return [Problem(rel, None, None, f"symlink leads outside the site (to {path.resolve()}); refusing to read it (copy the file in instead)")]
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [Problem(rel, None, None, f"cannot read file: {exc.strerror or exc}")]
    if not data.strip():
        return [Problem(rel, None, None, "file is empty (expected front matter between '---' lines, then the article text)")]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # what Windows editors write as "Unicode"
        return [Problem(rel, 1, None, "file is saved as UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8")]
    if b"\x00" in data:
        line = _line_at(data, data.index(b"\x00"))
        return [Problem(rel, line, None, "file contains a NUL byte; it looks binary, not like Markdown text")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        return [Problem(rel, line, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return [Problem(rel, 1, None, "no front matter: the file must start with a line '---', then the fields (title, date, ...), then another '---'")]
    for end in range(1, len(lines)):
        if lines[end].rstrip() in (FENCE, "..."):
            break
    else:
        return [Problem(rel, 1, None, "front matter is not closed (expected a line '---' after the fields)")]
    parsed = _parse_yaml("\n".join(lines[1:end]), rel, first_line=2)
    body = "\n".join(lines[end + 1 :])
    bad = FORBIDDEN_IN_PAGES.search(body)  # YAML refuses these in the front matter; Markdown would pass them into the page
    if bad:
        shown = f"U+{ord(bad.group()):04X}"
        problem = Problem(rel, end + 2 + body.count("\n", 0, bad.start()), "body",
                          f"contains the character {shown}, which web pages may not hold (expected plain text; remove it)")
        return (parsed if isinstance(parsed, list) else []) + [problem]
    if isinstance(parsed, list):
        return parsed
    meta, line_map, raw, value_lines = parsed
    return SourceDoc(path, rel, meta, line_map, raw, body, end + 2, value_lines)


def _line_at(data: bytes, offset: int) -> int:
    """1-based line of byte ``offset``, counting \\r\\n, \\r and \\n line ends as the text is split below."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def relpath(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _parse_yaml(text: str, rel: str, first_line: int) -> tuple[dict, dict[Key, int], dict[Key, str], dict[Key, int]] | list[Problem]:
    loader = _Loader(text)
    at = _mark_lines(text, first_line)
    try:
        node = loader.get_single_node()
        if node is None:
            return [Problem(rel, first_line - 1, None, "front matter is empty (expected at least 'title' and 'date')")]
        if not isinstance(node, yaml.MappingNode):
            return [Problem(rel, at(node.start_mark), None, "front matter must be fields written 'key: value', not a list or a single value")]
        line_map: dict[Key, int] = {}
        raw: dict[Key, str] = {}
        value_lines: dict[Key, int] = {}
        problems: list[Problem] = []
        _index(node, (), at, line_map, raw, problems, rel, set(), value_lines)
        if problems:
            return problems
        meta = _construct(loader, node, rel, at)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = at(mark) if mark else None
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        hint = next((f" ({h})" for words, h in _YAML_HINTS.items() if words in what), "")
        if not hint and mark and text[mark.index : mark.index + 1] == "\t":  # libyaml: "found character that cannot start any token"
            hint = " (indent with spaces, not tabs)"
        return [Problem(rel, line, None, f"invalid YAML in front matter: {what}{hint}")]
    except yaml.reader.ReaderError as exc:  # a control character; the first one in the text is where the reader stopped
        pos = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = text.count("\n", 0, pos) + first_line if pos >= 0 else None
        shown = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return [Problem(rel, line, None, f"invalid YAML in front matter: the control character {shown} is not allowed (remove it)")]
    except yaml.YAMLError as exc:
        return [Problem(rel, None, None, f"invalid YAML in front matter: {exc}")]
    except RecursionError:
        return [Problem(rel, None, None, "front matter is nested too deeply")]
    finally:
        loader.dispose()
    if isinstance(meta, list):
        return meta
    return meta, line_map, raw, value_lines


def _mark_lines(text: str, first_line: int) -> Callable[[Any], int]:
    """The file line of a YAML mark. YAML also ends lines at U+0085, U+2028 and U+2029,
    which editors show inside a line; then the mark's character index is counted instead."""
    if not any(ch in text for ch in "\x85\u2028\u2029"):
        return lambda mark: mark.line + first_line
    return lambda mark: text.count("\n", 0, mark.index) + first_line


def _construct(loader: Any, node: yaml.MappingNode, rel: str, at: Callable[[Any], int]) -> dict[str, Any] | list[Problem]:
    """Build the front matter key by key; keys stay the names written (``1:`` is the key ``"1"``)."""
    meta: dict[str, Any] = {}
    problems: list[Problem] = []
    for knode, vnode in node.value:
        try:
            meta[knode.value] = loader.construct_object(vnode, deep=True)
        except (ValueError, TypeError, KeyError, OverflowError) as exc:  # e.g. `!!int abc`, or an int of 5000 digits
            problems.append(Problem(rel, at(vnode.start_mark), knode.value, f"cannot read the value ({exc})"))
    return problems or meta


def _index(node: yaml.Node, key: Key, at: Callable[[Any], int], lines: dict, raw: dict, problems: list[Problem], rel: str, seen: set[int],
           value_lines: dict) -> None:
    """Record lines and raw scalars; refuse aliases (and with them "billion laughs") and duplicate keys."""
    if id(node) in seen:
        if not any(p.message == _ALIAS_MESSAGE for p in problems):  # once per file, not once per alias of a bomb
            # An alias is the anchored node itself, whose mark is the anchor's; the nearest key is where it is used.
            line = next((lines[key[:n]] for n in range(len(key), 0, -1) if isinstance(key[n - 1], str) and key[:n] in lines), None)
            problems.append(Problem(rel, line, dotted(key), _ALIAS_MESSAGE))
        return
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(Problem(rel, at(node.start_mark), dotted(key), f"the YAML tag '{tag}' is not supported (expected plain text, numbers, true/false, lists and mappings)"))
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
                problems.append(Problem(rel, at(knode.start_mark), dotted(key), f"the YAML tag '{tag}' on a key is not supported (expected a plain name)"))
                continue
            name = knode.value
            line = at(knode.start_mark)
            if name in where:
                problems.append(Problem(rel, line, dotted(key + (name,)), f"duplicate key (first given on line {where[name]})"))
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


