"""Page keys kept by dependency (brief.render.pagedeps): after every kind of edit, each key a
cached build keeps is the key the page has (made again and compared, VERIFY), the site is
the one a clean build makes, an edit of one article's text keeps most keys, and one that
moves a list keeps the keys of the pages it leaves alone."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.render import pagedeps

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
CLUSTERS = [  # three topics with words of their own: related lists stay within one
    ["grid", "battery", "storage", "substation", "transformer", "outage", "frequency", "inverter", "capacity"],
    ["glacier", "drought", "rainfall", "monsoon", "wildfire", "heatwave", "aquifer", "permafrost", "flooding"],
    ["tariff", "export", "subsidy", "inflation", "shipping", "freight", "customs", "currency", "treaty"],
]


def _story(i: int, rng: random.Random) -> str:
    tags = ["Grid", f"T{i % 4}"] if i % 5 else [f"T{i % 4}"]
    words = CLUSTERS[i % 3]
    body = " ".join(rng.choice(words) for _ in range(40))
    return article(
        f"{body}.\n\nSee [another](a{(i + 1) % 30}.md).\n",
        title=f"Story {i} on {rng.choice(words)}",
        date=f"2026-{1 + i % 10:02d}-{1 + i % 27:02d}",
        section=["Energy", "Climate"][i % 2],
        tags=tags,
        authors=["Ana Ortiz"] if i % 3 else ["Ben Okafor"],
        dek=f"What story {i} says.",
    )


@pytest.fixture
def kept(monkeypatch) -> list[int]:
    """Turns VERIFY on and records how many keys each cached build kept."""
    monkeypatch.setattr(pagedeps, "VERIFY", True)
    counts: list[int] = []
    original = pagedeps.kept_keys

    def counting(*args, **kwargs):
        found = original(*args, **kwargs)
        counts.append(len(found))
        return found

    monkeypatch.setattr(pagedeps, "kept_keys", counting)
    return counts


def _cached(site: Path, out: Path, jobs: int) -> None:
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=jobs))
    cache.save(site)


def _edits(site: Path, rng: random.Random):
    """Each kind of edit, one after the other: (what, function doing it)."""
    content = site / "content"

    def sub(name: str, pattern: str, new: str) -> None:
        path = content / name
        path.write_text(re.sub(pattern, new, path.read_text(), count=1))

    yield "body", lambda: (content / "a7.md").write_text((content / "a7.md").read_text() + "\nOne more line.\n")
    yield "title", lambda: sub("a8.md", r"title: .*", "title: A new headline")
    yield "dek", lambda: sub("a9.md", r"dek: .*", "dek: Another standfirst.")
    yield "tag added", lambda: sub("a5.md", r"tags:\n", "tags:\n- Grid\n")  # a Grid page's chunks shift
    yield "section", lambda: sub("a10.md", r"section: .*", "section: Climate")
    yield "date", lambda: sub("a12.md", r"date: .*", "date: '2026-12-01'")  # the newest: every listing moves
    yield "related", lambda: sub("a13.md", r"takeaways:|dek:", "related:\n- a2\ndek:")
    yield (
        "profile",
        lambda: (
            (content / "authors").mkdir(exist_ok=True)
            or (content / "authors/ana-ortiz.md").write_text(
                "---\nname: Ana Ortiz\nrole: Energy editor\n---\nAna covers the grid.\n"
            )
        ),
    )
    yield (
        "template",
        lambda: (
            (site / "templates/partials").mkdir(parents=True, exist_ok=True)
            or (site / "templates/partials/share.html").write_text(
                '<section class="share" aria-labelledby="s"><h2 id="s">Pass it on</h2></section>\n'
            )
        ),
    )
    yield "added", lambda: (content / "a40.md").write_text(_story(40, rng))
    yield "deleted", lambda: (content / "a40.md").unlink()
    yield "body again", lambda: (content / "a20.md").write_text((content / "a20.md").read_text() + "\nMore.\n")


@pytest.mark.slow
def test_kept_keys_are_the_pages_keys_after_every_kind_of_edit(tmp_path, kept):
    rng = random.Random(3)
    site = make_site(tmp_path, {f"content/a{i}.md": _story(i, rng) for i in range(30)})
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    _cached(site, cached, jobs=1)
    assert kept == [0]  # nothing to keep from
    for step, (what, edit) in enumerate(_edits(site, rng)):
        edit()
        _cached(site, cached, jobs=1 + step % 2)
        build(load_config(site), clean, BuildOptions(now=NOW))
        assert tree(cached) == tree(clean), f"after the {what} edit"
    by_edit = dict(zip([what for what, _ in _edits(site, rng)], kept[1:], strict=False))
    pages = len(list(cached.rglob("index.html")))
    assert by_edit["body"] > pages * 0.6, by_edit  # one article's text: most keys kept
    assert by_edit["body again"] > pages * 0.6, by_edit
    assert by_edit["template"] == 0, by_edit  # every page's template digest moved: every key made
    # an edit that moves lists keeps the keys of the pages it leaves alone
    assert all(by_edit[what] > 0 for what in ("tag added", "section", "date", "profile", "added", "deleted")), by_edit


def test_a_failed_build_keeps_nothing_for_the_next(tmp_path, kept):
    # The preview keeps its cache in memory across a failed build: what the next build keeps
    # keys by must be the last successful build's, never the failed one's.
    rng = random.Random(4)
    site = make_site(tmp_path, {f"content/a{i}.md": _story(i, rng) for i in range(30)})
    config = load_config(site)
    cache = BuildCache()
    out = tmp_path / "out"
    build(config, out, BuildOptions(now=NOW, cache=cache, jobs=1))
    deps = cache.page_deps
    page = site / "content/a3.md"
    good = page.read_text()
    page.write_text(good.replace("See [another]", "See [nothing](missing.md) and [another]"))
    with pytest.raises(Exception):  # noqa: B017, PT011 - BuildFailed: a link to no file
        build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=1))
    assert cache.page_deps is deps
    page.write_text(good.replace("One", "One").replace("See [another]", "Now see [another]"))
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=1))
    clean = tmp_path / "clean"
    build(load_config(site), clean, BuildOptions(now=NOW))
    assert tree(out) == tree(clean)


def test_an_article_moving_across_listing_pages_moves_the_pages_it_left(tmp_path, kept):
    # Every article in terms of its own, so no section, tag or author list changes order: only
    # the front page's order does (and the pages of it the article no longer appears on).
    files = {
        f"content/a{i}.md": article(
            f"Text {i}.\n",
            title=f"Story {i}",
            date=f"2026-0{1 + i}-10",
            section=f"Section {i}",
            tags=[f"Tag {i}"],
            authors=[f"Writer {i}"],
        )
        for i in range(6)
    }
    site = make_site(tmp_path, files, config='title = "T"\nbase_url = "https://example.org/"\nper_page = 2\n')
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    _cached(site, cached, jobs=1)
    page = site / "content/a1.md"
    page.write_text(page.read_text().replace("2026-02-10", "2026-06-20"))  # from the last page to the first
    _cached(site, cached, jobs=1)
    build(load_config(site), clean, BuildOptions(now=NOW))
    assert tree(cached) == tree(clean)
