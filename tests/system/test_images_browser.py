"""Responsive images in a real headless Chromium: which copy the browser picks at 360 px
and 1280 px, that the space of every image is reserved before it arrives, and that the
sample site's article pages stay small and never ask another host for anything."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from conftest import BUILD_TIME, serve
from helpers import article, make_site
from test_images import picture

from brief.build import BuildOptions, build
from brief.config import load_config

COPY = re.compile(r"-(\d+)w\.[0-9a-f]{8}\.(webp|jpg|png)$")
SAMPLE_ARTICLE = "/2026/09/river-basin-water-pricing/"
SAMPLE_CHART = "img[src*='water-price-tiers']"

STATE_JS = """(selector) => {
  const img = document.querySelector(selector);
  const box = img.getBoundingClientRect();
  return {current: img.currentSrc, complete: img.complete, natural: img.naturalWidth,
          width: box.width, height: box.height, loading: img.loading};
}"""


@pytest.fixture(scope="module")
def image_url(tmp_path_factory):
    """A site with a 2400-px JPEG hero and a 1200-px PNG chart far down the text, served."""
    root = tmp_path_factory.mktemp("images-browser")
    filler = "".join(f"Paragraph {n} of the text, long enough to push the chart below the fold.\n\n" for n in range(40))
    site = make_site(
        root,
        {
            "content/story.md": article(
                title="A story",
                date="2026-03-02",
                image={"src": "pics/hero.jpg", "alt": "The hero"},
                body=filler + "![Chart](pics/chart.png)\n\nThe end.\n",
            ),
            "content/pics/hero.jpg": picture(2400, 1350, "JPEG"),
            "content/pics/chart.png": picture(1200, 675),
        },
    )
    out = root / "out"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME))
    with serve(out) as url:
        yield url + "/2026/03/story/"


def shown(browser, url: str, width: int, scale: float, selector: str, *, block_images: bool = False) -> dict:
    """Open ``url`` in a fresh context (nothing cached), bring ``selector`` into view and
    wait until its image has loaded; returns what the browser shows."""
    context = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    try:
        page = context.new_page()
        if block_images:
            page.route(re.compile(r"\.(webp|jpg|png|svg)$"), lambda route: route.abort())
        page.goto(url)
        page.locator(selector).scroll_into_view_if_needed()
        if not block_images:
            page.wait_for_function(
                "(s) => { const i = document.querySelector(s); return i.complete && i.naturalWidth > 0 }", arg=selector
            )
        return page.evaluate(STATE_JS, selector)
    finally:
        context.close()


def picked(state: dict) -> tuple[int, str]:
    match = COPY.search(urlsplit(state["current"]).path)
    assert match, f"not a resized copy: {state['current']}"
    return int(match.group(1)), match.group(2)


@pytest.mark.parametrize(
    ("width", "scale", "hero", "chart"),
    [
        (360, 1, 480, 480),  # the hero fills 360 px, the chart 328: the 480 copies
        (360, 2, 960, 960),  # twice the pixels on a phone: 720 and 656 device pixels
        (1280, 1, 960, 960),  # the wide column (902 px) and the text column (646 px)
    ],
)
def test_the_browser_picks_a_copy_for_its_width(browser, image_url, width, scale, hero, chart):
    state = shown(browser, image_url, width, scale, "figure.hero img")
    assert picked(state) == (hero, "webp"), state
    state = shown(browser, image_url, width, scale, "img[alt='Chart']")
    assert picked(state) == (chart, "webp"), state
    assert state["loading"] == "lazy"


def test_small_screens_take_smaller_copies_than_large_ones(browser, image_url):
    small = picked(shown(browser, image_url, 360, 1, "figure.hero img"))[0]
    large = picked(shown(browser, image_url, 1280, 1, "figure.hero img"))[0]
    assert small < large


@pytest.mark.parametrize("width", [360, 1280])
def test_the_space_is_reserved_before_the_image_arrives(browser, image_url, width):
    # Images never arrive here: the boxes still have the images' shape (no layout shift).
    for selector, ratio in (("figure.hero img", 1350 / 2400), ("img[alt='Chart']", 675 / 1200)):
        state = shown(browser, image_url, width, 1, selector, block_images=True)
        assert state["natural"] == 0
        assert state["width"] > 300
        assert abs(state["height"] - state["width"] * ratio) <= 1, (selector, state)


@pytest.mark.parametrize(("width", "expected"), [(360, 480), (1280, 960)])
def test_the_sample_sites_chart(browser, sample_url, width, expected):
    state = shown(browser, sample_url + SAMPLE_ARTICLE, width, 1, SAMPLE_CHART)
    assert picked(state) == (expected, "webp"), state


class _Stylesheets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.hrefs.append(attrs["href"])


def test_sample_article_pages_are_small_and_local(browser, sample_output, sample_url):
    # HTML and CSS of every article page under 50 KB (images excluded)...
    for page in sorted(sample_output.glob("20*/*/*/index.html")):
        html = page.read_text(encoding="utf-8")
        parser = _Stylesheets()
        parser.feed(html)
        css = sum((sample_output / href.lstrip("/")).stat().st_size for href in parser.hrefs)
        assert parser.hrefs and len(html.encode()) + css < 50 * 1024, page
    # ...and the page with a raster image asks nothing of another host, lazy images included.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    try:
        page = context.new_page()
        hosts: set[str] = set()
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        page.goto(sample_url + SAMPLE_ARTICLE)
        page.locator(SAMPLE_CHART).scroll_into_view_if_needed()
        page.wait_for_function("(s) => document.querySelector(s).complete", arg=SAMPLE_CHART)
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert hosts == {urlsplit(sample_url).netloc}
