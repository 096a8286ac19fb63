"""Keys for a cached build: a page whose key is unchanged renders to the same bytes.

A page's key digests its template (with every template it extends, includes or
imports, and the hashed asset names) and its context. The classes of the
template contract, the page plans and the rendered article parts are digested
on a fast path, field by field, instead of pickle's generic one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import jinja2

from brief.config import Config
from brief.digests import digest, fast_digest_of, pickled_digest
from brief.errors import BuildFailed, Problem, relpath
from brief.render.contract import CONTRACT, ArticleView, SiteView
from brief.render.fragments import Trees, know_names, parsed, read_names
from brief.render.plans import PageSpec
from brief.render.templates import make_environment
from brief.theme import TEXT_LIMIT, input_problem, read_input, theme_templates_dir


def _template_sources(config: Config) -> dict[str, bytes]:
    """Name → digest of the bytes of every template the site can use (its own win)."""
    found: dict[str, bytes] = {}
    refused: list[Problem] = []
    for folder in (theme_templates_dir(), config.templates_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.name.startswith(".") or path.is_dir():
                continue
            why = input_problem(path, TEXT_LIMIT)
            if why is not None:  # Jinja would wait on a FIFO for ever: refused before it opens one
                refused.append(Problem(relpath(path, config.root), None, None, why))
                continue
            try:
                found[path.relative_to(folder).as_posix()] = digest(read_input(path, TEXT_LIMIT))
            except OSError:
                continue
    if refused:
        raise BuildFailed(refused)
    return found


def _closure_digests(env: jinja2.Environment, sources: dict[str, bytes], trees: Trees) -> dict[str, bytes]:
    """For each template, a digest over itself and the templates it uses, transitively. A
    template that names another by a variable depends on every template. ``trees``: the
    templates parsed (each parsed once, and added: brief.render.fragments.read_names reads them too)."""
    from jinja2 import meta

    uses: dict[str, set[str] | None] = {}
    for name in sources:
        tree = parsed(env, name, trees)
        found = list(meta.find_referenced_templates(tree)) if tree is not None else [None]
        uses[name] = None if None in found else {ref for ref in found if ref is not None}
    every = digest(*(part for item in sorted(sources.items()) for part in item))
    digests: dict[str, bytes] = {}
    for name in sources:
        seen, todo, anything = set(), [name], False
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            used = uses.get(current, set())
            if used is None:
                anything = True
                break
            todo.extend(used)
        digests[name] = (
            every if anything else digest(*(part for n in sorted(seen) for part in (n, sources.get(n, b""))))
        )
    digests["*"] = every  # for a template that is not there (its page fails to render)
    return digests


def page_key(spec: PageSpec, context: dict | None, templates: dict[str, bytes], known: dict[int, bytes]) -> bytes:
    """A digest of a page's template (with what it uses) and of its context, or of what its
    context is made of (:attr:`PageSpec.inputs`; then ``context`` may be None, and is not
    made): a page whose key is unchanged renders to the same bytes. ``known`` keeps view
    digests within one build."""
    template = templates.get(spec.template) or templates.get("*", b"")
    if spec.inputs is not None:
        return digest(template, b"inputs", pickled_digest(spec.inputs(), known, _VIEW_KINDS))
    assert context is not None
    return digest(template, pickled_digest(context, known, _VIEW_KINDS))


_VIEW_KINDS = (ArticleView, SiteView)
"""Objects many pages share, each digested once per process and standing in by its digest."""


# Pages' contexts are made of these: each is digested field by field (pickle's generic path
# for slotted dataclasses is several times slower), and Markup as the text it is.
fast_digest_of(*CONTRACT, PageSpec)


@dataclass
class TemplateFacts:
    """What the build finds out about the templates by parsing them, kept in the build cache
    (saved) while every template and the hashed asset names are the same (``key``): each
    template's digest with what it uses, and what each reads from its context
    (brief.render.fragments). A cached build then parses no template it does not compile."""

    key: bytes = b""
    digests: dict[str, bytes] = field(default_factory=dict)
    names: dict[str, tuple[str, ...] | None] = field(default_factory=dict)


@dataclass
class TemplateMemo:
    """The templates' part of the build cache, in memory only (the preview's): the last
    environment, with its compiled templates, and the digests of its templates."""

    key: bytes = b""
    env: jinja2.Environment | None = None
    digests: dict[str, bytes] = field(default_factory=dict)
    bytecode: jinja2.BytecodeCache | None = None
    """Where ``brief build`` keeps compiled templates between runs (brief.bytecode)."""


def environment(
    config: Config,
    memo: TemplateMemo | None,
    assets: dict[str, str] | None = None,
    facts: TemplateFacts | None = None,
) -> tuple[jinja2.Environment, dict[str, bytes]]:
    """The Jinja environment of ``config`` and, for each template, a digest of its source, of
    every template it extends, includes or imports, and of the hashed asset names (which
    every page links to). The memo keeps the environment (and its compiled templates)
    while none of that changed; ``facts`` (the build cache's) what parsing the templates found."""
    sources = _template_sources(config)
    names = repr(sorted((assets or {}).items()))
    key = digest(
        repr((str(config.root), config.base_url, names)), *(part for item in sorted(sources.items()) for part in item)
    )
    if memo is not None and memo.env is not None and memo.key == key:
        return memo.env, memo.digests
    env = make_environment(config, assets=assets, bytecode=memo.bytecode if memo is not None else None)
    if facts is not None and facts.key == key:
        digests = facts.digests
        know_names(env, facts.names)
    else:
        trees: Trees = {}  # (every template parsed once, for its digest and for what it reads)
        digests = {name: digest(value, names) for name, value in _closure_digests(env, sources, trees).items()}
        if facts is not None:
            facts.key, facts.digests, facts.names = key, digests, read_names(env, sorted(sources), trees)
            know_names(env, facts.names)
    if memo is not None:
        memo.key, memo.env, memo.digests = key, env, digests
    return env, digests
