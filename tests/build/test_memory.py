"""Memory proportional to input (issue #14, part B): what a long article costs, in peak RSS.

Each measurement runs in a subprocess (benchmarks/memory.py reaps it with os.wait4 and
reads ``ru_maxrss``) on a site whose one article has a body of 10 MB of ordinary Markdown,
minus the same on the article with an empty body: what the body itself costs. Nothing here
is timed. ``benchmarks/memory.py`` prints the same numbers.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from helpers import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import memory  # noqa: E402  (benchmarks/memory.py)

BODY = 10_000_000

LOAD = """
import sys
from pathlib import Path
from brief.config import load_config
from brief.content.load import ContentMemo, load_articles
loaded = load_articles(load_config(Path(sys.argv[1])), ContentMemo())
assert len(loaded.articles) == 1, loaded.problems
"""
"""Stages 1–2 as a build runs them: the file's digest for the cache, read, split, validate."""


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, tuple[Path, int]]:
    """The long-bodied site and the empty-bodied one, with their article file's size."""
    folder = tmp_path_factory.mktemp("memory")
    return {
        name: (folder / name, memory.write_site(folder / name, size)) for name, size in (("long", BODY), ("empty", 0))
    }


def cost(sites, argv: list[str]) -> float:
    """Peak RSS of ``argv`` + [site] on the long body, less that on the empty one, per byte of body."""
    peaks = {}
    for name, (site, _) in sites.items():
        code, peak, err = memory.peak_of([*argv, str(site)])
        assert code == 0, err
        peaks[name] = peak
    body = sites["long"][1] - sites["empty"][1]
    return (peaks["long"] - peaks["empty"]) / body


def test_reading_a_long_article_holds_it_about_twice(sites):
    """The bytes read and the body's text, no more: no list of its lines, no second copy of
    the text, no copies made to normalise line endings that are already ``\\n``. (Before:
    four times, 40 MB for a 10 MB article.)"""
    ratio = cost(sites, [sys.executable, "-c", LOAD])
    assert ratio < 3, f"reading and validating cost {ratio:.1f}× the body"


@pytest.mark.slow
def test_building_a_long_article_costs_under_ten_times_its_body(sites):
    """The whole build of a 10 MB body: Markdown rendered block by block (brief.render.mdstream),
    words counted without a list of them, feeds written as bytes and not kept by brief build.
    (Before: 19.6×; 8.6× when this test was written.)"""
    ratio = cost(sites, [sys.executable, "-m", "brief", "build", "-q", "--site"])
    assert ratio < 10, f"the build's peak RSS grew by {ratio:.1f}× the body"
