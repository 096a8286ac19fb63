"""When the site changes by itself (brief.render.schedule), on a real site's articles: an
article going live, leaving the news sitemap, expiring; in time order; drafts, expired
articles, articles past their window and syndicated copies have none. The model agrees
with the build itself: at each change, the index and the news sitemap change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers import article, make_site

from brief.config import load_config
from brief.content.load import load_articles
from brief.content.model import Article
from brief.render.schedule import cache_deadline, came, upcoming
from brief.render.sitemaps import news_articles
from brief.site.index import build_index

NOW = datetime(2026, 12, 3, 5, 45, tzinfo=UTC)
CONFIG = 'title = "T"\nbase_url = "https://example.org/"\ntimezone = "Europe/Paris"\n'
FILES = {
    # Goes live at 06:00 UTC (07:00 in Paris), leaves the news sitemap two days later.
    "content/port.md": article(title="Port corridor talks", date="2026-12-03T07:00:00"),
    # Published yesterday: leaves the news sitemap tomorrow.
    "content/grid.md": article(title="Grid batteries", date="2026-12-02T10:30:00"),
    # Old, and taken down on the 5th.
    "content/closures.md": article(title="Road closures", date="2026-11-20", expires="2026-12-05T01:00:00"),
    # Published today and taken down before its window closes: expires, never "leaves".
    "content/notice.md": article(title="Notice", date="2026-12-03T01:00:00", expires="2026-12-04T01:00:00"),
    # None of these change anything.
    "content/draft.md": article(title="Draft", date="2026-12-03T09:00:00", draft=True),
    "content/gone.md": article(title="Gone", date="2026-11-01", expires="2026-12-01"),
    "content/old.md": article(title="Old", date="2026-11-29"),
    "content/copy.md": article(title="Copy", date="2026-12-02", canonical="https://elsewhere.example/x"),
}


def articles(tmp_path: Path, files: dict[str, str] = FILES) -> tuple[list[Article], object]:
    config = load_config(make_site(tmp_path, files, CONFIG))
    loaded = load_articles(config)
    assert [p for p in loaded.problems if p.severity == "error"] == []
    return loaded.articles, config


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_changes_in_time_order_with_their_kinds(tmp_path):
    found, _ = articles(tmp_path)
    assert [(c.at, c.kind, c.article.slug) for c in upcoming(found, NOW)] == [
        (at("2026-12-03T06:00"), "scheduled", "port"),
        (at("2026-12-04T00:00"), "expires", "notice"),
        (at("2026-12-04T09:30"), "news-window", "grid"),
        (at("2026-12-05T00:00"), "expires", "closures"),
        (at("2026-12-05T06:00"), "news-window", "port"),
    ]
    assert all(c.at.tzinfo == UTC for c in upcoming(found, NOW))


def test_drafts_count_only_for_a_build_that_publishes_them(tmp_path):
    found, _ = articles(tmp_path)
    drafts = [(c.kind, c.article.slug) for c in upcoming(found, NOW, drafts=True) if c.article.draft]
    assert drafts == [("scheduled", "draft"), ("news-window", "draft")]


def test_changes_at_one_moment_are_listed_by_kind_then_slug(tmp_path):
    files = {
        "content/b.md": article(title="B", date="2026-12-01T07:00:00"),  # leaves at 06:00 UTC on the 3rd
        "content/a.md": article(title="A", date="2026-12-03T07:00:00"),  # goes live then (Paris time)
        "content/c.md": article(title="C", date="2026-11-01", expires="2026-12-03T07:00:00"),
        "content/d.md": article(title="D", date="2026-12-03T07:00:00"),
    }
    found, _ = articles(tmp_path, files)
    first = [(c.kind, c.article.slug) for c in upcoming(found, NOW) if c.at == at("2026-12-03T06:00")]
    assert first == [("scheduled", "a"), ("scheduled", "d"), ("news-window", "b"), ("expires", "c")]


def test_the_build_changes_exactly_when_the_model_says(tmp_path):
    found, config = articles(tmp_path)
    tiny = timedelta(microseconds=1)
    for change in upcoming(found, NOW):
        before, after = change.at - tiny, change.at + tiny
        assert not change.shown_at(before) and change.shown_at(after)
        if change.kind == "news-window":  # both ends of the window are included
            assert not change.shown_at(change.at)
            assert _in_news(found, config, change.at, change.article.slug)
            assert not _in_news(found, config, after, change.article.slug)
        else:
            assert change.shown_at(change.at)
            built = change.kind == "scheduled"
            assert _built(found, config, before, change.article.slug) is not built
            assert _built(found, config, change.at, change.article.slug) is built


def _index(found, config, now):
    site, _ = build_index(found, config, drafts=False, future=False, now=now)
    return site


def _built(found, config, now, slug) -> bool:
    return slug in _index(found, config, now).built


def _in_news(found, config, now, slug) -> bool:
    return slug in {a.slug for a in news_articles(_index(found, config, now), now)}


def test_what_came_between_two_builds(tmp_path):
    found, _ = articles(tmp_path)
    assert came(found, NOW, NOW) == []
    assert came(found, NOW, at("2026-12-03T05:59:59")) == []
    assert [(c.kind, c.article.slug) for c in came(found, NOW, at("2026-12-03T06:00"))] == [("scheduled", "port")]
    late = came(found, at("2026-12-03T06:00"), at("2026-12-05T00:00"))
    assert [(c.kind, c.article.slug) for c in late] == [
        ("expires", "notice"),
        ("news-window", "grid"),
        ("expires", "closures"),
    ]
    # A build at the very end of grid's window still lists it in the news sitemap: due just after.
    end = at("2026-12-04T09:30")
    assert [c.article.slug for c in came(found, end, end)] == []
    assert [c.article.slug for c in came(found, end, end + timedelta(seconds=1))] == ["grid"]


def test_the_cache_stops_at_the_first_change_or_midnight(tmp_path):
    found, config = articles(tmp_path)
    site = _index(found, config, NOW)
    assert cache_deadline(site, NOW, drafts=False) == at("2026-12-03T06:00").timestamp()
    quiet = at("2026-12-06T10:00")  # nothing left but the days going by
    assert upcoming(found, quiet) == []
    assert cache_deadline(_index(found, config, quiet), quiet, drafts=False) == at("2026-12-07T00:00").timestamp()
    # A build with drafts: the draft's own date counts.
    later = at("2026-12-03T07:00")
    with_drafts, _ = build_index(found, config, drafts=True, future=False, now=later)
    assert cache_deadline(with_drafts, later, drafts=True) == at("2026-12-03T08:00").timestamp()
    assert cache_deadline(with_drafts, later, drafts=False) == at("2026-12-04T00:00").timestamp()


def test_a_site_without_articles_is_never_up_to_date(tmp_path):
    found, config = articles(tmp_path, {})
    site = _index(found, config, NOW)
    assert cache_deadline(site, NOW, drafts=False) == NOW.timestamp()


def test_the_quick_skip_of_old_articles_changes_nothing(tmp_path):
    """upcoming() skips an article without an expiry a day older than the news window
    without date arithmetic; the changes are those of the full rule at every moment around
    the window's end, daylight saving included (Paris: 2026-10-25 and 2027-03-28)."""
    import dataclasses

    from brief.render.schedule import NEWS_WINDOW

    def full_rule(found: list[Article], now: datetime) -> list[tuple]:
        changes = []
        for a in found:
            if a.draft or a.expired(now):
                continue
            if a.date > now:
                changes.append((a.date.astimezone(UTC), "scheduled", a.slug))
            leaves = a.date + NEWS_WINDOW
            if a.canonical is None and leaves >= now and (a.expires is None or a.expires > leaves):
                changes.append((leaves.astimezone(UTC), "news-window", a.slug))
            if a.expires is not None:
                changes.append((a.expires.astimezone(UTC), "expires", a.slug))
        return sorted(changes, key=lambda c: (c[0], ("scheduled", "news-window", "expires").index(c[1]), c[2]))

    found, config = articles(tmp_path)
    base = next(a for a in found if a.slug == "old")
    paris = config.tz
    dated = [
        dataclasses.replace(base, slug=f"at-{i}", date=datetime(2026, 10, 22, 0, tzinfo=paris) + timedelta(hours=7 * i))
        for i in range(40)
    ] + [
        dataclasses.replace(
            base, slug=f"spring-{i}", date=datetime(2027, 3, 25, 0, tzinfo=paris) + timedelta(hours=7 * i)
        )
        for i in range(40)
    ]
    for start in (datetime(2026, 10, 24, tzinfo=UTC), datetime(2027, 3, 27, tzinfo=UTC)):
        for step in range(0, 24 * 6, 5):
            now = start + timedelta(hours=step, minutes=17)
            assert [(c.at, c.kind, c.article.slug) for c in upcoming(dated, now)] == full_rule(dated, now)
