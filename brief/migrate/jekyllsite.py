"""A Jekyll site's configuration, and the URLs Jekyll gives its posts, pages and documents.

The rules are Jekyll 4's (``lib/jekyll/url.rb``, ``drops/url_drop.rb``, ``page.rb``,
``configuration.rb``, ``frontmatter_defaults.rb``), so that every URL the old site
published is derived as Jekyll derived it:

- the posts' pattern is ``collections.posts.permalink``, else ``permalink`` (a built-in
  style — ``date`` (the default), ``pretty``, ``ordinal``, ``weekdate``, ``none`` — or a
  pattern); a front matter ``permalink`` wins over both;
- ``:title`` is the post's ``slug`` (front matter, else the file name's title part)
  slugified in Jekyll's ``pretty`` mode keeping capitals; ``:slug`` and ``:name`` in the
  ``default`` mode (lowercased, anything but letters and digits a hyphen);
  ``:categories`` the categories lowercased, joined with ``/``;
- a placeholder's value is percent-encoded as Jekyll escapes paths, and the URL is cleaned
  as Jekyll cleans it (``..`` and ``//`` squeezed);
- a page's URL is ``/:path/:basename:output_ext``, ``/:path/:basename/`` under a style
  ending in ``/`` (``pretty``), ``/:path/`` for an index page;
- front matter ``defaults`` apply by path prefix (or glob) and type, the more specific
  scope winning, as Jekyll merges them.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from brief.migrate.sourcefiles import safe_yaml

STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
"""Jekyll's built-in permalink styles (``configuration.rb``: STYLE_TO_PERMALINK)."""
DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)
ARCHIVE_PERMALINKS = {
    "year": "/:year/",
    "month": "/:year/:month/",
    "day": "/:year/:month/:day/",
    "tag": "/tag/:name/",
    "category": "/category/:name/",
}
"""jekyll-archives' default permalinks."""
CONFIG_NAMES = ("_config.yml", "_config.yaml", "_config.toml")
MARKUP_EXTS = (".md", ".markdown", ".mkdown", ".mkdn", ".mkd", ".html", ".htm", ".xhtml")
_BRIEF_PLACEHOLDERS = {"year": "{year}", "month": "{month}", "day": "{day}", "title": "{slug}", "slug": "{slug}"}


@dataclass
class Collection:
    label: str
    output: bool
    permalink: str
    folder: str
    """Where its documents are, relative to the site folder (``_posts``, ``_authors``)."""


@dataclass
class Archives:
    """jekyll-archives: which listing pages it makes, and their patterns."""

    enabled: set[str] = field(default_factory=set)
    permalinks: dict[str, str] = field(default_factory=lambda: dict(ARCHIVE_PERMALINKS))
    slug_mode: str = "default"


@dataclass
class SiteConfig:
    """What the reader needs of ``_config.yml``."""

    data: dict[str, Any]
    name: str
    """The config file's name, for messages."""
    style: str
    """The ``permalink`` setting: a style name or a pattern."""
    baseurl: str
    url: str
    collections: dict[str, Collection]
    plugins: list[str]
    archives: Archives
    paginate: int
    paginate_path: str
    exclude: list[str]
    include: list[str]

    @property
    def posts(self) -> Collection:
        return self.collections["posts"]

    def defaults(self, rel: str, kind: str) -> dict[str, Any]:
        """Front matter ``defaults`` for the file at ``rel`` of type ``kind`` (``posts``,
        ``pages``, ``drafts`` or a collection's label), merged as Jekyll merges them."""
        sets = self.data.get("defaults")
        merged: dict[str, Any] = {}
        old: dict[str, Any] | None = None
        for entry in sets if isinstance(sets, list) else []:
            if not isinstance(entry, dict) or not isinstance(entry.get("values"), dict):
                continue
            scope: dict[str, Any] = entry["scope"] if isinstance(entry.get("scope"), dict) else {}
            if not _applies(scope, rel, kind, self.data):
                continue
            if old is None or _precedes(old, scope):
                merged = _deep_merge(merged, entry["values"])
                old = scope
            else:
                merged = _deep_merge(entry["values"], merged)
        return merged

    def excluded(self, rel: str) -> bool:
        """Whether Jekyll leaves ``rel`` (a path relative to the site folder) out of the site."""
        parts = rel.split("/")
        if any(_matches(rel, pattern) for pattern in self.include):
            return False
        if any(p.startswith((".", "#")) or p.endswith("~") for p in parts):
            return True
        return any(_matches(rel, pattern) for pattern in (*DEFAULT_EXCLUDES, *self.exclude, "_site"))


