"""Faults: an output folder that cannot be written or fills up, a build killed at a random
moment during the write phase, and two builds at once. The previous site always stays
complete (or the new one is complete), and the messages say what happened."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import article, make_site, tree


def cli(site: Path, *args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "brief", "build", "--site", str(site), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


def big_site(tmp_path: Path, n: int = 1500) -> Path:
    words = "Words about ports, grids and harvests. " * 60
    return make_site(
        tmp_path,
        {
            f"content/a{i}.md": article(words, title=f"Story {i}", takeaways=["One"], tags=[f"T{i % 30}"])
            for i in range(n)
        },
    )


def wait_for_staging(proc: subprocess.Popen, site: Path) -> None:
    """Wait until the build has begun its write phase (its staging folder exists)."""
    staging = site / f".public.tmp-{proc.pid}"
    deadline = time.monotonic() + 60
    while not staging.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)


@contextmanager
def tmpfs(where: Path, size: str):
    """A small tmpfs mounted at ``where`` (root only; skipped where mounting is not allowed)."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def test_output_on_a_read_only_file_system_keeps_the_old_site(tmp_path):
    site = make_site(tmp_path, {f"content/a{i}.md": article(title=f"Story {i}") for i in range(3)})
    with tmpfs(tmp_path / "mnt", "8m") as mnt:
        out = mnt / "public"
        code, _, err = finish(cli(site, "--output", str(out)))
        assert code == 0, err
        before = tree(out)
        (site / "content/a0.md").write_text(article("Changed.\n", title="Story 0"))
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        code, _, err = finish(cli(site, "--output", str(out)))
        assert code == 1
        assert "Traceback" not in err
        assert f"Error: cannot create the staging folder beside {out}: Read-only file system; is {mnt} writable?" in err
        assert tree(out) == before


def test_disk_full_is_a_clear_error_and_keeps_the_old_site(tmp_path):
    site = make_site(tmp_path, {f"content/a{i}.md": article(title=f"Story {i}") for i in range(3)})
    with tmpfs(tmp_path / "mnt", "1m") as mnt:
        out = mnt / "public"
        code, _, err = finish(cli(site, "--output", str(out)))
        assert code == 0, err
        before = tree(out)
        (site / "content/big.md").write_text(article("Long text. " * 120_000, title="A very long story"))
        code, _, err = finish(cli(site, "--output", str(out)))
        assert code == 1
        assert "Traceback" not in err
        assert "No space left on device; the previous output is unchanged" in err, err
        assert tree(out) == before
        assert [p.name for p in mnt.iterdir()] == ["public"]  # the staging folder is gone


@pytest.mark.slow
def test_build_killed_during_the_write_phase_leaves_a_complete_site(tmp_path):
    """SIGKILL (no chance to clean up) at random moments of the write phase, five times: the
    output folder always holds the old site or the new one, complete. The kills come 0.06–0.52 s
    into a write phase of about 2 s (800 articles, 2-core machine)."""
    site = big_site(tmp_path, 800)
    out = site / "public"
    code, _, err = finish(cli(site))
    assert code == 0, err
    old = tree(out)
    (site / "content/a7.md").write_text(article("A correction.\n", title="Story 7, corrected", takeaways=["One"]))
    code, _, err = finish(cli(site, "--output", str(tmp_path / "reference"), "--no-cache"))
    assert code == 0, err
    new = tree(tmp_path / "reference")
    rng = random.Random(7)
    killed = 0
    for attempt in range(5):
        proc = cli(site, "--no-cache", "-q", start_new_session=True)
        wait_for_staging(proc, site)
        time.sleep(rng.uniform(0.0, 0.8))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the build and its workers, as a cancelled CI job
            killed += 1
        proc.communicate(timeout=60)
        assert tree(out) in (old, new), f"attempt {attempt}: the output folder is neither the old nor the new site"
    assert killed >= 3, "the builds ended before they could be killed: the test tested nothing"
    code, _, err = finish(cli(site, "--no-cache"))  # the next build finishes the job and clears the leftovers
    assert code == 0, err
    assert tree(out) == new
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []


@pytest.mark.slow
def test_two_builds_at_once_take_turns_and_both_complete(tmp_path):
    site = big_site(tmp_path, 900)
    out = site / "public"
    first = cli(site, "--no-cache")
    wait_for_staging(first, site)
    assert first.poll() is None, "the first build ended before the second started"
    second = cli(site, "--no-cache")
    code1, _, err1 = finish(first)
    code2, _, err2 = finish(second)
    assert (code1, code2) == (0, 0), err1 + err2
    assert f"Another brief build is writing into {site}; waiting for it to finish" in err2
    assert "Traceback" not in err1 + err2
    code, _, err = finish(cli(site, "--output", str(tmp_path / "reference"), "--no-cache"))
    assert code == 0, err
    assert tree(out) == tree(tmp_path / "reference")
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []
