"""byline-mismatch (#19.4): the analysis of an article signed by someone who neither wrote it
nor writes for the site. Names come from the byline before its role; they may be an author of
the article, an author profile (name or slug), or a name brief.toml allows ([bylines] outlets,
default_author, the title and publisher). Real builds of scratch sites, exact messages."""

from __future__ import annotations

import pytest
from helpers import article, make_site, run_build

from brief.site.bylines import byline_names

CONFIG = 'title = "The Harbour Brief"\ndefault_author = "Harbour Desk"\n'


def analysis(byline: str) -> dict:
    return {"label": "View", "byline": byline, "body": "What it means."}


def build(tmp_path, byline: str, config: str = CONFIG, authors=("Ana Ortiz", "Tomás Reyes"), files=None):
    text = article(authors=list(authors), analysis=analysis(byline), takeaways=["Fine."])
    site = make_site(tmp_path, {"content/a.md": text, **(files or {})}, config)
    code, _, err = run_build(site)
    return code, [line for line in err.splitlines() if "byline" in line]


@pytest.mark.parametrize(
    "byline, names",
    [
        ("Priya Venkataraman, Economics Editor", ["Priya Venkataraman"]),
        ("By Ana Ortiz and Tomás Reyes", ["Ana Ortiz", "Tomás Reyes"]),
        ("by Ana Ortiz & Tomás Reyes, Climate Desk", ["Ana Ortiz", "Tomás Reyes"]),
        ("Ana Ortiz — Energy Editor", ["Ana Ortiz"]),
        ("Ana Ortiz - Energy Editor", ["Ana Ortiz"]),
        ("Ana Ortiz | Energy", ["Ana Ortiz"]),
        ("Editorial Board", ["Editorial Board"]),
        ("Jean-Luc Picard", ["Jean-Luc Picard"]),  # a hyphen inside a name is no role
    ],
)
def test_the_names_of_a_byline(byline, names):
    assert byline_names(byline) == names


@pytest.mark.parametrize(
    "byline",
    [
        "Ana Ortiz, Energy Editor",  # an author of the article
        "By Tomas Reyes and ana ortiz",  # accents and case do not matter
        "Harbour Desk",  # default_author
        "The Harbour Brief",  # the site's title
        "Priya Venkataraman, Economics Editor",  # a profile's name
        "Jonah Whitcombe",  # a profile's slug (the profile gives no name)
    ],
)
def test_bylines_that_name_the_site_s_people(tmp_path, byline):
    files = {
        "content/authors/priya.md": "---\nname: Priya Venkataraman\n---\nPriya covers the economy.\n",
        "content/authors/jonah-whitcombe.md": "---\nrole: Technology Editor\n---\nJonah covers chips.\n",
        "content/b.md": article(title="Other", authors=["Priya", "Jonah Whitcombe"]),  # the profiles are used
    }
    code, lines = build(tmp_path, byline, files=files)
    assert code == 0 and lines == [], lines


def test_a_byline_naming_a_stranger(tmp_path):
    code, lines = build(tmp_path, "By Ana Ortiz and Jane Doe, Guest Analysts")
    assert code == 0
    assert lines == [
        "content/a.md:9: warning: analysis.byline: 'Jane Doe' is neither an author of this article "
        "(Ana Ortiz, Tomás Reyes) nor an author profile of the site (expected one of them, or a name listed "
        'under [bylines] outlets in brief.toml, such as "Editorial Board") [byline-mismatch]'
    ]


def test_a_misspelt_author_gets_a_hint(tmp_path):
    code, lines = build(tmp_path, "Ana Ortis, Energy Editor")
    assert len(lines) == 1 and lines[0].endswith("); did you mean 'Ana Ortiz'? [byline-mismatch]"), lines


@pytest.mark.slow
def test_outlets_listed_in_brief_toml(tmp_path):
    assert build(tmp_path / "without", "Editorial Board")[1] != []
    config = CONFIG + '\n[bylines]\noutlets = ["Editorial Board", "Meridian Desk"]\n'
    assert build(tmp_path / "with", "By the Editorial Board", config)[1] == []
    assert build(tmp_path / "desk", "Meridian Desk, Analysis", config)[1] == []


def test_byline_mismatch_can_be_turned_off_or_made_an_error(tmp_path):
    code, lines = build(tmp_path / "off", "Jane Doe", CONFIG + '[warnings]\nbyline-mismatch = "off"\n')
    assert code == 0 and lines == []
    code, lines = build(tmp_path / "error", "Jane Doe", CONFIG + '[warnings]\nbyline-mismatch = "error"\n')
    assert code == 1
    assert lines[0].startswith("content/a.md:9: analysis.byline: 'Jane Doe' is neither")


@pytest.mark.parametrize(
    "toml, problem",
    [
        (
            '[bylines]\noutlets = "Editorial Board"\n',
            "brief.toml:2: bylines.outlets: expected a list of names, got a string ('Editorial Board')",
        ),
        ('[bylines]\noutlets = ["Editorial Board", " "]\n', "brief.toml:2: bylines.outlets: has an empty name"),
        (
            "[bylines]\noutlet = []\n",
            "brief.toml:2: bylines.outlet: unknown configuration key; did you mean 'outlets'?",
        ),
    ],
)
def test_the_outlets_setting_is_checked(tmp_path, toml, problem):
    site = make_site(tmp_path, {"content/a.md": article()}, toml)
    code, _, err = run_build(site)
    assert code == 1
    assert any(line.startswith(problem) for line in err.splitlines()), err
