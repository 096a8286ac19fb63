"""Special files (issue #14, part A): a FIFO, a socket or a device among a site's files never
hangs a build, a check or the preview; it is refused with one line naming the path and what
it is. A folder named like an article is a warning; a file over the size limit an error.

Every build runs in a subprocess with a timeout (or, for the preview, on a thread joined
with one), so a regression fails instead of hanging the suite. Reading a FIFO with no
writer blocks forever; these tests never write to one.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from pathlib import Path

import pytest
from helpers import article, make_site, run_brief
from PIL import Image

from brief.serve.rebuild import Preview
from brief.theme import FILE_LIMIT, TEXT_LIMIT, InputError, Limit, read_input

TIMEOUT = 20
BASE = "http://127.0.0.1:8000/"
FIFO = "not a regular file (a FIFO, or named pipe); brief reads only regular files"
SOCKET = "not a regular file (a Unix socket); brief reads only regular files"
LINK_TO_FIFO = "not a regular file (a symlink to a FIFO, or named pipe); brief reads only regular files"


def fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)


def unix_socket(path: Path) -> None:
    """A socket file at ``path``; bound from its folder, as socket paths may hold only 107 bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(path.name)  # the file stays after the socket is closed
    finally:
        os.chdir(here)


def link_to_fifo(path: Path) -> None:
    fifo(path.with_name("." + path.name + ".target"))
    path.symlink_to("." + path.name + ".target")


MAKERS = {"fifo": (fifo, FIFO), "socket": (unix_socket, SOCKET), "symlink to a fifo": (link_to_fifo, LINK_TO_FIFO)}


