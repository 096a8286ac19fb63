"""brief.frozen: a frozen dataclass made by its maker is the instance its ``__init__`` makes."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brief.content.model import Article
from brief.frozen import maker
from brief.site.model import RelatedItem


@dataclass(frozen=True, slots=True)
class Point:
    x: int
    label: str
    tags: tuple[str, ...] = ()
    note: str | None = dataclasses.field(default=None, compare=False)


make_point = maker(Point)


@given(st.integers(), st.text(), st.lists(st.text(max_size=3), max_size=4).map(tuple), st.none() | st.text())
def test_a_made_instance_is_the_one_init_makes(x, label, tags, note):
    made, init = make_point(x, label, tags, note), Point(x, label, tags, note)
    assert type(made) is Point and made == init and hash(made) == hash(init) and repr(made) == repr(init)
    assert dataclasses.astuple(made) == (x, label, tags, note)
    assert pickle.loads(pickle.dumps(made)) == init
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.x = 1  # type: ignore[misc]
    assert dataclasses.replace(made, x=0) == Point(0, label, tags, note)


def test_the_classes_brief_makes_in_bulk_have_makers_that_agree_with_init():
    item = maker(RelatedItem)("T", "/a/", False, None, None, True)
    assert item == RelatedItem("T", "/a/", external=False, article=None, automatic=True) and type(item) is RelatedItem
    values = tuple(getattr(item, f.name) for f in dataclasses.fields(item))
    assert values == ("T", "/a/", False, None, None, True)
    assert len(dataclasses.fields(Article)) == len(Article.__slots__)  # type: ignore[attr-defined]


def test_a_class_that_is_not_a_frozen_dataclass_with_slots_is_refused():
    @dataclass(slots=True)
    class Mutable:
        x: int

    @dataclass(frozen=True)
    class NoSlots:
        x: int

    for cls in (Mutable, NoSlots, int):
        with pytest.raises(TypeError, match="not a frozen dataclass with slots"):
            maker(cls)


def test_every_field_must_be_given():
    with pytest.raises(TypeError):
        make_point(1, "a")


def test_a_maker_of_some_fields_leaves_the_others_without_a_value():
    made = maker(Point, ("x", "tags"))(3, ("a",))
    assert type(made) is Point and (made.x, made.tags) == (3, ("a",))
    with pytest.raises(AttributeError):
        made.label  # noqa: B018 - (no value: Point gives none when it is read)
    with pytest.raises(TypeError, match="in their order"):
        maker(Point, ("tags", "x"))
    with pytest.raises(TypeError, match="in their order"):
        maker(Point, ("x", "nope"))


def test_parts_read_back_from_the_cache_give_their_html_when_first_read():
    from markupsafe import Markup

    from brief.render.articles import ArticleParts, stored_parts

    parts = ArticleParts(Markup("<i>c</i>"), (Markup("t"),), None, Markup("<p>b</p>"), None, None, 1, (), (), ())
    function, args = stored_parts(parts)
    back = function(*args)
    assert type(back) is ArticleParts and back.packed is not None
    assert back == parts and back.body == Markup("<p>b</p>") and back.packed is None
