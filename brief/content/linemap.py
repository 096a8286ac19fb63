"""Front-matter lines kept with a validated article or page, in little memory.

A validated article keeps the line of each front-matter key and item (``("tags", 1)`` → 9)
for messages found after validation: a broken link in the analysis, a clash of aliases,
an image that does not decode. As a dict of tuples that was 2 KB per article, half of an
article's size (160 MB at 100,000 articles, and as much again in the cache). Here the keys
are one tuple shared by every file whose front matter has the same shape (most of a site's
articles share a handful of shapes) and the lines a tuple of ints: about 150 bytes.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator, Mapping

Key = tuple[str | int, ...]


class _Shape:
    """The keys of one shape of front matter, in order, with each one's place."""

    __slots__ = ("keys", "places", "__weakref__")

    def __init__(self, keys: tuple[Key, ...]) -> None:
        self.keys = keys
        self.places = {key: i for i, key in enumerate(keys)}


_shapes: weakref.WeakValueDictionary[tuple[Key, ...], _Shape] = weakref.WeakValueDictionary()
"""Every shape in use, so that files of one shape share it (a shape no map uses is dropped)."""


def _shape(keys: tuple[Key, ...]) -> _Shape:
    shape = _shapes.get(keys)
    if shape is None:
        shape = _shapes.setdefault(keys, _Shape(keys))
    return shape


class LineMap(Mapping[Key, int]):
    """A read-only map of front-matter keys to their 1-based file lines."""

    __slots__ = ("_shape", "_lines")

    def __init__(self, lines: Mapping[Key, int] | None = None) -> None:
        lines = lines or {}
        self._shape = _shape(tuple(lines))
        self._lines = tuple(lines.values())

    def get(self, key: object, default: int | None = None) -> int | None:  # type: ignore[override]
        place = self._shape.places.get(key)  # type: ignore[call-overload]
        return default if place is None else self._lines[place]

    def __getitem__(self, key: Key) -> int:
        return self._lines[self._shape.places[key]]

    def __contains__(self, key: object) -> bool:
        return key in self._shape.places

    def __iter__(self) -> Iterator[Key]:
        return iter(self._shape.keys)

    def __len__(self) -> int:
        return len(self._lines)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LineMap):
            return self._shape is other._shape and self._lines == other._lines
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __hash__(self) -> int:
        return hash((self._shape.keys, self._lines))

    def __repr__(self) -> str:
        return f"LineMap({dict(self.items())!r})"

    def __reduce__(self):
        return _restore, (self._shape.keys, self._lines)


_last: tuple[tuple[Key, ...], _Shape] | None = None
"""The keys :func:`_restore` was given last, and their shape: a batch of rows read back from
the cache holds one keys tuple per shape (pickle's memo), so most rows give the very tuple
the last one did (looking it up again hashed it: 5 ms of reading 10,000 articles)."""


def _restore(keys: tuple[Key, ...], lines: tuple[int, ...]) -> LineMap:
    global _last
    found = LineMap.__new__(LineMap)
    last = _last
    if last is None or last[0] is not keys:
        last = _last = (keys, _shape(keys))
    found._shape = last[1]
    found._lines = lines
    return found
