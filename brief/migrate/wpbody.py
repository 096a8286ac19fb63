"""One WordPress post's stored text → brief Markdown.

``content:encoded`` is what the editor saved, not what readers saw: WordPress makes the
page from it on every view. In the order WordPress itself does it (as far as a static
site can follow): image and file URLs of the media library become the copied files'
paths; Gutenberg's block comments (``<!-- wp:… -->``) go, saying what they know first
(``wp:embed`` its URL, a reusable ``wp:block`` its content); ``<!--more-->`` and
``<!--nextpage-->`` go (the text before ``more`` may become the dek); shortcodes are
expanded (:mod:`brief.migrate.wpshortcodes`); a URL alone on its line stays alone
(WordPress embeds it, and so does brief for the providers it knows); text outside blocks
gets its paragraphs back (WordPress's ``wpautop``: a blank line is a paragraph, a single
newline a ``<br>``, never inside ``<pre>``); then the HTML becomes Markdown
(:mod:`brief.migrate.htmlmd`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from brief.migrate import htmlmd, mdtext, wpshortcodes
from brief.migrate.constructs import Params
from brief.migrate.model import Asset
from brief.migrate.report import Report
from brief.render.embeds import find_embed

_UPLOAD = re.compile(r"""(?:https?:)?//[^\s"'<>()\[\]]+|/wp-content/uploads/[^\s"'<>()\[\]]+""")
_RESIZED = re.compile(r"-(?:\d{1,5}x\d{1,5}|scaled|e\d{10,13})(\.\w{2,5})$")
_SRCSET = re.compile(r"""\s(?:srcset|sizes)\s*=\s*(?:"[^"]*"|'[^']*')""", re.I)
_BLOCK = re.compile(r"<!--\s+(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)(\s+\{.*?\})?\s+(/)?-->", re.S)
_MORE = re.compile(r"<!--(more|nextpage)(?:\s[^>]*)?-->")
_POST_LINK = re.compile(r"""(href=["'])(?:https?://[^"'?#]*)?/?\?(p|page_id)=(\d+)(["'#])""")
_ALL_BLOCKS = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote"
    "|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure"
    "|figcaption|details|menu|summary"
)
AUTOP_START, AUTOP_END = "\ue000", "\ue001"

"""Around text outside Gutenberg's blocks, which gets wpautop's paragraphs."""


