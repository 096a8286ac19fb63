"""The compiled methods of dataclasses, kept between runs as Python keeps modules' bytecode.

:mod:`dataclasses` writes each generated method (``__init__``, ``__repr__``, ``__eq__``,
``__hash__``, a frozen class's ``__setattr__``…) as source text and compiles it, one
``exec`` at a time, every time the class is made. brief makes some 100 dataclasses as it
starts, 525 methods: compiling them took 42 ms of the 180 ms its imports take (Python
3.11), about a twentieth of a one-article build of 10,000 articles. :func:`install` gives
:mod:`dataclasses` an ``exec`` that compiles the text of a method of one of brief's classes
only the first time it meets it, then keeps the code object in a file beside the
package's own compiled modules (its ``__pycache__``, where Python itself reads and writes
bytecode, with the same trust): the same text always compiles to the same code, whatever
the class it is for. Other packages' classes are made as before. The file is
named for this Python's bytecode (``cpython-311``) and starts with its magic number: any
other Python, or a file that does not read back, is ignored (and written anew). Nothing
is written where Python writes no bytecode (``-B``, ``PYTHONDONTWRITEBYTECODE``).
"""

from __future__ import annotations

import atexit
import dataclasses
import marshal
import os
import sys
import tempfile
from importlib.util import MAGIC_NUMBER, cache_from_source
from pathlib import Path
from types import CodeType
from typing import Any

FILENAME = "<string>"
"""What :mod:`dataclasses` compiles its methods as (their code objects name it)."""
LIMIT = 2000
"""Methods kept at most: a run that finds more in the file (the texts of classes changed
since, in a working copy) keeps only the ones it used."""


class _Methods:
    """The code of each method's text: read from the file at start, written back at exit
    when this process compiled a text the file lacked."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.code: dict[str, CodeType] = _read(path) if path is not None else {}
        self.used: set[str] = set()
        self.added = False
        self.pid = os.getpid()

    def exec(self, source: Any, globals: dict | None = None, locals: dict | None = None) -> None:  # noqa: A002
        if not isinstance(source, str) or not _ours(globals):  # (another package's class: as before)
            exec(source, globals, locals)  # noqa: S102
            return
        code = self.code.get(source)
        if code is None:
            # (no future statement of this module's: dataclasses' own exec inherits none, and
            # with annotations postponed its __init__'s annotations would be names, not types)
            code = self.code[source] = compile(source, FILENAME, "exec", dont_inherit=True)
            self.added = True
        self.used.add(source)
        exec(code, globals, locals)  # noqa: S102 - the text dataclasses made, compiled as it would compile it

    def save(self) -> None:
        """Write the methods this process used back, when it compiled any (not in a forked
        process: it leaves without exit handlers, and its parent writes them)."""
        if not self.added or self.path is None or os.getpid() != self.pid or sys.dont_write_bytecode:
            return
        every = len(self.code) <= LIMIT  # (else only this run's: texts of classes since changed go)
        write_beside(self.path, {text: code for text, code in self.code.items() if every or text in self.used})


def _ours(globals: dict | None) -> bool:
    """Whether the method is of a class of brief's (dataclasses compiles each with the
    globals of its class's module): only brief's are kept in brief's file."""
    name = globals.get("__name__") if globals is not None else None
    return isinstance(name, str) and (name == "brief" or name.startswith("brief."))


def _read(path: Path) -> dict[str, CodeType]:
    found = read_beside(path)
    if not isinstance(found, dict):
        return {}
    return {text: code for text, code in found.items() if isinstance(text, str) and isinstance(code, CodeType)}


def cache_path() -> Path | None:
    """Where the methods are kept (:func:`beside_bytecode`)."""
    return beside_bytecode("dataclass-methods")


def beside_bytecode(stem: str) -> Path | None:
    """A file named ``stem`` for this Python beside the compiled form of this package's
    ``__init__`` (``brief/__pycache__/<stem>.cpython-311.bin``, or under
    ``PYTHONPYCACHEPREFIX``); None where Python has no bytecode cache."""
    tag = sys.implementation.cache_tag
    if tag is None:
        return None
    try:
        compiled = Path(cache_from_source(str(Path(__file__).with_name("__init__.py"))))
    except (NotImplementedError, ValueError):
        return None
    return compiled.with_name(f"{stem}.{tag}.bin")


def read_beside(path: Path) -> Any:
    """What :func:`write_beside` wrote to ``path``; None when it does not read back or was
    written by another Python (its magic number)."""
    try:
        data = path.read_bytes()
        if data[: len(MAGIC_NUMBER)] != MAGIC_NUMBER:
            return None
        return marshal.loads(data[len(MAGIC_NUMBER) :])
    except (OSError, ValueError, EOFError, TypeError):
        return None


def write_beside(path: Path, value: Any) -> None:
    """Write ``value`` (what :mod:`marshal` writes) to ``path`` after this Python's magic
    number, in one step (a temporary file renamed); nothing where Python writes no bytecode
    (``-B``, ``PYTHONDONTWRITEBYTECODE``). A failure is ignored (a read-only install: the
    next run makes again what the file would have held)."""
    if sys.dont_write_bytecode:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(MAGIC_NUMBER + marshal.dumps(value))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def install() -> None:
    """Have :mod:`dataclasses` compile each method text once per text, kept between runs
    (see the module's doc). Called by the ``brief`` command (brief.launch) before it imports
    the rest of brief; a program that imports brief's modules itself may call it first."""
    if getattr(dataclasses, "exec", None) is not None:
        return  # (installed already, or dataclasses has an exec of its own)
    methods = _Methods(cache_path())
    dataclasses.exec = methods.exec  # type: ignore[attr-defined] # (its module globals come before builtins)
    atexit.register(methods.save)
