"""``brief schedule``: when the published site changes by itself, and whether a change is due.

Lists what :func:`brief.render.schedule.upcoming` finds in the site's articles (an article
going live, leaving the news sitemap, expiring), as text or JSON. ``--due`` answers a cron
job: has a change come since the last ``brief build``, whose time ``brief build`` records
in ``.brief-cache/last-build.json`` (brief.manifest)? The exit code says it (:data:`DUE`,
:data:`NOT_DUE`), so that the job builds and deploys only then. The formatting helpers
here also make ``brief build``'s "Next change" line.

The articles are loaded as a build loads them (and their errors fail the command as
they fail a build); the site index is not made, so this takes a fraction of a build.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

import click

from brief.commands.options import IsoDate, site_option
from brief.urls import path_url

if TYPE_CHECKING:
    from brief.config import Config
    from brief.render.schedule import Change

DUE = 0
"""``--due``: a change has come since the last build (or there is no record of one): build."""
NOT_DUE = 3
"""``--due``: nothing has come since the last build. Not 1, which every command uses for
invalid input: a script must tell "nothing to do" from "the site does not load"."""
PHRASES = {"scheduled": "goes live", "news-window": "leaves the news sitemap", "expires": "expires"}
"""What happens to the article, in the text listing."""
WHAT = {"scheduled": "is scheduled", "news-window": "leaves the news sitemap", "expires": "expires"}
"""The same, after the article's title ("Next change: … — 'Title' is scheduled")."""


@click.command("schedule")
@site_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON for tools.")
@click.option(
    "--due",
    is_flag=True,
    help=f"Exit {DUE} when a change has come since the last brief build (or none is recorded), {NOT_DUE} when not.",
)
@click.option(
    "--since",
    type=IsoDate(),
    default=None,
    help="With --due: the time of the last build (ISO 8601, UTC unless it has an offset), "
    "instead of the one brief build recorded in .brief-cache/.",
)
def schedule_command(site_dir: Path, as_json: bool, due: bool, since: str | None) -> None:
    """List the upcoming changes of the published site, in time order: articles going live,
    leaving the news sitemap's two-day window, expiring. With --due, say whether one has
    come since the last build instead (exit 0: build; 3: nothing due)."""
    from brief.config import load_config
    from brief.content.dates import current_time, parse_datetime
    from brief.errors import BuildFailed
    from brief.excerpts import excerpted

    if since is not None and not due:
        raise click.UsageError("--since goes with --due")
    try:
        config = load_config(site_dir)
        articles = _articles(config)
    except BuildFailed as exc:
        raise excerpted(exc, site_dir) from None
    now = current_time()
    if not due:
        _print_listing(config, articles, now, as_json)
        return
    given = parse_datetime(since, UTC).astimezone(UTC) if since is not None else None
    answer = due_answer(config, articles, now, given)
    text = answer.pop("text")
    click.echo(json.dumps(answer, ensure_ascii=False, indent=2) if as_json else text)
    sys.exit(DUE if answer["due"] else NOT_DUE)


def _articles(config: Config) -> list:
    from brief.content.load import load_articles
    from brief.errors import BuildFailed, errors_in

    loaded = load_articles(config)
    errors = errors_in(loaded.problems)
    if errors:
        raise BuildFailed(errors, "loading the articles")
    return loaded.articles


def _print_listing(config: Config, articles: list, now: datetime, as_json: bool) -> None:
    from brief.render.schedule import upcoming

    records = [change_record(change, config) for change in upcoming(articles, now)]
    if as_json:
        click.echo(json.dumps(records, ensure_ascii=False, indent=2))
    elif records:
        click.echo(table(records, config.tz))
    else:
        click.echo(
            f"Nothing scheduled: no article goes live, leaves the news sitemap or expires after {when(now, config.tz)}."
        )


