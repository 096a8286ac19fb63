"""Template syntax of other generators left in Markdown text: found, named, never published.

An archive brought from Hugo or Jekyll still holds shortcodes (``{{< youtube id >}}``),
Liquid (``{% include x.html %}``, ``{{ site.baseurl }}``) and kramdown attribute lists
(``{: .note }``); one from WordPress, a plugin's shortcodes (``[newsletter list="daily"]``)
and Gutenberg's block comments (``<!-- wp:latest-posts /-->``, which WordPress fills in and
brief drops with every HTML comment). Rendered as text (or dropped) they would reach readers
as noise (or a hole), so each is an error on its file, line and field, naming the construct
and what to write in brief instead. Code spans and code blocks are never looked at: there
such text is meant to be shown.

A bracket counts as a WordPress shortcode only where ordinary Markdown never has one
(this runs on every article): with a ``key=value`` attribute, as a closing tag ``[/name]``,
ending in ``/]``, or as ``[name]`` alone on its line in a text that also closes it. Not
before ``(``, ``[`` or ``:`` (links, reference links and their definitions), not after ``\\``
or ``^``; ``[sic]``, ``[1]``, ``[^1]``, ``[!NOTE]``, ``[x]`` and ``[Editor's note: …]`` stay text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, MutableMapping
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token

from brief.errors import Problem
from brief.render.fragment import PageEnv

_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w./-]*)[^\n]*?[%>]\}\}")
_LIQUID_TAG = re.compile(r"\{%-?\s*(\w*)[^\n]*?-?%\}")
_OUTPUT = re.compile(r"\{\{-?([^\n]*?)-?\}\}")
_ATTRIBUTES = re.compile(r"\{:[^\n}]*\}")
_OPENER = re.compile(r"\{\{[<%]?|\{%")


def _may_hold(text: str) -> bool:
    """Whether ``text`` has what every construct found here has in it: a brace, a bracket or
    an HTML comment. Three scans in C: on the paragraphs of the benchmark corpus and of 18F's
    posts, 0.4 µs each, where one pattern trying each position in turn took 4.4 µs."""
    return "[" in text or "{" in text or "<!--" in text


_IMAGE = 'an image alone in its paragraph, its caption as the title: ![what it shows](path "caption")'
_EMBED = "its URL alone on its line, or ::: embed URL (README: Embeds, callouts and pull quotes)"
_LINK_OUT = "a link to it: [title](https://…)"
_CALLOUT = "::: callout note (or tip, important, warning, caution) and a title, the text, then a line :::"
_PULLQUOTE = "::: pullquote — who said it, the quoted words, then a line :::"
_MD_LINK = "a link to the article's .md file: [text](../2024/other.md)"
_CODE = "a fenced code block: ```lang … ```"
_EMBEDDED = ("youtube", "vimeo", "tweet", "twitter", "x", "instagram", "bluesky", "mastodon", "tiktok", "spotify")
_SHORTCODE_HINTS = {
    **dict.fromkeys(("figure", "img", "image", "legacy-img", "picture"), _IMAGE),
    **dict.fromkeys(_EMBEDDED, _EMBED),
    **dict.fromkeys(("notice", "note", "tip", "warning", "alert", "admonition", "callout", "hint", "info"), _CALLOUT),
    **dict.fromkeys(("pullquote", "pull-quote", "quote", "blockquote"), _PULLQUOTE),
    "gist": _LINK_OUT,
    **dict.fromkeys(("ref", "relref"), _MD_LINK),
    "highlight": _CODE,
}
_LIQUID_HINTS = {
    "include": "the included text, written out in the article",
    "highlight": _CODE,
    "endhighlight": _CODE,
    **dict.fromkeys(("link", "post_url"), _MD_LINK),
    **dict.fromkeys(("raw", "endraw"), "nothing: brief shows the text between them as written"),
    **dict.fromkeys(_EMBEDDED, _EMBED),  # Jekyll plugins' {% youtube id %}, {% twitter url %}
}
_GENERIC = "Markdown that says the same"
CLOSED = "brief_closed_shortcodes"
"""Key of the markdown-it env holding the body's :func:`closing_names`."""

