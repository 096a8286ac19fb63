"""Each article's key terms for related suggestions (brief.site.related): TF-IDF weights and
the strongest :data:`TOP_TERMS` shared terms of every article, made in full or, after an
edit, again only for the articles whose key terms the edit can change.

An article's key terms are a function of its own term counts, of the document frequency
of each of its terms and of the number of articles. An edit that keeps the articles (and
their order) changes the counts of the articles it touched, and the frequency of the terms
those gained or lost; every other article keeps its key terms to the bit. Each article's
weights are computed by the same operations on the same numbers whichever articles are
computed with it (its norm sums its own weights in its own order; its terms are ordered by
a key made of its position and their weights), so the result of an update is the result
of a full computation, array for array; tests compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass

from brief.site.numeric import np
from brief.site.postings import can_lead, sorted_unique, spans

TOP_TERMS = 16
"""Key terms kept per article."""
CHUNK = 1024
"""Articles weighed at once (memory stays flat however many articles)."""


@dataclass(frozen=True)
class KeyTerms:
    """Every article's key terms, laid out by article: article i's are ``[start[i]:start[i + 1]]``,
    strongest first, with the document frequency of every term they were made with."""

    start: np.ndarray
    term: np.ndarray
    weight: np.ndarray
    df: np.ndarray

    @property
    def doc(self) -> np.ndarray:
        """The article of each entry."""
        return np.repeat(np.arange(len(self.start) - 1, dtype=np.int64), np.diff(self.start))


def key_terms(
    term_all: np.ndarray,
    tf_all: np.ndarray,
    bounds: np.ndarray,
    vocab_size: int,
    last: KeyTerms | None = None,
    counted: np.ndarray | None = None,
) -> KeyTerms:
    """The key terms of the articles whose term ids and counts are ``term_all[bounds[i]:bounds[i + 1]]``
    (and ``tf_all``'s). With ``last``, the key terms of the same articles in the same order
    with the term ids numbered alike, and ``counted`` (sorted positions) the articles whose counts
    may differ from those ``last`` was made of: only the articles that may have changed are
    weighed again."""
    n = len(bounds) - 1
    df = np.bincount(term_all, minlength=vocab_size)
    idf = np.log((n + 1) / (df + 0.5))
    shared = df > 1  # a term in one article relates it to nothing
    if last is None or counted is None or len(last.start) != n + 1 or len(last.df) > vocab_size:
        return _laid_out(*_weighed(np.arange(n, dtype=np.int64), term_all, tf_all, bounds, idf, shared), n, df)
    moved = np.zeros(vocab_size, dtype=bool)  # (a term new to the numbering is only in counted articles)
    moved[: len(last.df)] = df[: len(last.df)] != last.df
    hits = np.flatnonzero(moved[term_all])
    again = sorted_unique(np.concatenate((counted, np.searchsorted(bounds, hits, side="right") - 1))).astype(np.int64)
    doc, term, weight = _weighed(again, term_all, tf_all, bounds, idf, shared)
    lengths = np.diff(last.start)
    lengths[again] = np.bincount(doc, minlength=n)[again]
    start = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    out_term = np.empty(int(start[-1]), dtype=np.int64)
    out_weight = np.empty(int(start[-1]), dtype=np.float64)
    same = np.setdiff1d(np.arange(n, dtype=np.int64), again, assume_unique=True)
    old_at = spans(last.start[same], lengths[same])
    new_at = spans(start[same], lengths[same])
    out_term[new_at], out_weight[new_at] = last.term[old_at], last.weight[old_at]
    at = spans(start[again], lengths[again])
    out_term[at], out_weight[at] = term, weight
    return KeyTerms(start, out_term, out_weight, df)


def _weighed(
    docs: np.ndarray, term_all: np.ndarray, tf_all: np.ndarray, bounds: np.ndarray, idf: np.ndarray, shared: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The key terms (article, term, weight) of the articles at ``docs`` (sorted), by article and
    strongest first (ties: as written): each term weighs ``(1 + log tf) × idf``, divided by the
    norm of all the article's weights; only terms of more than one article are kept."""
    kept_doc, kept_term, kept_w = [], [], []
    for lo in range(0, len(docs), CHUNK):  # in slices, so memory stays flat however many articles
        part = docs[lo : lo + CHUNK]
        lengths = bounds[part + 1] - bounds[part]
        if int(part[-1]) - int(part[0]) + 1 == len(part):  # a run of articles: their entries are one run too
            at: slice | np.ndarray = slice(int(bounds[part[0]]), int(bounds[part[-1] + 1]))
        else:
            at = spans(bounds[part], lengths)
        local = np.repeat(np.arange(len(part), dtype=np.int64), lengths)
        doc = part[local]
        term = term_all[at].astype(np.int64)
        weight = (1 + np.log(tf_all[at].astype(np.float64))) * idf[term]
        norm = np.sqrt(np.bincount(local, weights=weight * weight, minlength=len(part)))
        weight /= np.where(norm > 0, norm, 1.0)[local]
        keep = shared[term]
        doc, term, weight, local = doc[keep], term[keep], weight[keep], local[keep]
        key = doc - weight * 0.5  # per article, heaviest first; ties: as written
        sizes = np.bincount(local, minlength=len(part))
        leads = can_lead(np.cumsum(sizes) - sizes, sizes, key, np.full(len(part), TOP_TERMS))
        if leads is not None:  # (sorting only the weights that can be among the first TOP_TERMS)
            doc, term, weight, local, key = doc[leads], term[leads], weight[leads], local[leads], key[leads]
        order = np.argsort(key, kind="stable")
        doc, term, weight, local = doc[order], term[order], weight[order], local[order]
        first = np.searchsorted(local, np.arange(len(part)))
        top = (np.arange(len(doc)) - first[local]) < TOP_TERMS
        kept_doc.append(doc[top])
        kept_term.append(term[top])
        kept_w.append(weight[top])
    if not kept_doc:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(kept_doc), np.concatenate(kept_term), np.concatenate(kept_w)


def _laid_out(doc: np.ndarray, term: np.ndarray, weight: np.ndarray, n: int, df: np.ndarray) -> KeyTerms:
    return KeyTerms(np.searchsorted(doc, np.arange(n + 1)).astype(np.int64), term, weight, df)
