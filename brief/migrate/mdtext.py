"""Markdown written by the importers: text escaped only where Markdown would read markup,
images, links and media links, tidy spacing, and blocks of Markdown made before an HTML
conversion (:class:`Blocks`).

Escaping keeps ordinary text readable: ``snake_case``, ``2 * 3``, a URL or ``[1]`` stay as
written, while ``*stars*``, ``<b>`` written as text, ``&copy;`` written out, or ``1.``,
``#`` and ``:::`` at the start of a line are escaped, so that brief shows the text the
source showed.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_URL = re.compile(r"https?://[^\s<>\"]+")
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE_START = (
    (re.compile(r"(#{1,6}|[-+*]|~~~)(?=\s|$)"), r"\\\1"),
    (re.compile(r"(\d{1,9})([.)])(?=\s|$)"), r"\1\\\2"),
    (re.compile(r"([-=_*])(?=(?:\s*[-=_*])*\s*$)"), r"\\\1"),
    (re.compile(r"(\[)(?=[^\]]*\]:)"), r"\\\1"),
    (re.compile(r"(>|:::)"), r"\\\1"),
)
_TOKEN = re.compile(r"([ \t]*)BRIEFBLOCK(\d+)END")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_BLOCK_END = re.compile(r"<(?:br|hr|/(?:p|div|li|h[1-6]|td|th|tr|blockquote|figcaption|dd|dt|pre))\b[^>]*>", re.I)


class Blocks:
    """Markdown made before the HTML is converted (a shortcode's figure, an embed's URL),
    standing in the HTML as a token of letters and digits that no conversion changes."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def add(self, markdown: str) -> str:
        self.texts.append(markdown)
        return f"BRIEFBLOCK{len(self.texts) - 1}END"

    def fill(self, text: str) -> str:
        """``text`` with each token replaced; a token in a list item or a quote keeps its
        continuation lines inside it, one at the start of a line loses the spaces before it."""

        def put(match: re.Match[str]) -> str:
            spaces, index = match[1], int(match[2])
            if index >= len(self.texts):
                return match[0]
            value = self.fill(self.texts[index])
            start = text.rfind("\n", 0, match.start()) + 1
            lead = text[start : match.start()]
            if not lead:
                return value  # at the start of a line: the spaces before the token go
            prefix = lead + spaces
            if re.fullmatch(r"[> ]*", prefix):
                indent = prefix
            elif re.fullmatch(r"[> ]*(?:[-+*]|\d{1,9}[.)]) +", prefix):
                indent = " " * len(prefix)
            else:
                indent = ""  # in a line of text: the block goes in as it is
            return spaces + (value.replace("\n", "\n" + indent) if indent else value)

        return _TOKEN.sub(put, text)


def plain_text(html: str) -> str:
    """The text of ``html``, tags removed and white space collapsed (for captions and deks)."""
    if "<" not in html and "&" not in html:
        return " ".join(html.split())
    html = _BLOCK_END.sub(" ", html)  # a paragraph's end separates words; an <em> does not
    return " ".join(BeautifulSoup(html, "html.parser").get_text().split())


def tidy(text: str) -> str:
    """Trailing spaces off, at most one blank line between blocks (never inside a fence), one final newline."""
    out: list[str] = []
    fence = ""
    blank = 0
    for line in text.split("\n"):
        opener = _FENCE.match(line)
        if fence:
            out.append(line)
            if (
                opener
                and opener.group(1)[0] == fence[0]
                and len(opener.group(1)) >= len(fence)
                and not line.strip(fence[0] + " ")
            ):
                fence = ""
            continue
        line = line.rstrip()
        if not line.strip(" \u00a0"):
            blank += 1
            continue
        if out and blank:
            out.append("")
        blank = 0
        out.append(line)
        if opener:
            fence = opener.group(1)
    return "\n".join(out).strip("\n") + "\n" if out else ""


def escape_text(text: str, *, in_link: bool = False, in_cell: bool = False) -> str:
    """``text`` with what Markdown would read as markup escaped, and nothing else (URLs untouched)."""
    pieces: list[str] = []
    last = 0
    for match in _URL.finditer(text):
        pieces.append(_escape_plain(text[last : match.start()], in_link, in_cell))
        pieces.append(match[0].replace("|", "\\|") if in_cell else match[0])
        last = match.end()
    pieces.append(_escape_plain(text[last:], in_link, in_cell))
    return "".join(pieces)


def _escape_plain(text: str, in_link: bool, in_cell: bool) -> str:
    def one(match: re.Match[str]) -> str:
        c, i = match[0], match.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if c == "\\":
            return "\\\\" if not after or after in _PUNCTUATION else c
        if c == "*":
            return c if before.isspace() and after.isspace() else "\\*"
        if c == "_":
            return c if before.isalnum() and after.isalnum() else "\\_"
        if c == "<":
            return "\\<" if re.match(r"[A-Za-z/!?]", after) else c
        if c == "&":
            return "\\&" if _ENTITY.match(text, i) else c
        if c in "[]":
            return "\\" + c if in_link or (c == "]" and after in ("(", "[")) else c
        if c == "~":
            return "\\~" if "~" in (before, after) else c
        if c == "^":
            return "\\^" if after == "[" else c
        if c == "|":
            return "\\|" if in_cell else c
        return "\\`"

    return re.sub(r"[\\`*_<&\[\]~^|]", one, text)


def escape_line_start(text: str) -> str:
    """Escape what would start a heading, list, quote, rule or ``:::`` block at a line's start."""
    for pattern, replacement in _LINE_START:
        new = pattern.sub(replacement, text, count=1) if pattern.match(text) else text
        if new != text:
            return new
    return text


def image_markdown(src: str, alt: str, title: str = "") -> str:
    """``![alt](src "title")``, with ``<…>`` around a destination that holds spaces or parentheses."""
    alt = escape_text(" ".join(alt.split()), in_link=True)
    dest = f"<{src}>" if re.search(r"[\s()<>]", src) else src
    title = " ".join(title.split()).replace("\\", "\\\\").replace('"', '\\"')
    return f"![{alt}]({dest}" + (f' "{title}")' if title else ")")


def link_destination(href: str) -> str:
    return f"<{href}>" if re.search(r"[\s()<>]", href) else href


def media_link(kind: str, url: str, name: str = "") -> str:
    """``[Video: clip.mp4](url)``: what brief shows for a video or audio file."""
    label = name or url.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or url
    noun = "Video" if kind == "video" else "Audio"
    return f"[{noun}: {escape_text(label, in_link=True)}]({link_destination(url)})"
