"""A site's own shortcodes and includes: their parameters, and the ``--map`` file that replaces them.

A construct is what another generator expands when it builds a page: a Hugo shortcode
(``{{< note type="tip" >}}…{{< /note >}}``), a Liquid include or tag
(``{% include newsletter.html list="daily" %}``), a WordPress shortcode
(``[pullquote]…[/pullquote]``). Those brief knows are converted by their reader; any
other is left as written, so that the build reports it, and listed in the import report
under its *name*: the shortcode's name (``note``), ``include`` and the file for a Liquid
include (``include newsletter.html``), the tag's name for another Liquid tag.

The map file is TOML, one entry per name, the brief Markdown that replaces it::

    [replace]
    note = '''
    ::: callout {type|note}
    {inner}
    :::
    '''
    "include newsletter.html" = "[Subscribe to the {list} newsletter](/newsletter/)"

``{name}`` is the named parameter ``name``, ``{0}``, ``{1}``… the positional ones,
``{inner}`` the text between an opening and a closing tag, ``{name|text}`` a parameter
with a default, ``{{``/``}}`` literal braces. A placeholder the construct does not give
and that has no default makes the replacement fail on that construct, which then stays
as written and is listed with the reason.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from brief.errors import BriefError

_PARAM = re.compile(
    r"""\s*(?:(?P<key>[A-Za-z_][\w.-]*)\s*=\s*)?"""
    r"""(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>[^']*)'|`(?P<bq>[^`]*)`|(?P<bare>[^\s"'`=]+))""",
    re.S,
)
_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{(?P<name>inner|\d+|[A-Za-z_][\w.-]*)(?:\|(?P<default>[^{}]*))?\}")


@dataclass
class Params:
    """A construct's parameters as written: positional ones in order, named ones by name."""

    positional: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, position: int | None = None, default: str = "") -> str:
        """The named parameter, else the positional one at ``position``, else ``default``."""
        if name in self.named:
            return self.named[name]
        if position is not None and position < len(self.positional):
            return self.positional[position]
        return default


def parse_params(text: str) -> Params:
    """``a "b c" key=d key2='e f'`` → positional [a, b c], named {key: d, key2: e f}.

    Double-quoted values take backslash escapes (``\\"``); single quotes and Hugo's
    backquotes are raw. Whatever cannot be read as a parameter is skipped.
    """
    params = Params()
    pos = 0
    while pos < len(text):
        match = _PARAM.match(text, pos)
        if not match or match.end() == pos:
            pos += 1
            continue
        pos = match.end()
        if match["dq"] is not None:
            value = re.sub(r"\\(.)", r"\1", match["dq"])
        else:
            value = next(v for v in (match["sq"], match["bq"], match["bare"]) if v is not None)
        if match["key"]:
            params.named[match["key"]] = value
        else:
            params.positional.append(value)
    return params


@dataclass
class Replacements:
    """The ``--map`` file: construct name → brief Markdown template."""

    templates: dict[str, str] = field(default_factory=dict)
    path: str = ""

    @classmethod
    def load(cls, path: Path) -> Replacements:
        """Read a map file; a file that is not valid TOML, or an entry that is not text, is a
        :class:`BriefError` naming the file, the line or key, and what was expected."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise BriefError(f"{path}: cannot read the map file: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise BriefError(f"{path}: not UTF-8 text (expected a TOML file)") from None
        except tomllib.TOMLDecodeError as exc:
            raise BriefError(f'{path}: {exc} (expected TOML: [replace] then name = "Markdown")') from None
        extra = sorted(set(data) - {"replace"})
        if extra:
            raise BriefError(f"{path}: unknown table or key '{extra[0]}' (expected only a [replace] table)")
        table = data.get("replace", {})
        if not isinstance(table, dict):
            raise BriefError(f'{path}: replace must be a table (expected [replace] then name = "Markdown")')
        for name, value in table.items():
            if not isinstance(value, str):
                raise BriefError(
                    f"{path}: replace.{name}: expected the Markdown that replaces {name} as text, got {type(value).__name__}"
                )
        return cls(dict(table), str(path))

    def __contains__(self, name: str) -> bool:
        return name in self.templates

    def wants_inner(self, name: str) -> bool:
        """Whether the replacement of ``name`` uses ``{inner}``, so that the reader takes the closing tag with it."""
        return any(m["name"] == "inner" for m in _PLACEHOLDER.finditer(self.templates.get(name, "")))

    def apply(self, name: str, params: Params, inner: str | None = None) -> tuple[str | None, str]:
        """The replacement of one construct, or (None, why) when the map has no entry for it or
        the entry names a parameter the construct does not give."""
        template = self.templates.get(name)
        if template is None:
            return None, "no entry in the map"
        missing: list[str] = []

        def fill(match: re.Match[str]) -> str:
            token = match[0]
            if token in ("{{", "}}"):
                return token[0]
            key, default = match["name"], match["default"]
            if key == "inner":
                value = inner
            elif key.isdigit():
                value = params.positional[int(key)] if int(key) < len(params.positional) else None
            else:
                value = params.named.get(key)
            if value is None:
                if default is None:
                    missing.append(key)
                    return ""
                return default
            return value

        text = _PLACEHOLDER.sub(fill, template)
        if missing:
            return None, f"the map's entry uses {{{missing[0]}}}, which this {name} does not give"
        return text, ""
