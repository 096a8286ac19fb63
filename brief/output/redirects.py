"""Redirects in the build: what every output path is taken by (for the plan's clash
checks), and writing the redirect pages, ``_redirects`` and the nginx map through the
build's writer (atomic with the rest of the build)."""

from __future__ import annotations

import pickle
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from brief.config import Config
from brief.content.ledger import (
    FIRST_LINE,
    Entry,
    entry_of,
    format_ledger,
    ledger_file,
    merged,
    read_ledger,
    write_ledger_data,
)
from brief.content.model import Article
from brief.digests import digest
from brief.errors import relpath
from brief.output.writers import MemoryWriter, OutputWriter
from brief.render.links import with_feeds
from brief.render.plans import PageSpec
from brief.render.redirects import NETLIFY_FILE, redirect_files
from brief.site.model import Site
from brief.site.places import touched
from brief.site.redirects import RedirectPlan, plan_redirects, renumbered, retitled
from brief.theme import TEXT_LIMIT, read_input


def redirect_plan(
    config: Config,
    site: Site,
    specs: Iterable[PageSpec],
    static: tuple[dict[str, Path], dict[str, Path], dict[str, str]],
    assets: dict[str, tuple[Path, str]],
    ledger: bool,
    memo: RedirectMemo | None = None,
) -> RedirectPlan:
    """The build's redirects (brief.site.redirects), the URL ledger read first when ``ledger``
    (a line it cannot read is one of the plan's problems). ``static`` is the site's own static
    files, all of them (the theme's too) and their content-hashed names. With a ``memo``, the
    last build's plan is used again when everything it was made from is the same."""
    taken = taken_paths(specs, *static, assets, config.root)
    for rel in sorted(with_feeds(site, set())):  # a [redirects] entry may lead to a feed
        taken.setdefault(rel, f"brief's own {rel}")
    keys = _plan_key(config, site, ledger, memo) if memo is not None else None
    places = _taken_text(taken) if memo is not None else None
    if (
        memo is not None
        and keys is not None
        and memo.key == keys.key
        and memo.plan is not None
        and memo.places is not None
        and places is not None
        and not touched(memo.places, places, memo.plan.looked_up)  # (a new tag's page: 0.27 s of planning saved)
    ):
        memo.places = places
        memo.caught_up()
        if memo.titles != keys.titles and not memo.plan.reads_headlines([a for a, _ in keys.changed]):
            memo.retitle(retitled(memo.plan, site), keys.titles)  # (a headline edit: 0.16 s at 10,000 articles)
        if memo.titles == keys.titles:
            return memo.plan
    plan = _extended(memo, keys, site, places) if memo is not None and keys is not None else None
    if plan is None:
        entries, problems = read_ledger(config.root) if ledger else (None, [])
        plan = plan_redirects(site, taken, entries)
        plan.problems[:0] = problems
    if memo is not None and keys is not None:
        memo.keep(keys.made, keys.titles, plan, places, b"".join(keys.rows), keys.kept_rest)
    elif memo is not None:
        memo.keep((None, None), None, plan, places)
    return plan


def _extended(memo: RedirectMemo, keys: PlanKeys, site: Site, places: str | None) -> RedirectPlan | None:
    """The last plan with a ledger line for each new article, when that is the plan planning
    again makes (a new article's build, 0.35 s of planning at 10,000 articles); else None.

    So it is when everything the plan reads is as it was but for articles added: the same
    settings, ledger (as the last plan wrote it, which planning again would find nothing to
    add to or move in) and pages, every other article's part of the key the same, in the same
    order; and each new article, built and without aliases, is one the plan never met: no
    ledger line names its file, it has none of the (publication time, headline) pairs the plan
    looked a vanished file up by, and no path the plan looked up is at, above or inside a path
    taken now that was not before (its page, and the listings' new pages: touched). Planning
    again would then make the same redirects (their titles as the site has them now, for
    the articles edited beside: retitled) and problems, and add the new articles' lines."""
    if memo.plan is None or memo.listed is None or memo.rest != keys.rest or memo.places is None or places is None:
        return None
    memo.caught_up()
    last = memo.plan
    if last.added or last.moved or last.looked_up is None:  # (settled when the file holds what it wrote)
        return None
    listed = memo.listed
    known = {listed[at : at + _PART] for at in range(0, len(listed), _PART + 1)}
    new = [article for article, part in keys.changed if part not in known]
    fresh = {part for _, part in keys.changed if part not in known}
    if not new or b"".join(row for row in keys.rows if row[:_PART] not in fresh) != listed:
        return None  # (nothing added, or an article changed its part of the key, went or moved)
    ledger = memo.ledger_of(last)
    sources = {entry.source for entry in ledger} if ledger is not None else set()
    if any(a.slug not in site.built or a.aliases or a.relpath in sources for a in new):
        return None
    if last.reads_headlines([article for article, _ in keys.changed]):  # (a file or headline looked for)
        return None
    if touched(memo.places, places, last.looked_up):
        return None
    plan = retitled(last, site)
    plan.problems, plan.moved = list(last.problems), []
    if ledger is not None:
        plan.ledger, plan.added = merged(ledger, [entry_of(article) for article in new]), True
    return plan


