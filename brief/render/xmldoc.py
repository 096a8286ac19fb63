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
    """``root`` serialized as a UTF-8 document with a double-quoted XML declaration. Written
    as bytes straight away: a feed of long articles is never also held as text."""
    buffer = io.BytesIO()
    buffer.write(XML_DECLARATION.encode("ascii"))
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=False)
    buffer.write(b"\n")
    return buffer.getvalue()
