"""Stage 3: the site index, computed once from every validated article.

Pure: no file access. Decides which articles are part of this build, finds
slug and URL collisions, and resolves ``related`` entries to articles.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from operator import attrgetter
from urllib.parse import urlsplit

from brief.config import Config
from brief.content.corrections import future_notes
from brief.content.model import Article, Page, Profile
from brief.content.yamllines import dotted
from brief.errors import WARNING, Problem, did_you_mean
from brief.site.bylines import byline_problems
from brief.site.model import TERM_FOLDERS, RelatedItem, Site, Term
from brief.site.pages import index_pages
from brief.site.relatedmemo import RelatedMemo
from brief.site.suggestions import Scorer, begin_scoring, suggest
from brief.site.terms import TermsAhead
from brief.slugs import slugify


def build_index(
    articles: list[Article],
    config: Config,
    *,
    drafts: bool,
    future: bool,
    now: datetime,
    invalid_slugs: frozenset[str] = frozenset(),
    profiles: dict[str, Profile] | None = None,
    memo: RelatedMemo | None = None,
    workers: int = 1,
    pages: list[Page] | None = None,
    static: frozenset[str] = frozenset(),
    later: list[Callable[[], None]] | None = None,
    scorer: Scorer | None = None,
    ahead: TermsAhead | None = None,
) -> tuple[Site, list[Problem]]:
    """Index ``articles`` (every valid one, drafts included) for a build at time ``now``.

    ``invalid_slugs`` belong to files that failed validation: a reference to one
    is not reported as unknown, since that file's own problems already are. ``memo`` is the
    build cache's part for related suggestions (kept while their inputs are the same). ``pages``
    are the valid standalone pages, ``static`` the output paths of the site's static files
    (a page's URL may clash with neither, see brief.site.pages).

    ``later`` (``brief build``'s): the related suggestions of a cached build may then be made
    by a forked process while the caller goes on (brief.site.suggestions); a call put in ``later``
    waits for them and completes ``site.related``, which nothing may read before; ``scorer``,
    the process started to make them (brief.site.scorer), is asked or ended. ``ahead``: the
    articles' term counts made as their files were read (brief.site.suggestions.counts_ahead)."""
    problems: list[Problem] = []
    by_slug = _unique_slugs(articles, problems)
    built = sorted(
        (a for a in by_slug.values() if (drafts or not a.draft) and (future or a.date <= now) and not a.expired(now)),
        key=_SORT_KEY,
    )
    if later is not None:
        begin_scoring(built, config, memo, workers, scorer)  # (its index made while the lists are resolved)
    built_slugs = frozenset(a.slug for a in built)
    everything = sorted(by_slug.values(), key=_RELPATH)  # (the order of the problems found)
    related: dict[str, tuple[RelatedItem, ...]] = {}
    for article in everything:
        items = _resolve_related(article, by_slug, built_slugs, invalid_slugs, config, problems)
        if article.slug in built_slugs:
            related[article.slug] = items
    waiting = suggest(built, related, config, now, memo, workers, later is not None, scorer, ahead)
    if waiting is not None and later is not None:
        later.append(waiting)
    _duplicate_titles(by_slug, problems)
    problems += future_notes(everything, now)
    problems += byline_problems(everything, profiles or {}, config)
    sections = _terms("section", everything, built, problems)
    tags = _terms("tag", everything, built, problems)
    authors = _terms("author", everything, built, problems, profiles or {})
    page_index = index_pages(
        pages or [], articles, config, drafts=drafts, invalid_slugs=invalid_slugs, static=static, problems=problems
    )
    site = Site(
        config=config,
        articles=tuple(built),
        all_articles=by_slug,
        by_path={str(a.key): a for a in by_slug.values()},
        related=related,
        built=built_slugs,
        sections=sections,
        tags=tags,
        authors=authors,
        now=now,
        pages=page_index.pages,
        all_pages=page_index.all_pages,
        menu=page_index.menu,
    )
    return site, problems


_RELPATH = attrgetter("relpath")
_SLUG = attrgetter("slug")
_SORT_KEY = attrgetter("sort_key")

_EXAMPLE_NAMES = {"section": "'Economy'", "tag": "'Energy Storage'", "author": "'Ana Ruiz'"}


def _duplicate_titles(by_slug: dict[str, Article], problems: list[Problem]) -> None:
    """Two articles with the same headline confuse readers and search engines: a warning on each."""
    headlines = [" ".join(article.title.casefold().split()) for article in by_slug.values()]
    if len(set(headlines)) == len(headlines):
        return  # (each its own, as nearly always)
    seen: dict[str, list[Article]] = defaultdict(list)
    for headline, article in zip(headlines, by_slug.values()):
        seen[headline].append(article)
    for group in seen.values():
        if len(group) > 1:
            for article in sorted(group, key=lambda a: a.relpath):
                others = ", ".join(o.relpath for o in sorted(group, key=lambda a: a.relpath) if o is not article)
                problems.append(
                    Problem(
                        article.relpath,
                        article.lines.get(("title",)),
                        "title",
                        f"same headline as {others} (expected each article to have its own)",
                        WARNING,
                        "duplicate-headline",
                    )
                )


_FIELDS = {"section": "section", "tag": "tags", "author": "authors"}
"""The front-matter field each kind of term is named in (a list but for the section)."""


def _terms(
    kind: str,
    everything: list[Article],
    built: list[Article],
    problems: list[Problem],
    profiles: dict[str, Profile] | None = None,
) -> dict[str, Term]:
    """Group the articles by the slug of a name; two spellings of one slug are an error.
    ``everything``: every valid article, in the order problems are reported (the first
    spelling of a slug met there is the one kept); ``built``: the built ones, in sort_key
    order (each term's articles are in that order)."""
    name_field = _FIELDS[kind]
    listed = name_field != "section"
    names: dict[str, tuple[str, Article]] = {}
    slugs: dict[str, str] = {}  # each name's slug, when it is the spelling kept (the name is its term's)
    for article in everything:
        value = getattr(article, name_field)
        for i, name in enumerate(value if listed else (value,)):
            if name in slugs:  # (most names, met before: 60,000 times at 10,000 articles)
                continue
            slug = slugify(name)
            first = names.get(slug) if slug else None
            if first is None and slug:
                names[slug] = (name, article)
                slugs[name] = slug
            elif first is None or first[0] != name:
                key = (name_field, i) if listed else (name_field,)
                problems.append(_term_problem(kind, name, slug, first, article, key))
    members: dict[str, list[Article]] = defaultdict(list)
    for article in built:
        value = getattr(article, name_field)
        for name in value if listed else (value,):
            kept = slugs.get(name)
            if kept is not None:
                members[kept].append(article)
    terms = {}
    for slug in sorted(members, key=lambda s: (names[s][0].casefold(), s)):
        profile = (profiles or {}).get(slug)
        name = profile.name if profile and profile.name else names[slug][0]
        terms[slug] = Term(kind, name, slug, tuple(members[slug]), profile)
    for slug, profile in (profiles or {}).items():
        if slug not in names:
            known = sorted(names)
            problems.append(
                Problem(
                    profile.source,
                    None,
                    None,
                    f"profile of '{slug}', but no article names this author{did_you_mean(slug, known)}",
                    WARNING,
                    "unused-profile",
                )
            )
    return terms


def _term_problem(
    kind: str, name: str, slug: str, first: tuple[str, Article] | None, article: Article, key: tuple
) -> Problem:
    """The problem of a term ``name`` whose slug is empty, or is ``first``'s under another spelling."""
    if first is None:
        message = (
            f"'{name}' has no letter or digit to make a URL from "
            f"(expected {'an' if kind[0] in 'aeiou' else 'a'} {kind} name such as {_EXAMPLE_NAMES[kind]})"
        )
    else:
        message = (
            f"'{name}' and '{first[0]}' ({first[1].relpath}) would share the page /{TERM_FOLDERS[kind]}/{slug}/ "
            f"(expected one spelling of each {kind}; write '{first[0]}')"
        )
    return Problem(article.relpath, article.lines.get(key), dotted(key), message)


def _unique_slugs(articles: list[Article], problems: list[Problem]) -> dict[str, Article]:
    by_slug = dict(zip(map(_SLUG, articles), articles))
    if len(by_slug) == len(articles):
        return by_slug  # (each its own slug, as nearly always: in C's loops)
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[article.slug].append(article)
    for slug, group in groups.items():
        if len(group) > 1:
            for article in group:
                others = [o.relpath for o in group if o is not article]
                twins = [
                    o
                    for o in others
                    if unicodedata.normalize("NFC", o) == unicodedata.normalize("NFC", article.relpath)
                ]
                note = (
                    (
                        f"; {_spelled(article.relpath)} and {_spelled(twins[0])} look the same but spell accented letters "
                        "differently (composed and decomposed Unicode, as different systems save them): delete or rename one"
                    )
                    if twins
                    else ""
                )
                same_url = any(o.url_path == article.url_path for o in group if o is not article)
                why = (
                    "so both would have the same URL"
                    if same_url
                    else "and a slug names one article (in related: lists, and other articles' links to it)"
                )
                problems.append(
                    Problem(
                        article.relpath,
                        article.slug_line,
                        "slug",
                        f"'{slug}' is also the slug of {', '.join(others)}, {why} "
                        f"(expected every article to have its own slug; set slug: in one of them){note}",
                    )
                )
    return {slug: group[0] for slug, group in groups.items() if len(group) == 1}


def _resolve_related(
    article: Article,
    by_slug: dict[str, Article],
    built: frozenset[str],
    invalid: frozenset[str],
    config: Config,
    problems: list[Problem],
) -> tuple[RelatedItem, ...]:
    items: list[RelatedItem] = []
    for i, ref in enumerate(article.related):
        field = f"related[{i}]"
        if ref.slug is None:
            domain = urlsplit(ref.url or "").hostname or ""
            items.append(
                RelatedItem(title=ref.title or "", url=ref.url or "", external=True, domain=domain.removeprefix("www."))
            )
            continue
        target = by_slug.get(ref.slug)
        if target is None and ref.slug in invalid:
            continue
        if target is None:
            hint = did_you_mean(ref.slug, [*by_slug, *invalid])
            problems.append(
                Problem(
                    article.relpath,
                    ref.line,
                    field,
                    f"no article with slug '{ref.slug}' (expected the slug of another article: its file name without .md, or its slug: field){hint}",
                )
            )
            continue
        if target is article:
            problems.append(
                Problem(
                    article.relpath, ref.line, field, "an article cannot be related to itself", WARNING, "self-related"
                )
            )
            continue
        if ref.slug not in built:
            if article.slug in built:
                problems.append(
                    Problem(
                        article.relpath,
                        ref.line,
                        field,
                        f"'{ref.slug}' is a draft, scheduled or expired, so it is left out of this build",
                        WARNING,
                        "related-not-built",
                    )
                )
            continue
        url = config.base_path + target.url_path.lstrip("/")
        items.append(RelatedItem(title=target.title, url=url, external=False, article=target))
    return tuple(items)


def _spelled(name: str) -> str:
    """``café.md`` with its non-ASCII letters written as code points: ``caf\\u00e9.md``."""
    return "'" + name.encode("ascii", "backslashreplace").decode("ascii") + "'"