def write_plan_ledger(root: Path, plan: RedirectPlan, memo: RedirectMemo | None, started: datetime) -> None:
    """Write the ledger after this build (``plan.ledger``, brief.content.ledger.write_ledger),
    unless the memo knows that the file holds those very bytes: the plan was kept (nothing
    it is made of changed, the file's bytes included) and its ledger, written out, is what
    the file was when read (the usual edit: 30 ms of formatting at 10,000 articles saved)."""
    if memo is not None and memo.plan is plan and memo.written is not None and memo.written == memo.seen:
        return
    entries = memo.ledger_of(plan) if memo is not None else plan.ledger
    if entries is None:
        return
    data = format_ledger(entries)
    write_ledger_data(root, data, started)
    if memo is not None and memo.plan is plan:
        memo.written = digest(data)


@dataclass
class RedirectMemo:
    """The redirect plan's part of the build cache (saved with it): the last plan, with a
    digest of everything it was made from (:func:`_plan_key`). Reading the ledger and
    planning take half a second at 10,000 articles; an edit of an article's text or tags
    changes none of it."""

    key: bytes | None = None
    titles: bytes | None = None
    """A digest of every article's headline, which the plan's :attr:`key` leaves out: when
    only they changed, the plan is kept with its redirects' titles made anew, unless it read
    headlines otherwise (brief.site.redirects.retitled)."""
    plan: RedirectPlan | None = None
    seen: bytes | None = None
    """A digest of the ledger's bytes as this build read them (None: no ledger read)."""
    made_from: bytes | None = None
    """:attr:`seen` as :attr:`plan` was made: the lines its warnings name are that file's."""
    written: bytes | None = None
    """A digest of :attr:`plan`'s ledger as written out (:func:`write_plan_ledger`), once it was."""
    read: bytes | None = None
    """What :attr:`plan`'s key took for the ledger's bytes it was made from (None: none read):
    their digest, or, for the bytes the plan before wrote, a digest of what that plan's key
    took (never a file's). While the file holds what the plan wrote (:attr:`written`), the key
    takes this for the file's digest (:meth:`as_read`): planning again from the lines it wrote
    gives the same plan, but that it adds no line and finds no URL moved since recorded
    (:meth:`caught_up`). Without it, the first build after one that added a line planned
    again (0.24 s at 10,000 articles)."""
    rows: dict[bytes, bytes] = field(default_factory=dict)
    """Article digest (its file's path and bytes) → the digest of what the plan reads of it
    but whether it is built: an unchanged file's is not made again (with the same settings;
    other settings start the memo empty)."""
    listed: bytes | None = None
    """:attr:`PlanKeys.rows` as :attr:`plan` was made: what a build adding articles compares."""
    rest: bytes | None = None
    """What the key took beside the articles (:attr:`PlanKeys.kept_rest`), as :attr:`plan` was made."""
    places: str | None = None
    """Every output path of the build the plan was made for, with who takes it, in order
    (:func:`_taken_text`): the plan holds for other paths taken that do not touch a path it
    looked up (brief.site.places.touched)."""

    # Saved, the plan is a pickle of its own and its ledger another, kept with the plan they
    # were read as or made of: a plan kept by a build is saved as those bytes again (10,000
    # articles: 11 ms a save), and its ledger is read back only when asked for (ledger_of).
    def __getstate__(self) -> dict[str, Any]:
        state = {name: value for name, value in vars(self).items() if name != "_packed"}
        if self.plan is not None:
            packed = getattr(self, "_packed", None)
            if packed is None or packed[0] is not self.plan:
                packed = self._packed = _packed(self.plan)
            state["plan"], state["ledger"] = packed[1], packed[2]
        return state

    def keep(
        self,
        made: tuple[bytes | None, bytes | None],
        titles: bytes | None,
        plan: RedirectPlan,
        places: str | None = None,
        listed: bytes | None = None,
        rest: bytes | None = None,
    ) -> None:
        """Keep ``plan``, made now of what ``made`` (:attr:`read` and the key) and ``titles``
        digest, of the paths taken ``places`` and (:attr:`listed`, :attr:`rest`) of the
        articles ``listed`` and the rest, pickled at once as the cache saves it:
        pickling it takes about three times its bytes in memory for a moment, here in the
        middle of the build rather than at the save, where the build's memory peaks
        (100,000 articles: 15 MB, nearly all its ledger)."""
        self.read, key = made
        self.key, self.titles, self.plan, self.written, self.places = key, titles, plan, None, places
        self.listed, self.rest, self.made_from = listed, rest, self.seen
        self._packed = _packed(plan)

    def __setstate__(self, state: dict[str, Any]) -> None:
        blob, ledger = state.get("plan"), state.pop("ledger", None)
        if isinstance(blob, bytes) and isinstance(ledger, bytes):
            state = {**state, "plan": pickle.loads(blob)}  # (inside the cache's signed main file)
            self._packed = (state["plan"], blob, ledger)
        else:
            state = {**state, "plan": None}  # (not as saved above: the plan is made again)
        vars(self).update(state)

    def as_read(self, seen: bytes) -> bytes:
        """What the key of a plan takes for a ledger of bytes of digest ``seen``: :attr:`read`
        when they are the bytes :attr:`plan` wrote (sorted, its own lines among them) and its
        warnings at lines of the ledger can be moved to the lines it wrote, else ``seen``."""
        if self.read is None or self.written is None or seen != self.written or self._written_lines() is None:
            return seen
        return self.read

    def _written_lines(self) -> RedirectPlan | None:
        """:attr:`plan`, its warnings at the ledger's lines now (renumbered); None: plan again."""
        plan = self.plan
        if plan is None or self.seen == self.made_from or not plan.at_ledger_lines():
            return plan  # (the file it read, or no line to move: 25 ms to read the lines back saved)
        ledger = self.ledger_of(plan)
        return renumbered(plan, ledger, FIRST_LINE) if ledger is not None else None

    def caught_up(self) -> None:
        """Keep :attr:`plan` as planning again from the ledger it wrote would make it, when the
        file holds those lines now: none to add, no URL moved (the build that found it said so),
        each warning on a line of the ledger at the line it is on now."""
        plan = self.plan
        if plan is None or self.seen is None or self.seen != self.written:
            return
        lined = self._written_lines()
        if lined is not None and (plan.added or plan.moved or lined is not plan):
            self._instead(replace(lined, added=False, moved=[]))
            self.made_from = self.seen  # (its warnings at this file's lines now)

    def retitle(self, plan: RedirectPlan, titles: bytes | None) -> None:
        """Keep ``plan``, the kept plan with other titles, in its stead."""
        self._instead(plan)
        self.titles = titles

    def _instead(self, plan: RedirectPlan) -> None:
        """Keep ``plan``, the kept plan changed, in its stead (its ledger as read, or unread)."""
        packed = getattr(self, "_packed", None)
        if packed is not None and packed[0] is self.plan:
            self._packed = (plan, pickle.dumps(replace(plan, ledger=None), protocol=pickle.HIGHEST_PROTOCOL), packed[2])
        self.plan = plan

    def ledger_of(self, plan: RedirectPlan) -> list[Entry] | None:
        """``plan.ledger``; for the plan read from the cache, read back when first asked for
        (10,000 lines took 25 ms of every build, where an edit's build does not write them)."""
        packed = getattr(self, "_packed", None)
        if plan.ledger is None and packed is not None and packed[0] is plan:
            plan.ledger = pickle.loads(packed[2])
        return plan.ledger


