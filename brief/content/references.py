"""Fields that point elsewhere: the hero image (a file or an https URL) and related entries
(other articles by slug, or links)."""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from brief.config import Config
from brief.content.checker import Checker, describe
from brief.content.model import Image, RelatedRef
from brief.errors import did_you_mean
from brief.settings import clean_url
from brief.slugs import is_valid_slug, slugify
from brief.theme import FILE_LIMIT, input_problem, static_file


def image_field(c: Checker, config: Config) -> Image | None:
    value = c.doc.meta.get("image")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.error(("image",), f"expected a mapping with src, alt, caption and credit, got {describe(value)}")
        return None
    for key in value:
        if key not in IMAGE_FIELDS:
            c.warn(("image", key), f"unknown image key, ignored{did_you_mean(str(key), IMAGE_FIELDS)}", "unknown-key")
    decorative = value.get("decorative", False)
    if not isinstance(decorative, bool):
        c.error(("image", "decorative"), f"expected true or false, got {describe(decorative)}")
        decorative = False
    hero = value.get("hero", True)
    if not isinstance(hero, bool):
        c.error(("image", "hero"), f"expected true or false, got {describe(hero)}")
        hero = True
    src = c.text(("image", "src"), value.get("src"), required=True)
    alt_raw = value.get("alt")
    alt = c.text(("image", "alt"), alt_raw) if alt_raw is not None else None
    if not alt and not decorative:
        if alt_raw is None:
            c.error(
                ("image", "alt"),
                "is required: describe the image for readers who cannot see it (or set decorative: true)",
            )
        elif isinstance(alt_raw, str):
            c.error(
                ("image", "alt"),
                "is empty: describe the image for readers who cannot see it (an empty alt needs decorative: true)",
            )
    caption = c.text(("image", "caption"), value.get("caption"))
    credit = c.text(("image", "credit"), value.get("credit"))
    if src is None:
        return None
    resolved = _resolve_image(c, src, config)
    if resolved is None:
        return None
    url, source = resolved
    return Image(
        src=src,
        url=url,
        alt=alt or "",
        caption=caption,
        credit=credit,
        decorative=decorative,
        hero=hero,
        source=source,
        caption_line=c.doc.line(("image", "caption")),
    )


def _resolve_image(c: Checker, src: str, config: Config) -> tuple[str, Path | None] | None:
    key = ("image", "src")
    if any(ord(ch) < 32 for ch in src):
        c.error(key, f"'{src}' contains a control character (expected an https URL or a path such as /images/x.jpg)")
        return None
    try:
        parts = urlsplit(src)
    except ValueError:  # e.g. an unclosed '[' in the host
        c.error(
            key,
            f"'{src}' is not a valid URL (expected an https URL, a path under static/ such as /images/x.jpg, or a path relative to the article)",
        )
        return None
    if parts.scheme:
        if parts.scheme.lower() == "https" and parts.netloc and not any(ch.isspace() for ch in src):
            return clean_url(src), None
        c.error(
            key,
            f"'{src}' is not allowed (expected an https URL, a path under static/ such as /images/x.jpg, or a path relative to the article)",
        )
        return None
    if "\\" in src or src.startswith("//"):
        c.error(key, f"'{src}' is not a valid path (use forward slashes, e.g. /images/x.jpg)")
        return None
    if src.startswith("/"):
        clean = posixpath.normpath(src)
        if clean.startswith("/.."):
            c.error(key, f"'{src}' leaves the static folder")
            return None
        found = static_file(config.static_dir, clean)
        if found is not None:
            return clean, found
        why = input_problem(config.static_dir / clean.lstrip("/"), FILE_LIMIT)
        c.error(
            key,
            f"static{clean}: {why}"
            if why
            else f"file not found: static{clean} (expected an existing file under static/)",
        )
        return None
    candidate = c.doc.path.parent / src
    if not _inside(candidate, config.root):
        c.error(key, f"'{src}' points outside the site folder")
        return None
    shown = PurePosixPath(posixpath.normpath((Path(c.doc.relpath).parent / src).as_posix()))
    why = input_problem(candidate, FILE_LIMIT)
    if why is not None:
        c.error(key, f"{shown}: {why}")
        return None
    if not candidate.is_file():
        c.error(
            key,
            f"file not found: {shown} (expected a path relative to the article file)",
        )
        return None
    if any(part.startswith(".") for part in candidate.resolve().relative_to(config.root.resolve()).parts):  # ../.env
        c.error(
            key,
            f"'{src}' is a hidden file or in a hidden folder (a name starting with '.'); refusing to publish it "
            "(expected an image such as images/x.jpg)",
        )
        return None
    return "", candidate


def related_field(c: Checker) -> tuple[RelatedRef, ...]:
    value = c.doc.meta.get("related")
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(("related",), f"expected a list of article slugs or {{title, url}} links, got {describe(value)}")
        return ()
    refs = []
    for i, item in enumerate(value):
        key = ("related", i)
        line = c.doc.line(key)
        if isinstance(item, dict):
            for k in item:
                if k not in RELATED_FIELDS:
                    c.warn(key + (k,), f"unknown key, ignored{did_you_mean(str(k), RELATED_FIELDS)}", "unknown-key")
            title = c.text(key + ("title",), item.get("title"), required=True)
            url = c.text(key + ("url",), item.get("url"), required=True)
            if url and not _is_web_url(url):
                c.error(key + ("url",), f"'{url}' is not an http(s) URL (expected e.g. https://example.org/report)")
                url = None
            if title and url:
                refs.append(RelatedRef(None, title, clean_url(url), line))
            continue
        slug = c.text(key, item, required=True)
        if slug is None:
            continue
        if not is_valid_slug(slug):
            hint = f"; did you mean '{slugify(slug)}'?" if slugify(slug) else ""
            c.error(
                key,
                f"'{slug}' is not an article slug (expected lowercase letters, digits and hyphens, or a mapping {{title, url}}){hint}",
            )
            continue
        refs.append(RelatedRef(slug, None, None, line))
    return tuple(refs)


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.netloc)
        and not any(ch.isspace() or ord(ch) < 32 for ch in url)
    )


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError, ValueError):
        return False


IMAGE_FIELDS = ("src", "alt", "caption", "credit", "decorative", "hero")


RELATED_FIELDS = ("title", "url")
