"""Stage 3: the site index, computed once from every validated article.

Pure: no file access. Decides which articles are part of this build, finds
slug and URL collisions, and resolves ``related`` entries to articles.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from urllib.parse import urlsplit

from .config import Config
from .errors import WARNING, Problem, did_you_mean
from .model import Article, RelatedItem, Site


def build_index(articles: list[Article], config: Config, *, drafts: bool, future: bool, now: datetime,
                invalid_slugs: frozenset[str] = frozenset()) -> tuple[Site, list[Problem]]:
    """Index ``articles`` (every valid one, drafts included) for a build at time ``now``.

    ``invalid_slugs`` belong to files that failed validation: a reference to one
    is not reported as unknown, since that file's own problems already are."""
    problems: list[Problem] = []
    by_slug = _unique_slugs(articles, problems)
    built = sorted(
        (a for a in by_slug.values() if (drafts or not a.draft) and (future or a.date <= now)),
        key=lambda a: a.sort_key,
    )
    built_slugs = frozenset(a.slug for a in built)
    related: dict[str, tuple[RelatedItem, ...]] = {}
    for article in sorted(by_slug.values(), key=lambda a: a.relpath):
        items = _resolve_related(article, by_slug, built_slugs, invalid_slugs, config, problems)
        if article.slug in built_slugs:
            related[article.slug] = items
    site = Site(
        config=config,
        articles=tuple(built),
        all_articles=by_slug,
        by_path={a.path.resolve(): a for a in by_slug.values()},
        related=related,
        built=built_slugs,
    )
    return site, problems


def _unique_slugs(articles: list[Article], problems: list[Problem]) -> dict[str, Article]:
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[article.slug].append(article)
    for slug, group in groups.items():
        if len(group) > 1:
            for article in group:
                others = ", ".join(o.relpath for o in group if o is not article)
                problems.append(Problem(article.relpath, article.slug_line, "slug", f"'{slug}' is also the slug of {others}, so both would have the same URL (expected every article to have its own slug; set slug: in one of them)"))
    return {slug: group[0] for slug, group in groups.items() if len(group) == 1}


def _resolve_related(article: Article, by_slug: dict[str, Article], built: frozenset[str], invalid: frozenset[str],
                     config: Config, problems: list[Problem]) -> tuple[RelatedItem, ...]:
    items: list[RelatedItem] = []
    for i, ref in enumerate(article.related):
        field = f"related[{i}]"
        if ref.slug is None:
            domain = urlsplit(ref.url or "").hostname or ""
            items.append(RelatedItem(title=ref.title or "", url=ref.url or "", external=True, domain=domain.removeprefix("www.")))
            continue
        target = by_slug.get(ref.slug)
        if target is None and ref.slug in invalid:
            continue
        if target is None:
            hint = did_you_mean(ref.slug, [*by_slug, *invalid])
            problems.append(Problem(article.relpath, ref.line, field, f"no article with slug '{ref.slug}' (expected the slug of another article: its file name without .md, or its slug: field){hint}"))
            continue
        if target is article:
            problems.append(Problem(article.relpath, ref.line, field, "an article cannot be related to itself", WARNING))
            continue
        if ref.slug not in built:
            if article.slug in built:
                problems.append(Problem(article.relpath, ref.line, field, f"'{ref.slug}' is a draft or scheduled, so it is left out of this build", WARNING))
            continue
        url = config.base_path + target.url_path.lstrip("/")
        items.append(RelatedItem(title=target.title, url=url, external=False, article=target))
    return tuple(items)
