"""brief.render.escaping: the templates' escaping is MarkupSafe's, value for value."""

from __future__ import annotations

from pathlib import Path

import jinja2
import markupsafe
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from brief.render import escaping
from brief.render.fragments import use_fragments


class Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class Text:
    def __str__(self) -> str:
        return "<i>as text</i> & more"


values = st.one_of(
    st.text(),
    st.text().map(Markup),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.booleans(),
    st.just(Html()),
    st.just(Text()),
    st.text().map(lambda s: type("Sub", (str,), {})(s)),  # a subclass of str is not plain text
)


@given(values)
def test_escape_is_markupsafes(value):
    ours, theirs = escaping.escape(value), markupsafe.escape(value)
    assert ours == theirs
    assert type(ours) is type(theirs) is Markup


def test_templates_escape_with_it_and_print_the_same(tmp_path: Path):
    (tmp_path / "page.html").write_text(
        "{{ text }}|{{ safe }}|{{ number }}|{{ html }}|{% set kept %}{{ text }}{% endset %}{{ kept }}", encoding="utf-8"
    )
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), autoescape=True)
    ours = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), autoescape=True)
    use_fragments(ours)
    context = {"text": "<a href=\"x\">Tom & 'Jerry'</a>", "safe": Markup("<em>ok</em>"), "number": 3, "html": Html()}
    template = ours.get_template("page.html")
    assert template.render(context) == plain.get_template("page.html").render(context)
    assert "&lt;a href=&#34;x&#34;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;" in template.render(context)
    assert template.root_render_func.__closure__ is not None  # (the fragment memo's wrapper)
    functions = [cell.cell_contents for cell in template.root_render_func.__closure__]
    rendering = [f for f in functions if callable(f) and "environment" in getattr(f, "__globals__", {})]
    assert rendering and all(f.__globals__["escape"] is escaping.escape for f in rendering)
