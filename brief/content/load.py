"""Stages 1–2 for every article file: find, read, split, parse and validate.

In: the config (``content/``). Out: :class:`Loaded`, the valid articles, every
problem of every file, and the failed files' likely slugs. With the build cache's
:class:`ContentMemo`, a file whose bytes are unchanged (and whose hero image is
still there) keeps its validated article without being parsed again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from brief.config import Config
from brief.content.authors import AUTHORS_FOLDER
from brief.content.files import body_of, discover, load
from brief.content.model import Article, Page
from brief.content.pages import validate_content
from brief.digests import RACY_SECONDS, digest, file_stamp
from brief.errors import Problem, errors_in, relpath
from brief.forks import cores, fork_iter
from brief.memo import Memo
from brief.slugs import slugify
from brief.theme import TEXT_LIMIT, read_input

FileResult = tuple[Article | Page | None, list[Problem], str | None]
"""One file's outcome: its article or page (or None), its problems, a failed file's likely slug."""


@dataclass
class ContentMemo(Memo):
    """This stage's part of the build cache (saved with it): the digest of each article
    file's bytes by its stamp, and each file's validated article by its path and bytes."""

    stamps: dict[str, tuple[tuple[int, int, int], bytes, float]] = field(default_factory=dict)
    """Source path → (stamp, its key in :attr:`articles`: the digest of its path and bytes,
    when the bytes were read)."""
    articles: dict[bytes, tuple[FileResult, tuple[str, ...]]] = field(default_factory=dict)
    """Digest of (path, bytes) → the file's outcome and the files it depends on (its hero image)."""
    used: set[bytes] = field(default_factory=set)
    """Keys of ``articles`` this build used; the rest is dropped at the end of the build."""

    def clear(self) -> None:
        self.articles.clear()  # a file's stamp and digest hold whatever the settings

    def known_keys(
        self, paths: Sequence[Path], stamps: Mapping[str, tuple[int, int, int]] | None = None
    ) -> list[bytes | None]:
        """The key of each source file of ``paths`` (the digest of its path and bytes) without
        reading it: the one noted with its stamp, while the file keeps that stamp and the stamp
        is old enough to be trusted; else None (the file is read, and its key noted by
        :meth:`note`). ``stamps``: the files' stamps as the build took them before reading any
        (the cache records those), else a ``stat`` here. In one loop: a build after an edit
        asks it of every file (10,000 files took 28 ms one call each)."""
        known_of, stamp_of = self.stamps.get, stamps.get if stamps is not None else None
        keys: list[bytes | None] = []
        for path in paths:
            name = str(path)
            known = known_of(name)
            if known is None:  # (a file the memo has not seen needs no stat)
                keys.append(None)
                continue
            stamp = (stamp_of(name) if stamp_of is not None else None) or file_stamp(path)
            trusted = stamp is not None and known[0] == stamp and known[2] - stamp[0] / 1e9 > RACY_SECONDS
            keys.append(known[1] if trusted else None)
        return keys

    def note(self, path: Path, stamp: tuple[int, int, int] | None, key: bytes | None, at: float) -> None:
        """Remember the ``key`` of ``path`` (the digest of its path and bytes) as read at time
        ``at``, the file having had ``stamp`` before it was read (no stamp or no key: forget
        the file)."""
        if stamp is None or key is None:
            self.stamps.pop(str(path), None)
        else:
            self.stamps[str(path)] = (stamp, key, at)

    def kept(self, key: bytes) -> FileResult | None:
        """The outcome kept under ``key`` (a file's path and bytes), while the files it
        depends on (its hero image) are still there."""
        entry = self.articles.get(key)
        if entry is not None and (not entry[1] or all((file_stamp(Path(dep)) is not None) for dep in entry[1])):
            return entry[0]
        return None

    def forget(self, path: Path) -> None:
        """Drop what is known of one file's stamp (a watcher saw it change)."""
        self.stamps.pop(str(path), None)

    def prune(self) -> None:
        for key in self.articles.keys() - self.used:
            del self.articles[key]

    def files(self) -> Iterator[str]:
        """Files outside ``content/`` that the kept articles depend on."""
        for _, deps in self.articles.values():
            yield from deps


