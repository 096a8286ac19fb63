"""``brief related SLUG``: why the build shows the related articles it shows for one
article, from the same loading, index and scoring the build uses."""

from __future__ import annotations

from datetime import datetime

from brief.config import Config
from brief.content.dates import current_time
from brief.content.load import load_articles
from brief.errors import BriefError, BuildFailed, did_you_mean, errors_in
from brief.site.index import build_index
from brief.site.related import RelatedIndex


def explain_related(
    config: Config,
    slug: str,
    *,
    drafts: bool = False,
    future: bool = False,
    limit: int = 10,
    now: datetime | None = None,
) -> dict:
    """Why the build shows the related articles it shows for ``slug`` (``brief related``)."""
    now = now or current_time()
    loaded = load_articles(config)
    errors = errors_in(loaded.problems)
    if errors:
        raise BuildFailed(errors, "loading the articles")
    site, _ = build_index(loaded.articles, config, drafts=drafts, future=future, now=now)
    if slug not in site.built:
        known = sorted(site.built)
        reason = (
            "is a draft or scheduled (try --drafts or --future)"
            if slug in site.all_articles
            else f"does not exist{did_you_mean(slug, known)}"
        )
        raise BriefError(f"article '{slug}' {reason}")
    index = RelatedIndex(site.articles, config.related, config.language, now)
    shown = {item.article.slug for item in site.related[slug] if item.article is not None and item.automatic}
    listed = {item.article.slug for item in site.related[slug] if item.article is not None and not item.automatic}
    article = site.all_articles[slug]
    candidates = [
        {
            "slug": s.article.slug,
            "title": s.article.title,
            "score": s.score,
            "tags": round(s.tags, 6),
            "text": round(s.text, 6),
            "section": round(s.section, 6),
            "recency": round(s.recency, 6),
            "shared_tags": list(s.shared_tags),
            "shared_terms": list(s.shared_terms),
            "shown": s.article.slug in shown,
            "listed": s.article.slug in listed,
            "why": (
                "listed"
                if s.article.slug in listed
                else "shown"
                if s.article.slug in shown
                else "shares too little"
                if not s.passes
                else "below min_score"
                if not index.clears(s)
                else "list full"
            ),
        }
        for s in index.explain(slug, limit)
    ]
    return {
        "slug": slug,
        "title": article.title,
        "count": config.related.count,
        "min_score": config.related.min_score,
        "explicit": [
            item.article.slug if item.article else item.url for item in site.related[slug] if not item.automatic
        ],
        "candidates": candidates,
    }


def report_text(report: dict) -> str:
    """The human-readable form of :func:`explain_related`'s report (what `brief related` prints)."""
    lines = [f"Related articles for {report['slug']} ({report['title']})"]
    if report["explicit"]:
        lines.append("Listed in front matter: " + ", ".join(report["explicit"]))
    lines.append(f"Showing up to {report['count']}; a suggestion needs a score of at least {report['min_score']:g}.")
    lines.append("")
    lines.append(f"  {'score':>6}  {'tags':>6}  {'text':>6}  {'section':>7}  {'age':>6}  {'shown':<21}  candidate")
    for c in report["candidates"]:
        shown = "yes" if c["shown"] else ("listed" if c["listed"] else f"no: {c['why']}")
        lines.append(
            f"  {c['score']:6.3f}  {c['tags']:6.3f}  {c['text']:6.3f}  {c['section']:7.3f}  {c['recency']:6.3f}  {shown:<21}  {c['slug']}"
        )
        details = []
        if c["shared_tags"]:
            details.append("tags: " + ", ".join(c["shared_tags"]))
        if c["shared_terms"]:
            details.append("terms: " + ", ".join(c["shared_terms"][:6]))
        if details:
            lines.append(" " * 67 + "; ".join(details))
    if not report["candidates"]:
        lines.append('  No candidate shares a tag or a key term: "No related articles found" unless some are listed.')
    return "\n".join(lines)
