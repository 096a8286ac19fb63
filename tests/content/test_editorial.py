"""The editor's second pair of eyes (#19.4), on one article at a time: headline-length,
dek-repeats-title, updated-before-date and takeaway-unsupported, each with its exact message,
the cases it must leave alone, and its code tuned in brief.toml. caption-mismatch has its own
file (test_captions.py); byline-mismatch needs the site (tests/site/test_bylines.py)."""

from __future__ import annotations

import pytest
from helpers import Raw, article, make_site, read_output, run_build

from brief.config import load_config
from brief.content.editorial import repeats, visible_length
from brief.content.files import load
from brief.content.schema import validate
from brief.content.stopwords import stop_words

NEW_CODES = ("headline-length", "dek-repeats-title", "updated-before-date", "takeaway-unsupported")


def warnings(tmp_path, text: str, config: str | None = None, code: str | None = None) -> list[str]:
    """The warnings validating ``text`` as content/a.md gives (those of ``code`` only, when given)."""
    site = make_site(tmp_path, {"content/a.md": text}, config)
    _, problems = validate(load(site / "content/a.md", site), load_config(site))
    return [p.format() for p in problems if p.severity == "warning" and code in (None, p.code)]


# --- headline-length ---------------------------------------------------------------------------


def test_a_headline_over_110_characters(tmp_path):
    assert warnings(tmp_path, article(title="H" * 110), code="headline-length") == []
    assert warnings(tmp_path, article(title="H" * 111), code="headline-length") == [
        "content/a.md:2: warning: title: headline is 111 characters (expected at most 110: search engines cut "
        "longer ones); shorten it [headline-length]"
    ]


def test_characters_are_counted_as_readers_see_them():
    assert visible_length("Café") == 4
    assert visible_length("Cafe\u0301") == 4  # e + combining acute: one letter on screen
    assert visible_length("Ta\u0301\u0300i") == 3  # two marks on one letter
    assert visible_length("co\u00adop\u00aderate") == 9  # soft hyphens are not shown
    assert visible_length("Go \U0001f469\u200d\U0001f469\u200d\U0001f467 go") == 7  # a family is one emoji
    assert visible_length("\U0001f44d\U0001f3fd") == 1  # thumbs up, skin tone
    assert visible_length("\U0001f1ef\U0001f1f5\U0001f1fa\U0001f1f8") == 2  # two flags
    assert visible_length("\u65e5\u672c\u306e\u5916\u4ea4") == 5


def test_a_decomposed_headline_is_not_too_long(tmp_path):
    title = "Cafe\u0301 " * 22  # 110 characters on screen, 132 code points
    assert warnings(tmp_path, article(title=title.strip() + "s"), code="headline-length") == []


def test_long_headline_is_the_old_name_of_headline_length(tmp_path):
    text = article(title="H" * 111)
    config = '[warnings]\nlong-headline = "off"\n'
    site = make_site(tmp_path, {"content/a.md": text}, config)
    code, _, err = run_build(site)
    assert code == 0, err
    assert "[headline-length]" not in err
    assert (
        "brief.toml:2: warning: warnings.long-headline: deprecated: the code is now headline-length; "
        "write that instead [deprecated-key]"
    ) in err.splitlines()
    both = '[warnings]\nlong-headline = "off"\nheadline-length = "error"\n'
    (site / "brief.toml").write_text(both, encoding="utf-8")
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "brief.toml:2: warning: warnings.long-headline: deprecated, and ignored: headline-length, its new name, "
        "is given too; remove it [deprecated-key]"
    ) in err.splitlines()
    assert "content/a.md:2: title: headline is 111 characters" in err


# --- dek-repeats-title -------------------------------------------------------------------------

STOPS = stop_words("en")


