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
