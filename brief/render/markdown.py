"""Markdown → HTML with markdown-it-py: the one place rendered HTML becomes ``Markup``.

CommonMark plus tables, strikethrough and footnotes; heading ids for anchors;
typographic quotes and dashes when ``typographer`` is on. Raw HTML is shown as
text, sanitised or passed through as ``[markdown] html`` says (brief.render.rawhtml;
markdown-it's commonmark preset lets it through, so "escape" turns it off). Links
written as the relative path of another article's ``.md`` file are rewritten to
that article's URL. A fenced
code block whose language Pygments knows is highlighted at build time (see
``highlight_code``); any other keeps markdown-it's escaped ``<pre><code>``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Set
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup
from mdit_py_plugins.footnote import footnote_plugin
from pygments import __version__ as pygments_version

from brief.config import Config
from brief.digests import digest, file_stamp
from brief.errors import WARNING, Problem
from brief.media.images import BODY_SIZES, SETTINGS_KEY, ImageStore, ImageUse, shown_size, variant_url
from brief.media.pixels import ImageError
from brief.render.directives import PROBLEMS, directives_plugin
from brief.render.figures import mark_figure, paragraph_close, paragraph_open
from brief.render.foreign import CLOSED, closing_names, foreign_in_block, foreign_references, foreign_syntax
from brief.render.fragment import PageEnv
from brief.render.mdrules import (
    allowed_link,
    anchor_href,
    focusable_pre,
    heading_ids,
    hidden,
    image_html,
    misplaced_footnotes,
    no_nested_links,
    plain_inline,
    table_close,
    table_open,
    too_deep,
)
from brief.render.mdstream import RENDERED, render_by_blocks, render_rendered
from brief.render.rawhtml import LINE, Attrs, RawHtml, image_attrs, image_token
from brief.theme import static_file
from brief.urls import path_url

if TYPE_CHECKING:
    from pygments.lexer import Lexer

HIGHLIGHT_PREFIX = "hl-"
"""Put before Pygments' short token class names: ``hl-k`` (keyword), ``hl-s2`` (string)."""


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    # (Pygments' lexers and formatters are imported by the first fence with a language: most
    # builds, and a cached one after an edit of a brief, render none: 4 ms of every start)
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:  # stripnl/ensurenl off: the highlighted text is the fence's text, newlines and all
        return get_lexer_by_name(language, stripnl=False, ensurenl=False)
    except (ClassNotFound, ValueError):
        return None


def highlight_code(code: str, language: str, attrs: str) -> str:
    """markdown-it's ``highlight`` option: the code as Pygments token spans (``<span
    class="hl-k">def</span>``), escaped, with no wrapper, so that markdown-it puts it in its
    ``<pre><code class="language-x">``; "" (markdown-it's escaped text) for a language
    Pygments does not know, a fence without one, or an empty block."""
    lexer = _lexer(language) if language and code else None
    if lexer is None:
        return ""
    from pygments import highlight
    from pygments.formatters import HtmlFormatter

    return highlight(code, lexer, HtmlFormatter(nowrap=True, classprefix=HIGHLIGHT_PREFIX))


