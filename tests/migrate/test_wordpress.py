"""brief import wordpress: the WXR reader (brief/migrate/wordpress.py, wpfields.py, wpbody.py,
wpshortcodes.py) on fixtures/wordpress/export.xml, with and without its uploads folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from brief.errors import BriefError
from brief.migrate.constructs import Replacements
from brief.migrate.mdtext import Blocks
from brief.migrate.model import Archive, Item
from brief.migrate.report import Report
from brief.migrate.wordpress import read
from brief.migrate.wpbody import wpautop
from brief.migrate.wpshortcodes import Attachment, Shortcodes, expand

HERE = Path(__file__).parent / "fixtures" / "wordpress"
EXPORT = HERE / "export.xml"
UPLOADS = HERE / "uploads"
TEXT = EXPORT.read_text(encoding="utf-8")


def line_of(needle: str, nth: int = 1) -> int:
    """Line of the export holding the ``nth`` occurrence of ``needle``."""
    at = -1
    for _ in range(nth):
        at = TEXT.index(needle, at + 1)
    return TEXT.count("\n", 0, at) + 1


def load(replacements: Replacements | None = None, uploads: Path | None = UPLOADS) -> tuple[Archive, Report]:
    report = Report()
    seen: list[tuple[str, int, int]] = []
    archive = read(
        EXPORT,
        report=report,
        replacements=replacements or Replacements(),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
        uploads=uploads,
    )
    assert seen[-1] == ("Reading posts", 17, 17)
    return archive, report


@pytest.fixture(scope="module")
def loaded() -> tuple[Archive, Report]:
    return load()


def item(archive: Archive, source_id: int) -> Item:
    return next(i for i in archive.items if i.source == f"export.xml: item {source_id}")


def test_posts_are_articles_pages_are_pages_the_rest_is_listed_as_skipped(loaded):
    archive, report = loaded
    assert [(i.source.rsplit(" ", 1)[1], i.kind) for i in archive.items] == [
        ("101", "article"),
        ("102", "article"),
        ("103", "article"),
        ("104", "article"),
        ("105", "article"),
        ("107", "article"),
        ("108", "article"),
        ("201", "page"),
        ("202", "page"),
    ]
    assert report.skipped == [
        ("export.xml: item 106 (post 'Thrown Away')", "in the trash"),
        ("export.xml: item 301 (nav_menu_item 'Home')", "a menu entry (brief's menus are set in brief.toml)"),
        ("export.xml: item 401 (wp_block 'Sign-up line')", "a reusable block (its content is put where posts use it)"),
        ("export.xml: item 501 (revision 'Batteries Carry the Grid')", "a revision (the post itself is imported)"),
        ("export.xml: item 601 (product 'Harbour Mug')", "post type 'product' (only posts and pages are imported)"),
    ]
    assert report.counts["attachments (media library)"] == 3
    assert report.counts["comments (not imported)"] == 2


def test_a_classic_post_front_matter(loaded):
    archive, report = loaded
    assert item(archive, 101).front == {
        "title": "Batteries Carry the Grid",
        "dek": "The storage fleet ran for six days straight. Nobody had planned for that.",
        "date": "2020-01-15T10:30:00+01:00",
        "updated": "2020-01-16T09:00:00+01:00",
        "authors": ["Jane Doe"],
        "section": "Energy",
        "tags": ["Europe", "Grid", "Energy Storage"],
        "image": {
            "src": "/wp-content/uploads/2020/01/grid-batteries.jpg",
            "alt": "Battery containers beside a substation",
            "caption": "Northfield's containers",
        },
        "slug": "Grid_Batteries",
    }
    assert item(archive, 101).urls == ["/2020/01/15/Grid_Batteries/", "/2020/01/15/batteries-grid-week/"]
    assert item(archive, 101).folder == "2020"
    assert report.converted["<!--more--> teaser → dek"] == 1
    assert report.dates[0][1:] == ("wp:post_date", "2020-01-15 10:30:00", "2020-01-15T10:30:00+01:00")


def test_a_classic_post_body(loaded):
    archive, _ = loaded
    assert item(archive, 101).body == (
        "The storage fleet ran for six days straight. Nobody had planned for that.\n\n"
        "Operators said the batteries *never* dropped below a fifth of their charge.\\\n"
        "They also said snake_case names and 2 * 3 stay as written.\n\n"
        '![Battery containers beside a substation](/wp-content/uploads/2020/01/grid-batteries.jpg "Containers at the'
        ' Northfield site")\n\n'
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n"
        "https://vimeo.com/76979871\n\n"
        '[newsletter list="daily"]\n\n'
        "![Turbines on a ridge](/wp-content/uploads/2020/01/wind-farm-300x200.jpg)\n\n"
        "![A chart that was never uploaded](https://news.example.org/blog/wp-content/uploads/2020/01/missing-chart.jpg)"
        "\n\n"
        "![Battery containers beside a substation](/wp-content/uploads/2020/01/grid-batteries.jpg \"Northfield's"
        ' containers")\n\n'
        "![](/wp-content/uploads/2020/01/substation.png)\n\n"
        "[Video: harbour-clip.mp4](/wp-content/uploads/2020/01/harbour-clip.mp4)\n\n"
        "[Audio: interview.mp3](https://cdn.example.net/audio/interview.mp3)\n\n"
        "Read [the heat pump story](/2020/02/03/heat-pumps-cold/), [about us](/about/) and "
        "[the photo's page](/wp-content/uploads/2020/01/grid-batteries.jpg).\n\n"
        "[pullquote]Storage met the evening peak.[/pullquote]\n\n"
        "```\n[gallery] stays as written in code\n```\n\n"
        '[newsletter list="weekly"]\n'
    )


def test_every_conversion_is_counted(loaded):
    _, report = loaded
    for kind in (
        "[caption] → figure",
        "[embed] → embed",
        "[gallery] → figures",
        "[video] → link (brief's safe HTML removes <video>)",
        "[audio] → link (brief's safe HTML removes <audio>)",
        "URL alone on its line → embed",
        "?p= link → the post's URL",
        "?page_id= link → the post's URL",
        "link to an attachment's page → link to its file",
        "wp:embed → embed",
        "wp:block (reusable block) → its content",
        "<!--nextpage--> → removed (the post is one page)",
        "pull quote → ::: pullquote",
        "wp:footnotes → Markdown footnotes",
    ):
        assert report.converted[kind] == 1, kind
    assert report.converted["<!--more--> → removed"] == 2


def test_files_of_the_uploads_folder_are_copied_and_keep_their_paths(loaded):
    archive, report = loaded
    names = {a.name: a.source for a in item(archive, 101).assets}
    assert set(names) == {
        "wp-content/uploads/2020/01/grid-batteries.jpg",
        "wp-content/uploads/2020/01/wind-farm-300x200.jpg",
        "wp-content/uploads/2020/01/substation.png",
        "wp-content/uploads/2020/01/harbour-clip.mp4",
    }
    assert names["wp-content/uploads/2020/01/grid-batteries.jpg"] == (UPLOADS / "2020/01/grid-batteries.jpg").resolve()
    assert all(a.static for a in item(archive, 101).assets)
    assert [(str(p), w) for p, w in report.missing] == [
        (
            f"export.xml:{line_of('missing-chart.jpg')}",
            "https://news.example.org/blog/wp-content/uploads/2020/01/missing-chart.jpg",
        )
    ]


def test_without_the_uploads_folder_each_reference_is_listed_and_kept(tmp_path):
    archive, report = load(uploads=None)
    assert item(archive, 101).assets == []
    assert (
        "](https://news.example.org/blog/wp-content/uploads/2020/01/grid-batteries-300x200.jpg"
        in item(archive, 101).body
    )
    assert len(report.missing) == 11


def test_a_gutenberg_post(loaded):
    archive, report = loaded
    post = item(archive, 102)
    assert post.front == {
        "title": "Heat Pumps in Cold Weather",
        "dek": "How the city kept warm in February.",
        "date": "2020-02-03T23:30:00+01:00",
        "authors": ["Mike Ross"],
        "image": {"src": "/wp-content/uploads/2020/01/substation.png", "alt": "", "decorative": True},
        "slug": "heat-pumps-cold",
    }
    assert post.body == (
        "District heating met **most** of the demand.[^1]\n\n## What changed\n\n"
        '![A substation at dusk](/wp-content/uploads/2020/01/substation.png "The Eastgate substation")\n\n'
        "::: embed https://www.youtube.com/watch?v=aqz-KE-bpKQ\ncaption: The council's briefing\n:::\n\n"
        "| Month | Share |\n| --- | --- |\n| January | 41% |\n| February | 38% |\n\n"
        "::: pullquote — A plant engineer\nThe pipes kept the city warm.\n:::\n\n"
        "```python\nprint(load * 2)\n```\n\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n\n'
        "Sign up for the *morning* brief.\n\n"
        "[^1]: Figures from the *city* utility.\n"
    )
    hero = [m for p, m in report.warnings if str(p) == f"export.xml:{line_of('<title>Heat Pumps') - 1}"]
    assert hero == [
        "the hero image /wp-content/uploads/2020/01/substation.png has no alt text: marked decorative "
        "(write image.alt to describe it)"
    ]
    assert report.fields[("category", "not imported (Uncategorized, WordPress's default: no section)")] == 1


def test_unknown_shortcodes_and_dynamic_blocks_are_left_and_listed_with_their_lines(loaded):
    _, report = loaded
    places = {name: [str(p) for p in found] for name, found in report.unconverted_sorted()}
    assert places == {
        "newsletter": [
            f"export.xml:{line_of('[newsletter list=')}",
            f"export.xml:{line_of('[newsletter list=', 2)}",
            f"export.xml:{line_of('[newsletter list=', 3)}",
        ],
        "pullquote": [f"export.xml:{line_of('[pullquote]')}"],
        "wp:latest-posts": [f"export.xml:{line_of('<!-- wp:latest-posts')}"],
    }
    assert list(places) == ["newsletter", "pullquote", "wp:latest-posts"]  # most frequent first
    assert report.unconverted_examples["newsletter"] == '[newsletter list="daily"]'


def test_the_map_replaces_shortcodes_with_their_parameters_and_text():
    replacements = Replacements(
        {
            "newsletter": "[Sign up for the {list} newsletter](/newsletter/)",
            "pullquote": "::: pullquote\n{inner}\n:::",
            "wp:latest-posts": "See [all the latest]({missing}).",
        }
    )
    archive, report = load(replacements)
    body = item(archive, 101).body
    assert "[Sign up for the daily newsletter](/newsletter/)" in body
    assert "[Sign up for the weekly newsletter](/newsletter/)" in body
    assert "::: pullquote\nStorage met the evening peak.\n:::" in body
    assert report.converted["[newsletter] → map"] == 3
    assert report.converted["[pullquote] → map"] == 1
    assert list(report.unconverted) == ["wp:latest-posts"]
    assert (
        f"export.xml:{line_of('<!-- wp:latest-posts')}",
        "wp:latest-posts: the map's entry uses {missing}, which this wp:latest-posts does not give; left as written",
    ) in [(str(p), m) for p, m in report.warnings]


def test_statuses_drafts_and_dates(loaded):
    archive, report = loaded
    draft = item(archive, 103)
    assert draft.front["date"] == "2020-03-01T09:00:00"  # a draft's GMT time is 0000-00-00: no offset
    assert draft.front["draft"] is True
    assert draft.front["slug"] == "follow-up-the-bill"  # no post_name: from the title
    assert draft.urls == []
    assert item(archive, 104).front["draft"] is True
    assert item(archive, 104).front["date"] == "2031-05-01T08:00:00+02:00"
    assert item(archive, 105).front["draft"] is True
    assert item(archive, 107).front["draft"] is True
    assert item(archive, 108).front["date"] == "2020-03-05T12:00:00+01:00"
    messages = {m for _, m in report.warnings}
    assert "'Scheduled Report' is scheduled (status future): imported as a draft, its date kept" in messages
    assert (
        "'Members Briefing' is password-protected: imported as a draft (a static site cannot ask for the password)"
        in messages
    )
    assert "'Undated Notice' has no date: the time it was last changed is used" in messages
    assert "updated" not in item(archive, 102).front  # modified at the same time as published


def test_pages_nested_pages_and_unreachable_query_urls(loaded):
    archive, report = loaded
    assert item(archive, 201).front == {"title": "About", "slug": "about"}
    assert item(archive, 202).urls == ["/about/team/"]
    assert item(archive, 202).folder == "about"
    assert item(archive, 202).body == "Page one.\n\nPage two.\n"
    assert [url for url, _ in report.unreachable] == ["/?p=101", "/?p=102", "/?p=108", "/?page_id=201", "/?page_id=202"]


def test_listings_profiles_and_site(loaded):
    archive, report = loaded
    assert {(x.url, x.kind, x.name) for x in archive.listings} == {
        ("/category/energy/", "section", "Energy"),
        ("/category/world/europe/", "tag", "Europe"),
        ("/category/world/", "tag", "World"),
        ("/tag/grid/", "tag", "Grid"),
        ("/tag/energy-storage/", "tag", "Energy Storage"),
        ("/category/uncategorized/", "archive", ""),
    }
    assert [(p.name, p.key, p.urls) for p in archive.profiles] == [
        ("Jane Doe", "jdoe", ["/author/jdoe/"]),
        ("Mike Ross", "mike.ross", ["/author/mike-ross/"]),
    ]
    assert report.counts["authors without posts (no profile)"] == 1
    site = archive.site
    assert (site.title, site.base_url, site.language) == (
        "The Harbour Ledger",
        "https://news.example.org/blog/",
        "en-GB",
    )
    assert site.timezone == "Europe/Paris"
    assert site.permalinks == ["/{year}/{month}/{day}/{slug}/"]


def test_fields_are_all_counted_and_e_mail_addresses_never_shown(loaded):
    archive, report = loaded
    fields = report.fields
    assert fields[("wp:post_name", "slug")] == 8
    assert fields[("wp:comment_status", "not imported")] == 2
    assert fields[("postmeta: subtitle_custom", "not imported")] == 1
    assert fields[("postmeta: WordPress's internal keys (_edit_lock, _edit_last, …)", "not imported")] == 2
    assert fields[("wp:comment", "not imported (comments)")] == 1
    assert fields[("wp:author_email", "not imported (private: never written)")] == 3
    assert report.counts["author e-mail addresses (never written)"] == 3
    everything = json.dumps(report.as_json()) + json.dumps([(i.front, i.body) for i in archive.items])
    for address in ("jane@example.org", "mike@example.org", "reader@example.net", "other@example.net"):
        assert address not in everything


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("not-wxr.xml", "not a WordPress export (expected an RSS file with wp:wxr_version, as Tools › Export writes)"),
        ("entities.xml", ":3: not a WordPress export: it declares an entity (<!ENTITY …>), which brief never reads"),
        ("broken.xml", ":5: not a WordPress export: not well-formed XML (mismatched tag) (expected the XML file"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_with_a_reason(name, message):
    with pytest.raises(BriefError) as raised:
        read(HERE / name, report=Report(), replacements=Replacements(), progress=lambda *a: None)
    assert message in str(raised.value.message)
    assert str(raised.value.message).startswith(str(HERE / name))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\nTwo\nlines.", "<p>One.</p>\n<p>Two<br />\nlines.</p>\n"),
        ("<div>Block</div>\nafter", "<div>Block</div>\n<p>after</p>\n"),
        ("<pre>keep\n\nas is</pre>\n\nText", "<pre>keep\n\nas is</pre>\n<p>Text</p>\n"),
        ("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"),
    ],
)
def test_wpautop(text, expected):
    assert wpautop(text) == expected


def expand_one(text: str, replacements: Replacements | None = None) -> tuple[str, Report]:
    """``text`` (one post's content) through the shortcodes, the tokens filled in."""
    report = Report()
    blocks = Blocks()
    children = [
        Attachment(31, "/u/b.jpg", alt="B", order=2),
        Attachment(30, "/u/a.jpg", alt="A", caption="First", order=1),
    ]
    children.append(Attachment(32, "/u/c.jpg", alt="C", order=3))
    shortcodes = Shortcodes(
        report, replacements or Replacements(), "export.xml", 40, blocks, lambda html, line: html, children=children
    )
    return blocks.fill(expand(text, shortcodes)), report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[gallery exclude="32"]', '\n\n![A](/u/a.jpg "First")\n\n![B](/u/b.jpg)\n\n'),
        ("[[gallery]] is how it is written", "\ue002gallery] is how it is written"),  # \\[ once in Markdown
        ("As she said [sic] in [1] of them", "As she said [sic] in [1] of them"),
        (
            '[caption id="x" caption="A pier"]<img src="/p.jpg" alt="Pier">[/caption]',
            '\n\n![Pier](/p.jpg "A pier")\n\n',
        ),
        (
            "[youtube https://www.youtube.com/watch?v=aqz-KE-bpKQ&w=640]",
            "\n\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ&w=640\n\n",
        ),
        ("[vimeo 76979871]", "\n\nhttps://vimeo.com/76979871\n\n"),
        ('[video src="https://youtu.be/aqz-KE-bpKQ"]', "\n\nhttps://youtu.be/aqz-KE-bpKQ\n\n"),
        ("[toc]\n\nText", "[toc]\n\nText"),
    ],
)
def test_shortcodes(text, expected):
    out, report = expand_one(text)
    assert out == expected
    if text.startswith("[toc]"):
        assert [str(p) for p in report.unconverted["toc"]] == ["export.xml:40"]
