"""Responsive images: smaller copies of local raster images, in WebP and their own format.

For a local PNG, JPEG or WebP image (a hero or an image in the text) the page offers
the browser several widths to choose from (``srcset`` and ``sizes``), in WebP inside a
``<picture>`` and in the image's own format for the ``<img>`` itself:

- widths: 480, 960 and 1600 px, each only when the original is wider; the original's own
  width is the largest candidate when it is 1600 px or narrower (the published original
  then serves the own-format candidate as it is, never re-encoded). Nothing is upscaled.
- the hero also gets a 1200-px-wide copy in its own format (or the original when that is
  narrower) for OpenGraph, Twitter cards and JSON-LD, which want JPEG or PNG of that size.
- the copies are published next to where the original is published, named
  ``<stem>-<width>w.<hash8>.<ext>`` (``chart-480w.1f2e3d4c.webp``): the hash stands for the
  original's bytes, the width, the format and the encoder settings, so a changed image
  gets new names (no stale copy in a browser or CDN cache) and two images never share one.
- SVG (any size), GIF and animated PNG/WebP (resizing would keep only the first frame),
  and https images are published as they are.

Encoded copies are kept in ``.brief-cache/images/`` beside brief.toml, by a digest of
the original's bytes, the width, the format, the encoder settings and Pillow's version,
with a small JSON note per original (its size, format, whether it is animated). A build
that finds every copy there neither decodes nor encodes anything; it only reads and
hashes the original. The folder may be deleted at any time (``--no-cache`` does not
touch it: its entries cannot be stale).

Encoding happens when an article's Markdown is rendered (in the main process, before
pages are rendered), and only for copies missing from the cache; the build cache then
keeps the rendered article, so an unchanged article does not even hash its images again.
A file brief cannot read (not an image, damaged, cut short, too large) is an
:class:`ImageError`, which the caller reports on the article, line and field.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import posixpath
import re
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from brief.digests import digest, file_stamp
from brief.media.imagesize import image_size
from brief.media.pixels import ImageError, open_image, oriented, pillow_version, profile, resized, save, sniff
from brief.settings import CACHE_DIR
from brief.theme import FILE_LIMIT, InputError, read_input

log = logging.getLogger(__name__)

WIDTHS = (480, 960, 1600)
"""Widths offered in ``srcset`` (each only when the original is wider)."""
SHARE_WIDTH = 1200
"""Width of the hero's copy for OpenGraph, Twitter and JSON-LD."""
HERO_SIZES = "(min-width: 60rem) 57rem, (min-width: 40em) calc(100vw - 3rem), 100vw"
"""How wide the default theme shows the hero: the whole viewport on a phone, the wide
column (at most about 902 px) from 40em."""
BODY_SIZES = "(min-width: 44rem) 41rem, calc(100vw - 2rem)"
"""How wide the default theme shows an image in the text: the text column (at most about
646 px), the viewport less the gutters on a phone."""

RESIZED_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
"""Files brief makes smaller copies of (by their name; the bytes must agree)."""
FOLDER = "images"
"""The image cache's folder inside the build cache folder (brief.config.CACHE_DIR)."""

_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
_EXT = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
_ENCODERS: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 80, "method": 4},
}
"""Pillow's save options per format. A WebP copy of a PNG at the PNG's own width is also
tried lossless, and the smaller of the two is kept: lossless wins on a flat chart, lossy on a
photo and on any resized image (resampling makes new colours)."""
SCHEME = "responsive-1"
"""Bump when the way copies are made changes in a way the settings above do not show."""
SETTINGS_KEY = repr((SCHEME, WIDTHS, SHARE_WIDTH, sorted((k, sorted(v.items())) for k, v in _ENCODERS.items())))
"""Everything besides an image's bytes that its copies and their names depend on."""

counts = {"decoded": 0, "encoded": 0}
"""Images decoded and copies encoded by this process (the tests count re-encodes)."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One published copy of an image (or the original standing in as one)."""

    path: str
    """Site path without the base path: ``/2026/10/slug/chart-480w.1f2e3d4c.webp``."""
    width: int
    height: int
    file: Path | None
    """The encoded copy in the image cache; None for the original (published anyway)."""


@dataclass(frozen=True, slots=True)
class Responsive:
    """A local raster image as a page offers it: its size, and its copies by format."""

    width: int
    height: int
    """Size of the original as shown (EXIF orientation applied), for width= and height=."""
    mime: str
    """MIME type of the original's format (the ``<img>``'s own candidates)."""
    own: tuple[Variant, ...]
    """Candidates in the original's format, narrowest first; the last is the ``src``."""
    webp: tuple[Variant, ...]
    """WebP candidates for a ``<source>``, narrowest first; empty when the original is WebP."""
    share: Variant | None = None
    """The copy for OpenGraph, Twitter and JSON-LD (heroes only)."""

    @property
    def src(self) -> Variant:
        return self.own[-1]

    def srcset(self, variants: tuple[Variant, ...], base_path: str) -> str:
        """A ``srcset`` value of ``variants`` with root-relative URLs (``base_path`` in front)."""
        return ", ".join(f"{variant_url(v, base_path)} {v.width}w" for v in variants)

    def copies(self) -> list[Variant]:
        """The encoded copies to publish (the original is published anyway)."""
        seen: dict[str, Variant] = {}
        for v in (*self.own, *self.webp, *((self.share,) if self.share else ())):
            if v.file is not None:
                seen.setdefault(v.path, v)
        return list(seen.values())


