"""The build cache keeps articles without their bodies (brief.content.bodies): its files hold
no body text, an unchanged article whose Markdown must be rendered again reads its body
back from its file (the build equals a clean one byte for byte), and a file that changed
while the site was being built stops the build with an error naming it. Real files and
real builds, in one process and with forked workers."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, run_build, tree

import brief.buildcheck
from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.content.bodies import CHANGED
from brief.errors import BuildFailed
from brief.settings import CACHE_DIR

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
SENTENCE = "Harbour cats audited the ferry timetable at dawn"
MARKDOWN = 'A *marked* line with `code` and [a link](a2.md "its title").'
"""Markdown source that the rendered HTML does not contain as written."""


def _files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {}
    for i in range(6):
        body = f"Story {i} tells of grid storage and port shipping. " * 60 + f"\n\nSee [the next](a{(i + 1) % 6}.md).\n"
        files[f"content/a{i}.md"] = article(
            body,
            title=f"Story {i}",
            date=f"2026-0{1 + i}-02",
            section="Economy",
            tags=["Grid"],
            takeaways=[f"Point {i}"],
        )
    # a0 links to a1, with a BOM, CRLF line ends and a lone CR: rendered again from its file, its
    # body must be what the loader made of it
    a0 = article(
        f"{SENTENCE}.\n\n{MARKDOWN}\n\nSee [the next](a1.md),\rsaid the desk.\n", title="Story 0", date="2026-01-02"
    )
    files["content/a0.md"] = "\ufeff" + a0.replace("\n", "\r\n")
    return files


def _site(tmp_path: Path) -> Path:
    """The site, its files a minute old (a stamp too recent is not trusted to stand for the
    file's bytes, and the file is read again)."""
    site = make_site(tmp_path, _files())
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    return site


def cached_build(site: Path, out: Path, jobs: int) -> int:
    cache = BuildCache.load(site)
    result = build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=jobs))
    cache.save(site)
    return result.reused


def clean_build(site: Path, out: Path) -> None:
    build(load_config(site), out, BuildOptions(now=NOW, jobs=1))


def _move_a1(site: Path) -> None:
    """a1 moves to another month: a0, which links to it, is rendered again (its file unchanged)."""
    a1 = site / "content/a1.md"
    text = a1.read_text()
    assert "date: '2026-02-02'" in text
    a1.write_text(text.replace("date: '2026-02-02'", "date: '2026-03-09'"))


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unchanged_article_rendered_again_reads_its_body_and_equals_a_clean_build(tmp_path, jobs):
    site = _site(tmp_path)
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    cached_build(site, cached, jobs)
    kept = BuildCache.load(site).content.articles
    assert len(kept) == 6 and all(result[0].body is None for result, _ in kept.values())
    _move_a1(site)
    assert cached_build(site, cached, jobs) > 0
    clean_build(site, clean)
    assert tree(cached) == tree(clean)
    page = (cached / "2026/01/a0/index.html").read_text(encoding="utf-8")
    assert 'href="/2026/03/a1/"' in page and SENTENCE in page  # rendered again, from the file's body
    cached_build(site, cached, jobs)  # and once more, all from the cache
    assert tree(cached) == tree(clean)


def test_the_cache_holds_no_body_text_and_is_smaller_than_the_bodies(tmp_path):
    site = _site(tmp_path)
    cached_build(site, tmp_path / "out", 1)
    folder = site / CACHE_DIR
    files = [p for p in folder.rglob("*") if p.is_file() and p.suffix != ".lock"]
    assert any(p.name.startswith("content-articles-") for p in files)
    for path in files:
        data = path.read_bytes()
        assert MARKDOWN.encode() not in data, path.name  # in no file of the cache
        if path.name.startswith("content-articles-"):
            assert SENTENCE.encode() not in data, path.name  # (the rendered HTML keeps the text itself)
    bodies = sum(len(p.read_bytes()) for p in (site / "content").glob("*.md"))
    articles = sum(p.stat().st_size for p in files if p.name.startswith("content-articles-"))
    assert articles < bodies / 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_changed_while_the_site_is_built_stops_the_build_naming_it(tmp_path, monkeypatch, jobs):
    """The change lands after the articles were read and indexed, before their Markdown is rendered."""
    site = _site(tmp_path)
    out = tmp_path / "out"
    cached_build(site, out, jobs)
    before = tree(out)
    _move_a1(site)
    index = brief.buildcheck.build_index

    def index_then_edit(*args, **kwargs):
        found = index(*args, **kwargs)
        a0 = site / "content/a0.md"
        a0.write_bytes(a0.read_bytes().replace(b"Harbour cats", b"Harbour dogs"))
        return found

    monkeypatch.setattr(brief.buildcheck, "build_index", index_then_edit)
    with pytest.raises(BuildFailed) as failed:
        cached_build(site, out, jobs)
    assert [p.format() for p in failed.value.problems] == [f"content/a0.md: {CHANGED}"]
    assert tree(out) == before  # nothing was written
    monkeypatch.undo()
    cached_build(site, out, jobs)  # built again, it reads the file as it is now
    assert "Harbour dogs" in (out / "2026/01/a0/index.html").read_text(encoding="utf-8")


def test_the_command_reports_a_changed_file_without_a_traceback(tmp_path):
    """A change the file's stamp cannot show (same size, inode and time): the cache's digest of
    the file is trusted, and only reading the body back finds that the bytes differ."""
    site = _site(tmp_path)
    code, _, err = run_build(site, "-q")
    assert code == 0, err
    a0 = site / "content/a0.md"
    stamp = a0.stat()
    a0.write_bytes(a0.read_bytes().replace(b"Harbour cats", b"Harbour dogs"))  # in place: the same inode
    os.utime(a0, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    _move_a1(site)
    code, _, err = run_build(site, "-q")
    assert code == 1
    assert f"content/a0.md: {CHANGED}" in err.splitlines() and "Traceback" not in err
    assert "Error: build failed: 1 error, 0 warnings; nothing was written" in err
