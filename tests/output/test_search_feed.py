"""Search indexed while pages are written (issue #17, item 5): the part of each article page
that Pagefind reads put into a work folder in page order as pages are written, Pagefind run
on it, its bundle settled into a fixed order. Real builds, a real Pagefind.

What is indexed and when the index is reused: tests/output/test_search.py; searches in a
browser: tests/system/test_search_browser.py.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import TESTS, article, make_site

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.errors import BriefError
from brief.output import parallel, search
from brief.output.bundle import SIGNATURE, _cbor, _item, _pack, clashing, settle
from brief.output.indexer import Run
from brief.output.search import _check_links, index
from brief.output.searchable import searchable_part

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SECTIONS = ("Climate", "Economy", "Transport")
TAGS = ("Grid", "Rates", "Rail", "Ports", "Wheat", "Storage", "Wages")


def _site(tmp_path: Path, n: int = 14) -> Path:
    files = {
        f"content/s{i}.md": article(
            f"Story {i} on the {TAGS[i % 7].lower()} outlook.\n\n## Details {i}\n\nWord{i} appears here only.\n",
            title=f"Story {i}",
            date=f"2026-01-{i + 1:02d}",
            section=SECTIONS[i % 3],
            tags=[TAGS[i % 7], TAGS[(i * 3 + 1) % 7]],
            takeaways=[f"Point {i}."],
        )
        for i in range(n)
    }
    return make_site(tmp_path / "site", files, 'title = "Feed"\nbase_url = "https://example.org/"\n')


def _bundle(out: Path) -> dict[str, str]:
    folder = out / "pagefind"
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _decoded(path: Path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(SIGNATURE)
    return _item(data, len(SIGNATURE))[0]


@pytest.mark.slow
def test_the_index_is_the_same_whatever_the_workers_and_the_cache(tmp_path, monkeypatch):
    # Ranges of two pages: the two workers finish them in any order, the index is fed in page order.
    monkeypatch.setattr(parallel, "CHUNK", 2)
    site = _site(tmp_path)
    one = build(load_config(site), tmp_path / "one", BuildOptions(now=NOW, jobs=1))
    two = build(load_config(site), tmp_path / "two", BuildOptions(now=NOW, jobs=2))
    assert one.pages == two.pages
    bundle = _bundle(tmp_path / "one")
    assert len([rel for rel in bundle if rel.startswith("fragment/")]) == 14
    assert bundle == _bundle(tmp_path / "two")
    # Filter values and the filters listed in the metadata come sorted (Pagefind's order is random).
    filters = sorted((tmp_path / "one/pagefind/filter").iterdir())
    values = {name: [value for value, _ in values] for name, values in map(_decoded, filters)}
    assert values == {"section": list(SECTIONS), "tag": sorted(TAGS)}
    entry = json.loads((tmp_path / "one/pagefind/pagefind-entry.json").read_text())
    meta = _decoded(tmp_path / "one/pagefind" / f"pagefind.{entry['languages']['en']['hash']}.pf_meta")
    assert [name for name, _ in meta[3]] == ["section", "tag"]

    # A cached build after an edit indexes again, and gives what a clean build of the edit gives.
    cached = tmp_path / "cached"
    cache = BuildCache.load(site)
    build(load_config(site), cached, BuildOptions(now=NOW, cache=cache, jobs=2))
    cache.save(site)
    assert _bundle(cached) == bundle
    story = site / "content/s9.md"
    story.write_text(story.read_text().replace("appears here only", "is now quokkalith"))
    cache = BuildCache.load(site)
    build(load_config(site), cached, BuildOptions(now=NOW, cache=cache, jobs=2))
    build(load_config(site), tmp_path / "clean", BuildOptions(now=NOW, jobs=1))
    assert _bundle(cached) == _bundle(tmp_path / "clean") != bundle


def test_an_edit_keeps_the_fragments_of_the_pages_unchanged(tmp_path):
    # Pagefind does not write a file whose name is there: the previous build's fragments of
    # unchanged pages are linked in, and the bundle is the one a clean build makes.
    site = _site(tmp_path)
    out = tmp_path / "out"
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache))
    cache.save(site)
    before = {p.name: p.stat().st_ino for p in (out / "pagefind/fragment").iterdir()}
    story = site / "content/s3.md"
    story.write_text(story.read_text().replace("appears here only", "is now quokkalith"))
    build(load_config(site), out, BuildOptions(now=NOW, cache=BuildCache.load(site)))
    after = {p.name: p.stat().st_ino for p in (out / "pagefind/fragment").iterdir()}
    assert len(before) == len(after) == 14
    kept = [name for name in after if before.get(name) == after[name]]
    assert len(kept) == 13  # every page's but the edited one's: the same file
    build(load_config(site), tmp_path / "clean", BuildOptions(now=NOW))
    assert _bundle(out) == _bundle(tmp_path / "clean")


@pytest.mark.slow
def test_after_an_edit_the_parts_of_unchanged_pages_are_made_on_every_core(tmp_path, monkeypatch):
    # After an edit the unchanged pages' parts are copied from those the last build kept
    # (brief.output.searchparts) or made again from their files, by forked processes when
    # there are many (here: from one); the index is a clean build's.
    monkeypatch.setattr(search, "PARALLEL_MIN_PARTS", 1)
    log = tmp_path / "made-by"
    real = search._put_file

    def put(folder: str, job: tuple[str, str]) -> None:
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        real(folder, job)

    monkeypatch.setattr(search, "_put_file", put)
    site = _site(tmp_path)
    out = tmp_path / "out"
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache))
    cache.save(site)
    story = site / "content/s5.md"
    story.write_text(story.read_text().replace("appears here only", "is now quokkalith"))
    build(load_config(site), out, BuildOptions(now=NOW, cache=BuildCache.load(site)))
    made_by = log.read_text().split()
    assert len(made_by) >= 10 and str(os.getpid()) not in made_by  # most pages, each in a worker
    build(load_config(site), tmp_path / "clean", BuildOptions(now=NOW))
    assert _bundle(out) == _bundle(tmp_path / "clean")
    # Below the threshold, this process makes them, and the index is the same as a clean build's too.
    monkeypatch.setattr(search, "PARALLEL_MIN_PARTS", 10**6)
    log.unlink()
    story.write_text(story.read_text().replace("quokkalith", "quokkalithic"))
    build(load_config(site), out, BuildOptions(now=NOW, cache=BuildCache.load(site)))
    assert set(log.read_text().split()) == {str(os.getpid())}
    build(load_config(site), tmp_path / "clean2", BuildOptions(now=NOW))
    assert _bundle(out) == _bundle(tmp_path / "clean2")
    # brief build -j 1: one process, however many parts.
    monkeypatch.setattr(search, "PARALLEL_MIN_PARTS", 1)
    log.unlink()
    story.write_text(story.read_text().replace("quokkalithic", "quokka"))
    build(load_config(site), out, BuildOptions(now=NOW, cache=BuildCache.load(site), jobs=1))
    assert set(log.read_text().split()) == {str(os.getpid())}


def test_linked_fragments_are_kept_only_where_no_name_clashes(tmp_path):
    # A bundle whose metadata lists two fragments whose names clash (Pagefind lengthened one).
    bundle = tmp_path / "pagefind"
    (bundle / "fragment").mkdir(parents=True)
    meta = ["1.5.2", [["en_1234567", 3], ["en_12345678", 4], ["en_abcdef0", 5]], [], [], [], []]
    (bundle / "pagefind.en_0000000000.pf_meta").write_bytes(_pack(_cbor(meta)))
    (bundle / "pagefind-entry.json").write_text('{"languages":{"en":{"hash":"en_0000000000"}}}')
    for name in ("en_1234567", "en_12345678", "en_abcdef0", "en_5555555"):
        (bundle / "fragment" / f"{name}.pf_fragment").write_bytes(b"x")
    # A file linked in under a clashing name may now be another page's: Pagefind must write again.
    assert not _check_links(bundle, {"en_1234567", "en_abcdef0"})
    # Otherwise each linked file is its page's; one the bundle does not list goes.
    assert _check_links(bundle, {"en_abcdef0", "en_5555555"})
    assert sorted(p.name for p in (bundle / "fragment").iterdir()) == [
        "en_1234567.pf_fragment",
        "en_12345678.pf_fragment",
        "en_abcdef0.pf_fragment",
    ]


def test_names_that_begin_other_names_clash():
    names = {"en_1234567", "en_12345678", "en_abcdef0", "en_abcdef01a", "en_9999999"}
    assert clashing(names) == {"en_1234567", "en_12345678", "en_abcdef0", "en_abcdef01a"}
    assert clashing({"en_1234567", "en_7654321"}) == set()


def test_pagefind_reads_the_same_from_the_part_of_a_page_given_to_it(tmp_path):
    # The golden site: a publisher logo after the article (Pagefind's image when an article
    # has none), hero images, headings with ids, related lists and share links.
    out = tmp_path / "out"
    build(load_config(TESTS / "sites/golden"), out, BuildOptions(now=NOW, drafts=True, future=True))
    pages = {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("index.html"))
        if b"data-pagefind-body" in path.read_bytes()
    }
    assert len(pages) >= 4
    parts = {rel: searchable_part(page) for rel, page in pages.items()}
    assert all(len(parts[rel]) < len(page) * 0.7 for rel, page in pages.items())
    assert all(b'data-pagefind-ignore="all"' not in part and b"site-header" not in part for part in parts.values())
    # index() gives Pagefind the parts: the bundle is the same as from the whole pages.
    assert _files(index(pages, "en", tmp_path / "parts")) == _files(_index_whole(pages, tmp_path / "whole"))


def _index_whole(pages: dict[str, bytes], folder: Path) -> Path:
    for rel, page in pages.items():
        (folder / "site" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "site" / rel).write_bytes(page)
    bundle = Run(folder / "site", folder / "pagefind").wait()
    settle(bundle)
    return bundle


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>T</title>\n<script>var a = "<b>";</script>\n</head>\n'
    '<body>\n<header><a id="top" href="/">Home</a></header>\n<main>\n'
    '<article class="brief" data-pagefind-body>\n<h1>Title</h1>\n<p>Text <em>here</em>.</p>\n'
    '<section data-pagefind-ignore="all"><h2 id="x">Share</h2><article>inner</article></section>\n'
    "<p data-pagefind-ignore>Kept, not indexed.</p>\n</article>\n</main>\n<footer>Foot</footer>\n</body>\n</html>\n"
)


def test_the_part_of_a_page_is_the_html_tag_title_body_and_what_follows():
    part = searchable_part(PAGE.encode()).decode()
    assert part == (
        '<html lang="en"><head><title>T</title></head><body>'
        '<article class="brief" data-pagefind-body>\n<h1>Title</h1>\n<p>Text <em>here</em>.</p>\n\n'
        "<p data-pagefind-ignore>Kept, not indexed.</p>\n</article>\n</main>\n<footer>Foot</footer>\n</body>\n</html>\n"
    )


@pytest.mark.parametrize(
    "change",
    [
        ("<header>", "<header><h1>Site</h1>"),  # Pagefind's title is the first <h1> on the page
        ("<title>T</title>", '<title>T</title><meta data-pagefind-meta="image[content]" content="/a.png">'),
        ("<main>", "<main><div data-pagefind-body>Two</div>"),  # two bodies
        ("<main>", "<main><!-- "),  # the body is inside a comment
        ("<script>var a", "<script>var b = '<article data-pagefind-body>'; var a"),
        ("<html", "<!-- x --><html"),  # something unexpected before the <html> tag
        ("</article>\n</main>", "</main>"),  # no end to the body element
    ],
)
def test_a_page_that_cannot_be_cut_surely_is_given_whole(change):
    old, new = change
    page = PAGE.replace(old, new, 1).encode()
    assert searchable_part(page) is page


def test_an_ignored_element_that_cannot_be_told_apart_stays():
    page = PAGE.replace("<section data-pagefind-ignore", "<section data-x='<' data-pagefind-ignore").encode()
    part = searchable_part(page)
    assert part is not page and b'<h2 id="x">Share</h2>' in part


def test_pagefind_that_cannot_run_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(
        BriefError, match=r"^search index: cannot run Pagefind \(.*no-such-pagefind.*\); set search = false"
    ):
        index({"a/index.html": b"<html><body>x</body></html>"}, "en", tmp_path)


def test_pagefind_that_fails_is_a_clear_error_and_the_build_changes_nothing(tmp_path, monkeypatch):
    site = _site(tmp_path, 3)
    out = tmp_path / "out"
    build(load_config(site), out, BuildOptions(now=NOW))
    before = _bundle(out)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'thread main panicked: out of cheese' >&2\nexit 3\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    with pytest.raises(BriefError) as failed:
        build(load_config(site), out, BuildOptions(now=NOW, jobs=2))
    assert failed.value.message == "search index: Pagefind failed (exit code 3): thread main panicked: out of cheese"
    assert _bundle(out) == before
    assert not [p for p in out.parent.iterdir() if ".tmp-" in p.name]  # no staging folder left


@pytest.mark.slow
def test_an_edit_keeps_the_word_indexes_it_does_not_change(tmp_path):
    # Pagefind cuts its word index into chunks of about 20,000 word places, in word order:
    # 80 stories of 550 places, each with words of its own ("a07w3"), make a few chunks.
    # Changing a word of the last story (no word moves) changes only the last chunk; the
    # previous build's other chunks are linked in, and Pagefind writes the same bundle a
    # clean build does.
    def story(i: int, last: str = "") -> str:
        words = [f"a{i:02d}w{j}" for j in range(50)]
        body = " ".join(words * 10) + (f" {last}" if last else f" a{i:02d}w0") + "\n"
        return article(body, title=f"Story {i}", date=f"2026-02-{i % 28 + 1:02d}", section="Climate", tags=["Grid"])

    site = make_site(
        tmp_path / "site",
        {f"content/a{i:02d}.md": story(i) for i in range(80)},
        'title = "Words"\nbase_url = "https://example.org/"\n',
    )
    out = tmp_path / "out"
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache))
    cache.save(site)
    before = {p.name: p.stat().st_ino for p in (out / "pagefind/index").iterdir()}
    assert len(before) >= 3
    (site / "content/a79.md").write_text(story(79, last="a79zz"))
    build(load_config(site), out, BuildOptions(now=NOW, cache=BuildCache.load(site)))
    after = {p.name: p.stat().st_ino for p in (out / "pagefind/index").iterdir()}
    kept = [name for name in after if before.get(name) == after[name]]
    assert 0 < len(kept) < len(after)  # the unchanged chunks are the very files, the last one is new
    build(load_config(site), tmp_path / "clean", BuildOptions(now=NOW))
    assert _bundle(out) == _bundle(tmp_path / "clean")


def test_linked_word_indexes_are_kept_only_where_no_name_clashes(tmp_path):
    bundle = tmp_path / "pagefind"
    (bundle / "index").mkdir(parents=True)
    (bundle / "fragment").mkdir()
    chunks = [["a", "f", "en_1234567"], ["g", "p", "en_12345678"], ["q", "z", "en_abcdef0"]]
    meta = ["1.5.2", [["en_5555555", 3]], chunks, [], [], []]
    (bundle / "pagefind.en_0000000000.pf_meta").write_bytes(_pack(_cbor(meta)))
    (bundle / "pagefind-entry.json").write_text('{"languages":{"en":{"hash":"en_0000000000"}}}')
    for name in ("en_1234567", "en_12345678", "en_abcdef0", "en_7777777"):
        (bundle / "index" / f"{name}.pf_index").write_bytes(b"x")
    # A chunk linked in under a clashing name may hold other words now: Pagefind must write again.
    assert not _check_links(bundle, set(), {"en_12345678"})
    # Otherwise each linked chunk listed is Pagefind's; one the bundle does not list goes.
    assert _check_links(bundle, set(), {"en_abcdef0", "en_7777777"})
    assert sorted(p.name for p in (bundle / "index").iterdir()) == [
        "en_1234567.pf_index",
        "en_12345678.pf_index",
        "en_abcdef0.pf_index",
    ]
