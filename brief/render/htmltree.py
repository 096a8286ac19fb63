"""What raw HTML left open, and where an element may stand (brief.render.htmlwalk walks with it).

A :class:`Run` holds the elements left open by the pieces of one paragraph or one document
(with Markdown's own, in a paragraph); :func:`accepts` and :func:`passes` are HTML's content
rules, as far as the elements of :mod:`brief.render.htmlpolicy` need them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from brief.render.htmlpolicy import BLOCKS, CLOSED_BY_BLOCK, KIND, PHRASING, TABLE_RANK, TABLE_TAGS, WRAPPERS

_LIST_PASS = {
    "li": CLOSED_BY_BLOCK | {"li", "div"},
    "dt": CLOSED_BY_BLOCK | {"dt", "dd", "div"},
    "dd": CLOSED_BY_BLOCK | {"dt", "dd", "div"},
}
"""Open elements a new list item (or term, or description) ends, as browsers end them."""


@dataclass
class Open:
    """An element left open: by raw HTML, or (in a paragraph) by Markdown."""

    tag: str
    start: str
    """Its start tag as written (nh3's check puts it before the next piece)."""
    markdown: bool = False
    """Markdown's own (emphasis, a link): raw HTML neither closes it nor reaches past it."""
    filled: bool = False
    """Something stands in it already (a ``<summary>`` must come first)."""
    rank: int = -1
    """In a table: the rank of its last part (htmlpolicy.TABLE_RANK)."""
    captioned: int = 0
    """In a figure: 1 when a figcaption came first, 2 when one came last (nothing may follow)."""
    wrapped: bool = False
    """A table in brief's scrolling wrapper (mdrules.TABLE_WRAP), closed after it."""

    def end(self) -> str:
        """Its end tag, and the wrapper's (brief's own markup, not nh3's to check)."""
        return f"</{self.tag}>" + ("</div>" if self.wrapped else "")


@dataclass
class Run:
    """What the raw HTML of one paragraph, or one document, left open so far."""

    stack: list[Open] = field(default_factory=list)
    orphans: dict[str, int] = field(default_factory=dict)
    """End tags to drop: of elements removed for where they stood (their text was kept)."""
    skip: tuple[str, int] | None = None
    """An element being removed with its content, and how deep the same element nests in it."""

    def closes(self, keep: int = 0) -> str:
        """End tags for everything open above the first ``keep`` elements, which it closes."""
        found = "".join(summary(entry) + entry.end() for entry in reversed(self.stack[keep:]))
        del self.stack[keep:]
        return found

    def snapshot(self) -> Run:
        return Run([replace(entry) for entry in self.stack], dict(self.orphans), self.skip)


DEFAULT_SUMMARY = "<summary>Details</summary>"


def summary(entry: Open) -> str:
    """The label a ``<details>`` with no ``<summary>`` first gets, as browsers show it ("" for
    any other element): HTML requires one, and something else is about to stand first."""
    if entry.tag != "details" or entry.filled or entry.markdown:
        return ""
    entry.filled = True
    return DEFAULT_SUMMARY


@dataclass(frozen=True)
class Note:
    """Something the walk removed: ``offset`` lines below the piece's first line."""

    offset: int
    message: str
    code: str = "raw-html-removed"


def kind(entry: Open | None, inline: bool) -> str:
    if entry is None:
        return "phrasing" if inline else "flow"
    return "phrasing" if entry.markdown else KIND[entry.tag]


def accepts(entry: Open | None, child: str, inline: bool) -> tuple[str, ...] | None:
    """The wrappers to put in for ``child`` to stand in ``entry`` (None: the root), or None
    when it cannot stand there."""
    holds = kind(entry, inline)
    if holds == "flow":
        if entry is not None and entry.tag == "figure" and entry.captioned == 2:
            return None
        if child in PHRASING or child in BLOCKS:
            return ()
        if entry is not None and child == "summary" and entry.tag == "details" and not entry.filled:
            return ()
        if entry is not None and child == "figcaption" and entry.tag == "figure" and entry.captioned == 0:
            return ()
        return None
    if holds == "phrasing":
        return () if child in PHRASING else None
    if holds == "table":
        assert entry is not None
        rank = TABLE_RANK.get(child)
        if rank is None or rank < entry.rank or (rank == entry.rank and child in ("caption", "thead", "tfoot")):
            return None
        return WRAPPERS["table"].get(child, ())
    if holds == "rows":
        return () if child == "tr" else WRAPPERS["rows"].get(child)
    only = {"li": ("li",), "dl": ("dt", "dd"), "cells": ("td", "th"), "cols": ("col",)}[holds]
    return () if child in only else None


def passes(entry: Open, child: str) -> bool:
    """Whether ``child`` may end ``entry`` to find its place further out."""
    if entry.markdown:
        return False
    if entry.tag == "figure" and entry.captioned == 2:
        return True
    if child in TABLE_TAGS and child != "table":
        return entry.tag != "table"
    if child in _LIST_PASS:
        return entry.tag in _LIST_PASS[child]
    return child in BLOCKS and entry.tag in CLOSED_BY_BLOCK
