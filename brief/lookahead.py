"""What ``brief build`` checks of the last build's files, checked on the other core while it
imports the modules that build.

A cached build of 10,000 articles spends its first 0.2 s importing brief's modules, on one
core. Later it verifies the cache it loads (the main file's signature and the SHA-256 of
55 MB of shards: 40 ms) and, as it keeps each page it need not render again, checks that
the file is as the last build left it (a ``stat`` of each of 16,000 files: 40 ms). None of
that needs those modules, so :func:`look_ahead` forks a process that does it meanwhile and
sends back what it found: each shard file's digest, whether the main file's signature
holds, which of the last build's output files are not as recorded, and whether the output
folder holds any file the manifest does not record (when none, the spare tree is made of
the old output without walking it: brief.output.spare).

What the process found is used only for the very file it read: each finding comes with
the file's stamp (inode, size, time to the nanosecond), and the build uses it only when
the file it opens has that stamp (:meth:`CacheFiles.digest`); otherwise it does the work
itself, as it does when the process could not start, failed or is not done. A file replaced
after the process read it is a new inode, hence checked again; changing one in place needs
its owner (the cache's files are written with mode 0600), who holds the cache key anyway.
The output files are checked against the stamps the manifest recorded, which belong to
the save it was written with (:attr:`OutputChecks.saved`): the build uses them only for
a cache of that save.
"""

from __future__ import annotations

import os
import pickle
import select
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from brief.cachefile import SHARD_DIR
from brief.cacheread import file_digest, main_signed
from brief.forks import end_process, fork_process, may_fork_helper
from brief.manifest import CACHE_FILE, MANIFEST_FILE, read_manifest, signing_key
from brief.output.spare import SPARES, spares_for
from brief.stamps import tree_files

Stamp = tuple[int, int, int]
"""(mtime in ns, size, inode): brief.digests.file_stamp's."""


@dataclass
class CacheFiles:
    """What the process found of the cache's files."""

    digests: dict[str, tuple[Stamp, bytes]] = field(default_factory=dict)
    """Shard file name → (its stamp, the SHA-256 of its bytes)."""
    signed: Stamp | None = None
    """The main file's stamp, when its signature was found to hold (None: not checked, or not holding)."""

    def digest(self, name: str, stamp: Stamp) -> bytes | None:
        """The SHA-256 of the shard file ``name`` when it was read with ``stamp``, else None."""
        found = self.digests.get(name)
        return found[1] if found is not None and found[0] == stamp else None


@dataclass(frozen=True)
class OutputChecks:
    """Which of the last build's output files are not as the manifest recorded them."""

    saved: bytes
    """The save whose manifest it was (brief.cache.BuildCache.saved)."""
    changed: dict[str, frozenset[str]]
    """Folder (the output folder, each spare tree) → the output paths whose file there is
    missing or has another stamp than the one recorded."""
    exact: frozenset[str] = frozenset()
    """The output folder (its path) when it holds no file at a path the manifest does not
    record (nothing put there by hand): then what it holds is known without walking it."""


class Lookahead:
    """The process of :func:`look_ahead`, and what it has sent so far."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid, self._fd = pid, fd
        self._buffer = b""
        self.cache = CacheFiles()
        self.outputs: OutputChecks | None = None
        self._ended = weakref.finalize(self, end_process, pid, fd)  # (a build that fails early may not wait)

    def signed(self, stamp: Stamp) -> bool:
        """Whether the cache's main file, read with ``stamp``, was found signed (so far: without waiting)."""
        if self.cache.signed is None:
            self._read(wait=False)
        return self.cache.signed == stamp

    def digest(self, name: str, stamp: Stamp) -> bytes | None:
        """The SHA-256 of the shard file ``name`` read with ``stamp``, if found (so far: without waiting)."""
        found = self.cache.digest(name, stamp)
        if found is None:
            self._read(wait=False)
            found = self.cache.digest(name, stamp)
        return found

    def output_checks(self) -> OutputChecks | None:
        """The output checks (waiting for them); None when the process sends none."""
        while self.outputs is None and self._fd >= 0:
            self._read(wait=True)
        return self.outputs

    def close(self) -> None:
        self._ended()
        self._fd = -1

    def _read(self, wait: bool) -> None:
        if self._fd < 0:
            return
        try:
            while wait or select.select([self._fd], [], [], 0)[0]:
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    self.close()
                    return
                self._buffer += chunk
                if self._take():
                    return
        except OSError:
            self.close()

    def _take(self) -> bool:
        """Take the whole messages in the buffer; whether the output checks were among them."""
        took = False
        while len(self._buffer) >= 4:
            size = int.from_bytes(self._buffer[:4], "little")
            if len(self._buffer) < 4 + size:
                break
            kind, value = pickle.loads(self._buffer[4 : 4 + size])  # (from our own child: plain data)
            self._buffer = self._buffer[4 + size :]
            if kind == "shard":
                name, stamp, sha = value
                self.cache.digests[name] = (stamp, sha)
            elif kind == "signed":
                self.cache.signed = value
            elif kind == "outputs":
                self.outputs = value
                took = True
        return took


