"""Automatic related-article suggestions that an editor can read and tune.

Each candidate's score adds four signals, each weighted in ``[related]``:

- **tags**: cosine of the two articles' tag vectors, each tag weighted by its
  rarity (idf), so a tag on 2 articles says more than a tag on 2,000;
- **text**: cosine of TF-IDF vectors over title (×3), dek and takeaways (×2) and
  body, stop words of the site's language removed, each article reduced to its
  top :data:`~brief.site.keyterms.TOP_TERMS` key terms (brief.site.keyterms);
- **section**: a fixed bonus for the same section;
- **recency**: ``0.5 ** (age / half_life_days)`` of the candidate at build time.

Section and recency only add to a candidate that shares tags or key terms
(relevance of at least :data:`MIN_RELEVANCE`). Ties go to the newer article, then
the slug, so two builds give the same pages.

Scale: no all-pairs loop. Inverted indexes (term → articles, tag → articles)
are truncated to the strongest :data:`TERM_POSTINGS` / newest
:data:`TAG_POSTINGS` entries, so the work per article is bounded and the whole
computation grows linearly; the candidate sums run vectorised (numpy) over
chunks of articles.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from itertools import chain

from brief.config import RelatedOptions
from brief.content.model import Article
from brief.forks import fork_iter
from brief.site.keyterms import KeyTerms, key_terms
from brief.site.numeric import np
from brief.site.postings import best_first, expand, member_of, postings, sorted_unique, spans, unique_inverse
from brief.site.terms import RunCounts, TermsAhead, TermTable, count_run, counted_again, term_stops
from brief.slugs import slugify

TERM_POSTINGS = 24
"""Articles kept per term in the inverted index (the ones where the term weighs most)."""
TAG_POSTINGS = 64
"""Articles kept per tag (the newest)."""
MIN_RELEVANCE = 0.05
"""Weighted tags + text a candidate needs before section and recency count."""
CHUNK = 1024


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A scored candidate with each signal's weighted contribution."""

    article: Article
    score: float
    tags: float
    text: float
    section: float
    recency: float
    shared_tags: tuple[str, ...] = ()
    shared_terms: tuple[str, ...] = ()
    """Key terms both share, strongest first."""

    @property
    def passes(self) -> bool:
        return self.tags + self.text >= MIN_RELEVANCE


