"""The files that make redirects work: one small page per old address, ``_redirects`` and
an nginx ``map``.

Pure: from the site and the planned redirects (brief.site.redirects) to ``(output path,
bytes)``. The page works on any host: it sends the browser on at once (meta refresh),
names the new address as canonical for search engines (and asks them not to index it),
and holds a plain link for everything else. A redirect to an article or a page is titled
"Moved: *its title*"; one to any other page, or to another site, just "Moved". It is made without the theme: it shows
nothing long enough to need one. ``_redirects`` (Netlify, Cloudflare Pages) and
``_nginx-redirects.map`` let a host answer ``301`` before any page is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from urllib.parse import unquote

from brief.settings import CONFIG_NAME
from brief.site.model import Site
from brief.site.places import Redirect

NETLIFY_FILE = "_redirects"
NGINX_FILE = "_nginx-redirects.map"
NGINX_VARIABLE = "$brief_redirect"


def redirect_page(site: Site, redirect: Redirect) -> bytes:
    """The page at ``redirect.old``: valid HTML5 in the site's language, ``noindex``."""
    target = escape(target_url(site, redirect))
    absolute = redirect.target if redirect.external else site.absolute_url(redirect.target)
    canonical = escape(redirect.canonical or absolute)
    if redirect.title is not None:
        title = escape(redirect.title)
        heading, text = f"Moved: {title}", title
    else:
        heading, text = "Moved", escape(absolute)
    return f"""<!DOCTYPE html>
<html lang="{escape(site.config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{heading}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{canonical}">
<meta http-equiv="refresh" content="0; url={target}">
</head>
<body>
<p>This page has moved to <a href="{target}">{text}</a>.</p>
</body>
</html>
""".encode()


def netlify_redirects(site: Site, redirects: list[Redirect]) -> bytes:
    """``_redirects``: ``/old/ /new/ 301`` per redirect, site-absolute (base path included)
    and percent-encoded, as Netlify and Cloudflare Pages read them."""
    lines = [f"{site.url(r.old)} {target_url(site, r)} 301\n" for r in redirects]
    return (_written_by(redirects) + "".join(lines)).encode()


def nginx_map(site: Site, redirects: list[Redirect]) -> bytes:
    """``map $uri $brief_redirect { … }``: exact matches of the decoded path nginx sees (a
    folder's address with and without its trailing slash) to the new URL."""
    base = unquote(site.config.base_path)
    entries: dict[str, str] = {}
    for r in redirects:
        old = base + r.old.lstrip("/")
        new = target_url(site, r).replace("$", "%24")
        folder = r.output != r.old.strip("/")  # /a/b/ or /a/b (a/b/index.html), not /a/b.html
        keys = [old.rstrip("/"), old.rstrip("/") + "/"] if folder else [old]
        for key in keys:
            entries.setdefault(key, new)
    body = "".join(f'    "{_quoted(k)}" "{_quoted(v)}";\n' for k, v in sorted(entries.items()))
    return (
        _written_by(redirects) + "# In nginx's http { } block:  include /path/to/the/site/_nginx-redirects.map;\n"
        f"# In the server {{ }} block:    if ({NGINX_VARIABLE}) {{ return 301 {NGINX_VARIABLE}; }}\n"
        f"map $uri {NGINX_VARIABLE} {{\n{body}}}\n"
    ).encode()


def redirect_files(site: Site, redirects: list[Redirect]) -> Iterator[tuple[str, bytes, str]]:
    """Every redirect's page, then ``_redirects`` and the nginx map (none without redirects),
    as (output path, bytes, who asked for it)."""
    for redirect in redirects:
        if redirect.page:
            yield redirect.output, redirect_page(site, redirect), redirect.origin
    if redirects:
        yield NETLIFY_FILE, netlify_redirects(site, redirects), "redirects"
        yield NGINX_FILE, nginx_map(site, redirects), "redirects"


def target_url(site: Site, redirect: Redirect) -> str:
    """Where a redirect sends the browser: the target's root-relative URL (base path included,
    percent-encoded), or the absolute URL of another site as given."""
    return redirect.target if redirect.external else site.url(redirect.target)


def _written_by(redirects: list[Redirect]) -> str:
    """The first comment line of ``_redirects`` and the nginx map."""
    table = any(r.origin == CONFIG_NAME for r in redirects)
    what = "aliases, the URL ledger and [redirects] in brief.toml" if table else "aliases and the URL ledger"
    return f"# Redirects of old addresses, written by brief build ({what}).\n"


def _quoted(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
