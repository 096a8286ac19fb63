"""`brief import` as a user runs it: refusals, --dry-run, --json, --map, safe re-runs, an existing site."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from brief.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
HUGO = FIXTURES / "hugo/site"
JEKYLL = FIXTURES / "jekyll/site"


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("hugo", JEKYLL), "not a Hugo site"),
        (("jekyll", HUGO / "content"), "not a Jekyll site"),
        (("wordpress", FIXTURES / "feed/rss.xml"), "not a WordPress export"),
        (("feed", FIXTURES / "wordpress/export.xml"), "a WordPress export, not an RSS 2.0 or Atom feed"),
        (("feed", HUGO), "not a file"),
        (("hugo", FIXTURES / "feed/rss.xml"), "not a folder"),
    ],
)
def test_a_source_that_is_not_the_kind_named_is_one_clear_error(tmp_path, args, expected):
    result = run(*args, "--into", tmp_path / "site")
    assert result.exit_code == 1
    assert expected in result.output and str(args[1]) in result.output
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert not (tmp_path / "site").exists()


def test_the_target_may_not_be_inside_the_source(tmp_path):
    source = tmp_path / "jekyll"
    shutil.copytree(JEKYLL, source)
    result = run("jekyll", source, "--into", source / "brief")
    assert result.exit_code == 1 and "inside the source" in result.output
    assert not (source / "brief").exists()


def test_uploads_is_for_wordpress_only(tmp_path):
    result = run("hugo", HUGO, "--into", tmp_path / "site", "--uploads", tmp_path)
    assert result.exit_code == 2 and "--uploads is for a wordpress import only" in result.output


def test_dry_run_writes_nothing_and_prints_the_report(tmp_path):
    result = run("hugo", HUGO, "--into", tmp_path / "site", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "# Import report: hugo" in result.output and "## Unconverted constructs" in result.output
    assert "Would import 7 articles, 2 pages" in result.output
    assert not (tmp_path / "site").exists()


def test_json_prints_the_report_and_writes_it(tmp_path):
    result = run("jekyll", JEKYLL, "--into", tmp_path / "site", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["counts"]["articles"] == 7 and data["source"]["kind"] == "jekyll"
    assert {u["construct"] for u in data["unconverted"]} >= {"include newsletter.html"}
    written = json.loads((tmp_path / "site/import-report.json").read_text(encoding="utf-8"))
    assert written["counts"] == data["counts"]


def test_a_second_run_keeps_every_file_and_a_grown_archive_adds_only_the_new_posts(tmp_path):
    source = tmp_path / "hugo"
    shutil.copytree(HUGO, source)
    site = tmp_path / "site"
    first = run("hugo", source, "--into", site)
    assert first.exit_code == 0, first.output
    edited = site / "content/posts/winter-times.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nAn editor's note.\n", encoding="utf-8")
    files = {p: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()}
    second = run("hugo", source, "--into", site)
    assert "9 posts already imported, left as they were" in second.output
    assert {p: p.read_bytes() for p in (site / "content").rglob("*") if p.is_file()} == files
    (source / "content/posts/late-news.md").write_text(
        "---\ntitle: Late news\ndate: 2021-12-01\n---\nIt came in late.\n", encoding="utf-8"
    )
    third = run("hugo", source, "--into", site)
    assert "8 articles, 2 pages" in third.output and "9 posts already imported" in third.output
    new = set((site / "content").rglob("*.md")) - set(files)
    assert new == {site / "content/posts/late-news.md"}
    assert "An editor's note." in edited.read_text(encoding="utf-8")
    fourth = run("hugo", source, "--into", site, "--overwrite")
    assert fourth.exit_code == 0 and "An editor's note." not in edited.read_text(encoding="utf-8")


def test_a_map_replaces_a_sites_own_shortcode_and_a_bad_map_is_refused(tmp_path):
    before = json.loads(run("hugo", HUGO, "--into", tmp_path / "a", "--json").output)
    assert any(u["construct"] == "notice" for u in before["unconverted"])
    good = tmp_path / "map.toml"
    good.write_text("[replace]\nnotice = '''\n::: callout note\n{inner}\n:::\n'''\n", encoding="utf-8")
    after = json.loads(run("hugo", HUGO, "--into", tmp_path / "b", "--json", "--map", good).output)
    assert not any(u["construct"] == "notice" for u in after["unconverted"])
    assert after["converted"]["notice → map"] == 3
    body = (tmp_path / "b/content/posts/council-vote-pier.md").read_text(encoding="utf-8")
    assert "::: callout note\n" in body and "{{< notice" not in body
    bad = tmp_path / "bad.toml"
    bad.write_text("[replace]\nnotice = 3\n", encoding="utf-8")
    result = run("hugo", HUGO, "--into", tmp_path / "c", "--map", bad)
    assert result.exit_code == 1 and f"{bad}: replace.notice: expected the Markdown" in result.output


def test_an_existing_site_keeps_its_settings_and_gains_only_new_redirects(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "brief.toml").write_text(
        'title = "Our paper"\npermalink = "/news/{year}/{slug}/"\n\n[redirects]\n"/blog/" = "/"\n', encoding="utf-8"
    )
    result = run("hugo", HUGO, "--into", site)
    assert result.exit_code == 0, result.output
    config = tomllib.loads((site / "brief.toml").read_text(encoding="utf-8"))
    assert config["title"] == "Our paper" and config["permalink"] == "/news/{year}/{slug}/"
    assert config["redirects"]["/blog/"] == "/"  # the site's own entry wins
    assert config["redirects"]["/categories/council/"] == "/sections/council/"
    aliases = (site / "content/posts/2020/the-old-lighthouse.md").read_text(encoding="utf-8")
    assert "- /2020/11/the-old-lighthouse/" in aliases  # the site's permalink moved it: the old URL is an alias
