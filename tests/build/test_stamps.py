"""The input files' stamps (brief.stamps.snapshot): what "up to date" compares and the
cache records, taken from the folder listings' entries."""

from __future__ import annotations

import os
from pathlib import Path

from brief.stamps import snapshot


def walked(folders: list[Path]) -> dict[str, tuple[int, int, int]]:
    """The stamps as ``os.walk`` and ``os.stat`` find them (symlinked folders followed once)."""
    found: dict[str, tuple[int, int, int]] = {}
    seen: set[str] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:
                dirnames[:] = []
                continue
            seen.add(real)
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found[path] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return found


def test_stamps_are_what_a_walk_finds_in_its_order_with_links_followed_once(tmp_path):
    content = tmp_path / "content"
    for rel in ("a.md", "b.md", "2024/c.md", "2024/05/d.md", "2025/e.md", "z/f.txt"):
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel * 3, encoding="utf-8")
    outside = tmp_path / "shared"
    (outside / "deep").mkdir(parents=True)
    (outside / "g.md").write_text("g", encoding="utf-8")
    (outside / "deep" / "h.md").write_text("h", encoding="utf-8")
    (content / "linked").symlink_to(outside)  # followed
    (content / "2025" / "again").symlink_to(outside)  # the same folder: followed once
    (content / "loop").symlink_to(content)  # the folder itself: not again
    (content / "note.md").symlink_to(content / "a.md")  # a file's link: its target's stamp
    (content / "gone.md").symlink_to(tmp_path / "nowhere.md")  # broken: left out
    static = tmp_path / "static"
    static.mkdir()
    (static / "s.css").write_text("s", encoding="utf-8")
    folders = [content, tmp_path / "templates", static, content / "2024"]  # (a missing folder, one seen)

    stamps = snapshot(folders)

    assert stamps == walked(folders)
    assert list(stamps) == list(walked(folders))  # (the cache's table of inputs in the same order)
    assert str(content / "gone.md") not in stamps
    assert stamps[str(content / "note.md")] == stamps[str(content / "a.md")]
    assert sum(path.endswith("/h.md") for path in stamps) == 1
    info = os.stat(content / "2024" / "05" / "d.md")
    assert stamps[str(content / "2024" / "05" / "d.md")] == (info.st_mtime_ns, info.st_size, info.st_ino)
