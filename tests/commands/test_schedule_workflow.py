"""README › Scheduled publishing: the GitHub Actions workflow's "Is a change due?" step, taken
from the README and run by bash as GitHub runs it (``bash -eo pipefail``), against a real site
and the real ``brief``: it publishes a new commit, publishes when a change is due, stops green
when nothing is, and fails when the site does not load."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO, Raw, article, make_site, run_brief

README = (REPO / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Scheduled publishing", 1)[1].split("\n## ", 1)[0]
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _workflow() -> dict:
    block = SECTION.split("```yaml\n", 1)[1].split("```", 1)[0]
    return yaml.safe_load(block)


def _due_step() -> str:
    steps = _workflow()["jobs"]["check"]["steps"]
    return next(step["run"] for step in steps if step.get("id") == "due")


@pytest.fixture
def bin_dir(tmp_path: Path) -> Path:
    """A ``brief`` on PATH that is this checkout's, run by this Python."""
    folder = tmp_path / "bin"
    folder.mkdir()
    wrapper = folder / "brief"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m brief "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return folder


def run_step(site: Path, bin_dir: Path, event: str, now: str) -> tuple[int, str, str]:
    """Run the step in ``site`` as GitHub would; return (exit code, what it wrote to GITHUB_OUTPUT, its output)."""
    output = site.parent / "github-output"
    output.write_text("", encoding="utf-8")
    script = site.parent / "step.sh"
    script.write_text(_due_step(), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_EVENT_NAME": event,
        "GITHUB_SHA": COMMIT,
        "BRIEF_NOW": now,
    }
    proc = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode, output.read_text(encoding="utf-8"), proc.stdout + proc.stderr


def build(site: Path, now: str) -> None:
    env = {**os.environ, "BRIEF_NOW": now}
    proc = run_brief(["build", "-q", "--site", str(site)], env=env)
    assert proc.returncode == 0, proc.stderr


def test_the_workflow_is_the_one_the_readme_describes():
    workflow = _workflow()
    assert workflow[True]["schedule"] == [{"cron": "*/15 * * * *"}]  # YAML 1.1 reads the key "on" as True
    assert "push" in workflow[True]
    publish = workflow["jobs"]["publish"]
    assert publish["if"] == "needs.check.outputs.publish == 'true'"
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert uses.index("actions/deploy-pages@v4") < uses.index("actions/cache/save@v4")  # recorded once deployed
    saved = publish["steps"][uses.index("actions/cache/save@v4")]["with"]["path"]
    restored = next(s for s in workflow["jobs"]["check"]["steps"] if s.get("uses") == "actions/cache/restore@v4")
    assert restored["with"]["path"] == saved  # the same paths, or the cache is never found


def test_the_due_step(tmp_path, bin_dir):
    site = make_site(
        tmp_path,
        {"content/port.md": article(title="Port corridor talks", date="2026-12-03T06:00:00", takeaways=["One"])},
        'title = "T"\nbase_url = "https://example.org/"\nsearch = false\n',
    )
    # A commit that was never published: publish, without asking brief.
    assert run_step(site, bin_dir, "push", "2026-12-03T05:45:00Z")[:2] == (0, "publish=true\n")
    # Published (the publish job's build and its record of the commit): nothing due until 06:00.
    build(site, "2026-12-03T05:45:00Z")
    (site / ".brief-cache" / "published-commit").write_text(COMMIT + "\n", encoding="utf-8")
    code, out, log = run_step(site, bin_dir, "schedule", "2026-12-03T05:50:00Z")
    assert (code, out) == (0, "publish=false\n"), log
    assert "Nothing due" in log
    code, out, log = run_step(site, bin_dir, "schedule", "2026-12-03T06:05:00Z")
    assert (code, out) == (0, "publish=true\n"), log
    # "Run workflow" by hand publishes at once.
    assert run_step(site, bin_dir, "workflow_dispatch", "2026-12-03T05:50:00Z")[:2] == (0, "publish=true\n")
    # A site that does not load: a red run, not a quiet one.
    (site / "content/broken.md").write_text(article(title="Broken", date=Raw("not a date")), encoding="utf-8")
    code, out, log = run_step(site, bin_dir, "schedule", "2026-12-03T05:50:00Z")
    assert (code, out) == (1, ""), log
    assert "content/broken.md:3: date:" in log
