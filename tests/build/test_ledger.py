"""The URL ledger (``published-urls.txt``): ``brief build`` records every article URL it
publishes, and when an article's URL changes the next build redirects the old one by
itself, says so in one line, and the ledger changes by exactly that one line."""

from __future__ import annotations

import difflib
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import BUILD_TIME
from helpers import article, make_site, run_build

from brief.commands.build import build_site
from brief.commands.check import check_site
from brief.config import load_config
from brief.content.ledger import HEADER, LEDGER_NAME
from brief.errors import BuildFailed, Problem

LEDGER_ONE = HEADER + "/2024/01/a/ content/a.md 2024-01-02T00:00:00Z A Quiet Week\n"


def build(site: Path, **options) -> tuple[list[str], list[Problem]]:
    """``brief build`` of ``site`` as the CLI runs it; returns the Redirect lines and the warnings."""
    warnings: list[Problem] = []
    outcome = build_site(
        load_config(site), site / "public", now=BUILD_TIME, use_cache=False, on_warning=warnings.append, **options
    )
    assert outcome.result is not None
    return [m.describe() for m in outcome.result.redirects], [w for w in warnings if w.code != "missing-takeaways"]


def ledger(site: Path) -> str:
    return (site / LEDGER_NAME).read_text(encoding="utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def redirect_page(site: Path, old: str) -> str:
    return (site / "public" / old.strip("/") / "index.html").read_text(encoding="utf-8")


def test_first_build_records_every_published_article(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(),
            "content/b c.md": article(title="Two  Words", date="2024-03-05T10:30:00+02:00"),
            "content/draft.md": article(title="Draft", draft=True),
        },
    )
    assert build(site) == ([], [])
    assert ledger(site) == HEADER + (
        "/2024/01/a/ content/a.md 2024-01-02T00:00:00Z A Quiet Week\n"
        "/2024/03/b-c/ content/b%20c.md 2024-03-05T08:30:00Z Two Words\n"
    )
    data = (site / LEDGER_NAME).read_bytes()
    assert b"\r" not in data and data.endswith(b"\n")


