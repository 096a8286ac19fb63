"""Keys for a cached build: a page whose key is unchanged renders to the same bytes.

A page's key digests its template (with every template it extends, includes or
imports, and the hashed asset names) and its context. The classes of the
template contract, the page plans and the rendered article parts are digested
on a fast path, field by field, instead of pickle's generic one.
"""

from __future__ import annotations

from brief.render.contract import ArticleView
from brief.config import Config
from markupsafe import Markup
from brief.render.pages import PageSpec
from brief.digests import _FAST_REDUCE
from brief.digests import digest
from brief.digests import fast_digest_of
import jinja2
from brief.digests import pickled_digest
from brief.theme import theme_templates_dir


def _template_sources(config: Config) -> dict[str, bytes]:
    """Name → digest of the bytes of every template the site can use (its own win)."""
    found: dict[str, bytes] = {}
    for folder in (theme_templates_dir(), config.templates_dir):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                try:
                    found[path.relative_to(folder).as_posix()] = digest(path.read_bytes())
                except OSError:
                    continue
    return found


def _closure_digests(env: jinja2.Environment, sources: dict[str, bytes]) -> dict[str, bytes]:
    """For each template, a digest over itself and the templates it uses, transitively. A
    template that names another by a variable depends on every template."""
    from jinja2 import meta

    uses: dict[str, set[str] | None] = {}
    for name in sources:
        try:
            source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
            found = set()
            for ref in meta.find_referenced_templates(env.parse(source)):
                if ref is None:
                    found = None
                    break
                found.add(ref)
            uses[name] = found
        except Exception:  # noqa: BLE001 - a broken template is reported when it is compiled
            uses[name] = None
    every = digest(*(part for item in sorted(sources.items()) for part in item))
    digests: dict[str, bytes] = {}
    for name in sources:
        seen, todo, anything = set(), [name], False
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            refs = uses.get(current, set())
            if refs is None:
                anything = True
                break
            todo.extend(refs)
        digests[name] = every if anything else digest(*(part for n in sorted(seen) for part in (n, sources.get(n, b""))))
    digests["*"] = every  # for a template that is not there (its page fails to render)
    return digests


def page_key(spec: PageSpec, context: dict, templates: dict[str, bytes], known: dict[int, bytes]) -> bytes:
    """A digest of a page's template (with what it uses) and of its context: a page whose key
    is unchanged renders to the same bytes. ``known`` keeps view digests within one build."""
    template = templates.get(spec.template) or templates.get("*", b"")
    return digest(template, pickled_digest(context, known, _VIEW_KINDS))


_VIEW_KINDS = (ArticleView,)


def _register_digests() -> None:
    import dataclasses

    from brief.render import pages, views

    fast_digest_of(*(obj for module in (views, pages) for obj in vars(module).values()
                     if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == module.__name__))
    _FAST_REDUCE[Markup] = lambda value: (Markup, (str(value),))


_register_digests()
