"""Full-text search of the articles with Pagefind.

Pagefind (the ``pagefind[extended]`` package, whose native binary ships in the wheel)
reads the article pages and writes a static index plus its search UI into
``pagefind/`` in the output; the browser downloads only the index chunks a query
needs. Only article pages are given to it, and in them only what the theme marks
with ``data-pagefind-body`` (headline, dek, takeaways, analysis, body: not
navigation, share links or related lists); sections and tags become filters.

The index is made while the pages are written (:class:`SearchFeed`): the part of each
article page that Pagefind reads goes into a work folder as soon as the page is written,
and Pagefind (brief.output.indexer) runs once the last one is there, while the rest of
the site is written. Its bundle is then put in a fixed order (brief.output.bundle), so that
the same pages give the same files. The index is rebuilt when an article page changed and
reused, file by file, from the previous build otherwise (Pagefind has no incremental mode).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import weakref
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from pathlib import Path

from brief import __version__
from brief.digests import digest, file_stamp
from brief.errors import BriefError
from brief.forks import cores, fork_map
from brief.output.bundle import clashing, fragment_url, listed_names, settle
from brief.output.indexer import Run
from brief.output.searchable import searchable_part
from brief.output.searchparts import KeptParts, checked_part

SEARCH_FOLDER = "pagefind"
"""Where the index and Pagefind's UI go in the output."""
ORIGIN = "search index"
LINKED = (("fragment", ".pf_fragment"), ("index", ".pf_index"))
"""(folder, suffix) of the bundle's files taken from the previous build: the pages' fragments,
the word indexes (:meth:`SearchFeed._link_previous`)."""
PARALLEL_MIN_PARTS = 1000
"""From this many pages whose part is made again from their files (after an edit), on every core."""
BUNDLE_FILES = ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css")
"""Files every bundle has under these names (the search page links to them)."""


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
    """Index ``pages`` (output path → HTML bytes, or the file holding them) with Pagefind, in
    this order; returns the folder holding the bundle (under ``workdir``), laid out as
    ``pagefind/``.

    ``started`` is given the Pagefind process (so that it can be stopped); with
    ``background`` it runs at a low CPU priority (the preview's, while an editor types)."""
    site = workdir / "site"
    _make_files(site, list(pages))
    for relpath, page in pages.items():
        put_part(site, relpath, page.read_bytes() if isinstance(page, Path) else page)
    run = Run(site, workdir / SEARCH_FOLDER, background, started)
    try:
        bundle = run.wait()
    finally:
        run.close()
    settle(bundle)
    return bundle


def bundle_files(bundle: Path) -> Iterable[tuple[str, Path]]:
    """(output path, file) for each file of a bundle written by :func:`index`."""
    for dirpath, dirnames, filenames in os.walk(bundle):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            yield f"{SEARCH_FOLDER}/{path.relative_to(bundle).as_posix()}", path


def put_part(folder: Path, relpath: str, page: bytes) -> None:
    """Write the part of ``page`` that Pagefind reads into its file at ``relpath`` under
    ``folder`` (render workers call this too). Raises :class:`BriefError`."""
    try:
        with open(os.path.join(folder, relpath), "wb") as file:
            file.write(searchable_part(page))
    except OSError as exc:
        raise BriefError(f"search index: cannot write the copy of {relpath} to index: {exc.strerror or exc}") from None


