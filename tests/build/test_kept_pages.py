"""Kept page plans (brief.render.keptpages): after an edit that leaves the site's shape
alone, a cached build plans only the pages showing what changed and takes the others as the
last build had them. Every such build is compared with the full plan (pagedeps.VERIFY: the
same pages, in order, with the same last changes and kept keys) and with a clean build."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree, with_note

import brief.buildcheck
from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.errors import BuildFailed
from brief.output.writers import MemoryWriter
from brief.render import pagedeps

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
CONFIG = 'title = "T"\nbase_url = "https://example.org/"\nper_page = 3\narchive_per_page = 4\n'


def _story(i: int, **extra) -> str:
    fields = {
        "title": f"Story {i}",
        "date": f"{2024 + i % 3}-{1 + i % 12:02d}-{1 + i % 27:02d}",
        "section": ["Energy", "Climate", "Trade"][i % 3],
        "tags": [f"T{i % 4}", "Grid"] if i % 2 else [f"T{i % 4}"],
        "authors": ["Ana Ortiz"] if i % 3 else ["Ben Okafor"],
        "dek": f"What story {i} says.",
        **extra,
    }
    return article(f"Story {i} on the grid and its batteries.\n", **fields)


@pytest.fixture
def plans(monkeypatch) -> list[int | None]:
    """VERIFY on; for each cached build, how many pages the kept plan planned (None: it was not taken)."""
    monkeypatch.setattr(pagedeps, "VERIFY", True)
    seen: list[int | None] = []
    original = brief.buildcheck.kept_plan

    def recording(*args, **kwargs):
        plan = original(*args, **kwargs)
        seen.append(None if plan is None else len(plan.fresh))
        return plan

    monkeypatch.setattr(brief.buildcheck, "kept_plan", recording)
    return seen


def _site(tmp_path: Path, count: int = 24) -> Path:
    return make_site(tmp_path, {f"content/a{i}.md": _story(i) for i in range(count)}, config=CONFIG)


def _cached(site: Path, out: Path, jobs: int = 1) -> None:
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=jobs))
    cache.save(site)


def _same_as_clean(site: Path, cached: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    build(load_config(site), clean, BuildOptions(now=NOW))
    assert tree(cached) == tree(clean)


def _sub(path: Path, pattern: str, new: str) -> None:
    text = path.read_text()
    changed = re.sub(pattern, new, text, count=1, flags=re.M)
    assert changed != text, pattern
    path.write_text(changed)


@pytest.mark.parametrize(
    ("what", "pattern", "new"),
    [
        ("body", r"on the grid", "on the power grid"),
        ("title", r"^title: .*", "title: A new headline"),
        ("dek", r"^dek: .*", "dek: Another standfirst."),
    ],
)
def test_an_edit_of_an_articles_text_plans_only_the_pages_showing_it(tmp_path, plans, what, pattern, new):
    site, out = _site(tmp_path), tmp_path / "out"
    _cached(site, out)
    _sub(site / "content/a7.md", pattern, new)
    _cached(site, out)
    pages = len(list(out.rglob("*.html")))
    assert plans[0] is None  # nothing to keep from
    # its page, the listings that show it, the front page's first, the unkeyed pages: not the rest
    assert plans[1] is not None and plans[1] < pages / 2, (plans, pages)
    _same_as_clean(site, out, tmp_path)


def test_the_newest_articles_update_moves_the_last_changes_of_the_pages_showing_it(tmp_path, plans):
    # a20 is the newest built article: the archive's first page, the overviews and its listings
    # take their last change from it (the sitemap shows them), and their keys stay
    site, out = _site(tmp_path), tmp_path / "out"
    _cached(site, out)
    _sub(site / "content/a20.md", r"^dek: ", "updated: '2026-11-30T08:00:00Z'\ndek: ")
    _cached(site, out)
    assert plans[1] is not None
    assert "2026-11-30T08:00:00+00:00" in (out / "sitemap.xml").read_text()
    _same_as_clean(site, out, tmp_path)


@pytest.mark.parametrize(
    ("what", "edit"),
    [
        ("section", lambda c: _sub(c / "a6.md", r"^section: .*", "section: Climate")),
        ("date", lambda c: _sub(c / "a8.md", r"^date: .*", "date: '2026-11-30'")),
        ("added", lambda c: (c / "a90.md").write_text(_story(90))),
        ("deleted", lambda c: (c / "a3.md").unlink()),
    ],
)
def test_an_edit_that_moves_the_sites_shape_plans_every_page(tmp_path, plans, what, edit):
    site, out = _site(tmp_path), tmp_path / "out"
    _cached(site, out)
    edit(site / "content")
    _cached(site, out)
    assert plans == [None, None], what
    _same_as_clean(site, out, tmp_path)


@pytest.mark.parametrize(
    ("what", "count", "edit", "kept"),
    [
        ("tag dropped", 24, lambda c: _sub(c / "a4.md", r"^tags:\n- T0\n", "tags: []\n"), True),
        ("tag added", 25, lambda c: _sub(c / "a1.md", r"^tags:\n", "tags:\n- T0\n"), True),
        ("author added", 24, lambda c: _sub(c / "a10.md", r"^- Ana Ortiz", "- Ana Ortiz\n- Ben Okafor"), True),
        ("a listing gains a page", 24, lambda c: _sub(c / "a4.md", r"^tags:\n", "tags:\n- T1\n"), False),
        ("a listing loses a page", 25, lambda c: _sub(c / "a4.md", r"^tags:\n- T0\n", "tags: []\n"), False),
    ],
)
def test_an_edit_of_the_articles_of_a_tag_or_author_plans_that_listing(tmp_path, plans, what, count, edit, kept):
    # An existing tag or author gains or loses an article: every page of its listing is
    # planned, with the pages showing the article; the rest is kept. A listing whose number
    # of pages changed changes the site's shape: every page is planned.
    site, out = _site(tmp_path, count), tmp_path / "out"
    _cached(site, out)
    edit(site / "content")
    _cached(site, out)
    pages = len(list(out.rglob("*.html")))
    if kept:
        assert plans[1] is not None and plans[1] < pages / 2, (what, plans, pages)
    else:
        assert plans == [None, None], what
    _same_as_clean(site, out, tmp_path)


def _tag_everywhere(c: Path, name: str, articles: range) -> None:
    for i in articles:
        _sub(c / f"a{i}.md", r"^tags:\n", f"tags:\n- {name}\n")


@pytest.mark.parametrize(
    ("what", "edit"),
    [
        ("new tag", lambda c: _sub(c / "a5.md", r"^tags:\n", "tags:\n- Storage\n")),
        ("new tag, first of all", lambda c: _sub(c / "a5.md", r"^tags:\n", "tags:\n- Aardvarks\n")),
        ("new tag, last of all", lambda c: _sub(c / "a5.md", r"^tags:\n", "tags:\n- Zebras\n")),
        ("new tags, two", lambda c: _sub(c / "a5.md", r"^tags:\n", "tags:\n- Storage\n- Solar\n")),
        ("new tag, two pages", lambda c: _tag_everywhere(c, "Wind", range(2, 6))),
        ("new author", lambda c: _sub(c / "a10.md", r"^- Ana Ortiz", "- Ana Ortiz\n- Cy Lee")),
        ("new author, first", lambda c: _sub(c / "a10.md", r"^- Ana Ortiz", "- Ana Ortiz\n- Aba Ode")),
        ("tag gone", lambda c: _sub(c / "a4.md", r"^- Lonely\n", "")),
        ("tag gone, new tag", lambda c: _sub(c / "a4.md", r"^- Lonely\n", "- Tidal\n")),
        ("author gone", lambda c: _sub(c / "a0.md", r"^- Ben Okafor", "- Cy Lee")),
    ],
)
def test_a_tag_or_author_that_comes_or_goes_plans_its_pages_and_keeps_the_rest(tmp_path, plans, what, edit):
    # A listing that came (a tag or author no article had) is planned whole, among the others
    # where the full plan has it; one that went leaves with its pages. The rest is kept.
    site, out = _site(tmp_path), tmp_path / "out"
    if what in ("tag gone", "tag gone, new tag"):  # (a tag of one article)
        _sub(site / "content/a4.md", r"^tags:\n", "tags:\n- Lonely\n")
    if what == "author gone":  # (an author of one article)
        for i in range(3, 24, 3):
            _sub(site / f"content/a{i}.md", r"^- Ben Okafor", "- Ana Ortiz")
    _cached(site, out)
    before = set(out.rglob("*.html"))
    edit(site / "content")
    _cached(site, out)
    pages = len(list(out.rglob("*.html")))
    assert plans[1] is not None and plans[1] < pages / 2, (what, plans, pages)
    assert set(out.rglob("*.html")) != before, what
    _same_as_clean(site, out, tmp_path)


def test_a_tag_whose_last_article_leaves_it_leaves_the_tags_page(tmp_path, plans):
    # Only the tags' page shows that a tag is gone: its key is kept by every tag's mark.
    site = _site(tmp_path)
    (site / "content/solo.md").write_text(_story(50, tags=["Lonely"], date="2023-01-05"))
    out = tmp_path / "out"
    _cached(site, out)
    assert "Lonely" in (out / "tags/index.html").read_text()
    _sub(site / "content/solo.md", r"^- Lonely", "- T1")
    _cached(site, out)
    assert "Lonely" not in (out / "tags/index.html").read_text()
    _same_as_clean(site, out, tmp_path)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_kept_page_changed_in_the_output_folder_is_made_from_its_plan(tmp_path, plans, jobs):
    # (with 2 jobs, by a page worker: the whole site is planned in that process)
    site, out = _site(tmp_path), tmp_path / "out"
    _cached(site, out)
    listing = out / "tags/t1/index.html"
    listing.write_text("changed by hand")  # (not a page this edit changes: kept, then found changed)
    _sub(site / "content/a0.md", r"on the grid", "on the power grid")
    _cached(site, out, jobs=jobs)
    assert plans[1] is not None
    assert "changed by hand" not in listing.read_text()
    _same_as_clean(site, out, tmp_path)


def test_a_link_to_a_kept_pages_fragment_is_checked_against_that_page(tmp_path, plans):
    site, out = _site(tmp_path), tmp_path / "out"
    _cached(site, out)
    page = site / "content/a2.md"
    page.write_text(page.read_text() + "\nSee [the tag](/tags/t1/#brief-main).\n")
    _cached(site, out)  # the id is on that page (made from its plan to be read)
    assert plans[1] is not None
    page.write_text(page.read_text().replace("#brief-main", "#no-such-part"))
    with pytest.raises(BuildFailed) as failed:
        _cached(site, out)
    assert any("no-such-part" in problem.message for problem in failed.value.problems)
    assert plans[2] is not None


@pytest.mark.slow
def test_a_correction_added_and_removed_keeps_the_corrections_pages_right(tmp_path, plans):
    site, out = _site(tmp_path), tmp_path / "out"
    _cached(site, out)
    for step in range(6):  # (four to a page: the corrections' pages grow to two, then shrink)
        path = site / f"content/a{step}.md"
        path.write_text(with_note(path.read_text(), f"2026-11-2{step}T10:00:00", f"Fix {step}."))
        _cached(site, out)
        _same_as_clean(site, out, tmp_path)
    for step in range(6):
        path = site / f"content/a{step}.md"
        path.write_text(with_note(path.read_text(), "", ""))
        _cached(site, out)
        _same_as_clean(site, out, tmp_path)
    assert any(found is not None for found in plans[1:]), plans


@pytest.mark.parametrize(
    ("what", "edit"),
    [
        ("body", lambda c: _sub(c / "a12.md", r"on the grid", "on the power grid")),
        ("new tag", lambda c: _sub(c / "a12.md", r"^tags:\n", "tags:\n- Storage\n")),
    ],
)
def test_the_preview_keeps_pages_in_memory_as_well(tmp_path, plans, what, edit):
    site = _site(tmp_path)
    cache = BuildCache()
    first = MemoryWriter()
    build(load_config(site), None, BuildOptions(now=NOW, cache=cache), writer=first)
    edit(site / "content")
    second = MemoryWriter()
    build(load_config(site), None, BuildOptions(now=NOW, cache=cache), writer=second)
    clean = MemoryWriter()
    build(load_config(site), None, BuildOptions(now=NOW), writer=clean)
    assert plans[1] is not None, what
    assert {rel: second.files[rel] for rel in second.files} == {rel: clean.files[rel] for rel in clean.files}


@pytest.mark.slow
def test_edits_in_a_row_each_plan_only_their_pages(tmp_path, plans):
    # The rows a kept plan saves are what the next build keeps pages by: a kept page stays one.
    site, out = _site(tmp_path), tmp_path / "out"
    _cached(site, out)
    for i in (3, 9, 15, 21, 3):
        _sub(site / f"content/a{i}.md", r"on the grid", f"on the grid ({i})")
        _cached(site, out, jobs=2)
    assert None not in plans[1:], plans
    _same_as_clean(site, out, tmp_path)
