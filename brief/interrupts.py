"""Whether an exception is Ctrl-C (imported by the launcher before anything else of brief:
keep it free of imports)."""

from __future__ import annotations


def interrupted(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl-C, or what Python made of it: on 3.11 a KeyboardInterrupt that
    lands while a class is being made (``__set_name__``, as in any import) comes out as a
    RuntimeError whose cause is the KeyboardInterrupt."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


_left: list = []
"""What each command running now would leave if Ctrl-C stopped it (see :class:`leaving`)."""


class leaving:  # noqa: N801 - used as ``with leaving(...)``, like contextlib's helpers
    """``with leaving(describe):`` while the block runs, Ctrl-C reports ``describe()``: one line
    saying what the command has written so far and what to do about it, in place of the
    build's "the previous output is unchanged" (brief.cli). Stopped by Ctrl-C, the block keeps
    its line for that report."""

    def __init__(self, describe) -> None:
        self.describe = describe

    def __enter__(self) -> leaving:
        _left.append(self.describe)
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if exc is None or not interrupted(exc):
            _left.remove(self.describe)


def left_behind() -> str | None:
    """What the innermost command stopped by Ctrl-C says it leaves, or None (none said)."""
    return _left[-1]() if _left else None
