"""The related scoring's process of a cached ``brief build``, forked as soon as the cache is
loaded (brief.site.scorer): asked with the articles by digest (the edited ones sent whole),
it answers what the build's own scoring gives; one that answers nothing leaves the scoring
to the build. Real processes and files; the output is compared with a clean build's."""

from __future__ import annotations

import inspect
import os
import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO, tree

from brief.commands.build import build_site
from brief.config import load_config
from brief.site import scorer, suggestions

sys.path.insert(0, str(REPO / "benchmarks"))
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
NOW_TEXT = "2026-12-01T12:00:00+00:00"


NEXT_DAY = "2026-12-02T12:00:00+00:00"


def _build(site: Path, now: str = NOW_TEXT, **options) -> None:
    from datetime import datetime

    outcome = build_site(load_config(site), site / "public", now=datetime.fromisoformat(now), **options)
    assert outcome.result is not None


def _edit(site: Path) -> None:
    """A tag that many articles carry added to one article, and a sentence to another's body."""
    files = sorted((site / "content").glob("*.md"))
    first = files[0].read_text(encoding="utf-8")
    tag = yaml.safe_load(first[4 : first.index("\n---\n", 3)])["tags"][0]
    target = next(f for f in files[1:] if f"- {tag}\n" not in f.read_text(encoding="utf-8"))
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"^tags:\n", f"tags:\n- {tag}\n", text, count=1, flags=re.M), encoding="utf-8")
    other = files[len(files) // 2]
    other.write_text(other.read_text(encoding="utf-8") + "\nA grid battery storage line.\n", encoding="utf-8")


def _clean(site: Path, tmp_path: Path, now: str = NOW_TEXT) -> Path:
    ref = tmp_path / "clean"
    shutil.copytree(site, ref, ignore=shutil.ignore_patterns(".brief-cache", "public"))
    _build(ref, now, use_cache=False)
    return ref / "public"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    from corpus import write_corpus

    site = write_corpus(tmp_path / "corpus", 300, seed=5)
    _build(site)  # (cold: scored in the build's own process)
    return site


def _spy(monkeypatch) -> list[str]:
    """What scored the cached build: "sent ahead" (the process was sent the articles before
    it was asked), "scorer" (the process asked, a call to wait for returned) or "fork" (a
    process forked when the index asked), then "answered" when the process's answer was used."""
    seen: list[str] = []
    begin, ask = scorer.Scorer.begin, scorer.Scorer.ask
    fork_call, all_rows = suggestions.fork_call, suggestions._all_rows

    def begun(self, *args, **kwargs):
        if begin(self, *args, **kwargs):
            seen.append("sent ahead")

    def asked(self, *args, **kwargs):
        running = ask(self, *args, **kwargs)
        seen.append("scorer" if running is not None else "not asked")
        return running

    def forked(function):
        seen.append("fork")
        return fork_call(function)

    def answered(*args):
        seen.append("answered")
        return all_rows(*args)

    monkeypatch.setattr(scorer.Scorer, "begin", begun)
    monkeypatch.setattr(scorer.Scorer, "ask", asked)
    monkeypatch.setattr(suggestions, "fork_call", forked)
    monkeypatch.setattr(suggestions, "_all_rows", answered)
    return seen


@pytest.mark.slow
def test_the_process_forked_with_the_cache_scores_an_edit_as_a_clean_build_does(corpus, tmp_path, monkeypatch):
    seen = _spy(monkeypatch)
    _edit(corpus)
    _build(corpus)
    assert seen == ["sent ahead", "scorer", "answered"]  # (its index made before it was asked)
    assert tree(corpus / "public") == tree(_clean(corpus, tmp_path))


@pytest.mark.slow
def test_a_process_that_answers_nothing_leaves_the_scoring_to_the_build(corpus, tmp_path, monkeypatch):
    seen = _spy(monkeypatch)
    monkeypatch.setattr(suggestions, "score_rows", lambda *args: None)  # (what the process calls: it sends None)
    _edit(corpus)
    _build(corpus)
    assert seen == ["sent ahead", "scorer"]
    assert tree(corpus / "public") == tree(_clean(corpus, tmp_path))


@pytest.mark.slow
def test_an_unasked_process_is_ended_when_the_suggestions_are_kept(corpus, monkeypatch):
    ended: list[bool] = []
    cancel = scorer.Scorer.cancel

    def cancelled(self, running=None):
        ended.append(any(frame.function == "build_index" for frame in inspect.stack()))
        return cancel(self, running)

    seen = _spy(monkeypatch)
    monkeypatch.setattr(scorer.Scorer, "cancel", cancelled)
    (corpus / "static").mkdir(exist_ok=True)
    (corpus / "static" / "note.txt").write_text("A new static file; the articles are as they were.\n")
    _build(corpus)
    assert seen == []  # (the suggestions kept: the process neither sent anything nor asked, nor one forked)
    assert ended[0]  # (ended then, while the site is indexed: not left to the build's end)


@pytest.mark.slow
def test_a_process_sent_other_articles_than_it_is_asked_to_score_is_not_asked(corpus, tmp_path, monkeypatch):
    """The articles sent ahead are the very list the scoring is asked for, or the process is
    ended and the scoring is left to a process forked then, as without it."""
    seen = _spy(monkeypatch)
    begun = scorer.Scorer.begin
    monkeypatch.setattr(scorer.Scorer, "begin", lambda self, built, *args: begun(self, list(built), *args))
    _edit(corpus)
    _build(corpus)
    assert seen == ["sent ahead", "not asked", "fork", "answered"]
    assert tree(corpus / "public") == tree(_clean(corpus, tmp_path))


@pytest.mark.slow
def test_a_new_day_without_an_edit_is_asked_with_its_articles(corpus, tmp_path, monkeypatch):
    """Every article's term counts in the cache, the scoring asked for all the same (a new
    day: every article is a day older): nothing is sent ahead, the articles go with the ask."""
    seen = _spy(monkeypatch)
    _build(corpus, now=NEXT_DAY)
    assert seen == ["scorer", "answered"]
    assert tree(corpus / "public") == tree(_clean(corpus, tmp_path, now=NEXT_DAY))


def test_messages_are_read_whole_however_the_pipe_splits_them():
    read, write = os.pipe()
    try:
        first, second = b"a" * 70_000, b"second"
        data = b"".join(len(m).to_bytes(8, "little") + m for m in (first, second))
        pid = os.fork()
        if pid == 0:  # (the pipe holds 64 KiB: the writer in a process of its own, a few bytes at a time)
            os.close(read)
            for at in range(0, len(data), 4093):
                os.write(write, data[at : at + 4093])
            os._exit(0)
        os.close(write)
        messages = scorer._Messages(read)
        assert messages.next() == first
        assert messages.next() == second
        assert messages.next() is None
        os.waitpid(pid, 0)
    finally:
        os.close(read)
