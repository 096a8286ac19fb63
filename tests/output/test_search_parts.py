"""The parts of pages that Pagefind reads, kept between builds by page key, and the pages of
the fragments linked from the previous bundle (brief.output.searchparts; issue #17, item 5:
what an edit costs with search on). Real builds, a real Pagefind.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree

from brief import __version__
from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.output import search
from brief.output.searchparts import PREFIX, KeptParts

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _site(tmp_path: Path, n: int = 12) -> Path:
    files = {
        f"content/s{i}.md": article(
            f"Story {i} on the harbour.\n\nWord{i} appears here only.\n",
            title=f"Story {i}",
            date=f"2026-01-{i + 1:02d}",
            tags=["Ports"],
        )
        for i in range(n)
    }
    # No automatic related links: an edit changes the edited page alone (brief.site.related
    # would move others' lists, changing their pages too).
    config = 'title = "Parts"\nbase_url = "https://example.org/"\n\n[related]\ncount = 0\n'
    return make_site(tmp_path / "site", files, config)


def _as_clean(site: Path, out: Path, clean: Path) -> bool:
    """Whether the search index in ``out`` is the one a clean build of ``site`` makes (into ``clean``)."""
    build(load_config(site), clean, BuildOptions(now=NOW))
    return tree(out / "pagefind") == tree(clean / "pagefind")


def _cached_build(site: Path, out: Path) -> None:
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=1))
    cache.save(site)


def _edit(site: Path, i: int, text: str) -> None:
    story = site / f"content/s{i}.md"
    story.write_text(story.read_text().replace("appears here only", text))


def _counting(monkeypatch, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(search, name)

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(search, name, counted)
    return calls


def test_an_edit_copies_the_parts_the_last_build_kept_and_indexes_as_a_clean_build(tmp_path, monkeypatch):
    site = _site(tmp_path)
    out = tmp_path / "out"
    _cached_build(site, out)
    kept = site / ".brief-cache" / f"{PREFIX}{__version__}"
    assert len([name for name in os.listdir(kept) if not name.startswith(".")]) == 12  # a part per article page
    made = _counting(monkeypatch, "searchable_part")
    _edit(site, 4, "is now quokkalith")
    _cached_build(site, out)
    assert len(made) == 1  # the edited page's part alone is made from a page; the others are copied
    assert _as_clean(site, out, tmp_path / "clean")
    # The kept parts are this build's: the edited page's old part is gone, its new one is there.
    assert len([name for name in os.listdir(kept) if not name.startswith(".")]) == 12
    # Without kept parts (removed, or kept by another version of brief), each is made from its page.
    for path in kept.iterdir():
        path.unlink()
    made.clear()
    _edit(site, 7, "is now quokkalithic")
    _cached_build(site, out)
    assert len(made) == 12
    assert _as_clean(site, out, tmp_path / "clean2")


def test_a_kept_part_whose_bytes_are_not_those_kept_is_not_used(tmp_path, monkeypatch):
    # The files are not trusted as they are: a part changed on disk (or replaced by a link to
    # another file) is made from its page instead, and the index is a clean build's.
    site = _site(tmp_path)
    out = tmp_path / "out"
    _cached_build(site, out)
    kept = KeptParts.of_site(site)
    of_story = {(kept.folder / name).read_text().split("Word", 1)[1].split()[0]: name for name in kept.names()}
    names = [of_story["7"], of_story["8"]]  # (not story 4's, which the edit changes)
    (kept.folder / names[0]).write_text("<html><body><article data-pagefind-body><h1>Planted</h1></article>")
    (kept.folder / names[1]).unlink()
    (kept.folder / names[1]).symlink_to(site / "brief.toml")
    made = _counting(monkeypatch, "searchable_part")
    _edit(site, 4, "is now quokkalith")
    _cached_build(site, out)
    assert len(made) == 3  # the edited page's part, and the two that were not as kept
    assert _as_clean(site, out, tmp_path / "clean")
    assert b"Planted" not in (kept.folder / names[0]).read_bytes()  # kept again, as made


def test_a_kept_part_is_used_only_for_its_page_key(tmp_path, monkeypatch):
    # A part kept under a key no page has any more (the page changed) is never copied: the
    # changed page's part is made from it, and the old one is dropped.
    site = _site(tmp_path)
    out = tmp_path / "out"
    _cached_build(site, out)
    kept = KeptParts.of_site(site)
    before = kept.names()
    _edit(site, 2, "is now zorbulent")
    _cached_build(site, out)
    after = KeptParts.of_site(site).names()
    assert len(before - after) == 1 and len(after - before) == 1
    (gone,) = before - after
    (new,) = after - before
    assert b"zorbulent" in (kept.folder / new).read_bytes()
    assert not (kept.folder / gone).exists()


@pytest.mark.slow
def test_the_second_edit_reads_only_the_fragments_new_since_the_first(tmp_path, monkeypatch):
    # To link the previous bundle's fragments of unchanged pages, each fragment's page must be
    # known: read from the file the first time, then kept beside the parts.
    site = _site(tmp_path)
    out = tmp_path / "out"
    _cached_build(site, out)
    read = _counting(monkeypatch, "fragment_url")
    _edit(site, 3, "is now quokkalith")
    _cached_build(site, out)
    assert len(read) == 12  # every fragment of the cold build's bundle
    # A build that links nothing (here into another folder, with a cache of its own, as
    # --no-cache builds) leaves what the last one kept.
    other = BuildCache()
    build(load_config(site), tmp_path / "elsewhere", BuildOptions(now=NOW, cache=other))
    assert len(BuildCache.load(site).search_fragments) == 11 and other.search_fragments == {}
    read.clear()
    _edit(site, 9, "is now quokkalithic")
    _cached_build(site, out)
    assert len(read) == 1  # only the edited page's fragment of the first edit, new then
    assert _as_clean(site, out, tmp_path / "clean")
    # A kept entry whose size is not the file's is not trusted: the file is read.
    cache = BuildCache.load(site)
    urls = cache.kept_parts().fragments
    assert len(urls) == 11 and all(url.startswith("/2026/01/") for _, url in urls.values())
    cache.kept_parts().keep_fragment_urls({name: (size + 1, url) for name, (size, url) in urls.items()})
    cache.save(site)
    read.clear()
    _edit(site, 5, "is now quokka")
    _cached_build(site, out)
    assert len(read) == 12
    assert _as_clean(site, out, tmp_path / "clean2")


def test_keeping_drops_other_keys_and_other_versions_but_not_the_fragments_file(tmp_path):
    cache = tmp_path / ".brief-cache"
    old = cache / f"{PREFIX}0.0.1"
    old.mkdir(parents=True)
    (old / "aa").write_text("an older brief's part")
    kept = KeptParts(cache / f"{PREFIX}{__version__}")
    kept.folder.mkdir()
    (kept.folder / "bb").write_text("a part of a page gone")
    (kept.folder / ".tmp-x1").write_text("a copy cut short")
    work = tmp_path / "work"
    work.mkdir()
    (work / "one").write_text("part one")
    (work / "two").write_text("part two")
    added = kept.keep([(b"\x01", str(work / "one"), False), (b"\x02", str(work / "two"), False)])
    assert added == 2
    assert sorted(os.listdir(kept.folder)) == ["01", "02"]
    assert not old.exists()
    assert (kept.folder / "02").read_text() == "part two"
    one = hashlib.sha256(b"part one").digest()
    assert kept.digests == {"01": one, "02": hashlib.sha256(b"part two").digest()}
    assert kept.source(b"\x01") == (str(kept.folder / "01"), one)
    assert kept.source(b"\x03") is None and kept.source(None) is None
    # Kept again: nothing added, the same files (hard links or copies, never rewritten), and
    # the digest of a key gone dropped with its file.
    inode = (kept.folder / "01").stat().st_ino
    digests = dict(kept.digests)
    assert KeptParts(kept.folder, digests).keep([(b"\x01", str(work / "one"), False)]) == 0
    assert (kept.folder / "01").stat().st_ino == inode and not (kept.folder / "02").exists()
    assert digests == {"01": one}
    # A file whose digest the cache does not hold (there before it, or put there by anything
    # but brief) is replaced, not trusted.
    (kept.folder / "03").write_text("planted")
    fresh: dict[str, bytes] = {}
    (work / "three").write_text("part three")
    assert KeptParts(kept.folder, fresh).keep([(b"\x03", str(work / "three"), False)]) == 1
    assert (kept.folder / "03").read_text() == "part three" and fresh == {"03": hashlib.sha256(b"part three").digest()}


def test_a_folder_that_cannot_be_made_only_costs_time(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would go")
    work = tmp_path / "one"
    work.write_text("part one")
    digests: dict[str, bytes] = {"07": b"a digest of a part gone"}
    parts = KeptParts(blocked / "parts", digests)
    assert parts.keep([(b"\x01", str(work), False)]) == 0  # (logged, not raised)
    assert parts.names() == set() and digests == {}  # nothing kept, and no digest of a part not there
