"""Problems found in a site, and the exceptions that carry them to the CLI.

Every message a user sees about their input is a :class:`Problem`. Problems are
collected across the whole build and reported together, one per line, as::

    content/a.md:7: tags: expected a list of strings, got a string ('economy')

The format is ``path:line: field: what is wrong (what was expected)``; the line
and field are left out when unknown. A warning carries a short code, shown last in
brackets (``[missing-takeaways]``): ``[warnings]`` in brief.toml turns a code off or
makes it an error (:data:`WARNING_CODES` lists them all; the README too).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import click

ERROR = "error"
WARNING = "warning"

WARNING_CODES: dict[str, str] = {
    "unknown-key": "a front-matter, image, analysis, related or profile key brief does not know (ignored)",
    "headline-length": "a headline longer than search engines show (110 characters)",
    "long-dek": "a dek longer than meta descriptions are shown",
    "small-image": "a hero image narrower than large previews want",
    "missing-takeaways": "an article without key takeaways",
    "analysis-without-byline": "an editor's desk analysis without a byline",
    "repeated-tag": "a tag given twice in one article",
    "duplicate-headline": "two articles with the same headline",
    "self-related": "an article listed as related to itself",
    "related-not-built": "a related article that is a draft, scheduled or expired, left out of this build",
    "link-not-built": "a link to an article that is a draft, scheduled or expired, not part of this build",
    "missing-alt": "an image without alt text",
    "misplaced-footnote": "a footnote outside the body and the analysis, shown as written",
    "unused-profile": "an author profile no article names",
    "folder-like-file": "a folder named like an article or profile file (*.md), not read",
    "raw-html-removed": "raw HTML the sanitiser removed (an element, an attribute or a URL)",
    "iframe-removed": "an iframe in raw HTML dropped (from no known embed provider, or not on a line of its own)",
    "deprecated-key": "a brief.toml key that still works but has a new name",
    "published-url-gone": "a URL the site published (in the URL ledger) whose article is gone and not withdrawn",
    "article-field-on-page": "an article's front-matter field (date, tags, takeaways…) on a standalone page (ignored)",
    "menu-page-not-built": "a [[menu]] entry whose page is a draft, left out of this build",
    "redirect-target-not-built": "a [redirects] entry leading to a draft, scheduled or expired article or page",
    "placeholder-text": "example text from 'brief new' or 'brief init' left in an article or page",
    "html-in-plain-text": "an HTML tag in a headline or dek, which are plain text and show it as written",
    "theme-link": "a link or image the templates made that leads nowhere (brief check)",
    "unreachable-article": "an article no link leads to from the front page, its section or its tags (brief check)",
    "caption-mismatch": "a hero image whose caption and alt text share no words with the article",
    "takeaway-unsupported": "a number or a name in a takeaway that the body and the analysis never give",
    "byline-mismatch": "an analysis byline naming neither an author of the article, a profile nor an outlet",
    "dek-repeats-title": "a dek that repeats the headline instead of adding to it",
    "updated-before-date": "an updated time before the publication date (ignored)",
}
"""Every warning's code and what it is about: a warning must carry one of these."""

RENAMED_CODES: dict[str, str] = {"long-headline": "headline-length"}
"""Old names of warning codes that ``[warnings]`` still accepts (with a deprecated-key warning)."""

