"""The fast path of old-address checks (brief.oldpaths): a path of ASCII letters, digits and
``-._~/`` is taken as it is written. It must be what the full check would say: nothing to
decode, no character to refuse, and the same verdict as a path with a %XX escape in it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brief.oldpaths import _PLAIN, PLAIN_SIGNS, alias_path, refused_character

PLAIN = st.text(alphabet="abcXYZ019-._~/", max_size=40)


@given(PLAIN)
def test_a_plain_path_has_nothing_to_decode_or_refuse(text):
    assert _PLAIN.fullmatch(text)
    assert refused_character(text, PLAIN_SIGNS, spaces=True) is None
    assert refused_character(text, None, spaces=False) is None


@given(PLAIN, st.sampled_from("abc019"))
def test_a_plain_path_gets_the_verdict_of_its_escaped_spelling(text, letter):
    # "%61" is "a": the escaped spelling goes through decoding and the character checks
    plain = "/" + text + letter
    escaped = "/" + text + f"%{ord(letter):02X}"
    assert not _PLAIN.fullmatch(escaped)
    (path, reason), (escaped_path, escaped_reason) = alias_path(plain), alias_path(escaped)
    assert reason == escaped_reason
    assert reason is not None or path == escaped_path
