"""``brief import jekyll SRC``: a Jekyll site's folder → an :class:`~brief.migrate.model.Archive`.

Reads ``_config.yml`` (permalink, collections, defaults, plugins), every post, draft,
page and collection document (:mod:`brief.migrate.jekylldocs`), the authors
(:mod:`brief.migrate.jekyllauthors`) and the listing pages the site published
(:mod:`brief.migrate.jekylllists`). Each body goes through Liquid
(:mod:`brief.migrate.liquid`), then kramdown's own syntax (:mod:`brief.migrate.kramdown`)
or, for an ``.html`` post, the HTML → Markdown conversion; the files it refers to become
assets (:mod:`brief.migrate.jekyllassets`). Every URL is the one Jekyll built.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from brief.errors import BriefError
from brief.migrate import htmlmd, kramdown, rawembeds
from brief.migrate.constructs import Params, Replacements
from brief.migrate.dates import normalise
from brief.migrate.fields import IMAGE_KEYS, Context, map_front
from brief.migrate.jekyllassets import Assets, rewrite
from brief.migrate.jekyllauthors import Authors, collection_profile, from_data
from brief.migrate.jekylldocs import Doc, read_data, walk
from brief.migrate.jekylllists import listings, resolve_redirects, site_info, sort_docs
from brief.migrate.jekyllsite import SiteConfig, find_config, load_config
from brief.migrate.liquid import Scope, convert
from brief.migrate.liquidexpr import Env
from brief.migrate.liquidincludes import known_include
from brief.migrate.model import Archive, Item, Kind
from brief.migrate.report import Report

FRONT_ORDER = (
    "title", "dek", "date", "updated", "authors", "section", "tags", "image", "draft", "slug", "canonical", "expires",
)  # fmt: skip
_IMAGE_PATH = re.compile(r"\S+\.(?:png|jpe?g|gif|webp|svg|avif)(?:\?\S*)?", re.I)
HANDLED = {"permalink", "category", "tag", "redirect_to", "redirect_from"}


def read(
    src: Path, *, report: Report, replacements: Replacements, progress: Callable[[str, int, int], None]
) -> Archive:
    """Every post, page, author and listing of the Jekyll site at ``src``."""
    config_file = find_config(src)
    if config_file is None and not (src / "_posts").is_dir():
        raise BriefError(f"{src}: not a Jekyll site (expected _config.yml or a _posts folder in it)")
    try:
        config = load_config(config_file)
    except (ValueError, OSError, yaml.YAMLError) as exc:
        raise BriefError(
            f"{config_file}: cannot be read as Jekyll's configuration ({' '.join(str(exc).split())})"
        ) from None
    found = walk(src, config, report)
    report.counts["static files (copied when a post refers to one)"] += found.static
    for rel in found.other_pages:
        report.skip(rel, "not an HTML page (a feed, a stylesheet, a data file made by Liquid): brief makes its own")
    if config.data.get("author"):
        report.field_used("author (_config.yml)", "not imported (brief.toml default_author)", config.data["author"])
    reader = _Reader(src, config, read_data(src / "_data"), report, replacements)
    return reader.archive(found.docs, progress)


@dataclass
class _Reader:
    src: Path
    config: SiteConfig
    data: dict[str, Any]
    report: Report
    replacements: Replacements
    by_rel: dict[str, Doc] = field(default_factory=dict)
    by_name: dict[str, Doc] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    assets: Assets = field(init=False)
    authors: Authors = field(default_factory=Authors)

    def __post_init__(self) -> None:
        self.assets = Assets(self.src, self.config, self.report)
        self.site = {**self.config.data, "baseurl": "", "url": "", "data": self.data}

    def archive(self, docs: list[Doc], progress: Callable[[str, int, int], None]) -> Archive:
        self.assets.documents = {doc.rel for doc in docs}
        for doc in docs:
            self.by_rel[doc.rel] = doc
            if doc.kind in ("posts", "drafts"):
                self.by_name.setdefault(doc.path.stem, doc)
                inside = doc.rel.split("/_posts/", 1)[-1].split("/_drafts/", 1)[-1]
                self.by_name.setdefault(inside.rsplit(".", 1)[0], doc)
        sorted_docs = sort_docs(docs, self.config, self.report)
        from_data(self.data, self.authors, self.assets, self.report)
        for doc in sorted_docs.authors:
            self._profile(doc)
        archive = Archive()
        work: list[tuple[Doc, Kind]] = [(d, "article") for d in sorted_docs.articles]
        work += [(d, "page") for d in sorted_docs.pages]
        for done, (doc, kind) in enumerate(work, 1):
            progress("Reading posts", done, len(work))
            archive.items.append(self._item(doc, kind))
        archive.profiles = self.authors.kept()
        archive.listings = listings(sorted_docs, archive.items, self.config)
        resolve_redirects(sorted_docs.redirects, archive, self.config, self.report)
        archive.site = site_info(self.config, [d for d in sorted_docs.articles if d.urls])
        return archive

    def _profile(self, doc: Doc) -> None:
        bio = self._body(doc, doc.source.meta).strip() if doc.source.body.strip() else ""
        made, keys = collection_profile(doc.path.stem, doc.meta, bio, doc.urls, self.assets, self.report, doc.rel)
        self.authors.add(made, keys)

    def _item(self, doc: Doc, kind: Kind) -> Item:
        meta = {k: v for k, v in doc.meta.items() if k not in ("category", "tag", "categories", "tags")}
        if doc.categories:
            meta["categories"] = doc.categories
        if doc.tags:
            meta["tags"] = doc.tags
        header = meta.get("header")
        if isinstance(header, dict) and not header.get("image"):  # minimal-mistakes: teaser, overlay_image
            meta["header"] = {**header, "image": header.get("overlay_image") or header.get("teaser") or ""}
        if isinstance(header, str) and not _IMAGE_PATH.fullmatch(header.strip()):
            self.report.field_used("header", "not imported (HTML or text, not an image)", meta.pop("header"))
        for key in ("category", "tag"):
            if key in doc.meta:
                self.report.field_used(key, "section (first) and tags" if key == "category" else "tags", doc.meta[key])
        for key in ("permalink", "redirect_from"):
            if key in doc.meta:
                self.report.field_used(key, "old URL (kept as an alias)", doc.meta[key])
        ctx = Context(doc.rel, replace(doc.source, meta=meta), self.report, self.authors.name, set(HANDLED))
        front, _ = map_front(ctx)
        self._fill_front(doc, front, kind)
        item = Item(doc.rel, kind, {}, "", list(doc.urls), _folder(doc, kind))
        item.body = self._body(doc, front, item)
        self._hero(doc, front, item)
        item.front = {k: front[k] for k in FRONT_ORDER if k in front}
        return item

    def _fill_front(self, doc: Doc, front: dict[str, Any], kind: str) -> None:
        if "title" not in front and kind == "article":
            front["title"] = " ".join(w.capitalize() for w in doc.slug.split("-"))
            self.report.field_used("(file name)", "title (as Jekyll made it from the file name)", doc.slug)
        elif "title" not in front:
            front["title"] = " ".join(w.capitalize() for w in re.split(r"[-_ ]+", doc.slug) if w) or "Untitled"
            self.report.warn(doc.rel, None, f"no title: '{front['title']}' made from its URL (write the page's title)")
        if "date" in front and normalise(front["date"])[0] is None and doc.file_date:
            line = doc.source.line_of("date")
            self.report.warn(doc.rel, line, f"date: the file name's date {doc.file_date} is used instead")
            del front["date"]
        if "date" not in front and doc.file_date:
            iso, changed = normalise(doc.file_date)
            front["date"] = iso
            self.report.field_used("(file name date)", "date", doc.file_date)
            if changed and iso:
                self.report.date(doc.rel, None, "file name", doc.file_date, iso)
        if "date" not in front and kind == "article":
            when = datetime.fromtimestamp(doc.path.stat().st_mtime, UTC).replace(microsecond=0)
            front["date"] = when.isoformat()
            self.report.warn(
                doc.rel, None, f"no date: the file's modification time {front['date']} is used, as Jekyll does"
            )
        if doc.kind == "drafts" or not doc.published:
            front["draft"] = True
        front["slug"] = doc.slug

    def _hero(self, doc: Doc, front: dict[str, Any], item: Item) -> None:
        image = front.get("image")
        if not isinstance(image, dict) or not isinstance(image.get("src"), str):
            return
        src = image["src"]
        if "{{" in src or "{%" in src:
            src = convert(src, self._scope(doc, front, item))
        found = self.assets.find(src, "/", (doc.rel, doc.source.line_of("image")))
        if found is not None:
            image["src"] = found[0]
            if all(a.name != found[1].name for a in item.assets):
                item.assets.append(found[1])
        else:
            image["src"] = src
        if not doc.own & set(IMAGE_KEYS):
            image["hero"] = False  # the site's defaults gave every post this image: a sharing image, not a hero

    def _scope(self, doc: Doc, front: dict[str, Any], item: Item | None = None) -> Scope:
        page = {**doc.meta, "url": doc.url, "categories": doc.categories, "tags": doc.tags, "slug": doc.slug}
        page.update({k: front[k] for k in ("title", "date") if k in front and k not in doc.meta})
        page.update({"path": doc.rel, "name": doc.path.name, "id": doc.url.rstrip("/").rsplit(".", 1)[0]})
        page["collection"] = (
            doc.kind if doc.kind not in ("pages", "drafts") else "posts" if doc.kind == "drafts" else None
        )
        env = Env(page, self.site, opaque_site={c for c in self.config.collections if c != "posts"})

        scope = Scope(
            doc.rel,
            doc.source.body_line_at,
            env,
            self.report,
            self.replacements,
            base_url=(self.config.url + self.config.baseurl) or "/",
            link=self._link,
            post_url=self._post_url,
            relative=lambda path: self._relative(doc, path),
        )
        scope.include = partial(self._include, scope)
        return scope

    def _include(self, scope: Scope, name: str, params: Params, line: int) -> tuple[str, str] | None:
        """A known include → (Markdown, kind): an embed or figure, or a Markdown include
        (``faq-notice.md``) whose text converts with nothing left over."""
        folder = (self.src / "_includes").resolve()
        path = (folder / name).resolve()
        inside = path.is_file() and path.is_relative_to(folder)
        template = path.read_text(encoding="utf-8", errors="replace") if inside else None
        found = known_include(name, params, template, scope.env)
        if found is not None:
            if found.warning:
                self.report.warn(scope.source, line, found.warning)
            return found.markdown, found.kind
        if template is None or not name.endswith((".md", ".markdown")) or scope.depth >= 5:
            return None
        env = Env(scope.env.page, scope.env.site, {"include": dict(params.named)}, opaque_site=scope.env.opaque_site)
        trial = Report()
        text = convert(template, replace(scope, env=env, report=trial, line_at=lambda _: line, depth=scope.depth + 1))
        if trial.unconverted or trial.warnings:
            return None
        self.report.converted.update(trial.converted)
        return text.strip(), f"{{% include {name} %}} → its text"

    def _body(self, doc: Doc, front: dict[str, Any], item: Item | None = None) -> str:
        scope = self._scope(doc, front, item)
        blocks = htmlmd.Blocks() if doc.is_html else None
        if blocks is not None:
            scope.protect = blocks.add
        text = convert(doc.source.body, scope)
        if blocks is not None:
            text = htmlmd.to_markdown(
                text, report=self.report, source=doc.rel, line=doc.source.body_line, blocks=blocks
            )
        else:
            text = rawembeds.convert(kramdown.clean(text, self.report), self.report)
        page_of = partial(self._relative_page, doc)
        text, assets = rewrite(text, doc.url or "/", self.assets, partial(_line_of, doc), doc.rel, page_of)
        if item is not None:
            item.assets.extend(a for a in assets if all(b.name != a.name for b in item.assets))
        return text.strip("\n") + "\n" if text.strip() else ""

    def _link(self, path: str) -> str | None:
        rel = path.strip().strip("\"'").lstrip("/")
        doc = self.by_rel.get(rel)
        if doc is not None:
            return doc.url or None
        if (self.src / rel).is_file() and not rel.startswith("_"):
            return "/" + rel
        return None

    def _relative_page(self, doc: Doc, target: str) -> str | None:
        """The URL of the document a relative ``.md`` link of ``doc`` names (from its folder,
        or from the site's root when it starts with ``/``)."""
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            return None
        base = "" if target.startswith("/") else doc.rel.rsplit("/", 1)[0] if "/" in doc.rel else ""
        rel = posixpath.normpath(posixpath.join(base, unquote(target).lstrip("/")))
        found = self.by_rel.get(rel)
        return found.url if found is not None and found.url else None

    def _post_url(self, name: str) -> str | None:
        doc = self.by_name.get(name.strip().strip("\"'").removesuffix(".md"))
        return doc.url if doc is not None and doc.url else None

    def _relative(self, doc: Doc, path: str) -> str | None:
        file = (doc.path.parent / path.strip("\"'")).resolve()
        if not file.is_file() or not file.is_relative_to(self.src.resolve()):
            return None
        return file.read_text(encoding="utf-8", errors="replace")


def _folder(doc: Doc, kind: str) -> str:
    if kind == "article":
        year = f"{doc.when.year:04d}" if doc.when else ""
        base = "" if doc.kind in ("posts", "drafts") else doc.kind
        return "/".join(p for p in (base, year) if p)
    if doc.kind != "pages":
        return doc.kind
    return doc.rel.rsplit("/", 1)[0] if "/" in doc.rel else ""


def _line_of(doc: Doc, written: str) -> int | None:
    """Line of ``doc`` where a reference (as it is now) was written: found by its file name."""
    for needle in (written, written.rsplit("/", 1)[-1]):
        offset = doc.source.body.find(needle) if needle else -1
        if offset >= 0:
            return doc.source.body_line_at(offset)
    return None
