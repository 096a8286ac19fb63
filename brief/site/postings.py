"""Postings lists for related-article scoring: the best documents of each term or tag, in numpy."""

from __future__ import annotations

import numpy as np


def postings(docs: np.ndarray, keys: np.ndarray, weights: np.ndarray, size: int, limit: int, *, by_weight: bool):
    """Inverted index: for each key, at most ``limit`` (doc, weight) entries — the heaviest
    (``by_weight``) or the newest (lowest position) — as start/length arrays into flat arrays."""
    if not len(docs):
        zeros = np.zeros(size, dtype=np.int64)
        return zeros, zeros, np.zeros(0, dtype=np.int64), np.zeros(0)
    order = np.lexsort((docs, -weights, keys)) if by_weight else np.lexsort((docs, keys))
    k, d, w = keys[order], docs[order], weights[order]
    first = np.searchsorted(k, np.arange(size))
    rank = np.arange(len(k)) - first[k]
    keep = rank < limit
    k, d, w = k[keep], d[keep], w[keep]
    start = np.searchsorted(k, np.arange(size))
    length = np.bincount(k, minlength=size)
    return start, length, d, w


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
"""The largest table :func:`best_first` fills (32 MB of floats); beyond it, it sorts everything."""


def best_first(
    group: np.ndarray, other: np.ndarray, score: np.ndarray, groups: np.ndarray, want: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Entries (``group``, ``other``), sorted by group then other, with their ``score``: sorted
    by group, then best score first, then other, leaving out entries that cannot be among the
    first ``want[g]`` of their group ``g``. ``groups``: every group, sorted.

    The same first ``want[g]`` of each group as sorting them all, at a fraction of the cost: a
    chunk of 1,024 articles has some 200,000 candidates and wants 4 of each. Each group's
    ``want[g]``-th best score is found first (``np.partition`` over a table, a row per group),
    and only the entries at least that good (ties included) are sorted."""
    if len(group):
        wanted = want[groups]
        top = int(wanted.max())
        start = np.searchsorted(group, groups)
        sizes = np.diff(np.append(start, len(group)))
        width = int(sizes.max())
        if 0 < top < width and len(groups) * width <= TABLE_CELLS:
            row = np.repeat(np.arange(len(groups)), sizes)
            table = np.full((len(groups), width), -np.inf)
            table[row, np.arange(len(group)) - start[row]] = score
            table.partition(list(range(width - top, width)), axis=1)  # each row's best ``top`` in place
            threshold = table[np.arange(len(groups)), width - np.maximum(wanted, 1)]
            threshold[wanted <= 0] = np.inf
            keep = score >= threshold[row]
            group, other, score = group[keep], other[keep], score[keep]
    order = np.lexsort((other, -score, group))
    return group[order], other[order]


def spans(first: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``first[k] .. first[k] + lengths[k] - 1`` of every k, one after the other."""
    total = int(lengths.sum())
    return np.repeat(first - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
