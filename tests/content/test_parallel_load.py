"""Reading the article files on several cores gives what one process gives, in the same order."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from brief.config import load_config
from brief.content.bodies import article_body
from brief.content.load import ContentMemo, load_articles
from tests.helpers import article, make_site


def _site(tmp_path: Path) -> Path:
    files: dict[str, str | bytes] = {
        f"content/{section}/a{n:03d}.md": article(
            title=f"Story {n}", section=section.title(), tags=[f"t{n % 5}"], takeaways=[f"Point {n}."]
        )
        for n in range(60)
        for section in ("economy", "climate")
        if (n + len(section)) % 2
    }
    files["content/economy/broken.md"] = "---\ntitle: [unclosed\ndate: 2026-01-02\n---\nSee [x](a001.md).\n"
    files["content/climate/wrong-date.md"] = article(date="2026-13-45")
    files["content/pages/about.md"] = "---\ntitle: About\n---\nAbout us.\n"
    return make_site(tmp_path, files)


def _shape(loaded):
    """What was loaded; an article's body as brief.content.bodies reads it (one that a worker
    read with a cache comes back without its body, read again from its file when needed)."""
    articles = [replace(a, body=article_body(a)) for a in loaded.articles]
    return (articles, loaded.problems, loaded.invalid, loaded.pages, loaded.failed)


def test_forked_reading_equals_one_process(tmp_path):
    config = load_config(_site(tmp_path))
    one = load_articles(config, jobs=1)
    forked = load_articles(config, jobs=2)
    assert len(one.articles) == 60 and one.problems and one.failed  # the site has both kinds of file
    assert _shape(forked) == _shape(one)


def test_forked_reading_fills_the_cache_as_one_process_does(tmp_path):
    config = load_config(_site(tmp_path))
    memo_one, memo_forked = ContentMemo(), ContentMemo()
    one = load_articles(config, memo_one, jobs=1)
    forked = load_articles(config, memo_forked, jobs=2)
    assert _shape(forked) == _shape(one)
    assert memo_forked.articles.keys() == memo_one.articles.keys() and len(memo_one.articles) == 61
    again = load_articles(config, memo_forked, jobs=2)  # every file from the memo now
    assert _shape(again) == _shape(one)


def test_real_paths_are_the_resolved_paths_through_symlinks(tmp_path):
    """Each file's real path is worked out from its folder's (resolved once); it must be what
    resolving the file gives, for files in symlinked folders and for symlinked files."""
    site = make_site(
        tmp_path,
        {
            "content/economy/a.md": article(title="A"),
            "content/climate/b.md": article(title="B"),
            "drafts/c.md": article(title="C", slug="c"),
        },
    )
    (site / "content/linked").symlink_to(site / "content/climate", target_is_directory=True)
    (site / "content/economy/c.md").symlink_to(site / "drafts/c.md")
    (site / "content/economy/d.md").symlink_to("../climate/b.md")
    config = load_config(site)
    for jobs in (1, 2):
        loaded = load_articles(config, ContentMemo(), jobs=jobs)
        assert {a.relpath for a in loaded.articles} >= {"content/economy/c.md", "content/economy/d.md"}
        for item in loaded.articles:
            assert item.real_path == item.path.resolve()
        assert len(loaded.articles) == len({a.path for a in loaded.articles})
