"""Pagefind's bundle made the same, byte for byte, for the same pages.

Pagefind writes its filter indexes, and their list in the metadata file, in the order of a
hash map seeded at random, so two runs over the same pages differ in those files (its own
"TODO: Change filter indexes to BTree to give them a stable hash", pagefind/src/index/
mod.rs). :func:`settle` sorts them and writes them again, named after their new contents
as Pagefind names files. The files are gzip-compressed CBOR (RFC 8949) after a signature;
what is rewritten must read back exactly as Pagefind wrote it, or the bundle is left
alone. (The fragments and word indexes are the same for the same pages in the same order.)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import zlib
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

SIGNATURE = b"pagefind_dcd"
"""What every compressed index file of Pagefind starts with, once decompressed."""
_FRAGMENT_URL = re.compile(re.escape(SIGNATURE) + rb'\{"url":("(?:[^"\\]|\\.)*")')


def settle(bundle: Path) -> None:
    """Put what Pagefind wrote into ``bundle`` in hash-map order in a fixed order: each
    filter's values, the filters and sort orders listed in each language's metadata, the
    languages in ``pagefind-entry.json``. The filter and metadata files are written again
    (compressed by Python's zlib, the same bytes for the same contents), named after their
    contents. A bundle not laid out as expected is left as Pagefind wrote it."""
    entry_file = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_file.read_text("utf-8"))
        files: dict[Path, bytes] = {}
        gone: list[Path] = []
        languages = entry["languages"]
        for language, about in languages.items():
            about["hash"] = _settle_language(bundle, language, about["hash"], files, gone)
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.debug("search index: left as Pagefind wrote it (%s)", exc)
        return
    entry["languages"] = dict(sorted(languages.items()))
    files[entry_file] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    for path in gone:
        path.unlink()
    for path, data in files.items():
        path.write_bytes(data)


def _settle_language(bundle: Path, language: str, meta_hash: str, files: dict[Path, bytes], gone: list[Path]) -> str:
    """Plan the sorted filter files and metadata of one language; return the metadata's new hash."""
    meta_file = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _unpack(meta_file.read_bytes())
    filters, sorts = meta[3], meta[4]
    names: set[str] = set()
    listed = []
    for name, old in sorted(filters, key=lambda item: item[0]):  # (a clash lengthens the later name)
        old_file = bundle / "filter" / f"{old}.pf_filter"
        index = _unpack(old_file.read_bytes())
        index[1] = sorted(index[1], key=lambda value: value[0])
        data = _cbor(index)
        short = _short_hash(f"{language}_{_full_hash(data)}", len(language) + 8, names)
        listed.append([name, short])
        # Written again even under the same name: compressed as every settled file is.
        gone.append(old_file)
        files[bundle / "filter" / f"{short}.pf_filter"] = _pack(data)
    meta[3] = listed
    meta[4] = sorted(sorts, key=lambda item: item[0])
    data = _cbor(meta)
    short = f"{language}_{_full_hash(data)[: len(language) + 8]}"
    gone.append(meta_file)
    files[bundle / f"pagefind.{short}.pf_meta"] = _pack(data)
    return short


def _short_hash(full: str, length: int, taken: set[str]) -> str:
    """Pagefind's short name of a file: ``length`` characters, one more while it clashes."""
    short = full[:length]
    while short in taken and len(short) < len(full):
        short = full[: len(short) + 1]
    taken.add(short)
    return short


def _full_hash(data: bytes) -> str:
    # As Pagefind's utils::full_hash writes SHA-1: each byte in hex, without leading zeros.
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _unpack(compressed: bytes) -> Any:
    """Decode a compressed index file; raises ValueError unless encoding it again gives it back."""
    data = gzip.decompress(compressed)
    if not data.startswith(SIGNATURE):
        raise ValueError("not a Pagefind index file")
    value, end = _item(data, len(SIGNATURE))
    if end != len(data) or _cbor(value) != data[len(SIGNATURE) :]:
        raise ValueError("an index file brief cannot read back exactly")
    return value


def _pack(data: bytes) -> bytes:
    return gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0)


# The few CBOR items Pagefind's files are made of (RFC 8949, definite lengths): unsigned and
# negative integers, byte and text strings, arrays.
def _item(data: bytes, at: int) -> tuple[Any, int]:
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        size = info
    elif 24 <= info <= 27:
        width = 1 << (info - 24)
        size, at = int.from_bytes(data[at : at + width], "big"), at + width
    else:
        raise ValueError(f"CBOR item {major}/{info} is not one Pagefind writes")
    if major == 0:
        return size, at
    if major == 1:
        return -1 - size, at
    if major in (2, 3):
        raw = data[at : at + size]
        return (raw if major == 2 else raw.decode("utf-8")), at + size
    if major == 4:
        items = []
        for _ in range(size):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR item {major}/{info} is not one Pagefind writes")


def _cbor(value: Any) -> bytes:
    out = bytearray()
    _put(out, value)
    return bytes(out)


def _put(out: bytearray, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | str | bytes | list):
        raise ValueError(f"cannot write {type(value).__name__} as CBOR")
    if isinstance(value, int) and value >= 0:
        _head(out, 0, value)
    elif isinstance(value, int):
        _head(out, 1, -1 - value)
    elif isinstance(value, str):
        raw = value.encode("utf-8")
        _head(out, 3, len(raw))
        out += raw
    elif isinstance(value, bytes):
        _head(out, 2, len(value))
        out += value
    else:
        _head(out, 4, len(value))
        for item in value:
            _put(out, item)


def _head(out: bytearray, major: int, size: int) -> None:
    if size < 24:
        out.append(major << 5 | size)
        return
    width = 1 if size < 1 << 8 else 2 if size < 1 << 16 else 4 if size < 1 << 32 else 8
    out.append(major << 5 | (24 + width.bit_length() - 1))
    out += size.to_bytes(width, "big")


def listed_names(bundle: Path) -> tuple[set[str], set[str]] | None:
    """The names of the page fragments (``fragment/{name}.pf_fragment``) and of the word
    indexes (``index/{name}.pf_index``) that the metadata of ``bundle`` lists, or None when it
    cannot be read."""
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
        fragments: set[str] = set()
        chunks: set[str] = set()
        for about in entry["languages"].values():
            meta = _unpack((bundle / f"pagefind.{about['hash']}.pf_meta").read_bytes())
            fragments.update(name for name, _ in meta[1])
            chunks.update(chunk[2] for chunk in meta[2])  # [first word, last word, name]
        return fragments, chunks
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def fragment_url(compressed: bytes) -> str | None:
    """The URL of the page a fragment file is of (its first field), or None when it is not one."""
    try:
        found = _FRAGMENT_URL.match(zlib.decompressobj(31).decompress(compressed, 1024))  # (gzip)
        url = json.loads(found.group(1)) if found else None
    except (zlib.error, ValueError):
        return None
    return url if isinstance(url, str) else None


def clashing(names: set[str]) -> set[str]:
    """The names that begin another name or with another (Pagefind lengthens a file's name
    when its first characters are another file's): the same content may then be named
    otherwise in another bundle."""
    found: set[str] = set()
    for name in names:
        for end in range(1, len(name)):
            if name[:end] in names:
                found.update((name, name[:end]))
    return found
