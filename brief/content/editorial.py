"""Warnings an editor should see, which do not stop the build: a second pair of eyes.

Every one has a code that ``[warnings]`` in brief.toml turns off or makes an error. They
run while an article is validated (stage 2), so ``brief build``, ``brief serve`` and
``brief check`` all report them, and the build cache keeps them with the article:

- on the fields as written, even when the article has errors: ``headline-length``,
  ``long-dek``, ``dek-repeats-title``, ``small-image``, ``missing-takeaways``,
  ``analysis-without-byline`` (:func:`field_warnings`);
- on the valid article as a whole: ``caption-mismatch`` (brief.content.captions) and
  ``takeaway-unsupported`` (brief.content.facts) (:func:`article_warnings`).

``byline-mismatch`` needs the site's author profiles: brief.site.bylines.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from brief.config import Config
from brief.content.bodies import article_body
from brief.content.captions import caption_support
from brief.content.checker import Checker
from brief.content.facts import read_source, unsupported
from brief.content.model import Article, Image
from brief.content.stopwords import stop_words
from brief.content.words import Vocabulary, content_words
from brief.media.imagesize import image_size

T = TypeVar("T")
MAX_HEADLINE = 110
"""Google truncates NewsArticle headlines longer than this."""
MAX_DEK = 200
MIN_IMAGE_WIDTH = 1200
"""Google Discover and large social cards want hero images at least this wide."""
DEK_REPEAT = 0.8
"""Share of the headline's content words a dek repeats (when they are most of the dek) to be flagged."""
DEK_OWN = 2 / 3
"""Share of a repeating dek's own content words that come from the headline."""


def field_warnings(
    c: Checker, config: Config, title: str | None, dek: str | None, image: Image | None, takeaways: tuple[str, ...]
) -> None:
    """The warnings on single fields (see the module docstring)."""
    length = visible_length(title or "")
    if title and length > MAX_HEADLINE:
        c.warn(
            ("title",),
            f"headline is {length} characters (expected at most {MAX_HEADLINE}: search engines cut longer ones); shorten it",
            "headline-length",
        )
    if dek and len(dek) > MAX_DEK:
        c.warn(
            ("dek",),
            f"dek is {len(dek)} characters (expected at most {MAX_DEK}, as meta descriptions are cut there)",
            "long-dek",
        )
    if title and dek and repeats(dek, title, stop_words(config.language)):
        c.warn(
            ("dek",),
            f'the dek repeats the headline ("{_shown(dek)}"); use it to add what the headline leaves out',
            "dek-repeats-title",
        )
    if image is not None and image.source is not None:
        size = image_size(image.source)
        if size and size[0] < MIN_IMAGE_WIDTH:
            c.warn(
                ("image", "src"),
                f"image is {size[0]}×{size[1]} px; at least {MIN_IMAGE_WIDTH} px wide is recommended for large previews",
                "small-image",
            )
    if not takeaways and "takeaways" not in c.doc.meta:
        c.warn(
            ("takeaways",), "missing; readers and the front page rely on at least one key takeaway", "missing-takeaways"
        )
    analysis = c.doc.meta.get("analysis")
    if isinstance(analysis, dict) and analysis.get("body") and not analysis.get("byline"):
        c.warn(
            ("analysis",),
            "analysis has no byline (expected byline: with who wrote it; readers weigh analysis by its author)",
            "analysis-without-byline",
        )


def article_warnings(c: Checker, article: Article, config: Config) -> None:
    """The warnings on a valid article as a whole (see the module docstring)."""
    stops = stop_words(config.language)
    text = html.unescape(article_body(article) + ("\n" + article.analysis.body if article.analysis else ""))
    # The text is read word by word once, and only when a check needs it: most captions share
    # words with the headline and most takeaways quote figures and names as the text writes them.
    vocabulary = _once(lambda: Vocabulary(content_words(text, stops)))
    source = _once(lambda: read_source(text, vocabulary()))
    image = article.image
    if image is not None and not image.decorative and (image.caption or image.alt):
        _caption(c, article, image, vocabulary, stops)
    for i, takeaway in enumerate(article.takeaways):
        missing = unsupported(takeaway, text, source, stops)
        if missing:
            what = " and ".join(f'"{m}"' for m in missing[:3]) + (" …" if len(missing) > 3 else "")
            verb = "appears" if len(missing) == 1 else "appear"
            c.warn(
                ("takeaways", i),  # every takeaway of a valid article is one as written
                f"{what} {verb} nowhere in the body or the analysis; check the takeaway against the article, "
                "or say in the text where it comes from",
                "takeaway-unsupported",
            )


def _once(make: Callable[[], T]) -> Callable[[], T]:
    """``make``, called at most once: its value is kept for the calls after the first (as
    ``functools.cache`` would, at a tenth of the cost of making one, twice an article)."""
    kept: list[T] = []

    def get() -> T:
        if not kept:
            kept.append(make())
        return kept[0]

    return get