_WP_QUOTED = r"\"[^\"\n]*\"|'[^'\n]*'"
_WP_ATTRIBUTE = rf"[\w-]+=(?:{_WP_QUOTED}|(?:[^\s\[\]\"'/]|/(?!\]))+)"
_NOT_A_LINK = r"(?![(:]|\[(?!/))"  # not [text](url), [text][ref], [label]: url; [name][/name] is a shortcode
_WP_TAG = re.compile(
    rf"(?<![\\^])\[(/?)([A-Za-z][\w-]*)((?:\s+(?:{_WP_ATTRIBUTE}|{_WP_QUOTED}))*)\s*(/?)\]{_NOT_A_LINK}"
)
_WP_POSITIONAL = re.compile(rf"(?:\s+(?:{_WP_QUOTED}))*")
_WP_CLOSER = re.compile(rf"(?<![\\^])\[/([A-Za-z][\w-]*)\s*\]{_NOT_A_LINK}")
_WP_BLOCK = re.compile(r"<!--\s*wp:((?:[a-z][\w-]*/)?[a-z][\w-]*)(?=\s|/?-->|$)")
_WP_MAP = "`brief import --map` can replace every one, see README › Migrating"
_WP_HINTS = {
    **dict.fromkeys(("caption", "wp_caption"), _IMAGE),
    "gallery": 'the images one after another, each alone in its paragraph: ![what it shows](path "caption")',
    **dict.fromkeys(("embed", *_EMBEDDED), _EMBED),
    **dict.fromkeys(("video", "audio", "playlist"), "a link to the file: [Video: clip.mp4](/path/clip.mp4)"),
    **dict.fromkeys(("pullquote", "pull-quote", "blockquote"), _PULLQUOTE),
    **dict.fromkeys(("code", "sourcecode"), _CODE),
}
_WP_STATIC = frozenset(
    (
        *("paragraph", "heading", "list", "list-item", "image", "quote", "pullquote", "table", "code"),
        *("preformatted", "verse", "separator", "spacer", "group", "columns", "column", "buttons", "button"),
        *("html", "gallery", "cover", "media-text", "details", "freeform"),
    )
)
"""Gutenberg's core blocks whose HTML is in the post, between their comments: only the comment goes."""


def foreign_syntax(text: str, closed: Collection[str] = ()) -> list[str]:
    """One message per construct of another generator's template language in ``text`` (a line
    of Markdown text, outside code), in order: what it is and what to write instead.
    ``closed``: the names of the WordPress shortcodes the whole text closes (:func:`closing_names`)."""
    if not _may_hold(text):  # most text: none of the characters every construct needs
        return []
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return not any(a < match.end() and match.start() < b for a, b in taken)

    for match in _SHORTCODE.finditer(text):
        hint = _SHORTCODE_HINTS.get(match.group(1).lower(), _GENERIC)
        found.append((match.start(), _message("Hugo shortcode", match.group(), hint)))
        taken.append(match.span())
    for match in _LIQUID_TAG.finditer(text):
        if free(match):
            hint = _LIQUID_HINTS.get(match.group(1).lower(), "the text it would produce, written out")
            found.append((match.start(), _message("Liquid tag", match.group(), hint)))
            taken.append(match.span())
    for match in _OUTPUT.finditer(text):
        if free(match):
            value = match.group(1)
            hint = (
                "a root-relative path such as /images/x.png (brief adds the base path)"
                if re.search(r"baseurl|site\.url|relative_url|absolute_url|relURL|absURL|relref", value)
                else "the value, written out"
            )
            found.append((match.start(), _message("template expression", match.group(), hint)))
            taken.append(match.span())
    for match in _ATTRIBUTES.finditer(text):
        if free(match):
            hint = "nothing: remove it (brief has no attribute lists; the theme styles the page)"
            found.append((match.start(), _message("kramdown attribute list", match.group(), hint)))
            taken.append(match.span())
    for start, end, message in _wordpress(text, closed):
        if not any(a < end and start < b for a, b in taken):
            found.append((start, message))
            taken.append((start, end))
    for match in _OPENER.finditer(text):  # a construct whose end is on a later line
        if free(match):
            what = (
                "Hugo shortcode"
                if match.group() in ("{{<", "{{%")
                else ("Liquid tag" if match.group() == "{%" else "template expression")
            )
            found.append((match.start(), _message(what, text[match.start() :].rstrip() + " …", _GENERIC)))
            taken.append((match.start(), len(text)))
    return [message for _, message in sorted(found)]


