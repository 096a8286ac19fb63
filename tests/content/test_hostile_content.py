"""Hostile article files (issue #7, part 2): what an editor's machine, a careless paste or an
attacker can put in ``content/*.md``.

Every case runs the real CLI and ends one of two ways:

* a clear problem line ``path:line: [field: ]problem`` pointing at the right line, exit code 1,
  the summary line, and nothing written (no public/, the site folder byte-for-byte as it was), or
* a page that is safe and correct.

Never a traceback. Cases already pinned exactly in test_validation.py (a python tag on ``dek``, a
nine-level alias bomb, a top-level duplicate key, BOM + CRLF, a Latin-1 byte in the body) are
not repeated here; these are their siblings in other positions and shapes.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest
from helpers import Raw, article, make_site, problem_lines, read_output, run_build, tree

PROBLEM_LINE = re.compile(r"^content/[^:]+\.md(:\d+)?: ")


def refused(tmp_path: Path, files: dict[str, str | bytes], *expected: str, problems: int = 1) -> list[str]:
    """Build, expect exit code 1 with every ``expected`` line on stderr, ``problems`` errors in
    all, every other stderr line a well-formed problem line (or a source line shown under
    one), and nothing written."""
    site = make_site(tmp_path, files)
    before = tree(site)
    code, _, err = run_build(site)
    lines = problem_lines(err)
    assert "Traceback" not in err, err
    assert code == 1, err
    for line in expected:
        assert line in lines, f"missing {line!r} in:\n{err}"
    warnings = sum(1 for line in lines if ": warning: " in line)
    summary = (
        f"Error: build failed: {problems} error{'s' if problems > 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}; nothing was written"
    )
    assert lines[-1] == summary, err
    assert all(PROBLEM_LINE.match(line) for line in lines[:-1]), err
    assert not (site / "public").exists()
    assert tree(site) == before
    return lines


def built(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[Path, str]:
    site = make_site(tmp_path, files)
    code, _, err = run_build(site)
    assert "Traceback" not in err, err
    assert code == 0, err
    return site, err


def line_of(data: bytes, offset: int) -> int:
    """The line an editor shows for byte ``offset``: \\r\\n, \\r and \\n each end a line."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


# --- tabs -------------------------------------------------------------------------------------

TAB_HINT = "(indent with spaces, not tabs)"


def test_front_matter_with_tabs_for_indentation(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\nimage:\n\tsrc: /images/x.svg\n\talt: A chart\n---\nBody.\n"
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:5: invalid YAML in front matter: while scanning for the next token found character "
        f"that cannot start any token {TAB_HINT}",
    )


