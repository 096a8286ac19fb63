"""One import from start to finish: read the source, plan, write, report."""

from __future__ import annotations

import json
import posixpath
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from brief.errors import BriefError
from brief.interrupts import leaving
from brief.migrate import feed, hugo, jekyll, wordpress
from brief.migrate.constructs import Replacements
from brief.migrate.links import Linker
from brief.migrate.model import Archive
from brief.migrate.plan import PAGE_FIELDS, Placed, Plan, plan
from brief.migrate.report import Report
from brief.migrate.reporting import markdown
from brief.migrate.write import REPORT_NAME, URL_LIST, Writer, front_matter, merged_toml, site_toml, url_list

Progress = Callable[[str, int, int], None]
SOURCES = ("hugo", "jekyll", "wordpress", "feed")
FILE_SOURCES = ("wordpress", "feed")
"""Sources read from one file; the others from a folder."""


@dataclass
class Options:
    kind: str
    source: Path
    into: Path
    map_file: Path | None = None
    overwrite: bool = False
    dry_run: bool = False
    uploads: Path | None = None


@dataclass
class Outcome:
    report: Report
    summary: list[str] = field(default_factory=list)
    text: str = ""
    """import-report.md's text."""


def _read(options: Options, report: Report, replacements: Replacements, progress: Progress) -> Archive:
    if options.kind in FILE_SOURCES and not options.source.is_file():
        raise BriefError(f"{options.source}: not a file (expected the {options.kind} export file to import)")
    if options.kind not in FILE_SOURCES and not options.source.is_dir():
        raise BriefError(f"{options.source}: not a folder (expected the {options.kind.title()} site's folder)")
    if options.kind == "hugo":
        return hugo.read(options.source, report=report, replacements=replacements, progress=progress)
    if options.kind == "jekyll":
        return jekyll.read(options.source, report=report, replacements=replacements, progress=progress)
    if options.kind == "wordpress":
        return wordpress.read(
            options.source, report=report, replacements=replacements, progress=progress, uploads=options.uploads
        )
    return feed.read(options.source, report=report, replacements=replacements, progress=progress)


def _target_settings(into: Path) -> tuple[str | None, set[str], str | None]:
    """The existing brief.toml's permalink, its [redirects] keys and its text (None, set(), None when new)."""
    path = into / "brief.toml"
    if not path.is_file():
        return None, set(), None
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BriefError(f"{path}: {exc} (expected the site's valid brief.toml; fix it, then import)") from None
    permalink = data.get("permalink", "/{year}/{month}/{slug}/")
    redirects = data.get("redirects", {})
    return str(permalink), set(redirects) if isinstance(redirects, dict) else set(), text


def run(options: Options, progress: Progress) -> Outcome:
    made: list[Writer] = []  # (the writer, once there is one)
    with leaving(lambda: _stopped(options.into, made)):
        return _run(options, progress, made)


def _stopped(into: Path, made: list[Writer]) -> str:
    """What an import stopped by Ctrl-C says."""
    count = made[0].stopped() if made else 0
    if not count:
        return f"Interrupted; nothing was written into {into}."
    files = "1 file" if count == 1 else f"{count:,} files"
    return (
        f"Interrupted; the import stopped part way: {files} written into {into} are kept, each whole "
        "(run the same command again to finish it: it keeps the files already there)."
    )


def _run(options: Options, progress: Progress, made: list[Writer]) -> Outcome:
    report = Report(kind=options.kind, source=str(options.source))
    replacements = Replacements.load(options.map_file) if options.map_file else Replacements()
    if options.source.is_dir() and options.into.resolve().is_relative_to(options.source.resolve()):
        raise BriefError(
            f"{options.into}: inside the source {options.source} (expected a folder outside it: a second "
            "import would read the imported files as the source's own)"
        )
    if options.into.exists() and not options.into.is_dir():
        raise BriefError(f"{options.into}: not a folder (expected the folder of the brief site to import into)")
    permalink, have, toml_text = _target_settings(options.into)
    archive = _read(options, report, replacements, progress)
    result = plan(archive, report, permalink_pattern=permalink, now=datetime.now(UTC))
    root = options.source if options.source.is_dir() else options.source.parent
    writer = Writer(options.into, report, overwrite=options.overwrite, dry_run=options.dry_run, source_root=root)
    if options.uploads is not None:
        writer.extra_roots.append(options.uploads.resolve())
    made.append(writer)
    return _write(options, archive, result, writer, report, progress, toml_text, have)


