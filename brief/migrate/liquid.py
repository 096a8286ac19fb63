"""Liquid in a Jekyll body → brief Markdown.

Jekyll runs a post's text through Liquid before Markdown: every ``{{ … }}`` and
``{% … %}`` is gone from the page readers saw. This module does what Liquid did where
the result can be known from files:

- ``{{ site.baseurl }}``, ``{{ site.url }}``, ``| relative_url`` and ``| absolute_url`` →
  site paths (the old base path is the new site's business); ``{{ page.* }}`` and
  ``{{ site.* }}`` → the front matter's and ``_config.yml``'s values;
- ``{% post_url 2020-01-02-slug %}`` and ``{% link path %}`` → the target's URL on the old
  site (the import's plan turns links to those into links to the ``.md`` files);
- ``{% highlight lang %}…{% endhighlight %}`` → a fenced code block; ``{% raw %}…{% endraw %}``
  → its text; ``{% comment %}`` → nothing; ``{% assign %}`` and ``{% capture %}`` → their
  value, used later (a captured block's Markdown where ``{{ name | markdownify }}`` stands);
- ``{% include %}`` of an embed or a figure → the embed's URL on a line of its own, or an
  image with its caption as title (see :mod:`brief.migrate.liquidincludes`);
  ``{% include_relative file %}`` → that file's text, converted.

Anything else (``{% if %}``, ``{% for %}``, a site's own include or filter) is replaced
by the ``--map`` file's entry for its name, or left exactly as written (the build then
flags it) and listed in the report with its file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from brief.migrate.constructs import Params, Replacements, parse_params
from brief.migrate.liquidexpr import Env, as_text, evaluate, term
from brief.migrate.liquidincludes import page_url, plugin_embed
from brief.migrate.report import Report
from brief.render.embeds import find_embed

_TOKEN = re.compile(
    r"\{%-?\s*(?P<tag>#|[A-Za-z_]\w*)?(?P<args>(?:[^%]|%(?!\}))*?)-?%\}"
    r"|\{\{-?(?P<expr>(?:[^}\n]|\}(?!\})|\n(?![ \t]*\n))*?)-?\}\}",
    re.S,
)
_INCLUDE_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))|"([^"]*)"|'([^']*)'|(\S+)""")
_PLUGIN_EMBEDS = ("youtube", "vimeo", "twitter", "tweet", "oembed", "video", "instagram", "gist")
MAX_DEPTH = 5


@dataclass
class Scope:
    """How one body is converted: what its Liquid sees, how links and includes resolve, and
    where conversions are noted."""

    source: str
    line_at: Callable[[int], int]
    """Offset in the text being converted → line of the source file."""
    env: Env
    report: Report
    replacements: Replacements
    base_url: str = ""
    link: Callable[[str], str | None] = lambda path: None
    post_url: Callable[[str], str | None] = lambda name: None
    include: Callable[[str, Params, int], tuple[str, str] | None] = lambda name, params, line: None
    """A known include → (Markdown, kind of conversion), or None."""
    relative: Callable[[str], str | None] = lambda path: None
    """``include_relative``'s file → its text, or None when there is none."""
    protect: Callable[[str], str] | None = None
    """For an HTML body: Markdown made here (an embed, a figure, a construct left as written)
    → a token the HTML conversion passes through unchanged."""
    depth: int = 0

    def at(self, base: int) -> Scope:
        """This scope for a piece of the text that starts at ``base``."""
        return replace(self, line_at=lambda offset: self.line_at(base + offset))


@dataclass
class _Out:
    text: str
    end: int
    block: bool = False
    """A block (embed, figure, code): given a paragraph of its own when alone on its line."""
    reindent: bool = True
    markdown: bool = False
    """Text to keep as it is (left as written, or the map's replacement)."""
    dedent: bool = False
    """Markdown blocks (a captured text) that must start at the margin, even where the construct
    was indented inside raw HTML: CommonMark reads them after the HTML block ends."""


