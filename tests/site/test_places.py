"""The output places taken so far (brief.site.places.Places): each path's folders are those
it needs, each with the first path that needed it, however the paths come."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brief.site.places import FEW_CHANGED, Places, touched

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


def _plan(taken: list[tuple[str, str]], wanted: list[str]) -> tuple[list[str | None], Places]:
    """What a redirect plan does with the places: every path taken, then each old path it
    wants asked about and taken when free; the answers, and the places."""
    places = Places()
    for relpath, who in taken:
        places.take(relpath, who)
    answers = []
    for relpath in wanted:
        who = places.owner(relpath)
        answers.append(who)
        if who is None:
            places.take(relpath, "an alias")
    return answers, places


def _text(taken: list[tuple[str, str]]) -> str:
    return "\n".join(f"{relpath}\t{who}" for relpath, who in taken)


_taken = st.lists(
    st.tuples(_paths, st.sampled_from(["the page of", "the file"])).map(lambda t: (t[0], f"{t[1]} {t[0]}")),
    max_size=12,
    unique_by=lambda t: t[0],
)


@given(_taken, _taken, st.lists(_paths, max_size=6), st.randoms(use_true_random=False))
def test_a_plan_untouched_by_the_paths_that_changed_gets_the_same_answers(before, more, wanted, random):
    """brief.site.places.touched: when it says that no path that came, went or moved touches
    what the plan asked, the plan asks again and gets the very same answers."""
    after = [line for line in before if random.random() < 0.7]  # some gone
    seen = {relpath for relpath, _ in after}
    for line in more:  # some come, anywhere
        if line[0] not in seen:
            after.insert(random.randint(0, len(after)), line)
            seen.add(line[0])
    if random.random() < 0.2:
        random.shuffle(after)
    answers, places = _plan(before, wanted)
    if not touched(_text(before), _text(after), places.asked_text()):
        assert _plan(after, wanted)[0] == answers


def test_which_changes_touch_a_plan():
    taken = [("2024/01/a/index.html", "page"), ("tags/x/index.html", "page"), ("style.css", "file")]
    answers, places = _plan(taken, ["old/a/index.html", "2024/01/b/index.html"])
    assert answers == [None, None]
    asked, before = places.asked_text(), _text(taken)
    assert not touched(before, before, asked)
    assert not touched(before, _text([*taken, ("tags/new/index.html", "page")]), asked)  # a new tag's page
    assert not touched(before, _text(taken[:1]), asked)  # pages gone elsewhere
    assert touched(before, _text([*taken, ("OLD/A/index.html", "page")]), asked)  # at a path asked (any case)
    assert touched(before, _text([*taken, ("old/a/index.html/x", "file")]), asked)  # inside one
    assert touched(before, _text([*taken, ("old", "file")]), asked)  # a file where its folder goes
    assert touched(before, _text([*taken[:1], ("tags/x/index.html", "file"), *taken[2:]]), asked) is False
    assert touched(before, _text(taken[::-1]), asked)  # the same paths in another order
    assert touched(before, _text([*taken, ("tags/new/index.html", "page")]), None)  # it read every path
    many = [(f"tags/t{n}/index.html", "page") for n in range(FEW_CHANGED + 1)]
    assert touched(before, _text([*taken, *many]), asked)
