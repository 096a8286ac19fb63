"""Where the default theme lives, and how a site's own files override it.

In a checkout the default theme is the repository's top-level ``templates/`` and
the theme's entries of ``static/`` (:data:`THEME_STATIC`); in an installed wheel
the same files ship as ``brief/_theme/`` (see ``pyproject.toml``). The sample
publication's own static files (its logo) are not part of the theme.
"""

from __future__ import annotations

import os
import posixpath
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
    """Files to copy from a site's static folder, refusing symlinks that lead out of it."""
    files: dict[str, Path] = {}
    problems: list[Problem] = []
    if folder.is_dir():
        base = folder.resolve()
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            dirnames.sort()
            current = Path(dirpath)
            for name in list(dirnames):
                link = current / name
                if link.is_symlink() and not link.resolve().is_relative_to(base):
                    problems.append(
                        Problem(
                            relpath(link, root),
                            None,
                            None,
                            f"symlink leads outside the static folder (to {link.resolve()}); copy the files in instead",
                        )
                    )
                    dirnames.remove(name)
            for name in sorted(filenames):
                if name in _SKIP_STATIC or name.endswith(("~", ".swp")):
                    continue
                path = current / name
                if path.is_symlink() and not path.resolve().is_relative_to(base):
                    problems.append(
                        Problem(
                            relpath(path, root),
                            None,
                            None,
                            f"symlink leads outside the static folder (to {path.resolve()}); copy the file in instead",
                        )
                    )
                    continue
                if not path.is_file():
                    continue
                files[path.relative_to(folder).as_posix()] = path
    return files, problems
