"""A Jekyll site's files → its documents: posts, drafts, pages and collection documents, each
with its front matter (``defaults`` applied), categories, tags, date, slug and URLs as
Jekyll derives them (see :mod:`brief.migrate.jekyllsite` for the URL rules).

- posts are the files named ``YYYY-MM-DD-title.ext`` in a ``_posts`` folder, at the top or
  in any folder (``en/news/_posts/``: the folders above ``_posts`` are the post's first
  categories); drafts the files of ``_drafts``;
- a collection's documents are the files with front matter in ``_<label>/`` (or under
  ``collections_dir``);
- pages are the other ``.md``/``.markdown``/``.html`` files with front matter outside
  ``_`` folders and ``exclude``; other files with front matter (feeds, stylesheets) make
  no page brief imports, and files without it are static files (copied when referenced).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from brief.migrate.dates import normalise
from brief.migrate.fields import ALIAS_KEYS, as_list
from brief.migrate.jekyllsite import (
    MARKUP_EXTS,
    SiteConfig,
    add_suffix,
    date_values,
    escape_path,
    fill,
    served,
    slugify,
)
from brief.migrate.report import Report
from brief.migrate.sourcefiles import SourceDoc, read_source, safe_yaml

DATE_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)(\.[^.]+)$")
HTML_OUTPUT = (".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".html", ".htm", ".xhtml")


@dataclass
class Doc:
    """One document of the site, as Jekyll read it."""

    rel: str
    """Path relative to the site folder (``_posts/2020-01-02-a.md``)."""
    path: Path
    kind: str
    """``posts``, ``drafts``, ``pages`` or a collection's label."""
    source: SourceDoc
    meta: dict[str, Any]
    """Front matter over the ``defaults`` that apply to it, categories and tags as Jekyll reads them."""
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    when: datetime | None = None
    file_date: str = ""
    """The date written in the file name (``2014-3-5``), for a post."""
    slug: str = ""
    """The slug Jekyll's URL gave it (``:title``'s value, capitals and all)."""
    url: str = ""
    """Its URL on the old site, without the base path ("" when it was not published)."""
    urls: list[str] = field(default_factory=list)
    published: bool = True
    output: bool = True
    own: frozenset[str] = frozenset()
    """Keys of the file's own front matter (the others came from ``defaults``)."""

    @property
    def is_html(self) -> bool:
        return self.path.suffix.lower() in (".html", ".htm", ".xhtml")


@dataclass
class Walk:
    """Every document found, and what else the folder held."""

    docs: list[Doc] = field(default_factory=list)
    static: int = 0
    other_pages: list[str] = field(default_factory=list)
    """Files with front matter that make no HTML page (feed.xml, style.scss)."""


def walk(src: Path, config: SiteConfig, report: Report) -> Walk:
    """Read every document of the site at ``src`` (sorted, so that a run is repeatable)."""
    found = Walk()
    labels = {c.folder: c.label for c in config.collections.values() if c.label != "posts"}
    for folder, dirs, files in os.walk(src):
        rel_dir = Path(folder).relative_to(src).as_posix()
        rel_dir = "" if rel_dir == "." else rel_dir
        dirs[:] = sorted(d for d in dirs if _enter(f"{rel_dir}/{d}".lstrip("/"), d, config, labels))
        for name in sorted(files):
            rel = f"{rel_dir}/{name}".lstrip("/")
            if config.excluded(rel) or name.startswith("_"):
                continue
            _file(src, rel, _kind(rel, labels), config, report, found)
    return found


def _enter(rel: str, name: str, config: SiteConfig, labels: dict[str, str]) -> bool:
    if config.excluded(rel) and name not in ("_posts", "_drafts"):
        return False
    if not name.startswith("_"):
        return True
    return name in ("_posts", "_drafts") or rel in labels or "/_posts/" in f"/{rel}" or "/_drafts/" in f"/{rel}"


def _kind(rel: str, labels: dict[str, str]) -> str:
    parts = rel.split("/")
    for label_folder, label in labels.items():
        if rel.startswith(label_folder + "/"):
            return label
    if "_posts" in parts[:-1]:
        return "posts"
    if "_drafts" in parts[:-1]:
        return "drafts"
    return "pages"


def _file(src: Path, rel: str, kind: str, config: SiteConfig, report: Report, found: Walk) -> None:
    path = src / rel
    suffix = path.suffix.lower()
    if suffix not in MARKUP_EXTS:
        if kind == "pages" and _has_front(path):
            found.other_pages.append(rel)
        else:
            found.static += 1
        return
    text = path.read_text(encoding="utf-8", errors="replace")
    source = read_source(text)
    if kind == "posts" and not DATE_NAME.match(path.name):
        report.skip(rel, "not named YYYY-MM-DD-title.md, so Jekyll never published it")
        return
    if kind not in ("posts", "drafts") and not source.has_front:
        found.static += 1
        return
    if source.problem:
        report.skip(rel, f"its front matter cannot be read ({source.problem})")
        return
    found.docs.append(document(rel, path, kind, source, config))


def _has_front(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4).rstrip(b"\r\n") == b"---"
    except OSError:
        return False


def _split(value: Any) -> list[str]:
    """Jekyll's reading of ``categories``/``tags``: a string is split on white space."""
    if isinstance(value, str):
        return [w.strip(",") for w in value.split() if w.strip(",")]
    return [str(v) for v in as_list(value) if not isinstance(v, dict | list)]


