"""Digests that stand for content: of bytes, of a file's stamp, of a page's data.

Everything the build cache (brief.cache) keys on is one of these. :func:`pickled_digest`
digests a page's context through pickle; objects of the given kinds (the article views,
which many pages share) stand in by their own digest, and the dataclasses registered with
:func:`fast_digest_of` are reduced by a small function instead of pickle's generic (and
much slower) path for slotted dataclasses.
"""

from __future__ import annotations

import hashlib
import io
import operator
import os
import pickle
from collections.abc import Callable
from dataclasses import fields as dataclass_fields
from typing import Any

from markupsafe import Markup

RACY_SECONDS = 2.0
"""A file changed this close to when its stamp was taken may change again with the same
stamp (coarse file-system clocks): its stamp is not trusted to stand for its bytes."""


def digest(*parts: bytes | str) -> bytes:
    """A 16-byte BLAKE2b digest of ``parts`` (each length-prefixed, so they cannot run together)."""
    h = hashlib.blake2b(digest_size=16)
    _feed(h, parts)
    return h.digest()


def digester(*first: bytes | str) -> Callable[..., bytes]:
    """:func:`digest` with ``first`` before the parts it is given, hashed once:
    ``digester(a, b)(c, d) == digest(a, b, c, d)`` (for many digests that begin alike)."""
    start = hashlib.blake2b(digest_size=16)
    _feed(start, first)

    def rest(*parts: bytes | str) -> bytes:
        h = start.copy()
        _feed(h, parts)
        return h.digest()

    return rest


def _feed(h: Any, parts: tuple[bytes | str, ...]) -> None:
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)


def file_stamp(path: str | os.PathLike[str]) -> tuple[int, int, int] | None:
    """(mtime in ns, size, inode) of ``path``, or None when it is not a readable file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def pickled_digest(value: object, known: dict[int, bytes] | None = None, kinds: tuple[type, ...] = ()) -> bytes:
    """A digest of ``value``'s pickle, made without pickle's memo so that it depends on the
    values only, never on which of them are one object. Objects of ``kinds`` stand in by
    their own digest (kept in ``known`` by id, so a view shared by many pages is pickled once
    per build). ``value`` holds no cycle (pickle refuses one without its memo)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table = dict(_FAST_REDUCE)
    if kinds:
        memo = known if known is not None else {}

        def by_digest(obj: object) -> tuple:
            found = memo.get(id(obj))
            if found is None:
                found = memo[id(obj)] = pickled_digest(obj)
            return (_Ref, (found,))

        for kind in kinds:
            table[kind] = by_digest
    pickler.dispatch_table = table  # consulted in C by type: only these types call back into Python
    # No memo: with one, an object met twice is written the second time as a reference, so
    # the bytes would depend on which equal objects are one object (the default author's
    # name is one string in all articles parsed by a build, but one per shard of the cache
    # they are read from: most pages' keys would change in the next build).
    pickler.fast = True
    pickler.dump(value)
    return digest(buffer.getvalue())


class _Ref(bytes):
    """Stands for an object by its digest inside a pickled digest (never unpickled)."""


def _reduce_sorted(obj: set | frozenset) -> tuple:
    # A set's iteration order varies between processes (string hashing is randomised).
    return (frozenset, (tuple(sorted(obj, key=repr)),))


def _fast_reducer(cls: type):
    names = tuple(f.name for f in dataclass_fields(cls))
    if len(names) == 1:
        one = operator.attrgetter(names[0])
        return lambda obj: (cls, (one(obj),))
    values = operator.attrgetter(*names)  # the field values as a tuple, read in C
    return lambda obj: (cls, values(obj))


_FAST_REDUCE: dict[type, Any] = {
    set: _reduce_sorted,
    frozenset: _reduce_sorted,
    Markup: lambda value: (Markup, (str(value),)),  # (rendered HTML: the text it is)
}


def fast_digest_of(*classes: type) -> None:
    """Register frozen dataclasses whose digests should skip the slow generic pickling path."""
    for cls in classes:
        _FAST_REDUCE[cls] = _fast_reducer(cls)


def register_reducer(cls: type, reduce: Any) -> None:
    """Digest objects of ``cls`` as ``reduce(obj)`` (a pickle reduce value) says."""
    _FAST_REDUCE[cls] = reduce


def fast_pickle(cls: type) -> type:
    """Pickle the frozen dataclass ``cls`` as ``cls(*field values)``: the build cache holds
    one per article or ledger line, and pickle's default for slotted dataclasses looks the
    fields up again for every object it reads back. Every field must be an ``__init__``
    argument (a ``__post_init__`` runs again: it may only check)."""
    fields = dataclass_fields(cls)
    if not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument")
    values = operator.attrgetter(*(f.name for f in fields))
    one = len(fields) == 1

    def reduce(obj: object) -> tuple:
        return (cls, (values(obj),) if one else values(obj))

    cls.__reduce__ = reduce  # type: ignore[method-assign,assignment]
    return cls