def look_ahead(cache_dir: Path, out_dir: Path) -> Lookahead | None:
    """Start the process for the cache in ``cache_dir`` and the output folder ``out_dir``;
    None where this system cannot fork, or this process has threads (forking one is unsafe)."""
    if not may_fork_helper():
        return None
    if signing_key() is None:  # (read, or made, here: the process must not make it)
        return None
    read, write = os.pipe()

    def send() -> int:  # (in the process: what it finds, as it finds it)
        os.close(read)
        for message in _findings(cache_dir, out_dir):
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(len(data).to_bytes(4, "little") + data)
            while view:
                view = view[os.write(write, view) :]
        return 0

    pid = fork_process(send)
    os.close(write)
    if pid < 0:
        os.close(read)
        return None
    return Lookahead(pid, read)


# --- in the process --------------------------------------------------------------------------


def _findings(cache_dir: Path, out_dir: Path) -> Iterator[tuple[str, object]]:
    signed = main_signed(cache_dir / CACHE_FILE)
    if signed is not None:
        yield "signed", signed
    shards = cache_dir / SHARD_DIR
    try:
        names = sorted(name for name in os.listdir(shards) if not name.startswith("."))
    except OSError:
        names = []
    for name in names:
        found = file_digest(shards / name)
        if found is not None:
            yield "shard", (name, *found)
    manifest = read_manifest(cache_dir / MANIFEST_FILE)
    saved, outputs = (manifest.get("saved"), manifest.get("outputs")) if manifest is not None else (None, None)
    if not (isinstance(saved, bytes) and saved and isinstance(outputs, dict)):
        return
    spares = spares_for(cache_dir / SPARES, out_dir)
    try:
        folders = [spares / name for name in sorted(os.listdir(spares)) if not name.startswith(".")]
    except OSError:
        folders = []
    changed = {str(folder): _changed(folder, outputs) for folder in [out_dir, *folders]}
    exact = frozenset() if _others(out_dir, outputs) else frozenset({str(out_dir)})
    yield "outputs", OutputChecks(saved, changed, exact)


def _changed(folder: Path, outputs: dict[str, Stamp]) -> frozenset[str]:
    """The paths of ``outputs`` whose file in ``folder`` is missing or has another stamp."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)  # (the build may rename the folder meanwhile)
    except OSError:
        return frozenset(outputs)
    try:
        changed = []
        stat = os.stat
        for rel, stamp in outputs.items():
            try:
                info = stat(rel, dir_fd=fd)
            except OSError:
                changed.append(rel)
                continue
            if (info.st_mtime_ns, info.st_size, info.st_ino) != stamp:
                changed.append(rel)
        return frozenset(changed)
    finally:
        os.close(fd)


def _others(folder: Path, outputs: dict[str, Stamp]) -> bool:
    """Whether ``folder`` holds anything but folders at a path that ``outputs`` does not name
    (True when it cannot be read: not known)."""
    try:
        return any(rel not in outputs for rel, _ in tree_files(str(folder), linked_folders_skipped=False))
    except OSError:
        return True
