"""What every writer of the site checks (brief.output.writers): each path inside the output
folder and written once, and which file of the previous build a page may keep."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from brief.digests import digest, file_stamp
from brief.errors import Problem
from brief.output.staged import unsafe_reason


class Claims:
    """Path checks shared by every writer: inside the output, and each path written once.

    A writer given the ``previous`` build's outputs (path → (key, where it is)) reuses a
    file whose key is unchanged instead of writing it again; ``keys`` collects this build's
    (the key of a page is the digest of what it was rendered from, of anything else the
    digest of its bytes or of its source file's stamp)."""

    def __init__(self, previous: dict[str, tuple[bytes, Any]] | None = None) -> None:
        self.problems: list[Problem] = []
        self._origin: dict[str, str] = {}
        self.previous = previous
        self.keys: dict[str, bytes] = {}
        self.reused = 0

    def _claim(self, relpath: str, origin: str) -> bool:
        # (a path the previous build wrote passed this check then: it depends on the text only)
        reason = None if self.previous is not None and relpath in self.previous else unsafe_reason(relpath)
        if reason:
            self.problems.append(Problem(origin, None, None, f"refusing to write '{relpath}': {reason}"))
            return False
        key = relpath.casefold()
        if key in self._origin:
            first, second = self._origin[key], origin
            if second.startswith("page ") and not first.startswith("page "):  # report it on the file to change
                first, second = second, first
            if first.startswith("page ") and second.startswith("content/"):
                message = (
                    f"this article's page '{relpath}' is also one of brief's own pages (expected another slug, "
                    "or a permalink in brief.toml that keeps articles apart from tags/, sections/, authors/, archive/, "
                    "corrections/ and search/)"
                )
            else:
                message = f"output path '{relpath}' is also written by {first} (expected each page or file to have its own path)"
            self.problems.append(Problem(second, None, None, message))
            return False
        self._origin[key] = origin
        return True

    def _unchanged(self, relpath: str, key: bytes | None) -> Any:
        """Where the previous build's file of ``relpath`` is, when its key is ``key``."""
        if self.previous is None or key is None:
            return None
        last = self.previous.get(relpath)
        return last[1] if last is not None and last[0] == key else None

    def _key(self, data: bytes, key: bytes | None) -> bytes | None:
        return key if key is not None else digest(data) if self.previous is not None else None

    def write(self, relpath: str, data: bytes, origin: str, key: bytes | None = None) -> None:
        """Write ``data`` at ``relpath`` (made from ``key``), or keep the previous build's file
        when it was made from the same key."""
        key = self._key(data, key)
        if key is not None and self.reuse(relpath, key, origin):
            return
        self._store(relpath, data, origin, key)

    def reuse(self, relpath: str, key: bytes, origin: str) -> bool:
        raise NotImplementedError

    def keep_previous(self, pages: list[tuple[str, str]]) -> list[str]:
        """Take the previous build's file of each page ``(relpath, origin)`` with its key, as
        :meth:`reuse` with that key does; returns the paths that must be written after all."""
        previous = self.previous or {}
        again = []
        for relpath, origin in pages:
            last = previous.get(relpath)
            if last is None or not self.reuse(relpath, last[0], origin):
                again.append(relpath)
        return again

    def _store(self, relpath: str, data: bytes, origin: str, key: bytes | None) -> None:
        raise NotImplementedError

    @property
    def count(self) -> int:
        return len(self._origin)


def copy_key(source: Path) -> bytes:
    """What a copied file is made from: its source path and that file's stamp."""
    return digest("copy", str(source), repr(file_stamp(source)))
