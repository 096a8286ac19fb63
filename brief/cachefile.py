"""The build cache on disk (brief.cache): a small signed main file, and the large tables in shards.

``.brief-cache/state.bin`` holds a header (the cache format, brief's and Python's
versions), then a pickle of the index of the shards and a pickle of the cache without
its large tables, then an HMAC-SHA256 of all of it with this user's key (unpickling runs
code: only a signed cache is trusted). Each large table (a row per article or per file)
is split into :data:`SHARDS` shards by a stable hash of each row's key (:func:`shard_of`),
each shard a file of its own in ``.brief-cache/shards/``; the index names each shard
file with its size and SHA-256 digest. A shard is trusted because its digest is in the
signed main file: one missing, truncated or altered makes the whole cache untrusted
(:class:`Unusable`). ``brief build`` has those checks made ahead, by a process of its own
(brief.lookahead): a file it checked is not hashed again here when it is the very file
read (:class:`Checked`).

Saving (:func:`write`) writes only the shards whose rows changed since they were read or
last written (:class:`Stored` remembers each shard's rows as stored), then the main file,
then removes the shard files it no longer names. A shard file is named by its digest
and written under a temporary name first (``os.replace``), so a save cut short before
its main file leaves the previous main file with every shard it names, as it named them.
"""

from __future__ import annotations

import copyreg
import hashlib
import hmac
import io
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from brief.manifest import CACHE_FILE, MAGIC, NotSigned, format_header, signed_start

SHARD_DIR = "shards"
SHARDS = 32
"""Shards per table. With :func:`shard_of`, part of the format: changing either means
raising ``brief.manifest.FORMAT`` (a cache then never mixes two ways of splitting)."""
BATCH = 1000
"""Rows per pickle in a shard file: one pickle of many rows keeps an entry per object in
the pickler's memo until its end (at 100,000 articles, a pickle per table held 380 MB
more while saving, and cost a third of its time). No object is shared between rows, so
nothing is lost by the batches."""


class Unusable(Exception):
    """The cache on disk cannot be trusted or read; the message says why."""


@dataclass(frozen=True, slots=True)
class Shard:
    """One shard file, as the signed main file names it."""

    name: str
    """File name in ``shards/``: the table, the shard's number and the start of its digest."""
    size: int
    digest: bytes
    """SHA-256 of the file's bytes."""


class Checked(Protocol):
    """Checks of the cache's files made ahead (brief.lookahead), each for the file with a stamp
    (``(mtime in ns, size, inode)``): where one is known, reading the file skips it."""

    def signed(self, stamp: tuple[int, int, int]) -> bool:
        """Whether the main file with ``stamp`` was found signed."""
        ...

    def digest(self, name: str, stamp: tuple[int, int, int]) -> bytes | None:
        """The SHA-256 of the shard file ``name`` with ``stamp``, when known."""
        ...


Rows = dict[Any, Any]
Kept = list[tuple[Shard | None, Rows]]
"""A table's shards as stored: for each, its file (None: no rows, no file) and its rows."""


@dataclass
class Stored:
    """What the cache's files hold, kept in memory after reading or writing them."""

    folder: Path
    tables: dict[str, Kept]
    """Table name → each shard's file and rows as stored. The rows are a shallow copy:
    the same key and value objects as the live table's, in a dict of their own."""


def shard_of(key: str | bytes) -> int:
    """The shard of a row with ``key``: the same in every process (never ``hash()``). A CRC
    spreads paths and digests evenly enough, at a quarter of a cryptographic hash's cost."""
    data = key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key
    return zlib.crc32(data) % SHARDS


# --- writing --------------------------------------------------------------------------------

_STORED: dict[type, Callable[[Any], tuple]] = {}
"""How objects of some classes are written in the shards (:func:`store_as`)."""


def store_as(cls: type, reduce: Callable[[Any], tuple]) -> None:
    """Write the objects of ``cls`` in the shards as ``reduce(obj)`` (a pickle reduce value)
    says, not as they pickle elsewhere: a form that is cheap to read back for rows a build
    may not need whole (brief.render.articles packs the HTML of an article's parts)."""
    _STORED[cls] = reduce


def _dump(value: object, out: _HashingWriter) -> None:
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    if _STORED:
        pickler.dispatch_table = {**copyreg.dispatch_table, **_STORED}  # (consulted in C, by type)
    pickler.dump(value)


def write(folder: Path, key: bytes, main: object, tables: dict[str, Rows], stored: Stored | None) -> Stored:
    """Save ``main`` (pickled) and ``tables`` in ``folder``; ``stored`` is what the files
    there held (from :func:`read_tables` or the last :func:`write`), to write only the
    shards that changed since. Returns what they hold now. Raises OSError (the files
    named by the previous main file are then all still there)."""
    shard_dir = folder / SHARD_DIR
    shard_dir.mkdir(exist_ok=True)
    before = stored.tables if stored is not None and stored.folder == folder else {}
    now: dict[str, Kept] = {}
    for name, table in tables.items():
        old = before.get(name)
        split = _split(table) if old is None else _resplit(table, old)
        now[name] = [
            _keep_or_write(shard_dir, f"{name}-{i:02d}", rows, old[i] if old is not None else None)
            for i, rows in enumerate(split)
        ]
    index = {name: [shard for shard, _ in kept] for name, kept in now.items()}
    write_signed(folder, ".state-", CACHE_FILE, key, index, main)  # after the shards it names
    named = {shard.name for shards in index.values() for shard in shards if shard is not None}
    try:
        for path in shard_dir.iterdir():  # a crashed save's shards and temporary files too
            if path.name not in named:
                path.unlink(missing_ok=True)
    except OSError:
        pass  # costs only room on disk: the next save tries again
    return Stored(folder, now)


