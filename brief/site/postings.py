"""Postings lists for related-article scoring: the best documents of each term or tag, in numpy."""

from __future__ import annotations

from brief.site.numeric import np

# numpy's set routines (np.unique, np.union1d, np.isin of large arrays) import numpy.ma, some
# 8 ms of every build that scores related articles: these do the same on 1-d integer arrays.


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """The distinct values of the 1-d array ``values``, sorted: ``np.unique(values)``."""
    ordered = np.sort(values)
    return ordered[_firsts(ordered)]


BLOCK_CELLS = 1 << 21
"""The part of the values' range :func:`unique_inverse` marks at a time: a flag and a C int
for each value of it (2 MB and 8 MB, which the processor's caches keep close)."""
SPARSE = 200
"""Values spread over more than this many times their number are sorted instead (measured:
570,000 pairs of a chunk of 1,024 articles out of 100,000 spread 179 times their number took
34 ms by blocks and 44 ms sorted; 410,000 spread 250 times, 27 and 24 ms)."""


def unique_inverse(values: np.ndarray, block: int = BLOCK_CELLS) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` of a 1-d integer array: its distinct values,
    sorted, and the position among them of each value.

    Values within a range at most :data:`SPARSE` times their number are not sorted: each
    ``block`` of the range in turn, they are marked in a table of flags, whose marked cells,
    in order, are that block's distinct values. The related scoring's candidate pairs (a
    chunk of 1,024 articles: 570,000 pairs of 10,000,000 possible ones, 256,000 distinct) take
    14 ms, where sorting them took 36 ms; that was three quarters of the scoring's time."""
    if len(values):
        low = int(values.min())
        span = int(values.max()) - low + 1
        if span <= SPARSE * len(values) and span <= block << 16:
            return _by_table(values, low, span, block)
    return _by_sort(values)


def _by_table(values: np.ndarray, low: int, span: int, block: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`unique_inverse` of ``values`` (from ``low``, over ``span`` values), a ``block``
    of that range at a time: the values of each block (a stable sort of the block numbers,
    by radix) marked in a table, whose marked cells are numbered in order."""
    local = values - low
    blocks = -(-span // block)
    order = None
    ends = [len(values)]
    if blocks > 1:
        which = (local // block).astype(np.uint16)
        order = np.argsort(which, kind="stable")
        local = local[order]
        ends = np.cumsum(np.bincount(which, minlength=blocks)).tolist()
    width = min(block, span)
    marked = np.zeros(width, dtype=bool)
    number = np.empty(width, dtype=np.int32 if len(values) < 1 << 31 else np.intp)
    inverse = np.empty(len(values), dtype=np.intp)
    parts = []
    found = start = 0
    for k, end in enumerate(ends):
        if end > start:
            part = local[start:end] - k * block
            marked[:] = False
            marked[part] = True
            cells = np.flatnonzero(marked)
            number[cells] = np.arange(found, found + len(cells))
            inverse[start:end] = number[part]
            parts.append(cells + (low + k * block))
            found, start = found + len(cells), end
    if order is not None:
        inverse[order] = inverse.copy()
    return np.concatenate(parts).astype(values.dtype, copy=False), inverse


def _by_sort(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(values)
    ordered = values[order]
    firsts = _firsts(ordered)
    inverse = np.empty(len(values), dtype=np.intp)
    inverse[order] = np.cumsum(firsts) - 1
    return ordered[firsts], inverse


def member_of(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each of ``values`` is in the sorted 1-d array ``table``: ``np.isin(values, table)``."""
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(table, values), len(table) - 1)
    return table[at] == values


def _firsts(ordered: np.ndarray) -> np.ndarray:
    firsts = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=firsts[1:])
    return firsts


def postings(docs: np.ndarray, keys: np.ndarray, weights: np.ndarray, size: int, limit: int, *, by_weight: bool):
    """Inverted index: for each key, at most ``limit`` (doc, weight) entries — the heaviest
    (``by_weight``) or the newest (lowest position) — as start/length arrays into flat arrays."""
    if not len(docs):
        zeros = np.zeros(size, dtype=np.int64)
        return zeros, zeros, np.zeros(0, dtype=np.int64), np.zeros(0)
    order = _by_key(docs, keys, -weights if by_weight else None, size)
    k, d, w = keys[order], docs[order], weights[order]
    first = np.searchsorted(k, np.arange(size))
    rank = np.arange(len(k)) - first[k]
    keep = rank < limit
    k, d, w = k[keep], d[keep], w[keep]
    start = np.searchsorted(k, np.arange(size))
    length = np.bincount(k, minlength=size)
    return start, length, d, w


def _by_key(docs: np.ndarray, keys: np.ndarray, then: np.ndarray | None, size: int) -> np.ndarray:
    """The order of the entries by key, then by ``then`` (when given), then by doc:
    ``np.lexsort((docs, then, keys))``. Entries laid out by doc (``docs`` never decreasing,
    as every caller's are) need no sort by doc: stable sorts keep them in that order. Keys
    below 2¹⁶ are sorted as 16-bit numbers, which numpy sorts by radix (10,000 articles' 160,000
    key terms: 1 ms, where 9 ms as 64-bit ones); the three sorts of lexsort took 25 ms."""
    if len(docs) > 1 and bool((docs[1:] < docs[:-1]).any()):
        return np.lexsort((docs, keys) if then is None else (docs, then, keys))
    short = keys.astype(np.uint16) if size <= 1 << 16 else keys
    if then is None:
        return np.argsort(short, kind="stable")
    first = np.argsort(then, kind="stable")
    return first[np.argsort(short[first], kind="stable")]


def expand(e_doc, e_key, e_w, lo, hi, p_start, p_len, p_doc, p_w, n):
    """Candidate pairs ``doc * n + candidate`` and partial products for entries ``lo..hi``."""
    doc, key, w = e_doc[lo:hi], e_key[lo:hi], e_w[lo:hi]
    lengths = p_len[key]
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    offsets = spans(p_start[key], lengths)
    candidates = p_doc[offsets]
    return np.repeat(doc, lengths) * n + candidates, np.repeat(w, lengths) * p_w[offsets]


TABLE_CELLS = 1 << 22
"""The largest table :func:`can_lead` fills (32 MB of floats); beyond it, everything is sorted."""


def can_lead(start: np.ndarray, sizes: np.ndarray, key: np.ndarray, wanted: np.ndarray) -> np.ndarray | None:
    """For entries laid out by row (row r's are ``key[start[r]:start[r] + sizes[r]]``), whether
    each can be among the first ``wanted[r]`` of its row in ascending ``key`` order, ties kept:
    its key is at most the row's ``wanted[r]``-th smallest. None when that leaves nothing out
    or the table would pass :data:`TABLE_CELLS` (then every entry can).

    Sorting only those gives each row's first ``wanted[r]`` as sorting them all does (a stable
    sort keeps the order of equal keys), at a fraction of the cost: a chunk of 1,024 articles
    has some 200,000 related candidates and wants 4 of each, some 230,000 term weights and
    keeps 16 of each. The thresholds come from ``np.partition`` over a table, a row per row."""
    rows = len(sizes)
    width = int(sizes.max()) if rows else 0
    top = int(wanted.max()) if rows else 0
    if not 0 < top < width or rows * width > TABLE_CELLS:
        return None
    row = np.repeat(np.arange(rows), sizes)
    table = np.full((rows, width), np.inf)
    table[row, np.arange(len(key)) - start[row]] = key
    at = np.maximum(wanted, 1) - 1
    table.partition(sorted_unique(at), axis=1)  # each row's wanted-th smallest key in its place
    threshold = table[np.arange(rows), at]
    threshold[wanted <= 0] = -np.inf
    return key <= threshold[row]


def best_first(
    group: np.ndarray, other: np.ndarray, score: np.ndarray, groups: np.ndarray, want: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Entries (``group``, ``other``), sorted by group then other, with their ``score``: sorted
    by group, then best score first, then other, leaving out entries that cannot be among the
    first ``want[g]`` of their group ``g`` (:func:`can_lead`). ``groups``: every group, sorted."""
    if len(group):
        start = np.searchsorted(group, groups)
        keep = can_lead(start, np.diff(np.append(start, len(group))), -score, want[groups])
        if keep is not None:
            group, other, score = group[keep], other[keep], score[keep]
    order = np.lexsort((other, -score, group))
    return group[order], other[order]


def spans(first: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``first[k] .. first[k] + lengths[k] - 1`` of every k, one after the other."""
    total = int(lengths.sum())
    return np.repeat(first - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
