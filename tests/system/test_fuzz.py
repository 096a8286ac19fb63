"""Fuzzing: whole sites built from random front matter, Markdown and brief.toml.

Hypothesis writes sites of 1–4 articles (sometimes an author profile, sometimes a
brief.toml with random but plausible options) full of awkward input: random Unicode
(control characters, bidi marks, combining characters, astral characters, NULs,
noncharacters), odd YAML (wrong types, nested structures, huge numbers, dates in many
formats, empty values, tags, anchors) and hostile Markdown (deep nesting, unclosed
constructs, HTML fragments, links with odd schemes, footnotes, tables). Every build
must end in one of two ways:

- it succeeds, and every HTML page parses, holds no ``<script`` but the theme's own and
  no ``javascript:``/``vbscript:``/``data:`` URL, and passes the W3C Nu HTML checker;
- it fails with exit code 1, printing only well-formed problem lines
  (``path[:line]: [warning: ][field: ]message``, each path naming a file of the site),
  then ``Error: build failed: N errors, M warnings; nothing was written`` (or ``configuration
  failed: …`` for a bad brief.toml), and writes no output folder.

Never a traceback, an "internal error", a Python warning or another exit code; and the
feeds and sitemaps of a built site parse.

Most examples build in-process (``brief.build.build``); a few run the real CLI in a
subprocess. The Nu checker is started once, by the last test, over the pages of every
example that built (they are kept in one module-wide temporary folder), so it must
run in the same session as the fuzz tests; it names the example behind an invalid page
and prints that example's input files.

The number of in-process examples is ``BRIEF_FUZZ_EXAMPLES`` (default 100; the CLI
test runs one twentieth of it, at least 5). The default takes about 40 s on 2 cores. A
longer run, e.g. before a release (3,000 in-process and 150 CLI examples, about 10 minutes
on 2 cores, plus the time Hypothesis spends shrinking a failure)::

    BRIEF_FUZZ_EXAMPLES=3000 .venv/bin/python -m pytest tests/system/test_fuzz.py -q

A failing example is saved in ``.hypothesis/`` and replayed first by the next run. In CI
(``CI`` set) the examples are derandomized, so a commit's CI result does not depend on luck;
local runs draw new examples every time.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.errors import ERROR, WARNING, BriefError, BuildFailed, Problem, _one_line
from brief.slugs import slugify

EXAMPLES = int(os.environ.get("BRIEF_FUZZ_EXAMPLES", "100"))
CLI_EXAMPLES = max(5, EXAMPLES // 20)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    print_blob=True,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
        HealthCheck.filter_too_much,
    ],
)
# Shrinking reruns the CLI hundreds of times (half a second each): the in-process test minimises instead.
CLI_FUZZ = settings(FUZZ, max_examples=CLI_EXAMPLES, phases=[Phase.explicit, Phase.reuse, Phase.generate])


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy, odds: int = 4) -> st.SearchStrategy:
    """``usual``, and ``odd`` about once in ``odds + 1`` draws (shrinking goes towards ``usual``).

    Hypothesis favours the first and the last of several choices, so ``odd`` sits in the middle."""
    return st.one_of(*([usual] * (odds // 2 + 1)), odd, *([usual] * (odds - odds // 2)))


def nonblank(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return strategy.map(lambda s: s if s.strip() else "x" + s)


def named(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text with a letter or digit to make a slug of (the name of an author, section or tag)."""
    return strategy.map(lambda s: s if slugify(s) else "x" + s)


# --- text ---------------------------------------------------------------------------------------

# Characters that web pages may not hold (vnu: "Forbidden code point"): C0 controls but
# tab, LF, FF and CR; DEL; C1 controls; noncharacters. NUL among them.
FORBIDDEN = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x1b",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\ufdd0",
    "\ufdef",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]
# Characters that are allowed but have broken tools before: bidi controls, zero-width characters,
# combining marks, private use, astral letters and emoji sequences, line and paragraph separators,
# and what HTML, Jinja, YAML and TOML treat specially.
ODD = [
    "\t",
    "\x0c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u061c",
    "\u0301",
    "\u0336",
    "\u20dd",
    "\u0489",
    "a\u0301\u0302\u0303\u0304",
    "\ufeff",
    "\ufffd",
    "\ue000",
    "\U000f0000",
    "\U000e0001",
    "\u2028",
    "\u2029",
    "\u00a0",
    "\u3000",
    "\u00ad",
    "\U0001f600",
    "\U0001d400",
    "\U00013000",
    "\U00020000",
    "👩\u200d👩\u200d👧",
    "🏳\ufe0f\u200d🌈",
    "\U0001f1fa\U0001f1f8",
    "ǅ",
    "İ",
    "ß",
    "ﬁ",
    "㎒",
    "ℌ",
    "Ω",
    "\u05d0\u05d1",
    "\u0627\u0644\u0639",
    "日本",
    "Экономика",
    "\u0e01\u0e38",
    "\u0915\u094d\u0937",
    "<",
    ">",
    "&",
    '"',
    "'",
    "`",
    "\\",
    "{{ x }}",
    "{% if x %}",
    "${x}",
    "]]>",
    "</script>",
    "<!--",
    "-->",
    "&amp;",
    "&#0;",
    "&#x1;",
    "&#xD800;",
    "&lt;",
    "%00",
    "%2F",
    "..",
    "/",
    ":",
    "#",
    "\r",
    "\n",
    "\r\n",
]

WORDS = [
    "grid",
    "energy",
    "Café",
    "Société",
    "markets",
    "Экономика",
    "日本経済",
    "العربية",
    "עברית",
    "budget",
    "x",
    "Straße",
    "naïve",
    "tax",
    "A/B",
    "Q&A",
    "1984",
    "π",
    "storage",
    "council",
    "wind",
]
words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=6).map(" ".join)
# Text an editor could type: letters, marks, digits, punctuation, symbols, spaces.
plain_text = st.text(st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), max_size=30)
odd_text = st.lists(
    st.one_of(st.characters(categories=["L", "M", "N", "P", "S", "Z"]), st.sampled_from(ODD)), max_size=25
).map("".join)
# Anything but surrogates (which UTF-8 cannot hold), with the cases above more often.
hostile_text = st.lists(
    st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(ODD + FORBIDDEN)), max_size=25
).map("".join)
_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]")
MODES = {
    "words": words,
    "unicode": st.one_of(words, plain_text, odd_text),
    "hostile": st.one_of(words, odd_text, hostile_text),
}


# --- Markdown -----------------------------------------------------------------------------------