def due_answer(config: Config, articles: list, now: datetime, since: datetime | None) -> dict:
    """``--due``'s answer: ``due``, ``since`` (the last build's time, or None when unknown),
    ``changes`` (the records of those that came since), ``reason`` and ``text`` (what to print)."""
    from brief.manifest import LAST_BUILD_FILE, last_build
    from brief.render.schedule import came, upcoming
    from brief.settings import CACHE_DIR

    where = f"{CACHE_DIR}/{LAST_BUILD_FILE}"
    reason = ""
    if since is None:
        record = last_build(config.root)
        if record is None:
            reason = f"no record of a previous build in {where} (brief build writes it)"
        elif record.get("drafts") or record.get("future"):
            reason = f"the last build ({where}) included drafts or scheduled articles: not what is published"
        else:
            since = _parse_time(record.get("built"))
            reason = "" if since is not None else f"{where} gives no valid build time"
    if since is None:
        return {"due": True, "since": None, "changes": [], "reason": reason, "text": f"Due: {reason}."}
    records = [change_record(change, config) for change in came(articles, since, now)]
    last = f"the last build at {when(since, config.tz)}"
    if records:
        s = "" if len(records) == 1 else "s"
        reason = f"{len(records)} change{s} since {last}"
        text = f"Due: {reason}:\n{table(records, config.tz)}"
    else:
        reason = f"no change since {last}"
        ahead = [change_record(change, config) for change in upcoming(articles, now)]
        text = f"Nothing due: {reason}.\n{next_change_line(first_moment(ahead), config.tz)}"
    return {"due": bool(records), "since": iso(since), "changes": records, "reason": reason, "text": text}


# --- records and their text -------------------------------------------------------------------


def change_record(change: Change, config: Config) -> dict:
    """A change as JSON: ``at`` (UTC), ``local`` (the site's time zone), ``kind``, and the
    article's ``file``, ``slug``, ``title`` and absolute ``url``."""
    article = change.article
    return {
        "at": iso(change.at),
        "local": change.at.astimezone(config.tz).isoformat(),
        "kind": change.kind,
        "file": article.relpath,
        "slug": article.slug,
        "title": article.title,
        "url": config.base_url + path_url(article.url_path.lstrip("/")),
    }


def valid_record(record: object) -> bool:
    """Whether ``record`` (read back from last-build.json) is one :func:`change_record` made."""
    return (
        isinstance(record, dict)
        and record.get("kind") in WHAT
        and isinstance(record.get("title"), str)
        and _parse_time(record.get("at")) is not None
    )


def first_moment(records: list[dict]) -> list[dict]:
    """The records of the first moment among ``records`` (in time order): every change then."""
    return [r for r in records if r["at"] == records[0]["at"]] if records else []


def next_change_line(records: list[dict], tz: tzinfo) -> str:
    """``Next change: 2026-12-03 06:00 UTC — 'Port corridor talks' is scheduled``, from the
    records of the changes at the first moment ahead; "none scheduled" when there are none."""
    if not records:
        return "Next change: none scheduled"
    first = records[0]
    also = f" (and {len(records) - 1} more then)" if len(records) > 1 else ""
    return f"Next change: {when(_at(first), tz)} — '{first['title']}' {WHAT[first['kind']]}{also}"


def table(records: list[dict], tz: tzinfo) -> str:
    """The records as aligned columns: time (UTC, and the site's own when it differs for any of
    them), what happens, which article (title and file)."""
    moments = [_at(record) for record in records]
    local = _zone_name(tz) if any(moment.astimezone(tz).utcoffset() for moment in moments) else ""
    head = ["When (UTC)", *([local] if local else []), "Change", "Article"]
    rows = [head]
    for record, moment in zip(records, moments):
        times = [_clock(moment)] + ([_clock(moment.astimezone(tz))] if local else [])
        rows.append([*times, PHRASES[record["kind"]], f"{record['title']} ({record['file']})"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows)


def when(moment: datetime, tz: tzinfo) -> str:
    """``2026-12-03 06:00 UTC``, and the site's time after it when it differs then:
    ``2026-12-03 06:00 UTC (07:00 Europe/Paris)``."""
    text = f"{_clock(moment.astimezone(UTC))} UTC"
    there = moment.astimezone(tz)
    if there.utcoffset():
        shown = _clock(there) if there.date() != moment.astimezone(UTC).date() else _clock(there)[11:]
        text += f" ({shown} {_zone_name(tz)})"
    return text


def iso(moment: datetime) -> str:
    """``2026-12-03T06:00:00Z`` (microseconds only when there are any)."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _clock(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" + (":%S" if moment.second or moment.microsecond else ""))


def _zone_name(tz: tzinfo) -> str:
    """The site's zone as brief.toml names it (``Europe/Paris``)."""
    return str(getattr(tz, "key", "") or tz)


def _at(record: dict) -> datetime:
    """The time of a record that :func:`change_record` made (or :func:`valid_record` checked)."""
    moment = _parse_time(record["at"])
    if moment is None:
        raise ValueError(f"not a change's record: {record!r}")
    return moment


def _parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo is not None else None
