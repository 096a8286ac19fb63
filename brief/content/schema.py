"""Stage 2: turn one :class:`SourceDoc` into a typed :class:`Article`.

One function per field. Each reports what is wrong with the file, line and
field, and what was expected; all problems of a file are returned together.
YAML 1.1 surprises (``title: 2024`` is an int, ``date`` may already be a date
object) are normalised here, using the raw scalar text the loader kept.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from brief.config import Config
from brief.content.aliases import aliases_field
from brief.content.checker import Checker, describe
from brief.content.corrections import corrections_field
from brief.content.dates import parse_datetime
from brief.content.editorial import article_warnings, field_warnings
from brief.content.files import SourceDoc
from brief.content.linemap import LineMap
from brief.content.model import Analysis, Article
from brief.content.placeholders import placeholder_warnings
from brief.content.references import image_field, related_field
from brief.errors import WARNING, Problem, did_you_mean
from brief.settings import clean_url
from brief.slugs import MAX_LENGTH as MAX_SLUG
from brief.slugs import is_valid_slug, slugify

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
    "canonical",
    "aliases",
    "type",
    "expires",
    "corrections",
)
ANALYSIS_FIELDS = ("label", "byline", "body")
DEFAULT_SECTION = "News"
DEFAULT_ANALYSIS_LABEL = "Strategic Analysis"
MAX_TAKEAWAYS = 7


def validate(doc: SourceDoc, config: Config, *, digest: bytes = b"") -> tuple[Article | None, list[Problem]]:
    """Validate one document. Returns the article (None when it has errors) and all problems.
    ``digest``: the file's path and bytes digested, for the build cache (kept on the article)."""
    c = Checker(doc)
    meta = doc.meta
    for key in meta:
        if key not in FIELDS:
            hint = did_you_mean(str(key), FIELDS) or " (known keys: " + ", ".join(FIELDS) + ")"
            c.warn((key,), f"unknown front-matter key, ignored{hint}", "unknown-key")
    title = c.text(("title",), meta.get("title"), required=True)
    dek = c.text(("dek",), meta.get("dek"))
    date = _date(c, "date", config, required=True)
    updated = _date(c, "updated", config)
    if date and updated and updated < date:
        c.warn(
            ("updated",),
            f"{updated.isoformat()} is before date {date.isoformat()}, so the page shows no update "
            "(expected a time on or after the publication date; correct it or remove it)",
            "updated-before-date",
        )
        updated = None
    expires = _date(c, "expires", config)
    if date and expires and expires <= date:
        c.error(
            ("expires",),
            f"{expires.isoformat()} is not after date {date.isoformat()} (expected the time the article is taken down)",
        )
    corrections = corrections_field(c, config, date)
    authors = _authors(c, config)
    section = c.text(("section",), meta.get("section")) or DEFAULT_SECTION
    tags = _tags(c)
    image = image_field(c, config)
    takeaways, takeaway_lines = _takeaways(c)
    analysis = _analysis(c)
    related = related_field(c)
    draft = _draft(c)
    canonical = _canonical(c)
    aliases = aliases_field(c)
    slug = _slug(c)
    field_warnings(c, config, title, dek, image, takeaways)
    placeholder_warnings(c)
    if any(p.severity != WARNING for p in c.problems) or title is None or date is None or slug is None:
        return None, c.problems
    url_path = permalink(config.permalink, date=date.astimezone(config.tz), slug=slug, section=section)
    article = Article(
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
        canonical=canonical,
        aliases=aliases,
        expires=expires,
        corrections=corrections,
        lines=LineMap(doc.lines),
        real_path=doc.real(),
        digest=digest,
    )
    article_warnings(c, article, config)
    return article, c.problems


def permalink(pattern: str, *, date, slug: str, section: str) -> str:
    """Site path of an article from the configured pattern."""
    return pattern.format(
        year=f"{date.year:04d}",
        month=f"{date.month:02d}",
        day=f"{date.day:02d}",
        slug=slug,
        section=slugify(section) or "section",
    )


