"""Writing the imported site: Markdown files, copies of assets, brief.toml, the URL list.

Safe to run twice: without ``overwrite`` a file that exists is never replaced (and an
item whose Markdown file exists counts as skipped, so a re-import of a grown archive adds
only the new posts); ``dry_run`` writes nothing. Every path is checked to stay inside the
target folder, every copied file to be a regular file inside the source.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from brief.errors import BriefError
from brief.migrate.model import Asset, SiteInfo
from brief.migrate.report import Report

URL_LIST = "source-urls.txt"
REPORT_NAME = "import-report"


def front_matter(front: dict[str, Any], body: str) -> str:
    """A Markdown file: YAML front matter (keys in the order given, empty values left out), then the body."""
    clean = {k: v for k, v in front.items() if v is not None and v != [] and v != ""}
    text = yaml.safe_dump(clean, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)
    return f"---\n{text}---\n{body.lstrip(chr(10))}" + ("" if body.endswith("\n") else "\n")


def safe_rel(rel: str) -> str | None:
    """``rel`` as a POSIX path inside the target, or None when it would leave it."""
    norm = posixpath.normpath(rel.replace("\\", "/"))
    if norm.startswith(("/", "../")) or norm in ("..", ".", "") or "\0" in norm:
        return None
    return norm


class Writer:
    """Writes into ``target`` unless ``dry_run``; never replaces a file unless ``overwrite``."""

    def __init__(self, target: Path, report: Report, *, overwrite: bool, dry_run: bool, source_root: Path) -> None:
        self.target = target
        self.report = report
        self.overwrite = overwrite
        self.dry_run = dry_run
        self.source_root = source_root.resolve()
        self.extra_roots: list[Path] = []
        """More folders assets may be copied from (WordPress's uploads folder)."""
        self._state: tuple[int, tuple[Path, bytes | Path] | None] = (0, None)
        """Files written so far (each whole: under a temporary name, then renamed), and the
        one being written (its path and what it gets), changed in one assignment each time so
        that Ctrl-C finds them consistent."""

    def exists(self, rel: str) -> bool:
        return (self.target / rel).exists()

    def text(self, rel: str, content: str) -> bool:
        """Write ``content`` at ``rel``; False when the file was kept (it exists, no ``overwrite``)."""
        safe = safe_rel(rel)
        if safe is None:
            raise BriefError(f"{rel}: would be written outside {self.target} (a bug: please report it)")
        path = self.target / safe
        if path.exists() and not self.overwrite:
            self.report.kept.append(safe)
            return False
        self.report.written.append(safe)
        if not self.dry_run:
            self._put(path, content.encode("utf-8"))
        return True

    def copy(self, asset: Asset, rel: str, used_by: str) -> None:
        """Copy an asset's file to ``rel`` (a file already there with the same bytes is left quietly)."""
        safe = safe_rel(rel)
        source = asset.source
        if safe is None or source is None:
            self.report.miss(used_by, asset.line, asset.written or asset.name)
            return
        try:
            real = source.resolve()
            inside = any(real.is_relative_to(root) for root in [self.source_root, *self.extra_roots])
        except OSError:
            inside = False
        if not inside or not real.is_file():
            self.report.miss(used_by, asset.line, f"{asset.written or asset.name} (not a file inside the source)")
            return
        path = self.target / safe
        if path.exists():
            if _same(path, real):
                return
            if not self.overwrite:
                self.report.kept.append(safe)
                return
        self.report.counts["assets copied"] += 1
        self.report.written.append(safe)
        if not self.dry_run:
            self._put(path, real)

    def _put(self, path: Path, data: bytes | Path) -> None:
        count = self._state[0]
        self._state = (count, (path, data))
        _atomic(path, data)
        self._state = (count + 1, None)

    def stopped(self) -> int:
        """After Ctrl-C: :attr:`files`, once the temporary file of the one being written is
        removed if the signal left it (landing inside ``mkstemp``, it leaves a file no code
        has the name of yet): no cut file stays for a second run to keep."""
        pending = self._state[1]
        if pending is not None:
            for leftover in pending[0].parent.glob(f"{_TMP_PREFIX}*"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        return self.files

    @property
    def files(self) -> int:
        """Files written so far, the one being written when Ctrl-C came counted when it is in
        place already (its bytes are the ones it was to get)."""
        count, pending = self._state
        if pending is None:
            return count
        path, data = pending
        try:
            there = path.read_bytes()
            wanted = data.read_bytes() if isinstance(data, Path) else data
        except OSError:
            return count
        return count + (there == wanted)


def _same(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


_TMP_PREFIX = ".import-"
"""The name a file being written has until it is whole (:func:`_atomic`)."""


def _atomic(path: Path, data: bytes | Path) -> None:
    """``data`` (or a copy of the file ``data``) at ``path``, whole or not at all: an import
    stopped part way leaves no cut file, which a second run would keep."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, Path):
                with data.open("rb") as source:
                    shutil.copyfileobj(source, handle)
            else:
                handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def site_toml(site: SiteInfo, permalink: str, redirects: dict[str, str]) -> str:
    """A new site's brief.toml: what the source's configuration said, the permalink, the redirects."""
    lines = ["# Written by brief import; every key is explained in brief's README › Configuration.", ""]
    if site.title:
        lines.append(f"title = {_toml_string(site.title)}")
    if site.description:
        lines.append(f"description = {_toml_string(' '.join(site.description.split()))}")
    if site.base_url:
        lines.append(
            f"base_url = {_toml_string(site.base_url if site.base_url.endswith('/') else site.base_url + '/')}"
        )
    if site.language:
        lines.append(f"language = {_toml_string(site.language)}")
    if site.timezone:
        lines.append(f"timezone = {_toml_string(site.timezone)}")
    lines.append(f"permalink = {_toml_string(permalink)}")
    lines.append("")
    return "\n".join(lines) + redirects_toml(redirects)


def redirects_toml(redirects: dict[str, str], header: bool = True) -> str:
    if not redirects:
        return ""
    head = [
        "",
        "# Old addresses of the imported site's pages, sections, tags and authors → where they are now.",
        "[redirects]",
    ]
    body = [f"{_toml_string(old)} = {_toml_string(new)}" for old, new in sorted(redirects.items())]
    return "\n".join((head if header else []) + body) + "\n"


def merged_toml(existing: str, redirects: dict[str, str], have: set[str]) -> str | None:
    """``existing`` brief.toml with the redirects it does not have yet added, or None when nothing is new."""
    new = {old: to for old, to in redirects.items() if old not in have}
    if not new:
        return None
    lines = existing.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.strip() == "[redirects]":
            return "".join(lines[: i + 1]) + redirects_toml(new, header=False) + "".join(lines[i + 1 :])
    return existing + ("" if existing.endswith("\n") or not existing else "\n") + redirects_toml(new)


def url_list(rows: list[tuple[str, str, str, str]], unreachable: list[tuple[str, str]]) -> str:
    """source-urls.txt: each URL the source published, where it leads now, what it was and where it came from."""
    out = [
        "# Every URL the imported site published, as brief import derived it: old path, new path,",
        "# kind, source. Each old path is served by the new site, directly or by a redirect.",
    ]
    out += [f"{old}\t{new}\t{kind}\t{source}" for old, new, kind, source in sorted(set(rows))]
    if unreachable:
        out.append("# Not redirectable by a static host (see import-report.md):")
        out += [f"# {url}\t{why}" for url, why in unreachable]
    return "\n".join(out) + "\n"
