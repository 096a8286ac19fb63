"""Stage 4: render pages through Jinja2. Pure: returns ``(output path, bytes)`` pairs.

The environment autoescapes everything and uses ``StrictUndefined``, so a
template that names something missing fails loudly instead of rendering blank.
A site's own ``templates/`` folder overrides the default theme file by file.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

import jinja2
from markupsafe import Markup

from .config import Config
from .errors import Problem
from .markdown import PageEnv, Renderer
from .model import Article, Site
from .theme import theme_templates_dir
from .pages import PageSpec
from .views import MONTHS, ArticleView, article_view



class TemplateProblem(Exception):
    """A template failed to load or render; carries a ready-made Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def make_environment(config: Config, site: Site | None = None) -> jinja2.Environment:
    """The Jinja environment of a site: its own templates first, then the default theme.

    It depends on the configuration only (``site`` is accepted for older callers), so
    the preview can keep it, with its compiled templates, from one build to the next."""
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
    env.globals["asset"] = lambda path: base + str(path).lstrip("/")
    env.globals["url"] = lambda path: base + str(path).lstrip("/")
    return env


def isodate(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def humandate(value: datetime) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def render_articles(site: Site, renderer: Renderer, cache: ViewCache | None = None,
                    ) -> tuple[dict[str, ArticleView], dict[str, tuple[Path, str]], list[Problem]]:
    """Render the Markdown of every built article once.

    Returns the views by slug, the files next to articles that their pages show
    (output path → source file and the article that uses it), and the problems found.
    With a ``cache`` (the preview's), an unchanged article in an unchanged site
    keeps the view it had.
    """
    views: dict[str, ArticleView] = {}
    assets: dict[str, tuple[Path, str]] = {}
    problems: list[Problem] = []
    if cache is not None:
        cache.begin(site, renderer)
    for article in site.articles:
        scheduled = site.now is not None and article.date > site.now
        entry = cache.get(article, scheduled) if cache is not None else None
        if entry is None:
            env = PageEnv(source=article.path, relpath=article.relpath, url_path=article.url_path)
            entry = (article_view(article, site, renderer, env), env.problems, env.assets)
            if cache is not None:
                cache.put(article, scheduled, entry)
        view, found, files = entry
        views[article.slug] = view
        problems.extend(found)
        for output, source in files.items():
            assets[output] = (source, article.relpath)
    if cache is not None:
        cache.retain({id(a) for a in site.articles})
    return views, assets, problems


class ViewCache:
    """Article views of the previous build, reused while the article object (from the
    SourceCache) and everything else a view depends on stay the same: the URLs of all
    articles (for links between them), section, tag and author names, the base URL."""

    def __init__(self) -> None:
        self._views: dict[int, tuple[Article, bool, tuple]] = {}
        self._signature: tuple | None = None

    def begin(self, site: Site, renderer: Renderer) -> None:
        signature = (
            site.config.base_url, site.config.timezone,
            tuple((str(a.path), a.url_path) for a in site.articles),
            tuple(sorted(str(p) for p, a in site.by_path.items() if a.slug not in site.built)),
            renderer.signature,
            tuple((t.kind, t.slug, t.name) for terms in (site.sections, site.tags, site.authors) for t in terms.values()),
        )
        if signature != self._signature:
            self._views.clear()
            self._signature = signature

    def get(self, article: Article, scheduled: bool) -> tuple | None:
        entry = self._views.get(id(article))
        return entry[2] if entry is not None and entry[0] is article and entry[1] == scheduled else None

    def put(self, article: Article, scheduled: bool, entry: tuple) -> None:
        self._views[id(article)] = (article, scheduled, entry)

    def retain(self, ids: set[int]) -> None:
        """Forget the views of articles that are gone."""
        for key in self._views.keys() - ids:
            del self._views[key]

    def clear(self) -> None:
        self._views.clear()
        self._signature = None


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


class PageCache:
    """Pages of the previous build with the context they were rendered from (the preview's).

    A page whose template and context are equal to last time is not rendered again:
    rendering is a pure function of both. The owner clears it when templates or
    brief.toml change, since those change what the same context renders to.
    """

    def __init__(self) -> None:
        self._pages: dict[str, tuple[str, dict, bytes]] = {}
        self._env: tuple[tuple, jinja2.Environment] | None = None
        self.feeds: dict = {}
        """Feeds of the last build (see brief.feeds.feed_files)."""
        self.meta: dict = {}
        """Article metadata of the last build (see brief.pages.site_pages)."""
        self.rendered = 0
        """Pages rendered (not reused) by the last build."""

    def environment(self, config: Config) -> jinja2.Environment:
        """The Jinja environment for ``config``, kept with its compiled templates."""
        key = (config.root, config.base_url, config.templates_dir.is_dir())
        if self._env is None or self._env[0] != key:
            self._env = (key, make_environment(config))
        return self._env[1]

    def clear(self) -> None:
        self._pages.clear()
        self._env = None
        self.feeds.clear()
        self.meta.clear()


def render_pages(specs: Iterable[PageSpec], env: jinja2.Environment, problems: list[Problem],
                 cache: PageCache | None = None) -> Iterator[tuple[PageSpec, bytes]]:
    """Render every page. A page whose template fails is skipped and its problem
    added to ``problems`` (once per template line), so one run shows them all."""
    previous = cache._pages if cache is not None else {}
    current: dict[str, tuple[str, dict, bytes]] = {}
    rendered = 0
    for spec in specs:
        last = previous.get(spec.output)
        if last is not None and last[0] == spec.template and last[1] == spec.context:
            data = last[2]
        else:
            try:
                data = _render(_template(env, spec.template), **spec.context)
            except TemplateProblem as exc:
                if exc.problem not in problems:
                    problems.append(exc.problem)
                continue
            rendered += 1
        if cache is not None:
            current[spec.output] = (spec.template, spec.context, data)
        yield spec, data
    if cache is not None:
        cache._pages = current
        cache.rendered = rendered


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
