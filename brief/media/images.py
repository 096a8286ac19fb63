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
the original's bytes, the width, the format, the encoder settings and Pillow's version
(and, for an original that needs no copy, such as a small WebP image, a small JSON note
saying it decoded). A build that finds every copy there neither decodes nor encodes
anything; it only reads the original's header and hashes its bytes. The folder may be
deleted at any time (``--no-cache`` does not touch it: its entries cannot be stale).

Nothing is decoded while the Markdown is rendered: :meth:`ImageStore.plan` reads only the
original's header (format, size, EXIF orientation, animation) and its bytes' digest, which
are all the copies' names and sizes depend on, so a build that fails on its input says so
before any pixel is touched. Each page hands the images it uses (:class:`ImageUse`) to
:meth:`ImageStore.want`, and the build's image stage (:meth:`ImageStore.make`, after every
input was checked) makes the copies the cache lacks, on every core (brief.media.copies). A
file brief cannot read (not an image, damaged, cut short, too large) is an
:class:`ImageError`, which is reported on the article, line and field: from the header in
the Markdown pass, from the pixels in the image stage (every such image together, before
any page is written).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from brief.digests import RACY_SECONDS, digest, file_stamp
from brief.errors import Problem
from brief.media.copies import ENCODERS, LOSSLESS, CacheFolder, Job, make_copies, note, read_original
from brief.media.imagesize import image_size
from brief.media.pixels import ImageError, pillow_version, read_header, sniff
from brief.settings import CACHE_DIR
from brief.theme import FILE_LIMIT, read_input

Progress = Callable[[str, int, int], None]

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
_FORMAT = {"." + ext: fmt for fmt, ext in _EXT.items()}
SCHEME = "responsive-2"
"""Bump when the way copies are made changes in a way the settings do not show (2: JPEGs
decoded at a reduced scale, one resize per width for every format)."""
SETTINGS_KEY = repr(
    (SCHEME, WIDTHS, SHARE_WIDTH, sorted((k, sorted(v.items())) for k, v in ENCODERS.items()), sorted(LOSSLESS.items()))
)
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
    """The encoded copy in the image cache (made by the image stage); None for the original
    (published anyway)."""


@dataclass(frozen=True, slots=True)
class Original:
    """A local PNG, JPEG or WebP image as its header describes it: what the image stage needs
    to make its copies."""

    source: Path
    content: str
    """Hex digest of its bytes and :data:`SETTINGS_KEY` (the copies' names stand for it)."""
    format: str
    """"PNG", "JPEG" or "WEBP"."""
    width: int
    height: int
    """As shown (EXIF orientation applied)."""
    orientation: int


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
    original: Original
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


@dataclass(frozen=True, slots=True)
class ImageUse:
    """A page showing a local raster image: what the image stage makes for it, and where it
    reports the image when its pixels turn out not to decode."""

    image: Responsive
    relpath: str
    """The page's source file, from the site folder."""
    line: int | None
    field: str
    shown: str
    """The image's path as the problem names it (``content/pics/a.png``, ``static/images/b.jpg``)."""

    def problem(self, error: ImageError) -> Problem:
        return Problem(self.relpath, self.line, self.field, error.message(self.shown))


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
    orientation: int = 1


