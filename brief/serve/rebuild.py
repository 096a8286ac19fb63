"""The preview's build loop: rebuild in memory when the site's sources change.

Watchdog events only mark the site dirty; one loop on its own thread waits until
saves have settled (debounce) and builds, so an atomic save, an editor's swap
files or a checkout of hundreds of files cause one rebuild. Parsed articles and
rendered pages are reused between builds where nothing they depend on changed.
A failed build keeps the last good site and records the problems to show.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from brief.build import BuildOptions, BuildState, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.edit import render_article_page
from brief.errors import BriefError, BuildFailed, Problem, errors_in
from brief.excerpts import Excerpt, excerpts, shown
from brief.output.writers import MemoryWriter
from brief.settings import CONFIG_NAME

log = logging.getLogger("brief.serve")

DEBOUNCE = 0.05
"""Seconds without a new file event before a rebuild starts."""
SETTLE = 0.3
"""Longest wait, once events have settled, for a changed source file that is missing or
empty to come back: editors that rename the old file away before writing the new one
(vim's default) or truncate before writing must not make a rebuild report it missing."""
SEARCH_DELAY = 1.0
"""Seconds after the last successful rebuild before the search index is rebuilt."""
FETCH_GRACE = 0.5
"""Longest wait, after showing an edited page at once, for a browser to fetch it."""
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".part", ".crdownload")
_IGNORED_NAMES = ("4913", ".DS_Store")


