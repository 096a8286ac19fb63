"""XML documents for feeds and sitemaps: text cleaned of what XML 1.0 cannot hold, and serialised."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


# XML 1.0 allows tab, newline, carriage return and everything from U+0020 up,
# except surrogates and U+FFFE/U+FFFF.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (control characters other than tab, LF, CR)."""
    return _ILLEGAL_XML.sub("", text)


def xml_document(root: ET.Element) -> bytes:
    """``root`` serialized as a UTF-8 document with a double-quoted XML declaration, the bytes
    :func:`tree_document` (ElementTree) makes, written here for the trees brief builds (tags
    and attribute names without a namespace in braces, text and values that are strings):
    ElementTree's own writer first walks the tree for namespaces, then encodes each piece as
    it writes it (feeds of 10,000 articles: half of their time). Any other tree goes to it."""
    written = _document(root, [])
    return written if written is not None else tree_document(root)


def indented_text(element: ET.Element, level: int) -> str | None:
    """``element`` as :func:`indented_document` writes it among the children of a level
    ``level - 1`` element (``ET.indent`` at ``level``; the indentation after it is the
    document's): None for an element with a tail of its own, or one :func:`xml_document`
    would leave to ElementTree."""
    if element.tail and element.tail.strip():
        return None
    ET.indent(element, level=level)
    tail, element.tail = element.tail, None
    parts: list[str] = []
    try:
        _serialize(element, parts.append)
    except _NotPlain:
        return None
    finally:
        element.tail = tail
    return "".join(parts)


def indented_document(root: ET.Element, more: list[str]) -> bytes | None:
    """:func:`xml_document` of ``root`` with ``more`` children after its own, the whole
    indented by ``ET.indent``: each of ``more`` an element's text as :func:`indented_text`
    makes it at level 1 (an element shown in many documents is written once). None when
    ``root`` has no children of its own, a tail, a last child with a tail of its own before
    ``more``, or :func:`xml_document` would leave it to ElementTree."""
    last = root[-1] if len(root) else None
    if last is None or root.tail or (more and last.tail and last.tail.strip()):
        return None
    ET.indent(root)
    if more:
        last.tail = "\n  "  # (what ET.indent gives a child that is not the last)
    return _document(root, more)


def _document(root: ET.Element, more: list[str]) -> bytes | None:
    """The document of ``root`` with the texts ``more`` before its end tag (``root`` then has
    no tail), one indented level apart; None for a tree left to ElementTree."""
    parts = [XML_DECLARATION]
    try:
        _serialize(root, parts.append)
    except _NotPlain:
        return None
    if more:
        close = parts.pop()  # (the root's end tag: no tail)
        parts += ["\n  ".join(more), "\n", close]
    parts.append("\n")
    return "".join(parts).encode("utf-8", "xmlcharrefreplace")


def tree_document(root: ET.Element) -> bytes:
    """:func:`xml_document` by ElementTree, written as bytes straight away."""
    buffer = io.BytesIO()
    buffer.write(XML_DECLARATION.encode("ascii"))
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=False)
    buffer.write(b"\n")
    return buffer.getvalue()


class _NotPlain(Exception):
    """A tree :func:`_serialize` leaves to ElementTree (a namespace, a comment, a value that is no string)."""


def _serialize(element: ET.Element, write) -> None:
    """``element`` as ElementTree writes it (short empty elements, attributes in their order)."""
    tag, text = element.tag, element.text
    if not isinstance(tag, str) or tag[:1] == "{" or not (text is None or isinstance(text, str)):
        raise _NotPlain
    write("<" + tag)
    for name, value in element.attrib.items():
        if not isinstance(name, str) or name[:1] == "{" or not isinstance(value, str):
            raise _NotPlain
        write(f' {name}="{_escape_attribute(value)}"')
    if text or len(element):
        write(">")
        if text:
            write(escape_xml_text(text))
        for child in element:
            _serialize(child, write)
        write("</" + tag + ">")
    else:
        write(" />")
    tail = element.tail
    if tail:
        if not isinstance(tail, str):
            raise _NotPlain
        write(escape_xml_text(tail))


_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"))
_ATTRIBUTE_ESCAPES = (*_TEXT_ESCAPES, ('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def escape_xml_text(text: str) -> str:
    """Character data escaped as ElementTree escapes it."""
    return _escaped(text, _TEXT_ESCAPES)


def _escape_attribute(text: str) -> str:
    """An attribute value escaped as ElementTree escapes it."""
    return _escaped(text, _ATTRIBUTE_ESCAPES)


def _escaped(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    for plain, escaped in escapes:
        if plain in text:  # (most text has none: no new string)
            text = text.replace(plain, escaped)
    return text
