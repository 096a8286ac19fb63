"""Liquid includes and plugin tags that embed a video or post or show a figure.

An include is recognised by what it holds when its file is in ``_includes/`` (an
``<iframe>`` of a known provider, a tweet's blockquote, one ``<img>`` and its
``<figcaption>``: the include's parameters are put in, and what comes out is judged), else
by its name and parameters (``youtube.html id=…``, ``vimeo.html``, ``tweet.html``,
``video provider=youtube id=…``, ``figure.html image=… caption=… alt=…``,
``image.html url=… description=…``). An embed becomes its URL alone on a line (or a
``::: embed`` block when a caption or title is given); a figure becomes an image alone in
its paragraph with the caption as its title, which brief shows as a ``<figure>``.
Plugin tags (``{% youtube id %}``, ``{% vimeo id %}``, ``{% twitter url %}``,
``{% oembed url %}``, ``{% gist user/id %}``) are turned the same way.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from brief.migrate.constructs import Params
from brief.migrate.liquidexpr import Env, as_text, evaluate
from brief.render.embeds import find_embed

_ID_KEYS = (
    "id",
    "video",
    "video_id",
    "youtube_id",
    "vimeo_id",
    "tweet",
    "tweet_id",
    "url",
    "src",
    "link",
    "v",
    "status",
)
_IMAGE_KEYS = ("image_path", "image", "src", "url", "path", "file", "img", "image_url", "imageurl", "filename")
_ALT_KEYS = ("alt", "alt_text", "alttext", "image_alt")
_CAPTION_KEYS = ("caption", "title", "description", "text", "figcaption")
_FIGURE_NAMES = {
    "figure",
    "image",
    "img",
    "picture",
    "photo",
    "fig",
    "captioned-image",
    "image-caption",
    "figure-image",
}
_PROVIDERS = ("youtube", "vimeo", "tweet", "twitter", "instagram")
_TAG = re.compile(r"\{%-?.*?-?%\}", re.S)
_OUTPUT = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)


@dataclass
class Found:
    """What an include stood for, in brief Markdown."""

    markdown: str
    kind: str
    """The kind of conversion, for the report: ``{% include youtube.html %} → embed``."""
    warning: str = ""


def _first(params: Params, keys: tuple[str, ...], position: int | None = None) -> str:
    for key in keys:
        if params.named.get(key, "").strip():
            return params.named[key].strip()
    if position is not None and position < len(params.positional):
        return params.positional[position].strip()
    return ""


def embed_url(provider: str, value: str) -> str | None:
    """The URL of the item ``value`` names (an id or a URL) on ``provider``, when brief embeds it."""
    value = value.strip().strip("\"'")
    if re.match(r"https?://", value):
        url = value
    elif provider == "youtube" and re.fullmatch(r"[A-Za-z0-9_-]{11}", value):
        url = f"https://www.youtube.com/watch?v={value}"
    elif provider == "vimeo" and value.isdigit():
        url = f"https://vimeo.com/{value}"
    elif provider in ("tweet", "twitter") and value.isdigit():
        url = f"https://twitter.com/i/status/{value}"
    elif provider == "instagram" and re.fullmatch(r"[\w-]{5,40}", value):
        url = f"https://www.instagram.com/p/{value}/"
    else:
        return None
    return url if find_embed(url) is not None else None


def page_url(url: str) -> str:
    """A provider's player address (``player.vimeo.com/video/1``, ``youtube.com/embed/x``) as
    the item's page, which is what an editor pastes; any other URL as it is."""
    found = find_embed(url)
    if found is None or not re.search(r"//player\.|/embed\b|/Tweet\.html", url):
        return url
    return found.link


def embed_block(url: str, title: str = "", caption: str = "") -> str:
    """The embed alone on its line, or a ``::: embed`` block carrying a title or caption."""
    url = page_url(url)
    if not title and not caption:
        return url
    lines = [f"::: embed {url}"]
    lines += [f"title: {' '.join(title.split())}"] if title else []
    lines += [f"caption: {' '.join(caption.split())}"] if caption else []
    return "\n".join([*lines, ":::"])


def figure(src: str, alt: str, caption: str) -> str:
    """An image alone in its paragraph, its caption (as plain text) its title."""
    target = f"<{src}>" if re.search(r"[\s()<>]", src) else src
    caption = _plain(caption)
    title = ' "' + caption.replace("\\", "\\\\").replace('"', '\\"') + '"' if caption else ""
    return f"![{_plain(alt).replace('[', '(').replace(']', ')')}]({target}{title})"


