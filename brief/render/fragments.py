"""Partials rendered once per article, not once per page that shows it.

A listing page includes ``partials/entry.html`` for each of its entries, and an article is
an entry on many pages (its section, each of its tags, its authors, the front page): at
10,000 articles, about 57,000 entry cards are rendered for 10,000 distinct ones. While
:func:`remembered` is active, an included template whose output can only depend on values
that do not change during the build is rendered once for each combination of them, and
its text is reused.

Which templates qualify is read from their source, not assumed, so a site's own theme
gets the same treatment and no wrong page: every name the template (and what it includes
with context) reads from its context is found with Jinja's own analysis, and the template
is remembered only when each name's value is, at render time, one of the "stable" objects
(the build's article views, which are frozen for the build and outlive it), the Jinja
sentinel for a missing name, or the environment's own global of that name. A template that
extends another, has blocks, includes a name computed at render time, or uses ``random``
or ``lipsum`` is never remembered. Remembered texts keep their key objects alive, so an
object's ``id`` cannot be reused for another while its text is kept.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections import ChainMap, OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

import jinja2
import markupsafe
from jinja2 import meta, nodes
from jinja2.runtime import missing

from brief.render.escaping import escape

LIMIT = 8 * 1024 * 1024
"""Characters of remembered text per process, at most, each text counted :data:`ENTRY`
characters longer than it is (about 6,000 entry cards of the default theme), so that a very
large site's page workers do not grow by a copy of every card (a worker starts as large as
the build that forked it: at 100,000 articles, 1.4 GB). When the memo is full, the templates
none of whose texts was used a second time are forgotten and no longer remembered
(:func:`_make_room`): an article page's own partials are shown once, and at 100,000 articles
they filled the memo before the first listing page, so that no entry card was remembered at
all. Then, while it is still full, the texts used longest ago make room for the new ones
(:func:`_forget_oldest`): the listing pages are rendered newest entries first
(brief.output.pages), so that the cards a page shows were mostly shown by the pages just
before it."""

ENTRY = 320
"""What keeping one text costs besides its characters (its key, its values and their
tuples, a slot of the memo's dict), in bytes: counted so that many empty texts (a partial
that prints nothing for most articles) fill the memo too, as they fill memory (at 100,000
articles, three such partials held 600,000 tuples in each page worker)."""


class _Memo:
    """One environment's remembered partials, while :func:`remembered` is active."""

    def __init__(self) -> None:
        self.names: dict[str, tuple[str, ...] | None] = {}  # by template name: what it reads
        # by template name and the ids of its values: the values and the text, last used last
        self.texts: OrderedDict[tuple[str, tuple[int, ...]], tuple[tuple[Any, ...], str]] | None = None
        self.stable: tuple[type, ...] = ()
        self.size = 0  # characters remembered, each text counted ENTRY more than its length
        self.sizes: dict[str, int] = {}  # the same, by template name
        self.used: set[str] = set()  # the templates a remembered text was used again of
        self.dropped: set[str] = set()  # the templates no longer remembered (_make_room)
        self.local = threading.local()  # .busy: a remembered render in progress, per thread


_MEMOS: weakref.WeakKeyDictionary[jinja2.Environment, _Memo] = weakref.WeakKeyDictionary()


class FragmentTemplate(jinja2.Template):
    """A template whose render function consults the environment's memo (set as the
    environment's ``template_class``); without an active memo it renders as Jinja's does.
    Its ``{{ value }}`` is escaped by :func:`brief.render.escaping.escape`."""

    @classmethod
    def _from_namespace(cls, environment, namespace, globals):
        if namespace.get("escape") is markupsafe.escape:  # the compiled module's own import
            namespace["escape"] = escape  # (its functions look it up when they run)
        template = super()._from_namespace(environment, namespace, _plain_globals(environment, globals))
        template.root_render_func = _remembering(template, template.root_render_func)
        return template