def run(site: Path, command: str) -> tuple[int, str]:
    """``brief build`` or ``brief check`` in a subprocess; (exit code, stdout and stderr)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "300"}
    proc = run_brief([command, "--site", str(site)], env=env, timeout=TIMEOUT)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout + proc.stderr


def good_site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path,
        {
            "content/a.md": article(title="A", takeaways=["One"], body="Text.\n"),
            "static/css/extra.css": "p { color: black }\n",
        },
    )


# Where a special file sits, and whether an article shows it as its hero ("hero": content/b.md does).
PLACES = {
    "article": ("content/p.md", False),
    "article in a folder": ("content/2024/p.md", False),
    "author profile": ("content/authors/ana.md", False),
    "static file": ("static/images/logo.png", False),
    "hero image next to an article": ("content/images/hero.png", True),
    "hero image under static/": ("static/images/hero.png", True),
}
HERO_LINE = 5
"""The line of image.src in content/b.md."""


def _refer(site: Path, rel: str) -> str:
    """Make content/b.md show ``rel`` as its hero; the start of the line reporting it."""
    src = rel.removeprefix("static") if rel.startswith("static/") else rel.removeprefix("content/")
    (site / "content" / "b.md").write_text(
        article(title="B", image={"src": src, "alt": "A chart"}, takeaways=["One"]), encoding="utf-8"
    )
    return f"content/b.md:{HERO_LINE}: image.src: {rel}: "


def expected_lines(rel: str, hero: bool, message: str) -> list[str]:
    """A file under content/ that is not an article is read only as a hero; static/ is read whole."""
    lines = [] if hero and rel.startswith("content/") else [f"{rel}: {message}"]
    return lines + ([f"content/b.md:{HERO_LINE}: image.src: {rel}: {message}"] if hero else [])


@pytest.mark.parametrize("kind", sorted(MAKERS))
@pytest.mark.parametrize("place", sorted(PLACES))
def test_build_refuses_a_special_file_and_keeps_the_previous_output(tmp_path, kind, place):
    site = good_site(tmp_path)
    code, out = run(site, "build")
    assert code == 0, out
    before = sorted((p.relative_to(site).as_posix(), p.stat().st_mtime_ns) for p in (site / "public").rglob("*"))
    rel, hero = PLACES[place]
    make, message = MAKERS[kind]
    make(site / rel)
    if hero:
        _refer(site, rel)
    code, out = run(site, "build")
    assert code == 1, out
    for line in expected_lines(rel, hero, message):
        assert line in out.splitlines(), f"missing {line!r} in:\n{out}"
    assert "nothing was written" in out
    after = sorted((p.relative_to(site).as_posix(), p.stat().st_mtime_ns) for p in (site / "public").rglob("*"))
    assert after == before


def special_site(tmp_path: Path) -> tuple[Path, list[str]]:
    """A site with a FIFO or a socket in every place; the problem lines expected."""
    site = good_site(tmp_path)
    expected = []
    for n, (rel, hero) in enumerate(PLACES.values()):
        if hero and rel.startswith("static/"):
            continue  # one hero is enough: content/images/hero.png
        path = site / rel
        fifo(path)
        expected += expected_lines(rel, hero, FIFO)
        if hero:
            _refer(site, rel)
        else:
            other = path.with_name(f"s{n}{path.suffix}")
            unix_socket(other)
            expected.append(f"{other.relative_to(site).as_posix()}: {SOCKET}")
    return site, expected


def test_check_reports_every_special_file(tmp_path):
    site, expected = special_site(tmp_path)
    code, out = run(site, "check")
    assert code == 1, out
    lines = out.splitlines()
    for line in expected:
        assert line in lines, f"missing {line!r} in:\n{out}"


def test_the_preview_reports_every_special_file_and_keeps_serving(tmp_path):
    site, expected = special_site(tmp_path)
    preview = Preview(site, BASE)
    thread = threading.Thread(target=preview.rebuild, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert not thread.is_alive(), "the preview's build hangs on a special file"
    shown = [problem.format() for problem in preview.snapshot.problems]
    for line in expected:
        assert line in shown, f"missing {line!r} in {shown}"
    # Replace each special file by a regular one (or remove it): the preview builds again.
    for path in sorted(site.rglob("*"), reverse=True):
        if path.is_symlink() or (path.exists() and not path.is_dir() and not path.is_file()):
            path.unlink()
    Image.new("RGB", (1200, 600), "teal").save(site / "content" / "images" / "hero.png")
    thread = threading.Thread(target=preview.rebuild, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert not thread.is_alive()
    assert preview.snapshot.problems == []
    assert "2024/01/b/index.html" in preview.snapshot.files


@pytest.mark.slow
def test_brief_serve_logs_the_special_file(tmp_path, start_server):
    site = good_site(tmp_path)
    fifo(site / "content" / "p.md")
    server = start_server(site)
    server.wait_for(re.escape(f"content/p.md: {FIFO}"), timeout=TIMEOUT)
    # A FIFO made while it serves is reported by the next rebuild, which does not hang either.
    rebuilds = server.rebuilds()
    unix_socket(site / "content" / "s.md")
    (site / "content" / "p.md").unlink()
    server.wait_for(re.escape(f"content/s.md: {SOCKET}"), timeout=TIMEOUT)
    (site / "content" / "s.md").unlink()
    server.wait_rebuilds(rebuilds, timeout=TIMEOUT)


def test_a_folder_named_like_an_article_is_a_warning_and_its_articles_are_built(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/z.md/inner.md": article(title="Inner", takeaways=["One"]),
            "content/authors/ana.md/notes.md": "Not a profile.\n",
        },
    )
    code, out = run(site, "build")
    assert code == 0, out
    lines = out.splitlines()
    assert (
        "content/z.md: warning: a folder named like an article: its files are read as a folder's "
        "(the .md files in it are articles), not as one article; rename it without .md [folder-like-file]"
    ) in lines, out
    assert (
        "content/authors/ana.md: warning: a folder named like an author profile, skipped: profiles are the .md "
        "files right in content/authors/; rename it without .md [folder-like-file]"
    ) in lines, out
    assert (site / "public" / "2024" / "01" / "inner" / "index.html").is_file()


def sparse(path: Path, size: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.truncate(size)  # no bytes written: the test stays fast


def test_files_over_the_size_limits_are_refused_with_their_size_and_the_limit(tmp_path):
    site = good_site(tmp_path)
    sparse(site / "content" / "big.md", TEXT_LIMIT.size + 1)
    sparse(site / "content" / "authors" / "ana.md", 80 * 2**20)
    sparse(site / "static" / "video.mp4", FILE_LIMIT.size + 1)
    sparse(site / "content" / "images" / "hero.png", FILE_LIMIT.size + 2**20)
    _refer(site, "content/images/hero.png")
    (site / "content" / "fine.md").write_text(
        article(title="Fine", takeaways=["One"], body="x" * 100_000 + "\n"), encoding="utf-8"
    )
    code, out = run(site, "build")
    assert code == 1, out
    lines = out.splitlines()
    for line in (
        "content/big.md: file is too large: 64.0 MiB (67,108,865 bytes), over the 64 MiB limit for an article "
        "or author profile; split it into several articles",
        "content/authors/ana.md: file is too large: 80.0 MiB (83,886,080 bytes), over the 64 MiB limit for an "
        "article or author profile; split it into several articles",
        "static/video.mp4: file is too large: 256.0 MiB (268,435,457 bytes), over the 256 MiB limit for an image "
        "or static file; publish it from a media host and link to it",
        f"content/b.md:{HERO_LINE}: image.src: content/images/hero.png: file is too large: 257.0 MiB (269,484,032 bytes), "
        "over the 256 MiB limit for an image or static file; publish it from a media host and link to it",
    ):
        assert line in lines, f"missing {line!r} in:\n{out}"
    assert not any(line.startswith("content/fine.md") for line in lines), out


def test_a_file_turned_into_a_fifo_after_it_was_checked_is_refused_not_waited_on(tmp_path, monkeypatch):
    """The race: the file was regular when brief looked, a FIFO when it opened it."""
    regular = tmp_path / "regular.md"
    regular.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    pipe = tmp_path / "p.md"
    os.mkfifo(pipe)
    real_stat = os.stat
    monkeypatch.setattr("brief.theme.os.stat", lambda path, *a, **k: real_stat(regular if path == pipe else path))
    found: list[object] = []

    def read() -> None:
        try:
            found.append(read_input(pipe, TEXT_LIMIT))
        except InputError as exc:
            found.append(exc)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():  # let the stuck reader go before failing
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a FIFO blocked")
    assert len(found) == 1 and isinstance(found[0], InputError), found
    assert str(found[0]) == FIFO


def test_read_input_reads_a_regular_file_whole_or_its_head(tmp_path):
    path = tmp_path / "a.bin"
    path.write_bytes(b"0123456789")
    assert read_input(path, TEXT_LIMIT) == b"0123456789"
    assert read_input(path, TEXT_LIMIT, head=4) == b"0123"
    with pytest.raises(FileNotFoundError):
        read_input(tmp_path / "missing", TEXT_LIMIT)
    with pytest.raises(InputError, match=r"not a regular file \(a folder\)"):
        read_input(tmp_path, TEXT_LIMIT)
    with pytest.raises(InputError, match=r"not a regular file \(a character device\)"):
        read_input(Path("/dev/zero"), TEXT_LIMIT)


def test_read_input_reads_on_where_the_system_gives_less_and_sees_a_file_grow(tmp_path, monkeypatch):
    """Read through the descriptor (brief.theme): a read may give fewer bytes than asked
    before the file's end (a network disk, a signal), and a file may grow between being
    measured and read; either way the bytes are the file's, and a file grown past the limit
    is refused with its size."""
    path = tmp_path / "a.md"
    path.write_bytes(b"0123456789" * 3)
    real_read, real_fstat = os.read, os.fstat
    monkeypatch.setattr("brief.theme.os.read", lambda fd, size: real_read(fd, min(size, 4)))
    assert read_input(path, TEXT_LIMIT) == b"0123456789" * 3
    assert read_input(path, TEXT_LIMIT, head=11) == b"0123456789" + b"0"

    def measured_smaller(measure):  # (the file as it was when measured: 5 bytes)
        return lambda *args, **kwargs: os.stat_result((*(info := measure(*args, **kwargs))[:6], 5, *info[7:]))

    monkeypatch.setattr("brief.theme.os.fstat", measured_smaller(real_fstat))
    monkeypatch.setattr("brief.theme.os.stat", measured_smaller(os.stat))
    assert read_input(path, TEXT_LIMIT) == b"0123456789" * 3
    small = Limit(20, "an article", "split it")
    with pytest.raises(InputError, match=r"file is too large: .*\(21 bytes\), over the 0 MiB limit for an article"):
        read_input(path, small)