def _plain(text: str) -> str:
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a Markdown link → its text
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def plugin_embed(tag: str, params: Params) -> tuple[str, str] | None:
    """A plugin's embed tag → (Markdown, kind of conversion), or None when not understood."""
    words = list(params.positional)
    if tag == "twitter" and words[:1] == ["oembed"]:
        words = words[1:]
    value: str = words[0] if words else _first(params, _ID_KEYS)
    if not value:
        return None
    if tag == "gist":
        if not re.fullmatch(r"[\w.-]+/[0-9a-fA-F]+|[0-9a-fA-F]{6,}", value):
            return None
        return f"[Gist {value}](https://gist.github.com/{value})", "{% gist %} → link"
    url = embed_url(tag if tag in _PROVIDERS else "", value)
    if url is not None:
        return page_url(url), f"{{% {tag} %}} → embed"
    if tag in ("oembed", "video") and re.match(r"https?://\S+$", value):
        return f"<{value}>", f"{{% {tag} %}} → link"
    return None


def known_include(name: str, params: Params, template: str | None, env: Env) -> Found | None:
    """What ``{% include name params %}`` shows, when it is an embed or a figure."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    kind = f"{{% include {name} %}}"
    if template is not None:
        found = _from_template(template, params, env, kind)
        if found is not None:
            return found
    provider = next((p for p in _PROVIDERS if p in stem), "")
    if stem == "video" and params.named.get("provider", "").lower() in _PROVIDERS:
        provider = params.named["provider"].lower()
    if provider:
        url = embed_url(provider, _first(params, _ID_KEYS, 0))
        if url is not None:
            title, caption = _first(params, ("title",)), _first(params, ("caption", "description"))
            return Found(embed_block(url, title, caption), f"{kind} → embed")
    if stem in _FIGURE_NAMES:
        src = _first(params, _IMAGE_KEYS, 0)
        if src:
            return _figure(src, _first(params, _ALT_KEYS), _first(params, _CAPTION_KEYS), kind)
    return None


def _figure(src: str, alt: str, caption: str, kind: str) -> Found:
    warning = "" if alt.strip() else f"{kind}: the image {src} has no alt text (write what it shows in ![…])"
    return Found(figure(src, alt, caption), f"{kind} → figure", warning)


def _from_template(template: str, params: Params, env: Env, kind: str) -> Found | None:
    """Judge the include by its file: its parameters put in, is it one embed or one figure?"""
    if len(template) > 20_000:
        return None
    inner = Env(env.page, env.site, {**env.variables, "include": dict(params.named)}, set(env.opaque), env.opaque_site)
    template = re.sub(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", "", template, flags=re.S)

    def value(match: re.Match[str]) -> str:
        result = evaluate(match[1], inner)
        return "" if result.unknown else as_text(result.value)

    page = _TAG.sub("", _OUTPUT.sub(value, template))
    if _other_text(page):
        return None  # a card, a box with text of its own: not just an embed or a figure
    if re.search(r"<iframe|twitter-tweet|instagram-media|<video", page, re.I):
        for url in re.findall(r"""\b(?:src|href|data-src)\s*=\s*["']([^"']+)["']""", page):
            url = html.unescape(url).strip()
            if url.startswith("//"):
                url = "https:" + url
            if find_embed(url) is not None:
                title = _first(params, ("title",))
                return Found(embed_block(url, title, _first(params, ("caption",))), f"{kind} → embed")
    images = re.findall(r"<img\b[^>]*>", page, re.I)
    if len(images) != 1:
        return None
    src = _attribute(images[0], "src") or _attribute(images[0], "data-src")
    if not src:
        return None
    caption = re.search(r"<figcaption\b[^>]*>(.*?)</figcaption>", page, re.S | re.I)
    return _figure(src, _attribute(images[0], "alt"), caption[1] if caption else "", kind)


def _other_text(page: str) -> str:
    """The text an include shows besides a quoted post, a caption, a script or a title."""
    for element in ("blockquote", "figcaption", "script", "style", "noscript", "title"):
        page = re.sub(rf"<{element}\b.*?</{element}\s*>", " ", page, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", page)).split())


def _attribute(tag: str, name: str) -> str:
    found = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)')""", tag, re.I)
    return html.unescape(found[1] if found and found[1] is not None else found[2] if found else "").strip()
