"""Saves that arrive in two steps do not flash an error in ``brief serve``.

vim (by default) renames the file away, then writes the new one; other editors truncate
it, then write. For a moment the article is missing or empty: a rebuild then would report
a broken link, a missing related article or an empty file, and show a 404 for its page.
The preview re-checks such a file for a moment (rebuild.SETTLE) before building. A file
that stays deleted is still reported.
"""

from __future__ import annotations

import os
import threading
import time

import pytest
from helpers import article, make_site
from test_serve import EventStreams, get

A_URL = "/2024/01/a/"
B_URL = "/2024/01/b/"


def linked_site(tmp_path):
    return make_site(
        tmp_path,
        {
            "content/a.md": article("FIRST-VERSION of the article.\n", title="Alpha", slug="a"),
            # b needs a: a link to its file and a related entry. Without a, b is an error.
            "content/b.md": article("See [the other one](a.md).\n", title="Beta", slug="b", related=["a"]),
        },
        config="search = false\n",
    )


class Poller:
    """GETs pages every 20 ms on its own thread and keeps every status it got."""

    def __init__(self, port: int, paths: list[str]) -> None:
        self.port, self.paths = port, paths
        self.seen: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for path in self.paths:
                self.seen.append((path, get(self.port, path)[0]))
            time.sleep(0.02)

    def stop(self) -> list[tuple[str, int]]:
        self._stop.set()
        self._thread.join(5)
        return self.seen


def two_step_save(path, text: str, pause: float, how: str) -> None:
    if how == "rename":  # vim: the original becomes the backup, a new file is written
        backup = path.with_name(path.name + "~")
        os.rename(path, backup)
        time.sleep(pause)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        backup.unlink()
    else:  # truncate, then write
        with open(path, "r+", encoding="utf-8") as f:
            f.truncate(0)
            f.flush()
            os.fsync(f.fileno())
            time.sleep(pause)
            f.write(text)


@pytest.mark.slow
@pytest.mark.parametrize(("pause", "how"), [(0.1, "rename"), (0.2, "rename"), (0.15, "truncate")])
def test_a_two_step_save_shows_no_error(tmp_path, start_server, pause, how):
    site = linked_site(tmp_path)
    server = start_server(site)
    streams = EventStreams(server.port, 1)
    poller = None
    try:
        streams.wait_all(lambda names: names[:1] == ["hello"], 10, "hello")
        poller = Poller(server.port, [A_URL, B_URL])
        time.sleep(0.1)
        done, before = server.rebuilds(), len(server.lines)
        two_step_save(site / "content" / "a.md", article("SECOND-VERSION.\n", title="Alpha", slug="a"), pause, how)
        server.wait_rebuilds(done, timeout=10)
        deadline = time.monotonic() + 10
        while b"SECOND-VERSION" not in get(server.port, A_URL)[2]:
            assert time.monotonic() < deadline, server.stderr
            time.sleep(0.05)
        time.sleep(1.0)  # a late error would have come by now
        seen = poller.stop()
    finally:
        streams.close()
        if poller is not None:
            poller.stop()
    names = streams.names(0)
    assert "problems" not in names, (names, server.stderr)
    assert "reload" in names, names
    after = server.lines[before:]
    assert not [line for line in after if "Error" in line or "a.md" in line or "b.md" in line], server.stderr
    assert {status for _, status in seen} == {200}, [s for s in seen if s[1] != 200][:5]
    assert len(seen) > 20


def test_a_file_that_stays_deleted_is_still_reported(tmp_path, start_server):
    site = linked_site(tmp_path)
    server = start_server(site)
    streams = EventStreams(server.port, 1)
    try:
        streams.wait_all(lambda names: names[:1] == ["hello"], 10, "hello")
        started = time.monotonic()
        (site / "content" / "a.md").unlink()
        streams.wait_all(lambda names: "problems" in names, 10, "the problems")
        elapsed = time.monotonic() - started
    finally:
        streams.close()
    server.wait_for(r"content/b\.md:\d+: .*a\.md", timeout=5)
    assert 0.3 <= elapsed < 3, f"reported after {elapsed:.2f} s (expected after the 0.3 s settle, soon after)"
