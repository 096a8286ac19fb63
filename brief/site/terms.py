"""The words related suggestions weigh: each article's term counts (brief.site.related)."""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, cast

from brief.config import Config, RelatedOptions
from brief.content.bodies import article_body
from brief.content.model import Article
from brief.content.stopwords import stop_words
from brief.content.words import ascii_form

if TYPE_CHECKING:  # (numpy is imported by what scores: a cached build's main process never needs it)
    import numpy as np

BODY_CHARS = 6000
"""Text of the body read per article: bounded work for very long pieces."""
_TOKEN = re.compile(r"(?!\d)\w{3,}")  # words of 3+ characters not starting with a digit
_NOISE = re.compile(r"\]\([^)]*\)|<[^>]*>|https?://\S+|&\w+;")
_TOKEN_ASCII = re.compile(r"[a-z_][a-z0-9_]{2,}")
""":data:`_TOKEN` on lower-case ASCII text: the same words, found in 60 % of the time (it
tests a byte against a class instead of asking Unicode what each character is)."""


RunCounts = tuple[list[str], bytes, bytes, bytes]
"""The term counts of a run of articles, as a worker sends them back: the terms the run
has, in the order first met; then, for every article in turn and as C ints, its terms (as
indexes into that list, in the order written), their counts, and how many it has. The main
process then looks each term of the run up once, not once per article that has it."""


class TermsAhead:
    """Term counts made while the files are read (a brief.content.load.RunHook): each run of
    parsed articles counted in the process that parsed it, its body still in hand (read
    again for it, a file was 25 µs an article of a build), and numbered here as it comes
    back, from the names of the last build's table (``last``) on, as :meth:`TermTable.build`
    would number them."""

    def __init__(self, stops: frozenset[str], last: TermTable | None) -> None:
        self.stops = stops
        self.names = last.names if last is not None else ()
        """The names the ids start from (the table's own, not a copy: compared by identity first)."""
        self.vocab: defaultdict[str, int] = defaultdict()
        self.vocab.default_factory = self.vocab.__len__  # a new term gets the next id, all in C
        self.vocab.update(zip(self.names, range(len(self.names))))
        self.rows: dict[str, tuple[bytes, bytes]] = {}
        """An article's source path (``relpath``) → its row (:attr:`TermTable.rows`' values)."""

    @classmethod
    def of(cls, config: Config, last: TermTable | None) -> TermsAhead | None:
        """The counts to make ahead for the site of ``config`` (``last``: its build cache's
        table); None when the site has no suggestions to weigh them for."""
        if config.related.count <= 0:
            return None
        return cls(term_stops(config.related, config.language), last)

    def make(self, articles: list[Article]) -> RunCounts:
        return count_run(self.stops, articles)

    def take(self, relpaths: tuple[str, ...], made: RunCounts) -> None:
        self.rows.update(zip(relpaths, _numbered_rows(self.vocab, made)))


def term_stops(options: RelatedOptions, language: str) -> frozenset[str]:
    """The words never counted: the stop words of ``[related] language``, else the site's."""
    return stop_words(options.language or language)


def count_run(stops: frozenset[str], articles: Sequence[Article]) -> RunCounts:
    """The :data:`RunCounts` of ``articles``."""
    met: defaultdict[str, int] = defaultdict()
    met.default_factory = met.__len__  # a new term gets the next index, all in C
    ids, counts, lengths = array("i"), array("i"), array("i")
    for article in articles:
        found = term_counts(article, stops)
        # (from lists: an array extended from an iterator grows item by item; 26 → 21 µs an article)
        ids.fromlist(list(map(met.__getitem__, found)))
        counts.fromlist(list(found.values()))
        lengths.append(len(found))
    return list(met), ids.tobytes(), counts.tobytes(), lengths.tobytes()


