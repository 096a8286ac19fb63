"""``takeaway-unsupported``: a figure or a name in a key takeaway that the article never gives.

A takeaway sums up the article, so every number and every name in it should come from the
body or the analysis. Checked:

- **numbers**: ``18%``, ``18 percent``, ``18 per cent`` and ``eighteen percent`` are one
  figure; ``1,200`` is ``1200``; ``2.50`` is ``2.5``; ``$1.2bn`` is ``1.2 billion``;
  a number word (two to ninety, hundred) equals its digits. A percentage is supported by
  the same number in the text (the text may say "18 points" where the takeaway rounds to
  a percentage the reader knows). A number word in a takeaway is a figure only as a
  percentage or an amount ("eighteen percent", "two million"): "two sides" or "three
  ways" are words, while the text's number words all count ("two" supports "2%").
- **names**: a run of capitalised words not at the start of a sentence ("Bank of Japan",
  "Fumio Kishida"), and acronyms ("IMF", "U.S."). A name is supported when all its words
  occur in the text (any case, any word form); a person's name by the surname alone
  ("Kishida"); an acronym by its words spelt out ("International Monetary Fund") and
  the words by the acronym.

Sentence-initial words are skipped unless they are acronyms: "Markets" starting a
takeaway is a common word, not a name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from brief.content.words import Vocabulary, normal, tokens

_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_SCALES = {"thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6, "billion": 10**9,
           "bn": 10**9, "b": 10**9, "trillion": 10**12, "tn": 10**12}  # fmt: skip
_FIGURE = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    + r")(?P<scale>[\s-]?(?:thousand|million|billion|trillion)|bn|mn|tn|[kmb])?(?![.,]?\w)"
    r"(?P<pct>\s?%|\s?(?:per\s?cent|percent)\b)?",
    re.IGNORECASE,
)
_FIGURE_START = re.compile(
    r"(?<![a-z0-9_.,])(?:[0-9]|"
    + "|".join(
        f"{first}(?:{'|'.join(word[1:] for word in _NUMBER_WORDS if word[0] == first)})"
        for first in sorted({word[0] for word in _NUMBER_WORDS})
    )
    + ")"
)
"""Where a number of ASCII text (lowercased) may start: ``_FIGURE`` on the same text finds one
only there (the number words grouped by their first letter, which the pattern tries sooner)."""
_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[\^[^\]]*\]|[*_`~]+|<[^>]*>")
_MARKUP_START = re.compile(r"[\[*_`~<]")
"""A character every match of ``_MARKUP`` starts with: text without one has no markup."""
_DIGITS = re.compile(r"\d+")
_ACRONYM = re.compile(r"\b(?:[A-Z]\.){2,}|\b[A-Z][A-Z0-9&]+\b")
_RUN = re.compile(  # two or more capitalised words, maybe joined by "of", "for the"…: a name to spell as initials
    r"[A-Z][\w'’-]*(?:\s+(?:(?:of|for|de|du|des|la|le|von|van|der|den|del|da|di)\s+(?:the\s+)?)?[A-Z][\w'’-]*)+"
)
_CAPITALISED = re.compile(r"(?<!\w)[^\W\d_][\w'’.\-]*")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+(?=\S)")
_NAME_WORDS = "of for de du des la le von van der den del da di"
_CONNECTORS = frozenset(_NAME_WORDS.split())
"""Lowercase words inside a name ("Bank of Japan"); "the" too, after one of these ("Department of the Treasury")."""
_TITLE_WORDS = """mr mrs ms dr prof sir president prime minister secretary senator governor chancellor chair
    chairman chairwoman ceo general judge justice king queen prince princess pope mayor"""
_TITLES = frozenset(_TITLE_WORDS.split())
"""Words before a person's name that are not part of it."""


@dataclass(frozen=True, slots=True)
class Figure:
    """A number as written in a takeaway, and its value."""

    text: str
    value: float
    exact: bool = True
    """Written in digits, or as a word with a percent or a scale ("eighteen percent"): a
    figure a takeaway vouches for. "Two sides" is not."""


