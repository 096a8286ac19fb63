"""What ``html = "safe"`` keeps of raw HTML: elements, attributes, URLs, and where each may stand.

:mod:`brief.render.htmlwalk` walks raw HTML with these lists; nh3 (ammonia, the Rust
sanitiser) then checks what the walk wrote against the same lists (:func:`verified`). The
tables of where each element may stand (KIND, TABLE_RANK, WRAPPERS) feed the content rules of
:mod:`brief.render.htmltree`, a small model of HTML's: a list item only in a list, table parts
only in a table, no block inside a paragraph's text, no link inside a link. What they keep is
valid HTML (the W3C Nu checker's rules), so raw HTML from an import never makes a page invalid.
"""

from __future__ import annotations

import re
from datetime import date, time
from html.parser import HTMLParser

import nh3


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
PHRASING = _names(
    "a abbr b bdi br cite code del dfn em i img ins kbd mark q s samp small span strong sub sup time u var wbr"
)
"""Inline elements: they may stand in a paragraph's text."""
BLOCKS = _names("p div ul ol dl table figure details blockquote pre hr section") | HEADINGS
STRUCTURE = _names("li dt dd caption colgroup col thead tbody tfoot tr td th summary figcaption")
"""Elements that belong in one kind of parent only."""
TAGS = PHRASING | BLOCKS | STRUCTURE
"""Every element kept (``<h1>`` is written as ``<h2>``: the headline is the page's only h1)."""
VOID = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param"))
VOID |= frozenset(("source", "track", "wbr", "frame", "image", "basefont", "bgsound"))
TABLE_TAGS = _names("table caption colgroup col thead tbody tfoot tr td th")

DROPPED = _names(
    "script style template noscript textarea select svg math object applet embed frame frameset noembed noframes "
    "title head xmp plaintext audio video canvas dialog"
)
"""Elements removed with everything inside them (a script's code is not article text)."""
RAW_TEXT = _names("script style textarea title xmp iframe noembed noframes noscript plaintext")
"""Their content ends at the first matching end tag, whatever it holds (as browsers read it)."""

FLOW_HOLDERS = _names("div li dd td th blockquote section figcaption details figure")
KIND = {
    **dict.fromkeys(FLOW_HOLDERS, "flow"),
    **dict.fromkeys(PHRASING | HEADINGS | {"p", "pre", "summary", "dt", "caption"}, "phrasing"),
    "ul": "li",
    "ol": "li",
    "dl": "dl",
    "table": "table",
    **dict.fromkeys(("thead", "tbody", "tfoot"), "rows"),
    "tr": "cells",
    "colgroup": "cols",
}
"""What each kept element may hold: flow (blocks and text), phrasing (inline elements and
text), or one kind of child."""
TABLE_RANK = {"caption": 0, "colgroup": 1, "col": 1, "thead": 2, "tbody": 3, "tr": 3, "td": 3, "th": 3, "tfoot": 4}
"""A table's parts in the order HTML wants them; caption, thead and tfoot at most once."""
WRAPPERS: dict[str, dict[str, tuple[str, ...]]] = {
    "table": {"tr": ("tbody",), "td": ("tbody", "tr"), "th": ("tbody", "tr"), "col": ("colgroup",)},
    "rows": {"td": ("tr",), "th": ("tr",)},
}
"""Elements HTML puts in for you (``<table><tr>`` is ``<table><tbody><tr>``), written out."""
CLOSED_BY_BLOCK = PHRASING | HEADINGS | {"p", "pre", "summary"}
"""Open elements a block start ends, as a browser ends an open ``<p>`` at a ``<div>``."""

