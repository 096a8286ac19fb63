"""Share links' percent-encoding (brief.render.share): the same as urllib's."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brief.render.share import quote_all


@given(st.text())
def test_quote_all_is_urllib_quote_with_nothing_safe(text):
    try:
        expected = quote(text, safe="")
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            quote_all(text)
        return
    assert quote_all(text) == expected


def test_quote_all_encodes_reserved_and_non_ascii_characters():
    assert quote_all("a/b?c=d&e f~g_h.i-j") == "a%2Fb%3Fc%3Dd%26e%20f~g_h.i-j"
    assert quote_all("café’s\n") == "caf%C3%A9%E2%80%99s%0A"
