"""Embeds, callouts, pull quotes and figures in a real headless Chromium, served from 127.0.0.1:
nothing is asked of another host until the reader clicks a card's button; then the player's
iframe is in the page (with a title, loading="lazy" and a sandbox) and the request to the
provider is made (it fails here: the machine has no network beyond loopback, so the test
looks at the attempt). Without JavaScript the card's link leads to the provider's page.
The page passes axe and the Nu HTML checker and fits a 360-px screen."""

from __future__ import annotations

import json
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from conftest import BUILD_TIME, serve
from helpers import article, make_site
from test_images import picture

from brief.build import BuildOptions, build
from brief.config import load_config

YT = "dQw4w9WgXcQ"
BODY = f"""The council met on Tuesday.

https://www.youtube.com/watch?v={YT}&t=42

Reaction came quickly.

https://x.com/meridianbrief/status/1790000000000000000

::: embed https://www.datawrapper.de/_/AbC12/
caption: Water prices by tier, in *euros* per cubic metre ([source](https://example.org/data))
title: Water prices by tier
ratio: 4:3
:::

::: callout warning Roads closed tonight
The **bridge** is shut from 22:00; see [the map](https://example.org/map).
:::

::: pullquote — Ana Ortiz, Energy Editor
Storage carried the grid through the calmest week of the year.
:::

![Rates since 2020](pics/chart.png "Water prices rose in every tier")

::: callout
A note without a title.
:::
"""
PROVIDERS = {  # card class → the host its player is loaded from
    "embed-youtube": "www.youtube-nocookie.com",
    "embed-x": "platform.twitter.com",
    "embed-datawrapper": "datawrapper.dwcdn.net",
}
PATH = "/2026/03/council/"


@pytest.fixture(scope="module")
def embeds_site(tmp_path_factory):
    """The built output folder of a site whose one article has all of it."""
    root = tmp_path_factory.mktemp("embeds-browser")
    site = make_site(
        root,
        {
            "content/council.md": article(
                BODY, title="Council votes on water prices", date="2026-03-02", takeaways=["Prices rise."]
            ),
            "content/pics/chart.png": picture(1200, 675),
        },
    )
    out = root / "out"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME))
    return out


@pytest.fixture(scope="module")
def embeds_url(embeds_site):
    with serve(embeds_site) as url:
        yield url


def hosts_of(requests: list[str]) -> set[str]:
    return {urlsplit(url).netloc for url in requests if not url.startswith(("data:", "about:"))}


def open_page(browser, url: str, *, width: int = 1280, javascript: bool = True, scheme: str = "light"):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, java_script_enabled=javascript, color_scheme=scheme
    )
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url + PATH)
    page.wait_for_load_state("networkidle")
    return context, page, requests


def test_nothing_is_requested_from_another_host_before_a_click(browser, embeds_url):
    context, page, requests = open_page(browser, embeds_url)
    try:
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images and all
        page.wait_for_load_state("networkidle")
        assert page.locator("figure.embed").count() == 3
        assert page.locator("iframe").count() == 0
        assert hosts_of(requests) == {urlsplit(embeds_url).netloc}
        assert any("/js/embeds." in url for url in requests)
        # The script has shown every card's button and its note.
        assert page.locator(".embed-load:visible").count() == 3
        assert page.locator(".embed-note:visible").count() == 3
    finally:
        context.close()


@pytest.mark.parametrize("card", sorted(PROVIDERS))
def test_a_click_loads_that_player_only(browser, embeds_url, card):
    context, page, requests = open_page(browser, embeds_url)
    try:
        host = PROVIDERS[card]
        with page.expect_request(lambda request: urlsplit(request.url).hostname == host):
            page.click(f"figure.{card} .embed-load")
        frame = page.locator(f"figure.{card} iframe")
        assert frame.count() == 1
        assert urlsplit(frame.get_attribute("src") or "").hostname == host
        assert frame.get_attribute("loading") == "lazy"
        assert (frame.get_attribute("title") or "").strip()
        assert "allow-scripts" in (frame.get_attribute("sandbox") or "")
        assert "allow-top-navigation" not in (frame.get_attribute("sandbox") or "")
        assert page.locator(f"figure.{card} .embed-facade").count() == 0
        # The other cards are untouched, and nothing else was asked of another host.
        assert page.locator("iframe").count() == 1
        assert hosts_of(requests) - {urlsplit(embeds_url).netloc} == {host}
    finally:
        context.close()


