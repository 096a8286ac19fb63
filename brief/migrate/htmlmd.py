"""HTML → brief Markdown, for WordPress bodies and feed entries.

Built on markdownify (MIT; BeautifulSoup underneath), with what brief needs on top:
ATX headings, ``*``/``**`` emphasis, ``-`` bullets, a backslash for ``<br>``; an image
keeps its alt text and title; ``<figure><img><figcaption>`` becomes
``![alt](src "caption")`` alone in its paragraph (brief's figure); a simple table becomes
a pipe table and any other (cells spanning rows or columns, blocks in cells) stays HTML,
which brief's safe mode keeps valid; an ``<iframe>`` or a tweet's ``<blockquote>`` of a
provider brief embeds becomes the provider's URL alone on its line; ``<pre><code
class="language-x">`` a fence with the language; ``<video>``/``<audio>`` (which safe mode
removes) a link to the file.

Text is escaped only where Markdown would read it as markup: ``snake_case``, ``2 * 3``,
a URL or ``[1]`` stay as written, while ``*stars*``, ``<b>`` written as text, ``1.`` or
``#`` at the start of a line are escaped. Every construct converted is counted in the
report; an ``<iframe>`` of another host is kept as HTML and listed, by host.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from brief.migrate.htmlblocks import EMBED_QUOTES, BlockConverter, classes
from brief.migrate.mdtext import Blocks, escape_line_start, escape_text, link_destination, tidy
from brief.migrate.report import Report

__all__ = ["BLOCK_NAMES", "Blocks", "to_markdown"]

_BLOCKS = (
    "p div li ul ol blockquote h1 h2 h3 h4 h5 h6 td th tr table section article figure figcaption header footer aside"
)
BLOCK_NAMES = frozenset((_BLOCKS + " main nav dd dt dl pre details summary center address hr").split())
"""Elements after which (or at whose start) text starts a new line."""


def to_markdown(html: str, *, report: Report, source: str, line: int | None, blocks: Blocks | None = None) -> str:
    """``html`` as brief Markdown; ``line`` is where it starts in ``source`` (for the report)."""
    blocks = blocks if blocks is not None else Blocks()
    converter = _Converter(report, source, line or 1)
    soup = BeautifulSoup(html, "html.parser")
    _footnotes(soup, converter, blocks)
    text = converter.convert_soup(soup)
    return tidy(blocks.fill(text))


def _footnotes(soup: BeautifulSoup, converter: _Converter, blocks: Blocks) -> None:
    """HTML footnotes (kramdown's, Python-Markdown's, Hugo's, pandoc's: a list of notes with
    ids, referred to by links to them) → Markdown's ``[^1]``, since the ids do not survive."""
    notes: dict[str, tuple[int, Tag]] = {}
    for box in soup.find_all(_NOTES_BOX):
        for item in box.find_all("li", id=True):
            notes.setdefault(str(item["id"]), (len(notes) + 1, item))
    if not notes:
        return
    for link in soup.find_all("a", href=True):
        target = str(link["href"])[1:] if str(link["href"]).startswith("#") else ""
        if target in notes and not link.find_parent(_NOTES_BOX):
            holder = link.parent if isinstance(link.parent, Tag) and link.parent.name == "sup" else link
            holder.replace_with(blocks.add(f"[^{notes[target][0]}]"))
    lines = []
    for number, item in notes.values():
        for back in item.find_all("a", href=re.compile(r"^#")):
            back.decompose()  # the link back to the text
        text = converter.convert_soup(BeautifulSoup(item.decode_contents(), "html.parser"))
        lines.append(f"[^{number}]: " + " ".join(blocks.fill(text).split()))
    boxes = soup.find_all(_NOTES_BOX)
    boxes[0].replace_with(blocks.add("\n\n" + "\n".join(lines) + "\n\n"))
    for box in boxes[1:]:
        box.decompose()
    converter.report.convert("HTML footnotes → Markdown footnotes")


def _NOTES_BOX(tag: Tag) -> bool:  # noqa: N802 - a BeautifulSoup filter, named as the element it finds
    """The element holding a text's footnotes: ``<div class="footnotes">``, ``role="doc-endnotes"``…"""
    names = " ".join(classes(tag))
    return (
        tag.name in ("div", "section", "ol", "aside")
        and ("footnote" in names or tag.get("role") == "doc-endnotes")
        and tag.find_parent(_NOTES_BOX) is None
    )


def _language(tag: Tag) -> str:
    """A code block's language, from ``language-x``/``lang-x`` classes, ``brush: x`` or ``data-lang``."""
    for node in (tag, tag.find("code")):
        if not isinstance(node, Tag):
            continue
        for name in classes(node):
            for prefix in ("language-", "lang-"):
                if name.startswith(prefix) and re.fullmatch(r"[\w+#.-]{1,30}", name[len(prefix) :]):
                    return name[len(prefix) :]
        brush = re.search(r"brush:\s*([\w+#.-]+)", " ".join(classes(node)))
        if brush:
            return brush.group(1)
        for attribute in ("data-lang", "data-language", "lang"):
            value = node.get(attribute)
            if isinstance(value, str) and re.fullmatch(r"[\w+#.-]{1,30}", value):
                return value
    return ""


def _at_line_start(node: NavigableString | Tag) -> bool:
    while True:
        before = node.previous_sibling
        while before is not None and (
            isinstance(before, Comment) or (isinstance(before, NavigableString) and not str(before).strip())
        ):
            before = before.previous_sibling
        if before is not None:
            return isinstance(before, Tag) and (before.name == "br" or before.name in BLOCK_NAMES)
        parent = node.parent
        if parent is None or parent.name in BLOCK_NAMES or parent.name == "[document]":
            return True
        node = parent


