"""What an import did, for ``import-report.md`` and ``import-report.json``.

Readers and the plan note every decision here as they make it; nothing a source held is
left out of the site without a line in the report.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

EXAMPLE_LENGTH = 80


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = " ".join(text.split())
    return text if len(text) <= EXAMPLE_LENGTH else text[: EXAMPLE_LENGTH - 1] + "…"


@dataclass
class Place:
    source: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass
class Report:
    """Counters and lists filled while importing; :func:`brief.migrate.reporting.markdown` and
    :meth:`as_json` present them."""

    kind: str = ""
    source: str = ""
    counts: Counter[str] = field(default_factory=Counter)
    """Totals: ``articles``, ``pages``, ``profiles``, ``assets copied``…"""
    fields: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    """(source field, what it became) → how many items had it."""
    examples: dict[str, str] = field(default_factory=dict)
    """Source field → one value it held."""
    converted: Counter[str] = field(default_factory=Counter)
    """Construct kind (``{{< youtube >}} → embed``) → how many were converted."""
    unconverted: dict[str, list[Place]] = field(default_factory=lambda: defaultdict(list))
    """Construct name (the ``--map`` key) → every place it was left as written."""
    unconverted_examples: dict[str, str] = field(default_factory=dict)
    dates: list[tuple[Place, str, str, str]] = field(default_factory=list)
    """(where, field, as written, as written now) for every date rewritten."""
    slugs: list[tuple[str, str, str]] = field(default_factory=list)
    """(source, slug as the source had it, the slug now)."""
    redirects: list[tuple[str, str, str]] = field(default_factory=list)
    """(old URL, new URL, why) for every redirect the import set up."""
    missing: list[tuple[Place, str]] = field(default_factory=list)
    """(where, the reference as written) for every asset not found in the source."""
    skipped: list[tuple[str, str]] = field(default_factory=list)
    """(source, why) for every post or file not imported."""
    warnings: list[tuple[Place, str]] = field(default_factory=list)
    """Other things an editor should look at (a hero image without alt text…)."""
    unreachable: list[tuple[str, str]] = field(default_factory=list)
    """(source URL, why) for a URL of the source no static redirect can keep."""
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Files that existed and were left as they were (no ``--overwrite``)."""

    def field_used(self, name: str, became: str, example: object) -> None:
        """A source field was read: ``became`` is what it turned into (``dek``, ``tags``,
        ``not imported``…)."""
        self.fields[(name, became)] += 1
        self.examples.setdefault(name, _short(example))

    def convert(self, kind: str, count: int = 1) -> None:
        self.converted[kind] += count

    def leave(self, name: str, source: str, line: int | None, example: str) -> None:
        """A construct left as written (the build will flag it): a ``--map`` entry named ``name`` replaces it."""
        self.unconverted[name].append(Place(source, line))
        self.unconverted_examples.setdefault(name, _short(example))

    def date(self, source: str, line: int | None, name: str, written: str, now: str) -> None:
        self.dates.append((Place(source, line), name, written, now))

    def miss(self, source: str, line: int | None, written: str) -> None:
        self.missing.append((Place(source, line), written))

    def skip(self, source: str, why: str) -> None:
        self.skipped.append((source, why))

    def warn(self, source: str, line: int | None, message: str) -> None:
        self.warnings.append((Place(source, line), message))

    def as_json(self) -> dict[str, Any]:
        fields: dict[str, dict[str, Any]] = {}
        for (name, became), count in sorted(self.fields.items()):
            entry = fields.setdefault(name, {"example": self.examples.get(name, ""), "became": {}})
            entry["became"][became] = count
        return {
            "source": {"kind": self.kind, "path": self.source},
            "counts": dict(sorted(self.counts.items())),
            "fields": fields,
            "converted": dict(self.converted.most_common()),
            "unconverted": [
                {
                    "construct": name,
                    "count": len(places),
                    "example": self.unconverted_examples.get(name, ""),
                    "places": [str(p) for p in places],
                }
                for name, places in self.unconverted_sorted()
            ],
            "dates": [{"place": str(p), "field": f, "written": w, "now": n} for p, f, w, n in self.dates],
            "slugs": [
                {
                    "source": s,
                    "was": old,
                    "now": new,
                    "redirected": [o for o, _, w in self.redirects if w.startswith(f"{s}:")],
                }
                for s, old, new in self.slugs
            ],
            "redirects": [{"old": o, "new": n, "why": w} for o, n, w in self.redirects],
            "missing_assets": [{"place": str(p), "written": w} for p, w in self.missing],
            "skipped": [{"source": s, "why": w} for s, w in self.skipped],
            "warnings": [{"place": str(p), "message": m} for p, m in self.warnings],
            "unreachable": [{"url": u, "why": w} for u, w in self.unreachable],
            "written": self.written,
            "kept": self.kept,
        }

    def unconverted_sorted(self) -> list[tuple[str, list[Place]]]:
        """Unconverted constructs, most frequent first (then by name)."""
        return sorted(self.unconverted.items(), key=lambda kv: (-len(kv[1]), kv[0]))