WARNING_LEVELS = ("off", "warning", "error")
"""What ``[warnings]`` in brief.toml may set a code to."""


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
    code: str | None = None
    """A warning's short code (a key of :data:`WARNING_CODES`); kept when ``[warnings]``
    makes the warning an error, so that the error still says what it is."""

    def __post_init__(self) -> None:
        if self.severity == WARNING and self.code not in WARNING_CODES:
            raise ValueError(f"a warning needs a code from WARNING_CODES, got {self.code!r}: {self.message}")

    def format(self) -> str:
        """The one-line form shown in the terminal: ``where: [warning: ]what``."""
        prefix = "warning: " if self.severity == WARNING else ""
        return f"{self.where}: {prefix}{self.what}"

    @property
    def where(self) -> str:
        """``path:line`` (or the path alone), as :meth:`format` starts."""
        return _one_line(self.path if self.line is None else f"{self.path}:{self.line}")

    @property
    def what(self) -> str:
        """``field: message [code]``: what :meth:`format` says after the place and the severity."""
        tail = f" [{self.code}]" if self.code else ""
        return _one_line(f"{self.field}: {self.message}{tail}" if self.field else f"{self.message}{tail}")

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
_FORBIDDEN_BMP = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
_FORBIDDEN_ASCII = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_FORBIDDEN_ASCII_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F])
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def find_forbidden(text: str) -> re.Match[str] | None:
    """The first code point of ``text`` that HTML forbids (:data:`FORBIDDEN_IN_PAGES`), or None.

    The same answer as ``FORBIDDEN_IN_PAGES.search``, about ten times sooner on ordinary
    text: a character class holding the 32 supplementary noncharacters is slow to scan
    (120 µs for a 3.6 KB body against 8 µs without them), so it is used only on text that
    has a character beyond U+FFFF (an emoji, say)."""
    if text.isprintable():  # every forbidden code point is a control or a noncharacter: unprintable
        return None
    if text.isascii():
        if len(text) > 256 and len(text.encode("ascii").translate(None, _FORBIDDEN_ASCII_BYTES)) == len(text):
            return None  # none to delete: the bytes' translate looks at a long text sooner than the pattern
        return _FORBIDDEN_ASCII.search(text)
    if _ASTRAL.search(text) is None:
        return _FORBIDDEN_BMP.search(text)
    return FORBIDDEN_IN_PAGES.search(text)


def forbidden_in_pages(value: str) -> str | None:
    """Why ``value`` cannot go into a web page (a code point HTML forbids), or None."""
    bad = find_forbidden(value)
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
        self.what = what
        self.details: dict[Problem, list[str]] = {}
        """Lines shown under a problem (its source excerpt, brief/excerpts.py), set by the
        command, which knows the site folder."""
        tail = "; nothing was written" if what == "build" else ""
        super().__init__(f"{what} failed: {counts(self.problems)}{tail}")

    def __reduce__(self) -> tuple:
        # (raised in a worker process, brief.forks, it is pickled back to the parent)
        return (BuildFailed, (self.problems, self.what))

    def without(self, shown: Iterable[Problem]) -> BuildFailed:
        """The same failure, counted the same, listing only the problems not ``shown`` already
        (warnings printed while the build went on)."""
        left = set(shown)
        failed = BuildFailed(self.problems, self.what)
        failed.problems = [p for p in self.problems if p not in left]
        return failed

    def format_message(self) -> str:
        """Every problem on its own line, then the summary."""
        return "\n".join([*(p.format() for p in self.problems), self.message])

    def show(self, file=None) -> None:
        # Problems first, one per line, so they read like compiler output; the
        # count last, where the eye lands when the command returns.
        for problem in self.problems:
            click.echo("\n".join([problem.format(), *self.details.get(problem, [])]), err=True)
        click.echo(f"Error: {self.message}", err=True)


def counts(problems: Iterable[Problem]) -> str:
    """``"2 errors, 1 warning"``: how the build's and brief check's summaries count."""
    found = list(problems)
    errors = sum(1 for p in found if p.severity != WARNING)
    warnings = len(found) - errors
    return f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == ERROR]


def tuned(problems: Iterable[Problem], levels: dict[str, str]) -> list[Problem]:
    """``problems`` as ``[warnings]`` in brief.toml wants them: a warning whose code is
    ``"off"`` left out, one whose code is ``"error"`` made an error (keeping its code)."""
    out = []
    for p in problems:
        level = levels.get(p.code or "") if p.severity == WARNING else None
        if level == "off":
            continue
        out.append(replace(p, severity=ERROR) if level == "error" else p)
    return out


def under(path: Path, folder: Path) -> str | None:
    """``path.relative_to(folder).as_posix()`` worked out on the paths' text, for a path
    written below ``folder`` (None otherwise, or when the text cannot tell: then ask
    ``relative_to``). A path's text is its parts joined by ``/``, so the two agree."""
    text, base = str(path), str(folder)
    if len(text) > len(base) + 1 and text[len(base)] == "/" and text.startswith(base) and base not in ("/", "."):
        return text[len(base) + 1 :]
    return None


def relpath(path: Path, root: Path) -> str:
    """``path`` as messages show it: relative to the site root, POSIX style (absolute when outside it)."""
    rest = under(path, root)
    if rest is not None:
        return rest
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
