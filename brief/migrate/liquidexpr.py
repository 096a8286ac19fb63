"""Liquid output expressions (``{{ page.title | upcase }}``) evaluated the way Jekyll would have.

What a body can see is the page's front matter (``page.*``), the site's configuration and
``_data`` (``site.*``) and what ``{% assign %}`` set. ``site.baseurl`` and ``site.url`` are
empty: a site path is written without the old base path, which the new site sets itself.
What only a running Jekyll knows (``site.posts``, ``paginator``, a loop's variable, a site's
own filter) cannot be evaluated: :func:`evaluate` then names the construct (``{{ post.title }}``,
``{{ | team_link }}``) so that it is left as written and listed, or replaced from ``--map``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote, quote_plus

from brief.migrate.constructs import Params
from brief.migrate.dates import normalise
from brief.migrate.jekyllsite import slugify

COMPUTED_SITE = frozenset((
    "posts", "pages", "tags", "categories", "time", "github", "static_files", "html_pages", "html_files",
    "collections", "documents", "related_posts", "source", "destination",
))  # fmt: skip
"""``site.*`` values a build computes: none of them is in the configuration."""
_TERM = re.compile(
    r"""\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<num>-?\d+(?:\.\d+)?)(?![\w.])|"""
    r"""(?P<path>[A-Za-z_][\w-]*\??(?:\.[A-Za-z_][\w-]*\??|\.\d+|\[[^\]]*\])*))\s*"""
)
_SEGMENT = re.compile(r"\.([\w-]+\??)|\[\s*(?:\"([^\"]*)\"|'([^']*)'|(-?\d+)|([\w.-]+))\s*\]")


@dataclass
class Env:
    """The values a body's Liquid can see."""

    page: dict[str, Any]
    site: dict[str, Any]
    variables: dict[str, Any] = field(default_factory=dict)
    opaque: set[str] = field(default_factory=set)
    """Roots a construct left as written defines (``{% capture x %}``, a ``{% for %}``'s variable)."""
    opaque_site: set[str] = field(default_factory=set)
    """``site.*`` names the reader knows hold documents (``site.authors`` for an ``_authors`` collection)."""


@dataclass
class Result:
    """An evaluated expression: its value, or ``unknown`` naming what could not be evaluated."""

    value: Any = None
    unknown: str = ""
    params: Params = field(default_factory=Params)
    """For an unknown filter: its input (positional 0) and its arguments, for a ``--map`` entry."""
    roots: tuple[str, ...] = ()


def split_outside_quotes(text: str, sep: str) -> list[str]:
    """``text`` split on ``sep`` where it is not inside quotes."""
    parts, start, quote_char = [], 0, ""
    for i, char in enumerate(text):
        if quote_char:
            quote_char = "" if char == quote_char else quote_char
        elif char in "\"'":
            quote_char = char
        elif char == sep:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def evaluate(expr: str, env: Env) -> Result:
    """The value of ``input | filter: arg, … | …``; ``unknown`` set when it cannot be known."""
    pieces = split_outside_quotes(expr.strip(), "|")
    value, unknown, roots = term(pieces[0], env)
    if unknown:
        return Result(unknown=unknown, roots=roots)
    for piece in pieces[1:]:
        name, _, rest = piece.strip().partition(":")
        name = name.strip()
        args, named, bad = _arguments(rest, env) if rest.strip() else ([], {}, "")
        if bad:
            return Result(unknown=bad, roots=roots)
        done, out = apply_filter(name, value, args, named)
        if not done:
            params = Params([as_text(value), *(as_text(a) for a in args)], {k: as_text(v) for k, v in named.items()})
            return Result(unknown=f"{{{{ | {name} }}}}", params=params, roots=roots)
        value = out
    return Result(value=value, roots=roots)


