"""brief.toml's ``[redirects]`` in the redirect plan (brief.site.redirects): old paths of
pages that are not articles (a standalone page, a section, tag or author page, a listing)
and where each leads now.

Two steps, around the ledger's: :func:`claim_old_paths` takes each entry's old path after
the aliases (an old path that a page, a file or an alias already takes is an error naming
both); :func:`resolve_targets`, once every redirect is known, checks that each target is a
page or file of this build (with the closest path of the same name when it is not) and not
itself an old address (redirects never chain), and makes the redirects. An old path that
differs from its target only in case gets the host rules alone, as an alias does. Every
problem names brief.toml, the entry's line and its key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from brief.errors import WARNING, Problem
from brief.oldpaths import TARGET_EXAMPLE, TableRedirect, alias_output
from brief.settings import CONFIG_NAME
from brief.site.model import Site
from brief.site.places import Places, Redirect

_INDEX = "index.html"
_ITSELF = "(expected the path of the page that replaces it)"


@dataclass(frozen=True, slots=True)
class Claimed:
    """A ``[redirects]`` entry whose old path is its own."""

    entry: TableRedirect
    output: str
    """Where its redirect page goes (``alias_output`` of the old path)."""
    page: bool
    """False when the old path differs from the target's only in case (host rules only)."""


def claim_old_paths(table: tuple[TableRedirect, ...], places: Places, problems: list[Problem]) -> list[Claimed]:
    """Take the old path of every entry of ``table`` in ``places`` (after the aliases, before
    the ledger); an old path someone already takes is a problem naming both."""
    claimed: list[Claimed] = []
    for entry in table:
        output = alias_output(entry.old)
        who = places.owner(output)
        if who is None:
            places.take(output, f"{entry.field} of {CONFIG_NAME} (line {entry.line})" if entry.line else entry.field)
            claimed.append(Claimed(entry, output, True))
            continue
        targets = () if entry.external else _outputs(entry.target)
        if output in targets:
            message = f"{entry.old} leads to itself {_ITSELF}"
        elif any(output.casefold() == target.casefold() for target in targets):
            claimed.append(Claimed(entry, output, False))  # the target's own URL in other letter case
            continue
        elif who.startswith("aliases["):
            message = f"{entry.old} is also {who} (expected each old path to lead to one place)"
        else:
            message = f"{entry.old} is also {who} (expected an old path that no page or file of the site uses)"
        problems.append(Problem(CONFIG_NAME, entry.line, entry.field, message))
    return claimed


def ledger_clash(entry: TableRedirect, line: int | None, ledger: str, new: str, source: str) -> Problem:
    """The problem of an entry whose old path the URL ledger redirects too (line ``line`` of ``ledger``)."""
    where = f"{ledger}:{line}" if line else ledger
    return Problem(
        CONFIG_NAME,
        entry.line,
        entry.field,
        f"{entry.old} is also a URL of the ledger ({where}), which leads it to {new}, where {source} is now "
        "(expected each old path to lead to one place: the ledger already redirects this one)",
    )


def resolve_targets(
    site: Site,
    claimed: list[Claimed],
    served: Mapping[str, str],
    places: Places,
    redirects: list[Redirect],
    problems: list[Problem],
) -> None:
    """Check every claimed entry's target against the build (``served``: every output path of
    the build → who writes it) and add its redirect to ``redirects``."""
    finals = {r.output.casefold(): r.target for r in redirects if r.page}
    finals |= {c.output.casefold(): c.entry.target for c in claimed if c.page}
    titles = _titles(site)
    for c in claimed:
        entry = c.entry
        if entry.external:
            redirects.append(Redirect(entry.old, c.output, entry.target, CONFIG_NAME, c.page))
            continue
        found = _served(entry.target, served, places)
        if found is not None:
            output, path = found
            title, canonical = titles.get(output, (None, None))
            redirects.append(Redirect(entry.old, c.output, path, CONFIG_NAME, c.page, title, canonical))
            continue
        problems.append(_unserved(site, c, served, places, finals))


