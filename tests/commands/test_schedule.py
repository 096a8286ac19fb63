"""``brief schedule`` (the upcoming changes, text and JSON; ``--due`` and its exit codes) and the
"Next change" line of ``brief build``, through the real command in a subprocess with the clock
pinned by BRIEF_NOW."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from helpers import Raw, article, make_site, run_brief

from brief.manifest import LAST_BUILD_FILE
from brief.settings import CACHE_DIR

NOW = "2026-12-03T05:45:00Z"
CONFIG = 'title = "Harbour Brief"\nbase_url = "https://example.org/"\nsearch = false\n'
FILES = {
    "content/port-corridor-talks.md": article(title="Port corridor talks", date="2026-12-03T06:00:00"),
    "content/grid-batteries.md": article(title="Grid batteries carry the week", date="2026-12-02T09:30:00"),
    "content/summit-closures.md": article(title="Summit road closures", date="2026-11-20", expires="2026-12-05"),
    "content/budget-draft.md": article(title="Budget draft", date="2026-12-03T07:00:00", draft=True),
    "content/old-news.md": article(title="Old news", date="2026-10-01"),
}


def brief(site: Path, *args: str, now: str | None = NOW) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    env.pop("BRIEF_NOW", None)
    if now is not None:
        env["BRIEF_NOW"] = now
    command, *rest = args
    return run_brief([command, "--site", str(site), *rest], env=env)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path, FILES, CONFIG)


def test_json_lists_a_scheduled_article_a_news_window_exit_and_an_expiry_in_order(site):
    result = brief(site, "schedule", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    port = {
        "file": "content/port-corridor-talks.md",
        "slug": "port-corridor-talks",
        "title": "Port corridor talks",
        "url": "https://example.org/2026/12/port-corridor-talks/",
    }
    assert json.loads(result.stdout) == [
        {"at": "2026-12-03T06:00:00Z", "local": "2026-12-03T06:00:00+00:00", "kind": "scheduled", **port},
        {
            "at": "2026-12-04T09:30:00Z",
            "local": "2026-12-04T09:30:00+00:00",
            "kind": "news-window",
            "file": "content/grid-batteries.md",
            "slug": "grid-batteries",
            "title": "Grid batteries carry the week",
            "url": "https://example.org/2026/12/grid-batteries/",
        },
        {
            "at": "2026-12-05T00:00:00Z",
            "local": "2026-12-05T00:00:00+00:00",
            "kind": "expires",
            "file": "content/summit-closures.md",
            "slug": "summit-closures",
            "title": "Summit road closures",
            "url": "https://example.org/2026/11/summit-closures/",
        },
        {"at": "2026-12-05T06:00:00Z", "local": "2026-12-05T06:00:00+00:00", "kind": "news-window", **port},
    ]
    # The keys in this order, two spaces of indent: what a tool or a person reading it sees.
    assert result.stdout.startswith('[\n  {\n    "at": "2026-12-03T06:00:00Z",\n    "local": ')


def test_text_is_a_table_in_time_order(site):
    result = brief(site, "schedule")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "When (UTC)        Change                   Article\n"
        "2026-12-03 06:00  goes live                Port corridor talks (content/port-corridor-talks.md)\n"
        "2026-12-04 09:30  leaves the news sitemap  Grid batteries carry the week (content/grid-batteries.md)\n"
        "2026-12-05 00:00  expires                  Summit road closures (content/summit-closures.md)\n"
        "2026-12-05 06:00  leaves the news sitemap  Port corridor talks (content/port-corridor-talks.md)\n"
    )


def test_text_gives_the_sites_own_time_too(tmp_path):
    config = CONFIG + 'timezone = "Asia/Tokyo"\n'
    files = {"content/a.md": article(title="Port corridor talks", date="2026-12-03T15:00:00", takeaways=["One"])}
    site = make_site(tmp_path, files, config)
    result = brief(site, "schedule")
    assert result.stdout == (
        "When (UTC)        Asia/Tokyo        Change                   Article\n"
        "2026-12-03 06:00  2026-12-03 15:00  goes live                Port corridor talks (content/a.md)\n"
        "2026-12-05 06:00  2026-12-05 15:00  leaves the news sitemap  Port corridor talks (content/a.md)\n"
    )
    built = brief(site, "build")
    assert built.stdout.splitlines()[-1] == (
        "Next change: 2026-12-03 06:00 UTC (15:00 Asia/Tokyo) — 'Port corridor talks' is scheduled"
    )
    late = brief(site, "build", now="2026-12-04T18:00:00Z")  # 03:00 the next day in Tokyo
    assert late.stdout.splitlines()[-1] == (
        "Next change: 2026-12-05 06:00 UTC (15:00 Asia/Tokyo) — 'Port corridor talks' leaves the news sitemap"
    )
    assert brief(site, "schedule", now="2026-12-05T20:00:00Z").stdout.endswith(
        "2026-12-05 20:00 UTC (2026-12-06 05:00 Asia/Tokyo).\n"
    )


def test_the_sites_time_only_where_it_differs_from_utc(tmp_path):
    config = CONFIG + 'timezone = "Europe/London"\n'  # UTC in winter, an hour ahead in summer
    winter = {"content/a.md": article(title="Winter", date="2026-12-03T06:00:00", takeaways=["One"])}
    site = make_site(tmp_path / "winter", winter, config)
    assert brief(site, "schedule").stdout.splitlines()[0] == "When (UTC)        Change                   Article"
    assert brief(site, "build").stdout.splitlines()[-1] == "Next change: 2026-12-03 06:00 UTC — 'Winter' is scheduled"
    summer = {**winter, "content/b.md": article(title="Summer", date="2027-07-01T09:00:00", takeaways=["One"])}
    site = make_site(tmp_path / "summer", summer, config)
    assert brief(site, "schedule").stdout.splitlines()[-1] == (
        "2027-07-03 08:00  2027-07-03 09:00  leaves the news sitemap  Summer (content/b.md)"
    )


def test_nothing_scheduled(tmp_path):
    site = make_site(tmp_path, {"content/old.md": article(title="Old news", date="2026-10-01")}, CONFIG)
    result = brief(site, "schedule")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "Nothing scheduled: no article goes live, leaves the news sitemap or expires after 2026-12-03 05:45 UTC.\n"
    )
    assert brief(site, "schedule", "--json").stdout == "[]\n"


def test_build_ends_with_the_next_change_and_q_leaves_it_out(site):
    built = brief(site, "build")
    assert built.returncode == 0, built.stderr
    lines = built.stdout.splitlines()
    assert lines[0].startswith("Built 3 articles, ")
    assert lines[1:] == ["Next change: 2026-12-03 06:00 UTC — 'Port corridor talks' is scheduled"]
    assert "Port corridor talks" not in (site / "public/index.html").read_text(encoding="utf-8")
    assert brief(site, "build", "-q").stdout == ""
    # Each kind of change, as the clock moves on.
    after = brief(site, "build", now="2026-12-03T06:00:00Z")
    assert after.stdout.splitlines()[-1] == (
        "Next change: 2026-12-04 09:30 UTC — 'Grid batteries carry the week' leaves the news sitemap"
    )
    assert "Port corridor talks" in (site / "public/index.html").read_text(encoding="utf-8")
    expiring = brief(site, "build", now="2026-12-04T12:00:00Z")
    assert expiring.stdout.splitlines()[-1] == "Next change: 2026-12-05 00:00 UTC — 'Summit road closures' expires"
    done = brief(site, "build", now="2026-12-06T00:00:00Z")
    assert done.stdout.splitlines()[-1] == "Next change: none scheduled"


def test_changes_at_one_moment_are_counted(tmp_path):
    files = {
        "content/a.md": article(title="Alpha", date="2026-12-03T06:00:00"),
        "content/b.md": article(title="Beta", date="2026-12-03T06:00:00"),
        "content/c.md": article(title="Gamma", date="2026-11-01", expires="2026-12-03T06:00:00"),
    }
    site = make_site(tmp_path, files, CONFIG)
    result = brief(site, "build")
    assert (
        result.stdout.splitlines()[-1] == "Next change: 2026-12-03 06:00 UTC — 'Alpha' is scheduled (and 2 more then)"
    )


def test_an_output_up_to_date_says_the_next_change_too(site):
    old = time.time() - 60  # the files are older than the build: their stamps can be trusted
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    assert brief(site, "build").returncode == 0
    again = brief(site, "build", now="2026-12-03T05:50:00Z")
    assert again.stdout.startswith("Up to date: nothing changed since the last build"), again.stdout
    assert again.stdout.splitlines()[1:] == ["Next change: 2026-12-03 06:00 UTC — 'Port corridor talks' is scheduled"]
    due = brief(site, "build", now="2026-12-03T06:00:00Z")  # the change has come: a build
    assert due.stdout.startswith("Built "), due.stdout


def test_due_exit_codes(site):
    # No build recorded: due (exit 0), so a first run builds.
    first = brief(site, "schedule", "--due")
    assert (first.returncode, first.stdout) == (
        0,
        f"Due: no record of a previous build in {CACHE_DIR}/{LAST_BUILD_FILE} (brief build writes it).\n",
    )
    assert brief(site, "build").returncode == 0
    # Nothing has come since that build: 3.
    quiet = brief(site, "schedule", "--due", now="2026-12-03T05:59:59Z")
    assert (quiet.returncode, quiet.stdout) == (
        3,
        "Nothing due: no change since the last build at 2026-12-03 05:45 UTC.\n"
        "Next change: 2026-12-03 06:00 UTC — 'Port corridor talks' is scheduled\n",
    )
    # The article's time has come: 0, and what came.
    due = brief(site, "schedule", "--due", now="2026-12-04T10:00:00Z")
    assert (due.returncode, due.stdout) == (
        0,
        "Due: 2 changes since the last build at 2026-12-03 05:45 UTC:\n"
        "When (UTC)        Change                   Article\n"
        "2026-12-03 06:00  goes live                Port corridor talks (content/port-corridor-talks.md)\n"
        "2026-12-04 09:30  leaves the news sitemap  Grid batteries carry the week (content/grid-batteries.md)\n",
    )
    # Rebuilt: nothing due again.
    assert brief(site, "build", now="2026-12-04T10:00:00Z").returncode == 0
    assert brief(site, "schedule", "--due", now="2026-12-04T10:05:00Z").returncode == 3
    # --since gives the last build's time when .brief-cache/ did not survive (a CI checkout).
    since = brief(site, "schedule", "--due", "--since", "2026-12-04T23:00:00Z", now="2026-12-05T00:00:00Z")
    assert since.returncode == 0 and "expires" in since.stdout, since.stdout
    earlier = brief(site, "schedule", "--due", "--since", "2026-12-05T00:00:00+00:00", now="2026-12-05T00:10:00Z")
    assert earlier.returncode == 3, earlier.stdout


def test_due_as_json(site):
    assert brief(site, "build").returncode == 0
    result = brief(site, "schedule", "--due", "--json", now="2026-12-03T06:05:00Z")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer == {
        "due": True,
        "since": NOW,
        "reason": "1 change since the last build at 2026-12-03 05:45 UTC",
        "changes": [
            {
                "at": "2026-12-03T06:00:00Z",
                "local": "2026-12-03T06:00:00+00:00",
                "kind": "scheduled",
                "file": "content/port-corridor-talks.md",
                "slug": "port-corridor-talks",
                "title": "Port corridor talks",
                "url": "https://example.org/2026/12/port-corridor-talks/",
            }
        ],
    }
    quiet = json.loads(brief(site, "schedule", "--due", "--json", now="2026-12-03T05:50:00Z").stdout)
    assert (quiet["due"], quiet["changes"]) == (False, [])


def test_a_preview_build_does_not_count_as_published(site):
    assert brief(site, "build", "--future").returncode == 0
    result = brief(site, "schedule", "--due", now="2026-12-03T05:50:00Z")
    assert result.returncode == 0
    assert "included drafts or scheduled articles" in result.stdout


def test_a_damaged_record_means_due(site):
    assert brief(site, "build").returncode == 0
    record = site / CACHE_DIR / LAST_BUILD_FILE
    assert json.loads(record.read_text(encoding="utf-8"))["built"] == NOW
    record.write_text('{"built": "yesterday"}', encoding="utf-8")
    assert brief(site, "schedule", "--due").returncode == 0
    record.write_text("[not json", encoding="utf-8")
    assert brief(site, "schedule", "--due").returncode == 0


def test_usage_and_input_errors_keep_their_exit_codes(site):
    usage = brief(site, "schedule", "--since", "2026-12-03")
    assert usage.returncode == 2 and "--since goes with --due" in usage.stderr
    bad_since = brief(site, "schedule", "--due", "--since", "soon")
    assert bad_since.returncode == 2 and "'soon' is not an ISO 8601 date" in bad_since.stderr
    bad_clock = brief(site, "schedule", now="next tuesday")
    assert bad_clock.returncode == 1
    assert bad_clock.stderr.startswith("Error: BRIEF_NOW: 'next tuesday' is not an ISO 8601 date (expected e.g.")
    assert brief(site, "build", now="next tuesday").returncode == 1
    (site / "content/broken.md").write_text(article(title="Broken", date=Raw("not a date")), encoding="utf-8")
    broken = brief(site, "schedule", "--due")
    assert broken.returncode == 1, broken.stdout
    assert "content/broken.md:3: date:" in broken.stderr


def test_the_real_clock_without_brief_now(tmp_path):
    files = {"content/far.md": article(title="Far future", date="2999-01-01")}
    site = make_site(tmp_path, files, CONFIG)
    result = brief(site, "schedule", "--json", now=None)
    assert [(c["kind"], c["at"]) for c in json.loads(result.stdout)] == [
        ("scheduled", "2999-01-01T00:00:00Z"),
        ("news-window", "2999-01-03T00:00:00Z"),
    ]