class SearchFeed:
    """The search index of one build, made while its pages are written.

    The part of each page to index that Pagefind reads (brief.output.searchable) goes into
    a work folder, :attr:`folder`, as soon as the page is written: render workers put it
    there themselves, or :meth:`done` does. The folder holds an empty file for each page
    from the start, made in the build's page order, because Pagefind numbers pages in the
    order it finds them (brief.output.indexer). Pagefind starts once the last page is in,
    while the rest of the site is written; :meth:`publish` adopts its bundle.

    With the previous build's outputs Pagefind starts only when a page to index has
    changed (by key): while none has, the previous index may still do (in one process, the
    parts of pages taken from the previous build are put into the folder only then). A
    feed that is dropped (the build failed) ends its Pagefind process."""

    def __init__(self, outputs: list[str], writer, jobs: int | None = None, kept: KeptParts | None = None) -> None:
        self.outputs = outputs
        """Output paths of the pages to index, in the build's page order."""
        self.wanted = frozenset(outputs)
        self.jobs = jobs
        """Processes to make parts with (``brief build -j``); None: every core when there are many."""
        self._on_disk = isinstance(getattr(writer, "out_dir", None), Path)
        """Whether the pages are files in an output folder (the preview's writer keeps them in memory)."""
        self.kept = kept if self._on_disk else None
        """The parts of the last build's pages, by key, kept in the cache folder (``brief build``'s)."""
        self._writer = writer
        self._scratch = Path(tempfile.mkdtemp(prefix=".brief-search-", dir=writer.scratch))
        self.folder = self._scratch / "site"
        """Where the part of each page goes, at its output path."""
        _make_files(self.folder, outputs)
        self._done = 0
        self._waiting: list[str] = []
        """Pages done whose part is not in the folder yet."""
        self._changed = not writer.previous
        self._run: Run | None = None
        self._linked: tuple[set[str], set[str]] = (set(), set())
        self._unkept: set[str] = set()
        """Pages whose kept part was not as kept (its digest differs): made from the page, and kept again."""
        self._fragment_urls: dict[str, tuple[int, str]] = {}
        """The fragments linked from the previous bundle, with their sizes and pages' URLs."""
        self._ended = weakref.finalize(self, shutil.rmtree, self._scratch, True)

    def done(self, relpath: str, page: bytes | None = None, *, put: bool = False) -> None:
        """The page at ``relpath`` is written (told in page order; pages not to index are
        passed over): ``page`` is its bytes when at hand, ``put`` says its part is in the
        folder already."""
        if relpath not in self.wanted:
            return
        self._done += 1
        if not self._changed and self._key_changed(relpath):
            self._changed = True
        if not put and page is not None and self._changed:
            put_part(self.folder, relpath, page)
        elif not put:
            self._waiting.append(relpath)
        if self._changed and self._done == len(self.outputs):
            self._catch_up()

    @property
    def indexing(self) -> bool:
        """Whether Pagefind runs."""
        return self._run is not None

    def publish(self, progress: Callable[[str, int, int], None] | None = None) -> int:
        """Write the index through the writer, or reuse the previous build's when the same
        pages (by key) were indexed; returns the files written or reused."""
        try:
            return self._publish(progress)
        finally:
            self.close()

    def close(self) -> None:
        """End Pagefind and remove the work folder."""
        if self._run is not None:
            self._run.close()
        self._ended()

    def _publish(self, progress: Callable[[str, int, int], None] | None) -> int:
        writer = self._writer
        pages = [relpath for relpath in self.outputs if writer.written(relpath) is not None]
        key = search_key((relpath, writer.keys.get(relpath)) for relpath in pages)
        previous = writer.previous or {}
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
        if self._done != len(self.outputs):  # told of some pages only: a build that fails
            self._waiting, self._done = list(self.outputs), len(self.outputs)
        self._changed = True
        self._catch_up()
        assert self._run is not None
        bundle = self._run.wait()
        if any(self._linked) and not _check_links(bundle, *self._linked):
            shutil.rmtree(bundle)  # Pagefind may have taken a linked file for another page's: again, without
            self._run = Run(self.folder, bundle)
            bundle = self._run.wait()
            self._fragment_urls.clear()
        if self.kept is not None and self._fragment_urls:  # (those linked and kept are this bundle's; a
            self.kept.keep_fragment_urls(self._fragment_urls)  # build that linked none, cold, keeps the last)
        settle(bundle)
        count = 0
        for relpath, path in bundle_files(bundle):
            writer.adopt(relpath, path, ORIGIN, _file_key(key, relpath) if key is not None else None)
            count += 1
        if progress is not None:
            progress("Search index", 1, 1)
        return count

    def _key_changed(self, relpath: str) -> bool:
        """Whether the page at ``relpath`` differs from the previous build's (by key)."""
        key = self._writer.keys.get(relpath)
        last = (self._writer.previous or {}).get(relpath)
        return key is None or last is None or last[0] != key

    def _catch_up(self) -> None:
        """Put the parts of the pages waiting into the folder; once every page is done, start Pagefind.

        After an edit, the pages waiting are most of the site's: unchanged, their parts are
        copied from the parts kept by the last build (brief.output.searchparts), or made
        again from the files the previous build wrote (reading, finding the part and writing
        it take about 100 µs a page). ``brief build`` has them put on every core when there
        are many (10,000 articles made again: 1.5 s in one process). The parts of this
        build's pages are kept while Pagefind runs."""
        files: list[tuple[str, str, tuple[str, bytes] | None]] = []
        kept, keys = self.kept, self._writer.keys
        for relpath in self._waiting:
            page = self._writer.written(relpath)
            if isinstance(page, Path):
                files.append((relpath, str(page), kept.source(keys.get(relpath)) if kept is not None else None))
            elif page is not None:
                put_part(self.folder, relpath, page)
        self._waiting.clear()
        # (only an output folder's writer gives files: the preview's keeps pages in memory and never forks)
        workers = 1 if len(files) < PARALLEL_MIN_PARTS else max(1, self.jobs) if self.jobs is not None else cores()
        copied = fork_map(partial(_put_file, str(self.folder)), files, workers, max(1, len(files) // (workers * 4)))
        self._unkept.update(rel for (rel, _, source), done in zip(files, copied) if source is not None and not done)
        if self._done == len(self.outputs) and self._run is None:
            self._linked = self._link_previous(self._scratch / SEARCH_FOLDER)
            self._run = Run(self.folder, self._scratch / SEARCH_FOLDER)
            if kept is not None:  # (the main process waits for Pagefind meanwhile)
                folder, unkept = str(self.folder), self._unkept
                parts = (
                    (key, os.path.join(folder, rel), rel in unkept) for rel in self.outputs if (key := keys.get(rel))
                )
                kept.keep(parts)

    def _link_previous(self, bundle: Path) -> tuple[set[str], set[str]]:
        """Link files of the previous build's bundle into ``bundle`` before Pagefind writes it:
        it skips a file whose name is there already (a name is the start of a digest of the
        content), and compressing its files is most of its time after an edit. Linked are the
        fragments of the pages unchanged (10,000 articles: about 4 s saved) and every word
        index: a word index holds a run of words, with the pages and places of each, so an edit
        changes the ones holding a word of the edited pages whose places changed, and the
        others are written again with the same bytes under the same names (10,000 articles:
        232 of 356 kept after a sentence added to one, 2.5 s saved). Files whose names clash
        in the previous bundle stay out (see :func:`_check_links`). Which page a fragment is
        of is read from the file, unless the last build kept it (brief.output.searchparts:
        reading all 10,000 took 0.3 s). Returns the names linked, of fragments and of word
        indexes (as :data:`LINKED`)."""
        writer, previous = self._writer, self._writer.previous
        if not previous or not self._on_disk:
            return set(), set()
        unchanged = {_page_url(rel) for rel in self.outputs if not self._key_changed(rel)}
        fragments: set[str] = set()
        chunks: set[str] = set()
        known = self.kept.fragments if self.kept is not None else {}
        for (folder, suffix), found in zip(LINKED, (fragments, chunks), strict=True):
            start = f"{SEARCH_FOLDER}/{folder}/"
            names = {rel[len(start) : -len(suffix)]: rel for rel in previous if rel.startswith(start)}
            risky = clashing(set(names))
            os.makedirs(bundle / folder, exist_ok=True)
            for name, rel in names.items():
                source, stamp = writer.out_dir / rel, previous[rel][1]
                if name in risky or file_stamp(source) != stamp:
                    continue
                try:
                    if found is fragments:
                        size, url = known.get(name) or (-1, None)
                        if size != stamp[1]:  # (read only the fragments the last build did not keep)
                            url = fragment_url(source.read_bytes())
                        if url not in unchanged:
                            continue
                        self._fragment_urls[name] = (stamp[1], url)
                    os.link(source, bundle / folder / f"{name}{suffix}")
                    found.add(name)
                except OSError:
                    continue  # (no hard links here: Pagefind writes it)
        return fragments, chunks


def _put_file(folder: str, job: tuple[str, str, tuple[str, bytes] | None]) -> bool:
    """Put the part of the page in the file ``job[1]`` at ``job[0]`` under ``folder``: a copy
    of the part kept in the file ``job[2][0]`` when its digest is ``job[2][1]`` (then True),
    else made from the page."""
    relpath, path, kept = job
    part = checked_part(*kept) if kept is not None else None
    if part is not None:
        with open(os.path.join(folder, relpath), "wb") as file:
            file.write(part)
        return True
    with open(path, "rb") as file:
        page = file.read()
    put_part(Path(folder), relpath, page)
    return False


def _check_links(bundle: Path, fragments: set[str], chunks: frozenset[str] | set[str] = frozenset()) -> bool:
    """Whether each file linked in from the previous build is the one Pagefind would have
    written under its name in ``bundle``: ``fragments`` (a page's) and ``chunks`` (word
    indexes). Removes those the bundle does not list.

    A linked fragment holds the fragment of a page that did not change, under the name it
    had: Pagefind gives that page the same name unless the name's first characters are
    another page's, and then one of the two names is lengthened (by the order of the pages),
    which the names listed show. Otherwise the file is the page's. A word index is named by
    the start of a digest of its bytes, lengthened the same way; one listed under a name
    that clashes with no other is the one Pagefind made, but for a digest of other bytes
    beginning with the same 7 hex digits (a chance of 1 in 2^28 for each index the edit
    changed), which Pagefind itself takes when run again into its own output folder."""
    listed = listed_names(bundle)
    if listed is None:
        return False
    if any(clashing(names) & linked for linked, names in zip((fragments, chunks), listed, strict=True)):
        return False
    for (folder, suffix), linked, names in zip(LINKED, (fragments, chunks), listed, strict=True):
        for name in linked - names:
            (bundle / folder / f"{name}{suffix}").unlink()
    return True


def _page_url(relpath: str) -> str:
    """The URL Pagefind gives the page at ``relpath``."""
    return "/" + (relpath[: -len("index.html")] if relpath.rpartition("/")[2] == "index.html" else relpath)


def _make_files(folder: Path, outputs: list[str]) -> None:
    """An empty file at each output path under ``folder``, made in this order."""
    made: set[str] = set()
    try:
        for relpath in outputs:
            parent = relpath.rpartition("/")[0]
            if parent not in made:
                os.makedirs(os.path.join(folder, parent), exist_ok=True)
                made.add(parent)
            os.close(os.open(os.path.join(folder, relpath), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644))
    except OSError as exc:
        raise BriefError(f"search index: cannot make its work folder {folder}: {exc.strerror or exc}") from None


def _file_key(key: bytes, relpath: str) -> bytes:
    return digest(key, relpath)
