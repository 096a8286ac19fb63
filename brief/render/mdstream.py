"""A Markdown document rendered block by block, so that memory follows the HTML, not the tokens.

markdown-it parses every block, then every block's inline text, then runs its core rules
over the whole token list, and only then renders. For a long body its inline tokens cost
a dozen times the text (125 MB for a 10 MB body). Here each inline block is parsed, put
through the same rules in the same order (typography, text joining, heading levels and
ids, nested links, brief's link and image checks) and rendered at once; its tokens are then
dropped and only its HTML is kept. The footnotes are moved to the end as markdown-it does,
then finished the same way. The HTML is the same as ``MarkdownIt.render`` gives, byte for
byte (tests/render/test_markdown_stream.py compares the two), and so are the problems,
ids, files and dependencies a fragment records, in the same order. A top-level paragraph
of plain text (no inline syntax, no line a block could start with) is not given to
markdown-it at all: its HTML is its text in ``<p>`` (:func:`plain_paragraph`;
tests/render/test_plain_paragraphs.py compares whole documents with markdown-it's render).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from brief.render.mdrules import TYPOGRAPHY, HeadingOutline

Rule = Callable[[StateCore], None]

_BEFORE = ("normalize", "block")
_PER_BLOCK = ("replacements", "smartquotes", "text_join")
_AFTER_HEADINGS = ("brief_no_nested_links", "brief_article_links")
KNOWN_RULES = frozenset(
    (*_BEFORE, "inline", "footnote_tail", *_PER_BLOCK, "brief_nesting", "brief_heading_ids", *_AFTER_HEADINGS)
)
"""The core rules this renderer knows how to run block by block (brief's parsers use these)."""
RENDERED = "brief_rendered"
"""Token type of an inline block's finished HTML."""


def render_rendered(self, tokens: list[Token], idx: int, options, env) -> str:
    return tokens[idx].content


def render_by_blocks(md: MarkdownIt, src: str, env: dict, part: int | None = None) -> str:
    """``md.render(src, env)``, one inline block at a time, and a long document one part at a
    time where it can be cut without changing a byte (see the module docstring)."""
    rules = dict(zip(md.core.ruler.get_active_rules(), md.core.ruler.getRules(""), strict=True))
    if not set(rules) <= KNOWN_RULES or not isinstance(md.renderer, RendererHTML) or RENDERED not in md.renderer.rules:
        return md.render(src, env)
    page = env.get("brief")
    earlier = page.problems if page is not None else []
    nesting: list = []
    if page is not None:
        page.problems = []  # the link checks' problems follow those of brief_nesting, as in md.render
    outline = HeadingOutline(StateCore("", md, env))
    finish = _finisher(md, env, rules, outline, StateCore("", md, env))
    headings = "brief_heading_ids" in rules
    first_line = env.get("line")
    out: list[str] = []
    html = bool(md.options.get("html"))
    pieces = parts(src, cut=True, html=html, size=part or PART)
    cut: list[tuple[int, str, str | None]]
    if md.options.get("breaks"):  # (a line break then writes <br />: no paragraph is taken as plain)
        cut = [(offset, piece, None) for offset, piece in pieces]
    else:
        cut = plain_apart(pieces, html, bool(md.options.get("typographer")))
    rendered: list = []  # what rendering found (raw HTML's problems): after the rules', as in md.render

    def render(tokens: list[Token]) -> str:
        if page is None:
            return md.renderer.render(tokens, md.options, env)
        before = len(page.problems)
        html = md.renderer.render(tokens, md.options, env)
        rendered.extend(page.problems[before:])
        del page.problems[before:]
        return html

    try:
        for offset, piece, plain in cut:
            if plain is not None:  # a paragraph of plain text: its HTML as markdown-it writes it
                out.append(plain)
                continue
            env["line"] = first_line + offset if first_line is not None else None
            state = StateCore(piece, md, env)
            for name in _BEFORE:
                rules[name](state)
            kept = _parse_and_finish(md, env, state, finish, outline if headings else None)
            if "footnote_tail" in rules and offset == 0 and len(piece) == len(src):
                rules["footnote_tail"](state)  # one part: the footnotes move to its end
                _finish_from(state.tokens, kept, finish, outline if headings else None)
            if "brief_nesting" in rules and not nesting and page is not None:
                page.problems, found = nesting, page.problems
                rules["brief_nesting"](state)
                page.problems = found
            out.append(render(state.tokens))
            state.tokens = []
        if "footnote_tail" in rules and len(cut) > 1:  # several parts: the inline notes follow them all
            state = StateCore("", md, env)
            rules["footnote_tail"](state)
            _finish_from(state.tokens, 0, finish, outline if headings else None)
            out.append(render(state.tokens))
    finally:
        env["line"] = first_line
    if page is not None:
        page.problems = earlier + nesting + page.problems + rendered
    return "".join(out)


def _parse_and_finish(
    md: MarkdownIt,
    env: dict,
    state: StateCore,
    finish: Callable[[list[Token], int], None],
    outline: HeadingOutline | None,
) -> int:
    """Parse every inline block in order (footnotes are numbered so) and finish those outside
    footnote definitions, which are finished once they have moved to the end. Returns how
    many tokens footnote_tail keeps in place."""
    depth = kept = 0
    for i, token in enumerate(state.tokens):
        if token.type == "footnote_reference_open":
            depth += 1
            continue
        if token.type == "footnote_reference_close":
            depth -= 1
            continue
        if not depth:
            kept += 1
        if token.type == "html_block" and not depth:
            finish(state.tokens, i)  # its checks only: a raw HTML block has no inline children
        elif token.type == "inline":
            token.children = []
            md.inline.parse(token.content, md, env, token.children)
            if not depth:
                finish(state.tokens, i)
        elif token.type == "heading_close" and outline is not None and not depth:
            outline.visit(state.tokens, i)
    return kept


def _finish_from(
    tokens: list[Token], start: int, finish: Callable[[list[Token], int], None], outline: HeadingOutline | None
) -> None:
    for i in range(start, len(tokens)):
        if tokens[i].type in ("inline", "html_block"):
            finish(tokens, i)
        elif tokens[i].type == "heading_close" and outline is not None:
            outline.visit(tokens, i)


PART = 64 * 1024
"""About how long a part of a long document is (characters)."""
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_BLOCK_START = re.compile(r"[-+*]|\d{1,9}[.)]|\s")
_DIRECTIVE = re.compile(r" {0,3}(:{3,})(.*)")  # ::: blocks (brief.render.directives)
_HTML_BLOCK = re.compile(r" {0,3}<(?:(script|pre|style|textarea)(?=[\s>]|$)|(!--)|(\?)|(!\[CDATA\[)|(![A-Za-z]))", re.I)
_HTML_ENDS = ("-->", "?>", "]]>", ">")


def _html_end(line: str) -> str | None:
    """What ends the raw HTML block ``line`` starts when it is one that runs over blank lines
    (CommonMark's kinds 1 to 5); None for any other line, or when it ends on the same line."""
    found = _HTML_BLOCK.match(line)
    if found is None:
        return None
    end = (
        f"</{found.group(1).lower()}>"
        if found.group(1)
        else next(e for e, g in zip(_HTML_ENDS, found.groups()[1:]) if g)
    )
    return None if end in line[found.end() :].lower() else end


def parts(src: str, *, cut: bool, size: int = PART, html: bool = False) -> list[tuple[int, str]]:
    """``src`` cut into parts of about ``size`` characters, each with the number of lines before
    it, only where markdown-it would start a new top-level block anyway: after a blank line,
    before a line that starts at its first column and cannot continue a list, outside fenced
    code and ``:::`` blocks. With raw HTML on (``html``), never inside an HTML block that runs
    over blank lines (``<pre>``, ``<!--``…) nor before a line starting with ``<`` (the HTML
    blocks on both sides of a blank line are one stream, brief.render.rawhtml). A document with
    link or footnote definitions (which any part may use), or ``cut`` False, stays whole."""
    if len(src) <= size or not cut or "]:" in src:
        return [(0, src)]
    found: list[tuple[int, str]] = []
    lines = src.split("\n")
    fence: tuple[str, int] | None = None
    blocks: list[int] = []  # the ::: blocks open here, by the length of their fence
    html_end: str | None = None  # what ends the raw HTML block open here
    start = 0
    length = 0
    for n, line in enumerate(lines):
        if html_end is not None:
            html_end = None if html_end in line.lower() else html_end
            length += len(line) + 1
            continue
        opened = _FENCE.match(line)
        if fence is not None:
            if (
                opened
                and opened.group(1)[0] == fence[0]
                and len(opened.group(1)) >= fence[1]
                and not line[opened.end() :].strip()
            ):
                fence = None
        elif opened and not (opened.group(1)[0] == "`" and "`" in line[opened.end() :]):
            fence = (opened.group(1)[0], len(opened.group(1)))
        elif (colons := _DIRECTIVE.match(line)) is not None and not colons.group(2).strip():
            if blocks and len(colons.group(1)) >= blocks[-1]:  # a ::: block's closing line
                blocks.pop()
        else:
            if (
                not blocks
                and length >= size
                and n > start
                and line
                and not lines[n - 1].strip()
                and not _BLOCK_START.match(line)
                and not (html and line.startswith("<"))
            ):
                found.append((start, "\n".join(lines[start:n])))
                start, length = n, 0
            if colons is not None:  # a ::: block opens
                blocks.append(len(colons.group(1)))
            html_end = _html_end(line) if html else None
        length += len(line) + 1
    found.append((start, "\n".join(lines[start:])))
    return found


_NOT_PLAIN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\\`~*_\[\]!<>&{}]")
"""What a paragraph needs markdown-it for, beside how its lines start and end and a URL (alone
on its line, one a provider's page embeds: ``://``, looked for apart, 2.3 times sooner than
as an alternative of this pattern): a character that starts an inline rule, a control
character, a tab."""
_PLAIN_START = "\"'(“‘$€£"
"""Characters but letters that a line of a plain paragraph may start with (none starts a block)."""


def plain_apart(pieces: list[tuple[int, str]], html: bool, typographer: bool) -> list[tuple[int, str, str | None]]:
    """``pieces`` (:func:`parts`) with each paragraph of plain text cut apart where
    :func:`parts` may cut, with its HTML (:func:`plain_paragraph`); the rest of each piece
    in runs as it was written, with None. A 3 KB article of four plain paragraphs took
    markdown-it 160 µs; about one paragraph in four of OpenTelemetry's blog is plain."""
    out: list[tuple[int, str, str | None]] = []
    for offset, piece in pieces:
        rest: list[tuple[int, str]] = []
        for start, text in parts(piece, cut=True, size=1, html=html):
            paragraph = plain_paragraph(text, typographer)
            if paragraph is None:
                rest.append((start, text))
                continue
            if rest:
                out.append((offset + rest[0][0], "\n".join(t for _, t in rest), None))
                rest = []
            out.append((offset + start, text, paragraph))
        if rest:
            out.append((offset + rest[0][0], "\n".join(t for _, t in rest), None))
    return out


def plain_paragraph(text: str, typographer: bool) -> str | None:
    """The HTML of ``text`` (blank lines after it aside) when it is one top-level paragraph of
    plain text, as markdown-it writes it: each line starting with a letter (or a quote, a
    parenthesis, a currency sign) and ending with no space, no inline syntax, nothing the
    ``typographer`` changes. None for anything else."""
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return None
    for line in lines:
        if not line or not (line[0].isalpha() or line[0] in _PLAIN_START) or line[-1].isspace():
            return None
    content = "\n".join(lines)
    if _NOT_PLAIN.search(content) or "://" in content or (typographer and TYPOGRAPHY.search(content)):
        return None
    return "<p>" + content.replace('"', "&quot;") + "</p>\n"


def _finisher(
    md: MarkdownIt, env: dict, rules: dict[str, Rule], outline: HeadingOutline, one: StateCore
) -> Callable[[list[Token], int], None]:
    per_block = [rules[name] for name in _PER_BLOCK if name in rules]
    after = [rules[name] for name in _AFTER_HEADINGS if name in rules]
    headings = "brief_heading_ids" in rules

    renderer = md.renderer
    assert isinstance(renderer, RendererHTML)

    def finish(tokens: list[Token], i: int) -> None:
        token = tokens[i]
        one.tokens = [token]
        if token.type == "html_block":  # checked (brief_article_links reads its source), rendered as it is
            for rule in after:
                rule(one)
            return
        for rule in per_block:
            rule(one)
        if headings and i > 0 and tokens[i - 1].type == "heading_open":
            outline.visit(tokens, i - 1)
        for rule in after:
            rule(one)
        html = renderer.renderInline(token.children or [], md.options, env)
        token.children = [Token(RENDERED, "", 0, content=html)]

    return finish
