"""The parts of HTML that need more than markdownify's defaults: figures, tables, embeds,
video and audio, pull quotes and ``<details>``; each conversion counted in the report.

:class:`BlockConverter` is markdownify's converter with these; :mod:`brief.migrate.htmlmd`
adds the text and inline elements on top.
"""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Comment, Tag
from markdownify import ATX, BACKSLASH, MarkdownConverter

from brief.migrate.mdtext import escape_text, image_markdown, link_destination, media_link
from brief.migrate.report import Report
from brief.render.embeds import find_embed

_CELL_BLOCKS = ("p", "div", "ul", "ol", "table", "pre", "blockquote", "dl", "figure", "hr", "h1", "h2", "h3", "h4")
_KEEP_ATTRIBUTES = frozenset(("href", "src", "alt", "title", "colspan", "rowspan", "scope", "headers", "abbr", "open"))
EMBED_QUOTES = ("twitter-tweet", "instagram-media", "tiktok-embed", "bluesky-embed", "mastodon-embed")
"""Classes of the ``<blockquote>`` social networks' embed code writes."""
_IMAGE_FILE = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)$", re.I)


_Markdownify: Any = MarkdownConverter
"""markdownify's own stub leaves out the methods overridden here (process_tag, process_text…)."""


class BlockConverter(_Markdownify):
    """markdownify's converter with brief's figures, tables, embeds and media; the report is
    told of each conversion, with the line of the source file where it was."""

    def __init__(self, report: Report, source: str, line: int) -> None:
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            newline_style=BACKSLASH,
            escape_asterisks=False,
            escape_underscores=False,
            escape_misc=False,
            wrap=True,
            wrap_width=None,
            sub_symbol="<sub>",
            sup_symbol="<sup>",
            table_infer_header=True,
            keep_inline_images_in=["td", "th"],
        )
        self.report, self.source, self.line = report, source, line

    def _line(self, node: Tag) -> int:
        return self.line + (getattr(node, "sourceline", None) or 1) - 1

    def _convert(self, kind: str) -> None:
        self.report.convert(kind)

    def _children(self, node: Tag, tags: set[str]) -> str:
        return "".join(self.process_element(kid, parent_tags=tags | {node.name}) for kid in node.children)

    def _figure(self, node: Tag, tags: set[str]) -> str:
        caption_tag = node.find("figcaption")
        caption = " ".join(caption_tag.get_text(" ").split()) if isinstance(caption_tag, Tag) else ""
        images = node.find_all("img")
        if node.find("figure") is not None or len(images) > 1:
            return super().process_tag(node, parent_tags=tags)  # a gallery: its own figures, one by one
        if node.find("table") is not None:
            table = node.find("table")
            assert isinstance(table, Tag)
            below = f"\n\n*{escape_text(caption)}*\n\n" if caption else ""
            return self._table(table, tags) + below
        embed = self._figure_embed(node, caption)
        if embed is not None:
            return embed
        if node.find("blockquote") is not None:
            return self._pullquote(node, tags)
        if len(images) == 1:
            image = images[0]
            link = image.find_parent("a")
            markdown = self._image(image, caption, alone=True)
            href = str(link.get("href") or "") if isinstance(link, Tag) else ""
            inside = isinstance(link, Tag) and any(parent is node for parent in link.parents)
            if inside and href and not _points_at_image(href):
                self._convert("<figure> → figure (a linked image: link kept, caption below)")
                below = f"\n\n*{escape_text(caption)}*" if caption else ""
                return f"\n\n[{self._image(image, '', alone=False)}]({link_destination(href)}){below}\n\n"
            self._convert("<figure> → figure")
            return f"\n\n{markdown}\n\n"
        return super().process_tag(node, parent_tags=tags)

    def _figure_embed(self, node: Tag, caption: str) -> str | None:
        frame = node.find("iframe")
        quote = node.find("blockquote", class_=list(EMBED_QUOTES))
        url = ""
        if isinstance(frame, Tag):
            url = str(frame.get("src") or frame.get("data-src") or "")
        elif isinstance(quote, Tag):
            url = next((u for u in _quote_urls(quote) if find_embed(u) is not None), "")
        elif "wp-block-embed" in " ".join(classes(node)):
            wrapper = node.find(class_="wp-block-embed__wrapper") or node
            words = wrapper.get_text(" ").split()
            url = words[0] if words and words[0].startswith(("http://", "https://")) else ""
        if not url:
            return None
        return self.embed_block(url.strip(), caption, "<figure> embed")

    def embed_block(self, url: str, caption: str, what: str) -> str:
        """A provider's URL alone on its line (with its caption, a ``::: embed`` block)."""
        if url.startswith("//"):
            url = "https:" + url
        embed = find_embed(url)
        if embed is None:
            self._convert(f"{what} → URL alone on its line (no provider brief embeds)")
            below = f"\n\n{escape_text(caption)}" if caption else ""
            return f"\n\n{url}{below}\n\n"
        link = embed.link if find_embed(embed.link) is not None else url
        self._convert(f"{what} → embed")
        if caption:
            return f"\n\n::: embed {link}\ncaption: {escape_text(caption)}\n:::\n\n"
        return f"\n\n{link}\n\n"

    def _pullquote(self, node: Tag, tags: set[str]) -> str:
        quote = node.find("blockquote")
        assert isinstance(quote, Tag)
        cite = quote.find("cite") or node.find("figcaption")
        who = " ".join(cite.get_text(" ").split()) if isinstance(cite, Tag) else ""
        if isinstance(cite, Tag):
            cite.extract()
        body = self._children(quote, tags).strip()
        self._convert("pull quote → ::: pullquote")
        head = f"::: pullquote — {escape_text(who)}" if who else "::: pullquote"
        return f"\n\n{head}\n{body}\n:::\n\n"

    def _image(self, image: Tag, caption: str, alone: bool) -> str:
        src = str(image.get("data-src") or image.get("data-lazy-src") or image.get("src") or "")
        if src.startswith("data:") or not src:
            self.report.warn(self.source, self._line(image), "an <img> with no file (a data: URL or no src) left out")
            return ""
        alt = str(image.get("alt") or "")
        title = caption or str(image.get("title") or "")
        if title and not caption and (alone or _just_the_name(title, src, alt)):
            self._convert("<img title> → dropped (a file name, or would show as a caption)")
            title = ""
        return image_markdown(src, alt, title)

    def _table(self, node: Tag, tags: set[str]) -> str:
        rows = [row for row in node.find_all("tr") if row.find_parent("table") is node]
        if not rows:
            return ""
        if not _simple(node, rows):
            self._convert("<table> → HTML table (cells span rows or columns, or hold blocks)")
            return "\n\n" + self._raw(node) + "\n\n"
        grid = [[self._cell(cell, tags) for cell in row.find_all(["td", "th"], recursive=False)] for row in rows]
        width = max(len(cells) for cells in grid)
        if width == 0:
            return ""
        grid = [cells + [""] * (width - len(cells)) for cells in grid]
        first = rows[0].find_all(["td", "th"], recursive=False)
        rule = [_align(cell) for cell in first] + ["---"] * (width - len(first))
        lines = ["| " + " | ".join(cells) + " |" for cells in grid]
        lines.insert(1, "| " + " | ".join(rule) + " |")
        caption = node.find("caption")
        below = f"\n\n*{escape_text(' '.join(caption.get_text(' ').split()))}*" if isinstance(caption, Tag) else ""
        self._convert("<table> → Markdown table")
        return "\n\n" + "\n".join(lines) + below + "\n\n"

    def _cell(self, cell: Tag, tags: set[str]) -> str:
        text = self._children(cell, tags | {"_inline", cell.name})
        return " ".join(text.replace("\n", " ").split()) or " "

    def _raw(self, node: Tag) -> str:
        """``node`` as HTML brief's safe mode keeps: attributes it would remove left off, no blank line."""
        copy = BeautifulSoup(str(node), "html.parser")
        for tag in copy.find_all(True):
            tag.attrs = {k: v for k, v in tag.attrs.items() if k in _KEEP_ATTRIBUTES}
        for comment in copy.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        return re.sub(r"\n\s*\n", "\n", str(copy)).strip()

    def _iframe(self, node: Tag) -> str:
        src = str(node.get("src") or node.get("data-src") or "").strip()
        if src.startswith("//"):
            src = "https:" + src
        if find_embed(src) is not None:
            return self.embed_block(src, "", "<iframe>")
        host = urlsplit(src).hostname or "(no src)"
        title = str(node.get("title") or "")
        self.report.leave(f"<iframe> {host}", self.source, self._line(node), str(node)[:200])
        attrs = f' src="{htmllib.escape(src)}"' + (f' title="{htmllib.escape(title)}"' if title else "")
        return f"\n\n<iframe{attrs}></iframe>\n\n"

    def _embedded_post(self, node: Tag) -> str | None:
        for url in _quote_urls(node):
            if find_embed(url) is not None:
                return self.embed_block(url, "", f"<blockquote class={classes(node)[0]}>")
        return None

    def _media(self, node: Tag, name: str) -> str:
        src = str(node.get("src") or "")
        source = node.find("source")
        if not src and isinstance(source, Tag):
            src = str(source.get("src") or "")
        if not src:
            return ""
        if find_embed(src) is not None:
            return self.embed_block(src, "", f"<{name}>")
        self._convert(f"<{name}> → link (brief's safe HTML removes <{name}>)")
        return f"\n\n{media_link(name, src)}\n\n"

    def _object(self, node: Tag) -> str:
        urls = [node.get("data"), node.get("src")] + [p.get("value") for p in node.find_all("param")]
        for url in urls:
            if isinstance(url, str):
                url = re.sub(r"youtube\.com/v/([\w-]{11}).*", r"youtube.com/watch?v=\1", url.strip())
                if find_embed(url) is not None:
                    return self.embed_block(url, "", f"<{node.name}>")
        if node.parent is not None and node.parent.name == "object":
            return ""
        self.report.warn(self.source, self._line(node), f"<{node.name}> (a plug-in such as Flash) removed")
        return ""

    def _details(self, node: Tag, tags: set[str]) -> str:
        summary = node.find("summary")
        label = " ".join(summary.get_text(" ").split()) if isinstance(summary, Tag) else "Details"
        if isinstance(summary, Tag):
            summary.extract()
        body = self._children(node, tags).strip()
        return f"\n\n<details>\n<summary>{htmllib.escape(label, quote=False)}</summary>\n\n{body}\n\n</details>\n\n"


