"""The stamps a build with page workers records for its output (brief.output.parallel): the
workers say which files they kept as the previous build's own, so the build stats only
the pages written again; the recorded stamps are the files' (the next build is "up to
date", and the spare tree is made knowing which files are published ones). Real files, two
real worker processes."""

from __future__ import annotations

import os
import time

from helpers import article, make_site

import brief.output.writers as writers
from brief.cache import BuildCache
from brief.commands.build import build_site
from brief.config import load_config
from brief.digests import file_stamp


def _site(tmp_path):
    files = {
        f"content/a{i:02d}.md": article(
            f"Story {i} on the port and its cranes.\n",
            title=f"Story {i}",
            tags=[f"T{i % 3}"],
            date=f"2025-03-{1 + i:02d}",
        )
        for i in range(24)
    }
    site = make_site(tmp_path, files)
    old = time.time() - 60  # (inputs dated before the build: their stamps are trusted)
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    return site, load_config(site), site / "public"


def _recorded_are_the_files(site, out) -> int:
    """The output stamps the cache recorded are every output file's own; how many there are."""
    outputs = BuildCache.load(site).outputs
    assert outputs
    for rel, (_, stamp) in outputs.items():
        assert stamp == file_stamp(out / rel), rel
    return len(outputs)


def test_a_build_with_workers_stats_only_the_pages_written_again(tmp_path, monkeypatch):
    site, config, out = _site(tmp_path)
    stats = []
    real = writers.file_stamp

    def counted(path):
        stats.append(path)
        return real(path)

    monkeypatch.setattr(writers, "file_stamp", counted)  # (the parent's stats of its output)
    assert build_site(config, out, jobs=2).result is not None  # cold: every page written by a worker
    pages = len(list(out.rglob("*.html")))
    assert _recorded_are_the_files(site, out) > pages > 20
    assert build_site(config, out, jobs=2).result is None  # up to date: the stamps are the files'

    page = site / "content" / "a05.md"
    page.write_text(page.read_text().replace("cranes", "new cranes"))
    os.utime(page, (time.time() - 30, time.time() - 30))  # (an edit made a while ago: trusted)
    stats.clear()
    assert build_site(config, out, jobs=2).result is not None  # most pages kept by the workers
    _recorded_are_the_files(site, out)
    written = [p for p in stats if p.endswith(".html")]
    assert 0 < len(written) < pages / 2, (len(written), pages)  # (its own, its listings', its related ones')
    assert build_site(config, out, jobs=2).result is None
