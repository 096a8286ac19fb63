"""One piece of raw HTML walked with the allowlist: what is kept is written out again, what is
removed is noted with its line.

The walk reads the piece with :mod:`html.parser` and writes every kept element afresh (its
name from the allowlist, its attributes checked and quoted, its text escaped), so what a
browser makes of the output never depends on how the input was spelled. Elements left open
are kept in a :class:`Run`, shared by the pieces of one paragraph or one document, so that
``<details>`` in one HTML block and ``</details>`` in a later one hold the Markdown between
them; the content rules of :mod:`brief.render.htmltree` decide where each element may stand.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Protocol

from brief.render.htmlpolicy import (
    BOOLEAN,
    DROPPED,
    RAW_TEXT,
    TABLE_RANK,
    TABLE_TAGS,
    TAGS,
    VOID,
    attribute_problem,
    escape_text,
    placement_problem,
    shorten,
    start_tag,
    url_problem,
)
from brief.render.htmltree import Note, Open, Run, accepts, kind, passes, summary
from brief.render.mdrules import TABLE_WRAP

Attrs = list[tuple[str, str]]

_WHY_DROPPED = {
    "script": "scripts never run from an article",
    "style": "the theme styles the page",
    "textarea": "forms are not kept",
    "select": "forms are not kept",
    "svg": "inline SVG is not kept; show it as an image file instead",
    "math": "MathML is not kept",
}


class Hooks(Protocol):
    """What the walk asks of the page it is on."""

    def link(self, href: str, offset: int) -> str:
        """``href`` resolved as a Markdown link's (a ``.md`` path becomes the article's URL)."""

    def image(self, attrs: Attrs, offset: int) -> tuple[Attrs, str]:
        """An image's attributes resolved as a Markdown image's, and the ``<source>``
        elements of its responsive copies ("" for none)."""

    def embed(self, src: str, title: str | None) -> str | None:
        """The click-to-load embed that stands for an iframe of a known provider, or None."""

    def claim_id(self, value: str) -> str | None:
        """The id an element gets for ``value`` (prefixed as heading ids are), or None when
        the page already has it."""


class Walker(HTMLParser):
    """Walks one piece; ``pieces`` is what it wrote (each with whether nh3 checks it: an
    embed's markup is brief's own), ``notes`` what it removed."""

    def __init__(self, run: Run, hooks: Hooks, inline: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.run = run
        self.hooks = hooks
        self.inline = inline
        self.pieces: list[tuple[str, bool]] = []
        self.notes: list[Note] = []
        self._after_pre = False

    # Comments, <!DOCTYPE>, <?…?> and CDATA show nothing to a reader: HTMLParser's default drops them.
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)  # <div/> opens a div, as browsers read it

    def handle_endtag(self, tag: str) -> None:
        run = self.run
        if run.skip is not None:
            name, depth = run.skip
            if tag == name:
                run.skip = None if depth == 0 else (name, depth - 1)
            return
        name = "h2" if tag == "h1" else tag
        if run.orphans.get(name):
            run.orphans[name] -= 1
            return
        for i in range(len(run.stack) - 1, -1, -1):  # a stray end tag is dropped, as browsers ignore it
            entry = run.stack[i]
            if entry.markdown:
                return
            if entry.tag == name:
                self._close_above(i - 1)
                return
            if entry.tag in ("td", "th", "caption", "table") and (name not in TABLE_TAGS or entry.tag == "table"):
                return

    def handle_data(self, data: str) -> None:
        if self.run.skip is not None:
            return
        if self._after_pre:  # a browser drops a newline right after <pre>, and nh3 writes none back
            data = data.lstrip("\n")
        if not data:
            return
        stack = self.run.stack
        blank = not data.strip(" \t\n\f\r")
        while not blank and stack and stack[-1].tag == "figure" and stack[-1].captioned == 2:
            self._close_above(len(stack) - 2)  # after its last caption a figure takes nothing more
        top = stack[-1] if stack else None
        if blank or kind(top, self.inline) in ("flow", "phrasing"):
            if top is not None and not blank:
                self._emit(summary(top))
                top.filled = True
            self._emit(escape_text(data))
            return
        assert top is not None
        lead = len(data) - len(data.lstrip(" \t\n\f\r"))
        where = "cell" if top.tag in TABLE_TAGS else "item"
        self._note(
            f"text '{shorten(data.strip())}' removed: it stood in <{top.tag}> outside any {where}", lead=data[:lead]
        )

    # --- elements ---------------------------------------------------------------------------

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        run = self.run
        if run.skip is not None:
            name, depth = run.skip
            if tag == name and tag not in RAW_TEXT and not closed:
                run.skip = (name, depth + 1)
            return
        values: dict[str, str] = {}
        for name, value in attrs:  # a repeated attribute: browsers keep the first
            values.setdefault(name, value or "")
        if tag == "iframe":
            self._iframe(values)
            run.skip = ("iframe", 0)  # what an iframe holds is text for browsers without frames
            return
        if tag in DROPPED:
            self._note(f"<{tag}> removed with everything in it ({_WHY_DROPPED.get(tag, 'not kept in safe mode')})")
            if tag not in VOID and not (closed and tag in ("svg", "math")):
                run.skip = (tag, 0)
            return
        if tag not in TAGS:
            kept = "" if tag in VOID else ", its text kept"
            self._note(f"<{tag}> removed{kept} (not among the elements kept in safe mode)")
            return
        name = "h2" if tag == "h1" else tag
        checked = self._attributes(tag, values)
        if checked is not None and not self._place(name):
            self._note(f"<{tag}> removed, its text kept: {placement_problem(name, self._parent(), self.inline)}")
            checked = None
        if checked is None:
            if name not in VOID:
                run.orphans[name] = run.orphans.get(name, 0) + 1
            return
        html = self._image(checked) if name == "img" else start_tag(name, checked)
        if name == "table":
            self._emit(TABLE_WRAP, checked=False)
        self._emit(html)
        if name not in VOID:
            run.stack.append(Open(name, html, wrapped=name == "table"))
            self._after_pre = name == "pre"

    def _attributes(self, tag: str, values: dict[str, str]) -> Attrs | None:
        """The attributes kept, resolved; None when the element itself goes (noted)."""
        if tag == "a" and "name" in values:  # <a name="x">, an old anchor: HTML now writes id="x"
            name = values.pop("name")
            values.setdefault("id", name)
        kept: Attrs = []
        for name, value in values.items():
            why = attribute_problem(tag, name, value)
            if why is not None and tag == "img" and name == "src":
                self._note(f'<img src="{shorten(value)}"> removed: {why}')
                return None
            if why is None and name == "id":
                claimed = self.hooks.claim_id(value)
                why = None if claimed else "the page already has an element with this id"
                value = claimed or value
            if why is not None:
                self._note(f'{name}="{shorten(value)}" removed from <{tag}> ({why})')
                continue
            if name == "href":
                value = self.hooks.link(value, self._offset())
            kept.append((name, "" if name in BOOLEAN else value))
        names = {name for name, _ in kept}
        if tag == "img" and "src" not in names:
            self._note("<img> removed: it has no src")
            return None
        if tag == "time" and "datetime" not in names:
            self._note("<time> removed, its text kept: it needs a datetime attribute such as 2024-05-01")
            return None
        return kept

    def _image(self, attrs: Attrs) -> str:
        attrs, sources = self.hooks.image(attrs, self._offset())
        if not any(name == "alt" for name, _ in attrs):
            attrs.append(("alt", ""))
        html = start_tag("img", attrs)
        return f"<picture>{sources}{html}</picture>" if sources else html

    def _iframe(self, values: dict[str, str]) -> None:
        src = values.get("src", "")
        facade = None if url_problem(src) else self.hooks.embed(src, values.get("title"))
        if facade is not None and not self.inline and self._place("div"):
            self._emit(facade, checked=False)
            return
        why = (
            "not from a known embed provider"
            if facade is None
            else "an embed must stand on a line of its own, after a blank line, outside tables and lists"
        )
        self._note(f'<iframe src="{shorten(src)}"> removed ({why})', "iframe-removed")

    def _place(self, child: str) -> bool:
        """Make room for ``child``: end what it ends, put in what it needs around it. False
        when it cannot stand here at all."""
        stack = self.run.stack
        if child == "a" and any(entry.tag == "a" for entry in stack):
            return False
        index = len(stack) - 1
        while index >= 0:
            wrappers = accepts(stack[index], child, self.inline)
            if wrappers is not None:
                break
            if not passes(stack[index], child):
                return False
            index -= 1
        else:
            wrappers = accepts(None, child, self.inline)
            if wrappers is None:
                return False
        self._close_above(index)
        if index >= 0:
            parent = stack[index]
            if child != "summary":
                self._emit(summary(parent))
            if parent.tag == "figure" and child == "figcaption":
                parent.captioned = 2 if parent.filled else 1
            if parent.tag == "table":
                parent.rank = TABLE_RANK[child]
            parent.filled = True
        for wrapper in wrappers:
            self._emit(f"<{wrapper}>")
            stack.append(Open(wrapper, f"<{wrapper}>", filled=True))
        return True

    def _parent(self) -> str | None:
        stack = self.run.stack
        return stack[-1].tag if stack else None

    def _close_above(self, index: int) -> None:
        stack = self.run.stack
        while len(stack) > index + 1:
            entry = stack.pop()
            self._emit(summary(entry) + f"</{entry.tag}>")
            if entry.wrapped:
                self._emit("</div>", checked=False)

    def _emit(self, html: str, checked: bool = True) -> None:
        self.pieces.append((html, checked))
        self._after_pre = False  # set again right after a <pre> start tag

    def _offset(self) -> int:
        return self.getpos()[0] - 1

    def _note(self, message: str, code: str = "raw-html-removed", lead: str = "") -> None:
        self.notes.append(Note(self._offset() + lead.count("\n"), message, code))
