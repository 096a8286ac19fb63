"""An image alone in its paragraph, with a title, is a figure: ``![alt](src "Caption")``.

The title becomes the ``<figcaption>`` (plain text, escaped) and is no longer the
image's ``title`` attribute; the paragraph's ``<p>`` becomes ``<figure>``. The image
keeps everything else brief does to images (copies, sizes, lazy loading, alt checks).
Marked on the tokens by brief's link checks (block by block or whole, the same), so
only the renderers of the paragraph and the image need to know.
"""

from __future__ import annotations

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

FIGURE = "brief_figure"
"""Meta key on a paragraph's inline token: the paragraph is a figure."""
CAPTION = "brief_caption"
"""Meta key on an image token: its caption."""


def mark_figure(block: Token) -> None:
    """Mark ``block`` (an inline token, in a block of text) as a figure when it holds one
    image with a title and nothing else."""
    children = block.children or []
    if len(children) != 1 or children[0].type != "image":
        return
    image = children[0]
    title = str(image.attrGet("title") or "").strip()
    if not title:
        return
    image.attrs.pop("title", None)
    image.meta[CAPTION] = title
    block.meta[FIGURE] = True


def caption_html(image: Token) -> str:
    """The ``<figcaption>`` that follows a marked image, or ""."""
    caption = image.meta.get(CAPTION) if image.meta else None
    return f"<figcaption>{escapeHtml(caption)}</figcaption>" if caption else ""


def paragraph_open(self, tokens: list[Token], idx: int, options, env) -> str:
    if idx + 1 < len(tokens) and tokens[idx + 1].meta.get(FIGURE):
        return "<figure>"
    return self.renderToken(tokens, idx, options, env)


def paragraph_close(self, tokens: list[Token], idx: int, options, env) -> str:
    if idx > 0 and tokens[idx - 1].meta.get(FIGURE):
        return "</figure>\n"
    return self.renderToken(tokens, idx, options, env)