GLOBAL = frozenset(("id", "class", "title", "lang", "dir"))
ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset(("href",)),
    "img": frozenset(("src", "alt", "width", "height")),
    "td": frozenset(("colspan", "rowspan")),
    "th": frozenset(("colspan", "rowspan", "scope", "abbr")),
    "ol": frozenset(("start", "reversed", "type")),
    "li": frozenset(("value",)),
    "details": frozenset(("open",)),
    "blockquote": frozenset(("cite",)),
    "q": frozenset(("cite",)),
    "del": frozenset(("cite", "datetime")),
    "ins": frozenset(("cite", "datetime")),
    "time": frozenset(("datetime",)),
    "col": frozenset(("span",)),
    "colgroup": frozenset(("span",)),
}
BOOLEAN = frozenset(("open", "reversed"))
URL_ATTRIBUTES = frozenset(("href", "src", "cite"))
SCHEMES = _names(
    "bitcoin ftp ftps geo http https im irc ircs magnet mailto mms mx news nntp openpgp4fpr sip sms smsto ssh tel url "
    "webcal wtai xmpp"
)
"""URL schemes a link may use (ammonia's default list: http, https, mailto, tel, …); a URL
without a scheme (a path, ``#part``, ``other.md``) is fine."""

_BRIEF_IMAGE = {
    "img": frozenset(("srcset", "sizes", "loading", "decoding")),
    "source": frozenset(("type", "srcset", "sizes")),
}
NH3_POLICY: dict = {
    "tags": set(TAGS | {"picture", "source"}),
    "attributes": {
        "*": set(GLOBAL),
        **{tag: set(names | _BRIEF_IMAGE.get(tag, frozenset())) for tag, names in ATTRIBUTES.items()},
        "source": set(_BRIEF_IMAGE["source"]),
    },
    "url_schemes": set(SCHEMES),
    "link_rel": None,
    "strip_comments": True,
}
"""nh3's arguments: the lists above, plus the responsive-image markup brief itself adds to a
local ``<img>`` (``srcset``, ``<picture>``)."""

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f]")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*")
_NUMBER = re.compile(r"[0-9]+")
_INTEGER = re.compile(r"-?[0-9]+")


def url_problem(value: str) -> str | None:
    """Why a URL in raw HTML is refused, or None. Judged as a browser reads it: tabs, newlines
    and control characters anywhere do not count, case does not matter."""
    match = _SCHEME.match(_INVISIBLE.sub("", value).lower())
    if match is None or match.group(1) in SCHEMES:
        return None
    return f"{match.group(1)}: URLs are never kept"


def _in_range(value: str, low: int, high: int) -> bool:
    return bool(_NUMBER.fullmatch(value)) and low <= int(value) <= high


_MONTH = r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})"
_DAY = r"(?:-(?P<day>[0-9]{2}))"
_TIME = r"(?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.[0-9]{1,3})?)?"
_ZONE = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?"
_DATETIMES = (re.compile(_MONTH + _DAY + "?"), re.compile(_TIME), re.compile(_MONTH + _DAY + "[T ]" + _TIME + _ZONE))


def _datetime(value: str) -> bool:
    """A date, a month, a time or a date and time, as HTML's ``datetime`` attribute wants them."""
    for pattern in _DATETIMES:
        match = pattern.fullmatch(value)
        if match is None:
            continue
        parts = {name: int(number) for name, number in match.groupdict().items() if number}
        try:
            if "year" in parts:
                date(parts["year"], parts["month"], parts.get("day", 1))
            time(parts.get("hour", 0), parts.get("minute", 0), parts.get("second", 0))
        except ValueError:
            return False
        return True
    return False


