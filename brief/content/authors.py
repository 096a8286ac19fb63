"""Author profiles: ``content/authors/<slug>.md`` files and ``[authors.<slug>]`` in brief.toml.

A profile file has front matter (``name``, ``role``, ``avatar``) and the bio as
its Markdown body. The file name is the author's slug, the one their author page
uses (``/authors/<slug>/``). A profile given in both places is an error.
"""

from __future__ import annotations

from pathlib import Path

from brief.config import Config
from brief.content.files import load
from brief.content.model import Profile
from brief.errors import WARNING, Problem, did_you_mean, forbidden_in_pages, relpath
from brief.settings import image_url
from brief.slugs import is_valid_slug, slugify

AUTHORS_FOLDER = "authors"
FILE_FIELDS = ("name", "role", "avatar")
FOLDER_LIKE_PROFILE = (
    "a folder named like an author profile, skipped: profiles are the .md files right in content/authors/; "
    "rename it without .md"
)


def load_profiles(config: Config) -> tuple[dict[str, Profile], list[Problem]]:
    """Every profile of the site, by author slug, and the problems found."""
    problems: list[Problem] = []
    profiles: dict[str, Profile] = {}
    for slug, fields in config.authors.items():
        profiles[slug] = Profile(
            slug, fields.get("name"), fields.get("role"), fields.get("bio"), fields.get("avatar"), "brief.toml"
        )
    folder = config.content_dir / AUTHORS_FOLDER
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        if path.is_dir():
            problems.append(
                Problem(relpath(path, config.root), None, None, FOLDER_LIKE_PROFILE, WARNING, "folder-like-file")
            )
            continue
        profile = _load_file(path, config, problems)
        if profile is None:
            continue
        if profile.slug in profiles:
            problems.append(
                Problem(
                    profile.source,
                    None,
                    None,
                    f"the profile of '{profile.slug}' is also given in brief.toml [authors.{profile.slug}] (expected one place)",
                )
            )
            continue
        profiles[profile.slug] = profile
    return profiles, problems


def _load_file(path: Path, config: Config, problems: list[Problem]) -> Profile | None:
    doc = load(path, config.root)
    if isinstance(doc, list):
        problems += doc
        return None
    slug = path.stem
    if not is_valid_slug(slug):
        hint = f" (expected a slug; rename it to {slugify(slug)}.md)" if slugify(slug) else ""
        problems.append(Problem(doc.relpath, None, None, f"'{path.name}' is not named after an author slug{hint}"))
        return None
    values: dict[str, str] = {}
    for key, value in doc.meta.items():
        line = doc.lines.get((key,))
        if key not in FILE_FIELDS:
            hint = (
                did_you_mean(str(key), FILE_FIELDS)
                or " (known keys: " + ", ".join(FILE_FIELDS) + "; the bio is the text below the front matter)"
            )
            problems.append(
                Problem(doc.relpath, line, str(key), f"unknown profile key, ignored{hint}", WARNING, "unknown-key")
            )
        elif not isinstance(value, str) or not value.strip():
            problems.append(Problem(doc.relpath, line, key, "expected a non-empty string"))
        elif (bad := forbidden_in_pages(value)) is not None:
            problems.append(Problem(doc.relpath, line, key, bad))
        elif key == "avatar":
            values[key], message = image_url(value.strip(), config.static_dir)
            if message:
                problems.append(Problem(doc.relpath, line, key, message))
        else:
            values[key] = value.strip()
    bio = doc.body.strip() or None
    return Profile(slug, values.get("name"), values.get("role"), bio, values.get("avatar"), doc.relpath)
