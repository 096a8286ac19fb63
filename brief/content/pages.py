"""Standalone pages (About, Contact, Corrections policy, Masthead): which files are pages,
and their front matter → a typed :class:`~brief.content.model.Page`.

A file is a page when it sits anywhere under ``content/pages/`` (sub-folders only sort the
files: the URL is always ``/{slug}/``) or when its front matter says ``type: page``;
``type: article`` (the default elsewhere) keeps a file in ``content/pages/`` an article.
A page has a title, and may have a dek, an ``updated`` date, ``draft`` and ``slug`` (the
article rules); an article's field on a page is a warning naming it, since the page would
not show it.
"""

from __future__ import annotations

from pathlib import Path

from brief.config import Config
from brief.content.checker import Checker, describe
from brief.content.files import SourceDoc
from brief.content.linemap import LineMap
from brief.content.model import Article, Page
from brief.content.placeholders import placeholder_warnings
from brief.content.schema import FIELDS, date_field, draft_field, slug_field, validate
from brief.errors import WARNING, Problem, did_you_mean, under

PAGES_FOLDER = "pages"
"""Files under ``content/pages/`` (at any depth) are pages."""
CONTENT_TYPES = ("article", "page")
"""The values of ``type:``."""
PAGE_FIELDS = ("title", "dek", "updated", "draft", "slug", "type")
ARTICLE_FIELDS = tuple(key for key in FIELDS if key not in PAGE_FIELDS)
"""Fields only an article shows (date, authors, section, tags, image, takeaways, …)."""


def validate_content(
    doc: SourceDoc, config: Config, *, digest: bytes = b""
) -> tuple[Article | Page | None, list[Problem]]:
    """Validate one document as what it is: a standalone page or an article (``digest``:
    the file's path and bytes digested, for the build cache)."""
    kind, problem = content_type(doc, config.content_dir)
    if kind == "page":
        page, problems = validate_page(doc, config, digest=digest)
        return (None if problem else page), ([problem] if problem else []) + problems
    article, problems = validate(doc, config, digest=digest)
    return (None if problem else article), ([problem] if problem else []) + problems


def in_pages_folder(path: Path, content_dir: Path) -> bool:
    """Whether ``path`` sits in ``content/pages/`` or a folder under it."""
    rest = under(path, content_dir)
    if rest is not None:
        first, slash, _ = rest.partition("/")
        return bool(slash) and first == PAGES_FOLDER
    try:
        parts = path.relative_to(content_dir).parts
    except ValueError:
        return False
    return len(parts) > 1 and parts[0] == PAGES_FOLDER


def content_type(doc: SourceDoc, content_dir: Path) -> tuple[str, Problem | None]:
    """ "page" or "article", and the problem with ``type:`` if any. A wrong ``type:`` leaves
    the folder's default, so the file's other problems are found too."""
    default = "page" if in_pages_folder(doc.path, content_dir) else "article"
    value = doc.meta.get("type")
    if value is None:
        return default, None
    if value in CONTENT_TYPES:
        return value, None
    shown = f"'{value}'" if isinstance(value, str) else describe(value)
    hint = did_you_mean(value, CONTENT_TYPES) if isinstance(value, str) else ""
    problem = Problem(
        doc.relpath,
        doc.line(("type",)),
        "type",
        f"{shown} is not a content type (expected 'article', the default, or 'page' for a standalone page){hint}",
    )
    return default, problem


def validate_page(doc: SourceDoc, config: Config, *, digest: bytes = b"") -> tuple[Page | None, list[Problem]]:
    """One page's front matter. Returns the page (None when it has errors) and all problems."""
    c = Checker(doc)
    meta = doc.meta
    for key in meta:
        if key in ARTICLE_FIELDS:
            c.warn(
                (key,),
                f"an article's field, ignored on a page (remove {key}:, or write type: article "
                f"to make {doc.relpath} an article)",
                "article-field-on-page",
            )
        elif key not in PAGE_FIELDS:
            hint = did_you_mean(str(key), PAGE_FIELDS) or (
                "; a page's description is its dek:" if key == "description" else ""
            )
            c.warn(
                (key,),
                f"unknown front-matter key, ignored{hint or ' (known keys of a page: ' + ', '.join(PAGE_FIELDS) + ')'}",
                "unknown-key",
            )
    title = c.text(("title",), meta.get("title"), required=True)
    dek = c.text(("dek",), meta.get("dek"))
    updated = date_field(c, "updated", config)
    draft = draft_field(c)
    slug = slug_field(c)
    placeholder_warnings(c)
    if any(p.severity != WARNING for p in c.problems) or title is None or slug is None:
        return None, c.problems
    return Page(
        path=doc.path,
        relpath=doc.relpath,
        slug=slug,
        title=title,
        dek=dek,
        updated=updated,
        draft=draft,
        body=doc.body,
        body_line=doc.body_line,
        url_path=f"/{slug}/",
        slug_line=doc.lines.get(("slug",)),
        lines=LineMap(doc.lines),
        real_path=doc.real(),
        digest=digest,
    ), c.problems