def _arguments(text: str, env: Env) -> tuple[list[Any], dict[str, Any], str]:
    args: list[Any] = []
    named: dict[str, Any] = {}
    for raw in split_outside_quotes(text, ","):
        key = re.match(r"\s*([A-Za-z_][\w-]*)\s*:(?!/)", raw)
        value, unknown, _ = term(raw[key.end() :] if key else raw, env)
        if unknown:
            return [], {}, unknown
        if key:
            named[key[1]] = value
        else:
            args.append(value)
    return args, named, ""


def term(text: str, env: Env) -> tuple[Any, str, tuple[str, ...]]:
    """(value, unknown name, roots) of one literal or variable."""
    match = _TERM.fullmatch(text)
    if match is None:
        return None, f"{{{{ {text.strip()} }}}}", ()
    if match["dq"] is not None or match["sq"] is not None:
        return match["dq"] if match["dq"] is not None else match["sq"], "", ()
    if match["num"] is not None:
        return (float(match["num"]) if "." in match["num"] else int(match["num"])), "", ()
    path = match["path"]
    if path in ("true", "false"):
        return path == "true", "", ()
    if path in ("nil", "null", "empty", "blank"):
        return None, "", ()
    return _lookup(path, env)


def _lookup(path: str, env: Env) -> tuple[Any, str, tuple[str, ...]]:
    root = re.match(r"[A-Za-z_][\w-]*", path)
    assert root is not None
    name, rest = root[0], path[root.end() :]
    keys = [next(g for g in m.groups() if g is not None) for m in _SEGMENT.finditer(rest)]
    unknown = f"{{{{ {path} }}}}"
    if name in env.variables and name not in env.opaque:
        return _walk(env.variables[name], keys), "", (name,)
    if name == "page":
        computed = ("content", "excerpt", "next", "previous", "output")
        if keys[:1] and keys[0] in computed and not (keys[0] == "excerpt" and isinstance(env.page.get("excerpt"), str)):
            return None, unknown, (name,)  # an excerpt the front matter writes is the page's, as Jekyll keeps it
        return _walk(env.page, keys), "", (name,)
    if name == "site":
        first = keys[0] if keys else ""
        if not keys or first in COMPUTED_SITE or first in env.opaque_site:
            return None, unknown, (name,)
        return _walk(env.site, keys), "", (name,)
    if name == "jekyll" and keys == ["environment"]:
        return "production", "", (name,)
    return None, unknown, (name,)


def _walk(value: Any, keys: list[str]) -> Any:
    for key in keys:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list | str) and key in ("size", "first", "last"):
            value = len(value) if key == "size" else (value[0] if key == "first" else value[-1]) if value else None
        elif isinstance(value, list) and re.fullmatch(r"-?\d+", key):
            index = int(key)
            value = value[index] if -len(value) <= index < len(value) else None
        else:
            return None
    return value