def test_the_titles_and_start_time_reach_the_iframe(browser, embeds_url):
    context, page, _ = open_page(browser, embeds_url)
    try:
        page.click("figure.embed-datawrapper .embed-load")
        page.click("figure.embed-youtube .embed-load")
        assert page.get_attribute("figure.embed-datawrapper iframe", "title") == "Water prices by tier"
        assert page.get_attribute("figure.embed-youtube iframe", "title") == "YouTube video"
        assert page.get_attribute("figure.embed-youtube iframe", "src") == (
            f"https://www.youtube-nocookie.com/embed/{YT}?autoplay=1&start=42"
        )
        assert "fullscreen" in (page.get_attribute("figure.embed-youtube iframe", "allow") or "")
    finally:
        context.close()


def test_the_button_works_from_the_keyboard_and_hands_over_the_focus(browser, embeds_url):
    context, page, _ = open_page(browser, embeds_url)
    try:
        page.focus("figure.embed-x .embed-load")
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.tagName") == "IFRAME"
        assert page.evaluate("document.activeElement.closest('figure').classList.contains('embed-x')")
    finally:
        context.close()


def test_without_javascript_the_link_leads_to_the_provider(browser, embeds_url):
    context, page, requests = open_page(browser, embeds_url, javascript=False)
    try:
        assert page.locator(".embed-load:visible").count() == 0  # a button that cannot work is not shown
        assert page.locator(".embed-note:visible").count() == 0
        links = page.locator("figure.embed .embed-link")
        assert links.count() == 3 and all(links.nth(i).is_visible() for i in range(3))
        assert page.get_attribute("figure.embed-youtube .embed-link", "href") == (
            f"https://www.youtube.com/watch?v={YT}&t=42s"
        )
        assert page.get_attribute("figure.embed-x .embed-link", "href") == (
            "https://x.com/meridianbrief/status/1790000000000000000"
        )
        assert page.get_attribute("figure.embed-datawrapper .embed-link", "href") == (
            "https://datawrapper.dwcdn.net/AbC12/"
        )
        assert hosts_of(requests) == {urlsplit(embeds_url).netloc}
        with page.expect_request(lambda request: urlsplit(request.url).hostname == "www.youtube.com"):
            page.click("figure.embed-youtube .embed-link", no_wait_after=True)
    finally:
        context.close()


FITS_JS = """() => [...document.querySelectorAll('.embed-frame, .callout, .pullquote, .article-body figure')]
  .map(el => ({cls: el.className, right: el.getBoundingClientRect().right,
               clipped: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1}))"""


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_it_fits_a_phone(browser, embeds_url, javascript):
    context, page, _ = open_page(browser, embeds_url, width=360, javascript=javascript)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"horizontal scrolling of {overflow}px at 360px"
        boxes = page.evaluate(FITS_JS)
        assert len(boxes) >= 8
        assert [box for box in boxes if box["right"] > 360 or box["clipped"]] == []
        if javascript:
            page.click("figure.embed-youtube .embed-load")
            frame = page.locator("figure.embed-youtube iframe").bounding_box()
            assert frame is not None and frame["width"] > 300 and abs(frame["height"] - frame["width"] * 9 / 16) <= 2
            assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    finally:
        context.close()


@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (360, "dark"), (1280, "light"), (1280, "dark")])
def test_no_serious_axe_violation(browser, embeds_url, node_tool, width, scheme):
    context, page, _ = open_page(browser, embeds_url, width=width, scheme=scheme)
    try:
        page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
        serious = axe_serious(page)
        page.click("figure.embed-datawrapper .embed-load")  # and with a player in the page
        serious += axe_serious(page, iframes=False)  # its document is the provider's (unreachable here)
    finally:
        context.close()
    assert serious == [], "\n".join(serious)


def axe_serious(page, *, iframes: bool = True) -> list[str]:
    options = json.dumps({"resultTypes": ["violations"], "iframes": iframes})
    result = page.evaluate(f"async () => await axe.run(document, {options})")
    return [
        f"{v['id']} [{v['impact']}] {v['help']}: {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_page_is_valid_html(embeds_site, node_tool):
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "java is missing: run 'make test'"
    page = embeds_site / PATH.strip("/") / "index.html"
    html = page.read_text(encoding="utf-8")
    assert html.count('<figure class="embed ') == 3 and 'class="callout callout-warning"' in html
    assert 'class="pullquote"' in html and "<figcaption>Water prices rose in every tier</figcaption>" in html
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--stdout", "--format", "json", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors = [
        f"{m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stdout)["messages"]
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [] and result.returncode == 0, "\n".join(errors)
