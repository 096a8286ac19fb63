"""``caption-mismatch``: a hero photo whose caption and alt text have nothing to do with the story.

A stock photo picked by mistake ("Aerial shot of vibrant rice fields in West Java" on a
brief about U.S.–Japan diplomacy) shares no words with the article it illustrates. The
content words of the caption and the alt text (brief.content.words: stop words out,
plurals and word forms matched) are looked up in the article:

- *strong* support: a word in the headline, dek, takeaways, section, tags, authors or
  analysis label and byline, or twice or more in the body and the analysis;
- *weak* support: a word once in the body or the analysis. A long text holds many words
  by chance ("West" in "Western allies"), so a few of these prove little; nor do words
  any story may use (:data:`GENERIC_WORDS`: "people", "official", "Sunday", "large"),
  which give weak support wherever they are found.

The image is flagged when none of its words has strong support and at most a third have
weak support; or when one has strong support but fewer than :data:`MIN_SHARE` of them are
supported at all (a long alt text with one word in common). Words every caption may use whatever it shows
("photo", "aerial", "shot", "pictured", colours) are not counted. Tuned on hand-written
news briefs (tests/content/caption_pairs.yaml) and on three public archives (README).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from brief.content.words import Vocabulary, content_words, normal, stem, tokens

_CAPTION_WORDS = """
    photo photograph photographed image picture pictured shot aerial view illustration illustrated
    screenshot screen capture graphic file credit courtesy stock archive show shows showing shown
    seen depict depicting depicted background foreground left right center centre top bottom
    front side middle close closeup via white black blue red green yellow orange purple pink grey
    gray brown dark light bright vibrant colorful colourful color colour colored coloured
"""
CAPTION_WORDS = frozenset(_CAPTION_WORDS.split())
"""Words a caption or alt text may use whatever it shows: they say nothing of the story."""

_GENERIC_WORDS = """
    people person man men woman women child children family families group crowd member members
    official officials leader leaders worker workers resident residents staff team public national
    local first second third last next large small big long short old young new main major general
    high low early late open close full empty whole part side end day days week weeks month months
    morning afternoon evening night today yesterday monday tuesday wednesday thursday friday saturday
    sunday time place area site city town village country region world home house building street
    road hold holding held take taking took make made work working stand standing sit sitting wait
    waiting walk walking look looking watch watching meet meeting speak speaking talk talking give
    line number case plan way job thing event
"""
GENERIC_WORDS = frozenset(stem(word) for word in _GENERIC_WORDS.split())
"""Words any news story may use: found in the article, they give weak support only."""
MIN_SHARE = 0.15
"""Least share of a caption's and alt text's words the article must support (about one in seven)."""


@dataclass(frozen=True, slots=True)
class CaptionSupport:
    """How much of a caption and alt text the article itself says."""

    words: tuple[str, ...]
    """The content words of the caption and the alt text, each once, as written (lowercased)."""
    strong: tuple[str, ...]
    """Those in the headline, dek, takeaways, section, tags, authors or byline, or repeated in the body."""
    weak: tuple[str, ...]
    """Those once in the body or the analysis, and nowhere else."""

    @property
    def mismatched(self) -> bool:
        """No word with strong support and at most a third with weak support; or a single
        word with strong support and, all told, fewer than :data:`MIN_SHARE` of them with any."""
        n = len(self.words)
        if not self.strong:
            return bool(n) and len(self.weak) * 3 <= n
        return len(self.strong) < 2 and len(self.strong) + len(self.weak) < MIN_SHARE * n


def caption_support(
    caption: str, alt: str, head: str, body: Callable[[], Vocabulary], stops: frozenset[str]
) -> CaptionSupport:
    """Which words of ``caption`` and ``alt`` (plain text or inline Markdown) the article
    supports: ``head`` is its headline, dek, takeaways, section, tags and names joined,
    ``body()`` the content words of its body and analysis, read only when ``head`` does not
    settle it (two words with strong support there: the image is no mismatch, and the
    support returned is that much)."""
    written: dict[str, str] = {}  # each content word, as first written (lowercased)
    for token in tokens(_plain(caption) + "\n" + _plain(alt)):
        word = normal(token, stops)
        if word and word not in CAPTION_WORDS:
            written.setdefault(word, re.sub(r"['’]s$", "", token).lower())
    if not written:
        return CaptionSupport((), (), ())
    heading = Vocabulary(content_words(_plain(head), stops))
    strong = [shown for word, shown in written.items() if word in heading and word not in GENERIC_WORDS]
    if len(strong) >= 2:
        return CaptionSupport(tuple(written.values()), tuple(strong), ())
    strong = []
    weak: list[str] = []
    text = body()
    for word, shown in written.items():
        count = text.count(word)
        if (word in heading or count >= 2) and word not in GENERIC_WORDS:
            strong.append(shown)
        elif count or word in heading:
            weak.append(shown)
    return CaptionSupport(tuple(written.values()), tuple(strong), tuple(weak))


_MARKUP = re.compile(r"[*_`~]+")


def _plain(text: str) -> str:
    """Inline Markdown as the words it shows (emphasis marks out; link targets go in content_words)."""
    return _MARKUP.sub("", text)
