"""What every Atom document of the site shares: the feed's head, elements with text that XML
can hold, RFC 3339 times and links made absolute (brief.render.feeds, brief.render.corrections)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from urllib.parse import urlsplit

from brief import __version__
from brief.render.xmldoc import clean_xml_text
from brief.site.model import Site

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_TYPE = "application/atom+xml"
FAVICON = "/images/favicon.svg"
"""Site path of the icon the default theme ships with every build (brief.theme.THEME_STATIC)."""

# A start tag, with its attributes (quoted values may hold '>').
_TAG = re.compile(r"""<[A-Za-z][^\s/>]*(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>""")
# A URL attribute whose value is root-relative ("/x", not the scheme-relative "//host/x").
_URL_ATTR = re.compile(r"""(\s(?:href|src|poster)\s*=\s*)(["']?)/(?!/)""", re.IGNORECASE)
# A srcset attribute (a comma-separated list of "URL width" candidates), quoted.
_SRCSET_ATTR = re.compile(r"""(\ssrcset\s*=\s*)(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def atom_head(site: Site, title: str, page_path: str, updated: datetime) -> ET.Element:
    """The ``<feed>`` of the page at site path ``page_path`` (the feed lives at
    ``page_path + "feed.xml"``), with its id, title, time, links, author and icons."""
    config = site.config
    page_url = site.absolute_url(page_path)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": config.language})
    sub(feed, "id", page_url)
    sub(feed, "title", title)
    if config.description:
        sub(feed, "subtitle", config.description)
    sub(feed, "updated", rfc3339(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=site.absolute_url(page_path + "feed.xml"))
    sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = sub(feed, "author")
    sub(author, "name", config.publisher_name)
    sub(author, "uri", site.absolute_url("/"))
    sub(feed, "generator", "brief", version=__version__)
    # The icon SHOULD be square (RFC 4287 4.2.5): the favicon every build ships, not the
    # publisher's logo, which is usually wide (and is what <logo> is for).
    sub(feed, "icon", site.absolute_url(FAVICON))
    logo = logo_url(site)
    if logo:
        sub(feed, "logo", logo)
    return feed


def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """A child element of ``parent``, its text and attributes cleaned of what XML cannot hold."""
    element = ET.SubElement(parent, tag, {k: clean_xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean_xml_text(text)
    return element


def absolute_links(html: str, origin: str) -> str:
    """``href``, ``src`` and ``poster`` values, and ``srcset`` candidates, starting with one ``/``
    get ``origin`` in front.

    Only attributes inside tags are touched: text that merely reads ``href="/x"``
    is escaped in the HTML (``&quot;``) and stays as it is."""
    return _TAG.sub(
        lambda tag: _SRCSET_ATTR.sub(
            lambda m: _absolute_srcset(m, origin),
            _URL_ATTR.sub(lambda m: f"{m.group(1)}{m.group(2)}{origin}/", tag.group(0)),
        ),
        html,
    )


def _absolute_srcset(match: re.Match, origin: str) -> str:
    """A ``srcset`` value with each root-relative candidate URL made absolute."""
    quote = '"' if match.group(2) is not None else "'"
    candidates = [c.strip() for c in (match.group(2) if match.group(2) is not None else match.group(3)).split(",")]
    made = [origin + c if c.startswith("/") and not c.startswith("//") else c for c in candidates]
    return f"{match.group(1)}{quote}{', '.join(made)}{quote}"


def logo_url(site: Site) -> str | None:
    logo = site.config.publisher_logo
    if not logo:
        return None
    return site.absolute_url(logo) if logo.startswith("/") else logo


def rfc3339(value: datetime) -> str:
    """RFC 3339, always with an offset."""
    return aware(value).isoformat(timespec="seconds")


def aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def origin_of(base_url: str) -> str:
    """``https://example.org`` of ``https://example.org/briefs/``."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}"