def test_front_matter_list_indented_with_tabs(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\ntakeaways:\n  - One\n\t- Two\n---\nBody.\n"
    lines = refused(tmp_path, {"content/a.md": text})
    assert lines[0].startswith("content/a.md:6: invalid YAML in front matter: "), lines
    assert lines[0].endswith(TAB_HINT), lines


def test_front_matter_with_a_tab_inside_space_indentation(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\nimage:\n  src: /images/x.svg\n \talt: A chart\n---\nBody.\n"
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:6: invalid YAML in front matter: while scanning a plain scalar found a tab character "
        f"that violates indentation {TAB_HINT}",
    )


def test_front_matter_block_scalar_indented_with_a_tab(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\nanalysis:\n  byline: Ed\n  body: |\n\tWe think so.\n---\nBody.\n"
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:7: invalid YAML in front matter: while scanning a block scalar found a tab character "
        f"where an indentation space is expected {TAB_HINT}",
    )


def test_front_matter_with_tabs_between_key_and_value_builds(tmp_path):
    # A tab after ':' or ',' is separation, not indentation: YAML allows it, so the page builds.
    text = (
        "---\ntitle:\tTabbed Headline\t\ndate:\t2024-01-02\ntags: [Energy,\tGrid]\ntakeaways: [\tOne\t]\n---\nBody.\n"
    )
    site, _ = built(tmp_path, {"content/a.md": text})
    html = read_output(site, "2024/01/a/index.html")
    assert "<title>Tabbed Headline" in html
    assert (site / "public/tags/energy/index.html").is_file()
    assert (site / "public/tags/grid/index.html").is_file()
    assert ">One</li>" in html


# --- duplicate keys ---------------------------------------------------------------------------


def test_duplicate_key_inside_a_nested_mapping(tmp_path):
    text = (
        "---\ntitle: A\ndate: 2024-01-02\nimage:\n  src: /images/x.svg\n  alt: A chart\n"
        "  src: /images/y.svg\n---\nBody.\n"
    )
    refused(
        tmp_path,
        {"content/a.md": text, "static/images/x.svg": "<svg/>", "static/images/y.svg": "<svg/>"},
        "content/a.md:7: image.src: duplicate key (first given on line 5)",
    )


def test_duplicate_key_written_with_different_quoting(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\n'date': 2025-01-02\n\"title\": B\n---\nBody.\n"
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:4: date: duplicate key (first given on line 3)",
        "content/a.md:5: title: duplicate key (first given on line 2)",
        problems=2,
    )


def test_duplicate_key_inside_a_related_link(tmp_path):
    text = (
        "---\ntitle: A\ndate: 2024-01-02\nrelated:\n  - title: Report\n    url: https://example.org/\n"
        "    url: https://example.com/\n---\nBody.\n"
    )
    refused(tmp_path, {"content/a.md": text}, "content/a.md:7: related[0].url: duplicate key (first given on line 6)")


def test_keys_differing_only_in_case_are_not_duplicates(tmp_path):
    text = "---\nTitle: Wrong\ntitle: Right\ndate: 2024-01-02\n---\nBody.\n"
    site, err = built(tmp_path, {"content/a.md": text})
    assert (
        "content/a.md:2: warning: Title: unknown front-matter key, ignored; did you mean 'title'? [unknown-key]"
        in err.splitlines()
    )
    assert "<title>Right" in read_output(site, "2024/01/a/index.html")


# --- YAML tags --------------------------------------------------------------------------------


TAG_REFUSED = "is not supported (expected plain text, numbers, true/false, lists and mappings)"


def _tagged(marker: Path) -> dict[str, tuple[str, str]]:
    """Front matter after title and date (lines 2-3) → the expected problem line."""
    cmd = f'["touch {marker}"]'
    return {
        "list_item": (
            f"tags: [Energy, !!python/object/apply:os.system {cmd}]",
            f"content/a.md:4: tags[1]: the YAML tag '!!python/object/apply:os.system' {TAG_REFUSED}",
        ),
        "nested_mapping": (
            f"image:\n  src: /images/x.svg\n  alt: !!python/object/new:os.system {cmd}",
            f"content/a.md:6: image.alt: the YAML tag '!!python/object/new:os.system' {TAG_REFUSED}",
        ),
        "verbatim_tag": (
            f"dek: !<tag:yaml.org,2002:python/object/apply:os.system> {cmd}",
            f"content/a.md:4: dek: the YAML tag '!!python/object/apply:os.system' {TAG_REFUSED}",
        ),
        "subprocess": (
            f'dek: !!python/object/apply:subprocess.check_output [["touch", "{marker}"]]',
            f"content/a.md:4: dek: the YAML tag '!!python/object/apply:subprocess.check_output' {TAG_REFUSED}",
        ),
        "on_a_key": (
            "!!python/name:os.system : x",
            "content/a.md:4: the YAML tag '!!python/name:os.system' on a key is not supported (expected a plain name)",
        ),
        "complex_key": (f"? !!python/object/apply:os.system {cmd}\n: x", "content/a.md:4: a key must be a plain name"),
        "local_tag": ("dek: !shell touch pwned", f"content/a.md:4: dek: the YAML tag '!shell' {TAG_REFUSED}"),
    }


def test_yaml_python_tags_never_execute(tmp_path):
    """Each way of writing a tag, in an article of its own: refused, all in one run."""
    marker = tmp_path / "PWNED"
    cases = _tagged(marker)
    files: dict[str, str | bytes] = {"static/images/x.svg": "<svg/>"}
    expected = []
    for where, (yaml_text, line) in cases.items():
        files[f"content/{where}.md"] = f"---\ntitle: A {where}\ndate: 2024-01-02\n{yaml_text}\n---\nBody.\n"
        expected.append(line.replace("content/a.md:", f"content/{where}.md:", 1))
    refused(tmp_path, files, *expected, problems=len(cases))
    assert not marker.exists()
    assert not (tmp_path / "site" / "PWNED").exists()


def test_yaml_python_tag_on_the_whole_front_matter_never_executes(tmp_path):
    marker = tmp_path / "PWNED"
    text = f'---\n!!python/object/apply:os.system ["touch {marker}"]\n---\nBody.\n'
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:2: front matter must be fields written 'key: value', not a list or a single value",
    )
    assert not marker.exists()