class _Converter(BlockConverter):
    """Text, inline elements and the dispatch of whole elements to :class:`BlockConverter`."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        if not text:
            return ""
        return escape_text(text, in_link="a" in parent_tags, in_cell=bool({"td", "th"} & parent_tags))

    def process_text(self, el, parent_tags=None):
        text = super().process_text(el, parent_tags=parent_tags)
        tags = parent_tags or set()
        before = el.previous_sibling
        if isinstance(before, Tag) and before.name == "br" and "pre" not in tags:
            text = text.lstrip()
        if text and not text[0].isspace() and "_noformat" not in tags and _at_line_start(el):
            text = escape_line_start(text)
        return text

    def process_tag(self, node, parent_tags=None):
        tags = parent_tags or set()
        name = node.name
        if name == "figure":
            return self._figure(node, tags)
        if name == "table" and "_inline" not in tags:
            return self._table(node, tags)
        if name == "iframe":
            return self._iframe(node)
        if name == "blockquote" and set(classes(node)) & set(EMBED_QUOTES):
            found = self._embedded_post(node)
            if found is not None:
                return found
        if name in ("video", "audio"):
            return self._media(node, name)
        if name in ("object", "embed"):
            return self._object(node)
        if name in ("script", "style", "noscript", "template"):
            if name == "script":
                self._convert("<script> → removed (no script runs from an article)")
            return ""
        if name == "pre" and "wp-block-verse" in classes(node):
            self._convert("verse → lines with line breaks")
            stanzas = re.split(r"\n\s*\n", self._children(node, tags | {"pre", "_verse"}).strip("\n"))
            poem = ["\\\n".join(escape_line_start(x.strip()) for x in s.split("\n") if x.strip()) for s in stanzas]
            return "\n\n" + "\n\n".join(p for p in poem if p) + "\n\n"
        if name == "details":
            return self._details(node, tags)
        if name == "dl":
            return "\n\n" + self._raw(node) + "\n\n"
        return super().process_tag(node, parent_tags=parent_tags)

    def convert_img(self, el, text, parent_tags):
        if "wp-smiley" in classes(el) or "emoji" in classes(el):
            return escape_text(str(el.get("alt") or ""))
        if "_inline" in parent_tags and not ({"td", "th"} & parent_tags):
            return escape_text(str(el.get("alt") or ""))
        parent = el.parent
        alone = (
            parent is not None
            and parent.name == "p"
            and [k for k in parent.children if not (isinstance(k, NavigableString) and not k.strip())] == [el]
        )
        return self._image(el, "", alone)

    def convert_a(self, el, text, parent_tags):
        if "_noformat" in parent_tags:
            return text
        prefix, suffix, text = (" " if text[:1] == " " else ""), (" " if text[-1:] == " " else ""), text.strip()
        href = str(el.get("href") or "").strip()
        if not text or "wp-block-file__button" in classes(el):
            return ""  # a file block's "Download" button repeats the link before it
        if href in ("", "#"):
            return prefix + text + suffix
        if re.match(r"\s*(javascript|vbscript|data):", href, re.I):
            self._convert("<a href=javascript:…> → text")
            return prefix + text + suffix
        if text == href or text == escape_text(href, in_link=True):
            return f"{prefix}<{href}>{suffix}" if not re.search(r"[\s<>]", href) else prefix + text + suffix
        title = str(el.get("title") or "").replace('"', '\\"')
        title_part = f' "{title}"' if title else ""
        return f"{prefix}[{text}]({link_destination(href)}{title_part}){suffix}"

    def _inline(self, symbol: str, kin: set[str], el: Tag, text: str, parent_tags: set[str]) -> str:
        """``**text**``; inside another bold (or italic) element, the text alone."""
        if kin & parent_tags or "_noformat" in parent_tags:
            return text
        head, tail = (" " if text[:1].isspace() else ""), (" " if text[-1:].isspace() else "")
        return f"{head}{symbol}{text.strip()}{symbol}{tail}" if text.strip() else ""

    def convert_b(self, el, text, parent_tags):
        return self._inline("**", {"b", "strong"}, el, text, parent_tags)

    def convert_em(self, el, text, parent_tags):
        return self._inline("*", {"em", "i"}, el, text, parent_tags)

    convert_strong = convert_b
    convert_i = convert_em

    def convert_br(self, el, text, parent_tags):
        if "pre" in parent_tags or "_verse" in parent_tags:
            return "\n"
        if "_noformat" in parent_tags:
            return " "  # a line break in inline code: a code span has none
        if {"td", "th"} & parent_tags:
            return "<br>"
        if "_inline" in parent_tags:
            return " "
        return "\\\n"

    def convert_hN(self, n, el, text, parent_tags):
        if "_inline" in parent_tags:
            return text
        text = " ".join(text.replace("\\\n", " ").split())
        if not text:
            return ""
        text = re.sub(r"(\s)(#+)$", r"\1\\\2", text)
        return f"\n\n{'#' * max(1, min(6, n))} {text}\n\n"

    def convert_pre(self, el, text, parent_tags):
        if not text.strip():
            return ""
        language = _language(el)
        text = text.strip("\n")
        longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=2)
        fence = "`" * max(3, longest + 1)
        self._convert("<pre> → code fence" + (" with its language" if language else ""))
        return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"
