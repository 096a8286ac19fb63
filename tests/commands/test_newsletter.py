"""``brief newsletter``: which briefs an edition holds (only what a build publishes), its
plain-text part and JSON, a site's own templates, and the command's options and messages."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import click
import pytest
from conftest import BUILD_TIME
from helpers import REPO, article, make_site, run_brief

from brief.commands.edition import Request, make_edition
from brief.config import load_config
from brief.errors import BriefError, BuildFailed


def newsletter(site: Path, *args: str) -> subprocess.CompletedProcess:
    return run_brief(["newsletter", "--site", str(site), *args])


def day(delta: int) -> str:
    """A date ``delta`` days from BUILD_TIME (2026-11-25 12:00 UTC), as front matter writes it."""
    return (BUILD_TIME + timedelta(days=delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def week(tmp_path) -> Path:
    """Briefs around BUILD_TIME: three in the last seven days (one of them Climate), an older
    one, a draft, a scheduled one and an expired one."""
    return make_site(
        tmp_path,
        {
            "content/today.md": article(title="Today", date=day(-0.1), section="Climate", takeaways=["T1", "T2"]),
            "content/monday.md": article(title="Monday", date=day(-2), section="Economy"),
            "content/last-week.md": article(title="Six days ago", date=day(-6.9), section="Economy"),
            "content/older.md": article(title="Older", date=day(-8), section="Climate"),
            "content/draft.md": article(title="Draft", date=day(-1), draft=True),
            "content/scheduled.md": article(title="Scheduled", date=day(1)),
            "content/expired.md": article(title="Expired", date=day(-3), expires=day(-1)),
        },
        'title = "Harbour Notes"\nbase_url = "https://harbour.example.org/"\n',
    )


def titles(site: Path, **request) -> list[str]:
    edition = make_edition(load_config(site), Request(now=BUILD_TIME, **request))
    return [item.title for item in edition.items]


def test_only_what_a_build_publishes_by_default_the_last_seven_days(week):
    assert titles(week) == ["Today", "Monday", "Six days ago"]
    assert titles(week, drafts=True) == ["Today", "Draft", "Monday", "Six days ago"]
    assert titles(week, future=True) == ["Scheduled", "Today", "Monday", "Six days ago"]


def test_since_last_and_section(week):
    assert titles(week, since=day(-2)[:10]) == ["Today", "Monday"]  # a date: from its midnight, in the site's zone
    assert titles(week, since="2026-11-23T12:00:00Z") == ["Today", "Monday"]
    assert titles(week, last=4) == ["Today", "Monday", "Six days ago", "Older"]
    assert titles(week, last=2, section="economy") == ["Monday", "Six days ago"]  # a slug
    assert titles(week, last=9, section="Climate") == ["Today", "Older"]  # a name


def test_nothing_to_send_is_an_error_not_an_empty_email(week):
    config = load_config(week)
    for request, message in [
        (Request(since="2026-12-01", now=BUILD_TIME), "no brief published since 2026-12-01"),
        (
            Request(now=BUILD_TIME + timedelta(days=30)),
            "no brief published in the last 7 days (since 2026-12-18 12:00 UTC)",
        ),
        (Request(since="2026-11-24", section="Economy"), "no brief published in Economy since 2026-11-24;"),
    ]:
        with pytest.raises(BriefError) as info:
            make_edition(config, request)
        assert info.value.message.startswith(f"nothing to send: {message}")
    with pytest.raises(BriefError) as info:
        make_edition(load_config(make_site(week.parent / "empty", {})), Request(last=5, now=BUILD_TIME))
    assert info.value.message == "nothing to send: no brief published"


def test_an_unknown_section_names_the_sections(week):
    with pytest.raises(click.BadParameter) as info:
        make_edition(load_config(week), Request(section="Climat", now=BUILD_TIME))
    assert info.value.format_message() == (
        "Invalid value for '--section': no section 'Climat' (expected one of: Climate, Economy); "
        "did you mean 'Climate'?"
    )


def test_plain_text_part_has_every_headline_and_link_and_no_html(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(
                title="Ports & <Tariffs> Rise",
                dek="Dock fees & levies climb: " + "a long dek that needs wrapping " * 4,
                date="2026-11-20",
                takeaways=["Levies **rise** by 3%", "See [the list](b.md)"],
            ),
            "content/b.md": article(title="The <b>List</b>", date="2026-11-19"),
        },
        'title = "R&D Weekly"\nbase_url = "https://rd.example.org/"\n[newsletter]\nfooter = "You asked for this & more."\n',
    )
    edition = make_edition(load_config(site), Request(since="2026-11-01", now=BUILD_TIME))
    text = edition.text
    assert not re.search(r"<[a-z/!][^>]*>", text.replace("<Tariffs>", "").replace("<b>List</b>", ""))
    assert "&amp;" not in text and "&lt;" not in text  # plain text: nothing HTML-escaped
    for item in edition.items:
        assert item.title in text and f"Read the brief: {item.url}" in text
    assert text.startswith("R&D Weekly\n25 November 2026\n\n----")
    assert "  * Levies rise by 3%\n  * See the list (https://rd.example.org/2026/11/b/)\n" in text
    assert all(len(line) <= 72 for line in text.splitlines() if "https://" not in line)
    assert text.endswith("You asked for this & more.\nR&D Weekly: https://rd.example.org/\n")
    assert "R&amp;D Weekly" in edition.html and "Ports &amp; &lt;Tariffs&gt; Rise" in edition.html


def test_json_describes_the_edition_for_a_sending_service(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(
                title="Alpha", dek="The dek.", date="2026-11-20", section="Climate", takeaways=["x"]
            ),
            "content/b.md": article(title="Beta", date="2026-11-19", section="Climate"),
        },
        'title = "Harbour Notes"\nbase_url = "https://harbour.example.org/"\ntimezone = "Europe/Paris"\n'
        '[newsletter]\nsubject = "{title} ({count}), {date}: {headline}"\nunsubscribe_url = "{{unsubscribe_url}}"\n',
    )
    data = make_edition(load_config(site), Request(last=5, section="climate", intro="Hi.", now=BUILD_TIME)).data
    assert json.loads(json.dumps(data)) == data
    assert {k: data[k] for k in ("subject", "preheader", "title", "date", "site_url", "section", "since", "last")} == {
        "subject": "Harbour Notes (2), 25 November 2026: Alpha",
        "preheader": "Hi.",
        "title": "Harbour Notes",
        "date": "2026-11-25T13:00:00+01:00",
        "site_url": "https://harbour.example.org/",
        "section": "Climate",
        "since": None,
        "last": 5,
    }
    assert data["unsubscribe_url"] == "{{unsubscribe_url}}" and data["intro"] == "Hi."
    assert data["files"] == {"html": "newsletter.html", "text": "newsletter.txt"}
    assert data["items"][0] == {
        "slug": "a",
        "title": "Alpha",
        "dek": "The dek.",
        "section": "Climate",
        "date": "2026-11-20T00:00:00+01:00",
        "url": "https://harbour.example.org/2026/11/a/",
        "takeaways": ["x"],
        "takeaways_html": ["x"],
        "image": None,
    }
    assert data["links"] == [
        "https://harbour.example.org/",
        "https://harbour.example.org/2026/11/a/",
        "https://harbour.example.org/2026/11/b/",
        "{{unsubscribe_url}}",
    ]
    assert data["left_out"] == [] and data["html_bytes"] > 1000


def test_a_site_template_restyles_the_edition_and_is_checked(tmp_path):
    own = (
        '<!DOCTYPE html><html lang="{{ edition.language }}"><head><title>{{ edition.subject }}</title></head><body>'
        '{% for item in items %}<p class="mine"><a href="{{ item.url }}">{{ item.title }}</a></p>{% endfor %}'
        "</body></html>\n"
    )
    files = {"content/a.md": article(title="Alpha", date="2026-11-20"), "templates/newsletter/edition.html": own}
    site = make_site(tmp_path, files, 'base_url = "https://x.example.org/"\n')
    edition = make_edition(load_config(site), Request(last=1, now=BUILD_TIME))
    assert '<p class="mine"><a href="https://x.example.org/2026/11/a/">Alpha</a></p>' in edition.html
    assert edition.text.startswith("Brief\n")  # the theme's edition.txt still
    broken = own.replace("{{ item.url }}", "{{ item.url }}missing/")
    (site / "templates/newsletter/edition.html").write_text(broken, encoding="utf-8")
    with pytest.raises(BriefError) as info:
        make_edition(load_config(site), Request(last=1, now=BUILD_TIME))
    assert info.value.message == (
        "the edition links to what the build did not make (see templates/newsletter/edition.html): "
        "https://x.example.org/2026/11/a/missing/: no such page or file in the site"
    )
    (site / "templates/newsletter/edition.txt").write_text("{{ edition.nope }}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        make_edition(load_config(site), Request(last=1, now=BUILD_TIME))
    assert [p.format() for p in failed.value.problems] == [
        "templates/newsletter/edition.txt:1: template error: UndefinedError: 'brief.render.mailviews.EditionView "
        "object' has no attribute 'nope'"
    ]


def test_the_command_writes_three_files(tmp_path):
    out = tmp_path / "edition"
    result = newsletter(REPO, "--since", "2026-11-01", "--section", "Climate", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[0] == "Subject: The Meridian Brief: Big Heat Pumps Move Into the City Heat Network"
    )
    assert re.fullmatch(
        rf"Wrote 1 brief \(\d+\.\d KB of HTML\) → {re.escape(str(out))}/newsletter.html, newsletter.txt, newsletter.json",
        result.stdout.splitlines()[1],
    )
    assert sorted(p.name for p in out.iterdir()) == ["newsletter.html", "newsletter.json", "newsletter.txt"]
    data = json.loads((out / "newsletter.json").read_text(encoding="utf-8"))
    assert data["html_bytes"] == (out / "newsletter.html").stat().st_size
    assert [item["slug"] for item in data["items"]] == ["district-heating-heat-pumps"]
    text = (out / "newsletter.txt").read_text(encoding="utf-8")
    assert "Read the brief: https://meridian.example.org/2026/11/district-heating-heat-pumps/\n" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-01", "--last", "3"], "Error: --since and --last cannot be used together: choose one"),
        (["--last", "0"], "Error: Invalid value for '--last': 0 is not in the range x>=1."),
        (
            ["--since", "last week"],
            "Error: Invalid value for '--since': 'last week' is not an ISO 8601 date "
            "(expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)",
        ),
        (
            ["--subject", "{headline} {week}"],
            "Error: Invalid value for '--subject': unknown placeholder {week} (expected {title} {headline} {date} {count})",
        ),
        (
            ["--last", "3", "--section", "Sport"],
            "Error: Invalid value for '--section': no section 'Sport' (expected one of: Climate, Economy, Technology)",
        ),
        ([], "Error: Missing option '--out'."),
    ],
)
def test_option_errors_are_usage_errors(tmp_path, args, message):
    out = [] if not args else ["--out", str(tmp_path / "o")]
    result = newsletter(REPO, *args, *out)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == message
    assert not (tmp_path / "o").exists()


def test_nothing_to_send_exits_1_and_writes_nothing(tmp_path):
    result = newsletter(REPO, "--since", "2030-01-01", "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert result.stderr == (
        "Error: nothing to send: no brief published since 2030-01-01; choose others with --since DATE or --last N\n"
    )
    assert not (tmp_path / "o").exists()
