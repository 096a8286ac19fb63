"""Running Pagefind over a folder of pages, in a process of its own.

Why its command line and not ``pagefind --service``, which takes pages one message at a
time as they are rendered (measured with Pagefind 1.5.2 on 10,000 articles): asked to
write its bundle, the service builds the index twice (3.5 s more); it parses the pages
sent on one thread where the command line parses on every core; and it looks each new
page up in the list of those before it (adding 40,000 small pages takes 8 s where 10,000
take 0.9 s). Fed that way as pages rendered, a cold build was slower than one running the
command line after every page was written. So brief writes the part of each page
that Pagefind reads into a work folder as the pages are written (brief.output.search),
and starts Pagefind once the last one is there, while the rest of the site is written.

Pagefind numbers pages in the order it walks that folder: the file system's order of the
names in each folder, the same for the same names made in the same order on one file
system (the folder is made afresh, in the site's page order, for every index).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import IO

from brief.errors import BriefError

TIMEOUT = 1800
"""Seconds to wait for Pagefind before giving up on it."""
_OFF = "set search = false in brief.toml to build without search"


class Run:
    """Pagefind indexing the pages under ``site`` into ``bundle``, started at once.

    ``started`` is given the process (so that it can be stopped); with ``background`` it
    runs at a low CPU priority (the preview's, while an editor types). A dropped Run ends
    its process."""

    def __init__(
        self,
        site: Path,
        bundle: Path,
        background: bool = False,
        started: Callable[[subprocess.Popen], None] | None = None,
    ) -> None:
        self.bundle = bundle
        command = [str(_executable()), "--site", str(site), "--output-path", str(bundle), "--silent"]
        nice = shutil.which("nice") if background else None  # (preexec_fn is unsafe in a threaded server)
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 - the process's, closed by _end
        try:
            self.proc = subprocess.Popen(
                [nice, "-n", "10", *command] if nice else command,
                stdin=subprocess.DEVNULL,
                stdout=self._output,
                stderr=subprocess.STDOUT,
            )
        except OSError as exc:
            self._output.close()
            raise BriefError(f"search index: cannot run Pagefind ({exc}); {_OFF}") from None
        self._ended = weakref.finalize(self, _end, self.proc, self._output)
        if started is not None:
            started(self.proc)

    def wait(self) -> Path:
        """Wait for the bundle; raises :class:`BriefError` when Pagefind failed."""
        try:
            code = self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.close()
            raise BriefError(f"search index: Pagefind did not finish within {TIMEOUT // 60} minutes") from None
        if code != 0 or not (self.bundle / "pagefind.js").is_file():
            self._output.seek(0)
            why = self._output.read().decode("utf-8", "replace").strip().splitlines()
            self.close()
            raise BriefError(f"search index: Pagefind failed (exit code {code}): {' / '.join(why[-5:]) or 'no output'}")
        self.close()
        return self.bundle

    def close(self) -> None:
        """End the process if it still runs."""
        self._ended()


def _end(proc: subprocess.Popen, output: IO[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    output.close()


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None  # type: ignore[assignment]
    found = get_executable() if get_executable is not None else None
    if found is None:
        raise BriefError(f"search index: Pagefind is not installed (pip install 'pagefind[extended]'), or {_OFF}")
    return found
