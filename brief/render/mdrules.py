"""markdown-it rules and renderer overrides that make Markdown safe and valid in brief's pages.

Each is one function, plugged into the parser by :class:`brief.render.markdown.Renderer`:
links checked for schemes and nesting, depth limits, heading ids and levels, tables
wrapped for narrow screens, images made responsive.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote, unquote

from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from brief.errors import WARNING, Problem
from brief.render.figures import caption_html
from brief.render.fragment import FOOTNOTE_ID, HEADING_ID_PREFIX, RESERVED_ID_PREFIX, PageEnv
from brief.slugs import slugify

_BAD_SCHEME = re.compile(r"(javascript|vbscript|file|data):")


_INLINE_SYNTAX = re.compile(r"[\x00-\x1f\x7f\\`~*_\[\]!<>&\"{}]")
"""What one line of inline Markdown needs markdown-it for: a character that starts an inline
rule (code, strikethrough, emphasis, links, images, tags, entities, escapes, line breaks),
that HTML escapes, or that brief's checks of other generators' syntax look for; control
characters too."""
TYPOGRAPHY = re.compile(r"['\"]|\+-|\.\.|\?\?\?\?|!!!!|,,|--|\((?:c|tm|r)\)", re.IGNORECASE)
"""What markdown-it's typographer replaces (quotes, dashes, ellipses, (c), ...)."""


def plain_inline(text: str, typographer: bool) -> str | None:
    """The HTML of ``text`` as one line of inline Markdown when it is plain text, the text
    itself: no character in it starts markup, needs escaping, or is changed by the
    ``typographer``; else None (markdown-it renders it). Most takeaways are plain: on the
    benchmark corpus each took markdown-it 14 to 22 µs, two per article (tests/render:
    the same HTML as markdown-it for any text this returns)."""
    if _INLINE_SYNTAX.search(text) or (typographer and TYPOGRAPHY.search(text)):
        return None
    return text


_FOOTNOTE_SYNTAX = re.compile(r"\[\^[^\]\s]+\]|\^\[")
"""Footnote references and inline notes: text[^1], text^[note]."""


def misplaced_footnotes(text: str, env: PageEnv, line: int | None, field: str) -> None:
    """A warning for footnote syntax in one line of inline Markdown (a takeaway, a caption),
    which has nowhere to put the note."""
    if _FOOTNOTE_SYNTAX.search(text):
        env.problems.append(
            Problem(
                env.relpath,
                line,
                field,
                "footnotes work in the body and the analysis only; "
                "here the text is shown as written (expected the note in the body)",
                WARNING,
                "misplaced-footnote",
            )
        )


def allowed_link(url: str) -> bool:
    """markdown-it's check, minus its exception for data:image/...: no data: URL is emitted."""
    return not _BAD_SCHEME.match(url.strip().lower())


