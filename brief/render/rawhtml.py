"""Raw HTML in Markdown, as brief.toml's ``[markdown] html`` says: "escape", "safe" or "trusted".

"escape" leaves raw HTML to markdown-it, which shows it as text. "safe" (the default) walks
each ``html_block`` and ``html_inline`` token with an allowlist (brief.render.htmlwalk): tables,
figures, images, headings, lists, ``<details>`` and links stay; scripts, styles, forms, event
handlers and ``javascript:``/``data:`` URLs go, each removal a warning on its line. nh3
(ammonia, a maintained Rust sanitiser) then checks every piece the walk wrote, in the context
of what is open around it, and must give it back unchanged; a piece it would change is left
out, with a warning. "trusted" passes raw HTML through as written. In both "safe" and
"trusted", ``<a href>`` and ``<img src>`` are resolved as Markdown links and images are.

An HTML block is walked when it is rendered (in document order); the inline HTML of one
paragraph is walked as a run by the link check (``Renderer._article_links``), which knows
each token's line and Markdown's own elements around it.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from html.parser import HTMLParser
from typing import Any, Protocol

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from brief.config import Config
from brief.errors import WARNING, Problem
from brief.render.embeds import embed_for_iframe
from brief.render.fragment import HEADING_ID_PREFIX, PageEnv
from brief.render.htmlpolicy import escape_value, start_tag, verified
from brief.render.htmltree import Note, Open, Run, kind, summary
from brief.render.htmlwalk import Attrs, Walker

Env = MutableMapping[str, Any]
"""markdown-it's render env: the page ("brief"), the first line ("line"), the field ("field")."""
LINE = "brief_line"
"""Key in an html_inline token's ``meta``: its line in the source file."""
_CLEAN = "brief_clean"
_RUN = "brief_raw_html"
"""Key in the render env: what the document's raw HTML blocks left open."""


class Resolver(Protocol):
    """What raw HTML needs of the Markdown renderer (brief.render.markdown.Renderer)."""

    def raw_link(self, href: str, env: PageEnv, line: int | None, field: str) -> str: ...

    def raw_image(self, attrs: Attrs, env: PageEnv, line: int | None, field: str) -> tuple[Attrs, str]: ...


class _PageHooks:
    """The walk's questions, answered for one piece of one page."""

    def __init__(self, resolver: Resolver, config: Config, env: Env, line: int | None) -> None:
        self._resolver = resolver
        self._config = config
        self.page: PageEnv | None = env.get("brief")
        self.field: str = env.get("field", "body")
        self.line = line
        self._ids: set[str] = self.page.ids if self.page is not None else set()

    def at(self, offset: int) -> int | None:
        return None if self.line is None else self.line + offset

    def link(self, href: str, offset: int) -> str:
        return href if self.page is None else self._resolver.raw_link(href, self.page, self.at(offset), self.field)

    def image(self, attrs: Attrs, offset: int) -> tuple[Attrs, str]:
        if self.page is None:
            return attrs, ""
        return self._resolver.raw_image(attrs, self.page, self.at(offset), self.field)

    def embed(self, src: str, title: str | None) -> str | None:
        card = embed_for_iframe(src, title, self._config)
        return None if card is None else str(card)

    def claim_id(self, value: str) -> str | None:
        # Prefixed as heading ids are, so that no id names a global a script looks up, and a
        # link to #name (written #h-name, brief.render.mdrules.heading_anchor) finds it.
        wanted = value if value.startswith(HEADING_ID_PREFIX) else HEADING_ID_PREFIX + value
        if wanted in self._ids:
            return None
        self._ids.add(wanted)
        return wanted

    def report(self, notes: list[Note]) -> None:
        if self.page is not None:
            for note in notes:
                self.page.problems.append(
                    Problem(self.page.relpath, self.at(note.offset), self.field, note.message, WARNING, note.code)
                )


