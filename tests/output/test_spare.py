"""The spare output tree (brief.output.spare): a cached build stages into the output before
last, kept as hard links in the cache folder. Its builds equal clean ones, the published
site is never written into while the next one is staged, and a spare that is not the one
the cache names is never used."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.errors import BuildFailed
from brief.output.spare import SPARES
from brief.settings import CACHE_DIR

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def story(i: int, body: str = "") -> str:
    return article(
        f"Body {i} on grid storage and port congestion.\n{body}",
        title=f"Story {i}",
        date=f"2026-0{1 + i % 9}-1{i % 9}",
        tags=[f"T{i % 3}"],
        takeaways=["One"],
    )


def page_of(site: Path, i: int) -> Path:
    """The published page of story ``i``."""
    return site / f"public/2026/0{1 + i % 9}/a{i}/index.html"


def cached_build(site: Path, jobs: int | None = None) -> BuildCache:
    cache = BuildCache.load(site)
    build(load_config(site), site / "public", BuildOptions(now=NOW, cache=cache, jobs=jobs))
    cache.save(site)
    return cache


def clean(site: Path, tmp_path: Path) -> dict[str, str]:
    out = tmp_path / "clean"
    build(load_config(site), out, BuildOptions(now=NOW))
    return tree(out)


def spares(site: Path) -> list[str]:
    folder = site / CACHE_DIR / SPARES
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture
def site(tmp_path):
    files = {f"content/a{i}.md": story(i) for i in range(8)}
    files["static/notes/guide.txt"] = "A guide.\n"
    site = make_site(tmp_path, files)
    cached_build(site)
    (site / "content/a0.md").write_text(story(0, "Second build.\n"))
    cache = cached_build(site)  # the first output becomes the spare
    assert spares(site) == [cache.spare]
    return site


def test_a_build_from_the_spare_equals_a_clean_build(site, tmp_path):
    (site / "content/a1.md").write_text(story(1, "Edited.\n"))
    (site / "content/a2.md").unlink()  # its page and its tag's entry go
    (site / "content/a9.md").write_text(story(9))  # a page the spare lacks
    cache = cached_build(site)
    assert cache.outputs and cache.spare
    assert tree(site / "public") == clean(site, tmp_path)
    assert not page_of(site, 2).parent.exists()


def test_the_published_site_is_never_written_in_place(site):
    """A page that changes is a new file in the new output: the published file (which the
    spare shares by a hard link) keeps its bytes until it is gone."""
    page = page_of(site, 3)
    kept = page.stat()
    with open(page, "rb") as published:
        before = published.read()
        (site / "content/a3.md").write_text(story(3, "A change that shows on its page.\n"))
        cached_build(site)
        published.seek(0)
        assert published.read() == before
    assert page.stat().st_ino != kept.st_ino
    assert b"A change that shows on its page." in page.read_bytes()


def test_hand_changes_to_the_output_do_not_survive_a_build(site, tmp_path):
    public = site / "public"
    (public / "added-by-hand.html").write_text("not built")
    with open(page_of(site, 4), "ab") as published:  # in place: the spare's link sees it too
        published.write(b"<!-- appended -->")
    page_of(site, 5).unlink()
    (site / "content/a6.md").write_text(story(6, "An edit elsewhere.\n"))
    cached_build(site)
    assert tree(public) == clean(site, tmp_path)


def test_a_spare_the_cache_does_not_name_is_not_used(site, tmp_path):
    cache = BuildCache.load(site)
    named = site / CACHE_DIR / SPARES / cache.spare
    rogue = site / CACHE_DIR / SPARES / "rogue"
    named.rename(rogue)
    (rogue / "planted.html").write_text("not built")
    (site / "content/a7.md").write_text(story(7, "Edited.\n"))
    cache = cached_build(site)
    assert not (site / "public/planted.html").exists()
    assert tree(site / "public") == clean(site, tmp_path)
    assert spares(site) == [cache.spare]  # the rogue one is gone


def test_a_file_where_the_new_build_needs_a_folder(site, tmp_path):
    (site / "static/notes/guide.txt").unlink()
    (site / "static/notes/guide.txt").mkdir()
    (site / "static/notes/guide.txt/part.txt").write_text("Now a folder.\n")
    cached_build(site)
    assert (site / "public/notes/guide.txt/part.txt").read_text() == "Now a folder.\n"
    assert tree(site / "public") == clean(site, tmp_path)


def test_a_failed_build_leaves_the_output_and_the_next_build_is_right(site, tmp_path):
    before = tree(site / "public")
    (site / "content/a1.md").write_text(story(1, "Edited.\n"))
    (site / "templates").mkdir()
    (site / "templates/article.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ 1 // 0 }}{% endblock %}"
    )
    with pytest.raises(BuildFailed):
        cached_build(site)
    assert tree(site / "public") == before
    assert not [p for p in site.iterdir() if p.name.startswith(".public")]
    (site / "templates/article.html").unlink()
    cached_build(site)
    assert tree(site / "public") == clean(site, tmp_path)


def test_parallel_workers_stage_into_the_spare(site, tmp_path):
    (site / "content/a1.md").write_text(story(1, "Edited.\n"))
    (site / "content/a3.md").unlink()
    cached_build(site, jobs=2)
    assert tree(site / "public") == clean(site, tmp_path)


def test_no_spare_without_a_cache(tmp_path):
    site = make_site(tmp_path, {"content/a1.md": story(1)})
    for _ in range(2):
        build(load_config(site), site / "public", BuildOptions(now=NOW))
        (site / "content/a1.md").write_text(story(1, f"{os.urandom(4).hex()}\n"))
    assert spares(site) == []


@pytest.fixture
def other_file_system(tmp_path):
    """A folder on another file system than ``tmp_path`` (tmpfs /dev/shm), removed afterwards."""
    import shutil
    import tempfile

    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev or not os.access(shm, os.W_OK):
        pytest.skip("no second file system to put the output on")
    folder = Path(tempfile.mkdtemp(prefix="brief-spare-", dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_an_output_on_another_file_system_keeps_its_spare_beside_it(tmp_path, other_file_system):
    """The cache folder cannot hold a spare that must move into place by a rename: the spare
    is kept beside the output (as the staging folder is), and the next build stages into it."""
    site = make_site(tmp_path, {f"content/a{i}.md": story(i) for i in range(6)})
    out = other_file_system / "public"

    def cached() -> BuildCache:
        cache = BuildCache.load(site)
        build(load_config(site), out, BuildOptions(now=NOW, cache=cache))
        cache.save(site)
        return cache

    cached()
    (site / "content/a0.md").write_text(story(0, "Second build.\n"))
    cache = cached()
    beside = other_file_system / ".public.spares"
    assert sorted(p.name for p in beside.iterdir()) == [cache.spare]
    assert spares(site) == []  # nothing in the cache folder
    spare_folder = os.stat(beside / cache.spare).st_ino
    (site / "content/a1.md").write_text(story(1, "Third build.\n"))
    cache = cached()
    assert os.stat(out).st_ino == spare_folder  # the spare became the output
    assert sorted(p.name for p in beside.iterdir()) == [cache.spare]
    assert tree(out) == clean(
        site, other_file_system
    )  # (Pagefind numbers pages in the order the file system lists them)


def test_an_old_tree_of_other_files_becomes_a_mirror_of_the_output(tmp_path):
    """A cold build's spare: none of the old tree's files is the published one. Each file kept
    is linked in where the old one was (its folders kept, not removed and made again); the
    old tree's other files and folders are gone, and no empty folder is left."""
    from brief.output.spare import keep_as_spare

    out, old = tmp_path / "out", tmp_path / "old"
    keep = {"index.html", "a/b/index.html", "a/c/index.html", "d/index.html", "tags/x/index.html"}
    for rel in keep:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(f"new {rel}")
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_text(f"old {rel}")
    for rel in ("a/gone/index.html", "e/f/index.html", "a/b/stale.css", "notes.txt"):
        (old / rel).parent.mkdir(parents=True, exist_ok=True)
        (old / rel).write_text("old")
    (out / "unkept.txt").write_text("no key")  # published, but without a key: not in the spare
    folders = {rel: (old / rel).stat().st_ino for rel in ("a", "a/b", "tags/x")}
    keep_as_spare(str(old), str(out), keep, tmp_path / "spares", "s1")
    spare = tmp_path / "spares" / "s1"
    assert not old.exists()
    found = {str(p.relative_to(spare)) for p in spare.rglob("*") if p.is_file()}
    assert found == keep
    for rel in keep:
        assert (spare / rel).stat().st_ino == (out / rel).stat().st_ino  # the published file itself
    assert {str(p.relative_to(spare)) for p in spare.rglob("*") if p.is_dir()} == {
        "a",
        "a/b",
        "a/c",
        "d",
        "tags",
        "tags/x",
    }
    assert {rel: (spare / rel).stat().st_ino for rel in folders} == folders  # kept where they were
