"""Ctrl-C during `brief import`: the one line it prints tells what was written, every file
written is whole, and the same command run again finishes the import as one run would have.

The import runs as users run it (the installed `brief` in a session of its own) and gets
SIGINT the way a terminal sends it, once it has started writing."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

BRIEF = str(Path(sys.executable).with_name("brief"))
IMAGE = Path(__file__).parent / "fixtures/jekyll/site/assets/img/crane.png"
STOPPED = re.compile(
    r"Interrupted; the import stopped part way: ([\d,]+) files? written into (.+) are kept, each whole "
    r"\(run the same command again to finish it: it keeps the files already there\)\."
)
"""The one line (after the empty line click prints on Ctrl-C)."""


def _jekyll(root: Path, posts: int) -> Path:
    site = root / "jekyll"
    (site / "_posts").mkdir(parents=True)
    (site / "assets").mkdir()
    (site / "_config.yml").write_text("title: Quay Notes\nurl: https://quay.example.org\n", encoding="utf-8")
    for i in range(posts):
        shutil.copyfile(IMAGE, site / "assets" / f"p{i}.png")
        (site / "_posts" / f"2021-03-{i % 28 + 1:02d}-note-{i}.md").write_text(
            f"---\ntitle: Note {i}\ntags: [quay]\n---\nThe tide table for berth {i}.\n\n![Berth {i}](/assets/p{i}.png)\n",
            encoding="utf-8",
        )
    return site


def _import(source: Path, into: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [BRIEF, "import", "jekyll", str(source), "--into", str(into), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _files(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in skip
    }


@pytest.mark.slow
def test_ctrl_c_while_importing_says_what_was_written_and_a_second_run_finishes(tmp_path):
    source = _jekyll(tmp_path, 600)
    into = tmp_path / "site"
    proc = _import(source, into)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:  # until it has written something
        if (into / "content").is_dir() and any((into / "content").rglob("*.md")):
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the import ended before it could be interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    stopped = STOPPED.fullmatch(err.strip())
    assert stopped, err
    assert stopped.group(2) == str(into)
    written = _files(into)
    assert int(stopped.group(1).replace(",", "")) == len(written) > 0  # the count is the files there
    assert not [name for name in written if name.rpartition("/")[2].startswith(".import-")]  # no cut file
    for name, data in written.items():  # each whole: a post's Markdown ends its body, an image is the image
        if name.endswith(".png"):
            assert data == IMAGE.read_bytes(), name
        elif name.endswith(".md"):
            assert data.decode().rstrip().endswith(".png)"), name
    assert "brief.toml" not in written  # (written last)
    # The same command again finishes it: the same files as one run that was not interrupted.
    again = _import(source, into)
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    whole = _import(source, tmp_path / "whole")
    _, err = whole.communicate(timeout=300)
    assert whole.returncode == 0, err
    reports = ("import-report.md", "import-report.json")  # (each tells its own run: the second kept files)
    assert _files(into, reports) == _files(tmp_path / "whole", reports)


def test_ctrl_c_before_the_import_writes_says_nothing_was_written(tmp_path, monkeypatch):
    from brief import interrupts
    from brief.migrate import run as importing

    monkeypatch.setattr(interrupts, "_left", [])
    source = _jekyll(tmp_path, 2)
    options = importing.Options("jekyll", source, tmp_path / "site", None, False, False, None)

    def stopped(*args, **kwargs):
        raise KeyboardInterrupt  # (as Ctrl-C lands while the import plans)

    with monkeypatch.context() as patched:
        patched.setattr(importing, "plan", stopped)
        with pytest.raises(KeyboardInterrupt):
            importing.run(options, lambda *a: None)
    # Kept for the report of the Ctrl-C, which comes after the import's frames are gone.
    assert interrupts.left_behind() == f"Interrupted; nothing was written into {tmp_path / 'site'}."
    assert not (tmp_path / "site").exists()
    interrupts._left.clear()
    importing.run(options, lambda *a: None)
    assert interrupts.left_behind() is None  # an import that ends leaves no line behind


@pytest.mark.parametrize("lands", ["before the rename", "after the rename"])
def test_a_file_interrupted_as_it_is_put_in_place_is_counted_as_it_is(tmp_path, monkeypatch, lands):
    # Ctrl-C may land between putting a file in place and counting it: the count is what is there.
    from brief.migrate import write as writing
    from brief.migrate.report import Report

    writer = writing.Writer(
        tmp_path / "site", Report(kind="jekyll", source="x"), overwrite=False, dry_run=False, source_root=tmp_path
    )
    assert writer.text("content/a.md", "first\n") and writer.files == 1
    real = writing._atomic

    def stopped(path, data):
        if lands == "after the rename":
            real(path, data)
        raise KeyboardInterrupt

    monkeypatch.setattr(writing, "_atomic", stopped)
    with pytest.raises(KeyboardInterrupt):
        writer.text("content/b.md", "second\n")
    there = sorted(p.name for p in (tmp_path / "site/content").iterdir())
    assert writer.files == len(there) == (2 if lands == "after the rename" else 1)


def test_a_temporary_file_left_by_ctrl_c_inside_mkstemp_is_removed(tmp_path, monkeypatch):
    # The signal may land inside mkstemp once it has made the file and before it returns the
    # name: no code holds the name, and the file would stay as a cut one.
    import tempfile

    from brief.migrate import write as writing
    from brief.migrate.report import Report

    writer = writing.Writer(
        tmp_path / "site", Report(kind="jekyll", source="x"), overwrite=False, dry_run=False, source_root=tmp_path
    )
    assert writer.text("content/a.md", "first\n")
    real = tempfile.mkstemp

    def interrupted(*args, **kwargs):
        fd, _ = real(*args, **kwargs)
        os.close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(tempfile, "mkstemp", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writer.text("content/b.md", "second\n")
    monkeypatch.undo()
    assert len(list((tmp_path / "site/content").iterdir())) == 2  # a.md and the temporary file
    assert writer.stopped() == 1
    assert sorted(p.name for p in (tmp_path / "site/content").iterdir()) == ["a.md"]
