"""Content words of an article's text, and when two of them are the same word.

The editorial checks (brief.content.editorial) compare the words of one field with
another's: a caption with the article, a dek with its headline. A content word is a
word left after Markdown, URLs and the site language's stop words are taken out,
lowercased and without a plural ``s``; an acronym (``US``, ``U.S.``, ``IT``) is kept
even when it spells a stop word. Two words are the same when they are equal, or when
one runs on from the other (:func:`same_word`): "diplomats", "diplomatic" and
"diplomacy"; "Japan" and "Japanese"; "meet" and "meeting".
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import repeat

# Dotted acronyms ("U.S."), then words and numbers ("1,200", "2.5", "Japan's",
# "analytics.usa.gov"); a hyphen splits ("grid-scale" is "grid" and "scale").
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:[.,'’][^\W_]+)*")
_TOKEN_ASCII = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z0-9]+(?:[.,'][A-Za-z0-9]+)*")
"""``_TOKEN`` for ASCII text, sooner (its classes spelt out: a letter, a letter or digit)."""
# Link targets, HTML tags, bare URLs, entities and footnote marks say nothing about the story.
_NOISE = re.compile(r"\]\([^)]*\)|<[^>]*>|https?://\S+|&#?\w+;|\[\^[^\]]*\]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
NON_WORD = re.compile(
    "[" + "".join(re.escape(c) for c in map(chr, [*range(0x80, 0xC0), *range(0x2000, 0x2070)]) if not c.isalnum()) + "]"
)
"""Non-ASCII characters that are never part of a ``\\w`` run (no-break space, «», ¿, the curly
quotes, dashes, ellipsis and spaces of General Punctuation): a space in their place leaves
a text's ``\\w`` runs as they are, and English prose is plain ASCII but for them (497 of
18F's 509 posts), so that a pattern of ASCII classes, quicker, finds the same runs in it."""

MIN_PREFIX = 4
"""Letters two different words must share at the start to count as one word."""


def ascii_form(text: str) -> str | None:
    """``text`` with its :data:`NON_WORD` characters made spaces, when that leaves it ASCII
    (its ``\\w`` runs are then found by ASCII classes alike); None when it does not."""
    plain = text if text.isascii() else NON_WORD.sub(" ", text)
    return plain if plain.isascii() else None


def tokens(text: str) -> list[str]:
    """The words and numbers of ``text`` as written (Markdown link targets and HTML left out);
    a name with dots that is no acronym nor number is its parts ("analytics.usa.gov")."""
    text = _NOISE.sub(" ", text)
    matched = (_TOKEN_ASCII if text.isascii() else _TOKEN).findall(text)
    joined = "".join(matched)
    if "." not in joined and "," not in joined:  # no token to look into (most text)
        return matched
    found = []
    for token in matched:
        if ("." not in token and "," not in token) or _is_acronym(token) or _NUMBER.fullmatch(token):
            found.append(token)
        else:
            found += [part for part in re.split(r"[.,]", token) if part]
    return found


def content_words(text: str, stops: frozenset[str]) -> list[str]:
    """The content words of ``text`` in order (see the module docstring), repeats included."""
    return [word for word in map(normal, tokens(text), repeat(stops)) if word]


@lru_cache(maxsize=1 << 16)  # the same words, over and over
def normal(token: str, stops: frozenset[str]) -> str | None:
    """One token as a content word, or None for a stop word or a lone digit or letter."""
    token = re.sub(r"['’]s?$", "", token)
    if _NUMBER.fullmatch(token):
        return _number(token) if len(token) > 1 else None
    if _is_acronym(token):
        return token.replace(".", "").lower()
    word = token.lower()
    if len(word) < 2 or word in stops or not word.isalnum():
        return None
    return stem(word)


def stem(word: str) -> str:
    """``word`` without a plural ending: "fields" → "field", "policies" → "policy"."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")) and word not in _NOT_PLURAL:
        return word[:-1]
    return word


def same_word(a: str, b: str) -> bool:
    """Whether two content words are one word: equal, or (both spelt with letters) the
    shorter runs on into the longer after sharing at least :data:`MIN_PREFIX` letters and
    all but its last two ("diplomacy" and "diplomatic" share "diploma")."""
    if a == b:
        return True
    if not (a.isalpha() and b.isalpha()):
        return False
    shared = _common_prefix(a, b)
    return shared >= MIN_PREFIX and shared >= min(len(a), len(b)) - 2


class Vocabulary:
    """The content words of some text with how often each occurs, for :meth:`count`."""

    def __init__(self, words: Iterable[str]) -> None:
        self.counts = Counter(words)
        self._sorted = sorted(self.counts)

    def count(self, word: str) -> int:
        """How often ``word`` occurs, counting every word that is the same (:func:`same_word`)."""
        total = self.counts.get(word, 0)
        if not word.isalpha() or len(word) < MIN_PREFIX:
            return total
        start = word[:MIN_PREFIX]
        i = bisect.bisect_left(self._sorted, start)
        while i < len(self._sorted) and self._sorted[i].startswith(start):
            other = self._sorted[i]
            if other != word and same_word(word, other):
                total += self.counts[other]
            i += 1
        return total

    def has_prefix(self, prefix: str) -> bool:
        """Whether a word of the text starts with ``prefix``."""
        i = bisect.bisect_left(self._sorted, prefix)
        return i < len(self._sorted) and self._sorted[i].startswith(prefix)

    def __contains__(self, word: object) -> bool:
        """Whether :meth:`count` of ``word`` is more than 0 (the first word that is the same will do)."""
        if not isinstance(word, str):
            return False
        if word in self.counts:
            return True
        if not word.isalpha() or len(word) < MIN_PREFIX:
            return False
        start = word[:MIN_PREFIX]
        i = bisect.bisect_left(self._sorted, start)
        while i < len(self._sorted) and self._sorted[i].startswith(start):
            if same_word(word, self._sorted[i]):
                return True
            i += 1
        return False


_SINGULAR = "news series species gas lens bias canvas atlas chaos ethos always perhaps whereas"
_NOT_PLURAL = frozenset(_SINGULAR.split())
"""Words ending in s that are no plural."""


def _is_acronym(token: str) -> bool:
    """``US``, ``U.S.``, ``NATO``, ``G7``: two or more capitals (digits allowed), or dotted capitals."""
    letters = token.replace(".", "")
    return len(letters) >= 2 and letters.isalnum() and letters.isupper() and not letters.isdigit()


def _number(token: str) -> str:
    """A number as compared: thousands separators dropped ("1,200" is "1200"), "2.50" is "2.5"."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        token = token.replace(",", "")
    if "." in token and re.fullmatch(r"\d+\.\d+", token):
        token = token.rstrip("0").rstrip(".")
    return token


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
