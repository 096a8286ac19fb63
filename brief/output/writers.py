"""Stage 5: the only code that writes the site.

Pages are written into a staging folder beside the output folder; only when the
whole site is there does it take the output folder's place, in one atomic
exchange where the OS offers it (Linux ``renameat2``). A failed or interrupted
build therefore leaves the previous output exactly as it was. Every path is
checked to stay inside the output folder, and two things that want the same
path are an error, not a silent overwrite (brief.output.claims: what both writers check).
The folder's life around the writers (the lock, the exchange, removing leftovers) is
brief.output.outdir's.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import Any

from brief.digests import file_stamp
from brief.errors import BriefError
from brief.output.claims import Claims, copy_key
from brief.output.outdir import (
    in_background,
    recover_interrupted_swap,
    remove_dead_staging,
    remove_previous,
    swap_in,
)
from brief.output.spare import drop_unclaimed, keep_as_spare, new_spare_name, spare_home, take_spare
from brief.output.staged import disk_errors, make_folder_of, replace_path, write_file


class MemoryWriter(Claims):
    """Keeps a build in memory (the preview server's): page bytes, or the path of a file to copy."""

    def __init__(self, previous: dict[str, tuple[bytes, Any]] | None = None) -> None:
        super().__init__(previous)
        self.files: dict[str, bytes | Path] = {}

    def reuse(self, relpath: str, key: bytes, origin: str) -> bool:
        """Take the previous build's bytes of ``relpath`` if they were made from ``key``."""
        last = self._unchanged(relpath, key)
        if not isinstance(last, bytes):
            return False
        if not self._claim(relpath, origin):
            return True  # the problem is recorded; the build fails
        self.files[relpath] = last
        self.keys[relpath] = key
        self.reused += 1
        return True

    def _store(self, relpath: str, data: bytes, origin: str, key: bytes | None) -> None:
        if self._claim(relpath, origin):
            self.files[relpath] = data
            if key is not None:
                self.keys[relpath] = key

    def copy(self, relpath: str, source: Path, origin: str) -> None:
        if self._claim(relpath, origin):
            self.files[relpath] = source
            self.keys[relpath] = copy_key(source)

    scratch = None
    """Where temporary work files go (None: the system's temporary folder)."""

    def written(self, relpath: str) -> bytes | Path | None:
        """What this build holds at ``relpath`` so far."""
        return self.files.get(relpath)

    def reuse_all(self, keys: dict[str, bytes], origin: str) -> bool:
        """Take the previous build's bytes of every path in ``keys``, or of none of them."""
        if not all(isinstance(self._unchanged(rel, key), bytes) for rel, key in keys.items()):
            return False
        for rel, key in keys.items():
            self.reuse(rel, key, origin)
        return True

    def adopt(self, relpath: str, source: Path, origin: str, key: bytes | None) -> None:
        """Take a work file made for ``relpath`` (it may be moved or deleted afterwards)."""
        self._store(relpath, source.read_bytes(), origin, key)

    def outputs(self) -> dict[str, tuple[bytes, Any]]:
        return {rel: (key, self.files[rel]) for rel, key in self.keys.items()}

    def commit(self) -> None:
        pass

    def abort(self) -> None:
        self.files.clear()


class OutputWriter(Claims):
    """Writes one build into a staging folder, then swaps it into place.

    A file whose key is the previous build's, and which is still as that build left it in
    the output folder, is hard-linked into the staging folder instead of written again.

    With ``spares`` (a folder in the cache folder) the staging folder starts as the spare
    tree called ``spare`` when there is one (brief.output.spare): a file of it whose stamp
    is the one recorded stays, so an unchanged file costs a ``stat`` (none with ``checked``:
    the previous build's files found changed, by folder, brief.lookahead). After the swap the
    previous output becomes the next spare, named :attr:`spare`."""

    def __init__(
        self,
        out_dir: Path,
        previous: dict[str, tuple[bytes, Any]] | None = None,
        spares: Path | None = None,
        spare: str = "",
        checked: dict[str, frozenset[str]] | None = None,
        exact: bool = False,
    ) -> None:
        super().__init__(previous)
        self.out_dir = out_dir
        self.staging = out_dir.parent / f".{out_dir.name}.tmp-{os.getpid()}"
        self._staged = str(self.staging)
        self._folders: set[str] = set()
        self.background = False
        """Work on the previous output in the background after the swap (see :func:`finish_cleanups`)."""
        self.spares = spares
        self.spare = ""
        """After the commit: the name of the spare that the previous output is becoming ("": none)."""
        self._claimed: set[str] | None = None
        """With a staging folder made of a spare: every path this build claimed."""
        self._kept: dict[str, Any] = {}
        """Files this build kept from the previous build, with the stamp they were checked to have."""
        self._out_changed = checked.get(str(out_dir)) if checked is not None else None
        self._exact = exact  # (the output folder holds no file but ``previous``'s)
        self._spare_changed: frozenset[str] | None = None
        """The paths whose file in the output folder, and in the spare taken, is not as
        recorded; None where not known ahead (then each file's stamp is checked here)."""
        try:
            recover_interrupted_swap(out_dir)
            remove_dead_staging(out_dir)
            if self.staging.exists():
                shutil.rmtree(self.staging)
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            if spares is not None and previous and take_spare(spares, spare, self.staging):
                self._claimed = set()
                self._spare_changed = checked.get(str(spares / spare)) if checked is not None else None
            else:
                self.staging.mkdir()
        except OSError as exc:
            raise BriefError(
                f"cannot create the staging folder beside {out_dir}: {exc.strerror or exc}; "
                f"is {out_dir.parent} writable?"
            ) from None

    @property
    def from_spare(self) -> bool:
        """Whether the staging folder was made of a spare (its paths may hold files already)."""
        return self._claimed is not None

    def reserve(self, relpath: str, origin: str, key: bytes | None = None, folder: bool = True) -> str | None:
        """Staging path for ``relpath``, its folder made (unless ``folder`` is False: then
        whoever writes it makes it, with :func:`make_folder_of`), or None (with a problem) when
        the path is unsafe or taken. Whoever holds the path may then write it (worker processes do)."""
        if not self._take(relpath, origin, key):
            return None
        # Strings, not pathlib's objects or operators: this runs for every file of the site.
        target = os.path.join(self._staged, relpath)
        if folder:
            make_folder_of(relpath, target, self._folders, self.from_spare)
        return target

    def _take(self, relpath: str, origin: str, key: bytes | None) -> bool:
        """Claim ``relpath`` (False, with a problem, when it is unsafe or taken) and note its key."""
        if not self._claim(relpath, origin):
            return False
        if self._claimed is not None:
            self._claimed.add(relpath)
        if key is not None:
            self.keys[relpath] = key
        return True

    def reuse(self, relpath: str, key: bytes, origin: str) -> bool:
        """Keep or link the previous build's file of ``relpath`` in the staging folder, if it
        was made from ``key`` and nobody changed it since; False when it must be written."""
        stamp = self._unchanged(relpath, key)
        if stamp is None:
            return False
        found = self._previous_file(relpath, None, stamp)
        if found is None:
            return False
        if self._take(relpath, origin, key):  # else the problem is recorded
            # (a path of the previous build's: safe; the very file checked: its stamp is known)
            if found or self._link(relpath, os.path.join(self._staged, relpath)):
                self._kept[relpath] = stamp
            self.reused += 1
        return True

    def keep_previous(self, pages: list[tuple[str, str]]) -> list[str]:
        """:meth:`Claims.keep_previous`, with :meth:`reuse`'s steps in one loop: a cached
        build's edit keeps about 16,000 pages of 10,000 articles (its pages stage, with the
        kept pages passed as positions: 0.059 → 0.035 s)."""
        previous, origins, claimed, keys, kept = self.previous or {}, self._origin, self._claimed, self.keys, self._kept
        again, reused = [], 0
        for relpath, origin in pages:
            last = previous.get(relpath)
            found = self._previous_file(relpath, None, last[1]) if last is not None else None
            if last is None or found is None:
                again.append(relpath)
                continue
            folded = relpath.casefold()  # (as _claim: a path the previous build wrote is safe)
            if folded in origins:
                self._take(relpath, origin, last[0])  # (taken: the problem is recorded)
                continue
            origins[folded] = origin
            if claimed is not None:
                claimed.add(relpath)
            keys[relpath] = last[0]
            if found or self._link(relpath, os.path.join(self._staged, relpath)):
                kept[relpath] = last[1]
            reused += 1
        self.reused += reused
        return again

    def _previous_file(self, relpath: str, target: str | None, stamp: Any) -> bool | None:
        """Where the previous build's file of ``relpath`` is, unchanged since it was recorded
        with ``stamp`` (:meth:`_unchanged`: None when there is none made from this build's key):
        True when the spare holds it at ``target`` (None: its staging path) already, False
        when only the output folder does, None when neither (it must be written)."""
        if stamp is None:
            return None
        if self.from_spare:
            changed = self._spare_changed
            if changed is not None:
                if relpath not in changed:
                    return True  # the spare's file is the published one
            elif file_stamp(target or os.path.join(self._staged, relpath)) == stamp:
                return True
        changed = self._out_changed
        if changed is not None:
            return None if relpath in changed else False
        return False if file_stamp(os.path.join(self.out_dir, relpath)) == stamp else None

    def link_previous(self, relpath: str, key: bytes, target: str) -> bool | None:
        """Keep or put the previous build's file of ``relpath`` at the reserved ``target``
        when it was made from ``key`` and is intact (worker processes call this): True when
        that very file is there (linked or left in place), False when a copy of it is (no
        hard links here), None when nothing is kept: it must be written."""
        found = self._previous_file(relpath, target, self._unchanged(relpath, key))
        if found is None:
            return None
        return found or self._link(relpath, target)

    def kept_by_workers(self, kept: Iterable[str]) -> None:
        """Files the page workers (brief.output.parallel) kept as the previous build's very
        files, linked or left in place: their stamps are the recorded ones, as :meth:`reuse`
        notes them. :meth:`outputs` then stats none of them, and the next spare is made
        knowing that they are the published ones."""
        previous = self.previous or {}
        for relpath in kept:
            self._kept[relpath] = previous[relpath][1]

    def _link(self, relpath: str, target: str) -> bool:
        """Hard-link the published file of ``relpath`` at ``target`` (or copy it: then False)."""
        make_folder_of(relpath, target, self._folders, self.from_spare)
        current = os.path.join(self.out_dir, relpath)
        with disk_errors(relpath):
            if self.from_spare:
                replace_path(target)
            try:
                os.link(current, target)
            except OSError:  # no hard links here (or too many): copy instead
                shutil.copyfile(current, target)
                return False
        return True

    def _store(self, relpath: str, data: bytes, origin: str, key: bytes | None) -> None:
        target = self.reserve(relpath, origin, key)
        if target is not None:
            write_file(target, relpath, data)

    def copy(self, relpath: str, source: Path, origin: str) -> None:
        key = copy_key(source) if self.previous is not None else None
        if key is not None and self.reuse(relpath, key, origin):
            return
        target = self.reserve(relpath, origin, key)
        if target is not None:
            with disk_errors(relpath):
                if self.from_spare:
                    replace_path(target)
                shutil.copyfile(source, target)

    @property
    def scratch(self) -> Path:
        """Where temporary work files go: inside the staging folder, so they are on the
        output's file system and never outlive an interrupted build."""
        return self.staging

    def written(self, relpath: str) -> Path | None:
        """The staged file of ``relpath``, once written or linked (in a staging folder made of
        a spare: once claimed, which for a page is before its worker writes it)."""
        if self._claimed is not None and relpath not in self._claimed:
            return None
        path = self.staging / relpath
        return path if path.is_file() else None

    def reuse_all(self, keys: dict[str, bytes], origin: str) -> bool:
        """Link the previous build's file of every path in ``keys``, or of none of them."""
        if any(self._previous_file(rel, None, self._unchanged(rel, key)) is None for rel, key in keys.items()):
            return False
        for rel, key in keys.items():
            self.reuse(rel, key, origin)
        return True

    def adopt(self, relpath: str, source: Path, origin: str, key: bytes | None) -> None:
        """Move a work file made for ``relpath`` into place."""
        target = self.reserve(relpath, origin, key)
        if target is not None:
            with disk_errors(relpath):
                os.replace(source, target)

    def outputs(self) -> dict[str, tuple[bytes, Any]]:
        """This build's files in the output folder with their keys and stamps (after commit)."""
        found = {}
        out = str(self.out_dir)
        kept = self._kept  # (its file, linked or left in place: the same inode, size and time)
        for rel, key in self.keys.items():
            stamp = kept.get(rel) or file_stamp(os.path.join(out, rel))
            if stamp is not None:
                found[rel] = (key, stamp)
        return found

    def commit(self) -> None:
        """Put the staged site in place of the output folder."""
        with disk_errors(self.out_dir.name):
            if self._claimed is not None:  # the spare's files that this build does not have
                drop_unclaimed(self._staged, self.previous or {}, self._claimed)
            self._swap()

    def _swap(self) -> None:
        previous = swap_in(self.staging, self.out_dir)
        if previous is None:
            return
        self.staging = previous  # what abort() removes from now on
        spares = self.spares
        if spares is not None and spare_home(spares, self.out_dir):
            self.spare = name = new_spare_name()
            keep = self.keys
            known = None
            if self._exact and self.previous is not None and self._out_changed is not None:
                # Its files are the last build's; those this one kept, unchanged there, are published.
                changed = self._out_changed
                known = (list(self.previous), {rel for rel in self._kept if rel not in changed})
            task = partial(keep_as_spare, str(previous), str(self.out_dir), keep, spares, name, known)
            in_background(task, self.background, "keep the previous output as a spare")
        else:
            remove_previous(previous, self.background)

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
