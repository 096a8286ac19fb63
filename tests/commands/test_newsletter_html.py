"""``brief newsletter``'s HTML part, read as a mail client would: tables, inline styles, no
scripts, web fonts or outside stylesheets, images with their size and alt text, under
100 KB; every link absolute, the site's own with the UTM parameters, and each leading to
a page that a real ``brief build`` of the same site wrote."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from conftest import BUILD_TIME
from helpers import REPO, article, make_site
from PIL import Image

from brief.build import BuildOptions, build
from brief.commands.edition import SIZE_LIMIT, Request, make_edition
from brief.commands.maillinks import SiteLinks, with_utm
from brief.config import load_config
from brief.errors import BriefError

UTM = '[newsletter]\nutm_source = "newsletter"\nutm_medium = "email"\nutm_campaign = "weekly-{date}"\n'
UTM_QUERY = [("utm_source", "newsletter"), ("utm_medium", "email"), ("utm_campaign", "weekly-2026-11-25")]


class MailHtml(HTMLParser):
    """What a mail client cares about in an HTML part: elements with their attributes,
    where each <style> stands and what it says, the text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[tuple[bool, str]] = []  # (inside <head>, the style sheet)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in ("meta", "img", "br", "link"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag) :]

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            self.styles.append(("head" in self.stack, data))
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]


def output_file(out: Path, url: str, base_url: str) -> Path:
    """The file of a built site (in ``out``) that an absolute URL of the site leads to."""
    assert url.startswith(base_url), url
    path = unquote(urlsplit(url).path)[len(urlsplit(base_url).path) :]
    return out / (path + "index.html" if path.endswith("/") or not path else path)


@pytest.fixture(scope="module")
def utm_sample(tmp_path_factory) -> tuple[Path, Path]:
    """The sample publication with UTM parameters and an unsubscribe merge tag, and its real build."""
    site = tmp_path_factory.mktemp("utm") / "site"
    site.mkdir()
    for name in ("content", "static", "templates"):
        shutil.copytree(REPO / name, site / name)
    toml = (REPO / "brief.toml").read_text(encoding="utf-8")
    (site / "brief.toml").write_text(toml + "\n" + UTM + 'unsubscribe_url = "*|UNSUB|*"\n', encoding="utf-8")
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME))
    return site, out


def test_the_sample_edition_is_under_100_kb_and_every_link_is_a_page_of_a_real_build(sample_output):
    config = load_config(REPO)
    edition = make_edition(config, Request(since="2026-09-01", now=BUILD_TIME))
    assert len(edition.items) == 9 and edition.left_out == () and edition.warnings == []
    assert edition.size == len(edition.html.encode("utf-8")) < SIZE_LIMIT
    hrefs = [a["href"] for a in MailHtml(edition.html).all("a")]
    assert hrefs and all(href is not None and href.startswith(config.base_url) for href in hrefs)
    missing = [url for url in hrefs if not output_file(sample_output, url, config.base_url).is_file()]
    assert missing == []
    assert edition.data["links"] == list(dict.fromkeys(hrefs))


def test_html_is_built_for_mail_clients(utm_sample):
    site, _ = utm_sample
    html = make_edition(load_config(site), Request(since="2026-09-01", now=BUILD_TIME)).html
    mail = MailHtml(html)
    tags = {name for name, _ in mail.elements}
    assert not tags & {"script", "iframe", "form", "object", "embed", "video", "svg"}
    assert all(attrs.get("rel") != "stylesheet" for attrs in mail.all("link"))
    assert not re.search(r"@import|@font-face|url\(|fonts\.googleapis", html, re.I)
    assert not re.search(r"\son[a-z]+=", html, re.I)  # no event handlers
    assert [inside_head for inside_head, _ in mail.styles] == [True]  # one <style>, in <head>, for dark mode
    assert "prefers-color-scheme: dark" in mail.styles[0][1]
    assert {"name": "color-scheme", "content": "light dark"} in mail.all("meta")
    assert {"name": "viewport", "content": "width=device-width, initial-scale=1"} in mail.all("meta")
    tables = mail.all("table")
    assert tables and all(t.get("role") == "presentation" for t in tables)
    assert "max-width:600px" in html
    for name in ("body", "div", "td", "h1", "h2", "p", "ul", "li", "a", "img"):  # every visible element styled inline
        assert all(attrs.get("style") for attrs in mail.all(name)), name
    # The preheader: first in <body>, hidden, the lead's dek (the sample configures no intro).
    preheader = re.search(r"<body[^>]*>\s*<div style=\"display:none;[^>]*>([^<&]*)", html)
    assert preheader and preheader.group(1).startswith("Regional governments that once planned")
    assert mail.all("html")[0]["lang"] == "en"


