"""The preview's build loop: rebuild in memory when the site's sources change.

Watchdog events only mark the site dirty; one loop on its own thread waits until
saves have settled (debounce) and builds, so an atomic save, an editor's swap
files or a checkout of hundreds of files cause one rebuild. Parsed articles and
rendered pages are reused between builds where nothing they depend on changed.
A failed build keeps the last good site and records the problems to show.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler

from .build import BuildOptions, SourceCache, build
from .config import CONFIG_NAME, load_config
from .errors import BriefError, BuildFailed, Problem
from .output import MemoryWriter
from .render import PageCache

log = logging.getLogger("brief.serve")

DEBOUNCE = 0.05
"""Seconds without a new file event before a rebuild starts."""
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".bak", ".part", ".crdownload")
_IGNORED_NAMES = ("4913", ".DS_Store")


@dataclass
class Snapshot:
    """The last good build (what is served) and the problems of the latest attempt."""

    files: dict[str, bytes | Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    version: int = 0
    kind: str = "reload"
    """What changed in the latest version: "reload", "css" or "problems"."""


class Preview:
    """Builds the site into memory whenever its sources change, and tells the browsers."""

    def __init__(self, site_dir: Path, base_url: str, *, drafts: bool = True) -> None:
        self.site_dir = site_dir.resolve()
        self.base_url = base_url
        self.drafts = drafts
        self.snapshot = Snapshot()
        self.changed = threading.Condition()
        self._dirty: set[str] = set()
        self._last_event = 0.0
        self._stop = threading.Event()
        self.builds = 0
        self.last_duration = 0.0
        self.cache = SourceCache()
        self._warned: set[Problem] = set()
        self.pages = PageCache()

    # --- building -------------------------------------------------------------------------

    def rebuild(self, changed: set[str] | None = None) -> None:
        """Build now; on success serve the new site, on failure keep the old one and show why."""
        started = time.perf_counter()
        writer = MemoryWriter()
        content = self.site_dir / "content"
        if not changed or any(Path(p).name == CONFIG_NAME or Path(p).is_relative_to(self.site_dir / "templates")
                              for p in changed):
            self.pages.clear()  # the same context renders differently with other templates or settings
        if not changed or not all(p.endswith(".md") and Path(p).is_relative_to(content) for p in changed):
            self.cache.clear()  # validation reads images, static/ and brief.toml too
        else:
            for path in changed:
                self.cache.forget(Path(path))
        try:
            config = load_config(self.site_dir).with_base_url(self.base_url)
            warnings: list[Problem] = []
            build(config, None, BuildOptions(drafts=self.drafts, future=self.drafts, cache=self.cache, pages=self.pages),
                  on_warning=warnings.append, writer=writer)
            # Each rebuild reports only warnings that are new, not the whole list again.
            for warning in warnings:
                if warning not in self._warned:
                    _warn(warning)
            self._warned = set(warnings)
        except BuildFailed as exc:
            self._publish(None, exc.problems)
            for problem in exc.problems:
                log.error(problem.format())
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
        self._publish(_pinned(writer.files), [], "css" if css_only else "reload")
        log.info("Rebuilt in %.0f ms", self.last_duration * 1000)

    def _publish(self, files: dict[str, bytes | Path] | None, problems: list[Problem], kind: str = "problems") -> None:
        with self.changed:
            snapshot = self.snapshot
            self.snapshot = Snapshot(files if files is not None else snapshot.files, problems,
                                     snapshot.version + 1, kind)
            self.changed.notify_all()

    def notice(self, path: str) -> None:
        """A file changed: remember it; the build loop rebuilds once saves settle."""
        with self.changed:
            self._dirty.add(path)
            self._last_event = time.monotonic()
            self.changed.notify_all()

    def run_builds(self) -> None:
        """The rebuild loop: one build at a time, after DEBOUNCE seconds without events."""
        while not self._stop.is_set():
            with self.changed:
                while not self._dirty and not self._stop.is_set():
                    self.changed.wait(0.5)
                while not self._stop.is_set():
                    quiet = DEBOUNCE - (time.monotonic() - self._last_event)
                    if quiet <= 0:
                        break
                    self.changed.wait(quiet)
                changed, self._dirty = self._dirty, set()
            if changed and not self._stop.is_set():
                self.rebuild(changed)

    def stop(self) -> None:
        self._stop.set()
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
        if any(part.startswith(".") for part in path.parts[len(self.preview.site_dir.parts):]):
            return False
        return path == self.config or any(path.is_relative_to(source) for source in self.sources)


def _pinned(files: dict[str, bytes | Path]) -> dict[str, bytes | Path]:
    """The build's files with each copied file named by its real path, as checked by the build."""
    return {rel: entry.resolve() if isinstance(entry, Path) else entry for rel, entry in files.items()}


def _warn(problem: Problem) -> None:
    log.warning(problem.format())
