"""``brief new`` and ``brief init``: files written for the user, never over theirs."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import frontmatter

from brief.config import Config
from brief.errors import BriefError
from brief.settings import CONFIG_NAME, OPTIONS, Option
from brief.slugs import is_valid_slug, slugify
from brief.theme import theme_dir, theme_static_files

PLACEHOLDER_IMAGE = "/images/placeholder.svg"

EXAMPLE_BODY = """\
Open with the news in one paragraph: what happened, where, and why it matters now.

## Background

Give the reader the context they need. Link to earlier coverage by its file
name, e.g. `[our earlier brief](other-article.md)`, and brief turns it into the
article's address.

## What comes next

Close with what to watch for, and when.
"""


ABOUT_BODY = """\
A standalone page: it lives in `content/pages/`, is published at `/about/` and is linked
from the menu in `brief.toml`. Pages have no date, byline, section or tags, and stay out of
the feeds and the front page.

## What we cover

Say in a few sentences what the publication writes about, and for whom.

## Contact

Tell readers how to reach the newsroom, send a tip or ask for a correction.
"""

MENU_EXAMPLE = """
# Links in the header and footer, in this order: each has a title and either page (the slug of
# a standalone page in content/pages/) or url (a site path such as "/sections/news/", or an
# https URL); where = "header", "footer" or "both" (the default).
[[menu]]
title = "About"
page = "about"
"""


def new_article(
    config: Config, title: str, *, section: str | None = None, slug: str | None = None, now: datetime | None = None
) -> Path:
    """Write ``content/<slug>.md`` with every field filled; refuse to overwrite anything."""
    if not title.strip():
        raise BriefError("the title must not be empty")
    slug = slug if slug is not None else slugify(title)
    if not is_valid_slug(slug):
        raise BriefError(
            f"cannot make a valid slug from '{slug or title}'; pass --slug with lowercase letters, digits and hyphens"
        )
    path = config.content_dir / f"{slug}.md"
    when = (now or datetime.now(config.tz)).astimezone(config.tz).replace(microsecond=0)
    related: list[object] = [{"title": "Background reading", "url": "https://example.org/"}]
    newest = _newest_slug(config)
    if newest:
        related.insert(0, newest)
    post = frontmatter.Post(
        EXAMPLE_BODY,
        title=title.strip(),
        dek="One or two sentences that tell the reader why this matters; also the page's meta description.",
        date=when.isoformat(),
        updated=when.isoformat(),
        authors=[config.default_author],
        section=section or "News",
        tags=["Example Tag"],
        image={
            "src": PLACEHOLDER_IMAGE,
            "alt": "Describe what the image shows for readers who cannot see it",
            "caption": "What the image shows, in one sentence.",
            "credit": "Photo: Photographer / Agency",
            "decorative": False,
        },
        takeaways=[
            "The single most important fact, in one sentence.",
            "Why it matters to the reader.",
            "What happens next.",
        ],
        analysis={
            "label": "Strategic Analysis",
            "byline": f"{config.default_author}, Editor",
            "body": "The editor's view: what this changes, who gains, who loses, and what to watch.\n",
        },
        related=related,
        draft=False,
        slug=slug,
        canonical=None,  # only for an article first published elsewhere: its original's URL
        aliases=[],  # old addresses of this article, each redirected here, e.g. [/2019/05/old-title/]
        type="article",  # "page" for a standalone page such as About (or put the file in content/pages/)
        expires=None,  # the time the article is taken down, if it ever is
    )
    config.content_dir.mkdir(parents=True, exist_ok=True)
    text = frontmatter.dumps(post, sort_keys=False, allow_unicode=True) + "\n"
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": never overwrite
            handle.write(text)
    except FileExistsError:
        raise BriefError(
            f"{path} already exists; not overwriting it (pass --slug to choose another file name)"
        ) from None
    return path


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
    about = frontmatter.Post(ABOUT_BODY, title=f"About {title}", dek="Who we are, what we cover and how to reach us.")
    (directory / "content" / "pages").mkdir()
    (directory / "content" / "pages" / "about.md").write_text(
        frontmatter.dumps(about, sort_keys=False, allow_unicode=True) + "\n", encoding="utf-8"
    )


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
