"""Where the default theme lives, how a site's own files override it, and how any of a
site's files is read.

Articles, author profiles and images are read through :func:`read_input`, and static
files and heroes are checked with :func:`input_problem` before anything copies them: only
regular files are read (reading a FIFO, a socket or a device would block a build or never
end; each is refused with a problem naming what it is), and each kind of file has a size
limit (:data:`TEXT_LIMIT`, :data:`FILE_LIMIT`).

In a checkout the default theme is the repository's top-level ``templates/`` and
the theme's entries of ``static/`` (:data:`THEME_STATIC`); in an installed wheel
the same files ship as ``brief/_theme/`` (see ``pyproject.toml``). The sample
publication's own static files (its logo) are not part of the theme.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from brief.errors import Problem, relpath

_PACKAGE = Path(__file__).resolve().parent

_SKIP_STATIC = (".DS_Store", "Thumbs.db")
"""Files of static/ never published (what file managers leave behind)."""
THEME_STATIC = ("css", "js", "images/favicon.svg", "images/placeholder.svg")
"""Entries of static/ that belong to the default theme; kept in step with pyproject.toml."""


@cache
def theme_dir() -> Path:
    """Folder holding the default ``templates/`` and ``static/``."""
    packaged = _PACKAGE / "_theme"
    if (packaged / "templates").is_dir():
        return packaged
    return _PACKAGE.parent


def theme_templates_dir() -> Path:
    return theme_dir() / "templates"


def theme_static_files() -> dict[str, Path]:
    """The default theme's static files, by path relative to static/."""
    static = theme_dir() / "static"
    files: dict[str, Path] = {}
    for entry in THEME_STATIC:
        path = static / entry
        if path.is_file():
            files[entry] = path
        elif path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    file = Path(dirpath) / name
                    files[file.relative_to(static).as_posix()] = file
    return files


def static_file(static_dir: Path, site_path: str) -> Path | None:
    """The file behind a root-relative path such as ``/images/logo.svg``: the site's static/
    first, then the theme's; None when neither has it or the path leaves static/."""
    clean = posixpath.normpath(site_path)
    if not clean.startswith("/") or clean.startswith(("/..", "//")):
        return None
    rel = clean.lstrip("/")
    if any(part.startswith(".") for part in rel.split("/")):  # hidden files are never published
        return None
    candidate = static_dir / rel
    try:
        inside = candidate.resolve().is_relative_to(static_dir.resolve())
    except (OSError, RuntimeError, ValueError):
        inside = False
    if inside and candidate.is_file():
        return candidate
    return theme_static_files().get(rel)


