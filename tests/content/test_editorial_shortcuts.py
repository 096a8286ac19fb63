"""The editorial checks' shortcuts give what the long way gives.

Each shortcut skips work that cannot change the answer: names() skips text with no capital
to start a name, a vocabulary's membership stops at the first word that is the same,
tokens() skips looking into words when none holds a dot or a comma, repeats() stops once
the headline's words cannot reach the share, and the placeholder check looks at a text
where it finds it. The long way is kept here (or in the module, as ``facts._names``) as
the reference.
"""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brief.content import placeholders
from brief.content.checker import Checker
from brief.content.editorial import DEK_OWN, DEK_REPEAT, _normal, repeats
from brief.content.facts import _FIGURE, _MARKUP, Figure, _names, _plain, _value, figures, names
from brief.content.files import SourceDoc
from brief.content.stopwords import stop_words
from brief.content.words import _NOISE, _NUMBER, _TOKEN, Vocabulary, _is_acronym, content_words, tokens
from brief.content.yamllines import parse_yaml

FAST = settings(max_examples=300, deadline=None)
STOPS = stop_words("en")

# Letters whose case is unusual: titlecase (ǅ), upper- or lowercase but no letter (Ⓐ, ⓐ), a
# capital with no small letter (ℂ), a letter that is neither (ª, ʰ); dotted capitals and
# digits next to capitals (U.S., A1).
TRICKY = ["ǅ", "Ⓐ", "ⓐ", "ℂ", "ϒ", "ª", "ʰ", "ß", "İ", "ſ", "K", "Σ", "σ", "ς", "\u0301", "’", "'", "-", ".", "&"]
WORDS = ["Bank", "of", "the", "Japan", "IMF", "U.S.", "A1", "In", "for", "Fed", "markets", "rose", "1,200", "18%"]
text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(TRICKY), st.sampled_from([" ", ". ", ", ", "; ", "\n"])),
    max_size=14,
).map("".join) | st.text(alphabet=string.ascii_letters + " .,:;'’-&" + "".join(TRICKY), max_size=30)


@FAST
@given(text)
@example("Nolnol justrepaka fropara.")
@example("A1 rose")
@example("Ⓐbc def")
@example("Nⓐ rose")
@example("ab ℂd")
@example("ǅemal rose")
@example("The IMF rose")
@example("Aé rose")
@example("A")
@example("")
def test_names_shortcut_answers_as_the_sentence_loop(value):
    assert names(value, STOPS) == _names(value, STOPS)
    assert names(value) == _names(value, frozenset())


NUMBERS = ["18%", "18 per cent", "1,200", "2.50", "$1.2bn", "two", "Two million", "ſix", "SIXTY", "ten", "often"]
NUMBERS += [
    "0",
    "0.5",
    "05",
    "3k",
    "4m",
    "5b",
    "1.5-billion",
    "x7",
    "7x",
    "a.9",
    ",9",
    "9.",
    "Kelvin",
    "twenty-two",
    "100_000",
    "\x1c%",
]
numbers_text = st.lists(st.sampled_from(NUMBERS + WORDS + TRICKY + [" ", ". ", "-", "("]), max_size=10).map("".join)


@FAST
@given(numbers_text | text)
@example("eighteen PERCENT of it")
@example("The ſix of them")
def test_figures_shortcut_answers_as_the_pattern(value):
    expected = [
        Figure(m.group().strip(), _value(m), m.group("num")[0].isdigit() or bool(m.group("pct") or m.group("scale")))
        for m in _FIGURE.finditer(value)
    ]
    assert figures(value) == expected


@FAST
@given(text | st.sampled_from(["a *b* [x](y.md) [^1] <i>c</i> `d` ~e~ _f_", "[unclosed", "<", "a_b", "a ~b~", "`c`"]))
def test_plain_text_of_markup_is_the_pattern_s(value):
    assert _plain(value) == _MARKUP.sub(lambda m: m.group(1) or "", value)


vocabulary_words = st.lists(
    st.sampled_from(["diplomat", "diplomacy", "diplomatic", "japan", "japanese", "meet", "meeting", "us", "g7", "2024"])
    | st.text(alphabet="abcdeé1", min_size=1, max_size=9),
    max_size=12,
)


@FAST
@given(vocabulary_words, st.text(alphabet="abcdeé1", max_size=9) | st.sampled_from(["diplomats", "japan", "meets"]))
def test_vocabulary_membership_is_a_count_above_nought(words, word):
    vocabulary = Vocabulary(words)
    assert (word in vocabulary) == (vocabulary.count(word) > 0)


def _tokens_the_long_way(value: str) -> list[str]:
    found = []
    for token in _TOKEN.findall(_NOISE.sub(" ", value)):
        if ("." not in token and "," not in token) or _is_acronym(token) or _NUMBER.fullmatch(token):
            found.append(token)
        else:
            found += [part for part in re.split(r"[.,]", token) if part]
    return found


@FAST
@given(
    text
    | st.text(alphabet=string.printable + "’é", max_size=40)
    | st.sampled_from(["analytics.usa.gov", "See [x](y.md) <b>1,200</b> &amp; 2.50 U.S. a,b", "snake_case x_1"])
)
def test_tokens_answer_as_the_long_way(value):
    assert tokens(value) == _tokens_the_long_way(value)


