"""The front matter ``brief new`` writes (brief.commands.yamltext): whatever the title and dek
(and section), it reads back with brief's own loader as exactly the same strings, never continues a
plain scalar on the next line, and the articles build. At most 200 examples."""

from __future__ import annotations

import re

import pytest
from helpers import run_build
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brief.commands.scaffold import article_fields
from brief.commands.yamltext import Prose, front_matter, is_plain, quoted
from brief.config import Config
from brief.content.files import SourceDoc, load
from brief.content.schema import validate
from brief.content.yamllines import parse_yaml
from brief.errors import find_forbidden

FAST = settings(max_examples=200, deadline=None)

CHARS = st.characters(blacklist_categories=("Cs",)).filter(lambda ch: find_forbidden(ch) is None)
WORDS = st.lists(
    st.text(CHARS.filter(lambda ch: not ch.isspace()), min_size=1, max_size=14) | st.sampled_from(["'", ":", "#", "-"]),
    max_size=45,
).map(" ".join)
TRICKY = st.sampled_from(
    [
        "Port Strike: What's Next?",
        "The editor's view",
        "'Quoted' at the start",
        '"Double" quotes',
        "# not a comment",
        "a #hash and a: colon",
        "ends with a colon:",
        "- a dash",
        "? a question",
        "! tag",
        "& anchor",
        "* alias",
        "| pipe",
        "> fold",
        "% directive",
        "@ at",
        "` backtick",
        "{brace}",
        "[bracket]",
        "yes",
        "No",
        "null",
        "~",
        "2024",
        "1e3",
        "0x1F",
        "12:30",
        "2026-10-03",
        ".inf",
        "<<",
        "=",
        "---",
        "...",
        "Café société · 日本語 · 🚢",
        "back\\slash",
        "tab\there",
        "line\nbreak",
        "trailing\n",
        "two\n\nparagraphs\n",
        "\nleading break",
        " leading space",
        "trailing space ",
        "two  spaces  inside a long enough line that the folded block has to wrap it somewhere, twice over",
        "line\u2028separator\u2029and next",
        "bom\ufeffinside",
        "x" * 150,
        "word " * 40 + "end",
    ]
)
TEXT = TRICKY | st.text(CHARS, max_size=300) | WORDS
SECTIONS = st.sampled_from(["News", "yes", "2024", "Économie", "Q&A: Answers", "# Hash", "'Quoted'", "日本経済"])
"""Sections need a letter or digit, and one spelling per URL (the schema's rules, not the writer's)."""


def _no_plain_continuation(text: str) -> None:
    """Every line of the front matter is a key, a list item, a comment or a block scalar's line:
    no plain scalar goes on onto a second line."""
    block: int | None = None
    for line in text.splitlines()[1:-1]:
        indent = len(line) - len(line.lstrip(" "))
        if block is not None and (not line or indent >= block):
            continue
        block = None
        assert re.match(r" *(- )?[a-z_]+:( |$)| *- |# ", line), f"a line that continues a scalar: {line!r}\n{text}"
        if re.search(r" (\||\|-|>-)$", line):
            block = indent + 1


@pytest.mark.slow
def test_front_matter_reads_back_exactly_and_builds(tmp_path):
    site = tmp_path / "site"
    content = site / "content"
    content.mkdir(parents=True)
    (site / "brief.toml").write_text("search = false\n", encoding="utf-8")
    config = Config(root=site, search=False)
    written: list[str] = []

    @FAST
    @given(title=TEXT.filter(lambda t: t.strip()), dek=TEXT, section=SECTIONS)
    @example(title="The editor's view: what changes", dek="x" * 250, section="yes")
    def one(title: str, dek: str, section: str) -> None:
        slug = f"a{len(written)}"
        fields = article_fields(config, title, section=section, slug=slug, date="2026-10-03T08:30:00+00:00")
        fields["dek"] = Prose(dek)
        text = front_matter(fields)
        _no_plain_continuation(text)
        path = content / f"{slug}.md"
        path.write_text(text + "\nBody.\n", encoding="utf-8")
        doc = load(path, site)
        assert isinstance(doc, SourceDoc), [p.format() for p in doc]
        assert (doc.meta["title"], doc.meta["dek"], doc.meta["section"]) == (title, dek, section)
        assert doc.meta["analysis"]["body"].strip() == fields["analysis"]["body"].strip()  # type: ignore[index]
        article, problems = validate(doc, config)
        assert article is not None, [p.format() for p in problems]
        assert article.title == title.strip()
        if re.search(r"[{\[]", title + dek):
            # Read back exactly (above), but not built: text such as {{ x }} or [name a=b] is
            # another generator's template syntax, which a build refuses (brief.render.foreign).
            path.unlink()
            return
        written.append(slug)

    one()
    code, out, err = run_build(site)
    assert code == 0, err
    assert f"Built {len(written)} articles," in out


@FAST
@given(TEXT)
def test_plain_only_when_it_reads_back_as_itself(text):
    doc = load_one(f"x: {text}\n") if is_plain(text) else None
    if doc is not None:
        assert doc["x"] == text
    assert load_one(f"x: {quoted(text)}\n")["x"] == text


def load_one(yaml_text: str) -> dict:
    parsed = parse_yaml(yaml_text, "x.md", first_line=2)
    assert not isinstance(parsed, list), [p.format() for p in parsed]
    return parsed[0]