# URLs that a build accepts (dangerous schemes are dropped, not refused); IMG is the test image...
URLS = [
    "https://example.org/",
    "http://example.org/a?b=1&c=2#d",
    "https://exämple.org/ü?q=é",
    "https://example.org/<script>",
    'https://example.org/"onmouseover="alert(1)',
    "https://example.org/a b",
    "//evil.example/x",
    "#frag",
    "#brief-main",
    "?q=1",
    "",
    "/",
    "/feed.xml",
    "/images/favicon.svg",
    "IMG",
    "mailto:a@example.org",
    "tel:+1234",
    "ftp://example.org/f",
    "file:///etc/passwd",
    "irc://example.org",
    "about:blank",
    "x:y",
    "blob:https://example.org/1",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "javascript&colon;alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "%6Aavascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "vbscript:msgbox(1)",
    "VBScript:x",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "DATA:image/png;base64,AAAA",
    "https://example.org/%E2%80%AE",
    "<https://example.org/a b>",
    "https://example.org/" + "a" * 300,
]
IMAGE_URLS = [
    "IMG",
    "/images/favicon.svg",
    "https://example.org/x.png",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:x",
    "",
    "#x",
    "?q",
    "<IMG>",
    'IMG "title"',
]
# ... and URLs that make it fail (no such page or file).
BROKEN_URLS = [
    "/nope/",
    "/images/missing.png",
    "img/missing.svg",
    "../../../../etc/passwd",
    "%00.md",
    "nope.md",
    "../x.md#a",
    "/sections/x/",
    "IMG/..",
    "/tags/nope/",
    "\u202ejavascript:alert(1)",
    "TEXT",
    "javascript\t:alert(1)",
    "\\\\server\\share",
]
HTML_FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<img src=https://example.org/x.png onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<div>",
    "</div>",
    "<div onclick='x'>unclosed",
    "<!-- unclosed",
    "<![CDATA[ x ]]>",
    "<?php echo 1; ?>",
    "<style>body{display:none}</style>",
    "<iframe src=x></iframe>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mi>x</mi></math>",
    "<textarea>",
    "<pre>",
    "</p></body>",
    "<table><tr><td>x",
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=x">',
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<details open ontoggle=alert(1)>",
    "<br/>",
    "<h1>raw</h1>",
    "<template><script>x</script></template>",
    '<noscript><p title="</noscript>">',
]
# With html = "trusted", raw HTML is passed through on purpose: only well-formed, harmless fragments.
# ("escape" shows the hostile ones as text, "safe", the default, sanitises them.)
SAFE_HTML = [
    "<span>x</span>",
    '<abbr title="Kilowatt-hour">kWh</abbr>',
    "<kbd>Ctrl</kbd>",
    "<sub>2</sub>",
    "<sup>3</sup>",
    "<br>",
    "<mark>m</mark>",
    "<small>s</small>",
    "<cite>c</cite>",
    "<q>q</q>",
]
SAFE_HTML_BLOCKS = [
    '<div class="note">\nA note.\n</div>',
    "<figure>\n<p>Fig.</p>\n</figure>",
    "<hr>",
    "<details>\n<summary>More</summary>\n<p>Hidden</p>\n</details>",
]


def discovered(path: str) -> bool:
    """Whether the build reads ``path`` as an article (see brief.loader.discover)."""
    parts = path.split("/")[1:]
    return (
        path.endswith(".md")
        and not any(p.startswith((".", "_")) for p in parts[:-1])
        and not parts[-1].startswith((".", "#"))
        and parts[0] != "authors"
    )


@dataclass
class Ctx:
    """What the file being written can refer to, the text it is made of, and whether it may hold
    mistakes that fail the build (in a "faulty" site) or only awkward input that must build."""

    files: list[str]
    """Site-relative paths of every article file."""
    slugs: list[str]
    """Slugs of the articles the build reads."""
    trusted: bool
    """Whether raw HTML is passed through (brief.toml's html = "trusted")."""
    here: str
    """This file's path."""
    mode: str = "words"
    """Which text: "words", "unicode" or "hostile" (see MODES)."""
    faulty: bool = False

    def odd(self, usual: st.SearchStrategy, odd: st.SearchStrategy, odds: int = 4) -> st.SearchStrategy:
        """``usual``, or in a faulty site now and then ``odd``."""
        return mostly(usual, odd, odds) if self.faulty else usual

    @property
    def text(self) -> st.SearchStrategy[str]:
        # With html = "trusted", a '<' in the text would start raw HTML, which is passed through on purpose.
        return MODES[self.mode].map(self.safe) if self.trusted else MODES[self.mode]

    def safe(self, text: str) -> str:
        return text.replace("<", "‹") if self.trusted else text

    @property
    def line(self) -> st.SearchStrategy[str]:
        return self.text.map(lambda s: _BREAKS.sub(" ", s))

    def link_to(self, target: str) -> str:
        return Path(os.path.relpath(target, Path(self.here).parent)).as_posix()

    def names(self) -> st.SearchStrategy[str]:
        return self.odd(
            mostly(
                st.sampled_from(
                    [
                        "Ana Ortiz",
                        "Tomás Reyes",
                        "Staff",
                        "李小龍",
                        "Ólafur Arnalds",
                        "O'Brien",
                        "ǅemal",
                        "<b>Bold</b>",
                        "A" * 300,
                        "\u202eevil",
                    ]
                ),
                named(self.line),
            ),
            st.sampled_from(["!!!", "Ana ORTIZ", "ana-ortiz", " "]),
        )

    def sections(self) -> st.SearchStrategy[str]:
        return self.odd(
            mostly(
                st.sampled_from(
                    ["News", "Climate", "Économie", "Politics & Power", "日本", "tags", "feed.xml", "../x", "a/b"]
                ),
                named(self.line),
            ),
            st.sampled_from(["???", "—", "news", "Ñews"]),
        )

    def tags(self) -> st.SearchStrategy[str]:
        return self.odd(
            mostly(
                st.sampled_from(["Energy", "Energy Storage", "C++", "C#", "🔥", "Zölle", "page", "feed", "x" * 200]),
                named(self.line),
            ),
            st.sampled_from(["energy", "Energy storage", "#1", "", "???", "Zoelle"]),
        )


@st.composite
def urls(draw, ctx: Ctx) -> str:
    kind = draw(ctx.odd(st.sampled_from(["url"] * 5 + ["article"] * 3), st.just("broken"), 6))
    readable = [f for f in ctx.files if discovered(f) and f != ctx.here]
    if kind == "article" and readable:  # another article's .md file, as written by hand
        rel = ctx.link_to(draw(st.sampled_from(readable)))
        forms = [quote(rel), quote(rel) + "#" + quote(draw(words))]
        if not re.search(r"[<>()\s\\]", rel):
            forms += [f"<{rel}>", rel]
        return draw(st.sampled_from(forms))
    url = ctx.safe(draw(st.sampled_from(BROKEN_URLS if kind == "broken" else URLS)))
    if url == "TEXT":  # a relative link to no page
        return quote(draw(ctx.line))
    return url.replace("IMG", ctx.link_to("content/img/pic.svg"))