def test_a_changed_slug_redirects_the_old_url_and_adds_one_line(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    build(site)
    before = ledger(site)
    (site / "content/a.md").write_text(article(slug="quiet-week"), encoding="utf-8")
    lines, warnings = build(site)
    assert lines == ["Redirect: /2024/01/a/ → /2024/01/quiet-week/ (content/a.md changed its URL)"]
    assert warnings == []
    assert changed_lines(before, ledger(site)) == [
        "+/2024/01/quiet-week/ content/a.md 2024-01-02T00:00:00Z A Quiet Week"
    ]
    assert 'content="0; url=/2024/01/quiet-week/"' in redirect_page(site, "/2024/01/a/")
    rules = (site / "public/_redirects").read_text(encoding="utf-8")
    assert "/2024/01/a/ /2024/01/quiet-week/ 301\n" in rules
    # The next build keeps the redirect, quietly, and leaves the ledger as it is.
    after = ledger(site)
    assert build(site) == ([], [])
    assert ledger(site) == after
    assert 'content="0; url=/2024/01/quiet-week/"' in redirect_page(site, "/2024/01/a/")


def test_the_cli_says_so_in_one_line(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    assert run_build(site)[0] == 0
    (site / "content/a.md").write_text(article(slug="quiet-week"), encoding="utf-8")
    code, out, err = run_build(site)
    assert code == 0, err
    assert out.splitlines()[0] == "Redirect: /2024/01/a/ → /2024/01/quiet-week/ (content/a.md changed its URL)"
    assert out.splitlines()[1].startswith("Built 1 article")


def test_a_changed_permalink_pattern_redirects_every_article(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B", date="2024-02-09")})
    build(site)
    before = ledger(site)
    (site / "brief.toml").write_text('permalink = "/news/{slug}/"\n', encoding="utf-8")
    lines, _ = build(site)
    assert lines == [
        "Redirect: /2024/01/a/ → /news/a/ (content/a.md changed its URL)",
        "Redirect: /2024/02/b/ → /news/b/ (content/b.md changed its URL)",
    ]
    assert changed_lines(before, ledger(site)) == [
        "+/news/a/ content/a.md 2024-01-02T00:00:00Z A Quiet Week",
        "+/news/b/ content/b.md 2024-02-09T00:00:00Z B",
    ]


def test_a_changed_date_redirects(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    build(site)
    (site / "content/a.md").write_text(article(date="2024-02-01"), encoding="utf-8")
    assert build(site)[0] == ["Redirect: /2024/01/a/ → /2024/02/a/ (content/a.md changed its URL)"]


def test_a_renamed_file_is_found_by_date_and_headline(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    build(site)
    before = ledger(site)
    (site / "content/2024").mkdir()
    os.rename(site / "content/a.md", site / "content/2024/quiet.md")
    lines, warnings = build(site)
    assert lines == ["Redirect: /2024/01/a/ → /2024/01/quiet/ (content/a.md is now content/2024/quiet.md)"]
    assert warnings == []
    assert changed_lines(before, ledger(site)) == [
        "+/2024/01/quiet/ content/2024/quiet.md 2024-01-02T00:00:00Z A Quiet Week"
    ]
    # Renamed again, and then its slug changed: every old URL leads to the newest one.
    os.rename(site / "content/2024/quiet.md", site / "content/2024/calm.md")
    build(site)
    (site / "content/2024/calm.md").write_text(article(slug="calm-week"), encoding="utf-8")
    build(site)
    for old in ("/2024/01/a/", "/2024/01/quiet/", "/2024/01/calm/"):
        assert 'content="0; url=/2024/01/calm-week/"' in redirect_page(site, old), old


def test_a_moved_file_with_the_same_url_needs_no_redirect(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    build(site)
    (site / "content/x").mkdir()
    os.rename(site / "content/a.md", site / "content/x/a.md")
    assert build(site) == ([], [])
    assert "/2024/01/a/ content/x/a.md" in ledger(site)
    assert not (site / "public/_redirects").exists()


def test_a_deleted_article_is_a_warning_naming_its_url(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    build(site)
    (site / "content/a.md").unlink()
    before = ledger(site)
    lines, warnings = build(site)
    assert lines == []
    assert [w.format() for w in warnings] == [
        f"{LEDGER_NAME}:6: warning: /2024/01/a/ was published from content/a.md, which is gone, so links to it now "
        "lead to the not-found page (expected the article back, aliases: [/2024/01/a/] on the article that replaces "
        "it, or 'withdrawn' after the file name on this line) [published-url-gone]"
    ]
    assert ledger(site) == before  # the line stays
    assert not (site / "public/2024/01/a").exists()


def test_a_withdrawn_article_is_not_a_warning(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    build(site)
    (site / "content/a.md").unlink()
    text = ledger(site).replace("/2024/01/a/ content/a.md ", "/2024/01/a/ content/a.md withdrawn ")
    (site / LEDGER_NAME).write_text(text, encoding="utf-8")
    assert build(site) == ([], [])
    assert ledger(site) == text


def test_an_alias_on_the_replacement_takes_the_url_of_a_deleted_article(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    build(site)
    (site / "content/a.md").unlink()
    (site / "content/b.md").write_text(article(title="B", aliases=["/2024/01/a/"]), encoding="utf-8")
    assert build(site) == ([], [])
    assert 'content="0; url=/2024/01/b/"' in redirect_page(site, "/2024/01/a/")


def test_an_alias_given_by_hand_wins_over_the_ledger(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    build(site)
    (site / "content/a.md").write_text(article(slug="quiet-week"), encoding="utf-8")
    (site / "content/b.md").write_text(article(title="B", aliases=["/2024/01/a/"]), encoding="utf-8")
    assert build(site)[0] == []
    assert 'content="0; url=/2024/01/b/"' in redirect_page(site, "/2024/01/a/")


def test_an_old_url_another_article_now_has_is_not_redirected(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    build(site)
    (site / "content/a.md").write_text(article(slug="quiet-week"), encoding="utf-8")
    (site / "content/new.md").write_text(article(title="New", slug="a"), encoding="utf-8")
    assert build(site) == ([], [])
    assert "<title>Moved" not in (site / "public/2024/01/a/index.html").read_text(encoding="utf-8")
    assert "/2024/01/a/ content/new.md" in ledger(site)


@pytest.mark.parametrize("fields", [{"draft": True}, {"date": "2027-01-01"}, {"expires": "2024-06-01"}])
def test_an_article_left_out_of_the_build_is_not_gone(tmp_path, fields):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    build(site)
    before = ledger(site)
    (site / "content/a.md").write_text(article(**fields), encoding="utf-8")
    assert build(site) == ([], [])
    assert ledger(site) == before


def test_a_cached_plan_follows_an_article_that_expires_between_builds(tmp_path):
    # Its file is the same (so is its digest, which stands for it in the plan's key), but it
    # is no longer built: its alias must stop redirecting, as in a clean build at that time.
    from datetime import timedelta

    from helpers import tree

    site = make_site(
        tmp_path,
        {
            "content/a.md": article(title="Soon gone", aliases=["/old/a/"], expires="2026-11-26T00:00:00Z"),
            "content/b.md": article(title="Stays"),
        },
    )
    config = load_config(site)
    build_site(config, site / "public", now=BUILD_TIME)
    assert (site / "public/old/a/index.html").exists()
    later = BUILD_TIME + timedelta(days=2)
    build_site(config, site / "public", now=later)
    ref = tmp_path / "ref"
    shutil.copytree(site, ref, ignore=shutil.ignore_patterns(".brief-cache", "public"))
    build_site(load_config(ref), ref / "public", now=later, use_cache=False)
    assert not (ref / "public/old/a/index.html").exists()
    assert tree(site / "public") == tree(ref / "public")


def test_a_malformed_line_is_an_error_on_the_ledgers_line(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(),
            LEDGER_NAME: "# comment\n\n/2024/01/a/ content/a.md\nnot-a-path content/a.md\n/x/\n"
            "/y/ content/y.md widthdrawn\n/z/ content/z.txt\n/pagefind/x/ content/a.md\n",
        },
    )
    with pytest.raises(BuildFailed) as failed:
        build(site)
    assert [p.format() for p in failed.value.problems if p.severity == "error"] == [
        f"{LEDGER_NAME}:4: 'not-a-path' is not a site path (expected e.g. "
        "'/2024/01/grid-batteries/ content/grid.md 2024-01-15T08:30:00Z Batteries Carry the Grid')",
        f"{LEDGER_NAME}:5: '/x/' has no source file after the site path (expected e.g. "
        "'/2024/01/grid-batteries/ content/grid.md 2024-01-15T08:30:00Z Batteries Carry the Grid')",
        f"{LEDGER_NAME}:6: 'widthdrawn' is neither 'withdrawn' nor a time such as 2024-01-15T08:30:00Z; did you "
        "mean 'withdrawn'? (expected e.g. '/2024/01/grid-batteries/ content/grid.md 2024-01-15T08:30:00Z Batteries "
        "Carry the Grid')",
        f"{LEDGER_NAME}:7: 'content/z.txt' is not an article file relative to the site folder (expected e.g. "
        "'/2024/01/grid-batteries/ content/grid.md 2024-01-15T08:30:00Z Batteries Carry the Grid')",
        f"{LEDGER_NAME}:8: '/pagefind/x/' is inside the search index (expected a path of this site, such as "
        "/2019/05/old-title/ or /news/old.html)",
    ]
    assert not (site / "public").exists()


def test_the_ledger_is_deterministic_sorted_and_untouched_by_base_url(tmp_path):
    files = {
        f"content/{name}.md": article(title=name.upper(), date=f"2024-0{i}-0{i}") for i, name in enumerate("qzam", 1)
    }
    one = make_site(tmp_path / "one", files)
    two = make_site(tmp_path / "two", dict(reversed(files.items())))
    build(one)
    build(two)
    assert ledger(one) == ledger(two)
    lines = [line for line in ledger(one).splitlines() if not line.startswith("#")]
    assert lines == sorted(lines) and len(lines) == 4
    (one / "brief.toml").write_text('base_url = "https://example.org/elsewhere/"\n', encoding="utf-8")
    before = (one / LEDGER_NAME).stat().st_mtime_ns
    assert build(one) == ([], [])
    assert (one / LEDGER_NAME).stat().st_mtime_ns == before  # not even rewritten


def test_hand_written_lines_are_kept_in_order_with_their_mark(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(),
            LEDGER_NAME: "/old/story/ content/story.md withdrawn\r\n/2019/x/ content/x%20y.md\r\n",
        },
    )
    build(site)
    assert ledger(site) == HEADER + (
        "/2019/x/ content/x%20y.md\n"
        "/2024/01/a/ content/a.md 2024-01-02T00:00:00Z A Quiet Week\n"
        "/old/story/ content/story.md withdrawn\n"
    )


def test_only_a_plain_brief_build_writes_the_ledger(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B", draft=True)})
    for options in ({"drafts": True}, {"future": True}):
        build(site, **options)
        assert not (site / LEDGER_NAME).exists(), options
    assert check_site(site).errors == []
    assert not (site / LEDGER_NAME).exists()
    (site / "content/a.md").write_text(article(title=None), encoding="utf-8")  # a failed build
    with pytest.raises(BuildFailed):
        build(site)
    assert not (site / LEDGER_NAME).exists()
    (site / "content/a.md").write_text(article(), encoding="utf-8")
    build(site)
    assert ledger(site) == LEDGER_ONE


def test_a_drafts_build_reads_the_ledger_but_records_nothing(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    build(site)
    (site / "content/a.md").write_text(article(slug="quiet-week"), encoding="utf-8")
    assert build(site, drafts=True)[0] == [
        "Redirect: /2024/01/a/ → /2024/01/quiet-week/ (content/a.md changed its URL)"
    ]
    assert ledger(site) == LEDGER_ONE
    assert 'content="0; url=/2024/01/quiet-week/"' in redirect_page(site, "/2024/01/a/")


def test_editing_the_ledger_makes_the_next_cached_build_run(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    config = load_config(site)  # the real clock: "up to date" holds until the next day

    def age(*paths: Path) -> None:  # older than the next build: their stamps can be trusted (brief.manifest)
        old = time.time() - 60
        for path in paths:
            os.utime(path, (old, old))

    age(*site.rglob("*.md"))
    build_site(config, site / "public")
    (site / "content/a.md").unlink()
    age(site / LEDGER_NAME)
    gone = build_site(config, site / "public", on_warning=lambda p: None).result
    assert gone is not None and "published-url-gone" in [w.code for w in gone.warnings]
    assert build_site(config, site / "public").result is None  # up to date: nothing changed
    text = ledger(site).replace("content/a.md ", "content/a.md withdrawn ")
    (site / LEDGER_NAME).write_text(text, encoding="utf-8")
    age(site / LEDGER_NAME)
    withdrawn = build_site(config, site / "public").result
    assert withdrawn is not None and "published-url-gone" not in [w.code for w in withdrawn.warnings]


def test_a_build_as_of_a_later_moment_does_not_date_the_ledger_ahead_of_the_clock(tmp_path):
    # Dated by the build's own "now" (BRIEF_NOW ahead of the clock), the ledger looked changed
    # after the build to every later up-to-date check, which then never said "up to date".
    from datetime import UTC, datetime, timedelta

    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    config = load_config(site)
    old = time.time() - 60
    for path in site.rglob("*.md"):
        os.utime(path, (old, old))
    ahead = datetime.now(UTC) + timedelta(hours=3)
    assert build_site(config, site / "public", now=ahead).result is not None
    assert (site / LEDGER_NAME).stat().st_mtime < time.time()
    assert build_site(config, site / "public", now=ahead + timedelta(minutes=1)).result is None  # up to date


def test_a_ledger_that_is_not_a_regular_file_is_an_error_not_a_wait(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    os.mkfifo(site / LEDGER_NAME)
    with pytest.raises(BuildFailed) as failed:
        build(site)
    assert [p.format() for p in failed.value.problems if p.severity == "error"] == [
        f"{LEDGER_NAME}: cannot read the URL ledger: not a regular file (a FIFO, or named pipe); brief reads only "
        "regular files (expected a UTF-8 text file)"
    ]


def test_brief_check_reads_the_ledger_and_never_writes_it(tmp_path):
    """brief check warns about a published URL that is gone, as brief build does, and sees the
    redirect a changed URL gets; the ledger file stays as it was."""
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B", date="2024-01-03")})
    build(site)
    before = ledger(site)
    (site / "content/b.md").unlink()
    (site / "content/a.md").write_text(article(slug="quiet-week"), encoding="utf-8")
    result = check_site(site)
    assert result.errors == []
    gone = [w for w in result.warnings if w.code == "published-url-gone"]
    assert len(gone) == 1 and "/2024/01/b/" in gone[0].message
    assert ledger(site) == before


@pytest.mark.slow
def test_cached_builds_plan_redirects_as_a_clean_build_does_after_each_change(tmp_path):
    """The redirect plan is kept in the build cache by a digest of what it reads
    (brief.output.redirects.RedirectMemo): after each kind of change that moves a redirect,
    a cached build writes what a clean one does and warns the same."""
    from helpers import tree

    site = make_site(tmp_path, {f"content/{n}.md": article(title=f"Story {n}") for n in "abcd"})
    config = load_config(site)

    def both() -> None:
        ref = tmp_path / "ref"  # the same site, built afresh (a --no-cache build saves a cache of its own)
        shutil.rmtree(ref, ignore_errors=True)
        shutil.copytree(site, ref, ignore=shutil.ignore_patterns(".brief-cache", "public"))
        clean: list[Problem] = []
        cached: list[Problem] = []
        build_site(load_config(ref), ref / "public", now=BUILD_TIME, use_cache=False, on_warning=clean.append)
        build_site(config, site / "public", now=BUILD_TIME, on_warning=cached.append)
        assert ledger(site) == ledger(ref)
        assert [w.format() for w in cached] == [w.format() for w in clean]
        assert tree(site / "public") == tree(ref / "public")

    both()
    (site / "content/a.md").write_text(article(title="Story a", slug="a-new"))  # a URL changes
    both()
    (site / "content/b.md").unlink()  # a URL is gone: a warning
    both()
    (site / LEDGER_NAME).write_text(
        ledger(site).replace("content/b.md ", "content/b.md withdrawn "), encoding="utf-8"
    )  # the editor withdraws it
    both()
    (site / "content/c.md").rename(site / "content/c2.md")  # renamed file, same URL
    both()
    (site / "content/d.md").write_text(article(title="Story d", aliases=["/old/d/"]))  # an alias
    both()
    (site / "content/d.md").write_text(article("Other text.\n", title="Story d, retitled", aliases=["/old/d/"]))
    both()  # (the plan kept, retitled)
    (site / "content/c2.md").rename(site / "content/c3.md")  # a renamed file, found by its headline
    both()
    (site / "content/c3.md").write_text(article(title="Story c, retitled"))  # found no longer
    both()
    for title in ("Story d, again", "Story d, once more"):  # (the second with the ledger as the first left it)
        (site / "content/d.md").write_text(article(title=title, aliases=["/old/d/"]))
        both()


@pytest.fixture
def plans_made(monkeypatch) -> list[Path]:
    """The site folder of each redirect plan made from now on (brief.site.redirects.plan_redirects
    as brief.output.redirects calls it), in order."""
    from brief.output import redirects

    made: list[Path] = []
    plan = redirects.plan_redirects

    def planning(site, *args, **kwargs):
        made.append(site.config.root)
        return plan(site, *args, **kwargs)

    monkeypatch.setattr(redirects, "plan_redirects", planning)
    return made


def test_text_and_headline_edits_keep_the_redirect_plan_unless_it_found_a_file_by_headline(tmp_path, plans_made):
    """The plan's key reads what planning reads of each article but its headline, kept per
    file: an edit of the text leaves the plan as it was, an edit of a headline keeps it with
    its redirects' titles made anew (the redirect page names the new headline). A plan that
    looked for a renamed file by its headline is made again when the headline of a file it
    found so changes."""
    made = plans_made
    files = {f"content/{n}.md": article(title=f"Story {n}") for n in "abc"}
    site = make_site(tmp_path, {**files, "content/a.md": article(title="Story a", aliases=["/old/a/"])})
    config = load_config(site)
    build_site(config, site / "public", now=BUILD_TIME)
    (site / "content/c.md").write_text(article("Text.\n", title="Story c"))
    build_site(config, site / "public", now=BUILD_TIME)  # (the ledger the first build wrote is read)
    assert len(made) == 2
    (site / "content/a.md").write_text(article("A new paragraph.\n", title="Story a", aliases=["/old/a/"]))
    assert build_site(config, site / "public", now=BUILD_TIME).result is not None
    assert len(made) == 2  # the same plan
    (site / "content/a.md").write_text(article(title="Story a, retitled", aliases=["/old/a/"]))
    build_site(config, site / "public", now=BUILD_TIME)
    assert len(made) == 2  # the same plan, retitled
    assert "<title>Moved: Story a, retitled</title>" in redirect_page(site, "/old/a/")
    os.rename(site / "content/c.md", site / "content/c2.md")  # found by its date and headline
    build_site(config, site / "public", now=BUILD_TIME)
    build_site(config, site / "public", now=BUILD_TIME)  # (the ledger that build wrote is read: the same plan)
    assert len(made) == 3
    (site / "content/b.md").write_text(article(title="Story b, retitled"))  # (not a headline looked for)
    build_site(config, site / "public", now=BUILD_TIME)
    assert len(made) == 3
    assert "/2024/01/c2/" in redirect_page(site, "/2024/01/c/")
    (site / "content/c2.md").write_text(article(title="Story c, retitled"))
    build_site(config, site / "public", now=BUILD_TIME)
    assert len(made) == 4  # found by headline no longer: /2024/01/c/ is gone
    assert not (site / "public/2024/01/c/index.html").exists()


@pytest.mark.slow
def test_the_build_after_one_that_added_ledger_lines_keeps_the_plan(tmp_path, plans_made):
    """A build that adds lines to the ledger (a new article, a URL that moved) writes them;
    the next build reads those very bytes and keeps the plan, as planning again from them
    would make it: no line to add, no move to tell again (brief.output.redirects.RedirectMemo.read)."""
    made = plans_made
    site = make_site(tmp_path, {f"content/{n}.md": article(title=f"Story {n}") for n in "abc"})
    config = load_config(site)

    def cached() -> list[str]:
        outcome = build_site(config, site / "public", now=BUILD_TIME)
        assert outcome.result is not None
        return [m.describe() for m in outcome.result.redirects]

    def plans() -> int:
        return made.count(site)

    def same_as_clean() -> None:
        ref = tmp_path / "ref"
        shutil.rmtree(ref, ignore_errors=True)
        shutil.copytree(site, ref, ignore=shutil.ignore_patterns(".brief-cache", "public"))
        build_site(load_config(ref), ref / "public", now=BUILD_TIME, use_cache=False)
        assert ledger(site) == ledger(ref)
        from helpers import tree

        assert tree(site / "public") == tree(ref / "public")

    cached()
    assert plans() == 1
    (site / "content/d.md").write_text(article(title="Story d"))  # a new article: a line added
    cached()
    assert plans() == 2 and "/2024/01/d/ content/d.md" in ledger(site)
    (site / "content/d.md").write_text(article("More text.\n", title="Story d"))
    assert cached() == []
    assert plans() == 2  # the ledger as the last build wrote it: the same plan
    same_as_clean()
    (site / "content/a.md").write_text(article(title="Story a", slug="a-moved"))  # a URL moved
    assert cached() == ["Redirect: /2024/01/a/ → /2024/01/a-moved/ (content/a.md changed its URL)"]
    assert plans() == 3
    (site / "content/b.md").write_text(article("Other text.\n", title="Story b"))
    assert cached() == []  # (said once, by the build that found it)
    assert plans() == 3
    assert "/2024/01/a-moved/" in redirect_page(site, "/2024/01/a/")
    same_as_clean()
    before = ledger(site) + "/2020/01/x/ content/x.md withdrawn\n"
    (site / LEDGER_NAME).write_text(before, encoding="utf-8")
    cached()  # the ledger edited by hand: planned again (from these bytes)
    assert plans() == 4
    same_as_clean()
    (site / "content/b.md").write_text(article(title="Story b", slug="b-moved"))
    assert cached() == ["Redirect: /2024/01/b/ → /2024/01/b-moved/ (content/b.md changed its URL)"]
    (site / "content/e.md").write_text(article(title="Story e"))  # (from the lines written: see below)
    assert cached() == []
    assert plans() == 5  # a new article: the last plan, settled, with its line added (not made again)
    assert "/2024/01/e/ content/e.md" in ledger(site)
    same_as_clean()
    (site / LEDGER_NAME).write_text(before, encoding="utf-8")  # as three builds ago: the move is news again
    assert cached() == ["Redirect: /2024/01/b/ → /2024/01/b-moved/ (content/b.md changed its URL)"]
    assert plans() == 6
    same_as_clean()


@pytest.mark.slow
def test_a_new_article_extends_the_last_plan_unless_the_plan_met_it(tmp_path, plans_made):
    """A build that adds an article keeps the last plan with the article's ledger line added
    (brief.output.redirects._extended), when planning again would make just that; a new
    article the plan met (an alias, a file a ledger line names, a vanished file's date and
    headline, an old address it now serves), a draft, or anything else the plan reads changed
    in the same build (the ledger, a page, another article) makes it again. After each
    build, the site, the ledger and the warnings are a clean build's."""
    from helpers import tree

    made = plans_made
    files = {f"content/{n}.md": article(title=f"Story {n}", date=f"2024-01-1{i}") for i, n in enumerate("abc")}
    files["content/pages/about.md"] = article(title="About", date=None)
    toml = 'title = "T"\nbase_url = "https://example.org/"\n[redirects]\n"/topics/about/" = "/about/"\n'
    site = make_site(tmp_path, files, toml)
    config = load_config(site)

    def step(change: str, planned: bool) -> None:
        ref = tmp_path / "ref"  # the same inputs, the ledger as the cached build reads it
        shutil.rmtree(ref, ignore_errors=True)
        shutil.copytree(site, ref, ignore=shutil.ignore_patterns(".brief-cache", "public"))
        before = made.count(site)
        cached: list[Problem] = []
        outcome = build_site(config, site / "public", now=BUILD_TIME, on_warning=cached.append)
        assert outcome.result is not None, change
        assert made.count(site) == before + planned, change
        clean: list[Problem] = []
        build_site(load_config(ref), ref / "public", now=BUILD_TIME, use_cache=False, on_warning=clean.append)
        assert ledger(site) == ledger(ref), change
        assert [w.format() for w in cached] == [w.format() for w in clean], change
        assert tree(site / "public") == tree(ref / "public"), change

    def write(name: str, **fields) -> None:
        (site / f"content/{name}.md").write_text(article(**{"title": f"Story {name}", **fields}), encoding="utf-8")

    def add(name: str, planned: bool, **fields) -> None:
        write(name, **fields)
        step(f"{name}.md added", planned)

    def withdrawn(name: str) -> None:
        text = ledger(site).replace(f" content/{name}.md ", f" content/{name}.md withdrawn ")
        (site / LEDGER_NAME).write_text(text, encoding="utf-8")

    step("first build", True)
    step("the ledger the first build wrote", True)
    add("d", False, date="2024-01-20")
    assert "/2024/01/d/ content/d.md" in ledger(site)
    add("e", False, date="2024-01-05")  # (older than the rest: among them in every list)
    write("d", title="Story d, retitled", date="2024-01-20")
    add("f", False, date="2024-01-21")  # (beside a headline edited)
    add("g", True, date="2024-01-22", draft=True)  # a draft: its URL is kept, unbuilt
    add("h", True, date="2024-01-23", aliases=["/old/h/"])
    write("h", title="Story h, retitled", date="2024-01-23", aliases=["/old/h/"])
    add("i", False, date="2024-01-24")  # (the alias's redirect page names the new headline)
    assert "Story h, retitled" in redirect_page(site, "/old/h/")
    write("a", title="Story a", date="2024-01-10", slug="a-moved")
    step("a.md moved", True)
    add("j", False, date="2024-01-25")
    add("a2", True, title="Story a2", date="2024-01-10", slug="a")  # at an address the ledger redirects
    with open(site / LEDGER_NAME, "a", encoding="utf-8") as lines:
        lines.write("/x/old/ content/m.md withdrawn\n")  # by hand, no date or headline to look a file up by
    add("k", True, date="2024-01-26")  # (the ledger changed beside)
    step("the ledger as written", False)
    add("m", True, date="2024-01-27")  # the file a ledger line names: /x/old/ leads to it now
    assert "/2024/01/m/" in redirect_page(site, "/x/old/")
    (site / "content/pages/about.md").write_text(article(title="About us", date=None), encoding="utf-8")
    add("n", True, date="2024-01-28")  # a page retitled beside: [redirects] names its title
    assert "About us" in redirect_page(site, "/topics/about/")
    write("f", date="2024-01-21", draft=True)
    step("f.md a draft", True)
    (site / "content/f.md").unlink()  # gone, as a draft: no page of it is taken, before or now
    add("o", True, date="2024-01-29")
    withdrawn("f")
    step("f.md withdrawn", True)
    add("p", False, date="2024-01-30")
    os.rename(site / "content/c.md", site / "content/c2.md")  # a vanished file, found by date and headline
    step("c.md renamed", True)
    add("c3", True, title="Story c", date="2024-01-12")  # the date and headline that found it: found no longer
    (site / "content/b.md").unlink()  # a URL gone: a warning on its line
    step("b.md deleted", True)
    add("a0", False, date="2024-01-09")  # its line above the gone one's: the warning stays where it was read
    add("b", True, date="2024-01-11")  # back (and the ledger's lines moved: planned again)
    (site / "content/e.md").unlink()
    add("q", True, date="2024-01-31")  # an article added, another gone


def test_a_new_tag_keeps_the_redirect_plan_unless_its_page_touches_a_path_the_plan_looked_up(tmp_path, plans_made):
    """Every output path of the build is something the plan reads, but only those it looked
    up matter (brief.site.places.touched): a tag's new page leaves the plan as it was; a new
    page at an alias's old address, or a ``[redirects]`` target gone, makes it again, and
    the build says what a clean build does."""
    made = plans_made
    files = {
        "content/a.md": article(title="Story a", tags=["Old"], aliases=["/old/a/", "/tags/clash/"]),
        "content/b.md": article(title="Story b", tags=["Old"]),
    }
    site = make_site(tmp_path, files, 'title = "T"\n[redirects]\n"/topics/old/" = "/tags/old/"\n')
    config = load_config(site)
    build_site(config, site / "public", now=BUILD_TIME)
    (site / "content/b.md").write_text(article("Text.\n", title="Story b", tags=["Old"]))
    build_site(config, site / "public", now=BUILD_TIME)  # (the ledger the first build wrote is read)
    assert len(made) == 2
    (site / "content/b.md").write_text(article("New text.\n", title="Story b", tags=["Old", "Brand new"]))
    build_site(config, site / "public", now=BUILD_TIME)
    assert len(made) == 2  # a new tag's page: the same plan
    assert (site / "public/tags/brand-new/index.html").exists()
    assert "/2024/01/a/" in redirect_page(site, "/tags/clash/")
    assert "/tags/old/" in redirect_page(site, "/topics/old/")
    (site / "content/b.md").write_text(article(title="Story b", tags=["Old", "Clash"]))  # at an alias's address
    with pytest.raises(BuildFailed) as failed:
        build_site(config, site / "public", now=BUILD_TIME)
    assert len(made) == 3
    assert [p.format() for p in failed.value.problems if p.field == "aliases[1]"] == [
        "content/a.md:8: aliases[1]: /tags/clash/ is also brief's own page /tags/clash/ "
        "(expected an old address that no page or file of the site uses)"
    ]
    (site / "content/a.md").write_text(article(title="Story a", aliases=["/old/a/", "/tags/clash/"]))
    (site / "content/b.md").write_text(article(title="Story b"))  # the target's tag gone
    with pytest.raises(BuildFailed) as failed:
        build_site(config, site / "public", now=BUILD_TIME)
    assert len(made) == 4
    assert any("/tags/old/ is no page or file of this build" in p.message for p in failed.value.problems)


@pytest.mark.slow
def test_the_warnings_of_the_plan_after_one_that_added_lines_name_the_lines_as_read(tmp_path, plans_made):
    """A ledger line whose article is gone is a warning on its line. The build after one that
    added lines above it reads them moved down: it keeps the plan with the warning at the line
    it is on now, the line a clean build names (the plan before read the file as it was, and
    warned at the line then); a ledger written by hand, out of order, where another line of
    the same URL comes first once it is sorted, is planned again (the warning names it)."""
    made = plans_made
    files = {f"content/{n}.md": article(title=f"Story {n}", date=f"2024-01-1{n}") for n in "23"}
    site = make_site(tmp_path, files)
    config = load_config(site)

    def warnings() -> list[str]:
        found: list[Problem] = []
        assert build_site(config, site / "public", now=BUILD_TIME, on_warning=found.append).result is not None
        return [w.format() for w in found if w.code == "published-url-gone"]

    def clean() -> list[str]:
        ref = tmp_path / "ref"
        shutil.rmtree(ref, ignore_errors=True)
        shutil.copytree(site, ref, ignore=shutil.ignore_patterns(".brief-cache", "public"))
        found: list[Problem] = []
        build_site(load_config(ref), ref / "public", now=BUILD_TIME, use_cache=False, on_warning=found.append)
        return [w.format() for w in found if w.code == "published-url-gone"]

    warnings()
    (site / "content/3.md").unlink()  # its URL gone: a warning on the ledger's last line
    gone = HEADER.count("\n") + 2
    assert warnings() == clean() and [w.partition(": ")[0] for w in clean()] == [f"{LEDGER_NAME}:{gone}"]
    (site / "content/1.md").write_text(article(title="Story 1", date="2024-01-11"))  # a line added above it
    assert [w.partition(": ")[0] for w in warnings()] == [f"{LEDGER_NAME}:{gone}"]  # (the file as read)
    planned = made.count(site)
    (site / "content/2.md").write_text(article("More text.\n", title="Story 2", date="2024-01-12"))
    assert warnings() == clean() and [w.partition(": ")[0] for w in clean()] == [f"{LEDGER_NAME}:{gone + 1}"]
    assert made.count(site) == planned  # (the plan kept, its warning at the line written)
    (site / "content/2.md").write_text(article("Still more text.\n", title="Story 2", date="2024-01-12"))
    assert warnings() == clean()
    assert made.count(site) == planned

    def both() -> tuple[list[str], list[str]]:
        """The cached build's warnings, and a clean build's of the same inputs (copied first)."""
        ref = tmp_path / "ref"
        shutil.rmtree(ref, ignore_errors=True)
        shutil.copytree(site, ref, ignore=shutil.ignore_patterns(".brief-cache", "public"))
        cached = warnings()
        found: list[Problem] = []
        build_site(load_config(ref), ref / "public", now=BUILD_TIME, use_cache=False, on_warning=found.append)
        return cached, [w.format() for w in found if w.code == "published-url-gone"]

    text = ledger(site)
    line = next(x for x in text.splitlines() if " content/3.md " in x)
    (site / LEDGER_NAME).write_text(text + line.replace(" content/3.md ", " content/0.md ") + "\n", encoding="utf-8")
    cached, fresh = both()  # another file's line of that URL, last: the warning names 3.md's
    assert cached == fresh and "content/3.md" in cached[0] and made.count(site) == planned + 1
    (site / "content/2.md").write_text(article("Text again.\n", title="Story 2", date="2024-01-12"))
    cached, fresh = both()  # written sorted, 0.md's line first now: the warning names it
    assert cached == fresh and "content/0.md" in cached[0] and made.count(site) == planned + 2
    (site / "content/2.md").write_text(article("Yet more text.\n", title="Story 2", date="2024-01-12"))
    cached, fresh = both()
    assert cached == fresh and made.count(site) == planned + 2  # (the ledger as written: the same plan)
    lines = ledger(site).splitlines(keepends=True)
    at = next(i for i, x in enumerate(lines) if " content/0.md " in x)
    lines.insert(HEADER.count("\n"), lines.pop(at))  # by hand: the gone URL's line first, out of order
    (site / LEDGER_NAME).write_text("".join(lines), encoding="utf-8")
    cached, fresh = both()  # planned again, warned at the line read, written back in order
    assert (
        cached == fresh
        and made.count(site) == planned + 3
        and f"{LEDGER_NAME}:{HEADER.count(chr(10)) + 1}:" in cached[0]
    )
    (site / "content/2.md").write_text(article("Text once more.\n", title="Story 2", date="2024-01-12"))
    cached, fresh = both()  # the plan kept, its warning at the line the file has it on now
    assert cached == fresh and made.count(site) == planned + 3


@pytest.mark.slow
def test_a_kept_plan_writes_the_ledger_only_when_the_file_lacks_it(tmp_path, monkeypatch):
    """A kept plan's ledger is not written out again while the file holds it (the usual edit);
    the file gone, or not what the plan wrote, it is written as a clean build writes it."""
    from brief.output import redirects

    formatted: list[int] = []
    format_ledger = redirects.format_ledger

    def formatting(entries):
        formatted.append(1)
        return format_ledger(entries)

    monkeypatch.setattr(redirects, "format_ledger", formatting)
    site = make_site(tmp_path, {f"content/{n}.md": article(title=f"Story {n}") for n in "abc"})
    config = load_config(site)

    def edit_and_build(n: int) -> None:
        (site / "content/a.md").write_text(article(f"Paragraph {n}.\n", title="Story a"))
        assert build_site(config, site / "public", now=BUILD_TIME).result is not None

    build_site(config, site / "public", now=BUILD_TIME)
    whole = ledger(site)
    (site / LEDGER_NAME).unlink()
    edit_and_build(0)  # the plan is kept (it was made without a ledger too), its ledger written
    assert ledger(site) == whole and len(formatted) == 2
    edit_and_build(1)  # the ledger the first build wrote is read: planned again, written out
    assert len(formatted) == 3
    edit_and_build(2)
    edit_and_build(3)
    assert len(formatted) == 3 and ledger(site) == whole  # kept: the file holds it
    (site / LEDGER_NAME).unlink()
    edit_and_build(4)
    assert ledger(site) == whole
    (site / LEDGER_NAME).write_text(whole.replace("/2024/01/b/", "/2024/01/x/"), encoding="utf-8")
    edit_and_build(5)
    edit_and_build(6)
    assert ledger(site).count("\n") == whole.count("\n") + 1 and "/2024/01/b/ content/b.md" in ledger(site)
    edit_and_build(7)
    assert ledger(site).count("\n") == whole.count("\n") + 1


def test_a_plan_made_again_is_saved_as_made_not_as_it_was_read(tmp_path):
    """The cache saves a kept plan as the bytes it was read from, and a plan made again anew:
    the next build that keeps it has its redirects (each build_site loads and saves the cache)."""
    site = make_site(tmp_path, {"content/a.md": article(), "content/b.md": article(title="B")})
    config = load_config(site)
    build_site(config, site / "public", now=BUILD_TIME)
    (site / "content/a.md").write_text(article(slug="a-new"))
    build_site(config, site / "public", now=BUILD_TIME)  # (read back as saved: a plan made again)
    for text in ("Another text.\n", "A third text.\n"):  # (the first reads the ledger the last wrote)
        (site / "content/b.md").write_text(article(text, title="B"))
        assert build_site(config, site / "public", now=BUILD_TIME).result is not None
        assert "/2024/01/a-new/" in redirect_page(site, "/2024/01/a/")


def test_a_kept_plan_leaves_its_ledger_unread_while_the_file_holds_it(tmp_path):
    """The cache keeps a plan's ledger apart: a build that keeps the plan and need not write
    the ledger never reads it back (10,000 lines: 25 ms of every edit's build)."""
    site = make_site(tmp_path, {f"content/{n}.md": article(title=f"Story {n}") for n in "abc"})
    config = load_config(site)
    build_site(config, site / "public", now=BUILD_TIME)
    build_site(config, site / "public", now=BUILD_TIME)  # (reads the ledger the first wrote: planned again)
    whole = ledger(site)
    for n in range(2):
        (site / "content/a.md").write_text(article(f"Paragraph {n}.\n", title="Story a"))
        outcome = build_site(config, site / "public", now=BUILD_TIME)
        assert outcome.result is not None and ledger(site) == whole
    plan = outcome.kept.redirects.plan  # type: ignore[attr-defined]
    assert plan is not None and plan.ledger is None  # (kept, and its ledger not read back)
    assert len(outcome.kept.redirects.ledger_of(plan)) == 3  # type: ignore[attr-defined]


def test_a_plan_made_is_pickled_when_kept_not_when_the_cache_is_saved(tmp_path, monkeypatch):
    """The memo pickles a plan as it keeps it, in the middle of the build: the save (where
    the build's memory peaks) writes those bytes, and they read back as the plan."""
    import pickle
    from dataclasses import replace

    from brief.output import redirects

    packed: list[int] = []
    pack = redirects._packed
    monkeypatch.setattr(redirects, "_packed", lambda plan: packed.append(1) or pack(plan))
    site = make_site(tmp_path, {"content/a.md": article(title="Story a", aliases=["/old/a/"])})
    build_site(load_config(site), site / "public", now=BUILD_TIME)  # (its plan: made, kept and saved)
    assert packed == [1]
    memo = redirects.RedirectMemo()
    plan = redirects.RedirectPlan(ledger=[])
    memo.keep((None, b"key"), b"titles", plan)
    assert packed == [1, 1]
    again = pickle.loads(pickle.dumps(memo))
    assert packed == [1, 1]  # (saved as the bytes made when it was kept)
    assert again.plan == replace(plan, ledger=None) and again.ledger_of(again.plan) == []
