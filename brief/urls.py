"""Site paths as they stand in URLs: percent-encoded, once.

Files may be named with spaces and any letter (``charts/é 1.svg``); every URL brief writes
(pages, srcset, og:image, JSON-LD, feeds, sitemaps) holds them percent-encoded as UTF-8.
"""

from __future__ import annotations

import re
from urllib.parse import quote

_SAFE = "/!$&'()*+,;=:@~"
"""What a URL path may hold unencoded besides letters, digits and ``-._`` (RFC 3986 pchar)."""
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_PLAIN = re.compile(r"[A-Za-z0-9\-._~/!$&'()*+,;=:@]*")
"""A path that percent-encoding leaves as it is."""


def path_url(path: str) -> str:
    """``path`` percent-encoded for a URL. What is already an escape (``%20``) stays as it
    is, so a path that was encoded before is not encoded twice; a ``%`` that starts no
    escape becomes ``%25``."""
    if _PLAIN.fullmatch(path):  # most paths: nothing to encode
        return path
    out: list[str] = []
    at = 0
    for match in _ESCAPE.finditer(path):
        out.append(quote(path[at : match.start()], safe=_SAFE))
        out.append(match.group())
        at = match.end()
    out.append(quote(path[at:], safe=_SAFE))
    return "".join(out)


HOST_NAME = re.compile(r"(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+")
"""A host name with at least one dot, lowercase: ``charts.example.org``."""
