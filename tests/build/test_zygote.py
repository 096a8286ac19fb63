"""tests/zygote.py, through helpers.run_brief: a command run in a child forked from a process
that imported brief already answers exactly as ``python -m brief`` does."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import article, make_site, run_brief


@pytest.mark.slow
def test_a_forked_command_answers_as_python_m_brief_does(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("Links to [b](b.md) and [nowhere](missing.md).\n", title="A ünïcode title"),
            "content/b.md": article(title="B", date="not a date"),
        },
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"}
    for args in (["build", "--site", str(site)], ["check", "--site", str(site)], ["--help"], ["nonsense"]):
        real = subprocess.run(
            [sys.executable, "-m", "brief", *args], capture_output=True, text=True, encoding="utf-8", env=env
        )
        forked = run_brief(args, env=env)
        assert (forked.returncode, forked.stdout, forked.stderr) == (real.returncode, real.stdout, real.stderr)
    assert real.returncode == 2  # (the last: an unknown command)


def test_each_command_has_its_working_folder_and_environment(tmp_path):
    site = make_site(tmp_path, {"content/later.md": article(date="2090-01-02")})
    env = {**os.environ, "NO_COLOR": "1", "BRIEF_NOW": "2091-01-01T00:00:00Z"}  # the article is due by then
    built = run_brief(["build", "-q"], cwd=site, env=env)
    assert built.returncode == 0, built.stderr
    assert (site / "public" / "2090" / "01" / "later" / "index.html").is_file()
    again = run_brief(["build", "-q", "--site", "."], cwd=tmp_path, env=env)  # another folder: no site there
    assert again.returncode == 1
    assert f"{tmp_path}: not a brief site" in again.stderr


@pytest.mark.slow
def test_a_command_past_its_timeout_is_killed_and_the_next_one_runs(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    with pytest.raises(subprocess.TimeoutExpired):
        run_brief(["serve", "--site", str(site), "--port", "0"], timeout=3)  # serves until stopped
    for _ in range(4):  # each zygote takes its turn again
        assert run_brief(["--version"]).returncode == 0
