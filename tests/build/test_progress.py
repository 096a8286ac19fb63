"""The progress bar: shown on a terminal for a build that takes more than a second (stage,
count, bar, rate), never in CI, with -q, or when stderr is not a terminal."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import article, make_site


@pytest.fixture(scope="module")
def slow_site(tmp_path_factory) -> Path:
    """A site whose build takes a few seconds: its pages are written after the first second, when
    the bar may show (1,000 articles: about 1.5 s of reading before 2.5 s of writing on a 2-core
    machine), so that the tests without a bar could see one if it were wrongly shown."""
    root = tmp_path_factory.mktemp("progress")
    words = "Grid batteries store power for evening peaks and windless weeks. " * 60
    return make_site(
        root,
        {
            f"content/a{i}.md": article(words, title=f"Story {i}", tags=[f"T{i % 40}"], takeaways=["One"])
            for i in range(1000)
        },
    )


def build_on_terminal(site: Path, *args: str, env: dict | None = None) -> tuple[int, str, str]:
    """Run ``brief build`` with stderr on a pseudo-terminal; return (code, stdout, terminal output)."""
    leader, follower = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "brief", "build", "--site", str(site), "--no-cache", *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        text=True,
        env=environment,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the terminal closed: the build is over
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read()
    code = proc.wait(120)
    os.close(leader)
    return code, out, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.slow
def test_progress_bar_on_a_terminal(slow_site):
    code, out, terminal = build_on_terminal(slow_site)
    assert code == 0, terminal
    assert out.startswith("Built 1000 articles")
    for stage in ("Writing pages",):
        assert stage in terminal, terminal[-500:]
    assert "█" in terminal and "/s" in terminal
    # counts with their total, in thousands: the articles read, or (when reading took less than the
    # bar's first second, as it may on a fast machine) the 1,437 pages written
    assert re.search(r"\d/\d{1,3}(,\d{3})+", terminal), terminal[-500:]
    assert terminal.endswith("\r\x1b[K") or "\r\x1b[K" in terminal.rsplit("/s", 1)[-1]  # erased at the end


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ci", "quiet"])
def test_no_progress_bar_in_ci_or_quiet(slow_site, how):
    code, _, terminal = build_on_terminal(
        slow_site, *(["-q"] if how == "quiet" else []), env={"CI": "true"} if how == "ci" else None
    )
    assert code == 0
    assert "█" not in terminal and "Writing pages" not in terminal


@pytest.mark.slow
def test_no_progress_bar_when_piped(slow_site):
    proc = subprocess.run(
        [sys.executable, "-m", "brief", "build", "--site", str(slow_site), "--no-cache"],
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "CI"},
    )
    assert proc.returncode == 0
    assert "█" not in proc.stderr and "\r" not in proc.stderr
