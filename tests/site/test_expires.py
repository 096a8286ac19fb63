"""``expires:`` (#15.6): from that time on an article leaves the site — its page, the
listings, feeds, sitemaps and other articles' related lists — and the build summary
counts it; an expiry not after the publication date is an error on its line."""

from __future__ import annotations

from helpers import Raw, article, make_site, read_output, run_build

CONFIG = 'title = "T"\nbase_url = "https://example.org/"\n'


def _site(tmp_path, expires: str):
    return make_site(
        tmp_path,
        {
            "content/gone.md": article(
                "Grid batteries and storage prices.\n",
                title="Embargoed storage notice",
                date="2024-01-02",
                expires=Raw(expires),
                tags=["Storage", "Grid"],
                takeaways=["One"],
            ),
            "content/stays.md": article(
                "Grid batteries and storage prices, again. See [the notice](gone.md).\n",
                title="Storage prices fall",
                date="2024-01-03",
                tags=["Storage", "Grid"],
                takeaways=["One"],
                related=["gone"],
            ),
        },
        CONFIG,
    )


def test_an_expired_article_leaves_every_part_of_the_site(tmp_path):
    site = _site(tmp_path, "2024-02-01T00:00:00Z")
    code, out, err = run_build(site)
    assert code == 0, err
    assert "Built 1 article (1 expired, left out)," in out
    public = site / "public"
    assert not (public / "2024/01/gone").exists()
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in public.rglob("*") if p.is_file())
    assert "Embargoed storage notice" not in everything
    assert "/2024/01/gone/" not in everything
    for feed in ("feed.xml", "feed.json", "sitemap.xml", "news-sitemap.xml", "tags/storage/feed.xml"):
        text = read_output(site, feed)
        assert "/2024/01/gone/" not in text and "Embargoed" not in text, feed
    # The other article's explicit related entry and its link are told, not silently dropped.
    assert "content/stays.md:" in err and "draft, scheduled or expired" in err and "[related-not-built]" in err
    assert "[link-not-built]" in err


def test_an_article_before_its_expiry_is_published(tmp_path):
    site = _site(tmp_path, "2999-01-01T00:00:00Z")
    code, out, err = run_build(site)
    assert code == 0, err
    assert "expired" not in out
    assert "Embargoed storage notice" in read_output(site, "2024/01/gone/index.html")
    assert "/2024/01/gone/" in read_output(site, "sitemap.xml")


def test_an_expiry_not_after_the_date_is_an_error_on_its_line(tmp_path):
    site = _site(tmp_path, "2024-01-02")
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "content/gone.md:4: expires: 2024-01-02T00:00:00+00:00 is not after date 2024-01-02T00:00:00+00:00 "
        "(expected the time the article is taken down)"
    ) in err.splitlines(), err


def test_an_expiry_that_is_not_a_date_is_an_error(tmp_path):
    site = _site(tmp_path, "next week")
    code, _, err = run_build(site)
    assert code == 1
    assert "content/gone.md:4: expires: 'next week' is not an ISO 8601 date" in err, err
