"""The spare output tree: the previous output kept as hard links, for the next build to
stage into.

A build writes its site into a staging folder and swaps it into place
(brief.output.writers). Making that folder from nothing costs a hard link, and often a
folder, for every file an edit leaves alone (16,000 links and 11,000 folders at 10,000
articles), and the old tree must then be removed file by file. Instead, after the swap,
the old tree is made into a mirror of the new output: each file with a key is a hard link
to the published one, nothing else is in it. A process of its own does that while the
cache is saved (changing only the files the build did not keep, when the old tree is
known to hold no other file than the last build's: brief.lookahead), and keeps the mirror
in the cache folder under a new name, which the cache records (:attr:`BuildCache.spare <brief.cache.BuildCache.spare>`); when the cache folder is
on another file system than the output, beside the output instead (:func:`spares_for`).

The next build renames that mirror into its staging folder. A file whose stamp (inode,
size, time) is the one recorded for its path stays as it is; any other file is replaced;
the paths the build does not write again are removed before the swap. A spare whose name
is not the one the cache records (a killed build's, one for a cache since dropped) is
never used, and the next spare made removes it.

Staged files share their inodes with the published ones, so nothing writes into a staged
file in place: every writer replaces it with a new file (:func:`replace_path`).
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Collection, Container, Iterable
from contextlib import suppress
from pathlib import Path

SPARES = "spare-output"
"""The folder of spare trees inside the cache folder (brief.settings.CACHE_DIR)."""


def new_spare_name() -> str:
    """A name no earlier spare had: the cache records it, so that a build takes only the
    spare made for the output the cache describes."""
    return f"{time.time_ns():x}-{os.getpid()}"


def take_spare(spares: Path, name: str, staging: Path) -> bool:
    """Move the spare called ``name`` to ``staging`` (which must not exist); False when there
    is no such spare or it cannot be moved (another file system: then a fresh staging folder)."""
    if not name or "/" in name or name.startswith("."):
        return False
    try:
        os.rename(spares / name, staging)
    except OSError:
        return False
    return True


def spares_for(cache_spares: Path, out_dir: Path) -> Path:
    """Where the spares of ``out_dir`` are kept: ``cache_spares`` (in the cache folder) when
    it is on the file system of the output, else a hidden folder beside the output, as the
    staging folder is (``.public.spares`` for ``public``): a spare must move into place by a
    rename. The build before and the build after agree, as they see the same file systems."""
    near = cache_spares
    while not near.exists() and near.parent != near:  # (the cache folder is made later)
        near = near.parent
    try:
        if os.stat(near).st_dev == os.stat(out_dir.parent).st_dev:
            return cache_spares
    except OSError:
        return cache_spares  # (then spare_home says no)
    return out_dir.parent / f".{out_dir.name}.spares"


def spare_home(spares: Path, out_dir: Path) -> bool:
    """Whether spares can be kept in ``spares`` (made if missing) for ``out_dir``: on the
    same file system, so that a spare moves into place by a rename."""
    try:
        spares.mkdir(parents=True, exist_ok=True)
        return os.stat(spares).st_dev == os.stat(out_dir.parent).st_dev
    except OSError:
        return False


def keep_as_spare(
    old: str,
    out_dir: str,
    keep: Collection[str],
    spares: Path,
    name: str,
    known: tuple[Iterable[str], Container[str]] | None = None,
) -> None:
    """Make the previous output ``old`` a mirror of ``out_dir`` restricted to the paths in
    ``keep`` (the files with a key), then move it to ``spares/name`` in place of any other
    spare. Whatever fails, ``old`` does not stay behind: the mirror is removed instead.

    ``known``: every file ``old`` holds (by path: no other), and which of them are the very
    files published at their paths. Only the others are then removed or replaced, where
    walking ``old`` to find them took 10,000 articles' output 0.2 s (a one-edit build
    waited for a third of it)."""
    try:
        kept: Container[str]
        if known is None:
            found: set[str] = set()
            _prune(old, "", keep, out_dir, found, _folders_of(keep))
            kept = found
        else:
            files, kept = known
            remove_files(old, (rel for rel in files if rel not in kept))
        for rel in keep:
            if rel not in kept:
                _link_in(os.path.join(out_dir, rel), os.path.join(old, rel))
        os.makedirs(spares, exist_ok=True)
        with os.scandir(spares) as entries:
            for entry in entries:
                shutil.rmtree(entry.path, ignore_errors=True)
        os.rename(old, spares / name)
    except OSError:
        shutil.rmtree(old, ignore_errors=True)


def _folders_of(paths: Collection[str]) -> set[str]:
    """Every folder of ``paths`` (relative), with the folders they are in."""
    folders: set[str] = set()
    for rel in paths:
        folder = rel.rpartition("/")[0]
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def _prune(
    folder: str, prefix: str, keep: Container[str], out_dir: str, kept: set[str], needed: Container[str]
) -> bool:
    """Remove from ``folder`` (the output path ``prefix``) each file that is not a hard link
    to the published file of its path in ``keep``, and each folder left empty that is not
    one of the ``needed`` (the folders of ``keep``: the files replaced are linked in again
    there: a cold build's, all 16,000 at 10,000 articles, were removed and made again); returns
    whether anything is left in it."""
    left = False
    with os.scandir(folder) as entries:
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                if _prune(entry.path, rel + "/", keep, out_dir, kept, needed) or rel in needed:
                    left = True
                else:
                    with suppress(OSError):
                        os.rmdir(entry.path)
                continue
            if rel in keep and entry.is_file(follow_symlinks=False):
                try:
                    same = os.lstat(os.path.join(out_dir, rel)).st_ino == entry.inode()
                except OSError:
                    same = False
                if same:
                    kept.add(rel)
                    left = True
                    continue
            with suppress(OSError):
                os.unlink(entry.path)
    return left


def _link_in(source: str, target: str) -> None:
    """Hard-link the published file ``source`` at ``target`` in the spare (nothing when it
    cannot be: the next build then writes or links that file itself)."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        with suppress(OSError):
            os.makedirs(os.path.dirname(target), exist_ok=True)
            os.link(source, target)
    except OSError:
        pass


def drop_unclaimed(staging: str, previous: Iterable[str], claimed: Container[str]) -> None:
    """Remove from a staging folder made of a spare the previous build's files that this
    build did not write again, and the folders that leaves empty."""
    remove_files(staging, (rel for rel in previous if rel not in claimed))


def remove_files(root: str, paths: Iterable[str]) -> None:
    """Remove the files at ``paths`` (relative) in ``root``, and the folders that leaves empty."""
    folders: set[str] = set()
    for rel in paths:
        path = os.path.join(root, rel)
        try:
            os.unlink(path)
        except OSError:  # gone already, or a folder this build made in its place
            continue
        folders.add(rel.rpartition("/")[0])
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        while folder:
            try:
                os.rmdir(os.path.join(root, folder))
            except OSError:  # not empty (or gone already)
                break
            folder = folder.rpartition("/")[0]
