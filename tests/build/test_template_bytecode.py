"""Compiled templates kept between builds (brief.bytecode): used when signed and
current, ignored when altered, rewritten when a template changes, never written by a
failing build."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from importlib.util import MAGIC_NUMBER
from pathlib import Path

from helpers import REPO, article, make_site, run_build, tree

from brief.bytecode import FOLDER
from brief.settings import CACHE_DIR


def _site(tmp_path: Path) -> Path:
    return make_site(tmp_path, {f"content/a{i}.md": article(f"Text {i}.\n", title=f"Story {i}") for i in range(3)})


def _kept(site: Path) -> dict[str, bytes]:
    folder = site / CACHE_DIR / FOLDER
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def test_a_build_keeps_its_compiled_templates_and_the_next_one_uses_them(tmp_path):
    site = _site(tmp_path)
    code, _, err = run_build(site)
    assert code == 0, err
    kept = _kept(site)
    assert len(kept) >= 10, kept.keys()  # every template of the theme that the pages use
    stamps = {p.name: p.stat().st_mtime_ns for p in (site / CACHE_DIR / FOLDER).iterdir()}
    (site / "content/a1.md").write_text(article("Changed.\n", title="Story 1"))
    code, _, err = run_build(site)
    assert code == 0, err
    assert {p.name: p.stat().st_mtime_ns for p in (site / CACHE_DIR / FOLDER).iterdir()} == stamps  # loaded, not remade


def test_an_altered_compiled_template_is_ignored_and_the_page_is_right(tmp_path):
    site = _site(tmp_path)
    assert run_build(site)[0] == 0
    for path in (site / CACHE_DIR / FOLDER).iterdir():
        data = bytearray(path.read_bytes())
        data[-1] ^= 0xFF  # signature no longer matches
        path.write_bytes(bytes(data))
    (site / "content/a2.md").write_text(article("Changed.\n", title="Story 2"))
    code, _, err = run_build(site)
    assert code == 0, err
    cached = tree(site / "public")
    code, _, err = run_build(site, "--no-cache", "--output", str(tmp_path / "clean"))
    assert code == 0, err
    assert cached == tree(tmp_path / "clean")


def test_a_changed_template_is_compiled_again(tmp_path):
    site = _site(tmp_path)
    assert run_build(site)[0] == 0
    theme = Path(__file__).resolve().parents[2] / "templates" / "base.html"
    text = theme.read_text(encoding="utf-8")
    assert "</body>" in text
    (site / "templates").mkdir()
    (site / "templates/base.html").write_text(text.replace("</body>", "<p>Own footer note</p></body>"))
    code, _, err = run_build(site)
    assert code == 0, err
    assert "Own footer note" in (site / "public/index.html").read_text(encoding="utf-8")


def test_a_failing_build_writes_no_compiled_template(tmp_path):
    site = _site(tmp_path)
    (site / "content/bad.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    code, _, _ = run_build(site)
    assert code == 1
    assert _kept(site) == {}


COUNTING = """
import atexit, sys, jinja2
compiled = []
compile = jinja2.Environment.compile
def counted(self, source, name=None, filename=None, *args, **kwargs):
    compiled.append(name)
    return compile(self, source, name, filename, *args, **kwargs)
jinja2.Environment.compile = counted
atexit.register(lambda: print(len(compiled), flush=True))
sys.argv = ["brief", "build", "--site", sys.argv[1], "-q"]
from brief.launch import main
main()
"""


def _compiled(site: Path, prefix: Path, *flags: str) -> int:
    """How many templates a build of ``site`` compiled, in a process whose bytecode goes
    under ``prefix`` (the package's __pycache__ of its own)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(prefix)
    done = subprocess.run(
        [sys.executable, *flags, "-c", COUNTING, str(site)], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def _store(prefix: Path) -> list[Path]:
    return list(prefix.rglob("theme-templates.*.bin"))


def test_a_cold_build_takes_the_default_themes_templates_compiled_from_beside_the_package(tmp_path):
    prefix = tmp_path / "pycache"
    first = _site(tmp_path / "first")
    compiled = _compiled(first, prefix)
    assert compiled >= 10 and len(_store(prefix)) == 1
    second = _site(tmp_path / "second")  # (a site of its own: no cache folder)
    assert _compiled(second, prefix) == 0
    assert len(_kept(second)) == compiled  # (and kept in its own cache folder, as if compiled)
    assert tree(second / "public") == tree(first / "public")


def test_a_sites_own_template_is_compiled_and_not_kept_beside_the_package(tmp_path):
    prefix = tmp_path / "pycache"
    compiled = _compiled(_site(tmp_path / "first"), prefix)
    stored = _store(prefix)[0].read_bytes()
    own = _site(tmp_path / "own")
    theme = REPO / "templates" / "partials" / "footer.html"
    (own / "templates" / "partials").mkdir(parents=True)
    (own / "templates" / "partials" / "footer.html").write_text(theme.read_text(encoding="utf-8"), encoding="utf-8")
    assert _compiled(own, prefix) == 1  # (its own footer: the theme's file name is not its)
    assert _store(prefix)[0].read_bytes() == stored
    assert compiled > 1


def test_a_store_that_does_not_read_back_is_ignored_and_nothing_is_written_without_bytecode(tmp_path):
    prefix = tmp_path / "pycache"
    assert _compiled(_site(tmp_path / "nothing"), prefix, "-B") >= 10
    assert _store(prefix) == []
    compiled = _compiled(_site(tmp_path / "first"), prefix)
    (store,) = _store(prefix)
    settings, code = marshal.loads(store.read_bytes()[len(MAGIC_NUMBER) :])
    other = MAGIC_NUMBER + marshal.dumps((settings.replace("True", "False"), code))  # (other settings)
    for broken in (b"", b"\x00" * 16, store.read_bytes()[:4] + b"\x00garbage", other):
        store.write_bytes(broken)
        assert _compiled(_site(tmp_path / f"again{len(broken)}"), prefix) == compiled
        assert len(store.read_bytes()) > 1000  # (written anew)
