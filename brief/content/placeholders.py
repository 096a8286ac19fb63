"""The example text ``brief new`` and ``brief init`` write, and the warning when it is left in.

The scaffold (brief.commands.scaffold) writes these very strings, so what it writes and
what ``placeholder-text`` looks for cannot drift apart. A value is a placeholder when it
is exactly the example (a field's text, a tag, a takeaway, the hero image, the example
related link) or when the body still holds one of the example paragraphs, however the
lines are wrapped; a value the editor changed at all is theirs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from brief.content.checker import Checker
from brief.content.yamllines import Key

NEW = "brief new"
INIT = "brief init"

IMAGE = "/images/placeholder.svg"
"""The theme's stand-in hero image ("Replace with your hero image")."""
DEK = "One or two sentences that tell the reader why this matters; also the page's meta description."
TAG = "Example Tag"
ALT = "Describe what the image shows for readers who cannot see it"
CAPTION = "What the image shows, in one sentence."
CREDIT = "Photo: Photographer / Agency"
TAKEAWAYS = (
    "The single most important fact, in one sentence.",
    "Why it matters to the reader.",
    "What happens next.",
)
ANALYSIS = "The editor's view: what this changes, who gains, who loses, and what to watch."
RELATED = {"title": "Background reading", "url": "https://example.org/"}
CANONICAL = "https://example.org/first-published-here/"
"""The example in the commented-out ``canonical:``, for when it is uncommented and left as it is
(the commented ``aliases:`` example is the README's own and harmless: a redirect from nowhere)."""
ALIAS = "/2019/05/old-title/"

ARTICLE_BODY = """\
Open with the news in one paragraph: what happened, where, and why it matters now.

## Background

Give the reader the context they need. Link to earlier coverage by its file
name, e.g. `[our earlier brief](other-article.md)`, and brief turns it into the
article's address.

## What comes next

Close with what to watch for, and when.
"""

ABOUT_BODY = """\
A standalone page: it lives in `content/pages/`, is published at `/about/` and is linked
from the menu in `brief.toml`. Pages have no date, byline, section or tags, and stay out of
the feeds and the front page.

## What we cover

Say in a few sentences what the publication writes about, and for whom.

## Contact

Tell readers how to reach the newsroom, send a tip or ask for a correction.
"""

_VALUES: dict[str, str] = dict.fromkeys((IMAGE, DEK, TAG, ALT, CAPTION, CREDIT, *TAKEAWAYS, ANALYSIS, CANONICAL), NEW)
_SUSPECTS = frozenset((*_VALUES, RELATED["title"]))
"""The texts (stripped) one of which a front matter holds when it holds an example."""


def _paragraphs(body: str, origin: str) -> list[tuple[str, re.Pattern[str], str]]:
    """Each example paragraph (not the headings) as (words to look for first, the paragraph
    with any run of spaces and line breaks between its words, origin)."""
    found = []
    for paragraph in body.split("\n\n"):
        words = paragraph.split()
        if words and not words[0].startswith("#"):
            pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
            found.append((" ".join(words[:3]), pattern, origin))
    return found


_BODY = _paragraphs(ARTICLE_BODY, NEW) + _paragraphs(ABOUT_BODY, INIT)


def placeholder_warnings(c: Checker) -> None:
    """Warn (``placeholder-text``) on every example value and paragraph left in the document.

    Every text in the front matter is the text of one of its scalars (``SourceDoc.raw``):
    the values are walked only when one of those is an example's."""
    if not _SUSPECTS.isdisjoint(map(str.strip, c.doc.raw.values())):
        _values(c, c.doc.meta, ())
    body = c.doc.body
    for start, pattern, origin in _BODY:
        if start not in body:  # the cheap test first: most bodies hold none of them
            continue
        for match in pattern.finditer(body):
            line = c.doc.body_line + body.count("\n", 0, match.start())
            c.warn(("body",), _left_in(origin, "text", match.group()), "placeholder-text", line=line)


def _values(c: Checker, value: Any, key: Key) -> None:
    """Warn on the example values in ``value`` (at ``key``), in the order they are written."""
    items: Iterable[tuple[Any, Any]]
    if isinstance(value, dict):
        if key[:1] == ("related",) and value == RELATED:
            c.warn(key, _left_in(NEW, "link", RELATED["title"]), "placeholder-text")
            return
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        _value(c, value, key)
        return
    for name, item in items:  # a text is looked at here: most values are, and a call for each adds up
        if isinstance(item, (dict, list)):
            _values(c, item, (*key, name))
        elif isinstance(item, str) and item.strip() in _VALUES:
            _value(c, item, (*key, name))


def _value(c: Checker, value: Any, key: Key) -> None:
    if isinstance(value, str) and value.strip() in _VALUES:
        text = value.strip()
        c.warn(key, _left_in(_VALUES[text], "image" if text == IMAGE else "text", text), "placeholder-text")


def _left_in(origin: str, what: str, text: str) -> str:
    shown = " ".join(text.split())
    shown = shown if len(shown) <= 50 else shown[:49] + "…"
    return f"placeholder {what} from '{origin}' left in (\"{shown}\"); replace it with your own"
