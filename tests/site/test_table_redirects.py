"""``[redirects]`` in brief.toml: old paths of pages that are not articles (a standalone page,
a section, tag or author page, a listing) and where each leads now. Each entry gets a
redirect page, a ``_redirects`` line and nginx map entries, as an alias does; every problem
names brief.toml, the entry's line and its key. (Served by real nginx in
tests/system/test_redirects_nginx.py.)"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from conftest import BUILD_TIME
from helpers import article, make_site, run_build

from brief.build import BuildOptions, build
from brief.commands.check import check_site
from brief.config import load_config
from brief.content.ledger import HEADER, LEDGER_NAME
from brief.errors import BuildFailed

BASE = 'title = "The Gazette"\nbase_url = "https://example.org/briefs/"\n'
FILES = {
    "content/grid.md": article(
        title="Batteries & the <Grid>", section="Energy", tags=["Storage"], authors=["Jane Doe"], takeaways=["One."]
    ),
    "content/pages/about.md": "---\ntitle: About us\n---\nWho we are.\n",
    "static/files/annual report.pdf": "%PDF-1.4\n",
    "static/images/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
}
NO_PAGE = "(expected the path of a page this site builds, such as /sections/energy/)"
TARGET = "(expected the path of a page this site builds, such as /sections/energy/, or an http(s) URL)"


def site_with(tmp_path: Path, table: str, files: dict[str, str] | None = None, base: str = BASE) -> Path:
    return make_site(tmp_path, {**FILES, **(files or {})}, base + "\n[redirects]\n" + table)


def built(site: Path, **options) -> Path:
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME, **options))
    return out


def errors_of(site: Path, **options) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(load_config(site), site / "public", BuildOptions(now=BUILD_TIME, **options))
    assert not (site / "public").exists()
    return [p.format() for p in failed.value.problems if p.severity == "error"]


def rules(out: Path) -> list[str]:
    lines = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("#")]


def nginx(out: Path) -> dict[str, str]:
    text = (out / "_nginx-redirects.map").read_text(encoding="utf-8")
    return dict(re.findall(r'^    "([^"]*)" "([^"]*)";$', text, re.MULTILINE))


TABLE = """\
"/categories/energy/" = "/sections/energy/"
"/about.html" = "/about/"
"/tag/storage/" = "/tags/storage/"
"author/jdoe" = "/authors/jane-doe/"
"/blog/" = "/archive/"
"/home.html" = "/"
"/caf%C3%A9/" = "search"
"/report.html" = "/files/annual%20report.pdf"
"/rss/" = "/feed.xml"
"/2019/story.html" = "/2024/01/grid"
"""


def test_each_entry_gets_a_redirect_page_and_host_rules_under_the_base_path(tmp_path):
    out = built(site_with(tmp_path, TABLE))
    assert rules(out) == [
        "/briefs/2019/story.html /briefs/2024/01/grid/ 301",
        "/briefs/about.html /briefs/about/ 301",
        "/briefs/author/jdoe /briefs/authors/jane-doe/ 301",
        "/briefs/blog/ /briefs/archive/ 301",
        "/briefs/caf%C3%A9/ /briefs/search/ 301",
        "/briefs/categories/energy/ /briefs/sections/energy/ 301",
        "/briefs/home.html /briefs/ 301",
        "/briefs/report.html /briefs/files/annual%20report.pdf 301",
        "/briefs/rss/ /briefs/feed.xml 301",
        "/briefs/tag/storage/ /briefs/tags/storage/ 301",
    ]
    assert (
        (out / "_redirects")
        .read_text(encoding="utf-8")
        .startswith(
            "# Redirects of old addresses, written by brief build (aliases, the URL ledger and [redirects] in brief.toml).\n"
        )
    )
    entries = nginx(out)
    assert entries["/briefs/categories/energy"] == entries["/briefs/categories/energy/"] == "/briefs/sections/energy/"
    assert entries["/briefs/café"] == "/briefs/search/"
    assert entries["/briefs/about.html"] == "/briefs/about/"
    assert "/briefs/about.html/" not in entries
    section = (out / "categories/energy/index.html").read_text(encoding="utf-8")
    assert "<title>Moved</title>" in section
    assert '<meta http-equiv="refresh" content="0; url=/briefs/sections/energy/">' in section
    assert '<link rel="canonical" href="https://example.org/briefs/sections/energy/">' in section
    assert '<meta name="robots" content="noindex">' in section
    assert (
        '<a href="/briefs/sections/energy/">https://example.org/briefs/sections/energy/</a>' in section
    )  # the address, for want of a title
    about = (out / "about.html").read_text(encoding="utf-8")
    assert "<title>Moved: About us</title>" in about
    assert '<a href="/briefs/about/">About us</a>' in about
    story = (out / "2019/story.html").read_text(encoding="utf-8")  # /2024/01/grid led to as /2024/01/grid/
    assert "<title>Moved: Batteries &amp; the &lt;Grid&gt;</title>" in story
    assert '<meta http-equiv="refresh" content="0; url=/briefs/2024/01/grid/">' in story
    assert (out / "author/jdoe/index.html").is_file()
    assert (out / "café/index.html").is_file()
    assert 'url=/briefs/files/annual%20report.pdf"' in (out / "report.html").read_text(encoding="utf-8")


def test_redirect_pages_of_the_table_stay_out_of_sitemaps_feeds_and_search(tmp_path):
    out = built(site_with(tmp_path, TABLE))
    for name in ("sitemap.xml", "feed.xml", "feed.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert "categories" not in text and "about.html" not in text and "/blog/" not in text, name
    assert list((out / "pagefind").rglob("*"))
    assert not list((out / "pagefind").rglob("*categor*"))


def test_an_absolute_url_leads_to_another_site(tmp_path):
    out = built(site_with(tmp_path, '"/shop/" = "https://shop.example.org/café?x=1"\n'))
    assert rules(out) == ["/briefs/shop/ https://shop.example.org/caf%C3%A9?x=1 301"]
    assert nginx(out)["/briefs/shop/"] == "https://shop.example.org/caf%C3%A9?x=1"
    page = (out / "shop/index.html").read_text(encoding="utf-8")
    assert "<title>Moved</title>" in page
    assert '<meta http-equiv="refresh" content="0; url=https://shop.example.org/caf%C3%A9?x=1">' in page
    assert '<link rel="canonical" href="https://shop.example.org/caf%C3%A9?x=1">' in page
    assert '<a href="https://shop.example.org/caf%C3%A9?x=1">https://shop.example.org/caf%C3%A9?x=1</a>' in page


def test_a_case_only_difference_gets_the_host_rules_alone(tmp_path):
    out = built(site_with(tmp_path, '"/Sections/Energy/" = "/sections/energy/"\n'))
    assert rules(out) == ["/briefs/Sections/Energy/ /briefs/sections/energy/ 301"]
    assert nginx(out)["/briefs/Sections/Energy/"] == "/briefs/sections/energy/"
    assert sorted(p.name for p in out.iterdir() if p.name.lower() == "sections") == ["sections"]
    assert "Moved" not in (out / "sections/energy/index.html").read_text(encoding="utf-8")


def test_an_articles_redirects_are_unchanged_beside_the_table(tmp_path):
    site = site_with(tmp_path, '"/blog/" = "/archive/"\n', {"content/b.md": article(title="B", aliases=["/old/"])})
    out = built(site)
    page = (out / "old/index.html").read_text(encoding="utf-8")
    assert "<title>Moved: B</title>" in page and '<a href="/briefs/2024/01/b/">B</a>' in page
    assert rules(out) == ["/briefs/blog/ /briefs/archive/ 301", "/briefs/old/ /briefs/2024/01/b/ 301"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            '"/categories/energy/" = "/category/energy/"\n',
            f"/category/energy/ is no page or file of this build {NO_PAGE}; did you mean /sections/energy/?",
        ),
        (
            '"/tag/storage/rss/" = "/tag/storage/feed.xml"\n',
            f"/tag/storage/feed.xml is no page or file of this build {NO_PAGE}; did you mean /tags/storage/feed.xml?",
        ),
        ('"/x/" = "/nowhere-at-all/"\n', f"/nowhere-at-all/ is no page or file of this build {NO_PAGE}"),
        (
            '"/x/" = "/Sections/Energy/"\n',
            f"/Sections/Energy/ is no page or file of this build {NO_PAGE}; did you mean /sections/energy/?",
        ),
        ('"/x/" = "/x/"\n', "/x/ leads to itself (expected the path of the page that replaces it)"),
        ('"/about/" = "/about/"\n', "/about/ leads to itself (expected the path of the page that replaces it)"),
        (
            '"/about/" = "/sections/energy/"\n',
            "/about/ is also the page of content/pages/about.md (expected an old path that no page or file of the site uses)",
        ),
        (
            '"/tags/storage/" = "/sections/energy/"\n',
            "/tags/storage/ is also brief's own page /tags/storage/ (expected an old path that no page or file of the site uses)",
        ),
        (
            '"/images/logo.svg/" = "/about/"\n',
            "/images/logo.svg/ is also static/images/logo.svg (expected an old path that no page or file of the site uses)",
        ),
        (
            '"/old-grid/" = "/sections/energy/"\n',
            "/old-grid/ is also aliases[0] of content/b.md (line 5) (expected each old path to lead to one place)",
        ),
        (
            '"/x/" = "/old-grid/"\n',
            "/old-grid/ is itself redirected to /2024/01/b/ by aliases[0] of content/b.md (line 5) "
            "(expected the page it leads to now, /2024/01/b/: redirects do not chain)",
        ),
        (
            '"/x/" = "/blog"\n"/blog/" = "/archive/"\n',
            '/blog is itself redirected to /archive/ by redirects."/blog/" of brief.toml (line 6) '
            "(expected the page it leads to now, /archive/: redirects do not chain)",
        ),
    ],
)
def test_a_bad_entry_is_an_error_on_its_line_naming_its_key(tmp_path, table, message):
    site = site_with(tmp_path, table, {"content/b.md": article(title="B", aliases=["/old-grid/"])})
    key = table.split('"')[1]
    assert errors_of(site) == [f'brief.toml:5: redirects."{key}": {message}']
    assert [p.format() for p in check_site(site).errors] == [f'brief.toml:5: redirects."{key}": {message}']


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '"https://old.example/x/" = "/about/"',
            "'https://old.example/x/' is a full URL (expected a path of this site, such as /2019/05/old-title/ or "
            "/news/old.html, without scheme and host: only this site's own paths redirect)",
        ),
        (
            '"/story.php" = "/about/"',
            "'/story.php' does not end in '/', '.html' or '.htm' (expected a folder such as /2019/05/old-title/, a path "
            "without extension, or a page such as /news/old.html: brief writes a redirect page there)",
        ),
        (
            '"/a b/" = "/about/"',
            "'/a b/' holds a space or control character (U+0020) (expected a path of this site, such as /2019/05/old-title/ or /news/old.html)",
        ),
        (
            '"/a%zz/" = "/about/"',
            "'/a%zz/' holds a '%' that starts no %XX escape (expected a path of this site, such as /2019/05/old-title/ or /news/old.html)",
        ),
        (
            '"/search/" = "/about/"',
            "'/search/' is the search page (expected a path of this site, such as /2019/05/old-title/ or /news/old.html)",
        ),
        (
            '"/" = "/about/"',
            "'/' is the front page, which is always the site's own (expected an old path such as /blog/)",
        ),
        ('"/x/" = 3', "expected a site path such as /sections/energy/ or an absolute http(s) URL, got an integer (3)"),
        ('"/x/" = ""', "expected a site path such as /sections/energy/ or an absolute http(s) URL, got a string ('')"),
        (
            '"/x/" = "javascript:alert(1)"',
            "'javascript:alert(1)' is neither a site path nor an absolute http(s) URL with a host " + TARGET,
        ),
        (
            '"/x/" = "/a/../b/"',
            "'/a/../b/' has a '.' or '..' folder " + TARGET,
        ),
        (
            '"/x/" = "/about/?x=1"',
            "'/about/?x=1' has a query string or #fragment " + TARGET,
        ),
        (
            '"/x/" = "/files/annual report.pdf"',
            "'/files/annual report.pdf' holds a space (expected a site path with %20 for a space in a file's name)",
        ),
    ],
)
def test_a_bad_key_or_value_is_a_configuration_error(tmp_path, line, message):
    site = site_with(tmp_path, f'"/fine/" = "/about/"\n{line}\n')
    key = line.split('"')[1]
    with pytest.raises(BuildFailed) as failed:
        load_config(site)
    assert [p.format() for p in failed.value.problems] == [f'brief.toml:6: redirects."{key}": {message}']


def test_the_table_must_be_a_table_of_distinct_old_paths(tmp_path):
    site = make_site(tmp_path, FILES, BASE + 'redirects = "/old/"\n')
    with pytest.raises(BuildFailed) as failed:
        load_config(site)
    assert [p.format() for p in failed.value.problems] == [
        "brief.toml:3: redirects: expected a table [redirects] of old paths and where they lead, such as "
        '"/categories/energy/" = "/sections/energy/", got a string (\'/old/\')'
    ]
    site = site_with(tmp_path / "two", '"/old/" = "/about/"\n"old" = "/about/"\n"/OLD/index.html" = "/about/"\n')
    with pytest.raises(BuildFailed) as failed:
        load_config(site)
    assert [p.format() for p in failed.value.problems] == [
        'brief.toml:6: redirects."old": \'old\' is the same old path as redirects."/old/" on line 5 (expected each old path once)',
        'brief.toml:7: redirects."/OLD/index.html": \'/OLD/index.html\' is the same old path as redirects."/old/" on line 5 '
        "(expected each old path once)",
    ]


def test_a_target_left_out_of_the_build_is_a_warning_until_it_is_built(tmp_path):
    site = site_with(
        tmp_path, '"/old/" = "/2024/01/draft/"\n', {"content/draft.md": article(title="Draft", draft=True)}
    )
    warnings: list = []
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME), on_warning=warnings.append)
    assert [w.format() for w in warnings if w.code == "redirect-target-not-built"] == [
        'brief.toml:5: warning: redirects."/old/": /2024/01/draft/ is the page of content/draft.md, which is not in '
        "this build (a draft, scheduled or expired), so /old/ does not redirect yet [redirect-target-not-built]"
    ]
    assert not (out / "old").exists()
    assert 'url=/briefs/2024/01/draft/"' in (built(site, drafts=True) / "old/index.html").read_text(encoding="utf-8")


def test_an_old_path_the_ledger_redirects_names_both(tmp_path):
    ledger = HEADER + "/2023/05/grid/ content/grid.md 2024-01-02T00:00:00Z Batteries & the <Grid>\n"
    site = site_with(tmp_path, '"/2023/05/grid/" = "/sections/energy/"\n', {LEDGER_NAME: ledger})
    line = HEADER.count("\n") + 1
    assert errors_of(site, ledger=True) == [
        f'brief.toml:5: redirects."/2023/05/grid/": /2023/05/grid/ is also a URL of the ledger (published-urls.txt:{line}), '
        "which leads it to /2024/01/grid/, where content/grid.md is now (expected each old path to lead to one place: "
        "the ledger already redirects this one)"
    ]


def test_the_table_takes_over_a_ledger_url_whose_article_is_gone(tmp_path):
    ledger = HEADER + "/2023/05/gone/ content/gone.md 2023-05-02T00:00:00Z Gone\n"
    site = site_with(tmp_path, '"/2023/05/gone/" = "/sections/energy/"\n', {LEDGER_NAME: ledger})
    warnings: list = []
    build(load_config(site), site / "public", BuildOptions(now=BUILD_TIME, ledger=True), on_warning=warnings.append)
    assert [w.code for w in warnings if w.code == "published-url-gone"] == []
    assert rules(site / "public") == ["/briefs/2023/05/gone/ /briefs/sections/energy/ 301"]
    site.joinpath("brief.toml").write_text(BASE, encoding="utf-8")  # without the entry: the warning is back
    build(load_config(site), site / "public", BuildOptions(now=BUILD_TIME, ledger=True), on_warning=warnings.append)
    assert [w.code for w in warnings if w.code == "published-url-gone"] == ["published-url-gone"]


@pytest.mark.slow
def test_editing_the_table_between_cached_builds_changes_the_redirects(tmp_path):
    site = site_with(tmp_path, '"/blog/" = "/archive/"\n')
    old = time.time() - 60  # older than the build: its stamps can be trusted ("Up to date")
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    out = site / "public"
    code, said, _ = run_build(site, "--output", str(out))
    assert code == 0 and said.startswith("Built"), said
    assert (site / ".brief-cache").is_dir()
    assert rules(out) == ["/briefs/blog/ /briefs/archive/ 301"]
    code, said, _ = run_build(site, "--output", str(out))
    assert said.startswith("Up to date"), said
    (site / "brief.toml").write_text(BASE + '\n[redirects]\n"/news/" = "/sections/energy/"\n', encoding="utf-8")
    code, said, _ = run_build(site, "--output", str(out))
    assert code == 0 and said.startswith("Built"), said
    assert rules(out) == ["/briefs/news/ /briefs/sections/energy/ 301"]
    assert (out / "news/index.html").is_file()
    assert not (out / "blog").exists()
    (site / "brief.toml").write_text(BASE, encoding="utf-8")
    code, said, _ = run_build(site, "--output", str(out))
    assert code == 0 and said.startswith("Built"), said
    assert not (out / "news").exists()
    assert not (out / "_redirects").exists() and not (out / "_nginx-redirects.map").exists()


def test_brief_check_passes_a_good_table(tmp_path):
    result = check_site(site_with(tmp_path, TABLE))
    assert result.errors == []
    assert not any(p.code == "unknown-key" for p in result.problems)


def test_a_headline_edit_retitles_the_redirects_to_its_article_as_a_clean_build_does(tmp_path):
    """A kept redirect plan whose articles changed only in their headlines gives each
    redirect to them (an alias's, a [redirects] entry's) the new headline: the cached build
    writes what a clean one does, the second edit too (the ledger then as the first left it)."""
    import shutil

    from helpers import tree

    from brief.commands.build import build_site

    text = {"title": "Batteries", "section": "Energy", "aliases": ["/old/grid/"], "takeaways": ["One."]}
    site = site_with(tmp_path, '"/power/" = "/2024/01/grid/"\n', {"content/grid.md": article(**text)})
    build_site(load_config(site), site / "public", now=BUILD_TIME)
    for title in ("Batteries, again", "Batteries & storage"):
        (site / "content/grid.md").write_text(article(**{**text, "title": title}), encoding="utf-8")
        build_site(load_config(site), site / "public", now=BUILD_TIME)
        clean = tmp_path / "clean"
        shutil.rmtree(clean, ignore_errors=True)
        shutil.copytree(site, clean, ignore=shutil.ignore_patterns(".brief-cache", "public"))
        build_site(load_config(clean), clean / "public", now=BUILD_TIME, use_cache=False)
        assert tree(site / "public") == tree(clean / "public")
        escaped = title.replace("&", "&amp;")
        for old in ("power", "old/grid"):
            assert f"<title>Moved: {escaped}</title>" in (site / "public" / old / "index.html").read_text()
