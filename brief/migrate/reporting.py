"""``import-report.md``: the report as an editor reads it, most useful first."""

from __future__ import annotations

from brief.migrate.report import Report

PLACES_SHOWN = 200
"""Locations listed per unconverted construct in the Markdown report (the JSON has them all)."""


def _table(head: tuple[str, ...], rows: list[tuple[object, ...]]) -> list[str]:
    def cell(value: object) -> str:
        return str(value).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return out + [""]


def markdown(report: Report, summary: list[str]) -> str:
    out = [f"# Import report: {report.kind} {report.source}", ""]
    out += [f"- {line}" for line in summary] + [""]
    out += _unconverted(report)
    out += ["## Front-matter fields", "", "Every key the source's posts held, and what it became.", ""]
    rows: list[tuple[object, ...]] = [
        (f"`{name}`", became, count, f"`{report.examples.get(name, '')}`")
        for (name, became), count in sorted(report.fields.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    out += _table(("source field", "became", "posts", "example"), rows)
    if report.converted:
        out += ["## Converted", ""]
        out += _table(("construct", "count"), [(k, v) for k, v in report.converted.most_common()])
    sections = [
        ("Posts skipped", [f"{source}: {why}" for source, why in report.skipped]),
        ("Missing assets", [f"{place}: {written}" for place, written in report.missing]),
        ("Warnings", [f"{place}: {message}" if str(place) else message for place, message in report.warnings]),
        ("Slugs changed", [_slug_line(report, source, was, now) for source, was, now in report.slugs]),
        ("Redirects", [f"`{old}` → `{new}` ({why})" for old, new, why in report.redirects]),
        ("URLs no static host can keep", [f"`{url}`: {why}" for url, why in report.unreachable]),
        ("Dates rewritten", [f"{place}: {name}: `{was}` → `{now}`" for place, name, was, now in report.dates]),
        ("Files kept as they were (no --overwrite)", report.kept),
    ]
    for title, lines in sections:
        if lines:
            out += [f"## {title} ({len(lines)})", ""] + [f"- {line}" for line in lines] + [""]
    return "\n".join(out)


def _slug_line(report: Report, source: str, was: str, now: str) -> str:
    """A changed slug and the old addresses that now redirect to its article."""
    old = [f"`{o}`" for o, _, why in report.redirects if why.startswith(f"{source}:")]
    return f"{source}: `{was}` → `{now}`" + (f"; redirected: {', '.join(old)}" if old else "")


def _unconverted(report: Report) -> list[str]:
    found = report.unconverted_sorted()
    if not found:
        return ["## Unconverted constructs", "", "None: every shortcode, include and tag was converted.", ""]
    out = [
        "## Unconverted constructs",
        "",
        "Left as written: `brief build` reports each. Write a replacement for a name in a map file",
        "and import again with `--map FILE --overwrite` (see README › Migrating):",
        "",
        "```toml",
        "[replace]",
        f'"{found[0][0]}" = "…brief Markdown, with {{name}}, {{0}} and {{inner}} from the construct…"',
        "```",
        "",
    ]
    for name, places in found:
        out += [f"### `{name}` ({len(places)})", "", f"Example: `{report.unconverted_examples.get(name, '')}`", ""]
        shown = [str(p) for p in places[:PLACES_SHOWN]]
        out += [f"- {p}" for p in shown]
        if len(places) > PLACES_SHOWN:
            out.append(f"- … and {len(places) - PLACES_SHOWN} more (all in import-report.json)")
        out.append("")
    return out
