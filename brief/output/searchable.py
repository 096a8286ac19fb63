"""The part of a page that Pagefind reads, so that it is given no more to parse.

An article page is some 14 KB; what Pagefind indexes of it is the element marked
``data-pagefind-body`` less the elements marked ``data-pagefind-ignore="all"`` (the share
links and related articles), about a third of that. Pagefind parses every byte it is
given, so :func:`searchable_part` gives it the ``<html>`` tag, the ``<title>``, the body
element without the parts it would drop, and everything after the body element as it is.
Its index is then the same, byte for byte (tests/output/test_search_feed.py), because
what was left out is what Pagefind reads nothing from. That holds when:

- the page has one ``data-pagefind-body`` element, in a start tag;
- before it there is no ``data-pagefind-*`` attribute (a filter, meta or sort) and no
  ``<h1>`` (Pagefind's default title is the first one on the page);
- the markup before it and inside it has no comment, raw-text or foreign element left
  open, so that tags found by looking are the tags a parser finds.

Otherwise, or when in any doubt, the whole page is given.
"""

from __future__ import annotations

import bisect
import re

_ATTRIBUTE = rb"""\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_START_TAG = re.compile(rb"<([a-z][a-z0-9-]*)((?:" + _ATTRIBUTE + rb")*)\s*(/?)>")
_ATTRIBUTES = re.compile(rb"""\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
_HTML_TAG = re.compile(rb"\s*(?:<!doctype[^>]*>\s*)?(<html(?:" + _ATTRIBUTE + rb")*\s*>)")
_TITLE = re.compile(rb"<title(?:" + _ATTRIBUTE + rb")*\s*>")
_OPENER = re.compile(
    rb"<(?:(!--)|(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)(?=[\s/>])|!\[cdata\[|plaintext)"
)
"""The start of a comment or of an element whose content is text, not tags (group 2: its name)."""
_END_TAG_NEXT = frozenset(b" \t\n\r\f/>")
_VOID = frozenset(b"area base br col embed hr img input keygen link meta param source track wbr".split())


def searchable_part(page: bytes) -> bytes:
    """``page`` without what Pagefind reads nothing from, or all of it when unsure."""
    low = page.lower()
    marker = low.find(b"data-pagefind-body")
    if marker < 0 or low.find(b"data-pagefind-body", marker + 1) >= 0:
        return page
    start = low.rfind(b"<", 0, marker)
    tag = _START_TAG.match(low, start)
    if tag is None or tag.end() <= marker or tag.group(3) or _attribute(tag.group(2), b"data-pagefind-body") is None:
        return page
    raw, left_open = _raw_text(low)
    end = _element_end(low, tag.end(), tag.group(1), raw)
    html = _HTML_TAG.match(low)
    if end is None or html is None or left_open < end or _inside(raw, start):
        return page
    before = low[html.end() : start]
    if b"data-pagefind" in before or b"<h1" in before:
        return page
    title = _TITLE.search(low, html.end(), start)
    title_end = _end_of(low, title.end(), b"title") if title is not None else None
    return b"".join(
        [
            page[html.start(1) : html.end(1)],
            b"<head>",
            page[title.start() : title_end] if title is not None and title_end is not None else b"",
            b"</head><body>",
            page[start : tag.end()],
            _without_excluded(page, low, tag.end(), end, raw),
            page[end:],
        ]
    )


def _raw_text(low: bytes) -> tuple[list[tuple[int, int]], int]:
    """The comments and raw-text elements of ``low`` as (start, end), and where the first one
    left open (or a CDATA section, or ``<plaintext>``) starts: the length of ``low`` if none."""
    spans: list[tuple[int, int]] = []
    at = 0
    while (opener := _OPENER.search(low, at)) is not None:
        if opener.group(1):
            close = low.find(b"-->", opener.end())
            end = close + 3 if close >= 0 else None
        else:
            end = _end_of(low, opener.end(), opener.group(2)) if opener.group(2) else None
        if end is None:
            return spans, opener.start()
        spans.append((opener.start(), end))
        at = end
    return spans, len(low)


def _end_of(low: bytes, at: int, name: bytes) -> int | None:
    """Where the end tag ``</name>`` found from ``at`` ends, or None."""
    closing = b"</" + name
    while (found := low.find(closing, at)) >= 0:
        after = found + len(closing)
        if after < len(low) and low[after] in _END_TAG_NEXT:
            close = low.find(b">", after)
            return close + 1 if close >= 0 else None
        at = after
    return None


def _inside(spans: list[tuple[int, int]], at: int) -> bool:
    i = bisect.bisect_right(spans, (at, 1 << 62)) - 1  # the last span starting at or before ``at``
    return i >= 0 and spans[i][0] <= at < spans[i][1]


def _attribute(attributes: bytes, name: bytes) -> bytes | None:
    """The value of the attribute ``name`` in a start tag's ``attributes`` (b"" when it has
    none), or None when the tag has no such attribute."""
    for found in _ATTRIBUTES.finditer(attributes):
        if found.group(1) == name:
            return next((value for value in found.groups()[1:] if value is not None), b"")
    return None


def _element_end(low: bytes, inside: int, name: bytes, raw: list[tuple[int, int]]) -> int | None:
    """Where the element named ``name`` whose start tag ends at ``inside`` ends (after its end
    tag), counting nested elements of that name and passing over comments and raw text;
    None when that cannot be told."""
    if name in _VOID:
        return inside
    opening, closing = b"<" + name, b"</" + name
    depth = 1
    at = inside
    while True:
        close = low.find(closing, at)
        if close < 0:
            return None
        nested = low.find(opening, at, close)
        found, size = (nested, len(opening)) if nested >= 0 else (close, len(closing))
        at = found + size
        if at >= len(low) or low[at] not in _END_TAG_NEXT or _inside(raw, found):
            continue
        gt = low.find(b">", at)
        if gt < 0:
            return None
        depth += 1 if nested >= 0 else -1
        at = gt + 1
        if depth == 0:
            return at


def _without_excluded(page: bytes, low: bytes, start: int, end: int, raw: list[tuple[int, int]]) -> bytes:
    """``page[start:end]`` without the elements marked ``data-pagefind-ignore="all"``: Pagefind
    takes neither text, filters, meta nor anchors from them. Left whole when it holds comments
    or raw text, or when such an element cannot be told apart for sure."""
    whole = page[start:end]
    if any(start < span_end and span_start < end for span_start, span_end in raw):
        return whole
    kept: list[bytes] = []
    at = look = start  # kept up to ``at``, looked at up to ``look``
    while (mark := low.find(b"data-pagefind-ignore", look, end)) >= 0:
        opening = low.rfind(b"<", look, mark)
        tag = _START_TAG.match(low, opening) if opening >= 0 else None
        if tag is None or tag.end() <= mark:
            return whole
        value = _attribute(tag.group(2), b"data-pagefind-ignore")
        if value is None:
            return whole
        look = tag.end()
        if value.strip() != b"all":  # ignored for its text only: it stays
            continue
        close = _element_end(low, tag.end(), tag.group(1), raw)
        if close is None or close > end:
            return whole
        kept.append(page[at:opening])
        at = look = close
    kept.append(page[at:end])
    return b"".join(kept)
