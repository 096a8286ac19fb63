"""Bad articles: each case builds a scratch site through the real CLI and checks that

* the exit code is 1,
* stderr holds the exact problem line ``path:line: field: message``,
* nothing was written: the site folder is byte-for-byte what it was (no public/).

Good-but-unusual inputs (BOM, CRLF, ``title: 2024``, a decorative image) are checked to build.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from helpers import Raw, article, make_site, read_output, run_build, tree

from brief.config import load_config
from brief.content.files import load
from brief.content.schema import validate

SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>\n"
SUMMARY_ONE = "Error: build failed: 1 error, 0 warnings; nothing was written"


def fails_with(tmp_path: Path, files: dict[str, str | bytes], *expected: str, config: str | None = None) -> list[str]:
    """Build, expect failure with every ``expected`` line on stderr, and nothing written. Returns stderr lines."""
    site = make_site(tmp_path, files, config)
    before = tree(site)
    code, out, err = run_build(site)
    lines = err.splitlines()
    assert code == 1, (out, err)
    for line in expected:
        assert line in lines, f"missing {line!r} in:\n{err}"
    assert "Traceback" not in err
    assert not (site / "public").exists()
    assert tree(site) == before
    return lines


def builds(tmp_path: Path, files: dict[str, str | bytes], config: str | None = None) -> tuple[Path, str]:
    site = make_site(tmp_path, files, config)
    code, out, err = run_build(site)
    assert code == 0, err
    assert "Traceback" not in err
    return site, err


# --- title and dates --------------------------------------------------------------------------


def test_missing_title(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(title=None)},
        "Error: build failed: 1 error, 1 warning; nothing was written",
        "content/a.md:1: title: is required (expected a non-empty string)",
    )


def test_empty_title(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(title=Raw('""'))},
        "content/a.md:2: title: must not be empty (expected a non-empty string)",
    )


def test_blank_title(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(title=Raw('"   "'))},
        "content/a.md:2: title: must not be empty (expected a non-empty string)",
    )


def test_missing_date(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(date=None)},
        "content/a.md:1: date: is required (expected an ISO 8601 date such as 2026-10-03 or 2026-10-03T08:30:00)",
    )


def test_unparsable_date(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(date=Raw("next Tuesday"))},
        "content/a.md:3: date: 'next Tuesday' is not an ISO 8601 date (expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
    )


def test_impossible_date(tmp_path):
    # YAML itself would turn 2024-13-45 into a date and crash; the loader keeps it as text.
    fails_with(
        tmp_path,
        {"content/a.md": article(date=Raw("2024-13-45"))},
        "content/a.md:3: date: '2024-13-45' is not a valid date: month must be in 1..12",
    )


# --- takeaways and analysis -------------------------------------------------------------------


def test_takeaways_as_one_string(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(takeaways="Rates held steady")},
        "content/a.md:4: takeaways: expected a list of 1–7 strings (one '- item' per line), got a string ('Rates held steady')",
    )


def test_too_many_takeaways(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(takeaways=[f"Point {i}" for i in range(8)])},
        "content/a.md:4: takeaways: has 8 items (expected 1–7)",
    )


def test_analysis_as_string(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(analysis="We think so.")},
        "content/a.md:4: analysis: expected a mapping with label, byline and body, got a string ('We think so.')",
    )


# --- image ------------------------------------------------------------------------------------


def test_image_without_alt(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(image={"src": "/images/x.svg"}), "static/images/x.svg": SVG},
        "content/a.md:4: image.alt: is required: describe the image for readers who cannot see it (or set decorative: true)",
    )


def test_image_with_empty_alt(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(image={"src": "/images/x.svg", "alt": ""}), "static/images/x.svg": SVG},
        "content/a.md:6: image.alt: is empty: describe the image for readers who cannot see it (an empty alt needs decorative: true)",
    )


def test_decorative_image_may_have_empty_alt(tmp_path):
    site, _ = builds(
        tmp_path,
        {
            "content/a.md": article(image={"src": "/images/x.svg", "alt": "", "decorative": True}),
            "static/images/x.svg": SVG,
        },
    )
    html = read_output(site, "2024/01/a/index.html")
    img = re.search(r'<img[^>]*src="/images/x\.svg"[^>]*>', html)
    assert img and 'alt=""' in img.group(0)


def test_missing_image_relative(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(image={"src": "img/chart.png", "alt": "A chart"})},
        "content/a.md:5: image.src: file not found: content/img/chart.png (expected a path relative to the article file)",
    )


def test_missing_image_static(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(image={"src": "/images/chart.png", "alt": "A chart"})},
        "content/a.md:5: image.src: file not found: static/images/chart.png (expected an existing file under static/)",
    )


@pytest.mark.parametrize(
    "src", ["http://example.org/x.png", "javascript:alert(1)", "data:image/svg+xml;base64,PHN2Zy8+"]
)
def test_image_src_scheme_not_allowed(tmp_path, src):
    fails_with(
        tmp_path,
        {"content/a.md": article(image={"src": src, "alt": "A chart"})},
        f"content/a.md:5: image.src: '{src}' is not allowed (expected an https URL, a path under static/ "
        "such as /images/x.jpg, or a path relative to the article)",
    )


def test_image_src_outside_site(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"x")
    fails_with(
        tmp_path,
        {"content/a.md": article(image={"src": "../../secret.png", "alt": "A chart"})},
        "content/a.md:5: image.src: '../../secret.png' points outside the site folder",
    )


# --- related ----------------------------------------------------------------------------------


def test_related_slug_that_does_not_exist(tmp_path):
    fails_with(
        tmp_path,
        {
            "content/a.md": article(related=["grid-batteries"]),
            "content/grid-battery.md": article(title="Grid"),
        },
        "content/a.md:5: related[0]: no article with slug 'grid-batteries' (expected the slug of another article: "
        "its file name without .md, or its slug: field); did you mean 'grid-battery'?",
    )


def test_related_external_javascript_url(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(related=[{"title": "Click", "url": "javascript:alert(1)"}])},
        "content/a.md:6: related[0].url: 'javascript:alert(1)' is not an http(s) URL (expected e.g. https://example.org/report)",
    )


def test_related_invalid_slug(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(related=["Grid Batteries"])},
        "content/a.md:5: related[0]: 'Grid Batteries' is not an article slug (expected lowercase letters, "
        "digits and hyphens, or a mapping {title, url}); did you mean 'grid-batteries'?",
    )


# --- slugs ------------------------------------------------------------------------------------


def test_two_articles_with_the_same_slug(tmp_path):
    fails_with(
        tmp_path,
        {
            "content/a.md": article(),
            "content/2024/a.md": article(title="Other"),
        },
        "Error: build failed: 2 errors, 2 warnings; nothing was written",
        "content/2024/a.md: slug: 'a' is also the slug of content/a.md, so both would have the same URL "
        "(expected every article to have its own slug; set slug: in one of them)",
        "content/a.md: slug: 'a' is also the slug of content/2024/a.md, so both would have the same URL "
        "(expected every article to have its own slug; set slug: in one of them)",
    )


def test_slug_override_collides(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(), "content/b.md": article(slug="a")},
        "content/b.md:4: slug: 'a' is also the slug of content/a.md, so both would have the same URL "
        "(expected every article to have its own slug; set slug: in one of them)",
    )


def test_invalid_slug_override(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(slug="Grid Batteries!")},
        "content/a.md:4: slug: 'Grid Batteries!' is not a valid slug (expected lowercase letters, digits "
        "and single hyphens); did you mean 'grid-batteries'?",
    )


def test_slug_override_with_slash(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(slug="../etc")},
        "content/a.md:4: slug: '../etc' is not a valid slug (expected lowercase letters, digits "
        "and single hyphens); did you mean 'etc'?",
    )


# --- the file itself --------------------------------------------------------------------------


def test_non_utf8_file(tmp_path):
    data = article(body="First line.\nCaf\u00e9 society.\n").encode("utf-8").replace("\u00e9".encode(), b"\xe9")
    fails_with(tmp_path, {"content/a.md": data}, "content/a.md:6: not valid UTF-8 (byte 0xe9); save the file as UTF-8")


def test_empty_file(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": ""},
        "content/a.md: file is empty (expected front matter between '---' lines, then the article text)",
    )


def test_file_without_front_matter(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": "# A Quiet Week\n\nNothing happened.\n"},
        "content/a.md:1: no front matter: the file must start with a line '---', then the fields "
        "(title, date, ...), then another '---'",
    )


def test_front_matter_not_closed(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": "---\ntitle: A\ndate: 2024-01-02\n\nBody.\n"},
        "content/a.md:1: front matter is not closed (expected a line '---' after the fields)",
    )


def test_yaml_syntax_error_carries_the_file_line(tmp_path):
    text = "---\ntitle: A Quiet Week\ndate: 2024-01-02\ndek: Nothing happened\nsection: Markets: Europe\n---\nBody.\n"
    fails_with(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:5: invalid YAML in front matter: mapping values are not allowed in this context "
        "(put a value that contains ': ' in quotes)",
    )


def test_yaml_bad_indentation_line(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\nimage:\n  src: /images/x.svg\n alt: A chart\n---\nBody.\n"
    fails_with(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:6: invalid YAML in front matter: while parsing a block mapping did not find expected key "
        "(check the indentation: the keys of one mapping must line up)",
    )


def test_link_to_missing_article(tmp_path):
    body = "\nFirst paragraph.\n\nA paragraph that goes on\nfor a while and then links\nto [the other one](other.md).\n"
    # front matter is lines 1-4, the body starts on line 5; the link is on line 10.
    fails_with(
        tmp_path,
        {"content/a.md": article(body=body)},
        "content/a.md:10: body: link to a missing article: content/other.md "
        "(expected the path of an article's .md file, relative to this file)",
    )


def test_link_to_missing_article_in_analysis_and_takeaways(tmp_path):
    text = (
        "---\ntitle: A\ndate: 2024-01-02\ntakeaways:\n  - See [gone](gone.md)\n"
        "analysis:\n  body: |\n    First line.\n    Then [missing](missing.md).\n---\nBody.\n"
    )
    fails_with(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:5: takeaways[0]: link to a missing article: content/gone.md "
        "(expected the path of an article's .md file, relative to this file)",
        "content/a.md:9: analysis.body: link to a missing article: content/missing.md "
        "(expected the path of an article's .md file, relative to this file)",
    )


def test_unknown_key_is_a_warning(tmp_path):
    site, err = builds(tmp_path, {"content/a.md": article(takeways=["One point"])})
    assert (
        "content/a.md:4: warning: takeways: unknown front-matter key, ignored; did you mean 'takeaways'? [unknown-key]"
        in err.splitlines()
    )
    assert (site / "public/index.html").is_file()


def test_unknown_key_without_close_match_lists_known_keys(tmp_path):
    _, err = builds(tmp_path, {"content/a.md": article(colour="red")})
    assert (
        "content/a.md:4: warning: colour: unknown front-matter key, ignored (known keys: title, dek, date, updated, "
        "authors, section, tags, image, takeaways, analysis, related, draft, slug, canonical, aliases, type, expires, "
        "corrections) [unknown-key]"
    ) in err.splitlines()


def test_duplicate_yaml_keys(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\ntitle: B\n---\nBody.\n"
    fails_with(tmp_path, {"content/a.md": text}, "content/a.md:4: title: duplicate key (first given on line 2)")


def test_python_tag_is_refused_and_not_executed(tmp_path):
    marker = tmp_path / "pwned"
    text = f'---\ntitle: A\ndate: 2024-01-02\ndek: !!python/object/apply:os.system ["touch {marker}"]\n---\nBody.\n'
    fails_with(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:4: dek: the YAML tag '!!python/object/apply:os.system' is not supported "
        "(expected plain text, numbers, true/false, lists and mappings)",
    )
    assert not marker.exists()


def test_yaml_alias_bomb(tmp_path):
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    text = "---\ntitle: A\ndate: 2024-01-02\n" + "\n".join(levels) + "\n---\nBody.\n"
    started = time.perf_counter()
    lines = fails_with(
        tmp_path,
        {"content/a.md": text},
        SUMMARY_ONE,
        "content/a.md:5: b[0]: YAML anchors and aliases (& and *) are not supported in front matter; write the value out",
    )
    assert time.perf_counter() - started < 10
    assert len([line for line in lines if line.startswith("content/")]) == 1


def test_simple_alias_points_at_its_use(tmp_path):
    text = "---\ntitle: &t A Quiet Week\ndate: 2024-01-02\ndek: *t\n---\nBody.\n"
    fails_with(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:4: dek: YAML anchors and aliases (& and *) are not supported in front matter; write the value out",
    )


def test_explicit_tag_with_bad_value(tmp_path):
    fails_with(
        tmp_path,
        {"content/a.md": article(dek=Raw("!!int abc"))},
        "content/a.md:4: dek: cannot read the value (invalid literal for int() with base 10: 'abc')",
    )


@pytest.mark.parametrize("tag", ["!!int", "!!float"])
def test_an_empty_number_is_an_error_not_a_crash(tmp_path, tag):
    fails_with(
        tmp_path,
        {"content/a.md": article(dek=Raw(f'{tag} ""'))},
        "content/a.md:4: dek: cannot read the value (it is empty)",
    )


# --- wrong types ------------------------------------------------------------------------------


def test_wrong_types_are_all_reported(tmp_path):
    text = article(
        tags=Raw("economy"),
        draft=Raw('"yes"'),
        authors=Raw("{name: Ann Lee}"),
        section=Raw("[News, Opinion]"),
        dek=Raw("[a, b]"),
        image=Raw("/images/x.svg"),
        related=Raw("grid-batteries"),
    )
    fails_with(
        tmp_path,
        {"content/a.md": text},
        "Error: build failed: 7 errors, 1 warning; nothing was written",
        "content/a.md:4: tags: expected a list of strings such as [Energy, Markets], got a string ('economy')",
        "content/a.md:5: draft: expected true or false, got a string ('yes')",
        "content/a.md:6: authors: expected a name or a list of names such as [Ann Lee, Bo Chen], got a mapping",
        "content/a.md:7: section: expected a string, got a list",
        "content/a.md:8: dek: expected a string, got a list",
        "content/a.md:9: image: expected a mapping with src, alt, caption and credit, got a string ('/images/x.svg')",
        "content/a.md:10: related: expected a list of article slugs or {title, url} links, got a string ('grid-batteries')",
    )


def test_wrong_types_inside_lists_and_mappings(tmp_path):
    text = article(
        authors=Raw("[[Ann, Bo]]"),
        tags=Raw("[Energy, {a: b}]"),
        image=Raw("{src: /images/x.svg, alt: A chart, decorative: maybe}"),
        analysis=Raw("{label: Desk, body: [x]}"),
    )
    fails_with(
        tmp_path,
        {"content/a.md": text, "static/images/x.svg": SVG},
        "content/a.md:4: authors[0]: expected a string, got a list",
        "content/a.md:5: tags[1]: expected a string, got a mapping",
        "content/a.md:6: image.decorative: expected true or false, got a string ('maybe')",
        "content/a.md:7: analysis.body: expected a string, got a list",
    )


# --- all together, and the old output untouched ----------------------------------------------


def test_all_problems_of_several_files_reported_in_one_run(tmp_path):
    fails_with(
        tmp_path,
        {
            "content/a.md": article(title=None),
            "content/b.md": article(date=Raw("soon"), tags=Raw("economy")),
            "content/c.md": "no front matter\n",
            "content/d.md": b"---\ntitle: \xff\n---\n",
            "content/e.md": article(takeways=["x"]),  # only a warning, still listed
        },
        "Error: build failed: 5 errors, 4 warnings; nothing was written",
        "content/a.md:1: title: is required (expected a non-empty string)",
        "content/b.md:3: date: 'soon' is not an ISO 8601 date (expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
        "content/b.md:4: tags: expected a list of strings such as [Energy, Markets], got a string ('economy')",
        "content/c.md:1: no front matter: the file must start with a line '---', then the fields (title, date, ...), then another '---'",
        "content/d.md:2: not valid UTF-8 (byte 0xff); save the file as UTF-8",
        "content/e.md:4: warning: takeways: unknown front-matter key, ignored; did you mean 'takeaways'? [unknown-key]",
    )


def test_failed_build_leaves_existing_output_byte_for_byte(tmp_path):
    site, _ = builds(tmp_path, {"content/a.md": article(), "content/b.md": article(title="Second")})
    public = site / "public"
    before = tree(public)
    assert len([v for v in before.values() if v != "dir"]) > 3
    mtimes = {p: p.stat().st_mtime_ns for p in public.rglob("*")}
    (site / "content/b.md").write_text(article(title=None, body="Changed.\n"), encoding="utf-8")
    (site / "content/c.md").write_text(article(title="Third"), encoding="utf-8")
    code, _, err = run_build(site)
    assert code == 1
    assert "content/b.md:1: title: is required (expected a non-empty string)" in err.splitlines()
    assert tree(public) == before
    assert {p: p.stat().st_mtime_ns for p in public.rglob("*")} == mtimes
    # the first (good) build recorded its URLs in the ledger; the failed one changed nothing
    assert sorted(p.name for p in site.iterdir()) == [".brief-cache", "content", "public", "published-urls.txt"]


# --- accepted inputs --------------------------------------------------------------------------


def test_bom_and_crlf_are_accepted(tmp_path):
    text = "\ufeff" + article(title="Grüße aus Köln", body="First line.\n\nSecond.\n").replace("\n", "\r\n")
    site, err = builds(tmp_path, {"content/a.md": text.encode("utf-8")})
    html = read_output(site, "2024/01/a/index.html")
    assert "Grüße aus Köln" in html
    assert "\r" not in html and "\ufeff" not in html


def test_bom_and_crlf_in_process(tmp_path):
    site = make_site(
        tmp_path, {"content/a.md": ("\ufeff" + article(title="Hello", body="Body\r\n")).replace("\n", "\r\n")}
    )
    doc = load(site / "content/a.md", site)
    assert not isinstance(doc, list), doc
    assert doc.meta["title"] == "Hello"
    assert doc.body == "Body\n\n"
    assert doc.line(("date",)) == 3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024", "2024"),
        ("2024-01-02", "2024-01-02"),
        ("yes", "yes"),
        ("1.50", "1.50"),
        ("0x1F", "0x1F"),
        ("'007'", "007"),
    ],
)
def test_scalar_titles_keep_their_text(tmp_path, raw, expected):
    site = make_site(tmp_path, {"content/a.md": article(title=Raw(raw))})
    config = load_config(site)
    article_, problems = validate(load(site / "content/a.md", site), config)
    assert [p for p in problems if p.severity == "error"] == []
    assert article_.title == expected


def test_norway_tags_keep_their_text(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(tags=Raw("[NO, SE, 2024]"))})
    article_, problems = validate(load(site / "content/a.md", site), load_config(site))
    assert [p for p in problems if p.severity == "error"] == []
    assert article_.tags == ("NO", "SE", "2024")


def test_references_to_an_invalid_article_are_not_reported_twice(tmp_path):
    lines = fails_with(
        tmp_path,
        {
            "content/grid.md": article(date=Raw("3rd October")),
            "content/heat.md": article(title="Heat", related=["grid"], body="See [grid](grid.md).\n"),
            "content/wind.md": article(title="Wind", related=["grdi"]),
        },
        "content/grid.md:3: date: '3rd October' is not an ISO 8601 date (expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
        "content/wind.md:5: related[0]: no article with slug 'grdi' (expected the slug of another article: "
        "its file name without .md, or its slug: field); did you mean 'grid'?",
        "Error: build failed: 2 errors, 3 warnings; nothing was written",
    )
    assert not any(line.startswith("content/heat.md") and ": warning: " not in line for line in lines)


def test_one_slug_in_two_years_says_why_it_is_refused(tmp_path):
    """With {year} in the permalink the URLs differ; the slug still names one article."""
    site = make_site(
        tmp_path,
        {
            "content/2023/launch.md": article(date="2023-05-01", takeaways=["One"]),
            "content/2024/launch.md": article(date="2024-05-01", takeaways=["One"], title="Another"),
        },
    )
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "content/2023/launch.md: slug: 'launch' is also the slug of content/2024/launch.md, and a slug names one "
        "article (in related: lists, and other articles' links to it) (expected every article to have its own slug; "
        "set slug: in one of them)"
    ) in err.splitlines(), err