class RelatedIndex:
    """Inverted indexes over a list of articles (newest first), built once per build."""

    def __init__(
        self,
        articles: Sequence[Article],
        options: RelatedOptions,
        language: str,
        now: datetime,
        terms: TermTable | None = None,
        workers: int = 1,
        previous: KeyTerms | None = None,
        ahead: TermsAhead | None = None,
    ) -> None:
        """``terms``: the last build's term table; ``previous``: the key terms made with it, when
        the articles and their order are the same as then (brief.site.rescoring); ``ahead``:
        term counts made as the files were read (brief.site.terms.TermsAhead)."""
        self.articles = list(articles)
        self.options = options
        self.position = {a.slug: i for i, a in enumerate(self.articles)}
        n = len(self.articles)
        self._build_terms(term_stops(options, language), n, terms, workers, previous, ahead)
        self._build_tags(n)
        sections: dict[str, int] = {}
        self.section_id = np.array(
            [sections.setdefault(slugify(a.section), len(sections)) for a in self.articles], dtype=np.int64
        )
        # Ages count from the start of the build's day (UTC), so that every build of one day
        # agrees (and a cached build can keep the suggestions of an earlier one that day).
        today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        ages = np.array([max(0.0, (today - a.date).total_seconds() / 86400) for a in self.articles], dtype=np.float64)
        self.freshness = np.power(0.5, ages / options.half_life_days) if n else np.zeros(0)

    # --- building -------------------------------------------------------------------------

    def _build_terms(
        self,
        stops: frozenset[str],
        n: int,
        last: TermTable | None,
        workers: int,
        previous: KeyTerms | None,
        ahead: TermsAhead | None,
    ) -> None:
        """TF-IDF key terms of every article (brief.site.keyterms), computed in bulk: the
        per-article Python work is one regex pass and one Counter (on every core with
        ``workers``), and only for the articles ``last`` (the previous build's
        :class:`TermTable`) lacks and were not counted ``ahead``. ``previous``: the key terms
        made with ``last``, for the same articles in the same order; then only the articles an
        edit can change are weighed again. The table made is kept in ``self.terms``."""

        def count(missing: list[Article]) -> Iterator[RunCounts]:
            few = len(missing) < CHUNK  # (an edit's articles: counted here, not worth forking for)
            size = len(missing) if few else max(1, min(CHUNK, len(missing) // (workers * 4)))
            runs = [missing[lo : lo + size] for lo in range(0, len(missing), size)]
            return fork_iter(partial(count_run, stops), runs, workers, 1)

        self.terms, self.vocab, term_all, tf_all, bounds = TermTable.build(self.articles, last, count, ahead)
        counted = None
        if (
            previous is not None
            and last is not None
            and len(previous.df) == len(last.names)
            and self.terms.names[: len(last.names)] == last.names  # (not renumbered)
        ):
            rows = last.rows  # (the articles TermTable.build counted)
            counted = np.array([i for i, a in enumerate(self.articles) if counted_again(a, rows)], dtype=np.int64)
        self.key_terms = key_terms(term_all, tf_all, bounds, len(self.vocab), previous, counted)
        self.e_start, self.e_term, self.e_w = self.key_terms.start, self.key_terms.term, self.key_terms.weight
        self.e_doc = self.key_terms.doc
        self.p_start, self.p_len, self.p_doc, self.p_w = postings(
            self.e_doc, self.e_term, self.e_w, len(self.vocab), TERM_POSTINGS, by_weight=True
        )

    def _build_tags(self, n: int) -> None:
        """Each article's tags as a unit vector, each tag weighted ``log(1 + n / df)``, and
        the newest articles of each tag. In numpy: the same floats, added in the same order, as
        a loop over the articles would make (:func:`tag_vectors`)."""
        tag_ids: dict[str, int] = {}
        per_doc = [[tag_ids.setdefault(slugify(t), len(tag_ids)) for t in a.tags] for a in self.articles]
        self.tag_names = {i: t for t, i in tag_ids.items()}
        self.t_doc, self.t_tag, self.t_w = tag_vectors(per_doc, len(tag_ids))
        self.t_start = np.searchsorted(self.t_doc, np.arange(n + 1))
        self.tp_start, self.tp_len, self.tp_doc, self.tp_w = postings(
            self.t_doc, self.t_tag, self.t_w, len(tag_ids), TAG_POSTINGS, by_weight=False
        )

    # --- scoring --------------------------------------------------------------------------

    def suggest_all(self, wanted: Sequence[int], exclude: Sequence[set[int]], workers: int = 1) -> list[list[int]]:
        """For each article i, the positions of its best ``wanted[i]`` candidates not in ``exclude[i]``.

        With ``workers`` > 1 and a large site, chunks of articles are scored by that many forked
        processes (only ``brief build`` asks: the preview server has threads and never forks)."""
        global _scoring
        n = len(self.articles)
        result: list[list[int]] = [[] for _ in range(n)]
        want = np.asarray(wanted, dtype=np.int64)
        excluded = np.array(sorted(i * n + j for i, others in enumerate(exclude) for j in others), dtype=np.int64)
        starts = [start for start in range(0, n, CHUNK) if want[start : start + CHUNK].any()]
        if workers > 1 and len(starts) > 1:
            import multiprocessing

            _scoring = (self, want, excluded)
            try:
                with multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_sigint) as pool:
                    found = pool.map(_score_chunk, starts, chunksize=1)
            finally:
                _scoring = None
        else:
            found = [self._suggest_chunk(start, want, excluded) for start in starts]
        for chunk in found:
            for i, picks in chunk:
                result[i] = picks
        return result

    def suggest_some(
        self, docs: np.ndarray, wanted: Sequence[int], exclude: Sequence[set[int]]
    ) -> dict[int, list[int]]:
        """:meth:`suggest_all` for the articles at positions ``docs`` only (sorted), in this
        process: each one's picks are the ones a whole scoring gives it (its sums run over the
        same entries in the same order)."""
        n = len(self.articles)
        want = np.asarray(wanted, dtype=np.int64)
        excluded = np.array(sorted(i * n + j for i in docs.tolist() for j in exclude[i]), dtype=np.int64)
        out: dict[int, list[int]] = {int(i): [] for i in docs}
        for lo in range(0, len(docs), CHUNK):
            out.update(self._suggest_docs(docs[lo : lo + CHUNK], want, excluded))
        return out

    def _suggest_chunk(self, start: int, want: np.ndarray, excluded: np.ndarray) -> list[tuple[int, list[int]]]:
        end = min(len(self.articles), start + CHUNK)
        return self._suggest_docs(np.arange(start, end, dtype=np.int64), want, excluded)

    def _suggest_docs(self, docs: np.ndarray, want: np.ndarray, excluded: np.ndarray) -> list[tuple[int, list[int]]]:
        n = len(self.articles)
        d, c, total = self._chunk_scores(docs)
        if len(excluded):
            keep = ~member_of(d * n + c, excluded)  # (``excluded`` is sorted)
            d, c, total = d[keep], c[keep], total[keep]
        d, c = best_first(d, c, total, docs, want)
        first = np.searchsorted(d, docs)
        keep = (np.arange(len(d)) - first[np.searchsorted(docs, d)]) < want[d]  # the best wanted[i] of each article
        d, c = d[keep], c[keep]
        bounds = np.searchsorted(d, np.append(docs, n)).tolist()
        picks = c.tolist()
        out = []
        for k, i in enumerate(docs.tolist()):
            lo, hi = bounds[k], bounds[k + 1]
            if hi > lo:
                out.append((i, picks[lo:hi]))
        return out

    def _chunk_scores(self, docs: np.ndarray):
        """Candidates of the articles at positions ``docs`` (sorted) that clear the thresholds, with
        their scores, sorted by article, then candidate (:func:`~brief.site.postings.best_first`
        puts each article's best first: ties go to the newer, then the slug, the order of
        ``self.articles``)."""
        n = len(self.articles)
        o = self.options
        text = _entries(self.e_start, docs)
        text_keys, text_vals = expand(
            self.e_doc[text],
            self.e_term[text],
            self.e_w[text],
            0,
            len(text),
            self.p_start,
            self.p_len,
            self.p_doc,
            self.p_w,
            n,
        )
        tagged = _entries(self.t_start, docs)
        tag_keys, tag_vals = expand(
            self.t_doc[tagged],
            self.t_tag[tagged],
            self.t_w[tagged],
            0,
            len(tagged),
            self.tp_start,
            self.tp_len,
            self.tp_doc,
            self.tp_w,
            n,
        )
        keys = np.concatenate([text_keys, tag_keys])
        if not len(keys):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        unique, inverse = unique_inverse(keys)
        text = np.bincount(inverse[: len(text_keys)], weights=text_vals, minlength=len(unique)) * o.text
        tags = np.bincount(inverse[len(text_keys) :], weights=tag_vals, minlength=len(unique)) * o.tags
        d, c = unique // n, unique % n
        relevance = text + tags
        total = relevance + o.section * (self.section_id[d] == self.section_id[c]) + o.recency * self.freshness[c]
        keep = (c != d) & (relevance >= MIN_RELEVANCE) & (total >= o.min_score)
        return d[keep], c[keep], np.round(total[keep], 9)

    def explain(self, slug: str, limit: int = 10) -> list[Suggestion]:
        """The best candidates of one article with every signal's contribution, computed from
        the same truncated indexes as :meth:`suggest_all` (so it explains what the build shows)."""
        i = self.position[slug]
        o = self.options
        text: dict[int, float] = {}
        terms: dict[int, list[tuple[float, str]]] = {}
        names = {v: k for k, v in self.vocab.items()}  # only for explanations
        for e in range(self.e_start[i], self.e_start[i + 1]):
            t, w = int(self.e_term[e]), float(self.e_w[e])
            for p in range(self.p_start[t], self.p_start[t] + self.p_len[t]):
                c = int(self.p_doc[p])
                text[c] = text.get(c, 0.0) + w * float(self.p_w[p])
                terms.setdefault(c, []).append((w * float(self.p_w[p]), names[t]))
        tags: dict[int, float] = {}
        shared_tags: dict[int, list[str]] = {}
        for e in range(self.t_start[i], self.t_start[i + 1]):
            t, w = int(self.t_tag[e]), float(self.t_w[e])
            for p in range(self.tp_start[t], self.tp_start[t] + self.tp_len[t]):
                c = int(self.tp_doc[p])
                tags[c] = tags.get(c, 0.0) + w * float(self.tp_w[p])
                shared_tags.setdefault(c, []).append(self.tag_names[t])
        out = []
        for c in set(text) | set(tags):
            if c == i:
                continue
            s_text, s_tags = text.get(c, 0.0) * o.text, tags.get(c, 0.0) * o.tags
            s_section = o.section if self.section_id[c] == self.section_id[i] else 0.0
            s_recency = o.recency * float(self.freshness[c])
            shared = tuple(t for _, t in sorted(terms.get(c, []), key=lambda x: (-x[0], x[1])))
            tag_names = tuple(self._tag_display(c, shared_tags.get(c, [])))
            out.append(
                Suggestion(
                    self.articles[c],
                    round(s_text + s_tags + s_section + s_recency, 9),
                    s_tags,
                    s_text,
                    s_section,
                    s_recency,
                    tag_names,
                    shared,
                )
            )
        out.sort(key=lambda s: (-s.score, self.position[s.article.slug]))
        return out[:limit]

    def _tag_display(self, c: int, slugs: list[str]) -> list[str]:
        names = {slugify(t): t for t in self.articles[c].tags}
        return [names.get(s, s) for s in sorted(set(slugs))]

    def clears(self, suggestion: Suggestion) -> bool:
        """Whether the build would show this candidate (thresholds as in :meth:`suggest_all`)."""
        return suggestion.passes and suggestion.score >= self.options.min_score


_scoring: tuple | None = None
"""The index being scored by forked workers (they inherit it)."""


def tag_vectors(per_doc: list[list[int]], tags: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The (article, tag, weight) entries of every article's tag vector, by article and then
    tag id, each tag once per article: weight ``log(1 + n / df) / norm`` with ``norm`` the
    root of the article's sum of squared idfs, summed in tag order (as ``sum`` would), the
    logarithm taken by ``math.log`` (one per tag, not numpy's own)."""
    n = len(per_doc)
    counts = np.fromiter(map(len, per_doc), dtype=np.int64, count=n)
    flat = np.fromiter(chain.from_iterable(per_doc), dtype=np.int64, count=int(counts.sum()))
    if not len(flat):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    pairs = sorted_unique(np.repeat(np.arange(n, dtype=np.int64), counts) * tags + flat)  # sorted, once each
    doc, tag = pairs // tags, pairs % tags
    df = np.bincount(tag, minlength=tags)
    idf = np.array([math.log(1 + n / d) if d else 0.0 for d in df.tolist()], dtype=np.float64)[tag]
    norm = np.sqrt(np.bincount(doc, weights=idf * idf, minlength=n))  # (added in entry order)
    return doc, tag, idf / norm[doc]


def _entries(starts: np.ndarray, docs: np.ndarray) -> np.ndarray:
    """Positions of the entries of ``docs`` (sorted) in arrays laid out by ``starts``, in order."""
    return spans(starts[docs], starts[docs + 1] - starts[docs])


def _score_chunk(start: int) -> list[tuple[int, list[int]]]:
    assert _scoring is not None
    index, want, excluded = _scoring
    return index._suggest_chunk(start, want, excluded)


def _ignore_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops the workers
