"""The checks of the last build's files that ``brief build`` has a process of its own make
while it imports its modules (brief.lookahead): what the process finds is what the files
hold; a finding is used only for the very file it was made of (a file replaced since is
checked again, and a damaged one still makes the cache ignored); output checks made
against another save's manifest are not used. Real files, a real forked process, no mocks."""

from __future__ import annotations

import hashlib
import logging
import os
import random
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.commands.build import build_site
from brief.config import load_config
from brief.lookahead import look_ahead
from brief.manifest import CACHE_FILE, MANIFEST_FILE
from brief.output.spare import SPARES
from brief.settings import CACHE_DIR

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def story(i: int, rng: random.Random) -> str:
    words = " ".join(rng.choice(("grid", "storage", "port", "harvest", "rates")) for _ in range(30))
    return article(
        f"{words}.\n", title=f"Story {i}", date=f"2026-{1 + i % 11:02d}-{1 + i % 27:02d}", tags=[f"T{i % 3}"]
    )


def site_of(tmp_path: Path, count: int = 8) -> Path:
    rng = random.Random(3)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(count)})
    old = time.time() - 60  # (older than the builds: their stamps are trusted)
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    return site


def built(site: Path) -> Path:
    """Two builds of ``site`` as brief build makes them, an edit apart (the second leaves a spare tree)."""
    out = site / "public"
    config = load_config(site)
    build_site(config, out, now=NOW)
    edit(site, "a0.md")
    build_site(config, out, now=NOW)
    return out


def edit(site: Path, name: str) -> None:
    path = site / "content" / name
    path.write_text(path.read_text() + "\nMore.\n")


def stamp(path: Path) -> tuple[int, int, int]:
    info = path.stat()
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def test_what_the_process_finds_is_what_the_files_hold(tmp_path):
    site = site_of(tmp_path)
    out = built(site)
    folder = site / CACHE_DIR
    spare = BuildCache.load(site).spare
    assert spare, "no spare tree: the spare's checks are not tested"
    ahead = look_ahead(folder, out)
    assert ahead is not None
    try:
        checks = ahead.output_checks()
        assert checks is not None and checks.saved == BuildCache.load(site).saved != b""
        assert checks.changed == {str(out): frozenset(), str(folder / SPARES / spare): frozenset()}
        shards = sorted((folder / "shards").iterdir())
        assert len(shards) > 20
        for shard in shards:
            assert ahead.digest(shard.name, stamp(shard)) == hashlib.sha256(shard.read_bytes()).digest()
        assert ahead.signed(stamp(folder / CACHE_FILE))
        assert not ahead.signed((0, 0, 0))
    finally:
        ahead.close()

    # A published page changed in place (the spare's file is the same file): found changed in both.
    page = out / "index.html"
    page.write_text(page.read_text() + "<!-- by hand -->")
    ahead = look_ahead(folder, out)
    assert ahead is not None
    try:
        checks = ahead.output_checks()
        assert checks is not None
        assert checks.changed == {str(out): {"index.html"}, str(folder / SPARES / spare): {"index.html"}}
    finally:
        ahead.close()
    # ... and the next build (nothing else changed: every page is kept) puts the page back.
    before = tree(out)
    build_site(load_config(site), out, now=NOW)
    clean = tmp_path / "clean"
    build(load_config(site), clean, BuildOptions(now=NOW))
    assert tree(out) == tree(clean) != before


def test_a_cache_file_replaced_after_it_was_checked_is_checked_again(tmp_path, caplog):
    site = site_of(tmp_path)
    built(site)
    folder = site / CACHE_DIR
    for victim, why in (("shard", "does not match its digest"), ("main", "signature does not match")):
        ahead = look_ahead(folder, site / "public")
        assert ahead is not None
        try:
            assert ahead.output_checks() is not None  # (every finding is in by then)
            if victim == "shard":
                path = sorted((folder / "shards").glob("content-articles-*"))[0]
                assert ahead.digest(path.name, stamp(path)) is not None
            else:
                path = folder / CACHE_FILE
                assert ahead.signed(stamp(path))
            data = path.read_bytes()
            good = data
            middle = len(data) // 2
            damaged = path.with_name(".damaged")
            damaged.write_bytes(data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :])
            os.replace(damaged, path)  # the same name and size, another file
            with caplog.at_level(logging.WARNING, logger="brief.cache"):
                caplog.clear()
                cache = BuildCache.load(site, ahead)
            assert why in caplog.text, victim
            assert cache.outputs == {}
        finally:
            ahead.close()
        path.write_bytes(good)


