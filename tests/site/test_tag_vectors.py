"""Related scoring's tag vectors (brief.site.related.tag_vectors) are the very floats that a
plain loop over the articles makes: the same weights, summed in the same order."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from brief.site.related import tag_vectors


def _loop(per_doc: list[list[int]]) -> tuple[list[int], list[int], list[float]]:
    n = len(per_doc)
    df = Counter(t for tags in per_doc for t in set(tags))
    docs, tags, weights = [], [], []
    for i, ids in enumerate(per_doc):
        ids = sorted(set(ids))
        idf = {t: math.log(1 + n / df[t]) for t in ids}
        norm = math.sqrt(sum(v * v for v in idf.values())) or 1.0
        for t in ids:
            docs.append(i)
            tags.append(t)
            weights.append(idf[t] / norm)
    return docs, tags, weights


@settings(max_examples=300)
@given(
    st.integers(1, 40).flatmap(
        lambda size: st.tuples(st.just(size), st.lists(st.lists(st.integers(0, size - 1), max_size=12), max_size=60))
    )
)
def test_the_same_floats_as_a_loop(case):
    size, per_doc = case
    used = sorted({t for tags in per_doc for t in tags})
    renumber = {t: i for i, t in enumerate(used)}  # tag ids are dense, as the index numbers them
    per_doc = [[renumber[t] for t in tags] for tags in per_doc]
    doc, tag, weight = tag_vectors(per_doc, len(used))
    expected = _loop(per_doc)
    assert doc.tolist() == expected[0]
    assert tag.tolist() == expected[1]
    assert weight.tolist() == expected[2]  # exactly, not approximately
    assert doc.dtype == tag.dtype == np.int64 and weight.dtype == np.float64


def test_many_articles_sharing_few_tags_keep_exact_weights():
    per_doc = [[(i * 7) % 13, (i * 3) % 13, (i * 7) % 13] for i in range(5000)]
    doc, tag, weight = tag_vectors(per_doc, 13)
    assert weight.tolist() == _loop(per_doc)[2]
    assert tag_vectors([[], []], 0)[0].tolist() == []