class Uploads:
    """The media library: a URL of the site's ``wp-content/uploads`` (or of its WordPress.com
    file host) → the file in ``--uploads``, copied to ``static/wp-content/uploads/…``."""

    def __init__(self, folder: Path | None, hosts: set[str], report: Report, source: str) -> None:
        self.folder = folder.resolve() if folder is not None else None
        self.hosts = {h.lower().removeprefix("www.") for h in hosts if h}
        self.report, self.source = report, source
        self.found: dict[str, Asset] = {}
        self.missing = 0

    def relative(self, url: str) -> str | None:
        """``2020/01/a.jpg`` for a URL of this site's uploads, else None."""
        parts = urlsplit(url if not url.startswith("//") else "https:" + url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        path = unquote(parts.path)
        if host and host not in self.hosts and not host.endswith(".files.wordpress.com"):
            return None
        if "/wp-content/uploads/" in path:
            rel = path.split("/wp-content/uploads/", 1)[1]
        elif host.endswith(".files.wordpress.com") and re.match(r"/\d{4}/\d{2}/", path):
            rel = path[1:]
        else:
            return None
        return rel if rel and ".." not in rel.split("/") else None

    def resolve(self, url: str, line: int | None, assets: list[Asset]) -> str:
        """The reference to write for ``url``: ``/wp-content/uploads/…`` when the file (or, for a
        resized copy, its original) is in the uploads folder; else ``url`` as it was, listed."""
        rel = self.relative(url)
        if rel is None:
            return url
        candidates = [rel] + ([_RESIZED.sub(r"\1", rel)] if _RESIZED.search(rel) else [])
        for name in candidates:
            asset = self.found.get(name) or self._find(name, url, line)
            if asset is not None:
                if all(a.name != asset.name for a in assets):
                    assets.append(asset)
                return "/" + asset.name
        self.missing += 1
        self.report.miss(self.source, line, url)
        return url

    def _find(self, name: str, url: str, line: int | None) -> Asset | None:
        if self.folder is None:
            return None
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        asset = Asset(path, f"wp-content/uploads/{name}", static=True, written=url, line=line)
        self.found[name] = asset
        return asset


@dataclass
class Post:
    """What converting one post's body needs and gives back."""

    report: Report
    shortcodes: wpshortcodes.Shortcodes
    uploads: Uploads
    post_urls: dict[int, str] = field(default_factory=dict)
    """Post and page ids → their main source path (for ``?p=12`` links)."""
    reusable: dict[int, str] = field(default_factory=dict)
    """Reusable blocks (``wp_block`` items): id → content."""
    attachment_pages: dict[str, str] = field(default_factory=dict)
    """An attachment's page (``…/post/photo/``, without its last ``/``) → its file's URL."""
    assets: list[Asset] = field(default_factory=list)
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    """Gutenberg's footnotes (the ``footnotes`` postmeta): (id, HTML), in order."""
    teaser: str = ""
    """The text before ``<!--more-->``, as plain text."""

    @property
    def source(self) -> str:
        return self.shortcodes.source

    @property
    def line(self) -> int:
        return self.shortcodes.line


def convert(content: str, post: Post) -> str:
    """The body of one post in brief Markdown."""
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    content = _reusable(content, post)
    has_blocks = _BLOCK.search(content) is not None
    content = _urls(content, post)
    content = _footnotes(content, post)
    content = _blocks(content, post)
    content = _more(content, post)
    content = wpshortcodes.expand(content, post.shortcodes)
    content = _auto_embeds(content, post)
    if AUTOP_START in content:
        content = re.sub(f"{AUTOP_START}(.*?){AUTOP_END}", lambda m: wpautop(m[1]), content, flags=re.S)
    elif not has_blocks:
        content = wpautop(content)
    content = content.replace(AUTOP_START, "").replace(AUTOP_END, "")
    return htmlmd.to_markdown(
        content, report=post.report, source=post.source, line=post.line, blocks=post.shortcodes.blocks
    ).replace(wpshortcodes.LITERAL_BRACKET, "\\[")


def _reusable(content: str, post: Post, depth: int = 0) -> str:
    """``<!-- wp:block {"ref":12} /-->`` → the reusable block's own content (three levels deep at most)."""

    def put(match: re.Match[str]) -> str:
        ref = re.search(r'"ref"\s*:\s*(\d+)', match[0])
        saved = post.reusable.get(int(ref[1])) if ref else None
        if saved is None or depth > 2:
            return match[0]
        post.report.convert("wp:block (reusable block) → its content")
        return _reusable(saved, post, depth + 1)

    return re.sub(r"<!--\s+wp:block\s+\{[^}]*\}\s+/-->", put, content)


def _footnotes(content: str, post: Post) -> str:
    """Gutenberg's footnotes → Markdown's: ``<sup data-fn="…">`` → ``[^1]``, and
    ``<!-- wp:footnotes /-->`` (or the end of the post) → the notes."""
    if not post.footnotes:
        return content
    numbers = {key: n for n, (key, _) in enumerate(post.footnotes, 1)}
    blocks = post.shortcodes.blocks

    def ref(match: re.Match[str]) -> str:
        number = numbers.get(match[1])
        return match[0] if number is None else blocks.add(f"[^{number}]")

    content = re.sub(r"""<sup\b[^>]*\bdata-fn=["']([^"']+)["'][^>]*>.*?</sup>""", ref, content, flags=re.S)
    notes = []
    for number, (_, text) in enumerate(post.footnotes, 1):
        note = htmlmd.to_markdown(text, report=post.report, source=post.source, line=post.line)
        notes.append(f"[^{number}]: " + " ".join(note.split("\n")).strip())
    post.report.convert("wp:footnotes → Markdown footnotes")
    token = blocks.add("\n\n" + "\n".join(notes) + "\n\n")
    place = re.compile(r"<!--\s+wp:footnotes\b[^>]*/-->")
    return place.sub(token, content, count=1) if place.search(content) else content + "\n\n" + token


def _urls(content: str, post: Post) -> str:
    """Media library URLs → the copied files' paths; ``?p=12`` links → the post's path; srcset off."""
    content = _SRCSET.sub("", content)

    def post_link(match: re.Match[str]) -> str:
        target = post.post_urls.get(int(match[3]))
        host = (urlsplit(match[0][len(match[1]) :]).hostname or "").lower().removeprefix("www.")
        if target is None or (host and host not in post.uploads.hosts):
            return match[0]
        post.report.convert(f"?{match[2]}= link → the post's URL")
        return f"{match[1]}{target}{match[4]}"

    content = _POST_LINK.sub(post_link, content)

    def attachment_page(match: re.Match[str]) -> str:
        target = post.attachment_pages.get(match[2].rstrip("/"))
        if target is None:
            return match[0]
        post.report.convert("link to an attachment's page → link to its file")
        return f"{match[1]}{target}{match[3]}"

    if post.attachment_pages:
        content = re.sub(r"""(href=["'])([^"'#?]+)(["'])""", attachment_page, content)

    def one(match: re.Match[str]) -> str:
        url = match[0]
        if "/wp-content/uploads/" not in url and ".files.wordpress.com/" not in url:
            return url
        line = post.line + content.count("\n", 0, match.start())
        return post.uploads.resolve(url, line, post.assets)

    return _UPLOAD.sub(one, content)


def _blocks(content: str, post: Post) -> str:
    """Gutenberg's block comments off: an embed block → its URL (a token); a dynamic block
    (one WordPress fills on each view: latest posts, a search box…) listed and left as
    written; text outside every block marked for wpautop."""
    if not _BLOCK.search(content):
        return content
    out: list[str] = []
    pos, depth, outside_from = 0, 0, 0
    for match in _BLOCK.finditer(content):
        closing, name, attrs, selfclosing = match[1], match[2], match[3] or "", match[4]
        if depth == 0 and not closing:
            out.append(_outside(content[outside_from : match.start()]))
        else:
            out.append(content[pos : match.start()])
        pos = match.end()
        newlines = "\n" * match[0].count("\n")
        if closing:
            depth = max(0, depth - 1)
            outside_from = pos
            out.append(newlines)
            continue
        if selfclosing:
            out.append(_dynamic(name, attrs, match, content, post) + newlines)
            outside_from = pos
            continue
        depth += 1
        if name in ("embed", "video-embed") or name.startswith("core-embed/"):
            end = content.find(f"<!-- /wp:{name} -->", pos)
            url = _json(attrs).get("url")
            if isinstance(url, str) and end >= 0:
                caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", content[pos:end], re.S)
                text = mdtext.plain_text(caption[1]) if caption else ""
                out.append(_embed_token(url, text, post) + "\n" * content.count("\n", pos, end))
                pos = end
        out.append(newlines)
    tail = content[pos:]
    out.append(_outside(tail) if depth == 0 else tail)
    return "".join(out)


def _outside(text: str) -> str:
    return f"{AUTOP_START}{text}{AUTOP_END}" if text.strip() else text


def _dynamic(name: str, attrs: str, match: re.Match[str], content: str, post: Post) -> str:
    if name in ("more", "nextpage", "separator", "spacer"):
        return ""
    key = f"wp:{name}"
    line = post.line + content.count("\n", 0, match.start())
    if key in post.shortcodes.replacements:
        params = Params(named={k: str(v) for k, v in _json(attrs).items() if isinstance(v, str | int | float)})
        replaced, why = post.shortcodes.replacements.apply(key, params)
        if replaced is not None:
            post.report.convert(f"{key} → map")
            return post.shortcodes.blocks.add(f"\n\n{replaced}\n\n")
        post.report.warn(post.source, line, f"{key}: {why}; left as written")
    post.report.leave(key, post.source, line, match[0])
    return post.shortcodes.blocks.add(f"\n\n{match[0]}\n\n")


def _embed_token(url: str, caption: str, post: Post) -> str:
    known = find_embed(url) is not None
    post.report.convert("wp:embed → " + ("embed" if known else "URL alone on its line (no provider brief embeds)"))
    if known and caption:
        block = f"::: embed {url}\ncaption: {mdtext.escape_text(caption)}\n:::"
    else:
        block = url + (f"\n\n{mdtext.escape_text(caption)}" if caption else "")
    return post.shortcodes.blocks.add(f"\n\n{block}\n\n")


def _json(attrs: str) -> dict:
    try:
        value = json.loads(attrs) if attrs.strip() else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _more(content: str, post: Post) -> str:
    """``<!--more-->`` and ``<!--nextpage-->`` off (the whole post is one page); the text
    before the first ``more`` kept as the teaser."""
    first = _MORE.search(content)
    if first is None:
        return content
    if first[1] == "more":
        before = re.sub(r"<!--.*?-->|\[[^\]]*\]|[\ue000\ue001]", " ", content[: first.start()], flags=re.S)
        post.teaser = mdtext.plain_text(before)
    for match in _MORE.finditer(content):
        post.report.convert(
            f"<!--{match[1]}--> → removed" + (" (the post is one page)" if match[1] == "nextpage" else "")
        )
    return _MORE.sub("", content)


def _auto_embeds(content: str, post: Post) -> str:
    """A URL alone on its line (outside ``<pre>``) → its own paragraph, as WordPress embeds it."""
    code = [m.span() for m in re.finditer(r"<pre\b.*?</pre>", content, re.S | re.I)]

    def one(match: re.Match[str]) -> str:
        if any(a <= match.start() < b for a, b in code):
            return match[0]
        url = match[2]
        known = find_embed(url) is not None
        post.report.convert("URL alone on its line → " + ("embed" if known else "kept alone on its line"))
        return f"{match[1]}\n\n{post.shortcodes.blocks.add(url)}\n\n{match[3]}"

    return re.sub(r"(^|\n)[ \t]*(https?://[^\s<>\"]+)[ \t]*(?=\n|$)()", one, content)


def wpautop(text: str) -> str:
    """WordPress's ``wpautop``: blank lines → paragraphs, single newlines → ``<br />``, with
    block elements left as they are and ``<pre>`` untouched."""
    if not text.strip():
        return text
    saved: list[str] = []

    def keep(match: re.Match[str]) -> str:
        saved.append(match[0])
        return f"<pre wp-pre-tag-{len(saved) - 1}></pre>"

    text = re.sub(r"<pre\b.*?</pre>", keep, text + "\n", flags=re.S | re.I)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text)
    text = re.sub(rf"(<(?:{_ALL_BLOCKS})[\s/>])", r"\n\n\1", text)
    text = re.sub(rf"(</(?:{_ALL_BLOCKS})>)", r"\1\n\n", text)
    text = re.sub(r"(<hr\s*?/?>)", r"\1\n\n", text)
    text = re.sub(r"<[^>]*\n[^>]*>", lambda m: m[0].replace("\n", " "), text)  # newlines inside tags
    text = re.sub(r"\n\n+", "\n\n", text)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in paragraphs)
    text = re.sub(r"<p>\s*</p>", "", text)
    text = re.sub(r"<p>([^<]+)</(div|address|form)>", r"<p>\1</p></\2>", text)
    text = re.sub(rf"<p>\s*(</?(?:{_ALL_BLOCKS})[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<p>(<li.+?)</p>", r"\1", text)
    text = re.sub(r"<p><blockquote([^>]*)>", r"<blockquote\1><p>", text, flags=re.I)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = re.sub(rf"<p>\s*(</?(?:{_ALL_BLOCKS})[^>]*>)", r"\1", text)
    text = re.sub(rf"(</?(?:{_ALL_BLOCKS})[^>]*>)\s*</p>", r"\1", text)
    text = re.sub(r"<(script|style|svg|math).*?</\1>", lambda m: m[0].replace("\n", "\ue002"), text, flags=re.S)
    text = re.sub(r"<br\s*/?>", "<br />", text)
    text = re.sub(r"(?<!<br />)\s*\n", "<br />\n", text)
    text = text.replace("\ue002", "\n")
    text = re.sub(rf"(</?(?:{_ALL_BLOCKS})[^>]*>)\s*<br />", r"\1", text)
    text = re.sub(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    return re.sub(r"<pre wp-pre-tag-(\d+)></pre>", lambda m: saved[int(m[1])], text)