@dataclass(frozen=True, slots=True)
class Source:
    """What the body and the analysis give, read once for all the takeaways of an article."""

    values: frozenset[float]
    """The value of every number."""
    vocabulary: Vocabulary
    """Their content words."""
    acronyms: frozenset[str]
    """Their acronyms, written ("IMF") or spelt out ("International Monetary Fund"), without dots."""


def read_source(text: str, vocabulary: Vocabulary) -> Source:
    """The :class:`Source` of ``text`` (Markdown), whose content words are ``vocabulary``."""
    plain = _plain(text)
    acronyms = {m.group().replace(".", "") for m in _ACRONYM.finditer(plain)}
    for m in _RUN.finditer(plain):  # a regex, sooner than names() over a long text
        words = [w for w in m.group().split() if w not in _CONNECTORS and w not in ("the", "The")]
        acronyms.add("".join(w[0] for w in words).upper())
    return Source(_values(plain, vocabulary), vocabulary, frozenset(acronyms))


def unsupported(takeaway: str, text: str, source: Callable[[], Source], stops: frozenset[str]) -> list[str]:
    """The numbers and names of ``takeaway`` (inline Markdown) that ``text``, the body and the
    analysis with HTML entities decoded, does not give, as written in the takeaway, in order. What ``text`` holds as
    written needs no more; the rest is looked up in ``source()``, read only then."""
    plain = _plain(html.unescape(takeaway))
    claims = [f for f in figures(plain) if f.exact]
    missing = [f.text for f in claims if f.text not in text and f.value not in source().values]
    for name in names(plain, stops):
        if name not in text and not _name_supported(name, source().vocabulary, source().acronyms, stops):
            missing.append(name)
    return missing


def _plain(text: str) -> str:
    """Inline Markdown as the text it shows (link targets, footnote marks, emphasis and tags out)."""
    return _MARKUP.sub(_link_text, text) if _MARKUP_START.search(text) else text


def _link_text(m: re.Match[str]) -> str:
    return m.group(1) or ""


def figures(text: str) -> list[Figure]:
    """The numbers of ``text`` with their values (percentages and scales applied to the value's form)."""
    if text.isascii() and _FIGURE_START.search(text.lower()) is None:
        return []  # (sooner: the pattern ignores case as Unicode does, slowly, at every character)
    return [
        Figure(m.group().strip(), _value(m), m.group("num")[0].isdigit() or bool(m.group("pct") or m.group("scale")))
        for m in _FIGURE.finditer(text)
    ]


def _value(m: re.Match[str]) -> float:
    # casefold: the pattern ignores case as Unicode does, so "ſix" (a long s) is "six".
    raw = m.group("num").casefold()
    if not raw[0].isdigit():
        value = float(_NUMBER_WORDS.get(raw, 0))
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        value = float(raw.replace(",", ""))
    else:
        value = float(raw.replace(",", "."))
    scale = (m.group("scale") or "").casefold().strip().lstrip("-").strip()
    return round(value * _SCALES.get(scale, 1), 6)


def _values(text: str, vocabulary: Vocabulary) -> frozenset[float]:
    """The values of the numbers in a long ``text``: the same as :func:`figures` gives, sooner
    (the pattern is tried only where digits start, and number words are looked up in
    ``vocabulary`` unless a scale word such as "million" may follow one)."""
    values = {float(value) for word, value in _NUMBER_WORDS.items() if word in vocabulary.counts}
    if any(scale in vocabulary.counts for scale in ("thousand", "million", "billion", "trillion")):
        values.update(f.value for f in figures(text))
    for m in _DIGITS.finditer(text):
        found = _FIGURE.match(text, m.start())
        if found is not None:
            values.add(_value(found))
    return frozenset(values)


