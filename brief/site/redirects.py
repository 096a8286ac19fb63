"""Which old URLs redirect where: every article's ``aliases:``, brief.toml's ``[redirects]``
(brief.site.tableredirects) and the URL ledger's lines.

Pure: from the site index, the paths every page and file of the build takes (with who
takes them) and the ledger's lines, to the list of redirects, the problems and the
ledger's lines after this build. Each redirect leads from an old site path to a page or
file of this build as it is now (an alias's and the ledger's to an article), or to another
site, so redirects never chain.

- An alias that another alias, a page or a file of the site already takes (or a file or
  folder in its way) is an error naming both files.
- A ledger line whose URL no page serves any more redirects to where its file's article
  is now; a file that vanished is matched to an article with the same date and headline
  (a renamed file). An alias given by hand wins, and so does anything the site serves.
- A ``[redirects]`` entry is taken after the aliases and before the ledger: an old path
  that an alias or the ledger also redirects is an error on brief.toml naming both; a
  ledger URL whose article is gone is quietly left to it.
- A ledger URL whose article is gone, unless marked withdrawn, is a warning; an article
  that exists but is not in this build (a draft, a scheduled one) keeps its URLs quietly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from brief.content.aliases import alias_output
from brief.content.ledger import LEDGER_NAME, WITHDRAWN, Entry, entry_of, merged, published
from brief.content.model import Article
from brief.errors import WARNING, Problem
from brief.oldpaths import TableRedirect
from brief.site.model import Site
from brief.site.places import Places, Redirect
from brief.site.tableredirects import claim_old_paths, ledger_clash, resolve_targets

__all__ = ["Moved", "Redirect", "RedirectPlan", "plan_redirects", "renumbered", "retitled"]


def article_redirect(old: str, output: str, article: Article, origin: str, page: bool = True) -> Redirect:
    """A redirect to ``article``'s page as built (an alias's or the ledger's)."""
    return Redirect(old, output, article.url_path, origin, page, article.title, article.canonical)


@dataclass(frozen=True, slots=True)
class Moved:
    """A redirect the ledger adds because an article's URL changed since it was recorded."""

    old: str
    new: str
    source: str
    """The article's file now."""
    was: str
    """Its file when it was published at ``old`` (another one when the file was renamed)."""

    def describe(self) -> str:
        why = f"{self.source} changed its URL" if self.was == self.source else f"{self.was} is now {self.source}"
        return f"Redirect: {self.old} → {self.new} ({why})"


@dataclass
class RedirectPlan:
    redirects: list[Redirect] = field(default_factory=list)
    """Sorted by old path."""
    problems: list[Problem] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    """Redirects this build adds by itself (an article's URL changed since the ledger recorded it)."""
    ledger: list[Entry] | None = None
    """The ledger's lines after this build (its lines plus this build's article URLs); None
    when the build reads no ledger."""
    added: bool = False
    """Whether lines were added to the ledger (each records its article's headline)."""
    asked: frozenset[tuple[str, str]] = frozenset()
    """The (publication time, headline) pairs that ledger lines of files gone since looked for
    (to find a renamed file)."""
    found: frozenset[str] = frozenset()
    """The files of every article with one of those pairs."""
    looked_up: str | None = None
    """Every output path the plan asked who takes (brief.site.places.Places.asked: case-folded,
    one a line); None when it read every path taken. The plan is the same for other paths
    taken as long as none of them is at, above or inside one of these
    (brief.site.places.touched)."""
    gone: tuple[tuple[str, str], ...] = ()
    """The (path, file) of the ledger line each ``published-url-gone`` warning names, in the
    order of those warnings (:func:`renumbered`)."""

    def at_ledger_lines(self) -> bool:
        """Whether a problem of the plan is on a line of the ledger, or names the ledger."""
        return any(map(_on_ledger, self.problems))

    def reads_headlines(self, articles: Iterable[Article]) -> bool:
        """Whether the plan may depend on the headlines of ``articles`` (the files changed since
        it was made) beyond its redirects' titles: it added ledger lines, or one of them has or
        had a headline a ledger line looked for. When not, and nothing else it reads changed,
        planning again gives :func:`retitled`'s plan."""
        if self.added:
            return True
        return any(a.relpath in self.found or (published(a), _headline(a.title)) in self.asked for a in articles)