def no_nested_links(state: StateCore) -> None:
    """A link inside a link's text is invalid HTML (and unusable): the inner one loses its
    ``<a>`` (an autolink keeps its text) and a footnote mark moves after the outer link."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        kept: list[Token] = []
        moved: list[Token] = []
        depth = 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
                if depth > 1:
                    continue
            elif token.type == "link_close":
                depth -= 1
                if depth > 0:
                    continue
                kept.append(token)
                kept += moved
                moved = []
                continue
            elif token.type == "footnote_ref" and depth > 0:
                moved.append(token)
                continue
            kept.append(token)
        block.children = kept + moved


def hidden(path: Path, root: Path) -> bool:
    """True when a part of ``path`` below ``root`` starts with '.' (both resolved)."""
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def too_deep(state: StateCore) -> None:
    """markdown-it silently drops what is nested past ``maxNesting`` (quotes, lists); say so."""
    env: PageEnv | None = state.env.get("brief")
    limit = state.md.options.maxNesting
    for token in state.tokens:
        if token.type in ("blockquote_open", "list_item_open", "footnote_open") and token.level >= limit - 1:
            if env is not None:
                first = state.env.get("line")
                line = first + token.map[0] if first is not None and token.map else first
                env.problems.append(
                    Problem(
                        env.relpath,
                        line,
                        state.env.get("field", "body"),
                        "quotes and lists are nested too deeply here; the text inside "
                        f"would be lost (expected at most {limit - 1} nested quotes or {limit // 2 - 1} nested lists)",
                    )
                )
            return


def focusable_pre(default: Callable[..., str]) -> Callable[..., str]:
    """A code block's renderer whose ``<pre>`` can take the keyboard's focus: a line wider
    than the column scrolls inside it, and a region that scrolls must be reachable without
    a mouse (axe: scrollable-region-focusable), as tables are."""

    def render(self, tokens, idx, options, env) -> str:
        html = default(tokens, idx, options, env)
        return '<pre tabindex="0">' + html[5:] if html.startswith("<pre>") else html

    return render


TABLE_WRAP = '<div class="table-wrap" role="region" aria-label="Table" tabindex="0">\n'
"""What a table stands in (Markdown's and raw HTML's): a wide one scrolls inside its own
focusable region, never the whole page on a phone."""


def table_open(self, tokens, idx, options, env) -> str:
    return TABLE_WRAP + self.renderToken(tokens, idx, options, env)


def table_close(self, tokens, idx, options, env) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def image_html(self, tokens, idx, options, env) -> str:
    # A raster image with resized copies: its WebP candidates in a <source>, the <img> last;
    # an image that is a figure (brief.render.figures) then its caption.
    html = self.image(tokens, idx, options, env)
    sources = tokens[idx].meta.get("brief_sources") if tokens[idx].meta else None
    if not sources:
        return html + caption_html(tokens[idx])
    sizes = escapeHtml(tokens[idx].attrGet("sizes") or "")
    found = "".join(
        f'<source type="{escapeHtml(kind)}" srcset="{escapeHtml(srcset)}" sizes="{sizes}">' for kind, srcset in sources
    )
    return f"<picture>{found}{html}</picture>" + caption_html(tokens[idx])


def heading_anchor(fragment: str) -> str:
    """The id a link's ``#fragment`` means: ``#outlook`` is the heading "Outlook", whose id is
    ``h-outlook``; the theme's ids (``brief-…``), footnotes, ids already prefixed and ``#top``
    (which browsers take to mean the top of the page) stay."""
    if (
        not fragment
        or fragment.startswith((HEADING_ID_PREFIX, RESERVED_ID_PREFIX))
        or FOOTNOTE_ID.match(fragment)
        or fragment.lower() == "top"
    ):
        return fragment
    return HEADING_ID_PREFIX + fragment


class HeadingOutline:
    """Heading levels and ids, one heading token at a time (in document order).

    The headline is the page's only h1, so '#' becomes h2; and a heading never skips a
    level below the one before it (an outline with gaps confuses screen readers): '### A'
    first in the body becomes h2, '###### B' right after it h3. Each heading gets a unique
    id made from its text (after typographic replacements), prefixed ``h-``."""

    def __init__(self, state: StateCore) -> None:
        env: PageEnv | None = state.env.get("brief")
        self.ids = env.ids if env is not None else set()
        self.previous = state.env.get("outer_level", 1)
        self.opened: list[str] = []

    def visit(self, tokens: list[Token], i: int) -> None:
        """``tokens[i]`` is a heading_open (whose inline token follows, parsed) or heading_close."""
        token = tokens[i]
        if token.type == "heading_close":
            token.tag = self.opened.pop() if self.opened else token.tag
            return
        level = min(max(2, int(token.tag[1])), self.previous + 1, 6)
        token.tag = f"h{level}"
        self.opened.append(token.tag)
        self.previous = level
        if token.attrGet("id"):
            return
        inline = tokens[i + 1]
        text = "".join(child.content for child in inline.children or () if child.type in ("text", "code_inline"))
        base = HEADING_ID_PREFIX + (slugify(text) or "section")
        candidate, n = base, 1
        while candidate in self.ids:
            n += 1
            candidate = f"{base}-{n}"
        self.ids.add(candidate)
        token.attrSet("id", candidate)


def heading_ids(state: StateCore) -> None:
    outline = HeadingOutline(state)
    for i, token in enumerate(state.tokens):
        if token.type in ("heading_open", "heading_close"):
            outline.visit(state.tokens, i)


def anchor_href(fragment: str) -> str:
    """A written ``#fragment`` as the id it means (brief.render.mdrules.heading_anchor), percent-encoded."""
    return quote(heading_anchor(unquote(fragment)), safe="!$&'()*+,;=:@/?-._~")
