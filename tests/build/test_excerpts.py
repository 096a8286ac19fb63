"""Source excerpts (brief/excerpts.py): the lines around a problem, as the terminal and the
preview's overlay show them; never a file outside the site, never a crash."""

from __future__ import annotations

import os

import pytest
from helpers import article, make_site, run_brief, run_build

from brief.errors import WARNING, Problem
from brief.excerpts import WIDTH, Excerpt, excerpt, excerpts, shown

TEN = "".join(f"line {n}\n" for n in range(1, 11))


def cut(tmp_path, data: str | bytes, line: int | None, message: str = "wrong", path: str = "content/a.md"):
    site = make_site(tmp_path, {path: data})
    return excerpt(site, Problem(path, line, None, message))


def test_the_line_with_two_lines_either_side_marked_in_a_gutter(tmp_path):
    found = cut(tmp_path, TEN, 5)
    assert found == Excerpt(5, tuple((n, f"line {n}") for n in range(3, 8)))
    assert found.rows() == [
        "    3 | line 3",
        "    4 | line 4",
        "  > 5 | line 5",
        "    6 | line 6",
        "    7 | line 7",
    ]
    assert found.as_json()[2] == {"number": 5, "text": "line 5", "marked": True}
    assert [row["marked"] for row in found.as_json()] == [False, False, True, False, False]


def test_first_and_last_line(tmp_path):
    assert cut(tmp_path, TEN, 1).rows() == ["  > 1 | line 1", "    2 | line 2", "    3 | line 3"]
    assert cut(tmp_path, TEN, 10).rows() == ["     8 | line 8", "     9 | line 9", "  > 10 | line 10"]


def test_a_line_out_of_range_or_none_gives_no_excerpt(tmp_path):
    for line in (0, -1, 11, 1000, None):
        assert cut(tmp_path, TEN, line) is None, line
    # Without a final line break the last line is still a line; after one, nothing follows it.
    assert cut(tmp_path, "a\nb", 2).rows() == ["    1 | a", "  > 2 | b"]
    assert cut(tmp_path, "a\nb\n", 3) is None
    assert cut(tmp_path, "", 1) is None


def test_crlf_and_lone_cr_count_as_the_build_counts_them(tmp_path):
    assert cut(tmp_path, "one\r\ntwo\r\nthree\r\n", 2).lines == ((1, "one"), (2, "two"), (3, "three"))
    assert cut(tmp_path, "one\rtwo\rthree", 3).lines == ((1, "one"), (2, "two"), (3, "three"))
    assert cut(tmp_path, "one\r\n\rthree\n", 3).lines == ((1, "one"), (2, ""), (3, "three"))


def test_tabs_are_expanded_and_a_byte_order_mark_dropped(tmp_path):
    assert cut(tmp_path, "\ufeff---\n\tkey:\tvalue\n", 2).lines == ((1, "---"), (2, "    key:    value"))


def test_control_characters_and_bidi_controls_are_shown_escaped(tmp_path):
    found = cut(tmp_path, "title: \x1b[31mred\x1b[0m \u202eevil \x85 \u2028\n", 1)
    assert found.lines == ((1, "title: \\x1b[31mred\\x1b[0m \\u202eevil \\x85 \\u2028"),)


def test_bytes_that_are_not_utf8_are_replaced(tmp_path):
    found = cut(tmp_path, b"---\ntitle: caf\xe9 \xff\xfe\nend\n", 2)
    assert found.lines[1] == (2, "title: caf\ufffd \ufffd\ufffd")


def test_a_very_long_line_is_shortened(tmp_path):
    long = "word " * 400
    found = cut(tmp_path, f"short\n{long}\nshort\n", 2)
    text = found.lines[1][1]
    assert len(text) == WIDTH and text.endswith("…") and text.startswith("word word")
    # A context line is shortened too.
    assert len(cut(tmp_path, f"{long}\nshort\n", 2).lines[0][1]) == WIDTH


def test_a_long_line_keeps_in_view_what_the_message_names(tmp_path):
    """A Markdown paragraph is one long line: the broken link far into it stays visible."""
    paragraph = "Some text. " * 30 + "See [the report](/reports/missing-2026/) for details. " + "More text. " * 30
    found = cut(tmp_path, f"---\n{paragraph}\n", 2, "link /reports/missing-2026/: no page of the site has this URL")
    text = found.lines[1][1]
    assert len(text) == WIDTH and text.startswith("…") and text.endswith("…")
    assert "[the report](/reports/missing-2026/)" in text
    # A quoted value in the message counts first; near the end of the line, one ellipsis only.
    tail = "x" * 300 + " value: 'needle-here' end"
    found = cut(tmp_path, tail + "\n", 1, "'needle-here' is wrong (expected something)")
    assert found.lines[0][1].startswith("…") and found.lines[0][1].endswith("'needle-here' end")
    assert len(found.lines[0][1]) == WIDTH


