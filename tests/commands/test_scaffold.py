"""`brief new` and `brief init`, including `init` from an installed wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import frontmatter
import pytest
from helpers import REPO

from brief.content.schema import FIELDS


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "brief", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


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
    assert list(post.metadata) == list(FIELDS)  # every field, in the documented order
    assert post["title"] == "Port Strike: What's Next?"
    assert post["section"] == "Economy"
    assert post["related"][0] == "earlier"
    built = cli("build", "--site", str(site))
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr
    original = path.read_bytes()
    path.write_text(path.read_text() + "\nEdited by hand.\n")
    edited = path.read_bytes()
    again = cli("new", "Port Strike: What's Next?", "--site", str(site))
    assert again.returncode == 1
    assert "already exists; not overwriting it" in again.stderr
    assert path.read_bytes() == edited != original


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
