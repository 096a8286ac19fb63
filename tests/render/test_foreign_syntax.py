"""Hugo shortcodes, Liquid and kramdown attribute lists left in an article are errors on their
file, line and field, saying what to write instead; in code they are text, as written."""

from __future__ import annotations

import html
import re

import pytest
from helpers import article, make_site, run_build

CASES = [
    (
        '{{< legacy-img src="/img/a.jpg" >}}',
        'Hugo shortcode {{< legacy-img src="/img/a.jpg" >}} would be published as text '
        '(expected an image alone in its paragraph, its caption as the title: ![what it shows](path "caption"))',
    ),
    (
        '{{< tweet user="x" id="1" >}}',
        'Hugo shortcode {{< tweet user="x" id="1" >}} would be published as text '
        "(expected its URL alone on its line, or ::: embed URL (README: Embeds, callouts and pull quotes))",
    ),
    (
        "{{% notice info %}}",
        "Hugo shortcode {{% notice info %}} would be published as text "
        "(expected ::: callout note (or tip, important, warning, caution) and a title, the text, then a line :::)",
    ),
    (
        "{% include figure.html %}",
        "Liquid tag {% include figure.html %} would be published as text "
        "(expected the included text, written out in the article)",
    ),
    (
        "{{ site.baseurl }}/images/x.png",
        "template expression {{ site.baseurl }} would be published as text "
        "(expected a root-relative path such as /images/x.png (brief adds the base path))",
    ),
    (
        '{{ "/docs/themes/" | relative_url }}',
        'template expression {{ "/docs/themes/" | relative_url }} would be published as text '
        "(expected a root-relative path such as /images/x.png (brief adds the base path))",
    ),
    (
        '{{ "noah" | team_link }}',
        'template expression {{ "noah" | team_link }} would be published as text (expected the value, written out)',
    ),
    (
        "{: .note }",
        "kramdown attribute list {: .note } would be published as text "
        "(expected nothing: remove it (brief has no attribute lists; the theme styles the page))",
    ),
]


@pytest.mark.parametrize(("written", "message"), CASES)
def test_each_construct_is_an_error_with_its_line(tmp_path, written, message):
    body = f"First paragraph.\n\nSecond line\nhas {written} in it.\n"
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, out, err = run_build(site)
    assert code == 1, out
    assert f"content/a.md:10: body: {message}" in err.splitlines(), err
    assert not (site / "public").exists()


def test_in_code_they_are_shown_as_written(tmp_path):
    body = "Use `{{< youtube id >}}` or:\n\n```liquid\n{% include x.html %}\n{{ site.baseurl }}\n{: .x }\n```\n"
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 0, err
    page = next((site / "public").rglob("a/index.html")).read_text(encoding="utf-8")
    assert "<code>{{&lt; youtube id &gt;}}</code>" in page
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # a highlighted block has spans in it
    assert "{% include x.html %}\n{{ site.baseurl }}\n{: .x }" in text


def test_takeaways_and_several_on_one_line(tmp_path):
    site = make_site(
        tmp_path,
        {"content/a.md": article("Body {% raw %}x{% endraw %}.\n", takeaways=['See {{< ref "b.md" >}}'])},
    )
    code, _, err = run_build(site)
    assert code == 1
    lines = [line for line in err.splitlines() if "would be published as text" in line]
    assert lines == [  # sorted, as every problem list is
        'content/a.md:5: takeaways[0]: Hugo shortcode {{< ref "b.md" >}} would be published as text '
        "(expected a link to the article's .md file: [text](../2024/other.md))",
        "content/a.md:7: body: Liquid tag {% endraw %} would be published as text "
        "(expected nothing: brief shows the text between them as written)",
        "content/a.md:7: body: Liquid tag {% raw %} would be published as text "
        "(expected nothing: brief shows the text between them as written)",
    ]


def test_a_construct_split_over_two_lines_is_found_on_its_first(tmp_path):
    """Jekyll's news archive writes ``[text]({% link`` on one line and the rest on the next."""
    body = "A [contribution]({% link\n_posts/2017-10-19-diversity.md %}) to open source.\n"
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "content/a.md:7: body: Liquid tag {% link … would be published as text (expected Markdown that says the same)"
        in err.splitlines()
    ), err


def test_in_the_plain_text_fields_too(tmp_path):
    """Headline, dek, alt text and the analysis's byline are no Markdown, but an imported
    archive's template syntax there would be published as text all the same."""
    text = (
        '---\ntitle: "{{ site.title }} news"\ndate: 2024-01-02\ndek: "See {% link _posts/x.md %}"\n'
        'takeaways: [One]\nimage:\n  src: https://example.org/x.png\n  alt: "{{ page.alt }}"\n'
        'analysis:\n  byline: "{{ page.author }}"\n  body: Fine.\n---\nText.\n'
    )
    site = make_site(tmp_path, {"content/a.md": text})
    code, _, err = run_build(site)
    assert code == 1
    found = [line.split(": ")[0:2] for line in err.splitlines() if "would be published as text" in line]
    assert found == [
        ["content/a.md:2", "title"],
        ["content/a.md:4", "dek"],
        ["content/a.md:8", "image.alt"],
        ["content/a.md:10", "analysis.byline"],
    ], err


def test_in_link_urls_image_paths_tags_and_raw_html_blocks(tmp_path):
    """Found in the paragraph's source, so a URL, a path or a construct that looks like a tag
    to Markdown ({{<youtube id>}}) is no hiding place; a raw HTML block is read too, but not
    its <pre>."""
    body = (
        "Read [the guide]({{ site.baseurl }}/guide/) now.\n\n"  # 6
        "![A chart]({{site.baseurl}}/assets/chart.png)\n\n"  # 8
        "{{<youtube zSeKL2-_sVg>}}\n\n"  # 10
        '<div class="pquote">\n{{ "shawn" | team_photo }}\n</div>\n\n'  # 12-14: line 13
        "<pre>{% raw %}{{ kept }}{% endraw %}</pre>\n\n"  # 16
        "Code `{{ fine }}` and ``{% also fine %}``.\n"  # 18
    )
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 1
    found = [line.split(": ")[0] for line in err.splitlines() if "would be published as text" in line]
    assert found == ["content/a.md:7", "content/a.md:9", "content/a.md:11", "content/a.md:14"], err
    assert "Hugo shortcode {{<youtube zSeKL2-_sVg>}}" in err


def test_in_a_link_reference_definition(tmp_path):
    body = "As [originally posted], and again.\n\n[originally posted]: <{{% param canonical_url %}}>\n"
    site = make_site(tmp_path, {"content/a.md": article(body, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 1
    found = [line for line in err.splitlines() if "would be published as text" in line]
    assert len(found) == 1 and found[0].startswith("content/a.md:9: body: Hugo shortcode {{% param canonical_url %}}")


def test_html_in_a_dek_is_a_warning_not_silence(tmp_path):
    text = article("Text.\n", dek='Our <a href="https://example.org/">API standards</a>', takeaways=["One"])
    site = make_site(tmp_path, {"content/a.md": text})
    code, _, err = run_build(site)
    assert code == 0
    assert (
        'content/a.md:4: warning: dek: <a href="https://example.org/"> is shown as text: the dek is plain text '
        "(expected it without HTML tags) [html-in-plain-text]"
    ) in err.splitlines(), err
