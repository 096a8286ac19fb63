"""Stage 2: turn one :class:`SourceDoc` into a typed :class:`Article`.

One function per field. Each reports what is wrong with the file, line and
field, and what was expected; all problems of a file are returned together.
YAML 1.1 surprises (``title: 2024`` is an int, ``date`` may already be a date
object) are normalised here, using the raw scalar text the loader kept.
"""

from __future__ import annotations

import posixpath
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from brief.config import Config, clean_url
from brief.content.dates import parse_datetime
from brief.content.files import SourceDoc
from brief.content.model import Analysis, Article, Image, RelatedRef
from brief.content.slugs import MAX_LENGTH as MAX_SLUG
from brief.content.slugs import is_valid_slug, slugify
from brief.content.yamllines import Key, dotted
from brief.errors import FORBIDDEN_IN_PAGES, WARNING, Problem, did_you_mean
from brief.media.imagesize import image_size
from brief.theme import static_file

FIELDS = (
    "title",
    "dek",
    "date",
    "updated",
    "authors",
    "section",
    "tags",
    "image",
    "takeaways",
    "analysis",
    "related",
    "draft",
    "slug",
)
IMAGE_FIELDS = ("src", "alt", "caption", "credit", "decorative")
ANALYSIS_FIELDS = ("label", "byline", "body")
RELATED_FIELDS = ("title", "url")
DEFAULT_SECTION = "News"
DEFAULT_ANALYSIS_LABEL = "Strategic Analysis"
MAX_TAKEAWAYS = 7


