"""What every redirect is (:class:`Redirect`: an old address and where it leads), and the
output paths taken so far (:class:`Places`), which the plans of brief.site.redirects and
brief.site.tableredirects check each old address against."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Redirect:
    """One old address and where it leads."""

    old: str
    """Site path readers used, without the base path: ``/2019/05/old-title/``."""
    output: str
    """Where its redirect page goes in the output: ``2019/05/old-title/index.html``."""
    target: str
    """Where it leads: the site path of a page or file as built (``/2024/01/grid/``, without
    the base path), or an absolute http(s) URL (a page that moved to another site)."""
    origin: str
    """Who asked for it, as messages name it: the article's file (an alias), the ledger or brief.toml."""
    page: bool = True
    """Whether a redirect page is written at ``output``: not for an old address that differs
    from its target's own only in case (``/News/Old-Title/``), whose page would be the
    target's on a case-insensitive disk; ``_redirects`` and the nginx map still send it on."""
    title: str | None = None
    """The headline or title of the article or page it leads to; None for any other target."""
    canonical: str | None = None
    """The target's own canonical URL when it names one (an article's ``canonical:``); None:
    the target's URL on this site (or the absolute URL it is)."""

    @property
    def external(self) -> bool:
        """Whether it leads to another site (``target`` is an absolute URL)."""
        return self.target.startswith(("http://", "https://"))


class Places:
    """Output paths and folders taken so far, case-folded (as the writer compares them), and
    every path asked about (:meth:`owner`): what a plan read of them (see :func:`touched`)."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.folders: dict[str, str] = {}
        self.asked: set[str] | None = set()
        """Every path :meth:`owner` was asked about, case-folded; None once something read
        every path taken (brief.site.tableredirects: the closest path to a target not served)."""

    def take(self, relpath: str, who: str) -> None:
        key = relpath.casefold()
        self.files.setdefault(key, who)
        folders = self.folders
        end = key.rfind("/")
        while end != -1:  # each folder on the way, the deepest first: the text before each "/"
            folder = key[:end]
            if folder in folders:
                break  # (and so is every folder above it: they were taken with it)
            folders[folder] = who
            end = key.rfind("/", 0, end)

    def asked_text(self) -> str | None:
        """:attr:`asked`, one path a line (None: every path, or a path with a line break)."""
        if self.asked is None or any("\n" in key for key in self.asked):
            return None
        return "\n".join(self.asked)

    def owner(self, relpath: str) -> str | None:
        """Who already takes ``relpath``, a folder it would need, or a file inside it."""
        key = relpath.casefold()
        if self.asked is not None:
            self.asked.add(key)
        if key in self.files:
            return self.files[key]
        if key in self.folders:
            return self.folders[key]
        parts = key.split("/")
        for n in range(1, len(parts)):
            found = self.files.get("/".join(parts[:n]))
            if found is not None:
                return found
        return None


def touched(before: str, now: str, asked: str | None) -> bool:
    """Whether a plan that asked :meth:`Places.owner` about the paths ``asked`` (case-folded,
    one a line; None: it read every path) may answer otherwise when the paths taken are
    ``now`` rather than ``before`` (each "path<TAB>who takes it", one a line, in the order
    they were taken). An answer about a path depends only on the paths taken at it, in a
    folder on its way or inside it, and on which of those came first: it holds when no line
    that came or went is at, above or inside an asked path, and the lines both have are in
    the same order. More than :data:`FEW_CHANGED` lines changed: True (planning again is
    cheaper than looking)."""
    if before == now:
        return False
    if asked is None:
        return True
    old, new = before.split("\n"), now.split("\n")
    changed = set(old).symmetric_difference(new)
    if len(changed) > FEW_CHANGED:
        return True
    if [line for line in old if line not in changed] != [line for line in new if line not in changed]:
        return True  # (the same paths taken in another order: a folder's first taker may differ)
    text = f"\n{asked}\n"
    for line in changed:
        path = line.partition("\t")[0].casefold()
        if f"\n{path}\n" in text or f"\n{path}/" in text:  # asked about it, or about a path inside it
            return True
        end = path.rfind("/")
        while end != -1:  # about a folder on its way
            if f"\n{path[:end]}\n" in text:
                return True
            end = path.rfind("/", 0, end)
    return False


FEW_CHANGED = 64
"""The most lines of taken paths that :func:`touched` looks at one by one (each a search of
the asked paths' text)."""
