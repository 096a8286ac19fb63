"""The "up to date" check of ``brief build`` (brief.manifest.up_to_date) stops at the first
difference, looking first at the inputs changed last: its answer is still exactly "every
input file is as the manifest recorded it", whatever changed, wherever, and a build then
records every input's stamp. Real files, a real manifest saved by a real cache."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from helpers import article, make_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import brief.manifest as manifest_module
from brief.cache import BuildCache
from brief.commands.build import build_site
from brief.config import Config, load_config
from brief.manifest import MANIFEST_FILE, Manifest, input_folders, read_manifest, up_to_date
from brief.settings import CACHE_DIR
from brief.stamps import RECENT, snapshot

KEY = b"k" * 32
FILES = 24


def inputs_of(tmp_path: Path) -> tuple[Path, list[Path], list[Path]]:
    """A site folder with FILES content files (some in a subfolder), each with its own old
    time (the oldest first), and a cache saved for it whose manifest records them."""
    site = tmp_path / "site"
    content = site / "content"
    files = []
    base = time.time() - 3600
    for i in range(FILES):
        path = content / (f"2024/a{i:02d}.md" if i % 3 == 0 else f"a{i:02d}.md")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"article {i}\n" * (i + 1), encoding="utf-8")
        os.utime(path, (base + i, base + i))
        files.append(path)
    folders = [content, site / "templates", site / "static"]
    cache = BuildCache(key=KEY, root=str(site), output=str(site / "public"))
    cache.inputs = snapshot(folders)
    cache.inputs_time = time.time()
    cache.next_change = float("inf")
    cache.save(site)
    return site, folders, files


def recorded_inputs(site: Path) -> dict:
    manifest = read_manifest(site / CACHE_DIR / MANIFEST_FILE)
    assert manifest is not None
    return manifest["inputs"]


def dated_site(tmp_path: Path, files: dict[str, str | bytes]) -> tuple[Path, Config, Path]:
    """A site of ``files``, every one dated a minute ago (its stamps can be trusted), with its
    config and output folder."""
    site = make_site(tmp_path, files)
    old = time.time() - 60
    for path in site.rglob("*"):
        os.utime(path, (old, old))
    return site, load_config(site), site / "public"


def answer(site: Path, folders: list[Path]) -> int | None:
    return up_to_date(site, KEY, site / "public", folders, time.time()).unchanged


def test_the_manifest_names_the_inputs_changed_last_apart(tmp_path):
    site, folders, files = inputs_of(tmp_path)
    found = Manifest.read(site / CACHE_DIR / MANIFEST_FILE)
    assert found is not None
    assert found.head["recent"] == {str(p): s for p, s in snapshot(folders).items() if p in map(str, files[-RECENT:])}
    assert len(found.head["recent"]) == RECENT < FILES
    assert found.inputs() == snapshot(folders) and found.outputs() == {}
    assert answer(site, folders) == 0  # (no output folder: no file in it, as recorded)


def test_a_change_to_an_input_changed_last_is_found_without_walking_the_folders(tmp_path, monkeypatch):
    one, two = inputs_of(tmp_path / "one"), inputs_of(tmp_path / "two")
    walks = []
    real_walk = manifest_module.take_stamps

    def counted(folders):
        walks.append(1)
        return real_walk(folders)

    monkeypatch.setattr(manifest_module, "take_stamps", counted)
    site, folders, files = one
    assert answer(site, folders) == 0 and len(walks) == 1  # (nothing changed: every folder walked)
    files[-1].write_text("edited\n", encoding="utf-8")
    assert answer(site, folders) is None and len(walks) == 1  # the newest file, looked at first
    files[-1].unlink()
    assert answer(site, folders) is None and len(walks) == 1
    site, folders, files = two
    files[0].write_text("edited too\n", encoding="utf-8")  # the oldest: found by the walk
    assert answer(site, folders) is None and len(walks) == 2


OPS = st.lists(
    st.tuples(
        st.sampled_from(["time", "size", "inode", "delete", "add", "add-folder", "same"]), st.integers(0, FILES - 1)
    ),
    max_size=3,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=OPS)
def test_up_to_date_is_every_input_as_recorded_whatever_changed(tmp_path_factory, ops):
    """Against the definition: the stamps of every file under the input folders now, equal to
    the manifest's (a changed time, size or inode, a file deleted or added anywhere)."""
    site, folders, files = inputs_of(tmp_path_factory.mktemp("site"))
    for op, i in ops:
        path = files[i]
        if not path.exists():
            continue
        info = path.stat()
        if op == "time":
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1))
        elif op == "size":
            path.write_bytes(path.read_bytes() + b"x")
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        elif op == "inode":  # the same bytes and time, another file (an editor's save by rename)
            twin = path.with_name(path.name + ".tmp")
            twin.write_bytes(path.read_bytes())
            os.utime(twin, ns=(info.st_atime_ns, info.st_mtime_ns))
            os.replace(twin, path)
        elif op == "delete":
            path.unlink()
        elif op == "add":
            (path.parent / f"new{i}.md").write_text("new\n", encoding="utf-8")
        elif op == "add-folder":
            (path.parent / f"more{i}").mkdir(exist_ok=True)
            (path.parent / f"more{i}" / "x.md").write_text("new\n", encoding="utf-8")
    recorded = read_manifest(site / CACHE_DIR / MANIFEST_FILE)
    assert recorded is not None
    unchanged = snapshot(folders) == recorded["inputs"]
    assert (answer(site, folders) is not None) == unchanged


