"""`brief new` and `brief init`, including `init` from an installed wheel."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import frontmatter
import pytest
from helpers import REPO, run_brief

from brief.commands.scaffold import new_article
from brief.config import Config
from brief.content.schema import FIELDS


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_brief(list(args), cwd=cwd, env=env)


def test_new_fills_every_field_builds_and_never_overwrites(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "earlier.md").write_text(
        "---\ntitle: Earlier\ndate: 2026-01-01\ntakeaways: [One]\n---\nText.\n"
    )
    result = cli("new", "Port Strike: What's Next?", "--section", "Economy", "--site", str(site))
    assert result.returncode == 0, result.stderr
    path = site / "content" / "port-strike-whats-next.md"
    assert result.stdout.strip().endswith("port-strike-whats-next.md")
    post = frontmatter.load(path)
    later = ("updated", "canonical", "aliases", "expires")  # written as comments, to uncomment when they apply
    # In the documented order; corrections are written to a published article, never to a new one.
    assert list(post.metadata) == [f for f in FIELDS if f not in (*later, "type", "corrections")]
    assert all(f"\n# {field}: " in path.read_text() for field in later)
    assert post["title"] == "Port Strike: What's Next?"
    assert post["section"] == "Economy"
    assert post["related"][0] == "earlier"
    built = cli("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    warnings = built.stderr.splitlines()
    assert warnings and all(line.endswith("[placeholder-text]") for line in warnings)  # the example text
    original = path.read_bytes()
    path.write_text(path.read_text() + "\nEdited by hand.\n")
    edited = path.read_bytes()
    again = cli("new", "Port Strike: What's Next?", "--site", str(site))
    assert again.returncode == 1
    assert "already exists; not overwriting it" in again.stderr
    assert path.read_bytes() == edited != original


NOW = datetime(2026, 10, 3, 8, 30, 5, tzinfo=UTC)
WRITTEN = """\
---
title: "Port Strike: What's Next?"
dek: >-
  One or two sentences that tell the reader why this matters; also the page's
  meta description.
date: 2026-10-03T08:30:05+00:00
authors:
  - Staff
section: Economy
tags:
  - Example Tag
image:
  src: /images/placeholder.svg
  alt: Describe what the image shows for readers who cannot see it
  caption: What the image shows, in one sentence.
  credit: "Photo: Photographer / Agency"
  decorative: false
takeaways:
  - The single most important fact, in one sentence.
  - Why it matters to the reader.
  - What happens next.
analysis:
  label: Strategic Analysis
  byline: Staff, Editor
  body: |
    The editor's view: what this changes, who gains, who loses, and what to watch.
related:
  - earlier
  - title: Background reading
    url: https://example.org/
draft: false
slug: port-strike-whats-next
# Fields to add when they apply (remove the '# ' and change the value):
# updated: 2026-10-04T08:30:05+00:00  # when the article changed after it was published
# canonical: https://example.org/first-published-here/  # only for an article first published elsewhere
# aliases: [/2019/05/old-title/]  # old addresses of this article, each redirected here
# expires: 2027-10-03T08:30:05+00:00  # when the article is taken down, if it ever is
---

