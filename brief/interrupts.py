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
