"""Slugs: the URL-safe names of articles, sections, tags and authors.

A slug is lowercase ASCII letters, digits and single hyphens. Every script is
transliterated (anyascii): ``Café Société`` → ``cafe-societe``, ``Экономика`` →
``ekonomika``, ``日本 経済`` → ``riben-jingji``, so URLs stay readable, portable
and stable instead of collapsing to nothing or to percent-encoded bytes.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans("", "", "'’ʼ`")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
MAX_LENGTH = 200
"""Longest slug. Every slug names a folder of the built site, and file systems refuse names
over 255 bytes (transliteration can make a slug longer than the name it comes from)."""


@lru_cache(maxsize=1 << 16)  # the same tags, sections and names, many times per build
def slugify(text: str) -> str:
    """The slug of ``text``; ``""`` when it holds no letter or digit. At most :data:`MAX_LENGTH` characters."""
    ascii_text = (text if text.isascii() else _transliterated(text)).translate(_APOSTROPHES).lower()
    return _NOT_WORD.sub("-", ascii_text).strip("-")[:MAX_LENGTH].rstrip("-")


def _transliterated(text: str) -> str:
    """``text`` in ASCII (anyascii, after NFKC), which leaves ASCII text as it is: imported by
    the first name that is not ASCII (4 ms of every start of a site that has none)."""
    from anyascii import anyascii

    return anyascii(unicodedata.normalize("NFKC", text))


def is_valid_slug(text: str) -> bool:
    """True when ``text`` is already a slug (what ``slug:`` in front matter must be)."""
    return bool(text) and slugify(text) == text