def _wordpress(text: str, closed: Collection[str]) -> list[tuple[int, int, str]]:
    """(start, end, message) of each WordPress shortcode and Gutenberg block comment in the line ``text``."""
    found = []
    for match in _WP_TAG.finditer(text):
        closing, name, attributes, slash = match.groups()
        if closing:
            shortcode = not attributes and not slash
        else:
            shortcode = bool(slash) or not _WP_POSITIONAL.fullmatch(attributes)
            alone = not attributes and text.strip() == match.group()
            shortcode = shortcode or (alone and name in closed and name.lower() != "x")  # [x]: a task list's box
        if shortcode:
            hint = _WP_HINTS.get(name.lower(), "brief Markdown in its place")
            found.append((*match.span(), _message("WordPress shortcode", match.group(), f"{hint}; {_WP_MAP}")))
    for match in _WP_BLOCK.finditer(text):
        name = match.group(1)
        if name.removeprefix("core/") in _WP_STATIC:
            message = (
                f"WordPress block comment <!-- wp:{name} --> would be dropped from the page (expected no comment: "
                f"the HTML between it and <!-- /wp:{name} --> is what readers see; delete both comments)"
            )
        else:
            hint = _EMBED if name.removeprefix("core/") == "embed" else "brief Markdown in its place"
            message = f"WordPress block <!-- wp:{name} --> would be dropped from the page (expected {hint}; {_WP_MAP})"
        found.append((*match.span(), message))
    return found


def closing_names(text: str) -> frozenset[str]:
    """The names of the WordPress shortcodes whose closing tag (``[/name]``) ``text`` (a whole
    body) holds outside code, so that a ``[name]`` alone on its line counts as one's opening
    tag. Fenced and indented code is skipped line by line, as far as it can be told without
    parsing (a fence inside a list or a quote is read as text): cheap, as it runs on every body."""
    if "[/" not in text:
        return frozenset()
    names: set[str] = set()
    fence = ""
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = "" if not line[opened.end() :].strip() else fence
        elif opened and not (opened.group(1)[0] == "`" and "`" in line[opened.end() :]):
            fence = opened.group(1)
        elif "[/" in line and not line.startswith(("    ", "\t")):
            names.update(match.group(1) for match in _WP_CLOSER.finditer(outside_code(line)))
    return frozenset(names)


_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
_RAW_CODE = re.compile(r"<(pre|code|script|style)\b.*?</\1\s*>", re.S | re.I)


def outside_code(text: str, *, raw_html: bool = False) -> str:
    """``text`` (a paragraph's inline source, or a raw HTML block) with its code spans (or,
    in raw HTML, its ``<pre>``, ``<code>``, ``<script>`` and ``<style>`` elements) blanked
    out, line breaks kept: what is left is what a reader would see as text."""
    pattern = _RAW_CODE if raw_html else _CODE_SPAN
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def _message(what: str, construct: str, hint: str) -> str:
    shown = construct if len(construct) <= 60 else construct[:57] + "…"
    return f"{what} {shown} would be published as text (expected {hint})"


def foreign_references(state_env: MutableMapping[str, Any], env: PageEnv) -> None:
    """Template syntax in a link reference definition's URL (``[a]: <{{% param url %}}>``),
    which no paragraph holds: once per text."""
    references = state_env.get("references") or {}
    if state_env.get("brief_references_checked") is references:
        return
    state_env["brief_references_checked"] = references
    first = state_env["line"]
    for ref in references.values():
        line = first + ref["map"][0] if first is not None and ref.get("map") else first
        for message in foreign_syntax(unquote(ref.get("href", ""))):
            env.problems.append(Problem(env.relpath, line, state_env["field"], message))


def foreign_in_block(block: Token, state_env: MutableMapping[str, Any], env: PageEnv) -> None:
    """Template syntax of another generator in a paragraph's or raw HTML block's source,
    outside code: in its text, a link's URL, an image's path, a tag, line by line."""
    if not _may_hold(block.content):
        return
    text = outside_code(block.content, raw_html=block.type == "html_block")
    first, field = state_env["line"], state_env["field"]
    start = first + (block.map[0] if block.map else 0) if first is not None else None
    closed = state_env.get(CLOSED, ())
    for offset, written in enumerate(text.split("\n")):
        for message in foreign_syntax(written, closed):
            env.problems.append(Problem(env.relpath, start + offset if start is not None else None, field, message))
