"""Problems found in a site, and the exceptions that carry them to the CLI.

Every message a user sees about their input is a :class:`Problem`. Problems are
collected across the whole build and reported together, one per line, as::

    content/a.md:7: tags: expected a list of strings, got a string ('economy')

The format is ``path:line: field: what is wrong (what was expected)``; the line
and field are left out when unknown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import click

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the user's input."""

    path: str
    """Path of the offending file, relative to the site root, POSIX style."""
    line: int | None
    """1-based line in that file, when known."""
    field: str | None
    """Front-matter field or config key, e.g. ``image.alt`` or ``takeaways[2]``."""
    message: str
    """What is wrong, including what was expected."""
    severity: str = ERROR
    """:data:`ERROR` stops the build; :data:`WARNING` is reported and the build goes on."""

    def format(self) -> str:
        """The one-line form shown in the terminal and in the browser overlay."""
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        prefix = "warning: " if self.severity == WARNING else ""
        if self.field:
            return _one_line(f"{where}: {prefix}{self.field}: {self.message}")
        return _one_line(f"{where}: {prefix}{self.message}")

    @property
    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.path, self.line or 0, self.field or "", self.message)


def _one_line(text: str) -> str:
    """Control characters from the user's text (a newline in a quoted value, a terminal escape) shown escaped."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# Code points HTML forbids in a page (the Nu checker's "Forbidden code point"): C0 controls but tab,
# LF, FF and CR; DEL; C1 controls; noncharacters. YAML escapes ("\0"), TOML ("\u0001") and raw
# bytes in a body can all carry them.
FORBIDDEN_IN_PAGES = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p << 16 | 0xFFFE)}{chr(p << 16 | 0xFFFF)}" for p in range(1, 17))
    + "]"
)


def forbidden_in_pages(value: str) -> str | None:
    """Why ``value`` cannot go into a web page (a code point HTML forbids), or None."""
    bad = FORBIDDEN_IN_PAGES.search(value)
    return (
        f"contains the character U+{ord(bad.group()):04X}, which web pages may not hold (expected plain text; remove it)"
        if bad
        else None
    )


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ``" — did you mean 'x'?"`` suffix, or ``""`` when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


class BriefError(click.ClickException):
    """Root of every user-facing error: click prints it and exits with code 1."""


class BuildFailed(BriefError):
    """The site has errors; nothing was written."""

    def __init__(self, problems: list[Problem], what: str = "build") -> None:
        self.problems = sorted(problems, key=lambda p: p.sort_key)
        errors = [p for p in self.problems if p.severity == ERROR]
        noun = "problem" if len(errors) == 1 else "problems"
        tail = "; nothing was written" if what == "build" else ""
        super().__init__(f"{what} failed: {len(errors)} {noun}{tail}")

    def format_message(self) -> str:
        """Every problem on its own line, then the summary."""
        return "\n".join([*(p.format() for p in self.problems), self.message])

    def show(self, file=None) -> None:
        # Problems first, one per line, so they read like compiler output; the
        # count last, where the eye lands when the command returns.
        for problem in self.problems:
            click.echo(problem.format(), err=True)
        click.echo(f"Error: {self.message}", err=True)


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def relpath(path: Path, root: Path) -> str:
    """``path`` as messages show it: relative to the site root, POSIX style (absolute when outside it)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
