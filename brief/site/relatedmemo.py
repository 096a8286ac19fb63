"""The related scoring's part of the build cache, and what the build reads of the scoring
without importing numpy (brief.site.related and brief.site.rescoring do, and a cached
build's scoring runs in another process: brief.site.suggestions).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from brief.memo import Memo
from brief.site.terms import TermTable

if TYPE_CHECKING:
    from brief.site.rescoring import Snapshot

PARALLEL_MIN_ARTICLES = 1000
"""Below this many articles, scoring in one process is faster than starting workers (one
chunk of :data:`brief.site.related.CHUNK` articles is scored in this process whatever the
number). Against 4,000 before (benchmarks/ab.py, cold): the index stage of 1,500 articles
0.27 -> 0.24 s, of 2,500 articles 0.47 -> 0.39 s."""


@dataclass
class RelatedMemo(Memo):
    """The site index's part of the build cache (saved with it): every article's term counts
    as one table (:class:`~brief.site.terms.TermTable`, by the articles' digests), the last
    automatic suggestions with a digest of all their inputs, and the last scoring's
    :class:`~brief.site.rescoring.Snapshot`, kept pickled until a scoring reads it."""

    term_names: tuple[str, ...] = ()
    term_rows: dict[bytes, tuple[bytes, bytes]] = field(default_factory=dict)
    """Every article's term counts in the last build: :attr:`terms`, in two fields (the
    rows are one of the cache's large tables, saved in shards)."""
    chosen: bytes | None = None
    """A digest of every input of :attr:`last`'s picks (the articles in order, what each
    lists and wants, the settings and the day): while it is the same, they are this build's."""
    packed: bytes | None = None
    """:attr:`last`, pickled (its arrays are numpy's): a build whose scoring runs in another
    process takes it from there as it is, saves it as it is, and never unpickles it."""
    used: set[bytes] = field(default_factory=set)
    unpacked: Snapshot | None = field(default=None, repr=False, compare=False)

    @property
    def has_last(self) -> bool:
        """Whether a last scoring is kept (without unpickling it)."""
        return self.packed is not None

    @property
    def last(self) -> Snapshot | None:
        """The last scoring's snapshot, or None."""
        if self.unpacked is None and self.packed is not None:
            self.unpacked = pickle.loads(self.packed)  # (inside the cache's signed main file)
        return self.unpacked

    @last.setter
    def last(self, snapshot: Snapshot | bytes | None) -> None:
        """Keep a scoring's snapshot, or the bytes of one pickled (by another process). A
        snapshot is kept pickled at once, as the cache saves it: its arrays are freed while
        the build goes on, not held until the save pickles them beside them (100,000
        articles: 40 MB less at the build's peak of memory, at its end). Reading :attr:`last`
        again unpickles it (10,000 articles: a few ms, in the preview's next build)."""
        if snapshot is not None and not isinstance(snapshot, bytes):
            snapshot = pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL)
        self.packed, self.unpacked = snapshot, None

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        del state["unpacked"]  # (saved as packed; an unpickled memo starts it None)
        return state

    @property
    def terms(self) -> TermTable | None:
        """The last build's term table (brief.site.terms), or None."""
        return TermTable(self.term_names, self.term_rows) if self.term_names or self.term_rows else None

    @terms.setter
    def terms(self, table: TermTable | None) -> None:
        self.term_names, self.term_rows = (table.names, table.rows) if table is not None else ((), {})

    def clear(self) -> None:
        self.terms = None
        self.chosen = None
        self.last = None

    def prune(self) -> None:
        pass  # the term table holds the last build's articles only
