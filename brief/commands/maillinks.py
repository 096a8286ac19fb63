"""Links and images of the newsletter: absolute, the site's own with the edition's UTM
parameters, and each checked against the pages and files the build made.

A mail client has no page to resolve a relative link against, so every ``href`` and
``src`` is absolute. Only links to the site carry the UTM parameters (they are for the
site's own analytics, and other sites need not see them); a query string or ``#fragment``
a link already has is kept, and so is a UTM parameter it already names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import nh3
from markupsafe import Markup

from brief.render.contract import ImageView
from brief.render.links import extract, why_broken
from brief.render.mailviews import MailImage

MAX_IMAGE_WIDTH = 600
"""Widest image the newsletter shows: its column is 600 px wide at most."""
MAIL_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
"""Formats every mail client shows (not SVG, which Gmail and Outlook drop, nor WebP)."""

_INLINE_TAGS = {"a", "abbr", "b", "br", "cite", "code", "del", "em", "i", "ins", "kbd", "mark", "q", "s", "small"}
_INLINE_TAGS |= {"strong", "sub", "sup", "u"}
"""What a key takeaway keeps in the email: inline text markup; images and the rest's tags go (their text stays)."""


@dataclass(frozen=True, slots=True)
class SiteLinks:
    """The site's address and the edition's UTM parameters."""

    base_url: str
    """brief.toml's base_url (ends with ``/``)."""
    utm: tuple[tuple[str, str], ...] = ()

    def own(self, url: str) -> bool:
        """Whether an absolute ``url`` leads into the site."""
        return url == self.base_url[:-1] or url.startswith(self.base_url)

    def link(self, url: str, page: str | None = None) -> str:
        """``url`` made absolute (against ``page``, or the site's address) and, when it leads
        into the site, with the UTM parameters."""
        absolute = urljoin(page or self.base_url, url)
        return with_utm(absolute, self.utm) if self.own(absolute) else absolute


def with_utm(url: str, params: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str:
    """``url`` with ``params`` appended to its query string: a query it has is kept (a
    parameter it already names keeps its value), and so is its ``#fragment``."""
    parts = urlsplit(url)
    present = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    extra = urlencode([(name, value) for name, value in params if name not in present], quote_via=quote)
    if not extra:
        return url
    return urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def mail_html(html: Markup, page: str, links: SiteLinks) -> Markup:
    """A key takeaway's inline HTML for an email: its links absolute (made against the
    article's address ``page``, the site's with UTM parameters), only inline text markup
    kept (an image or anything else is dropped; text stays)."""

    def attribute(tag: str, name: str, value: str) -> str | None:
        return links.link(value, page) if (tag, name) == ("a", "href") else value

    cleaned = nh3.clean(
        str(html),
        tags=_INLINE_TAGS,
        attributes={"a": {"href"}, "abbr": {"title"}},
        attribute_filter=attribute,
        link_rel=None,
        url_schemes={"http", "https", "mailto"},
    )
    return Markup(cleaned.strip())  # nh3's output: every tag and attribute from the lists above


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)


def mail_text(html: Markup) -> str:
    """A takeaway made by :func:`mail_html` as plain text, on one line, each link's address
    in brackets after its text: ``the report (https://…)``."""
    spelled = _LINK.sub(lambda m: m.group(2) if m.group(2) == m.group(1) else f"{m.group(2)} ({m.group(1)})", html)
    return " ".join(Markup(spelled).striptags().split())  # entities (&amp; in a URL) read once, here


def mail_image(image: ImageView | None, links: SiteLinks) -> MailImage | None:
    """The widest PNG or JPEG copy of ``image`` at most :data:`MAX_IMAGE_WIDTH` wide that the
    build published (its own-format ``srcset``), or None: no such copy (an SVG, GIF, WebP or
    https image; brief.media.images makes copies of PNG, JPEG and WebP only)."""
    if image is None or not image.srcset or not image.width or not image.height:
        return None
    fitting = []
    for candidate in image.srcset.split(", "):  # commas inside a URL are percent-encoded
        url, _, descriptor = candidate.rpartition(" ")
        width = int(descriptor[:-1]) if re.fullmatch(r"\d+w", descriptor) else MAX_IMAGE_WIDTH + 1
        if width <= MAX_IMAGE_WIDTH and url.lower().endswith(MAIL_IMAGE_SUFFIXES):
            fitting.append((width, url))
    if not fitting:
        return None
    width, url = max(fitting)
    height = max(1, round(image.height * width / image.width))  # as brief.media.images sizes its copies
    return MailImage(urljoin(links.base_url, url), width, height, image.alt)


def unbuilt_links(html: str, files: set[str], links: SiteLinks) -> list[str]:
    """The links and images of ``html`` into the site that lead to no page or file the build
    made (``files``: output paths), each as ``URL: why``."""
    base_path = urlsplit(links.base_url).path or "/"
    found = []
    for _, url, _ in extract(html).links:
        if not links.own(url):
            continue  # another site, or a sending service's merge tag
        parts = urlsplit(url)
        local = urlunsplit(("", "", parts.path or "/", parts.query, ""))
        reason = why_broken("index.html", local, {}, files, base_path)
        if reason is not None:
            found.append(f"{url}: {reason}")
    return list(dict.fromkeys(found))
