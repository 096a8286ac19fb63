"""Paths read back from the build cache (brief.content.model.path_of): the same path as
``Path(text)``, whichever way this Python adds a name to a folder's path."""

from __future__ import annotations

import operator
import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brief.content import model
from brief.content.model import child_path, child_paths, path_of

_names = st.one_of(
    st.sampled_from([".", "..", "a.md", "index.md", " spaced name.md", "ünïcödé.md", "..md", ".hidden"]),
    st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=12),
)
_texts = st.builds(
    lambda lead, names, tail: lead + "/".join(names) + tail,
    st.sampled_from(["", "/", "//", "./", "../"]),
    st.lists(_names, min_size=0, max_size=6),
    st.sampled_from(["", "/", "/."]),
)


@pytest.fixture(params=["pathlib's own", "the / operator"])
def adder(request, monkeypatch):
    if request.param == "the / operator":
        monkeypatch.setattr(model, "_add_name", operator.truediv)
    return request.param


def _same(text: str) -> None:
    expected = Path(text)
    written = str(expected)  # the cache keeps a path as pathlib writes it
    made = path_of(written)
    assert made == expected
    assert str(made) == written
    assert made.parts == expected.parts
    assert made.name == expected.name
    assert made.parent == expected.parent
    assert type(made) is type(expected)


@given(text=_texts)
def test_a_path_read_back_is_the_path_written(text):
    _same(text)


@pytest.mark.parametrize(
    "text",
    ["/", ".", "..", "a", "/a", "/a/b/c.md", "a/b", "../a/b", "/a/../b", "/a/b/..", "//a/b", "/a/b/.hidden"],
)
def test_edge_cases_with_either_way_of_adding_a_name(adder, text):
    _same(text)
    _same(text)  # the second time from the remembered folder


_plain_names = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=12
)


@given(folder=_texts, name=_plain_names.filter(lambda n: n not in (".", "..")))
def test_a_file_in_a_folder_is_the_path_joined(folder, name):
    """child_path, which the walk of content/ names each file with."""
    expected = Path(folder) / name
    made = child_path(Path(folder), name)
    assert made == expected and str(made) == str(expected) and made.parts == expected.parts
    assert made.name == expected.name and made.parent == expected.parent and type(made) is type(expected)


@pytest.mark.parametrize("text", ["/a//b.md", "/a/./b.md", "/a/b/../c.md", "/a/b/.md"])
def test_a_text_pathlib_would_not_write_still_reads_as_its_path(text):
    made = path_of(text)
    assert made == Path(text) and str(made) == str(Path(text))


@pytest.fixture(params=["the text kept", "no text kept"])
def keeper(request, monkeypatch):
    if request.param == "no text kept":
        monkeypatch.setattr(model, "_with_text", None)
    return request.param


@pytest.mark.parametrize("folder", ["/", "/a", "/a/b c/ü", ".", "a/b", "../a", "//a"])
def test_files_in_a_folder_are_the_paths_joined_with_their_text(keeper, folder):
    """child_paths, which the walk of content/ names each folder's files with: where it gives
    each path its text, that text is the one pathlib makes (here, of a path made afresh)."""
    names = ["a.md", "b c.md", "é.md", "..md", ".hidden.md"]
    for made, name in zip(child_paths(Path(folder), names), names, strict=True):
        expected = Path(folder) / name
        assert made == expected and made.parts == expected.parts and type(made) is type(expected)
        assert str(made) == str(Path(*expected.parts)) == str(expected)
        assert made.name == name and made.parent == expected.parent


@given(folder=_texts, names=st.lists(_plain_names.filter(lambda n: n not in (".", "..")), max_size=4))
def test_files_in_any_folder_are_the_paths_joined(folder, names):
    made = list(child_paths(Path(folder), names))
    assert [str(p) for p in made] == [str(Path(*(Path(folder) / n).parts)) for n in names]
    assert made == [Path(folder) / n for n in names]


def test_articles_keep_their_paths_through_the_cache(tmp_path):
    source = tmp_path / "content" / "2026" / "a story.md"
    article = model.Article(
        path=source,
        relpath="content/2026/a story.md",
        slug="a-story",
        title="A story",
        dek=None,
        date=__import__("datetime").datetime(2026, 1, 2, tzinfo=__import__("datetime").UTC),
        updated=None,
        authors=(),
        section="News",
        tags=(),
        image=None,
        takeaways=(),
        takeaway_lines=(),
        analysis=None,
        related=(),
        draft=False,
        body="Text.",
        body_line=5,
        url_path="/2026/01/a-story/",
        real_path=tmp_path / "elsewhere" / "a story.md",
    )
    back = pickle.loads(pickle.dumps(article))
    assert back == article
    assert back.path == source and str(back.path) == str(source)
    assert back.real_path == article.real_path