def test_no_file_outside_the_site_is_read(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("SECRET\n" * 5, encoding="utf-8")
    site = make_site(tmp_path, {"content/a.md": TEN})
    (site / "content" / "link.md").symlink_to(outside)
    for path in ("../outside.md", str(outside), "content/../../outside.md", "content/link.md"):
        assert excerpt(site, Problem(path, 1, None, "wrong")) is None, path
    assert excerpt(site, Problem("content/a.md", 1, None, "wrong")) is not None
    # A symlink that stays inside the site is read.
    (site / "content" / "inside.md").symlink_to(site / "content" / "a.md")
    assert excerpt(site, Problem("content/inside.md", 2, None, "wrong")).lines[1] == (2, "line 2")


def test_a_missing_binary_or_special_file_gives_no_excerpt(tmp_path):
    site = make_site(tmp_path, {"content/a.md": TEN, "static/x.png": b"\x89PNG\r\n\x00\x00\nIHDR\n"})
    os.mkfifo(site / "content" / "pipe.md")  # never waited on
    (site / "content" / "folder.md").mkdir()
    for path in ("content/gone.md", "static/x.png", "content/pipe.md", "content/folder.md", "--base-url", "", "."):
        assert excerpt(site, Problem(path, 1, None, "wrong")) is None, path
    assert excerpt(site / "nowhere", Problem("content/a.md", 1, None, "wrong")) is None


def test_excerpts_of_problems_with_a_line_shown_under_them(tmp_path):
    site = make_site(tmp_path, {"content/a.md": TEN})
    error = Problem("content/a.md", 2, "title", "is required")
    warning = Problem("content/a.md", 3, "titel", "unknown key", WARNING, "unknown-key")
    no_line = Problem("content/a.md", None, None, "broken")
    found = excerpts(site, [error, no_line])
    assert list(found) == [error]
    assert shown(error, found) == "\n".join(
        ["content/a.md:2: title: is required", "    1 | line 1", "  > 2 | line 2", "    3 | line 3", "    4 | line 4"]
    )
    assert shown(warning, found) == warning.format()


# --- the terminal ------------------------------------------------------------------------------


BROKEN = article(date="not-a-date", section="News", takeaways=["One"])  # date on line 3


def test_build_shows_the_source_lines_under_each_error(tmp_path):
    site = make_site(tmp_path, {"content/a.md": BROKEN, "content/b.md": article(title=None, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 1
    lines = err.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("content/a.md:3: date: 'not-a-date'")))
    assert lines[start + 1 : start + 5] == [
        "    1 | ---",
        "    2 | title: A Quiet Week",
        "  > 3 | date: not-a-date",
        "    4 | section: News",
    ]
    assert lines[lines.index("content/b.md:1: title: is required (expected a non-empty string)") + 1] == "  > 1 | ---"
    assert lines[-1] == "Error: build failed: 2 errors, 0 warnings; nothing was written"
    # Every line that is not an excerpt's is a problem (file:line: first) or the summary.
    assert all(line.startswith(("content/", "  ", "Error: ")) for line in lines), err


def test_build_quiet_keeps_one_line_per_problem(tmp_path):
    site = make_site(tmp_path, {"content/a.md": BROKEN})
    code, out, err = run_build(site, "-q")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "content/a.md:3: date: 'not-a-date' is not an ISO 8601 date "
        "(expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
        "Error: build failed: 1 error, 0 warnings; nothing was written",
    ]


def test_build_shows_the_lines_of_brief_toml_too(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()}, config='title = "T"\nper_page = "many"\n')
    code, _, err = run_build(site)
    assert code == 1
    assert '  > 2 | per_page = "many"' in err.splitlines(), err


@pytest.mark.slow
@pytest.mark.parametrize("quiet", [False, True])
def test_check_shows_the_source_lines_in_text_only(tmp_path, quiet):
    import json

    site = make_site(tmp_path, {"content/a.md": BROKEN})

    def check(*args: str) -> str:
        run = run_brief(["check", "--site", str(site), *args])
        assert run.returncode == 1, run.stderr
        return run.stdout

    text = check(*(["-q"] if quiet else []))
    assert ("  > 3 | date: not-a-date" in text.splitlines()) is not quiet, text
    assert text.splitlines()[0].startswith("content/a.md:3: date: 'not-a-date' is not")
    data = json.loads(check("--format", "json"))
    assert set(data["problems"][0]) == {"path", "line", "field", "message", "code", "severity"}
    assert "not-a-date\n" not in check("--format", "github") and "  > 3" not in check("--format", "github")


def test_a_huge_file_is_cut_quickly(tmp_path):
    """Lines are found only as far as the excerpt needs; a line of megabytes is read in part."""
    import time

    site = make_site(tmp_path, {"content/a.md": "\n" * 2_000_000 + "x" * 10_000_000 + "\n"})
    started = time.perf_counter()
    assert excerpt(site, Problem("content/a.md", 3, None, "wrong")).lines == tuple((n, "") for n in range(1, 6))
    long = excerpt(site, Problem("content/a.md", 2_000_001, None, "wrong")).lines[-1]
    assert long == (2_000_001, "x" * (WIDTH - 1) + "…")
    assert time.perf_counter() - started < 10