def variant_url(variant: Variant, base_path: str) -> str:
    """The root-relative URL of ``variant``, percent-encoded: a space or a comma in a file
    name would split a ``srcset`` candidate."""
    return base_path + quote(variant.path.lstrip("/"), safe="/!$&()*+;=:@~")


@dataclass(frozen=True, slots=True)
class _Info:
    content: str
    """Hex digest of the original's bytes."""
    width: int
    height: int
    format: str | None
    """"PNG", "JPEG" or "WEBP"; None for an image published as it is (GIF, animated)."""


class ImageStore:
    """Makes and keeps the copies of one site's images (``.brief-cache/images/``)."""

    def __init__(self, site_root: Path) -> None:
        self.folder = site_root / CACHE_DIR / FOLDER
        self._infos: dict[tuple[str, tuple[int, int, int] | None], _Info] = {}
        self._decoded: tuple[str, object] | None = None  # the last image decoded: (content, Pillow image)
        self._writable = True

    def prepare(self, source: Path, published: str, *, share: bool = False) -> Responsive | None:
        """The copies of ``source`` (published at site path ``published``), made now if the
        cache lacks them; None for a file published as it is (SVG, GIF, animated, other
        formats). Raises :class:`ImageError` for a PNG, JPEG or WebP file that cannot be read."""
        if source.suffix.lower() not in RESIZED_SUFFIXES:
            return None
        info = self._info(source)
        if info.format is None:
            return None
        try:
            return self._plan(source, info, published, share)
        finally:
            self._decoded = None  # never keep a decoded image past its article

    # --- reading ---------------------------------------------------------------------------

    def _info(self, source: Path) -> _Info:
        key = (str(source), file_stamp(source))
        known = self._infos.get(key)
        if known is not None:
            return known
        data = _read(source)
        kind = sniff(data)
        content = digest(data, SETTINGS_KEY).hex()
        if kind == "GIF":
            info = _Info(content, 0, 0, None)
        elif kind is None:
            raise ImageError("the file is not a PNG, JPEG or WebP image")
        else:
            info = self._read_note(content) or self._decode(data, kind, content)
        self._infos[key] = info
        return info

    def _read_note(self, content: str) -> _Info | None:
        try:
            note = json.loads((self.folder / f"{content}.json").read_text(encoding="utf-8"))
            return _Info(content, int(note["width"]), int(note["height"]), note["format"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _decode(self, data: bytes, kind: str, content: str) -> _Info:
        """Decode the whole image (which finds damaged and truncated files), note its size."""
        image = open_image(data, kind)
        counts["decoded"] += 1
        # A camera's JPEG may carry a second picture (MPO): the first is the photo.
        fmt = "JPEG" if image.format == "MPO" else image.format
        if fmt != "JPEG" and getattr(image, "n_frames", 1) > 1:
            fmt = None  # animated: resizing would keep only the first frame
        if fmt not in _MIME and fmt is not None:
            raise ImageError(f"the file is a {image.format} image, not PNG, JPEG or WebP")
        shown = oriented(image)
        info = _Info(content, shown.width, shown.height, fmt)
        if fmt is not None:
            self._decoded = (content, shown)
        self._write(f"{content}.json", json.dumps({"width": info.width, "height": info.height, "format": fmt}).encode())
        return info

    # --- the copies ------------------------------------------------------------------------

    def _plan(self, source: Path, info: _Info, published: str, share: bool) -> Responsive:
        assert info.format is not None
        folder, name = posixpath.split(published)
        stem = posixpath.splitext(name)[0]
        original = Variant(published, info.width, info.height, None)

        def copy(width: int, fmt: str) -> Variant:
            if width >= info.width and fmt == info.format:
                return original
            width = min(width, info.width)
            height = max(1, round(info.height * width / info.width))
            name_key = digest(info.content, str(width), fmt).hex()
            cached = f"{digest(name_key, pillow_version()).hex()}.{_EXT[fmt]}"
            file = self.folder / cached
            if not file.is_file():
                file = self._encode(source, info, width, height, fmt, cached)
            return Variant(f"{folder}/{stem}-{width}w.{name_key[:8]}.{_EXT[fmt]}", width, height, file)

        widths = [w for w in WIDTHS if w < info.width]
        if info.width <= WIDTHS[-1]:
            widths.append(info.width)
        own = tuple(copy(w, info.format) for w in widths)
        webp = tuple(copy(w, "WEBP") for w in widths) if info.format != "WEBP" else ()
        share_copy = copy(SHARE_WIDTH, info.format) if share else None
        return Responsive(info.width, info.height, _MIME[info.format], own, webp, share_copy)

    def _encode(self, source: Path, info: _Info, width: int, height: int, fmt: str, name: str) -> Path:
        """Make one copy and keep it in the cache as ``name``; returns where it is."""
        if self._decoded is None or self._decoded[0] != info.content:
            data = _read(source)
            if digest(data, SETTINGS_KEY).hex() != info.content:
                raise ImageError("the file changed while brief was reading it; build again")
            image = open_image(data, info.format)
            counts["decoded"] += 1
            self._decoded = (info.content, oriented(image))
        image = self._decoded[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on palettes and profiles are not the reader's business
            copy = resized(image, width, height, fmt)
            options = dict(_ENCODERS[fmt])
            icc = profile(image, fmt)
            if icc:
                options["icc_profile"] = icc
            data = save(copy, fmt, options)
            if fmt == "WEBP" and info.format == "PNG" and width == info.width:
                lossless = save(copy, fmt, {**options, "lossless": True})
                data = min(data, lossless, key=len)
        counts["encoded"] += 1
        return self._write(name, data)

    def _write(self, name: str, data: bytes) -> Path:
        """Put a file into the image cache atomically; a folder that cannot be written is
        replaced by a temporary one for the rest of this process."""
        for _ in range(2):
            tmp = None
            try:
                self._make_folder()
                fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                os.chmod(tmp, 0o644)  # mkstemp's 0600 would follow the copy into a preview or a test
                os.replace(tmp, self.folder / name)
                return self.folder / name
            except OSError as exc:
                if tmp is not None:
                    Path(tmp).unlink(missing_ok=True)
                if not self._writable:
                    raise ImageError(f"cannot keep its resized copies ({exc.strerror or exc})") from None
                log.info(
                    "Cannot write the image cache in %s (%s); using a temporary folder",
                    self.folder,
                    exc.strerror or exc,
                )
                self.folder = _temporary_folder()
                self._writable = False
        raise AssertionError("unreachable")

    def _make_folder(self) -> None:
        if self.folder.is_dir():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder.parent / ".gitignore"
        if self._writable and not ignore.exists():  # as brief.cache writes it
            ignore.write_text("# brief's build cache: safe to delete, never commit it\n*\n", encoding="utf-8")


KEEP_DAYS = 30
"""Copies no build has used for this long are removed from the image cache."""
USED_FILE = "used.json"


def prune_cache(site_root: Path, used: list[Path], now: float) -> int:
    """Record which cached copies this build used (``used``: files the build published,
    copies among them) and remove the copies no build has used for :data:`KEEP_DAYS` days
    (a copy never recorded counts from when it was made). The small notes on each original
    are kept. The record is its own file: touching the copies would change their stamps,
    on which the build cache depends. Returns how many copies were removed."""
    folder = site_root / CACHE_DIR / FOLDER
    if not folder.is_dir():
        return 0
    record = folder / USED_FILE
    try:
        last = {str(k): float(v) for k, v in json.loads(record.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        last = {}
    for path in used:
        if path.parent == folder:
            last[path.name] = now
    removed = 0
    for path in folder.iterdir():
        if path.suffix == ".json":
            continue
        try:
            seen = last.get(path.name) or path.stat().st_mtime
            if now - seen > (
                86400 if path.name.startswith(".tmp-") else KEEP_DAYS * 86400
            ):  # a killed build's leftover
                path.unlink()
                removed += 1
        except OSError:
            continue
    kept = {name: when for name, when in last.items() if (folder / name).exists()}
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(kept, handle, sort_keys=True)
        os.replace(tmp, record)
    except OSError:  # a read-only cache only forgets what it used
        pass
    return removed


_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.DOTALL)
_SVG_LENGTH = re.compile(rb"""\s(width|height)\s*=\s*["']\s*([0-9]*\.?[0-9]+)\s*(?:px)?\s*["']""")


def shown_size(source: Path) -> tuple[int, int] | None:
    """width= and height= for an image in the text that is published as it is: a GIF's
    pixels, an SVG's own width and height. An SVG with only a viewBox has none: it fills the
    text column, and numbers taken from its viewBox could shrink it to a few pixels."""
    if source.suffix.lower() != ".svg":
        return image_size(source)
    try:
        head = read_input(source, FILE_LIMIT, head=64 * 1024)
    except OSError:
        return None
    tag = _SVG_TAG.search(head)
    found = {name: float(value) for name, value in _SVG_LENGTH.findall(tag.group(0))} if tag else {}
    if found.get(b"width", 0) >= 1 and found.get(b"height", 0) >= 1:
        return round(found[b"width"]), round(found[b"height"])
    return None


def _read(source: Path) -> bytes:
    """An image's bytes: only a regular file, and one within :data:`~brief.theme.FILE_LIMIT`."""
    try:
        return read_input(source, FILE_LIMIT)
    except InputError as exc:
        raise ImageError(str(exc)) from None
    except OSError as exc:
        raise ImageError(f"cannot open the file ({exc.strerror or exc})") from None


_temporary: Path | None = None


def _temporary_folder() -> Path:
    global _temporary
    if _temporary is None:
        _temporary = Path(tempfile.mkdtemp(prefix="brief-images-"))
        atexit.register(shutil.rmtree, _temporary, True)
    return _temporary
