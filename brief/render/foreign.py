"""Template syntax of other generators left in Markdown text: found, named, never published.

An archive brought from Hugo or Jekyll still holds shortcodes (``{{< youtube id >}}``),
Liquid (``{% include x.html %}``, ``{{ site.baseurl }}``) and kramdown attribute lists
(``{: .note }``). Rendered as text they would reach readers as noise, so each is an error
on its file, line and field, naming the construct and what to write in brief instead.
Code spans and code blocks are never looked at: there such text is meant to be shown.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any
from urllib.parse import unquote

from brief.errors import Problem
from brief.render.fragment import PageEnv

_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*([\w./-]*)[^\n]*?[%>]\}\}")
_LIQUID_TAG = re.compile(r"\{%-?\s*(\w*)[^\n]*?-?%\}")
_OUTPUT = re.compile(r"\{\{-?([^\n]*?)-?\}\}")
_ATTRIBUTES = re.compile(r"\{:[^\n}]*\}")
_OPENER = re.compile(r"\{\{[<%]?|\{%")

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


def foreign_syntax(text: str) -> list[str]:
    """One message per construct of another generator's template language in ``text`` (a line
    of Markdown text, outside code), in order: what it is and what to write instead."""
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
