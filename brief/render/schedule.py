"""When the published site changes by itself: the part of a build that the clock decides.

Three kinds of moment change what ``brief build`` makes from the same files, and a
newsroom plans for each of them:

- ``scheduled``: an article dated in the future goes live at its ``date``;
- ``news-window``: an article leaves the news sitemap two days after its date
  (:data:`~brief.render.sitemaps.NEWS_WINDOW`);
- ``expires``: an article is taken down at its ``expires`` time.

:func:`upcoming` lists them from the validated articles, in one place for everyone:
``brief build`` prints the first ("Next change: …"), ``brief schedule`` lists them all and
its ``--due`` asks :func:`came` whether one has come since the last build, and the build
cache (:func:`cache_deadline`) stops calling an output "up to date" at the first of them.

Drafts are never published, so they never change the site by themselves. Not listed
either: the day rolling over (midnight UTC), which ages every article by a day in the
related-article scoring and may swap a suggestion at the margin. Nobody scheduled it and
a newsroom's cron job need not rebuild for it, so only the cache counts it: a build on a
new day is never "up to date" with one made the day before.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from brief.content.model import Article
from brief.render.sitemaps import NEWS_WINDOW
from brief.site.model import Site

Kind = Literal["scheduled", "news-window", "expires"]
KINDS: tuple[Kind, ...] = ("scheduled", "news-window", "expires")
"""Every kind, in the order changes at the same moment are listed."""


@dataclass(frozen=True, slots=True)
class Change:
    """One moment at which the published site changes by itself."""

    at: datetime
    """When, in UTC."""
    kind: Kind
    """``scheduled`` (the article goes live), ``news-window`` (it leaves the news sitemap) or
    ``expires`` (it is taken down)."""
    article: Article

    def shown_at(self, when: datetime) -> bool:
        """Whether a build made at ``when`` shows this change already. The news sitemap keeps
        an article to the very end of its window (both ends are included), so that change
        shows only after ``at``; an article goes live and expires at ``at`` itself."""
        return when > self.at if self.kind == "news-window" else when >= self.at


def upcoming(articles: Iterable[Article], now: datetime, *, drafts: bool = False) -> list[Change]:
    """Every change that a build made at ``now`` does not show yet, in time order (changes at
    the same moment in the order of :data:`KINDS`, then by slug). ``articles`` are the valid
    ones, drafts included; drafts have no changes unless ``drafts`` (a build that publishes
    them, for the cache)."""
    changes = []
    # An article a day older than the window has left the news sitemap, whatever the daylight
    # saving shifts in its time zone (``date + NEWS_WINDOW`` counts wall-clock hours there).
    long_gone = now - NEWS_WINDOW - timedelta(days=1)
    for article in articles:
        if article.expires is None and article.date < long_gone:
            continue  # (most of them: nothing ahead, found without date arithmetic)
        if (article.draft and not drafts) or article.expired(now):
            continue
        if article.date > now:
            changes.append(Change(article.date.astimezone(UTC), "scheduled", article))
        leaves = article.date + NEWS_WINDOW
        # A syndicated copy (canonical: elsewhere) is never in the news sitemap, and an article
        # taken down before its window closes does not leave the sitemap again.
        if article.canonical is None and leaves >= now and (article.expires is None or article.expires > leaves):
            changes.append(Change(leaves.astimezone(UTC), "news-window", article))
        if article.expires is not None:
            changes.append(Change(article.expires.astimezone(UTC), "expires", article))
    return sorted(changes, key=lambda c: (c.at, KINDS.index(c.kind), c.article.slug))


def came(articles: Iterable[Article], since: datetime, now: datetime) -> list[Change]:
    """The changes that a build made at ``now`` shows and one made at ``since`` did not, in
    time order: what has come due since a build at ``since``."""
    return [change for change in upcoming(articles, since) if change.shown_at(now)]


def cache_deadline(site: Site, now: datetime, *, drafts: bool, known: Iterable[Change] | None = None) -> float:
    """The first moment (POSIX time) at which a build of the same files with the same options
    could differ from the one made at ``now`` (``site`` is its index): its first
    :func:`upcoming` change, or the next midnight UTC (related scoring counts ages in days),
    whichever comes first. A site without articles shows the build time in its feeds, so its
    output is never up to date."""
    if not site.articles:
        return now.timestamp()
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    # ``known``: the site's upcoming changes (without drafts'), when the caller has them already.
    first = (
        list(known)[:1]
        if known is not None and not drafts
        else upcoming(site.all_articles.values(), now, drafts=drafts)[:1]
    )
    return min([day, *(change.at for change in first)]).timestamp()