@st.composite
def inline(draw, ctx: Ctx, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.integers(0, 21))
        inner = draw(inline(ctx, depth + 1)) if depth < 3 and draw(st.booleans()) else draw(ctx.line)
        if kind <= 5:
            parts.append(draw(ctx.line))
        elif kind == 6:
            parts.append(f"*{inner}*")
        elif kind == 7:
            parts.append(f"**{inner}**")
        elif kind == 8:
            parts.append(f"~~{inner}~~")
        elif kind == 9:
            parts.append(f"`{inner}`")
        elif kind == 10:
            title = ctx.safe(draw(st.sampled_from(["", ' "a title"', " 'x\"y'", ' "<script>"'])))
            parts.append(f"[{inner}]({draw(urls(ctx))}{title})")
        elif kind == 11:
            alt = draw(st.sampled_from(["chart", "", inner]))
            src = draw(ctx.odd(st.sampled_from(IMAGE_URLS).map(ctx.safe), urls(ctx)))
            src = src.replace("IMG", ctx.link_to("content/img/pic.svg"))
            parts.append(f"![{alt}]({src})")
        elif kind == 12:
            url = draw(st.sampled_from([u for u in URLS if u != "IMG"])).strip("<>")
            if ctx.trusted and not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*", url):
                url = "https://example.org/"  # else <?q=1>, say, is raw HTML, passed through on purpose
            parts.append(f"<{url}>")
        elif kind == 13:
            if draw(st.booleans()):
                parts.append(ctx.safe(f"[^{draw(st.sampled_from(['1', '2', 'note', 'é', '<x>', '^', ' ', 'fn1']))}]"))
            else:  # an inline footnote
                parts.append(f"^[{draw(ctx.line)}]")
        elif kind == 14:
            if ctx.trusted:  # spaced, so that no backslash or bracket before it changes what it is
                parts.append(f" {draw(st.sampled_from(SAFE_HTML))} ")
            else:
                parts.append(draw(st.sampled_from(HTML_FRAGMENTS + SAFE_HTML)))
        elif kind == 15:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "&amp;",
                            "&copy;",
                            "&#0;",
                            "&#x1;",
                            "&#x85;",
                            "&#xFDD0;",
                            "&#x10FFFF;",
                            "&#1114112;",
                            "&#xD800;",
                            "&bogus;",
                            "&#128512;",
                            "&nbsp;",
                            "&#x202E;",
                            "&#9;",
                            "&#x7f;",
                        ]
                    )
                )
            )
        elif kind == 16:  # unclosed constructs
            parts.append(
                ctx.safe(
                    draw(
                        st.sampled_from(
                            ["*", "**", "_", "[", "](", "![", "`", "``", "<", "<a", "[^", "~~", "\\", "&", "&#"]
                        )
                    )
                )
            )
        elif kind == 17:
            parts.append("  \n")  # hard break
        elif kind == 18:
            parts.append("[" * draw(st.integers(1, 40)) + inner + "]" * draw(st.integers(0, 40)))
        elif kind == 19:
            parts.append("*" * draw(st.integers(1, 30)) + inner + "_" * draw(st.integers(0, 30)))
        elif kind == 20:
            parts.append(f"[{inner}][{draw(st.sampled_from(['ref', 'Ref', 'missing', '']))}]")
        else:
            parts.append("x" * draw(st.integers(100, 400)))
    return "".join(parts)


@st.composite
def block(draw, ctx: Ctx) -> str:
    kind = draw(st.integers(0, 17))
    if kind <= 3:
        return draw(inline(ctx))
    if kind == 4:
        return "#" * draw(st.integers(1, 7)) + " " + draw(inline(ctx))
    if kind == 5:
        return draw(inline(ctx)).replace("\n", " ") + "\n" + draw(st.sampled_from(["===", "---", "=", "-"]))
    if kind == 6:  # nested blockquotes; past markdown-it's limit (20 levels) the build refuses them
        return "> " * draw(ctx.odd(st.integers(1, 18), st.integers(19, 60))) + draw(inline(ctx))
    if kind == 7:  # nested lists
        marker = draw(st.sampled_from(["- ", "* ", "1. ", "1) ", "- [ ] "]))
        indent = "   " if marker[0].isdigit() else "  "
        depth = draw(ctx.odd(st.integers(1, 8), st.integers(9, 40)))
        return "\n".join(indent * i + marker + draw(ctx.line) for i in range(depth))
    if kind == 8:
        info = draw(st.sampled_from(["", "python", "html", '"><script>alert(1)</script>', "{.class}", "x" * 50]))
        return f"```{info}\n{draw(ctx.text)}\n" + draw(st.sampled_from(["```", "", "~~~"]))
    if kind == 9:
        return "    " + draw(ctx.line)
    if kind == 10:  # tables, sometimes ragged
        cols = draw(st.integers(1, 8))
        cell = ctx.line.map(lambda s: s.replace("|", "\\|"))
        rows = [draw(st.lists(cell, min_size=1, max_size=cols + 2)) for _ in range(draw(st.integers(0, 4)))]
        head = "| " + " | ".join(draw(ctx.line).replace("|", "/") or "h" for _ in range(cols)) + " |"
        align = "|" + "|".join(draw(st.sampled_from(["---", ":--", "--:", ":-:", "-"])) for _ in range(cols)) + "|"
        return "\n".join([head, align, *("| " + " | ".join(r) + " |" for r in rows)])
    if kind == 11:  # footnote definitions, some nested or duplicated
        label = ctx.safe(draw(st.sampled_from(["1", "2", "note", "é", "<x>", "fn1", "1"])))
        nested = f"\n\n    [^{label}]: nested\n    > quoted" if draw(st.booleans()) else ""
        return f"[^{label}]: {draw(inline(ctx))}{nested}"
    if kind == 12:
        return f"[ref]: {draw(urls(ctx)) or '<>'} " + ctx.safe(draw(st.sampled_from(["", '"title"', "'<b>'"])))
    if kind == 13 and ctx.trusted:  # an HTML block runs to the next blank line: the text after it would be raw HTML
        return "\n" + draw(st.sampled_from(SAFE_HTML_BLOCKS)) + "\n"
    if kind == 13:
        return draw(st.sampled_from(HTML_FRAGMENTS + SAFE_HTML_BLOCKS))
    if kind == 14:
        return draw(st.sampled_from(["***", "---", "- - -", "___", "* * *"]))
    if kind == 15:
        return draw(ctx.text)
    if kind == 16:
        return "\n".join(
            f"{n}. {draw(inline(ctx))}" for n in draw(st.lists(st.integers(0, 10**9), min_size=1, max_size=4))
        )
    return draw(
        st.sampled_from(["", "\\", "|", "| a |\n|---|", "[^1]:", "<!---->", "```", "~~~", "    ", "\t\tx", "$$x$$"])
    )


def markdown(ctx: Ctx, max_blocks: int = 8) -> st.SearchStrategy[str]:
    return st.tuples(st.lists(block(ctx), max_size=max_blocks), st.sampled_from(["\n\n", "\n"])).map(
        lambda t: t[1].join(t[0]) + "\n"
    )


# --- YAML front matter ---------------------------------------------------------------------------