@pytest.mark.parametrize(
    "title, dek",
    [
        ("Japan and U.S. Agree on Coast Guard Patrols", "Japan and U.S. agree on coast guard patrols."),
        ("Japan and U.S. Agree on Coast Guard Patrols", "Japan and U.S. Agree on Coast Guard Patrols: what changes"),
        ("Japan and U.S. Agree on Coast Guard Patrols", "Japan and the U.S. agreed on coast guard patrols on Tuesday."),
        ("Central Bank Holds Rates", "The central bank holds rates steady again."),
    ],
)
def test_a_dek_that_repeats_the_headline(title, dek):
    assert repeats(dek, title, STOPS)


@pytest.mark.parametrize(
    "title, dek",
    [
        # A dek that takes up the headline's words to say more is what a dek is for.
        (
            "Japan and U.S. Agree on Coast Guard Patrols",
            "The agreement commits both coast guards to joint patrols in the East China Sea, "
            "a step Beijing called provocative.",
        ),
        (
            "Central Banks Hold Steady as Services Inflation Lingers",
            "Major central banks kept policy rates unchanged this month, signaling patience while price "
            "growth in services refuses to cool as quickly as goods inflation has.",
        ),
        ("Batteries", "Batteries carried the grid through a windless week."),  # a one-word headline
        ("Rates on Hold", "Nothing changed."),
    ],
)
def test_a_dek_that_adds_to_the_headline(title, dek):
    assert not repeats(dek, title, STOPS)


def test_dek_repeats_title_message(tmp_path):
    text = article(title="Port Strike Ends After Pay Deal", dek="The port strike ends after a pay deal.")
    assert warnings(tmp_path, text, code="dek-repeats-title") == [
        'content/a.md:4: warning: dek: the dek repeats the headline ("The port strike ends after a pay deal."); '
        "use it to add what the headline leaves out [dek-repeats-title]"
    ]


# --- updated-before-date -----------------------------------------------------------------------


def test_updated_before_date_is_a_warning_and_is_ignored(tmp_path):
    text = article(date=Raw("2024-03-02T10:00:00Z"), updated=Raw("2024-03-01"))
    site = make_site(tmp_path, {"content/a.md": text})
    code, _, err = run_build(site)
    assert code == 0, err
    assert (
        "content/a.md:4: warning: updated: 2024-03-01T00:00:00+00:00 is before date 2024-03-02T10:00:00+00:00, "
        "so the page shows no update (expected a time on or after the publication date; correct it or remove it) "
        "[updated-before-date]"
    ) in err.splitlines()
    page = read_output(site, "2024/03/a/index.html")
    assert 'class="byline-updated"' not in page and '"dateModified":"2024-03-02T10:00:00+00:00"' in page


def test_updated_on_or_after_date_is_fine(tmp_path):
    same = article(date=Raw("2024-03-02T10:00:00Z"), updated=Raw("2024-03-02T10:00:00Z"))
    assert warnings(tmp_path, same, code="updated-before-date") == []


# --- takeaway-unsupported ----------------------------------------------------------------------

BODY = """\
On Tuesday, Prime Minister Fumio Kishida met U.S. Secretary of State Antony Blinken in Tokyo.
The Bank of Japan kept its rate at 0.1 percent. Exports rose 18 percent to $1.2 billion, and
1200 new jobs were created. The International Monetary Fund expects growth of two percent;
the OECD agrees. Markets were calm. Shipments reached 2.50 million tonnes.
"""


def takeaway_warnings(tmp_path, *takeaways: str, body: str = BODY, **fields) -> list[str]:
    text = article(body, takeaways=list(takeaways), **fields)
    return warnings(tmp_path, text, code="takeaway-unsupported")


