"""The parts of pages that Pagefind reads, kept between builds by page key.

Pagefind has no incremental mode: after an edit it reads every article page again, so the
part of each that it reads (brief.output.searchable) goes into a fresh work folder
(brief.output.search). Made again from the page the previous build wrote, a part costs
reading the page, finding the part in it and writing it, about 100 µs; at 10,000 articles
0.5 s on two cores before Pagefind can start. A page whose key is unchanged has the same
bytes, hence the same part: :class:`KeptParts` keeps the part of each page of the last
build under its page's key, in the cache folder, and the next build copies it (about
15 µs).

The folder, ``.brief-cache/search-parts-<brief version>/``, holds one file per key (its
hex digits), written whole or not at all (a hard link to the work folder's file, or a copy
under a temporary name renamed into place), never changed afterwards. A file there is the
part of a page made from that key, however old, so no build can find a stale one; a part
made by another version of brief is in another folder (the older ones are removed). Like
the rest of the cache folder, the files are not trusted as they are: the SHA-256 of each
part is kept in the build cache, which is signed (brief.cache, ``search_parts``), and a
part is copied only when its bytes have that digest (hashing one takes about 3 µs), else
made from its page. The parts are kept while Pagefind runs (the build waits for it then),
and the parts of keys no longer in the site are removed. Failing to keep them only costs
the next build time. Which page each result file of the last bundle is of is kept in the
signed build cache too (``search_fragments``, :attr:`KeptParts.fragments`).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from brief import __version__
from brief.settings import CACHE_DIR

log = logging.getLogger(__name__)

PREFIX = "search-parts-"


class KeptParts:
    """The parts kept in ``folder``, with the digest of each (see the module's doc)."""

    def __init__(
        self,
        folder: Path,
        digests: dict[str, bytes] | None = None,
        fragments: dict[str, tuple[int, str]] | None = None,
    ) -> None:
        self.folder = folder
        self.digests = {} if digests is None else digests
        """The SHA-256 of each part kept, by its name (the page's key in hex): the build
        cache's table, brought up to date by :meth:`keep`."""
        self.fragments = {} if fragments is None else fragments
        """The fragment files of the last bundle that it took from the bundle before (by name:
        Pagefind names a fragment by a digest of its contents, which begin with the page's
        URL), each with its size and its page's URL: brief.output.search links the previous
        bundle's fragments of unchanged pages, and need not read these to know which page each
        is of. The build cache's table, replaced by :meth:`keep_fragment_urls`."""
        self._names: set[str] | None = None

    @classmethod
    def of_site(
        cls, root: Path, digests: dict[str, bytes] | None = None, fragments: dict[str, tuple[int, str]] | None = None
    ) -> KeptParts:
        """The kept parts of the site at ``root``, for this version of brief."""
        return cls(root / CACHE_DIR / f"{PREFIX}{__version__}", digests, fragments)

    def names(self) -> set[str]:
        """The keys (in hex) of the parts kept, read once."""
        if self._names is None:
            try:
                self._names = set(os.listdir(self.folder))
            except OSError:
                self._names = set()
        return self._names

    def source(self, key: bytes | None) -> tuple[str, bytes] | None:
        """The file holding the part of a page made from ``key``, with the digest its bytes
        must have (:func:`checked_part`), or None when none is kept."""
        if key is None:
            return None
        name = key.hex()
        digest = self.digests.get(name)
        return (os.path.join(self.folder, name), digest) if digest is not None and name in self.names() else None

    def keep(self, parts: Iterable[tuple[bytes, str, bool]]) -> int:
        """Keep each part (key, file holding it, whether the one kept was found changed) not
        kept yet, or found changed, with its digest, and remove the parts of other keys;
        returns how many were added. The files given must not change afterwards (the build's
        work folder, removed when the build ends: a hard link outlives it)."""
        added = 0
        digests = self.digests
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _remove_other_versions(self.folder)
            have = self.names()
            wanted: set[str] = set()
            for key, path, changed in parts:
                name = key.hex()
                wanted.add(name)
                if changed or name not in have or name not in digests:  # (a file of no known digest is replaced)
                    with open(path, "rb") as file:
                        digest = hashlib.sha256(file.read()).digest()
                    _put(path, os.path.join(self.folder, name))
                    digests[name] = digest
                    have.add(name)
                    added += 1
            for name in have - wanted:
                os.unlink(os.path.join(self.folder, name))
            have &= wanted
        except OSError as exc:
            log.debug("search index: could not keep the pages' parts in %s: %s", self.folder, exc)
            self._names = None
            wanted = set(self.names())  # (only what is there, and whose digest is known)
        for name in digests.keys() - wanted:
            del digests[name]
        return added

    def keep_fragment_urls(self, fragments: dict[str, tuple[int, str]]) -> None:
        """Keep ``fragments`` (as :attr:`fragments` holds them) for the next build."""
        if fragments is not self.fragments:
            self.fragments.clear()
            self.fragments.update(fragments)


def checked_part(path: str, digest: bytes) -> bytes | None:
    """The bytes of the kept part in ``path`` when their SHA-256 is ``digest``, else None."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:  # (removed meanwhile by a build of another output folder)
        return None
    return data if hashlib.sha256(data).digest() == digest else None


def _put(source: str, target: str) -> None:
    """``source``'s bytes at ``target``, whole, in place of any file there: a hard link, or
    a copy, made under a temporary name and renamed into place."""
    tmp = os.path.join(os.path.dirname(target), f".tmp-{os.getpid()}-{os.path.basename(target)}")
    try:
        try:
            os.link(source, tmp)
        except FileExistsError:
            os.unlink(tmp)
            os.link(source, tmp)
        except OSError:  # (another file system, or no hard links there)
            with open(tmp, "wb") as out, open(source, "rb") as data:
                shutil.copyfileobj(data, out)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _remove_other_versions(folder: Path) -> None:
    """Remove the parts kept by other versions of brief beside ``folder``."""
    for other in folder.parent.glob(f"{PREFIX}*"):
        if other != folder and other.is_dir():
            shutil.rmtree(other, ignore_errors=True)
