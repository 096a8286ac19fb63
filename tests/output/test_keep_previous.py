"""Keeping the previous build's pages together (brief.output.claims.Claims.keep_previous and
OutputWriter's): each is taken as reuse() with its last key would take it, a page whose
file changed since is left to write, and a path claimed twice is still a problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from brief.output.writers import MemoryWriter, OutputWriter


def _first_build(out: Path) -> dict:
    writer = OutputWriter(out)
    for name in ("a", "b", "c"):
        writer.write(f"{name}/index.html", f"<p>{name}</p>".encode(), origin=f"content/{name}.md", key=name.encode())
    writer.commit()
    return writer.outputs()


def test_kept_pages_are_linked_and_a_changed_one_is_left_to_write(tmp_path):
    out = tmp_path / "out"
    previous = _first_build(out)
    (out / "b/index.html").write_text("changed by hand")
    writer = OutputWriter(out, previous)
    again = writer.keep_previous([(f"{n}/index.html", f"content/{n}.md") for n in ("a", "b", "c")])
    assert again == ["b/index.html"]
    assert writer.reused == 2 and not writer.problems
    writer.write("b/index.html", b"<p>b</p>", origin="content/b.md", key=b"b")
    writer.commit()
    assert (out / "a/index.html").read_text() == "<p>a</p>"
    assert (out / "b/index.html").read_text() == "<p>b</p>"
    assert {rel: key for rel, (key, _) in writer.outputs().items()} == {
        "a/index.html": b"a",
        "b/index.html": b"b",
        "c/index.html": b"c",
    }


def test_a_path_claimed_before_is_a_problem_not_a_kept_page(tmp_path):
    out = tmp_path / "out"
    previous = _first_build(out)
    writer = OutputWriter(out, previous)
    writer.write("A/index.html", b"<p>A</p>", origin="content/upper.md")
    assert writer.keep_previous([("a/index.html", "content/a.md"), ("c/index.html", "content/c.md")]) == []
    assert [problem.message for problem in writer.problems] == [
        "output path 'a/index.html' is also written by content/upper.md "
        "(expected each page or file to have its own path)"
    ]
    writer.abort()


@pytest.mark.parametrize("kind", ["memory", "folder"])
def test_a_page_the_last_build_did_not_write_is_left_to_write(tmp_path, kind):
    out = tmp_path / "out"
    previous = _first_build(out)
    writer = MemoryWriter(previous) if kind == "memory" else OutputWriter(out, previous)
    assert writer.keep_previous([("new/index.html", "content/new.md")]) == ["new/index.html"]
    assert writer.reused == 0
    writer.abort()
