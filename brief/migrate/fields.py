"""Front-matter keys Hugo and Jekyll posts (and most generators') share → brief's fields.

:func:`map_front` reads one post's keys and returns brief's front matter; every key is
counted in the report with what it became, so a key brief has no place for is listed
(``not imported``) rather than lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from brief.migrate.dates import normalise
from brief.migrate.report import Report
from brief.migrate.sourcefiles import SourceDoc
from brief.slugs import slugify

NOT_IMPORTED = "not imported"
DEK_KEYS = ("description", "dek", "deck", "summary", "excerpt", "subtitle", "lede", "standfirst")
DATE_KEYS = ("date", "publishDate", "publishdate", "pubDate", "published_at", "created")
UPDATED_KEYS = ("lastmod", "lastMod", "updated", "last_modified_at", "modified", "updated_at", "update")
AUTHOR_KEYS = ("authors", "author", "byline")
CATEGORY_KEYS = ("categories", "category", "section")
TAG_KEYS = ("tags", "tag", "topics", "keywords")
IMAGE_KEYS = (
    "image",
    "featured_image",
    "featuredImage",
    "featureImage",
    "feature_image",
    "thumbnail",
    "cover",
    "images",
    "header",
    "hero",
)
ALT_KEYS = ("image_alt", "imageAlt", "alt", "featured_image_alt", "thumbnail_alt", "image_description")
CAPTION_KEYS = ("image_caption", "imageCaption", "caption")
CREDIT_KEYS = ("image_credit", "imageCredit", "credit", "photo_credit")
ALIAS_KEYS = ("aliases", "redirect_from", "alias")
EXPIRY_KEYS = ("expirydate", "expiryDate", "expires", "expiry", "unpublishdate", "unpublishDate")
CANONICAL_KEYS = (
    "canonical",
    "canonical_url",
    "canonicalURL",
    "canonicalUrl",
    "source_url",
    "original_url",
    "link_to_original",
)
DRAFT_KEYS = ("draft", "published", "status")
SLUG_KEYS = ("slug",)
TITLE_KEYS = ("title", "headline")  # fmt: skip


@dataclass
class Context:
    """How one post is read: where it is (for the report) and what the reader knows."""

    source: str
    doc: SourceDoc
    report: Report
    author_name: Callable[[str], str] = lambda key: key
    """A source's author identifier → the display name articles will carry."""
    handled: set[str] = field(default_factory=set)
    """Keys the reader reads itself (``url``, ``layout``, ``type``…): counted by it, not here."""


