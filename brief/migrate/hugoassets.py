"""Images and files a Hugo post shows or links to → :class:`Asset`s, and its references rewritten.

- A path relative to the post (a page bundle's resource, ``images/a.png``, ``../b.pdf``)
  that exists → an asset beside the new Markdown file (its path inside the bundle kept,
  else its file name), and the reference becomes that name.
- A site-root path (``/images/a.png``, or the same on the site's own ``baseURL``) found
  under ``static/`` (or ``assets/``) → a static asset keeping its URL; found as another
  page bundle's published resource → an asset beside this post.
- Not found → listed as missing (``report.miss``), the reference kept as written. Page
  links (no extension, ``.html``, ``.md``) are left to the plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from brief.migrate.model import Asset
from brief.migrate.report import Report

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".avif"}
PAGE_LIKE = {"", ".html", ".htm", ".md", ".markdown"}
PAGE_EXTS = {"", ".html", ".htm", ".md", ".markdown", ".php", ".xml", ".json", ".txt"}
_MD_LINK = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*(?P<target><[^>\n]*>|[^\s)]+)"
    r"(?P<title>\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"
)
_REF_DEF = re.compile(r"^(?P<lead> {0,3}\[[^\]\n]+\]:[ \t]*(?:\n[ \t]*)?)(?P<target><[^>\n]*>|\S+)", re.M)
_HTML = re.compile(
    r"(?P<lead><(?P<tag>img|source|video|audio|a)\b[^>]*?\s(?:src|href)=)(?P<q>[\"'])(?P<target>[^\"'>]+)(?P=q)", re.I
)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)


@dataclass
class Place:
    """Where one post is: for resolving its relative references and naming them in the report."""

    source: str
    folder: Path
    """The folder relative references start from (a bundle's folder, or the file's)."""
    bundle: Path | None
    url: str
    body_text: str = ""
    """The body as written, to find a reference's line."""
    body_line: int = 1