def _plain_globals(environment: jinja2.Environment, globals: Any) -> Any:
    """The environment's own globals (a dict) for a template given none of its own, instead
    of the ``ChainMap`` over them Jinja makes for every template: each ``{% include %}`` and
    ``{% import %}`` copies a template's globals and compares their names with its context's,
    and a ChainMap does that in Python, not C (the same names and values; 10,000 articles,
    pages stage 3.13 → 2.83 s). brief never loads a template with globals of its
    own (``get_template(name, globals=...)``, which would then add them to the environment's)."""
    if (
        isinstance(globals, ChainMap)
        and len(globals.maps) == 2
        and not globals.maps[0]
        and globals.maps[1] is environment.globals
    ):
        return environment.globals
    return globals


def use_fragments(env: jinja2.Environment) -> None:
    """Make ``env`` load its templates as :class:`FragmentTemplate` (before any is loaded)."""
    env.template_class = FragmentTemplate
    _MEMOS[env] = _Memo()


@contextlib.contextmanager
def remembered(env: jinja2.Environment, stable: tuple[type, ...]) -> Iterator[None]:
    """Remember partials rendered through ``env`` until the block ends (then forget them,
    with the objects they were keyed by). ``stable``: the types whose instances do not change
    while the block runs."""
    memo = _MEMOS.get(env)
    if memo is None or memo.texts is not None:  # not set up, or already active (nested)
        yield
        return
    memo.texts, memo.stable, memo.size = OrderedDict(), stable, 0
    try:
        yield
    finally:
        memo.texts, memo.stable, memo.size = None, (), 0
        memo.sizes, memo.used, memo.dropped = {}, set(), set()


