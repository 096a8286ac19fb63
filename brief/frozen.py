"""Instances of a frozen dataclass made in bulk, at a tenth of what its ``__init__`` costs.

A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` (its own
``__setattr__`` refuses): an article's 27 fields took 4.4 µs, and a cached build of 10,000
articles reads every one back from the cache (brief.content.model). :func:`maker` gives
a function that sets the fields through the plain ``__init__`` of a twin class with the
very same slots, then makes the instance one of the frozen class: CPython lets an
object's ``__class__`` change between two classes of one layout (the same slots, no
``__dict__``), and checks that they are. The result is an instance like any other: the
same type, fields, equality, hash, and still frozen (0.5 µs an article).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field, fields, is_dataclass, make_dataclass
from typing import Any, TypeVar

T = TypeVar("T")


def maker(cls: type[T], names: Sequence[str] | None = None) -> Callable[..., T]:
    """A function making a ``cls`` (a frozen dataclass with slots) of the values of all its
    fields, in their order, given positionally: ``maker(Article)(*values)``. With ``names``
    (in the fields' order), of those fields only: the others are left without a value, for a
    class that gives them one when first read (brief.render.articles.ArticleParts)."""
    if not (is_dataclass(cls) and cls.__dataclass_params__.frozen and "__slots__" in vars(cls)):  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__} is not a frozen dataclass with slots")
    every = [f.name for f in fields(cls)]
    given = every if names is None else list(names)
    if [name for name in every if name in given] != given:
        raise TypeError(f"{given} are not fields of {cls.__name__} in their order")
    twin: Any = make_dataclass(
        f"_{cls.__name__}Values",
        [(name, object) if name in given else (name, object, field(init=False)) for name in every],
        slots=True,
        eq=False,
        repr=False,
        match_args=False,
    )
    if twin.__slots__ != cls.__slots__:  # type: ignore[attr-defined]
        raise TypeError(f"{cls.__name__}'s slots are not its fields in order")

    def make(*values: Any) -> T:
        made = twin(*values)
        made.__class__ = cls
        return made

    make.__doc__ = f"A {cls.__name__} of the values of {len(given)} of its fields, in order."
    return make
