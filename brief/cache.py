"""The build cache: what one build keeps so that the next one redoes only what changed.

One mechanism with two homes: ``brief serve`` keeps a :class:`BuildCache` in memory
between rebuilds, and ``brief build`` loads it from ``.brief-cache/`` beside the site
and saves it after each successful build. Each stage owns its part, a typed object
defined beside the code that uses it; everything saved is keyed by content
(BLAKE2b digests), never by time or object identity:

- ``content`` (:class:`~brief.content.load.ContentMemo`): an article file's parse and
  validation, by its path and bytes;
- ``related`` (:class:`~brief.site.relatedmemo.RelatedMemo`): every article's term counts for
  related-article scoring (one table), and the automatic suggestions by a digest of all their inputs;
- ``markdown`` (:class:`~brief.render.articles.MarkdownMemo`): an article's rendered
  Markdown, with the facts it depended on (the URL or state of every article it links
  to, the stamp of every image it shows);
- ``redirects`` (:class:`~brief.output.redirects.RedirectMemo`): the last redirect plan,
  by a digest of everything it was made from (the ledger's bytes among them);
- ``outputs``: for each output file, the digest of the data it was made from, and
  (on disk) the stamp of the file in the output folder, or (in memory) its bytes;
- ``search_parts``: the SHA-256 of each page's part kept for the search index, by the
  page's key (brief.output.searchparts: the files themselves are not trusted), and
  ``search_fragments``: which page each result file of the last search bundle is of.

``templates``, ``pages`` and ``feeds`` (compiled templates, article metadata, feeds)
are kept in memory only, for the preview. :meth:`BuildCache.finish` does the
bookkeeping at the end of a successful build.

brief.toml, the brief version and the Python version are part of the key of the
whole cache: when one changes, nothing in it is used.

On disk (brief.cachefile) the cache is a pickle, and unpickling runs code, so it is
signed: an HMAC-SHA256 with a key that only this user on this machine has
(``~/.cache/brief/key``, or ``BRIEF_CACHE_KEY`` to share one between CI runs). Its large
tables (:data:`_STREAMED`) are kept in shard files whose digests the signed main file
holds, and a save rewrites only the shards whose rows changed since the cache was loaded
or last saved. A cache that is truncated, corrupted (its main file or any shard), written
by another user, machine or version, or for another site folder is ignored (and
rebuilt), never trusted.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from brief import cachefile, cacheread
from brief.content.load import ContentMemo
from brief.digests import file_stamp
from brief.forks import fork_call
from brief.manifest import MANIFEST_FILE, cache_folder, signing_key
from brief.output.redirects import RedirectMemo
from brief.output.searchparts import KeptParts
from brief.render.articles import ArticleParts, MarkdownMemo, stored_parts
from brief.render.feeds import FeedMemo
from brief.render.keys import TemplateFacts, TemplateMemo
from brief.render.pagedeps import PageDeps
from brief.render.pages import PageMemo
from brief.settings import CACHE_DIR
from brief.site.relatedmemo import RelatedMemo
from brief.stamps import Stamps, recent_inputs, take_stamps

log = logging.getLogger(__name__)


@dataclass
class BuildCache:
    """What a build keeps for the next one (see the module docstring)."""

    key: bytes = b""
    """Digest of brief.toml, brief's version and the build options: the cache applies only
    while it is the same."""
    root: str = ""
    output: str = ""
    """The output folder the ``outputs`` stamps describe ("" in memory)."""
    content: ContentMemo = field(default_factory=ContentMemo)
    related: RelatedMemo = field(default_factory=RelatedMemo)
    markdown: MarkdownMemo = field(default_factory=MarkdownMemo)
    redirects: RedirectMemo = field(default_factory=RedirectMemo)
    templates: TemplateMemo = field(default_factory=TemplateMemo)
    """In memory only, like ``pages`` and ``feeds``."""
    template_facts: TemplateFacts = field(default_factory=TemplateFacts)
    """What parsing the templates found (saved; keyed by the templates' sources)."""
    page_deps: PageDeps = field(default_factory=PageDeps)
    """What the last build's page keys were kept by (brief.render.pagedeps; saved with ``outputs``)."""
    pages: PageMemo = field(default_factory=PageMemo)
    feeds: FeedMemo = field(default_factory=FeedMemo)
    search_parts: dict[str, bytes] = field(default_factory=dict)
    """The SHA-256 of each part of a page kept for the search index, by the page's key in hex
    (brief.output.searchparts): a kept part is used only when its bytes have this digest."""
    search_fragments: dict[str, tuple[int, str]] = field(default_factory=dict)
    """Each result file of the last search bundle taken from the one before: its size and its
    page's URL, by its name (brief.output.searchparts.KeptParts.fragments)."""
    outputs: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    """Output path → (digest of its data, its stamp on disk or its bytes in memory)."""
    spare: str = ""
    """The name of the spare tree made of the output before the last build's, a mirror of
    the ``outputs`` (brief.output.spare); "" when none was made."""
    inputs: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """Stamp of every file the build could read (brief.stamps.snapshot), taken before it read
    them (:meth:`start`), and of the files outside those folders that it read. Saved in the
    manifest only (brief.manifest): each build takes them anew."""
    inputs_time: float = 0.0
    extra_inputs: tuple[str, ...] = ()
    """Files outside those folders that the last build read (images next to articles)."""
    next_change: float = 0.0
    """When the output of the last build starts to depend on the clock again (a scheduled
    article comes due, an article leaves the news sitemap, a new day for related scoring)."""
    saved: bytes = b""
    """A token new at each save, in the main file and the manifest both: checks of the output
    files made against the manifest's stamps (brief.lookahead) apply to a cache of that save only."""
    stored: cachefile.Stored | None = field(default=None, init=False, repr=False, compare=False)
    """What the files on disk hold, as last loaded or saved (in memory only): a save
    rewrites only the shards whose rows changed since."""
    ahead: Any = field(default=None, init=False, repr=False, compare=False)
    """The shards being written by :meth:`save_ahead` (in memory only)."""

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for name in (*_IN_MEMORY, "stored", "ahead"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        for name, kind in _IN_MEMORY.items():
            setattr(self, name, kind())
        self.stored = self.ahead = None

    def reset(self, key: bytes, root: str, output: str) -> None:
        """Start a build: keep what applies to ``key``, ``root`` and ``output``, drop the rest."""
        same = key == self.key and root == self.root
        for part in (self.content, self.related, self.markdown):
            part.start(same)
        if not same:
            self.redirects = RedirectMemo()
            bytecode = self.templates.bytecode  # (where compiled templates are kept: not a setting)
            self.templates, self.pages, self.feeds = TemplateMemo(bytecode=bytecode), PageMemo(), FeedMemo()
            self.outputs.clear()
        if output != self.output:
            self.outputs.clear()
        self.key, self.root, self.output = key, root, output

    def kept_parts(self) -> KeptParts:
        """The parts of pages kept for the search index (brief.output.searchparts), with the
        digests this cache holds of them (it brings them up to date as it keeps more)."""
        return KeptParts.of_site(Path(self.root), self.search_parts, self.search_fragments)

    def release(self) -> None:
        """Drop what is kept in memory only, never saved (the last build's views and page
        plans, for the preview's next rebuild): for a process that saves the cache and ends,
        so that the save needs no more memory than the build (100,000 articles: the peak)."""
        for part in (self.content, self.related, self.markdown):
            part.forget_in_memory()
        self.pages, self.feeds = PageMemo(), FeedMemo()

    def forget(self, path: Path) -> None:
        """Drop what is known of one file's stamp (a watcher saw it change)."""
        self.content.forget(path)

    def start(self, key: bytes, root: str, output: str, folders: list[Path], stamps: Stamps | None = None) -> None:
        """A build begins: :meth:`reset`, and the stamps of every file it may read: ``stamps``
        (taken before it began: ``brief build`` checks them for "up to date" first), else taken now."""
        self.reset(key, root, output)
        stamps = stamps or take_stamps(folders)
        self.inputs_time = stamps.taken
        self.inputs = dict(stamps.files)

    def finish(
        self, outputs: dict[str, tuple[bytes, Any]], read: Iterable[Path], next_change: float, spare: str = ""
    ) -> None:
        """The bookkeeping at the end of a successful build: what it wrote (``outputs``),
        the files outside the input folders that it read (``read``: images next to
        articles), when its output starts to depend on the clock again, and the name of
        the ``spare`` tree it left. Drops what the build did not use."""
        self.outputs = outputs
        self.spare = spare
        for part in (self.content, self.related, self.markdown):
            part.prune()
        extra = sorted(
            {str(path) for path in read} | set(self.content.files()) | set(self.markdown.files()) - self.inputs.keys()
        )
        for path in extra:
            stamp = file_stamp(Path(path))
            if stamp is not None:
                self.inputs[path] = stamp
        self.extra_inputs = tuple(extra)
        self.next_change = next_change

    # --- on disk ------------------------------------------------------------------------------

    @classmethod
    def load(cls, site_root: Path, checked: cachefile.Checked | None = None) -> BuildCache:
        """The cache saved beside ``site_root``, or an empty one (with a note why) when there is
        none or it cannot be trusted. ``checked``: its files' checks made ahead (brief.lookahead)."""
        folder = site_root / CACHE_DIR
        try:
            found = cacheread.read_main(folder, checked)
            if found is None:
                return cls()
            cache, index = found
            if not isinstance(cache, BuildCache):
                raise cachefile.Unusable("unexpected contents")
            if cache.root != str(site_root):
                raise cachefile.Unusable(f"it belongs to another site folder ({cache.root})")
            tables, cache.stored = cacheread.read_tables(folder, index, checked)
            missing = [stored_as for stored_as, _, _, _ in _tables(cache) if stored_as not in tables]
            if missing:  # (a format change that forgot to raise FORMAT)
                raise cachefile.Unusable(f"it lacks the table {missing[0]}")
        except cachefile.Unusable as exc:
            log.warning("Ignoring the build cache in %s: %s; building without it", folder, exc)
            return cls()
        for stored_as, owner, name, _ in _tables(cache):
            setattr(owner, name, tables[stored_as])
        return cache

    def save(self, site_root: Path) -> None:
        """Write the cache beside ``site_root`` (a failure only costs speed): the shards of its
        large tables that changed since it was loaded or saved, then the signed main file
        (brief.cachefile), then the manifest (brief.manifest.Manifest: its first part, then
        the stamps of the inputs, then those of the outputs)."""
        key = signing_key()
        if key is None:
            return
        folder = site_root / CACHE_DIR
        try:
            cache_folder(site_root)
            self.saved = secrets.token_bytes(16)
            tables = _tables(self)
            later = self._later(tables)
            try:  # the main file holds the cache without its tables (they go to the shards)
                for _, owner, name, _ in tables:
                    setattr(owner, name, {})
                stored = cachefile.write(folder, key, self, {n: t for n, _, _, t in tables}, self.stored, later)
            finally:
                for _, owner, name, table in tables:
                    setattr(owner, name, table)
            self.stored = stored
            head = {
                "key": self.key,
                "root": self.root,
                "output": self.output,
                "extra": self.extra_inputs,
                "recent": recent_inputs(self.inputs),
                "inputs_time": self.inputs_time,
                "next_change": self.next_change,
                "saved": self.saved,
            }
            outputs = {rel: entry[1] for rel, entry in self.outputs.items()}
            cachefile.write_signed(folder, ".manifest-", MANIFEST_FILE, key, head, self.inputs, outputs)
        except OSError as exc:
            log.warning("Could not save the build cache in %s: %s", folder, exc.strerror or exc)

    def save_ahead(self, site_root: Path) -> None:
        """Start writing the shards of the large tables that the rest of a build leaves as
        they are (:data:`_AHEAD`), in a process of its own, when all of them are to be
        written (nothing stored yet: a cold build's cache); :meth:`save` takes them. What
        the build did not use is dropped from them first, as :meth:`finish` does."""
        if self.stored is not None or signing_key() is None:
            return
        for part in (self.content, self.related, self.markdown):
            part.prune()
        try:
            folder = cache_folder(site_root)
        except OSError:
            return
        tables = {stored_as: table for stored_as, _, _, table in _tables(self) if stored_as in _AHEAD}
        self.ahead = (
            tables,
            {n: len(t) for n, t in tables.items()},
            fork_call(partial(cachefile.write_shards, folder, tables, None)),
        )

    def _later(self, tables: list[tuple[str, Any, str, dict]]) -> tuple[Collection[str], Callable[[], dict]] | None:
        """The tables :meth:`save_ahead` has being written, and the call that waits for their
        shards: those of the tables that are still the very tables (and of the size) it had
        them written from (None: none is being written)."""
        ahead, self.ahead = self.ahead, None
        if ahead is None or ahead[2] is None:
            return None
        sent, sizes, pending = ahead
        now = {stored_as: table for stored_as, _, _, table in tables}

        def written() -> dict[str, list[cachefile.Shard | None]]:
            found = pending.result() or {}
            return {
                n: shards
                for n, shards in found.items()
                if now.get(n) is sent[n] and len(sent[n]) == sizes[n] and len(shards) == cachefile.SHARDS
            }

        return sent.keys(), written


cachefile.store_as(ArticleParts, stored_parts)  # (their HTML unpickled only when a view of them is made)

_IN_MEMORY = {"templates": TemplateMemo, "pages": PageMemo, "feeds": FeedMemo, "inputs": dict}
"""Parts never saved with the cache: an unpickled cache starts them empty (and with no
``stored``). The inputs' stamps are the manifest's: a build takes them before reading any
file, and never reads the last build's (a table of 10,000 rows, read and compared for nothing
at every build)."""

_AHEAD = ("content-articles", "content-stamps", "related-term_rows")
"""The tables :meth:`BuildCache.save_ahead` has written by another process: the largest,
final once the pages are, in time about half of a cold build's save (the articles'
Markdown is saved beside the rest meanwhile)."""

_STREAMED = (
    ("content", "articles"),
    ("content", "stamps"),
    ("markdown", "parts"),
    ("related", "term_rows"),
    (None, "outputs"),
    (None, "search_parts"),
    (None, "search_fragments"),
)
"""The cache's tables that grow with the site (a row per article or per file): saved apart
from the rest, in shards (brief.cachefile), so that a save after a small edit rewrites
little, and a load reads one shard at a time."""


def _tables(cache: BuildCache) -> list[tuple[str, Any, str, dict]]:
    """(name on disk, owner, attribute, table) of each of :data:`_STREAMED`
    (``content-articles``, ..., ``outputs``)."""
    found = []
    for part, name in _STREAMED:
        owner = cache if part is None else getattr(cache, part)
        found.append((name if part is None else f"{part}-{name}", owner, name, getattr(owner, name)))
    return found
