"""The build cache's largest tables written by a process of their own while a cold build
ends (brief.cache.BuildCache.save_ahead): the cache saved so holds what a cache saved at
the end holds, loads, and serves the next build; a table changed after the shards were
written, or shards that never came, are written by the save itself. Real files and
processes; nothing timed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import tree
from test_cache_shards import NOW, clean_build, edit, site_of

from brief import cachefile, cacheread
from brief.build import BuildOptions, build
from brief.cache import _AHEAD, BuildCache
from brief.config import load_config
from brief.settings import CACHE_DIR


def built(site: Path, out: Path, ahead: bool) -> BuildCache:
    """A build with the cache (written ahead when ``ahead``), the cache saved."""
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache, save_ahead=ahead))
    cache.save(site)
    return cache


def shards(site: Path) -> dict[str, list]:
    found = cacheread.read_main(site / CACHE_DIR)
    assert found is not None
    return found[1]


@pytest.mark.slow
def test_a_cache_saved_ahead_holds_what_a_cache_saved_at_its_end_holds(tmp_path, caplog):
    site = site_of(tmp_path, 40)
    out = tmp_path / "out"
    cache = built(site, out, ahead=True)
    assert cache.ahead is None  # taken by the save
    written = shards(site)
    shutil.rmtree(site / CACHE_DIR)
    built(site, out, ahead=False)
    plain = shards(site)
    for name in _AHEAD:  # the same rows, the same files (named by their digests)
        assert any(shard is not None for shard in written[name])
        if name != "content-stamps":  # (each file's stamp noted with the time it was read)
            assert written[name] == plain[name]
    shutil.rmtree(site / CACHE_DIR)
    built(site, out, ahead=True)
    loaded = BuildCache.load(site)
    assert "Ignoring the build cache" not in caplog.text
    assert len(loaded.content.articles) == 40 and len(loaded.related.term_rows) == 40
    edit(site, "a5.md", "the harbour")
    built(site, out, ahead=True)  # (a cache loaded: nothing written ahead, as in an edit's build)
    assert tree(out) == clean_build(site, tmp_path / "clean")


def test_a_table_changed_after_its_shards_were_written_is_written_by_the_save(tmp_path):
    site = site_of(tmp_path, 30)
    cache = BuildCache.load(site)
    build(load_config(site), tmp_path / "out", BuildOptions(now=NOW, cache=cache, save_ahead=True))
    assert cache.ahead is not None and cache.ahead[2] is not None  # a process writes them
    dropped = next(iter(cache.content.articles))
    cache.content.articles = {key: row for key, row in cache.content.articles.items() if key != dropped}
    cache.save(site)
    loaded = BuildCache.load(site)
    assert dropped not in loaded.content.articles and len(loaded.content.articles) == 29
    assert len(loaded.related.term_rows) == 30  # (written ahead, and taken)


def test_shards_that_never_came_are_written_by_the_save(tmp_path, monkeypatch):
    """The process writing them fails: the save writes every table itself."""
    site = site_of(tmp_path, 30)

    def fails(*args):
        raise OSError("no room")

    monkeypatch.setattr(cachefile, "write_shards", fails)  # (raised in the forked process)
    cache = built(site, tmp_path / "out", ahead=True)
    assert cache.ahead is None
    loaded = BuildCache.load(site)
    assert len(loaded.content.articles) == 30 and len(loaded.related.term_rows) == 30
    assert all(any(shard is not None for shard in shards(site)[name]) for name in _AHEAD)
