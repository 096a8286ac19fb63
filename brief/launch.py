"""The ``brief`` command's entry point: the CLI is imported inside the guard, so that Ctrl-C
at any moment, even while Python is still loading brief, ends with one line, not a traceback."""

from __future__ import annotations

import sys


def main() -> None:
    interrupted = False

    def unraisable(info) -> None:
        # Ctrl-C may land in a callback of Python's import machinery (a module lock's weakref
        # callback), where it cannot propagate and Python prints "Exception ignored in …" with a
        # traceback: here it counts as the interrupt it is.
        nonlocal interrupted
        if isinstance(info.exc_value, KeyboardInterrupt):
            interrupted = True
        else:
            sys.__unraisablehook__(info)

    sys.unraisablehook = unraisable
    try:
        from brief.cli import main as run
    except KeyboardInterrupt:
        interrupted = True
    finally:
        sys.unraisablehook = sys.__unraisablehook__
    if interrupted:
        sys.stderr.write("Interrupted; the previous output is unchanged.\n")  # nothing was read or written yet
        sys.exit(130)
    run()
