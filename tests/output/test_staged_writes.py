"""Each output file is written through its descriptor (brief.output.staged.write_file): all of
its bytes whatever each write takes, never into a file that was there, and a disk that takes
nothing is a clear error, not a wait. Real files; the system's write is narrowed to show the
loop."""

from __future__ import annotations

import os

import pytest

from brief.errors import BriefError
from brief.output.staged import write_file


def test_a_file_is_written_whole_when_each_write_takes_a_few_bytes(tmp_path, monkeypatch):
    real_write = os.write
    calls: list[int] = []

    def narrow(fd: int, data) -> int:
        calls.append(1)
        return real_write(fd, bytes(data[:7]))

    monkeypatch.setattr("brief.output.staged.os.write", narrow)
    data = bytes(range(256)) * 3
    target = tmp_path / "index.html"
    write_file(str(target), "index.html", data)
    assert target.read_bytes() == data and len(calls) == -(-len(data) // 7)
    empty = tmp_path / "empty.html"
    write_file(str(empty), "empty.html", b"")
    assert empty.read_bytes() == b""


def test_a_file_in_the_way_is_replaced_not_written_into(tmp_path):
    target = tmp_path / "page.html"
    target.write_bytes(b"old and longer text")
    linked = tmp_path / "published.html"
    os.link(target, linked)  # (the published file a spare's file may be)
    write_file(str(target), "page.html", b"new")
    assert target.read_bytes() == b"new" and linked.read_bytes() == b"old and longer text"


def test_a_write_that_takes_nothing_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr("brief.output.staged.os.write", lambda fd, data: 0)
    with pytest.raises(BriefError) as failed:
        write_file(str(tmp_path / "a.html"), "2024/01/a/index.html", b"text")
    assert str(failed.value) == (
        "cannot write 2024/01/a/index.html: No space left on device; the previous output is unchanged"
    )