class ImageStore:
    """Plans the copies of one site's images, and makes those the image cache
    (``.brief-cache/images/``) lacks."""

    def __init__(self, site_root: Path) -> None:
        self.cache = CacheFolder(site_root / CACHE_DIR / FOLDER)
        self.folder = self.cache.path
        self._infos: dict[tuple[str, tuple[int, int, int] | None], _Info] = {}
        self._wanted: dict[str, tuple[Original, dict[Path, Variant], list[ImageUse]]] = {}

    def plan(self, source: Path, published: str, *, share: bool = False) -> Responsive | None:
        """The copies of ``source`` (published at site path ``published``), named and sized
        from its header, not yet made; None for a file published as it is (SVG, GIF,
        animated, other formats). Raises :class:`ImageError` for a PNG, JPEG or WebP file
        whose header cannot be read."""
        if source.suffix.lower() not in RESIZED_SUFFIXES:
            return None
        info = self._info(source)
        if info.format is None:
            return None
        return self._plan(source, info, published, share)

    def prepare(self, source: Path, published: str, *, share: bool = False) -> Responsive | None:
        """:meth:`plan`, and the copies made now (on this thread) when the cache lacks them;
        raises :class:`ImageError` for a file that cannot be read."""
        found = self.plan(source, published, share=share)
        if found is not None:
            job = self._job(found.original, {v.file: v for v in found.copies() if v.file is not None})
            if job is not None:
                (outcome,) = make_copies([job], SETTINGS_KEY, self.cache, 1)
                self._count([outcome])
                if outcome.error is not None:
                    raise outcome.error
        return found

    def want(self, uses: Iterable[ImageUse]) -> None:
        """Ask the image stage for the copies of every image in ``uses`` (each copy is made
        once, however many pages show it)."""
        for use in uses:
            original = use.image.original
            entry = self._wanted.setdefault(original.content, (original, {}, []))
            for variant in use.image.copies():
                assert variant.file is not None
                entry[1].setdefault(variant.file, variant)
            entry[2].append(use)

    def make(
        self, workers: int | None = None, progress: Progress | None = None, stamped: float | None = None
    ) -> list[Problem]:
        """The image stage: make every wanted copy the cache lacks (on ``workers`` threads; None:
        every core), and check the originals that need no copy. Returns a problem for each use of
        an image that does not decode, or whose copies cannot be kept. Copies are dated before
        ``stamped`` (when a cached build took its stamps), as the ledger is (ledger.write_ledger)."""
        self.cache.dated = None if stamped is None else stamped - RACY_SECONDS - 1
        wanted, self._wanted = list(self._wanted.values()), {}
        jobs: list[Job] = []
        uses: list[list[ImageUse]] = []
        for original, variants, its_uses in wanted:
            job = self._job(original, variants)
            if job is not None:
                jobs.append(job)
                uses.append(its_uses)
        outcomes = make_copies(jobs, SETTINGS_KEY, self.cache, workers, progress)
        self._count(outcomes)
        problems: dict[Problem, None] = {}
        for outcome, its_uses in zip(outcomes, uses):
            if outcome.error is not None:
                problems.update((use.problem(outcome.error), None) for use in its_uses)
        return list(problems)

    # --- reading ---------------------------------------------------------------------------

    def _info(self, source: Path) -> _Info:
        key = (str(source), file_stamp(source))
        known = self._infos.get(key)
        if known is not None:
            return known
        data = read_original(source)
        kind = sniff(data)
        content = digest(data, SETTINGS_KEY).hex()
        if kind == "GIF":
            info = _Info(content, 0, 0, None)
        elif kind is None:
            raise ImageError("the file is not a PNG, JPEG or WebP image")
        else:
            header = read_header(data, kind)
            # A camera's JPEG may carry a second picture (MPO): the first is the photo.
            fmt: str | None = "JPEG" if header.format == "MPO" else header.format
            if fmt != "JPEG" and header.animated:
                fmt = None  # animated: resizing would keep only the first frame
            if fmt not in _MIME and fmt is not None:
                raise ImageError(f"the file is a {header.format} image, not PNG, JPEG or WebP")
            info = _Info(content, *header.shown, fmt, header.orientation)
        self._infos[key] = info
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
            file = self.folder / f"{digest(name_key, pillow_version()).hex()}.{_EXT[fmt]}"
            return Variant(f"{folder}/{stem}-{width}w.{name_key[:8]}.{_EXT[fmt]}", width, height, file)

        widths = [w for w in WIDTHS if w < info.width]
        if info.width <= WIDTHS[-1]:
            widths.append(info.width)
        own = tuple(copy(w, info.format) for w in widths)
        webp = tuple(copy(w, "WEBP") for w in widths) if info.format != "WEBP" else ()
        share_copy = copy(SHARE_WIDTH, info.format) if share else None
        whole = Original(source, info.content, info.format, info.width, info.height, info.orientation)
        return Responsive(info.width, info.height, _MIME[info.format], own, webp, whole, share_copy)

    def _job(self, original: Original, variants: dict[Path, Variant]) -> Job | None:
        """What the image stage must do for ``original``: the ``variants`` the cache lacks,
        or, for an original with no copy at all, a check that it decodes (once: a note is kept)."""
        missing = tuple(
            (file, v.width, v.height, _FORMAT[file.suffix]) for file, v in variants.items() if not file.is_file()
        )
        kept = None
        if not variants:
            if (self.folder / f"{original.content}.json").is_file():
                return None
            kept = note(original.width, original.height, original.format)
        elif not missing:
            return None
        # Decoded at least as large as the widest copy it can ever have, whichever are missing.
        widest = min(original.width, max(WIDTHS[-1], SHARE_WIDTH))
        tall = max(1, round(original.height * widest / original.width))
        at = (tall, widest) if original.orientation >= 5 else (widest, tall)
        return Job(original.source, original.content, original.format, original.orientation, at, missing, kept)

    @staticmethod
    def _count(outcomes) -> None:
        for outcome in outcomes:
            counts["decoded"] += outcome.decoded
            counts["encoded"] += outcome.encoded


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