def convert(text: str, scope: Scope) -> str:
    """``text`` with every Liquid construct converted, replaced from the map or left as written."""
    out: list[str] = []
    pos = 0
    while (match := _TOKEN.search(text, pos)) is not None:
        out.append(text[pos : match.start()])
        done = _construct(text, match, scope)
        if scope.protect is not None and (done.block or done.markdown) and done.text.strip():
            done = replace(done, text=scope.protect(done.text), reindent=False)
        pos = _place(text, match.start(), pos, done, out)
    out.append(text[pos:])
    return "".join(out)


def _place(text: str, start: int, pos: int, done: _Out, out: list[str]) -> int:
    """Append ``done``; a construct alone on its line that became nothing takes its line with
    it, one that became a block gets blank lines around it. Returns where to go on."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", done.end)
    line_end = len(text) if line_end < 0 else line_end
    indent = text[line_start:start]
    alone = line_start >= pos and not indent.strip() and not text[done.end : line_end].strip()
    if alone and not done.text.strip():
        out[-1] = out[-1][: len(out[-1]) - len(indent)]
        return min(line_end + 1, len(text))
    if alone and done.dedent:
        out[-1] = out[-1][: len(out[-1]) - len(indent)]
        out.append(("\n" if line_start else "") + done.text.lstrip("\n").rstrip() + "\n\n")
        return min(line_end + 1, len(text))
    if alone and done.block:
        body = done.text.replace("\n", "\n" + indent) if done.reindent and indent else done.text
        before = text[text.rfind("\n", 0, max(line_start - 1, 0)) + 1 : max(line_start - 1, 0)]
        after_end = text.find("\n", line_end + 1)
        after = text[line_end + 1 : len(text) if after_end < 0 else after_end]
        lead = "\n" + indent if line_start and before.strip() else ""
        out.append(lead + body + ("\n" if after.strip() else ""))
        return done.end
    out.append(done.text)
    return done.end


def _construct(text: str, match: re.Match[str], scope: Scope) -> _Out:
    if match["expr"] is not None:
        return _expression(text, match, scope)
    tag = match["tag"] or ""
    handlers = {
        "raw": _raw,
        "comment": _comment,
        "#": lambda t, m, s: _Out("", m.end()),
        "highlight": _highlight,
        "include": _include,
        "include_relative": _include_relative,
        "link": _link,
        "post_url": _link,
        "assign": _assign,
        "capture": _capture,
    }
    if tag in handlers:
        return handlers[tag](text, match, scope)
    if tag in _PLUGIN_EMBEDS:
        found = plugin_embed(tag, parse_params(match["args"]))
        if found is not None:
            scope.report.convert(found[1])
            return _Out(found[0], match.end(), block=True)
    return _other(text, match, scope, tag)


def _expression(text: str, match: re.Match[str], scope: Scope) -> _Out:
    expr = match["expr"].strip()
    result = evaluate(expr, scope.env)
    following = text[match.end() : match.end() + 1]
    if result.unknown:
        literal = result.params.positional[0] if result.params.positional and expr[:1] in "\"'" else ""
        if literal and find_embed(literal) is not None:
            scope.report.convert(f'{{{{ "URL" {result.unknown[3:-3]} }}}} → embed')
            return _Out(page_url(literal), match.end(), block=True)
        line = scope.line_at(match.start())
        return _map_or_leave(result.unknown, result.params, None, match[0], match.end(), line, scope)
    value = as_text(result.value)
    if "\n\n" in value.strip() and result.roots[:1] not in (("page",), ("site",)):
        scope.report.convert("{{ captured }} → its Markdown")
        return _Out(value, match.end(), block=True, dedent=True)
    if expr in ("site.baseurl", "site.url") and following not in ("/", "{"):
        value = "/" if expr == "site.baseurl" else scope.base_url or "/"
    if re.search(r"site\.(?:baseurl|url)\b|relative_url|absolute_url", expr):
        scope.report.convert("{{ site.baseurl }} → path")
    elif result.roots[:1] in (("page",), ("site",)):
        scope.report.convert(f"{{{{ {result.roots[0]}.* }}}} → value")
    else:
        scope.report.convert("{{ … }} → value")
    return _Out(value, match.end())


def _map_or_leave(
    name: str, params: Params, inner: tuple[str, int] | None, whole: str, end: int, line: int, scope: Scope
) -> _Out:
    """The map's replacement of construct ``name``, else the construct as written (listed)."""
    if name in scope.replacements:
        body = None
        if inner is not None:
            body = convert(inner[0], scope.at(inner[1])) if scope.replacements.wants_inner(name) else inner[0]
        out, why = scope.replacements.apply(name, params, body)
        if out is not None:
            scope.report.convert(f"{name} → map")
            return _Out(out, end, block="\n" in out.strip(), markdown=True)
        scope.report.warn(scope.source, line, f"{name}: {why}; left as written")
    scope.report.leave(name, scope.source, line, whole)
    return _Out(whole, end, markdown=True)