class RawHtml:
    """Raw HTML of one site's Markdown, in mode "safe" or "trusted"."""

    def __init__(self, config: Config, resolver: Resolver) -> None:
        self.mode = config.html
        self._config = config
        self._resolver = resolver

    def render_rules(self) -> dict[str, Callable[..., str]]:
        """markdown-it render rules for ``html_block`` and ``html_inline``."""

        def block(_renderer: Any, tokens: list[Token], idx: int, _options: Any, env: Env) -> str:
            return self.block(tokens, idx, env)

        def inline(_renderer: Any, tokens: list[Token], idx: int, _options: Any, env: Env) -> str:
            token = tokens[idx]  # one the link check did not walk (no page to report to) is shown as text
            return token.content if self.mode == "trusted" or token.meta.get(_CLEAN) else escapeHtml(token.content)

        return {"html_block": block, "html_inline": inline}

    def block(self, tokens: list[Token], idx: int, env: Env) -> str:
        """One HTML block. At the top level what it leaves open stays open for the next block,
        or for the Markdown after it when it can hold Markdown (a ``<div>``, ``<details>``,
        a table cell); inside a list or a quote a block is closed on its own."""
        token = tokens[idx]
        first = env.get("line")
        line = first + token.map[0] if first is not None and token.map else first
        if self.mode == "trusted":
            return self._trusted(token.content, env, line)
        top = token.level == 0
        run: Run = env.setdefault(_RUN, Run()) if top else Run()
        html = self._walk(token.content, run, env, line, inline=False)
        run.skip = None  # an unclosed <noscript> takes the rest of its block, not of the page
        if not top:
            return html + run.closes()
        following = tokens[idx + 1] if idx + 1 < len(tokens) else None
        if following is None or following.type != "html_block" or following.level != 0:
            html += _make_room(run)
        return html

    def finish(self, env: Env) -> str:
        """End tags for what the document's raw HTML left open at its end."""
        run: Run | None = env.pop(_RUN, None)
        return run.closes() if run is not None else ""

    def inline(self, children: list[Token], env: Env) -> list[Token]:
        """The tokens of one paragraph (or heading, or table cell) with its inline HTML walked
        as one run: an element left open is closed before the Markdown element around it
        closes, and at the end; a Markdown link inside a raw ``<a>`` loses its link."""
        if self.mode == "trusted":
            for token in children:
                if token.type == "html_inline":
                    token.content = self._trusted(token.content, env, token.meta.get(LINE))
            return children
        run = Run()
        out: list[Token] = []
        unlinked = 0
        for token in children:
            if token.type == "html_inline":
                token.content = self._walk(token.content, run, env, token.meta.get(LINE), inline=True)
                token.meta[_CLEAN] = True
            elif token.nesting == 1:
                if token.type == "link_open" and any(entry.tag == "a" for entry in run.stack):
                    unlinked += 1
                    continue
                run.stack.append(Open(token.tag, f"<{token.tag}>", markdown=True))
            elif token.nesting == -1:
                if token.type == "link_close" and unlinked:
                    unlinked -= 1
                    continue
                opener = max((i for i, entry in enumerate(run.stack) if entry.markdown), default=None)
                if opener is not None:
                    _append_html(out, run.closes(opener + 1))
                    run.stack.pop()
            elif run.skip is not None and token.type != "footnote_ref":
                continue  # the text of an element removed with all it holds (<script>…</script>)
            out.append(token)
        _append_html(out, run.closes())
        return out

    def _walk(self, content: str, run: Run, env: Env, line: int | None, inline: bool) -> str:
        before = run.snapshot()
        hooks = _PageHooks(self._resolver, self._config, env, line)
        walker = Walker(run, hooks, inline)
        walker.feed(content)
        walker.close()
        # nh3's check: what was open before, this piece, end tags for what is open after.
        checked = "".join(html for html, check in walker.pieces if check)
        opened = "".join(entry.start for entry in before.stack)
        whole = opened + checked + "".join(f"</{entry.tag}>" for entry in reversed(run.stack))
        if verified(f"<p>{whole}</p>" if inline else whole):
            hooks.report(walker.notes)
            return "".join(html for html, _ in walker.pieces)
        run.stack, run.orphans, run.skip = before.stack, before.orphans, before.skip
        hooks.report([Note(0, "raw HTML left out: the sanitiser could not check it (please report this as a bug)")])
        return ""

    def _trusted(self, content: str, env: Env, line: int | None) -> str:
        """``content`` as written, but for the URL of each ``<a href>`` and ``<img src>``."""
        finder = _UrlTags()
        finder.feed(content)
        finder.close()
        if not finder.found:
            return content
        hooks = _PageHooks(self._resolver, self._config, env, line)
        starts = [0]
        for n, char in enumerate(content):
            if char == "\n":
                starts.append(n + 1)
        out: list[str] = []
        at = 0
        for (row, column), text, tag, attrs in finder.found:
            begin = starts[row - 1] + column
            out.append(content[at:begin])
            if tag == "a":
                attrs = [(name, hooks.link(value, row - 1) if name == "href" else value) for name, value in attrs]
                out.append(start_tag(tag, attrs))
            else:
                attrs, sources = hooks.image(attrs, row - 1)
                html = start_tag(tag, attrs)
                out.append(f"<picture>{sources}{html}</picture>" if sources else html)
            at = begin + len(text)
        out.append(content[at:])
        return "".join(out)


class _UrlTags(HTMLParser):
    """Where each ``<a href>`` and ``<img src>`` start tag of a piece is, as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str, Attrs]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        url = {"a": "href", "img": "src"}.get(tag)
        text = self.get_starttag_text()
        if url and text and any(name == url for name, _ in attrs):
            values: dict[str, str] = {}
            for name, value in attrs:
                values.setdefault(name, value or "")
            self.found.append((self.getpos(), text, tag, list(values.items())))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def image_token(attrs: Attrs, url: Callable[[str], str]) -> Token:
    """A Markdown image token for a raw ``<img>``, so that it is resolved as Markdown's are
    (its alt text is the token's text, as ``![alt](src)`` makes it)."""
    token = Token("image", "img", 0, attrs=dict(attrs))
    token.attrSet("src", url(str(token.attrGet("src") or "")))
    token.children = [Token("text", "", 0, content=str(token.attrGet("alt") or ""))]
    return token


def image_attrs(token: Token) -> tuple[Attrs, str]:
    """The resolved image's attributes, and the ``<source>`` elements of its WebP copies."""
    sizes = escape_value(str(token.attrGet("sizes") or ""))
    sources = "".join(
        f'<source type="{escape_value(kind)}" srcset="{escape_value(srcset)}" sizes="{sizes}">'
        for kind, srcset in token.meta.get("brief_sources", ())
    )
    return [(name, str(value)) for name, value in token.attrs.items()], sources


def _make_room(run: Run) -> str:
    """Markdown follows: end what cannot hold it (a ``<p>``, a table row), keep what can."""
    keep = len(run.stack)
    while keep and (
        kind(run.stack[keep - 1], False) != "flow"
        or (run.stack[keep - 1].tag == "figure" and run.stack[keep - 1].captioned == 2)
    ):
        keep -= 1
    closes = run.closes(keep)
    if run.stack:
        closes += summary(run.stack[-1])
        run.stack[-1].filled = True
    return closes


def _append_html(out: list[Token], html: str) -> None:
    if html:
        token = Token("html_inline", "", 0, content=html)
        token.meta[_CLEAN] = True
        out.append(token)
