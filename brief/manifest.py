"""Is the last build still current? Answered from a small signed manifest, without building.

``brief build`` saves, beside its cache (brief.cache), a manifest of what the last
build read and wrote: the stamps of every input file, the stamps of every output
file, the settings' key and when the output next depends on the clock. When all of
that still holds, the build is skipped ("Up to date"). This module imports nothing
of the build itself, so the check costs milliseconds.

Both files are signed with an HMAC-SHA256 key that only this user on this machine
has (``~/.cache/brief/key``, or ``BRIEF_CACHE_KEY`` to share one between CI runs).

Beside them, ``last-build.json`` (:func:`record_build`, :func:`last_build`) says in plain
JSON when the last ``brief build`` was made and what changes next: ``brief schedule --due``
reads it to tell a cron job whether a scheduled change has come since. It is not signed:
it decides nothing but whether to build, and a missing or unreadable one means "build".
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import os
import pickle
import secrets
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

from brief import __version__
from brief.config import Config
from brief.digests import RACY_SECONDS, digest, file_stamp
from brief.settings import CACHE_DIR, CONFIG_NAME
from brief.stamps import Stamps, take_stamps, tree_files
from brief.theme import theme_dir, theme_templates_dir

log = logging.getLogger(__name__)

CACHE_FILE = "state.bin"
MANIFEST_FILE = "manifest.bin"
FORMAT = 35
"""Raised whenever what the cache holds changes shape (its classes moved in 4; articles
gained ``canonical`` and images ``hero`` in 5; standalone pages were cached with the articles
in 6; rendered articles keep the images they show, for the image stage, in 7; the large
tables pickled in batches in 8; the related part moved to brief.site.rescoring and keeps the
last scoring in 9; articles gained ``corrections`` and their rendered parts the notes' HTML
in 10; the last redirect plan, and term counts as one table, in 11; rendered parts keep their
digest in 12; the large tables in shard files (brief.cachefile), and page keys digested
without pickle's memo, in 13; term counts a row per article, in 14; rendered parts keep their
links and images as written, in 15; articles without their body, read again from the file
when needed (brief.content.bodies), in 16; the name of the spare output tree, in 17;
front-matter lines as a brief.content.linemap.LineMap, in 18; what parsing the templates
found, in 19; what page keys were kept by (brief.render.pagedeps), in 20, with each
article's related list apart, in 21; the related key terms' document frequencies, and
rows put in shards by CRC, in 22; the redirect plan's part of each article, in 23; each
file's key with its stamp, in 24; the related picks' key alone, the picks being the last
scoring's, in 25; the digests of the search index's kept parts, in 26, and the pages of its
result files, in 27; the redirect plan's ledger pickled apart, in 28; the related
scoring's snapshot pickled apart, in brief.site.relatedmemo, in 29; the redirect plan kept
by a key without headlines, in 30; the manifest in three parts, the inputs changed last named
in the first, in 32; the redirect plan kept with the paths taken and those it looked up, in
33, with each article's part of its key in order, to extend it by new articles, in 34, and
the ledger lines its warnings name, in 35): an older cache is then ignored, with a warning,
and rebuilt."""
MAGIC = b"brief-cache\n"
LAST_BUILD_FILE = "last-build.json"


def cache_key(config_bytes: bytes, *options: str) -> bytes:
    """The key of a whole cache: brief.toml's bytes, brief's version, the build options."""
    return digest(config_bytes, __version__, *options)


def site_key(config: Config, drafts: bool, future: bool, link_check: bool = True) -> bytes:
    """The cache key of a build of ``config`` with these options."""
    try:
        toml = (config.root / CONFIG_NAME).read_bytes()
    except OSError:
        toml = b""
    return cache_key(toml, config.base_url, f"drafts={drafts}", f"future={future}", f"links={link_check}")


def input_folders(config: Config) -> list[Path]:
    """Every folder whose files a build of ``config`` may read (besides brief.toml)."""
    return [config.content_dir, config.templates_dir, config.static_dir, theme_templates_dir(), theme_dir() / "static"]


def format_header() -> bytes:
    return f"format={FORMAT} brief={__version__} python={sys.version_info[0]}.{sys.version_info[1]}".encode()


_key: bytes | None = None


def signing_key() -> bytes | None:
    """This user's cache key: BRIEF_CACHE_KEY, else ~/.cache/brief/key (made on first use)."""
    global _key
    given = os.environ.get("BRIEF_CACHE_KEY")
    if given:
        return hashlib.sha256(given.encode()).digest()
    if _key is not None:
        return _key
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "brief"
    path = base / "key"
    try:
        _key = path.read_bytes()
        if len(_key) >= 32:
            return _key
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(secrets.token_bytes(32))
        _key = path.read_bytes()
    except OSError as exc:
        log.info("No build cache: cannot keep a cache key in %s (%s)", base, exc.strerror or exc)
        return None
    return _key


