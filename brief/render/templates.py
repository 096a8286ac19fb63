"""Stage 4: render pages through Jinja2. Pure: returns ``(output path, bytes)`` pairs.

The environment autoescapes everything and uses ``StrictUndefined``, so a
template that names something missing fails loudly instead of rendering blank.
A site's own ``templates/`` folder overrides the default theme file by file.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from brief.media.assets import asset_url
from brief.config import Config
from brief.errors import Problem
from brief.render.markdown import PageEnv, Renderer
from brief.content.model import Article, Site
from brief.theme import theme_templates_dir
from brief.render.pages import PageSpec
from brief.cache import BuildCache
from brief.digests import _FAST_REDUCE, digest, fast_digest_of, file_stamp, pickled_digest
from brief.render.views import MONTHS, ArticleParts, ArticleView, assemble_view, render_parts



class TemplateProblem(Exception):
    """A template failed to load or render; carries a ready-made Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def make_environment(config: Config, site: Site | None = None, assets: dict[str, str] | None = None) -> jinja2.Environment:
    """The Jinja environment of a site: its own templates first, then the default theme.

    It depends on the configuration and the hashed names of stylesheets and scripts
    (``assets``, see brief.assets) only (``site`` is accepted for older callers), so the
    preview can keep it, with its compiled templates, from one build to the next."""
    loaders = []
    if config.templates_dir.is_dir():
        loaders.append(jinja2.FileSystemLoader(config.templates_dir))
    loaders.append(jinja2.FileSystemLoader(theme_templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Templates do not change during a build, and the preview makes a new environment
        # when they change: without this, every {% include %} would stat its file again
        # (250,000 stat calls in a 10,000-article build).
        auto_reload=False,
    )
    env.filters["isodate"] = isodate
    env.filters["humandate"] = humandate
    base = config.base_path
    env.globals["asset"] = asset_url(base, assets or {})
    env.globals["url"] = lambda path: base + str(path).lstrip("/")
    return env


def isodate(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def humandate(value: datetime) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def render_articles(site: Site, renderer: Renderer, cache: BuildCache | None = None,
                    progress: Callable[[str, int, int], None] | None = None,
                    ) -> tuple[dict[str, ArticleView], dict[str, tuple[Path, str]], list[Problem]]:
    """Render the Markdown of every built article once.

    Returns the views by slug, the files next to articles that their pages show
    (output path → source file and the article that uses it), and the problems found.
    With a ``cache``, an article whose text and whose dependencies (link targets,
    image files) are unchanged keeps its rendered Markdown, and, while its place in
    the site is unchanged too, the very same view object.
    """
    views: dict[str, ArticleView] = {}
    assets: dict[str, tuple[Path, str]] = {}
    problems: list[Problem] = []
    previous_views = cache.memo.get("views", {}) if cache is not None else {}
    current_views: dict[bytes, tuple] = {}
    total = len(site.articles)
    for n, article in enumerate(site.articles, 1):
        if progress is not None and (n % 200 == 0 or n == total):
            progress("Rendering Markdown", n, total)
        parts = _article_parts(article, renderer, cache)
        view = assemble_view(article, site, parts)
        if cache is not None:
            last = previous_views.get(article.digest)
            if last is not None and last[0] is parts and last[1] == view:
                view = last[1]  # the same object: later stages recognise it unchanged
            current_views[article.digest] = (parts, view)
        views[article.slug] = view
        problems.extend(parts.problems)
        for output, source in parts.assets:
            assets[output] = (source, article.relpath)
    if cache is not None:
        cache.memo["views"] = current_views
    return views, assets, problems


def _article_parts(article: Article, renderer: Renderer, cache: BuildCache | None) -> ArticleParts:
    key = digest(article.digest, renderer.key) if cache is not None and article.digest else None
    if key is not None:
        cache.used.add(key)  # type: ignore[union-attr]
        parts = cache.parts.get(key)  # type: ignore[union-attr]
        if parts is not None and all(_dep_holds(renderer, *dep) for dep in parts.deps):
            return parts
    env = PageEnv(source=article.path, relpath=article.relpath, url_path=article.url_path)
    parts = render_parts(article, renderer, env)
    if key is not None:
        cache.parts[key] = parts  # type: ignore[union-attr]
    return parts


def _dep_holds(renderer: Renderer, kind: str, path: str, seen: object) -> bool:
    if kind == "link":
        return renderer.link_state(Path(path) if path else None) == seen
    return file_stamp(Path(path)) == seen


def render_bios(site: Site, renderer: Renderer) -> tuple[dict[str, Markup], list[Problem]]:
    """Author bios (Markdown) of the authors with a page in this build."""
    bios: dict[str, Markup] = {}
    problems: list[Problem] = []
    for slug, term in site.authors.items():
        profile = term.profile
        if profile and profile.bio:
            env = PageEnv(source=site.config.root / profile.source, relpath=profile.source, url_path=term.url_path)
            bios[slug] = renderer.block(profile.bio, env, 1, doc_id=f"bio-{slug}", field="bio")
            problems += env.problems
    return bios, problems


def check_templates(env: jinja2.Environment) -> list[Problem]:
    """Compile every template once, so all syntax errors are reported together."""
    problems = []
    for name in env.list_templates(filter_func=lambda n: not n.startswith(".")):
        try:
            _template(env, name)
        except TemplateProblem as exc:
            problems.append(exc.problem)
    return problems


def environment(config: Config, cache: BuildCache | None, assets: dict[str, str] | None = None
                ) -> tuple[jinja2.Environment, dict[str, bytes]]:
    """The Jinja environment of ``config`` and, for each template, a digest of its source, of
    every template it extends, includes or imports, and of the hashed asset names (which
    every page links to). The cache keeps the environment (and its compiled templates)
    while none of that changed."""
    sources = _template_sources(config)
    names = repr(sorted((assets or {}).items()))
    key = digest(repr((str(config.root), config.base_url, names)), *(part for item in sorted(sources.items()) for part in item))
    kept = cache.memo.get("env") if cache is not None else None
    if kept is not None and kept[0] == key:
        return kept[1], kept[2]
    env = make_environment(config, assets=assets)
    digests = {name: digest(value, names) for name, value in _closure_digests(env, sources).items()}
    if cache is not None:
        cache.memo["env"] = (key, env, digests)
    return env, digests


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


def render_page(env: jinja2.Environment, spec: PageSpec, context: dict, problems: list[Problem]) -> bytes | None:
    """The bytes of one page, or None with its template's problem added to ``problems`` (once),
    so that one run reports every failing template."""
    try:
        return _render(_template(env, spec.template), **context)
    except TemplateProblem as exc:
        if exc.problem not in problems:
            problems.append(exc.problem)
        return None


def _template(env: jinja2.Environment, name: str) -> jinja2.Template:
    try:
        return env.get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(Problem(_template_path(exc.filename, exc.name), exc.lineno, None, f"template syntax error: {exc.message}")) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(Problem(f"templates/{name}", None, None, f"template not found: {exc.name} (neither in the site's templates/ nor in the default theme)")) from None


def _render(template: jinja2.Template, **context) -> bytes:
    try:
        return template.render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(Problem(_template_path(exc.filename, exc.name), exc.lineno, None, f"template syntax error: {exc.message}")) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(Problem(_template_path(template.filename, template.name), None, None, f"template not found: {exc.name}")) from None
    except Exception as exc:  # noqa: BLE001 - any error inside a template is the template's
        filename, line = _template_frame(exc, template)
        raise TemplateProblem(Problem(filename, line, None, f"template error: {type(exc).__name__}: {exc}")) from None


def _template_frame(exc: BaseException, template: jinja2.Template) -> tuple[str, int | None]:
    """The innermost template file and line in the traceback (Jinja maps them back to source)."""
    found: tuple[str, int | None] = (_template_path(template.filename, template.name), None)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2", ".jinja")):
            found = (_template_path(frame.filename, None), frame.lineno)
    return found


def _template_path(filename: str | None, name: str | None) -> str:
    if filename:
        path = Path(filename)
        parts = path.parts
        if "templates" in parts:
            return "templates/" + "/".join(parts[len(parts) - parts[::-1].index("templates") :])
        return path.as_posix()
    return f"templates/{name}"