@dataclass
class Snapshot:
    """The last good build (what is served) and the problems of the latest attempt."""

    files: dict[str, bytes | Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    version: int = 0
    kind: str = "reload"
    """What the latest version tells browsers: "reload", "update" (the rest of an edit shown
    at once), "css", "problems", or "silent" (nothing to tell)."""
    paths: tuple[str, ...] | None = None
    """URL paths whose pages changed in the latest version (None: reload every page)."""
    excerpts: dict[Problem, Excerpt] = field(default_factory=dict)
    """The source lines of each error of ``problems`` that has them (brief/excerpts.py)."""


class Preview:
    """Builds the site into memory whenever its sources change, and tells the browsers."""

    def __init__(
        self, site_dir: Path, base_url: str, *, drafts: bool = True, future: bool | None = None, terse: bool = False
    ) -> None:
        self.site_dir = site_dir.resolve()
        self.base_url = base_url
        self.drafts = drafts
        self.future = drafts if future is None else future
        """Keep articles dated in the future (by default when drafts are kept: scheduled ones too)."""
        self.terse = terse
        """Log each problem on one line, without its source lines (-q)."""
        self.snapshot = Snapshot()
        self.changed = threading.Condition()
        self.listeners: list[Callable[[Snapshot], None]] = []
        """Called with each new snapshot, on the thread that made it (the live-reload stream)."""
        self._dirty: set[str] = set()
        self._last_event = 0.0
        self._stop = threading.Event()
        self.builds = 0
        self.last_duration = 0.0
        self.cache = BuildCache()
        """Everything the last build kept (the same cache `brief build` keeps on disk)."""
        self._state: BuildState | None = None
        """What the last good build made (the site index, views, renderer, environment)."""
        self._fast_output: str | None = None
        self._fetched = threading.Event()
        self._warned: set[Problem] = set()
        self._search_files: dict[str, bytes | Path] = {}
        """The search index of the last indexed build, served with every later one."""
        self._search_key: bytes | None = None
        self._search_timer: threading.Timer | None = None
        self._search_lock = threading.Lock()
        self._indexing: list = []
        """The Pagefind process while one runs (stop() ends it)."""

    # --- building -------------------------------------------------------------------------

    def rebuild(self, changed: set[str] | None = None) -> None:
        """Build now; on success serve the new site, on failure keep the old one and show why."""
        started = time.perf_counter()
        writer = MemoryWriter()
        changed = changed or set()
        for path in changed:
            self.cache.forget(Path(path))  # whatever its stamp says, read it again
        shown_at_once = bool(changed) and len(changed) == 1 and self._show_edit_at_once(Path(next(iter(changed))))
        if shown_at_once:
            log.info("Showed the edited page in %.0f ms; rebuilding the rest", (time.perf_counter() - started) * 1000)
            # Let browsers fetch the edited page before the full rebuild takes the CPU (and the GIL).
            self._fetched.wait(FETCH_GRACE)
            time.sleep(0.05)
            started = time.perf_counter()
        try:
            config = load_config(self.site_dir).with_base_url(self.base_url)
            warnings: list[Problem] = []
            # Search is indexed after a pause (index_search), and stylesheets keep plain names
            # so that a CSS save is swapped in place.
            result = build(
                config,
                None,
                BuildOptions(drafts=self.drafts, future=self.future, cache=self.cache, search=False, fingerprint=False),
                on_warning=warnings.append,
                writer=writer,
            )
            self._state = result.state
            # Each rebuild reports only warnings that are new, not the whole list again.
            for warning in warnings:
                if warning not in self._warned:
                    _warn(warning)
            self._warned = set(warnings)
        except BuildFailed as exc:
            found = excerpts(self.site_dir, errors_in(exc.problems))
            self._publish(None, exc.problems, excerpts=found)
            for problem in exc.problems:
                log.error(problem.format() if self.terse else shown(problem, found))
            log.error("Error: %s (still serving the last good version)", exc.message)
            return
        except BriefError as exc:
            self._publish(None, [Problem(CONFIG_NAME, None, None, exc.message)])
            log.error("Error: %s", exc.message)
            return
        finally:
            self.builds += 1
            self.last_duration = time.perf_counter() - started
        css_only = bool(changed) and all(path.endswith(".css") for path in changed) and not self.snapshot.problems
        files = _pinned(writer.files)
        # The search index last made is served with every build (so it is no change).
        served = {**files, **self._search_files}
        paths = None if self.snapshot.problems or css_only else self._changed_pages(self.snapshot.files, served)
        if shown_at_once:
            # The edited page went out already as the reload; this completes the site: pages
            # that changed since get an "update", and nothing at all is sent when none did.
            kind = "update" if paths is None or paths else "silent"
        else:
            kind = "css" if css_only else "reload"
        self._publish(files, [], kind, paths)
        log.info("Rebuilt in %.0f ms", self.last_duration * 1000)
        if config.search and self._state is not None and self._state.site.articles:
            self._schedule_search()

    def _schedule_search(self) -> None:
        if self._search_timer is not None:
            self._search_timer.cancel()
        if self._stop.is_set():
            return
        self._search_timer = threading.Timer(SEARCH_DELAY, self.index_search)
        self._search_timer.daemon = True
        self._search_timer.start()

    def index_search(self) -> None:
        """Index the articles of the site now served and serve the index with it (and with
        every later build until the next index)."""
        from brief.digests import digest
        from brief.output.search import bundle_files, index, search_key

        with self._search_lock:
            snapshot, state = self.snapshot, self._state
            if state is None or self._stop.is_set():
                return
            outputs = [a.output_dir + "/index.html" for a in state.site.articles if a.slug in state.site.built]
            pages: dict[str, bytes] = {
                rel: data for rel in outputs if isinstance(data := snapshot.files.get(rel), bytes)
            }
            key = search_key((rel, digest(page)) for rel, page in pages.items())
            if key == self._search_key:
                return
            started = time.perf_counter()
            try:
                with tempfile.TemporaryDirectory(prefix="brief-search-") as scratch:
                    bundle = index(
                        pages, state.config.language, Path(scratch), started=self._started_indexing, background=True
                    )
                    found: dict[str, bytes | Path] = {rel: path.read_bytes() for rel, path in bundle_files(bundle)}
            except BriefError as exc:
                if not self._stop.is_set():
                    log.error("Error: %s", exc.message)
                return
            finally:
                self._indexing.clear()
            if self._stop.is_set():
                return
            with self.changed:
                current, previous = self.snapshot, self._search_files
                self._search_files, self._search_key = found, key
                # The new index replaces the last one: its files named by content go too.
                files = {rel: data for rel, data in current.files.items() if rel not in previous}
                files.update(found)
                self._set(replace(current, files=files, version=current.version + 1, kind="silent", paths=()))
            log.info("Indexed %d articles for search in %.0f ms", len(pages), (time.perf_counter() - started) * 1000)

    def _show_edit_at_once(self, path: Path) -> bool:
        """For an edit of one article, render just its page with the last build's index and
        publish it at once; the full rebuild that follows publishes the exact site."""
        state, snapshot = self._state, self.snapshot
        content = self.site_dir / "content"
        if state is None or snapshot.problems or path.suffix != ".md" or not path.is_relative_to(content):
            return False
        page = render_article_page(state, path)
        if page is None or any(out not in snapshot.files for out in page.files):
            return False
        files = dict(snapshot.files)
        files[page.output] = page.data
        self._fetched.clear()
        self._fast_output = page.output
        self._publish(files, [], "reload", (state.config.base_path + page.path.lstrip("/"),))
        return True

    def served(self, relpath: str) -> None:
        """The HTTP server sent ``relpath`` (lets a rebuild wait until the edited page went out)."""
        if relpath == self._fast_output:
            self._fetched.set()

    def _changed_pages(self, old: dict[str, bytes | Path], new: dict[str, bytes | Path]) -> tuple[str, ...] | None:
        """URL paths of the HTML pages that differ between two builds (None when too many to list)."""
        base = self._state.config.base_path if self._state is not None else "/"
        changed = [
            rel
            for rel in new.keys() | old.keys()
            if rel.endswith(".html") and (old.get(rel) is not new.get(rel)) and old.get(rel) != new.get(rel)
        ]
        # Feeds and sitemaps change with every edit but no page shows them; anything else
        # that changed (an image, a script) may be on any page: then every page reloads.
        if len(changed) > 500 or any(
            not rel.endswith((".html", ".xml", ".json", ".txt")) and old.get(rel) != new.get(rel)
            for rel in new.keys() | old.keys()
        ):
            return None
        return tuple(
            sorted(base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel) for rel in changed)
        )

    def _publish(
        self,
        files: dict[str, bytes | Path] | None,
        problems: list[Problem],
        kind: str = "problems",
        paths: tuple[str, ...] | None = None,
        excerpts: dict[Problem, Excerpt] | None = None,
    ) -> None:
        with self.changed:
            snapshot = self.snapshot
            files = {**files, **self._search_files} if files is not None else snapshot.files
            self._set(Snapshot(files, problems, snapshot.version + 1, kind, paths, excerpts or {}))

    def _set(self, snapshot: Snapshot) -> None:
        """Serve ``snapshot`` from now on and tell whoever listens (called holding ``changed``)."""
        self.snapshot = snapshot
        self.changed.notify_all()
        for listener in self.listeners:
            listener(snapshot)

    def notice(self, path: str) -> None:
        """A file changed: remember it; the build loop rebuilds once saves settle."""
        with self.changed:
            self._dirty.add(path)
            self._last_event = time.monotonic()
            self.changed.notify_all()

    def run_builds(self) -> None:
        """The rebuild loop: one build at a time, after DEBOUNCE seconds without events."""
        while not self._stop.is_set():
            changed = self._next_batch()
            if changed and not self._stop.is_set():
                self.rebuild(changed)

    def _next_batch(self) -> set[str]:
        """The files changed once saves have settled: DEBOUNCE seconds without an event, and
        no changed file missing or empty, unless it stays so for SETTLE seconds."""
        batch: set[str] = set()
        settle_until: float | None = None
        with self.changed:
            while not self._dirty and not self._stop.is_set():
                self.changed.wait(0.5)
            while not self._stop.is_set():
                quiet = DEBOUNCE - (time.monotonic() - self._last_event)
                if quiet > 0:
                    self.changed.wait(quiet)
                    continue
                batch |= self._dirty
                self._dirty = set()
                now = time.monotonic()
                if not any(_unsettled(path) for path in batch):
                    break
                settle_until = settle_until if settle_until is not None else now + SETTLE
                if now >= settle_until:
                    break
                self.changed.wait(min(0.02, settle_until - now))  # a new event restarts the debounce
        return batch

    def _started_indexing(self, proc) -> None:
        self._indexing.append(proc)
        if self._stop.is_set():  # stop() came first: it may have found nothing to end
            proc.kill()

    def stop(self) -> None:
        self._stop.set()
        if self._search_timer is not None:
            self._search_timer.cancel()
        for proc in list(self._indexing):
            proc.kill()
        with self._search_lock:  # wait until an index run has cleaned up after itself
            pass
        with self.changed:
            self.changed.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()