def test_every_site_link_carries_the_utm_parameters_and_resolves(utm_sample):
    site, out = utm_sample
    config = load_config(site)
    edition = make_edition(config, Request(since="2026-09-01", now=BUILD_TIME))
    hrefs = [a["href"] or "" for a in MailHtml(edition.html).all("a")]
    assert hrefs.count("*|UNSUB|*") == 1  # the sending service's merge tag, as configured
    site_links = [href for href in hrefs if href != "*|UNSUB|*"]
    for href in site_links:
        parts = urlsplit(href)
        assert parts.scheme == "https" and href.startswith(config.base_url), href
        assert parse_qsl(parts.query) == UTM_QUERY, href
        assert output_file(out, href, config.base_url).is_file(), href
    assert len(set(site_links)) == 10  # the front page and the nine briefs
    for item in edition.data["items"]:
        assert parse_qsl(urlsplit(item["url"]).query) == UTM_QUERY
    assert edition.data["unsubscribe_url"] == "*|UNSUB|*"


def test_with_utm_keeps_a_query_a_fragment_and_a_parameter_already_given():
    params = [("utm_source", "news letter"), ("utm_medium", "email")]
    assert with_utm("https://x.org/a/", params) == "https://x.org/a/?utm_source=news%20letter&utm_medium=email"
    assert with_utm("https://x.org/a/?p=2#top", params) == (
        "https://x.org/a/?p=2&utm_source=news%20letter&utm_medium=email#top"
    )
    assert with_utm("https://x.org/a/?utm_source=rss", params) == "https://x.org/a/?utm_source=rss&utm_medium=email"
    assert with_utm("https://x.org/a/#h", []) == "https://x.org/a/#h"
    links = SiteLinks("https://x.org/briefs/", (("utm_source", "n"),))
    assert links.link("/briefs/a/#why", "https://x.org/briefs/b/") == "https://x.org/briefs/a/?utm_source=n#why"
    assert links.link("https://other.org/?q=1", "https://x.org/briefs/b/") == "https://other.org/?q=1"
    assert links.link("/elsewhere/", "https://x.org/briefs/b/") == "https://x.org/elsewhere/"  # not the site's


def _png(path: Path, width: int, height: int) -> bytes:
    Image.new("RGB", (width, height), (20, 90, 140)).save(path)
    return path.read_bytes()


