"""The build cache: what one build keeps so that the next one redoes only what changed.

One mechanism with two homes: ``brief serve`` keeps a :class:`BuildCache` in memory
between rebuilds, and ``brief build`` loads it from ``.brief-cache/`` beside the site
and saves it after each successful build. Everything in it is keyed by content
(BLAKE2b digests), never by time or object identity:

- ``sources``: an article file's parse and validation, by its path and bytes;
- ``parts``: an article's rendered Markdown, with the facts it depended on (the URL
  or state of every article it links to, the stamp of every image it shows);
- ``tokens``: an article's term counts for related-article scoring;
- ``related``: the automatic suggestions, by a digest of all their inputs;
- ``outputs``: for each output file, the digest of the data it was made from, and
  (on disk) the stamp of the file in the output folder, or (in memory) its bytes.

brief.toml, the brief version and the Python version are part of the key of the
whole cache: when one changes, nothing in it is used.

On disk the cache is a pickle, and unpickling runs code, so it is signed: an
HMAC-SHA256 with a key that only this user on this machine has (``~/.cache/brief/key``,
or ``BRIEF_CACHE_KEY`` to share one between CI runs). A cache that is truncated,
corrupted, written by another user, machine or version, or for another site folder
is ignored (and rebuilt), never trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import pickle
import secrets
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brief import __version__
from brief.digests import digest, file_stamp
from brief.config import CONFIG_NAME, Config

log = logging.getLogger(__name__)

CACHE_DIR = ".brief-cache"
CACHE_FILE = "state.bin"
MANIFEST_FILE = "manifest.bin"
FORMAT = 3
_MAGIC = b"brief-cache\n"
_RACY_SECONDS = 2.0
"""A file changed this close to when its digest was taken may change again with the same
stamp (coarse file-system clocks): its bytes are hashed again next time."""


@dataclass
class BuildCache:
    """What a build keeps for the next one (see the module docstring)."""

    key: bytes = b""
    """Digest of brief.toml, brief's version and the build options: the cache applies only
    while it is the same."""
    root: str = ""
    output: str = ""
    """The output folder the ``outputs`` stamps describe ("" in memory)."""
    stamps: dict[str, tuple[tuple[int, int, int], bytes, float]] = field(default_factory=dict)
    """Source path → (stamp, digest of its bytes, when the digest was taken)."""
    sources: dict[bytes, Any] = field(default_factory=dict)
    parts: dict[bytes, Any] = field(default_factory=dict)
    tokens: dict[bytes, tuple[str, bytes]] = field(default_factory=dict)
    related: tuple[bytes, dict[str, tuple[str, ...]]] | None = None
    outputs: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    """Output path → (digest of its data, its stamp on disk or its bytes in memory)."""
    inputs: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """Stamp of every file the last build could read (see :func:`snapshot`), taken before it read them."""
    inputs_time: float = 0.0
    extra_inputs: tuple[str, ...] = ()
    """Files outside those folders that the last build read (images next to articles)."""
    next_change: float = 0.0
    """When the output of the last build starts to depend on the clock again (a scheduled
    article comes due, an article leaves the news sitemap, a new day for related scoring)."""
    memo: dict = field(default_factory=dict, repr=False)
    """In-memory only (never saved): compiled templates, feeds, metadata of the last build."""
    used: set = field(default_factory=set, repr=False)
    """Keys of ``sources``/``parts``/``tokens`` this build used; the rest is dropped on save."""

    def reset(self, key: bytes, root: str, output: str) -> None:
        """Start a build: keep what applies to ``key``, ``root`` and ``output``, drop the rest."""
        if key != self.key or root != self.root:
            self.sources.clear()
            self.parts.clear()
            self.tokens.clear()
            self.related = None
            self.outputs.clear()
            self.memo.clear()
        if output != self.output:
            self.outputs.clear()
        self.key, self.root, self.output = key, root, output
        self.used = set()

    def file_digest(self, path: Path, data: bytes | None = None) -> tuple[bytes, bytes | None]:
        """Digest of a source file's bytes, and the bytes when they had to be read.

        The stamp of the file stands in for its bytes while it is unchanged and old enough
        to be trusted; otherwise the file is read and hashed."""
        key = str(path)
        stamp = file_stamp(path)
        known = self.stamps.get(key)
        if data is None and stamp is not None and known is not None and known[0] == stamp \
                and known[2] - stamp[0] / 1e9 > _RACY_SECONDS:
            return known[1], None
        if data is None:
            try:
                data = path.read_bytes()
            except OSError:
                self.stamps.pop(key, None)
                return b"", None
        value = digest(data)
        if stamp is not None:
            import time

            self.stamps[key] = (stamp, value, time.time())
        return value, data

    def forget(self, path: Path) -> None:
        """Drop what is known of one file's stamp (a watcher saw it change)."""
        self.stamps.pop(str(path), None)

    def prune(self) -> None:
        """Forget the entries this build did not use (deleted or changed files)."""
        for table in (self.sources, self.parts, self.tokens):
            for key in table.keys() - self.used:
                del table[key]

    # --- on disk ------------------------------------------------------------------------------

    @classmethod
    def load(cls, site_root: Path) -> BuildCache:
        """The cache saved beside ``site_root``, or an empty one (with a note why) when there is
        none or it cannot be trusted."""
        path = site_root / CACHE_DIR / CACHE_FILE
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            return cls()
        except OSError as exc:
            log.warning("Ignoring the build cache: cannot read %s (%s)", path, exc.strerror or exc)
            return cls()
        reason, cache = _open(blob, site_root)
        if cache is None:
            log.warning("Ignoring the build cache in %s: %s; building without it", path.parent, reason)
            return cls()
        return cache

    def save(self, site_root: Path) -> None:
        """Write the cache beside ``site_root`` (atomically; a failure only costs speed). It is
        pickled straight into the file, signature last, so saving needs little extra memory."""
        key = _secret()
        if key is None:
            return
        folder = site_root / CACHE_DIR
        memo, used = self.memo, self.used
        self.memo, self.used = {}, set()
        header = _header()
        tmp = None
        try:
            folder.mkdir(exist_ok=True)
            ignore = folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# brief's build cache: safe to delete, never commit it\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(prefix=".state-", dir=folder)
            with os.fdopen(fd, "wb") as raw:
                signed = _SigningWriter(raw, hmac.new(key, header, "sha256"))
                raw.write(_MAGIC + len(header).to_bytes(4, "little") + header)
                pickle.dump(self, signed, protocol=pickle.HIGHEST_PROTOCOL)
                raw.write(signed.mac.digest())
            os.replace(tmp, folder / CACHE_FILE)
            tmp = None
            manifest = {"key": self.key, "root": self.root, "output": self.output, "inputs": self.inputs,
                        "extra": self.extra_inputs,
                        "inputs_time": self.inputs_time, "next_change": self.next_change,
                        "outputs": {rel: entry[1] for rel, entry in self.outputs.items()}}
            payload = pickle.dumps(manifest, protocol=pickle.HIGHEST_PROTOCOL)
            fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=folder)
            with os.fdopen(fd, "wb") as raw:
                raw.write(_MAGIC + len(header).to_bytes(4, "little") + header + payload
                          + hmac.new(key, header + payload, "sha256").digest())
            os.replace(tmp, folder / MANIFEST_FILE)
            tmp = None
        except OSError as exc:
            log.warning("Could not save the build cache in %s: %s", folder, exc.strerror or exc)
        finally:
            self.memo, self.used = memo, used
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


