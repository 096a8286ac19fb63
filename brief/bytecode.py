"""Compiled templates kept between runs of ``brief build`` (Jinja's bytecode cache, signed).

Compiling the theme's templates takes Jinja about 0.15 s, in every build. With the build
cache, the code of each compiled template is kept in ``.brief-cache/templates/``, one file
per template, and the next build loads it instead of compiling again. Jinja checks that
the template's source is the one the code was compiled from; loading the code runs it,
so each file is signed like the build cache (an HMAC-SHA256 with this user's key,
brief.manifest.signing_key) and a file whose signature does not match is ignored.

What a build compiles is written only when it succeeds (:meth:`SignedBytecode.flush`,
called as the cache is saved): a failing build leaves the cache folder as it was.
"""

from __future__ import annotations

import hmac
import logging
import os
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from brief.manifest import cache_folder, signing_key
from brief.settings import CACHE_DIR

log = logging.getLogger(__name__)

FOLDER = "templates"
_MAC = 32


class SignedBytecode(jinja2.BytecodeCache):
    """Jinja's bytecode cache in ``.brief-cache/templates/``, signed with ``key``."""

    def __init__(self, site_root: Path, key: bytes) -> None:
        self.site_root = site_root
        self.folder = site_root / CACHE_DIR / FOLDER
        self.key = key
        self.pending: dict[str, bytes] = {}
        self.used: set[str] = set()

    @classmethod
    def of_site(cls, site_root: Path) -> SignedBytecode | None:
        """The site's cache of compiled templates, or None without a cache key."""
        key = signing_key()
        return None if key is None else cls(site_root, key)

    def _sign(self, name: str, payload: bytes) -> bytes:
        return hmac.new(self.key, name.encode("ascii") + b"\n" + payload, "sha256").digest()

    def load_bytecode(self, bucket: Bucket) -> None:
        self.used.add(bucket.key)
        try:
            data = (self.folder / bucket.key).read_bytes()
        except OSError:
            return
        payload = data[_MAC:]
        if len(data) > _MAC and hmac.compare_digest(data[:_MAC], self._sign(bucket.key, payload)):
            bucket.bytecode_from_string(payload)  # (Jinja drops it when the source changed)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.used.add(bucket.key)
        self.pending[bucket.key] = bucket.bytecode_to_string()

    def clear(self) -> None:
        self.pending.clear()

    def flush(self) -> None:
        """Write what this build compiled, and remove the files of templates it did not
        use (renamed or deleted ones). A failure only costs the next build the compiling."""
        try:
            if self.pending:
                cache_folder(self.site_root)
                self.folder.mkdir(exist_ok=True)
            for name, payload in sorted(self.pending.items()):
                fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=self.folder)
                try:
                    with os.fdopen(fd, "wb") as out:
                        out.write(self._sign(name, payload) + payload)
                    os.replace(tmp, self.folder / name)
                except BaseException:
                    Path(tmp).unlink(missing_ok=True)
                    raise
            self.pending.clear()
            if self.folder.is_dir():
                for path in self.folder.iterdir():
                    if path.name not in self.used:
                        path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("Could not keep the compiled templates in %s: %s", self.folder, exc.strerror or exc)
