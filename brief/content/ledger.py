"""The URL ledger: ``published-urls.txt`` beside brief.toml, every article URL ever published.

A plain, sorted UTF-8 text file with LF line endings, meant to be committed with the
content, so that a URL the site once served is never forgotten. One line per URL and
the file that published it::

    /2024/01/grid-batteries/ content/grid.md 2024-01-15T08:30:00Z Batteries Carry the Grid

site path (without the base path), source file (relative to the site folder; a space or
``%`` in its name written ``%20`` / ``%25``), optionally ``withdrawn`` (written by an
editor: the article was taken down for good), then the publication time in UTC and the
headline when the line was added (used only to recognise a renamed file). Lines starting
with ``#`` are comments; brief writes its own header and keeps no others.

``brief build`` reads it first (:func:`read_ledger`) and, after a successful build,
records this build's article URLs (:func:`write_ledger`): lines are only ever added, so
when a URL changes the file changes by one line. What the ledger calls for (redirects from
old URLs, warnings for deleted articles) is decided in brief.site.redirects.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

from brief.content.aliases import alias_path
from brief.content.model import Article
from brief.digests import RACY_SECONDS, fast_pickle
from brief.errors import BriefError, Problem, did_you_mean
from brief.theme import TEXT_LIMIT, InputError, read_input

LEDGER_NAME = "published-urls.txt"
WITHDRAWN = "withdrawn"
HEADER = f"""\
# brief's URL ledger: every article URL this site has published, so that none is ever lost.
# brief build adds a line for each new URL and never removes one: commit this file with the content.
# A line: <site path> <source file> [{WITHDRAWN}] <published, UTC> <headline when first published>
# When an article's URL changes, brief redirects its old URLs here to the new one; when its file is
# gone, brief build warns (published-url-gone) unless you write "{WITHDRAWN}" after the file name.
"""
FIRST_LINE = HEADER.count("\n") + 1
"""The line of the first entry of a ledger as brief writes it (:func:`format_ledger`)."""
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_ENCODE = re.compile(r"[\x00-\x20\x7f%]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the ledger: a URL the site published, and from which file."""

    path: str
    """Site path without the base path: ``/2024/01/grid-batteries/``."""
    source: str
    """The article's file relative to the site folder (``content/grid.md``)."""
    withdrawn: bool = False
    """Marked by an editor: the article was taken down for good (no warning when its file is gone)."""
    date: str | None = None
    """Publication time in UTC (``2024-01-15T08:30:00Z``) when the line was added."""
    title: str | None = None
    """Headline when the line was added."""
    line: int | None = None
    """Line in the ledger file (None for a line this build adds)."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.path, self.source)


fast_pickle(Entry)  # (the build cache keeps the ledger's lines with the redirect plan)


def ledger_file(root: Path) -> Path:
    return root / LEDGER_NAME


def read_ledger(root: Path) -> tuple[list[Entry] | None, list[Problem]]:
    """The ledger's entries (none when there is no ledger yet; None when it cannot be read)
    and a problem for each malformed line, on the ledger's file and line."""
    path = ledger_file(root)
    try:
        text = read_input(path, TEXT_LIMIT).decode("utf-8-sig")  # never waits on a FIFO
    except FileNotFoundError:
        return [], []
    except (OSError, UnicodeDecodeError) as exc:
        why = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        if isinstance(exc, OSError) and not isinstance(exc, InputError):
            why = exc.strerror or why
        return None, [
            Problem(LEDGER_NAME, None, None, f"cannot read the URL ledger: {why} (expected a UTF-8 text file)")
        ]
    entries: list[Entry] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        entry, reason = _parse(line, number)
        if entry is None:
            problems.append(Problem(LEDGER_NAME, number, None, reason))
        else:
            entries.append(entry)
    return entries, problems


_EXAMPLE = "/2024/01/grid-batteries/ content/grid.md 2024-01-15T08:30:00Z Batteries Carry the Grid"


_NO_NAMES = frozenset(("", ".", ".."))
"""Names a file's path in the ledger cannot have."""


