"""The checker every front-matter field goes through: typed values, lines and problems."""

from __future__ import annotations

from typing import Any

from brief.content.files import SourceDoc
from brief.content.yamllines import Key, dotted
from brief.errors import WARNING, Problem, find_forbidden


class Checker:
    """Collects the problems of one document while its fields are read."""

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, key: Key, message: str) -> None:
        # A missing top-level field points at the opening '---' of the front matter.
        line = self.doc.line(key) or 1
        self.problems.append(Problem(self.doc.relpath, line, dotted(key), message))

    def warn(self, key: Key, message: str, code: str, *, line: int | None = None) -> None:
        """A warning on ``key``'s line (or on ``line``, for a place in the body)."""
        where = line or self.doc.line(key) or 1
        self.problems.append(Problem(self.doc.relpath, where, dotted(key), message, WARNING, code))

    def get(self, key: Key) -> Any:
        value: Any = self.doc.meta
        for part in key:
            value = value[part]
        return value

    def text(self, key: Key, value: Any, *, required: bool = False) -> str | None:
        """A string field; numbers and booleans keep the text the editor wrote."""
        if value is None:
            if required:
                self.error(key, "is required (expected a non-empty string)")
            return None
        if type(value) is not str:  # (a str has no isoformat: the test below is for other values)
            if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
                value = self.doc.raw.get(key, str(value))
            if not isinstance(value, str):
                self.error(key, f"expected a string, got {describe(value)}")
                return None
        bad = find_forbidden(value)  # only YAML escapes in double quotes ("\0", "\e") can write these
        if bad:
            self.error(
                key,
                f"contains the character U+{ord(bad.group()):04X}, which web pages may not hold (expected plain text; remove it)",
            )
            return None
        value = value.strip()
        if not value:
            if required:
                self.error(key, "must not be empty (expected a non-empty string)")
            return None
        return value


def describe(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"a string ('{shown}')"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if hasattr(value, "isoformat"):
        return f"a date ({value.isoformat()})"
    return type(value).__name__