class Renderer:
    """A configured Markdown renderer for one site."""

    def __init__(
        self,
        config: Config,
        article_urls: Mapping[Path, str] | Mapping[str, str],
        drafts: Set[Path | str] = frozenset(),
        invalid: Set[Path | str] = frozenset(),
    ) -> None:
        """``article_urls``: resolved source paths (or their text) → root-relative URLs of
        built articles; ``drafts``: sources of valid articles left out of this build;
        ``invalid``: of files with errors of their own (links to them are not reported
        again). All kept by the text of the path."""
        self._urls = {str(path): url for path, url in article_urls.items()}
        self._unbuilt = frozenset(map(str, drafts))
        self._invalid = frozenset(map(str, invalid))
        settings = (config.html, config.typographer, config.base_path, str(config.root), config.embeds_allow)
        self.key = digest(repr((*settings, _RULES, SETTINGS_KEY)))
        """What, beyond the text and the link targets, the HTML of a fragment depends on."""
        self._base_path = config.base_path
        self._root = config.root.resolve()
        self._static_dir = config.static_dir
        self.images = ImageStore(config.root)
        """Resized copies of the site's raster images (hero and text), kept in .brief-cache/images/."""
        self._raw = RawHtml(config, self) if config.html != "escape" else None
        self._md, self._typographer = self._parser(config, footnotes=True), config.typographer
        # One-line fields (takeaways, captions) have nowhere to put a footnote list.
        self._inline_md = self._parser(config, footnotes=False)

    def _parser(self, config: Config, footnotes: bool) -> MarkdownIt:
        md = MarkdownIt(
            "commonmark",
            {"html": self._raw is not None, "typographer": config.typographer, "highlight": highlight_code},
        )
        md.enable(["table", "strikethrough"])
        if config.typographer:
            md.enable(["replacements", "smartquotes"])
        if footnotes:
            md.use(footnote_plugin)
        md.validateLink = allowed_link  # type: ignore[method-assign]
        md.use(directives_plugin, config.embeds_allow)  # ::: blocks, a URL alone on its line
        md.core.ruler.push("brief_nesting", too_deep)
        md.core.ruler.push("brief_heading_ids", heading_ids)
        md.core.ruler.push("brief_no_nested_links", no_nested_links)
        md.core.ruler.push("brief_article_links", self._article_links)
        md.add_render_rule("table_open", table_open)
        md.add_render_rule("table_close", table_close)
        md.add_render_rule("image", image_html)
        md.add_render_rule("paragraph_open", paragraph_open)  # a titled image alone: <figure>
        md.add_render_rule("paragraph_close", paragraph_close)
        md.add_render_rule(RENDERED, render_rendered)
        for name, rule in self._raw.render_rules().items() if self._raw else ():
            md.add_render_rule(name, rule)
        for name in ("fence", "code_block"):
            md.add_render_rule(name, focusable_pre(getattr(md.renderer, name)))
        return md

    def block(
        self, text: str, env: PageEnv, first_line: int, doc_id: str = "", field: str = "body", outer_level: int = 1
    ) -> Markup:
        """Render a Markdown document (article body, analysis body). ``outer_level`` is the
        level of the page heading the fragment sits under (1: the headline)."""
        state = {"brief": env, "line": first_line, "field": field, "outer_level": outer_level}
        state[CLOSED] = closing_names(text)  # [name] alone on its line is a shortcode when the text has [/name]
        if doc_id:  # footnote ids become fn-<doc_id>-1, distinct from the body's fn1
            state["docId"] = doc_id
        html = render_by_blocks(self._md, text, state)
        return Markup(html + self._raw.finish(state) if self._raw else html)

    def inline(self, text: str, env: PageEnv, line: int | None, field: str = "body") -> Markup:
        """Render one line of inline Markdown (a takeaway, a caption)."""
        plain = plain_inline(text, self._typographer)  # (most takeaways: markdown-it not needed)
        if plain is not None:
            return Markup(plain)
        misplaced_footnotes(text, env, line, field)
        return Markup(self._inline_md.renderInline(text, {"brief": env, "line": line, "field": field}))

    def _article_links(self, state: StateCore) -> None:
        env: PageEnv | None = state.env.get("brief")
        if env is None:
            return
        foreign_references(state.env, env)
        for block in state.tokens:
            if block.type == "inline" and block.meta:  # a ::: block's problems, in their place
                env.problems += block.meta.pop(PROBLEMS, ())
            if block.type in ("inline", "html_block"):
                foreign_in_block(block, state.env, env)
            if block.type != "inline" or not block.children:
                continue
            if not state.inlineMode:
                mark_figure(block)
            first = state.env["line"]
            line = first + (block.map[0] if block.map else 0) if first is not None else None
            opened: list[Token] = []  # a link to an article left out of the build shows its text only
            for token in block.children:
                if token.type in ("softbreak", "hardbreak") and line is not None:  # a paragraph spans several lines
                    line += 1
                elif token.type == "link_open":
                    self._link(token, env, line, state.env["field"])
                    opened.append(token)
                elif token.type == "link_close" and opened:
                    token.hidden = opened.pop().hidden
                elif token.type == "image":
                    self._image(token, env, line, state.env["field"])
                elif token.type == "html_inline":  # a tag may run over lines: <a\nhref="x">
                    token.meta[LINE] = line
                    line = line + token.content.count("\n") if line is not None else None
            if self._raw is not None:
                block.children = self._raw.inline(block.children, state.env)

    def raw_link(self, href: str, env: PageEnv, line: int | None, field: str) -> str:
        """A raw ``<a href>``, resolved as a Markdown link (brief.render.rawhtml)."""
        token = Token("link_open", "a", 1, attrs={"href": self._raw_url(href)})
        self._link(token, env, line, field)
        return str(token.attrGet("href") or "")

    def raw_image(self, attrs: Attrs, env: PageEnv, line: int | None, field: str) -> tuple[Attrs, str]:
        """A raw ``<img>``'s attributes resolved as a Markdown image's, and its ``<source>``s."""
        token = image_token(attrs, self._raw_url)
        self._image(token, env, line, field)
        return image_attrs(token)

    def _raw_url(self, url: str) -> str:  # "safe" writes a raw URL as markdown-it writes a link's
        return self._md.normalizeLink(url) if self._raw and self._raw.mode == "safe" else url

    def _site_path(self, url: str) -> str | None:
        """A root-relative URL ("/images/x.png") with the base path put in front; None otherwise."""
        if url.startswith("/") and not url.startswith("//"):
            cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
            return self._base_path + path_url(url[1:cut]) + url[cut:]  # the query and #fragment stay as written
        return None

    def _image(self, token: Token, env: PageEnv, line: int | None, field: str) -> None:
        src = str(token.attrGet("src") or "")
        if not src.strip():
            env.problems.append(
                Problem(env.relpath, line, field, "image without a path (expected ![what it shows](path/to/image.png))")
            )
            return
        if not "".join(child.content for child in token.children or ()).strip():
            env.problems.append(
                Problem(
                    env.relpath,
                    line,
                    field,
                    f"image {unquote(src) or '(no path)'} has no alt text "
                    "(write ![what it shows](path) so readers who cannot see it know; "
                    "a purely decorative image belongs in the theme)",
                    WARNING,
                    "missing-alt",
                )
            )
        parts = urlsplit(src)
        if parts.scheme or parts.netloc or not parts.path or foreign_syntax(unquote(src)):
            return  # a path holding template syntax: that is its error (brief.render.foreign)
        site_path = self._site_path(src)
        if site_path is not None:
            token.attrSet("src", site_path)
            published = posixpath.normpath(unquote(parts.path))
            found = static_file(self._static_dir, published)
            if found is not None and field != "bio":
                env.deps[("file", str(found))] = file_stamp(found)
                self._sized(token, env, found, published, "static" + published, line, field)
            return
        shown = posixpath.normpath(posixpath.join(posixpath.dirname(env.relpath), unquote(parts.path)))
        try:
            target = (env.source.parent / unquote(parts.path)).resolve()
        except (OSError, ValueError):
            target = None
        if target is None or not target.is_relative_to(self._root):
            env.problems.append(Problem(env.relpath, line, field, f"image {src} points outside the site folder"))
            return
        stamp = file_stamp(target)
        env.deps[("file", str(target))] = stamp
        if stamp is None or not target.is_file():
            env.problems.append(
                Problem(
                    env.relpath,
                    line,
                    field,
                    f"image not found: {shown} (expected a path relative to this file, or /images/... under static/)",
                )
            )
            return
        if hidden(target, self._root):  # ../.env, ../.git/config: never copied into the output
            env.problems.append(
                Problem(
                    env.relpath,
                    line,
                    field,
                    f"image {src} is a hidden file or in a hidden folder (a name "
                    "starting with '.'); refusing to publish it (expected an image such as charts/a.svg)",
                )
            )
            return
        published = env.add_asset(target)
        token.attrSet("src", self._base_path + path_url(published.lstrip("/")))
        if field != "bio":  # an author's page does not publish the files its bio shows
            self._sized(token, env, target, published, shown, line, field)

    def _sized(
        self, token: Token, env: PageEnv, source: Path, published: str, shown: str, line: int | None, field: str
    ) -> None:
        """Give a local image in the text its size, lazy loading, and for a raster image the
        resized copies (``srcset``, ``sizes`` and a WebP ``<source>``, see brief.media.images),
        planned from its header and left to the image stage to make (``env.images``)."""
        try:
            found = self.images.plan(source, published)
        except ImageError as exc:
            env.problems.append(Problem(env.relpath, line, field, exc.message(shown)))
            return
        if found is None:  # SVG, GIF and the like: as they are, with their size when it is known
            size = shown_size(source)
        else:
            base = self._base_path
            # The copies are made in the build's image stage; their names depend only on the
            # original's bytes, so the HTML depends on the original's stamp alone.
            env.images.append(ImageUse(found, env.relpath, line, field, shown))
            for copy in found.copies():
                env.assets[copy.path.lstrip("/")] = copy.file  # type: ignore[assignment]
            token.attrSet("src", variant_url(found.src, base))
            token.attrSet("srcset", found.srcset(found.own, base))
            token.attrSet("sizes", BODY_SIZES)
            if found.webp:
                token.meta["brief_sources"] = (("image/webp", found.srcset(found.webp, base)),)
            size = (found.width, found.height)
        if size:
            token.attrSet("width", str(size[0]))
            token.attrSet("height", str(size[1]))
        token.attrSet("loading", "lazy")
        token.attrSet("decoding", "async")

    def link_state(self, target: Path | None) -> str:
        """What a ``.md`` link to ``target`` renders as: the URL of a built article, or
        "invalid", "unbuilt" or "missing"."""
        key = str(target) if target else ""  # (the text of no path)
        if (url := self._urls.get(key)) is not None:
            return url
        if key in self._invalid:
            return "invalid"
        return "unbuilt" if key in self._unbuilt else "missing"

    def _link(self, token: Token, env: PageEnv, line: int | None, field: str) -> None:
        href = str(token.attrGet("href") or "")
        if href.startswith("#"):  # a heading of this page, written as its text's slug
            token.attrSet("href", "#" + anchor_href(href[1:]))
            return
        site_path = self._site_path(href)
        if site_path is not None:  # /2024/05/other/#outlook: the heading "Outlook" there, as other.md#outlook
            base, hash_, fragment = site_path.partition("#")
            token.attrSet("href", base + hash_ + (anchor_href(fragment) if fragment else ""))
            return
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path.lower().endswith(".md"):
            return
        try:
            target: Path | None = (env.source.parent / unquote(parts.path)).resolve()
        except (OSError, ValueError):  # e.g. %00 in the link: no such file
            target = None
        state = self.link_state(target)
        env.deps[("link", str(target) if target else "")] = state
        if state in ("invalid", "unbuilt", "missing"):
            shown = posixpath.normpath(posixpath.join(posixpath.dirname(env.relpath), unquote(parts.path)))
            if state == "unbuilt":
                token.hidden = True  # no link to a page that does not exist
                env.problems.append(
                    Problem(
                        env.relpath,
                        line,
                        field,
                        f"link to {shown}, which is a draft, scheduled or expired and not part of this build "
                        "(its text is shown without the link)",
                        WARNING,
                        "link-not-built",
                    )
                )
            elif state == "missing":
                env.problems.append(
                    Problem(
                        env.relpath,
                        line,
                        field,
                        f"link to a missing article: {shown} (expected the path of an article's .md file, relative to this file)",
                    )
                )
            return
        query = f"?{parts.query}" if parts.query else ""
        fragment = anchor_href(parts.fragment) if parts.fragment else ""
        token.attrSet("href", state + query + (f"#{fragment}" if fragment else ""))


_RULES = (
    "links-no-data nesting-checked hidden-images no-nested-links inline-without-footnotes heading-levels "
    "responsive-images picture-hero heading-ids-h foreign-syntax focusable-pre embeds-callouts-pullquotes figures"
    " raw-html-escape-safe-trusted foreign-syntax-in-source unbuilt-links-as-text site-path-anchors"
    " wordpress-shortcodes-blocks"
    " code-highlight-pygments-" + pygments_version  # Pygments' version: its lexers change the spans
)
"""Changes to what a fragment renders to, so build caches of older renders are not reused."""