ODD_DATES = [
    "2024-01-02 08:30 +0530",
    "2024-01-02T08:30-03",
    "2024-01-02T08:30:00z",
    "2026-11-24T23:59:59+14:00",
    "2026-11-25T12:00:00Z",
    "2030-06-15T00:00",
    "1970-01-01T00:00:00Z",
    "0001-01-01",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31",
    "9999-12-31T23:59:59-12:00",
    "9999-12-31T23:59:59+23:59",
    "2024-02-29",
    "2023-02-29",
    "2024-13-01",
    "2024-01-32",
    "2024-01-01T24:00",
    "2024-01-01T23:60",
    "2024-01-01T10:00+24:00",
    "2024-01-01T10:00:00.1234567",
    "24-01-02",
    "2024/01/02",
    "02.01.2024",
    "January 2, 2024",
    "2 January 2024",
    "20240102",
    "2024-W01-2",
    "2024-002",
    "1704153600",
    "yesterday",
    "now",
    "",
    " ",
    "2024-01-02T",
    "2024-01-02 08:30:00 +01:00",
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-15 2:59:43.10",
    "٢٠٢٤-٠١-٠٢",
    "２０２４-０１-０２",
    "2024-01-02\u200f",
    "\u202e2024-01-02",
    "+2024-01-02",
    "-2024-01-02",
]
_DATE_FORMATS = [
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S%z",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%dT%H:%M:%S.%f%z",
]
_ZONES = [UTC, ZoneInfo("Asia/Kolkata"), ZoneInfo("Pacific/Chatham"), ZoneInfo("America/St_Johns")]
# Publication dates up to a few days after the pinned build time (those are scheduled).
good_dates = st.tuples(
    st.datetimes(datetime(2020, 1, 1), datetime(2026, 11, 30), timezones=st.sampled_from(_ZONES)),
    st.sampled_from(_DATE_FORMATS),
).map(lambda t: t[0].strftime(t[1]))
LATEST = "2026-12-01T00:00:00Z"
"""An ``updated`` time after every good date."""
RAW_SCALARS = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "true",
    "True",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "0",
    "-0",
    "007",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1e999",
    "-1e999",
    ".inf",
    "-.inf",
    ".nan",
    "1.5",
    "3.",
    "12:30:00",
    "190:20:30",
    "1" * 400,
    "-" + "9" * 50,
    "[]",
    "{}",
    "[a, [b, [c, [d]]]]",
    "{a: {b: {c: [1, 2, {d: e}]}}}",
    "[a, {b: c}]",
    "!!binary AAAA",
    "!!int zz",
    "!!float x",
    "!!str 2024-01-02",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!custom x",
    "&anchor value",
    "*anchor",
    '"unterminated',
    "'single ''quoted'''",
    '"\\x00\\x01\\u202e"',
    '"\\ud800"',
    '"\\U0010FFFF"',
    '"\\N\\_\\L\\P"',
    "|\n  literal\n  block",
    ">-\n  folded\n  text",
    "|2-\n    x",
    "- a\n- b",
    "- - nested\n  - list",
    "[" * 60 + "]" * 60,
    "{" * 60 + "}" * 60,
    "? complex\n: key",
    "x: y",
    "a: b: c",
    "'",
    '"',
    "@reserved",
    "`backtick",
    "%directive",
    "\t tab",
    "# comment only",
    "<<: {a: 1}",
    "=",
    "2024-01-02",
    "2024-01-02 08:30:00",
    "2024-01-02t08:30:00z",
    "\xa0",
    "\u2028",
]

KEYS = [
    "title",
    "dek",
    "date",
    "updated",
    "authors",
    "section",
    "tags",
    "image",
    "takeaways",
    "analysis",
    "related",
    "draft",
    "slug",
]


@st.composite
def dump(draw, key: str, value) -> str:
    """``key: value`` as YAML's safe dumper writes it, in one of its styles."""
    allow_unicode = draw(st.booleans())
    if isinstance(value, (list, dict)) and value and draw(st.booleans()):
        flow = yaml.safe_dump(value, allow_unicode=allow_unicode, default_flow_style=True, width=10**9)
        return f"{key}: " + flow.rstrip("\n").replace("\n", "\n  ")
    return yaml.safe_dump(
        {key: value}, allow_unicode=allow_unicode, width=draw(st.sampled_from([10**9, 40])), sort_keys=False
    ).rstrip("\n")


def raw(key: str, ctx: Ctx) -> st.SearchStrategy[str]:
    """``key: <odd YAML>``."""
    return st.one_of(st.sampled_from(RAW_SCALARS), ctx.line).map(
        lambda v: f"{key}:{'' if not v else ' ' + v}" if "\n" not in v else f"{key}: " + v.replace("\n", "\n  ")
    )


wrong_type = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**30), 10**30),
    st.floats(),
    st.text(max_size=10),
    st.lists(st.one_of(words, st.integers()), max_size=3),
    st.dictionaries(words, st.one_of(words, st.lists(words, max_size=2)), max_size=3),
    st.datetimes(),
    st.dates(),
    st.just([[[[[]]]]]),
    st.just({"a": {"b": {"c": {}}}}),
)

IMAGES = [
    "IMG",
    "content/img/wide.png",
    "/images/favicon.svg",
    "/images/placeholder.svg",
    "https://example.org/x.jpg",
    'https://example.org/a%20b.jpg?x=1&y=<2>"',
    "HTTPS://example.org/x.jpg",
    "https://exämple.org/ü.jpg",
]
BAD_IMAGES = [
    "http://example.org/x.jpg",
    "https://example.org/a b.jpg",
    "javascript:alert(1)",
    "data:image/png;base64,AA",
    "//evil.example/x.png",
    "../../etc/passwd",
    "/../x.png",
    "img/missing.svg",
    "IMG?x",
    "IMG#x",
    "img\\pic.svg",
    "/images/missing.png",
    "",
    "img",
    "https://",
]