@pytest.mark.parametrize(
    "takeaway",
    [
        "Exports rose 18% to $1.2bn.",  # % and percent; bn and billion
        "Exports rose 18 per cent.",
        "Exports rose eighteen percent.",  # a number word
        "The economy added 1,200 jobs.",  # thousands separator
        "Shipments reached 2.5 million tonnes.",  # 2.50 is 2.5
        "Growth of 2% is expected by the IMF.",  # the acronym spelt out in the body
        "The International Monetary Fund expects 2 percent growth.",
        "Kishida met Blinken in Tokyo.",  # surnames of the names in the body
        "Fumio Kishida and the U.S. agreed.",
        "Markets expect the Bank of Japan to wait.",  # a sentence's first word is no name
        "The **Bank of Japan** held [its rate](https://www.boj.or.jp/) at 0.1 percent.",
        "The OECD agrees.",
        "Rates stayed at 0,1 %.",  # a decimal comma
        "Two ministers met for three days.",  # number words alone are words, not figures
        "In Tokyo, Kishida agreed.",  # a sentence's first word, a stop word, is no part of a name
        "Tips for the Bank of Japan &#40;and the IMF&#41;.",  # HTML entities are their characters
    ],
)
def test_takeaways_the_body_supports(tmp_path, takeaway):
    assert takeaway_warnings(tmp_path, takeaway) == []


def test_a_figure_and_a_name_the_body_never_gives(tmp_path):
    found = takeaway_warnings(tmp_path, "Exports rose 18 percent.", "Exports rose 19% as the Bank of England watched.")
    assert found == [
        'content/a.md:6: warning: takeaways[1]: "19%" and "Bank of England" appear nowhere in the body or the '
        "analysis; check the takeaway against the article, or say in the text where it comes from "
        "[takeaway-unsupported]"
    ]


@pytest.mark.parametrize(
    "takeaway, missing",
    [
        ("Growth reached 3.5 percent.", "3.5 percent"),
        ("Officials met in Washington.", "Washington"),
        ("The ECB disagreed.", "ECB"),
        ("Talks resume in March.", "March"),
        ("About 1,300 jobs were created.", "1,300"),
        ("Blinken (U.S. State Department) agreed.", "State Department"),  # a name ends at a bracket
        ("In March, talks resume.", "March"),
        ("Exports rose 18 percent to $1.3bn.", "$1.3bn"),
        ("Exports rose nineteen percent.", "nineteen percent"),  # a number word as a percentage
    ],
)
def test_takeaways_the_body_does_not_support(tmp_path, takeaway, missing):
    [found] = takeaway_warnings(tmp_path, takeaway)
    assert f': "{missing.lstrip("$")}" appears nowhere' in found, found


def test_the_analysis_supports_a_takeaway_too(tmp_path):
    analysis = {"label": "View", "byline": "Staff", "body": "Tokyo will watch the Federal Reserve in September."}
    assert takeaway_warnings(tmp_path, "The Fed matters for Tokyo in September.", analysis=analysis) == []
    assert len(takeaway_warnings(tmp_path, "The Fed matters for Tokyo in September.")) == 1


# --- tuning ------------------------------------------------------------------------------------

EVERYTHING = article(
    "Rates were left alone.\n",
    title="Port Strike Ends " + "x" * 100,
    dek="Port strike ends " + "x" * 100,
    updated=Raw("2023-01-01"),
    takeaways=["Pay rises 14 percent."],
)


@pytest.mark.slow
def test_each_code_can_be_turned_off_or_made_an_error(tmp_path):
    site = make_site(tmp_path, {"content/a.md": EVERYTHING})
    code, _, err = run_build(site)
    assert code == 0, err
    for name in NEW_CODES:
        assert f"[{name}]" in err, name
    off = "[warnings]\n" + "".join(f'{name} = "off"\n' for name in NEW_CODES)
    (site / "brief.toml").write_text(off, encoding="utf-8")
    code, _, err = run_build(site)
    assert code == 0 and not any(f"[{name}]" in err for name in NEW_CODES), err
    for name in NEW_CODES:
        (site / "brief.toml").write_text(f'[warnings]\n{name} = "error"\n', encoding="utf-8")
        code, _, err = run_build(site)
        assert code == 1, name
        assert f"[{name}]" in err and "Error: build failed: 1 error" in err, err