def _packed(plan: RedirectPlan) -> tuple[RedirectPlan, bytes, bytes]:
    """``plan`` with its pickle and its ledger's (:class:`RedirectMemo`'s saved form)."""
    dump = partial(pickle.dumps, protocol=pickle.HIGHEST_PROTOCOL)
    return plan, dump(replace(plan, ledger=None)), dump(plan.ledger)


_PART = 16
"""Bytes of an article's part of a plan's key (a digest): :attr:`PlanKeys.rows` adds its built mark."""


@dataclass(frozen=True)
class PlanKeys:
    """What :func:`_plan_key` makes of the build's inputs to the redirect plan."""

    key: bytes
    """A digest of everything the plan reads but the paths taken and the headlines."""
    made: tuple[bytes | None, bytes]
    """What a plan made now takes for :attr:`RedirectMemo.read`, and its key so (:attr:`RedirectMemo.key`)."""
    titles: bytes
    """A digest of every article's headline."""
    changed: list[tuple[Article, bytes]]
    """The articles whose part was made anew (their file changed or is new), with their part."""
    rows: list[bytes]
    """Each article's part and whether it is built (``+``/``-``), in order."""
    rest: bytes
    """A digest of what :attr:`key` takes beside the articles."""
    kept_rest: bytes
    """The same, as a plan made now is kept with it (:attr:`RedirectMemo.rest`; see :attr:`made`)."""