@st.composite
def value_of(draw, key: str, ctx: Ctx):
    """A plausible value for ``key``; in a faulty site now and then a wrong one."""
    if ctx.faulty and draw(st.integers(0, 14)) == 7:
        return draw(wrong_type)
    inline_md = inline(ctx)
    match key:
        case "title":
            return draw(mostly(words, nonblank(st.one_of(ctx.line, inline_md))))
        case "dek":
            return draw(st.one_of(ctx.line, inline_md))
        case "date":
            return draw(ctx.odd(good_dates, st.sampled_from(ODD_DATES)))
        case "updated":
            return draw(ctx.odd(st.just(LATEST), st.one_of(good_dates, st.sampled_from(ODD_DATES))))
        case "authors":
            return draw(st.one_of(ctx.names(), st.lists(ctx.names(), min_size=1, max_size=4)))
        case "section":
            return draw(ctx.sections())
        case "tags":
            return draw(st.lists(ctx.tags(), max_size=5))
        case "image":
            src = draw(ctx.odd(st.sampled_from(IMAGES), st.sampled_from(BAD_IMAGES)))
            src = src.replace("IMG", ctx.link_to("content/img/pic.svg")).replace(
                "content/img/wide.png", ctx.link_to("content/img/wide.png")
            )
            img = {"src": src, "alt": draw(ctx.odd(nonblank(mostly(words, ctx.line)), ctx.line))}
            for name, strategy in (
                ("caption", inline_md),
                ("credit", ctx.line),
                ("decorative", ctx.odd(st.booleans(), st.just("yes"))),
            ):
                if draw(st.booleans()):
                    img[name] = draw(strategy)
            if draw(st.integers(0, 9)) == 5:
                img["size"] = "large"  # an unknown key: a warning
            return img
        case "takeaways":
            return draw(
                st.lists(
                    nonblank(st.one_of(inline_md, ctx.line)), min_size=1, max_size=draw(ctx.odd(st.just(7), st.just(9)))
                )
            )
        case "analysis":
            analysis = {"body": draw(nonblank(markdown(ctx, 4)))}
            for name in ("label", "byline"):
                if draw(st.booleans()):
                    analysis[name] = draw(ctx.line)
            return analysis
        case "related":
            slug = st.sampled_from(ctx.slugs) if ctx.slugs else st.nothing()
            link = st.fixed_dictionaries(
                {
                    "title": nonblank(mostly(words, ctx.line)),
                    "url": st.sampled_from(
                        [
                            "https://example.org/",
                            "http://example.org/a?b=1&c=2#d",
                            "https://exämple.org/ü?q=é",
                            "https://example.org/<x>",
                        ]
                    ),
                }
            )
            item = ctx.odd(
                st.one_of(slug, link),
                st.one_of(
                    st.sampled_from(["nope", "Not A Slug", "x"]),
                    st.fixed_dictionaries({"title": words, "url": st.sampled_from(URLS)}),
                ),
            )
            return draw(st.lists(item, max_size=4))
        case "draft":
            return draw(ctx.odd(st.booleans(), st.sampled_from(["yes", 1])))
        case "slug":  # in a site that must build, the slug the file name gives (other articles refer to it)
            own = slugify(Path(ctx.here).stem) or "x"
            return draw(
                ctx.odd(
                    st.just(own),
                    st.one_of(
                        st.sampled_from(
                            [
                                "ok-slug",
                                "tags",
                                "page",
                                "authors",
                                "archive",
                                "feed-xml",
                                "404",
                                "index",
                                "sections",
                                "images",
                                "css",
                                "js",
                                "x" * 100,
                                "x" * 300,
                                "a--b",
                                "-x",
                                "UPPER",
                                "x/y",
                                "",
                                *ctx.slugs,
                            ]
                        ),
                        words,
                    ),
                )
            )
        case _:  # an unknown key
            return draw(st.one_of(ctx.text, st.lists(words, max_size=3), st.integers()))


UNKNOWN_KEYS = ["takeways", "titel", "Title", "tags ", "1", "null", "x-y", "image.src", "Заголовок", "\u202ekey", "🔑"]


@st.composite
def front_matter(draw, ctx: Ctx) -> str:
    keys = draw(ctx.odd(st.just(["title", "date"]), st.lists(st.sampled_from(KEYS), max_size=2), 10))
    keys += draw(st.lists(st.sampled_from(KEYS[1:]), max_size=7, unique=True))
    if draw(st.integers(0, 4)) == 2:  # a misspelt or unknown key: a warning
        keys.append(draw(st.sampled_from(UNKNOWN_KEYS)))
    if not (ctx.faulty and draw(st.integers(0, 9)) == 5):  # else now and then a duplicate key
        keys = list(dict.fromkeys(keys))
    lines = []
    for key in keys:
        if ctx.faulty and draw(st.integers(0, 9)) == 5:
            lines.append(draw(raw(key, ctx)))
        else:
            lines.append(draw(dump(key, draw(value_of(key, ctx)))))
    return "\n".join(lines)


@st.composite
def article_file(draw, ctx: Ctx) -> bytes:
    return _encode(draw, ctx, "---\n" + draw(front_matter(ctx)) + "\n---\n" + draw(markdown(ctx)))


def _encode(draw, ctx: Ctx, text_: str) -> bytes:
    how = draw(
        ctx.odd(
            st.sampled_from(["utf-8", "utf-8", "bom", "crlf", "cr", "bom+crlf"]),
            st.sampled_from(["latin-1", "nul", "truncated", "no-fence", "utf-16"]),
            10,
        )
    )
    if how == "bom":
        return b"\xef\xbb\xbf" + text_.encode()
    if how == "crlf":
        return text_.replace("\n", "\r\n").encode()
    if how == "cr":
        return text_.replace("\n", "\r").encode()
    if how == "bom+crlf":
        return b"\xef\xbb\xbf" + text_.replace("\n", "\r\n").encode()
    if how == "latin-1":
        return text_.encode("latin-1", "replace") + b"\xe9\xff"
    if how == "nul":
        return text_.encode() + b"\x00"
    if how == "truncated":
        data = text_.encode()
        return data[: draw(st.integers(0, len(data)))]
    if how == "no-fence":
        return text_.replace("---\n", "", 1).encode()
    if how == "utf-16":
        return text_.encode("utf-16")
    return text_.encode()


# --- file names, profiles, brief.toml ------------------------------------------------------------

FILE_NAMES = [
    "a.md",
    "b.md",
    "Café Société.md",
    "日本経済.md",
    "Экономика.md",
    "sub/dir/deep.md",
    "2024/x.md",
    "_draft.md",
    ".hidden.md",
    "tags.md",
    "page.md",
    "index.md",
    "404.md",
    "feed.md",
    "a b.md",
    "x.markdown",
    "notes.md~",
    "#x.md",
    "\u202eevil.md",
    "e\u0301.md",
    "authors.md",
    "100%.md",
    "q?.md",
    "semi;colon.md",
    "colon: title.md",
    "tab\tname.md",
    "sub/_skip/x.md",
    'quote".md',
    "amp&lt;.md",
    "<b>.md",
    "x" * 200 + ".md",
    "ctl\x01.md",
    "nel\x85.md",
]
BAD_FILE_NAMES = ["!!!.md", "---.md", "A.md", "a-b.md", "é.md"]  # no slug, or the slug of another name above


def file_names(faulty: bool) -> st.SearchStrategy[str]:
    made_up = named(st.text(st.characters(categories=["L", "N", "Zs", "Pd", "M"]), min_size=1, max_size=20)).map(
        lambda s: s + ".md"
    )
    return mostly(st.sampled_from(FILE_NAMES), st.sampled_from(BAD_FILE_NAMES) if faulty else made_up)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        out = []
        for ch in value:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ord(ch) < 0x20 or ord(ch) == 0x7F:
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    raise AssertionError(value)


