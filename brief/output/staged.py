"""One file into a staging folder (brief.output.writers): always a new file, its folder made
as needed, a failure to write turned into a clear message.

A staging folder made of a spare (brief.output.spare) holds the previous build's files,
hard links to the published ones: a file is therefore never written in place, but
replaced, so that the published site stays as it was until the swap."""

from __future__ import annotations

import errno
import os
import shutil
from contextlib import contextmanager

from brief.errors import BriefError

_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_file(target: str, relpath: str, data: bytes) -> None:
    """Write one reserved file (see :meth:`OutputWriter.reserve`) as a new file: whatever
    was at ``target`` (a spare's file, which may be the published one) is replaced, never
    written into."""
    with disk_errors(relpath):
        try:
            fd = os.open(target, _NEW_FILE, 0o666)
        except FileExistsError:
            replace_path(target)
            fd = os.open(target, _NEW_FILE, 0o666)
        try:  # (through the descriptor: a file object asks 3 more system calls, 16,000 pages a build)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                if not written:  # (a disk that takes nothing and says nothing: never waited on)
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                view = view[written:]
        finally:
            os.close(fd)


def make_folder_of(relpath: str, target: str, made: set[str], spare: bool = False) -> None:
    """Make the folder of the staging path ``target`` (of the output path ``relpath``) unless
    it is in ``made``, the folders this process made so far (it is added). In a staging
    folder made of a ``spare``, a file of the previous build in the way is removed."""
    folder = target.rpartition("/")[0]
    if folder not in made:
        with disk_errors(relpath):
            try:
                _make_folder(folder)
            except (FileExistsError, NotADirectoryError):
                if not spare:
                    raise
                _clear_way(folder, len(target) - len(relpath))
        made.add(folder)


def _make_folder(path: str) -> None:
    """Make the folder ``path`` and any missing parents (``os.makedirs`` for the rare case:
    the parent of a page's folder was nearly always made for an earlier page)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        if not os.path.isdir(path):
            raise
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def _clear_way(folder: str, root: int) -> None:
    """Make ``folder`` where the spare has a file at it or at one of its parents (whose
    staging paths start after the first ``root`` characters)."""
    at = root
    while at != -1:
        at = folder.find("/", at + 1)
        part = folder if at == -1 else folder[:at]
        if os.path.lexists(part) and not os.path.isdir(part):
            os.unlink(part)
    os.makedirs(folder, exist_ok=True)


def replace_path(target: str) -> None:
    """Make room for a new file at ``target`` in a staging folder: remove what is there (a
    file that may share its inode with a published one, or a folder the previous build had
    there), so that the new file is written as a new inode, never into the old one."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)
    except PermissionError:  # (EISDIR is EPERM on some systems)
        if not os.path.isdir(target):
            raise
        shutil.rmtree(target)


@contextmanager
def disk_errors(relpath: str):
    """Turn a failed write (disk full, read-only, quota) into a clear message."""
    try:
        yield
    except OSError as exc:
        raise BriefError(f"cannot write {relpath}: {exc.strerror or exc}; the previous output is unchanged") from None


def unsafe_reason(relpath: str) -> str | None:
    """Why ``relpath`` may not be written inside the output folder, or None."""
    if not relpath or "\x00" in relpath:
        return "empty path or NUL byte"
    if "\\" in relpath or (len(relpath) > 1 and relpath[1] == ":"):
        return "backslashes and drive letters are not allowed"
    if relpath.startswith("/"):
        return "absolute paths are not allowed"
    if any(part in ("", ".", "..") for part in relpath.split("/")):
        return "the path would leave the output folder"
    return None
