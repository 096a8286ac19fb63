"""Article views made when first asked for (brief.render.views.ArticleViews): a cached build
after one article's edit makes the views of the pages and feeds it makes again, not every
article's, and writes the site a clean build writes; a build that renders its pages in
worker processes makes every view before they are forked, so that they share them. The
HTML of an article's parts read back from the build cache is unpickled only for the views
made (brief.render.articles.ArticleParts.packed)."""

from __future__ import annotations

import dataclasses
import io
import pickle
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, tree
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.digests import digest, digester, pickled_digest
from brief.render import views
from brief.render.articles import ArticleParts, stored_parts
from brief.render.viewkeys import LinkLines, term_links

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
WORDS = [
    ["grid", "battery", "storage", "substation", "transformer", "outage", "frequency", "inverter"],
    ["glacier", "drought", "rainfall", "monsoon", "wildfire", "heatwave", "aquifer", "permafrost"],
    ["tariff", "export", "subsidy", "inflation", "shipping", "freight", "customs", "currency"],
]


def _site(tmp_path: Path, count: int) -> Path:
    rng = random.Random(count)
    files = {}
    for i in range(count):
        words = WORDS[i % 3]
        files[f"content/a{i}.md"] = article(
            " ".join(rng.choice(words) for _ in range(40)) + ".\n",
            title=f"Story {i} on {rng.choice(words)}",
            date=f"20{20 + i % 6}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            section=["Energy", "Climate", "Trade"][i % 3],
            tags=[f"Topic {i % 17}", f"Theme {i % 5}"],
            authors=[f"Writer {i % 7}"],
            dek=f"What story {i} says.",
        )
    return make_site(tmp_path, files)


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The slug of each view made in this process. (Not with pagedeps.VERIFY, which makes the
    inputs of every page whose key is kept: tests/build/test_page_deps.py has it on.)"""
    slugs: list[str] = []
    original = views.assemble_view

    def counting(article, *args, **kwargs):
        slugs.append(article.slug)
        return original(article, *args, **kwargs)

    monkeypatch.setattr(views, "assemble_view", counting)
    return slugs


def _cached(site: Path, out: Path, jobs: int = 1) -> None:
    cache = BuildCache.load(site)
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=jobs))
    cache.save(site)


@pytest.mark.slow
def test_an_edit_makes_the_views_of_what_it_renders_again(tmp_path, made):
    site = _site(tmp_path, 150)
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    _cached(site, cached)
    assert len(made) == 150  # a first build renders every article: each view at once
    for name, edit in [("a40.md", "One more line.\n"), ("a41.md", "dek: What story 41 now says.\n")]:
        made.clear()
        page = site / "content" / name
        text = page.read_text()
        page.write_text(text + edit if edit.startswith("One") else text.replace("dek: What story 41 says.\n", edit))
        _cached(site, cached)
        assert name[:-3] in made
        assert len(set(made)) < 150 / 2, (name, len(set(made)))  # (a few dozen: lists, related, feeds)
        build(load_config(site), clean, BuildOptions(now=NOW))
        assert tree(cached) == tree(clean), name


@pytest.mark.slow
def test_pages_rendered_by_workers_find_every_view_made(tmp_path, made):
    site = _site(tmp_path, 400)  # 500 pages and more: rendered by worker processes
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    _cached(site, cached, jobs=2)
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/share.html").write_text('<section class="share"><p>Pass it on</p></section>\n')
    made.clear()
    _cached(site, cached, jobs=2)  # every page again, every article's Markdown remembered
    assert sorted(set(made)) == sorted(f"a{i}" for i in range(400))  # in this process, before the fork
    made.clear()
    build(load_config(site), clean, BuildOptions(now=NOW, jobs=1))
    assert tree(cached) == tree(clean)


@pytest.mark.slow
def test_parts_read_from_the_cache_unpickle_their_html_for_the_views_made(tmp_path, made):
    site = _site(tmp_path, 150)
    out = tmp_path / "out"
    _cached(site, out)
    first = BuildCache.load(site).markdown.parts
    assert first and all(parts.packed is not None for parts in first.values())
    parts = next(iter(first.values()))
    packed = parts.packed
    assert stored_parts(parts)[1][1] is packed  # written back as it was read: not pickled again
    body = parts.body  # (unpickled now)
    assert parts.packed is None and "<p>" in body
    again = next(iter(BuildCache.load(site).markdown.parts.values()))
    assert again == parts and pickled_digest(again) == pickled_digest(parts)  # (== unpickles it)
    page = site / "content/a40.md"
    page.write_text(page.read_text() + "One more line.\n")
    cache = BuildCache.load(site)
    made.clear()
    build(load_config(site), out, BuildOptions(now=NOW, cache=cache, jobs=1))
    unpacked = [p for p in cache.markdown.parts.values() if p.packed is None]
    assert 0 < len(unpacked) <= len(set(made)) < 150 / 2
    cache.save(site)
    clean = tmp_path / "clean"
    build(load_config(site), clean, BuildOptions(now=NOW))
    assert tree(out) == tree(clean)
    assert BuildCache.load(site).markdown.parts == cache.markdown.parts


def test_packed_html_comes_back_as_it_was():
    markup = ArticleParts(
        Markup("<em>cap</em>"),
        (Markup("one &amp; two"),),
        Markup("<p>desk</p>"),
        Markup("<p>body</p>"),
        None,
        None,
        1,
        (),
        (),
        (),
        corrections=(Markup("fixed"),),
    )
    plain = dataclasses.replace(markup, caption=None, analysis=None, body="<p>not Markup</p>", takeaways=())
    for parts in (markup, plain):
        stream = io.BytesIO()
        pickle.dump(stored_parts(parts), stream)  # (the reduce value: a function and its arguments)
        function, arguments = pickle.loads(stream.getvalue())
        back = function(*arguments)
        assert back.packed is not None
        for name in ("caption", "takeaways", "analysis", "body", "corrections"):
            value, original = getattr(back, name), getattr(parts, name)
            assert value == original and type(value) is type(original), name
            if isinstance(value, tuple):
                assert [type(x) for x in value] == [type(x) for x in original], name
        assert back == parts and back.packed is None


_parts = st.lists(st.binary(max_size=40) | st.text(max_size=40), max_size=5)


@given(_parts, _parts)
def test_a_digester_digests_as_digest_does(first, rest):
    # (the keys of views are made with one: they must stay what digest() made, or every
    # page's kept key would be made again after an upgrade)
    assert digester(*first)(*rest) == digest(*first, *rest)
    keyed = digester(*first)
    assert keyed(*rest) == keyed(*rest)  # (its start is copied, never changed)


def test_a_views_key_has_its_term_links_as_the_view_shows_them(tmp_path):
    files = {
        "content/a.md": article(
            "A.\n", title="A", section="Energy", tags=["Grid", "Wind power"], authors=["Ana Ortiz"]
        ),
        "content/b.md": article("B.\n", title="B", section="Energy", tags=["Grid"], authors=["Ana Ortiz", "Ben Ode"]),
        "content/c.md": article("C.\n", title="C", section="Trade", tags=[], authors=["Ben Ode"]),
    }
    site = make_site(tmp_path, files)
    state = build(load_config(site), tmp_path / "out", BuildOptions(now=NOW)).state
    lines = LinkLines(state.site)
    for built in state.site.articles:
        section, authors, tags = term_links(built, state.site)
        expected = "\n".join(f"{link.name}\t{link.url}" for link in (section, *authors, *tags))
        assert lines.of(built) == expected, built.slug


@pytest.mark.slow
def test_views_keys_kept_from_the_last_build_follow_a_renamed_author(tmp_path, monkeypatch):
    """A view's key is kept from the last build (MarkdownMemo.view_keys) while its article,
    its parts and every term link are the same: a profile's new name, with no article
    touched, changes the links of the views that show the author, and their pages are made
    again as a clean build makes them. An unchanged site makes no key at all."""
    site = _site(tmp_path, 60)
    profile = site / "content/authors/writer-3.md"
    profile.parent.mkdir(parents=True)
    profile.write_text("---\nname: Writer Three\n---\nWrites on storage.\n")
    cached, clean = tmp_path / "cached", tmp_path / "clean"
    _cached(site, cached)
    made: list[str] = []
    original = views.view_key
    monkeypatch.setattr(views, "view_key", lambda article, *rest: made.append(article.slug) or original(article, *rest))
    _cached(site, cached)
    assert made == []
    profile.write_text("---\nname: Writer Trois\n---\nWrites on storage.\n")
    _cached(site, cached)
    assert len(made) == 60
    build(load_config(site), clean, BuildOptions(now=NOW))
    assert tree(cached) == tree(clean)
    assert "Writer Trois" in (cached / "2023/04/a3/index.html").read_text()