def _write(
    options: Options,
    archive: Archive,
    result: Plan,
    writer: Writer,
    report: Report,
    progress: Progress,
    toml_text: str | None,
    have: set[str],
) -> Outcome:
    _write_items(result, writer, Linker(result, archive.site.base_url, report), progress)
    _write_profiles(result, writer)
    if toml_text is None:
        writer.text("brief.toml", site_toml(archive.site, result.permalink, result.redirects))
    else:
        merged = merged_toml(toml_text, result.redirects, have)
        if merged is not None:
            writer.overwrite, keep = True, writer.overwrite
            writer.text("brief.toml", merged)
            writer.overwrite = keep
    outcome = Outcome(report, _summary(result, report, options))
    outcome.text = markdown(report, outcome.summary)
    if not options.dry_run:
        _always(options.into / URL_LIST, url_list(result.urls, report.unreachable))
        _always(options.into / f"{REPORT_NAME}.md", outcome.text)
        data = report.as_json() | {"summary": outcome.summary}
        _always(options.into / f"{REPORT_NAME}.json", json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    return outcome


def _always(path: Path, text: str) -> None:
    """The import's own outputs (the report, the URL list) describe this run: always rewritten."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _front(placed: Placed, report: Report) -> dict[str, Any]:
    item = placed.item
    front = dict(item.front)
    stem = posixpath.splitext(posixpath.basename(placed.path))[0]
    if stem != placed.slug:
        front["slug"] = placed.slug
    else:
        front.pop("slug", None)
    if item.kind == "page":
        for key in [k for k in front if k not in PAGE_FIELDS]:
            report.field_used(
                f"{key} (on a page)", "not imported (a standalone page has no such field)", front.pop(key)
            )
    return front


def _write_items(result: Plan, writer: Writer, linker: Linker, progress: Progress) -> None:
    report = writer.report
    total = len(result.placed)
    for done, placed in enumerate(result.placed, 1):
        item = placed.item
        progress("Writing posts", done, total)
        report.counts["articles" if item.kind == "article" else "pages"] += 1
        if item.front.get("draft"):
            report.counts["drafts (imported with draft: true)"] += 1
        if writer.exists(placed.path) and not writer.overwrite:
            report.counts["posts skipped: already imported"] += 1
            report.kept.append(placed.path)
            continue
        here = posixpath.dirname(placed.path)
        for asset in item.assets:
            rel = posixpath.join("static", asset.name) if asset.static else posixpath.join(here, asset.name)
            writer.copy(asset, rel, item.source)
        body = linker.rewrite(item.body, placed.path, item.urls[0] if item.urls else "")
        writer.text(placed.path, front_matter(_front(placed, report), body))


def _write_profiles(result: Plan, writer: Writer) -> None:
    for profile, slug in result.profiles:
        front: dict[str, Any] = {"name": profile.name, "role": profile.role}
        if profile.avatar is not None:
            if profile.avatar.source is not None:
                writer.copy(profile.avatar, posixpath.join("static", profile.avatar.name), f"author {profile.name}")
                front["avatar"] = "/" + profile.avatar.name
            else:
                writer.report.miss(f"author {profile.name}", None, profile.avatar.written or profile.avatar.name)
        writer.report.counts["author profiles"] += 1
        writer.text(f"content/authors/{slug}.md", front_matter(front, profile.bio))


def _summary(result: Plan, report: Report, options: Options) -> list[str]:
    c = report.counts
    aliases = sum(len(p.item.front.get("aliases") or []) for p in result.placed)
    unconverted = report.unconverted_sorted()
    lines = [
        f"{c['articles']} articles, {c['pages']} pages, {c['author profiles']} author profiles"
        f" from {options.source}"
        + (f" ({c['drafts (imported with draft: true)']} drafts)" if c["drafts (imported with draft: true)"] else ""),
        f"{c['posts skipped: already imported']} posts already imported, left as they were"
        if c["posts skipped: already imported"]
        else "",
        f"{len(report.skipped)} files skipped (see Posts skipped)" if report.skipped else "",
        f"{sum(report.converted.values())} constructs converted",
        f"{sum(len(p) for _, p in unconverted)} constructs of {len(unconverted)} kinds left as written"
        + (f" (most: {unconverted[0][0]} ×{len(unconverted[0][1])})" if unconverted else ""),
        f"{len(result.urls)} source URLs kept: {aliases} article aliases, {len(result.redirects)} [redirects] entries"
        f" (list in {URL_LIST})",
        f"{len(report.unreachable)} source URLs no static host can keep" if report.unreachable else "",
        f"{len(report.missing)} assets missing" if report.missing else "",
        f"{c['assets copied']} files copied",
        f"permalink {result.permalink}",
    ]
    return [line for line in lines if line]
