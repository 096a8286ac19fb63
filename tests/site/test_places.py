"""The output places taken so far (brief.site.places.Places): each path's folders are those
it needs, each with the first path that needed it, however the paths come."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brief.site.places import Places

_names = st.sampled_from(["a", "B", "b", "2026", "12", "index.html", "x.xml", "", "É", "é"])
_paths = st.lists(_names, min_size=1, max_size=5).map("/".join)


def _every_folder(taken: list[tuple[str, str]]) -> dict[str, str]:
    """Each folder of each path, the one who took it first: the text before each "/"."""
    folders: dict[str, str] = {}
    for relpath, who in taken:
        key = relpath.casefold()
        folders.update((key[:end], who) for end in range(len(key)) if key[end] == "/" and key[:end] not in folders)
    return folders


@given(st.lists(st.tuples(_paths, st.sampled_from(["page", "alias", "file"])), max_size=30))
def test_the_folders_taken_are_every_folder_of_every_path_with_its_first_taker(taken):
    places = Places()
    for relpath, who in taken:
        places.take(relpath, who)
    assert places.folders == _every_folder(taken)
    assert places.files == dict(reversed([(p.casefold(), w) for p, w in taken]))  # (the first taker wins)
    for relpath, _ in taken:
        assert places.owner(relpath) is not None