def toml_options(ctx: Ctx) -> dict[str, st.SearchStrategy]:
    return {
        "title": ctx.odd(nonblank(mostly(words, ctx.line)), st.sampled_from(["", " "])),
        "description": mostly(words, ctx.line, 1),
        "base_url": ctx.odd(
            st.sampled_from(
                [
                    "https://example.org/",
                    "https://example.org/briefs/",
                    "http://localhost:8000/",
                    "https://example.org/a%20b/",
                    "https://exämple.org/ü/",
                    "https://example.org",
                    "https://[::1]:8080/x/",
                    "https://example.org/a'b/",
                ]
            ),
            st.sampled_from(
                [
                    "https://example.org/x?q=1",
                    "ftp://example.org/",
                    "example.org",
                    "https://example.org/<x>/",
                    "https://[::1/",
                    "",
                ]
            ),
        ),
        "language": ctx.odd(
            st.sampled_from(["en", "de", "fr", "es", "ar", "he", "ja", "zh-Hant", "en-GB", "de-1996"]),
            st.sampled_from(["x", "english", "en_GB", ""]),
        ),
        "timezone": ctx.odd(
            st.sampled_from(
                [
                    "UTC",
                    "Europe/London",
                    "Pacific/Chatham",
                    "Asia/Kolkata",
                    "America/St_Johns",
                    "Etc/GMT+12",
                    "Etc/GMT-14",
                    "Pacific/Kiritimati",
                ]
            ),
            st.sampled_from(["Nowhere/City", "utc", "../../etc/passwd", ""]),
        ),
        "default_author": ctx.names(),
        "per_page": ctx.odd(st.sampled_from([1, 2, 3, 10, 2**63 - 1]), st.sampled_from([0, -1])),
        "archive_per_page": ctx.odd(st.sampled_from([1, 2, 100]), st.just(0)),
        "feed_size": ctx.odd(st.sampled_from([1, 2, 20, 2**63 - 1]), st.just(0)),
        "permalink": ctx.odd(
            st.sampled_from(
                [
                    "/{year}/{month}/{slug}/",
                    "/{slug}/",
                    "/{section}/{slug}/",
                    "/{year}/{month}/{day}/{slug}/",
                    "/news/{slug}.html/",
                    "/p/{slug}/",
                    "/{section}/{year}/{slug}/",
                    "/a.b/{slug}/",
                    "/~x/{slug}/",
                ]
            ),
            st.sampled_from(
                [
                    "/{slug}",
                    "/{year}/",
                    "/{nope}/{slug}/",
                    "/a b/{slug}/",
                    "/../{slug}/",
                    "/{section}/",
                    "/{{slug}}/",
                    "{slug}/",
                    "/tags/{slug}/",
                    "/{slug}/{slug}/",
                ]
            ),
        ),
    }


def toml_tables(ctx: Ctx) -> dict[str, dict[str, st.SearchStrategy]]:
    return {
        "publisher": {
            "name": mostly(words, nonblank(ctx.line)),
            "logo": ctx.odd(
                st.sampled_from(
                    ["/images/favicon.svg", "https://example.org/logo.png", 'https://exämple.org/<logo>"x".png']
                ),
                st.sampled_from(
                    ["/images/missing.svg", "logo.png", "javascript:alert(1)", "https://example.org/my logo.png"]
                ),
            ),
        },
        "markdown": {
            "html": st.sampled_from(["escape", "safe", "trusted"]),
            "allow_html": st.booleans(),  # html's old name: true is "trusted", false "escape" (a warning)
            "typographer": st.booleans(),
        },
        "related": {
            "count": ctx.odd(st.sampled_from([0, 1, 4, 10, 2**63 - 1]), st.just(-1)),
            "tags": ctx.odd(
                st.sampled_from([0.0, 1.0, 2.5, 1000, 5]), st.sampled_from([-1.0, math.nan, math.inf, 1e308])
            ),
            "text": ctx.odd(st.sampled_from([0.0, 1.0, 3, 1000.0]), st.sampled_from([math.nan, -math.inf, 1001])),
            "section": ctx.odd(st.sampled_from([0.0, 0.15, 1.0]), st.just(math.nan)),
            "recency": ctx.odd(st.sampled_from([0.0, 0.1, 5.0, 1e3]), st.just(math.inf)),
            "half_life_days": ctx.odd(
                st.sampled_from([365.0, 1.0, 1e-300, 1e300]), st.sampled_from([0.0, -5.0, math.inf, math.nan])
            ),
            "min_score": ctx.odd(st.sampled_from([0.0, 0.2, 1e9, 1e308]), st.sampled_from([-1.0, math.nan])),
            "language": ctx.odd(st.sampled_from(["", "en", "de", "fr", "es", "xx"]), st.just(7)),
        },
    }


BROKEN_TOML = [
    'titel = "x"',
    'per_page = "10"',
    "allow_html = true",
    "title = 1",
    "[[title]]",
    "title = ",
    'x = [1, "a"]',
    'base_url = "https://example.org/"',
    "= broken",
    '"\\u0000" = 1',
    "[markdown]\n[markdown]",
    "[authors]\nx = 1",
    "authors = 3",
    "[related]\ncount = 1.5",
]


