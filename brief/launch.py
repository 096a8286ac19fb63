"""The ``brief`` command's entry point: the CLI is imported inside the guard, so that Ctrl-C
at any moment, even while Python is still loading brief, ends with one line, not a traceback."""

from __future__ import annotations

import _thread
import sys

from brief.interrupts import interrupted


def _unraisable(info) -> None:
    """Ctrl-C may land in a callback of Python's import machinery (a module lock's weakref
    callback, during any import, the command's lazy ones too), where it cannot propagate and
    Python would print "Exception ignored in …" with a traceback and go on as if nothing
    happened: deliver it again to the main thread, where it ends the command as any Ctrl-C does."""
    if isinstance(info.exc_value, KeyboardInterrupt):
        _thread.interrupt_main()
    else:
        sys.__unraisablehook__(info)


def main() -> None:
    sys.unraisablehook = _unraisable  # for the whole command
    try:
        from brief.cli import main as run
    except BaseException as exc:
        if not interrupted(exc):
            raise
        sys.stderr.write("Interrupted; the previous output is unchanged.\n")  # nothing was read or written yet
        sys.exit(130)
    run()
