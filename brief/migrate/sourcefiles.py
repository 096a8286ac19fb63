"""Reading another generator's Markdown files: front matter in YAML (``---``), TOML (``+++``)
or JSON (``{ … }``), the body, and on which line each part starts.

YAML is read safely with timestamps kept as the text that was written (so that an offset or
a non-ISO form reaches :mod:`brief.migrate.dates` as written, not converted to UTC).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml

_YAML = re.compile(r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_TOML = re.compile(r"\A(?:\ufeff)?\+\+\+[ \t]*\r?\n(.*?)(?:\r?\n)?^\+\+\+[ \t]*(?:\r?\n|\Z)", re.S | re.M)


ALIAS_BUDGET = 10_000
"""Values that aliases may repeat in one file, in all: real files repeat a URL or a small
table (``blogPostURL: *eventUrl``, ``sites: *en-matrix``); a "billion laughs" file, each level
repeating the one before, would grow without end once its values are copied or counted."""


class _NoAliases(yaml.SafeLoader):
    """SafeLoader that follows an alias (``*name``, ``<<: *defaults``) while what the file's
    aliases repeat stays under :data:`ALIAS_BUDGET` values, and refuses one to a value that
    holds it (a loop)."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            node = self.anchors.get(event.anchor)
            open_anchors = self.__dict__.setdefault("_open", [])
            why = "refers to a value that holds it" if event.anchor in open_anchors else ""
            if node is not None and not why:
                self.__dict__["_repeated"] = self.__dict__.get("_repeated", 0) + _size(node, {})
                why = "repeats too much" if self.__dict__["_repeated"] > ALIAS_BUDGET else ""
            if why:
                message = f"found a YAML alias (*{event.anchor}) that {why}, which brief does not follow"
                raise yaml.composer.ComposerError(None, None, message, event.start_mark)
            return super().compose_node(parent, index)
        anchor = getattr(self.peek_event(), "anchor", None)
        self.__dict__.setdefault("_open", []).append(anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self.__dict__["_open"].pop()


def _size(node: yaml.Node, seen: dict[int, int]) -> int:
    """How many values ``node`` stands for, each repetition counted (shared parts counted once
    each, remembered in ``seen``, so that the count itself stays cheap)."""
    if id(node) not in seen:
        children = node.value if isinstance(node.value, list) else []
        parts = [part for child in children for part in (child if isinstance(child, tuple) else (child,))]
        seen[id(node)] = 1 + sum(_size(part, seen) for part in parts)
    return seen[id(node)]


def safe_yaml(text: str) -> Any:
    """YAML as SafeLoader reads it, aliases followed within a budget (else a :class:`yaml.YAMLError`)."""
    return yaml.load(text, Loader=_NoAliases)  # noqa: S506 - a SafeLoader subclass


class _TextTimes(_NoAliases):
    """SafeLoader that leaves timestamps as the text written (aliases within a budget)."""


_TextTimes.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class SourceDoc:
    """One source file split into front matter and body."""

    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    """Line of the file on which the body starts (1 when there is no front matter)."""
    front_text: str = ""
    problem: str = ""
    """Why the front matter could not be read (the file is then skipped and listed)."""
    has_front: bool = False

    def line_of(self, key: str) -> int | None:
        """Line of the file on which top-level key ``key`` is written, when it can be found."""
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*[:=]", re.M)
        match = pattern.search(self.front_text)
        return None if match is None else self.front_text.count("\n", 0, match.start()) + 2

    def body_line_at(self, offset: int) -> int:
        """Line of the file holding the body's character ``offset``."""
        return self.body_line + self.body.count("\n", 0, offset)


def read_source(text: str) -> SourceDoc:
    """Split ``text``; a file without front matter is all body (``has_front`` false)."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    for pattern, load in ((_YAML, _yaml), (_TOML, _toml)):
        match = pattern.match(text)
        if match:
            return _parsed(text, match.group(1), match.end(), load)
    if text.startswith("{"):
        end = _json_end(text)
        if end:
            return _parsed(text, text[:end], end, _json)
    return SourceDoc(body=text)


def _parsed(text: str, front: str, end: int, load) -> SourceDoc:
    doc = SourceDoc(body=text[end:], body_line=text.count("\n", 0, end) + 1, front_text=front, has_front=True)
    try:
        meta = load(front)
    except Exception as exc:  # each loader's own error type: said in the report, the file skipped
        doc.problem = " ".join(str(exc).split())[:300]
        return doc
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        doc.problem = f"front matter is a {type(meta).__name__}, not a mapping of keys to values"
        return doc
    doc.meta = {str(k): _plain(v) for k, v in meta.items()}
    return doc


def _yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_TextTimes)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError:
        # Tabs after values ('- item\t') are fine for YAML 1.2 readers (Hugo, Jekyll) but not PyYAML.
        return yaml.load("\n".join(line.rstrip() for line in text.splitlines()), Loader=_TextTimes)  # noqa: S506


def _toml(text: str) -> Any:
    return tomllib.loads(text)


def _json(text: str) -> Any:
    return json.loads(text)


def _json_end(text: str) -> int:
    """End of a JSON object at the start of ``text`` (Hugo's JSON front matter), or 0."""
    try:
        _, end = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return 0
    return end + 1 if text[end : end + 1] == "\n" else end


def _plain(value: Any) -> Any:
    """TOML's and YAML's own date objects as the ISO text they stand for; lists and mappings inside too."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
