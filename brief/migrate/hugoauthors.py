"""Authors of a Hugo site: who an ``author:``/``authors:`` value names, and their profiles.

Hugo itself has no author model; sites keep them in ``data/authors/<id>.yaml`` (or one
``data/authors.yaml`` keyed by id), in an ``authors`` taxonomy with a profile in
``content/authors/<id>/_index.md``, or in ``params.author``. An article's value is an id
or a name, a list of them, or a line of Markdown such as
``[Ana Ortiz](https://…) (Corp), [Ben Ewing](https://…)``: the names are the links'
words; without links, the parts between commas and "and".
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from brief.migrate.hugopaths import urlize
from brief.migrate.model import Profile
from brief.migrate.report import Report
from brief.migrate.sourcefiles import safe_yaml

NAME_KEYS = ("name", "display_name", "displayname", "fullname", "full_name", "title")
BIO_KEYS = ("bio", "description", "about", "summary", "biography")
AVATAR_KEYS = ("avatar", "image", "photo", "picture", "img", "thumbnail")
ROLE_KEYS = ("role", "position", "job", "jobtitle", "job_title", "organization", "company")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


@dataclass
class AuthorBook:
    """Every author the site describes, by id."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Lowercased id (and urlized id) → the data the site holds."""
    keys: dict[str, str] = field(default_factory=dict)
    """Lowercased id → the id as written."""

    def add(self, key: str, data: dict[str, Any]) -> None:
        lowered = {str(k).lower(): v for k, v in data.items()}
        old = self.entries.get(key.lower(), {})
        merged = {**lowered, **{k: v for k, v in old.items() if v not in (None, "")}}
        for k in (key.lower(), urlize(key)):
            self.entries[k] = merged
        self.keys.setdefault(key.lower(), key)

    def find(self, key: str) -> dict[str, Any] | None:
        return self.entries.get(key.strip().lower()) or self.entries.get(urlize(key))

    def name(self, key: str) -> str:
        """An id or name as written → the display name articles carry."""
        entry = self.find(key)
        if entry:
            found = _first(entry, NAME_KEYS)
            if found:
                return found
        return " ".join(key.split())


def _first(entry: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return ""


def names_in(value: Any) -> list[str]:
    """The authors one front-matter value names, as written (ids or names)."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, dict):
            item = _first({str(k).lower(): v for k, v in item.items()}, NAME_KEYS)
        if not isinstance(item, str | int) or not str(item).strip():
            continue
        text = " ".join(str(item).split())
        links = _LINK.findall(text)
        if links:
            out += [" ".join(link.split()) for link in links]
            continue
        for i, part in enumerate(re.split(r",|;|\s+(?:and|&)\s+", text)):
            part = re.sub(r"\s*\([^)]*\)\s*$", "", part).strip()
            if part and not (i and _is_role(part)):
                out.append(part)
    return list(dict.fromkeys(out))


_ROLE_WORDS = {  # fmt: skip
    "director",
    "editor",
    "engineer",
    "manager",
    "lead",
    "officer",
    "head",
    "chief",
    "president",
    "founder",
    "developer",
    "correspondent",
    "reporter",
    "writer",
    "member",
    "team",
    "staff",
    "executive",
    "analyst",
    "scientist",
    "researcher",
    "professor",
    "student",
    "intern",
    "maintainer",
    "contributor",
    "advocate",
    "architect",
    "program",
    "product",
    "community",
    "inc",
    "ltd",
    "llc",
    "corp",
    "foundation",
}


def _is_role(part: str) -> bool:
    """``ISRG Executive Director`` after a name and a comma: the person's role, not a second author."""
    words = re.findall(r"[\w'-]+", part)
    return any(w.lower() in _ROLE_WORDS or (w.isupper() and len(w) > 1) for w in words) or len(words) == 1


def load_book(root: Path, config_author: Any, report: Report) -> AuthorBook:
    """The site's author data: ``data/authors/*`` and ``data/authors.*`` (and ``params.author``)."""
    book = AuthorBook()
    folder = root / "data" / "authors"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            data = _data_file(path, root, report)
            if isinstance(data, dict):
                book.add(path.stem, data)
    for path in sorted((root / "data").glob("authors.*")):
        data = _data_file(path, root, report)
        for key, entry in (data or {}).items() if isinstance(data, dict) else ():
            if isinstance(entry, dict):
                book.add(str(key), entry)
    if isinstance(config_author, dict) and _first(config_author, NAME_KEYS):
        name = _first(config_author, NAME_KEYS)
        book.add(name, config_author)
    return book


def _data_file(path: Path, root: Path, report: Report) -> Any:
    if not path.is_file() or path.suffix.lower() not in (".yaml", ".yml", ".toml", ".json"):
        return None
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() == ".toml":
            return tomllib.loads(text)
        if path.suffix.lower() == ".json":
            return json.loads(text)
        return safe_yaml(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())[:200]
        report.warn(path.relative_to(root).as_posix(), None, f"author data not read: {reason}")
        return None


def profile_of(book: AuthorBook, key: str) -> Profile:
    """A profile from the site's data for id ``key`` (without avatar: the reader resolves it)."""
    entry = book.find(key) or {}
    bio = _first(entry, BIO_KEYS)
    role = next((_first(entry, (k,)) for k in ROLE_KEYS if k != "title" and _first(entry, (k,))), "")
    return Profile(name=book.name(key), key=book.keys.get(key.lower(), key), role=role, bio=bio)


def avatar_of(entry: dict[str, Any]) -> str:
    value = next((entry[k] for k in AVATAR_KEYS if entry.get(k)), "")
    if isinstance(value, dict):
        value = value.get("src") or value.get("url") or ""
    return str(value) if isinstance(value, str) else ""
