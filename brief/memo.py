"""What every stage's part of the build cache has in common (brief.cache composes them).

A part keeps what its stage may reuse in the next build, keyed by content. The keys a
build used are noted in ``used`` (in memory only); at the end of a successful build
the rest is dropped (:meth:`Memo.prune`), and a build with other settings starts the
part empty (:meth:`Memo.start`). Fields named in ``IN_MEMORY`` are never saved: an
unpickled part starts them empty.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Memo:
    IN_MEMORY: ClassVar[tuple[str, ...]] = ("used",)
    used: set[bytes]

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in vars(self).items() if name not in self.IN_MEMORY}

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(vars(type(self)()))  # fresh in-memory fields
        vars(self).update(state)

    def forget_in_memory(self) -> None:
        """Drop the fields that are never saved (a process that saves the cache and ends)."""
        fresh = vars(type(self)())
        for name in self.IN_MEMORY:
            setattr(self, name, fresh[name])

    def start(self, same_settings: bool) -> None:
        """A build begins; with other settings, nothing kept applies any more."""
        if not same_settings:
            self.clear()
        self.used = set()

    def clear(self) -> None:
        """Forget everything kept."""
        raise NotImplementedError

    def prune(self) -> None:
        """Forget what this build did not use."""
        raise NotImplementedError