# --- "nothing changed" -----------------------------------------------------------------------


class NotSigned(Exception):
    """A cache file that is not this version's or whose signature does not hold; the message says why."""


def signed_start(blob: bytes, known: bool = False) -> int:
    """Where the signed part of a cache file's bytes starts (the main file, the manifest:
    brief.cachefile.write_signed), once checked: its header (this version's) and, unless it
    is ``known`` to hold, its signature. Raises :class:`NotSigned`."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 4 + 32:
        raise NotSigned("not a brief cache file")
    at = len(MAGIC)
    size = int.from_bytes(blob[at : at + 4], "little")
    header = bytes(blob[at + 4 : at + 4 + size])
    if header != format_header():
        raise NotSigned(f"written by another version ({header.decode('ascii', 'replace')[:80]})")
    key = signing_key()
    if key is None:
        raise NotSigned("no cache key")
    if not known:
        mac = hmac.new(key, header, "sha256")
        mac.update(memoryview(blob)[at + 4 + size : -32])
        if not hmac.compare_digest(blob[-32:], mac.digest()):
            raise NotSigned("its signature does not match (corrupted, or written by another user or machine)")
    return at + 4 + size


class Manifest:
    """A manifest as :meth:`brief.cache.BuildCache.save` writes it, signature checked: its
    first part (the settings' key, the folders, when the output next depends on the clock,
    the :data:`~brief.stamps.RECENT` inputs, …) read at once, then, each read when first
    asked for, the stamps of every input and of every output (a build after an edit often
    needs neither: 10,000 articles' take 8 ms to read)."""

    def __init__(self, head: dict, rest: io.BytesIO) -> None:
        self.head = head
        self._rest = rest
        self._inputs: dict | None = None
        self._outputs: dict | None = None

    @classmethod
    def read(cls, path: Path) -> Manifest | None:
        """The manifest at ``path`` when it is there, of this version and signed with this user's
        key; else None. Raises ValueError (and the like) for a signed file that does not unpickle."""
        try:
            blob = path.read_bytes()
            start = signed_start(blob)
        except (OSError, NotSigned):
            return None
        rest = io.BytesIO(blob)  # (shares the bytes; each part read ends at its pickle's end)
        rest.seek(start)
        head = pickle.load(rest)
        return cls(head, rest) if isinstance(head, dict) else None

    def inputs(self) -> dict:
        """Path → stamp of every file the build could read (brief.stamps.snapshot, and the
        files outside the input folders that it read)."""
        if self._inputs is None:
            self._inputs = pickle.load(self._rest)
        return self._inputs

    def outputs(self) -> dict:
        """Output path → stamp of every file the build left in its output folder."""
        if self._outputs is None:
            self.inputs()
            self._outputs = pickle.load(self._rest)
        return self._outputs


def read_manifest(path: Path) -> dict | None:
    """The manifest a build's cache saved at ``path`` as one dict (its first part's keys, and
    ``inputs`` and ``outputs``), when it is there, of this version and signed with this
    user's key; else None."""
    try:
        found = Manifest.read(path)
        if found is None:
            return None
        manifest = {**found.head, "inputs": found.inputs(), "outputs": found.outputs()}
    except Exception:  # noqa: BLE001
        return None
    return manifest if isinstance(manifest["inputs"], dict) and isinstance(manifest["outputs"], dict) else None


class Check(NamedTuple):
    """What :func:`up_to_date` found."""

    unchanged: int | None
    """The number of files in the output, when it is up to date; None when a build is needed."""
    stamps: Stamps | None = None
    """The stamps of every input file, when the check took them all (it walked the input
    folders): the build that follows records these, taken before it read any file."""


def up_to_date(site_root: Path, key: bytes, output: Path, folders: list[Path], now: float) -> Check:
    """Whether the last build in ``output`` came from exactly the files that are there now,
    with the same settings, and nothing in it depends on a clock that has moved since. Reads
    only the small manifest, and stops at the first difference: the inputs changed last
    (:data:`~brief.stamps.RECENT`) are looked at first, then every input as the folders are
    walked (the walk then goes on to the end: the build records every input's stamp)."""
    try:
        found = Manifest.read(site_root / CACHE_DIR / MANIFEST_FILE)
        return _unchanged(found, site_root, key, output, folders, now) if found is not None else Check(None)
    except Exception:  # noqa: BLE001 - a signed but unreadable manifest only means "build"
        return Check(None)


def _unchanged(found: Manifest, site_root: Path, key: bytes, output: Path, folders: list[Path], now: float) -> Check:
    head = found.head
    if head["key"] != key or head["root"] != str(site_root) or head["output"] != str(output):
        return Check(None)
    if now >= head["next_change"]:
        return Check(None)
    if any(file_stamp(path) != stamp for path, stamp in head["recent"].items()):
        return Check(None)
    recorded = found.inputs()
    stamps = take_stamps(folders)  # (all of them, even past a difference: the build records them)
    inputs = dict(stamps.files)
    for extra in head["extra"]:
        extra_stamp = file_stamp(Path(extra))
        if extra_stamp is not None:
            inputs[extra] = extra_stamp
    if inputs != recorded:
        return Check(None, stamps)
    if any(stamp[0] / 1e9 > head["inputs_time"] - RACY_SECONDS for stamp in inputs.values()):
        return Check(None, stamps)  # changed too close to the last build for its stamp to be trusted
    outputs = found.outputs()
    present = _present(output, outputs)
    return Check(present if present == len(outputs) else None, stamps)


def _present(output: Path, outputs: dict[str, tuple[int, int, int]]) -> int:
    """How many files ``output`` holds, each with the stamp ``outputs`` records for its path
    (-1 at the first that has another or none, or at a folder that cannot be listed), as
    ``os.walk`` finds them: folders followed but for linked ones, files' links followed."""
    if not os.path.isdir(output):
        return 0
    present = 0
    try:
        for rel, entry in tree_files(str(output), linked_folders_skipped=True):
            info = entry.stat()
            if outputs.get(rel) != (info.st_mtime_ns, info.st_size, info.st_ino):
                return -1
            present += 1
    except OSError:
        return -1
    return present


# --- the last build, for brief schedule --due -------------------------------------------------


def cache_folder(site_root: Path) -> Path:
    """``.brief-cache/`` of the site, made (with its own .gitignore) when missing. Raises OSError."""
    folder = site_root / CACHE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# brief's build cache: safe to delete, never commit it\n*\n", encoding="utf-8")
    return folder


def record_build(site_root: Path, record: dict) -> None:
    """Write ``record`` (JSON) as ``.brief-cache/last-build.json``, atomically; a failure is
    logged and only means that the next ``brief schedule --due`` answers "due"."""
    tmp = None
    try:
        folder = cache_folder(site_root)
        fd, tmp = tempfile.mkstemp(prefix=".last-build-", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False, indent=2)
            out.write("\n")
        os.replace(tmp, folder / LAST_BUILD_FILE)
        tmp = None
    except OSError as exc:
        log.warning("Could not record the build in %s: %s", site_root / CACHE_DIR, exc.strerror or exc)
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def last_build(site_root: Path) -> dict | None:
    """What :func:`record_build` wrote last, or None when there is none or it is not a JSON object."""
    try:
        record = json.loads((site_root / CACHE_DIR / LAST_BUILD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
