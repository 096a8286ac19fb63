"""brief import jekyll: the reader on the fixture site (fixtures/jekyll/site, every construct the
issue lists and a few hostile cases) and on small sites made in tmp_path, and Jekyll's rules
(slugs, permalink styles, defaults) against Jekyll's own documented results."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from brief.errors import BriefError
from brief.migrate import jekyll
from brief.migrate.constructs import Replacements
from brief.migrate.jekyllsite import brief_permalinks, load_config, slugify
from brief.migrate.kramdown import clean
from brief.migrate.liquid import Scope, convert
from brief.migrate.liquidexpr import Env
from brief.migrate.model import Archive, Item, Listing
from brief.migrate.plan import plan
from brief.migrate.report import Report

SITE = Path(__file__).parent / "fixtures" / "jekyll" / "site"


def _read(src: Path, replacements: Replacements | None = None) -> tuple[Archive, Report, list[tuple[int, int]]]:
    report = Report(kind="jekyll", source=str(src))
    calls: list[tuple[int, int]] = []

    def progress(label: str, done: int, total: int) -> None:
        assert label == "Reading posts"
        calls.append((done, total))

    archive = jekyll.read(src, report=report, replacements=replacements or Replacements(), progress=progress)
    return archive, report, calls


@pytest.fixture(scope="module")
def site() -> tuple[Archive, Report, list[tuple[int, int]]]:
    return _read(SITE)


def _item(archive: Archive, source: str) -> Item:
    return next(i for i in archive.items if i.source == source)


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


# --- the fixture site ---------------------------------------------------------------------


def test_every_post_page_and_skip_is_accounted_for(site):
    archive, report, calls = site
    articles = sorted(i.source for i in archive.items if i.kind == "article")
    assert articles == [
        "_drafts/coming-soon.md",
        "_posts/2019-3-5-old-news.markdown",
        "_posts/2020-01-02-harbour-reopens.md",
        "_posts/2020-02-10-Night_Ferry.md",
        "_posts/2020-04-01-unpublished.md",
        "_reports/2021-06-30-annual-review.md",
        "harbour/_posts/2020-05-05-pier-fund.html",
    ]
    assert sorted(i.source for i in archive.items if i.kind == "page") == ["about.md", "contact.html", "team/index.md"]
    skipped = dict(report.skipped)
    assert skipped["_posts/2020-03-01-bad-front.md"].startswith("its front matter cannot be read (while parsing")
    assert skipped["_posts/notes-without-date.md"] == "not named YYYY-MM-DD-title.md, so Jekyll never published it"
    assert skipped["_notes/internal.md"] == "in the notes collection, which the site does not publish (output: false)"
    assert skipped["index.html"] == "the home page: brief makes its own listing pages"
    assert skipped["tags.md"] == "the tag index: brief makes its own listing pages"
    assert skipped["feed.xml"].startswith("not an HTML page")
    assert "scratch/draft.md" not in skipped and all(not i.source.startswith("scratch") for i in archive.items)
    assert report.counts["static files (copied when a post refers to one)"] == 8
    assert calls[-1] == (10, 10) and [d for d, _ in calls] == list(range(1, 11))


def test_front_matter_of_a_post(site):
    archive, report, _ = site
    item = _item(archive, "_posts/2020-01-02-harbour-reopens.md")
    assert item.front == {
        "title": "The Harbour Reopens After the Storm",
        "dek": "Cranes are back at work and the first ship is due on Friday.",
        "date": "2020-01-02T09:30:00+01:00",
        "authors": ["Mara Quist"],  # from defaults (author: mara), through _authors/mara.md
        "section": "Port",
        "tags": ["ships", "Weather"],
        "image": {"src": "/assets/img/harbour.png", "alt": "Two cranes over an empty quay at dawn"},
        "slug": "harbour-reopens",
    }
    assert item.urls == ["/port/2020/01/02/harbour-reopens/"]
    assert item.folder == "2020"
    assert report.fields[("comments", "not imported")] == 1
    assert report.fields[("layout", "not imported")] == 5


def test_slug_with_capitals_non_iso_date_aliases_and_string_categories(site):
    archive, report, _ = site
    item = _item(archive, "_posts/2020-02-10-Night_Ferry.md")
    assert item.front["slug"] == "Night_Ferry"  # :title keeps capitals and underscores
    assert item.front["date"] == "2020-02-10"
    assert item.front["authors"] == ["Tomás Reyes"]  # through _data/authors.yml
    assert (item.front["section"], item.front["tags"]) == ("Port", ["Transport", "ferries", "night"])
    assert item.urls == ["/port/transport/2020/02/10/Night_Ferry/", "/ferry.html", "/2020/ferry/"]
    dates = {(str(place), written): now for place, _, written, now in report.dates}
    assert dates[("_posts/2020-02-10-Night_Ferry.md:3", "February 10, 2020")] == "2020-02-10"
    assert dates[("_posts/2019-3-5-old-news.markdown", "2019-3-5")] == "2019-03-05"


def test_liquid_converted_in_a_body(site):
    archive, report, _ = site
    body = _item(archive, "_posts/2020-01-02-harbour-reopens.md").body
    assert body.startswith(
        'The harbour at The Harbour Ledger opened again this morning. This is "The Harbour Reopens After the Storm".\n\n'
        "![The quay](/assets/img/harbour.png)\n\n"
        "https://www.youtube.com/watch?v=aBcDeFgHiJk\n\n"
        '![A yellow crane](/assets/img/crane.png "The new crane")\n\n'
        "Read about [the night ferry](/port/transport/2020/02/10/Night_Ferry/#timetable) and [who we are](/about/).\n"
        "The tide table is [a PDF](/files/tide-table.pdf); the old map ![map](/assets/img/missing-map.png) is gone.\n\n"
        "Welcome to EASTPORT, home of the MV Tern.\n\n"
        "```ruby\ndef arrivals\n  ships.select(&:due?)\nend\n```\n\n"
        "Write `{{ page.title }}` to show a title.\n\n"
        "{% if page.tags %}\n"
    )
    assert "{:" not in body and "TOC" not in body and "comment" not in body and "Remember" not in body
    converted = report.converted
    for kind in (
        "{% post_url %} → link",
        "{% link %} → link",
        "{% highlight %} → code fence",
        "{% raw %} → text",
        "{% comment %} → removed",
        "{% assign %} → value",
        "{% include youtube.html %} → embed",
        "{% include figure.html %} → figure",
        "{% include image.html %} → figure",
        "{% include clip.html %} → embed",
        "{% include_relative %} → its text",
        "{% include signoff.md %} → its text",
        "kramdown {:toc} → removed",
        "kramdown heading {#id} → removed",
        "{% oembed %} → embed",
        "{% gist %} → link",
    ):
        assert converted[kind] == 1, kind
    assert converted["{{ site.baseurl }} → path"] == 4
    assert converted["kramdown {: … } → removed"] == 1


def test_includes_recognised_by_their_file(site):
    archive, _, _ = site
    body = _item(archive, "_posts/2020-02-10-Night_Ferry.md").body
    assert "## Timetable\n\n" in body  # the kramdown {#timetable} gone
    assert '![The night ferry at berth](/assets/img/ferry.svg "The night ferry at berth")' in body
    assert "\n\nhttps://vimeo.com/123456789\n\n" in body  # an <iframe> of player.vimeo.com in _includes/clip.html
    assert body.endswith("\n\n_Reported by the night desk for The Harbour Ledger._\n")  # a Markdown include's text


def test_old_post_without_title_date_or_author_of_its_own(site):
    archive, report, _ = site
    item = _item(archive, "_posts/2019-3-5-old-news.markdown")
    assert item.front["title"] == "Old News"  # as Jekyll titleizes the file name
    assert item.front["date"] == "2019-03-05"
    assert item.urls == ["/2019/03/05/old-news/"]
    assert item.body == (
        "An old story, kept for the record.\n\n"
        "https://twitter.com/harbourledger/status/1234567890\n\n"
        "[Gist octocat/6cad326836d38bd3a7ae](https://gist.github.com/octocat/6cad326836d38bd3a7ae)\n\n"
        '<div class="note">\nA *note* inside HTML.\n</div>\n\n'
        '{% include card.html image="/assets/img/pier.png" text="Visit the pier" %}\n'
    )
    assert report.converted['markdown="1" → removed'] == 1


def test_html_post_in_a_category_folder(site):
    archive, _, _ = site
    item = _item(archive, "harbour/_posts/2020-05-05-pier-fund.html")
    assert item.urls == ["/harbour/2020/05/05/pier-fund/"]
    assert item.front["section"] == "harbour"
    assert item.body == (
        "The **pier fund** has reached its goal.\n\n"
        "![The old pier](/assets/img/pier.png)\n\n"
        '{% include newsletter.html list="daily" %}\n'
    )
    assert [(a.name, a.static) for a in item.assets] == [("assets/img/pier.png", True)]


def test_drafts_unpublished_posts_and_dated_collections(site):
    archive, _, _ = site
    draft = _item(archive, "_drafts/coming-soon.md")
    held = _item(archive, "_posts/2020-04-01-unpublished.md")
    assert draft.front["draft"] is True and draft.urls == []
    assert held.front["draft"] is True and held.urls == [] and held.front["date"] == "2020-04-01"
    report_item = _item(archive, "_reports/2021-06-30-annual-review.md")
    assert report_item.kind == "article"
    assert report_item.urls == ["/reports/2021/annual-review/"]
    assert report_item.folder == "reports/2021"
    assert "authors" not in report_item.front  # the defaults give an author to posts only


def test_assets_copied_and_missing_ones_listed(site):
    archive, report, _ = site
    item = _item(archive, "_posts/2020-01-02-harbour-reopens.md")
    assets = [(a.source.relative_to(SITE).as_posix() if a.source else None, a.name, a.static) for a in item.assets]
    assert assets == [
        ("assets/img/harbour.png", "assets/img/harbour.png", True),
        ("assets/img/crane.png", "assets/img/crane.png", True),
        ("files/tide-table.pdf", "files/tide-table.pdf", True),
    ]
    missing = [(str(place), written) for place, written in report.missing]
    assert ("_posts/2020-01-02-harbour-reopens.md:24", "/assets/img/missing-map.png") in missing
    assert ("_data/authors", "/assets/img/no-such-avatar.png") in missing


def test_pages_redirects_and_include_relative(site):
    archive, _, _ = site
    about = _item(archive, "about.md")
    assert about.urls == ["/about/", "/who-we-were/"]  # old-about.md redirected to it
    assert about.body == (
        "We report on the harbour. The desk is Mara and Tomás.\n\n"  # the file's own last line end, as Jekyll has it
        "Meet [the team](/team/) or read [the first story](/port/2020/01/02/harbour-reopens/).\n"
    )
    team = _item(archive, "team/index.md")
    assert team.urls == ["/team/"]
    assert team.body == "Two reporters and a boat; see [about us](/about/#desk).\n"  # jekyll-relative-links
    contact = _item(archive, "contact.html")
    assert contact.urls == ["/contact/"]
    assert contact.body == "Write to [the desk](mailto:desk@ledger.example.org).\n"
    assert archive.redirects == {"/shipping-forecast/": "https://forecast.example.com/harbour/"}


def test_profiles_from_the_authors_collection_and_data(site):
    archive, _, _ = site
    mara = next(p for p in archive.profiles if p.key == "mara")
    assert (mara.name, mara.role) == ("Mara Quist", "Harbour reporter")
    assert mara.bio == "Mara has written about the harbour since the MV Tern was new."
    assert mara.urls == ["/people/mara/", "/team/mara/"]
    assert mara.avatar is not None and (mara.avatar.name, mara.avatar.static) == ("assets/img/mara.png", True)
    tomas = next(p for p in archive.profiles if p.key == "tomas")
    assert (tomas.name, tomas.role, tomas.avatar) == ("Tomás Reyes", "Night desk", None)


def test_listings_the_site_published(site):
    archive, _, _ = site
    assert archive.listings == [
        Listing("/", "home"),
        Listing("/tags/", "tags"),
        Listing("/tag/archive/", "tag", "archive"),
        Listing("/tag/ships/", "tag", "ships"),
        Listing("/tag/weather/", "tag", "Weather"),
        Listing("/tag/ferries/", "tag", "ferries"),
        Listing("/tag/night/", "tag", "night"),
        Listing("/tag/money/", "tag", "money"),
        Listing("/category/port/", "section", "Port"),
        Listing("/category/transport/", "tag", "Transport"),
        Listing("/category/harbour/", "section", "harbour"),
        Listing("/2019/", "archive"),
        Listing("/2020/", "archive"),
        Listing("/page2/", "archive"),  # jekyll-paginate: 4 published posts, 2 a page
    ]


def test_site_settings(site):
    archive, _, _ = site
    info = archive.site
    assert (info.title, info.base_url, info.language, info.timezone) == (
        "The Harbour Ledger",
        "https://ledger.example.org/news/",
        "en-GB",
        "Europe/London",
    )
    assert info.permalinks == []  # a post in two categories: /:categories/ is no brief {section}


def test_unknown_constructs_left_and_listed_with_their_lines(site):
    archive, report, _ = site
    places = {name: [str(p) for p in found] for name, found in report.unconverted_sorted()}
    assert places == {
        "include newsletter.html": [
            "_drafts/coming-soon.md:5",
            "_posts/2020-01-02-harbour-reopens.md:45",
            "_posts/2020-02-10-Night_Ferry.md:21",
            "harbour/_posts/2020-05-05-pier-fund.html:8",
        ],
        "if": ["_posts/2020-01-02-harbour-reopens.md:41"],
        "include card.html": ["_posts/2019-3-5-old-news.markdown:14"],  # an image and text of its own: no figure
        "{{ | team_link }}": ["_posts/2020-02-10-Night_Ferry.md:19"],
    }
    assert list(places)[0] == "include newsletter.html"  # most frequent first
    body = _item(archive, "_posts/2020-01-02-harbour-reopens.md").body
    assert body.endswith(
        '{% if page.tags %}\nTagged: {{ page.tags | join: ", " }}\n{% endif %}\n\n{% include newsletter.html list="daily" %}\n'
    )


def test_the_map_replaces_what_the_reader_does_not_know():
    replacements = Replacements(
        {
            "include newsletter.html": "[Subscribe to the {list} newsletter](/newsletter/)",
            "{{ | team_link }}": "[{0}](/people/{0}/)",
            "if": "{inner}",
        }
    )
    archive, report, _ = _read(SITE, replacements)
    ferry = _item(archive, "_posts/2020-02-10-Night_Ferry.md").body
    assert "Written by [tomas](/people/tomas/)." in ferry
    assert ferry.endswith(
        "[Subscribe to the weekly newsletter](/newsletter/)\n\n_Reported by the night desk for The Harbour Ledger._\n"
    )
    harbour = _item(archive, "_posts/2020-01-02-harbour-reopens.md").body
    assert "\nTagged: ships, Weather\n" in harbour  # the block's text, its Liquid converted
    assert report.converted["include newsletter.html → map"] == 4
    assert report.converted["if → map"] == 1
    assert list(report.unconverted) == ["include card.html"]  # the map has no entry for it


def test_a_map_entry_that_fails_leaves_the_construct_and_says_why():
    archive, report, _ = _read(SITE, Replacements({"include newsletter.html": "Subscribe: {topic}"}))
    assert len(report.unconverted["include newsletter.html"]) == 4
    messages = [(str(p), m) for p, m in report.warnings]
    assert (
        "_posts/2020-02-10-Night_Ferry.md:21",
        "include newsletter.html: the map's entry uses {topic}, which this include newsletter.html does not give; left as written",
    ) in messages


# --- recognising a site -------------------------------------------------------------------


def test_a_folder_that_is_no_jekyll_site(tmp_path):
    (tmp_path / "config.toml").write_text('title = "x"\n')
    with pytest.raises(BriefError, match=r": not a Jekyll site \(expected _config.yml or a _posts folder in it\)$"):
        _read(tmp_path)


def test_a_config_that_cannot_be_read(tmp_path):
    (tmp_path / "_config.yml").write_text("- just\n- a list\n")
    with pytest.raises(BriefError, match=r"_config.yml: cannot be read as Jekyll's configuration \(expected a mapping"):
        _read(tmp_path)


def test_a_config_that_is_no_yaml(tmp_path):
    (tmp_path / "_config.yml").write_text("title: [unclosed\nurl: x\n")
    with pytest.raises(BriefError, match=r"_config.yml: cannot be read as Jekyll's configuration \(while parsing"):
        _read(tmp_path)


def test_posts_alone_make_a_site_with_jekylls_defaults(tmp_path):
    src = _site(tmp_path, {"_posts/2021-07-04-Hello World.md": "---\ntitle: Hi\n---\nBody.\n"})
    archive, _, _ = _read(src)
    assert archive.items[0].urls == ["/2021/07/04/Hello-World.html"]  # style date; :title slugified, cased
    assert archive.items[0].front["slug"] == "Hello-World"
    assert archive.site.permalinks == ["/{year}/{month}/{day}/{slug}/"]


# --- Jekyll's URL rules -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("style", "url"),
    [
        ("date", "/news/2020/01/02/A_Title.html"),
        ("pretty", "/news/2020/01/02/A_Title/"),
        ("ordinal", "/news/2020/002/A_Title.html"),
        ("weekdate", "/news/2020/W01/Thu/A_Title.html"),
        ("none", "/news/A_Title.html"),
        ("/:year/:i_month/:i_day/:slug", "/2020/1/2/a-title"),
        ("/blog/:short_year/:title/", "/blog/20/A_Title/"),
    ],
)
def test_permalink_styles(tmp_path, style, url):
    src = _site(
        tmp_path,
        {
            "_config.yml": f"permalink: {style}\n",
            "_posts/2020-01-02-A_Title.md": "---\ntitle: A title\ncategories: News\n---\nx\n",
        },
    )
    archive, _, _ = _read(src)
    expected = [url, url + ".html"] if not url.endswith(("/", ".html")) else [url]
    assert archive.items[0].urls == expected


def test_front_matter_wins_date_in_the_sites_time_zone_and_page_urls(tmp_path):
    src = _site(
        tmp_path,
        {
            "_config.yml": "timezone: America/New_York\npermalink: date\n",
            "_posts/2020-01-02-late.md": "---\ndate: 2020-01-02 03:00:00 +0000\n---\nx\n",
            "_posts/2020-01-02-fixed.md": "---\npermalink: /special/place/\nslug: other\n---\nx\n",
            "_posts/2020-01-02-slugged.md": "---\nslug: Given Slug\n---\nx\n",
            "about.md": "---\ntitle: About\n---\nx\n",
            "docs/index.html": "---\ntitle: Docs\n---\n<p>x</p>\n",
        },
    )
    archive, _, _ = _read(src)
    urls = {i.source: i.urls for i in archive.items}
    assert urls["_posts/2020-01-02-late.md"] == ["/2020/01/01/late.html"]  # 03:00 UTC is the 1st in New York
    assert urls["_posts/2020-01-02-fixed.md"] == ["/special/place/"]
    assert urls["_posts/2020-01-02-slugged.md"] == ["/2020/01/02/Given-Slug.html"]  # :title from the slug
    assert urls["about.md"] == ["/about.html"]
    assert urls["docs/index.html"] == ["/docs/"]
    assert _item(archive, "_posts/2020-01-02-fixed.md").front["slug"] == "place"


def test_defaults_apply_by_path_and_type_the_more_specific_winning(tmp_path):
    config = (
        "defaults:\n"
        "  - {scope: {path: ''}, values: {author: everyone, tags: [all]}}\n"
        "  - {scope: {path: '', type: posts}, values: {author: poster}}\n"
        "  - {scope: {path: 'sub'}, values: {author: sub-writer}}\n"
    )
    src = _site(
        tmp_path,
        {
            "_config.yml": config,
            "_posts/2020-01-02-a.md": "---\ntitle: A\n---\nx\n",
            "sub/_posts/2020-01-03-b.md": "---\ntitle: B\n---\nx\n",
            "_posts/2020-01-04-c.md": "---\ntitle: C\nauthor: own\ntags: [own]\n---\nx\n",
        },
    )
    archive, _, _ = _read(src)
    authors = {i.source: (i.front["authors"], i.front.get("tags")) for i in archive.items}
    assert authors == {
        "_posts/2020-01-02-a.md": (["poster"], ["all"]),
        "sub/_posts/2020-01-03-b.md": (["sub-writer"], ["all"]),
        "_posts/2020-01-04-c.md": (["own"], ["own"]),
    }


def test_slugify_as_jekylls_own_tests_expect():
    assert slugify("So what is Jekyll, exactly?") == "so-what-is-jekyll-exactly"
    assert slugify("5時〜6時 三・一四") == "5時-6時-三-一四"
    assert slugify("மல்லிப்பூ வகைகள்") == "மல்லிப்பூ-வகைகள்"  # marks are kept
    assert slugify("The _config.yml file?", "pretty") == "the-_config.yml-file"
    assert slugify("The _config.yml file?", "pretty", cased=True) == "The-_config.yml-file"
    assert slugify("fürtive glance!!!!", "ascii") == "f-rtive-glance"
    assert slugify("Aあわれ鬱господинZ", "latin") == "a-z"
    assert slugify("The _config.yml file?", "raw") == "the-_config.yml-file?"


def test_brief_permalinks_from_jekyll_patterns():
    assert brief_permalinks("/:categories/:year/:month/:day/:title/", [["news"], []]) == [
        "/{section}/{year}/{month}/{day}/{slug}/"
    ]
    assert brief_permalinks("/:categories/:year/:month/:day/:title:output_ext", [[]]) == [
        "/{year}/{month}/{day}/{slug}/"
    ]
    assert brief_permalinks("/blog/:year/:slug/", [["a", "b"]]) == ["/blog/{year}/{slug}/"]
    assert brief_permalinks("/:categories/:title/", [["a", "b"]]) == []
    assert brief_permalinks("/:year/:i_month/:title/", [[]]) == []


def test_collections_and_archives_config(tmp_path):
    config = load_config(None)
    assert config.posts.permalink == "/:categories/:year/:month/:day/:title:output_ext"
    path = tmp_path / "_config.yml"
    path.write_text(
        "permalink: pretty\ncollections: [recipes]\nplugins: [jekyll-archives]\njekyll-archives: {enabled: all}\n"
    )
    config = load_config(path)
    assert config.collections["recipes"].permalink == "/:collection/:path/"
    assert config.collections["recipes"].output is False
    assert config.archives.enabled == {"year", "month", "day", "tags", "categories"}
    assert config.archives.permalinks["tag"] == "/tag/:name/"


# --- kramdown -----------------------------------------------------------------------------


def test_kramdown_syntax_removed_outside_code():
    text = (
        "# Title {#title .big}\n\n"
        "## Version 1 {#v1}\n\n"
        'Para with a [link](https://example.org){:target="_blank"} and `{: .kept}` code.\n'
        "{: .lead}\n\n"
        "A note.\n{: #note .small}\n\n"
        "{::comment}\nhidden\n{:/comment}\n\n"
        "{::nomarkdown}<b>raw</b>{:/nomarkdown}\n\n"
        '{::options parse_block_html="true" /}\n'
        "* one\n^\n* two\n\n"
        "*[HTML]: HyperText Markup Language\n\n"
        "```\n{: .inside-code}\n```\n"
    )
    report = Report()
    assert clean(text, report) == (
        "# Title\n\n"
        '## Version 1 <a id="v1"></a>\n\n'  # an id links may name, unlike the one brief gives anyway
        "Para with a [link](https://example.org) and `{: .kept}` code.\n\n"
        'A note. <a id="note"></a>\n\n'
        "<b>raw</b>\n\n"
        "* one\n* two\n\n"
        "```\n{: .inside-code}\n```\n"
    )
    assert report.converted["kramdown {::comment} → removed"] == 1
    assert report.converted["kramdown {::nomarkdown} → removed"] == 1
    assert report.converted["kramdown *[abbreviation] → removed"] == 1
    assert report.converted["kramdown ^ → removed"] == 1
    assert report.converted["kramdown {: #id } → anchor"] == 1
    assert report.converted["kramdown heading {#id} → anchor"] == 1
    assert report.converted["kramdown heading {#id} → removed"] == 1


# --- Liquid -------------------------------------------------------------------------------


def _liquid(text: str, page: dict | None = None, replacements: Replacements | None = None) -> tuple[str, Report]:
    report = Report()
    env = Env(
        page or {}, {"title": "Ledger", "baseurl": "", "url": "", "data": {"ships": [{"name": "Tern", "port": "East"}]}}
    )
    scope = Scope(
        "post.md", lambda offset: 10 + text.count("\n", 0, offset), env, report, replacements or Replacements()
    )
    scope.base_url = "https://ledger.example.org/news"
    return convert(text, scope), report


def test_site_url_and_baseurl_as_the_text_around_them_needs():
    text = (
        'Home is {{ site.url }}. <a href="{{ site.baseurl }}">Start</a> '
        "[map]({{ site.url }}{{ site.baseurl }}/map/) {{ '/a/' | absolute_url }} {{ 'b/c' | relative_url }}"
    )
    out, report = _liquid(text)
    assert out == 'Home is https://ledger.example.org/news. <a href="/">Start</a> [map](/map/) /a/ /b/c'
    assert report.converted["{{ site.baseurl }} → path"] == 6


def test_highlight_fence_longer_than_the_code_it_holds_and_indented_in_a_list():
    text = "- step\n\n  {% highlight md %}\n  Use ``` to fence.\n  {% endhighlight %}\n"
    out, _ = _liquid(text)
    assert out == "- step\n\n  ````md\n  Use ``` to fence.\n  ````\n"


def test_filters_data_and_unknown_variables():
    page = {"title": "Tide", "date": "2020-01-02T09:30:00+01:00", "tags": ["a", "b"]}
    text = (
        "{{ page.date | date: '%d %B %Y' }} · {{ page.tags | join: ' & ' }} · {{ page.title | slugify }} · "
        "{{ site.data.ships | where: 'port', 'East' | map: 'name' | first }} · {{ page.missing | default: 'none' }} · "
        "{{ post.title }} · {{ site.posts | size }}"
    )
    out, report = _liquid(text, page)
    assert out == "02 January 2020 · a & b · tide · Tern · none · {{ post.title }} · {{ site.posts | size }}"
    assert [(n, [str(p) for p in ps]) for n, ps in report.unconverted_sorted()] == [
        ("{{ post.title }}", ["post.md:10"]),
        ("{{ site.posts }}", ["post.md:10"]),
    ]


def test_blocks_left_whole_and_a_capture_of_what_cannot_be_known_keeps_its_variable_unknown():
    text = "{% capture note %}\nHi {{ x.y }}\n{% endcapture %}\n\n{{ note }}\n\n{% for x in site.posts %}{{ x }}{% endfor %}\n"
    out, report = _liquid(text, {"title": "T"})
    assert out == text
    assert sorted(report.unconverted) == ["capture", "for", "{{ note }}"]
    assert [str(p) for p in report.unconverted["{{ note }}"]] == ["post.md:14"]


def test_a_capture_is_its_text_where_it_is_used_even_inside_raw_html():
    # 18F's service pages: the Markdown is captured, then markdownified inside the layout's <div>
    text = (
        "{% capture body %}\n## Our work\n\nWe help {{ page.title }}.\n{% endcapture %}\n"
        "<div>\n    {{ body | markdownify }}\n</div>\n\n{% capture line %}Hi {{ page.title }}{% endcapture %}{{ line }}!\n"
    )
    out, report = _liquid(text, {"title": "agencies"})
    assert out == "<div>\n\n## Our work\n\nWe help agencies.\n\n</div>\n\nHi agencies!\n"
    assert not report.unconverted
    assert report.converted["{% capture %} → value"] == 2


def test_an_unreadable_date_gives_way_to_the_file_names(tmp_path):
    src = _site(tmp_path, {"_posts/2016-06-17-odd.md": "---\ntitle: Odd\ndate: 2016-06-17 12:00-400\n---\nx\n"})
    archive, report, _ = _read(src)
    assert archive.items[0].front["date"] == "2016-06-17"
    assert archive.items[0].urls == ["/2016/06/17/odd.html"]
    assert ("_posts/2016-06-17-odd.md:3", "date: the file name's date 2016-06-17 is used instead") in [
        (str(p), m) for p, m in report.warnings
    ]


def test_a_redirect_to_another_site_becomes_a_redirects_entry(tmp_path):
    src = _site(
        tmp_path,
        {
            "_config.yml": "url: https://old.example.org\n",
            "_posts/2020-01-02-a.md": "---\ntitle: A\n---\nx\n",
            "gone.md": "---\npermalink: /gone/\nredirect_to: https://elsewhere.example.com/gone/\n---\n",
            "home.md": "---\npermalink: /home-page/\nredirect_to: https://old.example.org/2020/01/02/a.html\n---\n",
            "lost.md": "---\npermalink: /lost/\nredirect_to: /nowhere/\n---\n",
        },
    )
    archive, report, _ = _read(src)
    assert archive.redirects == {"/gone/": "https://elsewhere.example.com/gone/"}
    assert archive.items[0].urls == ["/2020/01/02/a.html", "/home-page/"]  # on the site's own address
    assert ("lost.md:3", "/lost/ redirected to /nowhere/, which is no page the import makes: not kept") in [
        (str(p), m) for p, m in report.warnings
    ]
    result = plan(archive, report, permalink_pattern=None, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert result.redirects["/gone/"] == "https://elsewhere.example.com/gone/"