class Watcher(FileSystemEventHandler):
    """Passes real changes of the site's sources to the preview; ignores editors' leftovers."""

    def __init__(self, preview: Preview) -> None:
        self.preview = preview
        root = preview.site_dir
        self.sources = [root / "content", root / "templates", root / "static"]
        self.config = root / CONFIG_NAME

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write") or event.is_directory and event.event_type == "modified":
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if raw and self._relevant(Path(raw if isinstance(raw, str) else raw.decode())):
                self.preview.notice(str(raw))

    def _relevant(self, path: Path) -> bool:
        name = path.name
        if name.startswith((".#", "#")) or name.endswith(_IGNORED_SUFFIXES) or name in _IGNORED_NAMES:
            return False
        if any(part.startswith(".") for part in path.parts[len(self.preview.site_dir.parts) :]):
            return False
        return path == self.config or any(path.is_relative_to(source) for source in self.sources)


def _unsettled(path: str) -> bool:
    """True for a path that is gone, or an empty file: maybe an editor's save halfway done."""
    try:
        return Path(path).stat().st_size == 0 and Path(path).is_file()
    except OSError:
        return True


def _pinned(files: dict[str, bytes | Path]) -> dict[str, bytes | Path]:
    """The build's files with each copied file named by its real path, as checked by the build."""
    return {rel: entry.resolve() if isinstance(entry, Path) else entry for rel, entry in files.items()}


def _warn(problem: Problem) -> None:
    log.warning(problem.format())
