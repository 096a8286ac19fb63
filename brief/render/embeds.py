"""Embeds: a provider's URL becomes a card that asks nothing of the provider until the reader clicks.

:func:`find_embed` recognises a URL an editor pastes (a YouTube watch page, a post on X,
a Datawrapper chart…) or a provider's own embed URL (``youtube-nocookie.com/embed/…``,
the ``src`` of an ``<iframe>``), and gives the URL of the player to load and the URL of
the provider's page. Every URL it returns is rebuilt from parts it has checked (an id
of known characters, a host name), never passed through as written, except for a host
the site allows in ``[embeds] allow``, whose URL must be plain https with no user name.

:func:`facade_html` writes the card: the provider's name, a title when one is given,
a link to the provider's page (which works without JavaScript) and a button, hidden
until the theme's ``js/embeds.js`` shows it, that puts the player in the card's place
(an ``<iframe>`` with ``title``, ``loading="lazy"`` and a ``sandbox``). No image, font
or script of the provider is in the page.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup

from brief.config import Config
from brief.render.providers import MATCHERS, RATIOS, Embed, Provider
from brief.urls import HOST_NAME

__all__ = ["MAX_URL", "RATIOS", "Embed", "Provider", "embed_for_iframe", "facade_html", "facade_open", "find_embed"]

MAX_URL = 2048
"""Longest URL that can become an embed (a longer one stays a link, or is an error in ``::: embed``)."""

# What a URL written by hand may hold, so that it can stand in an attribute as it is
# (markupsafe still escapes & and '): RFC 3986's characters, no quote, space or <>.
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def generic(host: str) -> Provider:
    """The provider of a page on a host from ``[embeds] allow``."""
    return Provider("page", host, "embedded page", f"Open it on {host}", "16:9")


def find_embed(url: str, allow: tuple[str, ...] = (), start: int | None = None) -> Embed | None:
    """The embed ``url`` stands for, or None: an unknown host, a page of a known one that
    is not a single item (a channel, a profile, a plain maps link), or a URL that is not
    plain https/http. ``start`` (seconds) overrides a start time the URL gives."""
    if len(url) > MAX_URL or not _URL_CHARS.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if parts.scheme.lower() not in ("https", "http") or parts.username is not None or not HOST_NAME.fullmatch(host):
        return None
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    for matcher in MATCHERS:
        found = matcher(host, parts, start)
        if found is not None:
            return found
    if host in allow or parts.hostname in allow:
        if parts.scheme.lower() != "https" or parts.port not in (None, 443):
            return None  # a page over http would be blocked in an https page anyway
        return Embed(generic(parts.hostname or host), url, url, "16:9")
    return None


# --- the card ---------------------------------------------------------------------------


def facade_open(embed: Embed, title: str | None = None) -> Markup:
    """The card of ``embed``, its ``<figure class="embed embed-youtube">`` left open (for a
    ``<figcaption>``): a frame of the embed's shape holding the provider's name, the
    ``title`` (plain text) when given, the link to the provider's page, and the button that
    loads the player and a note naming the host it comes from (both hidden until the
    theme's script shows them). The frame's ``data-embed-*`` attributes are the iframe's."""
    provider = embed.provider
    data = {
        "data-embed-src": embed.src,
        "data-embed-title": title or f"{provider.name} {provider.noun}",
        "data-embed-allow": provider.allow or None,
        "data-embed-sandbox": provider.sandbox,
    }
    attrs = Markup("").join(Markup(' {}="{}"').format(Markup(k), v) for k, v in data.items() if v is not None)
    heading = Markup('<p class="embed-title">{}</p>\n').format(title) if title else ""
    return Markup(
        '<figure class="embed embed-{key}">\n'
        '<div class="embed-frame" data-ratio="{ratio}"{attrs}>\n'
        '<div class="embed-facade" data-pagefind-ignore>\n'
        '<p class="embed-provider">{provider}</p>\n'
        "{heading}"
        '<p class="embed-actions"><button type="button" class="embed-load" hidden>Load the {noun} here</button> '
        '<a class="embed-link" href="{link}">{link_text}</a></p>\n'
        '<p class="embed-note" hidden>Loading it here connects to {host}.</p>\n'
        "</div>\n</div>\n"
    ).format(
        key=provider.key,
        ratio=embed.ratio,
        attrs=attrs,
        provider=provider.name,
        heading=heading,
        noun=provider.noun,
        link=embed.link,
        link_text=provider.link_text,
        host=embed.host,
    )


def facade_html(embed: Embed, title: str | None = None) -> Markup:
    """The whole card of ``embed`` (see :func:`facade_open`), with no caption."""
    return facade_open(embed, title) + Markup("</figure>\n")


def embed_for_iframe(src: str, title: str | None, config: Config) -> Markup | None:
    """The card for an ``<iframe src>`` of raw HTML whose src is a known provider's (its
    embed URL or page URL) or on a host in ``[embeds] allow``; None for any other."""
    embed = find_embed(src.strip(), config.embeds_allow)
    if embed is None:
        return None
    return facade_html(embed, (title or "").strip() or None)
