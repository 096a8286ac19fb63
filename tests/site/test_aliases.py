"""``aliases:``: old addresses of an article. Each valid one gets a redirect page, a line in
``_redirects`` and entries in the nginx map; a bad one is an error with its line and what
was expected; one that clashes with another alias or with a page or file of the site is an
error naming both files. (The redirects themselves, served by nginx and checked by the Nu
HTML checker, are in tests/system/test_redirects_nginx.py.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BUILD_TIME
from helpers import article, make_site

from brief.build import BuildOptions, build
from brief.commands.check import check_site
from brief.config import load_config
from brief.content.files import load
from brief.content.schema import validate
from brief.errors import BuildFailed

EXPECTED = "(expected a path of this site, such as /2019/05/old-title/ or /news/old.html)"
CONFIG = 'title = "The Old Gazette"\nbase_url = "https://example.org/briefs/"\nlanguage = "fr"\n'


def built(site: Path, **options) -> Path:
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME, **options))
    return out


def problems_of(site: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(load_config(site), site / "public", BuildOptions(now=BUILD_TIME))
    assert not (site / "public").exists()
    return [p.format() for p in failed.value.problems if p.severity == "error"]


def alias_problems(tmp_path: Path, aliases) -> list[str]:
    site = make_site(tmp_path, {"content/a.md": article(aliases=aliases)})
    found, problems = validate(load(site / "content/a.md", site), load_config(site))
    return [p.format() for p in problems if p.severity == "error"]


def test_each_alias_gets_a_redirect_page_and_host_rules(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/grid.md": article(
                title="Batteries & the <Grid>",
                aliases=["/2019/05/old-title/", "news/old.html", "/old/path", "/caf%C3%A9/x/"],
            ),
            "content/other.md": article(title="Other"),
        },
        CONFIG,
    )
    out = built(site)
    assert (out / "2019/05/old-title/index.html").is_file()
    assert (out / "news/old.html").is_file()
    assert (out / "old/path/index.html").is_file()
    assert (out / "café/x/index.html").is_file()
    page = (out / "news/old.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in page
    assert "<title>Moved: Batteries &amp; the &lt;Grid&gt;</title>" in page
    assert '<meta http-equiv="refresh" content="0; url=/briefs/2024/01/grid/">' in page
    assert '<link rel="canonical" href="https://example.org/briefs/2024/01/grid/">' in page
    assert '<a href="/briefs/2024/01/grid/">Batteries &amp; the &lt;Grid&gt;</a>' in page
    assert '<meta name="robots" content="noindex">' in page
    rules = (out / "_redirects").read_text(encoding="utf-8").splitlines()
    assert [r for r in rules if not r.startswith("#")] == [
        "/briefs/2019/05/old-title/ /briefs/2024/01/grid/ 301",
        "/briefs/caf%C3%A9/x/ /briefs/2024/01/grid/ 301",
        "/briefs/news/old.html /briefs/2024/01/grid/ 301",
        "/briefs/old/path /briefs/2024/01/grid/ 301",
    ]
    nginx = (out / "_nginx-redirects.map").read_text(encoding="utf-8")
    entries = re.findall(r'^    "([^"]*)" "([^"]*)";$', nginx, re.MULTILINE)
    assert sorted(entries) == sorted(
        (old, "/briefs/2024/01/grid/")
        for old in (
            "/briefs/2019/05/old-title",
            "/briefs/2019/05/old-title/",
            "/briefs/café/x",
            "/briefs/café/x/",
            "/briefs/news/old.html",
            "/briefs/old/path",
            "/briefs/old/path/",
        )
    )
    assert "map $uri $brief_redirect {" in nginx


def test_redirect_pages_stay_out_of_sitemaps_feeds_and_search(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(aliases=["/2019/05/old-title/"])}, CONFIG)
    out = built(site)
    for name in ("sitemap.xml", "feed.xml", "feed.json"):
        assert "old-title" not in (out / name).read_text(encoding="utf-8"), name
    indexed = " ".join(p.name for p in (out / "pagefind").rglob("*"))
    assert indexed  # the search index was made, from the article pages alone (brief.output.search)
    assert not list((out / "pagefind").rglob("*old-title*"))


def test_a_site_without_redirects_writes_no_redirect_files(tmp_path):
    out = built(make_site(tmp_path, {"content/a.md": article()}))
    assert not (out / "_redirects").exists()
    assert not (out / "_nginx-redirects.map").exists()


def test_a_draft_keeps_its_aliases_out_of_the_build(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(draft=True, aliases=["/old/"]), "content/b.md": article()})
    assert not (built(site) / "old").exists()
    assert (built(site, drafts=True) / "old/index.html").is_file()


def test_the_sites_own_redirects_file_comes_first(tmp_path):
    site = make_site(
        tmp_path,
        {"content/a.md": article(aliases=["/old/"]), "static/_redirects": "/shop https://shop.example.org/ 302\n"},
    )
    rules = (built(site) / "_redirects").read_text(encoding="utf-8").splitlines()
    assert rules[0] == "/shop https://shop.example.org/ 302"
    assert rules[-1] == "/old/ /2024/01/a/ 301"


def test_aliases_is_a_known_key_and_brief_check_passes(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(aliases=["/old/", "/older.html"])})
    result = check_site(site)
    assert [p.format() for p in result.problems if "missing" not in p.message] == []
    assert not any(p.code == "unknown-key" for p in result.problems)


@pytest.mark.parametrize(
    ("alias", "message"),
    [
        (
            "https://example.org/x/",
            "'https://example.org/x/' is a full URL (expected a path of this site, such as /2019/05/old-title/ or "
            "/news/old.html, without scheme and host: only this site's own paths redirect)",
        ),
        (
            "//example.org/x/",
            "'//example.org/x/' is a full URL (expected a path of this site, such as /2019/05/old-title/ or "
            "/news/old.html, without scheme and host: only this site's own paths redirect)",
        ),
        (
            "/story?id=7",
            "'/story?id=7' has a query string or #fragment (expected a path of this site, such as /2019/05/old-title/ "
            "or /news/old.html: static hosts serve files by path alone)",
        ),
        (
            "/a/../b/",
            "'/a/../b/' has a '.' or '..' folder " + EXPECTED,
        ),
        (
            "/a//b/",
            "'/a//b/' has an empty folder ('//') " + EXPECTED,
        ),
        (
            "/a b/",
            "'/a b/' holds a space or control character (U+0020) " + EXPECTED,
        ),
        (
            "/a%0Ab/",
            "'/a%0Ab/' holds a space or control character (U+000A) " + EXPECTED,
        ),
        (
            "/a%zz/",
            "'/a%zz/' holds a '%' that starts no %XX escape " + EXPECTED,
        ),
        (
            '/a"b/',
            "'/a\"b/' holds '\"', which old addresses cannot hold unencoded " + EXPECTED,
        ),
        (
            "/wiki/Special:Search/",
            "'/wiki/Special:Search/' holds ':', which old addresses cannot hold unencoded " + EXPECTED,
        ),
        (
            "/.git/",
            "'/.git/' has a name starting with '.', which web servers hide " + EXPECTED,
        ),
        (
            "/story.php",
            "'/story.php' does not end in '/', '.html' or '.htm' (expected a folder such as /2019/05/old-title/, a "
            "path without extension, or a page such as /news/old.html: brief writes a redirect page there)",
        ),
        (
            "/css/brief.3f2a1c9e.css",
            "'/css/brief.3f2a1c9e.css' does not end in '/', '.html' or '.htm' (expected a folder such as "
            "/2019/05/old-title/, a path without extension, or a page such as /news/old.html: brief writes a "
            "redirect page there)",
        ),
        (
            "/feed.xml/",
            "'/feed.xml/' is the Atom feed " + EXPECTED,
        ),
        (
            "/sitemap.xml/",
            "'/sitemap.xml/' is the sitemap " + EXPECTED,
        ),
        (
            "/tags/x/feed.xml/",
            "'/tags/x/feed.xml/' has a folder named like a feed " + EXPECTED,
        ),
        (
            "/_redirects",
            "'/_redirects' is brief's redirect rules for Netlify and Cloudflare Pages " + EXPECTED,
        ),
        (
            "/search/",
            "'/search/' is the search page " + EXPECTED,
        ),
        (
            "/pagefind/x/",
            "'/pagefind/x/' is inside the search index " + EXPECTED,
        ),
        (
            "/404.html",
            "'/404.html' is the not-found page " + EXPECTED,
        ),
        ("/", "'/' is the front page (expected the old path of this article)"),
    ],
)
def test_a_bad_alias_is_an_error_with_its_line(tmp_path, alias, message):
    assert alias_problems(tmp_path, ["/fine/", alias]) == [f"content/a.md:6: aliases[1]: {message}"]


def test_aliases_must_be_a_list_of_distinct_strings(tmp_path):
    assert alias_problems(tmp_path, "/old/") == [
        "content/a.md:4: aliases: expected a list of old paths such as [/2019/05/old-title/], got a string ('/old/')"
    ]
    assert alias_problems(tmp_path, ["/old/", "old/", "", {"a": 1}]) == [
        "content/a.md:6: aliases[1]: 'old/' repeats aliases[0] (expected each old path once)",
        "content/a.md:7: aliases[2]: must not be empty (expected a non-empty string)",
        "content/a.md:8: aliases[3]: expected a string, got a mapping",
    ]


def test_an_alias_that_another_alias_takes_names_both_files(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(title="A", aliases=["/x/", "/old/"]),
            "content/b.md": article(title="B", aliases=["/OLD"]),
        },
    )
    assert problems_of(site) == [
        "content/b.md:5: aliases[0]: /OLD is also aliases[1] of content/a.md (line 6) "
        "(expected each old address to lead to one article)"
    ]


@pytest.mark.parametrize(
    ("alias", "owner"),
    [
        ("/2024/01/b/", "the page of content/b.md"),
        ("/2024/01/b/index.html", "the page of content/b.md"),
        ("/sections/politics/", "brief's own page /sections/politics/"),
        ("/tags/energy/", "brief's own page /tags/energy/"),
        ("/authors/ana-ortiz/", "brief's own page /authors/ana-ortiz/"),
        ("/archive/", "brief's own page /archive/"),
        ("/index.html", "brief's own page /"),
        ("/old/page.html", "static/old/page.html"),
        ("/images/logo.svg/", "static/images/logo.svg"),
        ("/2024/01/c/", "the page of content/c.md"),
    ],
)
def test_an_alias_that_a_page_or_file_takes_names_both(tmp_path, alias, owner):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(title="A", aliases=[alias]),
            "content/b.md": article(title="B", section="Politics", tags=["Energy"], authors=["Ana Ortiz"]),
            "content/c.md": article(title="C", draft=True),  # not built, but it will be at its URL
            "static/old/page.html": "<!DOCTYPE html><title>x</title>\n",
            "static/images/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        },
    )
    assert problems_of(site) == [
        f"content/a.md:5: aliases[0]: {alias} is also {owner} (expected an old address that no page or file of the site uses)"
    ]


def test_an_alias_of_a_file_next_to_an_article_names_both(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(title="A", image={"src": "chart.svg", "alt": "A chart"}),
            "content/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
            "content/b.md": article(title="B", aliases=["/2024/01/a/chart.svg/"]),
        },
    )
    assert problems_of(site) == [
        "content/b.md:5: aliases[0]: /2024/01/a/chart.svg/ is also content/chart.svg (a file content/a.md shows) "
        "(expected an old address that no page or file of the site uses)"
    ]


def test_an_alias_of_the_article_itself(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(aliases=["/2024/01/a/"])})
    assert problems_of(site) == [
        "content/a.md:5: aliases[0]: /2024/01/a/ is this article's own URL "
        "(expected an address it was published at before)"
    ]


def test_an_alias_differing_from_its_own_url_only_in_case_goes_to_the_host_rules(tmp_path):
    """An imported archive's /2015/03/Old-Title/ became /2015/03/old-title/: a case-sensitive
    server needs the redirect, but its page would be the article's own on a case-insensitive
    disk, so the redirect lives in _redirects and the nginx map only."""
    site = make_site(tmp_path, {"content/a.md": article(aliases=["/2024/01/A/"])})
    public = built(site)
    assert "/2024/01/A/ /2024/01/a/ 301" in (public / "_redirects").read_text()
    assert "/2024/01/A/" in (public / "_nginx-redirects.map").read_text()
    assert sorted(p.name for p in (public / "2024/01").iterdir()) == ["a"]
    assert "Moved" not in (public / "2024/01/a/index.html").read_text()


def test_an_old_address_with_a_space_written_as_percent_20_is_kept(tmp_path):
    """Hand-made Jekyll pages had addresses such as /tags/day in the life/: written %20, they redirect."""
    site = make_site(tmp_path, {"content/a.md": article(aliases=["/tags/day%20in%20the%20life/"])}, CONFIG)
    out = built(site)
    assert (out / "tags/day in the life/index.html").is_file()
    assert "/briefs/tags/day%20in%20the%20life/ " in (out / "_redirects").read_text()
    assert '"/briefs/tags/day in the life/"' in (out / "_nginx-redirects.map").read_text()
    assert alias_problems(tmp_path / "b", ["/tags/day in the life/"]) == [
        "content/a.md:5: aliases[0]: '/tags/day in the life/' holds a space or control character (U+0020) " + EXPECTED
    ]
