"""Related suggestions of a cached build: scoring only the articles an edit can move gives
what a full scoring gives, to the last pick (brief.site.rescoring)."""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from helpers import REPO, tree

from brief.config import load_config
from brief.content.load import ContentMemo, load_articles
from brief.content.model import RelatedRef
from brief.site import rescoring
from brief.site.index import build_index
from brief.site.relatedmemo import RelatedMemo

NOW = datetime(2026, 12, 1, tzinfo=UTC)
sys.path.insert(0, str(REPO / "benchmarks"))


def _lists(site) -> dict[str, tuple[str, ...]]:
    return {slug: tuple(item.article.slug for item in items if item.article) for slug, items in site.related.items()}


def _edited(article, rng: random.Random, others: list, kind: str):
    """``article`` edited as an editor would: words, title, dek or tags of another article."""
    other = rng.choice(others)
    if kind == "body":
        words = other.body.split()
        start = rng.randrange(max(1, len(words) - 8))
        return dataclasses.replace(article, body=" ".join(words[start : start + 6]) + ". " + article.body)
    if kind == "title":
        return dataclasses.replace(article, title=article.title + " " + other.title.split()[-1])
    if kind == "dek":
        return dataclasses.replace(article, dek=other.dek)
    if kind == "listed":  # an editor's own related entry: one automatic pick fewer, and that one excluded
        return dataclasses.replace(article, related=(*article.related, RelatedRef(other.slug, None, None, None)))
    return dataclasses.replace(article, tags=(*article.tags[:1], *other.tags[:2]))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    from corpus import write_corpus

    site = write_corpus(tmp_path_factory.mktemp("rescoring") / "corpus", 400, seed=11)
    config = load_config(site)
    return config, load_articles(config, ContentMemo()).articles  # with digests


@pytest.mark.parametrize(
    ("seed", "postings"),
    [
        (1, None),
        pytest.param(2, None, marks=pytest.mark.slow),  # more seeds: make test, not the inner loop
        pytest.param(3, None, marks=pytest.mark.slow),
        (4, (4, 3)),
        pytest.param(5, (2, 2), marks=pytest.mark.slow),
    ],
)
def test_rescoring_what_an_edit_moves_equals_a_full_scoring(corpus, seed, postings, monkeypatch):
    """Also with short postings, so that an edited article may be in none of its own terms'
    and tags' postings (only its own entries then show it moved)."""
    config, articles = corpus
    if postings is not None:
        monkeypatch.setattr("brief.site.related.TERM_POSTINGS", postings[0])
        monkeypatch.setattr("brief.site.related.TAG_POSTINGS", postings[1])
    rng = random.Random(seed)
    memo = RelatedMemo()
    memo.start(True)
    build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    scored: list[int] = []
    real = rescoring.to_score

    def counted(*args):
        found = real(*args)
        scored.append(len(args[0].articles) if found is None else len(found))
        return found

    monkeypatch.setattr("brief.site.rescoring.to_score", counted)
    current = list(articles)
    for step, kind in enumerate(["title", "dek", "listed", "tags", "body", "title", "listed", "body", "tags", "dek"]):
        at = rng.randrange(len(current))
        current[at] = dataclasses.replace(_edited(current[at], rng, current, kind), digest=f"edit-{step}".encode())
        memo.chosen = None  # the digest of every input changed: score (in part) again
        incremental = build_index(current, config, drafts=False, future=False, now=NOW, memo=memo)
        full = build_index(current, config, drafts=False, future=False, now=NOW)
        assert _lists(incremental[0]) == _lists(full[0]), (step, kind)
    assert len(scored) == 10
    assert min(scored) < len(articles) // 2, f"no edit was rescored in part: {scored}"


def test_another_day_or_other_settings_score_everything(corpus):
    config, articles = corpus
    memo = RelatedMemo()
    memo.start(True)
    build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    assert memo.last is not None
    memo.chosen = None
    later = build_index(articles, config, drafts=False, future=False, now=NOW.replace(day=2), memo=memo)
    full = build_index(articles, config, drafts=False, future=False, now=NOW.replace(day=2))
    assert _lists(later[0]) == _lists(full[0])
    assert memo.last.setting.endswith("'2026-12-02')")


def test_the_same_inputs_keep_the_last_picks_and_a_build_without_their_key_drops_it(corpus, monkeypatch):
    config, articles = corpus
    memo = RelatedMemo()
    memo.start(True)
    first = build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    assert memo.chosen is not None and memo.last is not None
    scored: list[int] = []
    monkeypatch.setattr("brief.site.related.RelatedIndex", lambda *a, **k: scored.append(1) or None)
    again = build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    assert scored == [] and _lists(again[0]) == _lists(first[0])  # no index made: the last picks, as they were
    monkeypatch.undo()
    # A build of other inputs that have no key (an article without a digest) scores them, and
    # the key of the first inputs no longer names the last picks: the first inputs again are
    # scored again, not given the picks of the build between.
    other = [dataclasses.replace(a, digest=b"") if i == 3 else a for i, a in enumerate(articles)]
    other[5] = dataclasses.replace(other[5], title=other[5].title + " " + articles[9].title)
    build_index(other, config, drafts=False, future=False, now=NOW, memo=memo)
    assert memo.chosen is None
    back = build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    assert _lists(back[0]) == _lists(first[0])


