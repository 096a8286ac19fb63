"""Images and static files that are not regular files (issue #14, part A): every reader in
brief.media refuses a FIFO, a socket or a device, or a file over the size limit, at once.

A build lists static files and checks heroes before it reads them (tests/content/
test_special_files.py); these readers are what is left when a file changes into a FIFO
after that. Each call runs on a thread joined with a timeout, so a regression fails
instead of hanging: reading a FIFO with no writer blocks forever.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from brief.media.assets import fingerprinted
from brief.media.images import ImageStore, shown_size
from brief.media.imagesize import image_size
from brief.media.pixels import ImageError
from brief.theme import FILE_LIMIT

TIMEOUT = 20
FIFO = "not a regular file (a FIFO, or named pipe); brief reads only regular files"


def within(call: Callable[[], object]) -> object:
    """What ``call`` returns or raises, on a thread; fails when it is still running after TIMEOUT."""
    found: list[object] = []

    def run() -> None:
        try:
            found.append(call())
        except Exception as exc:  # handed to the test
            found.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert not thread.is_alive(), "a reader blocked on a special file"
    return found[0]


@pytest.fixture
def fifos(tmp_path) -> dict[str, Path]:
    found = {}
    for name in ("chart.png", "chart.svg", "brief.css"):
        os.mkfifo(tmp_path / name)
        found[name] = tmp_path / name
    return found


def test_image_size_of_a_fifo_is_unknown(fifos):
    assert within(lambda: image_size(fifos["chart.png"])) is None


def test_shown_size_of_a_fifo_is_unknown(fifos):
    assert within(lambda: shown_size(fifos["chart.svg"])) is None


def test_resizing_a_fifo_is_an_image_error_naming_what_it_is(tmp_path, fifos):
    error = within(lambda: ImageStore(tmp_path).prepare(fifos["chart.png"], "/chart.png"))
    assert isinstance(error, ImageError), error
    assert error.message("content/chart.png") == (
        f"cannot read image content/chart.png: {FIFO} "
        "(expected a PNG, JPEG or WebP file that opens in an image viewer; GIF and SVG are published as they are)"
    )


def test_an_image_over_the_limit_is_not_read(tmp_path):
    big = tmp_path / "big.png"
    with big.open("wb") as handle:
        handle.truncate(FILE_LIMIT.size + 1)  # sparse: nothing is written
    error = within(lambda: ImageStore(tmp_path).prepare(big, "/big.png"))
    assert isinstance(error, ImageError), error
    assert error.reason.startswith("file is too large: 256.0 MiB (268,435,457 bytes), over the 256 MiB limit")


def test_a_stylesheet_that_is_a_fifo_gets_no_hashed_name(tmp_path, fifos):
    (tmp_path / "site.css").write_text("p {}\n", encoding="utf-8")
    names = within(lambda: fingerprinted({"css/brief.css": fifos["brief.css"], "css/site.css": tmp_path / "site.css"}))
    assert isinstance(names, dict) and set(names) == {"css/site.css"}, names