def _find_end(text: str, start: int, tag: str) -> re.Match[str] | None:
    """The ``{% endtag %}`` closing a block opened before ``start``, nested ones skipped."""
    pattern = re.compile(r"\{%-?\s*(end)?" + re.escape(tag) + r"\b(?:[^%]|%(?!\}))*?-?%\}")
    depth = 1
    for found in pattern.finditer(text, start):
        depth += -1 if found[1] else 1
        if depth == 0:
            return found
    return None


def _other(text: str, match: re.Match[str], scope: Scope, tag: str) -> _Out:
    """A tag the reader does not know: a whole block when it has an end tag."""
    line = scope.line_at(match.start())
    params = parse_params(match["args"])
    if tag == "capture" and params.positional:
        scope.env.opaque.add(params.positional[0])
    end = _find_end(text, match.end(), tag) if tag and not tag.startswith("end") else None
    if end is None:
        return _map_or_leave(tag or "{%", params, None, match[0], match.end(), line, scope)
    inner = (text[match.end() : end.start()], match.end())
    return _map_or_leave(tag, params, inner, text[match.start() : end.end()], end.end(), line, scope)


def _raw(text: str, match: re.Match[str], scope: Scope) -> _Out:
    end = re.compile(r"\{%-?\s*endraw\s*-?%\}").search(text, match.end())
    if end is None:
        return _other(text, match, scope, "raw")
    scope.report.convert("{% raw %} → text")
    return _Out(text[match.end() : end.start()], end.end())


def _comment(text: str, match: re.Match[str], scope: Scope) -> _Out:
    end = _find_end(text, match.end(), "comment")
    if end is None:
        return _other(text, match, scope, "comment")
    scope.report.convert("{% comment %} → removed")
    return _Out("", end.end())


def _highlight(text: str, match: re.Match[str], scope: Scope) -> _Out:
    end = _find_end(text, match.end(), "highlight")
    if end is None:
        return _other(text, match, scope, "highlight")
    words = match["args"].split()
    lang = words[0] if words and "=" not in words[0] else ""
    code = convert(text[match.end() : end.start()], scope.at(match.end()))
    code = re.sub(r"\A[ \t]*\n", "", code).rstrip()
    line_start = text.rfind("\n", 0, match.start()) + 1
    indent = text[line_start : match.start()]
    lead = "" if not indent.strip() else "\n\n"
    indent = indent if not indent.strip() else ""
    fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", code)), default=0))
    scope.report.convert("{% highlight %} → code fence")
    return _Out(f"{lead}{fence}{lang}\n{code}\n{indent}{fence}", end.end(), block=True, reindent=False)


