"""Blocks beyond CommonMark: embeds, callouts and pull quotes, as markdown-it block rules.

A URL of a known provider alone on its line (as editors paste it, or as ``<https://…>``)
becomes an embed card (brief.render.embeds). What a bare URL cannot say is written as a
block between ``:::`` lines, read by mdit-py-plugins' container rule:

    ::: embed https://www.youtube.com/watch?v=abc
    caption: The minister's statement, 12 March
    ratio: 4:3
    :::

    ::: callout warning Roads closed tonight
    The bridge is shut from 22:00.
    :::

    ::: pullquote — Ana Ortiz, Energy Editor
    Storage carried the grid.
    :::

A block inside another needs a longer fence outside (``::::`` around ``:::``). An unknown
name or option is an error on its line. The problems a block finds ride on its inline
token (``meta[PROBLEMS]``) and are reported when brief's link checks reach that token, so
they keep their place among the others whether the text is rendered whole or block by
block (brief.render.mdstream).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.container import container_plugin

from brief.errors import Problem, did_you_mean
from brief.render.embeds import RATIOS, facade_html, facade_open, find_embed
from brief.render.providers import PROVIDERS, parse_time

PROBLEMS = "brief_problems"
"""Key of an inline token's meta holding the problems of the block it belongs to."""
DIRECTIVES = ("embed", "callout", "pullquote")
CALLOUT_KINDS = ("note", "tip", "important", "warning", "caution")
EMBED_OPTIONS = ("caption", "title", "ratio", "start")
_OPTION = re.compile(r"([A-Za-z_-]+)\s*:\s*(.*)")
_NAMES = ", ".join(p.name for p in PROVIDERS)
_SYNTAX = "::: embed URL, ::: callout [note|tip|important|warning|caution] [title] or ::: pullquote [— attribution]"

Rule = Callable[[StateBlock, int, int, bool], bool]


def directives_plugin(md: MarkdownIt, allow: tuple[str, ...] = ()) -> None:
    """Add the ``:::`` blocks, bare-URL embeds and their renderers to ``md``; ``allow`` are
    the hosts of ``[embeds] allow``."""
    container_plugin(md, "brief", validate=lambda params, *_: bool(params.strip()))
    ruler = md.block.ruler
    container = ruler.__rules__[ruler.__find__("container_brief")].fn
    ruler.at("container_brief", _directive(container, allow), {"alt": ["paragraph", "reference", "blockquote", "list"]})
    ruler.before("paragraph", "brief_bare_url", _bare_url(allow))
    for name, render in _RENDER.items():
        md.add_render_rule(name, render)


def _bare_url(allow: tuple[str, ...]) -> Rule:
    """A paragraph that is one URL of an embeddable page (at the top level or in a block)."""

    def bare_url(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if state.sCount[start] - state.blkIndent >= 4:
            return False
        text = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]].strip()
        url = text[1:-1] if text.startswith("<") and text.endswith(">") else text
        if not url.lower().startswith(("https://", "http://")) or not _outside_lists_and_quotes(state):
            return False
        following = start + 1
        if following < end and not state.isEmpty(following):  # does the paragraph go on?
            if state.sCount[following] - state.blkIndent > 3:
                return False
            if not any(rule(state, following, end, True) for rule in state.md.block.ruler.getRules("paragraph")):
                return False
        embed = find_embed(url, allow)
        if embed is None:
            return False
        if not silent:
            token = state.push("brief_embed", "", 0)
            token.map, token.meta, token.block = [start, following], {"embed": embed}, True
            state.line = following
        return True

    return bare_url


def _outside_lists_and_quotes(state: StateBlock) -> bool:
    """Whether the block starting now is at the top level or in ``:::`` blocks only (not in
    a list, a quote or a footnote, where a URL alone is more likely one of several links)."""
    wanted = state.level - 1
    for token in reversed(state.tokens):
        if wanted < 0:
            break
        if token.nesting == 1 and token.level == wanted:
            if token.type != "container_brief_open":
                return False
            wanted -= 1
    return True