def test_a_build_after_a_changed_input_records_the_stamp_of_every_input(tmp_path):
    rng = random.Random(2)
    files = {
        f"content/a{i}.md": article(
            f"{' '.join(rng.choice(('port', 'grid', 'rates')) for _ in range(20))}.\n", title=f"S {i}"
        )
        for i in range(6)
    }
    site, config, out = dated_site(tmp_path, files)
    folders = input_folders(config)
    assert build_site(config, out).result is not None
    recorded, now = recorded_inputs(site), snapshot(folders)
    assert {path: recorded[path] for path in now} == now  # (and the files next to the site: its ledger)
    assert BuildCache.load(site).inputs == {}  # (the manifest's only: each build takes them anew)
    page = site / "content" / "a3.md"
    page.write_text(page.read_text() + "\nMore.\n")  # (found at once: the check stops there)
    assert build_site(config, out).result is not None
    recorded, now = recorded_inputs(site), snapshot(folders)
    assert {path: recorded[path] for path in now} == now


def test_a_build_after_an_edit_that_kept_the_time_builds_and_then_is_up_to_date(tmp_path):
    rng = random.Random(3)
    site = make_site(
        tmp_path, {f"content/a{i}.md": article(f"Words {rng.random()}.\n", title=f"S {i}") for i in range(20)}
    )
    base = time.time() - 600
    paths = sorted((site / "content").glob("a*.md"))
    for n, path in enumerate(paths):
        os.utime(path, (base + n, base + n))
    config = load_config(site)
    out = site / "public"
    assert build_site(config, out).result is not None
    assert build_site(config, out).result is None
    for page in (paths[0], paths[-1]):  # (the oldest file and the newest)
        info = page.stat()
        page.write_text(page.read_text() + "\nMore.\n")
        os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns))  # its old time: only its size tells
        assert build_site(config, out).result is not None
        assert build_site(config, out).result is None


def test_a_check_that_walked_the_folders_gives_every_input_stamp(tmp_path):
    site, folders, files = inputs_of(tmp_path / "one")
    files[-1].write_text("edited\n", encoding="utf-8")  # among the recent: found before walking
    check = up_to_date(site, KEY, site / "public", folders, time.time())
    assert check.unchanged is None and check.stamps is None
    site, folders, files = inputs_of(tmp_path / "two")
    files[0].write_text("edited\n", encoding="utf-8")  # found by the walk, which goes on to the end
    before = time.time()
    check = up_to_date(site, KEY, site / "public", folders, time.time())
    assert check.unchanged is None and check.stamps is not None
    assert check.stamps.files == snapshot(folders) and list(check.stamps.files) == list(snapshot(folders))
    assert before <= check.stamps.taken <= time.time()


def test_the_output_is_up_to_date_only_with_every_file_as_recorded_and_no_other(tmp_path):
    """The files of the output folder as ``os.walk`` finds them: a linked folder is not
    followed, a linked file is a file; one file added anywhere, or changed, means a build."""
    rng = random.Random(4)
    site, config, out = dated_site(
        tmp_path, {f"content/a{i}.md": article(f"Words {rng.random()}.\n", title=f"S {i}") for i in range(4)}
    )
    assert build_site(config, out).result is not None
    assert build_site(config, out).result is None
    outside = tmp_path / "elsewhere"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "x.html").write_text("x", encoding="utf-8")
    (out / "linked").symlink_to(outside)  # a linked folder: not walked, as os.walk would not
    assert build_site(config, out).result is None
    (out / "linked").unlink()
    (out / "note.html").symlink_to(outside / "deep" / "x.html")  # a linked file: a file the build did not write
    assert build_site(config, out).result is not None
    assert build_site(config, out).result is None
    stray = next(p for p in out.rglob("index.html") if p.parent != out).parent / "stray.txt"
    stray.write_text("stray", encoding="utf-8")
    assert build_site(config, out).result is not None and not stray.exists()
    assert build_site(config, out).result is None


def test_a_build_that_made_resized_images_is_up_to_date_the_next_time(tmp_path):
    """The image stage's copies (in .brief-cache/images/) are written during the build, after
    its inputs' stamps were taken; the build records them among what it read. They are dated
    back, as the URL ledger is, so that the next build can trust their stamps: an unchanged
    site with resized images is "up to date" at once, not after one more cached build."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((700, 300)).convert("RGB").save(buffer, format="PNG")
    site, config, out = dated_site(
        tmp_path,
        {
            "content/a.md": article("Words.\n", title="Charted", image={"src": "chart.png", "alt": "A chart"}),
            "content/chart.png": buffer.getvalue(),
            "content/b.md": article("More words.\n", title="Other"),
        },
    )
    assert build_site(config, out).result is not None
    copies = [p for p in (site / CACHE_DIR / "images").iterdir() if p.suffix in (".png", ".webp")]
    assert copies, "no resized copy was made: the test tests nothing"
    assert build_site(config, out).result is None