# --- alias bombs ------------------------------------------------------------------------------


def _bomb(levels: int = 9, width: int = 9) -> list[str]:
    """A "billion laughs" ladder: each level lists the previous one ``width`` times."""
    out = ["l0: &l0 [" + ", ".join(['"lol"'] * width) + "]"]
    for i in range(1, levels):
        out.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return out


def test_alias_bomb_inside_a_field_the_schema_reads(tmp_path):
    # The ladder sits under takeaways, which the schema would walk item by item if it were expanded.
    ladder = ["  " + line.replace(": ", "_: ", 1) for line in _bomb()]  # keys of a mapping under 'takeaways'
    text = "---\ntitle: A\ndate: 2024-01-02\ntakeaways:\n" + "\n".join(ladder) + "\n---\nBody.\n"
    started = time.perf_counter()
    lines = refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:6: takeaways.l1_[0]: YAML anchors and aliases (& and *) are not supported in "
        "front matter; write the value out",
    )
    assert time.perf_counter() - started < 10
    assert sum("anchors and aliases" in line for line in lines) == 1


def test_alias_bomb_built_from_merge_keys(tmp_path):
    levels = ["m0: &m0 {a: lol, b: lol, c: lol, d: lol}"]
    for i in range(1, 12):
        levels.append(f"m{i}: &m{i} {{<<: [*m{i - 1}, *m{i - 1}, *m{i - 1}], k{i}: lol}}")
    text = "---\ntitle: A\ndate: 2024-01-02\n" + "\n".join(levels) + "\ndek: done\n---\nBody.\n"
    started = time.perf_counter()
    lines = refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:5: m1.<<[0]: YAML anchors and aliases (& and *) are not supported in front matter; "
        "write the value out",
    )
    assert time.perf_counter() - started < 10
    assert sum("anchors and aliases" in line for line in lines) == 1


def test_front_matter_nested_ten_thousand_levels_deep(tmp_path):
    text = "---\ntitle: A\ndate: 2024-01-02\ndek: " + "[" * 10_000 + "]" * 10_000 + "\n---\nBody.\n"
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:4: invalid YAML in front matter: while increasing flow level exceeded maximum nesting depth",
    )


# --- size -------------------------------------------------------------------------------------


@pytest.mark.slow
def test_ten_megabyte_article_builds_in_reasonable_time(tmp_path):
    paragraph = "The council met again on Tuesday and the budget vote was delayed once more. " * 14 + "\n\n"
    count = 10 * 1024 * 1024 // len(paragraph) + 1
    body = paragraph * count + "Final paragraph END-OF-HUGE-ARTICLE.\n"
    text = article(title="Huge", body=body, takeaways=["Long."])
    assert len(text.encode()) > 10 * 1024 * 1024
    started = time.perf_counter()
    site, _ = built(tmp_path, {"content/huge.md": text})
    assert time.perf_counter() - started < 45
    html = read_output(site, "2024/01/huge/index.html")
    assert html.count("<p>The council met again") == count
    assert "<p>Final paragraph END-OF-HUGE-ARTICLE.</p>" in html
    assert "END-OF-HUGE-ARTICLE" in read_output(site, "feed.xml")


# --- binary files and NUL bytes ---------------------------------------------------------------


