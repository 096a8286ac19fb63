"""``corrections:``: the dated notes of an article's corrections and substantive updates.

Each item is a mapping: ``date`` (an ISO 8601 date or date-time, read in the site's time
zone as ``date:`` is) and ``text`` (inline Markdown) are required, ``kind`` is
``correction`` (the default) or ``update``. A note dated before the article, or after the
build's time, is an error: the first at validation, the second when the site is indexed
(:func:`future_notes`), since the build's time is not part of a file's cached outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from brief.config import Config
from brief.content.checker import Checker, describe
from brief.content.dates import parse_datetime
from brief.content.model import Article, Correction
from brief.content.yamllines import Key, dotted
from brief.errors import Problem, did_you_mean

NOTE_FIELDS = ("date", "text", "kind")
KINDS = ("correction", "update")


def corrections_field(c: Checker, config: Config, published: datetime | None) -> tuple[Correction, ...]:
    """The notes of ``corrections:``, newest first; ``published`` is the article's date
    (None when it has an error of its own)."""
    value = c.doc.meta.get("corrections")
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(
            ("corrections",),
            f"expected a list of notes, each with date and text (and kind: update for an update), got {describe(value)}",
        )
        return ()
    notes = [_note(c, ("corrections", i), item, config, published) for i, item in enumerate(value)]
    found = [note for note in notes if note is not None]
    return tuple(sorted(found, key=lambda note: (-note.date.timestamp(), note.index)))


def _note(c: Checker, key: Key, item: object, config: Config, published: datetime | None) -> Correction | None:
    if not isinstance(item, dict):
        c.error(key, f"expected a mapping with date and text (and optionally kind), got {describe(item)}")
        return None
    for name in item:
        if name not in NOTE_FIELDS:
            hint = did_you_mean(str(name), NOTE_FIELDS) or " (expected date, text and kind)"
            c.error((*key, name), f"unknown key of a correction{hint}")
    date = _date(c, (*key, "date"), item.get("date"), config)
    if item.get("text") is None:
        c.error(
            (*key, "text"),
            "is required (expected what readers should know, in a sentence or two, such as: "
            "An earlier version gave the wrong date for the vote.)",
        )
        text = None
    else:
        text = c.text((*key, "text"), item.get("text"), required=True)
    kind = _kind(c, (*key, "kind"), item.get("kind", "correction"))
    if date is not None and published is not None and date < published:
        local = published.astimezone(config.tz)
        same_day = date.astimezone(config.tz).date() == local.date()
        hint = f"; on the day of publication write the time too, after {local:%H:%M}" if same_day else ""
        c.error(
            (*key, "date"),
            f"{date.isoformat()} is before the article's date {published.isoformat()} "
            f"(expected the time the {kind or 'correction'} was made, on or after the publication{hint})",
        )
        return None
    if date is None or text is None or kind is None:
        return None
    assert isinstance(key[1], int)
    return Correction(date, text, kind, key[1], c.doc.line((*key, "text")))


def _date(c: Checker, key: Key, value: object, config: Config) -> datetime | None:
    if value is None:
        c.error(key, "is required (expected the ISO 8601 date of the note, such as 2026-10-03 or 2026-10-03T08:30:00)")
        return None
    raw = c.doc.raw.get(key)
    try:
        return parse_datetime(raw if raw is not None and not isinstance(value, (list, dict)) else value, config.tz)
    except ValueError as exc:
        c.error(key, str(exc))
        return None


def _kind(c: Checker, key: Key, value: object) -> str | None:
    if value in KINDS:
        assert isinstance(value, str)
        return value
    shown = f"'{value}'" if isinstance(value, str) else describe(value)
    hint = did_you_mean(value, KINDS) if isinstance(value, str) else ""
    c.error(key, f"{shown} is not a kind of note (expected 'correction', the default, or 'update'){hint}")
    return None


def future_notes(articles: Iterable[Article], now: datetime) -> list[Problem]:
    """A note dated after the build's time ``now``, on any valid article: an error (in the
    order of ``articles``, then of the notes as written)."""
    problems = []
    for article in articles:
        if not article.corrections:
            continue
        for note in sorted(article.corrections, key=lambda n: n.index):
            if note.date > now:
                key = ("corrections", note.index, "date")
                problems.append(
                    Problem(
                        article.relpath,
                        article.lines.get(key),
                        dotted(key),
                        f"{note.date.isoformat()} is in the future (this build runs at "
                        f"{now.astimezone(note.date.tzinfo).isoformat(timespec='seconds')}; expected the time the "
                        f"{note.kind} was made: correct the date, or add the note once the change is published)",
                    )
                )
    return problems
