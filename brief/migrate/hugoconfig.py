"""A Hugo site's configuration, as the Hugo reader needs it.

Hugo reads ``hugo.toml|yaml|json`` (or the older ``config.*``) at the site's root and the
files of ``config/_default/`` (``hugo.toml`` plus one file per top-level key:
``params.toml``, ``permalinks.yaml``…). Keys are case-insensitive (``baseURL`` is
``baseurl``): every key is read lowercased here. Of a multilingual site (``languages``,
``content/<lang>/`` or a language's ``contentDir``) the default language is imported;
the other languages' folders are listed as skipped.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from brief.errors import BriefError
from brief.migrate.sourcefiles import safe_yaml

CONFIG_NAMES = ("hugo", "config")
CONFIG_EXTS = ("toml", "yaml", "yml", "json")
TABLES_READ = {"params", "languages", "permalinks", "taxonomies", "frontmatter", "cascade", "author"}
"""The tables of ``config/_default/<table>.toml`` the import uses; a file of another (``menus``,
``markup``, ``module``, a build script's ``module-template.yaml``) is not even parsed."""
DEFAULT_TAXONOMIES = {"tag": "tags", "category": "categories"}


@dataclass
class Rule:
    """One permalink rule: pages of ``kind`` under section ``section`` ("" = the root) → ``pattern``."""

    kind: str
    section: str
    pattern: str

    def matches(self, kind: str, path: str) -> bool:
        """``path``: the page's logical path, lowercased, without a leading slash (``posts/2020/a``)."""
        if kind != self.kind:
            return False
        if not self.section:
            return "/" not in path  # the root section: top-level pages only
        return path == self.section or path.startswith(self.section + "/")


@dataclass
class HugoConfig:
    root: Path
    data: dict[str, Any]
    content: Path
    """The folder the default language's content is read from."""
    other_languages: dict[str, Path] = field(default_factory=dict)
    """Language code → content folder of a language not imported."""
    language: str = "en"
    languages: set[str] = field(default_factory=set)
    rules: list[Rule] = field(default_factory=list)
    taxonomies: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TAXONOMIES))
    """Singular → plural (the front-matter key and the URL segment)."""
    disabled: set[str] = field(default_factory=set)
    """Page kinds not built (``disableKinds``), lowercased."""

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key.lower(), default)

    def ugly(self, section: str) -> bool:
        """``uglyURLs``: true, or a table of sections (``[uglyURLs] post = true``)."""
        value = self.get("uglyurls")
        if isinstance(value, dict):
            return bool(value.get(section.lower()))
        return bool(value)

    @property
    def lower(self) -> bool:
        return not self.get("disablepathtolower")

    @property
    def prefix(self) -> str:
        """``/en`` when the default language is published under its own folder, else ""."""
        return f"/{self.language}" if self.get("defaultcontentlanguageinsubdir") else ""

    @property
    def params(self) -> dict[str, Any]:
        params = dict(_dict(self.get("params")))
        params.update(_dict(_dict(_dict(self.get("languages")).get(self.language)).get("params")))
        return params

    def language_setting(self, key: str) -> Any:
        """A setting of the default language (``languages.en.title``), else the site's."""
        own = _dict(_dict(self.get("languages")).get(self.language))
        return own.get(key) if own.get(key) not in (None, "") else self.get(key)

    def rule_for(self, kind: str, path: str) -> Rule | None:
        """The most specific permalink rule for a page of ``kind`` at ``path``."""
        found = [r for r in self.rules if r.matches(kind, path)]
        return max(found, key=lambda r: len(r.section), default=None)

    def static_dirs(self) -> list[Path]:
        dirs = self.get("staticdir") or "static"
        names = [dirs] if isinstance(dirs, str) else [str(d) for d in dirs]
        return [self.root / name for name in [*names, "assets"] if (self.root / name).is_dir()]

    def date_from_filename(self) -> bool:
        """Whether ``[frontmatter] date`` lists ``:filename`` (``2020-01-02-name.md``)."""
        dates = _dict(self.get("frontmatter")).get("date") or []
        return ":filename" in [str(d).lower() for d in (dates if isinstance(dates, list) else [dates])]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower_keys(v) for v in value]
    return value


