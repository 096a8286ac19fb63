"""The build cache's shards (brief.cachefile): a save after a one-article edit rewrites few
shard files and removes the ones no longer named; a shard missing, truncated or altered
makes the whole cache ignored with a warning saying why; a save cut short between its
shards and its main file leaves the previous cache whole. Real files, no mocks, nothing
timed."""

from __future__ import annotations

import logging
import os
import random
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree
from hypothesis import given, settings
from hypothesis import strategies as st

from brief import cachefile, cacheread
from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.settings import CACHE_DIR

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
TOPICS = ("grid storage batteries", "port congestion shipping", "central bank rates", "wheat harvest prices")


def story(i: int, rng: random.Random) -> str:
    topic = TOPICS[i % len(TOPICS)]
    words = " ".join(rng.choice(topic.split()) for _ in range(30))
    return article(
        f"{words}.\n\nSee [another](a{(i + 1) % 7}.md) for more.\n",
        title=f"Story {i} on {topic}",
        date=f"2026-{1 + i % 11:02d}-{1 + i % 27:02d}",
        section=["Economy", "Climate"][i % 2],
        tags=[topic.split()[0].title(), f"T{i % 5}"],
        takeaways=[f"Point {i}"],
    )


def site_of(tmp_path: Path, count: int) -> Path:
    """A site of ``count`` articles, its files a minute old (or every file would be read
    again, its stamp too recent to stand for its bytes, and every stamp noted anew)."""
    rng = random.Random(8)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(count)})
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    return site


def cached_build(site: Path, out: Path) -> int:
    cache = BuildCache.load(site)
    result = build(load_config(site), out, BuildOptions(now=NOW, cache=cache))
    cache.save(site)
    return result.reused


def clean_build(site: Path, out: Path) -> dict[str, str]:
    build(load_config(site), out, BuildOptions(now=NOW))
    return tree(out)


def edit(site: Path, name: str, words: str) -> None:
    path = site / "content" / name
    path.write_text(path.read_text().replace("for more.", f"for more on {words}."))


