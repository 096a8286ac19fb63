"""The build cache on disk (brief.cache): a small signed main file, and the large tables in shards.

``.brief-cache/state.bin`` holds a header (the cache format, brief's and Python's
versions), then a pickle of the index of the shards and a pickle of the cache without
its large tables, then an HMAC-SHA256 of all of it with this user's key (unpickling runs
code: only a signed cache is trusted). Each large table (a row per article or per file)
is split into :data:`SHARDS` shards by a stable hash of each row's key (:func:`shard_of`),
each shard a file of its own in ``.brief-cache/shards/``; the index names each shard
file with its size and SHA-256 digest. A shard is trusted because its digest is in the
signed main file: one missing, truncated or altered makes the whole cache untrusted
(:class:`Unusable`). Reading is brief.cacheread's. ``brief build`` has those checks made
ahead, by a process of its own (brief.lookahead): a file it checked is not hashed again
when it is the very file read (:class:`Checked`).

Saving (:func:`write`) writes only the shards whose rows changed since they were read or
last written (:class:`Stored` remembers each shard's rows as stored), then the main file,
then removes the shard files it no longer names. A shard file is named by its digest
and written under a temporary name first (``os.replace``), so a save cut short before
its main file leaves the previous main file with every shard it names, as it named them.
Some tables' shards may be written by another process meanwhile (:func:`write_shards`):
:func:`write` then waits for them once it has written the others.
"""

from __future__ import annotations

import copyreg
import hashlib
import hmac
import os
import pickle
import tempfile
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

from brief.manifest import CACHE_FILE, MAGIC, format_header

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


def write(
    folder: Path,
    key: bytes,
    main: object,
    tables: dict[str, Rows],
    stored: Stored | None,
    later: tuple[Collection[str], Callable[[], dict[str, list[Shard | None]]]] | None = None,
) -> Stored:
    """Save ``main`` (pickled) and ``tables`` in ``folder``; ``stored`` is what the files
    there held (from :func:`read_tables` or the last :func:`write`), to write only the
    shards that changed since. ``later``: the tables whose shards another process writes
    meanwhile (:func:`write_shards`, from these very rows), and the call that waits for
    them, made once the other tables are written (a table it has no shards of is written
    here then). Returns what the files hold now. Raises OSError (the files named by the
    previous main file are then all still there)."""
    shard_dir = folder / SHARD_DIR
    shard_dir.mkdir(exist_ok=True)
    before = stored.tables if stored is not None and stored.folder == folder else {}
    waiting = later[0] if later is not None else ()
    done = {
        name: _shards(shard_dir, name, table, before.get(name)) for name, table in tables.items() if name not in waiting
    }
    written = later[1]() if later is not None else {}
    now = {
        name: done.get(name) or _shards(shard_dir, name, tables[name], before.get(name), written.get(name))
        for name in tables
    }
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


def write_shards(folder: Path, tables: dict[str, Rows], stored: Stored | None) -> dict[str, list[Shard | None]]:
    """The shards of ``tables`` that :func:`write` would write (``stored`` as there) written
    now, for a :func:`write` of the same rows to take: each table's shard files, in order."""
    shard_dir = folder / SHARD_DIR
    shard_dir.mkdir(exist_ok=True)
    before = stored.tables if stored is not None and stored.folder == folder else {}
    return {
        name: [shard for shard, _ in _shards(shard_dir, name, rows, before.get(name))] for name, rows in tables.items()
    }


def _shards(
    shard_dir: Path, name: str, table: Rows, old: Kept | None, written: list[Shard | None] | None = None
) -> Kept:
    """The table's shards as stored once its changed shards are written (by
    :func:`write_shards` when ``written`` are its shard files: only paired with the rows here)."""
    split = _split(table) if old is None else _resplit(table, old)
    if written is not None:
        return [(shard, rows if rows is not None else old[i][1]) for i, (shard, rows) in enumerate(zip(written, split))]  # type: ignore[index]
    return [
        _keep_or_write(shard_dir, f"{name}-{i:02d}", rows, old[i] if old is not None else None)
        for i, rows in enumerate(split)
    ]


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