def write_signed(folder: Path, prefix: str, final: str, key: bytes, *objects: object) -> None:
    """Write ``objects`` pickled to ``folder``/``final`` (a temporary file from ``prefix``, renamed)
    after this version's header, signed with ``key`` (an HMAC-SHA256 at the end), straight into
    the file, never whole in memory (100,000 articles: a 14 MB manifest). Raises OSError."""

    def fill(out: _HashingWriter) -> None:
        header = format_header()
        out.write(MAGIC + len(header).to_bytes(4, "little") + header)
        signed = _HashingWriter(out, hmac.new(key, header, "sha256"))
        for value in objects:
            pickle.dump(value, signed, protocol=pickle.HIGHEST_PROTOCOL)
        out.write(signed.hash.digest())

    _atomic(folder, prefix, fill, lambda _: final, hashed=False)


def _split(table: Rows) -> list[Rows]:
    """``table``'s rows by shard (:func:`shard_of`, inline: it runs for every row of every save)."""
    shards: list[Rows] = [{} for _ in range(SHARDS)]
    crc32 = zlib.crc32
    for key, value in table.items():
        data = key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key
        shards[crc32(data) % SHARDS][key] = value
    return shards


def _resplit(table: Rows, old: Kept) -> list[Rows | None]:
    """:func:`_split` of ``table`` made from its shards as stored (``old``): None for a shard
    whose rows are the ones stored, else its rows now (its rows still in the table, in their
    order, then the table's new keys of that shard, in the table's order). A shard's rows
    are compared with the table's by C's loops (``items() <=``, each value by identity
    first), and the shard of a key computed only for a key that no shard had: 10,000
    articles' tables, every build, took 17 ms split afresh."""
    now: list[Rows | None] = [None] * SHARDS
    items = table.items()
    present = 0
    for i, (_, rows) in enumerate(old):
        if rows.items() <= items:
            present += len(rows)
        else:
            now[i] = kept = {key: table[key] for key in rows if key in table}
            present += len(kept)
    if present != len(table):  # keys that no shard had
        fresh = set(table)
        for _, rows in old:
            fresh.difference_update(rows.keys())
        crc32 = zlib.crc32
        for key in [key for key in table if key in fresh]:
            data = key.encode("utf-8", "surrogatepass") if isinstance(key, str) else key
            i = crc32(data) % SHARDS
            shard = now[i]
            if shard is None:
                shard = now[i] = dict(old[i][1])
            shard[key] = table[key]
    return now


def _keep_or_write(
    shard_dir: Path, stem: str, rows: Rows | None, old: tuple[Shard | None, Rows] | None
) -> tuple[Shard | None, Rows]:
    """The shard's file as it was when its rows are the rows stored (None: found so by
    :func:`_resplit`) and the file is still there, else a new one. ``rows == stored``
    compares each value by identity first, so a table whose rows are the very objects
    read or written last costs a pass over its keys. That holds only because rows are
    never changed in place: they are tuples, bytes, strings and frozen dataclasses,
    replaced whole when they change (a value mutated in place would be equal to itself in
    both dicts and never written). Fields that equality skips (``compare=False`` on
    articles: their line map, resolved path and digest) follow from the row's key, the
    path and bytes of the file."""
    if old is not None and (rows is None or old[1] == rows):
        if old[0] is None or _size(shard_dir / old[0].name) == old[0].size:
            return old
        rows = old[1]  # (its file gone: written again)
    assert rows is not None
    if not rows:
        return None, rows
    items = list(rows.items())

    def fill(out: _HashingWriter) -> None:
        pickle.dump(len(items), out, protocol=pickle.HIGHEST_PROTOCOL)
        for start in range(0, len(items), BATCH):
            _dump(items[start : start + BATCH], out)

    name, written = _atomic(shard_dir, ".tmp-", fill, lambda sha: f"{stem}-{sha.hexdigest()[:16]}")
    return Shard(name, written.size, written.hash.digest()), rows


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


class _HashingWriter:
    """A file object that hashes (or signs) and counts everything written through it."""

    def __init__(self, raw: BinaryIO | _HashingWriter, hasher: Any) -> None:
        self.raw = raw
        self.hash = hasher
        self.size = 0

    def write(self, data: Any) -> int:
        """Write ``data``: bytes, or a buffer (pickle hands a large array's over as it is)."""
        if self.hash is not None:
            self.hash.update(data)
        written = self.raw.write(data)
        self.size += written
        return written


