"""The default theme as a reader's browser draws it: a guard on the computed styles that define
each component (so that a rule losing its declarations, as the share row's once did, fails a
test), the front page's layout, bylines that wrap cleanly, the search page's margins, and
full-page screenshots of every page kind for people to review (never compared pixel by pixel).

Screenshots go to ``$BRIEF_SCREENSHOTS`` or ``.screenshots/`` in the repository (git-ignored)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from helpers import REPO

ARTICLE = "/2026/09/central-banks-hold-steady/"
WIDTHS = [360, 1280]
SCHEMES = ["light", "dark"]
PAGE_KINDS = {
    "front": "/",
    "front-page-2": "/page/2/",
    "article": ARTICLE,
    "section": "/sections/economy/",
    "tag": "/tags/energy-storage/",
    "author": "/authors/ana-ortiz/",
    "sections": "/sections/",
    "tags": "/tags/",
    "authors": "/authors/",
    "archive": "/archive/",
    "archive-year": "/archive/2026/",
    "page": "/about/",
    "corrections": "/corrections/",
    "search": "/search/?q=rates",
    "404": "/404.html",
}

STYLES_JS = """([selector, props]) => {
  const el = document.querySelector(selector);
  if (!el) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const out = {width: box.width, height: box.height};
  for (const p of props) out[p] = style.getPropertyValue(p);
  return out;
}"""


def _px(value: str) -> float:
    match = re.match(r"-?[\d.]+", value or "")
    return float(match.group()) if match else 0.0


def _opaque(colour: str) -> bool:
    """A computed background colour that paints something."""
    return bool(colour) and colour not in ("transparent", "rgba(0, 0, 0, 0)")


def _pill(s: dict) -> list[str]:
    wrong = []
    if _px(s["border-top-left-radius"]) < 16:
        wrong.append(f"border radius {s['border-top-left-radius']}")
    if _px(s["padding-left"]) < 8 or _px(s["padding-top"]) < 4:
        wrong.append(f"padding {s['padding-top']} {s['padding-left']}")
    if "none" not in s["text-decoration-line"]:
        wrong.append(f"underlined ({s['text-decoration-line']})")
    if s["border-top-style"] != "solid" or _px(s["border-top-width"]) < 1:
        wrong.append("no border")
    if s["height"] < 40:
        wrong.append(f"{s['height']:.0f}px tall: too small to tap")
    if "serif" in s["font-family"] and "sans" not in s["font-family"] and "system-ui" not in s["font-family"]:
        wrong.append(f"serif type {s['font-family']}")
    return wrong


PILL = ["border-top-left-radius", "padding-left", "padding-top", "text-decoration-line", "border-top-style"]
PILL += ["border-top-width", "font-family"]

# (component, page, selector, computed properties, check: styles → what is wrong)
COMPONENTS = [
    (
        "header",
        ARTICLE,
        ".site-header",
        ["border-bottom-width", "background-color"],
        lambda s: [] if _px(s["border-bottom-width"]) >= 1 else ["no rule under the header"],
    ),
    (
        "hero",
        ARTICLE,
        "figure.hero img",
        ["display"],
        lambda s: [] if s["width"] >= 300 else [f"hero only {s['width']:.0f}px wide"],
    ),
    (
        "takeaways",
        ARTICLE,
        ".takeaways",
        ["background-color", "border-top-width"],
        lambda s: [] if _opaque(s["background-color"]) else ["takeaways box has no background"],
    ),
    (
        "editor's desk",
        ARTICLE,
        ".editors-desk",
        ["background-color", "border-left-width"],
        lambda s: (
            ([] if _opaque(s["background-color"]) else ["no background"])
            + ([] if _px(s["border-left-width"]) >= 2 else ["no rule on its left"])
        ),
    ),
    ("share links", ARTICLE, ".share-link[href]", PILL, _pill),
    ("copy-link button", ARTICLE, "button.share-copy", PILL, _pill),
    (
        "related cards",
        ARTICLE,
        ".related-item",
        ["background-color", "border-top-width", "border-top-left-radius"],
        lambda s: (
            ([] if _opaque(s["background-color"]) else ["no background"])
            + ([] if _px(s["border-top-width"]) >= 2 else ["no accent rule on top"])
        ),
    ),
    ("pagination", "/", ".pagination-link", PILL, _pill),
    (
        "search box",
        "/",
        ".site-search-input",
        ["border-top-width", "border-top-left-radius", "font-family"],
        lambda s: (
            ([] if _px(s["border-top-width"]) >= 1 else ["no border"])
            + ([] if _px(s["border-top-left-radius"]) >= 2 else ["square corners"])
            + ([] if "system-ui" in s["font-family"] else [f"not the theme's type: {s['font-family']}"])
        ),
    ),
    (
        "front-page lead",
        "/",
        ".lead-title",
        ["font-size", "font-family"],
        lambda s: (
            ([] if _px(s["font-size"]) >= 27 else [f"lead headline only {s['font-size']}"])
            + ([] if "Charter" in s["font-family"] or "serif" in s["font-family"] else ["not serif"])
        ),
    ),
    (
        "front-page cards",
        "/",
        ".cards-secondary .card",
        ["background-color", "border-top-width", "box-shadow"],
        lambda s: (
            ([] if _opaque(s["background-color"]) else ["no background"])
            + ([] if _px(s["border-top-width"]) >= 2 else ["no accent rule on top"])
        ),
    ),
]


@pytest.fixture(scope="module", params=[(w, c) for c in SCHEMES for w in WIDTHS], ids=lambda p: f"{p[0]}-{p[1]}")
def themed_page(request, browser):
    width, scheme = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    yield page, width, scheme
    context.close()


def test_every_component_has_the_styles_that_define_it(themed_page, sample_url):
    page, width, scheme = themed_page
    wrong = []
    for name, path, selector, props, check in COMPONENTS:
        if page.url != sample_url + path:
            page.goto(sample_url + path)
        styles = page.evaluate(STYLES_JS, [selector, props])
        if styles is None:
            wrong.append(f"{name}: nothing matches {selector} on {path}")
            continue
        wrong += [f"{name} ({selector}) at {width}px, {scheme}: {problem}" for problem in check(styles)]
    assert wrong == [], "\n".join(wrong)


def test_the_share_row_is_one_row_of_matching_pills(themed_page, sample_url):
    page, width, _ = themed_page
    page.goto(sample_url + ARTICLE)
    pills = page.eval_on_selector_all(
        ".share-actions .share-link",
        """els => els.map(e => { const s = getComputedStyle(e), r = e.getBoundingClientRect();
            return {tag: e.tagName, radius: s.borderTopLeftRadius, font: s.fontFamily, size: s.fontSize,
                    height: Math.round(r.height), top: Math.round(r.top)}; })""",
    )
    assert [p["tag"] for p in pills] == ["A", "A", "A", "A", "BUTTON"]
    assert len({(p["radius"], p["font"], p["size"], p["height"]) for p in pills}) == 1, pills
    if width >= 1280:
        assert len({p["top"] for p in pills}) == 1, "the share row wraps at 1280px"
    link = page.locator(".share-link[href]").first
    before = page.evaluate("e => getComputedStyle(e).backgroundColor", link.element_handle())
    link.hover()
    page.wait_for_timeout(250)  # the colour transition
    assert page.evaluate("e => getComputedStyle(e).backgroundColor", link.element_handle()) != before
    page.keyboard.press("Tab")
    link.focus()
    outline = page.evaluate("e => getComputedStyle(e).outlineStyle", link.element_handle())
    assert outline != "none"


def test_front_page_shows_a_lead_cards_and_section_blocks(themed_page, sample_url):
    page, width, _ = themed_page
    page.goto(sample_url + "/")
    lead = page.locator(".lead")
    assert lead.count() == 1
    image = page.locator(".lead-media img")
    assert image.get_attribute("loading") is None and image.get_attribute("fetchpriority") == "high"
    assert page.evaluate("document.querySelector('.lead-media img').complete")
    assert page.locator(".cards-secondary .card").count() == 4
    assert page.locator(".cards-secondary .card-media img[loading=lazy]").count() >= 1
    assert page.locator(".cards-secondary .entry-takeaway").count() == 4
    blocks = page.eval_on_selector_all(
        ".front-section",
        "els => els.map(e => [e.querySelector('h2 a').textContent, e.querySelector('h2 a').getAttribute('href'),"
        " e.querySelectorAll('.front-section-item').length, e.querySelectorAll('.front-section-takeaway').length])",
    )
    assert [b[0] for b in blocks] == ["Climate", "Economy", "Technology"]
    assert all(b[1].startswith("/sections/") and b[2] >= 1 and b[2] == b[3] for b in blocks), blocks
    on_top = set(page.eval_on_selector_all(".front-top h2 a", "els => els.map(e => e.getAttribute('href'))"))
    below = set(page.eval_on_selector_all(".front-section-item a", "els => els.map(e => e.getAttribute('href'))"))
    assert on_top and below and not on_top & below, "a story is shown twice"
    columns = page.evaluate("getComputedStyle(document.querySelector('.lead')).gridTemplateColumns.split(' ').length")
    assert columns == (2 if width >= 1280 else 1)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


CLS_JS = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: 'layout-shift', buffered: true});
  window.scrollTo(0, document.body.scrollHeight);
  setTimeout(() => { window.scrollTo(0, 0); setTimeout(() => resolve(total), 300); }, 700);
})"""


