"""Reading an export or feed file as XML, safely, with the line each element starts on.

expat (Python's XML parser) builds an :mod:`xml.etree.ElementTree` tree here, with two
changes to what ``ElementTree.parse`` does: an entity declaration (``<!ENTITY …>``, the way
to "billion laughs" and to reading local files through external entities) stops the
parse, and each element's line is kept, so that the import report can say where in a
50 MB export a construct is. Namespaced names are written with the usual prefixes
(``wp:post_name``, ``content:encoded``, ``atom:entry``), whatever the file called them
and whichever version of the WordPress namespace (1.0 to 1.2, http or https) it uses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

PREFIXES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), prefix)
    for pattern, prefix in (
        (r"https?://wordpress\.org/export/[\d.]+/excerpt/?", "excerpt"),
        (r"https?://wordpress\.org/export/[\d.]+/?", "wp"),
        (r"http://purl\.org/rss/1\.0/modules/content/?", "content"),
        (r"http://purl\.org/dc/elements/1\.1/?", "dc"),
        (r"http://wellformedweb\.org/CommentAPI/?", "wfw"),
        (r"http://www\.w3\.org/2005/Atom", "atom"),
        (r"https?://search\.yahoo\.com/mrss/?", "media"),
        (r"http://www\.w3\.org/XML/1998/namespace", "xml"),
        (r"http://www\.w3\.org/1999/xhtml", "xhtml"),
        (r"http://rssnamespace\.org/feedburner/ext/1\.0", "feedburner"),
    )
)
"""Namespace URI → the prefix this package names its elements with."""
_BAD_CHARACTERS = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


class XmlError(Exception):
    """The file is not well-formed XML, or declares entities."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass
class XmlDoc:
    root: ET.Element
    lines: dict[ET.Element, int] = field(default_factory=dict)
    removed_characters: int = 0
    """Control characters XML does not allow (some exports hold them), removed before parsing."""

    def line(self, element: ET.Element | None) -> int | None:
        return None if element is None else self.lines.get(element)


def _name(raw: str, prefixes: dict[str, str]) -> str:
    """``uri}local}prefix`` (expat's form) → ``prefix:local``, with the known prefixes."""
    parts = raw.split("}")
    if len(parts) == 1:
        return raw
    uri, local = parts[0], parts[1]
    known = prefixes.get(uri)
    if known is None:
        known = next((p for rx, p in PREFIXES if rx.fullmatch(uri)), "")
        prefixes[uri] = known
    if known:
        return f"{known}:{local}"
    written = parts[2] if len(parts) > 2 else ""
    return f"{written}:{local}" if written else local


def parse(path: Path) -> XmlDoc:
    """The file's tree; :class:`XmlError` (with the line) when it is not XML brief reads."""
    data = path.read_bytes()
    data, removed = _BAD_CHARACTERS.subn(b"", data)
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    prefixes: dict[str, str] = {}
    parser = expat.ParserCreate(namespace_separator="}")
    parser.namespace_prefixes = True
    parser.buffer_text = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(name: str, attrs: dict[str, str]) -> None:
        element = builder.start(_name(name, prefixes), {_name(k, prefixes): v for k, v in attrs.items()})
        lines[element] = parser.CurrentLineNumber

    def entity(*_args: object) -> None:
        raise XmlError(parser.CurrentLineNumber, "it declares an entity (<!ENTITY …>), which brief never reads")

    def external(*_args: object) -> int:
        raise XmlError(parser.CurrentLineNumber, "it refers to an external entity, which brief never reads")

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(_name(name, prefixes))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) or "unreadable"
        reason = reason.removeprefix("not well-formed ").strip("()") or reason
        raise XmlError(exc.lineno, f"not well-formed XML ({reason})") from None
    root = builder.close()
    return XmlDoc(root, lines, removed)


def text(element: ET.Element | None) -> str:
    """An element's text (CDATA or not), "" when absent."""
    return "" if element is None else (element.text or "")


def child(element: ET.Element, name: str) -> ET.Element | None:
    """The first child named ``name`` (``wp:post_name``), or None."""
    for kid in element:
        if kid.tag == name:
            return kid
    return None


def children(element: ET.Element, name: str) -> list[ET.Element]:
    return [kid for kid in element if kid.tag == name]


def child_text(element: ET.Element, name: str) -> str:
    return text(child(element, name)).strip()
