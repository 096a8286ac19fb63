"""The image stage: the copies the Markdown pass planned and the image cache lacks, made on
every core.

The Markdown pass only reads each image's header and plans its copies (brief.media.images);
this stage, which the build runs once every input has been checked, makes them. Each
original is read and decoded once, at the smallest scale its widest copy allows (a JPEG
decodes at 1/2, 1/4 or 1/8 of its size in libjpeg, far cheaper than decoding every pixel),
turned as its EXIF orientation says, resized once per width and encoded in each format.

Originals are handed to a pool of threads: Pillow releases the GIL while it decodes,
resizes and encodes, so threads use every core without forking (the preview server must
never fork) and without pickling pixels. On the 100 photos of benchmarks/images.py, two
threads took as long as two forked processes (8.9–9.1 s against 8.8–9.2 s in six
alternating runs each, on two cores, for 17 s of work). Every copy is a function of its
original's bytes, its width, its format and the settings below only (never of which other
copies were missing, nor of the order the threads finish in), so a cached, a parallel and a
one-thread build write the same bytes.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brief.digests import digest
from brief.forks import cores
from brief.media.pixels import ImageError, decode, load_plugins, profile, resized, save, transparent, turned
from brief.theme import FILE_LIMIT, InputError, read_input

log = logging.getLogger(__name__)

ENCODERS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"compress_level": 3},
    "WEBP": {"quality": 80, "method": 2},
}
"""Pillow's save options per format, chosen by measurement on benchmarks/images.py's 100
photos, screenshots and charts (``--encoders``: encode time on one core, total bytes). WebP,
the format browsers take: method 2 is twice as fast as method 4 for 3.5 % more bytes (method
6: four times slower than 4 for 3.6 % fewer). JPEG and PNG copies are only for browsers
without WebP (and the hero's sharing copy): JPEG's ``optimize`` and ``progressive`` cost
little and save 8 %; PNG at zlib level 3 is eight times as fast as ``optimize`` (level 9 and
a search of filters) for 6.5 % more bytes."""
LOSSLESS: dict[str, Any] = {"lossless": True, "quality": 50, "method": 1}
"""A WebP copy of a PNG at the PNG's own width is also encoded lossless with these, and the
smaller of the two kept: lossless wins on a flat chart (a fifth of the bytes), lossy on a
photo, a screenshot and on any resized image (resampling makes new colours). Method 1 at
effort 50 finds the same winners as method 4 at effort 80 in two thirds of the time, their
files 2 % larger."""


@dataclass(frozen=True, slots=True)
class Job:
    """One original and the copies of it to make (none: it is only checked, see ``note``)."""

    source: Path
    content: str
    """Hex digest of its bytes and the settings: the file must still have them."""
    format: str
    """"PNG", "JPEG" or "WEBP"."""
    orientation: int
    """EXIF orientation, as read from the header when the copies were planned."""
    decode_at: tuple[int, int]
    """The size (as stored) it is decoded at least as large as: that of the widest copy the
    original can ever have, so that a copy is the same whichever others were missing."""
    copies: tuple[tuple[Path, int, int, str], ...]
    """(file in the image cache, width, height, format) of each copy to make."""
    note: str | None = None
    """For an original without copies: the note to keep once it decodes, so that later builds
    need not decode it again to know it is sound."""


@dataclass(frozen=True, slots=True)
class Outcome:
    decoded: int = 0
    encoded: int = 0
    error: ImageError | None = None


class CacheFolder:
    """The image cache's folder, or, when it cannot be written, a temporary one for this
    process. Which one is decided when a build starts, without writing anything (a build that
    fails on its input leaves the site folder as it was), so that every copy's path is known
    when its page is planned."""

    def __init__(self, folder: Path) -> None:
        self.path = folder if _writable(folder) else _temporary_folder()
        self._usual = folder
        self.dated: float | None = None
        """The time each file written is dated at (POSIX time; None: when it is written)."""
        if self.path != folder:
            log.info("Cannot write the image cache in %s; using a temporary folder", folder)

    def write(self, target: Path, data: bytes) -> None:
        """Put a file into the folder (``target``: its path, as planned) atomically; safe on
        several threads."""
        tmp = None
        try:
            if not target.parent.is_dir():
                target.parent.mkdir(parents=True, exist_ok=True)
                ignore = self._usual.parent / ".gitignore"
                if target.parent == self._usual and not ignore.exists():  # as brief.cache writes it
                    ignore.write_text("# brief's build cache: safe to delete, never commit it\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would follow the copy into a preview or a test
            if self.dated is not None:
                os.utime(tmp, (self.dated, self.dated))
            os.replace(tmp, target)
        except OSError as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise ImageError(f"cannot keep its resized copies ({exc.strerror or exc})") from None


def make_copies(
    jobs: Sequence[Job],
    key: str,
    folder: CacheFolder,
    workers: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> list[Outcome]:
    """Do ``jobs`` on ``workers`` threads (None: every core), largest originals first; the
    outcomes in the order of ``jobs``. ``key`` is what the contents were digested with."""
    workers = min(len(jobs), cores() if workers is None else max(1, workers))
    outcomes: list[Outcome] = [Outcome()] * len(jobs)
    if progress is not None and jobs:
        progress("Images", 0, len(jobs))
    with warnings.catch_warnings():  # once, here: catch_warnings is not safe on the threads
        warnings.simplefilter("ignore")  # Pillow's notes on palettes and profiles are not the reader's business
        if workers <= 1:
            for n, job in enumerate(jobs):
                outcomes[n] = _attempt(job, key, folder)
                if progress is not None:
                    progress("Images", n + 1, len(jobs))
            return outcomes
        load_plugins()  # here, not on the threads at once
        order = sorted(range(len(jobs)), key=lambda n: -_size(jobs[n].source))  # the longest first
        pool = ThreadPoolExecutor(workers, thread_name_prefix="brief-images")
        try:
            futures = {pool.submit(_attempt, jobs[n], key, folder): n for n in order}
            for done, future in enumerate(as_completed(futures), 1):
                outcomes[futures[future]] = future.result()
                if progress is not None:
                    progress("Images", done, len(jobs))
        except BaseException:  # Ctrl-C: the images being made are finished, the others not begun
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown()
    return outcomes


def _attempt(job: Job, key: str, folder: CacheFolder) -> Outcome:
    try:
        return _make(job, key, folder)
    except ImageError as exc:
        return Outcome(error=exc)


def _make(job: Job, key: str, folder: CacheFolder) -> Outcome:
    """Decode ``job``'s original once and make its copies from it."""
    data = read_original(job.source)
    if digest(data, key).hex() != job.content:
        raise ImageError("the file changed while brief was reading it; build again")
    image = turned(decode(data, job.format, job.decode_at), job.orientation)
    del data
    if job.note is not None:
        folder.write(folder.path / f"{job.content}.json", job.note.encode())
    sized: dict[tuple[int, int, bool], Any] = {}
    alpha = transparent(image)
    for file, width, height, fmt in job.copies:
        # One resize per width serves every format (only a JPEG copy drops the alpha channel).
        shape = (width, height, alpha and fmt != "JPEG")
        if shape not in sized:
            sized[shape] = resized(image, width, height, fmt)
        copy = sized[shape]
        options = dict(ENCODERS[fmt])
        icc = profile(image, fmt)
        if icc:
            options["icc_profile"] = icc
        encoded = save(copy, fmt, options)
        if fmt == "WEBP" and job.format == "PNG" and (width, height) == image.size:
            encoded = min(encoded, save(copy, fmt, {**options, **LOSSLESS}), key=len)
        folder.write(file, encoded)
    return Outcome(1, len(job.copies))


def read_original(source: Path) -> bytes:
    """An image's bytes: only a regular file, and one within :data:`~brief.theme.FILE_LIMIT`."""
    try:
        return read_input(source, FILE_LIMIT)
    except InputError as exc:
        raise ImageError(str(exc)) from None
    except OSError as exc:
        raise ImageError(f"cannot open the file ({exc.strerror or exc})") from None


def note(width: int, height: int, fmt: str | None) -> str:
    """The note kept on an original that decoded: its size as shown and its format."""
    return json.dumps({"width": width, "height": height, "format": fmt})


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _writable(folder: Path) -> bool:
    """Whether ``folder`` is, or can be made, a folder this process may write, found out
    without writing: its nearest existing ancestor must be a writable folder."""
    for path in (folder, *folder.parents):
        if path.exists():
            return path.is_dir() and os.access(path, os.W_OK | os.X_OK)
    return False


_temporary: Path | None = None


def _temporary_folder() -> Path:
    global _temporary
    if _temporary is None:
        _temporary = Path(tempfile.mkdtemp(prefix="brief-images-"))
        atexit.register(shutil.rmtree, _temporary, True)
    return _temporary
