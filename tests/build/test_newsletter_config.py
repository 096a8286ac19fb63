"""``[newsletter]`` of brief.toml: defaults, values read, and one exact message per kind of mistake."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import make_site

from brief.config import load_config
from brief.errors import BuildFailed
from brief.newsletter_settings import NewsletterOptions


def problems(tmp_path, toml: str) -> list[str]:
    site = make_site(tmp_path, {}, toml)
    with pytest.raises(BuildFailed) as info:
        load_config(site)
    return [p.format() for p in info.value.problems]


def test_defaults(tmp_path):
    options = load_config(make_site(tmp_path, {}, "")).newsletter
    assert options == NewsletterOptions()
    assert (options.title, options.subject, options.max_takeaways) == ("", "{title}: {headline}", 3)
    assert options.utm(date(2026, 12, 3)) == []  # no tracking unless asked for
    assert options.unsubscribe_url == ""


def test_values_are_read_and_the_date_placeholder_filled(tmp_path):
    site = make_site(
        tmp_path,
        {},
        '[newsletter]\ntitle = "Meridian Weekly"\nsubject = "{title}, {date}"\nintro = " Hello. "\n'
        'max_takeaways = 0\nutm_source = "newsletter"\nutm_medium = "email"\nutm_campaign = "weekly-{date}"\n'
        'unsubscribe_url = "{{{ pm:unsubscribe }}}"\n',
    )
    options = load_config(site).newsletter
    assert (options.title, options.subject, options.intro, options.max_takeaways) == (
        "Meridian Weekly",
        "{title}, {date}",
        "Hello.",
        0,
    )
    assert options.utm(date(2026, 12, 3)) == [
        ("utm_source", "newsletter"),
        ("utm_medium", "email"),
        ("utm_campaign", "weekly-2026-12-03"),
    ]
    assert options.unsubscribe_url == "{{{ pm:unsubscribe }}}"  # Postmark's merge tag, kept as written


def test_every_mistake_is_reported_on_its_line(tmp_path):
    toml = (
        'title = "X"\n'
        "\n"
        "[newsletter]\n"
        'subject = "  "\n'
        'utm_medium = "email"\n'
        'utm_campaign = "w-{week}"\n'
        "max_takeaways = -1\n"
        'unsubscribe_url = "javascript:alert(1)"\n'
        'utm_sorce = "x"\n'
        "footer = 3\n"
    )
    assert problems(tmp_path, toml) == [
        "brief.toml:3: newsletter.utm_source: must be set when utm_medium and utm_campaign are "
        '(analytics ignore a campaign without its source; e.g. "newsletter")',
        'brief.toml:4: newsletter.subject: must not be empty (expected e.g. "{title}: {headline}")',
        "brief.toml:6: newsletter.utm_campaign: unknown placeholder {week} (expected {date})",
        "brief.toml:7: newsletter.max_takeaways: must be at least 0, got -1",
        "brief.toml:8: newsletter.unsubscribe_url: 'javascript:alert(1)' is not a link (expected an https URL "
        "or the sending service's merge tag, such as *|UNSUB|* or {{unsubscribe_url}})",
        "brief.toml:9: newsletter.utm_sorce: unknown configuration key; did you mean 'utm_source'?",
        "brief.toml:10: newsletter.footer: expected a string, got an integer (3)",
    ]


def test_subject_placeholders_and_a_key_outside_the_table(tmp_path):
    assert problems(tmp_path, 'utm_source = "newsletter"\n[newsletter]\nsubject = "{headline} ({sections})"\n') == [
        "brief.toml:1: utm_source: unknown configuration key; did you mean 'utm_source' under [newsletter]?",
        "brief.toml:3: newsletter.subject: unknown placeholder {sections} (expected {title} {headline} {date} {count})",
    ]


def test_a_newsletter_that_is_not_a_table(tmp_path):
    assert problems(tmp_path, 'newsletter = "weekly"\n') == [
        "brief.toml:1: newsletter: expected a table [newsletter], got a string ('weekly')"
    ]