@FAST
@given(text | st.text(alphabet=string.printable, max_size=30))
def test_normal_form_of_ascii_text_is_the_unicode_one(value):
    assert _normal(value) == re.sub(r"[\W_]+", " ", value.casefold()).strip()


def _repeats_the_long_way(dek: str, title: str, stops: frozenset[str]) -> bool:
    if len(title.split()) >= 3 and _normal(dek).startswith(_normal(title)):
        return True
    heading = list(dict.fromkeys(content_words(title, stops)))
    words = list(dict.fromkeys(content_words(dek, stops)))
    if len(heading) < 2 or not words:
        return False
    in_dek = Vocabulary(words)
    if sum(1 for w in heading if w in in_dek) < DEK_REPEAT * len(heading):
        return False
    in_title = Vocabulary(heading)
    return sum(1 for w in words if w in in_title) >= DEK_OWN * len(words)


WORD_FORMS = ["Grid", "grids", "batteries", "battery", "store", "storing", "power", "the", "of", "cheap", "IMF"]
WORD_FORMS += ["U.S.", "US", "us", "flies", "fly", "Fly", "1,200", "1200", "12", "Japan's", "Japanese", "policies"]
WORD_FORMS += ["policy", "G7", "bus", "buses", "é", "Énergie", "energie", "[x](grid.md)", "<b>", "a.b", "x,y", "it's"]
WORD_FORMS += [
    "meet",
    "meets",
    "meeting",
    "cityscape",
    "cities",
    "city",
    "citizen",
    "classes",
    "class",
    "buss",
    "Japan",
    "japans",
    "Feds",
    "federal",
]
WORD_FORMS += ["Straße", "strasse", "STRASSE", "ΟΔΟΣ", "οδος", "İstanbul", "istanbul", "ﬁnance", "finance"]
few_words = st.lists(st.sampled_from(WORD_FORMS), max_size=9).map(" ".join)


@FAST
@given(few_words, few_words)
@example("Grid batteries store power cheaply", "Grid batteries store power")
@example("Flies fly US policies", "fly us policy")
@example("U.S. grids 1,200", "US grid 1200")
@example("Straße in the grid", "strasse in the")
@example("cities grid power", "city grid power")
@example("cities grid power", "cityscape grid power")
@example("meet grid power", "meeting grid power")
def test_repeats_answers_as_the_long_way(dek, title):
    assert repeats(dek, title, STOPS) == _repeats_the_long_way(dek, title, STOPS)


def _values_the_long_way(c: Any, value: Any, key: tuple) -> None:
    if isinstance(value, dict):
        if key[:1] == ("related",) and value == placeholders.RELATED:
            c.warn(
                key, placeholders._left_in(placeholders.NEW, "link", placeholders.RELATED["title"]), "placeholder-text"
            )
            return
        for name, item in value.items():
            _values_the_long_way(c, item, (*key, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _values_the_long_way(c, item, (*key, i))
    elif isinstance(value, str) and value.strip() in placeholders._VALUES:
        shown = value.strip()
        what = "image" if shown == placeholders.IMAGE else "text"
        c.warn(key, placeholders._left_in(placeholders._VALUES[shown], what, shown), "placeholder-text")


class _Warnings:
    def __init__(self) -> None:
        self.seen: list[tuple] = []

    def warn(self, key: tuple, message: str, code: str) -> None:
        self.seen.append((key, message, code))


leaf = st.one_of(
    st.sampled_from([placeholders.TAG, f" {placeholders.DEK} ", placeholders.IMAGE, "Mine", "", 3, None, True]),
    st.builds(lambda: dict(placeholders.RELATED)),  # a new one each time: YAML would write one twice as an alias
)
front = st.dictionaries(
    st.sampled_from(["tags", "related", "image", "dek", "takeaways"]),
    st.recursive(leaf, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner)),
    max_size=5,
)


@FAST
@given(front)
def test_placeholder_values_are_found_as_the_long_way_finds_them(meta):
    mine, reference = _Warnings(), _Warnings()
    placeholders._values(mine, meta, ())
    _values_the_long_way(reference, meta, ())
    assert mine.seen == reference.seen


@FAST
@given(front.filter(bool), st.sampled_from(["block", "flow"]))
@example({"tags": [placeholders.TAG, "Mine"], "related": [dict(placeholders.RELATED)]}, "block")
def test_placeholder_warnings_on_parsed_front_matter_as_the_long_way(meta, style):
    """The front matter's values are walked only when one of its scalars' texts is an
    example's: on what the loader makes of a file, the warnings are the long way's."""
    text = yaml.safe_dump(meta, default_flow_style=style == "flow", allow_unicode=True, sort_keys=False)
    parsed = parse_yaml(text, "a.md", 2)
    assert not isinstance(parsed, list)
    doc = SourceDoc(Path("a.md"), "a.md", parsed[0], parsed[1], parsed[2], "", 20, parsed[3])
    mine = Checker(doc)
    placeholders.placeholder_warnings(mine)
    reference = Checker(doc)
    _values_the_long_way(reference, doc.meta, ())
    assert mine.problems == reference.problems
