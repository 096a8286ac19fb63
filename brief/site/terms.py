"""The words related suggestions weigh: each article's term counts (brief.site.related)."""

from __future__ import annotations

import re
from array import array
from collections import Counter

from brief.content.model import Article

BODY_CHARS = 6000
"""Text of the body read per article: bounded work for very long pieces."""
_TOKEN = re.compile(r"(?!\d)\w{3,}")  # words of 3+ characters not starting with a digit
_NOISE = re.compile(r"\]\([^)]*\)|<[^>]*>|https?://\S+|&\w+;")


def term_entry(stops: frozenset[str], article: Article) -> tuple[str, bytes]:
    """An article's term counts as the memo keeps them: the terms joined by spaces, the counts as C ints."""
    counts = term_counts(article, stops)
    return " ".join(counts), array("i", counts.values()).tobytes()


def term_counts(article: Article, stops: frozenset[str]) -> Counter:
    """Weighted term counts: title ×3, dek and takeaways ×2, body ×1 (its first BODY_CHARS)."""
    heading = f"{article.title}\n{article.title}\n{article.title}\n"
    summary = f"{article.dek or ''}\n{' '.join(article.takeaways)}\n"
    text = heading + summary * 2 + article.body[:BODY_CHARS]
    counts = Counter(_TOKEN.findall(_NOISE.sub(" ", text).lower()))
    for word in stops & counts.keys():
        del counts[word]
    return counts
