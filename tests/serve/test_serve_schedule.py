"""The preview shows a scheduled article with the time it goes live, on its page and in lists,
and an embargo note over its page saying it is not public yet; ``brief build`` publishes none of
that. The real server in a subprocess (conftest's start_server), its clock pinned by BRIEF_NOW."""

from __future__ import annotations

import http.client
import re

from helpers import article, make_site, run_build

CONFIG = 'title = "Harbour Brief"\nbase_url = "https://example.org/"\nsearch = false\ntimezone = "Europe/Paris"\n'
SCHEDULED = "/2026/12/port-corridor-talks/"
PUBLISHED = "/2026/12/grid-batteries/"
GOES_LIVE = "3 December 2026, 07:00 CET (06:00 UTC)"


def get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


def text_of(html: str, css_class: str) -> list[str]:
    """The text of every element whose class is ``css_class`` (tags dropped, spaces collapsed)."""
    found = re.findall(rf'<(p|span) class="{css_class}"[^>]*>(.*?)</\1>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", inner).split()) for _, inner in found]


def site_with_a_scheduled_article(tmp_path):
    files = {
        # 07:00 in Paris is 06:00 UTC, a quarter of an hour after BRIEF_NOW.
        "content/port-corridor-talks.md": article(title="Port corridor talks", date="2026-12-03T07:00:00"),
        "content/grid-batteries.md": article(title="Grid batteries", date="2026-12-02T10:30:00"),
    }
    return make_site(tmp_path, files, CONFIG)


def test_the_preview_shows_when_a_scheduled_article_goes_live(tmp_path, start_server, monkeypatch):
    monkeypatch.setenv("BRIEF_NOW", "2026-12-03T05:45:00Z")
    site = site_with_a_scheduled_article(tmp_path)
    server = start_server(site)

    status, page = get(server.port, SCHEDULED)
    assert status == 200
    assert text_of(page, "embargo-note") == [
        f"Embargoed until {GOES_LIVE}. This article is not public yet: brief build leaves it out of the site "
        "until then. It shows here because this preview includes scheduled articles."
    ]
    assert text_of(page, "go-live") == [f"Goes live {GOES_LIVE}"]
    assert '<time datetime="2026-12-03T07:00:00+01:00">' in page
    # The front page lists it with its time too; a published article has neither.
    assert text_of(get(server.port, "/")[1], "go-live") == [f"Goes live {GOES_LIVE}"]
    published = get(server.port, PUBLISHED)[1]
    assert text_of(published, "embargo-note") == [] and text_of(published, "go-live") == []


def test_a_build_publishes_no_embargo_note(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEF_NOW", "2026-12-03T05:45:00Z")
    site = site_with_a_scheduled_article(tmp_path)
    code, out, err = run_build(site)
    assert code == 0, err
    pages = {p: p.read_text(encoding="utf-8") for p in (site / "public").rglob("*.html")}
    assert not (site / "public" / SCHEDULED.strip("/")).exists()
    assert [p for p, html in pages.items() if "embargo" in html.lower() or "go-live" in html] == []
    # Once its time has come, the same article is published as any other: no note, no badge.
    monkeypatch.setenv("BRIEF_NOW", "2026-12-03T06:00:00Z")
    code, out, err = run_build(site)
    assert code == 0, err
    page = (site / "public" / SCHEDULED.strip("/") / "index.html").read_text(encoding="utf-8")
    assert "Port corridor talks" in page
    assert "embargo" not in page.lower() and "go-live" not in page and "Scheduled" not in page
