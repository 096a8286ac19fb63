"""Slugs: the URL-safe names of articles, sections, tags and authors.

A slug is lowercase and made of letters, digits and single hyphens. Latin
letters lose their accents (``Café Société`` → ``cafe-societe``); letters of
other scripts are kept as they are (``Экономика`` → ``экономика``), so names
stay readable and distinct instead of collapsing to nothing.
"""

from __future__ import annotations

import unicodedata

# Letters that Unicode decomposition does not reduce to ASCII.
_SPECIAL = str.maketrans({
    "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th",
    "ł": "l", "ħ": "h", "ı": "i", "ŧ": "t", "ŋ": "n", "ĸ": "k", "ſ": "s",
    "'": "", "’": "", "ʼ": "",
})


def slugify(text: str) -> str:
    """The slug of ``text``; ``""`` when it holds no letter or digit."""
    # Decompose before case-folding too: compatibility forms such as '𝐀' or '㎒' decompose to capitals.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold().translate(_SPECIAL))
    out: list[str] = []
    pending_hyphen = False
    for ch in text:
        if unicodedata.combining(ch):
            # Accents on Latin letters go (é → e); marks of other scripts are part of the word.
            if out and not pending_hyphen and not out[-1].isascii():
                out.append(ch)
            continue
        if _is_word_char(ch):
            if pending_hyphen and out:
                out.append("-")
            pending_hyphen = False
            out.append(ch)
        else:
            pending_hyphen = True
    return unicodedata.normalize("NFC", "".join(out))


def is_valid_slug(text: str) -> bool:
    """True when ``text`` is already a slug (what ``slug:`` in front matter must be)."""
    return bool(text) and slugify(text) == text


def _is_word_char(ch: str) -> bool:
    if ch.isascii():
        return ch.isalnum()
    category = unicodedata.category(ch)
    # Lowercase or caseless letters and decimal digits of any script; other marks,
    # symbols, punctuation and spaces (including look-alikes of '/' and '.') separate words.
    return category in ("Ll", "Lo", "Lm", "Nd", "Mc")
