"""Where a key sits in a TOML text: tomllib keeps no positions, so brief.toml's problems
find their line here, by reading the text the way TOML lays it out (table headers,
dotted and quoted keys, inline tables, multi-line strings)."""

from __future__ import annotations

import re


def line_of(text: str, dotted: str) -> int | None:
    """Best-effort line of a key in TOML text (tomllib keeps no positions).

    Follows [table] headers, dotted and quoted keys; a key inside an inline table
    (``ana = { name = "A" }``) is found on the line of that table. None when absent."""
    return line_in(key_lines(text), dotted)


def line_in(lines: dict[str, int], dotted: str) -> int | None:
    """:func:`line_of` in the :func:`key_lines` of a text, for many keys of one text (a
    table of hundreds of redirects would otherwise read the whole text for each)."""
    wanted = dotted
    while wanted:
        if wanted in lines:
            return lines[wanted]
        wanted = wanted.rpartition(".")[0]
    return None


_TOML_HEADER = re.compile(r"^\s*\[\[?([^\[\]#]+)\]\]?\s*(#.*)?$")
_TOML_KEY = re.compile(
    r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)


def key_lines(text: str) -> dict[str, int]:
    """The first line (1-based) of every table and key of a TOML text, by dotted name."""
    found: dict[str, int] = {}
    table = ""
    in_string = None
    for number, line in enumerate(text.splitlines(), 1):
        if in_string:  # inside a multi-line string: its lines are not keys
            if line.count(in_string) % 2:
                in_string = None
            continue
        header = _TOML_HEADER.match(line)
        key = _TOML_KEY.match(line) if not header else None
        if header:
            table = _dotted(header.group(1))
            found.setdefault(table, number)
        elif key:
            found.setdefault(f"{table}.{_dotted(key.group(1))}" if table else _dotted(key.group(1)), number)
            rest = line[key.end() :]
            for quotes in ('"""', "'''"):
                if rest.count(quotes) % 2:
                    in_string = quotes
    return found


def _dotted(key: str) -> str:
    """``authors . "ana"`` → ``authors.ana``."""
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', key)
    return ".".join(a or b or c for a, b, c in parts)


def error_line(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None
