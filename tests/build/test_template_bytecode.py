"""Compiled templates kept between builds (brief.bytecode): used when signed and
current, ignored when altered, rewritten when a template changes, never written by a
failing build."""

from __future__ import annotations

from pathlib import Path

from helpers import article, make_site, run_build, tree

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
