"""Splitting an article file without copies of it (issue #14, part B): brief.content.files.load
decodes only the front matter's lines and the body, straight from the file's bytes. It must
split every file exactly as the plain way does (decode all, normalise line ends, split into
lines, find the fence, join the body again), which :func:`plain_split` keeps as the oracle:
the same front matter, body and body line, or the same problem on the same line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brief.content.files import FENCE, SourceDoc, _line_at, load
from brief.errors import Problem

PIECES = [
    "---",
    "...",
    "----",
    "--- ",
    " ---",
    "\n",
    "\r",
    "\r\n",
    "\n\n",
    " ",
    "\t",
    "\u00a0",
    "\u2028",
    "\x85",
    "\x0c",
    "title: x",
    "a",
    "é",
    "#",
    ":",
    "\ufeff",
]
BYTES = [b"\xff", b"\xc3", b"\xef\xbb\xbf", b"\x00"]


def plain_split(data: bytes, rel: str) -> tuple[str, str, int] | Problem:
    """The front matter, the body and the body's first line, the way brief split files before."""
    if not data.strip():
        return Problem(rel, None, None, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(rel, 1, None, "file is saved as UTF-16")
    if b"\x00" in data:
        return Problem(rel, _line_at(data, data.index(b"\x00")), None, "file contains a NUL byte")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Problem(rel, _line_at(data, exc.start), None, "not valid UTF-8")
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines[0].rstrip() != FENCE:
        return Problem(rel, 1, None, "no front matter")
    for end in range(1, len(lines)):
        if lines[end].rstrip() in (FENCE, "..."):
            return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2
    return Problem(rel, 1, None, "front matter is not closed")


def lean_split(data: bytes, rel: str, monkeypatch) -> tuple[str, str, int] | Problem:
    """What brief's load makes of ``data``: the YAML it parses, the body and its first line."""
    seen: list[str] = []
    monkeypatch.setattr("brief.content.files.parse_yaml", lambda text, *a, **k: seen.append(text) or ({}, {}, {}, {}))
    monkeypatch.setattr("brief.content.files.find_forbidden", lambda text: None)
    found = load(Path("/site/content/a.md"), Path("/site"), data)
    if isinstance(found, SourceDoc):
        return seen[0], found.body, found.body_line
    assert len(found) == 1, found
    return found[0]


files = st.lists(
    st.one_of(st.sampled_from(PIECES).map(lambda s: s.encode("utf-8")), st.sampled_from(BYTES)), max_size=40
).map(b"".join)


@settings(max_examples=600, deadline=None)
@given(head=files, body=files, opening=st.sampled_from([b"---\n", b"---\r\n", b"\xef\xbb\xbf---\r", b"--- \n", b""]))
@example(head=b"", body=b"", opening=b"---\n")
@example(head=b"---", body=b"", opening=b"---\n")
@example(head=b"\n---\r", body=b"\nBody\r\n", opening=b"---\r\n")
@example(head=b"title: x\n...\xc2\x85", body=b"\n\xff", opening=b"---\n")
def test_lean_split_matches_the_plain_one(head, body, opening):
    data = opening + head + body
    with pytest.MonkeyPatch.context() as monkeypatch:  # not the fixture: one per example
        lean = lean_split(data, "content/a.md", monkeypatch)
    plain = plain_split(data, "content/a.md")
    if isinstance(plain, Problem):
        assert isinstance(lean, Problem), (data, lean)
        assert lean.line == plain.line and lean.message.startswith(plain.message), (data, lean, plain)
    else:
        assert lean == plain, data
