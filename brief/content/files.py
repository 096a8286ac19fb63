"""Stage 1: find the article files and split each into front matter and body.

This knows nothing about the site: it reads one file, checks that it is UTF-8 text
with a front-matter block and hands the YAML to :mod:`brief.content.yamllines`,
which remembers on which line every key and list item sits, so later stages can
point at the exact line.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brief.content.model import child_paths
from brief.content.yamllines import Key, parse_yaml
from brief.errors import WARNING, Problem, find_forbidden, relpath
from brief.theme import TEXT_LIMIT, InputError, read_input

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
    real_path: Path | None = None
    """``path`` with symlinks resolved (None: not worked out yet, see :meth:`real`)."""

    def real(self) -> Path:
        """``path`` with symlinks resolved."""
        return self.real_path or self.path.resolve()

    def line(self, key: Key) -> int | None:
        """The line of ``key``, or of its closest known parent."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return None


def discover(
    content_dir: Path, site_root: Path | None = None, skip: tuple[str, ...] = (), notes: list[Problem] | None = None
) -> Iterator[Path]:
    """Every ``*.md`` file under ``content_dir``, sorted, skipping hidden files, editor
    leftovers and the top-level folders named in ``skip`` (``authors/`` holds profiles).

    Symlinked folders are followed while they stay inside the site (each real folder
    once); one that leads outside is yielded itself, so that :func:`load` reports it.
    A folder named like an article (``z.md/``) is read as any folder, with a warning
    added to ``notes``. Whatever else is named ``*.md`` (a FIFO, a socket, a device) is
    yielded, and :func:`load` refuses it.
    """
    if not content_dir.is_dir():
        return
    given_root = site_root or content_dir.parent
    root = given_root.resolve()
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
            if name.endswith(".md") and notes is not None:
                notes.append(
                    Problem(
                        relpath(here / name, given_root), None, None, FOLDER_LIKE_ARTICLE, WARNING, "folder-like-file"
                    )
                )
            keep.append(name)
        dirnames[:] = keep
        yield from child_paths(
            here,
            [
                n
                for n in sorted(filenames)
                if not n.startswith((".", "#")) and not n.endswith(_EDITOR_LEFTOVERS) and n.endswith(".md")
            ],
        )


FOLDER_LIKE_ARTICLE = (
    "a folder named like an article: its files are read as a folder's (the .md files in it are articles), "
    "not as one article; rename it without .md"
)


def load(
    path: Path, root: Path, data: bytes | None = None, folders: dict[str, str] | None = None
) -> SourceDoc | list[Problem]:
    """Read and split one article file (``data``: its bytes, when already read); on failure
    return the problems found. ``folders`` keeps each folder's resolved path for the files
    after this one (the caller's to drop when the files' folders may have changed)."""
    rel = relpath(path, root)
    link = path.is_symlink()
    if link and not path.resolve().is_relative_to(root.resolve()):
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
            data = read_input(path, TEXT_LIMIT)
        except InputError as exc:
            return [Problem(rel, None, None, str(exc))]
        except OSError as exc:
            return [Problem(rel, None, None, f"cannot read file: {exc.strerror or exc}")]
    refused = _refused(data, rel)
    if refused is not None:
        return [refused]
    split = _split(data)
    if split is None:
        return [_not_split(data, rel)]
    head, body, end = split
    parsed = parse_yaml(head, rel, first_line=2)
    bad = find_forbidden(body)  # YAML refuses these in the front matter; Markdown would pass them into the page
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
    real = _real_path(path, folders) if folders is not None and not link else None
    return SourceDoc(path, rel, meta, line_map, raw, body, end + 2, value_lines, real)


def _real_path(path: Path, folders: dict[str, str]) -> Path:
    """``path.resolve()`` for a file that is no symlink: its folder resolved (once for all
    the folder's files; resolving every file walked every folder above it again), then its
    name. A symlinked file is resolved whole, as the link may lead anywhere."""
    folder, name = os.path.split(str(path))
    real = folders.get(folder)
    if real is None:
        real = folders[folder] = str(Path(folder).resolve())
    return path if real == folder else Path(os.path.join(real, name))  # (the path itself when it is real)


def body_of(path: Path, data: bytes | None = None) -> tuple[str, int] | None:
    """The Markdown body of a file whose front matter failed, and its first line, so that
    the body is checked in the same run; None when the file has no body to find."""
    try:
        data = read_input(path, TEXT_LIMIT) if data is None else data
    except OSError:
        return None
    split = _split(data) if _refused(data, "") is None else None
    if split is None:
        return None
    _, body, end = split
    return body, end + 2


def _refused(data: bytes, rel: str) -> Problem | None:
    """Bytes that are no Markdown text at all: nothing, UTF-16, binary."""
    if not data or data.isspace():
        return Problem(
            rel, None, None, "file is empty (expected front matter between '---' lines, then the article text)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # what Windows editors write as "Unicode"
        return Problem(
            rel, 1, None, "file is saved as UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8"
        )
    if b"\x00" in data:
        line = _line_at(data, data.index(b"\x00"))
        return Problem(rel, line, None, "file contains a NUL byte; it looks binary, not like Markdown text")
    return None


_LINE_END = re.compile(rb"\r\n|\r|\n")
_FENCE_AHEAD = re.compile(rb"(?:\r\n|\r|\n)(?=---|\.\.\.)")
"""A line break before a line that may close the front matter."""


def _split(data: bytes) -> tuple[str, str, int] | None:
    """The front matter's text, the body's text (both with ``\\n`` line ends) and the index of
    the closing fence's line; None when the file is not valid UTF-8 or has no closed front
    matter (:func:`_not_split` says which).

    Only the opening line, the lines that may close the front matter and the front matter
    are decoded on their own; the body is decoded once, straight from ``data``, so a long
    article is held as its bytes and one string, never as a list of its lines or a second
    copy of its text."""
    at = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    opening = _LINE_END.search(data, at)
    try:
        if opening is None or data[at : opening.start()].decode("utf-8").rstrip() != FENCE:
            return None
        for ahead in _FENCE_AHEAD.finditer(data, opening.start()):
            after = _LINE_END.search(data, ahead.end())
            line = data[ahead.end() : after.start() if after else len(data)].decode("utf-8")
            if line.rstrip() in (FENCE, "..."):
                head = _lf(data[opening.end() : ahead.end()].decode("utf-8"))
                body = _lf(str(memoryview(data)[after.end() :], "utf-8")) if after else ""
                return head[:-1], body, 1 + head.count("\n")
    except UnicodeDecodeError:
        return None
    return None


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _not_split(data: bytes, rel: str) -> Problem:
    """Why :func:`_split` found no front matter and body: the first byte that is not UTF-8, a
    first line that is not a fence, or no closing fence."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = _line_at(data, exc.start)
        return Problem(rel, line, None, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
    first = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"), maxsplit=1)[0]
    if first.rstrip() != FENCE:
        return Problem(
            rel,
            1,
            None,
            "no front matter: the file must start with a line '---', then the fields (title, date, ...), then another '---'",
        )
    return Problem(rel, 1, None, "front matter is not closed (expected a line '---' after the fields)")


def _line_at(data: bytes, offset: int) -> int:
    """1-based line of byte ``offset``, counting \\r\\n, \\r and \\n line ends as the text is split below."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1