@dataclass
class Resolver:
    static_dirs: list[Path]
    report: Report
    base_url: str = ""
    resources: dict[str, Path] = field(default_factory=dict)
    """Published URL path of every page bundle's file → the file."""
    root: Path | None = None
    """The source folder: a relative reference leading out of it is not followed."""

    def body(self, text: str, place: Place, assets: list[Asset]) -> str:
        """``text`` with every local image or file reference resolved (code blocks left alone)."""
        fences = [m.span() for m in _FENCE.finditer(text)]

        def in_code(pos: int) -> bool:
            return any(a <= pos < b for a, b in fences)

        def md(match: re.Match[str], outer: bool = True) -> str:
            if (outer and in_code(match.start())) or "\n\n" in match["text"]:
                return match.group()
            target = match["target"]
            text = match["text"]
            if "](" in text:  # a linked image: [![chart](a.png)](full.png)
                text = _MD_LINK.sub(lambda inner: md(inner, outer=False), text)
            new = self.reference(target.strip("<>"), place, assets, image=bool(match["bang"]))
            if new is None and text == match["text"]:
                return match.group()
            new = target if new is None else f"<{new}>" if " " in new else new
            return f"{match['bang']}[{text}]({new}{match['title'] or ''})"

        def other(match: re.Match[str]) -> str:
            if in_code(match.start()):
                return match.group()
            tag = match.groupdict().get("tag")
            image = isinstance(tag, str) and tag.lower() != "a"
            new = self.reference(match["target"].strip("<>"), place, assets, image=image)
            if new is None:
                return match.group()
            quote = match.groupdict().get("q") or ""
            return f"{match['lead']}{quote}{new}{quote}"

        text = _MD_LINK.sub(md, text)
        text = _REF_DEF.sub(other, text)
        return _HTML.sub(other, text)

    def reference(self, written: str, place: Place, assets: list[Asset], image: bool) -> str | None:
        """The reference as it must now be written, or None to keep it as it is."""
        parts = urlsplit(written)
        if parts.scheme or parts.netloc:
            if not self.base_url or not written.startswith(self.base_url.rstrip("/") + "/"):
                return None
            path = "/" + written[len(self.base_url.rstrip("/")) :].lstrip("/")
            parts = urlsplit(path)
        path = unquote(parts.path)
        if not path or "{{" in path or path.startswith("#"):
            return None
        suffix = "" if path.endswith("/") else Path(path).suffix.lower()
        suffix = "" if suffix[1:].isdigit() else suffix  # /docs/v6.2: a page, not a file
        static = path.startswith("/") and suffix not in PAGE_LIKE and self.static_file(path) is not None
        if not image and suffix in PAGE_EXTS and not static:
            return None  # a page (or an output format Hugo made); a .txt under static/ is a file
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        find = self._root if path.startswith("/") else self._relative
        found = find(path, place, assets, image)
        if found is None:
            if image or suffix not in PAGE_EXTS:
                self.report.miss(place.source, self.line_of(place, written), written)
            return None
        return found + fragment

    def _root(self, path: str, place: Place, assets: list[Asset], image: bool = True) -> str | None:
        static = self.static_file(path)
        if static is not None:
            if not any(a.static and a.name == path.lstrip("/") for a in assets):
                assets.append(Asset(static, path.lstrip("/"), static=True, written=path))
            return path
        resource = self.resources.get(path)
        if resource is not None:
            return self._beside(resource, place, assets, path, image)
        return None

    def _relative(self, path: str, place: Place, assets: list[Asset], image: bool = True) -> str | None:
        candidate = (place.folder / path).resolve()
        inside = self.root is None or candidate.is_relative_to(self.root.resolve())
        if inside and candidate.is_file():
            return self._beside(candidate, place, assets, path, image)
        from_url = _join_url(place.url, path)  # Hugo's browser-relative reading: from the page's URL
        return self._root(from_url, place, assets, image) if from_url else None

    def static_file(self, path: str) -> Path | None:
        """The file a site-root path is served from (``static/`` first, then ``assets/``), or None."""
        relative = path.lstrip("/")
        if ".." in Path(relative).parts:
            return None
        for folder in self.static_dirs:
            if (folder / relative).is_file():
                return folder / relative
        return None

    def _beside(self, file: Path, place: Place, assets: list[Asset], written: str, image: bool = True) -> str:
        """An image goes beside the new Markdown file (brief copies images beside their page);
        a linked file (``pack.zip``) under ``static/`` at the URL it had beside the page."""
        if not image and file.suffix.lower() not in IMAGE_EXTS:
            at = _join_url(place.url or "/", written) if not written.startswith("/") else written
            name = (at or "/" + file.name).lstrip("/")
            if not any(a.static and a.name == name for a in assets):
                assets.append(Asset(file, name, static=True, written=written))
            return "/" + name
        if place.bundle is not None and file.is_relative_to(place.bundle.resolve()):
            name = file.relative_to(place.bundle.resolve()).as_posix()
        else:
            name = file.name
        taken = {a.name: a.source for a in assets if not a.static}
        stem, suffix, n = Path(name).stem, Path(name).suffix, 2
        while name in taken and taken[name] != file:
            name, n = f"{stem}-{n}{suffix}", n + 1
        if name not in taken:
            assets.append(Asset(file, name, written=written))
        return name

    def line_of(self, place: Place, written: str) -> int | None:
        at = place.body_text.find(written)
        return None if at < 0 else place.body_line + place.body_text.count("\n", 0, at)


def _join_url(page_url: str, path: str) -> str | None:
    if not page_url:
        return None
    folder = page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/"
    return normal_path(folder + path)


def normal_path(path: str) -> str:
    """``path`` as a site path with ``.``, ``..`` and empty folders resolved (never above ``/``)."""
    parts: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if parts:
                parts.pop()
        elif segment not in ("", "."):
            parts.append(segment)
    return "/" + "/".join(parts)
