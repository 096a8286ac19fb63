"""``brief newsletter``'s HTML part in headless Chromium, at a phone's 360 px and a mail
client's 600 px, in light and dark colour schemes: nothing scrolls sideways, the content
is at most 600 px wide, every headline shows, the lead's image loads from the built site,
and axe-core finds nothing serious.

Images are served from the site's real build: the browser's requests to the site's
address are answered from the output folder, every other request is refused.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import BUILD_TIME
from helpers import article, make_site
from PIL import Image

from brief.build import BuildOptions, build
from brief.commands.edition import Request, make_edition
from brief.config import load_config

BASE = "https://news.example.org/briefs/"


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> tuple[str, list[str], Path]:
    """An edition whose lead has a PNG hero, with a long unbroken word and a code span in its
    takeaways; its HTML, its headlines and the site's real build."""
    tmp = tmp_path_factory.mktemp("mail")
    Image.new("RGB", (1600, 900), (20, 90, 140)).save(tmp / "hero.png")
    long_word = "Supercalifragilisticexpialidociousnessesandmore" * 2
    files: dict[str, str | bytes] = {
        "content/hero.png": (tmp / "hero.png").read_bytes(),
        "content/lead.md": article(
            title="Harbour Cranes Return After a Long Winter of Repairs and Delays",
            dek="The port's cranes are back, and with them the question of who pays for the delay.",
            date="2026-11-20",
            section="Trade",
            image={"src": "hero.png", "alt": "Three cranes at dusk"},
            takeaways=[f"A long word: {long_word}", "Fees rise by `3.5%` in [the list](second.md)", "A third"],
        ),
    }
    for n in range(5):
        files[f"content/b{n}.md"] = article(
            title=f"Brief {n}: what the council decided on the ferry timetable",
            dek="One sentence on why it matters.",
            date=f"2026-11-1{n}",
            section=("Economy", "Climate")[n % 2],
            takeaways=["First point of the brief.", "Second point, a little longer than the first one."],
        )
    files["content/second.md"] = article(title="Second", date="2026-11-01")
    site = make_site(tmp, files, f'title = "Harbour & Co"\nbase_url = "{BASE}"\n[newsletter]\nfooter = "Thanks."\n')
    config = load_config(site)
    build(config, site / "public", BuildOptions(now=BUILD_TIME))
    made = make_edition(config, Request(since="2026-11-01", intro="This week in the harbour.", now=BUILD_TIME))
    return made.html, [item.title for item in made.items], site / "public"


def _open(browser, html: str, out: Path, width: int, scheme: str):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)

    def answer(route):
        path = unquote(urlsplit(route.request.url).path)[len(urlsplit(BASE).path) :]
        file = out / (path + "index.html" if path.endswith("/") or not path else path)
        if file.is_file():
            route.fulfill(path=str(file))
        else:
            route.fulfill(status=404, body="not in the build")

    context.route(BASE + "**", answer)
    context.route(lambda url: not url.startswith(BASE), lambda route: route.abort())
    page = context.new_page()
    page.set_content(html, wait_until="load")
    return context, page


LAYOUT_JS = """() => {
  const card = document.querySelector('table.nl-card').getBoundingClientRect();
  const heads = [...document.querySelectorAll('h2')].map(h => {
    const r = h.getBoundingClientRect();
    return {text: h.innerText, visible: r.width > 0 && r.height > 0 && r.left >= 0 && r.right <= innerWidth};
  });
  const img = document.querySelector('img');
  return {scroll: document.documentElement.scrollWidth, card: card.width, heads,
          image: {loaded: img.complete && img.naturalWidth > 0, width: img.getBoundingClientRect().width},
          background: getComputedStyle(document.body).backgroundColor,
          text: getComputedStyle(document.querySelector('h2')).color};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 600])
def test_the_edition_fits_shows_every_headline_and_passes_axe(browser, node_tool, edition, width, scheme):
    html, headlines, out = edition
    context, page = _open(browser, html, out, width, scheme)
    try:
        layout = page.evaluate(LAYOUT_JS)
        assert layout["scroll"] <= width, f"horizontal scrolling: {layout['scroll']}px at {width}px"
        assert layout["card"] <= 600
        assert [h["text"] for h in layout["heads"]] == headlines
        assert all(h["visible"] for h in layout["heads"]), layout["heads"]
        assert layout["image"]["loaded"] and 0 < layout["image"]["width"] <= min(480, width)
        light = scheme == "light"
        assert (layout["background"] == "rgb(238, 237, 232)") is light, layout["background"]
        assert (layout["text"] == "rgb(31, 31, 31)") is light, layout["text"]
        page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} [{v['impact']}] {v['help']}: {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        assert serious == [], "\n".join(serious)
    finally:
        context.close()
