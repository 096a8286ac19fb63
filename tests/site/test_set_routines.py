"""The related scoring's set routines (brief.site.postings: sorted_unique, unique_inverse,
member_of) give what numpy's np.unique and np.isin give, on any 1-d integer array, and a
build that scores related articles does not import numpy.ma (which numpy's own import)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from helpers import article, make_site
from hypothesis import given
from hypothesis import strategies as st

from brief.site.postings import member_of, postings, sorted_unique, unique_inverse

_arrays = st.lists(st.integers(-(2**62), 2**62) | st.integers(-3, 3), max_size=60).map(
    lambda values: np.array(values, dtype=np.int64)
)


@given(_arrays)
def test_sorted_unique_is_numpys_unique(values):
    found = sorted_unique(values)
    assert found.dtype == values.dtype
    assert found.tolist() == np.unique(values).tolist()


@given(_arrays)
def test_unique_inverse_is_numpys(values):
    unique, inverse = unique_inverse(values)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    assert unique.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()
    assert unique[inverse].tolist() == values.tolist()


@given(
    st.lists(st.integers(-40, 40) | st.integers(2**40, 2**40 + 300), max_size=80),
    st.sampled_from([1, 2, 3, 7, 64, 1 << 21]),
)
def test_unique_inverse_by_blocks_of_the_range_is_numpys(values, block):
    """Values close together are marked in a table a block of their range at a time (the
    related scoring's candidate pairs): blocks of a few cells here, so that most arrays
    span many of them, some blocks empty, and arrays spread wide are sorted."""
    array = np.array(values, dtype=np.int64)
    unique, inverse = unique_inverse(array, block)
    expected, expected_inverse = np.unique(array, return_inverse=True)
    assert unique.dtype == array.dtype
    assert inverse.dtype == expected_inverse.dtype
    assert unique.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()


def test_unique_inverse_of_a_chunks_candidate_pairs_is_numpys():
    """Pairs ``article * n + candidate`` as the scoring makes them (two runs by article, the
    text's and the tags'), over 10,000 articles: two blocks of the default table."""
    rng = np.random.default_rng(7)
    n, rows = 10_000, 300
    pairs = np.repeat(np.arange(700, 700 + rows), 90) * n + rng.integers(0, n, rows * 90)
    pairs = np.concatenate([pairs[::2], pairs[1::2]])
    unique, inverse = unique_inverse(pairs)
    expected, expected_inverse = np.unique(pairs, return_inverse=True)
    assert unique.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.reshape(-1).tolist()


@given(_arrays, _arrays)
def test_member_of_is_numpys_isin(values, table):
    table = np.unique(table)
    assert member_of(values, table).tolist() == np.isin(values, table).tolist()


@pytest.mark.slow
def test_a_build_that_scores_related_articles_leaves_numpy_ma_alone(tmp_path):
    files = {
        f"content/a{i}.md": article(
            f"Grid battery storage story {i} about {['inverters', 'substations', 'outages'][i % 3]}.\n",
            title=f"Story {i}",
            date=f"2026-01-{1 + i:02d}",
            tags=["Grid", f"Topic {i % 3}"],
        )
        for i in range(12)
    }
    site = make_site(tmp_path, files)
    for step in ("cold", "one edit"):  # (the edit: key terms weighed again for a few articles)
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "brief", "build", "-q", "--site", str(site)],
            capture_output=True,
            text=True,
            check=True,
        )
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "import time:" in line}
        assert "brief.site.related" in imported and "numpy" in imported, step
        assert "numpy.ma" not in imported, step
        page = site / "content/a3.md"
        page.write_text(page.read_text() + "More about substations and inverters.\n")
    assert (site / "public/index.html").is_file()


def _postings_by_lexsort(docs, keys, weights, size, limit, by_weight):
    """The inverted index as first written: one lexsort by key, weight and doc."""
    order = np.lexsort((docs, -weights, keys)) if by_weight else np.lexsort((docs, keys))
    k, d, w = keys[order], docs[order], weights[order]
    first = np.searchsorted(k, np.arange(size))
    keep = np.arange(len(k)) - first[k] < limit
    k, d, w = k[keep], d[keep], w[keep]
    return np.searchsorted(k, np.arange(size)), np.bincount(k, minlength=size), d, w


@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 7), st.sampled_from([0.5, 0.25, 1.0, 0.1, -0.0, 0.0])), max_size=80
    ),
    st.integers(1, 5),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
def test_postings_are_those_of_one_lexsort(entries, limit, by_weight, laid_out, wide):
    """The postings, made with fewer sorts, are the ones a lexsort by key, weight and doc gives:
    entries laid out by doc or not, keys as 16-bit numbers or not, ties of weight everywhere."""
    if laid_out:
        entries = sorted(entries, key=lambda e: e[0])
    size = 70000 if wide else 8
    docs = np.array([d for d, _, _ in entries], dtype=np.int64)
    keys = np.array([k * (size // 8) for _, k, _ in entries], dtype=np.int64)
    weights = np.array([w for _, _, w in entries], dtype=np.float64)
    found = postings(docs, keys, weights, size, limit, by_weight=by_weight)
    expected = _postings_by_lexsort(docs, keys, weights, size, limit, by_weight)
    for a, b in zip(found, expected, strict=True):
        assert a.tolist() == b.tolist()
