"""Content-hashed names for the stylesheets and scripts templates link to.

Every ``.css`` and ``.js`` file of the published static files (the theme's and the
site's) is also published under a name carrying a digest of its bytes:
``css/brief.css`` → ``css/brief.3f2a1c9e.css``. Templates link to them through
``asset()``, so a host may let browsers keep them for a year: a changed file gets a
new name. The plain names stay published for anything else that links to them.
Other static files keep their names only. The live preview builds without hashed
names, so a stylesheet can be swapped in place while an editor types.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from pathlib import Path

from brief.theme import FILE_LIMIT, read_input
from brief.urls import path_url

FINGERPRINTED = (".css", ".js")
"""Suffixes of the static files published under content-hashed names."""
HASH_LENGTH = 8


def fingerprinted(files: dict[str, Path]) -> dict[str, str]:
    """Output path → content-hashed output path, for each stylesheet and script in ``files``
    (output path → source file). An unreadable file keeps its plain name only."""
    names: dict[str, str] = {}
    for relpath, source in files.items():
        stem, suffix = posixpath.splitext(relpath)
        if suffix.lower() not in FINGERPRINTED:
            continue
        try:
            data = read_input(source, FILE_LIMIT)
        except OSError:  # InputError too; the static files' listing or the copy reports it
            continue
        names[relpath] = f"{stem}.{hashlib.sha256(data).hexdigest()[:HASH_LENGTH]}{suffix}"
    return names


_CSS_PIECE = re.compile(rb"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|/\*.*?\*/|\n[ \t]+|[ \t]+\n""", re.S)


_CSS_LEFT = re.compile(rb"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|[ \t]+\n|\n\s*\n""")


def slim_css(data: bytes) -> bytes:
    """A stylesheet without its comments and indentation (strings kept as written): what the
    content-hashed copy readers download holds; the plain-named copy stays as written."""

    def keep(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:
            return match.group(1)
        return b"" if match.group().startswith(b"/*") else b"\n"

    def tidy(match: re.Match[bytes]) -> bytes:
        return match.group(1) if match.group(1) is not None else b"\n"

    # Then what the comments left: the spaces before a comment at the end of a line, empty lines.
    return _CSS_LEFT.sub(tidy, _CSS_PIECE.sub(keep, data)).strip() + b"\n"


def asset_url(base_path: str, names: dict[str, str]):
    """The templates' ``asset(path)``: the URL of a static file, hashed where there is a hashed name."""

    def asset(path: object) -> str:
        relpath = str(path).lstrip("/")
        return base_path + path_url(names.get(relpath, relpath))

    return asset
