"""Markdown: the features we enable, safety of links and raw HTML, and links between articles.

Mostly through :class:`brief.markdown.Renderer` directly; the last tests run whole builds.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import article, make_site, read_output, run_build

from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "content/world").mkdir(parents=True)
    return tmp_path


def renderer(site: Path, urls: dict[str, str] | None = None, drafts: tuple[str, ...] = (), **options) -> Renderer:
    """A renderer for ``site``; ``urls`` maps content-relative paths of built articles to their URLs."""
    config = Config(root=site, **options)
    resolved = {(site / "content" / rel).resolve(): url for rel, url in (urls or {}).items()}
    return Renderer(config, resolved, frozenset((site / "content" / rel).resolve() for rel in drafts))


def page(site: Path, rel: str = "a.md") -> PageEnv:
    return PageEnv(source=site / "content" / rel, relpath=f"content/{rel}")


def render(site: Path, text: str, **options) -> str:
    return str(renderer(site, **options).block(text, page(site), 1))


# --- features ---------------------------------------------------------------------------------


def test_table(site):
    html = render(site, "| Region | Share |\n|:-------|------:|\n| North | 41% |\n")
    assert "<table>" in html
    assert '<th style="text-align:left">Region</th>' in html
    assert '<td style="text-align:right">41%</td>' in html


def test_strikethrough(site):
    assert render(site, "Rates ~~rose~~ held.") == "<p>Rates <s>rose</s> held.</p>\n"


def test_footnotes(site):
    html = render(site, "Wages slowed.[^wages]\n\n[^wages]: Source: payroll data.\n")
    assert '<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>' in html
    assert '<li id="fn1" class="footnote-item"><p>Source: payroll data.' in html


def test_footnotes_of_body_and_analysis_do_not_share_ids(site):
    r, env = renderer(site), page(site)
    body = str(r.block("A.[^1]\n\n[^1]: a\n", env, 1))
    analysis = str(r.block("B.[^1]\n\n[^1]: b\n", env, 20, doc_id="analysis"))
    assert set(_ids(body)).isdisjoint(_ids(analysis))


def test_heading_ids(site):
    html = render(
        site, "# Two kinds of inflation\n\n## Why officials wait\n\n## Why officials wait\n\n## `code` & Café\n"
    )
    assert _ids(html) == ["h-two-kinds-of-inflation", "h-why-officials-wait", "h-why-officials-wait-2", "h-code-cafe"]


def test_heading_ids_unique_across_body_and_analysis(site):
    r, env = renderer(site), page(site)
    analysis = str(r.block("## Outlook\n\nCalm.\n", env, 20, doc_id="analysis"))
    body = str(r.block("## Outlook\n\nText.\n\n## Outlook\n", env, 5))
    ids = _ids(analysis) + _ids(body)
    assert ids == ["h-outlook", "h-outlook-2", "h-outlook-3"]


def test_heading_ids_avoid_theme_and_footnote_ids(site):
    html = render(site, "# Brief header\n\n# fn1\n\n# fnref1\n\n# !!!\n\nx[^1]\n\n[^1]: n\n")
    assert _ids(html)[:4] == ["h-brief-header", "h-fn1", "h-fnref1", "h-section"]
    assert len(_ids(html)) == len(set(_ids(html)))


def test_typographer_off_by_default(site):
    assert render(site, '"Quoted" -- and... (c)') == "<p>&quot;Quoted&quot; -- and... (c)</p>\n"


def test_typographer_on(site):
    assert render(site, '"Quoted" -- it\'s... (c)', typographer=True) == "<p>“Quoted” – it’s… ©</p>\n"


def test_raw_html_escaped_with_html_escape(site):
    html = render(site, 'Hi <span class="x">there</span>\n\n<script>alert(1)</script>\n', html="escape")
    assert "<span" not in html and "<script" not in html
    assert "&lt;span class=&quot;x&quot;&gt;there&lt;/span&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_raw_html_passed_with_html_trusted(site):
    html = render(site, 'Hi <span class="x">there</span>\n\n<div class="note">Note</div>\n', html="trusted")
    assert '<span class="x">there</span>' in html
    assert '<div class="note">Note</div>' in html


@pytest.mark.parametrize(
    ("mode", "tail"),
    [("escape", "&lt;b&gt;"), ("safe", "<b></b>"), ("trusted", "<b>")],
    ids=["escape", "safe", "trusted"],
)
def test_inline_markdown(site, mode, tail):
    r = renderer(site, html=mode)  # "safe" closes what raw HTML leaves open at the end of the line
    assert (
        str(r.inline("Services **well above** target <b>", page(site), 3))
        == f"Services <strong>well above</strong> target {tail}"
    )


# --- dangerous links --------------------------------------------------------------------------

DANGEROUS = [
    "[x](javascript:alert(1))",
    "[x](JavaScript:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](java&#x73;cript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBSCRIPT:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,x>",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: data:text/html,x",
    "![x](javascript:alert(1))",
    "![x](data:text/html,x)",
]


@pytest.mark.parametrize("text", DANGEROUS)
@pytest.mark.parametrize("mode", ["escape", "safe", "trusted"])
def test_dangerous_links_never_become_href(site, text, mode):
    html = render(site, text, html=mode)
    for attr in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert not re.match(r"\s*(javascript|vbscript|data):", attr, re.IGNORECASE), html
    assert "href=" not in html and "src=" not in html


def test_safe_links_kept(site):
    html = render(site, "[a](https://example.org/x?q=1) [b](#part) [c](mailto:desk@example.org)")
    assert '<a href="https://example.org/x?q=1">a</a>' in html
    assert '<a href="#h-part">b</a>' in html
    assert '<a href="mailto:desk@example.org">c</a>' in html


# --- links between articles -------------------------------------------------------------------


def test_relative_md_link_resolved(site):
    r = renderer(site, {"other.md": "/2026/10/other/"})
    assert (
        str(r.block("See [the other](other.md).", page(site), 5))
        == '<p>See <a href="/2026/10/other/">the other</a>.</p>\n'
    )


def test_relative_md_link_keeps_fragment(site):
    r = renderer(site, {"world/other.md": "/2026/10/other/"})
    html = str(r.block("[a](world/other.md#two-kinds) [b](./world/other.md)", page(site), 5))
    assert '<a href="/2026/10/other/#h-two-kinds">a</a>' in html
    assert '<a href="/2026/10/other/">b</a>' in html


def test_relative_md_link_from_a_subfolder(site):
    r = renderer(site, {"other.md": "/2026/10/other/"})
    html = str(r.block("[up](../other.md)", page(site, "world/a.md"), 5))
    assert '<a href="/2026/10/other/">up</a>' in html


def test_md_link_in_takeaway(site):
    r, env = renderer(site, {"other.md": "/2026/10/other/"}), page(site)
    assert str(r.inline("As [before](other.md#x)", env, 7)) == 'As <a href="/2026/10/other/#h-x">before</a>'
    assert env.problems == []


def test_links_that_are_not_article_paths_untouched(site):
    r, env = renderer(site, {"other.md": "/2026/10/other/"}), page(site)
    html = str(r.block("[a](https://example.org/README.md) [b](/docs/other.md) [c](other.mdx)", env, 1))
    assert '<a href="https://example.org/README.md">a</a>' in html
    assert '<a href="/docs/other.md">b</a>' in html
    assert '<a href="other.mdx">c</a>' in html
    assert env.problems == []


def test_missing_md_link_reported_with_its_line(site):
    r, env = renderer(site), page(site)
    r.block("Intro.\n\n| a |\n|---|\n| [t](gone.md) |\n\nOne\ntwo [x](../nope.md) and\n[y](world/none.md#p)\n", env, 10)
    assert [p.format() for p in env.problems] == [
        "content/a.md:14: body: link to a missing article: content/gone.md (expected the path of an article's .md file, relative to this file)",
        "content/a.md:17: body: link to a missing article: nope.md (expected the path of an article's .md file, relative to this file)",
        "content/a.md:18: body: link to a missing article: content/world/none.md (expected the path of an article's .md file, relative to this file)",
    ]


def test_link_to_a_draft_is_a_warning(site):
    r, env = renderer(site, drafts=("draft.md",)), page(site)
    html = str(r.block("[d](draft.md)", env, 6))
    assert [p.format() for p in env.problems] == [
        "content/a.md:6: warning: body: link to content/draft.md, which is a draft, scheduled or expired and not part "
        "of this build (its text is shown without the link) [link-not-built]"
    ]
    assert html == "<p>d</p>\n"  # no link to a page that is not there


def test_unreadable_md_link_is_a_problem_not_a_crash(site):
    r, env = renderer(site), page(site)
    r.block("[x](%00.md)", env, 1)
    assert [p.field for p in env.problems] == ["body"]


# --- whole builds -----------------------------------------------------------------------------


def test_build_resolves_links_under_a_base_path(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/economy/rates.md": article(title="Rates", body="## Outlook\n\nCalm.\n"),
            "content/b.md": article(
                title="B",
                date="2026-10-03",
                body="See [rates](economy/rates.md#outlook) and [ext](https://example.org/).\n\n## Outlook\n",
                analysis={"body": "## Outlook\n\nAs [rates](economy/rates.md) said.\n"},
                takeaways=["Read [rates](economy/rates.md)."],
            ),
        },
        'base_url = "https://example.org/briefs/"\n',
    )
    code, _, err = run_build(site)
    assert code == 0, err
    html = read_output(site, "2026/10/b/index.html")
    assert '<a href="/briefs/2024/01/rates/#h-outlook">rates</a>' in html
    assert html.count('<a href="/briefs/2024/01/rates/">rates</a>') == 2
    ids = _ids(html)
    assert len(ids) == len(set(ids)), ids
    assert "h-outlook" in ids and "h-outlook-2" in ids


def test_build_fails_on_link_to_missing_article_under_a_subfolder(tmp_path):
    site = make_site(tmp_path, {"content/world/a.md": article(body="\n[x](../economy/rates.md)\n")})
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "content/world/a.md:6: body: link to a missing article: content/economy/rates.md "
        "(expected the path of an article's .md file, relative to this file)"
    ) in err.splitlines()
    assert not (site / "public").exists()


SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><title>x</title></svg>'
OTHER_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 3"><title>y</title></svg>'


def test_body_images_next_to_the_article_are_copied_and_root_paths_get_the_base_path(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/b.md": article(
                title="B",
                date="2026-10-03",
                image={"src": "/images/hero.svg", "alt": "Hero"},
                body=(
                    "![Chart](charts/rates.svg)\n\n![Same name](other/rates.svg)\n\n"
                    "![Static](/images/hero.svg) and [home](/about/) and [q](other.md?view=print#top).\n"
                ),
            ),
            "content/other.md": article(title="Other"),
            "content/charts/rates.svg": SVG,
            "content/other/rates.svg": OTHER_SVG,
            "static/images/hero.svg": SVG,
            "static/about/index.html": "<p>About us</p>\n",
        },
        'base_url = "https://example.org/briefs/"\n',
    )
    code, _, err = run_build(site)
    assert code == 0, err
    html = read_output(site, "2026/10/b/index.html")
    assert '<img src="/briefs/images/hero.svg" alt="Hero"' in html
    # Images in the text load lazily; an SVG with only a viewBox gets no width= and height=.
    assert '<img src="/briefs/2026/10/b/rates.svg" alt="Chart" loading="lazy" decoding="async" />' in html
    other = re.search(
        r'<img src="/briefs/2026/10/b/(rates-[0-9a-f]{8}\.svg)" alt="Same name" loading="lazy" decoding="async" />',
        html,
    )
    assert other, html
    assert read_output(site, "2026/10/b/rates.svg") == SVG
    assert read_output(site, f"2026/10/b/{other.group(1)}") == OTHER_SVG
    assert '<img src="/briefs/images/hero.svg" alt="Static" loading="lazy" decoding="async" />' in html
    assert '<a href="/briefs/about/">home</a>' in html
    assert '<a href="/briefs/2024/01/other/?view=print#top">q</a>' in html


def test_missing_body_image_is_an_error_with_its_line(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(body="Intro.\n\n![Chart](charts/missing.png)\n")})
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "content/a.md:7: body: image not found: content/charts/missing.png "
        "(expected a path relative to this file, or /images/... under static/)"
    ) in err.splitlines()


def test_body_image_outside_the_site_is_refused(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"x")
    site = make_site(tmp_path, {"content/a.md": article(body="![x](../../secret.png)\n")})
    code, _, err = run_build(site)
    assert code == 1
    assert "content/a.md:5: body: image ../../secret.png points outside the site folder" in err.splitlines()


def _ids(html: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', html)


def test_h1_in_markdown_becomes_h2(site):
    assert render(site, "# Top\n\n## Next\n") == '<h2 id="h-top">Top</h2>\n<h2 id="h-next">Next</h2>\n'


def test_heading_ids_never_name_a_global_a_script_may_look_up(site):
    """An id is a global name in browsers (window.pagefind would be the heading): every
    heading's id starts with h-, whatever its text."""
    html = render(site, "## location\n\n## cookie\n\n## Pagefind\n\n## config\n\n## h-already\n")
    assert _ids(html) == ["h-location", "h-cookie", "h-pagefind", "h-config", "h-h-already"]


def test_links_to_a_heading_by_its_text_keep_working(site):
    """README: links to #anchor (on the page or in another article's .md) lead to the heading."""
    r, env = renderer(site, {"other.md": "/2026/10/other/"}), page(site)
    html = str(r.block("## Outlook\n\nSee [below](#outlook), [there](other.md#outlook) and [note](#fn1).\n", env, 3))
    assert 'id="h-outlook"' in html
    assert 'href="#h-outlook"' in html and 'href="/2026/10/other/#h-outlook"' in html
    assert 'href="#fn1"' in html  # footnotes and the theme's brief- ids keep their names
