"""Dates as archives hold them → ISO 8601 text brief reads, keeping the written offset.

Real archives hold more than ISO: ``2016-07-19 10:00:00 -0400`` (Jekyll), ``2016-7-9``,
``Mon, 02 Jan 2006 15:04:05 +0000`` (RSS, WordPress), ``January 2, 2006``,
``2 Jan 2006``, ``2006/01/02``, ``2016-07-19T10:00:00.000Z``. A value without an offset
stays without one (brief reads it in the site's time zone, as the source did); an offset
written as a zone abbreviation (``EST``, ``GMT``) becomes the number it stands for.
"""

from __future__ import annotations

import re
from datetime import date, datetime

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
ZONES = {
    "UT": "+00:00", "UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00",
    "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00",
    "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "BST": "+01:00", "CET": "+01:00", "CEST": "+02:00", "IST": "+05:30", "JST": "+09:00",
}  # fmt: skip
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?")
_TIME = r"(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
_ZONE = r"(?P<zone>Z|[A-Za-z]{1,5}|[+-]\d{2}:?\d{2}|[+-]\d{2})"
_NUMERIC = re.compile(
    rf"(?P<y>\d{{4}})[-/.](?P<mo>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?:(?:T|\s+|,\s*)(?:{_TIME}))?\s*{_ZONE}?"
)
_WORDS = re.compile(
    r"(?:(?P<wd>[A-Za-z]+)\.?,?\s+)??"
    r"(?:(?P<d1>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m1>[A-Za-z]+)\.?|(?P<m2>[A-Za-z]+)\.?\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?)"
    rf",?\s+(?P<y>\d{{4}})(?:(?:,?\s+|\s*(?:at|T)\s*){_TIME})?\s*{_ZONE}?"
)


def normalise(value: object) -> tuple[str | None, bool]:
    """(ISO 8601 text, whether it differs from what was written); (None, True) when unreadable."""
    if isinstance(value, datetime):
        return value.isoformat(), True
    if isinstance(value, date):
        return value.isoformat(), True
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 < value < 1e11:
        return datetime.fromtimestamp(value).astimezone().isoformat(), True  # seconds since 1970
    text = " ".join(str(value).split())
    if _ISO.fullmatch(text):
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return None, True
        return text, False
    text = re.sub(r"\s*\([^)]*\)$", "", text)  # '2016-07-19 (optional)': a template's hint left in
    for pattern in (_NUMERIC, _WORDS):
        match = pattern.fullmatch(text)
        if match:
            result = _compose(match)
            return result, True
    return None, True


def _compose(m: re.Match[str]) -> str | None:
    groups = m.groupdict()
    month_name = groups.get("m1") or groups.get("m2")
    if month_name is not None:
        month = _MONTHS.get(month_name.lower())
        day = int(groups.get("d1") or groups.get("d2") or 0)
    else:
        month, day = int(groups["mo"]), int(groups["d"])
    year = int(groups["y"])
    if month is None:
        return None
    try:
        date(year, month, day)
    except ValueError:
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if groups.get("h") is None:
        return out if not groups.get("zone") or groups["zone"].upper() in ZONES else None
    hour, minute, second = int(groups["h"]), int(groups["mi"]), int(groups.get("s") or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    out += f"T{hour:02d}:{minute:02d}:{second:02d}"
    zone = groups.get("zone")
    if zone:
        offset = _offset(zone)
        if offset is None:
            return None
        out += offset
    return out


def _offset(zone: str) -> str | None:
    if zone.upper() in ZONES:
        return ZONES[zone.upper()]
    digits = zone.replace(":", "")
    if re.fullmatch(r"[+-]\d{2}", digits):
        digits += "00"
    if re.fullmatch(r"[+-]\d{4}", digits) and int(digits[1:3]) < 24 and int(digits[3:]) < 60:
        return f"{digits[:3]}:{digits[3:]}"
    return None