class _SigningWriter:
    """A file object that signs everything written through it."""

    def __init__(self, raw, mac) -> None:
        self.raw = raw
        self.mac = mac

    def write(self, data) -> int:
        self.mac.update(data)
        return self.raw.write(data)


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
    from brief.theme import theme_dir, theme_templates_dir

    return [config.content_dir, config.templates_dir, config.static_dir, theme_templates_dir(), theme_dir() / "static"]


def _header() -> bytes:
    return f"format={FORMAT} brief={__version__} python={sys.version_info[0]}.{sys.version_info[1]}".encode()


def _open(blob: bytes, site_root: Path) -> tuple[str, BuildCache | None]:
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + 4 + 32:
        return "not a brief cache file", None
    at = len(_MAGIC)
    size = int.from_bytes(blob[at:at + 4], "little")
    header = bytes(blob[at + 4:at + 4 + size])
    payload = memoryview(blob)[at + 4 + size:-32]
    signature = blob[-32:]
    if header != _header():
        return f"written by another version ({header.decode('ascii', 'replace')[:80]})", None
    key = _secret()
    if key is None:
        return "no cache key", None
    mac = hmac.new(key, header, "sha256")
    mac.update(payload)
    if not hmac.compare_digest(signature, mac.digest()):
        return "its signature does not match (corrupted, or written by another user or machine)", None
    return _unpickle(payload, site_root)


