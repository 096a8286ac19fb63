"""Pillow at work for brief.media.images: telling formats by their first bytes, decoding with
clear reasons when a file cannot be read, turning by EXIF, resizing and encoding."""

from __future__ import annotations

import contextlib
import io
import warnings


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


def open_image(data: bytes, kind: str | None):
    """The decoded image (``kind``: the format its first bytes name), or :class:`ImageError`
    saying why not."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = Image.open(io.BytesIO(data), formats=[kind] if kind else None)
            image.load()
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
    if image.width < 1 or image.height < 1:
        raise ImageError("the image has no pixels")
    return image


def oriented(image):
    """``image`` turned as its EXIF orientation says (as browsers show it), in place."""
    from PIL import ImageOps

    with contextlib.suppress(Exception):  # a damaged EXIF block only loses the turn
        ImageOps.exif_transpose(image, in_place=True)
    return image


def resized(image, width: int, height: int, fmt: str):
    """``image`` at ``width`` × ``height`` in a mode ``fmt`` can store. Transparent images are
    resized premultiplied, so edges do not darken."""
    from PIL import Image

    alpha = (
        image.mode in ("RGBA", "LA", "PA")
        or (image.mode == "P" and "transparency" in image.info)
        or image.info.get("transparency") is not None
    )
    if fmt == "JPEG":
        alpha = False
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
