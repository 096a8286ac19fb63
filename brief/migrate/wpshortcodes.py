"""WordPress shortcodes → brief Markdown.

WordPress expands ``[name attributes]`` (and ``[name]…[/name]``) when it shows a post;
the export holds them as written. The ones WordPress itself has become what brief shows:
``[caption]`` a figure, ``[embed]`` (and Jetpack's ``[youtube]``, ``[vimeo]``, ``[tweet]``…)
the URL alone on its line, ``[gallery]`` the attachments' images as figures one after
another, ``[video]``/``[audio]``/``[playlist]`` links to the files (brief's safe HTML
removes ``<video>`` and ``<audio>``). Any other is replaced through the ``--map`` file,
or left exactly as written and listed in the report under its name, with its line.

A bracketed word is taken for a shortcode when it is one of those, when the map names
it, or when it looks like one: it has attributes (``key=…``), a closing tag, a ``/]``,
or stands alone on its line. ``[sic]`` or ``[1]`` inside a sentence stays text. Inside
``<pre>`` and ``<code>`` nothing is expanded (code samples show shortcodes as text), and
``[[name]]`` is WordPress's way of writing ``[name]`` as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from brief.migrate.constructs import Params, Replacements, parse_params
from brief.migrate.mdtext import Blocks, image_markdown, media_link, plain_text
from brief.migrate.report import Report
from brief.render.embeds import find_embed

LITERAL_BRACKET = "\ue002"
"""``[`` of a shortcode written as text (``[[name]]``): a Markdown ``\\[`` once converted, which
brief shows as ``[`` without taking it for a shortcode left in the text."""

_TAG = re.compile(r"\[(\[?)(/?)([A-Za-z_][\w-]*)(?![\w-])((?:[^\]/\[]|/(?!\]))*)(/?)\](\]?)")
_CODE = re.compile(r"<(pre|code)\b.*?</\1\s*>", re.S | re.I)
KNOWN = ("caption", "wp_caption", "embed", "gallery", "video", "audio", "playlist")
PROVIDERS = {
    "youtube": "",
    "vimeo": "https://vimeo.com/{0}",
    "tweet": "https://x.com/i/status/{0}",
    "twitter": "https://x.com/i/status/{0}",
    "instagram": "",
    "soundcloud": "",
    "spotify": "",
    "tiktok": "",
}
"""Jetpack's (and WordPress.com's) embed shortcodes: ``[youtube URL]``, ``[vimeo 123]``…;
a bare number becomes the URL in the template."""


@dataclass
class Attachment:
    """A file of the media library (an ``attachment`` item of the export)."""

    id: int
    url: str
    """Its reference in the new site: ``/wp-content/uploads/…`` when the file was found, else as exported."""
    title: str = ""
    alt: str = ""
    caption: str = ""
    parent: int = 0
    order: int = 0
    mime: str = ""


@dataclass
class Shortcodes:
    """What expanding one post's shortcodes needs."""

    report: Report
    replacements: Replacements
    source: str
    """The export's file name (places in the report are ``export.xml:LINE``)."""
    line: int
    """Line of the export on which the post's content starts."""
    blocks: Blocks
    markdown: Callable[[str, int], str]
    """HTML → Markdown (for the text inside a shortcode the map replaces), given its line."""
    attachments: dict[int, Attachment] = field(default_factory=dict)
    children: list[Attachment] = field(default_factory=list)
    """The post's own attachments (a ``[gallery]`` without ``ids`` shows them)."""
    resolve: Callable[[str, int], str] = lambda url, line: url
    """An attachment's URL → the reference to write (the copied file's path), given the line."""

    def line_at(self, text: str, offset: int) -> int:
        return self.line + text.count("\n", 0, offset)


def expand(content: str, sc: Shortcodes) -> str:
    """``content`` with each shortcode replaced by a token of :class:`Blocks` (its Markdown,
    or the tag as written when it is left); the newlines it spanned follow the token, so
    that lines later in the post are still counted right."""
    code = [m.span() for m in _CODE.finditer(content)]
    out: list[str] = []
    pos = 0
    for match in _TAG.finditer(content):
        start = match.start()
        if start < pos or any(a <= start < b for a, b in code):
            continue
        escaped, closing, name, raw, _slash, _end = match.groups()
        if not _is_shortcode(content, match, sc.replacements):
            continue
        out.append(content[pos:start])
        if escaped and match[6]:
            out.append(LITERAL_BRACKET + match[0][2:-1])  # [[name]] is [name] written as text
            pos = match.end()
            continue
        end, replacement = _one(content, match, sc)
        out.append(replacement + "\n" * content.count("\n", start, end))
        pos = end
    out.append(content[pos:])
    return "".join(out)


def _is_shortcode(content: str, match: re.Match[str], replacements: Replacements) -> bool:
    escaped, closing, name, raw, slash, _end = match.groups()
    lower = name.lower()
    if lower in KNOWN or lower in PROVIDERS or name in replacements:
        return True
    if closing:
        return f"[{name}" in content[: match.start()]
    if "=" in raw or slash or f"[/{name}]" in content[match.end() :]:
        return True
    line_start = content.rfind("\n", 0, match.start()) + 1
    line_end = content.find("\n", match.end())
    line = content[line_start : line_end if line_end >= 0 else len(content)]
    return re.sub(r"</?p>|<br\s*/?>", "", line).strip() == match[0]


def _one(content: str, match: re.Match[str], sc: Shortcodes) -> tuple[int, str]:
    """(where the shortcode ends, its token). The map comes first: an entry for ``gallery``
    replaces WordPress's own."""
    _escaped, closing, name, raw, slash, _end = match.groups()
    lower = name.lower()
    mapped = name in sc.replacements
    builtin = not mapped and (lower in KNOWN or lower in PROVIDERS)
    line = sc.line_at(content, match.start())
    if closing:
        return match.end(), "" if mapped else sc.blocks.add(match[0])  # an opening tag the map replaced takes it along
    inner, end = None, match.end()
    close = -1 if slash else content.find(f"[/{name}]", match.end())
    if close >= 0 and (builtin or sc.replacements.wants_inner(name)):
        inner, end = content[match.end() : close], close + len(name) + 3
    params = parse_params(raw)
    made = _known(lower, raw, params, inner, sc, line) if builtin else None
    if made is not None:
        return end, sc.blocks.add(made)
    text = content[match.start() : end]
    if mapped:
        inner_md = sc.markdown(inner, line).strip() if inner is not None else None
        replaced, why = sc.replacements.apply(name, params, inner_md)
        if replaced is not None:
            sc.report.convert(f"[{name}] → map")
            return end, sc.blocks.add(("\n\n" + replaced.strip("\n") + "\n\n") if "\n" in replaced else replaced)
        sc.report.warn(sc.source, line, f"[{name}]: {why}; left as written")
    sc.report.leave(name, sc.source, line, text)
    if inner is not None:  # left as written: the text inside is still converted with the rest
        return match.end(), sc.blocks.add(match[0])
    return end, sc.blocks.add(text)


def _known(name: str, raw: str, params: Params, inner: str | None, sc: Shortcodes, line: int) -> str | None:
    """The Markdown of a shortcode WordPress (or Jetpack) has, or None to leave it as written."""
    if name in ("caption", "wp_caption"):
        return _caption(params, inner or "", sc, line)
    if name == "embed":
        url = _url(inner or "") or _url(raw)
        return _embed(url, "[embed]", sc) if url else None
    if name == "gallery":
        return _gallery(params, sc, line)
    if name in ("video", "audio"):
        return _media(name, params, inner, sc)
    if name == "playlist":
        return _playlist(params, sc, line)
    url = _url(raw) or _url(inner or "") or params.get("id", 0)
    template = PROVIDERS[name]
    if template and re.fullmatch(r"\d{1,20}", url):
        url = template.format(url)
    if not url or find_embed(url) is None:
        return None
    return _embed(url, f"[{name}]", sc)


def _embed(url: str, what: str, sc: Shortcodes) -> str:
    known = find_embed(url) is not None
    sc.report.convert(f"{what} → " + ("embed" if known else "URL alone on its line (no provider brief embeds)"))
    return f"\n\n{url}\n\n"


def _caption(params: Params, inner: str, sc: Shortcodes, line: int) -> str | None:
    image = re.search(r"<img\b[^>]*>", inner, re.I)
    if image is None:
        return None
    attributes = _attributes(image[0])
    src = attributes.get("src", "")
    if not src:
        return None
    link = re.search(r"<a\b[^>]*>\s*" + re.escape(image[0]) + r"\s*</a>", inner, re.I)
    rest = inner.replace(link[0] if link else image[0], "")
    caption = plain_text(params.get("caption") or rest)
    href = _attributes(link[0]).get("href", "") if link else ""
    figure = image_markdown(src, attributes.get("alt", ""), caption)
    if href and not re.search(r"\.(jpe?g|png|gif|webp)$|attachment_id=|/attachment/", href, re.I):
        sc.report.convert("[caption] → image with its link, caption below")
        below = f"\n\n*{plain_text(caption)}*" if caption else ""
        return f"\n\n[{image_markdown(src, attributes.get('alt', ''))}]({href}){below}\n\n"
    sc.report.convert("[caption] → figure")
    return f"\n\n{figure}\n\n"


def _gallery(params: Params, sc: Shortcodes, line: int) -> str:
    ids = [int(n) for n in re.findall(r"\d+", params.get("ids") or params.get("include"))]
    if ids:
        chosen = []
        for number in ids:
            if number in sc.attachments:
                chosen.append(sc.attachments[number])
            else:
                sc.report.warn(sc.source, line, f"[gallery]: no attachment {number} in the export; left out")
    else:
        excluded = {int(n) for n in re.findall(r"\d+", params.get("exclude"))}
        chosen = [a for a in sorted(sc.children, key=lambda a: (a.order, a.id)) if a.id not in excluded]
    images = [a for a in chosen if a.mime.startswith("image/") or not a.mime]
    if not images:
        sc.report.warn(sc.source, line, "[gallery] with no image in the export: left out")
        return ""
    sc.report.convert("[gallery] → figures")
    figures = [image_markdown(sc.resolve(a.url, line), a.alt, a.caption) for a in images]
    return "\n\n" + "\n\n".join(figures) + "\n\n"


def _media(kind: str, params: Params, inner: str | None, sc: Shortcodes) -> str | None:
    keys = (
        ("src", "mp4", "m4v", "webm", "ogv", "wmv", "flv")
        if kind == "video"
        else ("src", "mp3", "ogg", "m4a", "wav", "wma")
    )
    url = next((params.named[k] for k in keys if params.named.get(k)), "") or _url(inner or "")
    url = url or next((p for p in params.positional if re.match(r"https?://\S+$", p)), "")  # [audio https://…mp3]
    if not url:
        return None
    if find_embed(url) is not None:
        return _embed(url, f"[{kind}]", sc)
    sc.report.convert(f"[{kind}] → link (brief's safe HTML removes <{kind}>)")
    return f"\n\n{media_link(kind, url)}\n\n"


def _playlist(params: Params, sc: Shortcodes, line: int) -> str | None:
    kind = "video" if params.get("type") == "video" else "audio"
    files = [sc.attachments[int(n)] for n in re.findall(r"\d+", params.get("ids")) if int(n) in sc.attachments]
    if not files:
        return None
    sc.report.convert(f"[playlist] → links (brief's safe HTML removes <{kind}>)")
    links = [f"- {media_link(kind, sc.resolve(a.url, line), a.title)}" for a in files]
    return "\n\n" + "\n".join(links) + "\n\n"


def _url(text: str) -> str:
    """The first http(s) URL in ``text`` (a shortcode's raw attributes or its inner text)."""
    found = re.search(r"https?://[^\s\"'<>\[\]]+", text)
    return found[0] if found else ""


def _attributes(tag: str) -> dict[str, str]:
    found = re.findall(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", tag)
    return {name.lower(): a or b or c for name, a, b, c in found}
