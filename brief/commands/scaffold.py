"""``brief new`` and ``brief init``: files written for the user, never over theirs."""

from __future__ import annotations

import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

from brief.commands.yamltext import Prose, Raw, front_matter
from brief.config import Config
from brief.content.dates import parse_datetime
from brief.content.placeholders import (
    ABOUT_BODY,
    ALIAS,
    ALT,
    ANALYSIS,
    ARTICLE_BODY,
    CANONICAL,
    CAPTION,
    CREDIT,
    DEK,
    IMAGE,
    RELATED,
    TAG,
    TAKEAWAYS,
)
from brief.errors import BriefError, forbidden_in_pages
from brief.settings import CONFIG_NAME, OPTIONS, Option
from brief.slugs import is_valid_slug, slugify
from brief.theme import theme_dir, theme_static_files

MENU_EXAMPLE = """
# Links in the header and footer, in this order: each has a title and either page (the slug of
# a standalone page in content/pages/) or url (a site path such as "/sections/news/", or an
# https URL); where = "header", "footer" or "both" (the default).
[[menu]]
title = "About"
page = "about"
"""


def new_article(
    config: Config,
    title: str,
    *,
    section: str | None = None,
    slug: str | None = None,
    draft: bool = False,
    date: str | None = None,
    updated: str | None = None,
    now: datetime | None = None,
) -> Path:
    """Write ``content/<slug>.md`` with every field filled; refuse to overwrite anything.

    ``date`` and ``updated`` are ISO 8601 texts (``2026-10-03`` or a date-time); ``date``
    defaults to now, and ``updated`` is written only when given."""
    title = title.strip()
    if not title:
        raise BriefError("the title must not be empty")
    if (bad := forbidden_in_pages(title)) is not None:
        raise BriefError(f"the title {bad}")
    slug = slug if slug is not None else slugify(title)
    if not is_valid_slug(slug):
        raise BriefError(
            f"cannot make a valid slug from '{slug or title}'; pass --slug with lowercase letters, digits and hyphens"
        )
    path = config.content_dir / f"{slug}.md"
    if date is None:
        when = (now or datetime.now(config.tz)).astimezone(config.tz).replace(microsecond=0)
        date_text = when.isoformat()
    else:
        date_text, when = _date_text(date, "--date", config)
    updated_text = None
    if updated is not None:
        updated_text, changed = _date_text(updated, "--updated", config)
        if changed < when:
            raise BriefError(
                f"--updated {updated} is before the date {date_text} (expected a time on or after the publication date)"
            )
    fields = article_fields(
        config,
        title,
        section=section or "News",
        slug=slug,
        date=date_text,
        updated=updated_text,
        draft=draft,
        newest=_newest_slug(config),
    )
    text = front_matter(fields, _optional_fields(when)) + "\n" + ARTICLE_BODY
    config.content_dir.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise BriefError(
            f"{path} already exists; not overwriting it (pass --slug to choose another file name)"
        ) from None
    return path


def article_fields(
    config: Config,
    title: str,
    *,
    section: str,
    slug: str,
    date: str,
    updated: str | None = None,
    draft: bool = False,
    newest: str | None = None,
) -> dict[str, object]:
    """The front matter ``brief new`` writes, in the documented order: the given values and
    the example text of :mod:`brief.content.placeholders` (which ``brief check`` warns about).
    ``newest`` (the slug of the newest article) is suggested as related."""
    return {
        "title": title,
        "dek": Prose(DEK),
        "date": Raw(date),
        **({"updated": Raw(updated)} if updated is not None else {}),
        "authors": [config.default_author],
        "section": section,
        "tags": [TAG],
        "image": {"src": IMAGE, "alt": Prose(ALT), "caption": Prose(CAPTION), "credit": CREDIT, "decorative": False},
        "takeaways": [Prose(t) for t in TAKEAWAYS],
        "analysis": {
            "label": "Strategic Analysis",
            "byline": f"{config.default_author}, Editor",
            "body": ANALYSIS + "\n",
        },
        "related": [*([newest] if newest else []), dict(RELATED)],
        "draft": draft,
        "slug": slug,
    }


def _optional_fields(when: datetime) -> list[str]:
    """The fields ``brief new`` leaves out, as comments to uncomment (each valid as it stands)."""
    later = (when + timedelta(days=1)).isoformat()
    return [
        "Fields to add when they apply (remove the '# ' and change the value):",
        f"updated: {later}  # when the article changed after it was published",
        f"canonical: {CANONICAL}  # only for an article first published elsewhere",
        f"aliases: [{ALIAS}]  # old addresses of this article, each redirected here",
        f"expires: {(when + timedelta(days=365)).isoformat()}  # when the article is taken down, if it ever is",
    ]


def _date_text(value: str, option: str, config: Config) -> tuple[str, datetime]:
    """An ISO 8601 date as front matter writes it (a date stays a date; a time gets the site's
    offset when it has none) and the moment it means."""
    try:
        moment = parse_datetime(value, config.tz)
    except ValueError as exc:
        raise BriefError(f"{option}: {exc}") from None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return moment.date().isoformat(), moment
    return moment.isoformat(), moment


def init_site(directory: Path, title: str) -> None:
    """Scaffold a publication: brief.toml, the default templates and static files, one article."""
    if directory.exists() and any(directory.iterdir()):
        raise BriefError(f"{directory} exists and is not empty; choose a new folder")
    theme = theme_dir()
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copytree(theme / "templates", directory / "templates")
    for relpath, source in theme_static_files().items():
        target = directory / "static" / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    (directory / CONFIG_NAME).write_text(config_template(title), encoding="utf-8")
    (directory / "content").mkdir()
    config = Config(root=directory.resolve(), title=title, publisher_name=title)
    new_article(config, "Welcome to your new publication", section="News")
    about = {"title": f"About {title}", "dek": "Who we are, what we cover and how to reach us."}
    (directory / "content" / "pages").mkdir()
    (directory / "content" / "pages" / "about.md").write_text(front_matter(about) + "\n" + ABOUT_BODY, encoding="utf-8")


def config_template(title: str) -> str:
    """A brief.toml listing every key with its default and meaning."""
    lines = ["# brief.toml: every key is optional; the values shown are the defaults.", ""]
    tables = []
    for key, option in OPTIONS.items():
        if isinstance(option, dict):
            tables.append((key, option))
            continue
        value = title if key == "title" else option.default
        lines += _option_lines(key, option, value, commented=key != "title")
    for table, options in tables:
        lines += ["", f"[{table}]"]
        for key, option in options.items():
            # Every line is valid uncommented: the publisher's name defaults to the title,
            # and an empty logo means none.
            value = title if (table, key) == ("publisher", "name") else option.default
            lines += _option_lines(key, option, "" if value is None else value, commented=True)
    return "\n".join(lines) + "\n" + MENU_EXAMPLE


def _option_lines(key: str, option: Option, value: object, commented: bool) -> list[str]:
    return [f"# {option.doc}", f"{'# ' if commented else ''}{key} = {_toml_value(value)}", ""]


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)  # 1.0 stays a float: related.tags = 1.0, not "1.0"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    text = re.sub(r"[\x00-\x08\x0a-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", text)
    return f'"{text}"'


def _newest_slug(config: Config) -> str | None:
    from brief.content.load import load_articles

    published = [a for a in load_articles(config).articles if not a.draft]
    return min(published, key=lambda a: a.sort_key).slug if published else None