Open with the news in one paragraph:"""


def test_new_writes_yaml_a_person_would_write(tmp_path):
    """Plain values where they read back the same, double quotes only where needed, a folded
    dek and a literal analysis body; no doubled apostrophe, no updated: equal to date."""
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "earlier.md").write_text("---\ntitle: Earlier\ndate: 2026-01-01\n---\nText.\n")
    config = Config(root=tmp_path)
    path = new_article(config, "  Port Strike: What's Next?  ", section="Economy", now=NOW)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(WRITTEN)
    assert "''" not in text and "\nupdated:" not in text


def test_new_draft_date_and_updated(tmp_path):
    (tmp_path / "content").mkdir()
    result = cli(
        "new",
        "Budget",
        "--draft",
        "--date",
        "2026-10-03",
        "--updated",
        "2026-10-05T18:00+02:00",
        "--site",
        str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "content" / "budget.md").read_text(encoding="utf-8")
    assert "\ndate: 2026-10-03\nupdated: 2026-10-05T18:00:00+02:00\nauthors:\n" in text
    assert "\ndraft: true\n" in text
    (tmp_path / "brief.toml").write_text('timezone = "Europe/Paris"\n')
    result = cli("new", "Later", "--date", "2026-10-03 08:30", "--site", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "\ndate: 2026-10-03T08:30:00+02:00\n" in (tmp_path / "content" / "later.md").read_text(encoding="utf-8")
    built = cli("build", "--site", str(tmp_path), "--drafts")
    assert built.returncode == 0, built.stderr
    assert "Built 2 articles," in built.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--date", "tomorrow"),
            "Error: Invalid value for '--date': 'tomorrow' is not an ISO 8601 date (expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
        ),
        (
            ("--date", "2026-02-30"),
            "Error: Invalid value for '--date': '2026-02-30' is not a valid date: day is out of range for month "
            "(expected a date such as 2026-10-03 or 2026-10-03T08:30)",
        ),
        (
            ("--updated", "3 Oct"),
            "Error: Invalid value for '--updated': '3 Oct' is not an ISO 8601 date (expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
        ),
    ],
)
def test_new_refuses_a_date_that_is_not_iso(tmp_path, args, message):
    (tmp_path / "content").mkdir()
    result = cli("new", "Budget", *args, "--site", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().endswith(message)
    assert not (tmp_path / "content" / "budget.md").exists()


def test_new_refuses_updated_before_date_and_a_control_character(tmp_path):
    (tmp_path / "content").mkdir()
    result = cli("new", "Budget", "--date", "2026-10-03", "--updated", "2026-10-02", "--site", str(tmp_path))
    assert result.returncode == 1
    assert (
        "Error: --updated 2026-10-02 is before the date 2026-10-03 (expected a time on or after the publication date)"
        in result.stderr
    )
    result = cli("new", "Bud\x07get", "--site", str(tmp_path))
    assert result.returncode == 1
    assert "Error: the title contains the character U+0007, which web pages may not hold" in result.stderr
    assert list((tmp_path / "content").iterdir()) == []


def test_the_commented_fields_are_valid_uncommented(tmp_path):
    (tmp_path / "content").mkdir()
    path = new_article(Config(root=tmp_path), "Budget", now=NOW)
    text = re.sub(r"^# ([a-z]+: .*)$", r"\1", path.read_text(encoding="utf-8"), flags=re.M)
    assert "\nupdated: 2026-10-04T08:30:05+00:00  #" in text and "\n# updated" not in text
    path.write_text(text, encoding="utf-8")
    built = cli("build", "--site", str(tmp_path))
    assert built.returncode == 0, built.stderr
    assert "Built 1 article," in built.stdout


def test_new_rejects_a_title_without_letters(tmp_path):
    (tmp_path / "content").mkdir()
    result = cli("new", "!!!", "--site", str(tmp_path))
    assert result.returncode == 1
    assert "pass --slug" in result.stderr


def test_init_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "mine.txt").write_text("keep")
    result = cli("init", str(tmp_path))
    assert result.returncode == 1
    assert (tmp_path / "mine.txt").read_text() == "keep"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return next(dist.glob("brief-*.whl"))


def test_wheel_ships_the_default_theme_but_not_the_sample(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "brief/_theme/templates/article.html" in names
    assert "brief/_theme/templates/partials/share.html" in names
    assert "brief/_theme/static/css/brief.css" in names
    assert "brief/_theme/static/images/placeholder.svg" in names
    assert "brief/serve/live.js" in names  # the preview server's script
    assert not any(n.startswith("brief/_theme/static/images/logo") for n in names)
    # No sample articles (brief/content/ is the package's content stage, not the sample).
    assert not any(n.endswith(".md") or n.startswith("content/") or "_theme/content" in n for n in names)


@pytest.mark.slow
def test_init_and_build_from_an_installed_wheel(wheel, tmp_path):
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    work = tmp_path / "elsewhere"
    work.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import brief.theme as t; print(t.theme_dir())"],
        capture_output=True,
        text=True,
        cwd=work,
        env=env,
        check=True,
    ).stdout.strip()
    assert where == str(target / "brief" / "_theme")
    result = cli("init", "paper", "--title", "Harbour Notes", cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    site = work / "paper"
    assert (site / "brief.toml").read_text().count('title = "Harbour Notes"') == 1
    assert (site / "templates" / "article.html").exists()
    assert (site / "static" / "css" / "brief.css").exists()
    assert len(list((site / "content").glob("*.md"))) == 1
    built = cli("build", "--site", "paper", cwd=work, env=env)
    assert built.returncode == 0, built.stderr
    assert "Built 1 article," in built.stdout
    html = next((site / "public").rglob("welcome-to-your-new-publication/index.html")).read_text()
    assert '<article class="brief" data-pagefind-body>' in html and "Harbour Notes" in html