def _unpickle(payload, site_root: Path) -> tuple[str, BuildCache | None]:
    try:
        cache = pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001 - a signed but unreadable cache is still only a cache
        return f"cannot read it ({type(exc).__name__})", None
    if not isinstance(cache, BuildCache):
        return "unexpected contents", None
    if cache.root != str(site_root):
        return f"it belongs to another site folder ({cache.root})", None
    cache.memo, cache.used = {}, set()
    return "", cache


_key: bytes | None = None


def _secret() -> bytes | None:
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

def snapshot(folders: list[Path]) -> dict[str, tuple[int, int, int]]:
    """Stamp of every file under ``folders`` (symlinked folders followed once each)."""
    found: dict[str, tuple[int, int, int]] = {}
    seen: set[str] = set()
    for folder in folders:
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            real = os.path.realpath(dirpath)
            if real in seen:
                dirnames[:] = []
                continue
            seen.add(real)
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                found[path] = (info.st_mtime_ns, info.st_size, info.st_ino)
    return found


def up_to_date(site_root: Path, key: bytes, output: Path, folders: list[Path], now: float) -> int | None:
    """The number of files in ``output`` when the last build there came from exactly the files
    that are there now, with the same settings, and nothing in it depends on a clock that has
    moved since; None when a build is needed. Reads only the small manifest."""
    path = site_root / CACHE_DIR / MANIFEST_FILE
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + 4 + 32:
        return None
    at = len(_MAGIC)
    size = int.from_bytes(blob[at:at + 4], "little")
    header = blob[at + 4:at + 4 + size]
    payload, signature = blob[at + 4 + size:-32], blob[-32:]
    secret = _secret()
    if header != _header() or secret is None or not hmac.compare_digest(
            signature, hmac.new(secret, header + payload, "sha256").digest()):
        return None
    try:
        manifest = pickle.loads(payload)
    except Exception:  # noqa: BLE001
        return None
    if manifest["key"] != key or manifest["root"] != str(site_root) or manifest["output"] != str(output):
        return None
    if now >= manifest["next_change"]:
        return None
    inputs = snapshot(folders)
    for extra in manifest["extra"]:
        stamp = file_stamp(Path(extra))
        if stamp is not None:
            inputs[extra] = stamp
    if inputs != manifest["inputs"]:
        return None
    if any(stamp[0] / 1e9 > manifest["inputs_time"] - _RACY_SECONDS for stamp in inputs.values()):
        return None  # changed too close to the last build for its stamp to be trusted
    outputs = manifest["outputs"]
    present = 0
    for dirpath, _, filenames in os.walk(output):
        for name in filenames:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, output).replace(os.sep, "/")
            try:
                info = os.stat(full)
            except OSError:
                return None
            if outputs.get(rel) != (info.st_mtime_ns, info.st_size, info.st_ino):
                return None
            present += 1
    return present if present == len(outputs) else None
