"""``corrections:`` in front matter: what a valid list becomes, and every mistake reported
on its file, line and field, all together (brief.content.corrections)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import make_site, problem_lines, run_build, tree

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.content.files import load
from brief.content.schema import validate
from brief.errors import BuildFailed

HEAD = "---\ntitle: A\ndate: 2026-10-03T08:30:00\ntakeaways: [One]\n"


def doc(notes: str, head: str = HEAD) -> str:
    return f"{head}corrections:\n{notes}---\nBody.\n"


def test_valid_notes_are_kept_newest_first(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": doc(
                "  - date: 2026-10-04\n"
                "    text: Fixed *the* figure.\n"
                "  - date: 2026-10-05T10:00:00+02:00\n"
                "    kind: update\n"
                "    text: Added Saturday's table.\n"
                "  - date: 2026-10-04\n"
                "    kind: correction\n"
                "    text: Same day, written second.\n"
            )
        },
        'timezone = "Europe/London"\n',
    )
    config = load_config(site)
    source = load(site / "content/a.md", config.root)
    assert not isinstance(source, list)
    article, problems = validate(source, config)
    assert problems == [] and article is not None
    assert [(n.date.isoformat(), n.kind, n.text, n.index, n.line) for n in article.corrections] == [
        ("2026-10-05T10:00:00+02:00", "update", "Added Saturday's table.", 1, 10),
        ("2026-10-04T00:00:00+01:00", "correction", "Fixed *the* figure.", 0, 7),
        ("2026-10-04T00:00:00+01:00", "correction", "Same day, written second.", 2, 13),
    ]
    assert article.modified.isoformat() == "2026-10-05T10:00:00+02:00"  # the newest note, not updated:


def test_the_modified_time_is_the_latest_of_updated_and_the_notes(tmp_path):
    later = doc("  - date: 2026-10-04\n    text: A fix.\n", HEAD + "updated: 2026-10-06T12:00:00\n")
    earlier = doc("  - date: 2026-10-07\n    text: A fix.\n", HEAD + "updated: 2026-10-06T12:00:00\n")
    site = make_site(tmp_path, {"content/a.md": later, "content/b.md": earlier})
    config = load_config(site)
    found = []
    for name in ("a", "b"):
        source = load(site / f"content/{name}.md", config.root)
        assert not isinstance(source, list)
        article, _ = validate(source, config)
        assert article is not None
        found.append(article.modified.isoformat())
    assert found == ["2026-10-06T12:00:00+00:00", "2026-10-07T00:00:00+00:00"]


def test_every_mistake_in_the_notes_is_reported_on_its_line(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": doc(
                "  - date: 2026-10-04\n"  # 6
                "    text: Fine.\n"
                "    knd: update\n"  # 8: a typo that would publish an update as a correction
                "  - The figure was wrong.\n"  # 9
                "  - text: No date.\n"  # 10
                "  - date: next week\n"  # 11
                "    text: Bad date.\n"
                "  - date: 2026-10-05\n"  # 13: no text
                "  - date: 2026-10-05\n"  # 14
                '    text: ""\n'  # 15
                "  - date: 2026-10-05\n"  # 16
                "    text: Wrong kind.\n"
                "    kind: fix\n"  # 18
                "  - date: 2026-10-05\n"  # 19
                "    text: Capital kind.\n"
                "    kind: Update\n"  # 21
                "  - date: 2026-10-01\n"  # 22: before the article
                "    text: Too early.\n"
                "  - date: 2026-10-03\n"  # 24: the day of publication, before its time
                "    text: Same day.\n"
                "    kind: update\n"
            ),
            "content/b.md": doc("  date: 2026-10-04\n  text: Not a list.\n"),
        },
    )
    before = tree(site)
    code, _, err = run_build(site)
    assert code == 1
    assert problem_lines(err) == [
        "content/a.md:8: corrections[0].knd: unknown key of a correction; did you mean 'kind'?",
        "content/a.md:9: corrections[1]: expected a mapping with date and text (and optionally kind), "
        "got a string ('The figure was wrong.')",
        "content/a.md:10: corrections[2].date: is required (expected the ISO 8601 date of the note, "
        "such as 2026-10-03 or 2026-10-03T08:30:00)",
        "content/a.md:11: corrections[3].date: 'next week' is not an ISO 8601 date "
        "(expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
        "content/a.md:13: corrections[4].text: is required (expected what readers should know, in a sentence "
        "or two, such as: An earlier version gave the wrong date for the vote.)",
        "content/a.md:15: corrections[5].text: must not be empty (expected a non-empty string)",
        "content/a.md:18: corrections[6].kind: 'fix' is not a kind of note (expected 'correction', the default, "
        "or 'update')",
        "content/a.md:21: corrections[7].kind: 'Update' is not a kind of note (expected 'correction', the "
        "default, or 'update'); did you mean 'update'?",
        "content/a.md:22: corrections[8].date: 2026-10-01T00:00:00+00:00 is before the article's date "
        "2026-10-03T08:30:00+00:00 (expected the time the correction was made, on or after the publication)",
        "content/a.md:24: corrections[9].date: 2026-10-03T00:00:00+00:00 is before the article's date "
        "2026-10-03T08:30:00+00:00 (expected the time the update was made, on or after the publication; "
        "on the day of publication write the time too, after 08:30)",
        "content/b.md:5: corrections: expected a list of notes, each with date and text (and kind: update for "
        "an update), got a mapping",
        "Error: build failed: 11 errors, 0 warnings; nothing was written",
    ]
    assert tree(site) == before


NOW = datetime(2026, 10, 10, 12, 0, tzinfo=UTC)
HEAD_B = HEAD.replace("title: A", "title: B")
HEAD_C = HEAD.replace("title: A", "title: C").replace("2026-10-03T08:30:00", "2026-10-12")


def test_a_note_dated_after_the_build_is_an_error(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": doc("  - date: 2026-10-10T13:00:00+01:00\n    text: Made now.\n"),  # 12:00 UTC: fine
            "content/b.md": doc("  - date: 2026-10-11\n    text: Tomorrow.\n    kind: update\n", HEAD_B),
            # A scheduled article cannot have been corrected yet: an error even though it is not built.
            "content/c.md": doc("  - date: 2026-10-13\n    text: Early.\n", HEAD_C),
        },
        'timezone = "Europe/London"\n',
    )
    with pytest.raises(BuildFailed) as info:
        build(load_config(site), site / "public", BuildOptions(now=NOW))
    assert [p.format() for p in info.value.problems] == [
        "content/b.md:6: corrections[0].date: 2026-10-11T00:00:00+01:00 is in the future (this build runs at "
        "2026-10-10T13:00:00+01:00; expected the time the update was made: correct the date, or add the note "
        "once the change is published)",
        "content/c.md:6: corrections[0].date: 2026-10-13T00:00:00+01:00 is in the future (this build runs at "
        "2026-10-10T13:00:00+01:00; expected the time the correction was made: correct the date, or add the "
        "note once the change is published)",
    ]
    assert not (site / "public").exists()
    (site / "content/b.md").unlink()
    (site / "content/c.md").unlink()
    build(load_config(site), site / "public", BuildOptions(now=NOW))


def test_corrections_on_a_page_are_an_article_field(tmp_path):
    site = make_site(
        tmp_path,
        {"content/pages/about.md": "---\ntitle: About\ncorrections:\n  - date: 2026-01-01\n    text: x\n---\nUs.\n"},
    )
    code, _, err = run_build(site)
    assert code == 0, err
    assert [line for line in problem_lines(err) if "corrections" in line] == [
        "content/pages/about.md:3: warning: corrections: an article's field, ignored on a page (remove "
        "corrections:, or write type: article to make content/pages/about.md an article) [article-field-on-page]"
    ]