def test_output_checks_against_another_saves_manifest_are_not_used(tmp_path):
    # The manifest is written after the main file: a save cut short between them leaves the
    # last save's manifest beside this save's cache. Its stamps describe another output: a
    # page this build added is not among them, so the process never checked it.
    site = site_of(tmp_path)
    out = built(site)
    config = load_config(site)
    stale = (site / CACHE_DIR / MANIFEST_FILE).read_bytes()
    (site / "content/new.md").write_text(story(40, random.Random(1)).replace("Story 40", "A new story"))
    build_site(config, out, now=NOW)
    (site / CACHE_DIR / MANIFEST_FILE).write_bytes(stale)
    (new_page,) = out.glob("*/*/new/index.html")  # (the other pages that show it are pages the manifest has)
    new_page.write_text(new_page.read_text().replace("A new story", "Changed by hand"))
    build_site(config, out, now=NOW)  # (the manifest lacks new.md's stamp: not "up to date")
    assert "A new story" in new_page.read_text()
    clean = tmp_path / "clean"
    build(config, clean, BuildOptions(now=NOW))
    assert tree(out) == tree(clean)


def test_no_process_is_forked_beside_threads(tmp_path):
    site = site_of(tmp_path)
    out = built(site)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert look_ahead(site / CACHE_DIR, out) is None
    finally:
        stop.set()
        other.join()


def files_of(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` (by relative path) with its inode; folders left empty fail."""
    found = {}
    for path in folder.rglob("*"):
        if path.is_dir():
            assert any(path.iterdir()), f"empty folder {path.relative_to(folder)}"
        else:
            found[path.relative_to(folder).as_posix()] = path.lstat().st_ino
    return found


def assert_spare_mirrors(site: Path, out: Path) -> None:
    """The spare the cache names holds every published file the cache keeps, as a hard link
    to it, and nothing else."""
    cache = BuildCache.load(site)
    spare = site / CACHE_DIR / SPARES / cache.spare
    assert cache.spare and spare.is_dir()
    published, mirrored = files_of(out), files_of(spare)
    assert set(mirrored) == set(cache.outputs) <= set(published)
    assert {rel: published[rel] for rel in mirrored} == mirrored


@pytest.mark.slow
def test_the_spare_of_an_output_found_as_recorded_is_made_without_walking_it(tmp_path, monkeypatch):
    """The output folder holds only the files the manifest records: the process says so, and
    the spare is then made of what the build knows (brief.output.spare.keep_as_spare's
    ``known``). It is still an exact mirror after edits that change, add and remove pages;
    a file put in the output by hand makes the process say otherwise, and is in no spare
    and no later output."""
    from brief.output import spare as spare_module

    site = site_of(tmp_path)
    out = built(site)
    config = load_config(site)
    ahead = look_ahead(site / CACHE_DIR, out)
    assert ahead is not None
    try:
        checks = ahead.output_checks()
        assert checks is not None and checks.exact == {str(out)}
    finally:
        ahead.close()
    noted = tmp_path / "modes"  # (the spare is made by a process of its own: noted in a file)
    real = spare_module.keep_as_spare

    def keep_as_spare(*args):
        with noted.open("a") as file:
            file.write("known\n" if args[5] is not None else "walked\n")
        real(*args)

    monkeypatch.setattr("brief.output.writers.keep_as_spare", keep_as_spare)
    rng = random.Random(8)
    edit(site, "a3.md")  # a page changed (and the listings showing it)
    build_site(config, out, now=NOW)
    assert_spare_mirrors(site, out)
    (site / "content/a20.md").write_text(story(20, rng))  # pages added
    build_site(config, out, now=NOW)
    assert_spare_mirrors(site, out)
    (site / "content/a5.md").unlink()  # pages removed
    build_site(config, out, now=NOW)
    assert_spare_mirrors(site, out)
    assert noted.read_text().split() == ["known"] * 3, "the spares were made by walking the old output"

    (out / "by-hand.txt").write_text("not the site's")
    (out / "extra").mkdir()
    (out / "extra/page.html").write_text("<p>nor this</p>")
    ahead = look_ahead(site / CACHE_DIR, out)
    assert ahead is not None
    try:
        checks = ahead.output_checks()
        assert checks is not None and checks.exact == frozenset()
    finally:
        ahead.close()
    edit(site, "a1.md")
    build_site(config, out, now=NOW)
    assert noted.read_text().split()[-1] == "walked"  # (the old output held files nobody recorded)
    assert_spare_mirrors(site, out)
    edit(site, "a2.md")
    build_site(config, out, now=NOW)  # (staged into that spare)
    assert_spare_mirrors(site, out)
    clean = tmp_path / "clean"
    build(config, clean, BuildOptions(now=NOW))
    assert tree(out) == tree(clean)
