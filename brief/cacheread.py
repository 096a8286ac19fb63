"""Reading the build cache's files (brief.cachefile has their format, and writes them).

The signed main file is read first (:func:`read_main`): the cache object without its
large tables, and the index of their shards; then every table from its shards
(:func:`read_tables`), each shard checked against the size and digest the signed index
gives it. :func:`main_signed` and :func:`file_digest` are the checks brief.lookahead
makes of those files ahead, in a process of its own.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
from pathlib import Path

from brief.cachefile import SHARD_DIR, SHARDS, Checked, Kept, Rows, Shard, Stored, Unusable
from brief.manifest import CACHE_FILE, NotSigned, signed_start


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