def classes(tag: Tag) -> list[str]:
    """The element's classes as a list."""
    value = tag.get("class")
    return value.split() if isinstance(value, str) else list(value or [])


def _quote_urls(node: Tag) -> list[str]:
    """URLs a social network's embed code names its post by: ``cite``, Instagram's permalink,
    then its links, the last first (a tweet ends with the link to itself)."""
    found = [node.get("cite"), node.get("data-instgrm-permalink")]
    found += [a.get("href") for a in reversed(node.find_all("a"))]
    return [url.strip() for url in found if isinstance(url, str) and url.strip()]


def _simple(table: Tag, rows: Iterable[Tag]) -> bool:
    for row in rows:
        for cell in row.find_all(["td", "th"], recursive=False):
            for attribute in ("colspan", "rowspan"):
                if str(cell.get(attribute) or "1").strip() not in ("", "1", "0"):
                    return False
            blocks = cell.find_all(_CELL_BLOCKS)
            if blocks and not (len(blocks) == 1 and blocks[0].name == "p"):
                return False
    return True


def _align(cell: Tag) -> str:
    style = str(cell.get("style") or "") + " text-align:" + str(cell.get("align") or "")
    found = re.search(r"text-align:\s*(left|center|right)", style, re.I)
    side = found.group(1).lower() if found else ""
    return {"left": ":---", "center": ":---:", "right": "---:"}.get(side, "---")


def _points_at_image(href: str) -> bool:
    """A link to the image's own file or its WordPress attachment page (a figure needs no link there)."""
    path = urlsplit(href).path
    return bool(_IMAGE_FILE.search(path)) or "attachment_id=" in href or "/attachment/" in path


def _just_the_name(title: str, src: str, alt: str) -> bool:
    stem = src.rstrip("/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    plain = re.sub(r"[\W_]+", "", title).lower()
    return plain in (re.sub(r"[\W_]+", "", stem).lower(), re.sub(r"[\W_]+", "", alt).lower()) or bool(
        re.fullmatch(r"(img|dsc|image|photo|screenshot)?[\W_]*\d+", title, re.I)
    )