@dataclass(frozen=True, slots=True)
class FailedBody:
    """The body of a file whose front matter failed: checked all the same, so that its
    problems come in the same run as the front matter's."""

    path: Path
    relpath: str
    body: str
    line: int
    """Line of the file on which the body starts."""
    slug: str


@dataclass
class Loaded:
    """Stages 1–2 for every file."""

    articles: list[Article]
    """The valid articles."""
    problems: list[Problem]
    """Every problem of every file."""
    invalid: dict[Path, str]
    """Files that failed, with their likely slug: references to them are not
    reported again as "missing" (their own errors already are)."""
    pages: list[Page] = field(default_factory=list)
    """The valid standalone pages (brief.content.pages)."""
    failed: list[FailedBody] = field(default_factory=list)
    """The bodies of the files that failed, to check on their own."""


class RunHook(Protocol):
    """More made of the articles while they are parsed (the related terms' counts,
    brief.site.terms.TermsAhead): in the process that parsed a run of them, with their bodies."""

    def make(self, articles: list[Article]) -> Any:
        """What is made of a run of articles (valid ones, in file order), in the process that
        parsed them (a forked one: the result is sent back pickled)."""
        ...

    def take(self, relpaths: tuple[str, ...], made: Any) -> None:
        """Take what :meth:`make` made of the articles with ``relpaths``, in the process that
        loads: run after run, in file order."""
        ...


PARALLEL_MIN_FILES = 500
"""From this many files to parse, ``brief build`` reads them on every core (brief.forks)."""
CHUNK = 200