@st.composite
def config_file(draw, ctx: Ctx, author_slugs: list[str]) -> tuple[str, bool]:
    """brief.toml's text, and whether raw HTML passes through (html = "trusted")."""
    lines = []
    for key, strategy in toml_options(ctx).items():
        if draw(st.booleans()):
            lines.append(f"{key} = {toml_value(draw(strategy))}")
    if ctx.faulty and draw(st.integers(0, 9)) == 5:
        lines.append(draw(st.sampled_from(BROKEN_TOML)))
    trusted = False
    for table, options in toml_tables(ctx).items():
        chosen = {k: draw(s) for k, s in options.items() if draw(st.integers(0, 2)) == 1}
        if chosen:
            lines.append(f"[{table}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in chosen.items()]
            if table == "markdown":  # html wins over allow_html; neither: "safe"
                legacy = "safe" if "allow_html" not in chosen else ("trusted" if chosen["allow_html"] else "escape")
                trusted = chosen.get("html", legacy) == "trusted"
    profile_ctx = Ctx([], [], trusted, "brief.toml", ctx.mode, ctx.faulty)
    slugs = ctx.odd(st.sampled_from(author_slugs), st.sampled_from(["Bad Slug", "x", "ÄÖ"]))
    for slug in draw(st.lists(slugs, max_size=2, unique=True)):
        lines.append(f"[authors.{slug if re.fullmatch(r'[A-Za-z0-9_-]+', slug) else toml_value(slug)}]")
        for name, strategy in (
            ("name", ctx.names()),
            ("role", nonblank(ctx.line)),
            ("bio", nonblank(markdown(profile_ctx, 3))),
            (
                "avatar",
                ctx.odd(
                    st.sampled_from(["https://example.org/a.jpg", "https://example.org/<ä>.jpg"]),
                    st.sampled_from(["/images/none.jpg", "a.jpg", "javascript:alert(1)", "/images/favicon.svg"]),
                ),
            ),
            ("email", words),
        ):
            if draw(st.integers(0, 2)) == 1 and (name != "email" or ctx.faulty):
                lines.append(f"{name} = {toml_value(draw(strategy))}")
    return "\n".join(lines) + "\n", trusted


@st.composite
def profile_file(draw, ctx: Ctx) -> bytes:
    lines = []
    for key, strategy in (
        ("name", ctx.names()),
        ("role", nonblank(ctx.line)),
        (
            "avatar",
            ctx.odd(
                st.sampled_from(["https://example.org/a.jpg", "https://example.org/<a>.jpg"]),
                st.sampled_from(["/images/none.jpg", "/images/favicon.svg"]),
            ),
        ),
    ):
        if draw(st.booleans()):
            lines.append(
                draw(dump(key, draw(strategy)))
                if not (ctx.faulty and draw(st.integers(0, 9)) == 5)
                else draw(raw(key, ctx))
            )
    if not lines or draw(st.integers(0, 9)) == 5:
        lines.append(draw(dump("bio", "misplaced")))  # an unknown key: a warning
    return _encode(draw, ctx, "---\n" + "\n".join(lines) + "\n---\n" + draw(markdown(ctx, 4)))


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'


def _png(width: int, height: int) -> bytes:
    """A real PNG (brief decodes raster images to make their resized copies)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 180, 150)).save(buffer, format="PNG")
    return buffer.getvalue()


PNG_800 = _png(800, 600)


@dataclass
class SiteSpec:
    files: dict[str, bytes]
    drafts: bool
    future: bool
    link_check: bool
    faulty: bool

    def __repr__(self) -> str:  # what a failure report shows: every input file
        lines = [
            f"SiteSpec(faulty={self.faulty}, drafts={self.drafts}, future={self.future}, link_check={self.link_check}), files:"
        ]
        for rel, data in self.files.items():
            if not rel.startswith("content/img/"):
                lines.append(f"--- {rel!r} ---\n{data!r}")
        return "\n".join(lines)


@st.composite
def sites(draw) -> SiteSpec:
    """1–4 articles, sometimes an author profile and a brief.toml. A faulty site may hold
    mistakes that fail the build; any other must build (or fail only by an unlucky draw,
    such as a link to an article that is a draft)."""
    faulty = draw(mostly(st.just(False), st.just(True), 2))
    mode = draw(st.sampled_from(["words", "unicode", "unicode", "hostile"]))
    names = draw(
        st.lists(
            file_names(faulty),
            min_size=1,
            max_size=4,
            unique_by=str.casefold if faulty else lambda n: slugify(Path(n).stem) or n,
        )
    )
    paths = [f"content/{name}" for name in names]
    slugs = [slugify(Path(p).stem) for p in paths if discovered(p)]
    files: dict[str, bytes] = {"content/img/pic.svg": SVG, "content/img/wide.png": PNG_800}
    trusted = False
    authors = ["ana-ortiz", "tomas-reyes", "staff", "li-xiao-long"]
    if draw(st.booleans()):
        config, trusted = draw(config_file(Ctx(paths, slugs, False, "brief.toml", mode, faulty), authors))
        files["brief.toml"] = config.encode()
        if not faulty:  # a profile given in brief.toml and in a file is an error
            authors = [a for a in authors if f"[authors.{a}]" not in config] or ["someone-else"]
    for path in paths:
        files[path] = draw(
            article_file(Ctx(paths, [s for s in slugs if s != slugify(Path(path).stem)], trusted, path, mode, faulty))
        )
    if draw(st.integers(0, 3)) == 2:
        slug = draw(
            mostly(st.sampled_from(authors), st.sampled_from(["Bad Name", "x"]) if faulty else st.sampled_from(authors))
        )
        path = f"content/authors/{slug}.md"
        files[path] = draw(profile_file(Ctx(paths, slugs, trusted, path, mode, faulty)))
    return SiteSpec(
        files, draw(st.booleans()), draw(st.booleans()), draw(mostly(st.just(True), st.just(False), 3)), faulty
    )


def write_site(spec: SiteSpec, folder: Path) -> Path:
    site = folder / "site"
    (site / "content").mkdir(parents=True)
    for rel, data in spec.files.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return site


# --- what a build may produce ---------------------------------------------------------------------

SUMMARY = re.compile(r"(?:build|configuration) failed: (\d+) errors?, (\d+) warnings?(?:; nothing was written)?")


def site_files(site: Path) -> set[str]:
    """Every file of the site, relative to it."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def check_problem(problem: Problem, site: Path, files: set[str]) -> None:
    """One problem: a file of the site, a line inside it, one line of text."""
    assert isinstance(problem, Problem), problem
    assert problem.path in files, f"problem names no file of the site: {problem.format()!r}"
    assert problem.severity in (ERROR, WARNING), problem
    if problem.line is not None:
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        data = (site / problem.path).read_bytes()
        lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n") + 1  # as brief.loader splits lines
        assert problem.line <= lines + 1, f"line {problem.line} is past the end of {problem.path}: {problem.format()!r}"
    shown = problem.format()
    assert shown.splitlines() == [shown] and shown.strip() == shown, f"not one line: {shown!r}"
    assert problem.message.strip(), problem


EXCERPT = re.compile(r"  [ >] +\d+ \|(?: .*)?")
"""A source line shown under an error (brief.excerpts): ``  > 12 | title: "Unclosed``."""


def check_problem_line(line: str, escaped_files: set[str]) -> None:
    """One line of the CLI's output about a failed build: ``path[:line]: [warning: ][field: ]message``."""
    for path in sorted(escaped_files, key=len, reverse=True):
        match = re.fullmatch(re.escape(path) + r"(?::(\d+))?: (?:warning: )?(\S.*)", line)
        if match:
            assert match.group(1) is None or int(match.group(1)) >= 1, line
            return
    raise AssertionError(f"not a problem line naming a file of the site: {line!r}")


class PageChecker(HTMLParser):
    """Scripts, event handlers and URLs of one page."""

    def __init__(self, base_path: str) -> None:
        super().__init__(convert_charrefs=True)
        # The theme's scripts (content-hashed names) and, on the search page, Pagefind's UI.
        self.script_src = re.compile(
            re.escape(base_path) + r"(js/(brief|search)\.[0-9a-f]{8}\.js|pagefind/pagefind-ui\.js)"
        )
        self.found: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = [(k, v or "") for k, v in attrs]
        if tag == "script":
            self.scripts += 1
            theirs = (
                len(attrs) == 2
                and attrs[0][0] == "src"
                and self.script_src.fullmatch(attrs[0][1])
                and attrs[1] == ("defer", "")
            )
            if attrs != [("type", "application/ld+json")] and not theirs:
                self.found.append(f"script that is not the theme's: <script {attrs}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"event handler attribute on <{tag}>: {name}={value!r}")
            if (
                name in ("href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "data", "content")
                and value
            ):
                squashed = re.sub(
                    r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]", "", value
                ).lower()
                if name == "content" and not squashed.startswith(("javascript:", "vbscript:")):
                    continue
                if squashed.startswith(("javascript:", "vbscript:", "data:")):
                    self.found.append(f"dangerous URL on <{tag}>: {name}={value!r}")

    handle_startendtag = handle_starttag


def check_page(path: Path, base_path: str) -> list[str]:
    html = path.read_bytes().decode("utf-8")  # a page that is not UTF-8 fails here
    checker = PageChecker(base_path)
    checker.feed(html)
    checker.close()
    found = list(checker.found)
    raw_scripts = len(re.findall(r"<script", html, re.IGNORECASE))
    if raw_scripts != checker.scripts:
        found.append(f"{raw_scripts} '<script' in the text but {checker.scripts} script elements")
    if not html.startswith("<!DOCTYPE html>"):
        found.append("no doctype")
    return found


# --- the tests ----------------------------------------------------------------------------------


class Collected:
    """What the examples of this module leave for the Nu checker (a plain class, so that
    Hypothesis's report of a failing example shows only its repr)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.built: dict[Path, Path] = {}
        """Output folder → example folder (holding ``site/``) of every example that built."""
        self.count = 0
        self.outcomes: dict[str, int] = {}

    def folder(self, kind: str) -> Path:
        self.count += 1
        folder = self.root / f"{kind}{self.count:05d}"
        folder.mkdir()
        return folder

    def note(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1

    def __repr__(self) -> str:  # shown in Hypothesis's report of a failing example
        return f"Collected({self.root}, {self.outcomes})"


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Collected:
    return Collected(tmp_path_factory.mktemp("fuzz"))


def _base_path(site: Path) -> str:
    return load_config(site).base_path


def _check_built_pages(out: Path, base_path: str) -> None:
    pages = sorted(p for p in out.rglob("*.html") if p.is_file())
    assert pages, "a successful build wrote no HTML page"
    bad = [f"{p.relative_to(out)}: {what}" for p in pages for what in check_page(p, base_path)]
    for path in out.rglob("*"):  # feeds and sitemaps are well-formed too
        try:
            if path.suffix == ".xml" and path.is_file():
                ElementTree.fromstring(path.read_bytes())
            elif path.suffix == ".json" and path.is_file():
                json.loads(path.read_bytes())
        except (ElementTree.ParseError, ValueError) as exc:
            bad.append(f"{path.relative_to(out)}: {exc}")
    assert not bad, "\n".join(bad)


@FUZZ
@given(spec=sites())
def test_build_succeeds_with_valid_pages_or_fails_cleanly(collected, spec):
    folder = collected.folder("ex")
    site = write_site(spec, folder)
    out = folder / "out"
    files = site_files(site)
    found: list[Problem] = []
    try:
        with warnings.catch_warnings():  # a RuntimeWarning (numpy on a NaN, say) is a failure too
            warnings.simplefilter("error")
            config = load_config(site)
            result = build(
                config,
                out,
                BuildOptions(now=NOW, drafts=spec.drafts, future=spec.future, link_check=spec.link_check),
                on_warning=found.append,
            )
    except BuildFailed as exc:
        assert exc.problems, "a failed build names no problem"
        for problem in exc.problems:
            check_problem(problem, site, files)
        errors = [p for p in exc.problems if p.severity == ERROR]
        match = SUMMARY.fullmatch(exc.message)
        assert match, f"summary: {exc.message!r}"
        assert int(match.group(1)) == len(errors) >= 1, exc.message
        assert int(match.group(2)) == len(exc.problems) - len(errors), exc.message
        assert not out.exists(), "a failed build wrote its output folder"
        assert not [p.name for p in folder.iterdir() if p.name not in ("site",)], (
            "a failed build left files beside the output"
        )
        collected.note("failed")
        shutil.rmtree(folder)
        return
    except BriefError as exc:  # any other refusal must still name the file and line
        raise AssertionError(f"BriefError without problems: {exc.format_message()!r}") from exc
    assert result.output == out and out.is_dir()
    for warning in found:
        assert warning.severity == WARNING
        check_problem(warning, site, files)
    _check_built_pages(out, config.base_path)
    collected.built[out] = folder
    collected.note("built")


def run_cli(site: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200", "CI": "1"}
    env.pop("BRIEF_CACHE_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "brief", "build", "--site", str(site), *args],
        check=False,
        capture_output=True,
        env=env,
        timeout=120,
    )


@CLI_FUZZ
@given(spec=sites())
def test_cli_exits_0_or_1_without_traceback(collected, spec):
    folder = collected.folder("cli")
    site = write_site(spec, folder)
    args = [
        flag
        for flag, on in (("--drafts", spec.drafts), ("--future", spec.future), ("--no-link-check", not spec.link_check))
        if on
    ]
    proc = run_cli(site, *args)
    stdout, stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")  # output that is not UTF-8 fails here
    assert "Traceback" not in stdout + stderr and "internal error" not in stdout + stderr, stderr
    assert proc.returncode in (0, 1), f"exit code {proc.returncode}\n{stderr}"
    escaped = {_one_line(rel) for rel in site_files(site)}
    lines = stderr.splitlines()
    if proc.returncode == 1:
        assert lines, "exit code 1 without a message"
        assert SUMMARY.fullmatch(lines[-1].removeprefix("Error: ")) and lines[-1].startswith("Error: "), lines[-1]
        problems = [line for line in lines[:-1] if not EXCERPT.fullmatch(line)]  # a problem's source lines follow it
        assert not lines or not EXCERPT.fullmatch(lines[0]), "source lines before any problem"
        for line in problems:
            check_problem_line(line, escaped)
        n = int(SUMMARY.fullmatch(lines[-1].removeprefix("Error: ")).group(1))
        assert 1 <= n <= len(problems), lines[-1]
        left = sorted(p.name for p in site.iterdir() if p.name == "public" or p.name.startswith((".public", "public.")))
        assert left == [], f"a failed build left {left}"
        collected.note("cli failed")
        return
    assert stdout.startswith("Built "), stdout
    for line in lines:
        assert ": warning: " in line, f"a successful build printed {line!r}"
        check_problem_line(line, escaped)
    out = site / "public"
    _check_built_pages(out, _base_path(site))
    collected.built[out] = folder
    collected.note("cli built")


def test_every_built_page_is_valid_html(collected, node_tool):
    """One run of the Nu checker over the pages of every example that built (the tests above).

    Errors are grouped by kind; each kind names how many examples show it and prints the input
    files of the smallest one."""
    if not collected.built:
        pytest.skip("no fuzz example ran in this session (run the whole module)")
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    print(f"\nfuzz outcomes: {collected.outcomes}; validating the pages of {len(collected.built)} sites")
    result = subprocess.run(
        [
            java,
            "-Xss16m",
            "-jar",
            str(vnu),
            "--errors-only",
            "--skip-non-html",
            "--stdout",
            "--format",
            "json",
            *map(str, collected.built),
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except ValueError:
        raise AssertionError(
            f"the Nu checker's output is not JSON: {result.stdout[:2000]!r} {result.stderr[:2000]!r}"
        ) from None
    errors = [m for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    if not errors:
        assert result.returncode == 0, result.stderr
        return
    kinds: dict[str, list[tuple[Path, str]]] = {}
    for m in errors:
        page = Path(unquote(urlsplit(m.get("url", "")).path))
        out = next((out for out in collected.built if page.is_relative_to(out)), None)
        kind = re.sub(r"\d+", "N", re.sub(r"“[^”]*”", "“…”", m["message"]))
        where = (
            f"{page.relative_to(out) if out else page}:{m.get('lastLine')}: {m['message']} [{m.get('extract', '')!r}]"
        )
        kinds.setdefault(kind, []).append((collected.built[out] if out else page.parent, where))
    report = [f"{len(errors)} HTML errors of {len(kinds)} kinds:"]
    for kind, found in kinds.items():
        examples = {folder for folder, _ in found}
        smallest = min(examples, key=lambda f: sum(p.stat().st_size for p in (f / "site").rglob("*") if p.is_file()))
        report.append(
            f"\n{kind}: {len(found)} errors in {len(examples)} examples; the smallest is {smallest.name} ({smallest / 'site'}):"
        )
        report += [f"  {where}" for folder, where in found if folder == smallest][:5]
        for path in sorted((smallest / "site").rglob("*")):
            if path.is_file() and "img" not in path.relative_to(smallest / "site").parts:
                report.append(f"  input {path.relative_to(smallest / 'site')}: {path.read_bytes()!r}")
    raise AssertionError("\n".join(report))
