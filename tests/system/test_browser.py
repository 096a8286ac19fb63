"""The article page in a real headless Chromium: order of parts, phone layout, accessibility."""

from __future__ import annotations

import pytest

ARTICLE = "/2026/10/grid-batteries-winter/"
PARTS = [  # the order the article page must show, as CSS selectors inside <article class="brief">
    ("section label", ".section-label"),
    ("title", "h1"),
    ("dek", ".dek"),
    ("byline", ".byline"),
    ("hero figure", "figure.hero"),
    ("key takeaways", ".takeaways"),
    ("editor's desk", ".editors-desk"),
    ("body", ".article-body"),
    ("share", ".share"),
    ("related", ".related"),
]

ORDER_JS = """(selectors) => selectors.map(sel => {
  const root = document.querySelector('article.brief');
  const el = root && root.querySelector(sel);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return {top: r.top + window.scrollY, visible: r.width > 0 && r.height > 0,
          before: [...root.querySelectorAll('*')].indexOf(el)};
})"""


@pytest.fixture(params=[360, 1280], ids=["phone-360", "desktop-1280"])
def page_at(request, browser, sample_url):
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    page = context.new_page()
    yield page, request.param
    context.close()


def test_article_parts_in_order_and_no_horizontal_scroll(page_at, sample_url):
    page, width = page_at
    page.goto(sample_url + ARTICLE)
    found = page.evaluate(ORDER_JS, [sel for _, sel in PARTS])
    missing = [name for (name, _), info in zip(PARTS, found) if info is None or not info["visible"]]
    assert missing == []
    positions = [info["before"] for info in found]
    assert positions == sorted(positions), "parts are out of document order"
    tops = [info["top"] for info in found]
    assert tops == sorted(tops), f"parts are not shown top to bottom at {width}px: {tops}"
    assert page.inner_text("h1") == "Batteries Carry the Grid Through a Windless Week"
    assert page.locator(".takeaways ol > li").count() == 4
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"horizontal scrolling of {overflow}px at {width}px"


def test_copy_link_button_appears_with_javascript(browser, sample_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(sample_url + ARTICLE)
    button = page.locator(".share button[data-copy-url]")
    assert button.is_visible()
    assert button.get_attribute("data-copy-url") == "https://meridian.example.org/2026/10/grid-batteries-winter/"
    context.close()


def test_share_links_work_without_javascript(browser, sample_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(sample_url + ARTICLE)
    hrefs = page.eval_on_selector_all(".share a", "els => els.map(e => e.href)")
    assert any(h.startswith("https://x.com/") for h in hrefs)
    assert any(h.startswith("https://www.linkedin.com/") for h in hrefs)
    assert any(h.startswith("https://www.facebook.com/") for h in hrefs)
    assert any(h.startswith("mailto:") for h in hrefs)
    assert not page.locator(".share button").is_visible()
    context.close()


def axe_serious(browser, url: str, width: int, node_tool, ready: str | None = None, scheme: str = "light") -> list[str]:
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(url)
    if ready:
        page.wait_for_selector(ready, timeout=15000)
        # Pagefind's UI shows its first result before the others have loaded: checked once none is loading
        page.wait_for_function("!document.querySelector('.pagefind-ui__loading')", timeout=15000)
    page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} [{v['impact']}] {v['help']}: {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        serious.append(f"horizontal scrolling of {overflow}px at {width}px")
    context.close()
    return serious


@pytest.mark.parametrize(
    "path",
    [
        "/",
        ARTICLE,
        "/2026/11/rural-satellite-broadband/",
        "/page/2/",
        "/404.html",
        "/sections/",
        "/tags/",
        "/tags/energy-storage/",
        "/sections/economy/",
        "/authors/",
        "/authors/ana-ortiz/",
        "/archive/",
        "/archive/2026/",
        "/about/",
    ],
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_axe_finds_no_serious_violation(browser, sample_url, node_tool, path, width, scheme):
    serious = axe_serious(browser, sample_url + path, width, node_tool, scheme=scheme)
    assert serious == [], "\n".join(serious)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_search_page_with_results_is_accessible(browser, sample_url, node_tool, width, scheme):
    # Pagefind's UI is built by script: checked once its results and filters are on the page.
    serious = axe_serious(
        browser, sample_url + "/search/?q=water", width, node_tool, ready=".pagefind-ui__result-link", scheme=scheme
    )
    assert serious == [], "\n".join(serious)


@pytest.mark.parametrize("path", ["/2026/04/uberblick-markte/", "/2026/04/ekonomika/", "/2026/04/einbettungen/"])
def test_awkward_pages_are_accessible_and_fit_a_phone(browser, edge_url, node_tool, path):
    serious = axe_serious(browser, edge_url + path, 360, node_tool)
    assert serious == [], "\n".join(serious)
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(edge_url + path)
    assert page.locator("article.brief h1").count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 0
