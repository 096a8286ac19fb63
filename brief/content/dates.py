"""ISO 8601 dates and datetimes from front matter, always made time-zone aware."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time, tzinfo

from brief.errors import BriefError

_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"\s*(?P<tz>Z|z|[+-]\d{2}(?::?\d{2})?)?)?"
)


# A week inside what datetime can hold, so that the site's time zone, the news sitemap's window
# and other date arithmetic never leave year 1 or 9999.
_EARLIEST = datetime(1, 1, 8, tzinfo=UTC)
_LATEST = datetime(9999, 12, 24, tzinfo=UTC)


def parse_datetime(value: object, tz: tzinfo) -> datetime:
    """Parse an ISO 8601 date or datetime; a value without offset is read in ``tz``.

    Accepts what YAML may already have built (``date``/``datetime``) or text such as
    ``2026-10-03``, ``2026-10-03T08:30``, ``2026-10-03 08:30:00+01:00`` or ``…Z``.
    Raises ValueError with a message meant for the user.
    """
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        parsed = _parse_text(value.strip())
    else:
        raise ValueError(
            f"expected an ISO 8601 date such as 2026-10-03 or 2026-10-03T08:30:00, got {type(value).__name__} {value!r}"
        )
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    try:
        in_range = _EARLIEST <= parsed <= _LATEST
    except OverflowError:  # an offset that takes it past year 1 or 9999 in UTC
        in_range = False
    if not in_range:
        shown = value.strip() if isinstance(value, str) else value.isoformat()
        raise ValueError(f"'{shown}' is out of range (expected a date between {_EARLIEST.date()} and {_LATEST.date()})")
    return parsed


def _parse_text(text: str) -> datetime:
    match = _ISO.fullmatch(text)
    if not match:
        raise ValueError(f"'{text}' is not an ISO 8601 date (expected e.g. 2026-10-03 or 2026-10-03T08:30:00+01:00)")
    tz = match["tz"]
    if tz in ("Z", "z"):
        tz = "+00:00"
    elif tz and len(tz) == 3:
        tz += ":00"
    elif tz and ":" not in tz:
        tz = f"{tz[:3]}:{tz[3:]}"
    normal = match["date"] + (f"T{match['time']}{tz or ''}" if match["time"] else "")
    try:
        parsed = datetime.fromisoformat(normal)
    except ValueError as exc:
        raise ValueError(f"'{text}' is not a valid date: {exc}") from None
    if parsed.tzinfo is not None and abs(parsed.utcoffset().total_seconds()) >= 86400:  # type: ignore[union-attr]
        raise ValueError(f"'{text}' has an impossible UTC offset")
    return parsed


NOW_ENV = "BRIEF_NOW"
"""An ISO 8601 time that brief takes as the current time (tests, reproducible builds)."""


def current_time() -> datetime:
    """The time a build, ``brief schedule`` or ``brief related`` takes as now: the clock, or
    ``BRIEF_NOW`` when set (read in UTC unless it carries an offset; an empty value counts as
    unset). Not SOURCE_DATE_EPOCH, which packaging tools set to an old date for other reasons:
    brief would then leave out every article written since. Raises BriefError when it is not a
    date."""
    pinned = os.environ.get(NOW_ENV, "").strip()
    if not pinned:
        return datetime.now(UTC)
    try:
        return parse_datetime(pinned, UTC).astimezone(UTC)
    except ValueError as exc:
        raise BriefError(f"{NOW_ENV}: {exc}") from None
