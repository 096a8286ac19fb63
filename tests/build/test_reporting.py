"""Reporting: every problem a user can cause is one line naming file, line and field, all of
them together and grouped by file; a bug in brief is an internal error asking for a report
(command and version), with the traceback only under -v."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import Raw, article, make_site, problem_lines, run_build

from brief import __version__

CRASH = "import brief.build as b; b._build = lambda *a, **k: 1 / 0; from brief.cli import main; main()"


def crash(site: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CRASH, "build", "--site", str(site), *args], capture_output=True, text=True, timeout=60
    )


def test_internal_error_asks_for_a_report_with_command_and_version(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    result = crash(site)
    assert result.returncode == 70
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: internal error: ZeroDivisionError: division by zero"
    assert f"This is a bug in brief {__version__}" in lines[1]
    assert f"(brief build --site {site})" in result.stderr and "brief --version" in result.stderr


def test_internal_error_traceback_with_verbose(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    result = crash(site, "-v")
    assert result.returncode != 0
    assert "Traceback" in result.stderr and "ZeroDivisionError" in result.stderr


def test_problems_are_one_line_each_grouped_by_file_all_together(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/b.md": article(title=Raw('"Two\\nlines"'), date=Raw("nope"), tags=Raw("economy")),
            "content/a.md": article(title=None, section=Raw("[1, 2]")),
            "content/c.md": "no front matter here\n",
        },
    )
    code, _, err = run_build(site)
    assert code == 1
    lines = problem_lines(err)  # each error's source lines under it (tests/build/test_excerpts.py)
    assert lines[-1].startswith("Error: build failed: ") and "nothing was written" in lines[-1]
    problems = lines[:-1]
    files = [line.split(":", 1)[0] for line in problems]
    assert files == sorted(files), "problems are grouped by file, in order"
    assert set(files) == {"content/a.md", "content/b.md", "content/c.md"}  # every file's problems at once
    for line in problems:
        assert line.count("\n") == 0 and line.startswith("content/")
    assert any(line.startswith("content/b.md:3: date: ") for line in problems)
    assert any(line.startswith("content/a.md:1: title: is required") for line in problems)
    assert not (site / "public").exists()
