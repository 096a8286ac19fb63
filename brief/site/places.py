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
    """Output paths and folders taken so far, case-folded (as the writer compares them)."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}
        self.folders: dict[str, str] = {}

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

    def owner(self, relpath: str) -> str | None:
        """Who already takes ``relpath``, a folder it would need, or a file inside it."""
        key = relpath.casefold()
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
