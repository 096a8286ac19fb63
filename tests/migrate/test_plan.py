"""brief import's shared parts, apart from any reader: dates, front matter, the --map file,
slugs and permalinks, redirects, link rewriting and safe writing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from brief.errors import BriefError
from brief.migrate import jekyll
from brief.migrate.constructs import Replacements, parse_params
from brief.migrate.dates import normalise
from brief.migrate.fields import Context, map_front
from brief.migrate.links import Linker
from brief.migrate.model import Archive, Asset, Item, Listing, Profile, SiteInfo
from brief.migrate.plan import plan
from brief.migrate.report import Report
from brief.migrate.sourcefiles import read_source
from brief.migrate.write import Writer, merged_toml, site_toml

NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2016-07-19 10:00:00 -0400", "2016-07-19T10:00:00-04:00"),
        ("2016-7-9", "2016-07-09"),
        ("Mon, 02 Jan 2006 15:04:05 +0000", "2006-01-02T15:04:05+00:00"),
        ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00+00:00"),
        ("January 2, 2006", "2006-01-02"),
        ("2 Jan 2006", "2006-01-02"),
        ("2006/01/02", "2006-01-02"),
        ("March 3rd, 2021 at 5:30 pm EST", "2021-03-03T17:30:00-05:00"),
        ("2014-02-10 20:00:00.000000000 Z", "2014-02-10T20:00:00+00:00"),
        ("2019-05-01 13:00", "2019-05-01T13:00:00"),
        ("2016-07-19 (optional)", "2016-07-19"),
    ],
)
def test_dates_archives_hold_become_iso_keeping_the_offset(written, expected):
    assert normalise(written) == (expected, True)


@pytest.mark.parametrize("written", ["2020-01-02", "2020-01-02T10:00:00+02:00", "2016-07-19T10:00:00.000Z"])
def test_iso_dates_stay_as_written(written):
    assert normalise(written) == (written, False)


@pytest.mark.parametrize("written", ["garbage", "2020-02-30", "2020-13-01 10:00", "31 Foo 2020", "2020-01-01 25:00"])
def test_unreadable_dates_are_none(written):
    assert normalise(written)[0] is None


def _context(text: str, report: Report | None = None, **kw) -> Context:
    return Context("posts/a.md", read_source(text), report or Report(), **kw)


def test_common_front_matter_is_mapped_and_every_other_key_counted():
    report = Report()
    text = (
        "---\ntitle: A  title\ndescription: The dek.\nsummary: Another\ndate: 2016-07-19 10:00:00 -0400\n"
        "lastmod: 2016-07-20\nauthor: jdoe\ncategories: [Energy, Grid]\ntags: [grid, Storage]\n"
        "featured_image: /img/a.jpg\ndraft: true\nslug: My_Post\naliases: [/old/]\nexpirydate: 2030-01-01\n"
        "canonical_url: https://elsewhere.example/a\nweight: 3\nmath: true\n---\nBody\n"
    )
    front, aliases = map_front(_context(text, report, author_name={"jdoe": "Jane Doe"}.get))
    assert front == {
        "title": "A title",
        "dek": "The dek.",
        "date": "2016-07-19T10:00:00-04:00",
        "updated": "2016-07-20",
        "authors": ["Jane Doe"],
        "section": "Energy",
        "tags": ["Grid", "Storage"],
        "image": {"src": "/img/a.jpg", "alt": "", "decorative": True},
        "draft": True,
        "slug": "My_Post",
        "canonical": "https://elsewhere.example/a",
        "expires": "2030-01-01",
    }
    assert aliases == ["/old/"]
    assert report.fields[("weight", "not imported")] == 1
    assert report.fields[("math", "not imported")] == 1
    assert report.fields[("summary", "not imported (dek taken from description)")] == 1
    assert report.examples["weight"] == "3"
    assert [(str(p), f, w) for p, f, w, _ in report.dates] == [("posts/a.md:5", "date", "2016-07-19 10:00:00 -0400")]
    warning = report.warnings[0]
    assert str(warning[0]) == "posts/a.md:10" and "no alt text" in warning[1] and "/img/a.jpg" in warning[1]


def test_an_unreadable_date_is_kept_as_written_and_reported():
    report = Report()
    front, _ = map_front(_context("---\ntitle: A\ndate: the day after\n---\n", report))
    assert front["date"] == "the day after"
    assert "not a date brief can read" in report.warnings[0][1]


def test_params_positional_named_and_quoted():
    params = parse_params('abc "two words" key=v k2=\'x y\' k3="a \\"q\\"" `raw`')
    assert params.positional == ["abc", "two words", "raw"]
    assert params.named == {"key": "v", "k2": "x y", "k3": 'a "q"'}


def test_replacements_fill_named_positional_inner_and_defaults(tmp_path):
    path = tmp_path / "map.toml"
    path.write_text(
        "[replace]\nnote = '''\n::: callout {type|note} {0}\n{inner}\n:::\n'''\n"
        '"include promo.html" = "[Subscribe to {list}](/newsletter/) {{literal}}"\n',
        encoding="utf-8",
    )
    reps = Replacements.load(path)
    assert reps.wants_inner("note") and not reps.wants_inner("include promo.html")
    assert reps.apply("note", parse_params("Heads-up"), "Body") == ("::: callout note Heads-up\nBody\n:::\n", "")
    assert reps.apply("include promo.html", parse_params("list=daily"), None)[0] == (
        "[Subscribe to daily](/newsletter/) {literal}"
    )
    text, why = reps.apply("include promo.html", parse_params(""), None)
    assert text is None and "{list}" in why
    assert reps.apply("other", parse_params(""), None) == (None, "no entry in the map")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[replace\n", "expected TOML"),
        ("[replace]\nnote = 3\n", "replace.note: expected the Markdown"),
        ("[other]\n", "unknown table or key 'other'"),
        ("replace = 1\n", "replace must be a table"),
    ],
)
def test_a_bad_map_file_names_itself_and_what_was_expected(tmp_path, content, expected):
    path = tmp_path / "map.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BriefError, match=expected) as info:
        Replacements.load(path)
    assert str(path) in str(info.value)


def _item(source, slug, date, urls, kind="article", **front):
    return Item(source, kind, {"title": slug.title(), "date": date, "slug": slug, **front}, "Body\n", urls=urls)


def test_the_permalink_that_keeps_most_urls_wins_and_the_rest_become_aliases():
    items = [
        _item("a.md", "alpha", "2020-01-02", ["/blog/2020/alpha/"]),
        _item("b.md", "Beta_Post", "2021-03-04", ["/blog/2021/beta_post/", "/old/beta/"]),
        _item("c.md", "gamma", "2021-05-06", ["/blog/2021/gamma/index.html"]),
        _item("d.md", "delta", "2021-05-06", ["/?p=12"]),
    ]
    report = Report()
    result = plan(Archive(items=items), report, permalink_pattern=None, now=NOW)
    assert result.permalink == "/blog/{year}/{slug}/"
    placed = {p.item.source: p for p in result.placed}
    assert placed["b.md"].slug == "beta-post" and placed["b.md"].url == "/blog/2021/beta-post/"
    assert placed["b.md"].item.front["aliases"] == ["/blog/2021/beta_post/", "/old/beta/"]
    assert "aliases" not in placed["a.md"].item.front and "aliases" not in placed["c.md"].item.front
    assert ("b.md", "Beta_Post", "beta-post") in report.slugs
    assert [u for u, _ in report.unreachable] == ["/?p=12"]
    assert ("/blog/2021/gamma/", "/blog/2021/gamma/", "article", "c.md") in result.urls


def test_an_existing_sites_permalink_is_followed():
    items = [_item("a.md", "alpha", "2020-01-02", ["/blog/2020/alpha/"])]
    result = plan(Archive(items=items), Report(), permalink_pattern="/{year}/{month}/{slug}/", now=NOW)
    assert result.placed[0].url == "/2020/01/alpha/"
    assert result.placed[0].item.front["aliases"] == ["/blog/2020/alpha/"]


def test_same_slugs_are_made_unique_oldest_first_and_pages_avoid_brief_folders():
    items = [
        _item("new.md", "same", "2021-01-01", ["/2021/same/"]),
        _item("old.md", "same", "2020-01-01", ["/2020/same/"]),
        _item("tags.md", "tags", "", ["/tags.html"], kind="page"),
    ]
    result = plan(Archive(items=items), Report(), permalink_pattern=None, now=NOW)
    slugs = {p.item.source: p.slug for p in result.placed}
    assert slugs == {"old.md": "same", "new.md": "same-2", "tags.md": "tags-2"}
    assert result.redirects == {"/tags.html": "/tags-2/"}


def test_drafts_and_scheduled_posts_keep_no_urls():
    items = [
        _item("d.md", "d", "2020-01-01", ["/d/"], draft=True),
        _item("f.md", "f", "2027-06-01", ["/f/"]),
    ]
    result = plan(Archive(items=items), Report(), permalink_pattern=None, now=NOW)
    assert result.urls == [] and all("aliases" not in p.item.front for p in result.placed)


def test_listings_and_authors_redirect_to_brief_pages_or_their_index():
    items = [_item("a.md", "a", "2020-01-01", ["/a/"], section="Energy Policy", tags=["Grid"], authors=["Jane Doe"])]
    listings = [
        Listing("/categories/energy-policy/", "section", "Energy Policy"),
        Listing("/tags/grid/", "tag", "Grid"),
        Listing("/categories/unused/", "section", "Unused"),
        Listing("/blog/", "archive"),
        Listing("/tags/", "tags"),
    ]
    profiles = [Profile("Jane Doe", key="jdoe", urls=["/author/jdoe/"])]
    report = Report()
    archive = Archive(items=items, listings=listings, profiles=profiles)
    result = plan(archive, report, permalink_pattern="/{slug}/", now=NOW)
    assert result.redirects == {
        "/author/jdoe/": "/authors/jane-doe/",
        "/categories/energy-policy/": "/sections/energy-policy/",
        "/categories/unused/": "/sections/",
        "/blog/": "/archive/",
    }
    assert any("Unused" in message for _, message in report.warnings)


def test_links_to_imported_posts_become_md_links_and_code_is_left_alone():
    items = [
        _item("a.md", "alpha", "2020-01-02", ["/blog/2020/alpha/"]),
        _item("b.md", "beta", "2020-02-02", ["/blog/2020/beta.html"]),
    ]
    items[0].folder = "blog/2020"
    items[1].assets = [Asset(None, "x.png")]
    result = plan(
        Archive(items=items, site=SiteInfo(base_url="https://old.example.org/")),
        Report(),
        permalink_pattern=None,
        now=NOW,
    )
    linker = Linker(result, "https://old.example.org/", Report())
    body = (
        "See [b](/blog/2020/beta.html#part) and [abs](https://www.old.example.org/blog/2020/beta.html)\n"
        'and <a href="/blog/2020/beta.html">html</a>, `[x](/blog/2020/beta.html)`, [ext](https://else.example/a/).\n\n'
        "```\n[c](/blog/2020/beta.html)\n```\n\n[ref]: /blog/2020/beta.html\n"
    )
    out = linker.rewrite(body, "content/blog/2020/alpha.md")
    assert "[b](../../beta/index.md#part)" in out
    assert "[abs](../../beta/index.md)" in out
    assert '<a href="../../beta/index.md">' in out
    assert "`[x](/blog/2020/beta.html)`" in out and "[c](/blog/2020/beta.html)" in out
    assert "[ref]: ../../beta/index.md" in out and "(https://else.example/a/)" in out


def test_the_writer_keeps_existing_files_and_stays_inside_the_target(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.png").write_bytes(b"png")
    (tmp_path / "secret").write_text("x")
    (src / "link.png").symlink_to(tmp_path / "secret")
    target = tmp_path / "site"
    report = Report()
    writer = Writer(target, report, overwrite=False, dry_run=False, source_root=src)
    assert writer.text("content/a.md", "one") is True
    assert writer.text("content/a.md", "two") is False
    assert (target / "content/a.md").read_text() == "one" and report.kept == ["content/a.md"]
    with pytest.raises(BriefError, match="outside"):
        writer.text("../escape.md", "x")
    writer.copy(Asset(src / "a.png", "a.png"), "content/a.png", "a.md")
    writer.copy(Asset(src / "link.png", "link.png", written="link.png"), "content/link.png", "a.md")
    assert (target / "content/a.png").read_bytes() == b"png" and not (target / "content/link.png").exists()
    assert [w for _, w in report.missing] == ["link.png (not a file inside the source)"]
    dry = Writer(tmp_path / "dry", Report(), overwrite=False, dry_run=True, source_root=src)
    dry.text("content/a.md", "x")
    assert not (tmp_path / "dry").exists()


def test_brief_toml_is_written_new_or_merged():
    text = site_toml(
        SiteInfo(title='The "Old" Blog', base_url="https://x.example"), "/{slug}/", {"/c/a/": "/sections/a/"}
    )
    assert 'title = "The \\"Old\\" Blog"' in text and 'base_url = "https://x.example/"' in text
    assert '[redirects]\n"/c/a/" = "/sections/a/"\n' in text
    merged = merged_toml('title = "T"\n\n[redirects]\n"/x/" = "/y/"\n', {"/x/": "/y/", "/z/": "/w/"}, {"/x/"})
    assert merged == 'title = "T"\n\n[redirects]\n"/z/" = "/w/"\n"/x/" = "/y/"\n'
    assert merged_toml('title = "T"\n', {"/x/": "/y/"}, {"/x/"}) is None
    assert merged_toml('title = "T"', {"/x/": "/y/"}, set()).endswith('[redirects]\n"/x/" = "/y/"\n')


def test_a_path_with_dot_dot_in_an_asset_name_is_refused(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.png").write_bytes(b"png")
    report = Report()
    Writer(tmp_path / "site", report, overwrite=False, dry_run=False, source_root=src).copy(
        Asset(src / "a.png", "../../a.png", written="../../a.png"), "content/../../../a.png", "a.md"
    )
    assert not (tmp_path / "a.png").exists() and report.missing


def test_names_spelled_two_ways_get_the_most_used_spelling():
    items = [
        _item("a.md", "a", "2020-01-01", ["/a/"], section="Energy Storage", tags=["Grid"]),
        _item("b.md", "b", "2020-01-02", ["/b/"], section="Energy storage", tags=["grid", "Solar"]),
        _item("c.md", "c", "2020-01-03", ["/c/"], section="Energy Storage", tags=["GRID"], authors=["jane doe"]),
        _item("d.md", "d", "2020-01-04", ["/d/"], tags=["Energy storage"], authors=["Jane Doe", "Jane doe"]),
    ]
    report = Report()
    plan(Archive(items=items), report, permalink_pattern=None, now=NOW)
    assert [i.front.get("section") for i in items] == ["Energy Storage"] * 3 + [None]
    assert [i.front["tags"] for i in items] == [["Grid"], ["Grid", "Solar"], ["Grid"], ["Energy storage"]]
    assert any("'Energy storage' ×1 written as 'Energy Storage'" in m for _, m in report.warnings)
    assert items[3].front["authors"] == ["Jane Doe"] and items[2].front["authors"] == ["Jane Doe"]


def test_an_article_never_takes_a_pages_or_briefs_own_url():
    items = [
        _item("s.md", "search", "2020-01-01", ["/search/"]),
        _item("t.md", "tags", "2020-01-02", ["/tags/"]),
        _item("a.md", "about", "2020-01-03", ["/about-post/"]),
        _item("p.md", "about", "", ["/about/"], kind="page"),
    ]
    report = Report()
    result = plan(Archive(items=items), report, permalink_pattern="/{slug}/", now=NOW)
    urls = {p.item.source: p.url for p in result.placed}
    assert urls == {"s.md": "/search-2/", "t.md": "/tags-2/", "a.md": "/about-2/", "p.md": "/about/"}
    placed = {p.item.source: p for p in result.placed}
    assert placed["s.md"].path == "content/search-2.md"
    assert placed["a.md"].item.front["aliases"] == ["/about-post/"]
    assert "aliases" not in placed["s.md"].item.front  # /search/ is brief's own page: listed, not taken
    assert [u for u, _ in report.unreachable] == ["/search/"]
    assert any("old URL /tags/ is also a page of the new site" in m for _, m in report.warnings)


def test_links_to_headings_follow_the_ids_brief_gives_them():
    items = [
        _item("a.md", "alpha", "2020-01-02", ["/a/"]),
        _item("b.md", "beta", "2020-02-02", ["/b/"]),
    ]
    items[1].body = "## 8.7 Self-Audits\n\n## Method {#how}\n\n```\n## Not {#code}\n```\n"
    items[0].body = "[x](/b/#87-self-audits) [y](/b/#self-audits) [z](/b/#how) [w](/b/#h-kept) [self](#top)\n"
    result = plan(Archive(items=items), Report(), permalink_pattern=None, now=NOW)
    linker = Linker(result, "", Report())
    assert items[1].body == "## 8.7 Self-Audits\n\n## Method\n\n```\n## Not {#code}\n```\n"
    out = linker.rewrite(items[0].body, "content/alpha.md")
    assert (
        out
        == "[x](beta.md#8-7-self-audits) [y](beta.md#8-7-self-audits) [z](beta.md#method) [w](beta.md#h-kept) [self](#top)\n"
    )


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, n in zip("abcdefgh", "bcdefghi")
)


def test_a_yaml_bomb_in_front_matter_is_refused_not_expanded():
    doc = read_source(f"---\ntitle: Boom\n{BOMB}---\nBody\n")
    assert doc.meta == {} and "alias" in doc.problem


def test_a_yaml_bomb_in_a_sites_configuration_is_refused(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(f"title: Boom\n{BOMB}", encoding="utf-8")
    (site / "_posts/2020-01-01-a.md").write_text("---\ntitle: A\n---\nText\n", encoding="utf-8")
    with pytest.raises(BriefError, match="alias"):
        jekyll.read(site, report=Report(), replacements=Replacements(), progress=lambda *a: None)
