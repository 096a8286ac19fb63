"""Related articles: explicit first, automatic suggestions after, explained and deterministic."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

from helpers import REPO, article, make_site, read_output, run_brief, run_build

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.content.load import load_articles
from brief.site.related import RelatedIndex

NOW = datetime(2026, 12, 1, tzinfo=UTC)
sys.path.insert(0, str(REPO / "benchmarks"))

GRID = "Batteries, storage and the grid: wind output, solar output, evening peak demand and capacity auctions."
BANKS = "Central banks, interest rates, inflation expectations, bond yields and the cost of mortgages."


def related_titles(html: str) -> list[str]:
    section = html.split('class="related"', 1)[1]
    return re.findall(r'class="related-title"><a href="[^"]+"(?: rel="external")?>([^<]+)</a>', section)


def grid_site(tmp_path, extra: dict | None = None, config: str = "") -> Path:
    files = {
        "content/a.md": article(
            title="Grid batteries carry the evening peak",
            date="2026-10-01",
            tags=["Energy Storage", "Grid"],
            section="Climate",
            takeaways=["Storage met the peak."],
            body=GRID * 4,
            related=["z", {"title": "IEA", "url": "https://www.iea.org/"}],
        ),
        "content/b.md": article(
            title="Storage auctions reward longer batteries",
            date="2026-10-02",
            tags=["Energy Storage"],
            section="Climate",
            takeaways=["Auctions change."],
            body=GRID * 3,
        ),
        "content/c.md": article(
            title="Wind output and grid storage in winter",
            date="2026-10-03",
            tags=["Grid", "Wind"],
            section="Climate",
            takeaways=["Wind fell."],
            body=GRID * 3,
        ),
        "content/z.md": article(
            title="Interest rates hold",
            date="2026-09-01",
            tags=["Rates"],
            section="Economy",
            takeaways=["Rates held."],
            body=BANKS * 4,
        ),
        "content/y.md": article(
            title="Bond yields and mortgages",
            date="2026-09-02",
            tags=["Rates"],
            section="Economy",
            takeaways=["Yields rose."],
            body=BANKS * 4,
        ),
        "content/d.md": article(
            title="Draft about grid storage batteries",
            date="2026-10-04",
            tags=["Energy Storage", "Grid"],
            section="Climate",
            takeaways=["Draft."],
            body=GRID * 4,
            draft=True,
        ),
        "content/f.md": article(
            title="Future grid storage batteries",
            date="2027-06-01",
            tags=["Energy Storage", "Grid"],
            section="Climate",
            takeaways=["Future."],
            body=GRID * 4,
        ),
        **(extra or {}),
    }
    return make_site(tmp_path, files, config)


def test_explicit_items_first_then_automatic_ones(tmp_path):
    site = grid_site(tmp_path)
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    titles = related_titles(read_output(site, "2026/10/a/index.html"))
    assert titles[:2] == ["Interest rates hold", "IEA"]  # explicit, in the given order
    assert set(titles[2:]) == {"Wind output and grid storage in winter", "Storage auctions reward longer batteries"}
    assert len(titles) == 4


def test_exclusions_itself_listed_drafts_and_future(tmp_path):
    site = grid_site(tmp_path)
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    titles = related_titles(read_output(site, "2026/10/b/index.html"))
    assert "Storage auctions reward longer batteries" not in titles
    assert not any("Draft" in t or "Future" in t for t in titles)
    assert titles[0] == "Grid batteries carry the evening peak"
    with_all = tmp_path / "all"
    build(load_config(site), with_all, BuildOptions(now=NOW, drafts=True, future=True))
    html = (with_all / "2026/10/b/index.html").read_text()
    assert "Draft about grid storage batteries" in related_titles(html)
    assert "Future grid storage batteries" in related_titles(html)


def test_nothing_clears_the_threshold(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(
                title="Alpha", tags=["One"], takeaways=["x"], body="Lighthouses guide ships at night.\n"
            ),
            "content/b.md": article(
                title="Beta", date="2024-02-01", tags=["Two"], takeaways=["y"], body="Sourdough needs patience.\n"
            ),
        },
    )
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    html = read_output(site, "2024/01/a/index.html")
    assert '<p class="related-empty">No related articles found</p>' in html
    assert related_titles(html) == []


def test_count_and_threshold_are_configurable(tmp_path):
    site = grid_site(tmp_path, config="[related]\ncount = 1\n")
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    assert related_titles(read_output(site, "2026/10/c/index.html")) == ["Grid batteries carry the evening peak"]
    strict = grid_site(tmp_path / "strict", config="[related]\nmin_score = 5\n")
    build(load_config(strict), strict / "public", BuildOptions(now=NOW))
    assert related_titles(read_output(strict, "2026/10/c/index.html")) == []


def test_two_builds_are_byte_identical(tmp_path):
    site = grid_site(tmp_path)

    def digest(folder: Path) -> dict[str, str]:
        return {
            p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*")
            if p.is_file()
        }

    build(load_config(site), tmp_path / "one", BuildOptions(now=NOW, search=False))
    build(load_config(site), tmp_path / "two", BuildOptions(now=NOW, search=False))
    assert digest(tmp_path / "one") == digest(tmp_path / "two")


def test_precision_on_a_clustered_corpus(tmp_path):
    from corpus import write_corpus

    site = write_corpus(tmp_path / "corpus", 600, seed=11)
    config = load_config(site)
    articles = sorted(load_articles(config).articles, key=lambda a: a.sort_key)
    index = RelatedIndex(articles, config.related, config.language, NOW)
    picks = index.suggest_all([4] * len(articles), [set() for _ in articles])
    topics = json.loads((site / "topics.json").read_text())
    pairs = [(a.slug, articles[j].slug) for a, chosen in zip(articles, picks) for j in chosen]
    assert len(pairs) >= 0.9 * 4 * len(articles)
    precision = sum(topics[a] == topics[b] for a, b in pairs) / len(pairs)
    assert precision >= 0.9
    assert all(a != b for a, b in pairs)


def test_forked_scoring_equals_one_process(tmp_path):
    """Term counts and candidate scores computed by forked workers (brief build on a large
    site) give the suggestions one process gives, with and without the cache's memo."""
    from corpus import write_corpus

    from brief.content.load import ContentMemo
    from brief.site.relatedmemo import RelatedMemo

    site = write_corpus(tmp_path / "corpus", 300, seed=5)
    config = load_config(site)
    articles = sorted(load_articles(config, ContentMemo()).articles, key=lambda a: a.sort_key)  # with digests
    wanted, exclude = [4] * len(articles), [set() for _ in articles]
    one = RelatedIndex(articles, config.related, config.language, NOW).suggest_all(wanted, exclude)
    memo = RelatedMemo()
    for _ in range(2):  # the memo empty, then full
        index = RelatedIndex(articles, config.related, config.language, NOW, memo.terms, workers=2)
        assert index.suggest_all(wanted, exclude, workers=2) == one
        memo.terms = index.terms
    assert memo.terms is not None and len(memo.terms.rows) == len(articles)


