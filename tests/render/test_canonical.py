"""``canonical:`` for a syndicated or cross-posted article: the page's canonical link, og:url,
JSON-LD and share links point to the original, and it is left out of the news sitemap."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from helpers import article, make_site, run_build

ORIGINAL = "https://partner.example/2026/story-é/"
ENCODED = "https://partner.example/2026/story-%C3%A9/"


def _recent() -> str:
    return (datetime.now(UTC) - timedelta(hours=3)).replace(microsecond=0).isoformat()


def test_a_syndicated_article_points_to_its_original(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/copy.md": article(
                "Body.\n", title="Syndicated", date=_recent(), canonical=ORIGINAL, takeaways=["One"]
            ),
            "content/own.md": article("Body.\n", title="Our own", date=_recent(), takeaways=["One"]),
        },
        'title = "Canon"\nbase_url = "https://example.org/"\nsearch = false\n',
    )
    code, _, err = run_build(site)
    assert code == 0, err
    out = site / "public"
    page = next(out.rglob("copy/index.html")).read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{ENCODED}">' in page
    assert f'<meta property="og:url" content="{ENCODED}">' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["url"] == ENCODED and data["mainEntityOfPage"]["@id"] == ENCODED
    assert "partner.example%2F2026%2Fstory-%25C3%25A9" in page  # the share links share the original
    news = (out / "news-sitemap.xml").read_text(encoding="utf-8")
    assert "/own/" in news and "/copy/" not in news
    assert "/copy/" in (out / "sitemap.xml").read_text(encoding="utf-8")  # still a page of this site
    own = next(out.rglob("own/index.html")).read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/' in own


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("/2026/story/", "'/2026/story/' is not an absolute http(s) URL"),
        ("javascript:alert(1)", "'javascript:alert(1)' is not an absolute http(s) URL"),
        ("ftp://example.org/x", "'ftp://example.org/x' is not an absolute http(s) URL"),
        ("https://exa mple.org/", "'https://exa mple.org/' is not an absolute http(s) URL"),
    ],
)
def test_a_canonical_that_is_not_an_absolute_url_is_an_error(tmp_path, value, message):
    site = make_site(tmp_path, {"content/a.md": article(canonical=value, takeaways=["One"])})
    code, _, err = run_build(site)
    assert code == 1
    assert (
        f"content/a.md:4: canonical: {message} (expected where the article was first published, "
        "such as https://example.org/story/)"
    ) in err.splitlines(), err