def shard_files(site: Path) -> dict[str, tuple[int, int]]:
    """Shard file name → (inode, mtime)."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (site / CACHE_DIR / "shards").iterdir()}


def named(site: Path) -> set[str]:
    """The shard files the main file names."""
    found = cacheread.read_main(site / CACHE_DIR)
    assert found is not None
    return {shard.name for shards in found[1].values() for shard in shards if shard is not None}


@pytest.mark.slow
def test_a_one_article_edit_rewrites_few_shards_and_removes_the_stale_ones(tmp_path, caplog):
    site = site_of(tmp_path, 200)
    out = tmp_path / "out"
    cached_build(site, out)
    before = shard_files(site)
    assert set(before) == named(site) and len(before) > 4 * cachefile.SHARDS  # most of the 6 tables' shards
    edit(site, "a17.md", "the harbour")
    cached_build(site, out)
    # The first edit after a cold build also records, for the first time, which page each
    # search result file is of (brief.output.searchparts): that table is written whole once.
    first = shard_files(site)
    assert len({name for name, stamp in first.items() if before.get(name) != stamp}) < len(first) / 2
    assert len([name for name in first if name.startswith("search_fragments-")]) > cachefile.SHARDS / 2
    before = first
    edit(site, "a23.md", "the quay")
    cached_build(site, out)
    after = shard_files(site)
    rewritten = {name for name, stamp in after.items() if before.get(name) != stamp}
    # The article's row moves to the shard of its new key in the three per-article tables;
    # its stamp in two; the outputs' keys in every shard (with search on, every Pagefind
    # file's key changes with any page); the search parts and result files of the pages the
    # edit changed (its own, and those whose related lists moved: on a site of 200, a few
    # dozen) in many small shards. What a save writes again is a small part of the bytes
    # (22 % here, most of it the outputs' table; at 10,000 articles far less).
    size = {p.name: p.stat().st_size for p in (site / CACHE_DIR / "shards").iterdir()}
    written = sum(size[name] for name in rewritten)
    assert 0 < written < sum(size.values()) * 0.3, f"{written} of {sum(size.values())} bytes: {sorted(rewritten)}"
    for table in ("content-articles", "related-tokens", "markdown-parts", "content-stamps", "inputs"):
        assert len([name for name in rewritten if name.startswith(table + "-")]) <= 2, table
    assert set(after) == named(site)  # the shards of the previous save that changed are gone
    assert set(before) - set(after), "the edit replaced no shard: this test tested nothing"
    # The next build from that cache equals a clean one.
    edit(site, "a90.md", "the silo")
    with caplog.at_level(logging.WARNING, logger="brief.cache"):
        assert cached_build(site, out) > 0
    assert "Ignoring" not in caplog.text
    assert tree(out) == clean_build(site, tmp_path / "clean")


@pytest.mark.parametrize(
    "damage, why",
    [
        ("flip", "does not match its digest (altered)"),
        ("truncate", "(truncated or altered)"),
        ("delete", "is missing"),
    ],
)
def test_a_damaged_shard_makes_the_whole_cache_ignored(tmp_path, caplog, damage, why):
    site = site_of(tmp_path, 12)
    out = tmp_path / "out"
    cached_build(site, out)
    shard = site / CACHE_DIR / "shards" / sorted(n for n in named(site) if n.startswith("markdown-parts-"))[0]
    data = shard.read_bytes()
    if damage == "flip":
        shard.write_bytes(data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 0x01]) + data[len(data) // 2 + 1 :])
    elif damage == "truncate":
        shard.write_bytes(data[:-10])
    else:
        shard.unlink()
    edit(site, "a3.md", "fresh words")
    with caplog.at_level(logging.WARNING, logger="brief.cache"):
        assert cached_build(site, out) == 0  # nothing reused: the cache was not trusted
    assert f"Ignoring the build cache in {site / CACHE_DIR}: its shard {shard.name} " in caplog.text
    assert why in caplog.text and "building without it" in caplog.text
    assert tree(out) == clean_build(site, tmp_path / "clean")
    assert named(site) == set(shard_files(site))  # saved afresh


@pytest.mark.slow
def test_a_save_cut_short_before_its_main_file_leaves_the_previous_cache_whole(tmp_path, caplog):
    """New shard files without the main file naming them (a crash between the two): the old
    main file still loads, with the shards it names; the next save removes the strays."""
    site = site_of(tmp_path, 40)
    out, kept = tmp_path / "out", tmp_path / "kept-cache"
    cached_build(site, out)
    shutil.copytree(site / CACHE_DIR, kept)
    edit(site, "a5.md", "the quay")
    cached_build(site, out)
    new = {name for name in shard_files(site) if not (kept / "shards" / name).exists()}
    assert new, "the save wrote no new shard: this test tested nothing"
    for name in new:  # the new shards, beside the previous main file and its shards
        shutil.copy2(site / CACHE_DIR / "shards" / name, kept / "shards" / name)
    (kept / "shards" / ".tmp-left-by-a-crash").write_bytes(b"half a shard")
    shutil.rmtree(site / CACHE_DIR)
    shutil.copytree(kept, site / CACHE_DIR)
    assert not named(site) & new
    with caplog.at_level(logging.WARNING, logger="brief.cache"):
        cache = BuildCache.load(site)
    assert "Ignoring" not in caplog.text
    assert cache.content.articles, "the previous cache did not load"
    edit(site, "a6.md", "the dock")
    result = build(load_config(site), out, BuildOptions(now=NOW, cache=cache))
    assert result.reused > 0
    assert tree(out) == clean_build(site, tmp_path / "clean")
    cache.save(site)
    assert set(shard_files(site)) == named(site)  # the strays and the temporary file are gone


def test_saving_again_rewrites_only_the_shards_whose_rows_changed(tmp_path):
    """A cache kept in memory and saved repeatedly: nothing changed, no shard written; a row
    replaced, added or removed, only its shard."""
    cache = BuildCache(root=str(tmp_path))
    for i in range(300):
        cache.content.stamps[f"content/a{i}.md"] = ((i, i + 1, i + 2), i.to_bytes(4, "little"), float(i))
        cache.outputs[f"a{i}/index.html"] = (i.to_bytes(8, "little"), (i, 1, 2))
    cache.save(tmp_path)
    first = shard_files(tmp_path)
    assert len(first) == 2 * cachefile.SHARDS
    cache.save(tmp_path)
    assert shard_files(tmp_path) == first
    cache.outputs["a7/index.html"] = (b"new", (7, 1, 2))
    cache.content.stamps["content/new.md"] = ((1, 2, 3), b"x", 1.0)
    del cache.content.stamps["content/a9.md"]
    cache.save(tmp_path)
    now = shard_files(tmp_path)
    changed = {name for name in now if first.get(name) != now[name]}
    expected = {
        f"outputs-{cachefile.shard_of('a7/index.html'):02d}",
        f"content-stamps-{cachefile.shard_of('content/new.md'):02d}",
        f"content-stamps-{cachefile.shard_of('content/a9.md'):02d}",
    }
    assert {name.rsplit("-", 1)[0] for name in changed} == expected
    assert len(now) == len(first)
    back = BuildCache.load(tmp_path)
    assert back.outputs == cache.outputs and back.content.stamps == cache.content.stamps


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=80),
    st.lists(st.tuples(st.sampled_from(["set", "del", "same"]), st.text(max_size=6), st.integers()), max_size=30),
)
def test_shards_made_from_the_stored_ones_are_a_split_of_the_table_now(start, changes):
    """A save splits a table by the shards it stored (cachefile._resplit): the same rows in
    each shard as splitting afresh gives, a shard left as stored (None) only when its rows equal
    the ones stored, and a new key put in the shard its CRC names."""
    stored = [(None, rows) for rows in cachefile._split(start)]
    table = {key: (value,) for key, value in start.items()}  # (rows are replaced whole, never changed)
    for _, rows in stored:
        rows.update((k, table[k]) for k in rows)
    for change, key, value in changes:
        if change == "set":
            table[key] = (value,)
        elif change == "del":
            table.pop(key, None)
    again = cachefile._resplit(table, stored)
    for i, (rows, fresh) in enumerate(zip(cachefile._split(table), again, strict=True)):
        shard = stored[i][1] if fresh is None else fresh
        assert shard == rows
        if fresh is None:
            assert shard.keys() == rows.keys() and all(table[key] == value for key, value in shard.items())
        assert all(cachefile.shard_of(key) == i for key in shard)
