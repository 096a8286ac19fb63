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
        _interrupt_once_returned()
    else:
        sys.__unraisablehook__(info)


def _interrupt_once_returned() -> None:
    """Interrupt the main thread as soon as the hook has returned. Asked from the hook itself
    (it runs on the main thread), the interrupt is raised at once, inside the hook, where it is
    ignored in turn: a thread of its own asks once the hook let go of ``left``, its last step."""
    left = _thread.allocate_lock()
    left.acquire()

    def deliver() -> None:
        with left:
            _thread.interrupt_main()

    try:
        _thread.start_new_thread(deliver, ())
    except RuntimeError:  # (no thread can start: the interpreter is ending)
        return
    left.release()


def main() -> None:
    sys.unraisablehook = _unraisable  # for the whole command
    try:
        from brief.methodcache import install

        install()  # (before any of brief's dataclasses is made: brief.methodcache)
        from brief.cli import main as run
    except BaseException as exc:
        if not interrupted(exc):
            raise
        sys.stderr.write("Interrupted; the previous output is unchanged.\n")  # nothing was read or written yet
        sys.exit(130)
    run()
