"""The pages of a Hugo site's content folder, with what Hugo would publish for each.

Walks ``content/`` (of the default language) as Hugo does: a folder holding ``index.md``
is a *leaf bundle* (that file is the page, every other file in the folder is its
resource), ``_index.md`` describes a section (a top-level folder is always one; a deeper
folder only with it) or, under a taxonomy's folder (``content/tags/``), a term; every
other ``.md``/``.markdown`` file is a page. Other content formats are listed as skipped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brief.migrate.dates import normalise
from brief.migrate.hugoconfig import HugoConfig
from brief.migrate.hugopaths import PageFacts, alias_path, expand, finish, front_url, urlize
from brief.migrate.report import Report
from brief.migrate.sourcefiles import SourceDoc, read_source

MARKDOWN = (".md", ".markdown", ".mdown", ".mkd")
HTML = (".html", ".htm")
OTHER_FORMATS = (".adoc", ".asciidoc", ".org", ".pandoc", ".pdc", ".rst", ".ipynb")
DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
PAGE_TYPES = {"page", "pages", "static", "standalone"}
_FILE_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")


@dataclass
class Section:
    """A folder Hugo lists: its ``_index.md`` front matter (empty when it has none)."""

    folders: tuple[str, ...]
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""


@dataclass
class Page:
    file: Path
    source: str
    """Path relative to the site folder, as the report names it."""
    folders: list[str]
    """Folders from content/ to the page (a bundle's parent folders)."""
    name: str
    """File name without extension and language; a bundle's folder name."""
    bundle: Path | None = None
    doc: SourceDoc = field(default_factory=SourceDoc)
    meta: dict[str, Any] = field(default_factory=dict)
    """Front matter with lowercased keys and the sections' ``cascade`` values, for decisions."""
    skip: str = ""
    kind: str = "article"
    date: str = ""
    file_date: str = ""
    """The date in a ``2020-01-02-name.md`` file name, when ``[frontmatter] date`` reads it."""
    file_slug: str = ""
    """The rest of that file name, Hugo's slug for the page when it has none."""
    slug: str = ""
    """The last segment of its URL as the source wrote it (slug, file name or title)."""
    url: str = ""
    aliases: list[str] = field(default_factory=list)
    branch: bool = False
    """A section's ``_index.md`` (``bundle`` is its folder): kept as a standalone page at the
    section's URL when it has text of its own and the section's pages are not posts (Docsy's
    docs sections), else dropped (brief makes its own listings)."""

    @property
    def draft(self) -> bool:
        return str(self.meta.get("draft", "")).lower() in ("true", "yes", "1")

    @property
    def key(self) -> str:
        """Hugo's logical path: ``/posts/water-report``."""
        return "/" + "/".join(urlize(p) for p in [*self.folders, self.name])


@dataclass
class Content:
    pages: list[Page] = field(default_factory=list)
    sections: dict[tuple[str, ...], Section] = field(default_factory=dict)
    terms: dict[str, dict[str, Section]] = field(default_factory=dict)
    """Taxonomy (plural) → term folder name → its ``_index.md``; "" for the taxonomy's own."""
    files: dict[tuple[str, ...], list[Path]] = field(default_factory=dict)
    """Folder → files that are not content (a branch's resources, published under its URL)."""


def walk(cfg: HugoConfig, report: Report) -> Content:
    """Every content file of the default language, read (front matter split) but not converted."""
    content = Content()
    plurals = set(cfg.taxonomies.values())
    stack: list[tuple[Path, tuple[str, ...]]] = [(cfg.content, ())]
    while stack:
        folder, folders = stack.pop()
        names = sorted(os.listdir(folder))
        index = next((n for n in names if _stem_lang(cfg, n)[0] == "index" and n.endswith(MARKDOWN)), None)
        if folders and index:
            _leaf(cfg, content, folder / index, folders, report)
            continue
        if len(folders) == 1:  # a top-level folder is a section; a deeper one only with _index.md
            content.sections.setdefault(folders, Section(folders))
        for name in names:
            path = folder / name
            if name.startswith((".", "#")) or (not folders and path.is_dir() and path in cfg.other_languages.values()):
                continue
            if path.is_dir():
                stack.append((path, (*folders, name)))
            elif name.startswith("_index.") and name.endswith(MARKDOWN):
                _section_file(cfg, content, path, folders, plurals)
                if folders and folders[0].lower() not in plurals and _stem_lang(cfg, name)[1] == cfg.language:
                    doc = _read(cfg, path)
                    content.pages.append(Page(path, _source(cfg, path), list(folders[:-1]), folders[-1], folder, doc))
                    content.pages[-1].branch = True
            elif name.endswith(MARKDOWN) or name.lower().endswith(HTML):
                _page(cfg, content, path, folders, report)
            elif name.lower().endswith(OTHER_FORMATS):
                report.skip(_source(cfg, path), f"a {path.suffix} content file: brief imports Markdown posts only")
            else:
                content.files.setdefault(folders, []).append(path)
    content.pages.sort(key=lambda p: p.source)
    return content


def _source(cfg: HugoConfig, path: Path) -> str:
    return path.relative_to(cfg.root).as_posix()


def _stem_lang(cfg: HugoConfig, name: str) -> tuple[str, str]:
    """``post.fr.md`` → (post, fr); ``post.md`` → (post, the default language)."""
    stem = name.rsplit(".", 1)[0]
    base, _, lang = stem.rpartition(".")
    if base and lang.lower() in cfg.languages:
        return base, lang.lower()
    return stem, cfg.language


def _read(cfg: HugoConfig, path: Path) -> SourceDoc:
    try:
        return read_source(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        doc = SourceDoc()
        doc.problem = f"cannot read the file: {getattr(exc, 'strerror', None) or exc}"
        return doc


def _page(cfg: HugoConfig, content: Content, path: Path, folders: tuple[str, ...], report: Report) -> None:
    name, lang = _stem_lang(cfg, path.name)
    if lang != cfg.language:
        report.counts[f"other-language files skipped ({lang})"] += 1
        return
    doc = _read(cfg, path)
    if path.suffix.lower() in HTML and not doc.has_front:
        report.skip(_source(cfg, path), "an HTML file without front matter: Hugo copies it as it is, not a page")
        return
    content.pages.append(Page(path, _source(cfg, path), list(folders), name, doc=doc))


def _leaf(cfg: HugoConfig, content: Content, path: Path, folders: tuple[str, ...], report: Report) -> None:
    _, lang = _stem_lang(cfg, path.name)
    if lang != cfg.language:
        report.counts[f"other-language files skipped ({lang})"] += 1
        return
    page = Page(path, _source(cfg, path), list(folders[:-1]), folders[-1], bundle=path.parent, doc=_read(cfg, path))
    content.pages.append(page)


def _section_file(cfg: HugoConfig, content: Content, path: Path, folders: tuple[str, ...], plurals: set[str]) -> None:
    doc = _read(cfg, path)
    meta = {k.lower(): v for k, v in doc.meta.items()}
    section = Section(folders, meta, _source(cfg, path))
    if folders and folders[0].lower() in plurals and len(folders) <= 2:
        terms = content.terms.setdefault(folders[0].lower(), {})
        terms[folders[1] if len(folders) == 2 else ""] = section
    else:
        content.sections[folders] = section


def decide(cfg: HugoConfig, content: Content) -> None:
    """Each page's cascaded front matter, whether it is skipped, an article or a page, and its URLs."""
    for page in content.pages:
        page.meta = _cascaded(cfg, content, page)
        page.skip = _skip_reason(page)
        page.date = _date(cfg, page)
    dated: dict[str, list[bool]] = {}
    for page in content.pages:
        if not page.skip and page.folders and not page.branch:
            dated.setdefault(page.folders[0], []).append(_published(page))
    for page in content.pages:
        top = [*page.folders, page.name][0] if page.branch else (page.folders or [""])[0]
        group = dated.get(top, [])  # none when all its pages are skipped
        in_dated = bool(group) and sum(group) * 2 >= len(group)
        if page.branch:
            page.kind = "page" if not in_dated and page.doc.body.strip() else ""
            if page.kind and not page.skip:
                _branch_urls(cfg, content, page)
            continue
        kind_word = str(page.meta.get("type") or page.meta.get("layout") or "").lower()
        page.kind = "article" if in_dated and _published(page) and kind_word not in PAGE_TYPES else "page"
        if not page.skip:
            _urls(cfg, content, page)
    content.pages = [p for p in content.pages if p.kind]  # a listing's _index.md: counted as a section file


def _branch_urls(cfg: HugoConfig, content: Content, page: Page) -> None:
    folders = (*page.folders, page.name)
    page.url = section_url(cfg, folders, content.sections.get(folders) or Section(folders))
    page.slug = page.url.rstrip("/").rsplit("/", 1)[-1] or page.name
    _alias_urls(cfg, page)


def section_url(cfg: HugoConfig, folders: tuple[str, ...], section: Section) -> str:
    """The URL Hugo gives the section at ``folders``: its ``url``, the ``section`` permalink, or its path."""
    url = section.meta.get("url")
    if isinstance(url, str) and url.strip():
        return front_url(url)
    path = "/".join(urlize(f) for f in folders)
    rule = cfg.rule_for("section", path)
    if rule is not None:
        title = str(section.meta.get("title") or folders[-1])
        facts = PageFacts(title=title, slug=str(section.meta.get("slug") or ""), filename=folders[-1])
        facts.folders = facts.sections = [urlize(f) for f in folders]
        return cfg.prefix + finish(expand(rule.pattern, facts, cfg.lower), False)
    return cfg.prefix + "/" + urlize(path, cfg.lower) + "/"


def _cascaded(cfg: HugoConfig, content: Content, page: Page) -> dict[str, Any]:
    meta = {k.lower(): v for k, v in page.doc.meta.items()}
    values: list[Any] = [cfg.get("cascade")]
    values += [content.sections[page_folders].meta.get("cascade") for page_folders in _ancestors(content, page)]
    for value in reversed(values):  # the nearest section first: it wins
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, dict) and _targets(entry, page.key):
                for k, v in entry.items():
                    if k.lower() not in ("target", "_target"):
                        meta.setdefault(k.lower(), v)
    return meta


def _ancestors(content: Content, page: Page) -> list[tuple[str, ...]]:
    out = [tuple(page.folders[:i]) for i in range(1, len(page.folders) + 1)]
    if page.branch:  # a section's cascade reaches its own page too
        out.append((*page.folders, page.name))
    return [f for f in out if f in content.sections]


def _targets(entry: dict[str, Any], key: str) -> bool:
    target = entry.get("target") or entry.get("_target")
    if not isinstance(target, dict) or not target.get("path"):
        return True
    glob = str(target["path"]).lower()
    pattern = re.sub(r"\\\{([^}]*)\\\}", lambda m: "(?:" + m.group(1).replace(",", "|") + ")", re.escape(glob))
    pattern = pattern.replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.fullmatch(pattern, key) is not None


def _skip_reason(page: Page) -> str:
    if page.doc.problem:
        return f"front matter could not be read: {page.doc.problem}"
    if page.bundle is not None and str(page.meta.get("headless", "")).lower() == "true":
        return "headless: true (a bundle Hugo does not publish as a page)"
    for key in ("build", "_build"):
        options = page.meta.get(key)
        render = {str(k).lower(): v for k, v in options.items()}.get("render") if isinstance(options, dict) else None
        if str(render).lower() in ("never", "false"):
            return f"{key}: render: {render} (Hugo does not publish it as a page)"
    return ""


def _date(cfg: HugoConfig, page: Page) -> str:
    match = _FILE_DATE.match(page.name)
    if cfg.date_from_filename() and match:
        page.file_date = match.group(1)
        page.file_slug = match.group(2)
    for key in DATE_KEYS:
        if page.meta.get(key):
            iso, _ = normalise(page.meta[key])
            return iso or ""
    return page.file_date


def _published(page: Page) -> bool:
    """Whether the page says when it was published (a ``lastmod`` alone does not make a post)."""
    return bool(page.file_date) or any(page.meta.get(k) for k in DATE_KEYS[:4])


def _facts(content: Content, page: Page) -> PageFacts:
    nearest = max(_ancestors(content, page) or [tuple(page.folders[:1])], key=len)
    slugs = [
        str(content.sections[nearest[:i]].meta.get("slug") or content.sections[nearest[:i]].meta.get("title") or "")
        or nearest[i - 1]
        for i in range(1, len(nearest) + 1)
        if nearest[:i] in content.sections
    ]
    return PageFacts(
        date=page.date,
        title=str(page.meta.get("title") or ""),
        slug=str(page.meta.get("slug") or page.file_slug),
        filename=page.name,
        folders=[urlize(f) for f in page.folders],
        sections=[urlize(f) for f in nearest],
        section_slugs=slugs,
    )


def _urls(cfg: HugoConfig, content: Content, page: Page) -> None:
    written_url = page.meta.get("url")
    if isinstance(written_url, str) and written_url.strip():
        page.url = front_url(written_url)
        page.slug = page.url.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or page.name
    else:
        facts = _facts(content, page)
        rule = cfg.rule_for("page", page.key.lstrip("/"))
        if rule is None:
            path = urlize("/".join([*page.folders, facts.slug or page.name]), cfg.lower)
            page.slug = facts.slug or page.name
        else:
            path = expand(rule.pattern, facts, cfg.lower)
            page.slug = _slug_in(rule.pattern, facts, page.name)
        pattern = rule.pattern if rule else ""
        page.url = cfg.prefix + finish(path, cfg.ugly(page.folders[0] if page.folders else ""), pattern)
    _alias_urls(cfg, page)


def _alias_urls(cfg: HugoConfig, page: Page) -> None:
    aliases = page.meta.get("aliases") or []
    for alias in aliases if isinstance(aliases, list) else [aliases]:
        old = alias_path(str(alias), page.url, cfg.ugly(page.folders[0] if page.folders else ""))
        if old and old != page.url and old not in page.aliases:
            page.aliases.append(old)


def _slug_in(pattern: str, facts: PageFacts, name: str) -> str:
    """The source's own word for the last segment a pattern makes."""
    tokens = re.findall(r":(\w+)", pattern)
    if "slug" in tokens:
        return facts.slug or urlize(facts.title)
    if {"slugorfilename", "slugorcontentbasename"} & set(tokens):
        return facts.slug or name
    if "title" in tokens:
        return urlize(facts.title)
    return name
