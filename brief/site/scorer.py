"""The related scoring of a cached ``brief build`` in a process forked as soon as the build
has loaded its cache.

The process imports numpy and the scoring's modules and reads the last scoring's snapshot
while the build loads and indexes the articles, then waits. As soon as the site index has
put the built articles in order, and some of them are new or edited since the last scoring
(so that it will most likely be asked), it is sent them, by digest: the process takes each
from the cache it was forked with, and only the articles whose term counts the cache lacks
are sent whole. It makes its related index of them while the site index resolves the
related lists as written. When the site index finds that the suggestions must be scored
again (brief.site.suggestions), it asks with what each article wants and lists (and the
articles, when they were not sent before). The process scores them as the build's own
process would, and sends the result back as a forked call does (brief.forks.Pending).

Why not fork when the index asks, as the build did before: the process then spent its
first 0.1 s importing numpy, and after an edit that is scored again widely (a tag that
many articles carry: 2,900 articles of 10,000) the build waited 0.17 s for it. Why the
articles go first: making the index takes the process about 0.12 s at 10,000 articles,
which it no longer spends after the site index has resolved the related lists and digested
what the scoring reads (about 0.07 s more of the build's own).

The answer is used as the forked call's was: a process that lacks an article, cannot be
asked or fails in any way answers nothing, and the build scores itself. One that is not
asked (the suggestions are kept, or the build fails first) is ended.
"""

from __future__ import annotations

import os
import pickle
import weakref
from collections.abc import Callable, Mapping
from contextlib import suppress
from datetime import datetime
from typing import TYPE_CHECKING, Any

from brief.config import Config
from brief.content.model import Article
from brief.forks import Pending, fork_call

if TYPE_CHECKING:
    from brief.content.load import FileResult
    from brief.site.relatedmemo import RelatedMemo
    from brief.site.suggestions import Request, Scored

DIGEST = 16
"""The bytes of an article's digest (brief.digests.digest)."""


class Scorer:
    """The process of :func:`start_scorer`: sent the articles once (:meth:`begin`) or not,
    then asked once, or ended unasked."""

    def __init__(self, running: Pending[Any], request: int) -> None:
        self._running: Pending[Any] | None = running
        self._request = request
        self._begun: tuple[list[Article], int] | None = None
        self._ended = weakref.finalize(self, _close, request)

    def begin(self, built: list[Article], rows: Mapping[bytes, Any], workers: int) -> bool:
        """Send the articles to score, in order, when some of them lack a row in ``rows`` (the
        cache's term counts: new or edited since the last scoring, which is then likely to
        be asked for again) and every one has a digest; the process makes its index of them
        meanwhile. Nothing is sent otherwise (an edit of templates only: the last scoring is
        kept, and the process would make an index for nothing), nor a second time. Whether
        they were sent."""
        if self._running is None or self._begun is not None or any(len(a.digest) != DIGEST for a in built):
            return False
        sent = [a for a in built if a.digest not in rows]
        if not sent:
            return False
        if not self._send((b"".join(a.digest for a in built), sent, workers)):
            self.cancel()
            return False
        self._begun = (built, workers)
        return True

    def ask(self, request: Request) -> Pending[Scored] | None:
        """Ask for the scoring of ``request.built`` (brief.site.suggestions): the call that
        waits for its result, None when it cannot be asked (then nothing runs)."""
        running, self._running = self._running, None
        built = request.built
        begun, self._begun = self._begun, None
        if running is None or any(len(a.digest) != DIGEST for a in built):
            self.cancel(running)
            return None
        if begun is None:
            sent = [a for a in built if a.digest not in request.rows]  # (the ones the cache it has lacks)
            if not self._send((b"".join(a.digest for a in built), sent, request.workers)):
                self.cancel(running)
                return None
        elif begun[0] is not built or begun[1] != request.workers:  # (not what it is making its index of)
            self.cancel(running)
            return None
        if not self._send((request.wanted, request.listed)):
            self.cancel(running)
            return None
        self._ended()
        return running

    def cancel(self, running: Pending[Any] | None = None) -> None:
        """End the process unasked (when the build needs no scoring, or fails)."""
        for pending in (running, self._running):
            if pending is not None:
                pending.cancel()
        self._running = None
        self._ended()

    def _send(self, message: tuple) -> bool:
        """Write one message to the process (its size, then its pickle); False when it cannot
        be written (the process has ended)."""
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            view = memoryview(len(data).to_bytes(8, "little") + data)  # (read to its size, not to the pipe's end)
            while view:
                view = view[os.write(self._request, view) :]
        except OSError:
            return False
        return True


Files = Mapping[bytes, tuple["FileResult", tuple[str, ...]]]
"""The cache's articles by digest (brief.content.load.ContentMemo.articles)."""


def start_scorer(memo: RelatedMemo, files: Files, config: Config, now: datetime) -> Scorer | None:
    """Start the process for the build of ``config`` at ``now`` with the cache just loaded (its
    related ``memo`` and its ``files``); None when the memo keeps no scoring (everything would
    be scored: a process is then forked when asked, as before) or none could be forked."""
    if not memo.has_last:
        return None
    read, write = os.pipe()
    running = fork_call(_serving(memo, files, config, now, read, write))
    os.close(read)
    if running is None:
        os.close(write)
        return None
    return Scorer(running, write)


def _close(fd: int) -> None:
    with suppress(OSError):
        os.close(fd)


# --- in the process --------------------------------------------------------------------------


def _serving(
    memo: RelatedMemo, files: Files, config: Config, now: datetime, read: int, write: int
) -> Callable[[], Scored | None]:
    def serve() -> Scored | None:
        os.close(write)  # (the build's end of the request)
        from brief.site import related, rescoring  # noqa: F401 - imported now, before asked (numpy with them)
        from brief.site.suggestions import score_rows, scoring_index

        if memo.last is None:  # (read now, before asked)
            return None
        found = (row[0][0] for row in files.values())  # (a file's outcome: its article, …)
        by_digest = {doc.digest: doc for doc in found if isinstance(doc, Article)}
        messages = _Messages(read)
        first = messages.next()
        if first is None:
            return None  # (ended unasked)
        digests, sent, workers = pickle.loads(first)  # (from the build itself)
        given = {a.digest: a for a in sent}
        built = []
        for at in range(0, len(digests), DIGEST):
            digest = digests[at : at + DIGEST]
            article = given.get(digest) or by_digest.get(digest)
            if not isinstance(article, Article) or article.digest != digest:
                return None
            built.append(article)
        index = scoring_index(built, config, now, memo, workers)  # (before asked, when sent ahead)
        second = messages.next()
        if second is None:
            return None
        wanted, listed = pickle.loads(second)
        return score_rows(built, config, now, memo, workers, wanted, listed, index)

    return serve


class _Messages:
    """The messages of the request pipe, each read to the size it starts with (a process
    forked from the build meanwhile may hold the pipe's other end open, and a read may take
    the start of the next message with the end of one)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._data = bytearray()

    def next(self) -> bytes | None:
        """The next message; None when the pipe ends before it is whole."""
        data = self._data
        size = None
        while size is None or len(data) < 8 + size:
            if size is None and len(data) >= 8:
                size = int.from_bytes(data[:8], "little")
                continue
            chunk = os.read(self._fd, 1 << 20)
            if not chunk:
                return None
            data += chunk
        message = bytes(data[8 : 8 + size])
        del data[: 8 + size]
        return message
