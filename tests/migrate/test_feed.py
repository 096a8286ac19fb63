"""brief import feed: the RSS 2.0 and Atom 1.0 reader (brief/migrate/feed.py) on fixtures/feed/."""

from __future__ import annotations

from pathlib import Path

import pytest

from brief.errors import BriefError
from brief.migrate.constructs import Replacements
from brief.migrate.feed import read
from brief.migrate.model import Archive
from brief.migrate.report import Report

HERE = Path(__file__).parent / "fixtures" / "feed"


def load(name: str) -> tuple[Archive, Report]:
    report = Report()
    seen: list[tuple[str, int, int]] = []
    archive = read(
        HERE / name,
        report=report,
        replacements=Replacements(),
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    assert seen[-1] == ("Reading posts", len(archive.items), len(archive.items))
    return archive, report


def test_an_rss_entry_with_full_content():
    archive, report = load("rss.xml")
    first = archive.items[0]
    assert first.kind == "article"
    assert first.front == {
        "title": "Bridge Reopens After Repairs",
        "dek": "The east span is open again.",
        "date": "2021-04-06T09:15:00-04:00",
        "authors": ["Ana Ortiz"],
        "section": "Transport",
        "tags": ["Roads"],
        "image": {"src": "https://courier.example.com/media/bridge-hero.jpg", "alt": "Traffic crossing the bridge"},
        "slug": "Bridge_Reopens",
    }
    assert first.urls == ["/2021/04/Bridge_Reopens.html"]
    assert first.body == (
        "The east span is **open** again after "
        "[three weeks](https://courier.example.com/news/2021/03/bridge-closed.html).\n\n"
        "![The bridge at dawn](https://courier.example.com/media/bridge.jpg)\n\n"
        "https://www.youtube.com/watch?v=aqz-KE-bpKQ\n\n"
        "Engineers said: \\*no\\* more delays.\n\n"
        '<iframe src="https://maps.example.org/embed?route=9"></iframe>\n'
    )
    assert report.converted["<iframe> → embed"] == 1
    text = (HERE / "rss.xml").read_text(encoding="utf-8")
    line = text.count("\n", 0, text.index('<iframe src="https://maps')) + 1
    assert [str(p) for p in report.unconverted["<iframe> maps.example.org"]] == [f"rss.xml:{line}"]
    assert report.dates[0][1:] == ("pubDate", "Tue, 06 Apr 2021 09:15:00 -0400", "2021-04-06T09:15:00-04:00")
    assert report.fields[("comments", "not imported")] == 1
    assert report.fields[("guid", "not imported (an identifier)")] == 1


def test_rss_enclosures_authors_links_and_dates():
    archive, report = load("rss.xml")
    podcast, wire, undated = archive.items[1:]
    assert podcast.front["authors"] == ["Tomás Reyes"]  # "editor@… (Tomás Reyes)": the address never written
    assert podcast.urls == ["/podcast-4/"]  # utm_ parameters left off
    assert (
        podcast.body == "Budget talk, start to finish.\n\n[Audio: ep4.mp3](https://courier.example.com/media/ep4.mp3)\n"
    )
    assert podcast.front["image"] == {"src": "https://courier.example.com/media/ep4.jpg", "alt": "", "decorative": True}
    assert wire.front["date"] == "2021-04-04T07:00:00-05:00"
    assert "authors" not in wire.front  # an address alone is not a name
    assert wire.urls == []
    assert wire.body == "Record rain fell **overnight**.\n"
    assert undated.front["date"] == "sometime last spring"
    assert undated.urls == []
    assert report.unreachable == [("/notice/?p=88", "rss.xml: entry 4: a static host serves files by path alone")]
    messages = [m for _, m in report.warnings]
    assert (
        "the link https://wire.example.net/rain-records is not on the feed's site (courier.example.com): no old URL kept"
        in messages
    )
    assert "date: 'sometime last spring' is not a date brief can read; kept as written" in messages
    assert (
        "a feed holds only a site's latest entries: 4 read (dated 2021-04-04 to 2021-04-06); older posts are not in it"
        in messages
    )
    assert "editor@courier.example.com" not in str(report.as_json())


def test_rss_site():
    archive, _ = load("rss.xml")
    site = archive.site
    assert (site.title, site.description, site.base_url, site.language) == (
        "Valley Courier",
        "News from the valley",
        "https://courier.example.com/news/",
        "en-US",
    )
    assert site.timezone == "America/New_York"
    assert archive.listings == []
    assert [p.name for p in archive.profiles] == ["Ana Ortiz", "Tomás Reyes"]


def test_atom_entries_html_xhtml_and_text():
    archive, report = load("atom.xml")
    html, xhtml, plain = archive.items
    assert html.front == {
        "title": "Les quais rénovés",
        "dek": "Les travaux sont finis.",
        "date": "2022-05-10T08:00:00+02:00",
        "updated": "2022-05-12T10:00:00+02:00",
        "authors": ["Léa Martin"],
        "section": "Ville",
        "tags": ["travaux"],
        "slug": "quais-renoves",
    }
    assert html.body == (
        "Voir [le début](https://port.example.fr/2021/01/debut-des-travaux/).\n\n```sh\nls -la *.txt\n```\n"
    )
    assert xhtml.front["authors"] == ["Rédaction"]  # the feed's author, for an entry without one
    assert xhtml.front["date"] == "2022-04-01T12:00:00Z"
    assert xhtml.body == (
        'Du **XHTML** ici.\n\n<table><tr><td colspan="2">large</td></tr><tr><td>a</td><td>b</td></tr></table>\n'
    )
    assert plain.body == "Premier paragraphe avec \\<b> écrit.\n\nSecond paragraphe.\n"
    assert plain.front["image"]["src"] == "https://port.example.fr/img/texte.png"
    assert [i.urls for i in archive.items] == [["/2022/05/quais-renoves/"], ["/2022/04/xhtml/"], ["/2022/03/texte/"]]
    assert archive.site.title == "Le Journal du Port"
    assert archive.site.description == "Nouvelles du port"
    assert archive.site.language == "fr"
    assert archive.site.permalinks == ["/{year}/{month}/{slug}/"]
    assert report.fields[("atom:content", "body")] == 3


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "not-a-feed.xml",
            'not an RSS 2.0 or Atom feed (expected <rss version="2.0"> or <feed xmlns="http://www.w3.org/2005/Atom">)',
        ),
        ("../wordpress/entities.xml", "not an RSS 2.0 or Atom feed: it declares an entity (<!ENTITY …>)"),
        ("../wordpress/broken.xml", ":5: not an RSS 2.0 or Atom feed: not well-formed XML (mismatched tag)"),
    ],
)
def test_anything_else_is_refused_with_a_reason(name, expected):
    with pytest.raises(BriefError) as raised:
        read(HERE / name, report=Report(), replacements=Replacements(), progress=lambda *a: None)
    assert expected in str(raised.value.message)