def _plan_key(config: Config, site: Site, ledger: bool, memo: RedirectMemo | None = None) -> PlanKeys | None:
    """A digest of what :func:`brief.site.redirects.plan_redirects` reads but the paths taken
    (:attr:`RedirectMemo.places`): ``[redirects]``, each article's and page's file, slug,
    URL, canonical URL, date, aliases (with their lines) and whether it is built, and the
    ledger's bytes (:meth:`RedirectMemo.as_read`); with what a plan made now keeps beside it
    (:class:`PlanKeys`). None when the ledger cannot be read (the plan says why). With
    ``memo``, each article's part is made once per file (digest), and kept there."""
    parts = [repr((config.redirects, ledger)).encode()]
    token_at = None
    if memo is not None:
        memo.seen = None
    if ledger:
        try:
            seen = digest(read_input(ledger_file(config.root), TEXT_LIMIT))  # (never waits on a FIFO)
        except FileNotFoundError:
            parts.append(b"no ledger")
        except OSError:
            return None
        else:
            if memo is not None:
                memo.seen = seen
            token_at = len(parts)
            parts.append(memo.as_read(seen) if memo is not None else seen)  # (the ledger's bytes, by digest)
    known = memo.rows if memo is not None else {}
    kept: dict[bytes, bytes] = {}
    rows: list[bytes] = []
    built = site.built
    changed: list[tuple[Article, bytes]] = []
    for article in site.all_articles.values():
        part = known.get(article.digest) if article.digest else None
        if part is None:
            lines = tuple(article.lines.get(("aliases", i)) for i in range(len(article.aliases)))
            when = article.date.astimezone(UTC).isoformat()
            row = (article.relpath, article.slug, article.url_path, article.canonical, when)
            part = digest(repr((*row, article.aliases, lines)))
            changed.append((article, part))
        if article.digest:
            kept[article.digest] = part
        rows.append(part + (b"+" if article.slug in built else b"-"))
    if memo is not None:
        memo.rows = kept
    built_pages = {page.slug for page in site.pages}
    pages = [
        (page.relpath, page.slug, page.url_path, page.title, page.slug in built_pages)
        for page in site.all_pages.values()
    ]
    parts += [b"".join(rows), repr(pages).encode()]
    titles = [a.title for a in site.all_articles.values()]
    joined = "\n".join(titles)
    if joined.count("\n") != max(0, len(titles) - 1):  # (one with a line break: joined, they could run together)
        joined = repr(titles)
    key = made = digest(*parts)
    rest = kept_rest = digest(*parts[:-2], parts[-1])
    read = None  # (what a plan made now takes: see RedirectMemo.read)
    if token_at is not None:
        read = parts[token_at]
        if memo is not None and read != memo.seen:  # (the lines the last plan wrote: never a file's digest)
            read = parts[token_at] = digest(b"the ledger as written by the plan of ", read)
            made, kept_rest = digest(*parts), digest(*parts[:-2], parts[-1])
    return PlanKeys(key, (read, made), digest(joined), changed, rows, rest, kept_rest)


def _taken_text(taken: dict[str, str]) -> str | None:
    """``taken`` as text, a line each ("path<TAB>who"), in order; None when a path or a name
    holds a tab or a line break (the plan is then made again whenever they change)."""
    text = "\n".join(f"{rel}\t{who}" for rel, who in taken.items())
    return text if text.count("\n") == max(0, len(taken) - 1) and text.count("\t") == len(taken) else None


def taken_paths(
    specs: Iterable[PageSpec],
    own_static: dict[str, Path],
    all_static: dict[str, Path],
    fingerprints: dict[str, str],
    assets: dict[str, tuple[Path, str]],
    root: Path,
) -> dict[str, str]:
    """Every output path of the build (pages, static files and their hashed copies, files
    next to articles) → who writes it, as a message names it."""
    taken: dict[str, str] = {}
    for spec in specs:
        taken[spec.output] = f"the page of {spec.source}" if spec.source else f"brief's own page {spec.path}"
    for rel in all_static:
        taken.setdefault(rel, f"static/{rel}" if rel in own_static else f"the theme's static/{rel}")
    for rel, hashed in fingerprints.items():
        taken.setdefault(hashed, f"the content-hashed copy of static/{rel}")
    for rel, (source, article) in assets.items():
        taken.setdefault(rel, f"{relpath(source, root)} (a file {article} shows)")
    return taken


def publish_redirects(
    plan: RedirectPlan, site: Site, writer: OutputWriter | MemoryWriter, own_static: dict[str, Path]
) -> None:
    """Write every redirect page, ``_redirects`` and the nginx map. A ``static/_redirects`` of
    the site's own is kept, first, in the one ``_redirects`` written; it is taken out of
    ``own_static`` so that it is not copied as well."""
    for rel, data, origin in redirect_files(site, plan.redirects):
        if rel == NETLIFY_FILE and NETLIFY_FILE in own_static:
            data = own_static.pop(NETLIFY_FILE).read_bytes().rstrip(b"\n") + b"\n\n" + data
        writer.write(rel, data, origin=origin)
