"""The new site is swapped into the output folder in one step (renameat2 with
RENAME_EXCHANGE, brief.output.outdir): a reader never sees half of each."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from brief.output.outdir import exchange, swap_in


def _tree(folder) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_two_folders_trade_places_in_one_call(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "new.html").write_text("new", encoding="utf-8")
    (b / "old.html").write_text("old", encoding="utf-8")
    inode = a.stat().st_ino
    assert exchange(a, b)
    assert _tree(b) == {"new.html": "new"} and _tree(a) == {"old.html": "old"}
    assert b.stat().st_ino == inode  # the very folder, moved: not copied
    assert not exchange(tmp_path / "missing", b)  # (the call's failure is a False, not an exception)


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
def test_swapping_the_site_in_starts_no_process(tmp_path):
    """The C library's renameat2 is taken from what the process has loaded: finding the
    library by name would run ``ldconfig -p`` in a fork of the whole build."""
    script = textwrap.dedent(
        f"""
        import os, subprocess
        from pathlib import Path
        from brief.output.outdir import swap_in
        started = []
        real = subprocess.Popen.__init__
        def counted(self, *args, **kwargs):
            started.append(args[0] if args else kwargs.get("args"))
            real(self, *args, **kwargs)
        subprocess.Popen.__init__ = counted
        old = swap_in(Path({str(tmp_path / "staging")!r}), Path({str(tmp_path / "public")!r}))
        print(old is not None, started, sorted(os.listdir({str(tmp_path / "public")!r})))
        """
    )
    (tmp_path / "staging").mkdir()
    (tmp_path / "staging" / "index.html").write_text("new", encoding="utf-8")
    (tmp_path / "public").mkdir()
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[0] == "True [] ['index.html']"


def test_a_first_site_is_renamed_into_place(tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    assert swap_in(staging, tmp_path / "public") is None
    assert _tree(tmp_path / "public") == {"index.html": "new"} and not staging.exists()
    assert os.path.isdir(tmp_path / "public")