def test_takeaway_links_are_absolute_and_the_lead_shows_a_png_copy_at_most_600_px_wide(tmp_path):
    hero = _png(tmp_path / "hero.png", 1400, 788)
    site = make_site(
        tmp_path,
        {
            "content/hero.png": hero,
            "content/lead.md": article(
                title="Ports & <Tariffs>",
                date="2026-11-20",
                section="Trade",
                image={"src": "hero.png", "alt": "Cranes at dusk"},
                takeaways=[
                    "See [why](second.md#why), [the IEA](https://www.iea.org/?a=1#x) and ![a chart](hero.png).",
                    "A **bold** claim",
                ],
            ),
            "content/second.md": article("## Why\n\nBecause.\n", title="Second", date="2026-11-19", takeaways=["One"]),
            "content/third.md": article(title="Third", date="2026-11-18", image={"src": "/images/x.svg", "alt": "x"}),
            "static/images/x.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
        },
        'base_url = "https://news.example.org/briefs/"\n' + UTM,
    )
    config = load_config(site)
    out = site / "public"
    build(config, out, BuildOptions(now=BUILD_TIME))
    edition = make_edition(config, Request(last=3, now=BUILD_TIME))
    mail = MailHtml(edition.html)
    [img] = mail.all("img")  # the lead's only: the others are not the lead, or SVG
    assert (img["width"], img["height"], img["alt"]) == ("480", "270", "Cranes at dusk")
    assert img["src"] and re.fullmatch(
        r"https://news\.example\.org/briefs/2026/11/lead/hero-480w\.\w{8}\.png", img["src"]
    )
    assert output_file(out, img["src"], config.base_url).is_file()
    hrefs = [a["href"] or "" for a in mail.all("a")]
    assert "https://www.iea.org/?a=1#x" in hrefs  # another site's link: as written, no UTM parameters
    why = "https://news.example.org/briefs/2026/11/second/?utm_source=newsletter&utm_medium=email&utm_campaign=weekly-2026-11-25#h-why"
    assert why in hrefs
    for href in hrefs:
        if href.startswith(config.base_url):
            assert output_file(out, href, config.base_url).is_file(), href
    lead = edition.data["items"][0]
    assert lead["image"] == {"url": img["src"], "width": 480, "height": 270, "alt": "Cranes at dusk"}
    assert lead["takeaways"][0] == f"See why ({why}), the IEA (https://www.iea.org/?a=1#x) and ."
    assert lead["takeaways_html"][1] == "A <strong>bold</strong> claim"
    assert "Ports &amp; &lt;Tariffs&gt;" in edition.html and "Ports & <Tariffs>" in edition.text


def test_an_edition_too_large_for_gmail_keeps_the_newest_briefs_that_fit(tmp_path):
    takeaways = [f"Takeaway {n}: a sentence about as long as a real key takeaway of a news brief." for n in range(3)]
    files = {
        f"content/b{n:02}.md": article(
            title=f"Brief {n:02} on something that matters this week",
            dek="A dek of a usual length, one sentence that says why the brief matters to its reader.",
            date=f"2026-{9 + n // 28:02}-{n % 28 + 1:02}",
            section=("Economy", "Climate", "Technology")[n % 3],
            takeaways=takeaways,
        )
        for n in range(60)
    }
    site = make_site(tmp_path, files, 'base_url = "https://big.example.org/"\n')
    edition = make_edition(load_config(site), Request(since="2026-01-01", now=BUILD_TIME))
    assert edition.size <= SIZE_LIMIT < len(edition.items) * 3000  # nearly full
    kept, dropped = len(edition.items), len(edition.left_out)
    assert kept + dropped == 60 and 30 < kept < 60
    assert [item.title for item in edition.items][:2] == [
        "Brief 59 on something that matters this week",
        "Brief 58 on something that matters this week",
    ]
    assert edition.warnings == [
        f"the edition holds the newest {kept} of 60 briefs: with more its HTML passes 100,000 bytes, where Gmail "
        f'clips a message ({dropped} left out, from "Brief {59 - kept:02} on something that matters this week" on); '
        "choose fewer with --since, --last or --section"
    ]
    assert len(edition.data["items"]) == kept == edition.html.count("Read the brief&nbsp;&rarr;")
    assert [a["slug"] for a in edition.data["left_out"]] == [f"b{n:02}" for n in range(59 - kept, -1, -1)]
    assert edition.text.count("Read the brief: ") == kept


def test_an_edition_whose_first_brief_alone_is_too_large_is_refused(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(date="2026-11-20")}, 'base_url = "https://x.example.org/"\n')
    with pytest.raises(BriefError) as info:
        make_edition(load_config(site), Request(last=1, intro="word " * 20_000, now=BUILD_TIME))
    assert re.fullmatch(
        r"the edition's HTML is 1\d\d,\d{3} bytes with its first brief alone, over the limit of 100,000 \(Gmail clips "
        r"longer messages\); shorten the intro, the footer or templates/newsletter/edition.html",
        info.value.message,
    )