def as_list(value: Any) -> list[Any]:
    """A value that may be one item, a comma-separated string (for tags) or a list."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [v for v in value if v is not None and v != ""]
    return [value]


def _words(value: Any, split_commas: bool = False) -> list[str]:
    out: list[str] = []
    for item in as_list(value):
        if isinstance(item, dict):
            item = item.get("name") or item.get("title") or ""
        text = " ".join(str(item).split())
        parts = text.split(",") if split_commas and "," in text else [text]
        out += [p.strip() for p in parts if p.strip()]
    return out


def map_front(ctx: Context) -> tuple[dict[str, Any], list[str]]:
    """brief's front matter for one post and the source's own old addresses (its aliases).

    Keys come out in brief's order: title, dek, date, updated, authors, section, tags,
    image, draft, slug, canonical, expires, aliases.
    """
    meta, report = ctx.doc.meta, ctx.report
    front: dict[str, Any] = {}
    used: set[str] = set(ctx.handled)

    def take(keys: Iterable[str], became: str) -> list[tuple[str, Any]]:
        found = [(k, meta[k]) for k in keys if k in meta and k not in used]
        for k, v in found:
            used.add(k)
            report.field_used(k, became, v)
        return found

    title = take(TITLE_KEYS, "title")
    if title:
        front["title"] = " ".join(str(title[0][1]).split())
    dek = [(k, v) for k, v in take(DEK_KEYS, "dek") if isinstance(v, str) and v.strip()]
    if dek:
        front["dek"] = " ".join(dek[0][1].split())
        for k, v in dek[1:]:
            report.field_used(k, f"{NOT_IMPORTED} (dek taken from {dek[0][0]})", v)
    _dates(ctx, front, take(DATE_KEYS, "date"), "date")
    _dates(ctx, front, take(UPDATED_KEYS, "updated"), "updated")
    authors = [ctx.author_name(a) for _, v in take(AUTHOR_KEYS, "authors") for a in _words(v)]
    if authors:
        front["authors"] = list(dict.fromkeys(authors))
    categories = [c for _, v in take(CATEGORY_KEYS, "section (first) and tags") for c in _words(v)]
    tags = [t for _, v in take(TAG_KEYS, "tags") for t in _words(v, split_commas=True)]
    if categories:
        front["section"] = categories[0]
    seen = {slugify(front.get("section", ""))} - {""}
    kept: list[str] = []
    for tag in categories[1:] + tags:  # one spelling per slug: brief refuses two names with one URL
        if slugify(tag) and slugify(tag) not in seen:
            seen.add(slugify(tag))
            kept.append(tag)
    tags = kept
    if tags:
        front["tags"] = tags
    image = _image(ctx, take(IMAGE_KEYS, "image"), take(ALT_KEYS, "image alt"))
    if image:
        for keys, name in ((CAPTION_KEYS, "caption"), (CREDIT_KEYS, "credit")):
            found = take(keys, f"image {name}")
            if found and name not in image and isinstance(found[0][1], str):
                image[name] = found[0][1]
        front["image"] = image
    for k, v in take(DRAFT_KEYS, "draft"):
        if _is_draft(k, v):
            front["draft"] = True
    slug = take(SLUG_KEYS, "slug")
    if slug and str(slug[0][1]).strip():
        front["slug"] = str(slug[0][1]).strip()
    canonical = [v for _, v in take(CANONICAL_KEYS, "canonical") if isinstance(v, str) and v.startswith("http")]
    if canonical:
        front["canonical"] = canonical[0]
    _dates(ctx, front, take(EXPIRY_KEYS, "expires"), "expires")
    aliases = [str(a) for _, v in take(ALIAS_KEYS, "aliases (redirects)") for a in as_list(v)]
    for key, value in meta.items():
        if key not in used:
            report.field_used(key, NOT_IMPORTED, value)
    return front, aliases


def _is_draft(key: str, value: Any) -> bool:
    text = str(value).strip().lower()
    if key == "draft":
        return text in ("true", "yes", "1")
    if key == "published":
        return text in ("false", "no", "0")
    return text in ("draft", "pending", "private", "future", "unpublished")


def _dates(ctx: Context, front: dict[str, Any], found: list[tuple[str, Any]], name: str) -> None:
    if not found:
        return
    key, value = found[0]
    iso, changed = normalise(value)
    line = ctx.doc.line_of(key)
    if iso is None:
        ctx.report.warn(ctx.source, line, f"{key}: '{value}' is not a date brief can read; kept as written")
        front[name] = str(value)
        return
    if changed:
        ctx.report.date(ctx.source, line, key, str(value), iso)
    front[name] = iso


def _image(ctx: Context, found: list[tuple[str, Any]], alts: list[tuple[str, Any]]) -> dict[str, Any] | None:
    """The hero: a path or URL, or a mapping holding one (``cover.image``, ``header.image``, ``images[0]``)."""
    src, image = "", {}
    for _key, value in found:
        if isinstance(value, list):
            value = value[0] if value else ""
        if isinstance(value, dict):
            src = str(value.get("src") or value.get("image") or value.get("url") or value.get("path") or "")
            for part in ("alt", "caption", "credit"):
                if isinstance(value.get(part), str) and value[part].strip():
                    image[part] = value[part].strip()
        elif isinstance(value, str):
            src = value.strip()
        if src:
            break
    if not src:
        return None
    out: dict[str, Any] = {"src": src}
    alt = image.get("alt") or next((str(v).strip() for _, v in alts if str(v).strip()), "")
    if alt:
        out["alt"] = alt
    else:
        out["alt"] = ""
        out["decorative"] = True
        ctx.report.warn(
            ctx.source,
            ctx.doc.line_of(found[0][0]),
            f"the hero image {src} has no alt text: marked decorative (write image.alt to describe it)",
        )
    out.update({k: v for k, v in image.items() if k != "alt"})
    return out
