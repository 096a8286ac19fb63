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
from collections import Counter
from collections.abc import Callable
from functools import partial
from urllib.parse import urlsplit

from markdown_it import MarkdownIt

from brief.migrate.plan import Plan, page_path
from brief.migrate.report import Report
from brief.slugs import slugify

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_SPAN = re.compile(r"(`+)(?:.|\n)*?(?<!`)\1(?!`)")
# "](": a link's or an image's target (an image's file is no page, and stays); a text ending in "!" is a link
_MD_LINK = re.compile(r"(\]\(\s*<?)([^)\s>]+)(>?(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\))")
_REF_DEF = re.compile(r"^((?: {0,3}>[ \t]?)* {0,3}\[(?!\^)[^\]]+\]:[ \t]*(?:\n[ \t]*)?<?)(\S+?)(>?(?:[ \t].*)?)$", re.M)
_HREF = re.compile(r"(\bhref=[\"'])([^\"']+)([\"'])", re.I)
_HEADING = re.compile(r"^( {0,3}#{1,6}[ \t]+)(.*?)(?:[ \t]*\{[ \t]*#([^\s{}]+)[ \t]*\})?[ \t]*$", re.M)
_INLINE = MarkdownIt("commonmark")


def _plain(heading: str) -> str:
    """A heading's text as brief reads it for its id (brief.render.mdrules.HeadingOutline): its
    text and code spans, without emphasis marks, tags or link targets (``OTEL_TRACES_SAMPLER``
    in backquotes keeps its underscores)."""
    tokens = _INLINE.parseInline(heading.rstrip("#").strip())
    children = (tokens[0].children or []) if tokens else []
    return "".join(child.content for child in children if child.type in ("text", "code_inline"))


