"""Image sizes read from file headers (hero <img> width/height)."""

from __future__ import annotations

import struct
import zlib

import pytest

from brief.media.imagesize import image_size


def png(w: int, h: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00\x00\x00" * w for _ in range(h))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def jpeg(w: int, h: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(64)
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + dqt + sof + b"\xff\xd9"


CASES = {
    "a.png": (png(7, 3), (7, 3)),
    "a.jpg": (jpeg(640, 480), (640, 480)),
    "a.gif": (b"GIF89a" + struct.pack("<HH", 12, 34) + bytes(10), (12, 34)),
    "a.webp": (
        b"RIFF" + bytes(4) + b"WEBPVP8X" + bytes(8) + (99).to_bytes(3, "little") + (49).to_bytes(3, "little"),
        (100, 50),
    ),
    "viewbox.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1200 675"></svg>', (1200, 675)),
    "sized.svg": (b'<?xml version="1.0"?>\n<svg width="300px" height="150" viewBox="0 0 10 5"/>', (300, 150)),
    "width-only.svg": (b'<svg width="600" viewBox="0 0 1200 675"/>', (600, 338)),
    "percent.svg": (b'<svg width="100%" height="100%"/>', None),
    "garbage.png": (b"\x89PNG\r\n\x1a\nnot really", None),
    "empty.jpg": (b"", None),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_image_size(tmp_path, name):
    data, expected = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    assert image_size(path) == expected


def test_missing_file_has_no_size(tmp_path):
    assert image_size(tmp_path / "nope.png") is None