def plan_redirects(site: Site, taken: Mapping[str, str], ledger: list[Entry] | None = None) -> RedirectPlan:
    """The redirects of ``site``. ``taken`` maps each output path the build writes to who
    writes it, as a message says it ("the page of content/a.md", "static/x.html"); ``ledger``
    is the URL ledger's lines, or None when this build does not read it. ``[redirects]`` of
    brief.toml comes with the site's config."""
    plan = RedirectPlan()
    places = Places()
    for relpath, who in taken.items():
        places.take(relpath, who)
    for article in site.all_articles.values():  # drafts and scheduled articles keep their URL
        places.take(f"{article.output_dir}/index.html", f"the page of {article.relpath}")
    for page in site.all_pages.values():
        places.take(f"{page.output_dir}/index.html", f"the page of {page.relpath}")
    for article in sorted(site.all_articles.values(), key=lambda a: a.relpath):
        _aliases(site, article, places, plan)
    claimed = claim_old_paths(site.config.redirects, places, plan.problems)
    if ledger is not None:
        table = {c.output.casefold(): c.entry for c in claimed}
        recorded = {entry.key for entry in ledger}
        by_identity = _ledger(site, ledger, places, plan, table, recorded)
        # a line only for each article at a URL the ledger lacks (merged keeps a line it has)
        added = [entry_of(a) for a in site.articles if (a.url_path, a.relpath) not in recorded]
        plan.ledger = merged(ledger, added)
        plan.added, plan.asked, plan.found = bool(added), frozenset(by_identity.asked), frozenset(by_identity.found)
    resolve_targets(site, claimed, taken, places, plan.redirects, plan.problems)
    plan.redirects.sort(key=lambda r: r.old)
    plan.looked_up = places.asked_text()
    return plan


GONE = "published-url-gone"
"""The code of the warning on a ledger line whose article is gone."""


def renumbered(plan: RedirectPlan, ledger: list[Entry], first_line: int) -> RedirectPlan | None:
    """``plan`` with each ``published-url-gone`` warning at the line of its entry in ``ledger``,
    written one entry a line from line ``first_line`` on: what planning again from that file
    makes, when each of those entries is still the first of its path not withdrawn (the one a
    plan names) and no other problem is on the ledger or names it; else None."""
    at = [i for i, problem in enumerate(plan.problems) if problem.code == GONE]
    if len(at) != len(plan.gone) or any(p.code != GONE and _on_ledger(p) for p in plan.problems):
        return None
    line_of: dict[tuple[str, str], int] = {}
    named: dict[str, tuple[str, str]] = {}
    for n, entry in enumerate(ledger):
        line_of[entry.key] = first_line + n
        if not entry.withdrawn:
            named.setdefault(entry.path, entry.key)
    problems = list(plan.problems)
    for i, key in zip(at, plan.gone):
        if named.get(key[0]) != key:
            return None
        problems[i] = replace(problems[i], line=line_of[key])
    return replace(plan, problems=problems)


def _on_ledger(problem: Problem) -> bool:
    return problem.path == LEDGER_NAME or LEDGER_NAME in problem.message


def retitled(plan: RedirectPlan, site: Site) -> RedirectPlan:
    """``plan`` with each redirect to a built article carrying its headline as ``site`` has it:
    what planning again gives when only headlines changed since ``plan`` was made, and it
    read none but its redirects' titles (:meth:`RedirectPlan.reads_headlines`)."""
    titles = {a.url_path: a.title for a in site.articles}
    titles |= {f"/{a.output_dir}/": a.title for a in site.articles}  # (a [redirects] target's form)
    redirects = [
        r
        if r.title is None or r.external or titles.get(r.target, r.title) == r.title
        else replace(r, title=titles[r.target])
        for r in plan.redirects
    ]
    return replace(plan, redirects=redirects)


def _aliases(site: Site, article: Article, places: Places, plan: RedirectPlan) -> None:
    own_exact = f"{article.output_dir}/index.html"
    own = own_exact.casefold()
    for i, old in enumerate(article.aliases):
        output = alias_output(old)
        line = article.lines.get(("aliases", i))
        who = places.owner(output)
        if who is not None and output.casefold() == own and output != own_exact:
            if article.slug in site.built:  # the same letters in another case: the server's rules only
                plan.redirects.append(article_redirect(old, output, article, article.relpath, page=False))
            continue
        if who is not None:
            if output.casefold() == own:
                message = f"{old} is this article's own URL (expected an address it was published at before)"
            elif who.startswith("aliases["):
                message = f"{old} is also {who} (expected each old address to lead to one article)"
            else:
                message = f"{old} is also {who} (expected an old address that no page or file of the site uses)"
            plan.problems.append(Problem(article.relpath, line, f"aliases[{i}]", message))
            continue
        where = f" (line {line})" if line else ""
        places.take(output, f"aliases[{i}] of {article.relpath}{where}")
        if article.slug in site.built:
            plan.redirects.append(article_redirect(old, output, article, article.relpath))