def source_ids(text: str) -> list[str]:
    """The ids other generators give a heading with this text: Goldmark's (Hugo), GitHub's and
    kramdown's (Jekyll), Python-Markdown's: ``8.7 Self-Audits`` → ``87-self-audits``, ``self-audits``."""
    lower = text.strip().lower()
    kept = "".join(ch for ch in lower if ch.isalnum() or ch in " -_")
    goldmark = re.sub(r" ", "-", kept)
    kramdown = re.sub(r"^[^a-z]+", "", re.sub(r" ", "-", "".join(ch for ch in lower if ch.isalnum() or ch in " -")))
    python_markdown = re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", lower)).strip("-")
    return [i for i in dict.fromkeys((goldmark, kramdown, python_markdown)) if i]


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
        self.moved = {page_path(old): new for old, new in plan.redirects.items()}
        self.anchors: dict[str, dict[str, str]] = {}
        """Markdown file → {an id the source gave a heading: the fragment brief knows it by}."""
        self._seen: dict[str, Counter[str]] = {}
        """Markdown file → how many of its headings so far gave each id."""
        for placed in plan.placed:
            # whole lines: a heading's code span (### `MARKDOWN linter` {#lint}) must not split it
            placed.item.body = _outside_code(placed.item.body, partial(self._headings, path=placed.path), spans=False)

    def _headings(self, text: str, path: str) -> str:
        """Note each heading's ids (its written ``{#id}``, removed, and the ids other generators
        would have made) under the fragment brief gives it."""
        anchors = self.anchors.setdefault(path, {})
        seen = self._seen.setdefault(path, Counter())

        def note(match: re.Match[str]) -> str:
            plain = _plain(match[2])
            brief_id = slugify(plain)
            if brief_id:
                # a repeated heading: brief numbers it -2, -3…; Goldmark, kramdown and GitHub -1, -2…
                n, seen[brief_id] = seen[brief_id], seen[brief_id] + 1
                target = f"{brief_id}-{n + 1}" if n else brief_id
                ids = []
                for source_id in source_ids(plain):
                    key = "source " + source_id  # counted apart from brief's ids (a space is in neither)
                    k, seen[key] = seen[key], seen[key] + 1
                    ids.append(f"{source_id}-{k}" if k else source_id)
                for source_id in [*([match[3]] if match[3] else []), *ids]:
                    anchors.setdefault(source_id, target)
                if match[3]:
                    self.report.convert("heading {#id} → brief's heading id (links to it follow)")
            return match[1] + match[2]

        return _HEADING.sub(note, text)

    def rewrite(self, body: str, path: str, source_url: str = "") -> str:
        """``body`` of the file at ``path`` (relative to the site folder) with its links rewritten;
        a relative link to a page (``../options/``) is read from ``source_url``, the page's old
        URL, as a browser read it there."""
        here = posixpath.dirname(path)

        def target(url: str) -> str:
            if source_url:
                url = self._from_source(url, source_url)
            return self._target(url, here, path)

        body = _outside_code(body, lambda text: _REF_DEF.sub(lambda m: m[1] + target(m[2]) + m[3], text), spans=False)
        return _outside_code(body, lambda text: _rewrite_text(text, target))

    def _from_source(self, url: str, source_url: str) -> str:
        """A relative link to a page, as the site path it meant on the source (it must be
        written out: the page moves); files and assets (``chart.png``) are left as they are."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return url
        if posixpath.splitext(parts.path.rstrip("/"))[1].lower() not in ("", ".html", ".htm"):
            return url
        folder = source_url if source_url.endswith("/") else posixpath.dirname(source_url) + "/"
        joined = posixpath.normpath(posixpath.join(folder, parts.path))
        if joined.startswith("//") or joined == "/.." or joined.startswith("/../"):
            return url
        joined += "/" if parts.path.endswith("/") and joined != "/" else ""
        self.report.convert("relative link → the site path it meant")
        return joined + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")

    def _fragment(self, path: str, fragment: str) -> str:
        """``#fragment`` of a link to the file at ``path``, as brief's id of the same heading."""
        if not fragment:
            return ""
        found = self.anchors.get(path, {}).get(fragment)
        if found is not None and found != fragment:
            self.report.convert("link to a heading → brief's id for it")
            return f"#{found}"
        return f"#{fragment}"

    def _target(self, url: str, here: str, here_file: str = "") -> str:
        parts = urlsplit(url)
        if parts.scheme in ("http", "https"):
            host = (parts.hostname or "").lower().removeprefix("www.")
            if not self.host or host != self.host:
                return url
        elif url.startswith("#") and here_file:
            return self._fragment(here_file, url[1:])
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
        if key not in self.files and key not in self.moved and not key.endswith("/"):
            # /docs/collector, /2026/01/15/post: the source's host answered them with …/ or ….html
            key = next((k for k in (key + "/", key + ".html") if k in self.files or k in self.moved), key)
        if key in self.files:
            fragment = self._fragment(self.files[key], parts.fragment)
            self.report.convert("link to an imported post → .md link")
            return posixpath.relpath(self.files[key], here) + fragment
        if key in self.moved:
            self.report.convert("link to a moved page → its new address")
            return self.moved[key] + fragment
        return url


def _rewrite_text(text: str, target: Callable[[str], str]) -> str:
    text = _MD_LINK.sub(lambda m: m[1] + target(m[2]) + m[3], text)
    return _HREF.sub(lambda m: m[1] + target(m[2]) + m[3], text)


def _outside_code(body: str, change: Callable[[str], str], *, spans: bool = True) -> str:
    """Apply ``change`` to the parts of ``body`` outside fenced code blocks and (unless not
    ``spans``: for whole-line constructs, headings and reference definitions) code spans."""
    if not spans:
        return _outside_code_blocks(body, change)
    return _outside_code_blocks(body, partial(_spans, change=change))


def _outside_code_blocks(body: str, change: Callable[[str], str]) -> str:
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
            out.append(change("".join(prose)))
            prose = []
            fence = match[1]
            out.append(line)
            continue
        prose.append(line)
    out.append(change("".join(prose)))
    return "".join(out)


def _spans(text: str, change: Callable[[str], str]) -> str:
    out, last = [], 0
    for match in _SPAN.finditer(text):
        out += [change(text[last : match.start()]), match[0]]
        last = match.end()
    out.append(change(text[last:]))
    return "".join(out)
