"""A social network's embed code pasted into a Markdown body (``<blockquote
class="twitter-tweet">…</blockquote>`` and its ``<script>``) → the post's URL alone on its
line, which brief shows as an embed card.

Bodies written in HTML go through :mod:`brief.migrate.htmlmd`, which does the same; a
Markdown post keeps raw HTML as it was written, and brief's safe HTML would keep the quote's
text but drop the script, so the card was lost. A quote naming no URL brief embeds is left
as it is. Fenced code is left alone.
"""

from __future__ import annotations

import re

from brief.migrate.htmlblocks import EMBED_QUOTES
from brief.migrate.report import Report
from brief.render.embeds import find_embed

_QUOTE = re.compile(
    r"<blockquote\b(?P<attrs>[^>]*)>(?P<inner>.*?)</blockquote>"
    r"(?P<script>[ \t]*\n?[ \t]*<script\b[^>]*>\s*</script>)?",
    re.S | re.I,
)
_CLASS = re.compile(r"""\bclass\s*=\s*["']([^"']*)["']""", re.I)
_HREF = re.compile(r"""\b(?:href|cite|data-instgrm-permalink)\s*=\s*["']([^"']+)["']""", re.I)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)


def convert(body: str, report: Report) -> str:
    """``body`` with each embed quote a provider brief embeds made the post's URL on its own line."""
    if "<blockquote" not in body.lower():
        return body
    parts, pos = [], 0
    for fence in _FENCE.finditer(body):
        parts += [_quotes(body[pos : fence.start()], report), fence.group()]
        pos = fence.end()
    return "".join([*parts, _quotes(body[pos:], report)])


def _quotes(text: str, report: Report) -> str:
    def replace(match: re.Match[str]) -> str:
        found = _CLASS.search(match["attrs"])
        classes = found[1].split() if found else []
        if not set(classes) & set(EMBED_QUOTES):
            return match.group()
        urls = _HREF.findall(match["attrs"]) + list(reversed(_HREF.findall(match["inner"])))
        url = next((u.strip() for u in urls if find_embed(u.strip()) is not None), "")
        if not url:
            return match.group()
        report.convert(f"<blockquote class={classes[0]}> in Markdown → embed")
        before, after = text[: match.start()], text[match.end() :]
        lead = "" if not before or before.endswith("\n\n") else ("\n" if before.endswith("\n") else "\n\n")
        trail = "" if after.startswith("\n\n") or not after else ("\n" if after.startswith("\n") else "\n\n")
        return f"{lead}{url}{trail}"

    return _QUOTE.sub(replace, text)