def document(rel: str, path: Path, kind: str, source: SourceDoc, config: SiteConfig) -> Doc:
    """One document: front matter over defaults, its categories and tags, date, slug, URLs."""
    meta = {**config.defaults(rel, kind), **source.meta}
    doc = Doc(rel, path, kind, replace(source, meta=meta), meta, own=frozenset(source.meta))
    categories = _folder_categories(rel, kind, config) + _split(meta.get("categories")) + _split(meta.get("category"))
    doc.categories = list(dict.fromkeys(categories))
    doc.tags = list(dict.fromkeys(_split(meta["tag"]) if "tag" in meta else _split(meta.get("tags"))))
    doc.published = str(meta.get("published", True)).lower() not in ("false", "no", "0") and kind != "drafts"
    dated = DATE_NAME.match(path.name)
    doc.file_date = dated[1] if dated and kind != "pages" else ""
    stem = (dated[2] if dated and kind != "pages" else path.stem).rstrip(".")
    doc.slug = str(meta.get("slug") or stem)
    doc.when = _when(meta.get("date"), doc.file_date, config)
    collection = config.collections.get(kind if kind != "drafts" else "posts")
    doc.output = kind == "pages" or (collection is not None and collection.output)
    if kind == "pages":
        doc.url, doc.slug = _page_url(rel, path, meta, config)
    elif doc.output:
        template = (
            str(meta["permalink"]) if meta.get("permalink") else collection.permalink if collection else "/:path/"
        )
        doc.url, doc.slug = _document_url(doc, template, stem, collection.folder if collection else "")
    if doc.published and doc.output and doc.url:
        aliases = [a for key in ALIAS_KEYS for a in _split_aliases(meta.get(key))]
        doc.urls = list(dict.fromkeys([*served(doc.url), *aliases]))
    return doc


def _folder_categories(rel: str, kind: str, config: SiteConfig) -> list[str]:
    """The folders above ``_posts`` (or ``_drafts``): ``en/news/_posts/…`` is in categories en and news."""
    magic = {"posts": "_posts", "drafts": "_drafts"}.get(kind)
    parts = rel.split("/")
    if magic is None or magic not in parts:
        return []
    folders = parts[: parts.index(magic)]
    base = [p for p in str(config.data.get("collections_dir") or "").split("/") if p]
    return folders[len(base) :] if base and folders[: len(base)] == base else folders


def _split_aliases(value: Any) -> list[str]:
    return ["/" + escape_path(str(a).strip()).lstrip("/") for a in as_list(value) if str(a).strip()]


def _when(value: Any, file_date: str, config: SiteConfig) -> datetime | None:
    """The date Jekyll put in the URL: the front matter's (in the site's time zone when it gives
    an offset and the site names a zone), else the file name's."""
    written = value if value not in (None, "") else file_date
    iso, _ = normalise(written) if written else (None, False)
    if iso is None and file_date:
        iso, _ = normalise(file_date)
    if iso is None:
        return None
    when = datetime.fromisoformat(iso)
    zone = str(config.data.get("timezone") or "")
    if when.tzinfo is not None and zone:
        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            when = when.astimezone(ZoneInfo(zone))
    return when


def _page_url(rel: str, path: Path, meta: dict[str, Any], config: SiteConfig) -> tuple[str, str]:
    folder = "/" + rel.rsplit("/", 1)[0] if "/" in rel else ""
    basename = path.name[: -len(path.suffix)].rstrip(".") if path.suffix else path.name
    values = {"path": folder, "basename": basename, "output_ext": ".html"}
    if meta.get("permalink"):
        template = str(meta["permalink"])
    elif path.suffix.lower() not in HTML_OUTPUT:
        template = "/:path/:basename:output_ext"
    elif basename == "index":
        template = "/:path/"
    else:
        template = add_suffix("/:path/:basename", config.style)
    url = fill(template, values)
    return url, _last_segment(url) or basename


def _document_url(doc: Doc, template: str, stem: str, folder: str) -> tuple[str, str]:
    when = doc.when or datetime(1970, 1, 1)
    base = doc.path.name[: -len(doc.path.suffix)] if doc.path.suffix else doc.path.name
    cleaned = doc.rel[: -len(doc.path.suffix)] if doc.path.suffix else doc.rel
    values = {
        "collection": doc.kind if doc.kind != "drafts" else "posts",
        "path": cleaned.replace(folder or "_posts", "", 1).rstrip("."),
        "name": slugify(base),
        "title": slugify(doc.slug, "pretty", cased=True),
        "slug": slugify(doc.slug),
        "categories": "/".join(dict.fromkeys(c.lower() for c in doc.categories)),
        "slugified_categories": "/".join(dict.fromkeys(slugify(c) for c in doc.categories)),
        "output_ext": ".html",
        **date_values(when),
    }
    url = fill(template, values)
    if doc.meta.get("permalink"):
        slug = _last_segment(url)
    else:
        slug = next((values[k] for k in ("title", "slug", "name") if f":{k}" in template), "") or _last_segment(url)
    return url, slug or stem


def _last_segment(url: str) -> str:
    last = url.rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"\.html?$", "", last)


def read_data(folder: Path) -> dict[str, Any]:
    """``_data``: each YAML, JSON or CSV file under its name (sub-folders nest), as
    ``site.data`` holds it; a file that cannot be read is left out."""
    out: dict[str, Any] = {}
    if not folder.is_dir():
        return out
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        try:
            value = _data_file(path)
        except (OSError, ValueError, yaml.YAMLError):
            continue
        node = out
        for part in path.relative_to(folder).parent.parts:
            node = node.setdefault(part, {})
        node[path.stem] = value
    return out


def _data_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix in (".yml", ".yaml"):
        return safe_yaml(text)
    if path.suffix == ".json":
        return json.loads(text)
    if path.suffix in (".csv", ".tsv"):
        return list(csv.DictReader(text.splitlines(), delimiter="\t" if path.suffix == ".tsv" else ","))
    raise ValueError("not a data file")