def static_files(folder: Path, root: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Files to copy from a site's static folder, refusing symlinks that lead out of it, files
    that are not regular files (a FIFO, a socket, a device) and files over :data:`FILE_LIMIT`."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    if not folder.is_dir():
        return files, problems
    base = folder.resolve()
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        current = Path(dirpath)
        for name in list(dirnames):
            outside = _outside(current / name, base, root, "the files")
            if outside is not None:
                problems.append(outside)
                dirnames.remove(name)
        for name in sorted(filenames):
            if name in _SKIP_STATIC or name.endswith(("~", ".swp")):
                continue
            path = current / name
            outside = _outside(path, base, root, "the file")
            if outside is not None:
                problems.append(outside)
                continue
            why = input_problem(path, FILE_LIMIT)
            if why is not None:
                problems.append(Problem(relpath(path, root), None, None, why))
            elif path.is_file():  # not a broken symlink
                files[path.relative_to(folder).as_posix()] = path
    return files, problems


# --- reading a site's files -----------------------------------------------------------------

MiB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limit:
    """The largest file of one kind that brief reads."""

    size: int
    """In bytes."""
    what: str
    """The kind of file, as a message names it ("an article or author profile")."""
    hint: str
    """What to do with a larger file."""


TEXT_LIMIT = Limit(64 * MiB, "an article or author profile", "split it into several articles")
"""Articles and profiles are parsed and rendered, and a build holds many times their size
while it runs. 64 MiB of Markdown is about ten million words; hostile Markdown (ten
thousand nested quotes, 48 MiB) stays under it, so that it is reported where it goes wrong."""
FILE_LIMIT = Limit(256 * MiB, "an image or static file", "publish it from a media host and link to it")
"""Images and static files are published as they are (a PNG, JPEG or WebP image is also
decoded and resized), each read whole. 256 MiB is more than most static hosts take as one
file (GitHub Pages 100 MB, Cloudflare Pages 25 MiB)."""


class InputError(OSError):
    """A site's file that brief refuses to read; ``str(exc)`` says why, in one line."""


_KINDS = (
    (stat.S_ISFIFO, "a FIFO, or named pipe"),
    (stat.S_ISSOCK, "a Unix socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)  # (Windows: its descriptors are text unless asked otherwise)
)
"""Opening never waits (a FIFO has no writer) nor makes a terminal the controlling one."""


def input_problem(path: Path, limit: Limit) -> str | None:
    """Why ``path`` is not read as a site's file (it is not a regular file, or it is larger
    than ``limit``), or None: it can be read, or it does not exist (the caller says what it
    expected)."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return _why_not(path, info, limit)


def read_input(path: Path, limit: Limit, head: int | None = None) -> bytes:
    """The bytes of a site's file, or only its first ``head`` bytes (then any size will do).

    Raises :class:`InputError` for a file that is not a regular file or is larger than
    ``limit``, OSError for one that cannot be read. The file is checked before it is opened
    (opening a device can do things of its own), opened without blocking and checked again:
    a file swapped for a FIFO in between is refused, never waited on."""
    sized = head is None
    why = _why_not(path, os.stat(path), limit, sized)
    if why is None:
        fd = os.open(path, _OPEN_FLAGS)  # (read through the descriptor: a file object asks 3 more system calls)
        try:
            info = os.fstat(fd)
            why = _why_not(path, info, limit, sized)
            if why is None:
                return _read_all(fd, info.st_size, limit) if head is None else _read_up_to(fd, head)
        finally:
            os.close(fd)
    raise InputError(why)


def _read_all(fd: int, expected: int, limit: Limit) -> bytes:
    data = _read_up_to(fd, expected + 1)  # one byte more than measured: did the file grow since?
    if len(data) > expected:
        data += _read_up_to(fd, limit.size + 1 - len(data))
        if len(data) > limit.size:
            raise InputError(_too_large(len(data), limit))
    return data


def _read_up_to(fd: int, size: int) -> bytes:
    """``size`` bytes read from ``fd``, or fewer where the file ends."""
    data = os.read(fd, size)
    if not data or len(data) == size:
        return data
    parts = [data]
    size -= len(data)
    while size > 0 and (data := os.read(fd, size)):
        parts.append(data)
        size -= len(data)
    return b"".join(parts)


def _why_not(path: Path, info: os.stat_result, limit: Limit, sized: bool = True) -> str | None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "a special file")
        if path.is_symlink():
            kind = f"a symlink to {kind}"
        return f"not a regular file ({kind}); brief reads only regular files"
    if sized and info.st_size > limit.size:
        return _too_large(info.st_size, limit)
    return None


def _too_large(size: int, limit: Limit) -> str:
    return (
        f"file is too large: {size / MiB:,.1f} MiB ({size:,} bytes), over the {limit.size // MiB:,} MiB "
        f"limit for {limit.what}; {limit.hint}"
    )


def _outside(path: Path, base: Path, root: Path, what: str) -> Problem | None:
    """A symlink in static/ that leads out of it (its target is never published)."""
    if path.is_symlink() and not path.resolve().is_relative_to(base):
        return Problem(
            relpath(path, root),
            None,
            None,
            f"symlink leads outside the static folder (to {path.resolve()}); copy {what} in instead",
        )
    return None
