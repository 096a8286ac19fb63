"""Source excerpts: the lines of a file around a problem, shown under it.

The terminal (``brief build``, ``brief check``, ``brief serve``) and the preview's
overlay show the same excerpt: the offending line with :data:`CONTEXT` lines either
side, numbered in a gutter, the offending one marked with ``>``::

    content/a.md:4: date: 'not-a-date' is not an ISO 8601 date (expected e.g. 2026-10-03)
        2 | title: Ports reopen
        3 | dek: Shipping resumes after the storm.
      > 4 | date: not-a-date
        5 | section: Economy
        6 | ---

Only files inside the site folder are read (after following symlinks), and only the
way the build reads its inputs (no FIFO, no device, nothing over the size limit).
Lines are split as the build counts them (``\\r\\n``, ``\\r`` and ``\\n``), decoded as
UTF-8 with bad bytes replaced, tabs expanded, control characters escaped (a terminal
escape in a file is shown, never run) and long lines shortened. A file that is gone,
unreadable or binary, or a line out of range, gives no excerpt.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from brief.errors import BuildFailed, Problem, errors_in
from brief.theme import TEXT_LIMIT, read_input

CONTEXT = 2
"""Lines shown before and after the offending one."""
WIDTH = 100
"""Characters of a line shown at most; a longer line is shortened with ``…``."""
TAB = 4
"""Columns a tab stands for."""

_LINE_BYTES = 64 * 1024
"""Bytes of a line read at most (a minified file can be one line of megabytes)."""
_LINE_END = re.compile(rb"\r\n|\r|\n")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters, line separators and bidirectional controls: shown escaped (``\\x1b``)."""
_QUOTED = re.compile(r"'([^']+)'|\"([^\"]+)\"|“([^”]+)”")
_WORD = re.compile(r"[^\s'\"(),;“”]{4,}")


@dataclass(frozen=True, slots=True)
class Excerpt:
    """Some lines of a file, one of them the problem's."""

    line: int
    """The offending line (1-based)."""
    lines: tuple[tuple[int, str], ...]
    """Each shown line's number and text (as shown: escaped, tabs expanded, maybe shortened)."""

    def rows(self) -> list[str]:
        """The excerpt as terminal lines: indented, a gutter of line numbers, ``>`` on the offending line."""
        width = len(str(self.lines[-1][0]))
        return [f"  {'>' if n == self.line else ' '} {n:>{width}} | {text}".rstrip() for n, text in self.lines]

    def as_json(self) -> list[dict[str, object]]:
        """The lines for the preview's overlay, which draws the same gutter."""
        return [{"number": n, "text": text, "marked": n == self.line} for n, text in self.lines]


def excerpt(root: Path, problem: Problem) -> Excerpt | None:
    """The excerpt of the file and line ``problem`` names, or None (no line, no readable text file
    inside ``root``, or the line is not in it)."""
    if problem.line is None:
        return None
    data = _read(root, problem.path)
    return _cut(data, problem) if data is not None else None


def excerpts(root: Path, problems: Iterable[Problem]) -> dict[Problem, Excerpt]:
    """The excerpt of each of ``problems`` that has one, each file read once. Callers pass
    the errors: a warning stays one line."""
    found: dict[Problem, Excerpt] = {}
    files: dict[str, bytes | None] = {}
    for problem in problems:
        if problem.line is None:
            continue
        if problem.path not in files:
            files[problem.path] = _read(root, problem.path)
        data = files[problem.path]
        cut = _cut(data, problem) if data is not None else None
        if cut is not None:
            found[problem] = cut
    return found


def shown(problem: Problem, excerpts: dict[Problem, Excerpt]) -> str:
    """``problem``'s line, then its excerpt's rows when it has one."""
    cut = excerpts.get(problem)
    return "\n".join([problem.format(), *(cut.rows() if cut is not None else [])])


def excerpted(failed: BuildFailed, root: Path | None) -> BuildFailed:
    """``failed``, showing each error's source lines under it when ``root`` (the site folder)
    is given; None (-q) keeps one line per problem."""
    if root is not None:
        failed.details = {problem: cut.rows() for problem, cut in excerpts(root, errors_in(failed.problems)).items()}
    return failed


def _read(root: Path, rel: str) -> bytes | None:
    """The bytes of the text file ``rel`` inside ``root``, or None."""
    try:
        base = root.resolve()
        path = (base / rel).resolve()
        if not rel or not path.is_relative_to(base) or path == base:
            return None
        data = read_input(path, TEXT_LIMIT)
    except (OSError, RuntimeError, ValueError):  # gone, unreadable, refused, a symlink loop, a NUL in the name
        return None
    return None if b"\x00" in data else data


def _cut(data: bytes, problem: Problem) -> Excerpt | None:
    line = problem.line or 0
    first, last = max(1, line - CONTEXT), line + CONTEXT
    # Where each shown line starts, and the line after them: no more is kept, nor read further
    # (a file may hold millions of lines). The break ending the last line starts no line.
    starts = {1: 0} if first == 1 else {}
    number = 1
    for match in _LINE_END.finditer(data):
        number += 1
        if number >= first:
            starts[number] = match.end()
        if number > last:
            break
    present = [n for n in range(first, last + 1) if n in starts and starts[n] < len(data)]
    if line not in present:
        return None
    shown_lines = []
    for number in present:
        begin = starts[number]
        end = min(starts.get(number + 1, len(data)), begin + _LINE_BYTES)
        raw = _LINE_END.sub(b"", data[begin:end])
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        text = _escape(raw.decode("utf-8", errors="replace").expandtabs(TAB))
        shown_lines.append((number, _shorten(text, problem.message if number == line else None)))
    return Excerpt(line, tuple(shown_lines))


def _escape(text: str) -> str:
    return _UNSAFE.sub(lambda m: repr(m.group())[1:-1], text)


def _shorten(text: str, message: str | None) -> str:
    """``text`` in at most :data:`WIDTH` characters, ``…`` where some was left out. The
    offending line (``message`` given) keeps in view the longest quoted value or word of the
    message found in it (a link's URL, say), with a quarter of the width before it."""
    if len(text) <= WIDTH:
        return text
    at = _focus(text, message) if message else None
    if at is None or at[1] <= WIDTH - 1:
        return text[: WIDTH - 1] + "…"
    begin = max(1, at[0] - WIDTH // 4)
    if begin + WIDTH - 2 >= len(text):
        return "…" + text[len(text) - (WIDTH - 1) :]
    return "…" + text[begin : begin + WIDTH - 2] + "…"


def _focus(text: str, message: str) -> tuple[int, int] | None:
    """Where in ``text`` the message's longest quoted value or word is, or None."""
    words = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(message)]
    words = words or [word.rstrip(":.!?") for word in _WORD.findall(message)]
    for word in sorted(words, key=len, reverse=True):
        at = text.find(word)
        if at >= 0:
            return at, at + len(word)
    return None