def _ledger(
    site: Site,
    ledger: list[Entry],
    places: Places,
    plan: RedirectPlan,
    table: dict[str, TableRedirect],
    recorded: set[tuple[str, str]],
) -> _Identities:
    """Redirects from the old URLs of the ``ledger`` (whose (path, file) pairs are ``recorded``)
    to where their articles are now, and a warning for each URL whose article is gone.
    Returns the table that lines of files gone since were looked up in, by headline."""
    by_source = {a.relpath: a for a in site.all_articles.values()}
    by_identity = _Identities(site.all_articles.values())
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in ledger:
        groups[entry.path].append(entry)
    for old, entries in sorted(groups.items()):
        output = alias_output(old)
        claim = table.get(output.casefold())
        if places.owner(output) is not None and claim is None:
            continue  # a page, a file or an alias of the site answers there
        target, dormant = _where_now(entries, by_source, by_identity, site.built)
        if claim is not None:  # brief.toml's [redirects] leads it on, unless the ledger does too
            if target is not None:
                now, was = target
                plan.problems.append(ledger_clash(claim, was.line, LEDGER_NAME, now.url_path, now.relpath))
            continue
        if target is not None:
            now, was = target
            places.take(output, LEDGER_NAME)
            plan.redirects.append(article_redirect(old, output, now, LEDGER_NAME))
            if (now.url_path, now.relpath) not in recorded:
                plan.moved.append(Moved(old, now.url_path, now.relpath, was.source))
            continue
        gone = [e for e in entries if not e.withdrawn]
        if not dormant and gone:
            entry = gone[0]
            plan.gone += ((entry.path, entry.source),)
            plan.problems.append(
                Problem(
                    LEDGER_NAME,
                    entry.line,
                    None,
                    f"{old} was published from {entry.source}, which is gone, so links to it now lead to the "
                    f"not-found page (expected the article back, aliases: [{old}] on the article that replaces it, "
                    f"or '{WITHDRAWN}' after the file name on this line)",
                    WARNING,
                    GONE,
                )
            )
    return by_identity


def _where_now(
    entries: list[Entry],
    by_source: dict[str, Article],
    by_identity: _Identities,
    built: frozenset[str],
) -> tuple[tuple[Article, Entry] | None, bool]:
    """The built article that published an old URL (by its file, or the file it was renamed
    to) with that ledger line; and whether such an article exists but is not in this build."""
    dormant = False
    for entry in sorted(entries, key=lambda e: e.source):
        article = by_source.get(entry.source) or _renamed(entry, by_identity)
        if article is None:
            continue
        if article.slug in built:
            return (article, entry), dormant
        dormant = True
    return None, dormant


def _renamed(entry: Entry, by_identity: _Identities) -> Article | None:
    """The one article with the date and headline the ledger recorded for a vanished file."""
    if entry.date is None or entry.title is None:
        return None
    found = by_identity.get((entry.date, _headline(entry.title)))
    return found[0] if len(found) == 1 else None


class _Identities:
    """The articles by (publication time as the ledger writes it, headline), made on the first
    look-up: only a ledger line whose file is gone asks, and most builds have none. Made for every
    build, the table took 31 ms at 10,000 articles, on one core, while the pages are planned, and
    13 MB of the build's peak memory at 100,000 (1,411 MB then, 1,398 MB without it)."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self._articles = articles
        self._table: dict[tuple[str, str], list[Article]] | None = None
        self.asked: set[tuple[str, str]] = set()
        """Every pair looked up."""
        self.found: set[str] = set()
        """The files of the articles found for them."""

    def get(self, identity: tuple[str, str]) -> list[Article]:
        if self._table is None:
            self._table = defaultdict(list)
            for article in self._articles:
                self._table[(published(article), _headline(article.title))].append(article)
        found = self._table.get(identity, [])
        self.asked.add(identity)
        self.found.update(a.relpath for a in found)
        return found


def _headline(title: str) -> str:
    return " ".join(title.casefold().split())
