"""The fast path of old-address checks (brief.oldpaths): a path of ASCII letters, digits and
``-._~/`` is taken as it is written. It must be what the full check would say: nothing to
decode, no character to refuse, and the same verdict as a path with a %XX escape in it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brief.oldpaths import (
    _FEED_NAMES,
    _PLAIN,
    FEED_NAMES,
    MAX_SEGMENT_BYTES,
    PLAIN_SIGNS,
    _longest,
    alias_path,
    refused_character,
)

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


PATHS = st.text(alphabet=st.sampled_from("ab./-éß😀%") | st.characters(blacklist_categories=("Cs",)), max_size=60).map(
    lambda t: "/" + t.lstrip("/")
)


@given(PATHS)
def test_the_checks_made_in_c_say_what_the_loops_said(path):
    """The checks of a path's names, made by C loops over the whole path, give what a loop
    over its names gave: the longest name in UTF-8 bytes, a name starting with '.', a
    feed's name as a folder, and the verdict of a whole path (the longest name at the limit)."""
    segments = path.split("/")[1:]
    assert _longest(path, segments) == max(
        len(s.encode("utf-8")) for s in segments
    )  # (a lone surrogate is refused before)
    assert ("/." in path) == any(s.startswith(".") for s in segments if s)
    casefolded = {s.casefold() for s in segments[:-1]}
    assert (not _FEED_NAMES.isdisjoint(map(str.casefold, segments[:-1]))) == any(n in casefolded for n in FEED_NAMES)
    long = "/" + "a" * MAX_SEGMENT_BYTES + "/" + "é" * (MAX_SEGMENT_BYTES // 2 + 1) + "/"
    assert alias_path(long)[1] is not None and "longer than" in alias_path(long)[1]
    assert alias_path("/" + "a" * MAX_SEGMENT_BYTES + "/")[1] is None