def _directive(container: Rule, allow: tuple[str, ...]) -> Rule:
    """The container rule, its tokens turned into those of the block its name calls for."""

    def directive(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        if silent:
            return container(state, start, end, True)
        first = len(state.tokens)
        if not container(state, start, end, False):
            return False
        opened, body = state.tokens[first], state.tokens[first + 1 : -1]
        del state.tokens[first:]
        written, _, rest = opened.info.strip().partition(" ")
        name = written.lower()
        block = _Block(state, opened.map or [start, state.line])
        if state.line == block.end:  # no closing line: the block ran to the end of the text
            block.problem(0, f"::: {written[:40]} is not closed (expected a line ::: after its text)")
        if name == "embed":
            block.embed(rest.strip(), allow)
        elif name == "callout":
            block.callout(rest.strip(), body)
        elif name == "pullquote":
            block.pullquote(rest.strip(), body)
        else:
            hint = did_you_mean(name, DIRECTIVES) or f" (expected {_SYNTAX})"
            block.problem(0, f"unknown block '::: {written[:40]}'{hint}")
            block.wrap("brief_directive", body, "", {})
        return True

    return directive


class _Block:
    """One ``:::`` block being turned into tokens, with the problems it finds."""

    def __init__(self, state: StateBlock, lines: list[int]) -> None:
        self.state = state
        self.first, self.end = lines
        self.problems: list[Problem] = []

    def problem(self, offset: int, message: str) -> None:
        """An error on the block's line ``first + offset``."""
        env = self.state.env
        page = env.get("brief")
        if page is None:
            return
        line = env["line"] + self.first + offset if env.get("line") is not None else None
        self.problems.append(Problem(page.relpath, line, env.get("field", "body"), message))

    def wrap(
        self, kind: str, body: list[Token], text: str, meta: dict, *, text_first: bool = True, text_line: int = 0
    ) -> None:
        """Push ``kind``_open, the ``body`` and the block's one line of inline Markdown
        (a title, a caption: an inline token between ``kind``_text_open and _close, which
        carries the block's problems; on line ``first + text_line``) in the order asked,
        then ``kind``_close."""
        state = self.state
        opened = state.push(f"{kind}_open", "", 1)
        opened.map, opened.meta, opened.block = [self.first, self.end], meta, True
        if not text_first:
            state.tokens += body
        state.push(f"{kind}_text_open", "", 1).meta = meta
        inline = state.push("inline", "", 0)
        line = self.first + text_line
        inline.content, inline.map, inline.children = text, [line, line + 1], []
        inline.meta[PROBLEMS] = sorted(self.problems, key=lambda problem: problem.line or 0)
        state.push(f"{kind}_text_close", "", -1).meta = meta
        if text_first:
            state.tokens += body
        state.push(f"{kind}_close", "", -1).meta = meta

    def embed(self, url: str, allow: tuple[str, ...]) -> None:
        options = self._options()
        start = ratio = None
        if "start" in options:
            start = parse_time(options["start"][1])
            if start is None:
                self.problem(
                    options["start"][0], f"start: '{options['start'][1]}' is not a time (expected 90, 1:30 or 1m30s)"
                )
        if "ratio" in options:
            ratio = options["ratio"][1]
            if ratio not in RATIOS:
                self.problem(options["ratio"][0], f"ratio: '{ratio}' is not one of {', '.join(RATIOS)}")
                ratio = None
        url = url[1:-1] if url.startswith("<") and url.endswith(">") else url
        found = find_embed(url, allow, start) if url else None
        if not url:
            self.problem(0, "::: embed without a URL (expected ::: embed https://…)")
        elif found is None:
            shown = url if len(url) <= 80 else url[:77] + "…"
            self.problem(
                0,
                f"cannot embed {shown} (expected the URL of one video, post, chart, map or track on {_NAMES}, "
                "or of a page on a host listed under [embeds] allow in brief.toml)",
            )
        elif start is not None and not found.provider.timed:
            self.problem(
                options["start"][0],
                f"start: a {found.provider.name} {found.provider.noun} cannot start at a time "
                "(expected start: only for YouTube and Vimeo videos)",
            )
        if found is not None and ratio:
            found = replace(found, ratio=ratio)
        line, caption = options.get("caption", (0, "")) if found is not None else (0, "")
        title = options.get("title", (0, ""))[1] or None
        meta = {"embed": found, "title": title, "caption": bool(caption)}
        self.wrap("brief_embed", [], caption, meta, text_line=line)

    def _options(self) -> dict[str, tuple[int, str]]:
        """The ``key: value`` lines of an embed block, by key: (line offset, value)."""
        state = self.state
        found: dict[str, tuple[int, str]] = {}
        for n in range(self.first + 1, self.end):
            text = state.src[state.bMarks[n] + state.tShift[n] : state.eMarks[n]].strip()
            if not text:
                continue
            match = _OPTION.fullmatch(text)
            key = match.group(1).lower() if match else ""
            if match is None or key not in EMBED_OPTIONS:
                shown = text if len(text) <= 60 else text[:57] + "…"
                self.problem(
                    n - self.first,
                    f"'{shown}' is not an option of ::: embed{did_you_mean(key, EMBED_OPTIONS) if key else ''} "
                    "(expected lines such as caption: …, title: …, ratio: 4:3, start: 1:30)",
                )
            elif key in found:
                self.problem(n - self.first, f"{key}: given twice in one ::: embed (expected each option once)")
            else:
                found[key] = (n - self.first, match.group(2).strip())
        return found

    def callout(self, rest: str, body: list[Token]) -> None:
        kind, _, title = rest.partition(" ")
        if kind and kind.lower() not in CALLOUT_KINDS:
            self.problem(
                0,
                f"unknown kind of callout '{kind[:40]}'{did_you_mean(kind.lower(), CALLOUT_KINDS)} (expected "
                f"::: callout, then one of {', '.join(CALLOUT_KINDS)}, then the title if any)",
            )
            kind = ""
        title = title.strip()
        self.wrap("brief_callout", body, title, {"kind": kind.lower() or "note", "title": bool(title)})

    def pullquote(self, rest: str, body: list[Token]) -> None:
        attribution = rest.lstrip("—–-").strip()
        if not any(token.type == "inline" and token.content.strip() for token in body):
            self.problem(0, "a pull quote without text (expected the quoted words between ::: pullquote and :::)")
        self.wrap("brief_pullquote", body, attribution, {"attribution": bool(attribution)}, text_first=False)


# --- rendering: each token type's HTML --------------------------------------------------


def _html(html: str | Callable[[dict], str]) -> Callable[..., str]:
    def render(self, tokens: list[Token], idx: int, options, env) -> str:
        return html if isinstance(html, str) else html(tokens[idx].meta)

    return render


def _embed_open(meta: dict) -> str:
    return str(facade_open(meta["embed"], meta["title"])) if meta["embed"] is not None else ""


def _callout_open(meta: dict) -> str:
    return str(Markup('<div class="callout callout-{}" role="note">\n').format(meta["kind"]))


def _callout_title(meta: dict) -> str:
    label = Markup('<p class="callout-title"><span class="callout-kind">{}</span>').format(meta["kind"].capitalize())
    return str(label) + (" " if meta["title"] else "")


_RENDER = {
    "brief_embed": lambda self, tokens, idx, options, env: str(facade_html(tokens[idx].meta["embed"])),
    "brief_embed_open": _html(_embed_open),
    "brief_embed_text_open": _html(lambda meta: "<figcaption>" if meta["caption"] else ""),
    "brief_embed_text_close": _html(lambda meta: "</figcaption>\n" if meta["caption"] else ""),
    "brief_embed_close": _html(lambda meta: "</figure>\n" if meta["embed"] is not None else ""),
    "brief_callout_open": _html(_callout_open),
    "brief_callout_text_open": _html(_callout_title),
    "brief_callout_text_close": _html("</p>\n"),
    "brief_callout_close": _html("</div>\n"),
    "brief_pullquote_open": _html('<figure class="pullquote">\n<blockquote>\n'),
    "brief_pullquote_text_open": _html(
        lambda meta: "</blockquote>\n" + ("<figcaption>— " if meta["attribution"] else "")
    ),
    "brief_pullquote_text_close": _html(lambda meta: "</figcaption>\n" if meta["attribution"] else ""),
    "brief_pullquote_close": _html("</figure>\n"),
    "brief_directive_open": _html(""),
    "brief_directive_text_open": _html(""),
    "brief_directive_text_close": _html(""),
    "brief_directive_close": _html(""),
}
