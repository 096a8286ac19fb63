"""Hugo shortcodes in a post's body → brief Markdown.

Hugo expands shortcodes before it reads the Markdown, everywhere in the text, code
fences included (which is why sites write ``{{</* youtube id */>}}`` to show one). So
do we: every ``{{< name … >}}`` and ``{{% name … %}}`` is read with its positional and
named parameters, self-closing (``{{< x />}}``) or paired with its ``{{< /x >}}`` (the
text between them converted too), and the escaped form ``{{</* … */>}}`` becomes the
literal shortcode text Hugo would show.

Hugo's own shortcodes become what brief writes for them (a figure, an embed URL alone on
its line or a ``::: embed`` block, a link, a code fence, the value of a parameter, a
``<details>`` block); any other is replaced by its ``--map`` entry, or left exactly as
written and listed in the report with its line, so that ``brief build`` flags it. A map
entry also wins over the conversion of a Hugo shortcode of the same name (a site that
overrode ``figure`` with its own template).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from brief.migrate.constructs import Params, parse_params
from brief.migrate.hugoembeds import BUILTIN, Context

BLOCK_OPEN, BLOCK_CLOSE = "\x02", "\x03"
"""Marks around converted text that must stand as a block of its own (blank lines around it)."""


@dataclass
class Tag:
    """One shortcode tag as written: an opening (maybe self-closing) or a closing one."""

    start: int
    end: int
    name: str
    params: str = ""
    closing: bool = False
    self_closing: bool = False
    markdown: bool = False
    """``{{% %}}`` (its output is Markdown) rather than ``{{< >}}``."""
    literal: str | None = None
    """For an escaped ``{{</* … */>}}``: the text Hugo shows."""


@dataclass
class Node:
    tag: Tag
    children: list[Node | str] = field(default_factory=list)
    close: Tag | None = None


def convert(body: str, ctx: Context) -> str:
    """``body`` with every shortcode converted, mapped or left as written (and reported)."""
    body = body.replace(BLOCK_OPEN, "").replace(BLOCK_CLOSE, "")
    tags = scan(body)
    if not tags:
        return body
    nodes = _tree(body, tags)
    return _blocks(_render(nodes, body, ctx))


def scan(text: str) -> list[Tag]:
    """Every shortcode tag in ``text``, in order."""
    tags: list[Tag] = []
    pos = 0
    while True:
        start = _next_opener(text, pos)
        if start < 0:
            return tags
        tag = _read_tag(text, start)
        if tag is None:
            pos = start + 3
            continue
        tags.append(tag)
        pos = tag.end


def _next_opener(text: str, pos: int) -> int:
    a, b = text.find("{{<", pos), text.find("{{%", pos)
    return min(a, b) if a >= 0 and b >= 0 else max(a, b)


_NAME = re.compile(r"\s*(/)?\s*([\w][\w./-]*)")


def _read_tag(text: str, start: int) -> Tag | None:
    delim = text[start + 2]
    end_mark = delim + "}}" if delim == "%" else ">}}"
    pos = start + 3
    escaped = re.compile(r"\s*/\*").match(text, pos)
    if escaped:
        close = re.compile(r"\*/\s*" + re.escape(end_mark)).search(text, escaped.end())
        if close is None:
            return None
        literal = "{{" + delim + text[escaped.end() : close.start()] + end_mark
        return Tag(start, close.end(), "", literal=literal)
    name = _NAME.match(text, pos)
    if name is None:
        return None
    end = _tag_end(text, name.end(), end_mark)
    if end < 0:
        return None
    params = text[name.end() : end].strip()
    self_closing = params.endswith("/") and not name.group(1)
    if self_closing:
        params = params[:-1].rstrip()
    return Tag(
        start,
        end + len(end_mark),
        name.group(2),
        params,
        closing=bool(name.group(1)),
        self_closing=self_closing,
        markdown=delim == "%",
    )


def _tag_end(text: str, pos: int, end_mark: str) -> int:
    """Where ``end_mark`` closes the tag, quotes respected; -1 when it never does."""
    quote = ""
    while pos < len(text):
        ch = text[pos]
        if quote:
            if ch == "\\" and quote == '"':
                pos += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in '"`':
            quote = ch
        elif text.startswith(end_mark, pos):
            return pos
        elif text.startswith("{{<", pos) or text.startswith("{{%", pos):
            return -1  # another tag opens first: this one is not a tag
        pos += 1
    return -1


def _tree(text: str, tags: list[Tag]) -> list[Node | str]:
    """Pair openings with their closings (a tag with no closing stands alone) and nest them."""
    closes: dict[int, int] = {}  # index of an opening → index of its closing
    stack: list[int] = []
    for i, tag in enumerate(tags):
        if tag.literal is not None or tag.self_closing:
            continue
        if not tag.closing:
            stack.append(i)
            continue
        for depth in range(len(stack) - 1, -1, -1):
            if tags[stack[depth]].name == tag.name:
                closes[stack[depth]] = i
                del stack[depth:]
                break
    root = Node(Tag(0, 0, ""))
    open_nodes: list[tuple[Node, int]] = [(root, -1)]  # (node, index of its closing tag)
    pos = 0
    for i, tag in enumerate(tags):
        parent, closing_at = open_nodes[-1]
        if tag.start > pos:
            parent.children.append(text[pos : tag.start])
        pos = tag.end
        if i == closing_at:
            parent.close = tag
            open_nodes.pop()
            continue
        node = Node(tag)
        parent.children.append(node)
        if i in closes:
            open_nodes.append((node, closes[i]))
    if pos < len(text):
        open_nodes[-1][0].children.append(text[pos:])
    return root.children


def _render(nodes: list[Node | str], text: str, ctx: Context) -> str:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        else:
            out.append(_render_node(node, text, ctx))
    return "".join(out)


def _render_node(node: Node, text: str, ctx: Context) -> str:
    tag = node.tag
    if tag.literal is not None:
        ctx.report.convert("{{</* */>}} → shortcode shown as text")
        return tag.literal
    written = text[tag.start : tag.end]
    line = ctx.line_at(tag.start)
    if tag.closing:  # a closing tag whose opening is missing
        ctx.report.leave(tag.name, ctx.source, line, written)
        return written
    inner = None if node.close is None else _blocks(_render(node.children, text, ctx))
    params = parse_params(tag.params)
    if tag.name in ctx.replacements:
        done = _mapped(node, params, inner, written, line, ctx)
        if done is not None:  # a replacement of several lines stands as a block of its own
            return f"{BLOCK_OPEN}{done.strip(chr(10))}{BLOCK_CLOSE}" if "\n" in done.strip() else done
    else:
        converter = BUILTIN.get(tag.name.removesuffix("_simple"))
        result = converter(params, inner, ctx, line) if converter else None
        if result is not None:
            text_out, kind, block = result
            ctx.report.convert(f"{{{{< {tag.name.removesuffix('_simple')} >}}}} → {kind}")
            return f"{BLOCK_OPEN}{text_out}{BLOCK_CLOSE}" if block else text_out
    ctx.report.leave(tag.name, ctx.source, line, written)
    if node.close is None:
        return written
    return written + (inner or "") + text[node.close.start : node.close.end]


def _mapped(node: Node, params: Params, inner: str | None, written: str, line: int, ctx: Context) -> str | None:
    """The ``--map`` entry applied; a paired shortcode whose entry does not use ``{inner}``
    keeps its inner text after the replacement (its closing tag goes)."""
    name = node.tag.name
    wants_inner = ctx.replacements.wants_inner(name)
    text, why = ctx.replacements.apply(name, params, (inner or "").strip("\n") if wants_inner else None)
    if text is None:
        ctx.report.warn(ctx.source, line, f"{written}: {why}; left as written")
        return None
    ctx.report.convert(f"{name} → map")
    if node.close is not None and not wants_inner:
        return text + (inner or "")
    return text


def _blocks(text: str) -> str:
    """Blank lines around each converted block, so that it is a paragraph (or fence) of its own."""
    if BLOCK_OPEN not in text:
        return text
    out: list[str] = []
    tail = ""  # the last two characters written
    for i, part in enumerate(re.split(r"[ \t]*\x02|\x03[ \t]*", text)):
        if i % 2 and part:  # a block
            if tail and tail != "\n\n":
                out.append("\n" if tail.endswith("\n") else "\n\n")
            out.append(part)
            tail = "block"
        elif part:
            if tail == "block" and not part.startswith("\n\n"):
                part = ("\n" if part.startswith("\n") else "\n\n") + part
            out.append(part)
            tail = (tail + part)[-2:] if tail != "block" else part[-2:]
    return "".join(out)
