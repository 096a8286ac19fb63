"""Pillow at work for brief.media.images and brief.media.copies: telling formats by their
first bytes, reading headers and decoding with clear reasons when a file cannot be read,
turning by EXIF, resizing and encoding."""

from __future__ import annotations

import contextlib
import io
import warnings
from dataclasses import dataclass


class ImageError(Exception):
    """A local image brief cannot read; ``reason`` says why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def message(self, shown: str) -> str:
        """The problem's text, naming the file as ``shown`` (a path from the site folder)."""
        return (
            f"cannot read image {shown}: {self.reason} "
            "(expected a PNG, JPEG or WebP file that opens in an image viewer; GIF and SVG are published as they are)"
        )


def sniff(data: bytes) -> str | None:
    """The format by the file's first bytes."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    return None


@dataclass(frozen=True, slots=True)
class Header:
    """What an image file's first bytes say, without decoding its pixels."""

    format: str
    """Pillow's name for it ("PNG", "JPEG", "WEBP", "MPO" for a camera's JPEG, …)."""
    width: int
    height: int
    """As stored (before EXIF orientation)."""
    animated: bool
    orientation: int
    """EXIF orientation, 1 (as stored) to 8; quarter turns are 5 to 8."""

    @property
    def shown(self) -> tuple[int, int]:
        """The size as browsers show it (EXIF orientation applied)."""
        return (self.height, self.width) if self.orientation >= 5 else (self.width, self.height)


def read_header(data: bytes, kind: str) -> Header:
    """The header of the image in ``data`` (``kind``: the format its first bytes name), read
    without decoding its pixels; :class:`ImageError` when even that fails. A file whose pixels
    are damaged past the header passes here and fails in :func:`decode`."""
    with warnings.catch_warnings(), _reasons(kind):
        warnings.simplefilter("ignore")  # Pillow's notes on large or odd files are not the reader's business
        image = _open(data, kind)
        animated = getattr(image, "n_frames", 1) > 1
    if image.width < 1 or image.height < 1:
        raise ImageError("the image has no pixels")
    return Header(image.format or kind, image.width, image.height, animated, _orientation(image, data))


def decode(data: bytes, kind: str, at_least: tuple[int, int] | None = None):
    """The decoded image in ``data``, or :class:`ImageError` saying why not. With ``at_least``
    (a size as stored), a JPEG is decoded at the smallest of 1/1, 1/2, 1/4 or 1/8 of its size
    that is still that large (libjpeg scales while it decodes: far less work than decoding
    every pixel and resizing). Pillow's warnings are the caller's to silence: warnings.
    catch_warnings is not safe on threads."""
    with _reasons(kind):
        image = _open(data, kind)
        if at_least is not None and kind == "JPEG":
            image.draft(None, at_least)
        image.load()
    return image


def load_plugins() -> None:
    """Import Pillow's format plugins now: the first ``Image.open`` does it otherwise, and
    the image stage's threads would all be first at once."""
    from PIL import Image

    Image.init()


def _open(data: bytes, kind: str | None):
    from PIL import Image

    return Image.open(io.BytesIO(data), formats=[kind] if kind else None)


@contextlib.contextmanager
def _reasons(kind: str | None):
    """Pillow's exceptions while opening or decoding, as an :class:`ImageError` with a reason."""
    from PIL import Image, UnidentifiedImageError

    try:
        yield
    except UnidentifiedImageError:
        raise ImageError(
            f"the file is damaged (it starts as a {kind} image but cannot be decoded)"
            if kind
            else "the file is not a PNG, JPEG or WebP image"
        ) from None
    except Image.DecompressionBombError:
        raise ImageError(
            f"it is too large to process (more than {2 * (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000} megapixels)"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError, IndexError, TypeError) as exc:
        detail = str(exc).strip().rstrip(".") or type(exc).__name__
        if isinstance(exc, EOFError) or "truncated" in detail.lower():
            raise ImageError("the file is cut short (its end is missing)") from None
        raise ImageError(f"the file is damaged ({detail})") from None


def _orientation(image, data: bytes) -> int:
    """The EXIF orientation, read from the header: a PNG's eXIf chunk may follow its pixels,
    where Pillow would look only after decoding them, so its chunks are walked here."""
    from PIL import Image

    with contextlib.suppress(Exception):  # a damaged EXIF block only loses the turn
        if image.format == "PNG" and "exif" not in image.info:
            found = _png_chunk(data, b"eXIf")
            if found is None:
                return 1
            exif = Image.Exif()
            exif.load(b"Exif\x00\x00" + found)
        else:
            exif = image.getexif()
        value = exif.get(0x0112, 1)
        return value if isinstance(value, int) and 1 <= value <= 8 else 1
    return 1


def _png_chunk(data: bytes, name: bytes) -> bytes | None:
    at = 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        if kind == name:
            return data[at + 8 : at + 8 + length]
        if kind == b"IEND":
            return None
        at += 12 + length
    return None


_TURNS = {
    2: "FLIP_LEFT_RIGHT",
    3: "ROTATE_180",
    4: "FLIP_TOP_BOTTOM",
    5: "TRANSPOSE",
    6: "ROTATE_270",
    7: "TRANSVERSE",
    8: "ROTATE_90",
}
"""What each EXIF orientation asks for (as Pillow's ImageOps.exif_transpose does it)."""


def turned(image, orientation: int):
    """``image`` as its EXIF ``orientation`` says browsers show it (the orientation is read
    with the header, so the copies' sizes planned from it are the sizes made)."""
    from PIL import Image

    name = _TURNS.get(orientation)
    return image.transpose(Image.Transpose[name]) if name else image


def transparent(image) -> bool:
    """Whether ``image`` has transparent pixels to keep (a copy in JPEG drops them)."""
    return (
        image.mode in ("RGBA", "LA", "PA")
        or (image.mode == "P" and "transparency" in image.info)
        or image.info.get("transparency") is not None
    )


def resized(image, width: int, height: int, fmt: str):
    """``image`` at ``width`` × ``height`` in a mode ``fmt`` can store. Transparent images are
    resized premultiplied, so edges do not darken."""
    from PIL import Image

    alpha = transparent(image) and fmt != "JPEG"
    if alpha:
        work = image.convert("RGBA").convert("RGBa")
    elif image.mode in ("L", "RGB"):
        work = image
    else:
        work = image.convert("RGB")
    if (width, height) != work.size:
        work = work.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    if alpha:
        work = work.convert("RGBA")
    return work


def profile(image, fmt: str) -> bytes | None:
    """The original's colour profile, when the copy keeps its colour space: an RGB profile for
    RGB (and palette) images; a grey one only where grey is stored as grey (WebP stores RGB);
    none for CMYK, which the copies turn into RGB."""
    icc = image.info.get("icc_profile")
    if image.mode in ("RGB", "RGBA", "P", "PA") or (image.mode in ("L", "LA") and fmt != "WEBP"):
        return icc or None
    return None


def save(image, fmt: str, options: dict) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


_pillow: str | None = None


def pillow_version() -> str:
    """Pillow's version (a part of every cached copy's key: another encoder may encode otherwise)."""
    global _pillow
    if _pillow is None:
        import PIL

        _pillow = PIL.__version__
    return _pillow