@pytest.mark.parametrize("path", ["/", "/sections/economy/", ARTICLE])
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_with_images_do_not_shift_as_they_load(browser, sample_url, path, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(sample_url + path)
    shift = page.evaluate(CLS_JS)
    context.close()
    assert shift < 0.01, f"cumulative layout shift {shift:.3f} on {path} at {width}px"


def test_front_page_html_and_css_stay_small(sample_output):
    html = (sample_output / "index.html").read_bytes()
    css = re.search(rb'href="(/css/brief\.[0-9a-f]{8}\.css)"', html)
    assert css is not None
    total = len(html) + (sample_output / css.group(1).decode().lstrip("/")).stat().st_size
    assert total < 50 * 1024, f"front page HTML + CSS is {total} bytes"


@pytest.mark.parametrize("width", WIDTHS)
def test_a_wrapped_byline_starts_no_line_with_a_dot(browser, sample_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(sample_url + ARTICLE)
    page.evaluate("document.querySelector('.byline-authors').append(', Amira Haddad-Lindqvist and Joseph Oyelaran')")
    report = page.evaluate(
        """() => {
      const line = document.querySelector('.byline');
      const edge = line.getBoundingClientRect().left;
      return [...line.querySelectorAll('.meta-items > *')].map(e => {
        const r = e.getBoundingClientRect(); return {left: Math.round(r.left - edge), top: Math.round(r.top)}; });
    }"""
    )
    context.close()
    rows: dict[int, list[int]] = {}
    for item in report:
        rows.setdefault(item["top"], []).append(item["left"])
    # each row's first item (its dot drawn before it) begins a dot's width left of the visible box
    assert all(min(lefts) < 0 for lefts in rows.values()), report
    assert width > 400 or len(rows) > 1, "the long byline should wrap at 360px"


@pytest.mark.parametrize("width", WIDTHS)
def test_search_page_has_the_margins_of_every_page(browser, sample_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(sample_url + "/search/?q=rates")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
    page.wait_for_function("!document.querySelector('.pagefind-ui__loading')", timeout=15000)  # every result in
    search = page.evaluate("document.querySelector('.search-page').getBoundingClientRect().left")
    header = page.evaluate("document.querySelector('.site-title').getBoundingClientRect().left")
    title_font = page.evaluate("getComputedStyle(document.querySelector('.pagefind-ui__result-title')).fontFamily")
    mark = page.evaluate("getComputedStyle(document.querySelector('#brief-search mark')).backgroundColor")
    excerpts = page.eval_on_selector_all(
        ".pagefind-ui__result",
        "els => els.map(e => [e.querySelector('.pagefind-ui__result-link').textContent,"
        " e.querySelector('.pagefind-ui__result-excerpt').textContent])",
    )
    context.close()
    assert search >= 12 and abs(search - header) <= 1 if width < 600 else search >= 12
    assert "Charter" in title_font or "serif" in title_font
    assert mark not in ("rgb(255, 255, 0)", "rgba(0, 0, 0, 0)")
    for title, excerpt in excerpts:
        last_words = " ".join(title.split()[-2:]).lower()
        assert not excerpt.lower().startswith(last_words), (title, excerpt)


def test_articles_print_without_navigation_and_with_link_addresses(browser, sample_url):
    context = browser.new_context(viewport={"width": 800, "height": 1000})
    page = context.new_page()
    page.goto(sample_url + ARTICLE)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        """() => ['.site-nav', '.site-search', '.share', '.skip-link', '.site-footer-nav'].map(sel => {
      const el = document.querySelector(sel); return [sel, !el || getComputedStyle(el).display === 'none'
        || el.getBoundingClientRect().height === 0]; })"""
    )
    shown = page.evaluate(
        """() => { const a = [...document.querySelectorAll('.article-body a[href^="http"]')][0];
      return a ? getComputedStyle(a, '::after').content : null; }"""
    )
    pdf = page.pdf(format="A4")
    context.close()
    assert [sel for sel, gone in hidden if not gone] == []
    assert shown and "http" in shown, f"a link's address is not printed: {shown}"
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


def test_screenshots_of_every_page_kind(browser, sample_url):
    folder = Path(os.environ.get("BRIEF_SCREENSHOTS") or REPO / ".screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    taken = []
    for scheme in SCHEMES:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
            page = context.new_page()
            for kind, path in PAGE_KINDS.items():
                response = page.goto(sample_url + path)  # "load": the page, its styles, fonts and images in view
                assert response is not None and (response.ok or kind == "404"), path
                if kind == "search":
                    page.wait_for_selector(".pagefind-ui__result", timeout=15000)
                target = folder / f"{kind}-{width}-{scheme}.png"
                page.screenshot(path=str(target), full_page=True)
                taken.append(target)
            context.close()
    assert all(path.stat().st_size > 5_000 for path in taken)
    assert len(taken) == len(PAGE_KINDS) * len(WIDTHS) * len(SCHEMES)
