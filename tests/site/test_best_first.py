"""The related scoring's selection (brief.site.postings.best_first) keeps, for each article,
the very first ``want`` candidates that sorting all of them gives: by score, best first, ties
to the candidate that comes first; whatever the scores' ties, the wants (none, more than there
are) and whether the table fits or everything is sorted."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brief.site import postings
from brief.site.postings import best_first


def _firsts(group, other, groups, want):
    """The first ``want[g]`` entries of each group, in order."""
    first = np.searchsorted(group, groups)
    rank = np.arange(len(group)) - first[np.searchsorted(groups, group)]
    keep = rank < want[group]
    return group[keep].tolist(), other[keep].tolist()


def _by_sorting(group, other, score, groups, want):
    order = np.lexsort((other, -score, group))
    return _firsts(group[order], other[order], groups, want)


_case = st.integers(1, 12).flatmap(
    lambda groups: st.tuples(
        st.lists(st.integers(0, 30), min_size=groups, max_size=groups, unique=True).map(sorted),
        st.lists(st.integers(0, 6), min_size=groups, max_size=groups),
        st.lists(
            st.tuples(
                st.integers(0, groups - 1), st.integers(0, 40), st.sampled_from([0.5, 1.0, 1.25, 2.0, 3.5, -0.0, 0.0])
            ),
            max_size=120,
        ),
    )
)


def _arrays(case):
    groups, wants, entries = case
    seen = {}
    for g, o, s in entries:  # one entry per (group, other), as candidates are
        seen.setdefault((groups[g], o), s)
    pairs = sorted(seen)
    group = np.array([g for g, _ in pairs], dtype=np.int64)
    other = np.array([o for _, o in pairs], dtype=np.int64)
    score = np.array([seen[p] for p in pairs], dtype=np.float64)
    want = np.zeros(max(groups) + 1, dtype=np.int64)
    want[groups] = wants
    return group, other, score, np.array(groups, dtype=np.int64), want


@settings(max_examples=400)
@given(_case)
def test_the_same_firsts_as_sorting_everything(case):
    group, other, score, groups, want = _arrays(case)
    kept_group, kept_other = best_first(group, other, score, groups, want)
    assert _firsts(kept_group, kept_other, groups, want) == _by_sorting(group, other, score, groups, want)


@settings(max_examples=100)
@given(_case)
def test_the_same_when_the_table_would_be_too_large(case):
    group, other, score, groups, want = _arrays(case)
    saved = postings.TABLE_CELLS
    postings.TABLE_CELLS = 0  # everything sorted
    try:
        kept_group, kept_other = best_first(group, other, score, groups, want)
    finally:
        postings.TABLE_CELLS = saved
    assert _firsts(kept_group, kept_other, groups, want) == _by_sorting(group, other, score, groups, want)


def test_only_the_best_are_sorted():
    """Ten candidates each, four wanted: the rest are left out before the sort (ties kept)."""
    groups = np.array([3, 8], dtype=np.int64)
    group = np.repeat(groups, 10)
    other = np.tile(np.arange(10, dtype=np.int64), 2)
    score = np.array([float(i % 10) for i in range(20)])
    score[15] = 6.0  # group 8: 9, 8, 7, 6, 6: a tie at the fourth
    want = np.zeros(9, dtype=np.int64)
    want[groups] = 4
    kept_group, kept_other = best_first(group, other, score, groups, want)
    assert kept_group.tolist() == [3, 3, 3, 3, 8, 8, 8, 8, 8]
    assert kept_other.tolist() == [9, 8, 7, 6, 9, 8, 7, 5, 6]


@pytest.mark.parametrize("want", [0, 1])
def test_no_candidates(want):
    empty = np.zeros(0, dtype=np.int64)
    kept_group, kept_other = best_first(empty, empty, np.zeros(0), np.array([2], dtype=np.int64), np.full(3, want))
    assert kept_group.tolist() == kept_other.tolist() == []
