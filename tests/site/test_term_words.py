"""The words related suggestions count (brief.site.terms.words): the ASCII path finds
exactly what the Unicode pattern finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brief.site.terms import _TOKEN, words

# ASCII with the characters the fast path turns into spaces, letters that send a text
# to the Unicode path (é, ª, µ, ß, İ), and digits that are words' characters too (², ٣)
_ALPHABET = st.sampled_from(
    list("abcxyzABCXYZ0189_ .,;:'\"-\n\t")
    + ["\u00a0", "«", "»", "¿", "’", "‘", "“", "”", "—", "–", "…", "\u2009", "\u202f", "\u2060"]
    + ["é", "ª", "µ", "º", "ß", "İ", "²", "¹", "½", "٣", "Ω"]
)


@given(st.text(_ALPHABET, max_size=80))
def test_words_are_the_unicode_patterns_words(text):
    low = text.lower()
    assert words(low) == _TOKEN.findall(low)


@given(st.text(max_size=80))
def test_words_of_any_text_are_the_unicode_patterns_words(text):
    low = text.lower()
    assert words(low) == _TOKEN.findall(low)


def test_curly_quotes_and_dashes_split_words_as_spaces_do():
    assert words("the minister’s “plan” — 2026’s budget…") == ["the", "minister", "plan", "budget"]
    assert words("café au lait") == ["café", "lait"]
    assert words("x² area m²s") == ["area", "m²s"]
