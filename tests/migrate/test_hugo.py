"""brief import hugo: the reader (brief/migrate/hugo.py and its helpers) on fixtures/hugo/site
and on small sites written in tmp_path.

The URL lists below are what Hugo 0.168 published for the same files (built with stub
layouts and `hugo`): the reader must name exactly those.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brief.errors import BriefError
from brief.migrate.constructs import Replacements
from brief.migrate.hugo import read
from brief.migrate.hugoauthors import names_in
from brief.migrate.model import Archive, Item
from brief.migrate.report import Report
from brief.migrate.shortcodes import Context, convert

SITE = Path(__file__).parent / "fixtures" / "hugo" / "site"

# What `hugo` 0.168 wrote for fixtures/hugo/site (pages, aliases, listings), broken.md removed.
HUGO_PUBLISHED = {
    "/",
    "/2020/11/the-old-lighthouse/",
    "/2021/03/spring-tides/",
    "/2021/03/tide-tables-changed-for-the-spring/",
    "/2021/06/water-quality-report/",
    "/2021/07/council_vote_pier/",
    "/about/",
    "/authors/",
    "/authors/ana/",
    "/authors/ben-ewing/",
    "/blog/",
    "/blog/2022/",
    "/blog/2022/night-market/",
    "/categories/",
    "/categories/council/",
    "/categories/harbour/",
    "/categories/weather/",
    "/contact/",
    "/ferry/Winter-Times/",
    "/old/tide-tables.html",
    "/posts/",
    "/series/",
    "/series/spring-works/",
    "/tags/",
    "/tags/ferry/",
    "/tags/harbour/",
    "/tags/history/",
    "/tags/pier/",
    "/tags/public-notices/",
    "/tags/tides/",
    "/tags/water/",
}


def _read(src: Path = SITE, replacements: Replacements | None = None) -> tuple[Archive, Report]:
    report = Report()
    archive = read(src, report=report, replacements=replacements or Replacements(), progress=lambda *a: None)
    return archive, report


def _item(archive: Archive, source: str) -> Item:
    return next(i for i in archive.items if i.source == source)


@pytest.fixture(scope="module")
def site() -> tuple[Archive, Report]:
    return _read()


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_a_folder_without_hugo_config_is_refused(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    with pytest.raises(BriefError) as caught:
        _read(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: not a Hugo site (expected a folder holding hugo.toml")


def test_every_url_hugo_published_and_nothing_else(site: tuple[Archive, Report]) -> None:
    archive, _ = site
    urls = {u for item in archive.items for u in item.urls} | {listing.url for listing in archive.listings}
    urls |= {u for profile in archive.profiles for u in profile.urls}
    assert urls == HUGO_PUBLISHED


def test_front_matter_of_a_post(site: tuple[Archive, Report]) -> None:
    archive, _ = site
    tide = _item(archive, "content/posts/Tide_Tables-Changed.md")
    assert tide.kind == "article"
    assert tide.front == {
        "title": "Tide tables changed for the spring",
        "dek": "The harbour office moved the printed tables to the library.",
        "date": "2021-03-04T10:00:00+01:00",
        "updated": "2021-03-09T12:00:00",
        "authors": ["Ana Ortiz"],
        "section": "Harbour",
        "tags": ["Weather", "tides", "Public Notices", "Spring Works"],
        "image": {"src": "/images/tide-chart.png", "alt": "", "decorative": True},
        "slug": "tide-tables-changed-for-the-spring",
    }
    assert tide.urls == [
        "/2021/03/tide-tables-changed-for-the-spring/",
        "/old/tide-tables.html",
        "/2021/03/spring-tides/",
    ]
    assert tide.folder == "posts"


def test_slug_as_the_source_had_it_and_url_as_hugo_made_it(site: tuple[Archive, Report]) -> None:
    archive, report = site
    vote = _item(archive, "content/posts/Council-Vote.md")
    assert vote.front["slug"] == "Council_Vote_Pier"
    assert vote.urls == ["/2021/07/council_vote_pier/"]
    assert vote.front["date"] == "2021-07-19"
    assert vote.front["authors"] == ["Ben Ewing", "Ana Ortiz"]  # Markdown links in author: → names
    market = _item(archive, "content/blog/2022/Night Market.md")
    assert (market.front["slug"], market.urls, market.folder) == (
        "Night Market",
        ["/blog/2022/night-market/"],
        "blog/2022",
    )
    ferry = _item(archive, "content/posts/ferry-times.md")
    assert ferry.urls == ["/ferry/Winter-Times/"]  # url: as written, case kept
    assert ferry.front["date"] == "2021-10-02T09:00:00+01:00"
    dates = {(str(place), written) for place, _, written, _ in report.dates}
    assert ("content/posts/Council-Vote.md:3", "19 Jul 2021") in dates


def test_pages_drafts_and_skipped_posts(site: tuple[Archive, Report]) -> None:
    archive, report = site
    kinds = {i.source: i.kind for i in archive.items}
    assert kinds["content/about.md"] == "page"
    assert kinds["content/contact/index.md"] == "page"
    draft = _item(archive, "content/posts/draft-budget.md")
    assert draft.front["draft"] is True and draft.urls == []
    skipped = dict(report.skipped)
    assert skipped["content/posts/broken.md"].startswith("front matter could not be read: ")
    assert skipped["content/posts/hidden.md"] == "build: render: never (Hugo does not publish it as a page)"
    assert not any(i.source in skipped for i in archive.items)


def test_hugo_shortcodes_become_brief_markdown(site: tuple[Archive, Report]) -> None:
    archive, report = site
    body = _item(archive, "content/posts/water-report/index.md").body
    assert "```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```" in body
    assert (
        "\n\n[analysis.py by ledgerdesk on GitHub](https://gist.github.com/ledgerdesk/0a1b2c3d4e5f#file-analysis-py)\n\n"
        in body
    )
    assert "\n\nhttps://x.com/harbourledger/status/1453000000000000000\n\n" in body
    assert "\n\nhttps://www.instagram.com/p/CxYz123abc/\n\n" in body
    assert "::: embed https://vimeo.com/55073825\ntitle: The jetty at dawn\n:::" in body
    assert "<details>\n<summary>How we sampled</summary>\n\nBottles were **rinsed** three times.\n\n</details>" in body
    assert "Subscribe to The Tuesday Tide." in body
    assert "\n## Method {#method}\n" in body  # kept for the link pass (brief.migrate.links), which removes it
    assert "`{{< youtube ID >}}`" in body and 'fmt.Println("{{< param x >}}")' in body  # escaped: shown as text
    tide = _item(archive, "content/posts/Tide_Tables-Changed.md").body
    assert "\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n" in tide
    assert (
        '![Chart of high tides in March](/images/tide-chart.png "High tides, March. Heights in metres (Harbour office)")'
        in tide
    )
    about = _item(archive, "content/about.md").body
    assert "Write to desk@ledger.example.org." in about  # {{< param "contact.email" >}} from the site's params
    assert report.converted["{{< highlight >}} → code fence"] == 1
    assert report.converted["{{< youtube >}} → embed"] == 1
    assert report.converted["{{< comment >}} → removed (a comment)"] == 1
    assert "Editors: check" not in _item(archive, "content/posts/Council-Vote.md").body


def test_ref_and_relref_become_source_urls(site: tuple[Archive, Report]) -> None:
    archive, report = site
    tide = _item(archive, "content/posts/Tide_Tables-Changed.md").body
    assert "[the water report](/2021/06/water-quality-report/)" in tide
    assert "[its method](/2021/06/water-quality-report/#method)" in tide
    old = _item(archive, "content/posts/2020/old-lighthouse.md").body
    assert 'See /2021/03/tide-tables-changed-for-the-spring/ and the {{< ref "nowhere.md" >}} page.' in old
    assert [str(p) for p in report.unconverted["ref"]] == ["content/posts/2020/old-lighthouse.md:6"]
    market = _item(archive, "content/blog/2022/Night Market.md").body
    assert "Read /2020/11/the-old-lighthouse/#history." in market


def test_unknown_shortcodes_are_left_and_listed_with_their_lines(site: tuple[Archive, Report]) -> None:
    archive, report = site
    vote = _item(archive, "content/posts/Council-Vote.md").body
    assert "{{< notice info >}}\nThe pier opens in May.\n{{< /notice >}}" in vote
    assert [str(p) for p in report.unconverted["notice"]] == [
        "content/posts/Council-Vote.md:11",
        "content/posts/Council-Vote.md:17",
        "content/posts/Tide_Tables-Changed.md:23",
    ]
    assert report.unconverted_sorted()[0][0] == "notice"
    assert report.unconverted_examples["notice"] == "{{< notice info >}}"


def test_a_map_entry_replaces_a_site_shortcode(tmp_path: Path) -> None:
    map_file = tmp_path / "map.toml"
    map_file.write_text(
        '[replace]\nnotice = """\n::: callout {0}\n{inner}\n:::"""\npullquote = "::: pullquote\\n{inner}\\n:::"\n',
        encoding="utf-8",
    )
    archive, report = _read(replacements=Replacements.load(map_file))
    vote = _item(archive, "content/posts/Council-Vote.md").body
    assert "::: callout info\nThe pier opens in May.\n:::" in vote
    assert "::: pullquote\nWe waited ten years.\n:::" in vote
    assert "{{< notice >}}Second notice without a kind.{{< /notice >}}" in vote  # {0} missing: left
    assert report.converted["notice → map"] == 2
    assert [str(p) for p in report.unconverted["notice"]] == ["content/posts/Council-Vote.md:17"]
    assert any("which this notice does not give" in message for _, message in report.warnings)


def test_assets_beside_the_post_static_ones_and_missing_ones(site: tuple[Archive, Report]) -> None:
    archive, report = site
    water = _item(archive, "content/posts/water-report/index.md")
    assert sorted((a.name, a.static) for a in water.assets) == [("chart.png", False), ("cover.png", False)]
    assert water.body.endswith("![A second\nchart](chart.png)\n")  # link text over two lines, path rewritten
    assert all(a.source is not None and a.source.is_file() for a in water.assets)
    assert water.front["image"] == {
        "src": "cover.png",
        "alt": "Three sample bottles on a jetty",
        "caption": "Samples taken at the east jetty",
    }
    tide = _item(archive, "content/posts/Tide_Tables-Changed.md")
    assert [(a.name, a.static) for a in tide.assets] == [("images/tide-chart.png", True)]
    assert {(str(p), w) for p, w in report.missing} == {
        ("content/posts/ferry-times.md:7", "/images/missing-timetable.png"),
        ("content/posts/ferry-times.md:9", "route-map.png"),
        ("content/posts/ferry-times.md:11", "/files/timetable.pdf"),
    }
    ferry = _item(archive, "content/posts/ferry-times.md").body
    assert "![Map of the route](route-map.png)" in ferry  # a missing file keeps its reference


def test_listings_carry_the_names_articles_now_have(site: tuple[Archive, Report]) -> None:
    archive, _ = site
    listings = {listing.url: (listing.kind, listing.name) for listing in archive.listings}
    assert listings["/"] == ("home", "")
    assert listings["/posts/"] == ("archive", "")
    assert listings["/categories/"] == ("sections", "")
    assert listings["/categories/harbour/"] == ("section", "Harbour")
    assert listings["/categories/weather/"] == ("section", "Weather")
    assert listings["/tags/public-notices/"] == ("tag", "Public Notices")
    assert listings["/series/spring-works/"] == ("tag", "Spring Works")
    assert listings["/authors/"] == ("authors", "")
    assert listings["/authors/ana/"] == ("author", "Ana Ortiz")


def test_author_profiles_from_data_and_term_pages(site: tuple[Archive, Report]) -> None:
    archive, _ = site
    profiles = {p.name: p for p in archive.profiles}
    ana, ben = profiles["Ana Ortiz"], profiles["Ben Ewing"]
    assert (ana.key, ana.role, ana.bio, ana.urls) == (
        "ana",
        "Harbour correspondent",
        "Writes about tides and the council.",
        ["/authors/ana/"],
    )
    assert ana.avatar is not None and (ana.avatar.name, ana.avatar.static) == ("images/ana.png", True)
    assert (ben.role, ben.bio, ben.urls) == (
        "Council reporter",
        "Ben covers the **council** and the pier.",
        ["/authors/ben-ewing/"],
    )


def test_site_settings(site: tuple[Archive, Report]) -> None:
    archive, report = site
    info = archive.site
    assert (info.title, info.description, info.base_url) == (
        "The Harbour Ledger",
        "Local news from the harbour town",
        "https://ledger.example.org/",
    )
    assert (info.language, info.timezone) == ("en-gb", "Europe/London")
    assert info.permalinks[0] == "/{year}/{month}/{slug}/"
    assert report.counts["section list files (_index.md)"] == 4
    fields = {name for name, _ in report.fields}
    assert {"menu", "weight", "type", "url", "resources", "series"} <= fields


def test_progress_is_reported() -> None:
    calls: list[tuple[str, int, int]] = []
    read(SITE, report=Report(), replacements=Replacements(), progress=lambda *a: calls.append(a))
    assert calls[-1] == ("Reading posts", 11, 11)
    assert [c[1] for c in calls] == list(range(1, 12))


def test_urls_with_config_folder_ugly_urls_and_legacy_permalinks(tmp_path: Path) -> None:
    """Checked against Hugo 0.168 on the same files."""
    _write(
        tmp_path,
        {
            "config/_default/hugo.toml": 'baseURL = "https://x.org/sub/"\nuglyURLs = true\n',
            "config/_default/permalinks.toml": (
                'news = "/:sections/:filename"\ndocs = "/Handbook/:section/:slugorfilename/"\ntags = "/topic/:slug/"\n'
            ),
            "config/_default/frontmatter.toml": 'date = [":filename", ":default"]\n',
            "content/news/2019/deep/My_File.md": "---\ntitle: A Deep One\ndate: 2019-02-03\naliases: [Old_Name, /X/Y]\n---\nx\n",
            "content/news/2019/_index.md": "---\ntitle: Sec\n---\n",
            "content/news/2018-05-06-dated-name.md": "---\ntitle: Date In Name\ntags: [Big Thing]\n---\nx\n",
            "content/docs/Doc-A.md": "---\ntitle: Doc Page\nurl: rel/Path\n---\nx\n",
            "content/docs/doc-b.md": "---\ntitle: Doc B\nslug: B Slug\n---\nx\n",
            "content/docs/doc-c.md": "---\ntitle: Doc C\nurl: /abs/c.html\n---\nx\n",
            "content/docs/doc-d.md": "---\ntitle: Doc D\nurl: /abs/d\n---\nx\n",
            "content/news/Café (new) — x.md": "---\ntitle: Café\ndate: 2020-01-01\n---\nx\n",
        },
    )
    archive, _ = _read(tmp_path)
    urls = {i.source.removeprefix("content/"): i.urls for i in archive.items}
    assert urls == {
        "docs/Doc-A.md": ["/rel/Path/"],
        "docs/doc-b.md": ["/handbook/docs/b-slug.html"],
        "docs/doc-c.md": ["/abs/c.html"],
        "docs/doc-d.md": ["/abs/d/"],
        "news/2018-05-06-dated-name.md": ["/news/2018-05-06-dated-name.html"],
        "news/2019/deep/My_File.md": ["/news/2019/my_file.html", "/news/2019/Old_Name.html", "/X/Y.html"],
        "news/Café (new) — x.md": ["/news/café-new-x.html"],
    }
    dated = _item(archive, "content/news/2018-05-06-dated-name.md")
    # the date comes from the file name; :filename keeps the whole name in the URL, and so in the slug
    assert (dated.front["date"], dated.front["slug"]) == ("2018-05-06", "2018-05-06-dated-name")
    listings = {listing.url for listing in archive.listings}
    assert {"/topic/big-thing.html", "/tags/", "/news/", "/news/2019/", "/docs/"} <= listings
    assert archive.site.base_url == "https://x.org/sub/"


def test_default_language_imported_others_skipped(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "hugo.yaml": "baseURL: https://y.org/\ndefaultContentLanguage: en\ndisablePathToLower: true\n"
            "disableKinds: [taxonomy]\nlanguages:\n  en:\n    contentDir: content/en\n    title: Why\n"
            "  fr:\n    contentDir: content/fr\n",
            "content/en/posts/Hello_World.md": "---\ntitle: Hello\ndate: 2020-01-01\ntags: [Big One]\n---\nx\n",
            "content/en/posts/other.fr.md": "---\ntitle: Autre\n---\nx\n",
            "content/fr/posts/Hello_World.md": "---\ntitle: Bonjour\n---\nx\n",
        },
    )
    archive, report = _read(tmp_path)
    assert [(i.source, i.urls) for i in archive.items] == [("content/en/posts/Hello_World.md", ["/posts/Hello_World/"])]
    assert (
        "content/fr/",
        "1 Markdown files in language 'fr': brief imports one language, the default (en)",
    ) in report.skipped
    assert report.counts["other-language files skipped (fr)"] == 2
    listings = {listing.url for listing in archive.listings}
    assert "/tags/Big-One/" in listings and "/tags/" not in listings  # disableKinds: [taxonomy]
    assert archive.site.title == "Why"


def test_language_in_subdir_and_content_en_layout(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://z.org/"\ndefaultContentLanguageInSubdir = true\n[languages.en]\n[languages.de]\n',
            "content/en/posts/hi.md": "---\ntitle: Hi\ndate: 2020-01-01\n---\nx\n",
            "content/de/posts/hi.md": "---\ntitle: Hallo\n---\nx\n",
        },
    )
    archive, report = _read(tmp_path)
    assert [i.urls for i in archive.items] == [["/en/posts/hi/"]]
    assert {"/en/", "/"} <= {listing.url for listing in archive.listings}
    assert report.counts["other-language files skipped (de)"] == 1


def test_html_content_file_becomes_markdown(tmp_path: Path) -> None:
    _write(
        tmp_path,
        {
            "hugo.toml": 'baseURL = "https://h.org/"\n',
            "content/post/a.html": "---\ntitle: A\ndate: 2020-01-01\n---\n<p>Some <strong>bold</strong> words.</p>\n",
            "content/post/raw.html": "<p>No front matter.</p>\n",
            "content/documents/CPS-v2.0.md": "---\ntitle: CPS\n---\nText.\n",
        },
    )
    archive, report = _read(tmp_path)
    assert [i.body.strip() for i in archive.items] == ["Text.", "Some **bold** words."]
    assert archive.items[0].urls == ["/documents/cps-v2.0/"]  # a dot in a name is not a file (Hugo 0.168)
    assert (
        "content/post/raw.html",
        "an HTML file without front matter: Hugo copies it as it is, not a page",
    ) in report.skipped


def _convert(text: str, report: Report | None = None) -> str:
    return convert(text, Context("a.md", report or Report(), Replacements()))


def test_shortcode_forms() -> None:
    assert _convert("Watch {{<youtube abc123 >}} now.") == "Watch\n\nhttps://www.youtube.com/watch?v=abc123\n\nnow."
    assert (
        _convert('{{< youtube id="abc" start="90" >}}')
        == "::: embed https://www.youtube.com/watch?v=abc\nstart: 90\n:::"
    )
    assert _convert("{{< tweet 12345 >}}") == "https://x.com/i/status/12345"
    assert _convert('{{< tweet user="ana" id="9" />}}') == "https://x.com/ana/status/9"
    assert _convert("{{%/* figure src=x */%}}") == "{{% figure src=x %}}"
    report = Report()
    text = "{{< box >}}a {{< box >}}b{{< /box >}} c{{< /box >}}"
    assert _convert(text, report) == text  # nested, paired, unknown: left whole, each listed
    assert len(report.unconverted["box"]) == 2


def test_author_values() -> None:
    assert names_in("[Laurent Quérel](https://x) (F5), [Joshua\n  MacDonald](https://y) (ServiceNow)") == [
        "Laurent Quérel",
        "Joshua MacDonald",
    ]
    assert names_in("Josh Aas, ISRG Executive Director") == ["Josh Aas"]
    assert names_in(["Ana Ortiz", {"name": "Ben Ewing"}]) == ["Ana Ortiz", "Ben Ewing"]
    assert names_in("Ana Ortiz and Ben Ewing") == ["Ana Ortiz", "Ben Ewing"]
