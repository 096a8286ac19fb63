"""A pickled article leaves its body out, and :func:`article_body` reads it back from the
file exactly as the loader split it, only while the file holds the bytes the article was
made from (brief.content.bodies)."""

from __future__ import annotations

import pickle

import pytest

from brief.config import load_config
from brief.content.bodies import CHANGED, article_body
from brief.content.load import ContentMemo, load_articles
from brief.errors import BuildFailed, Problem, errors_in
from tests.helpers import article, make_site

BODIES = {
    "plain": "A plain body.\n\nWith a *second* paragraph.\n",
    "crlf-bom": "\ufeff" + article("First line.\n\nSecond line,\rafter a lone CR.\n", title="C").replace("\n", "\r\n"),
    "empty": article("", title="E"),
    "no-newline": article("Ends without a line end", title="N"),
    "unicode": article("Café, naïve façade — «quoted» 😀.\n", title="U"),
}


def _load(tmp_path, jobs: int = 1):
    files: dict[str, str | bytes] = {
        f"content/{name}.md": text if text.startswith(("---", "\ufeff")) else article(text, title=name)
        for name, text in BODIES.items()
    }
    site = make_site(tmp_path, files)
    memo = ContentMemo()
    loaded = load_articles(load_config(site), memo, jobs=jobs)
    assert len(loaded.articles) == len(BODIES) and not errors_in(loaded.problems)
    return site, loaded, memo


def test_a_pickled_article_leaves_its_body_out_and_reads_it_back_exactly(tmp_path):
    _, loaded, _ = _load(tmp_path)
    for live in loaded.articles:
        assert live.body is not None and live.digest
        back = pickle.loads(pickle.dumps(live))
        assert back.body is None
        assert article_body(back) == live.body  # line ends, BOM, a missing last line end: as loaded
        assert article_body(live) is live.body
        assert not live.body or live.body.encode() not in pickle.dumps(live)


def test_an_article_without_a_digest_keeps_its_body_when_pickled(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article("Kept with the article.\n")})
    (live,) = load_articles(load_config(site)).articles  # no cache: no digest to check a file against
    assert not live.digest
    assert pickle.loads(pickle.dumps(live)).body == "Kept with the article.\n"


def test_articles_read_by_workers_come_back_without_bodies_and_equal_once_read(tmp_path):
    _, one, _ = _load(tmp_path / "one")
    _, forked, memo = _load(tmp_path / "forked", jobs=2)
    assert all(a.body is None for a in forked.articles)
    assert all(entry[0][0].body is None for entry in memo.articles.values())
    assert [article_body(a) for a in forked.articles] == [a.body for a in one.articles]


@pytest.mark.parametrize("change", ["edited", "same-size", "removed", "folder"])
def test_a_file_changed_since_it_was_read_is_an_error_naming_it(tmp_path, change):
    site, loaded, _ = _load(tmp_path)
    live = next(a for a in loaded.articles if a.relpath == "content/plain.md")
    bodiless = pickle.loads(pickle.dumps(live))
    path = site / "content/plain.md"
    if change == "edited":
        path.write_text(path.read_text() + "One more line.\n")
    elif change == "same-size":
        path.write_bytes(path.read_bytes().replace(b"plain", b"PLAIN"))
    elif change == "removed":
        path.unlink()
    else:
        path.unlink()
        path.mkdir()
    with pytest.raises(BuildFailed) as failed:
        article_body(bodiless)
    assert [p.format() for p in failed.value.problems] == [f"content/plain.md: {CHANGED}"]
    assert article_body(live) == BODIES["plain"]  # an article holding its body never reads the file


def test_build_failed_comes_back_whole_from_a_worker_process():
    failed = BuildFailed([Problem("content/b.md", 3, "title", "x"), Problem("content/a.md", None, None, CHANGED)])
    back = pickle.loads(pickle.dumps(failed))
    assert back.problems == failed.problems and back.what == "build" and back.message == failed.message