def _caption(c: Checker, article: Article, image: Image, text: Callable[[], Vocabulary], stops: frozenset[str]) -> None:
    names = [*article.authors, *((article.analysis.label, article.analysis.byline or "") if article.analysis else ())]
    head = "\n".join([article.title, article.dek or "", *article.takeaways, article.section, *article.tags, *names])
    support = caption_support(image.caption or "", image.alt, head, text, stops)
    if not support.mismatched:
        return
    field = "caption" if image.caption else "alt"
    shared = (
        " almost no words with the article (only " + ", ".join(f"'{w}'" for w in support.weak) + ", once in the body)"
        if support.weak
        else " no words with the article"
    )
    c.warn(
        ("image", field),
        f'the hero\'s caption and alt text share{shared} ("{_shown(image.caption or image.alt)}"); '
        "check the photo belongs to this story",
        "caption-mismatch",
    )


def repeats(dek: str, title: str, stops: frozenset[str]) -> bool:
    """Whether ``dek`` starts with the headline (of three words or more), or mostly repeats
    it: it holds at least :data:`DEK_REPEAT` of the headline's content words (two or more),
    and they make up :data:`DEK_OWN` of its own.

    An ASCII dek is first looked at as text (see :func:`_may_repeat`), to skip reading its
    words when it cannot repeat the headline."""
    lowered = dek.lower() if dek.isascii() else None
    if len(title.split()) >= 3:
        start = _normal(title)
        # The dek's normal form starts with the headline's only if the dek holds its first word.
        if (lowered is None or start.split(" ", 1)[0] in lowered) and _normal(dek).startswith(start):
            return True
    heading = list(dict.fromkeys(content_words(title, stops)))
    if len(heading) < 2 or not _may_repeat(heading, dek, lowered):
        return False
    words = list(dict.fromkeys(content_words(dek, stops)))
    if not words:
        return False
    in_dek = Vocabulary(words)
    needed = DEK_REPEAT * len(heading)
    hits = 0
    for n, word in enumerate(heading, 1):
        if word in in_dek:
            hits += 1
        elif hits + len(heading) - n < needed:  # too few, even if every word after this one is in the dek
            return False
    if hits < needed:
        return False
    in_title = Vocabulary(heading)
    return sum(1 for w in words if w in in_title) >= DEK_OWN * len(words)


def _may_repeat(heading: list[str], dek: str, lowered: str | None) -> bool:
    """False when ``dek`` (ASCII, ``lowered`` its lowercase; None: not ASCII) cannot hold
    :data:`DEK_REPEAT` of the headline's content words ``heading``.

    Each content word of an ASCII dek with no dot or comma inside a word (no "U.S.", no
    "1,200") is one of its words lowercased, at most with an ending changed (a plural, a
    possessive): all but its last letter are in the lowercased text, and all of it unless
    it is a plural in -ies made -y ("cities": "city"). A headline word that is the same
    (:func:`~brief.content.words.same_word`) is equal to it or shares its first four
    letters; so the dek's text holds the headline word's first four letters (all but the
    last, for a shorter one), or its first three and "ies"."""
    if lowered is None or _INSIDE_WORD.search(dek) is not None:
        return True
    spare = len(heading) - DEK_REPEAT * len(heading)  # headline words the dek may lack
    for word in heading:
        if word[: min(4, len(word) - 1)] not in lowered and word[:3] + "ies" not in lowered:
            spare -= 1
            if spare < 0:
                return False
    return True


_INSIDE_WORD = re.compile(r"[.,]\w")
"""A dot or comma a word goes on after ("U.S.", "1,200"): such words are read differently."""


def visible_length(text: str) -> int:
    """Characters as readers see them: an accent written as a combining mark, an emoji built of
    several code points (a skin tone, a family joined by zero-width joiners, a flag's two
    letters) or a soft hyphen count as one character or none, as on screen."""
    if text.isascii():
        return len(text)
    count = 0
    joined = flag = False
    for ch in unicodedata.normalize("NFC", text):
        kind = unicodedata.category(ch)
        if joined or kind in ("Mn", "Me", "Cf") or "\U0001f3fb" <= ch <= "\U0001f3ff":
            joined = ch == "\u200d"
            continue
        if "\U0001f1e6" <= ch <= "\U0001f1ff":  # regional indicators: two make one flag
            flag = not flag
            if not flag:
                continue
        count += 1
    return count


def _normal(text: str) -> str:
    if text.isascii():  # the same classes spelt out for ASCII, sooner
        return _NOT_ASCII_WORD.sub(" ", text.lower()).strip()
    return _NOT_WORD.sub(" ", text.casefold()).strip()


_NOT_WORD = re.compile(r"[\W_]+")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"