class _Checker:
    """Collects the problems of one document while its fields are read."""

    def __init__(self, doc: SourceDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def error(self, key: Key, message: str) -> None:
        # A missing top-level field points at the opening '---' of the front matter.
        line = self.doc.line(key) or 1
        self.problems.append(Problem(self.doc.relpath, line, dotted(key), message))

    def warn(self, key: Key, message: str) -> None:
        self.problems.append(Problem(self.doc.relpath, self.doc.line(key) or 1, dotted(key), message, WARNING))

    def get(self, key: Key) -> Any:
        value: Any = self.doc.meta
        for part in key:
            value = value[part]
        return value

    def text(self, key: Key, value: Any, *, required: bool = False) -> str | None:
        """A string field; numbers and booleans keep the text the editor wrote."""
        if value is None:
            if required:
                self.error(key, "is required (expected a non-empty string)")
            return None
        if isinstance(value, (int, float)) or hasattr(value, "isoformat"):
            value = self.doc.raw.get(key, str(value))
        if not isinstance(value, str):
            self.error(key, f"expected a string, got {_describe(value)}")
            return None
        bad = FORBIDDEN_IN_PAGES.search(value)  # only YAML escapes in double quotes ("\0", "\e") can write these
        if bad:
            self.error(
                key,
                f"contains the character U+{ord(bad.group()):04X}, which web pages may not hold (expected plain text; remove it)",
            )
            return None
        value = value.strip()
        if not value:
            if required:
                self.error(key, "must not be empty (expected a non-empty string)")
            return None
        return value


def validate(doc: SourceDoc, config: Config) -> tuple[Article | None, list[Problem]]:
    """Validate one document. Returns the article (None when it has errors) and all problems."""
    c = _Checker(doc)
    meta = doc.meta
    for key in meta:
        if key not in FIELDS:
            hint = did_you_mean(str(key), FIELDS) or " (known keys: " + ", ".join(FIELDS) + ")"
            c.warn((key,), f"unknown front-matter key, ignored{hint}")
    title = c.text(("title",), meta.get("title"), required=True)
    dek = c.text(("dek",), meta.get("dek"))
    date = _date(c, "date", config, required=True)
    updated = _date(c, "updated", config)
    if date and updated and updated < date:
        c.error(
            ("updated",),
            f"{updated.isoformat()} is before date {date.isoformat()} (expected a time on or after the publication date)",
        )
    authors = _authors(c, config)
    section = c.text(("section",), meta.get("section")) or DEFAULT_SECTION
    tags = _tags(c)
    image = _image(c, config)
    takeaways, takeaway_lines = _takeaways(c)
    analysis = _analysis(c)
    related = _related(c)
    draft = _draft(c)
    slug = _slug(c)
    _editorial(c, title, dek, image, takeaways)
    if any(p.severity != WARNING for p in c.problems) or title is None or date is None or slug is None:
        return None, c.problems
    url_path = permalink(config.permalink, date=date.astimezone(config.tz), slug=slug, section=section)
    return Article(
        path=doc.path,
        relpath=doc.relpath,
        slug=slug,
        title=title,
        dek=dek,
        date=date,
        updated=updated,
        authors=authors,
        section=section,
        tags=tags,
        image=image,
        takeaways=takeaways,
        takeaway_lines=takeaway_lines,
        analysis=analysis,
        related=related,
        draft=draft,
        body=doc.body,
        body_line=doc.body_line,
        url_path=url_path,
        slug_line=doc.lines.get(("slug",)),
        lines=doc.lines,
        real_path=doc.path.resolve(),
    ), c.problems


MAX_HEADLINE = 110
"""Google truncates NewsArticle headlines longer than this."""
MAX_DEK = 200
MIN_IMAGE_WIDTH = 1200
"""Google Discover and large social cards want hero images at least this wide."""


def _editorial(
    c: _Checker, title: str | None, dek: str | None, image: Image | None, takeaways: tuple[str, ...]
) -> None:
    """Warnings an editor should see, which do not stop the build."""
    if title and len(title) > MAX_HEADLINE:
        c.warn(("title",), f"headline is {len(title)} characters; search engines cut it after {MAX_HEADLINE}")
    if dek and len(dek) > MAX_DEK:
        c.warn(
            ("dek",), f"dek is {len(dek)} characters (expected at most {MAX_DEK}, as meta descriptions are cut there)"
        )
    if image is not None and image.source is not None:
        size = image_size(image.source)
        if size and size[0] < MIN_IMAGE_WIDTH:
            c.warn(
                ("image", "src"),
                f"image is {size[0]}×{size[1]} px; at least {MIN_IMAGE_WIDTH} px wide is recommended for large previews",
            )
    if not takeaways and "takeaways" not in c.doc.meta:
        c.warn(("takeaways",), "missing; readers and the front page rely on at least one key takeaway")
    analysis = c.doc.meta.get("analysis")
    if isinstance(analysis, dict) and analysis.get("body") and not analysis.get("byline"):
        c.warn(
            ("analysis",),
            "analysis has no byline (expected byline: with who wrote it; readers weigh analysis by its author)",
        )


def permalink(pattern: str, *, date, slug: str, section: str) -> str:
    """Site path of an article from the configured pattern."""
    return pattern.format(
        year=f"{date.year:04d}",
        month=f"{date.month:02d}",
        day=f"{date.day:02d}",
        slug=slug,
        section=slugify(section) or "section",
    )


def _date(c: _Checker, name: str, config: Config, required: bool = False):
    value = c.doc.meta.get(name)
    if value is None:
        if required:
            c.error((name,), "is required (expected an ISO 8601 date such as 2026-10-03 or 2026-10-03T08:30:00)")
        return None
    raw = c.doc.raw.get((name,))
    try:
        return parse_datetime(raw if raw is not None and not isinstance(value, (list, dict)) else value, config.tz)
    except ValueError as exc:
        c.error((name,), str(exc))
        return None


def _authors(c: _Checker, config: Config) -> tuple[str, ...]:
    value = c.doc.meta.get("authors")
    if value is None:
        return (config.default_author,)
    if isinstance(value, list):
        names = [c.text(("authors", i), v, required=True) for i, v in enumerate(value)]
        if not value:
            c.error(
                ("authors",),
                "is an empty list (expected a name or a list of names; leave it out for the default author)",
            )
        return tuple(_unique(n for n in names if n))
    if isinstance(value, dict):
        c.error(("authors",), f"expected a name or a list of names such as [Ann Lee, Bo Chen], got {_describe(value)}")
        return ()
    name = c.text(("authors",), value, required=True)
    if name is None and not isinstance(value, str):
        return ()
    return (name,) if name else ()


def _tags(c: _Checker) -> tuple[str, ...]:
    value = c.doc.meta.get("tags")
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(("tags",), f"expected a list of strings such as [Energy, Markets], got {_describe(value)}")
        return ()
    tags = [c.text(("tags", i), v, required=True) for i, v in enumerate(value)]
    seen: dict[str, str] = {}
    for i, tag in enumerate(tags):
        if tag and tag.casefold() in seen:
            c.warn(("tags", i), f"'{tag}' repeats '{seen[tag.casefold()]}'")
        elif tag:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def _image(c: _Checker, config: Config) -> Image | None:
    value = c.doc.meta.get("image")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.error(("image",), f"expected a mapping with src, alt, caption and credit, got {_describe(value)}")
        return None
    for key in value:
        if key not in IMAGE_FIELDS:
            c.warn(("image", key), f"unknown image key, ignored{did_you_mean(str(key), IMAGE_FIELDS)}")
    decorative = value.get("decorative", False)
    if not isinstance(decorative, bool):
        c.error(("image", "decorative"), f"expected true or false, got {_describe(decorative)}")
        decorative = False
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
        source=source,
        caption_line=c.doc.line(("image", "caption")),
    )