def names(text: str, stops: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised runs ("Bank of Japan", "Fumio Kishida") and acronyms of ``text``, each once.
    A run ends at punctuation or a lowercase word (but "of", "for the"… inside a name); a
    sentence's first word is left out when it is all there is, or a stop word ("In March")."""
    rest = text[1:]
    if rest.islower() and (rest[:1].islower() or not text[:1].isupper()):
        # No capital after the first character (islower: no upper- or titlecase one), and a
        # first capital, if any, opens a word with a small letter in it: a lone first word at
        # most, which is no name (nor an acronym); the sentence loop would find nothing.
        return []
    return _names(text, stops)


def _names(text: str, stops: frozenset[str]) -> list[str]:
    """:func:`names`, sentence by sentence and word by word."""
    found: list[str] = []
    for sentence in _SENTENCE.split(text):
        run: list[str] = []
        first = True  # whether the run opens the sentence
        end = 0
        for m in _CAPITALISED.finditer(sentence):
            word = m.group()
            joined = bool(run) and not sentence[end : m.start()].strip()
            # "of", "for the" join a name, but not after a sentence's first word alone ("Tips for the…")
            inside = word in _CONNECTORS or (word == "the" and bool(run) and run[-1] in _CONNECTORS)
            if joined and (word[:1].isupper() or (inside and not (first and len(run) == 1))):
                run.append(word)
            else:
                _add_name(run, first, stops, found)
                first, run = end == 0, [word] if word[:1].isupper() else []
            end = m.end()
        _add_name(run, first, stops, found)
    return list(dict.fromkeys(found))


def _add_name(run: list[str], first: bool, stops: frozenset[str], found: list[str]) -> None:
    while run and (run[-1] in _CONNECTORS or run[-1] == "the"):
        run.pop()
    if first and len(run) > 1 and run[0].lower() in stops | {"the", "a", "an"}:
        run, first = run[1:], False
    # A sentence's first word is capitalised whatever it is: alone, it is no name.
    if run and not (first and len(run) == 1 and not _is_acronym(run[0])):
        found.append(re.sub(r"['’]s$", "", " ".join(_bare(w) for w in run)))


def _bare(word: str) -> str:
    """A word of a name without the full stop after it ("IMF." → "IMF"; "U.S." stays)."""
    return word[:-1] if word.endswith(".") and "." not in word[:-1] else word


def _name_supported(name: str, vocabulary: Vocabulary, acronyms: frozenset[str], stops: frozenset[str]) -> bool:
    words = name.split()
    if len(words) == 1 and _is_acronym(words[0]):
        letters = words[0].replace(".", "").replace("&", "")
        # "NATO" may be written "Nato"; "US" not "us", which is another word.
        return letters in acronyms or (len(letters) > 2 and letters.lower() in vocabulary)
    if len(words) > 1 and "".join(w[0] for w in words if w not in _CONNECTORS and w != "the").upper() in acronyms:
        return True
    kept = [w for w in words if w not in _CONNECTORS and w != "the" and w.lower() not in _TITLES]
    needed = [p for w in kept for p in _parts(w) if p not in stops]
    if all(_said(p, vocabulary) for p in needed):
        return True
    # A person's name: the surname alone will do ("Kishida" for "Fumio Kishida").
    person = 2 <= len(kept) <= 3 and not any(w in _CONNECTORS for w in words)
    return person and bool(needed) and _said(needed[-1], vocabulary)


def _parts(word: str) -> list[str]:
    """The content words of one word of a name ("Japan's" → japan; "Asia-Pacific" → asia, pacific)."""
    return [w for w in (normal(t, frozenset()) for t in tokens(word.replace("-", " "))) if w]


def _said(word: str, vocabulary: Vocabulary) -> bool:
    """Whether the text has ``word`` in some form, or as the start of a longer word ("Fed": "Federal")."""
    return word in vocabulary or (len(word) >= 3 and vocabulary.has_prefix(word))


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "").replace("&", "")
    return len(letters) >= 2 and letters.isalnum() and letters.isupper()
