"""Writing what stage 4 planned: every page (in worker processes for a large site), then
the static files and the files next to articles.

With a cached build's template digests, a page whose key (brief.render.keys) is unchanged
is taken from the previous build instead of being rendered again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from brief.errors import Problem
from brief.media.assets import slim_css
from brief.output.parallel import render_parallel, worker_count
from brief.output.search import SearchFeed
from brief.output.writers import MemoryWriter, OutputWriter
from brief.render.contract import ArticleView
from brief.render.fragments import remembered
from brief.render.keys import page_key
from brief.render.plans import PageSpec
from brief.render.templates import render_page
from brief.theme import FILE_LIMIT, read_input, theme_static_files


def render_and_write(
    specs: list[PageSpec],
    env,
    templates: dict[str, bytes] | None,
    writer: OutputWriter | MemoryWriter,
    jobs: int | None,
    progress: Callable[[str, int, int], None] | None,
    problems: list[Problem],
    view_keys: dict[int, bytes] | None = None,
    search: SearchFeed | None = None,
    kept: set[int] | None = None,
    prepare: Callable[[], None] | None = None,
) -> int:
    """Build each page's context; with ``templates`` (a cached build) reuse the previous
    build's page when its key is unchanged, else render and write it. Many pages are
    processed by several processes, after ``prepare()`` (what they should share, made before
    they are forked: the views). ``search`` is told of each page written, in the order
    of ``specs``, and ended when the build is to fail. ``kept``: the positions in ``specs``
    of the pages whose key is known to be the previous build's without making it
    (brief.render.pagedeps). Returns the pages done."""
    # (pages whose key is kept cost a stat here, less than starting workers)
    kept = kept or set()
    workers = worker_count(len(specs) - len(kept), jobs) if isinstance(writer, OutputWriter) else 1
    with remembered(env, (ArticleView,)):  # an entry card is rendered once per article (brief.render.fragments)
        try:
            if isinstance(writer, OutputWriter) and workers > 1 and len(specs) > 1:
                if prepare is not None:
                    prepare()
                # The pages' folders are made by the workers (brief.output.parallel), in parallel.
                tasks: list[tuple[PageSpec, str]] = []
                kept_tasks: set[int] = set()  # ``kept`` by position in ``tasks``
                for i in cards_together(specs):
                    spec = specs[i]
                    target = writer.reserve(spec.output, spec.origin, folder=False)
                    if target is not None:
                        if i in kept:
                            kept_tasks.add(len(tasks))
                        tasks.append((spec, target))
                done, found = render_parallel(
                    tasks, env, templates, writer, workers, progress, view_keys, search, kept_tasks
                )
                problems += [p for p in found if p not in problems]
            else:
                done = _render_here(specs, env, templates, writer, progress, problems, view_keys, search, kept)
        except BaseException:
            if search is not None:
                search.close()
            raise
    if problems and search is not None:  # the build fails: no index to wait for
        search.close()
    return done


def _render_here(
    specs: list[PageSpec],
    env,
    templates: dict[str, bytes] | None,
    writer: OutputWriter | MemoryWriter,
    progress: Callable[[str, int, int], None] | None,
    problems: list[Problem],
    view_keys: dict[int, bytes] | None,
    search: SearchFeed | None,
    kept: set[int],
) -> int:
    """Every page in this process (a small site, the preview, a cached build's edit). Without
    ``search``, the kept pages are taken first, together (:meth:`OutputWriter.keep_previous
    <brief.output.writers.OutputWriter.keep_previous>`)."""
    known: dict[int, bytes] = view_keys if view_keys is not None else {}  # (a view made now is put there)
    previous = writer.previous or {}
    done = 0
    if search is None and kept and templates is not None:
        at = {specs[i].output: i for i in kept}
        again = writer.keep_previous([(output, specs[i].origin) for output, i in at.items()])
        done = len(kept) - len(again)
        order = cards_together(specs, [i for i in range(len(specs)) if i not in kept] + [at[o] for o in again])
        if progress:
            progress("Writing pages", done, len(specs))
    else:
        order = cards_together(specs)
    for n, i in enumerate(order, done + 1):
        spec = specs[i]
        key = previous[spec.output][0] if i in kept else None
        context = None if (spec.inputs is not None or key is not None) and templates is not None else spec.get_context()
        if key is None and templates is not None:
            key = page_key(spec, context, templates, known)
        data = None
        if key is None or not writer.reuse(spec.output, key, spec.origin):
            data = render_page(env, spec, context if context is not None else spec.get_context(), problems)
            if data is None:
                continue
            writer.write(spec.output, data, origin=spec.origin, key=key)
        done += 1
        if search is not None:
            search.done(spec.output, data)
        if progress and (n % 100 == 0 or n == len(specs)):
            progress("Writing pages", n, len(specs))
    return done


CARD_TEMPLATES = frozenset({"index.html", "list.html"})
"""The templates of the pages that show entry cards: the front page's and the listings' of
sections, tags and authors (brief.render.pages)."""


def cards_together(specs: list[PageSpec], positions: list[int] | None = None) -> list[int]:
    """The positions in ``specs`` in the order their pages are made: each page in its place,
    but the pages that show entry cards newest first among themselves (by their last change),
    so that the pages showing an article's card (its section's, its tags', its authors', the
    front page's) are made close together and the card is remembered from one to the next
    (brief.render.fragments). Which page is made when changes nothing in what is written;
    the pages to index for search keep their order. ``positions``: only these pages'
    (in order), None: every page's.

    Replayed on the 100,000-article corpus's pages, with each of 2 workers' memos and its
    chunks of pages: 67 % of the 574,417 cards shown are remembered ones, against 5 % in
    the pages' own order; at 10,000 articles in one process (the preview's), 83 % against 50 %.
    The pages stage of that corpus went from 44.6 to 38.1 s."""
    order = sorted(positions) if positions is not None else list(range(len(specs)))
    places = [n for n, i in enumerate(order) if specs[i].template in CARD_TEMPLATES]
    newest = sorted((order[n] for n in places), key=lambda i: -_stamp(specs[i]))  # (stable: ties keep their order)
    for n, i in zip(places, newest, strict=True):
        order[n] = i
    return order


def _stamp(spec: PageSpec) -> float:
    return spec.lastmod.timestamp() if spec.lastmod is not None else float("-inf")


def copy_files(
    own_static: dict[str, Path],
    assets: dict[str, tuple[Path, str]],
    writer: OutputWriter | MemoryWriter,
    fingerprints: dict[str, str],
) -> None:
    # Order matters: the site's static/ overrides the theme's file by file, and
    # article images are copied last so a clash with a static file is reported.
    files = {**theme_static_files(), **own_static}
    for relpath, source in files.items():
        writer.copy(relpath, source, origin=f"static/{relpath}")
        if relpath in fingerprints and relpath.endswith(".css"):  # slimmed, under its content-hashed name
            writer.write(fingerprints[relpath], slim_css(read_input(source, FILE_LIMIT)), origin=f"static/{relpath}")
        elif relpath in fingerprints:  # also under its content-hashed name (brief.media.assets)
            writer.copy(fingerprints[relpath], source, origin=f"static/{relpath}")
    for relpath, (source, origin) in assets.items():
        writer.copy(relpath, source, origin=origin)
