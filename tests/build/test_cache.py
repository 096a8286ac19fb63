"""The build cache (.brief-cache/): a cached build equals a clean build byte for byte after
every kind of edit; a damaged or foreign cache is ignored, never trusted; an unchanged site
is reported up to date without building, and anything that would change the output
(inputs, settings, the output folder itself, the clock) makes it build again."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from helpers import article, make_site, run_brief, tree, with_note

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.manifest import CACHE_FILE, MANIFEST_FILE
from brief.render import pagedeps
from brief.settings import CACHE_DIR
from brief.site.rescoring import Snapshot

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
TOPICS = ("grid storage batteries", "port congestion shipping", "central bank rates", "wheat harvest prices")


def cli(site: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_brief(["build", "--site", str(site), *args], env={**os.environ, **(env or {})})


def story(i: int, rng: random.Random, **extra) -> str:
    topic = TOPICS[i % len(TOPICS)]
    words = " ".join(rng.choice(topic.split()) for _ in range(30))
    fields = {
        "title": f"Story {i} on {topic}",
        "date": f"2026-{1 + i % 11:02d}-{1 + i % 27:02d}",
        "section": ["Economy", "Climate"][i % 2],
        "tags": [topic.split()[0].title(), f"T{i % 5}"],
        "takeaways": [f"Point {i}"],
        **extra,
    }
    return article(f"{words}.\n\nSee [another](a{(i + 1) % 7}.md) for more.\n", **fields)


def cached_build(site: Path, out: Path, jobs: int | None = None) -> int:
    cache = BuildCache.load(site)
    result = build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=jobs))
    cache.save(site)
    return result.reused


def clean_build(site: Path, out: Path) -> None:
    build(load_config(site), out, BuildOptions(now=NOW))


@pytest.mark.slow
def test_cached_builds_equal_clean_builds_after_random_edits(tmp_path, monkeypatch):
    monkeypatch.setattr(pagedeps, "VERIFY", True)  # every page key kept by dependency is made again
    rng = random.Random(11)
    files = {f"content/a{i}.md": story(i, rng) for i in range(24)}
    files["content/a3.md"] = story(3, rng, related=["a5", "a6"])
    files["content/pic.md"] = story(99, rng, image={"src": "pic.svg", "alt": "A chart"})
    files["content/pic.svg"] = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"></svg>'
    files["templates/partials/share.html"] = (
        '<section class="share" aria-labelledby="s"><h2 id="s">Share v0</h2></section>\n'
    )
    files["static/css/extra.css"] = "p { color: black }\n"
    site = make_site(tmp_path, files)
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    cached_build(site, cached)
    reused_any = False
    # Every kind of edit once (body twice), in a random order: 24 draws with replacement never drew
    # "delete" and drew "related" once.
    actions = ["body", "body", "title", "tags", "related", "template", "delete", "add", "image", "static"]
    actions += ["note", "date"]
    for step, action in enumerate(rng.sample(actions, len(actions))):
        paths = sorted((site / "content").glob("a*.md"))
        target = rng.choice(paths)
        text = target.read_text()
        if action == "body":
            target.write_text(text + f"\nA new paragraph {step} on {rng.choice(TOPICS)}.\n")
        elif action == "date":  # its URL moves: the articles linking to it are rendered again from
            # their cached articles, which the cache keeps without their bodies (read back from the files)
            target.write_text(re.sub(r"date: '2026-\d\d-\d\d'", f"date: '2026-{1 + step % 11:02d}-15'", text, count=1))
        elif action == "title":
            target.write_text(re.sub(r"title: .*", f"title: Retitled {step}", text, count=1))
        elif action == "tags":
            target.write_text(re.sub(r"- T\d", f"- T{step % 7}", text, count=1))
        elif action == "related":
            other = rng.choice(paths).stem
            if other != target.stem and "related:" not in text:
                target.write_text(text.replace("takeaways:", f"related:\n- {other}\ntakeaways:", 1))
        elif action == "template":
            (site / "templates/partials/share.html").write_text(
                f'<section class="share" aria-labelledby="s"><h2 id="s">Share v{step}</h2></section>\n'
            )
        elif action == "delete" and len(paths) > 8:
            # articles that list it as related would fail: drop the mention first
            for other in paths:
                body = other.read_text()
                if f"- {target.stem}\n" in body:
                    other.write_text(body.replace(f"related:\n- {target.stem}\n", ""))
            target.unlink()
            for other in sorted((site / "content").glob("*.md")):  # links to it now point nowhere
                other.write_text(other.read_text().replace(f"]({target.name})", "](a0.md)"))
        elif action == "add":
            (site / "content" / f"a{100 + step}.md").write_text(story(100 + step, rng))
        elif action == "image":
            (site / "content/pic.svg").write_text(
                f'<svg xmlns="http://www.w3.org/2000/svg" width="{50 + step}" height="20"></svg>'
            )
        elif action == "static":
            (site / "static/css/extra.css").write_text(f"p {{ color: #{step:06d} }}\n")
        elif action == "note":  # a correction or an update added, or every note removed
            note = "" if rng.random() < 0.3 else f"Fix *{step}* of [another](a0.md)."
            kind = rng.choice(["correction", "update"])
            target.write_text(with_note(text, f"2026-11-28T{step % 24:02d}:00:00", note, kind))
        reused = cached_build(site, cached, jobs=rng.choice([None, 2]))
        reused_any = reused_any or reused > 0
        clean_build(site, clean)
        assert tree(cached) == tree(clean), f"step {step}: {action} of {target.name}"
    assert reused_any, "the cache never reused anything: this test tested nothing"


@pytest.mark.slow
def test_cached_builds_equal_clean_builds_after_related_heavy_edits(tmp_path, monkeypatch):
    """Edits that move related suggestions (terms and tags of another topic, a new title, a
    body taken from another cluster, a changed section), on a clustered corpus built by forked
    workers: every cached build equals a clean one-process build, and the related lists did move."""
    monkeypatch.setattr(pagedeps, "VERIFY", True)  # every page key kept by dependency is made again
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from corpus import write_corpus

    from brief.site import related

    noted = tmp_path / "updates"  # key terms made again for only some articles (brief.site.keyterms),
    full = related.key_terms  # noted in a file: the forked scoring process makes them

    def key_terms(*args, **kwargs):
        made = full(*args, **kwargs)
        last, counted = (list(args) + [None, None])[4:6]
        if last is not None and counted is not None:
            with noted.open("a") as file:
                file.write(f"{os.getpid()} {len(counted)}\n")
        return made

    monkeypatch.setattr(related, "key_terms", key_terms)

    site = write_corpus(tmp_path / "site", 90, seed=3)
    rng = random.Random(5)
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    cached_build(site, cached, jobs=2)
    related_before = _related_lists(cached)
    moved = 0
    for step in range(10):
        paths = sorted((site / "content").glob("*.md"))
        target, donor = rng.sample(paths, 2)
        text, other = target.read_text(), donor.read_text()
        head, body = text.split("\n---\n", 1)
        action = step % 5
        if action == 0:  # the donor's body: the terms of another cluster
            target.write_text(head + "\n---\n" + other.split("\n---\n", 1)[1])
        elif action == 1:  # the donor's tags
            donor_tags = re.search(r"tags:\n((?:- .*\n)+)", other).group(1)
            target.write_text(re.sub(r"tags:\n(?:- .*\n)+", "tags:\n" + donor_tags, text, count=1))
        elif action == 2:  # the donor's title, as a new title
            title = re.search(r"title: (.*)", other).group(1)
            target.write_text(re.sub(r"title: .*", f"title: {title} again", text, count=1))
        elif action == 3:
            target.write_text(re.sub(r"section: .*", "section: Science", text, count=1))
        else:  # words of the donor appended to the body
            target.write_text(text + "\n" + other.split("\n---\n", 1)[1])
        cached_build(site, cached, jobs=rng.choice([None, 2]))
        clean_build(site, clean)
        assert tree(cached) == tree(clean), f"step {step}: edit {action} of {target.name}"
        related_now = _related_lists(cached)
        moved += sum(related_now.get(page) != lists for page, lists in related_before.items())
        related_before = related_now
    assert moved >= 10, "the edits hardly moved any related list: this test tested little"
    pids, updates = zip(*(map(int, line.split()) for line in noted.read_text().splitlines()), strict=True)
    assert set(pids) != {os.getpid()}, "no cached build left its scoring to a forked process"
    assert len(updates) >= 5 and all(n <= 2 for n in updates)  # the cached builds updated the key terms


def _related_lists(out: Path) -> dict[str, list[str]]:
    found = {}
    for page in out.glob("*/*/*/index.html"):
        html = page.read_text(encoding="utf-8")
        found[str(page.relative_to(out))] = re.findall(r'class="related-title"><a href="([^"]+)"', html)
    return found


@pytest.mark.slow
def test_a_note_edit_remakes_its_article_the_corrections_pages_and_the_feeds(tmp_path):
    rng = random.Random(4)
    files = {f"content/a{i}.md": story(i, rng) for i in range(7)}
    files["content/a1.md"] = with_note(files["content/a1.md"], "2026-11-20", "The first wording.")
    site = make_site(tmp_path, files, "archive_per_page = 1\n")
    out, clean = tmp_path / "out", tmp_path / "clean"
    cached_build(site, out)
    inodes = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    (site / "content/a1.md").write_text(
        (site / "content/a1.md").read_text().replace("The first wording.", "The second wording.")
    )
    assert cached_build(site, out) > 0
    clean_build(site, clean)
    assert tree(out) == tree(clean)
    remade = {str(p.relative_to(out)) for p, inode in inodes.items() if p.exists() and p.stat().st_ino != inode}
    for rel in ("corrections/index.html", "corrections/feed.xml", "feed.xml", "feed.json", "2026/02/a1/index.html"):
        assert rel in remade and "The second wording." in (out / rel).read_text(encoding="utf-8"), rel
    assert "2026/01/a0/index.html" not in remade  # an article that does not show the note is kept
    # Adding a second correction makes a second page of /corrections/; removing them leaves one.
    (site / "content/a2.md").write_text(with_note((site / "content/a2.md").read_text(), "2026-11-21", "Another."))
    cached_build(site, out)
    clean_build(site, clean)
    assert tree(out) == tree(clean) and (out / "corrections/page/2/index.html").is_file()
    for name in ("a1", "a2"):
        (site / f"content/{name}.md").write_text(with_note((site / f"content/{name}.md").read_text(), "", ""))
    cached_build(site, out)
    clean_build(site, clean)
    assert tree(out) == tree(clean) and not (out / "corrections/page").exists()


def test_cache_reuses_pages_whose_data_did_not_change(tmp_path):
    rng = random.Random(3)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(10)})
    out = tmp_path / "out"
    cached_build(site, out)
    pages = {p: p.stat().st_ino for p in out.rglob("index.html")}
    assert cached_build(site, out) == len(list(out.rglob("*.*")))  # everything reused...
    assert {p: p.stat().st_ino for p in out.rglob("index.html")} == pages  # ...by linking, not writing
    # A body edit writes its own page again (and the listings showing it), not every page.
    page = site / "content/a2.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    reused = cached_build(site, out)
    edited = next(p for p in pages if p.parent.name == "a2")
    assert "One more sentence." in edited.read_text()
    assert edited.stat().st_ino != pages[edited]
    kept = [p for p, inode in pages.items() if p.stat().st_ino == inode]
    assert reused > 0 and kept, "nothing was reused after a one-article edit"


@pytest.mark.parametrize(
    "damage",
    [
        "flip",
        pytest.param("truncate", marks=pytest.mark.slow),  # the other damages: make test, not the inner loop
        pytest.param("garbage", marks=pytest.mark.slow),
        "foreign-key",
    ],
)
def test_damaged_or_foreign_cache_is_ignored(tmp_path, damage):
    rng = random.Random(1)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(7)})
    assert cli(site).returncode == 0
    state = site / CACHE_DIR / CACHE_FILE
    (site / CACHE_DIR / MANIFEST_FILE).unlink()  # or the up-to-date check answers first
    page = site / "content/a1.md"
    page.write_text(page.read_text() + "\nFresh words.\n")
    env = None
    if damage == "flip":
        data = bytearray(state.read_bytes())
        data[len(data) // 2] ^= 0xFF
        state.write_bytes(bytes(data))
    elif damage == "truncate":
        state.write_bytes(state.read_bytes()[:100])
    elif damage == "garbage":
        state.write_bytes(b"\x80\x05not a cache at all")
    else:
        env = {"BRIEF_CACHE_KEY": "somebody else"}
    result = cli(site, env=env)
    assert result.returncode == 0, result.stderr
    assert "Ignoring the build cache" in result.stderr
    assert "Traceback" not in result.stderr
    assert "(" not in result.stdout.split("files")[1].split(" in ")[0]  # nothing reused
    clean = tmp_path / "clean"
    clean_build(site, clean)
    assert "Fresh words." in (site / "public/2026/02/a1/index.html").read_text()


def test_cache_of_another_site_folder_is_not_used(tmp_path):
    rng = random.Random(2)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(7)})
    assert cli(site).returncode == 0
    copy = tmp_path / "copy"
    os.rename(site, copy)
    result = cli(copy)
    assert result.returncode == 0, result.stderr
    assert "another site folder" in result.stderr
    assert "Up to date" not in result.stdout


@pytest.mark.slow
def test_unchanged_site_is_up_to_date_and_any_change_builds(tmp_path):
    rng = random.Random(4)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(7)})
    old = time.time() - 60  # older than the build: stamps can be trusted
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    out = site / "public"
    assert cli(site).returncode == 0
    first = tree(out)
    result = cli(site)
    assert result.stdout.startswith("Up to date: nothing changed since the last build"), result.stdout
    assert tree(out) == first

    # Another setting: a build.
    assert cli(site, "--drafts").stdout.startswith("Built")
    assert cli(site).stdout.startswith("Built")
    assert cli(site).stdout.startswith("Up to date")
    # A page changed or added by hand in the output: the build puts the site back.
    (out / "index.html").write_text("tampered")
    (out / "stray.html").write_text("stray")
    assert cli(site).stdout.startswith("Built")
    assert tree(out) == first
    # A source edit: a build.
    page = site / "content/a0.md"
    page.write_text(page.read_text() + "\nNew.\n")
    assert cli(site).stdout.startswith("Built")
    # --no-cache always builds.
    assert cli(site, "--no-cache").stdout.startswith("Built")


def test_the_manifest_reads_back_signed_and_an_altered_one_is_not_trusted(tmp_path):
    """The manifest (written as it is pickled, signed at its end) reads back as saved; one
    altered byte anywhere makes it untrusted, and the next run builds."""
    from brief.manifest import read_manifest

    rng = random.Random(6)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(7)})
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    assert cli(site).returncode == 0
    path = site / CACHE_DIR / MANIFEST_FILE
    manifest = read_manifest(path)
    assert manifest is not None and manifest["root"] == str(site)
    assert "index.html" in manifest["outputs"] and str(site / "content/a0.md") in manifest["inputs"]
    assert cli(site).stdout.startswith("Up to date")
    data = path.read_bytes()
    for at in (len(data) // 2, len(data) - 1):
        path.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :])
        assert read_manifest(path) is None
        assert cli(site).stdout.startswith("Built")


def test_a_file_changed_after_its_stamp_was_taken_is_built_again(tmp_path):
    # brief build takes the input files' stamps once, before the build reads any, and the
    # build records those: a file changed after that (before the build read it) must not
    # pass for the version the stamp describes.
    from brief.commands.build import build_site
    from brief.manifest import input_folders
    from brief.stamps import take_stamps

    rng = random.Random(5)
    site = make_site(tmp_path, {f"content/a{i}.md": story(i, rng) for i in range(7)})
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    config = load_config(site)
    out = site / "public"
    stamps = take_stamps(input_folders(config))
    page = site / "content/a1.md"
    page.write_text(page.read_text() + "\nA sentence added.\n")
    os.utime(page, (old + 1, old + 1))  # an old time: only its stamp can tell
    cache = BuildCache()
    build(config, out, BuildOptions(cache=cache, stamps=stamps))
    assert cache.inputs_time == stamps.taken
    now = page.stat()
    assert cache.inputs[str(page)] == stamps.files[str(page)] != (now.st_mtime_ns, now.st_size, now.st_ino)
    cache.save(site)
    assert build_site(config, out).result is not None  # built, not "up to date"
    assert build_site(config, out).result is None  # and now it is


def test_the_content_memo_trusts_the_stamps_the_build_took(tmp_path):
    # A file's digest is known without a stat when the build's own stamps (taken before it
    # read anything, and recorded) match the memo's: the build stats each input once.
    from brief.content.load import ContentMemo

    path = tmp_path / "a.md"
    path.write_text("one")
    old = time.time() - 60
    os.utime(path, (old, old))
    info = path.stat()
    stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
    memo = ContentMemo()
    memo.note(path, stamp, b"key-of-one", time.time())
    assert memo.known_keys([path])[0] == b"key-of-one"
    path.write_text("two, longer")  # changed after the build took its stamps
    assert memo.known_keys([path])[0] is None  # a stat sees it
    assert memo.known_keys([path], {str(path): stamp})[0] == b"key-of-one"  # as the recorded stamp says
    assert memo.known_keys([path], {})[0] is None  # a file the stamps lack is stat'ed


@pytest.mark.slow
def test_a_scheduled_article_coming_due_is_built(tmp_path):
    # The clock is pinned (BRIEF_NOW) on either side of the article's time: a build on a busy
    # machine can take longer than any wait a test could afford before the article comes due.
    rng = random.Random(6)
    now = datetime.now(UTC).replace(microsecond=0)
    due = now + timedelta(hours=1)
    files = {f"content/a{i}.md": story(i, rng) for i in range(7)}
    files["content/soon.md"] = article("Soon.\n", title="Coming soon", date=due.strftime("%Y-%m-%dT%H:%M:%S+00:00"))
    site = make_site(tmp_path, files)
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    before = {**os.environ, "BRIEF_NOW": now.isoformat()}
    assert cli(site, env=before).returncode == 0
    assert "Coming soon" not in (site / "public/index.html").read_text()
    assert cli(site, env=before).stdout.startswith("Up to date")
    a_second_late = {**os.environ, "BRIEF_NOW": (due + timedelta(seconds=1)).isoformat()}
    result = cli(site, env=a_second_late)
    assert result.stdout.startswith("Built"), result.stdout
    assert "Coming soon" in (site / "public/index.html").read_text()


def test_tables_larger_than_a_batch_come_back_whole(tmp_path):
    from brief import cachefile

    cache = BuildCache(root=str(tmp_path))
    rows = cachefile.BATCH * cachefile.SHARDS * 2 + 7
    for i in range(rows):
        cache.content.stamps[f"content/a{i}.md"] = ((i, i + 1, i + 2), i.to_bytes(4, "little"), float(i))
        cache.outputs[f"a{i}/index.html"] = (i.to_bytes(8, "little"), (i, 1, 2))
    cache.markdown.parts[b"only"] = "a rendered article"  # type: ignore[assignment]
    # Arrays larger than a pickle frame reach the file as buffers, not bytes.
    starts = np.arange(200_001, dtype=np.int64)
    cache.related.last = Snapshot("s", "a", "", "", {"want": np.ones(200_000)}, np.zeros(0, np.int64), starts)
    cache.save(tmp_path)
    back = BuildCache.load(tmp_path)
    assert back.root == str(tmp_path)
    assert back.content.stamps == cache.content.stamps  # in the order of the shards
    assert back.outputs == cache.outputs
    assert back.markdown.parts == cache.markdown.parts
    assert back.inputs == {}
    assert back.related.last is not None and np.array_equal(back.related.last.pick_start, starts)
    # Saving put the tables back on the cache it saved.
    assert len(cache.content.stamps) == rows and len(cache.outputs) == rows


def test_a_view_is_keyed_by_what_it_shows_besides_its_file_and_markdown(tmp_path):
    """An article view's key (brief.render.viewkeys.view_key) stands for its file, its rendered
    Markdown, its links and whether it is still scheduled: in a --future build, the page of
    an article whose time has come since the last build loses its "scheduled" notice, as
    in a clean build, though neither its file nor its Markdown changed."""
    files = {
        "content/a.md": article("Text a.\n", title="A", date="2026-12-05T09:00:00Z", takeaways=["One"]),
        "content/b.md": article("Text b.\n", title="B", date="2026-11-01", takeaways=["Two"]),
    }
    site = make_site(tmp_path, files)
    out, ref = tmp_path / "out", tmp_path / "ref"

    def cached(now: datetime) -> None:
        cache = BuildCache.load(site)
        build(load_config(site), out, BuildOptions(now=now, cache=cache, future=True))
        cache.save(site)

    cached(NOW)
    before = (out / "2026/12/a/index.html").read_text()
    later = NOW + timedelta(days=7)
    cached(later)
    build(load_config(site), ref, BuildOptions(now=later, future=True))
    assert tree(out) == tree(ref)
    assert (out / "2026/12/a/index.html").read_text() != before


def test_a_digest_depends_on_values_not_on_which_equal_objects_are_one():
    """Two articles sharing one author string (parsed in one build) and two with equal
    strings of their own (read from two shards of the cache) give a page the same key."""
    from brief.digests import pickled_digest

    name = "".join(["Sta", "ff"])  # made at run time: not the interned constant below
    shared = [{"author": name, "title": "A"}, {"author": name, "title": "B"}]
    apart = [{"author": "Staff", "title": "A"}, {"author": "".join(["St", "aff"]), "title": "B"}]
    assert shared[0]["author"] is shared[1]["author"] and apart[0]["author"] is not apart[1]["author"]
    assert pickled_digest(shared) == pickled_digest(apart)


def test_fast_pickled_dataclasses_come_back_equal_and_refuse_fields_outside_init():
    """brief.digests.fast_pickle: what the cache keeps of rendered articles and ledger lines
    comes back equal, through the class's constructor; a field the constructor does not take
    could not come back, so such a class is refused."""
    import dataclasses
    import pickle

    from brief.content.ledger import Entry
    from brief.digests import fast_pickle

    entry = Entry("/2024/01/a/", "content/a.md", True, "2024-01-02T00:00:00Z", "A Quiet Week", 7)
    assert pickle.loads(pickle.dumps(entry)) == entry and pickle.loads(pickle.dumps(entry)).line == 7

    @dataclasses.dataclass(frozen=True, slots=True)
    class Hidden:
        shown: int
        kept: int = dataclasses.field(default=0, init=False)

    with pytest.raises(TypeError, match="every field must be an __init__ argument"):
        fast_pickle(Hidden)


def test_an_edited_author_profile_renames_the_byline_of_unchanged_articles(tmp_path):
    """An author's shown name comes from their profile (content/authors/<slug>.md): renaming
    them there changes the byline link on every page of theirs, though no article file and
    no rendered Markdown changed (the links are part of each view's key, view_key)."""
    files = {
        "content/a.md": article("Text a.\n", title="A", authors=["Ana Ortiz"], takeaways=["One"]),
        "content/b.md": article("Text b.\n", title="B", authors=["Ana Ortiz"], takeaways=["Two"]),
        "content/authors/ana-ortiz.md": "---\nname: Ana Ortiz\nrole: Editor\n---\nAna writes about energy.\n",
    }
    site = make_site(tmp_path, files)
    out, ref = tmp_path / "out", tmp_path / "ref"
    cached_build(site, out)
    (site / "content/authors/ana-ortiz.md").write_text("---\nname: Ana Ortiz-Vega\nrole: Editor\n---\nAna writes.\n")
    cached_build(site, out)
    clean_build(site, ref)
    assert tree(out) == tree(ref)
    assert "Ana Ortiz-Vega" in (out / "2024/01/a/index.html").read_text()


def test_brief_build_reads_and_saves_its_cache_with_the_cycle_collector_paused(tmp_path, monkeypatch):
    # Reading 10,000 articles' rows with the collector on took 0.45 s instead of 0.25 s; the
    # collector is on again once the build is done.
    import gc

    from brief.commands.build import build_site

    site = make_site(tmp_path, {f"content/a{i}.md": story(i, random.Random(i)) for i in range(7)})
    seen: list[bool] = []
    load, save = BuildCache.load, BuildCache.save

    def loading(cls, root, checked=None):
        seen.append(gc.isenabled())
        return load.__func__(cls, root, checked)

    def saving(self, root):
        seen.append(gc.isenabled())
        return save(self, root)

    monkeypatch.setattr(BuildCache, "load", classmethod(loading))
    monkeypatch.setattr(BuildCache, "save", saving)
    assert gc.isenabled()
    build_site(load_config(site), site / "public", now=NOW)
    assert seen == [False, False]
    assert gc.isenabled()


def test_brief_build_lets_go_of_what_is_never_saved_before_saving(tmp_path, monkeypatch):
    # At 100,000 articles saving the cache raised the build's peak memory (views and page
    # plans kept for a preview's next rebuild); the CLI build drops them first, and the site.
    import pickle

    from brief.commands.build import build_site

    site = make_site(tmp_path, {f"content/a{i}.md": story(i, random.Random(i)) for i in range(7)})
    found: list[tuple[int, bytes]] = []
    save = BuildCache.save

    def saving(self, root):
        found.append((len(self.markdown.views), pickle.dumps(self.markdown.__getstate__())))
        return save(self, root)

    monkeypatch.setattr(BuildCache, "save", saving)
    outcome = build_site(load_config(site), site / "public", now=NOW)
    assert outcome.result is not None and outcome.result.state is None
    assert found[0][0] == 0  # no view held while saving
    cache = BuildCache()  # what a build that keeps everything saves: the same
    result = build(load_config(site), tmp_path / "kept", BuildOptions(now=NOW, cache=cache))
    assert result.state is not None and len(cache.markdown.views) == 7
    assert pickle.loads(found[0][1]).keys() == cache.markdown.__getstate__().keys()
    assert len(pickle.loads(found[0][1])["parts"]) == len(cache.markdown.parts) == 7


@pytest.mark.parametrize("links", [True, False])
def test_files_kept_from_the_last_build_are_recorded_as_they_are(tmp_path, monkeypatch, links):
    # A kept file's stamp is known without a stat when it is the very file checked (left in
    # place, or hard-linked); a copy (no hard links on that file system) is stat'ed. Either way
    # the next build finds the output as recorded: "up to date".
    from brief.commands.build import build_site

    site = make_site(tmp_path, {f"content/a{i}.md": story(i, random.Random(i)) for i in range(7)})
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    config = load_config(site)
    out = site / "public"
    assert build_site(config, out, now=NOW).result is not None
    page = site / "content/a2.md"
    page.write_text(page.read_text() + "\nOne more line.\n")
    os.utime(page, (old + 1, old + 1))
    if not links:

        def refuse(*args, **kwargs):
            raise OSError("no hard links here")

        monkeypatch.setattr(os, "link", refuse)
    built = build_site(config, out, now=NOW).result
    assert built is not None and built.reused > 0
    assert build_site(config, out, now=NOW).result is None  # up to date: every stamp as recorded
