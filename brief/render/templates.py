"""The Jinja environment of a site, and one page rendered through it (pure: bytes, no files).

The environment autoescapes everything and uses ``StrictUndefined``, so a
template that names something missing fails loudly instead of rendering blank.
A site's own ``templates/`` folder overrides the default theme file by file.
"""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from brief.config import Config
from brief.errors import Problem
from brief.media.assets import asset_url
from brief.render.contract import MONTHS
from brief.render.fragments import use_fragments
from brief.render.plans import PageSpec
from brief.site.model import Site
from brief.theme import theme_templates_dir


class TemplateProblem(Exception):
    """A template failed to load or render; carries a ready-made Problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.format())
        self.problem = problem


def make_environment(
    config: Config,
    site: Site | None = None,
    assets: dict[str, str] | None = None,
    bytecode: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """The Jinja environment of a site: its own templates first, then the default theme.

    It depends on the configuration and the hashed names of stylesheets and scripts
    (``assets``, see brief.media.assets) only (``site`` is accepted for older callers), so the
    preview can keep it, with its compiled templates, from one build to the next; ``brief build``
    keeps them in ``bytecode`` (brief.bytecode)."""
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
        cache_size=-1,  # a plain dict: a theme's few templates, without the LRU's lock and queue per include
        bytecode_cache=bytecode,
    )
    use_fragments(env)
    env.filters["isodate"] = isodate
    env.filters["humandate"] = humandate
    env.filters["humantime"] = humantime
    base = config.base_path
    env.globals["asset"] = asset_url(base, assets or {})
    env.globals["url"] = lambda path: base + str(path).lstrip("/")
    return env


def isodate(value: datetime) -> str:
    return value.isoformat(timespec="seconds")


def humandate(value: datetime) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def humantime(value: datetime) -> str:
    """``3 December 2026, 06:00 UTC`` in the date's own zone (the site's), with the UTC time
    after it when that zone is not UTC: ``3 December 2026, 07:00 CET (06:00 UTC)``."""
    zone = value.tzname() or "UTC"
    if zone[:1] in "+-":  # a zone without an abbreviation (America/Sao_Paulo says "-03")
        zone = "UTC" + zone
    shown = f"{humandate(value)}, {value:%H:%M} {zone}"
    offset = value.utcoffset()
    if offset:
        shown += f" ({value.astimezone(UTC):%H:%M} UTC)"
    return shown


def check_templates(env: jinja2.Environment) -> list[Problem]:
    """Compile every template once, so all syntax errors are reported together."""
    problems = []
    for name in env.list_templates(filter_func=lambda n: not n.startswith(".")):
        try:
            _template(env, name)
        except TemplateProblem as exc:
            problems.append(exc.problem)
    return problems


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
        raise _syntax_problem(exc) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(
            Problem(
                f"templates/{name}",
                None,
                None,
                f"template not found: {exc.name} (neither in the site's templates/ nor in the default theme)",
            )
        ) from None


def _syntax_problem(exc: jinja2.TemplateSyntaxError) -> TemplateProblem:
    return TemplateProblem(
        Problem(_template_path(exc.filename, exc.name), exc.lineno, None, f"template syntax error: {exc.message}")
    )


def _render(template: jinja2.Template, **context) -> bytes:
    try:
        return template.render(**context).encode("utf-8")
    except jinja2.TemplateSyntaxError as exc:
        raise _syntax_problem(exc) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(
            Problem(_template_path(template.filename, template.name), None, None, f"template not found: {exc.name}")
        ) from None
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