def term_counts(article: Article, stops: frozenset[str]) -> Counter:
    """Weighted term counts: title ×3, dek and takeaways ×2, body ×1 (its first BODY_CHARS).
    Raises BuildFailed when the body must be read from a file that changed (brief.content.bodies)."""
    heading = f"{article.title}\n{article.title}\n{article.title}\n"
    summary = f"{article.dek or ''}\n{' '.join(article.takeaways)}\n"
    text = heading + summary * 2 + article_body(article)[:BODY_CHARS]
    counts = Counter(words(_NOISE.sub(" ", text).lower()))
    for word in stops & counts.keys():
        del counts[word]
    return counts


def words(text: str) -> list[str]:
    """``_TOKEN.findall(text)`` of lower-case ``text``, on ASCII when that is the same."""
    plain = ascii_form(text)
    return _TOKEN_ASCII.findall(plain) if plain is not None else _TOKEN.findall(text)


def _numbered_rows(vocab: defaultdict[str, int], run: RunCounts) -> Iterator[tuple[bytes, bytes]]:
    """The rows (:attr:`TermTable.rows`' values) of a run's articles, in order, its terms
    numbered by ``vocab`` (a term it lacks gets the next id, in the order the run met them)."""
    from brief.site.numeric import np

    names, run_ids, run_counts, lengths = run
    ids = np.fromiter(map(vocab.__getitem__, names), dtype=np.int32, count=len(names))
    numbered = ids[np.frombuffer(run_ids, dtype=np.int32)].tobytes()
    wide = np.frombuffer(run_counts, dtype=np.int32)
    small = wide.astype(np.uint8).tobytes() if not wide.size or wide.max() < 256 else None
    at = 0
    for length in array("i", lengths):
        end = at + length
        yield numbered[4 * at : 4 * end], (small[at:end] if small is not None else run_counts[4 * at : 4 * end])
        at = end


_IDS, _COUNTS = itemgetter(0), itemgetter(1)  # (a row's term ids, its counts)


def row_counts(rows: Sequence[tuple[bytes, bytes]], terms: int) -> np.ndarray:
    """The counts of ``rows`` (:attr:`TermTable.rows`' values, in order; ``terms`` ids in all)
    as one int32 array. A row's counts are a byte each (a quarter as many bytes as its ids)
    or C ints (as many bytes as its ids). Rows of both kinds add up to one byte per term
    only when every row has bytes, to four only when every row has C ints."""
    from brief.site.numeric import np

    joined = b"".join([*map(_COUNTS, rows)])
    if len(joined) == terms:
        return np.frombuffer(joined, dtype=np.uint8).astype(np.int32)
    if len(joined) == 4 * terms:
        return np.frombuffer(joined, dtype=np.int32)
    return np.concatenate(
        [np.frombuffer(tf, dtype=np.uint8 if 4 * len(tf) == len(ids) else np.int32) for ids, tf in rows]
    ).astype(np.int32)


def counted_again(article: Article, rows: Mapping[bytes, tuple[bytes, bytes]]) -> bool:
    """Whether ``article``'s terms are counted in this build: ``rows`` (a last
    :class:`TermTable`'s) has no row for it, or it has no digest to find one by."""
    return not article.digest or article.digest not in rows


