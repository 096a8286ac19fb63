"""An image alone in its paragraph with a title, ``![alt](src "Caption")``, is a <figure> with a
<figcaption> (brief.render.figures), and keeps everything brief does to images."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import article, make_site, read_output, run_build
from test_images import picture

from brief.config import Config
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer


@pytest.fixture
def site(tmp_path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"/>')
    return tmp_path


def render(site: Path, text: str) -> tuple[str, list[str]]:
    env = PageEnv(source=site / "content" / "a.md", relpath="content/a.md", url_path="/2026/01/a/")
    html = str(Renderer(Config(root=site), {}).block(text, env, 1))
    return html, [p.format() for p in env.problems]


def test_a_titled_image_alone_is_a_figure(site):
    html, problems = render(site, 'Text.\n\n![Rates since 2020](chart.svg "Rates rose & fell <sharply>")\n\nMore.\n')
    assert problems == []
    assert html == (
        "<p>Text.</p>\n"
        '<figure><img src="/2026/01/a/chart.svg" alt="Rates since 2020" width="40" height="30" loading="lazy" '
        'decoding="async" /><figcaption>Rates rose &amp; fell &lt;sharply&gt;</figcaption></figure>\n'
        "<p>More.</p>\n"
    )


def test_a_remote_image_too(site):
    html, _ = render(site, '![Map](https://example.org/map.png "The basin")\n')
    assert (
        html
        == '<figure><img src="https://example.org/map.png" alt="Map" /><figcaption>The basin</figcaption></figure>\n'
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("![Map](https://example.org/m.png)\n", '<p><img src="https://example.org/m.png" alt="Map" /></p>\n'),
        (
            'See ![Map](https://example.org/m.png "Basin")\n',
            '<p>See <img src="https://example.org/m.png" alt="Map" title="Basin" /></p>\n',
        ),
        (
            '[![Map](https://example.org/m.png "Basin")](https://example.org/)\n',
            '<p><a href="https://example.org/"><img src="https://example.org/m.png" alt="Map" title="Basin" /></a></p>\n',
        ),
    ],
)
def test_an_image_without_title_or_not_alone_stays_in_its_paragraph(site, text, expected):
    assert render(site, text)[0] == expected


def test_in_a_list_item_the_figure_stands_in_the_item(site):
    html, _ = render(site, '- ![Map](https://example.org/m.png "Basin")\n- two\n')
    assert html.startswith(
        '<ul>\n<li><figure><img src="https://example.org/m.png" alt="Map" /><figcaption>Basin</figcaption></figure>\n</li>'
    )


def test_the_alt_check_still_applies(site):
    html, problems = render(site, '![](https://example.org/m.png "Basin")\n')
    assert "<figcaption>Basin</figcaption>" in html
    assert problems == [
        "content/a.md:1: warning: body: image https://example.org/m.png has no alt text (write ![what it shows](path) "
        "so readers who cannot see it know; a purely decorative image belongs in the theme) [missing-alt]"
    ]


def test_a_takeaway_is_one_line_never_a_figure(site):
    env = PageEnv(source=site / "content" / "a.md", relpath="content/a.md")
    html = str(Renderer(Config(root=site), {}).inline('![Map](https://example.org/m.png "Basin")', env, 3))
    assert html == '<img src="https://example.org/m.png" alt="Map" title="Basin" />'


def test_a_raster_figure_keeps_its_copies(tmp_path):
    body = 'Text.\n\n![The chart](pics/chart.png "Water prices by tier")\n'
    files = {"content/a.md": article(body, takeaways=["One"]), "content/pics/chart.png": picture(1200, 675)}
    site = make_site(tmp_path, files)
    code, _, err = run_build(site)
    assert code == 0, err
    html = read_output(site, "2024/01/a/index.html")
    start = html.index("<figure><picture>")
    figure = html[start : html.index("</figure>", start)]
    assert '<source type="image/webp"' in figure and 'srcset="' in figure and 'loading="lazy"' in figure
    assert figure.endswith("</picture><figcaption>Water prices by tier</figcaption>")
    assert 'title="' not in figure
