"""Full-text search of the articles with Pagefind.

Pagefind (the ``pagefind[extended]`` package, whose native binary ships in the wheel)
reads the article pages and writes a static index plus its search UI into
``pagefind/`` in the output; the browser downloads only the index chunks a query
needs. Only article pages are given to it, and in them only what the theme marks
with ``data-pagefind-body`` (headline, dek, takeaways, analysis, body: not
navigation, share links or related lists); sections and tags become filters.

The index is rebuilt when an article page changed and reused, file by file, from the
previous build otherwise (Pagefind has no incremental mode).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from brief import __version__
from brief.digests import digest
from brief.errors import BriefError

SEARCH_FOLDER = "pagefind"
"""Where the index and Pagefind's UI go in the output."""
ORIGIN = "search index"
BUNDLE_FILES = ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css")
"""Files every bundle has under these names (the search page links to them)."""
TIMEOUT = 1800


def search_key(pages: Iterable[tuple[str, bytes | None]]) -> bytes | None:
    """A digest of the pages to index (output path and key of each), or None when a page's
    key is unknown (then the index is always rebuilt)."""
    parts: list[bytes | str] = [__version__, pagefind_version()]
    for relpath, key in sorted(pages):
        if key is None:
            return None
        parts += [relpath, key]
    return digest(*parts)


def pagefind_version() -> str:
    try:
        from importlib.metadata import version

        return version("pagefind")
    except Exception:  # noqa: BLE001 - not installed: index() says so
        return "missing"


def index(
    pages: Mapping[str, bytes | Path],
    language: str,
    workdir: Path,
    started: Callable[[subprocess.Popen], None] | None = None,
    background: bool = False,
) -> Path:
    """Index ``pages`` (output path → HTML bytes, or the file holding them) with Pagefind;
    returns the folder holding the bundle (under ``workdir``), laid out as ``pagefind/``.

    ``started`` is given the Pagefind process (so that it can be stopped); with
    ``background`` it runs at a low CPU priority (the preview's, while an editor types)."""
    site = workdir / "site"
    bundle = workdir / SEARCH_FOLDER
    for relpath, page in pages.items():
        target = site / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(page, Path):
            try:
                os.link(page, target)
            except OSError:
                shutil.copyfile(page, target)
        else:
            target.write_bytes(page)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle), "--silent"]
    try:
        nice = shutil.which("nice") if background else None  # (preexec_fn is unsafe in a threaded server)
        proc = subprocess.Popen(
            [nice, "-n", "10", *command] if nice else command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if started is not None:
            started(proc)
        out, err = proc.communicate(timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BriefError(
            f"search index: cannot run Pagefind ({exc}); set search = false in brief.toml to build without search"
        ) from None
    if proc.returncode != 0 or not (bundle / "pagefind.js").is_file():
        why = (err or out).strip().splitlines()
        if any("No module named pagefind" in line for line in why):
            raise BriefError(
                "search index: Pagefind is not installed (pip install 'pagefind[extended]'), "
                "or set search = false in brief.toml to build without search"
            )
        raise BriefError(
            f"search index: Pagefind failed (exit code {proc.returncode}): {' / '.join(why[-5:]) or 'no output'}"
        )
    return bundle


def bundle_files(bundle: Path) -> Iterable[tuple[str, Path]]:
    """(output path, file) for each file of a bundle written by :func:`index`."""
    for dirpath, dirnames, filenames in os.walk(bundle):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            yield f"{SEARCH_FOLDER}/{path.relative_to(bundle).as_posix()}", path


def publish(
    outputs: Iterable[str], language: str, writer, progress: Callable[[str, int, int], None] | None = None
) -> int:
    """Write the search index of the pages at ``outputs`` (as ``writer`` holds them) through
    ``writer``, reusing the previous build's when the same pages (by key) were indexed.
    Returns the files written or reused."""
    pages = {relpath: page for relpath in outputs if (page := writer.written(relpath)) is not None}
    key = search_key((relpath, writer.keys.get(relpath)) for relpath in pages)
    previous = getattr(writer, "previous", None) or {}
    if key is not None:
        kept = [
            rel
            for rel, (old, _) in previous.items()
            if rel.startswith(SEARCH_FOLDER + "/") and old == _file_key(key, rel)
        ]
        if (
            kept
            and any(rel.endswith("/pagefind.js") for rel in kept)
            and writer.reuse_all({rel: _file_key(key, rel) for rel in kept}, ORIGIN)
        ):
            return len(kept)
    if progress is not None:
        progress("Search index", 0, 1)
    with tempfile.TemporaryDirectory(prefix=".brief-search-", dir=writer.scratch) as scratch:
        bundle = index(pages, language, Path(scratch))
        count = 0
        for relpath, path in bundle_files(bundle):
            writer.adopt(relpath, path, ORIGIN, _file_key(key, relpath) if key is not None else None)
            count += 1
    if progress is not None:
        progress("Search index", 1, 1)
    return count


def _file_key(key: bytes, relpath: str) -> bytes:
    return digest(key, relpath)
