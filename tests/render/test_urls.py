"""Every URL brief writes is percent-encoded: files named with spaces and accents are
published under their own names and linked as %-escapes in pages, srcset, og:image,
JSON-LD, both feeds and the sitemap (README › The article format)."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from helpers import article, make_site, run_brief, run_build
from PIL import Image

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900" viewBox="0 0 16 9"/>'
RAW = re.compile(r"[\s\x80-\U0010ffff]")
ATTR = re.compile(r'\s(?:href|src|srcset|content)="([^"]*)"')


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path,
        {
            "content/a.md": article(
                "See the chart: ![Chart of rates](<charts/taux été 2.svg>)\n",
                title="Accented files",
                date="2026-03-01",
                image={"src": "pics/été 1.svg", "alt": "A summer chart"},
                takeaways=["One"],
            ),
            "content/pics/été 1.svg": SVG,
            "content/charts/taux été 2.svg": SVG,
            "content/b.md": article(
                "Body.\n",
                title="Static hero",
                date="2026-03-02",
                image={"src": "/images/vue sur l'eau.svg", "alt": "The water"},
                takeaways=["One"],
            ),
            "static/images/vue sur l'eau.svg": SVG,
            "content/c.md": article(
                "Body.\n",
                title="Photo hero",
                date="2026-03-03",
                image={"src": "photo à 3.png", "alt": "A photo"},
                takeaways=["One"],
            ),
            "content/photo à 3.png": _png(1300, 700),
        },
        'title = "Urls"\nbase_url = "https://example.org/brèves/"\nsearch = false\n',
    )


def _urls(text: str) -> list[str]:
    found = []
    for value in map(html.unescape, ATTR.findall(text)):
        found += [candidate.strip().split(" ")[0] for candidate in value.split(",")] if "w," in value else [value]
    return found


def test_every_url_in_pages_feeds_and_sitemaps_is_percent_encoded(tmp_path):
    site = _site(tmp_path)
    code, _, err = run_build(site)
    assert code == 0, err
    out = site / "public"
    checked = 0
    for page in [*out.rglob("*.html"), out / "feed.xml", out / "sitemap.xml"]:
        text = page.read_text(encoding="utf-8")
        urls = _urls(text) + re.findall(r"<(?:loc|id|link)>([^<]*)</", text) + re.findall(r'href="([^"]*)"', text)
        for url in urls:
            if url.startswith(("/", "https://example.org")):
                assert not RAW.search(url), f"{page.relative_to(out)}: {url!r} is not percent-encoded"
                checked += 1
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    for item in feed["items"]:
        for url in (item["url"], item.get("image", ""), *re.findall(r'(?:src|href)="([^"]*)"', item["content_html"])):
            assert not RAW.search(url), f"feed.json: {url!r} is not percent-encoded"
            checked += 1
    assert checked > 40


def test_encoded_urls_lead_to_the_published_files(tmp_path):
    site = _site(tmp_path)
    assert run_build(site)[0] == 0
    out = site / "public"
    page = (out / "2026/03/a/index.html").read_text(encoding="utf-8")
    assert 'src="/br%C3%A8ves/2026/03/a/%C3%A9t%C3%A9%201.svg"' in page
    assert 'src="/br%C3%A8ves/2026/03/a/taux%20%C3%A9t%C3%A9%202.svg"' in page
    assert 'content="https://example.org/br%C3%A8ves/2026/03/a/%C3%A9t%C3%A9%201.svg"' in page
    static = (out / "2026/03/b/index.html").read_text(encoding="utf-8")
    assert "/br%C3%A8ves/images/vue%20sur%20l'eau.svg" in static
    for built in out.rglob("*.html"):
        for url in _urls(built.read_text(encoding="utf-8")):
            path = urlsplit(url).path
            if url.startswith("/br%C3%A8ves/") and not path.endswith("/"):
                assert (out / unquote(path)[len("/brèves/") :]).is_file(), f"{built.relative_to(out)}: {url}"


def test_the_check_finds_every_encoded_link(tmp_path):
    site = _site(tmp_path)
    done = run_brief(["check", "--site", str(site)])
    assert done.returncode == 0, done.stdout + done.stderr


def test_root_relative_links_keep_their_query_and_fragment(tmp_path):
    """Only the path is encoded: ``#`` and ``?`` keep their meaning (found on Jekyll's news archive,
    whose posts link to ``/docs/history/#v1-0-0``)."""
    body = "See [b](/2026/03/b/#h-top), [feed](/feed.xml?x=1#y) and [water](/images/vue sur l'eau.svg).\n"
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(body.replace("vue sur l'eau", "vue%20sur%20l'eau"), takeaways=["One"]),
            "content/b.md": article("## Top\n", title="B", date="2026-03-02", takeaways=["One"]),
            "static/images/vue sur l'eau.svg": SVG,
        },
    )
    code, _, err = run_build(site)
    assert code == 0, err
    page = next((site / "public").rglob("a/index.html")).read_text(encoding="utf-8")
    assert 'href="/2026/03/b/#h-top"' in page and 'href="/feed.xml?x=1#h-y"' in page
    assert 'href="/images/vue%20sur%20l&#x27;eau.svg"' in page or 'href="/images/vue%20sur%20l\'eau.svg"' in page
