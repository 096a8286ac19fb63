"""The site index's automatic related suggestions: kept, scored again for what an edit moved,
or scored in full (brief.site.related, brief.site.rescoring), in this process or a forked one.

In: the built articles in order, their related lists as written, the settings, the build's
time and the build cache's memo. Out: the lists filled up to ``related.count``.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from brief.config import Config
from brief.content.model import Article
from brief.digests import digest
from brief.forks import fork_call
from brief.frozen import maker
from brief.site.model import RelatedItem
from brief.site.relatedmemo import RelatedMemo
from brief.site.terms import TermsAhead, TermTable

if TYPE_CHECKING:
    from brief.forks import Pending
    from brief.site.related import RelatedIndex
    from brief.site.rescoring import Snapshot


class Request(NamedTuple):
    """What a process started to score is asked with: the built articles in order, the
    workers it may use, what each article wants and lists, the term counts of the cache."""

    built: list[Article]
    workers: int
    wanted: list[int]
    listed: list[tuple[str, ...]]
    rows: dict[bytes, Any]


class Scorer(Protocol):
    """A process started to score the suggestions, if asked (brief.site.scorer)."""

    def begin(self, built: list[Article], rows: dict[bytes, Any], workers: int) -> bool: ...

    def ask(self, request: Request) -> Pending[Scored] | None: ...

    def cancel(self) -> None: ...


def counts_ahead(config: Config, memo: RelatedMemo | None, background: bool) -> TermsAhead | None:
    """The term counts to make while the files are read, for a :func:`suggest` with the same
    arguments: None when it would score in another process (a cached build's, after an edit:
    that process counts what the edit changed itself) or there is nothing to suggest."""
    if background and memo is not None and memo.has_last:
        return None
    return TermsAhead.of(config, memo.terms if memo is not None else None)


def begin_scoring(
    built: list[Article], config: Config, memo: RelatedMemo | None, workers: int, scorer: Scorer | None
) -> None:
    """Send ``scorer`` the articles of a :func:`suggest` with the same arguments that it is
    likely to ask to score (some of them new or edited), so that it makes its index of them
    while the caller resolves the related lists :func:`suggest` takes."""
    if scorer is not None and memo is not None and memo.has_last and config.related.count > 0:
        scorer.begin(built, memo.term_rows, workers)


def suggest(
    built: list[Article],
    related: dict[str, tuple[RelatedItem, ...]],
    config: Config,
    now: datetime,
    memo: RelatedMemo | None = None,
    workers: int = 1,
    background: bool = False,
    scorer: Scorer | None = None,
    ahead: TermsAhead | None = None,
) -> Callable[[], None] | None:
    """Fill each article's related list up to ``related.count`` with automatic suggestions.

    With a memo, the suggestions of the previous build are kept when every input is the
    same: the articles (by digest, in order), what each already lists, the options and the day.
    Else, in ``background``, a cached build's scoring runs in another process (the site's
    other pages and the Markdown meanwhile take 0.15 s of a one-edit build of 10,000
    articles, about what the scoring takes): the ``scorer`` started for it (brief.site.scorer),
    else a forked one. Returns the call that waits for it and fills the lists (None when
    they are filled already). ``ahead``: term counts made as the files were read
    (:func:`counts_ahead`)."""
    try:
        return _suggest(built, related, config, now, memo, workers, background, scorer, ahead)
    finally:
        if scorer is not None:
            scorer.cancel()  # (unless asked: ended now, not at the build's end)


def _suggest(
    built: list[Article],
    related: dict[str, tuple[RelatedItem, ...]],
    config: Config,
    now: datetime,
    memo: RelatedMemo | None,
    workers: int,
    background: bool,
    scorer: Scorer | None,
    ahead: TermsAhead | None,
) -> Callable[[], None] | None:
    count = config.related.count
    wanted = [max(0, count - len(related[a.slug])) for a in built]
    if not any(wanted):
        return None
    listed = [tuple(item.article.slug for item in related[a.slug] if item.article is not None) for a in built]
    key = None
    if memo is not None and all(a.digest for a in built):
        day = now.astimezone(UTC).date().isoformat()
        key = digest(repr((config.related, config.language, day, wanted, listed)), *(a.digest for a in built))
    if key is not None and memo is not None and memo.chosen == key and memo.has_last:
        last = memo.last
        assert last is not None
        _fill(built, related, config, last.picked())  # (the last scoring's picks: its inputs are all the same)
        return None
    score = partial(_score, built, config, now, memo, workers, wanted, listed, ahead)
    rows = memo.term_rows if memo is not None else {}  # (what the process need not send back)
    running = None
    if background and memo is not None and memo.has_last:
        running = scorer.ask(Request(built, workers, wanted, listed, rows)) if scorer is not None else None
        running = running or fork_call(partial(_new_rows, score, rows))
    if running is None:
        _fill(built, related, config, _remember(memo, key, score()))
        return None

    def finish() -> None:
        assert running is not None
        sent = running.result()
        _fill(built, related, config, _remember(memo, key, score() if sent is None else _all_rows(sent, built, rows)))

    return finish


Scored = tuple[list[list[int]], TermTable | None, "Snapshot | bytes | None"]
"""A scoring's picks (positions, for each article), its term table (None: some article has
no digest) and its snapshot (None without a memo; pickled, as another process sends it)."""


def scoring_index(
    built: list[Article],
    config: Config,
    now: datetime,
    memo: RelatedMemo | None,
    workers: int,
    ahead: TermsAhead | None = None,
) -> RelatedIndex:
    """The related index :func:`_score` scores ``built`` with (brief.site.related): made from
    the term counts of ``memo`` where it has them."""
    from brief.site.related import RelatedIndex
    from brief.site.rescoring import key_terms_of

    last = memo.terms if memo else None
    previous = key_terms_of(memo.last, built) if memo is not None and memo.last is not None else None
    return RelatedIndex(built, config.related, config.language, now, last, workers, previous, ahead)


def _score(
    built: list[Article],
    config: Config,
    now: datetime,
    memo: RelatedMemo | None,
    workers: int,
    wanted: list[int],
    listed: list[tuple[str, ...]],
    ahead: TermsAhead | None = None,
    index: RelatedIndex | None = None,
) -> Scored:
    """The suggestions of :func:`suggest` scored, only for the articles an edit can move
    when ``memo`` has the last scoring (brief.site.rescoring). Reads ``memo``, changes nothing.
    (The scoring's modules, and numpy with them, are imported here: a cached build scores in
    another process, and its own process never needs them.) ``index``: the
    :func:`scoring_index` of the same arguments, made before."""
    from brief.site.rescoring import take, to_score

    if index is None:
        index = scoring_index(built, config, now, memo, workers, ahead)
    exclude = [{index.position[slug] for slug in slugs} for slugs in listed]
    setting = repr((config.related, config.language, now.astimezone(UTC).date().isoformat()))
    docs = to_score(index, memo.last, setting, wanted, exclude) if memo is not None and memo.last else None
    if docs is None:
        all_picks = index.suggest_all(wanted, exclude, workers)
    else:
        assert memo is not None and memo.last is not None
        all_picks = memo.last.picked()
        for i, rescored in index.suggest_some(docs, wanted, exclude).items():
            all_picks[i] = rescored
    table = index.terms if all(a.digest for a in built) else None
    snapshot = take(index, setting, wanted, exclude, all_picks) if memo is not None else None
    return all_picks, table, snapshot


def score_rows(
    built: list[Article],
    config: Config,
    now: datetime,
    memo: RelatedMemo,
    workers: int,
    wanted: list[int],
    listed: list[tuple[str, ...]],
    index: RelatedIndex | None = None,
) -> Scored:
    """The scoring of :func:`suggest`, as another process sends it back (:func:`_new_rows`):
    a process forked when asked, or brief.site.scorer's, forked with the cache that ``memo``
    is part of. ``index``: the :func:`scoring_index` of the same arguments, made before."""
    return _new_rows(partial(_score, built, config, now, memo, workers, wanted, listed, None, index), memo.term_rows)


def _new_rows(score: Callable[[], Scored], rows: dict[bytes, tuple[bytes, bytes]]) -> Scored:
    """``score()``, its term table holding only the rows that are not the very ones of
    ``rows`` and its snapshot pickled (in a forked process: the rest is what its parent has,
    which keeps the snapshot as it comes, never unpickling its numpy arrays)."""
    all_picks, table, snapshot = score()
    if table is not None:
        table = TermTable(table.names, {d: row for d, row in table.rows.items() if rows.get(d) is not row})
    if snapshot is not None:
        snapshot = pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL)
    return all_picks, table, snapshot


def _all_rows(sent: Scored, built: list[Article], rows: dict[bytes, tuple[bytes, bytes]]) -> Scored:
    """What :func:`_new_rows` sent, its term table whole again: a row for each article, in
    order (a table is made only when every article has a digest), the new ones or ``rows``'."""
    all_picks, table, snapshot = sent
    if table is not None:
        new = table.rows
        table = TermTable(table.names, {a.digest: new.get(a.digest) or rows[a.digest] for a in built})
    return all_picks, table, snapshot


def _remember(memo: RelatedMemo | None, key: bytes | None, scored: Scored) -> list[list[int]]:
    """Keep a scoring in ``memo`` (with ``key``, the digest of its inputs); returns its picks."""
    all_picks, table, snapshot = scored
    if memo is not None:
        memo.terms, memo.last = table, snapshot
        memo.chosen = key  # (None: these inputs have no key, and the last picks are kept by none)
    return all_picks


def _fill(
    built: list[Article], related: dict[str, tuple[RelatedItem, ...]], config: Config, all_picks: list[list[int]]
) -> None:
    """Add each article's picks (positions in ``built``) to its related list."""
    suggested: list[RelatedItem | None] = [None] * len(built)  # one (frozen) entry per article, however many list it

    def entry(i: int) -> RelatedItem:
        found = suggested[i]
        if found is None:
            other = built[i]
            url = config.base_path + other.url_path.lstrip("/")
            found = suggested[i] = _related_item(other.title, url, False, None, other, True)  # (external, domain, …)
        return found

    for article, picks in zip(built, all_picks):
        if picks:
            related[article.slug] += tuple(map(entry, picks))


_related_item = maker(RelatedItem)  # (one per article suggested: 10,000 at 10,000 articles, brief.frozen)