def _remembering(template: jinja2.Template, render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    env = template.environment
    name = template.name
    memo = _MEMOS.get(env)  # made by use_fragments before any template is loaded
    if memo is None:
        return render

    def root(context: Any) -> Iterator[str]:
        # A plain function, not a generator: a template rendered as Jinja does costs one
        # call here, not one more frame for each piece of text it yields.
        if memo.texts is None or name is None or name in memo.dropped or getattr(memo.local, "busy", False):
            return render(context)
        if name not in memo.names:
            memo.names[name] = _read_names(env, name)
        names = memo.names[name]
        values = _stable_values(context, names, memo.stable, env.globals) if names is not None else None
        if values is None:
            return render(context)
        key = (name, tuple(map(id, values)))
        texts = memo.texts
        found = texts.get(key)
        if found is not None:
            memo.used.add(name)
            with contextlib.suppress(KeyError):  # (forgotten meanwhile by another thread)
                texts.move_to_end(key)
            return _once(found[1])
        if memo.size > LIMIT:  # full: forget what is not used again, then what was used longest ago
            _make_room(memo)
            if name in memo.dropped:
                return render(context)
            _forget_oldest(memo)
        memo.local.busy = True  # what it includes is remembered with it, not on its own
        try:
            text = env.concat(render(context))
        finally:
            memo.local.busy = False
        memo.texts[key] = (values, text)
        cost = len(text) + ENTRY
        memo.size += cost
        memo.sizes[name] = memo.sizes.get(name, 0) + cost
        return _once(text)

    return root


def _make_room(memo: _Memo) -> None:
    """Forget the texts of the templates none of whose texts was used again, and remember
    those templates no more. A full memo is evidence enough: a template that was rendered for
    as many distinct values as fill it, and never for one of them twice, is shown once per
    value (an article page's header, say)."""
    idle = {name for name in memo.sizes if name not in memo.used}
    if idle and memo.texts is not None:
        memo.texts = OrderedDict((key, kept) for key, kept in memo.texts.items() if key[0] not in idle)
        memo.size -= sum(memo.sizes.pop(name, 0) for name in idle)  # (0: another thread did)
        memo.dropped |= idle


def _forget_oldest(memo: _Memo) -> None:
    """Forget the texts used longest ago until the memo is within :data:`LIMIT`. Replayed on
    the pages of 100,000 articles, with the listing pages in date order, 67 % of the entry
    cards are then remembered ones, against 5 % when a full memo kept its first texts and no
    more."""
    texts = memo.texts
    while texts and memo.size > LIMIT:
        try:
            (name, _), (_, text) = texts.popitem(last=False)
        except KeyError:  # (emptied meanwhile by another thread)
            return
        cost = len(text) + ENTRY
        memo.size -= cost
        memo.sizes[name] = memo.sizes.get(name, 0) - cost


def _once(text: str) -> Iterator[str]:
    """The remembered text, as a generator (Jinja closes what an include renders)."""
    yield text


def _stable_values(
    context: Any, names: tuple[str, ...], stable: tuple[type, ...], globals_: dict[str, Any]
) -> tuple[Any, ...] | None:
    values = []
    for name in names:
        value = context.resolve_or_missing(name)
        if not (value is missing or isinstance(value, stable) or (name in globals_ and value is globals_[name])):
            return None
        values.append(value)
    return tuple(values)


def read_names(
    env: jinja2.Environment, templates: list[str], trees: Trees | None = None
) -> dict[str, tuple[str, ...] | None]:
    """What each of ``templates`` reads from its context (None: it is never remembered), as
    its renders would find out; kept in the build cache with the templates' digests
    (brief.render.keys), since finding out parses the template and what it includes.
    ``trees``: the templates parsed already (each is parsed once, and added)."""
    trees = {} if trees is None else trees
    own: dict[str, _Own | None] = {}  # (each template's own reads and includes, found once)
    return {name: _read_names(env, name, trees, own) for name in templates}


def know_names(env: jinja2.Environment, names: dict[str, tuple[str, ...] | None]) -> None:
    """Give ``env`` what :func:`read_names` found for its templates, found before (by a build
    of the same templates): no render parses them again, in this process or a worker forked
    from it."""
    memo = _MEMOS.get(env)
    if memo is not None:
        memo.names.update(names)


Trees = dict[str, "nodes.Template | None"]
"""Templates parsed, by name, for all that read them (None: it does not load or parse)."""


def parsed(env: jinja2.Environment, name: str, trees: Trees) -> nodes.Template | None:
    """Template ``name`` of ``env`` parsed, once for all callers given the same ``trees``;
    None when it cannot be loaded or parsed (its render reports why)."""
    if name not in trees:
        try:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            trees[name] = env.parse(source, name)
        except Exception:  # noqa: BLE001 - a template that does not load or parse is reported when it is compiled
            trees[name] = None
    return trees[name]


_Own = tuple[frozenset[str], tuple[tuple[str | None, bool], ...]]
"""A template's own free names, and what it includes or imports (the name, None when it is
computed at render time) and whether with its context."""


def _read_names(
    env: jinja2.Environment, name: str, trees: Trees | None = None, own: dict[str, _Own | None] | None = None
) -> tuple[str, ...] | None:
    """The names template ``name`` reads from its context, sorted; None when it cannot be
    remembered (see the module's doc)."""
    found = _free_names(env, name, frozenset(), {} if trees is None else trees, {} if own is None else own)
    return tuple(sorted(found)) if found is not None else None


def _free_names(
    env: jinja2.Environment, name: str, seen: frozenset[str], trees: Trees, own: dict[str, _Own | None]
) -> frozenset[str] | None:
    if name in seen or env.loader is None:
        return None
    if name not in own:
        own[name] = _own_names(parsed(env, name, trees))
    found = own[name]
    if found is None:
        return None
    names, uses = found
    for target, with_context in uses:
        if target is None:
            return None
        if with_context:  # an import without context sees only globals and its arguments
            inner = _free_names(env, target, seen | {name}, trees, own)
            if inner is None:
                return None
            names |= inner
    return names


def _own_names(tree: nodes.Template | None) -> _Own | None:
    """What one parsed template reads itself and uses; None when it is never remembered."""
    if tree is None or any(True for _ in tree.find_all((nodes.Extends, nodes.Block))):
        return None
    if any(f.name == "random" for f in tree.find_all(nodes.Filter)):
        return None
    names = frozenset(meta.find_undeclared_variables(tree))
    if "lipsum" in names:
        return None
    uses = []
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport)):
        assert isinstance(node, nodes.Include | nodes.Import | nodes.FromImport)
        target = node.template
        named = target.value if isinstance(target, nodes.Const) and isinstance(target.value, str) else None
        uses.append((named, node.with_context))
    return names, tuple(uses)
