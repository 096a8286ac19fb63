"""Related suggestions of a cached build: only the articles an edit can move are scored again.

An article's picks (brief.site.related) are a function of what its scoring reads: its own
key terms and tags with their weights, the postings (best articles and weights) of each of
those terms and tags, the sections and freshness of the articles, what it wants and
excludes, and the settings. :class:`Snapshot` keeps all of that from the last build, with
its picks; the next build makes its index in full (cheap next to scoring) and compares it
with the snapshot, array against array, term and tag by name (ids are numbered in the
order of first appearance, which an edit may shift). The articles whose inputs are all
equal keep their picks; the others are scored again, with the same sums in the same order
as a full scoring, so the result is the same to the bit. When the articles' order, a
section, the freshness (a new day) or the settings differ, everything is scored again.

How far an edit reaches depends on the text: a new word changes its document frequency,
hence the weights of every article that has it, hence postings elsewhere; on the 10,000-
article benchmark corpus a title edit moves the inputs of a few hundred articles, a body
edit adding common words those of nearly all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from brief.content.model import Article
from brief.site.keyterms import KeyTerms
from brief.site.numeric import np
from brief.site.postings import member_of, spans
from brief.site.related import RelatedIndex

_ARRAYS = (
    "e_start",
    "e_term",
    "e_w",
    "p_start",
    "p_len",
    "p_doc",
    "p_w",
    "t_start",
    "t_tag",
    "t_w",
    "tp_start",
    "tp_len",
    "tp_doc",
    "tp_w",
    "freshness",
)


@dataclass
class Snapshot:
    """What the last build's related scoring read, and what it chose, in a few flat objects
    (it is saved with the build cache)."""

    setting: str
    """The options, language and day the scores were made with."""
    slugs: str
    """The articles' slugs in scoring order, one per line."""
    terms: str
    """Term names by id, one per line (terms are words: they hold no line break)."""
    tags: str
    """Tag slugs by id, one per line."""
    arrays: dict[str, np.ndarray]
    """The index's arrays (:data:`_ARRAYS`), its section ids and terms' document frequencies,
    and the wants and exclusions."""
    picks: np.ndarray
    pick_start: np.ndarray
    """Article i's picks (positions) are ``picks[pick_start[i]:pick_start[i + 1]]``."""

    def picked(self) -> list[list[int]]:
        flat, start = self.picks.tolist(), self.pick_start.tolist()
        return [flat[start[i] : start[i + 1]] for i in range(len(start) - 1)]


def take(
    index: RelatedIndex, setting: str, want: list[int], exclude: list[set[int]], picks: list[list[int]]
) -> Snapshot:
    """The snapshot of a scoring just made."""
    arrays = {name: getattr(index, name) for name in _ARRAYS}
    arrays["section_id"] = index.section_id
    arrays["df"] = index.key_terms.df
    arrays["want"] = np.asarray(want, dtype=np.int64)
    arrays["exclude"] = _pairs(exclude)
    lengths = np.array([len(p) for p in picks], dtype=np.int64)
    return Snapshot(
        setting,
        "\n".join(a.slug for a in index.articles),
        "\n".join(_names(index.vocab)),
        "\n".join(index.tag_names[i] for i in range(len(index.tag_names))),
        arrays,
        np.array([i for p in picks for i in p], dtype=np.int64),
        np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
    )


def key_terms_of(last: Snapshot, articles: Sequence[Article]) -> KeyTerms | None:
    """The key terms ``last`` was scored with, when it scored the same articles in the same order."""
    old = last.arrays
    if "df" not in old or "\n".join(a.slug for a in articles) != last.slugs:
        return None
    return KeyTerms(old["e_start"], old["e_term"], old["e_w"], old["df"])


def _pairs(exclude: list[set[int]]) -> np.ndarray:
    """Every (article, excluded position) pair as ``article * n + position``, sorted."""
    n = len(exclude)
    return np.array(sorted(i * n + j for i, others in enumerate(exclude) for j in others), dtype=np.int64)


