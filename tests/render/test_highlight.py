"""Fenced code highlighted at build time with Pygments (issue #15, item 9).

A fence whose language Pygments knows gets token spans (``hl-`` + Pygments' short class
names) inside markdown-it's usual ``<pre tabindex="0"><code class="language-x">`` (the pre takes focus: a wide block scrolls); any other fence is
rendered as before. The theme's colours for those classes keep WCAG AA contrast in both
colour schemes, checked here from static/css/brief.css itself.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO
from pygments.token import STANDARD_TYPES

from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer, highlight_code

CODE = 'def tiers(used: int) -> str:\n    """Price band."""\n    return "high" if used > 40 else f"low {used}"  # m³\n'
PRE = re.compile(r'<pre tabindex="0"><code class="language-python">(.*?)</code></pre>\n', re.S)


def render(site: Path, text: str) -> str:
    env = PageEnv(source=site / "content" / "a.md", relpath="content/a.md")
    return str(Renderer(Config(root=site), {}).block(text, env, 1))


def text_of(fragment: str) -> str:
    """What a reader sees (and copies): the fragment without its tags, unescaped."""
    return html.unescape(re.sub(r"<[^>]*>", "", fragment))


def fence(language: str, code: str) -> str:
    return f"```{language}\n{code}```\n"


def test_python_fence_gets_token_spans_and_keeps_its_text(tmp_path):
    out = render(tmp_path, fence("python", CODE))
    inner = PRE.fullmatch(out)
    assert inner, out
    spans = dict(re.findall(r'<span class="(hl-[a-z0-9]+)">([^<]*)</span>', inner.group(1)))
    assert {"hl-k", "hl-nf", "hl-nb", "hl-sd", "hl-s2", "hl-c1", "hl-mi", "hl-o"} <= set(spans)
    assert spans["hl-nf"] == "tiers"
    assert spans["hl-c1"] == "# m³"
    assert '<span class="hl-k">def</span>' in inner.group(1)
    assert text_of(inner.group(1)) == CODE


def test_language_name_is_case_insensitive_and_takes_no_attributes(tmp_path):
    out = render(tmp_path, fence("Python {.wide}", "x = 1\n"))
    assert out.startswith('<pre tabindex="0"><code class="language-Python"><span class="hl-n">x</span>')
    assert text_of(out) == "x = 1\n\n"  # the code's newline, then the one after </pre>


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        (
            "nosuchlanguage",
            '<pre tabindex="0"><code class="language-nosuchlanguage">if a &lt; b: &quot;x&quot;\n</code></pre>\n',
        ),
        ("", '<pre tabindex="0"><code>if a &lt; b: &quot;x&quot;\n</code></pre>\n'),
        (
            'py"><script>',
            '<pre tabindex="0"><code class="language-py&quot;&gt;&lt;script&gt;">if a &lt; b: &quot;x&quot;\n</code></pre>\n',
        ),
    ],
    ids=["unknown-language", "no-language", "hostile-language"],
)
def test_other_fences_stay_escaped_as_before(tmp_path, info, expected):
    assert render(tmp_path, fence(info, 'if a < b: "x"\n')) == expected


def test_empty_and_indented_code_are_unchanged(tmp_path):
    assert render(tmp_path, "```python\n```\n") == '<pre tabindex="0"><code class="language-python"></code></pre>\n'
    assert render(tmp_path, "    x = 1 < 2\n") == '<pre tabindex="0"><code>x = 1 &lt; 2\n</code></pre>\n'


@pytest.mark.parametrize("language", ["python", "html", "javascript", "bash", "text"])
def test_html_in_code_is_escaped(tmp_path, language):
    code = "s = '<script>alert(1)</script>' & \"</code></pre>\"\n<!-- x --> &amp;\n"
    out = render(tmp_path, fence(language, code))
    body = out.split(">", 2)[2].rsplit("</code></pre>", 1)[0]
    assert "<script" not in body and "</code" not in body and "<!--" not in body
    assert re.fullmatch(r'(?:[^<>]|<span class="hl-[a-z0-9]+">|</span>)*', body), body
    assert text_of(body) == code


def test_highlight_hook_declines_what_it_cannot_colour():
    assert highlight_code("x\n", "", "") == ""
    assert highlight_code("x\n", "no-such-lexer", "") == ""
    assert highlight_code("", "python", "") == ""
    blank_edges = "  \n\nx\n\n"  # Pygments would strip these blank lines unless told not to
    assert text_of(highlight_code(blank_edges, "python", "")) == blank_edges


LAZY_PYGMENTS = """
import sys
from pathlib import Path
import brief.build
from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer
loaded = lambda: sorted(name for name in sys.modules if name.startswith(("pygments.lexers", "pygments.formatters")))
print(loaded())
env = PageEnv(source=Path("content/a.md"), relpath="content/a.md")
renderer = Renderer(Config(root=Path(".")), {})
print(loaded())
print("hl-k" in renderer.block("```python\\ndef f(): pass\\n```\\n", env, 1), bool(loaded()))
"""


def test_pygments_lexers_are_imported_by_the_first_fence_with_a_language():
    """Most builds (and a cached build after an edit) highlight nothing: brief's start does
    not import Pygments' lexers and formatters, the first fence with a language does."""
    done = subprocess.run([sys.executable, "-c", LAZY_PYGMENTS], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "[]", "True True"]


def test_sample_article_shows_highlighted_code(sample_output):
    page = (sample_output / "2026/10/grid-batteries-winter/index.html").read_text(encoding="utf-8")
    assert '<pre tabindex="0"><code class="language-python"><span class="hl-k">def</span>' in page


# --- the theme's colours ----------------------------------------------------------------------

CSS = (REPO / "static/css/brief.css").read_text(encoding="utf-8")
BACKGROUNDS = ("--tint", "--desk-bg", "--bg", "--surface")  # code blocks, Editor's Desk, page, cards


def palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-f]{3,6})\b", block))


def luminance(colour: str) -> float:
    digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:])
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def schemes() -> dict[str, dict[str, str]]:
    light = palette(CSS.split("@media (prefers-color-scheme: dark)", 1)[0])
    dark_block = CSS.split("@media (prefers-color-scheme: dark)", 1)[1].split("\n}\n", 1)[0]
    printed = CSS.split("@media print", 1)[1].split("@page", 1)[0]
    return {"light": light, "dark": {**light, **palette(dark_block)}, "print": {**light, **palette(printed)}}


@pytest.mark.parametrize("scheme", ["light", "dark", "print"])
def test_code_colours_meet_wcag_aa_on_every_background(scheme):
    colours = schemes()[scheme]
    tokens = sorted(name for name in colours if name.startswith("--hl-"))
    assert len(tokens) == 7
    low = [
        f"{token} {colours[token]} on {bg} {colours[bg]}: {contrast(colours[token], colours[bg]):.2f}"
        for token in tokens
        for bg in BACKGROUNDS
        if contrast(colours[token], colours[bg]) < 4.5
    ]
    assert low == []


def test_stylesheet_names_only_pygments_classes():
    named = set(re.findall(r"\.hl-([a-z0-9]+)\b", CSS))
    assert {"k", "s2", "c1", "mi", "nf", "nc", "nb", "o"} <= named
    assert named <= set(STANDARD_TYPES.values())
    for token in re.findall(r"var\((--hl-[a-z]+)\)", CSS):
        assert f"{token}:" in CSS
