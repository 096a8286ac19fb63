"""``brief check``'s findings as text for people, JSON for tools or GitHub Actions annotations."""

from __future__ import annotations

import json
from pathlib import Path

from brief.commands.check import CheckResult
from brief.errors import ERROR, WARNING, Problem, counts
from brief.excerpts import excerpts


def report(result: CheckResult, fmt: str, strict: bool, root: Path | None = None) -> tuple[str, int]:
    """The text to print and the exit code. With ``root`` (the site folder), the text shows
    each error's source lines under it; json and github never do."""
    problems = sorted(result.problems, key=lambda p: p.sort_key)
    failing = [p for p in problems if p.severity != WARNING or strict]
    code = 1 if failing else 0
    if fmt == "json":
        data = {
            "ok": not failing,
            "pages": result.pages,
            "links": result.links,
            "errors": sum(1 for p in problems if p.severity != WARNING),
            "warnings": sum(1 for p in problems if p.severity == WARNING),
            "problems": [
                {
                    "path": p.path,
                    "line": p.line,
                    "field": p.field,
                    "message": p.message,
                    "code": p.code,
                    "severity": ERROR if (p.severity != WARNING or strict) else WARNING,
                }
                for p in problems
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n", code
    if fmt == "github":
        out = []
        for p in problems:
            level = "error" if (p.severity != WARNING or strict) else "warning"
            where = f"file={_escape_property(p.path)}" + (f",line={p.line}" if p.line else "")
            label = " ".join(filter(None, (p.code and f"[{p.code}]", p.field)))
            title = f",title={_escape_property(label)}" if label else ""
            out.append(f"::{level} {where}{title}::{_escape_data(p.message)}")
        out.append(_summary(result, problems, strict))
        return "\n".join(out) + "\n", code
    lines: list[str] = []
    last = None
    shown = excerpts(root, [p for p in problems if p in failing]) if root is not None else {}
    for p in problems:
        if p.path != last and last is not None:
            lines.append("")
        last = p.path
        text = p.format()
        lines.append(text.replace(": warning: ", ": error: ", 1) if strict and p.severity == WARNING else text)
        lines.extend(shown[p].rows() if p in shown else [])
    if lines:
        lines.append("")
    lines.append(_summary(result, problems, strict))
    return "\n".join(lines) + "\n", code


def _summary(result: CheckResult, problems: list[Problem], strict: bool) -> str:
    errors = sum(1 for p in problems if p.severity != WARNING)
    warnings = len(problems) - errors
    verdict = "failed" if errors or (strict and warnings) else "passed"
    return (
        f"Check {verdict}: {counts(problems)}"
        f"{' (--strict: warnings count as errors)' if strict and warnings else ''}; "
        + (
            f"{result.pages} pages, {result.links} links checked"
            if result.pages or not errors
            else "no page was built to read (the errors above stop a build), so only the articles' links were checked"
        )
    )


def _escape_data(text: str) -> str:
    # GitHub's workflow-command escaping: % first, then the line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
