"""Sections, tags, authors, archive and 404: pages, pagination, profiles and name clashes."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from helpers import article, make_site, read_output, run_build

from brief.build import BuildOptions, build
from brief.config import load_config

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def many(n: int, **fields) -> dict[str, str]:
    """n articles a day apart, newest last, with the given fields."""
    return {
        f"content/a{i:02d}.md": article(
            title=f"Story {i:02d}", date=f"2026-{1 + i // 28:02d}-{1 + i % 28:02d}", takeaways=[f"Point {i}"], **fields
        )
        for i in range(n)
    }


def test_listing_pages_paginate_newest_first(tmp_path):
    site = make_site(
        tmp_path, many(7, section="Economy", tags=["Energy Storage"], authors=["Ana Ortiz"]), "per_page = 3\n"
    )
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    for base in ("sections/economy", "tags/energy-storage", "authors/ana-ortiz", ""):
        prefix = f"{base}/" if base else ""
        first = read_output(site, f"{prefix}index.html")
        titles = re.findall(r'class="(?:lead|entry)-title"><a href="[^"]+">([^<]+)</a>', first)
        assert titles == ["Story 06", "Story 05", "Story 04"], base  # the front page's first is its lead
        assert f'href="/{prefix}page/2/" rel="next"' in first
        third = read_output(site, f"{prefix}page/3/index.html")
        assert re.findall(r'class="entry-title"><a href="[^"]+">([^<]+)</a>', third) == ["Story 00"]
        assert f'href="/{prefix}page/2/" rel="prev"' in third
        assert "Page 3 of 3" in third
        assert not (site / "public" / prefix / "page" / "4").exists()
    section = read_output(site, "sections/economy/page/2/index.html")
    assert "<title>Economy — Page 2 of 3 — Brief</title>" in section


def test_overviews_count_articles_and_link_every_term(tmp_path):
    files = many(3, tags=["Energy", "Grid"])
    files["content/b.md"] = article(title="Other", section="Politics", tags=["Grid"], authors="Jürgen Groß")
    site = make_site(tmp_path, files)
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    tags = read_output(site, "tags/index.html")
    assert re.search(r'href="/tags/energy/">Energy</a>\s*<span class="term-count">3 briefs</span>', tags)
    assert re.search(r'href="/tags/grid/">Grid</a>\s*<span class="term-count">4 briefs</span>', tags)
    sections = read_output(site, "sections/index.html")
    assert 'href="/sections/news/">News</a>' in sections and 'href="/sections/politics/">Politics</a>' in sections
    authors = read_output(site, "authors/index.html")
    assert 'href="/authors/jurgen-gross/">Jürgen Groß</a>' in authors
    page = read_output(site, "2024/01/b/index.html")
    assert '<a class="section-label" href="/sections/politics/" data-pagefind-filter="section">Politics</a>' in page
    assert '<a class="author" href="/authors/jurgen-gross/">Jürgen Groß</a>' in page
    assert '<a class="tag-link" href="/tags/grid/" rel="tag" data-pagefind-filter="tag">Grid</a>' in page


def test_names_that_slug_alike_are_an_error(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(tags=["Energy Storage"], section="Économie"),
            "content/b.md": article(title="B", tags=["Grid", "energy storage"], section="Economie"),
        },
    )
    code, _, err = run_build(site)
    assert code == 1
    lines = err.splitlines()
    assert (
        "content/b.md:6: tags[1]: 'energy storage' and 'Energy Storage' (content/a.md) would share the page "
        "/tags/energy-storage/ (expected one spelling of each tag; write 'Energy Storage')"
    ) in lines
    assert (
        "content/b.md:7: section: 'Economie' and 'Économie' (content/a.md) would share the page "
        "/sections/economie/ (expected one spelling of each section; write 'Économie')"
    ) in lines
    assert not (site / "public").exists()


def test_a_name_without_letters_is_an_error(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(tags=["!!!"])})
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "content/a.md:5: tags[0]: '!!!' has no letter or digit to make a URL from "
        "(expected a tag name such as 'Energy Storage')"
    ) in err.splitlines()


def test_author_profiles_from_files_and_config(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(authors=["Ana Ortiz", "Tomás Reyes"]),
            "content/authors/ana-ortiz.md": "---\nrole: Energy Editor\navatar: /images/ana.svg\n---\nAna covers *power markets*.\n",
            "static/images/ana.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>',
        },
        '[authors.tomas-reyes]\nname = "Tomás Reyes Díaz"\nrole = "Reporter"\n',
    )
    code, out, err = run_build(site)
    assert code == 0, err
    ana = read_output(site, "authors/ana-ortiz/index.html")
    assert '<p class="listing-role">Energy Editor</p>' in ana
    assert "<p>Ana covers <em>power markets</em>.</p>" in ana
    assert '<img class="listing-avatar" src="/images/ana.svg"' in ana
    tomas = read_output(site, "authors/tomas-reyes/index.html")
    assert '<h1 class="listing-title">Tomás Reyes Díaz</h1>' in tomas
    assert "Built 1 article," in out  # the profile file is not an article


def test_profile_problems(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(authors="Ana Ortiz"),
            "content/authors/ana-ortiz.md": "---\nrole: Editor\nrol: typo\n---\nBio.\n",
            "content/authors/nobody.md": "---\nrole: Ghost\n---\n",
        },
        '[authors.ana-ortiz]\nrole = "Editor"\n',
    )
    code, _, err = run_build(site)
    assert code == 1
    lines = err.splitlines()
    assert (
        "content/authors/ana-ortiz.md: the profile of 'ana-ortiz' is also given in brief.toml "
        "[authors.ana-ortiz] (expected one place)"
    ) in lines
    assert (
        "content/authors/ana-ortiz.md:3: warning: rol: unknown profile key, ignored; did you mean 'role'? [unknown-key]"
        in lines
    )
    assert (
        "content/authors/nobody.md: warning: profile of 'nobody', but no article names this author [unused-profile]"
        in lines
    )


def test_archive_by_year_and_month(tmp_path):
    files = {
        "content/a.md": article(title="Late 2025", date="2025-12-30T23:30:00+00:00", takeaways=["x"]),
        "content/b.md": article(title="Early 2026", date="2026-01-05", takeaways=["x"]),
        "content/c.md": article(title="Also January", date="2026-01-20", takeaways=["x"]),
        "content/d.md": article(title="March", date="2026-03-01", takeaways=["x"]),
    }
    site = make_site(tmp_path, files, 'timezone = "Asia/Tokyo"\narchive_per_page = 2\n')
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    overview = read_output(site, "archive/index.html")
    # 23:30 UTC on 30 December is 31 December in Tokyo: still 2025
    assert re.search(r'<a href="/archive/2026/">2026</a> <span class="term-count">3 briefs</span>', overview)
    assert 'href="/archive/2026/#m-2026-03">March 2026</a>' in overview
    assert 'href="/archive/2026/#m-2026-01">January 2026</a>' in overview  # first shown on page 1
    assert 'href="/archive/2025/#m-2025-12">December 2025</a>' in overview
    year = read_output(site, "archive/2026/index.html")
    assert '<h2 id="m-2026-03">March 2026</h2>' in year and '<h2 id="m-2026-01">January 2026</h2>' in year
    assert "Early 2026" not in year
    assert "Early 2026" in read_output(site, "archive/2026/page/2/index.html")


def test_404_lists_the_latest_articles(tmp_path):
    site = make_site(tmp_path, many(7))
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    page = read_output(site, "404.html")
    latest = re.findall(r'<li class="archive-item">.*?<a href="[^"]+">([^<]+)</a>', page, re.S)
    assert latest == ["Story 06", "Story 05", "Story 04", "Story 03", "Story 02"]
    assert 'href="/">Go to the front page</a>' in page


def test_editorial_warnings_do_not_fail_the_build(tmp_path):
    wide = '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="450"/>'
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(title="H" * 111, dek="D" * 201, image={"src": "small.svg", "alt": "Small"}),
            "content/small.svg": wide,
        },
    )
    code, _, err = run_build(site)
    assert code == 0, err
    lines = err.splitlines()
    assert (
        "content/a.md:2: warning: title: headline is 111 characters (expected at most 110: search engines cut "
        "longer ones); shorten it [headline-length]" in lines
    )
    assert (
        "content/a.md:4: warning: dek: dek is 201 characters (expected at most 200, as meta descriptions are cut there) [long-dek]"
    ) in lines
    assert (
        "content/a.md:6: warning: image.src: image is 800×450 px; at least 1200 px wide is recommended "
        "for large previews [small-image]"
    ) in lines
    assert (
        "content/a.md:1: warning: takeaways: missing; readers and the front page rely on at least one key takeaway [missing-takeaways]"
    ) in lines


def test_bylines_show_a_profile_s_display_name(tmp_path):
    """An author written as an ID (or any spelling of the name) whose profile sets ``name`` is
    shown by that name in the article's byline, as on the author page, in feeds and JSON-LD."""
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(authors=["tomas-reyes", "Ana Ortiz"]),
            "content/authors/tomas-reyes.md": "---\nname: Tomás Reyes Díaz\nrole: Reporter\n---\nCovers ports.\n",
        },
    )
    code, _, err = run_build(site)
    assert code == 0, err
    page = next((site / "public").rglob("a/index.html")).read_text(encoding="utf-8")
    byline = re.search(r'<span class="byline-authors">(.*?)</span>', page, re.S).group(1)
    assert '<a class="author" href="/authors/tomas-reyes/">Tomás Reyes Díaz</a>' in byline
    assert '<a class="author" href="/authors/ana-ortiz/">Ana Ortiz</a>' in byline
    assert "tomas-reyes<" not in byline