def _parse(line: str, number: int) -> tuple[Entry | None, str]:
    """The entry of one line, or None and what is wrong with it (with what was expected)."""
    expected = f" (expected e.g. '{_EXAMPLE}')"
    parts = line.split(maxsplit=2)
    if len(parts) < 2:
        return None, f"'{line}' has no source file after the site path{expected}"
    path, source = unquote(parts[0]), unquote(parts[1])
    if not path.startswith("/"):
        return None, f"'{path}' is not a site path{expected}"
    reason = alias_path(path)[1]  # an old URL is redirected as an alias is
    if reason is not None:
        return None, f"'{path}' {reason}"
    if not source.endswith(".md") or source.startswith("/") or not _NO_NAMES.isdisjoint(source.split("/")):
        return None, f"'{parts[1]}' is not an article file relative to the site folder{expected}"
    rest = parts[2].split(maxsplit=1) if len(parts) > 2 else []
    withdrawn = bool(rest) and rest[0] == WITHDRAWN
    if withdrawn:
        rest = rest[1].split(maxsplit=1) if len(rest) > 1 else []
    if not rest:
        return Entry(path, source, withdrawn, None, None, number), ""
    if not _DATE.fullmatch(rest[0]) or _utc(rest[0]) is None:
        hint = did_you_mean(rest[0], [WITHDRAWN])
        return None, f"'{rest[0]}' is neither '{WITHDRAWN}' nor a time such as 2024-01-15T08:30:00Z{hint}{expected}"
    title = " ".join(rest[1].split()) if len(rest) > 1 else None
    return Entry(path, source, withdrawn, rest[0], title, number), ""


def _utc(text: str) -> datetime | None:
    try:  # the shape is checked by _DATE; this finds 2024-02-30 (and is much faster than strptime)
        return datetime.fromisoformat(text.removesuffix("Z"))
    except ValueError:
        return None


def entry_of(article: Article) -> Entry:
    """The line that records ``article`` at its current URL."""
    return Entry(article.url_path, article.relpath, False, published(article), " ".join(article.title.split()))


def published(article: Article) -> str:
    """The article's publication time as the ledger writes it (UTC, to the second)."""
    return article.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def merged(entries: Iterable[Entry], added: Iterable[Entry]) -> list[Entry]:
    """The ledger after this build: every line it had (one per URL and file; ``withdrawn``
    kept when any copy has it) and the ``added`` ones it lacked, sorted."""
    out: dict[tuple[str, str], Entry] = {}
    for entry in [*entries, *added]:
        known = out.get(entry.key)
        if known is None:  # (Entry(...), not dataclasses.replace: a third of the time of this loop)
            out[entry.key] = Entry(entry.path, entry.source, entry.withdrawn, entry.date, entry.title)
        elif entry.withdrawn and not known.withdrawn:
            out[entry.key] = replace(known, withdrawn=True)
    return sorted(out.values(), key=lambda e: (e.path, e.source))


def format_ledger(entries: Iterable[Entry]) -> bytes:
    """The ledger's bytes (UTF-8): the header, then one line per entry in the order given.
    Each line is encoded as it is made and the lines are joined once, with no text of the
    whole ledger in between (at 100,000 articles the ledger is written at the build's peak
    memory: with the page plans let go first, about 10 MB lower, brief.build)."""
    lines = [HEADER.encode("utf-8")]
    for e in entries:
        fields = [_encode(e.path), _encode(e.source)]
        if e.withdrawn:
            fields.append(WITHDRAWN)
        if e.date:
            fields.append(e.date)
            if e.title:
                fields.append(_one_line(e.title))
        lines.append(f"{' '.join(fields)}\n".encode())
    return b"".join(lines)


def write_ledger(root: Path, entries: list[Entry], started: datetime | None = None) -> bool:
    """Write the ledger (atomically) when its text changes; True when it did. Raises
    :class:`BriefError` when the file cannot be written.

    The file is dated a little before ``started`` (when the build began; the clock's time
    when that is later, as for a build made "as of" a moment ahead): brief wrote it after
    reading every input, and a file changed during a build, or dated after it, is not trusted
    by the next build's "up to date" check (brief.manifest), which would then build again."""
    return write_ledger_data(root, format_ledger(entries), started)


def write_ledger_data(root: Path, data: bytes, started: datetime | None = None) -> bool:
    """:func:`write_ledger` of the ledger's bytes (:func:`format_ledger`)."""
    path = ledger_file(root)
    mode = 0o644
    try:
        info = path.stat()
        if info.st_size == len(data) and path.read_bytes() == data:
            return False
        mode = info.st_mode & 0o777
    except OSError:
        pass
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{LEDGER_NAME}.", dir=root)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
        tmp = None
        if started is not None:
            dated = min(started.timestamp(), time.time()) - RACY_SECONDS - 1
            os.utime(path, (dated, dated))
    except OSError as exc:
        raise BriefError(
            f"the site was built, but {LEDGER_NAME} could not be updated: {exc.strerror or exc} "
            f"(expected a writable file beside brief.toml; the next build tries again)"
        ) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return True


def _encode(text: str) -> str:
    return _ENCODE.sub(lambda m: f"%{ord(m.group()):02X}", text)


def _one_line(text: str) -> str:
    if not text.isprintable():  # (rare: a headline with a control character; checked char by char)
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return " ".join(text.split())