def _resolve_image(c: _Checker, src: str, config: Config) -> tuple[str, Path | None] | None:
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
        c.error(key, f"file not found: static{clean} (expected an existing file under static/)")
        return None
    candidate = c.doc.path.parent / src
    if not _inside(candidate, config.root):
        c.error(key, f"'{src}' points outside the site folder")
        return None
    if not candidate.is_file():
        shown = Path(c.doc.relpath).parent / src
        c.error(
            key,
            f"file not found: {PurePosixPath(posixpath.normpath(shown.as_posix()))} (expected a path relative to the article file)",
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


def _takeaways(c: _Checker) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    value = c.doc.meta.get("takeaways")
    if value is None:
        return (), ()
    if not isinstance(value, list):
        c.error(
            ("takeaways",),
            f"expected a list of 1–{MAX_TAKEAWAYS} strings (one '- item' per line), got {_describe(value)}",
        )
        return (), ()
    if not 1 <= len(value) <= MAX_TAKEAWAYS:
        c.error(("takeaways",), f"has {len(value)} items (expected 1–{MAX_TAKEAWAYS})")
    items = [c.text(("takeaways", i), v, required=True) for i, v in enumerate(value)]
    kept = [(t, c.doc.line(("takeaways", i))) for i, t in enumerate(items) if t]
    return tuple(t for t, _ in kept), tuple(line for _, line in kept)


def _analysis(c: _Checker) -> Analysis | None:
    value = c.doc.meta.get("analysis")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.error(("analysis",), f"expected a mapping with label, byline and body, got {_describe(value)}")
        return None
    for key in value:
        if key not in ANALYSIS_FIELDS:
            c.warn(("analysis", key), f"unknown analysis key, ignored{did_you_mean(str(key), ANALYSIS_FIELDS)}")
    label = c.text(("analysis", "label"), value.get("label")) or DEFAULT_ANALYSIS_LABEL
    byline = c.text(("analysis", "byline"), value.get("byline"))
    body = c.text(("analysis", "body"), value.get("body"), required=True)
    if body is None:
        return None
    return Analysis(label=label, byline=byline, body=body, line=c.doc.value_lines.get(("analysis", "body")))


def _related(c: _Checker) -> tuple[RelatedRef, ...]:
    value = c.doc.meta.get("related")
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(("related",), f"expected a list of article slugs or {{title, url}} links, got {_describe(value)}")
        return ()
    refs = []
    for i, item in enumerate(value):
        key = ("related", i)
        line = c.doc.line(key)
        if isinstance(item, dict):
            for k in item:
                if k not in RELATED_FIELDS:
                    c.warn(key + (k,), f"unknown key, ignored{did_you_mean(str(k), RELATED_FIELDS)}")
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


def _draft(c: _Checker) -> bool:
    value = c.doc.meta.get("draft", False)
    if not isinstance(value, bool):
        c.error(("draft",), f"expected true or false, got {_describe(value)}")
        return False
    return value


def _slug(c: _Checker) -> str | None:
    value = c.doc.meta.get("slug")
    if value is None:
        slug = slugify(c.doc.path.stem)
        if not slug:
            c.error(
                ("slug",),
                f"cannot make a slug from the file name '{c.doc.path.name}' (set slug: with lowercase letters, digits and hyphens)",
            )
            return None
        return slug
    text = c.text(("slug",), value, required=True)
    if text is None:
        return None
    if len(text) > MAX_SLUG:
        c.error(
            ("slug",),
            f"is {len(text)} characters long (expected at most {MAX_SLUG}: the slug names a folder of the site)",
        )
        return None
    if not is_valid_slug(text):
        hint = f"; did you mean '{slugify(text)}'?" if slugify(text) else ""
        c.error(
            ("slug",), f"'{text}' is not a valid slug (expected lowercase letters, digits and single hyphens){hint}"
        )
        return None
    return text


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


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


def _describe(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"a string ('{shown}')"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if hasattr(value, "isoformat"):
        return f"a date ({value.isoformat()})"
    return type(value).__name__
