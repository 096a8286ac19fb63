"""Compiled templates kept between runs of ``brief build`` (Jinja's bytecode cache, signed).

Compiling the theme's templates takes Jinja about 0.15 s, in every build. With the build
cache, the code of each compiled template is kept in ``.brief-cache/templates/``, one file
per template, and the next build loads it instead of compiling again. Jinja checks that
the template's source is the one the code was compiled from; loading the code runs it,
so each file is signed like the build cache (an HMAC-SHA256 with this user's key,
brief.manifest.signing_key) and a file whose signature does not match is ignored.

What a build compiles is written only when it succeeds (:meth:`SignedBytecode.flush`,
called as the cache is saved): a failing build leaves the cache folder as it was.

The default theme's templates are also kept beside the package's own compiled modules
(:class:`ThemeCode`, in its ``__pycache__``, where Python itself keeps bytecode, with the same
trust, and only where Python writes bytecode): a site's first build, or one without its
cache folder, takes them from there rather than compiling them (0.15 s of a cold build that
nothing else runs beside). Jinja drops a template's code when its source is not the one it
was compiled from, and the file names the Jinja version and settings it was compiled with.
"""

from __future__ import annotations

import hmac
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from brief.manifest import cache_folder, signing_key
from brief.methodcache import beside_bytecode, read_beside, write_beside
from brief.settings import CACHE_DIR
from brief.theme import theme_templates_dir

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
        self.theme: ThemeCode | None = None
        """The default theme's compiled templates (made when the first template is asked for)."""
        self._theme_keys: set[str] = set()

    @classmethod
    def of_site(cls, site_root: Path) -> SignedBytecode | None:
        """The site's cache of compiled templates, or None without a cache key."""
        key = signing_key()
        return None if key is None else cls(site_root, key)

    def _sign(self, name: str, payload: bytes) -> bytes:
        return hmac.new(self.key, name.encode("ascii") + b"\n" + payload, "sha256").digest()

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        if self.theme is None:
            self.theme = ThemeCode.of(environment)
        if filename is not None and _in_theme(filename):
            self._theme_keys.add(self.get_cache_key(name, filename))
        return super().get_bucket(environment, name, filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        self.used.add(bucket.key)
        try:
            data = (self.folder / bucket.key).read_bytes()
        except OSError:
            data = b""
        payload = data[_MAC:]
        if len(data) > _MAC and hmac.compare_digest(data[:_MAC], self._sign(bucket.key, payload)):
            bucket.bytecode_from_string(payload)  # (Jinja drops it when the source changed)
        if bucket.code is None and bucket.key in self._theme_keys and self.theme is not None:
            kept = self.theme.code.get(bucket.key)
            if kept is not None:
                bucket.bytecode_from_string(kept)
                if bucket.code is not None:
                    self.pending[bucket.key] = kept  # (kept in the site's folder too, as if compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.used.add(bucket.key)
        self.pending[bucket.key] = payload = bucket.bytecode_to_string()
        if bucket.key in self._theme_keys and self.theme is not None:
            self.theme.put(bucket.key, payload)

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
        if self.theme is not None:
            self.theme.save()


def _in_theme(filename: str) -> bool:
    """Whether a template's file is one of the default theme's (not a site's own)."""
    return os.path.normpath(filename).startswith(os.path.join(str(theme_templates_dir()), ""))


class ThemeCode:
    """The default theme's compiled templates, by Jinja's key for each, in one file beside
    the package's bytecode (see the module's doc). The file starts with this Python's magic
    number, then holds the settings the templates were compiled with and the code of each;
    a file that does not read back, or was made for other settings, is ignored (and written
    anew)."""

    def __init__(self, path: Path | None, settings: str) -> None:
        self.path = path
        self.settings = settings
        self._code: dict[str, bytes] | None = None
        self.added = False

    @property
    def code(self) -> dict[str, bytes]:
        """The templates' code by key, read when first asked for (a build whose cache folder
        holds every template never reads the file)."""
        if self._code is None:
            self._code = _read_theme(self.path, self.settings) if self.path is not None else {}
        return self._code

    @classmethod
    def of(cls, env: jinja2.Environment) -> ThemeCode:
        """The store for templates compiled by ``env`` (what it compiles with: its version of
        Jinja, its syntax and whitespace settings, its extensions, and its filters and tests
        with what each is passed, which Jinja writes into a template's code)."""
        settings = repr(
            (
                jinja2.__version__,
                env.block_start_string,
                env.block_end_string,
                env.variable_start_string,
                env.variable_end_string,
                env.comment_start_string,
                env.comment_end_string,
                env.line_statement_prefix,
                env.line_comment_prefix,
                env.trim_blocks,
                env.lstrip_blocks,
                env.newline_sequence,
                env.keep_trailing_newline,
                env.optimized,
                env.autoescape if isinstance(env.autoescape, bool) else None,
                sorted(env.extensions),
                type(env).__qualname__,
                _passed(env.filters),
                _passed(env.tests),
            )
        )
        return cls(beside_bytecode("theme-templates"), settings)

    def put(self, key: str, payload: bytes) -> None:
        if self.code.get(key) != payload:
            self.code[key] = payload
            self.added = True

    def save(self) -> None:
        """Write the file when a template was compiled that it lacked (not where Python
        writes no bytecode: ``-B``, ``PYTHONDONTWRITEBYTECODE``). A failure costs the next
        cold build the compiling only."""
        if not self.added or self.path is None or self._code is None:
            return
        write_beside(self.path, (self.settings, self._code))
        self.added = False


def _passed(functions: Mapping[str, Any]) -> list[tuple[str, str | None]]:
    """Each filter's or test's name, with what Jinja passes it first (context, environment…:
    the mark its ``pass_context`` and kin leave on the function)."""
    return sorted(
        (name, getattr(getattr(function, "jinja_pass_arg", None), "name", None)) for name, function in functions.items()
    )


def _read_theme(path: Path, settings: str) -> dict[str, bytes]:
    found = read_beside(path)
    if not (isinstance(found, tuple) and len(found) == 2 and found[0] == settings and isinstance(found[1], dict)):
        return {}
    return {k: v for k, v in found[1].items() if isinstance(k, str) and isinstance(v, bytes)}
