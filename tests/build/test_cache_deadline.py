"""The build cache's deadline (brief.render.schedule.cache_deadline): an output stops being
"up to date" at the first change the clock brings, a draft's too in a build of drafts."""

from __future__ import annotations

from datetime import UTC, datetime

from helpers import article, make_site

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
GOES_LIVE = datetime(2026, 12, 1, 15, tzinfo=UTC)
MIDNIGHT = datetime(2026, 12, 2, tzinfo=UTC)


def test_a_build_of_drafts_is_up_to_date_until_a_drafts_time(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(),
            "content/b.md": article(title="Soon", draft=True, date=GOES_LIVE.isoformat()),
        },
    )
    for drafts, deadline in ((True, GOES_LIVE), (False, MIDNIGHT)):
        cache = BuildCache()
        build(load_config(site), tmp_path / f"out-{drafts}", BuildOptions(now=NOW, cache=cache, drafts=drafts))
        assert cache.next_change == deadline.timestamp(), drafts
