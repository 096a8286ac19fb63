"""GitHub's alerts (``> [!NOTE]``), which Hugo renders as callouts (its blockquote render
hook, since 0.132), → brief's ``::: callout`` blocks.

::

    > [!WARNING] Breaking change          ::: callout warning Breaking change
    > The `foo` option is gone.       →   The `foo` option is gone.
                                          :::

The blockquote ends at a blank line, as CommonMark ends it (a line without ``>`` right after
its text still belongs to it); its lines keep their indentation, so that an alert inside a
list item stays there. Fenced code is left alone.
"""

from __future__ import annotations

import re

from brief.migrate.report import Report

KINDS = ("note", "tip", "important", "warning", "caution")
_ALERT = re.compile(r"^(?P<indent>[ \t]*)>[ \t]?\[!(?P<kind>[A-Za-z]+)\][ \t]*(?P<title>.*)$")
_QUOTED = re.compile(r"^(?P<indent>[ \t]*)>[ \t]?(?P<text>.*)$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def convert(body: str, report: Report) -> str:
    """``body`` with each alert made a callout; every other line as it was."""
    if "[!" not in body:
        return body
    lines = body.split("\n")
    out: list[str] = []
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE.match(line)
        if fence or opened:
            if opened and (not fence or opened[1][0] == fence[0] and len(opened[1]) >= len(fence)):
                fence = "" if fence else opened[1]
            out.append(line)
            i += 1
            continue
        alert = _ALERT.match(line)
        if alert is None or alert["kind"].lower() not in KINDS:
            out.append(line)
            i += 1
            continue
        i, text = _quote(lines, i + 1, alert["indent"])
        marks = "::::" if any(t.lstrip().startswith(":::") for t in text) else ":::"
        indent, title = alert["indent"], alert["title"].strip()
        out += [f"{indent}{marks} callout {alert['kind'].lower()}{' ' + title if title else ''}"]
        out += [f"{indent}{t}" if t.strip() else "" for t in text] + [f"{indent}{marks}"]
        report.convert("> [!NOTE] alert → ::: callout")
    return "\n".join(out)


def _quote(lines: list[str], start: int, indent: str) -> tuple[int, list[str]]:
    """The rest of the blockquote from ``start``: (the index after it, its lines unquoted)."""
    text: list[str] = []
    i = start
    while i < len(lines) and lines[i].strip():
        quoted = _QUOTED.match(lines[i])
        text.append(quoted["text"] if quoted else lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
        i += 1
    return i, text