def load(src: Path) -> HugoConfig:
    """The configuration of the Hugo site at ``src``; a :class:`BriefError` naming ``src`` and
    what was expected when it is not one (or its configuration cannot be read)."""
    files = config_files(src)
    if not src.is_dir() or not files or not (src / "content").is_dir():
        raise BriefError(
            f"{src}: not a Hugo site (expected a folder holding hugo.toml, hugo.yaml, hugo.json, "
            "config.toml… or config/_default/, and a content/ folder)"
        )
    data: dict[str, Any] = {}
    for path, _ in reversed([f for f in files if not f[1]]):  # the site root's file last: it wins
        data.update(_lower_keys(_read(path)))
    for path, key in files:
        if not key:
            continue
        loaded = _dict(_lower_keys(_read(path)))
        name, _, lang = key.partition(".")
        if lang and name == "languages":  # languages.en.toml: the language's own settings
            languages = data.setdefault("languages", {})
            languages[lang] = {**_dict(languages.get(lang)), **loaded}
        elif lang:  # params.en.toml, menus.en.toml: a language's table
            language = data.setdefault("languages", {}).setdefault(lang, {})
            language[name] = {**_dict(language.get(name)), **loaded}
        else:  # params.toml: the params table
            data[key] = {**_dict(data.get(key)), **loaded}
    cfg = HugoConfig(src, data, src / "content")
    _languages(cfg)
    cfg.rules = permalink_rules(cfg.get("permalinks"))
    taxonomies = cfg.get("taxonomies")
    if isinstance(taxonomies, dict):
        cfg.taxonomies = {str(k): str(v) for k, v in taxonomies.items() if v}
    kinds = cfg.get("disablekinds") or []
    cfg.disabled = {str(k).lower() for k in (kinds if isinstance(kinds, list) else [kinds])}
    return cfg


def config_files(src: Path) -> list[tuple[Path, str]]:
    """(file, top-level key it holds or "" for a whole configuration), the site root's first."""
    found: list[tuple[Path, str]] = []
    for name in CONFIG_NAMES:
        for ext in CONFIG_EXTS:
            if (src / f"{name}.{ext}").is_file():
                found.append((src / f"{name}.{ext}", ""))
                break
        if found:
            break
    folder = src / "config" / "_default"
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            stem, _, ext = path.name.rpartition(".")
            key = "" if stem in CONFIG_NAMES else stem.lower()
            if path.is_file() and ext in CONFIG_EXTS and (not key or key.partition(".")[0] in TABLES_READ):
                found.append((path, key))  # hugo.toml, params.toml, languages.en.toml
    return found


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = safe_yaml(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise BriefError(f"{path}: cannot read the Hugo configuration: {reason}") from None
    return data if isinstance(data, dict) else {}


def _languages(cfg: HugoConfig) -> None:
    """Which folder holds the default language's content, and which hold other languages'."""
    languages = _dict(cfg.get("languages"))
    cfg.language = str(cfg.get("defaultcontentlanguage") or (next(iter(languages), "en"))).lower()
    cfg.languages = {str(k).lower() for k in languages} | {cfg.language}
    content_dir = str(cfg.get("contentdir") or "content")
    folders = {lang: _dict(v).get("contentdir") for lang, v in languages.items()}
    own = folders.get(cfg.language)
    if own:
        cfg.content = cfg.root / str(own)
    elif len(cfg.languages) > 1 and (cfg.root / content_dir / cfg.language).is_dir():
        cfg.content = cfg.root / content_dir / cfg.language  # content/en/ mounted by module config
    else:
        cfg.content = cfg.root / content_dir
    for lang in sorted(cfg.languages - {cfg.language}):
        folder = folders.get(lang)
        path = cfg.root / str(folder) if folder else cfg.root / content_dir / lang
        if path.is_dir() and path != cfg.content:
            cfg.other_languages[lang] = path


def permalink_rules(value: Any) -> list[Rule]:
    """``[permalinks]`` in any of Hugo's three forms: ``posts = '…'`` (pages and terms of a
    section or taxonomy), ``[permalinks.page] posts = '…'`` (by kind), or a list of
    ``{target = {kind, path}, pattern}``."""
    rules: list[Rule] = []
    if isinstance(value, list):
        for entry in value:
            target = _dict(_dict(entry).get("target"))
            pattern = _dict(entry).get("pattern")
            if isinstance(pattern, str):
                section = re.sub(r"[{}*]|,.*", "", str(target.get("path", ""))).strip("/ ")
                rules.append(Rule(str(target.get("kind") or "page").lower(), section.lower(), pattern))
        return rules
    for key, pattern in _dict(value).items():
        if isinstance(pattern, str):
            section = key.strip("/ ")
            rules += [Rule("page", section, pattern), Rule("term", section, pattern)]
        elif isinstance(pattern, dict) and key in ("page", "section", "taxonomy", "term"):
            rules += [Rule(key, k.strip("/ "), v) for k, v in pattern.items() if isinstance(v, str)]
    return rules
