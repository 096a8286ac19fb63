"""Intrinsic size of an image file, read from its header.

Pages give the hero ``<img>`` its width and height so the browser reserves the
space before the file arrives (no layout shift). Only the first bytes of the
file are read; an unknown or damaged file simply has no size.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from brief.theme import FILE_LIMIT, read_input

_HEAD = 64 * 1024
_SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def image_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in CSS pixels, or None when the format or file is not understood."""
    try:
        head = read_input(path, FILE_LIMIT, head=_HEAD)
    except OSError:  # InputError too: a FIFO or a device has no size
        return None
    for reader in (_png, _gif, _webp, _jpeg, _svg):
        try:
            size = reader(head)
        except (struct.error, ValueError, IndexError):
            size = None
        if size and size[0] > 0 and size[1] > 0:
            return size
    return None


def _png(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    return None


def _gif(data: bytes) -> tuple[int, int] | None:
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", data[6:10])
    return None


def _webp(data: bytes) -> tuple[int, int] | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    chunk = data[12:16]
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def _jpeg(data: bytes) -> tuple[int, int] | None:
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        # Start-of-frame markers hold the size; 0xC4, 0xC8 and 0xCC are not frames.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return w, h
        i += 2 + length
    return None


def _svg(data: bytes) -> tuple[int, int] | None:
    text = data.decode("utf-8", errors="replace")
    tag = re.search(r"<svg\b[^>]*>", text, re.S)
    if not tag:
        return None
    attrs = dict(re.findall(r'([\w:-]+)\s*=\s*["\']([^"\']*)["\']', tag.group(0)))
    width, height = _svg_length(attrs.get("width")), _svg_length(attrs.get("height"))
    box = [float(v) for v in re.split(r"[\s,]+", attrs.get("viewBox", "").strip()) if v] if "viewBox" in attrs else []
    if width and height:
        return round(width), round(height)
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        if width:
            return round(width), round(width * box[3] / box[2])
        return round(box[2]), round(box[3])
    return None


def _svg_length(value: str | None) -> float | None:
    match = _SVG_LENGTH.match(value or "")
    return float(match.group(1)) if match else None