def test_brief_related_explains_the_choice(tmp_path):
    site = grid_site(tmp_path)
    result = run_brief(["related", "c", "--site", str(site)], timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Related articles for c (Wind output and grid storage in winter)"
    assert lines[1] == "Showing up to 4; a suggestion needs a score of at least 0.2."
    rows = [line.split() for line in lines if re.match(r"\s+\d+\.\d{3}\s", line)]
    assert [row[-1] for row in rows[:2]] == ["a", "b"]
    assert all(row[5] == "yes" for row in rows[:2])
    assert (
        rows[0][0] == f"{sum(float(x) for x in rows[0][1:5]):.3f}"
        or abs(float(rows[0][0]) - sum(float(x) for x in rows[0][1:5])) < 0.002
    )
    assert any("tags: Grid" in line for line in lines)
    data = json.loads(run_brief(["related", "c", "--site", str(site), "--json"], timeout=60).stdout)
    first = data["candidates"][0]
    assert first["slug"] == "a" and first["shown"] is True
    assert set(first) >= {"score", "tags", "text", "section", "recency", "shared_tags", "shared_terms"}
    assert first["shared_tags"] == ["Grid"] and "grid" in first["shared_terms"]
    assert abs(first["score"] - (first["tags"] + first["text"] + first["section"] + first["recency"])) < 1e-6
    missing = run_brief(["related", "wnd", "--site", str(site)], timeout=60)
    assert missing.returncode == 1
    assert "article 'wnd' does not exist" in missing.stderr


def test_related_config_is_validated(tmp_path):
    site = grid_site(tmp_path, config='[related]\ncount = -1\ntags = "lots"\nhalf_life_days = 0\ncuont = 3\n')
    code, _, err = run_build(site)
    assert code == 1
    lines = err.splitlines()
    assert "brief.toml:3: related.tags: expected a number, got a string ('lots')" in lines
    assert "brief.toml:5: related.cuont: unknown configuration key; did you mean 'count'?" in lines


def test_a_term_table_carried_over_edits_suggests_what_a_fresh_one_does(tmp_path):
    """A cached build counts the words of edited articles only and copies the other rows of
    the last build's term table (brief.site.terms.TermTable), whose term ids are then
    numbered otherwise than a fresh table's and may include words no article has any more.
    Over edits that add words, remove most of an article's words, delete, add and reorder
    articles, the suggestions and their explanations are those of a fresh index; and a table
    where most names are unused is renumbered without them."""
    import dataclasses
    import random
    from array import array

    from corpus import write_corpus

    from brief.content.load import ContentMemo

    site = write_corpus(tmp_path / "corpus", 240, seed=11)
    config = load_config(site)
    articles = sorted(load_articles(config, ContentMemo()).articles, key=lambda a: a.sort_key)
    rng = random.Random(3)
    last = RelatedIndex(articles, config.related, config.language, NOW).terms
    for step in range(6):
        edited = list(articles)
        for i in rng.sample(range(len(edited)), 12):
            a = edited[i]
            words = a.body.split()
            body = " ".join(words[: len(words) // 5]) if step % 2 else a.body + f" novelword{step}x{i} " * 3
            edited[i] = dataclasses.replace(a, body=body, digest=a.digest + bytes([step, i % 256]))
        del edited[rng.randrange(len(edited))]
        edited.append(dataclasses.replace(articles[0], slug=f"copy-{step}", digest=bytes([200, step])))
        edited.sort(key=lambda a: a.sort_key)
        wanted, exclude = [4] * len(edited), [set() for _ in edited]
        fresh = RelatedIndex(edited, config.related, config.language, NOW)
        carried = RelatedIndex(edited, config.related, config.language, NOW, last)
        assert carried.suggest_all(wanted, exclude) == fresh.suggest_all(wanted, exclude), step
        for slug in [a.slug for a in edited[::40]]:
            assert carried.explain(slug) == fresh.explain(slug)
        last, articles = carried.terms, edited
    assert last is not None and len(last.rows) == len(articles)
    used = {i for ids, _ in last.rows.values() for i in array("i", ids)}
    assert len(used) * 4 >= len(last.names) * 3


def test_a_term_table_whose_words_were_edited_out_is_renumbered_without_them(tmp_path):
    """Words no article has any more stay in a carried table's names until they are over a
    quarter of them; then the table is renumbered without them, and suggests as before."""
    import dataclasses

    from corpus import write_corpus

    from brief.content.load import ContentMemo

    site = write_corpus(tmp_path / "corpus", 80, seed=2)
    config = load_config(site)
    articles = sorted(load_articles(config, ContentMemo()).articles, key=lambda a: a.sort_key)
    wordy = [
        dataclasses.replace(a, body=a.body + " ".join(f"oddword{i}x{k}" for k in range(300)), digest=a.digest + b"w")
        for i, a in enumerate(articles)
    ]
    last = RelatedIndex(wordy, config.related, config.language, NOW).terms
    assert last is not None
    carried = RelatedIndex(articles, config.related, config.language, NOW, last)
    fresh = RelatedIndex(articles, config.related, config.language, NOW)
    assert carried.terms is not None and fresh.terms is not None
    assert len(carried.terms.names) == len(fresh.terms.names) < len(last.names) / 4
    assert not any(name.startswith("oddword") for name in carried.terms.names)
    wanted, exclude = [4] * len(articles), [set() for _ in articles]
    assert carried.suggest_all(wanted, exclude) == fresh.suggest_all(wanted, exclude)
    assert [carried.explain(a.slug) for a in articles[::9]] == [fresh.explain(a.slug) for a in articles[::9]]
