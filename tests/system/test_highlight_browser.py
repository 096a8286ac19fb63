"""Highlighted code in a real Chromium, light and dark: coloured, and at WCAG AA contrast (axe-core)."""

from __future__ import annotations

import pytest

ARTICLE = "/2026/10/grid-batteries-winter/"  # the sample article with a ```python block


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_code_is_coloured_and_readable(browser, sample_url, node_tool, scheme):
    context = browser.new_context(color_scheme=scheme, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(sample_url + ARTICLE)
    code = page.locator("pre code.language-python")
    assert code.count() == 1
    colours = page.evaluate(
        """() => ['hl-k', 'hl-nf', 'hl-s2', 'hl-c1', 'hl-mi', 'hl-nb', 'hl-o'].map(
             name => getComputedStyle(document.querySelector('pre .' + name)).color)"""
    )
    text = page.evaluate("() => getComputedStyle(document.querySelector('pre code')).color")
    assert text not in colours
    assert len(set(colours)) == len(colours), colours  # each kind of token its own colour
    page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
    result = page.evaluate(
        "async () => await axe.run('pre', {runOnly: ['color-contrast'], resultTypes: ['violations', 'passes']})"
    )
    assert result["violations"] == []
    checked = [node["target"] for rule in result["passes"] for node in rule["nodes"]]
    assert len(checked) >= 7, checked  # axe measured the spans themselves, not only the <pre>
    context.close()


def test_a_code_block_wider_than_a_phone_scrolls_and_takes_focus(browser, node_tool, tmp_path):
    """A long line scrolls inside its <pre>, which keyboard users can reach (axe
    scrollable-region-focusable: no violation), highlighted or not."""
    from conftest import BUILD_TIME, serve
    from helpers import article, make_site

    from brief.build import BuildOptions, build
    from brief.config import load_config

    body = "```python\nvalue = compute(" + ", ".join(f"argument_{i}" for i in range(30)) + ")\n```\n\n"
    body += "    plain indented code that is also much wider than a phone screen can show at once\n"
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    out = tmp_path / "out"
    build(load_config(site), out, BuildOptions(now=BUILD_TIME))
    with serve(out) as url:
        context = browser.new_context(viewport={"width": 360, "height": 800})
        page = context.new_page()
        folder = next(out.rglob("a/index.html")).parent.relative_to(out).as_posix()
        page.goto(f"{url}/{folder}/")
        assert page.evaluate("() => [...document.querySelectorAll('pre')].every(p => p.scrollWidth > p.clientWidth)")
        page.add_script_tag(path=str(node_tool("axe-core/axe.min.js")))
        result = page.evaluate("async () => await axe.run(document, {runOnly: ['scrollable-region-focusable']})")
        assert result["violations"] == []
        assert page.evaluate("() => [...document.querySelectorAll('pre')].map(p => p.tabIndex)") == [0, 0]
        context.close()