def to_score(
    index: RelatedIndex, last: Snapshot, setting: str, want: list[int], exclude: list[set[int]]
) -> np.ndarray | None:
    """Positions (sorted) of the articles whose picks may differ from ``last``'s; None when
    every article must be scored again."""
    n = len(index.articles)
    old = last.arrays
    if (
        setting != last.setting
        or "\n".join(a.slug for a in index.articles) != last.slugs
        or not np.array_equal(index.section_id, old["section_id"])
        or not np.array_equal(index.freshness, old["freshness"])
    ):
        return None
    moved = np.asarray(want, dtype=np.int64) != old["want"]
    pairs, old_pairs = _pairs(exclude), old["exclude"]  # (both sorted: in one and not the other)
    moved[np.concatenate((pairs[~member_of(pairs, old_pairs)], old_pairs[~member_of(old_pairs, pairs)])) // n] = True
    terms, tags = last.terms.split("\n") if last.terms else [], last.tags.split("\n") if last.tags else []
    term_map = _id_map(terms, index.vocab)
    tag_ids = {name: i for i, name in index.tag_names.items()}
    tag_map = _id_map(tags, tag_ids)
    moved |= _entries_differ(
        index.e_start, index.e_term, index.e_w, old["e_start"], term_map[old["e_term"]], old["e_w"]
    )
    moved |= _entries_differ(index.t_start, index.t_tag, index.t_w, old["t_start"], tag_map[old["t_tag"]], old["t_w"])
    changed_terms = _postings_differ(
        (index.p_start, index.p_len, index.p_doc, index.p_w),
        (old["p_start"], old["p_len"], old["p_doc"], old["p_w"]),
        _id_map(_names(index.vocab), {name: i for i, name in enumerate(terms)}),
    )
    changed_tags = _postings_differ(
        (index.tp_start, index.tp_len, index.tp_doc, index.tp_w),
        (old["tp_start"], old["tp_len"], old["tp_doc"], old["tp_w"]),
        _id_map(_names(tag_ids), {name: i for i, name in enumerate(tags)}),
    )
    moved[index.e_doc[changed_terms[index.e_term]]] = True
    moved[index.t_doc[changed_tags[index.t_tag]]] = True
    return np.flatnonzero(moved)


def _names(ids: dict[str, int]) -> list[str]:
    names = [""] * len(ids)
    for name, i in ids.items():
        names[i] = name
    return names


def _id_map(names: list[str], ids: dict[str, int]) -> np.ndarray:
    """For each name (by its id on one side), its id on the other side, or -1."""
    return np.array([ids.get(name, -1) for name in names], dtype=np.int64)


def _entries_differ(start, key, weight, old_start, old_key, old_weight) -> np.ndarray:
    """For each article, whether its entries (keys in the new numbering, weights to the bit)
    differ from its old ones."""
    n = len(start) - 1
    lengths, old_lengths = np.diff(start), np.diff(old_start)
    differ = lengths != old_lengths
    same = np.flatnonzero(~differ)
    new_at = spans(start[same], lengths[same])
    old_at = spans(old_start[same], lengths[same])
    bad = (key[new_at] != old_key[old_at]) | (weight[new_at].view(np.int64) != old_weight[old_at].view(np.int64))
    owner = np.repeat(same, lengths[same])
    differ[owner[bad]] = True
    return differ[:n]


def _postings_differ(new, old, old_id) -> np.ndarray:
    """For each term (or tag) in the new numbering, whether its postings differ from those
    the same name had (a name new to this build: when it has any)."""
    p_start, p_len, p_doc, p_w = new
    o_start, o_len, o_doc, o_w = old
    ids = old_id  # one per name of the new numbering
    known = ids >= 0
    old_len = np.where(known, o_len[np.where(known, ids, 0)], 0) if len(o_len) else np.zeros(len(ids), dtype=np.int64)
    differ = p_len != old_len
    same = np.flatnonzero(~differ & (p_len > 0))
    new_at = spans(p_start[same], p_len[same])
    old_at = spans(o_start[ids[same]], p_len[same])
    bad = (p_doc[new_at] != o_doc[old_at]) | (p_w[new_at].view(np.int64) != o_w[old_at].view(np.int64))
    owner = np.repeat(same, p_len[same])
    differ[owner[bad]] = True
    return differ
