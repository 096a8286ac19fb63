"""Links inside the archive, rewritten to where their targets are now.

A link to another imported post, written as the source published it (``/2019/05/old/``,
``https://old.example.org/2019/05/old/#part``, or what a reader made of ``{{< ref >}}`` and
``{% post_url %}``), becomes a relative link to that post's Markdown file
(``../2019/old.md#part``), which brief resolves to the post's new URL and checks on every
build. A link to a page, section, tag or author page that moved goes to its new address.
Code (fenced blocks and code spans) is left alone.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from brief.migrate.plan import Plan, page_path
from brief.migrate.report import Report

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
_MD_LINK = re.compile(r"(?<!!)(\]\(\s*<?)([^)\s>]+)(>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\))")
_REF_DEF = re.compile(r"^( {0,3}\[[^\]]+\]:[ \t]*<?)(\S+?)(>?(?:[ \t].*)?)$", re.M)
_HREF = re.compile(r"(\bhref=[\"'])([^\"']+)([\"'])", re.I)


class Linker:
    """Rewrites one body at a time; counts what it did in the report."""

    def __init__(self, plan: Plan, base_url: str, report: Report) -> None:
        self.report = report
        base = urlsplit(base_url) if base_url else None
        self.host = (base.hostname or "").lower().removeprefix("www.") if base else ""
        self.base_path = (base.path.rstrip("/") if base else "") or ""
        self.files: dict[str, str] = {}
        for placed in plan.placed:
            for url in placed.item.urls:
                try:
                    self.files.setdefault(page_path(url), placed.path)
                except ValueError:
                    continue
        self.moved = dict(plan.redirects)

    def rewrite(self, body: str, path: str) -> str:
        """``body`` of the file at ``path`` (relative to the site folder) with its links rewritten."""
        here = posixpath.dirname(path)

        def target(url: str) -> str:
            return self._target(url, here)

        return _outside_code(body, lambda text: _rewrite_text(text, target))

    def _target(self, url: str, here: str) -> str:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            host = (parts.hostname or "").lower().removeprefix("www.")
            if not self.host or host != self.host:
                return url
        elif parts.scheme or url.startswith(("#", "mailto:")) or not parts.path.startswith("/"):
            return url
        path = parts.path
        if self.base_path and (path == self.base_path or path.startswith(self.base_path + "/")):
            path = path[len(self.base_path) :] or "/"
        try:
            key = page_path(path)
        except ValueError:
            return url
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        if key in self.files:
            self.report.convert("link to an imported post → .md link")
            return posixpath.relpath(self.files[key], here) + fragment
        if key in self.moved:
            self.report.convert("link to a moved page → its new address")
            return self.moved[key] + fragment
        return url


def _rewrite_text(text: str, target: Callable[[str], str]) -> str:
    text = _MD_LINK.sub(lambda m: m[1] + target(m[2]) + m[3], text)
    text = _REF_DEF.sub(lambda m: m[1] + target(m[2]) + m[3], text)
    return _HREF.sub(lambda m: m[1] + target(m[2]) + m[3], text)


def _outside_code(body: str, change: Callable[[str], str]) -> str:
    """Apply ``change`` to the parts of ``body`` outside fenced code blocks and code spans."""
    out: list[str] = []
    prose: list[str] = []
    fence = ""
    for line in body.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence:
            out.append(line)
            if match and match[1][0] == fence[0] and len(match[1]) >= len(fence) and not line.strip(" `~\n"):
                fence = ""
            continue
        if match:
            out.append(_spans(("".join(prose)), change))
            prose = []
            fence = match[1]
            out.append(line)
            continue
        prose.append(line)
    out.append(_spans("".join(prose), change))
    return "".join(out)


def _spans(text: str, change: Callable[[str], str]) -> str:
    out, last = [], 0
    for match in _SPAN.finditer(text):
        out += [change(text[last : match.start()]), match[0]]
        last = match.end()
    out.append(change(text[last:]))
    return "".join(out)
