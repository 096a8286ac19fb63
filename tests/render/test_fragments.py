"""Partials remembered while pages are rendered (brief.render.fragments): the same text as
rendering each time, for the default theme and for themes whose partials read the page."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
import pytest
from helpers import article, make_site

from brief.build import build
from brief.config import load_config
from brief.render import fragments
from brief.render.fragments import remembered, use_fragments


@dataclass(frozen=True)
class Card:
    title: str


@dataclass
class Page:
    name: str

    def __str__(self) -> str:
        return self.name


def _env(templates: dict[str, str]) -> tuple[jinja2.Environment, list[str]]:
    calls: list[str] = []

    def seen(value: str) -> str:
        calls.append(value)
        return value

    env = jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=True, undefined=jinja2.StrictUndefined)
    use_fragments(env)
    env.globals["seen"] = seen
    return env, calls


LIST = "{% for entry in entries %}{% include 'card.html' %}{% endfor %}"
LIST_CARD = "<li>{{ seen(entry.title) }}</li>"


def test_a_partial_that_reads_only_stable_values_is_rendered_once_per_value():
    env, calls = _env({"list.html": LIST, "card.html": "<li>{{ seen(entry.title) }}</li>"})
    a, b = Card("A"), Card("B")
    with remembered(env, (Card,)):
        first = env.get_template("list.html").render(entries=[a, b, a])
        second = env.get_template("list.html").render(entries=[b, a])
    assert first == "<li>A</li><li>B</li><li>A</li>"
    assert second == "<li>B</li><li>A</li>"
    assert calls == ["A", "B"]
    # outside the block nothing is remembered, and equal values are not the same value
    assert env.get_template("list.html").render(entries=[Card("A"), a]) == "<li>A</li><li>A</li>"
    assert calls == ["A", "B", "A", "A"]


@pytest.mark.parametrize(
    "card",
    [
        "<li>{{ seen(entry.title) }} on {{ page }}</li>",  # reads the page: a plain string, not stable
        "<li>{{ seen(entry.title) }}{% include 'inner.html' %}</li>",  # …through what it includes
        "<li>{{ seen(entry.title) }}{{ [1, 2]|random }}</li>",
        "<li>{{ seen(entry.title) }}{% include name %}</li>",  # a name known only at render time
        "{% extends 'frame.html' %}{% block x %}{{ seen(entry.title) }}{% endblock %}",
    ],
)
def test_a_partial_that_can_differ_between_pages_is_rendered_each_time(card):
    env, calls = _env(
        {
            "list.html": LIST,
            "card.html": card,
            "inner.html": " on {{ page }}",
            "frame.html": "<li>{% block x %}{% endblock %}</li>",
            "n.html": "",
        }
    )
    entries, page = [Card("A")], Page("one")  # the same objects, the page changed between renders
    with remembered(env, (Card,)):
        one = env.get_template("list.html").render(entries=entries, page=page, name="n.html")
        page.name = "two"
        two = env.get_template("list.html").render(entries=entries, page=page, name="n.html")
    assert calls == ["A", "A"]
    if "page" in card or "inner" in card:
        assert one.endswith("on one</li>") and two.endswith("on two</li>")


def test_a_global_shadowed_by_the_page_is_not_taken_for_the_global():
    env, calls = _env({"list.html": LIST, "card.html": "<li>{{ seen(entry.title) }}</li>"})
    a = Card("A")
    with remembered(env, (Card,)):
        env.get_template("list.html").render(entries=[a])
        env.get_template("list.html").render(entries=[a], seen=lambda value: value.lower())
    assert calls == ["A"]  # the second page's own `seen` is not the environment's: rendered again, not reused
    with remembered(env, (Card,)):
        out = env.get_template("list.html").render(entries=[a], seen=lambda value: value.lower())
    assert out == "<li>a</li>"


def test_past_the_limit_the_texts_used_longest_ago_make_room(monkeypatch):
    monkeypatch.setattr(fragments, "LIMIT", 19)  # two cards of 10 characters overfill it
    monkeypatch.setattr(fragments, "ENTRY", 0)
    env, calls = _env({"list.html": LIST, "card.html": LIST_CARD})
    a, b, c = Card("A"), Card("B"), Card("C")
    with remembered(env, (Card,)):
        out = env.get_template("list.html").render(entries=[a, b, a, c, a, b])
        kept = [values[0].title for values, _ in fragments._MEMOS[env].texts.values()]
    assert out == "<li>A</li><li>B</li><li>A</li><li>C</li><li>A</li><li>B</li>"
    # the memo is full when C comes: B, used longest ago, is forgotten (A was used again
    # after it), so A is reused once more, and B is rendered again and forgets C (keeping the
    # first texts instead, or forgetting the first ones kept, would render A again)
    assert calls == ["A", "B", "C", "B"]
    assert kept == ["A", "B"]


def test_a_full_memo_forgets_the_partials_it_never_used_again(monkeypatch):
    monkeypatch.setattr(fragments, "LIMIT", 21)
    monkeypatch.setattr(fragments, "ENTRY", 0)
    page = "{% include 'head.html' %}" + LIST
    env, calls = _env({"page.html": page, "head.html": "<h1>{{ seen(subject.title) }}</h1>", "card.html": LIST_CARD})
    a = Card("A")
    with remembered(env, (Card,)):
        pages = [env.get_template("page.html").render(subject=Card(f"S{n}"), entries=[a]) for n in range(1, 5)]
    assert pages == [f"<h1>S{n}</h1><li>A</li>" for n in range(1, 5)]
    # S1's header and A's card fill the memo, S2's header overfills it: the header, whose
    # texts were each used once, is forgotten (S3's and S4's not kept); A's card, used
    # again, is kept and rendered once in all
    assert calls == ["S1", "A", "S2", "S3", "S4"]
    assert fragments._MEMOS[env].texts is None  # all forgotten once the block ends


def test_texts_that_print_nothing_fill_the_memo_too(monkeypatch):
    # a partial that prints nothing for most pages costs a key and a slot per page all the
    # same: counted, it fills the memo and is forgotten like any other never used again
    monkeypatch.setattr(fragments, "LIMIT", 35)
    monkeypatch.setattr(fragments, "ENTRY", 10)
    page = "{% include 'notes.html' %}" + LIST
    env, calls = _env(
        {"page.html": page, "notes.html": "{% if seen(subject.title) == 'x' %}x{% endif %}", "card.html": LIST_CARD}
    )
    a = Card("A")
    memo = fragments._MEMOS[env]
    with remembered(env, (Card,)):
        for n in range(1, 7):
            assert env.get_template("page.html").render(subject=Card(f"S{n}"), entries=[a]) == "<li>A</li>"
            kept = [key[0] for key in memo.texts]
            assert len(kept) <= 3
        assert kept == ["card.html"]
    assert calls == ["S1", "A", "S2", "S3", "S4", "S5", "S6"]


def _custom_theme_site(tmp_path):
    files = {
        f"content/a{i}.md": article(f"Body {i}.\n", title=f"Story {i}", takeaways=["One"], tags=["Ports", "Grids"])
        for i in range(3)
    }
    # a theme whose card says which listing it is on: reads `listing`, so never reused across pages
    files["templates/partials/entry.html"] = (
        "<li><a href=\"{{ entry.url }}\">{{ entry.title }}</a> in {{ listing.title if listing is defined else 'front' }}</li>\n"
    )
    return make_site(tmp_path, files, 'title = "Fragments"\nbase_url = "https://example.org/"\nsearch = false\n')


def test_a_site_theme_whose_cards_read_the_listing_gets_each_listing_s_own_cards(tmp_path):
    site = _custom_theme_site(tmp_path)
    build(load_config(site), site / "public")
    ports = (site / "public" / "tags" / "ports" / "index.html").read_text(encoding="utf-8")
    grids = (site / "public" / "tags" / "grids" / "index.html").read_text(encoding="utf-8")
    assert ports.count("</a> in Ports</li>") == 3 and "in Grids" not in ports
    assert grids.count("</a> in Grids</li>") == 3 and "in Ports" not in grids
