"""Feeds made ahead by a process of their own while the pages are planned (brief.output.feeds):
the same files as feeds made in the feeds stage, cold and after an edit; only the feeds the
previous build lacks are made; a build that fails leaves neither the process nor its work
folder behind. Real builds, a real forked process; the size threshold lowered for a small site."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.errors import BuildFailed
from brief.output import feeds

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def story(i: int) -> str:
    return article(
        f"Story {i} on the grid, with & and <b>bold</b> words.\n",
        title=f"Story {i} on storage & prices",
        date=f"2026-{1 + i % 11:02d}-{1 + i % 27:02d}",
        section=["Economy", "Climate"][i % 2],
        tags=[f"T{i % 3}", "Batteries"],
        takeaways=[f"Point {i}"],
    )


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """Lowers the thresholds to one article and one feed; records each feed taken from the process."""
    monkeypatch.setattr(feeds, "MIN_ARTICLES", 1)
    monkeypatch.setattr(feeds, "MIN_FEEDS", 1)
    taken: list[str] = []
    adopt = feeds.FeedsAhead.adopt

    def recording(self, relpath, key, put):
        found = adopt(self, relpath, key, put)
        if found:
            taken.append(relpath)
        return found

    monkeypatch.setattr(feeds.FeedsAhead, "adopt", recording)
    return taken


def built(site: Path, out: Path, jobs: int, cache: BuildCache | None = None) -> dict[str, str]:
    build(load_config(site), out, BuildOptions(now=NOW, jobs=jobs, cache=cache or BuildCache()))
    return tree(out)


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.tmp-"))


def test_feeds_made_ahead_are_the_feeds_the_stage_makes(tmp_path, made):
    site = make_site(tmp_path, {f"content/a{i}.md": story(i) for i in range(12)})
    ahead = built(site, tmp_path / "two", jobs=2)
    assert sorted(made) == sorted(rel for rel in ahead if rel.endswith(("feed.xml", "feed.json")))
    assert len(made) >= 6  # main, JSON, two sections, three tags, corrections
    made.clear()
    assert built(site, tmp_path / "one", jobs=1) == ahead
    assert made == []  # one process: no feed made ahead
    assert leftovers(tmp_path / "two") == [] and multiprocessing.active_children() == []


def test_after_an_edit_only_the_feeds_that_changed_are_made_ahead(tmp_path, made):
    site = make_site(tmp_path, {f"content/a{i}.md": story(i) for i in range(12)})
    out, cache = tmp_path / "public", BuildCache()
    built(site, out, jobs=2, cache=cache)
    edited = site / "content" / "a4.md"
    edited.write_text(edited.read_text().replace("Story 4 on storage", "Story 4, revised, on storage"))
    made.clear()
    after = built(site, out, jobs=2, cache=cache)
    assert made and set(made) < {rel for rel in after if rel.endswith(("feed.xml", "feed.json"))}
    assert "tags/t0/feed.xml" not in made  # a4 is tagged T1 and Batteries
    assert after == built(site, tmp_path / "clean", jobs=1)
    assert leftovers(out) == []


def test_a_build_that_fails_leaves_no_process_and_no_work_folder(tmp_path, made, monkeypatch):
    files = {f"content/a{i}.md": story(i) for i in range(12)}
    files["content/a0.md"] = story(0).replace("bold</b> words.", "bold</b> words, [see](a1.md#nowhere).")
    site = make_site(tmp_path, files)
    started: list[feeds.FeedsAhead] = []
    real = feeds.FeedsAhead

    def starting(*args, **kwargs):
        started.append(real(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(feeds, "FeedsAhead", starting)
    with pytest.raises(BuildFailed) as failed:
        build(load_config(site), tmp_path / "public", BuildOptions(now=NOW, jobs=2, cache=BuildCache()))
    assert "nowhere" in str(failed.value.problems)
    assert len(started) == 1  # the feeds were being made when the links were checked
    assert leftovers(tmp_path / "public") == [] and multiprocessing.active_children() == []
    assert not (tmp_path / "public").exists()


def test_a_build_with_few_feeds_to_make_makes_them_itself(tmp_path, made, monkeypatch):
    """An edit changes a few feeds: making them is cheaper than a process for them."""
    site = make_site(tmp_path, {f"content/a{i}.md": story(i) for i in range(12)})
    out, cache = tmp_path / "public", BuildCache()
    built(site, out, jobs=2, cache=cache)
    edited = site / "content" / "a4.md"
    edited.write_text(edited.read_text().replace("Story 4 on storage", "Story 4, revised, on storage"))
    monkeypatch.setattr(feeds, "MIN_FEEDS", 6)  # the edit changes five: main, JSON, section, two tags
    made.clear()
    after = built(site, out, jobs=2, cache=cache)
    assert made == []
    assert after == built(site, tmp_path / "clean", jobs=1)
