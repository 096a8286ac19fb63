"""``brief import hugo SRC``: a Hugo site folder → an :class:`Archive`.

Reads the configuration (:mod:`hugoconfig`), walks ``content/`` (:mod:`hugowalk`),
works out every URL Hugo published (:mod:`hugopaths`), then makes one item per page:
front matter through :func:`brief.migrate.fields.map_front` plus Hugo's own keys,
shortcodes converted (:mod:`shortcodes`), images and files resolved (:mod:`hugoassets`).
Listings, author profiles and site settings come from :mod:`hugolists`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from brief.migrate import alerts, hugolists, rawembeds, shortcodes
from brief.migrate.constructs import Replacements
from brief.migrate.fields import Context, as_list, map_front
from brief.migrate.hugoassets import Place, Resolver, normal_path
from brief.migrate.hugoauthors import AuthorBook, load_book, names_in
from brief.migrate.hugoconfig import HugoConfig, load
from brief.migrate.hugopaths import urlize
from brief.migrate.hugowalk import Content, Page, decide, walk
from brief.migrate.model import Archive, Asset, Item
from brief.migrate.report import Report

FRONT_ORDER = (
    *("title", "dek", "date", "updated", "authors", "section", "tags"),
    *("image", "draft", "slug", "canonical", "expires"),
)
HERO_NAMES = ("feature", "featured", "cover", "hero", "banner", "thumbnail")
IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".webp", ".gif", ".svg", ".avif")


def read(
    src: Path, *, report: Report, replacements: Replacements, progress: Callable[[str, int, int], None]
) -> Archive:
    """The Hugo site at ``src`` as an archive; a :class:`~brief.errors.BriefError` when it is not one."""
    cfg = load(src)
    content = walk(cfg, report)
    _other_languages(cfg, report)
    decide(cfg, content)
    book = load_book(src, cfg.params.get("author") or cfg.get("author"), report)
    resolver = Resolver(cfg.static_dirs(), report, str(cfg.get("baseurl") or ""), _resources(cfg, content), src)
    refs = _ref_index(cfg, content)
    reader = _Reader(cfg, content, report, replacements, book, resolver, refs)
    archive = Archive(site=hugolists.site_info(cfg))
    total = len(content.pages)
    for done, page in enumerate(content.pages, 1):
        if page.skip:
            report.skip(page.source, page.skip)
        else:
            archive.items.append(reader.item(page))
        progress("Reading posts", done, total)
    pages = {p.source for p in content.pages if p.branch}  # a section's _index.md imported as a page
    report.counts["section list files (_index.md)"] += sum(
        1 for s in content.sections.values() if s.source and s.source not in pages
    )
    archive.listings = hugolists.listings(cfg, content, archive.items, book)
    archive.profiles = hugolists.profiles(cfg, content, book, resolver, reader.convert_text)
    archive.site.permalinks = hugolists.permalinks(content)
    return archive


def _other_languages(cfg: HugoConfig, report: Report) -> None:
    for lang, folder in cfg.other_languages.items():
        count = sum(1 for p in folder.rglob("*") if p.suffix in (".md", ".markdown"))
        report.counts[f"other-language files skipped ({lang})"] += count
        report.skip(
            folder.relative_to(cfg.root).as_posix() + "/",
            f"{count} Markdown files in language '{lang}': brief imports one language, the default ({cfg.language})",
        )


def _resources(cfg: HugoConfig, content: Content) -> dict[str, Path]:
    """URL path → file for every file Hugo publishes beside a page (a bundle's resources) or
    in a content folder (``content/documents/a.pdf`` at ``/documents/a.pdf``)."""
    out: dict[str, Path] = {}
    for folders, files in content.files.items():
        section = content.sections.get(folders)
        base = hugolists.section_url(cfg, folders, section) if section else "/" + "/".join(folders) + "/"
        for file in files:
            out[base.rstrip("/") + "/" + file.name] = file
    for page in content.pages:
        if page.bundle is None or page.branch or not page.url.endswith("/"):
            continue  # a branch's own files are in content.files, under its section's URL
        for file in sorted(page.bundle.rglob("*")):
            if file.is_file() and file != page.file and not file.name.endswith((".md", ".markdown")):
                out[page.url + file.relative_to(page.bundle).as_posix()] = file
    return out


def _ref_index(cfg: HugoConfig, content: Content) -> dict[str, Any]:
    """Hugo's page paths (``/posts/water-report``) and file names → the pages, for ``ref``."""
    paths: dict[str, str] = {"/": cfg.prefix + "/"}
    names: dict[str, list[str]] = {}
    for folders, section in content.sections.items():
        url = section.meta.get("url")
        paths["/" + "/".join(urlize(f) for f in folders)] = (
            url if isinstance(url, str) else hugolists.section_url(cfg, folders, section)
        )
    for page in content.pages:
        if page.skip:
            continue
        paths[page.key] = page.url
        names.setdefault(urlize(page.name), []).append(page.url)
        names.setdefault(urlize(page.file.stem), []).append(page.url)
    return {"paths": paths, "names": names}


class _Reader:
    """Makes items of pages; holds what every page needs."""

    def __init__(
        self,
        cfg: HugoConfig,
        content: Content,
        report: Report,
        replacements: Replacements,
        book: AuthorBook,
        resolver: Resolver,
        refs: dict[str, Any],
    ) -> None:
        self.cfg, self.content, self.report, self.replacements = cfg, content, report, replacements
        self.book, self.resolver, self.refs = book, resolver, refs
        self.author_keys = {"author", "authors"} | {
            plural for singular, plural in cfg.taxonomies.items() if "author" in (singular, plural)
        }
        self.extra_taxonomies = set(cfg.taxonomies.values()) - {"tags", "categories", "keywords"} - self.author_keys

    def item(self, page: Page) -> Item:
        meta = page.doc.meta
        handled = {k for k in meta if k.lower() in {"url", "type", "layout", "resources"}}
        handled |= {k for k in meta if k.lower() in self.author_keys | self.extra_taxonomies}
        front, _aliases = map_front(Context(page.source, page.doc, self.report, self.book.name, handled))
        self._hugo_keys(page, front)
        assets: list[Asset] = []
        self._hero(page, front, assets)
        front["slug"] = page.slug
        if page.file_date and "date" not in front:
            front["date"] = page.file_date
            self.report.field_used("file name date", "date", page.file.name)
        place = Place(page.source, page.bundle or page.file.parent, page.bundle, page.url, page.doc.body)
        place.body_line = page.doc.body_line
        body = page.doc.body
        if page.file.suffix.lower() in (".html", ".htm"):
            from brief.migrate.htmlmd import to_markdown  # markdownify: loaded only for HTML content

            body = to_markdown(body, report=self.report, source=page.source, line=page.doc.body_line)
            self.report.convert("HTML content file → Markdown")
        body = self.resolver.body(self.convert(page, body), place, assets)
        folder = "/".join(page.folders)
        urls = [] if page.draft else [page.url, *page.aliases]
        ordered = {k: front[k] for k in FRONT_ORDER if k in front}
        ordered.update({k: v for k, v in front.items() if k not in ordered})
        return Item(page.source, "article" if page.kind == "article" else "page", ordered, body, urls, folder, assets)

    def _hugo_keys(self, page: Page, front: dict[str, Any]) -> None:
        """Hugo's own keys: counted with what they became; authors and extra taxonomies read."""
        authors: list[str] = []
        for key, value in page.doc.meta.items():
            low = key.lower()
            if low == "url":
                self.report.field_used(key, "source URL (redirected)", value)
            elif low in ("type", "layout"):
                became = "kind: page" if page.kind == "page" and str(value).lower() in {"page", "pages"} else None
                self.report.field_used(key, became or "not imported", value)
            elif low in self.author_keys:
                self.report.field_used(key, "authors", value)
                authors += [self.book.name(n) for n in names_in(value)]
            elif low in self.extra_taxonomies:
                self.report.field_used(key, "tags", value)
                words = [" ".join(str(t).split()) for t in as_list(value) if str(t).strip()]
                section = str(front.get("section", "")).casefold()
                tags = [t for t in [*front.get("tags", []), *words] if t.casefold() != section]
                front["tags"] = list(dict.fromkeys(tags))
        if authors:
            front["authors"] = list(dict.fromkeys(authors))

    def _hero(self, page: Page, front: dict[str, Any], assets: list[Asset]) -> None:
        resources = [r for r in as_list(page.doc.meta.get("resources")) if isinstance(r, dict)]
        image = front.get("image")
        if image is None and page.bundle is not None:
            image = self._bundle_hero(page)
        if image is None:
            if resources:
                self.report.field_used("resources", "not imported", resources)
            return
        src = str(image.get("src", ""))
        for resource in resources:
            if src and src in (str(resource.get("src", "")), str(resource.get("name", ""))):
                self.report.field_used("resources", "image alt and caption", resource)
                params: dict[str, Any] = resource["params"] if isinstance(resource.get("params"), dict) else {}
                if params.get("alt") and image.get("decorative"):
                    image.pop("decorative")
                    image["alt"] = str(params["alt"])
                    self.report.warnings = [
                        w for w in self.report.warnings if not (w[0].source == page.source and "alt text" in w[1])
                    ]
                if resource.get("title") and not image.get("caption"):
                    image["caption"] = str(resource["title"])
        place = Place(page.source, page.bundle or page.file.parent, page.bundle, page.url, page.doc.front_text)
        place.body_line = 2
        new = self.resolver.reference(src, place, assets, image=True)
        if new is not None:
            image["src"] = new
        front["image"] = image

    def _bundle_hero(self, page: Page) -> dict[str, Any] | None:
        """A bundle's image named feature*, cover*… (what themes show as the hero)."""
        assert page.bundle is not None
        for file in sorted(page.bundle.iterdir()):
            stem = file.stem.lower()
            if file.suffix.lower() in IMAGE_EXTS and stem.replace("_", "-").removesuffix("-image") in HERO_NAMES:
                alt = next(
                    (
                        str(r.get("params", {}).get("alt", ""))
                        for r in as_list(page.doc.meta.get("resources"))
                        if isinstance(r, dict) and r.get("src") == file.name and isinstance(r.get("params"), dict)
                    ),
                    "",
                )
                self.report.field_used("bundle image " + file.name, "image", file.name)
                if alt:
                    return {"src": file.name, "alt": alt}
                self.report.warn(page.source, None, f"the hero image {file.name} has no alt text: marked decorative")
                return {"src": file.name, "alt": "", "decorative": True}
        return None

    def convert(self, page: Page, body: str) -> str:
        ctx = shortcodes.Context(
            page.source,
            self.report,
            self.replacements,
            line_at=page.doc.body_line_at,
            resolve_ref=lambda target: self._ref(page, target),
            param=lambda name: self._param(page, name),
            default_language=self.cfg.language,
        )
        body = _attributes(shortcodes.convert(body, ctx), self.report)
        return rawembeds.convert(alerts.convert(body, self.report), self.report)

    def convert_text(self, source: str, text: str, first_line: int) -> str:
        """Shortcodes of a text that is not a page (an author's bio)."""
        ctx = shortcodes.Context(
            source,
            self.report,
            self.replacements,
            line_at=lambda offset: first_line + text.count("\n", 0, offset),
            param=lambda name: _dotted(self.cfg.params, name),
            default_language=self.cfg.language,
        )
        return shortcodes.convert(text, ctx)

    def _ref(self, page: Page, target: str) -> str | None:
        path, _, anchor = target.strip().partition("#")
        anchor = f"#{anchor}" if anchor else ""
        if not path:
            return page.url + anchor
        clean = path.strip().lower().replace(" ", "-")
        for ext in (".md", ".markdown"):
            clean = clean.removesuffix(ext)
        clean = clean.removesuffix("/_index").removesuffix("/index").rstrip("/") or "/"
        paths, names = self.refs["paths"], self.refs["names"]
        here = "/" + "/".join(urlize(f) for f in page.folders)
        tries = [clean] if clean.startswith("/") else []
        if not clean.startswith("/"):
            bundle = [page.key] if page.bundle is not None else []
            tries = [normal_path(f"{d}/{clean}") for d in [*bundle, here]] + ["/" + clean]
        for candidate in tries:
            if candidate in paths:
                return paths[candidate] + anchor
        found = names.get(urlize(clean.rsplit("/", 1)[-1]), [])
        return found[0] + anchor if len(set(found)) == 1 else None

    def _param(self, page: Page, name: str) -> object:
        own = page.meta  # lowercased, with the sections' cascade: Hugo's .Param reads those too
        nested: dict[str, Any] = own["params"] if isinstance(own.get("params"), dict) else {}
        for source in (own, {str(k).lower(): v for k, v in nested.items()}, self.cfg.params):
            value = _dotted(source, name)
            if value is not None:
                return value
        return None


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_HEADING_ATTRS = re.compile(r"^(#{1,6}[ \t].*?)[ \t]*\{[ \t]*[#.][^{}\n]*\}[ \t]*$", re.M)
_BLOCK_ATTRS = re.compile(r"^[ \t]*\{[ \t]*[#.][\w#. =\"'-]*\}[ \t]*$\n?", re.M)


def _attributes(body: str, report: Report) -> str:
    """Goldmark's attributes (a ``{.note}`` line, a heading's classes) removed outside code; a
    heading's ``{#id}`` is kept for the link pass (brief.migrate.links), which removes it."""
    parts, pos = [], 0
    for fence in _FENCE.finditer(body):
        parts += [_strip_attributes(body[pos : fence.start()], report), fence.group()]
        pos = fence.end()
    return "".join([*parts, _strip_attributes(body[pos:], report)])


def _strip_attributes(text: str, report: Report) -> str:
    # A heading's {#id} stays for brief.migrate.links, which maps links to it onto brief's
    # own heading ids and then removes it; its {.class} and other attributes go here.
    text = _HEADING_ATTRS.sub(_heading_id_only, text)
    text, blocks = _BLOCK_ATTRS.subn("", text)
    if blocks:
        report.convert("{.class} attribute line → removed", blocks)
    return text


def _heading_id_only(match: re.Match[str]) -> str:
    found = re.search(r"#([^\s{}#.]+)", match[0][len(match[1]) :])
    return f"{match[1]} {{#{found[1]}}}" if found else match[1]


def _dotted(data: dict[str, Any], name: str) -> object:
    value: object = data
    for part in name.lower().split("."):
        if not isinstance(value, dict):
            return None
        value = {str(k).lower(): v for k, v in value.items()}.get(part)
    return value
