"""``byline-mismatch``: an analysis signed by someone who neither wrote the article nor writes for the site.

The byline of an article's analysis (``analysis.byline``) names who wrote it, often with a
role: "Priya Venkataraman, Economics Editor", "By Ana Ortiz and Tomás Reyes". The names
(before the first comma or dash, split at "and" and "&", without a leading "By") must each
be an author of the article, a profile of the site (its name or slug), or a name the site
allows: ``[bylines] outlets`` in brief.toml, the ``default_author``, the site's title and
publisher. Names are compared as their slugs, so case, accents, spacing and a leading "The"
do not matter.

Checked when the site is indexed (stage 3), since the profiles are the whole site's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from brief.config import Config
from brief.content.model import Article, Profile
from brief.errors import WARNING, Problem, did_you_mean
from brief.slugs import slugify

_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_ROLE = re.compile(r"\s*(?:,|;|\s[—–-]\s|\|)")
_AND = re.compile(r"\s+(?:and|&)\s+|\s*&\s*", re.IGNORECASE)


def byline_names(byline: str) -> list[str]:
    """The names a byline gives: "By Ana Ortiz and Tomás Reyes, Climate Desk" → Ana Ortiz, Tomás Reyes."""
    people = _ROLE.split(_BY.sub("", byline), maxsplit=1)[0]
    return [name for name in (" ".join(part.split()) for part in _AND.split(people)) if name]


def _key(name: str) -> str:
    """A name as compared: its slug, without a leading "the" ("The Editorial Board" is "Editorial Board")."""
    return slugify(name).removeprefix("the-")


def byline_problems(articles: Iterable[Article], profiles: dict[str, Profile], config: Config) -> list[Problem]:
    """A warning for each name in an analysis byline that is no author, profile or allowed outlet."""
    site_names = {_key(slug): profile.name or slug for slug, profile in profiles.items()}
    for profile in profiles.values():
        if profile.name:
            site_names.setdefault(_key(profile.name), profile.name)
    outlets = (*config.byline_outlets, config.default_author, config.title, config.publisher_name)
    allowed = {_key(name) for name in outlets}
    problems = []
    for article in articles:
        analysis = article.analysis
        if analysis is None or not analysis.byline:
            continue
        authors = {_key(a) for a in article.authors}
        for name in byline_names(analysis.byline):
            key = _key(name)
            if not key or key in authors or key in site_names or key in allowed:
                continue
            known = [*article.authors, *(n for n in site_names.values() if n not in article.authors)]
            problems.append(
                Problem(
                    article.relpath,
                    article.lines.get(("analysis", "byline")),
                    "analysis.byline",
                    f"'{name}' is neither an author of this article ({', '.join(article.authors)}) nor an author "
                    "profile of the site (expected one of them, or a name listed under [bylines] outlets in "
                    f'brief.toml, such as "Editorial Board"){did_you_mean(name, known)}',
                    WARNING,
                    "byline-mismatch",
                )
            )
    return problems
