"""The related scoring's set routines (brief.site.postings: sorted_unique, unique_inverse,
member_of) give what numpy's np.unique and np.isin give, on any 1-d integer array, and a
build that scores related articles does not import numpy.ma (which numpy's own import)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from helpers import article, make_site
from hypothesis import given
from hypothesis import strategies as st

from brief.site.postings import member_of, sorted_unique, unique_inverse

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


@given(_arrays, _arrays)
def test_member_of_is_numpys_isin(values, table):
    table = np.unique(table)
    assert member_of(values, table).tolist() == np.isin(values, table).tolist()


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
