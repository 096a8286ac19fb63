"""brief.content.linemap: the front-matter lines an article keeps, as a dict would keep
them, in a fraction of the memory."""

from __future__ import annotations

import pickle
import sys

from hypothesis import given
from hypothesis import strategies as st

from brief.content.linemap import LineMap

KEYS = st.lists(st.text(min_size=1, max_size=8) | st.integers(0, 40), min_size=1, max_size=3).map(tuple)


@given(st.dictionaries(KEYS, st.integers(1, 100_000), max_size=30), KEYS)
def test_it_answers_as_the_dict_it_was_made_of(lines, other):
    found = LineMap(lines)
    assert dict(found.items()) == lines and list(found) == list(lines) and len(found) == len(lines)
    for key, line in lines.items():
        assert found.get(key) == found[key] == line and key in found
    assert found.get(other) == lines.get(other) and (other in found) == (other in lines)
    assert found.get(other, -1) == lines.get(other, -1)
    back = pickle.loads(pickle.dumps(found))
    assert back == found and dict(back.items()) == lines


def test_files_of_one_shape_share_their_keys():
    one = LineMap({("title",): 2, ("tags",): 3, ("tags", 0): 4})
    two = pickle.loads(pickle.dumps(LineMap({("title",): 5, ("tags",): 6, ("tags", 0): 7})))
    assert one._shape is two._shape
    assert one != two and two.get(("tags", 0)) == 7


def test_it_is_small():
    lines = {("title",): 2, ("dek",): 3, ("date",): 4, ("authors",): 5, ("authors", 0): 6, ("section",): 7}
    lines |= {("tags",): 8, ("tags", 0): 9, ("tags", 1): 10, ("takeaways",): 11, ("takeaways", 0): 12}
    found = LineMap(lines)
    own = sys.getsizeof(found) + sys.getsizeof(found._lines)
    as_dict = sys.getsizeof(lines) + sum(sys.getsizeof(key) for key in lines)
    assert own * 4 < as_dict, (own, as_dict)
