"""Jekyll's authors → brief profiles, and the display name each post's author id stands for.

Jekyll has no author model of its own; sites keep one of:

- ``_data/authors.yml`` (or ``.yaml``, ``.json``, ``.csv``): a mapping of ids to a name,
  bio and avatar (the form jekyll-seo-tag and jekyll-feed read), or a list of entries with
  an ``id``/``key``/``slug``/``username``;
- a list of people in ``_data/team.yml`` (``people``, ``staff``, ``members``,
  ``contributors``) whose entries carry such an id: used for ids posts name;
- an ``_authors`` collection: one file per author (its name the id, or its ``name`` field
  when that is an id), its front matter the fields, its body the bio, its URL (when the
  collection has ``output: true``) the author's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from brief.migrate.jekyllassets import Assets
from brief.migrate.model import Profile
from brief.migrate.report import Report
from brief.slugs import slugify

NAME_KEYS = ("display_name", "full_name", "fullname", "name", "title")
ID_KEYS = ("id", "key", "slug", "username", "handle", "login", "short_name", "author_id", "github")
ROLE_KEYS = ("role", "position", "job_title", "jobtitle", "job", "title")
BIO_KEYS = ("bio", "description", "about", "summary", "biography")
AVATAR_KEYS = ("avatar", "image", "photo", "picture", "headshot", "portrait", "img")
TEAM_FILES = ("team", "people", "staff", "members", "contributors", "authors")


@dataclass
class Authors:
    """Author data by id: profiles, and the lookup posts' ``author:`` go through."""

    profiles: list[Profile] = field(default_factory=list)
    by_key: dict[str, Profile] = field(default_factory=dict)
    optional: set[int] = field(default_factory=set)
    """Profiles (by ``id()``) written only when a post names them: a team list's members."""
    named: set[int] = field(default_factory=set)

    def add(self, profile: Profile, keys: list[str], optional: bool = False) -> None:
        if any(self._find(k) is not None for k in keys if k):
            return  # the first source of an author wins (_data/authors over a team list)
        self.profiles.append(profile)
        for key in keys:
            if key:
                self.by_key.setdefault(key.casefold(), profile)
                self.by_key.setdefault(slugify(key), profile)
        if optional:
            self.optional.add(id(profile))

    def _find(self, key: str) -> Profile | None:
        return self.by_key.get(key.casefold()) or self.by_key.get(slugify(key))

    def name(self, key: str) -> str:
        """The display name of author ``key`` (a post's ``author:``); the key itself when unknown."""
        profile = self._find(str(key).strip())
        if profile is None:
            return str(key).strip()
        self.named.add(id(profile))
        return profile.name

    def kept(self) -> list[Profile]:
        """Profiles to write: all but team-list members no post names."""
        return [p for p in self.profiles if id(p) not in self.optional or id(p) in self.named]


def _first(entry: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        value = entry.get(key)
        if isinstance(value, str | int | float) and str(value).strip():
            return " ".join(str(value).split())
    return ""


def display_name(entry: dict[str, Any], fallback: str) -> str:
    name = _first(entry, NAME_KEYS[:-1]) or _first(entry, ("title",))
    if not name:
        name = " ".join(str(entry.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
    return name or fallback


def profile(
    key: str,
    entry: dict[str, Any],
    assets: Assets,
    report: Report,
    source: str,
    bio: str = "",
    urls: list[str] | None = None,
) -> Profile:
    """A profile from one author's fields (its ``key`` the id posts use)."""
    name = display_name(entry, key)
    named = {k for k in NAME_KEYS[:-1] if k in entry}
    role_keys = tuple(k for k in ROLE_KEYS if k != "title" or named)
    out = Profile(
        name=name, key=key, role=_first(entry, role_keys), bio=bio or _first(entry, BIO_KEYS), urls=urls or []
    )
    for field_name, value in entry.items():
        became = _became(field_name, named, role_keys)
        report.field_used(f"author.{field_name}", became, value)
    avatar = _first(entry, AVATAR_KEYS)
    if avatar:
        found = assets.find(avatar, "/", (source, None))
        if found is not None:
            out.avatar = found[1]
    return out


def _became(key: str, named: set[str], role_keys: tuple[str, ...]) -> str:
    if key in NAME_KEYS and (key in named or key == "title") and key not in role_keys:
        return "profile name"
    if key in ("first_name", "last_name"):
        return "profile name" if not named else "not imported"
    if key in role_keys:
        return "profile role"
    if key in BIO_KEYS:
        return "profile bio"
    if key in AVATAR_KEYS:
        return "profile avatar"
    if key in ID_KEYS:
        return "profile id (how posts name the author)"
    if key == "redirect_from":
        return "old URL of the author page"
    return "not imported"


def from_data(data: dict[str, Any], authors: Authors, assets: Assets, report: Report) -> None:
    """Profiles from ``_data``: authors first, then a team list's members (kept when named)."""
    for stem in TEAM_FILES:
        value = data.get(stem)
        optional = stem != "authors"
        source = f"_data/{stem}"
        if isinstance(value, dict) and stem == "authors":
            for key, entry in value.items():
                entry = entry if isinstance(entry, dict) else {"name": str(entry)}
                authors.add(profile(str(key), entry, assets, report, source), [str(key), *_ids(entry)])
        elif isinstance(value, dict) and isinstance(value.get(stem), list):
            value = value[stem]
        if isinstance(value, list):
            for entry in value:
                if isinstance(entry, dict) and _ids(entry):
                    key = _ids(entry)[0]
                    made = profile(key, entry, assets, report, source)
                    authors.add(made, [key, *_ids(entry), made.name], optional)


def _ids(entry: dict[str, Any]) -> list[str]:
    return [str(entry[k]).strip() for k in ID_KEYS if isinstance(entry.get(k), str | int) and str(entry[k]).strip()]


def collection_key(stem: str, meta: dict[str, Any]) -> list[str]:
    """The ids an ``_authors`` document answers to: its file name, and its ``name`` when that
    is written as an id (``jdoe``, ``jane-doe``) rather than a display name."""
    keys = [stem, *_ids(meta)]
    name = str(meta.get("name") or "").strip()
    if name and re.fullmatch(r"[\w.-]+", name):
        keys.append(name)
    return list(dict.fromkeys(keys))


def collection_profile(
    stem: str,
    meta: dict[str, Any],
    bio: str,
    urls: list[str],
    assets: Assets,
    report: Report,
    source: str,
) -> tuple[Profile, list[str]]:
    """A profile from one document of the ``_authors`` collection, and the ids it answers to."""
    keys = collection_key(stem, meta)
    entry = dict(meta)
    if "name" in entry and str(entry["name"]).strip() in keys and display_name({**entry, "name": ""}, ""):
        report.field_used("author.name", "profile id (how posts name the author)", entry.pop("name"))
    made = profile(stem, entry, assets, report, source, bio=bio, urls=urls)
    return made, [*keys, made.name]
