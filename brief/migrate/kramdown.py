"""kramdown's own syntax in a Jekyll post → the CommonMark brief reads.

kramdown (Jekyll's Markdown) takes attribute lists and markers CommonMark shows as text:

- an attribute list on its own line (``{: .note}``, ``{:.lead}``, ``{: #id}``), after an
  element (``![x](a.png){: .center}``, ``[a](b){:target="_blank"}``) or defined by name
  (``{:refdef: .class}``) → removed (brief's theme styles its own elements);
- the table of contents (``* TOC`` then ``{:toc}``, or ``{:toc}`` alone) → removed;
- ``{::options … /}``, ``{::comment}…{:/comment}`` → removed; ``{::nomarkdown}…{:/nomarkdown}``
  → its content (raw HTML, which brief sanitises);
- an id one gives (``{: #fn1}`` after a block, a heading's ``{#v1}``) → an empty
  ``<a id="fn1"></a>`` at the end of that block, so that links naming it still land (a
  heading's id that brief's own, from its text, equals is simply removed);
- ``markdown="1"`` on an HTML element → removed (CommonMark reads the Markdown after a
  blank line anyway); a line holding only ``^`` (kramdown's end of a block) → removed;
- an abbreviation definition (``*[HTML]: HyperText Markup Language``) → removed.

Fenced code blocks are left exactly as they are: such text is meant to be shown there.
Every removal is counted in the report.
"""

from __future__ import annotations

import re

from brief.migrate.report import Report
from brief.slugs import slugify

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BLOCK_IAL = re.compile(r"^\s*\{:(?![:/])(?:[^}]|\}(?!\s*$))*\}\s*$")
_SPAN_IAL = re.compile(r"\{:(?!:)[^{}\n]*\}")
_TOC_ITEM = re.compile(r"^\s*(?:[*+-]|\d+\.)\s+TOC\s*$")
_HEADING_ID = re.compile(r"^(#{1,6}\s.*?)\s*\{#([^}\s]+)(?:\s[^}]*)?\}\s*$")
_MARKDOWN_ATTR = re.compile(r"""(<[A-Za-z][^>]*?)\s+markdown\s*=\s*(["']?)(?:1|block|span|0)\2""")
_ABBREVIATION = re.compile(r"^\*\[[^\]\n]+\]:")
_EXTENSION = re.compile(r"\{::(comment|nomarkdown|options)\b[^}]*?(/)?\}")
_EXTENSION_END = re.compile(r"\{:/(?:comment|nomarkdown)?\}")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def clean(text: str, report: Report) -> str:
    """``text`` without kramdown's attribute lists, markers and extensions (code left alone)."""
    out: list[str] = []
    fence = ""
    skipping = ""  # inside {::comment} … {:/comment}
    for line in text.split("\n"):
        opened = _FENCE.match(line)
        if fence:
            out.append(line)
            if (
                opened
                and opened[1][0] == fence[0]
                and len(opened[1]) >= len(fence)
                and not line.strip()[len(opened[1]) :]
            ):
                fence = ""
            continue
        if opened and not skipping:
            fence = opened[1]
            out.append(line)
            continue
        if skipping:
            end = _EXTENSION_END.search(line)
            if end is None:
                continue
            line, skipping = line[end.end() :], ""
            if not line.strip():
                continue
        kept, skipping = _line(line, out, report)
        if kept is not None and (kept.strip() or not out or out[-1].strip()):
            out.append(kept)  # (a run of blank lines, as removals leave, becomes one)
    return "\n".join(out)


def _line(line: str, out: list[str], report: Report) -> tuple[str | None, str]:
    """One line outside code: what is left of it (None: nothing), and whether a comment opened."""
    stripped = line.strip()
    if stripped == "{:toc}" or re.fullmatch(r"\{:\s*toc\s*\}", stripped):
        if out and _TOC_ITEM.match(out[-1]):
            out.pop()
        report.convert("kramdown {:toc} → removed")
        return None, ""
    if _BLOCK_IAL.match(line):
        named = re.search(r"#([A-Za-z][\w:.-]*)", stripped)
        if named and _anchor(out, named[1]):
            report.convert("kramdown {: #id } → anchor")
        else:
            report.convert("kramdown {: … } → removed")
        return None, ""
    if stripped == "^":
        report.convert("kramdown ^ → removed")
        return None, ""
    if _ABBREVIATION.match(line):
        report.convert("kramdown *[abbreviation] → removed")
        return None, ""
    skipping = ""
    found = _EXTENSION.search(line)
    while found is not None:
        kind = found[1]
        if kind == "comment":
            end = _EXTENSION_END.search(line, found.end())
            report.convert("kramdown {::comment} → removed")
            if end is None:
                line, skipping = line[: found.start()], "comment"
                break
            line = line[: found.start()] + line[end.end() :]
        else:
            report.convert(f"kramdown {{::{kind}}} → removed")
            line = line[: found.start()] + line[found.end() :]
        found = _EXTENSION.search(line)
    if "{:/" in line:
        line = _EXTENSION_END.sub("", line)
    line = _outside_code(line, report)
    if not line.strip() and stripped:
        return None, skipping
    return line, skipping


def _anchor(out: list[str], name: str) -> bool:
    """Keep an id a block attribute list gave (``{: #fn1}``, which links name) as an empty
    ``<a id>`` at the end of the block it follows; False when there is no such block."""
    last = next((i for i in range(len(out) - 1, -1, -1) if out[i].strip()), None)
    if last is None or _FENCE.match(out[last]) or out[last].lstrip().startswith(("<", "|")):
        return False
    out[last] += f' <a id="{name}"></a>'
    return True


def _outside_code(line: str, report: Report) -> str:
    """Span attribute lists, heading ids and ``markdown="1"`` removed outside code spans."""
    heading = _HEADING_ID.match(line)
    if heading:
        line = heading[1]
        text = re.sub(r"^#+\s*", "", line)
        if slugify(text) == heading[2]:
            report.convert("kramdown heading {#id} → removed")
        else:  # an id of its own, which links may name: kept on an anchor
            report.convert("kramdown heading {#id} → anchor")
            line += f' <a id="{heading[2]}"></a>'
    pieces: list[str] = []
    last = 0
    for code in [*_CODE_SPAN.finditer(line), None]:
        part = line[last : code.start() if code else len(line)]
        part, spans = _SPAN_IAL.subn("", part)
        part, attrs = _MARKDOWN_ATTR.subn(r"\1", part)
        if spans:
            report.convert("kramdown {: … } → removed", spans)
        if attrs:
            report.convert('markdown="1" → removed', attrs)
        pieces.append(part)
        if code:
            pieces.append(code[0])
            last = code.end()
    return "".join(pieces)