@dataclass(frozen=True)
class TermTable:
    """Every article's term counts, kept between builds (in the build cache, a row per
    article) so that a build after an edit counts only the edited articles' words.

    Term ids are numbered in the order a build first met each term: a table carried over
    from earlier builds numbers them otherwise than a clean build would (and may keep terms
    no article has any more). Related scoring never depends on the numbering: it orders an
    article's terms as written and sums over them in that order, and the rescoring compares
    terms by name (brief.site.rescoring)."""

    names: tuple[str, ...]
    """Term names by id."""
    rows: dict[bytes, tuple[bytes, bytes]]
    """Article digest (its file's path and bytes) → its term ids (C ints) and their counts, as
    written: a byte each when every count of the run it was counted in is under 256 (the
    rule: 5 bytes a term instead of 8, in memory and in the cache), else C ints;
    :func:`row_counts` reads either. Articles without a digest have no row: they are
    counted in every build."""

    @classmethod
    def build(
        cls,
        articles: Sequence[Article],
        last: TermTable | None,
        counted: Callable[[list[Article]], Iterable[RunCounts]],
        ahead: TermsAhead | None = None,
    ) -> tuple[TermTable, dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
        """The table of ``articles`` with its vocabulary (name → id), and the term ids, counts
        (int32) and bounds (int64: article i's are ``[ends[i]:ends[i + 1]]``) of every article
        in order: the rows of ``last`` for the articles it has, else the rows counted
        ``ahead`` (numbered from the names of ``last``) as the files were read, the others counted by
        ``counted`` (the articles → the :data:`RunCounts` of consecutive runs of them, in
        order, on every core). Ids are given in the order terms are first met, article by
        article: those counted ahead first, in the order of their files."""
        from brief.site.numeric import np

        names = last.names if last is not None else ()
        if ahead is not None and (ahead.names is names or ahead.names == names):
            vocab = ahead.vocab
        else:
            ahead = None
            vocab = defaultdict()
            vocab.default_factory = vocab.__len__  # a new term gets the next id, all in C
            if last is not None:
                vocab.update(zip(last.names, range(len(last.names))))
        old = last.rows if last is not None else {}
        digests = [a.digest for a in articles]
        missing = [a for a, d in zip(articles, digests) if not d or d not in old]  # (counted_again, inline)
        fresh: dict[int, tuple[bytes, bytes]] = {}
        if ahead is not None and missing:
            made = ahead.rows
            fresh = {id(a): made[a.relpath] for a in missing if a.relpath in made}
            missing = [a for a in missing if id(a) not in fresh]
        waiting = iter(missing)
        for run in counted(missing) if missing else ():
            for row in _numbered_rows(vocab, run):
                fresh[id(next(waiting))] = row
        # (in C where it can be: an edit's scoring makes these of 10,000 rows, its own few apart)
        found = [*map(old.get, digests)]  # (None: an article missing, whose row is fresh)
        at = -1
        for _ in range(len(fresh)):
            at = found.index(None, at + 1)
            found[at] = fresh[id(articles[at])]
        rows = cast(list[tuple[bytes, bytes]], found)
        table = cls((), {d: row for d, row in zip(digests, rows) if d})
        ids = [*map(_IDS, rows)]
        term_ids = np.frombuffer(b"".join(ids), dtype=np.int32)
        counts = row_counts(rows, len(term_ids))
        ends = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, ids), dtype=np.int64, count=len(ids)) // 4, out=ends[1:])
        return table._compacted(vocab, term_ids, counts, ends)

    def _compacted(
        self, vocab: dict[str, int], term_ids: np.ndarray, counts: np.ndarray, ends: np.ndarray
    ) -> tuple[TermTable, dict[str, int], np.ndarray, np.ndarray, np.ndarray]:
        """This table with ``vocab``'s names; when over a quarter of them are no longer used
        (words edited out over many builds), renumbered without them."""
        from brief.site.numeric import np

        names = list(vocab)  # (ids are given in the order names are put in: see build)
        assert not names or vocab[names[-1]] == len(names) - 1
        used = np.bincount(term_ids, minlength=len(names)) > 0
        if not len(names) or used.sum() * 4 >= len(names) * 3:
            return TermTable(tuple(names), self.rows), vocab, term_ids, counts, ends
        new_id = (np.cumsum(used) - 1).astype(np.int32)
        names = [name for name, keep in zip(names, used.tolist()) if keep]
        rows = {d: (new_id[np.frombuffer(ids, dtype=np.int32)].tobytes(), tf) for d, (ids, tf) in self.rows.items()}
        table = TermTable(tuple(names), rows)
        return table, {name: i for i, name in enumerate(names)}, new_id[term_ids], counts, ends