def find_config(src: Path) -> Path | None:
    return next((src / n for n in CONFIG_NAMES if (src / n).is_file()), None)


def load_config(path: Path | None) -> SiteConfig:
    """Read ``_config.yml`` (or .yaml, .toml); a missing file is Jekyll's defaults. A file
    that cannot be read raises ValueError with the reason."""
    data: dict[str, Any] = {}
    if path is not None:
        text = path.read_text(encoding="utf-8", errors="replace")
        loaded = tomllib.loads(text) if path.suffix == ".toml" else safe_yaml(text)
        if loaded is not None and not isinstance(loaded, dict):
            raise ValueError(f"expected a mapping of settings, got {type(loaded).__name__}")
        data = loaded or {}
    style = str(data.get("permalink") or "date")
    base = str(data.get("baseurl") or "").rstrip("/")
    base = "/" + base.lstrip("/") if base else ""
    plugins = [str(p) for p in _list(data.get("plugins")) + _list(data.get("gems"))]
    return SiteConfig(
        data=data,
        name=path.name if path else "_config.yml",
        style=style,
        baseurl=base,
        url=str(data.get("url") or "").rstrip("/"),
        collections=_collections(data, style),
        plugins=plugins,
        archives=_archives(data, plugins),
        paginate=_int(data.get("paginate")) if "jekyll-paginate" in plugins else 0,
        paginate_path=str(data.get("paginate_path") or "/page:num/"),
        exclude=[str(p) for p in _list(data.get("exclude"))],
        include=[str(p) for p in _list(data.get("include"))],
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _collections(data: dict[str, Any], style: str) -> dict[str, Collection]:
    raw = data.get("collections")
    if isinstance(raw, list):
        raw = {str(label): {} for label in raw}
    raw = raw if isinstance(raw, dict) else {}
    folder = str(data.get("collections_dir") or "").strip("/")
    out: dict[str, Collection] = {}
    for label, meta in {"posts": {}, **raw}.items():
        meta = meta if isinstance(meta, dict) else {}
        if label == "posts":
            pattern = str(meta.get("permalink") or STYLES.get(style, style))
            output = True
        else:
            pattern = str(meta.get("permalink") or add_suffix("/:collection/:path", style))
            output = bool(meta.get("output", False))
        out[str(label)] = Collection(str(label), output, pattern, f"{folder}/_{label}".lstrip("/"))
    return out


def _archives(data: dict[str, Any], plugins: list[str]) -> Archives:
    conf = data.get("jekyll-archives")
    if "jekyll-archives" not in plugins or not isinstance(conf, dict):
        return Archives()
    enabled = conf.get("enabled")
    kinds = {"year", "month", "day", "tags", "categories"}
    chosen = kinds if enabled in (True, "all") else {str(e) for e in _list(enabled)} & kinds
    links = dict(ARCHIVE_PERMALINKS)
    if isinstance(conf.get("permalinks"), dict):
        links.update({str(k): str(v) for k, v in conf["permalinks"].items()})
    return Archives(chosen, links, str(conf.get("slug_mode") or "default"))


def add_suffix(template: str, style: str) -> str:
    """Jekyll's ``Utils.add_permalink_suffix``."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        return template + "/"
    return template + (":output_ext" if style.endswith(":output_ext") else "")


def _matches(rel: str, pattern: str) -> bool:
    pattern = pattern.strip().lstrip("/")
    if not pattern:
        return False
    bare = pattern.rstrip("/")
    return rel == bare or rel.startswith(bare + "/") or fnmatch.fnmatch(rel, pattern)


def _applies(scope: dict[str, Any], rel: str, kind: str, data: dict[str, Any]) -> bool:
    if "type" in scope:
        wanted = str(scope["type"])
        if (wanted + "s" if wanted in ("post", "page", "draft") else wanted) != kind:
            return False
    path = scope.get("path")
    if not isinstance(path, str) or not path.strip("/"):
        return True
    path = path.strip("/")
    folder = str(data.get("collections_dir") or "").strip("/")
    if folder and path.startswith(folder + "/"):
        path = path[len(folder) + 1 :]
    if "*" in path:
        return fnmatch.fnmatch(rel, path) or fnmatch.fnmatch(rel, path + "/*")
    return rel.startswith(path)


def _precedes(old: dict[str, Any], new: dict[str, Any]) -> bool:
    """Jekyll's ``has_precedence?``: the longer path wins, then a scope with a type."""
    new_path, old_path = str(new.get("path") or "").strip("/"), str(old.get("path") or "").strip("/")
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    return "type" in new or "type" not in old


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


# --- slugs and URLs ---------------------------------------------------------------------

_PRETTY_KEEP = frozenset("._~!$&'()+,;=@")
SLUG_MODES = ("raw", "default", "pretty", "ascii", "latin")


def _kept(char: str, mode: str) -> bool:
    if mode == "raw":
        return not char.isspace()
    if mode == "ascii":
        return char.isascii() and char.isalnum()
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd" or (mode == "pretty" and char in _PRETTY_KEEP)


def slugify(text: str, mode: str = "default", cased: bool = False) -> str:
    """Jekyll's ``Utils.slugify``: a run of characters the mode does not keep (``default``:
    anything but letters, marks and digits; ``pretty`` keeps ``._~!$&'()+,;=@`` too;
    ``ascii`` only ASCII letters and digits; ``raw`` replaces only white space) becomes one
    hyphen, a hyphen at either end goes, and the result is lowercased unless ``cased``."""
    if mode not in SLUG_MODES:
        return text if cased else text.lower()
    if mode == "latin":  # accents dropped, any other letter a '?' (as I18n.transliterate does)
        text = "".join("".join(c for c in unicodedata.normalize("NFKD", ch) if c.isascii()) or "?" for ch in text)
        mode = "default"
    slug = "".join(ch if _kept(ch, mode) else "\0" for ch in text)
    slug = re.sub("\0+", "-", slug)
    slug = re.sub(r"^-|-$", "", slug)
    return slug if cased else slug.lower()


def escape_path(text: str) -> str:
    """Jekyll's ``URL.escape_path``: what a URL path may hold stays, anything else is encoded."""
    if not text or re.fullmatch(r"[a-zA-Z0-9./-]+", text):
        return text
    return quote(text, safe="/-._~!$&'()*+,;=:@")


def clean_url(url: str) -> str:
    """Jekyll's ``URL.sanitize_url``: one leading slash, ``..`` and ``./`` dropped, no ``//``."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    return re.sub(r"/{2,}", "/", url)


def fill(template: str, values: dict[str, str]) -> str:
    """``template``'s ``:placeholders`` replaced as Jekyll's URL drop does (an unknown one stays)."""

    def one(match: re.Match[str]) -> str:
        name = match[1]
        for key in (name, name.rstrip("_")) if name.endswith("_") else (name,):
            if key in values:
                return escape_path(values[key]) + name[len(key) :]
        return match[0]

    return clean_url(re.sub(r":([a-z_]+)", one, template))


def date_values(when: datetime) -> dict[str, str]:
    """The date placeholders Jekyll knows, for ``when``."""
    return {
        "year": f"{when.year:04d}",
        "month": f"{when.month:02d}",
        "day": f"{when.day:02d}",
        "hour": f"{when.hour:02d}",
        "minute": f"{when.minute:02d}",
        "second": f"{when.second:02d}",
        "i_day": str(when.day),
        "i_month": str(when.month),
        "short_month": when.strftime("%b"),
        "long_month": when.strftime("%B"),
        "short_year": when.strftime("%y"),
        "w_year": str(when.isocalendar()[0]),
        "week": f"{when.isocalendar()[1]:02d}",
        "w_day": str(when.isoweekday()),
        "short_day": when.strftime("%a"),
        "long_day": when.strftime("%A"),
        "y_day": when.strftime("%j"),
    }


def served(url: str) -> list[str]:
    """The URLs a static host answers for a page Jekyll wrote at ``url``: ``/a`` is written
    ``a.html``, which answers at both."""
    last = url.rsplit("/", 1)[-1]
    if url.endswith("/") or "." in last:
        return [url]
    return [url, url + ".html"]


def brief_permalinks(template: str, categories: list[list[str]]) -> list[str]:
    """brief patterns that give the URLs ``template`` gives, given every post's categories:
    ``/:year/:month/:title/`` → ``/{year}/{month}/{slug}/``; ``:categories`` is ``{section}``
    when no post has more than one, dropped when none has any. A pattern ending in
    ``:output_ext`` (``.html``) cannot be kept: its nearest (``…/slug/``) is offered."""
    pattern = template.replace(":output_ext", "/").replace(".html", "/")
    most = max((len(c) for c in categories), default=0)
    if ":categories" in pattern:
        if most > 1:
            return []
        pattern = pattern.replace(":categories", "{section}" if most else "")
    out = re.sub(r":([a-z_]+)", lambda m: _BRIEF_PLACEHOLDERS.get(m[1], "\0"), pattern)
    out = re.sub(r"/{2,}", "/", "/" + out.strip("/") + "/")
    if "\0" in out or "{slug}" not in out:
        return []
    return [out]