def load_articles(
    config: Config,
    memo: ContentMemo | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    jobs: int | None = 1,
    stamps: Mapping[str, tuple[int, int, int]] | None = None,
    hook: RunHook | None = None,
) -> Loaded:
    """Stages 1–2 for every article file. With a cache, a file whose bytes are unchanged
    (and whose hero image is still there) keeps its validated article; ``stamps`` are the
    files' stamps taken before the build read any (brief.cache), else each file is stat'ed.
    The files left to parse are parsed by ``jobs`` forked processes (None: every core when
    there are many); the result is the same, in the same order, whatever the number.
    ``hook`` is given each run of the articles parsed (valid ones, in file order) in the
    process that parsed them, while their bodies are in hand, then what it made of the run
    here, run after run in file order."""
    loaded = Loaded([], [], {})
    paths = list(discover(config.content_dir, config.root, skip=(AUTHORS_FOLDER,), notes=loaded.problems))
    results: list[FileResult | None] = [None] * len(paths)
    todo: list[tuple[int, bytes | None]] = []  # (index, memo key when the file's digest is known)
    keys = memo.known_keys(paths, stamps) if memo is not None else [None] * len(paths)
    for n, key in enumerate(keys):
        if key is None:
            todo.append((n, None))  # read, hashed (with a memo) and parsed by a worker
            continue
        assert memo is not None
        memo.used.add(key)
        entry = memo.kept(key)
        if entry is not None:
            results[n] = entry
        else:
            todo.append((n, key))

    if jobs is None:
        workers = cores() if len(todo) >= PARALLEL_MIN_FILES else 1
    else:
        workers = max(1, jobs)
    chunk = max(1, min(CHUNK, len(todo) // (workers * 4)))  # a few runs per worker, to balance them
    runs = [todo[lo : lo + chunk] for lo in range(0, len(todo), chunk)]

    def done(finished: int) -> None:  # (runs: all of ``chunk`` files but the last)
        if progress is not None:
            progress("Reading articles", len(paths) - len(todo) + min(len(todo), finished * chunk), len(paths))

    folders: dict[str, str] = {}  # each folder's resolved path, for this call only (links may change)
    parsed = fork_iter(partial(_parse_run, paths, config, memo, folders, hook), runs, workers, 1, done)
    for run, (outcomes, made) in zip(runs, parsed):
        for (n, known_key), (outcome, read) in zip(run, outcomes):
            if memo is not None:
                memo_key = known_key
                if read is not None:  # read by the worker: its digest is noted now
                    stamp, memo_key, at = read
                    memo.note(paths[n], stamp, memo_key, at)
                if memo_key is not None:
                    memo.used.add(memo_key)
                    outcome = memo.kept(memo_key) if outcome is None else _remember(outcome, memo_key, memo)
            assert outcome is not None
            results[n] = outcome
        if made is not None and hook is not None:
            hook.take(*made)
    for path, result in zip(paths, results):
        assert result is not None
        _add(loaded, path, result, config)
    if progress is not None and not todo and paths:
        progress("Reading articles", len(paths), len(paths))
    return loaded


Parsed = tuple[FileResult | None, tuple[tuple[int, int, int] | None, bytes | None, float] | None]
"""What :func:`_parse` tells of one file."""


def _parse_run(
    paths: list[Path],
    config: Config,
    memo: ContentMemo | None,
    folders: dict[str, str],
    hook: RunHook | None,
    run: list[tuple[int, bytes | None]],
) -> tuple[list[Parsed], tuple[tuple[str, ...], Any] | None]:
    """:func:`_parse` of each file of ``run``, and what ``hook`` makes of the valid articles
    among them, with their ``relpath`` (None without a hook or without any)."""
    outcomes = [_parse(paths, config, memo, folders, job) for job in run]
    if hook is None:
        return outcomes, None
    made = [outcome[0][0] for outcome in outcomes if outcome[0] is not None and isinstance(outcome[0][0], Article)]
    return outcomes, ((tuple(a.relpath for a in made), hook.make(made)) if made else None)


def _parse(
    paths: list[Path],
    config: Config,
    memo: ContentMemo | None,
    folders: dict[str, str],
    job: tuple[int, bytes | None],
) -> Parsed:
    """One file's outcome. With a memo and no key for the file, also its stamp before it was
    read, its key in the memo (the digest of its path and bytes; None when it cannot be read)
    and when it was read; and no outcome when the memo holds the file's bytes already (a file
    touched but not changed)."""
    path = paths[job[0]]
    if memo is None or job[1] is not None:
        return _load_one(path, config, folders, key=job[1] or b""), None
    stamp = file_stamp(path)
    try:
        data = read_input(path, TEXT_LIMIT)
    except OSError:  # InputError too: loading the file reports why
        return _load_one(path, config, folders), (stamp, None, 0.0)
    key = digest(str(path), digest(data))
    if memo.kept(key) is not None:
        return None, (stamp, key, time.time())
    return _load_one(path, config, folders, data, key), (stamp, key, time.time())


def _remember(result: FileResult, key: bytes, memo: ContentMemo) -> FileResult:
    """Keep a parsed file's outcome in the memo (under ``key``: its path and bytes)."""
    article, found, invalid_slug = result
    if article is not None:
        if article.digest != key:  # the worker digests the file as it reads it: this is a safety net
            article = replace(article, digest=key)
        if not errors_in(found):  # a file with errors is checked again next time
            image = article.image if isinstance(article, Article) else None
            deps = (str(image.source),) if image is not None and image.source is not None else ()
            memo.articles[key] = ((article, found, None), deps)
    return article, found, invalid_slug


def _add(loaded: Loaded, path: Path, result: FileResult, config: Config) -> None:
    article, found, invalid_slug = result
    loaded.problems += found
    if isinstance(article, Page):
        loaded.pages.append(article)
    elif article is not None:
        loaded.articles.append(article)
    elif invalid_slug is not None:
        loaded.invalid[path.resolve()] = invalid_slug
        body = body_of(path)
        if body is not None and body[0].strip():
            loaded.failed.append(FailedBody(path, relpath(path, config.root), body[0], body[1], invalid_slug))


def _load_one(
    path: Path, config: Config, folders: dict[str, str], data: bytes | None = None, key: bytes = b""
) -> FileResult:
    """Stages 1–2 for one file: the article or page (or None), its problems, and a failed
    file's likely slug. ``key``: the digest of the file's path and bytes, for the cache."""
    doc = load(path, config.root, data, folders)
    if isinstance(doc, list):
        return None, doc, slugify(path.stem)
    article, found = validate_content(doc, config, digest=key)
    if article is not None:
        return article, found, None
    given = doc.meta.get("slug")
    return None, found, given if isinstance(given, str) else slugify(path.stem)