def as_text(value: Any) -> str:
    """A value as Liquid prints it: nil is empty, a list its items run together."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _when(value: Any) -> datetime | None:
    if isinstance(value, str) and value.strip() == "now":
        return None
    iso, _ = normalise(value)
    if iso is None:
        return None
    try:
        return datetime.fromisoformat(iso)
    except ValueError:
        return None


def _date(value: Any, fmt: str) -> tuple[bool, Any]:
    when = _when(value)
    if when is None:
        return False, None
    return True, when.strftime(fmt)


_STRING_FILTERS: dict[str, Callable[[str], str]] = {
    "downcase": str.lower,
    "upcase": str.upper,
    "capitalize": lambda s: s[:1].upper() + s[1:].lower(),
    "strip": str.strip,
    "lstrip": str.lstrip,
    "rstrip": str.rstrip,
    "escape": lambda s: html.escape(s),
    "xml_escape": lambda s: html.escape(s),
    "escape_once": lambda s: html.escape(html.unescape(s)),
    "cgi_escape": quote_plus,
    "uri_escape": lambda s: quote(s, safe="/:?#[]@!$&'()*+,;=-._~%"),
    "url_encode": quote_plus,
    "url_decode": lambda s: s,
    "strip_newlines": lambda s: s.replace("\n", "").replace("\r", ""),
    "strip_html": lambda s: re.sub(r"<[^>]*>", "", s),
    "markdownify": lambda s: s,
    "smartify": lambda s: s,
    "normalize_whitespace": lambda s: " ".join(s.split()),
    "date_to_xmlschema": lambda s: s,
    "number_of_words": lambda s: str(len(s.split())),
}


def apply_filter(name: str, value: Any, args: list[Any], named: dict[str, Any]) -> tuple[bool, Any]:
    """(whether the filter is known, its result)."""
    arg = as_text(args[0]) if args else ""
    if name in ("relative_url", "absolute_url"):
        path = as_text(value)
        return True, path if re.match(r"[a-z][a-z0-9+.-]*:|/|#|$", path) else "/" + path
    if name in _STRING_FILTERS:
        return True, _STRING_FILTERS[name](as_text(value))
    if name == "slugify":
        return True, slugify(as_text(value), arg or "default")
    if name == "date":
        return _date(value, arg) if arg else (True, value)
    if name in ("date_to_string", "date_to_long_string", "date_to_rfc822"):
        fmt = {"date_to_string": "%d %b %Y", "date_to_long_string": "%d %B %Y"}.get(name, "%a, %d %b %Y %H:%M:%S %z")
        return _date(value, fmt)
    simple: dict[str, Callable[[], Any]] = {
        "prepend": lambda: arg + as_text(value),
        "append": lambda: as_text(value) + arg,
        "default": lambda: value if value not in (None, "", False, []) else (args[0] if args else None),
        "replace": lambda: as_text(value).replace(arg, as_text(args[1]) if len(args) > 1 else ""),
        "replace_first": lambda: as_text(value).replace(arg, as_text(args[1]) if len(args) > 1 else "", 1),
        "remove": lambda: as_text(value).replace(arg, ""),
        "remove_first": lambda: as_text(value).replace(arg, "", 1),
        "join": lambda: (arg if args else " ").join(as_text(v) for v in value) if isinstance(value, list) else value,
        "size": lambda: len(value) if isinstance(value, list | str | dict) else 0,
        "first": lambda: value[0] if isinstance(value, list) and value else None,
        "last": lambda: value[-1] if isinstance(value, list) and value else None,
        "jsonify": lambda: json.dumps(value, ensure_ascii=False, default=str),
        "truncate": lambda: _truncate(as_text(value), int(args[0]) if args and str(args[0]).isdigit() else 50),
    }
    if name in simple:
        return True, simple[name]()
    return _list_filter(name, value, args)


def _list_filter(name: str, value: Any, args: list[Any]) -> tuple[bool, Any]:
    """Filters over arrays (``site.data.releases | where: "version", "2.7.2" | first``)."""
    items = value if isinstance(value, list) else [] if value is None else [value]
    key = as_text(args[0]) if args else ""
    if name == "where":
        wanted = as_text(args[1]) if len(args) > 1 else None
        return True, [
            v
            for v in items
            if isinstance(v, dict) and (as_text(v.get(key)) == wanted if wanted is not None else v.get(key))
        ]
    if name == "map":
        return True, [v.get(key) if isinstance(v, dict) else None for v in items]
    if name in ("sort", "sort_natural"):
        return True, sorted(items, key=lambda v: as_text(v.get(key) if key and isinstance(v, dict) else v).lower())
    if name == "split":
        return True, as_text(value).split(key) if key else as_text(value).split()
    others: dict[str, Callable[[], Any]] = {
        "reverse": lambda: items[::-1],
        "uniq": lambda: list({json.dumps(v, sort_keys=True, default=str): v for v in items}.values()),
        "compact": lambda: [v for v in items if v is not None],
        "concat": lambda: items + (args[0] if args and isinstance(args[0], list) else []),
    }
    if name in others:
        return True, others[name]()
    return False, None


def _truncate(value: str, length: int) -> str:
    return value if len(value) <= length else value[: max(length - 3, 0)] + "..."
