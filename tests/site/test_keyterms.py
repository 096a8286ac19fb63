"""Key terms made again after an edit (brief.site.keyterms) are the very arrays a full
computation makes: only the articles an edit can change are weighed again, to the bit."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from datetime import UTC, datetime

import numpy as np
import pytest
from helpers import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from brief.config import load_config
from brief.content.load import ContentMemo, load_articles
from brief.site import keyterms, postings
from brief.site.keyterms import KeyTerms, key_terms
from brief.site.related import RelatedIndex

NOW = datetime(2026, 6, 1, tzinfo=UTC)
sys.path.insert(0, str(REPO / "benchmarks"))  # the benchmark's corpus writer

Row = dict[int, int]  # term id → count, as written


def _arrays(rows: list[Row]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    terms = np.array([t for row in rows for t in row], dtype=np.int32)
    counts = np.array([c for row in rows for c in row.values()], dtype=np.int32)
    bounds = np.concatenate([[0], np.cumsum([len(row) for row in rows])]).astype(np.int64)
    return terms, counts, bounds


def _same(one: KeyTerms, other: KeyTerms) -> None:
    assert one.start.tolist() == other.start.tolist()
    assert one.term.tolist() == other.term.tolist()
    assert one.weight.view(np.int64).tolist() == other.weight.view(np.int64).tolist()  # to the bit
    assert one.df.tolist() == other.df.tolist()


def _row(size: int):
    return st.dictionaries(st.integers(0, size - 1), st.integers(1, 6), max_size=24)


@st.composite
def _edit(draw):
    size = draw(st.integers(1, 40))
    rows = draw(st.lists(_row(size), min_size=1, max_size=30))
    grown = size + draw(st.integers(0, 5))  # an edit may bring words no article had
    edited = draw(st.lists(st.integers(0, len(rows) - 1), unique=True, max_size=len(rows)))
    new_rows = list(rows)
    for i in edited:
        new_rows[i] = draw(_row(grown))
    return size, rows, grown, new_rows, sorted(edited)


@pytest.mark.slow
@settings(max_examples=400, deadline=None)
@given(_edit())
def test_an_update_makes_the_arrays_of_a_full_computation(case):
    size, rows, grown, new_rows, edited = case
    before = key_terms(*_arrays(rows), size)
    full = key_terms(*_arrays(new_rows), grown)
    updated = key_terms(*_arrays(new_rows), grown, before, np.array(edited, dtype=np.int64))
    _same(updated, full)


def test_an_edit_that_changes_a_common_word_weighs_the_articles_that_have_it_again():
    """Article 2 gains word 0, which articles 0 and 1 have: their weights change though they
    were not edited; article 3, which shares nothing with the edit, keeps its own."""
    rows = [{0: 1, 1: 2, 2: 1}, {0: 2, 2: 1, 3: 1}, {1: 1, 3: 2}, {4: 1, 5: 1, 6: 3}, {4: 2, 5: 1}]
    before = key_terms(*_arrays(rows), 7)
    new_rows = [*rows[:2], {0: 3, 1: 1, 3: 2}, *rows[3:]]
    full = key_terms(*_arrays(new_rows), 7)
    _same(key_terms(*_arrays(new_rows), 7, before, np.array([2])), full)
    old_w, new_w = before.weight, full.weight
    assert new_w[full.start[0] : full.start[1]].tolist() != old_w[before.start[0] : before.start[1]].tolist()
    assert new_w[full.start[3] : full.start[4]].tolist() == old_w[before.start[3] : before.start[4]].tolist()


def test_an_article_no_edit_reaches_keeps_its_last_key_terms_as_they_were():
    """The update takes an untouched article's key terms from the last computation (here
    marked, to see it) rather than weighing them again."""
    rows = [{0: 1, 1: 2}, {0: 2, 1: 1}, {2: 1, 3: 1}, {2: 2, 3: 1}]
    before = key_terms(*_arrays(rows), 4)
    marked = KeyTerms(before.start, before.term, before.weight.copy(), before.df)
    marked.weight[before.start[0]] = 9.0
    new_rows = [*rows[:3], {2: 2, 3: 4}]  # counts change, document frequencies do not
    updated = key_terms(*_arrays(new_rows), 4, marked, np.array([3]))
    assert updated.weight[updated.start[0]] == 9.0
    assert updated.weight[updated.start[3]] == key_terms(*_arrays(new_rows), 4).weight[updated.start[3]]


def test_without_a_usable_last_computation_everything_is_weighed():
    rows = [{0: 1, 1: 1}, {0: 2, 1: 1}, {1: 1, 2: 1}]
    full = key_terms(*_arrays(rows), 3)
    other = key_terms(*_arrays(rows[:2]), 3)  # another number of articles
    _same(key_terms(*_arrays(rows), 3, other, np.array([], dtype=np.int64)), full)
    bigger = key_terms(*_arrays(rows), 5)  # numbered over more terms than there are now
    _same(key_terms(*_arrays(rows), 3, bigger, np.array([], dtype=np.int64)), full)


def test_a_carried_index_has_the_arrays_of_a_fresh_one(tmp_path):
    """RelatedIndex with the last build's table and key terms, after edits that keep the
    articles and their order (words added and removed, common ones among them)."""
    import random

    from corpus import write_corpus

    site = write_corpus(tmp_path / "corpus", 200, seed=5)
    config = load_config(site)
    articles = sorted(load_articles(config, ContentMemo()).articles, key=lambda a: a.sort_key)
    last = RelatedIndex(articles, config.related, config.language, NOW)
    rng = random.Random(9)
    common = last.articles[0].title.split()[:2]
    for step in range(5):
        edited = list(articles)
        for i in rng.sample(range(len(edited)), 1 + step * 3):
            a = edited[i]
            words = a.body.split()
            if step % 2:
                body = " ".join(words[: len(words) // 3])
            else:
                body = f"{a.body} {' '.join(common)} novel{step}x{i} novel{step}x{i}"
            edited[i] = dataclasses.replace(a, body=body, digest=a.digest + bytes([step, i % 256]))
        assert [a.slug for a in edited] == [a.slug for a in articles]
        full = RelatedIndex(edited, config.related, config.language, NOW, last.terms)  # (terms numbered alike)
        carried = RelatedIndex(edited, config.related, config.language, NOW, last.terms, previous=last.key_terms)
        if step % 2 == 0:
            assert len(carried.key_terms.df) > len(last.key_terms.df)  # new words came in
        for name in ("e_start", "e_doc", "e_term", "p_start", "p_len", "p_doc"):
            assert getattr(carried, name).tolist() == getattr(full, name).tolist(), (step, name)
        for name in ("e_w", "p_w"):
            assert getattr(carried, name).view(np.int64).tolist() == getattr(full, name).view(np.int64).tolist()
        wanted, exclude = [4] * len(edited), [set() for _ in edited]
        fresh = RelatedIndex(edited, config.related, config.language, NOW)  # counted from nothing
        assert carried.suggest_all(wanted, exclude) == fresh.suggest_all(wanted, exclude)
        last, articles = carried, edited


def test_term_ids_are_numbered_alike_however_the_articles_are_counted_in_runs(tmp_path):
    """Workers count runs of articles; the main process numbers each run's terms once. The
    table (names, ids, counts) is the same for runs of any length, and the same as counting
    the articles one by one."""
    from functools import partial

    from corpus import write_corpus

    from brief.content.stopwords import stop_words
    from brief.site.terms import TermTable, count_run

    site = write_corpus(tmp_path / "corpus", 60, seed=4)
    config = load_config(site)
    articles = sorted(load_articles(config, ContentMemo()).articles, key=lambda a: a.sort_key)
    stops = stop_words(config.language)

    def in_runs(size: int):
        def counted(missing):
            return map(partial(count_run, stops), [missing[lo : lo + size] for lo in range(0, len(missing), size)])

        return TermTable.build(articles, None, counted)

    one = in_runs(1)
    for size in (2, 7, 60):
        other = in_runs(size)
        assert other[0].names == one[0].names and other[1] == one[1]
        assert other[0].rows == one[0].rows
        for mine, theirs in zip(other[2:], one[2:]):
            assert mine.tolist() == theirs.tolist()
    first_met = list(dict.fromkeys(w for a in articles for w in count_run(stops, [a])[0]))
    assert list(one[0].names) == first_met  # in the order first met, article by article


def test_term_counts_are_kept_a_byte_each_unless_a_count_of_their_run_needs_more(tmp_path):
    """A table's rows keep counts a byte each (5 bytes a term with its id, not 8) unless
    a count of the run they were counted in is 256 or more; the counts read back are
    the words' counts whatever the rows' kinds: all bytes, all C ints, or both (a table
    carried over from an earlier build)."""
    from collections import Counter
    from functools import partial

    from corpus import write_corpus

    from brief.content.stopwords import stop_words
    from brief.site.terms import TermTable, count_run, term_counts

    site = write_corpus(tmp_path / "corpus", 12, seed=5)
    loud = site / "content" / "loud.md"
    loud.write_text(
        "---\ntitle: A loud one\ndate: 2024-03-01\nsection: World\n"
        f"takeaways:\n- {' '.join(['thunderous'] * 300)}\n---\nA short body.\n",
        encoding="utf-8",
    )
    config = load_config(site)
    articles = sorted(load_articles(config, ContentMemo()).articles, key=lambda a: a.sort_key)
    stops = stop_words(config.language)
    assert term_counts(next(a for a in articles if a.slug == "loud"), stops)["thunderous"] == 600
    expected = [c for a in articles for c in term_counts(a, stops).values()]

    def build(size: int, chosen=articles, last=None):
        def counted(missing):
            return map(partial(count_run, stops), [missing[lo : lo + size] for lo in range(0, len(missing), size)])

        return TermTable.build(chosen, last, counted)

    def kinds(table: TermTable) -> Counter:
        return Counter("bytes" if 4 * len(tf) == len(ids) else "ints" for ids, tf in table.rows.values() if ids)

    alone = build(1)  # each article a run of its own: only the loud one's row needs C ints
    assert kinds(alone[0]) == Counter(bytes=len(articles) - 1, ints=1)
    assert alone[3].tolist() == expected and alone[3].dtype == np.int32
    together = build(len(articles))  # one run: all C ints
    assert kinds(together[0]) == Counter(ints=len(articles))
    assert together[3].tolist() == expected
    quiet = [a for a in articles if a.slug != "loud"]
    calm = build(len(quiet), quiet)  # one run, every count under 256: all bytes
    assert kinds(calm[0]) == Counter(bytes=len(quiet))
    assert calm[3].tolist() == [c for a in quiet for c in term_counts(a, stops).values()]
    mixed = TermTable(
        alone[0].names, {**together[0].rows, **{d: r for d, r in alone[0].rows.items() if d != articles[0].digest}}
    )
    carried = build(1, last=mixed)  # every row read back from the last table, of both kinds
    assert kinds(carried[0]) == Counter(bytes=len(articles) - 2, ints=2)
    assert carried[3].tolist() == expected


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 60).flatmap(lambda size: st.lists(_row_long(size), min_size=1, max_size=30)))
def test_the_same_key_terms_as_sorting_every_weight(rows):
    """Only the weights that can be among an article's first TOP_TERMS are sorted (brief.site.
    postings.can_lead): the same key terms, in the same order, as sorting them all, ties and all."""
    terms, counts, bounds = _arrays(rows)
    size = int(terms.max()) + 1 if len(terms) else 1
    selected = key_terms(terms, counts, bounds, size)
    with _every_weight_sorted():
        _same(selected, key_terms(terms, counts, bounds, size))


def _row_long(size: int):
    """An article with up to three times TOP_TERMS terms, counts that tie often."""
    return st.dictionaries(st.integers(0, size - 1), st.integers(1, 3), max_size=3 * keyterms.TOP_TERMS)


@contextlib.contextmanager
def _every_weight_sorted():
    saved = postings.TABLE_CELLS
    postings.TABLE_CELLS = 0
    try:
        yield
    finally:
        postings.TABLE_CELLS = saved
