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


def spans(first: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``first[k] .. first[k] + lengths[k] - 1`` of every k, one after the other."""
    total = int(lengths.sum())
    return np.repeat(first - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