def _same_snapshot(one, other) -> bool:
    import numpy as np

    plain = ("setting", "slugs", "terms", "tags")
    return (
        all(getattr(one, name) == getattr(other, name) for name in plain)
        and one.arrays.keys() == other.arrays.keys()
        and all(np.array_equal(one.arrays[k], other.arrays[k]) for k in one.arrays)
        and np.array_equal(one.picks, other.picks)
        and np.array_equal(one.pick_start, other.pick_start)
    )


@pytest.mark.parametrize("child_fails", [False, True])
def test_scoring_in_a_forked_process_gives_what_scoring_here_gives(corpus, monkeypatch, child_fails):
    """``brief build``'s index leaves a cached build's scoring to a forked process (``later``):
    the lists, and the memo the next build starts from, are those of a scoring in this process,
    also when the process sends nothing (then the caller scores itself)."""
    if not hasattr(__import__("os"), "fork"):
        pytest.skip("needs fork")
    if child_fails:  # (the process runs this; the caller, when it scores itself, does not)
        monkeypatch.setattr("brief.site.suggestions._new_rows", lambda *a: __import__("os")._exit(3))
    config, articles = corpus
    here, forked = RelatedMemo(), RelatedMemo()
    for memo in (here, forked):
        memo.start(True)
        build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    rng = random.Random(5)
    current = list(articles)
    for step, kind in enumerate(["body", "title", "tags", "listed"]):
        at = rng.randrange(len(current))
        current[at] = dataclasses.replace(_edited(current[at], rng, current, kind), digest=f"fork-{step}".encode())
        inline = build_index(current, config, drafts=False, future=False, now=NOW, memo=here)
        later: list = []
        site, _ = build_index(current, config, drafts=False, future=False, now=NOW, memo=forked, later=later)
        assert len(later) == 1, "the scoring was not left to a process"
        later.pop()()
        assert _lists(site) == _lists(inline[0]), (step, kind)
        assert (forked.term_names, forked.term_rows, forked.chosen) == (here.term_names, here.term_rows, here.chosen)
        assert list(forked.term_rows) == list(here.term_rows)  # (in the same order)
        assert _same_snapshot(forked.last, here.last)


def test_a_scoring_kept_in_the_memo_is_held_pickled_until_read(corpus):
    """The memo holds a scoring's snapshot pickled as soon as it keeps it (its arrays are
    not held to the cache's save, where the build's memory peaks), and reading it gives
    the very snapshot back; the save takes those bytes as they are."""
    import pickle

    config, articles = corpus
    memo = RelatedMemo()
    memo.start(True)
    build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    assert memo.unpacked is None and isinstance(memo.packed, bytes)
    packed = memo.packed
    snapshot = memo.last
    assert snapshot is not None and memo.last is snapshot  # (unpickled once)
    assert pickle.loads(pickle.dumps(memo)).packed == packed
    memo.last = snapshot  # (kept again, as the preview's next build may)
    assert memo.unpacked is None and _same_snapshot(pickle.loads(memo.packed), snapshot)


NUMPY_AT_EXIT = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('numpy imported:', 'numpy' in sys.modules))\n"
    "from brief.launch import main\n"
    "main()\n"
)


@pytest.mark.slow
def test_a_cached_build_leaves_numpy_to_the_process_that_scores(tmp_path):
    """A cached build's related scoring runs in a forked process, which alone imports the
    scoring's modules and numpy (35–40 ms); the build's own process takes the scoring's
    snapshot as pickled bytes and saves it so. A cold build scores, and imports it, itself."""
    if not hasattr(os, "fork"):
        pytest.skip("needs fork")
    from corpus import write_corpus

    site = write_corpus(tmp_path / "corpus", 300, seed=3)
    env = {**os.environ, "BRIEF_NOW": "2026-12-01T12:00:00Z"}  # (one day for all three builds' scoring)

    def build() -> str:
        done = subprocess.run(
            [sys.executable, "-c", NUMPY_AT_EXIT, "build", "-q", "--site", str(site)],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert build() == "numpy imported: True"  # the first build scores every article itself
    page = next((site / "content").glob("*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\nA grid battery storage line.\n", encoding="utf-8")
    assert build() == "numpy imported: False"
    clean = tmp_path / "clean"
    subprocess.run(
        [sys.executable, "-m", "brief", "build", "-q", "--no-cache", "--site", str(site), "--output", str(clean)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        env=env,
    )
    assert tree(site / "public") == tree(clean)
