"""``[newsletter]`` in brief.toml: the settings of the email edition ``brief newsletter`` writes.

The keys are declared in :data:`NEWSLETTER_KEYS` (type, default, help) and become the
``[newsletter]`` table of :data:`brief.settings.OPTIONS`, so unknown keys and wrong types
are reported with their line as for every other table (and ``brief init`` lists them);
:func:`check_newsletter` then checks the values themselves, every problem with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from brief.errors import Problem
from brief.tomllines import line_of

_CONFIG = "brief.toml"

SUBJECT_FIELDS = ("title", "headline", "date", "count")
"""Placeholders of ``subject``: the edition's name, the lead brief's headline, the edition's
date as pages show it ("3 December 2026") and the number of briefs."""
UTM_FIELDS = ("date",)
"""Placeholder of the ``utm_*`` values: the edition's date as ``2026-12-03``."""
UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign")

NEWSLETTER_KEYS: dict[str, tuple[type, Any, str]] = {
    "title": (str, "", "Name of the edition at the top of the email (default: the site title)."),
    "subject": (str, "{title}: {headline}", "Subject line; placeholders {title} {headline} {date} {count}."),
    "intro": (str, "", "A paragraph under the edition's name, also the preheader (default: none; the lead's dek)."),
    "footer": (str, "", "A line in the footer, e.g. why the reader gets this email."),
    "max_takeaways": (int, 3, "Key takeaways shown under each brief (0: none)."),
    "utm_source": (str, "", 'utm_source added to every link to the site, e.g. "newsletter" (default: none).'),
    "utm_medium": (str, "", 'utm_medium added with it, e.g. "email".'),
    "utm_campaign": (str, "", 'utm_campaign added with it; {date} is the edition\'s date, e.g. "weekly-{date}".'),
    "unsubscribe_url": (
        str,
        "",
        "The sending service's unsubscribe link or merge tag, e.g. *|UNSUB|* (Mailchimp); empty: none.",
    ),
}
"""Every key of ``[newsletter]``: type, default, help (brief.settings makes them options)."""


@dataclass(frozen=True, slots=True)
class NewsletterOptions:
    """``[newsletter]``: the edition's texts, links and length (see :data:`NEWSLETTER_KEYS`)."""

    title: str = ""
    """The edition's name; empty: the site title."""
    subject: str = "{title}: {headline}"
    intro: str = ""
    footer: str = ""
    max_takeaways: int = 3
    utm_source: str = ""
    utm_medium: str = ""
    utm_campaign: str = ""
    unsubscribe_url: str = ""
    """Written into the footer's Unsubscribe link as it is (the sending service replaces a merge tag)."""

    def utm(self, day: date) -> list[tuple[str, str]]:
        """The UTM parameters to add to a link to the site, in order, placeholders filled."""
        values = ((key, getattr(self, key)) for key in UTM_KEYS)
        return [(key, filled(value.strip(), {"date": day.isoformat()})) for key, value in values if value.strip()]


_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_UNSAFE_SCHEME = re.compile(r"\s*(javascript|vbscript|data|file)\s*:", re.I)


def placeholder_problem(text: str, allowed: tuple[str, ...]) -> str | None:
    """Why ``text`` holds a placeholder that is not one of ``allowed``, or None."""
    unknown = [name for name in _PLACEHOLDER.findall(text) if name not in allowed]
    if not unknown:
        return None
    return f"unknown placeholder {{{unknown[0]}}} (expected {' '.join('{' + name + '}' for name in allowed)})"


def filled(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced (in one pass: a value that holds
    ``{date}`` stays as it is)."""
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def check_newsletter(values: dict[str, Any], text: str, problems: list[Problem]) -> NewsletterOptions:
    """The ``[newsletter]`` values (already of the right types: brief.settings.check_table
    replaced a wrong one by its default), each checked; a problem for each bad one."""

    def bad(key: str, message: str) -> None:
        problems.append(Problem(_CONFIG, line_of(text, f"newsletter.{key}"), f"newsletter.{key}", message))

    values = {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}
    if not values["subject"]:
        bad("subject", 'must not be empty (expected e.g. "{title}: {headline}")')
    for key, allowed in [("subject", SUBJECT_FIELDS), *((key, UTM_FIELDS) for key in UTM_KEYS)]:
        message = placeholder_problem(values[key], allowed)
        if message:
            bad(key, message)
    if values["max_takeaways"] < 0:
        bad("max_takeaways", f"must be at least 0, got {values['max_takeaways']}")
    if not values["utm_source"] and (values["utm_medium"] or values["utm_campaign"]):
        given = [key for key in UTM_KEYS[1:] if values[key]]
        when = f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'}"
        bad(
            "utm_source", f'must be set when {when} (analytics ignore a campaign without its source; e.g. "newsletter")'
        )
    unsubscribe = values["unsubscribe_url"]
    if any(ch.isspace() for ch in unsubscribe.strip("{} ")) or _UNSAFE_SCHEME.match(unsubscribe):
        bad(
            "unsubscribe_url",
            f"'{unsubscribe}' is not a link (expected an https URL or the sending service's merge tag, "
            "such as *|UNSUB|* or {{unsubscribe_url}})",
        )
    return NewsletterOptions(**values)
