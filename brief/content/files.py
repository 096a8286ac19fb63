"""Stage 1: find the article files and split each into front matter and body.

This knows nothing about the site: it reads one file, checks that it is UTF-8 text
with a front-matter block and hands the YAML to :mod:`brief.content.yamllines`,
which remembers on which line every key and list item sits, so later stages can
point at the exact line.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brief.content.yamllines import Key, parse_yaml
from brief.errors import FORBIDDEN_IN_PAGES, Problem, relpath

FENCE = "---"
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
        return [
            Problem(
                rel,
                None,
                None,
                f"symlink leads outside the site (to {path.resolve()}); refusing to read it (copy the file in instead)",
            )
        ]
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [Problem(rel, None, None, f"cannot read file: {exc.strerror or exc}")]
    if not data.strip():
        return [
            Problem(rel, None, None, "file is empty (expected front matter between '---' lines, then the article text)")
        ]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # what Windows editors write as "Unicode"
        return [
            Problem(
                rel,
                1,
                None,
                "file is saved as UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8",
            )
        ]
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
        return [
            Problem(
                rel,
                1,
                None,
                "no front matter: the file must start with a line '---', then the fields (title, date, ...), then another '---'",
            )
        ]
    for end in range(1, len(lines)):
        if lines[end].rstrip() in (FENCE, "..."):
            break
    else:
        return [Problem(rel, 1, None, "front matter is not closed (expected a line '---' after the fields)")]
    parsed = parse_yaml("\n".join(lines[1:end]), rel, first_line=2)
    body = "\n".join(lines[end + 1 :])
    bad = FORBIDDEN_IN_PAGES.search(
        body
    )  # YAML refuses these in the front matter; Markdown would pass them into the page
    if bad:
        shown = f"U+{ord(bad.group()):04X}"
        problem = Problem(
            rel,
            end + 2 + body.count("\n", 0, bad.start()),
            "body",
            f"contains the character {shown}, which web pages may not hold (expected plain text; remove it)",
        )
        return (parsed if isinstance(parsed, list) else []) + [problem]
    if isinstance(parsed, list):
        return parsed
    meta, line_map, raw, value_lines = parsed
    return SourceDoc(path, rel, meta, line_map, raw, body, end + 2, value_lines)


def _line_at(data: bytes, offset: int) -> int:
    """1-based line of byte ``offset``, counting \\r\\n, \\r and \\n line ends as the text is split below."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
