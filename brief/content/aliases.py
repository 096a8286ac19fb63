"""``aliases:``: old addresses of an article, each to become a redirect to its page.

An alias is a site path as the old site served it, without the base path
(``/2019/05/old-title/``, ``/news/old.html``; ``old/path`` is read as ``/old/path``).
A path ending in ``/`` or without an extension gets a redirect page at
``…/index.html``; one ending in ``.html`` or ``.htm`` gets that very file. Anything a
static host could not serve from a file (a query string, a scheme or host, ``..``,
``//``, a hidden folder) or that would land among brief's own files is an error here,
with the line and what was expected (the rules, which brief.toml's ``[redirects]`` shares,
are in brief.oldpaths). Clashes with other aliases and with the site's
pages are found later, once every output is known (brief.site.redirects).
"""

from __future__ import annotations

from brief.content.checker import Checker, describe
from brief.oldpaths import EXAMPLE, alias_output, alias_path

__all__ = ["aliases_field", "alias_output", "alias_path"]
"""``alias_path`` and ``alias_output`` live in brief.oldpaths (brief.toml's ``[redirects]``
reads its keys with the same rules) and are named here too."""


def aliases_field(c: Checker) -> tuple[str, ...]:
    """The ``aliases:`` list, each path normalised (leading ``/``, percent-escapes decoded);
    every bad entry is an error on its own line."""
    value = c.doc.meta.get("aliases")
    if value is None:
        return ()
    if not isinstance(value, list):
        c.error(("aliases",), f"expected a list of old paths such as [{EXAMPLE}], got {describe(value)}")
        return ()
    found: dict[str, int] = {}
    paths: list[str] = []
    for i, item in enumerate(value):
        key = ("aliases", i)
        text = c.text(key, item, required=True)
        if text is None:
            continue
        path, reason = alias_path(text)
        if reason is not None:
            c.error(key, f"'{text}' {reason}")
            continue
        first = found.setdefault(alias_output(path).casefold(), i)
        if first != i:
            c.error(key, f"'{text}' repeats aliases[{first}] (expected each old path once)")
            continue
        paths.append(path)
    return tuple(paths)
