"""Related term counts made while the files are read (brief.site.terms.TermsAhead): the
processes that parse the articles count their terms too, and the index takes those counts
instead of reading every file again. What they give is what counting afterwards gives."""

from __future__ import annotations

import dataclasses
import sys
from datetime import UTC, datetime

import pytest
from helpers import REPO

from brief.config import load_config
from brief.content.load import ContentMemo, load_articles
from brief.site.index import build_index
from brief.site.relatedmemo import RelatedMemo
from brief.site.suggestions import counts_ahead
from brief.site.terms import TermsAhead, TermTable, count_run, term_stops

NOW = datetime(2026, 12, 1, tzinfo=UTC)
sys.path.insert(0, str(REPO / "benchmarks"))


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from corpus import write_corpus

    root = write_corpus(tmp_path_factory.mktemp("ahead") / "corpus", 240, seed=5)
    drafted = sorted((root / "content").glob("*.md"))[::7]  # drafts are counted ahead, then left out
    for path in drafted:
        path.write_text(path.read_text(encoding="utf-8").replace("---\n", "---\ndraft: true\n", 1), encoding="utf-8")
    return root


def _by_name(table: TermTable, names: dict[str, int], articles) -> dict[str, dict[str, int]]:
    """Each article's counts by term name (ids differ with the order terms were met)."""
    import numpy as np

    by_id = {i: name for name, i in names.items()}
    out = {}
    for article in articles:
        ids, tf = table.rows[article.digest]
        counts = np.frombuffer(tf, dtype=np.uint8 if 4 * len(tf) == len(ids) else np.int32).tolist()
        out[article.slug] = dict(zip((by_id[i] for i in np.frombuffer(ids, dtype=np.int32).tolist()), counts))
    return out


def _lists(site) -> dict[str, tuple]:
    return {
        slug: tuple((item.title, item.url, item.automatic, item.article and item.article.slug) for item in items)
        for slug, items in site.related.items()
    }


def _counter(config, calls: list[int]):
    stops = term_stops(config.related, config.language)

    def counted(missing):
        calls.append(len(missing))
        return [count_run(stops, missing)]

    return counted


@pytest.mark.parametrize("jobs", [1, 2])
def test_counts_made_ahead_are_the_counts_made_after(site, jobs):
    config = load_config(site)
    ahead = TermsAhead.of(config, None)
    assert ahead is not None
    loaded = load_articles(config, ContentMemo(), jobs=jobs, hook=ahead)
    articles = [a for a in loaded.articles if not a.draft]
    assert len(ahead.rows) == len(loaded.articles) > len(articles)  # the drafts too: they were parsed
    calls: list[int] = []
    table, names, *_ = TermTable.build(articles, None, _counter(config, calls), ahead)
    assert calls == []  # nothing read again
    again = load_articles(config, ContentMemo(), jobs=1).articles
    plain, plain_names, *_ = TermTable.build(
        [a for a in again if not a.draft], None, _counter(config, calls := []), None
    )
    assert calls == [len(articles)]
    assert _by_name(table, names, articles) == _by_name(plain, plain_names, articles)


def test_articles_not_counted_ahead_are_counted_then(site):
    config = load_config(site)
    ahead = TermsAhead.of(config, None)
    assert ahead is not None
    articles = load_articles(config, ContentMemo(), jobs=1, hook=ahead).articles
    dropped = {a.relpath for a in articles[::3]}
    for path in dropped:
        del ahead.rows[path]
    calls: list[int] = []
    table, names, *_ = TermTable.build(articles, None, _counter(config, calls), ahead)
    assert calls == [len(dropped)]
    plain, plain_names, *_ = TermTable.build(articles, None, _counter(config, []), None)
    assert _by_name(table, names, articles) == _by_name(plain, plain_names, articles)


def test_counts_made_from_another_table_are_not_taken(site):
    """Counts numbered from one build's table mean nothing with another's: counted again."""
    config = load_config(site)
    articles = load_articles(config, ContentMemo(), jobs=1).articles
    last, *_ = TermTable.build(articles[:50], None, _counter(config, []), None)
    ahead = TermsAhead.of(config, None)  # numbered from no table
    assert ahead is not None
    load_articles(config, ContentMemo(), jobs=1, hook=ahead)
    calls: list[int] = []
    TermTable.build(articles, last, _counter(config, calls), ahead)
    assert calls == [len(articles) - 50]


def test_the_related_lists_are_the_same_with_counts_made_ahead(site):
    config = load_config(site)
    ahead = TermsAhead.of(config, None)
    with_ahead = load_articles(config, ContentMemo(), jobs=2, hook=ahead).articles
    without = load_articles(config, ContentMemo(), jobs=1).articles
    one, _ = build_index(with_ahead, config, drafts=False, future=False, now=NOW, workers=2, ahead=ahead)
    two, _ = build_index(without, config, drafts=False, future=False, now=NOW)
    assert _lists(one) == _lists(two)
    assert sum(len(items) for items in one.related.values()) > len(one.related)  # suggestions were made


def test_counts_are_made_ahead_only_when_this_process_scores(site):
    config = load_config(site)
    assert isinstance(counts_ahead(config, None, background=True), TermsAhead)  # a cold build's own scoring
    none = dataclasses.replace(config, related=dataclasses.replace(config.related, count=0))
    assert counts_ahead(none, None, background=False) is None  # nothing to suggest
    memo = RelatedMemo()
    memo.start(True)
    articles = load_articles(config, ContentMemo()).articles
    build_index(articles, config, drafts=False, future=False, now=NOW, memo=memo)
    assert memo.has_last
    assert counts_ahead(config, memo, background=True) is None  # a cached build's scorer counts what changed
    made = counts_ahead(config, memo, background=False)  # the preview scores in its own process
    assert made is not None and made.names == memo.terms.names
    assert made.vocab == dict(zip(memo.terms.names, range(len(memo.terms.names))))