def _date(c: Checker, name: str, config: Config, required: bool = False):
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


def _authors(c: Checker, config: Config) -> tuple[str, ...]:
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
        c.error(("authors",), f"expected a name or a list of names such as [Ann Lee, Bo Chen], got {describe(value)}")
        return ()
    name = c.text(("authors",), value, required=True)
    if name is None and not isinstance(value, str):
        return ()
    return (name,) if name else ()


def _tags(c: Checker) -> tuple[str, ...]:
    value = c.doc.meta.get("tags")
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(("tags",), f"expected a list of strings such as [Energy, Markets], got {describe(value)}")
        return ()
    tags = [c.text(("tags", i), v, required=True) for i, v in enumerate(value)]
    seen: dict[str, str] = {}
    for i, tag in enumerate(tags):
        if tag and tag.casefold() in seen:
            c.warn(("tags", i), f"'{tag}' repeats '{seen[tag.casefold()]}'", "repeated-tag")
        elif tag:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


def _takeaways(c: Checker) -> tuple[tuple[str, ...], tuple[int | None, ...]]:
    value = c.doc.meta.get("takeaways")
    if value is None:
        return (), ()
    if not isinstance(value, list):
        c.error(
            ("takeaways",),
            f"expected a list of 1–{MAX_TAKEAWAYS} strings (one '- item' per line), got {describe(value)}",
        )
        return (), ()
    if not 1 <= len(value) <= MAX_TAKEAWAYS:
        c.error(("takeaways",), f"has {len(value)} items (expected 1–{MAX_TAKEAWAYS})")
    items = [c.text(("takeaways", i), v, required=True) for i, v in enumerate(value)]
    kept = [(t, c.doc.line(("takeaways", i))) for i, t in enumerate(items) if t]
    return tuple(t for t, _ in kept), tuple(line for _, line in kept)


def _analysis(c: Checker) -> Analysis | None:
    value = c.doc.meta.get("analysis")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.error(("analysis",), f"expected a mapping with label, byline and body, got {describe(value)}")
        return None
    for key in value:
        if key not in ANALYSIS_FIELDS:
            c.warn(
                ("analysis", key),
                f"unknown analysis key, ignored{did_you_mean(str(key), ANALYSIS_FIELDS)}",
                "unknown-key",
            )
    label = c.text(("analysis", "label"), value.get("label")) or DEFAULT_ANALYSIS_LABEL
    byline = c.text(("analysis", "byline"), value.get("byline"))
    body = c.text(("analysis", "body"), value.get("body"), required=True)
    if body is None:
        return None
    return Analysis(label=label, byline=byline, body=body, line=c.doc.value_lines.get(("analysis", "body")))


def _canonical(c: Checker) -> str | None:
    """``canonical:``: an absolute http(s) URL, the original of a syndicated article."""
    value = c.doc.meta.get("canonical")
    if value is None:
        return None
    if not isinstance(value, str):
        c.error(("canonical",), f"expected an absolute URL such as https://example.org/story/, got {describe(value)}")
        return None
    url = value.strip()
    try:
        parts = urlsplit(url) if not any(ch.isspace() or ord(ch) < 32 for ch in url) else None
    except ValueError:  # e.g. an unclosed '[' in the host
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        c.error(
            ("canonical",),
            f"'{value}' is not an absolute http(s) URL (expected where the article was first published, "
            "such as https://example.org/story/)",
        )
        return None
    return clean_url(url)


def _draft(c: Checker) -> bool:
    value = c.doc.meta.get("draft", False)
    if not isinstance(value, bool):
        c.error(("draft",), f"expected true or false, got {describe(value)}")
        return False
    return value


def _slug(c: Checker) -> str | None:
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


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


# A standalone page's fields follow the same rules (brief.content.pages).
date_field = _date
draft_field = _draft
slug_field = _slug