def test_binary_file_named_md(tmp_path):
    rng = random.Random(7)
    data = bytes(rng.randrange(256) for _ in range(4096))
    data = data[:1000] + b"\x00" + data[1000:]  # at least one NUL, wherever the first one falls
    expected = line_of(data, data.index(b"\x00"))
    refused(
        tmp_path,
        {"content/a.md": article(), "content/blob.md": data},
        f"content/blob.md:{expected}: file contains a NUL byte; it looks binary, not like Markdown text",
    )


def test_png_image_renamed_to_md(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    refused(
        tmp_path,
        {"content/photo.md": png},
        "content/photo.md:3: file contains a NUL byte; it looks binary, not like Markdown text",
    )


def test_random_bytes_without_nul_named_md(tmp_path):
    rng = random.Random(11)
    data = b"---\ntitle: A\r\n" + bytes(rng.randrange(1, 256) for _ in range(4096))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    else:  # pragma: no cover - the seed makes invalid UTF-8
        pytest.fail("random bytes happened to be UTF-8")
    refused(
        tmp_path,
        {"content/blob.md": data},
        f"content/blob.md:{line_of(data, start)}: not valid UTF-8 (byte 0x{data[start]:02x}); save the file as UTF-8",
    )


def test_nul_byte_in_otherwise_valid_text(tmp_path):
    text = article(body="First paragraph.\n\nSecond\x00paragraph.\n")
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:7: file contains a NUL byte; it looks binary, not like Markdown text",
    )


def test_nul_byte_in_a_front_matter_value(tmp_path):
    refused(
        tmp_path,
        {"content/a.md": "---\ntitle: A\x00B\ndate: 2024-01-02\n---\nBody.\n"},
        "content/a.md:2: file contains a NUL byte; it looks binary, not like Markdown text",
    )


def test_nul_written_as_a_yaml_escape(tmp_path):
    # "\0" in a double-quoted YAML string is a real NUL character; it must not reach the page.
    refused(
        tmp_path,
        {"content/a.md": article(title=Raw('"Null\\0Title"'), tags=Raw('["Esc\\eape"]'))},
        "content/a.md:2: title: contains the character U+0000, which web pages may not hold (expected plain text; remove it)",
        "content/a.md:4: tags[0]: contains the character U+001B, which web pages may not hold (expected plain text; remove it)",
        problems=2,
    )


def test_raw_control_character_in_front_matter(tmp_path):
    # A terminal escape pasted into the front matter; YAML refuses it, the message must say where.
    refused(
        tmp_path,
        {"content/a.md": "---\ntitle: Grüße\ndate: 2024-01-02\ndek: \x1b[31mRed\x1b[0m\n---\nBody.\n"},
        "content/a.md:4: invalid YAML in front matter: the control character U+001B is not allowed (remove it)",
    )


# --- line endings -----------------------------------------------------------------------------


def test_mixed_line_endings_keep_line_numbers_right(tmp_path):
    # Every file mixes \r\n, \r and \n; each problem must point at the line an editor shows.
    schema = "---\r\ntitle: A\rdate: 2024-01-02\ndek: Fine\r\ntags: economy\r---\nBody.\r\n"  # tags: line 5
    syntax = "---\rtitle: B\r\ndate: 2024-01-02\nsection: Markets: Europe\r\n---\rBody.\n"  # line 4
    body = "---\ntitle: C\r\ndate: 2024-01-02\rtakeaways: [x]\n---\r\nPara one.\r\rPara two\rgoes on [x](gone.md).\n"  # line 9
    utf8 = b"---\r\ntitle: D\rdate: 2024-01-02\n---\r\nok\rline six \xe9\n"  # line 6
    nul = b"---\rtitle: E\rdate: 2024-01-02\r---\rok\rline six \x00\r"  # line 6
    refused(
        tmp_path,
        {
            "content/a.md": schema,
            "content/b.md": syntax,
            "content/c.md": body,
            "content/d.md": utf8,
            "content/e.md": nul,
        },
        "content/a.md:5: tags: expected a list of strings such as [Energy, Markets], got a string ('economy')",
        "content/b.md:4: invalid YAML in front matter: mapping values are not allowed in this context "
        "(put a value that contains ': ' in quotes)",
        "content/c.md:9: body: link to a missing article: content/gone.md "
        "(expected the path of an article's .md file, relative to this file)",
        "content/d.md:6: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
        "content/e.md:6: file contains a NUL byte; it looks binary, not like Markdown text",
        problems=5,
    )


