"""The words related suggestions weigh: each article's term counts (brief.site.related)."""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from brief.content.model import Article
from brief.site.postings import spans

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


@dataclass(frozen=True)
class TermTable:
    """Every article's term counts as one table, kept between builds (in the build cache) so
    that a build after an edit counts only the edited articles' words and copies the rest.

    Term ids are numbered in the order a build first met each term: a table carried over
    from earlier builds numbers them otherwise than a clean build would (and may keep terms
    no article has any more). Related scoring never depends on the numbering: it orders an
    article's terms as written and sums over them in that order, and the rescoring compares
    terms by name (brief.site.rescoring)."""

    digests: tuple[bytes, ...]
    """Each article's digest (its file's path and bytes), in the table's order."""
    names: tuple[str, ...]
    """Term names by id."""
    term_ids: np.ndarray
    """int32: the term ids of every article, one article after the other, as written."""
    counts: np.ndarray
    """int32: the count of each of those terms."""
    ends: np.ndarray
    """int64: article i's terms are ``term_ids[ends[i]:ends[i + 1]]`` (``ends[0]`` is 0)."""

    @classmethod
    def build(
        cls,
        articles: Sequence[Article],
        last: TermTable | None,
        counted: Callable[[list[Article]], list[tuple[str, bytes]]],
    ) -> tuple[TermTable, dict[str, int]]:
        """The table of ``articles`` and its vocabulary (name → id): the rows of ``last`` for
        articles it has (by digest), the others counted by ``counted`` (the articles → their
        :func:`term_entry`, on every core)."""
        vocab: defaultdict[str, int] = defaultdict()
        vocab.default_factory = vocab.__len__  # a new term gets the next id, all in C
        old_rows: dict[bytes, int] = {}
        if last is not None:
            vocab.update(zip(last.names, range(len(last.names))))
            old_rows = {d: i for i, d in enumerate(last.digests) if d}
        missing = [a for a in articles if not a.digest or a.digest not in old_rows]
        new_ids, new_counts, new_ends = array("i"), array("i"), [0]
        for terms, tf in counted(missing) if missing else []:
            new_ids.extend(map(vocab.__getitem__, terms.split(" ") if terms else []))
            new_counts.frombytes(tf)
            new_ends.append(len(new_ids))
        offset = len(last.term_ids) if last is not None else 0
        fresh = {id(a): k for k, a in enumerate(missing)}
        starts = np.empty(len(articles), dtype=np.int64)
        lengths = np.empty(len(articles), dtype=np.int64)
        for i, article in enumerate(articles):
            k = fresh.get(id(article))
            if k is None:
                row = old_rows[article.digest]
                assert last is not None
                starts[i] = last.ends[row]
                lengths[i] = last.ends[row + 1] - last.ends[row]
            else:
                starts[i] = offset + new_ends[k]
                lengths[i] = new_ends[k + 1] - new_ends[k]
        ids = np.frombuffer(new_ids, dtype=np.int32)
        tfs = np.frombuffer(new_counts, dtype=np.int32)
        if last is not None:
            ids, tfs = np.concatenate([last.term_ids, ids]), np.concatenate([last.counts, tfs])
        at = spans(starts, lengths)
        ends = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        table = cls(tuple(a.digest for a in articles), (), ids[at], tfs[at], ends)
        return table._compacted(vocab)

    def _compacted(self, vocab: dict[str, int]) -> tuple[TermTable, dict[str, int]]:
        """This table with ``vocab``'s names; when over a quarter of them are no longer used
        (words edited out over many builds), renumbered without them."""
        names = [""] * len(vocab)
        for name, i in vocab.items():
            names[i] = name
        used = np.bincount(self.term_ids, minlength=len(names)) > 0
        if len(names) and used.sum() * 4 < len(names) * 3:
            new_id = np.cumsum(used) - 1
            names = [name for name, keep in zip(names, used.tolist()) if keep]
            table = TermTable(
                self.digests, tuple(names), new_id[self.term_ids].astype(np.int32), self.counts, self.ends
            )
            return table, {name: i for i, name in enumerate(names)}
        return TermTable(self.digests, tuple(names), self.term_ids, self.counts, self.ends), vocab