def _include_params(text: str, scope: Scope) -> Params:
    """An include's ``key=value`` parameters: a quoted value as written (its ``{{ }}``
    evaluated), a bare one the variable it names."""
    params = Params()
    for found in _INCLUDE_PARAM.finditer(text):
        key = found[1]
        quoted = next((g for g in (found[2], found[3], found[5], found[6]) if g is not None), None)
        if quoted is not None:
            value = convert(quoted, scope) if "{{" in quoted else quoted
        else:
            bare = found[4] if key else found[7]
            got, unknown, _ = term(bare, scope.env)
            value = bare if unknown or (not key and got is None) else as_text(got)
        if key:
            params.named[key] = value
        else:
            params.positional.append(value)
    return params


def _include(text: str, match: re.Match[str], scope: Scope) -> _Out:
    args = match["args"].strip()
    line = scope.line_at(match.start())
    dynamic = re.match(r"\{\{(.*?)\}\}", args, re.S)
    if dynamic:
        result = evaluate(dynamic[1], scope.env)
        name, rest = ("" if result.unknown else as_text(result.value)), args[dynamic.end() :]
    else:
        name, rest = (re.split(r"\s+", args, maxsplit=1) + [""])[:2]
    params = _include_params(rest, scope)
    if not name:
        return _map_or_leave("include", params, None, match[0], match.end(), line, scope)
    known = scope.include(name, params, line)
    if known is not None:
        scope.report.convert(known[1])
        return _Out(known[0], match.end(), block=True)
    return _map_or_leave(f"include {name}", params, None, match[0], match.end(), line, scope)


def _include_relative(text: str, match: re.Match[str], scope: Scope) -> _Out:
    path = match["args"].strip().split(" ")[0]
    line = scope.line_at(match.start())
    content = scope.relative(path) if scope.depth < MAX_DEPTH else None
    if content is None:
        params = parse_params(match["args"])
        return _map_or_leave(f"include_relative {path}", params, None, match[0], match.end(), line, scope)
    inner = replace(scope, line_at=lambda offset: line, depth=scope.depth + 1)
    scope.report.convert("{% include_relative %} → its text")
    return _Out(convert(content, inner), match.end(), block=True, reindent=False)


def _link(text: str, match: re.Match[str], scope: Scope) -> _Out:
    tag, target = match["tag"], match["args"].strip()
    if "{{" in target:
        target = convert(target, scope)
    url = (scope.post_url if tag == "post_url" else scope.link)(target)
    line = scope.line_at(match.start())
    if url is None:
        what = "post" if tag == "post_url" else "file"
        scope.report.warn(
            scope.source, line, f"{{% {tag} {target} %}}: no {what} {target} in the site; left as written"
        )
        return _map_or_leave(tag, parse_params(target), None, match[0], match.end(), line, scope)
    scope.report.convert(f"{{% {tag} %}} → link")
    return _Out(url, match.end())


def _assign(text: str, match: re.Match[str], scope: Scope) -> _Out:
    found = re.match(r"\s*([\w-]+)\s*=\s*(.*)", match["args"], re.S)
    if found is None:
        return _other(text, match, scope, "assign")
    result = evaluate(found[2], scope.env)
    if result.unknown:
        scope.env.opaque.add(found[1])
        return _other(text, match, scope, "assign")
    scope.env.variables[found[1]] = result.value
    scope.env.opaque.discard(found[1])
    scope.report.convert("{% assign %} → value")
    return _Out("", match.end())


def _capture(text: str, match: re.Match[str], scope: Scope) -> _Out:
    """``{% capture name %}…{% endcapture %}``: the block's text, its Liquid converted, is the
    variable's value; a block holding Liquid that cannot all be converted is left whole (and
    the variable stays unknown)."""
    params = parse_params(match["args"])
    end = _find_end(text, match.end(), "capture")
    if not params.positional or end is None:
        return _other(text, match, scope, "capture")
    trial = Report()
    value = convert(text[match.end() : end.start()], replace(scope.at(match.end()), report=trial))
    if trial.unconverted or trial.warnings:
        return _other(text, match, scope, "capture")
    scope.report.converted.update(trial.converted)
    scope.env.variables[params.positional[0]] = value
    scope.env.opaque.discard(params.positional[0])
    scope.report.convert("{% capture %} → value")
    return _Out("", end.end())