_VALUES = {
    "width": (lambda v: bool(_NUMBER.fullmatch(v)), "expected a whole number of pixels"),
    "height": (lambda v: bool(_NUMBER.fullmatch(v)), "expected a whole number of pixels"),
    "colspan": (lambda v: _in_range(v, 1, 1000), "expected a whole number from 1 to 1000"),
    "rowspan": (lambda v: _in_range(v, 0, 65534), "expected a whole number from 0 to 65534"),
    "span": (lambda v: _in_range(v, 1, 1000), "expected a whole number from 1 to 1000"),
    "start": (lambda v: bool(_INTEGER.fullmatch(v)), "expected a whole number"),
    "value": (lambda v: bool(_INTEGER.fullmatch(v)), "expected a whole number"),
    "type": (lambda v: v in ("1", "a", "A", "i", "I"), "expected 1, a, A, i or I"),
    "scope": (lambda v: v in ("row", "col", "rowgroup", "colgroup"), "expected row, col, rowgroup or colgroup"),
    "dir": (lambda v: v in ("ltr", "rtl", "auto"), "expected ltr, rtl or auto"),
    "lang": (lambda v: v == "" or bool(_LANGUAGE.fullmatch(v)), "expected a language tag such as en or pt-BR"),
    "id": (lambda v: v != "" and not re.search(r"[\t\n\f\r ]", v), "expected a name without spaces"),
    "datetime": (_datetime, "expected a date or time such as 2024-05-01 or 2024-05-01T09:30Z"),
}


def attribute_problem(tag: str, name: str, value: str) -> str | None:
    """Why attribute ``name`` of a kept ``<tag>`` is removed, or None when it stays."""
    if name.startswith("on"):
        return "event handlers never run from an article"
    if name == "style":
        return "inline styles are not kept: the theme styles the page"
    if name not in GLOBAL and name not in ATTRIBUTES.get(tag, ()):
        return "not among the attributes kept in safe mode"
    if name in URL_ATTRIBUTES:
        return url_problem(value)
    check = _VALUES.get(name)
    if check is not None and not check[0](value):
        return check[1]
    return None


def placement_problem(tag: str, parent: str | None, inline: bool) -> str:
    """Why a kept element cannot stand where it was written (its text is kept)."""
    if tag == "li":
        return "a list item belongs in <ul> or <ol>"
    if tag in ("dt", "dd"):
        return "it belongs in <dl>"
    if tag in TABLE_TAGS and tag != "table":
        return "it belongs in a table" + (" row" if tag in ("td", "th") else "")
    if tag == "summary":
        return "it must come first in <details>"
    if tag == "figcaption":
        return "it must be the first or last thing in <figure>, and there only once"
    if tag == "a":
        return "it stood inside another link"
    if inline:
        return (
            "inside a paragraph only inline elements (<span>, <a>, <em>, …) can stand; "
            "put an HTML block on lines of its own, after a blank line"
        )
    return f"it cannot stand inside <{parent}>" if parent else "it cannot stand here"


def shorten(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def escape_text(text: str) -> str:
    """Text as html5ever (nh3's parser) writes it, so that nh3's check compares like with like."""
    return text.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_value(value: str) -> str:
    return escape_text(value).replace('"', "&quot;")


def start_tag(tag: str, attrs: list[tuple[str, str]]) -> str:
    return f"<{tag}" + "".join(f' {name}="{escape_value(value)}"' for name, value in attrs) + ">"


def verified(html: str) -> bool:
    """True when nh3, with the same lists, gives back ``html`` unchanged: the walk kept nothing
    nh3 would remove, and wrote its elements as a browser's parser reads them. Compared as
    parsed (tags, attributes and text, entities decoded): nh3's versions escape ``<`` in an
    attribute value or not, which changes nothing a browser reads."""
    cleaned = nh3.clean(html, **NH3_POLICY)
    return cleaned == html or _Events.of(cleaned) == _Events.of(html)


class _Events(HTMLParser):
    """The start tags (with attributes), end tags and text of a piece of HTML, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, object]] = []

    @classmethod
    def of(cls, html: str) -> list[tuple[str, object]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append(("start", (tag, attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.found.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.found and self.found[-1][0] == "text":
            data = str(self.found.pop()[1]) + data
        self.found.append(("text", data))

    def handle_comment(self, data: str) -> None:
        self.found.append(("comment", data))