def _unserved(site: Site, c: Claimed, served: Mapping[str, str], places: Places, finals: dict[str, str]) -> Problem:
    """Why a target no output of this build answers is not redirected to: it is the entry's
    own old path, another redirect's (a chain), a page left out of this build (a warning),
    or nothing at all (with the closest path of the same name)."""
    entry = c.entry
    outputs = _outputs(entry.target)
    for output in outputs:
        if output.casefold() == c.output.casefold():
            return Problem(CONFIG_NAME, entry.line, entry.field, f"{entry.old} leads to itself {_ITSELF}")
    for output in outputs:
        final = finals.get(output.casefold())
        if final is not None:
            who = places.owner(output) or "another redirect"
            message = (
                f"{entry.target} is itself redirected to {final} by {who} "
                f"(expected the page it leads to now, {final}: redirects do not chain)"
            )
            return Problem(CONFIG_NAME, entry.line, entry.field, message)
    unbuilt = _unbuilt(site)
    for output in outputs:
        source = unbuilt.get(output)
        if source is not None:
            message = (
                f"{entry.target} is the page of {source}, which is not in this build (a draft, scheduled or "
                f"expired), so {entry.old} does not redirect yet"
            )
            return Problem(CONFIG_NAME, entry.line, entry.field, message, WARNING, "redirect-target-not-built")
    closest = _closest(entry.target, served)
    places.asked = None  # (the closest path: the plan read every path served)
    hint = f"; did you mean {closest}?" if closest else ""
    message = (
        f"{entry.target} is no page or file of this build "
        f"(expected the path of a page this site builds, such as {TARGET_EXAMPLE}){hint}"
    )
    return Problem(CONFIG_NAME, entry.line, entry.field, message)


def _outputs(path: str) -> list[str]:
    """The output files that could answer the site path ``path``: ``/a/`` → ``a/index.html``;
    ``/a`` → ``a`` or ``a/index.html``."""
    inner = path.lstrip("/")
    if path.endswith("/"):
        return [inner + _INDEX]
    return [inner, f"{inner}/{_INDEX}"]


def _served(path: str, served: Mapping[str, str], places: Places) -> tuple[str, str] | None:
    """The output that answers ``path`` in this build and the site path to lead to (a page's
    folder form, ``/a/``, for ``/a`` or ``/a/index.html``), or None. The outputs looked for
    count as asked about in ``places`` (what the plan read)."""
    for output in _outputs(path):
        if places.asked is not None:
            places.asked.add(output.casefold())
        if output in served:
            return output, _site_path(output)
    return None


def _site_path(output: str) -> str:
    if output == _INDEX or output.endswith("/" + _INDEX):
        return "/" + output[: -len(_INDEX)]
    return "/" + output


def _titles(site: Site) -> dict[str, tuple[str | None, str | None]]:
    """Title and canonical URL of every built article and page, by output path."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for article in site.articles:
        found[f"{article.output_dir}/{_INDEX}"] = (article.title, article.canonical)
    for page in site.pages:
        found[f"{page.output_dir}/{_INDEX}"] = (page.title, None)
    return found


def _unbuilt(site: Site) -> dict[str, str]:
    """The output path of every article and page that exists but is not in this build → its file."""
    found = {f"{a.output_dir}/{_INDEX}": a.relpath for a in site.all_articles.values() if a.slug not in site.built}
    built_pages = {page.slug for page in site.pages}
    for slug, page in site.all_pages.items():
        if slug not in built_pages:
            found[f"{page.output_dir}/{_INDEX}"] = page.relpath
    return found


def _closest(path: str, served: Mapping[str, str]) -> str | None:
    """The path of this build's page or file that shares the most trailing names with ``path``
    (at least its last: ``/categories/energy/`` → ``/sections/energy/``), or None."""
    wanted = [s for s in path.casefold().split("/") if s and s != _INDEX][::-1]
    if not wanted:
        return None
    best: tuple[int, int, str] | None = None
    for output in served:
        candidate = _site_path(output)
        names = [s for s in candidate.casefold().split("/") if s][::-1]
        shared = 0
        while shared < min(len(names), len(wanted)) and names[shared] == wanted[shared]:
            shared += 1
        if shared and (best is None or (-shared, len(candidate), candidate) < best):
            best = (-shared, len(candidate), candidate)
    return best[2] if best is not None else None