def test_mixed_line_endings_build_a_clean_page(tmp_path):
    text = (
        "---\r\ntitle: Mixed Endings\rdate: 2024-01-02\ntakeaways:\r\n  - One\r  - Two\n"
        "analysis:\r  byline: Ed\r\n  body: |\r    First.\r\n    Second.\n---\r\n"
        "Para one\rcontinues.\r\rPara two.\r\n\r\n- a\r- b\n"
    )
    site, _ = built(tmp_path, {"content/a.md": text})
    html = read_output(site, "2024/01/a/index.html")
    assert "\r" not in html
    assert "<p>Para one\ncontinues.</p>\n<p>Para two.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in html
    assert "<p>First.\nSecond.</p>" in html
    assert ">One</li>" in html and ">Two</li>" in html


# --- encodings --------------------------------------------------------------------------------


def test_utf8_bom_with_lone_cr_line_endings_builds(tmp_path):
    text = "\ufeff---\rtitle: Grüße\rdate: 2024-01-02\rtakeaways: [x]\r---\rBody.\r"
    site, _ = built(tmp_path, {"content/a.md": text.encode("utf-8")})
    html = read_output(site, "2024/01/a/index.html")
    assert "<title>Grüße" in html
    assert "\ufeff" not in html and "\r" not in html


def test_utf8_bom_does_not_shift_line_numbers(tmp_path):
    text = "\ufeff---\r\ntitle: A\r\ndate: 2024-01-02\r\ntags: economy\r\n---\r\nBody.\r\n"
    refused(
        tmp_path,
        {"content/a.md": text.encode("utf-8")},
        "content/a.md:4: tags: expected a list of strings such as [Energy, Markets], got a string ('economy')",
    )


def test_utf16_file_is_refused_with_a_clear_message(tmp_path):
    # What Windows Notepad saves as "Unicode": every other byte is NUL, but it is text, not binary.
    data = article(title="Wide").encode("utf-16")
    refused(
        tmp_path,
        {"content/a.md": data},
        "content/a.md:1: file is saved as UTF-16 (it starts with a UTF-16 byte-order mark); save the file as UTF-8",
    )


INVALID_UTF8 = {  # name → (bytes, the first bad byte as the error names it)
    "overlong": (b"\xc0\xaf", "0xc0"),  # overlong '/'
    "surrogate": (b"\xed\xa0\x80", "0xed"),  # a UTF-16 surrogate
    "continuation": (b"\x80", "0x80"),  # a lone continuation byte
    "too-large": (b"\xf5\x80\x80\x80", "0xf5"),  # beyond U+10FFFF
    "truncated": (b"\xe2\x82", "0xe2"),  # cut off at the end of the file
}


def test_invalid_utf8(tmp_path):
    files: dict[str, str | bytes] = {
        f"content/{name}.md": b"---\ntitle: A\ndate: 2024-01-02\n---\nFirst.\r\nSecond.\rThird " + bad
        for name, (bad, _) in INVALID_UTF8.items()
    }
    expected = [
        f"content/{name}.md:7: not valid UTF-8 (byte {byte}); save the file as UTF-8"
        for name, (_, byte) in INVALID_UTF8.items()
    ]
    refused(tmp_path, files, *expected, problems=len(INVALID_UTF8))


def test_invalid_utf8_in_front_matter_among_valid_files(tmp_path):
    refused(
        tmp_path,
        {"content/a.md": article(title="Fine"), "content/b.md": b"---\ntitle: Caf\xe9\ndate: 2024-01-02\n---\nBody.\n"},
        "content/b.md:2: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
    )


