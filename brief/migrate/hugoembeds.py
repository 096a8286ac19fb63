"""Hugo's own shortcodes, one converter each: what brief writes for ``figure``, ``youtube``,
``vimeo``, ``x``/``tweet``, ``instagram``, ``gist``, ``highlight``, ``ref``/``relref``,
``param``, ``details``, ``qr`` and ``comment``.

A converter takes the shortcode's parameters, its inner text (converted; None when it has
no closing tag) and returns (brief Markdown, the kind for the report, whether it must
stand as a block of its own), or None when it cannot say the same thing in brief (no id,
a page that does not exist…): the shortcode is then left as written and listed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from brief.migrate.constructs import Params, Replacements
from brief.migrate.report import Report

Result = tuple[str, str, bool] | None


@dataclass
class Context:
    """What converting one post's shortcodes needs to know."""

    source: str
    report: Report
    replacements: Replacements
    line_at: Callable[[int], int] = lambda offset: 1
    """Line of the source file holding the body's character ``offset``."""
    resolve_ref: Callable[[str], str | None] = lambda target: None
    """A ``ref``/``relref`` target → the page's source URL path (with its #anchor), or None."""
    param: Callable[[str], object] = lambda name: None
    """A ``param`` name (dotted) → its value from the page's front matter, else the site's params."""
    default_language: str = ""


Converter = Callable[[Params, str | None, Context, int], Result]

_ID = re.compile(r"[\w-]+")


def _embed(url: str, title: str = "", start: str = "") -> str:
    """A URL alone on its line, or a ``::: embed`` block when there is more to say."""
    options = [f"title: {' '.join(title.split())}" if title else "", f"start: {start}" if start else ""]
    options = [o for o in options if o]
    if not options:
        return url
    return "\n".join([f"::: embed {url}", *options, ":::"])


def youtube(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    video = p.get("id", 0)
    if not _ID.fullmatch(video):
        return None
    start = p.get("start")
    start = start if start.isdigit() else ""
    return _embed(f"https://www.youtube.com/watch?v={video}", p.get("title"), start), "embed", True


def vimeo(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    video = p.get("id", 0)
    if not video.isdigit():
        return None
    return _embed(f"https://vimeo.com/{video}", p.get("title")), "embed", True


def x_post(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    if "id" in p.named or len(p.positional) < 2:
        user, post = p.get("user"), p.get("id", 0)
    else:
        user, post = p.positional[0], p.positional[1]
    if not post.isdigit() or (user and not re.fullmatch(r"\w{1,15}", user)):
        return None
    return f"https://x.com/{user or 'i'}/status/{post}", "embed", True


def instagram(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    post = p.get("id", 0)
    if not _ID.fullmatch(post):
        return None
    return f"https://www.instagram.com/p/{post}/", "embed", True


def gist(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    user, gist_id, file = p.get("user", 0), p.get("id", 1), p.get("file", 2)
    if not user or not _ID.fullmatch(gist_id):
        return None
    url = f"https://gist.github.com/{user}/{gist_id}"
    if file:
        url += "#file-" + re.sub(r"[^\w-]", "-", file.lower())
    return f"[{file or 'Gist'} by {user} on GitHub]({url})", "link", True


def highlight(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    if inner is None:
        return None
    language = p.get("lang", 0) or p.get("language")
    code = inner.strip("\n")
    longest = max((len(run) for run in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{code}\n{fence}", "code fence", True


def figure(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    src = p.get("src", 0)
    if not src:
        return None
    alt = p.get("alt")
    heading, caption = _plain(p.get("title")), _plain(p.get("caption"))
    if heading and caption:
        caption = f"{heading} {caption}" if heading[-1] in ".!?:" else f"{heading}. {caption}"
    else:
        caption = heading or caption
    credit = _plain(p.get("attr"))
    if credit:
        caption = f"{caption} ({credit})" if caption else credit
    if not alt:
        ctx.report.warn(ctx.source, line, f"figure {src} has no alt text: write one in the image's [ ]")
    title = ' "' + caption.replace('"', "'") + '"' if caption else ""
    out = f"![{_bracket(alt)}](<{src}>{title})" if " " in src else f"![{_bracket(alt)}]({src}{title})"
    links = [(p.get("link"), caption or alt or "Link"), (p.get("attrlink"), credit or "Source")]
    extra = [f"[{_bracket(text)}]({url})" for url, text in links if url and url != src]
    return "\n\n".join([out, *extra]), "figure", True


def _plain(text: str) -> str:
    """Inline Markdown as plain text (a caption is plain text): links keep their words."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"<[^>]+>", "", text)
    return " ".join(text.replace("**", "").replace("__", "").split())


def _bracket(text: str) -> str:
    return text.replace("[", "\\[").replace("]", "\\]")


def ref(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    target = p.get("path", 0)
    language = p.get("lang")
    if not target or (language and language != ctx.default_language):
        return None
    url = ctx.resolve_ref(target)
    if url is None:
        ctx.report.warn(ctx.source, line, f"ref {target}: no page of the archive has that path; left as written")
        return None
    return url, "source URL", False


def param(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    name = p.get("name", 0)
    value = ctx.param(name) if name else None
    if isinstance(value, bool):
        value = str(value).lower()
    if not isinstance(value, str | int | float):
        return None
    return str(value), "value", False


def details(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    if inner is None:
        return None
    summary = _plain(p.get("summary", 0)) or "Details"
    opened = " open" if p.get("open").lower() in ("true", "open", "1") else ""
    return f"<details{opened}>\n<summary>{summary}</summary>\n\n{inner.strip()}\n\n</details>", "details", True


def qr(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    text = (p.get("text") or inner or "").strip()
    if not re.fullmatch(r"https?://\S+", text):
        return None
    return f"<{text}>", "link", False


def comment(p: Params, inner: str | None, ctx: Context, line: int) -> Result:
    return "", "removed (a comment)", False


BUILTIN: dict[str, Converter] = {
    "youtube": youtube,
    "vimeo": vimeo,
    "x": x_post,
    "tweet": x_post,
    "twitter": x_post,
    "instagram": instagram,
    "gist": gist,
    "highlight": highlight,
    "figure": figure,
    "ref": ref,
    "relref": ref,
    "param": param,
    "details": details,
    "qr": qr,
    "comment": comment,
}
