"""Reading time's word count (brief.render.articles.word_count): the ASCII path counts
exactly the ``\\w+`` runs Unicode's pattern finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from brief.render.articles import word_count

_WORD = re.compile(r"\w+")

_ALPHABET = st.sampled_from(
    list("abcXYZ0189_ .,;:'\"-\n\t")
    + ["\u00a0", "«", "»", "¿", "’", "“", "”", "—", "–", "…", "\u2009", "\u202f"]
    + ["é", "ª", "µ", "º", "ß", "İ", "²", "½", "٣", "Ω"]
)


@given(st.text(_ALPHABET, max_size=80))
def test_word_count_is_the_count_of_unicode_word_runs(text):
    assert word_count(text) == len(_WORD.findall(text))


@given(st.text(max_size=80))
def test_word_count_of_any_text_is_the_count_of_unicode_word_runs(text):
    assert word_count(text) == len(_WORD.findall(text))


def test_typographic_punctuation_separates_words_and_letters_do_not():
    assert word_count("The minister’s “plan” — 2026’s budget…") == 7
    assert word_count("café m² x½") == 3