# --- characters YAML counts as line ends --------------------------------------------------------


@pytest.mark.parametrize(
    "char", ["\u2028", "\u2029", "\x85"], ids=["line-separator", "paragraph-separator", "next-line"]
)
def test_unicode_line_separators_in_values_keep_line_numbers_right(tmp_path, char):
    # YAML ends a line at U+2028, U+2029 and U+0085; editors show them inside the line.
    text = f'---\ntitle: "One{char}Two{char}Three"\ndate: 2024-01-02\ndek: "a{char}b"\ntags: 5\n---\nBody.\n'
    refused(
        tmp_path,
        {"content/a.md": text},
        "content/a.md:5: tags: expected a list of strings such as [Energy, Markets], got a number (5)",
    )


# --- author profiles ----------------------------------------------------------------------------


def test_profile_file_with_characters_pages_cannot_hold(tmp_path):
    refused(
        tmp_path,
        {
            "content/a.md": article(authors="Ana Ortiz"),
            "content/authors/ana-ortiz.md": '---\nname: "Ana\\u0001 Ortiz"\nrole: "Ed\\0itor"\n---\nBio.\n',
        },
        "content/authors/ana-ortiz.md:2: name: contains the character U+0001, which web pages may not hold (expected plain text; remove it)",
        "content/authors/ana-ortiz.md:3: role: contains the character U+0000, which web pages may not hold (expected plain text; remove it)",
        problems=2,
    )


def test_profile_avatars_that_break_out_of_their_attribute_are_encoded(tmp_path):
    site, _ = built(
        tmp_path,
        {
            "content/a.md": article(authors=["Ana Ortiz", "Tom Reyes"]),
            "content/authors/ana-ortiz.md": '---\navatar: "https://cdn.example.org/a\\"><script>alert(1)</script>é.jpg"\n---\n',
            "content/authors/tom-reyes.md": "---\navatar: /images/tom été.svg\n---\n".replace(" été", "_été"),
            "static/images/tom_été.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        },
    )
    ana = read_output(site, "authors/ana-ortiz/index.html")
    assert (
        '<img class="listing-avatar" src="https://cdn.example.org/a%22%3E%3Cscript%3Ealert(1)%3C/script%3E%C3%A9.jpg"'
        in ana
    )
    tom = read_output(site, "authors/tom-reyes/index.html")
    assert '<img class="listing-avatar" src="/images/tom_%C3%A9t%C3%A9.svg"' in tom


def test_profile_avatar_may_be_a_theme_file(tmp_path):
    site, _ = built(
        tmp_path,
        {
            "content/a.md": article(authors="Ana Ortiz"),
            "content/authors/ana-ortiz.md": "---\navatar: /images/placeholder.svg\n---\n",
        },
    )
    assert '<img class="listing-avatar" src="/images/placeholder.svg"' in read_output(
        site, "authors/ana-ortiz/index.html"
    )


@pytest.mark.parametrize(
    ("avatar", "message"),
    [
        ("/images/missing.png", "file not found: static/images/missing.png (expected a file under static/)"),
        ("/../brief.toml", "file not found: static/brief.toml (expected a file under static/)"),
        ("/images/.secret.png", "file not found: static/images/.secret.png (expected a file under static/)"),
        ("images/a.png", "'images/a.png' must be a path under static/ starting with '/' or an https URL"),
        ("javascript:alert(1)", "'javascript:alert(1)' must be a path under static/ starting with '/' or an https URL"),
        (
            "https://x.org/a b.png",
            "'https://x.org/a b.png' contains a space (expected a URL without spaces: write %20 in an https URL, or rename the file)",
        ),
    ],
)
def test_profile_avatar_that_is_not_a_published_image(tmp_path, avatar, message):
    refused(
        tmp_path,
        {
            "content/a.md": article(authors="Ana Ortiz"),
            "content/authors/ana-ortiz.md": f"---\nrole: Editor\navatar: {avatar}\n---\n",
            "static/images/.secret.png": b"\x89PNG",
        },
        f"content/authors/ana-ortiz.md:3: avatar: {message}",
    )