def _atomic(
    folder: Path,
    prefix: str,
    fill: Callable[[_HashingWriter], None],
    name: Callable[[Any], str],
    hashed: bool = True,
) -> tuple[str, _HashingWriter]:
    """Write a file in ``folder`` through ``fill``, under a temporary name, then rename it to
    ``name(SHA-256 of its bytes)``; returns that name and the writer (the hash, the size).
    Not ``hashed``: ``name`` is given None (the main file, signed as it is written, is
    named otherwise: hashing its 8 MB again cost 6 ms a save at 10,000 articles)."""
    fd, tmp = tempfile.mkstemp(prefix=prefix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as raw:
            out = _HashingWriter(raw, hashlib.sha256() if hashed else None)
            fill(out)
        final = name(out.hash)
        os.replace(tmp, folder / final)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return final, out


# --- reading --------------------------------------------------------------------------------


def read_main(folder: Path, checked: Checked | None = None) -> tuple[object, dict[str, list[Shard | None]]] | None:
    """The cache object in ``folder``'s main file (without its tables) and the index of its
    shards; None when there is no cache. Raises :class:`Unusable`."""
    try:
        stamp, blob = _read(folder / CACHE_FILE)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise Unusable(f"cannot read {CACHE_FILE} ({exc.strerror or exc})") from None
    start = _signed_start(blob, checked is not None and checked.signed(stamp))
    stream = io.BytesIO(blob)  # read in place: a BytesIO made from bytes shares their buffer
    stream.seek(start)
    try:
        index = pickle.load(stream)
        main = pickle.load(stream)
    except Exception as exc:  # noqa: BLE001 - a signed but unreadable cache is still only a cache
        raise Unusable(f"cannot read it ({type(exc).__name__})") from None
    if not isinstance(index, dict) or any(len(shards) != SHARDS for shards in index.values()):
        raise Unusable("unexpected contents")
    return main, index


def _signed_start(blob: bytes, known: bool = False) -> int:
    """:func:`brief.manifest.signed_start`, its failure an :class:`Unusable`."""
    try:
        return signed_start(blob, known)
    except NotSigned as exc:
        raise Unusable(str(exc)) from None


def main_signed(path: Path) -> tuple[int, int, int] | None:
    """The stamp of the main file at ``path`` when it is this version's and its signature
    holds, else None (for brief.lookahead)."""
    try:
        stamp, blob = _read(path)
        _signed_start(blob)
    except (OSError, Unusable):
        return None
    return stamp


def file_digest(path: Path) -> tuple[tuple[int, int, int], bytes] | None:
    """The stamp and SHA-256 of the file at ``path``, read once (for brief.lookahead); None
    when it cannot be read."""
    try:
        stamp, data = _read(path)
    except OSError:
        return None
    return stamp, hashlib.sha256(data).digest()


def read_tables(
    folder: Path, index: dict[str, list[Shard | None]], checked: Checked | None = None
) -> tuple[dict[str, Rows], Stored]:
    """Every table of the index, read from its shards (one file in memory at a time), and
    what the files hold. Raises :class:`Unusable` at the first shard missing, of another
    size or digest than the index says, or unreadable."""
    tables: dict[str, Rows] = {}
    stored: dict[str, Kept] = {}
    for name, shards in index.items():
        table: Rows = {}
        kept: Kept = []
        for shard in shards:
            rows = {} if shard is None else _read_shard(folder / SHARD_DIR, shard, checked)
            table.update(rows)
            kept.append((shard, rows))
        tables[name], stored[name] = table, kept
    return tables, Stored(folder, stored)


def _read(path: Path) -> tuple[tuple[int, int, int], bytes]:
    """The stamp and the bytes of the file at ``path``, read through one open file. Raises OSError."""
    with open(path, "rb", buffering=0) as file:
        info = os.fstat(file.fileno())
        return (info.st_mtime_ns, info.st_size, info.st_ino), file.readall()


def _read_shard(shard_dir: Path, shard: Shard, checked: Checked | None = None) -> Rows:
    try:
        stamp, data = _read(shard_dir / shard.name)
    except FileNotFoundError:
        raise Unusable(f"its shard {shard.name} is missing") from None
    except OSError as exc:
        raise Unusable(f"cannot read its shard {shard.name} ({exc.strerror or exc})") from None
    if len(data) != shard.size:
        raise Unusable(f"its shard {shard.name} has {len(data)} bytes, not {shard.size} (truncated or altered)")
    found = checked.digest(shard.name, stamp) if checked is not None else None
    if not hmac.compare_digest(found or hashlib.sha256(data).digest(), shard.digest):
        raise Unusable(f"its shard {shard.name} does not match its digest (altered)")
    stream = io.BytesIO(data)
    rows: Rows = {}
    try:
        left = pickle.load(stream)
        while left > 0:
            batch = pickle.load(stream)
            if not batch:
                raise ValueError("an empty batch")
            rows.update(batch)
            left -= len(batch)
    except Exception as exc:  # noqa: BLE001 - as in read_main
        raise Unusable(f"cannot read its shard {shard.name} ({type(exc).__name__})") from None
    return rows
