"""The ``brief`` command's entry point: the CLI is imported inside the guard, so that Ctrl-C
at any moment, even while Python is still loading brief, ends with one line, not a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from brief.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("Interrupted; the previous output is unchanged.\n")  # nothing was read or written yet
        sys.exit(130)
    run()
