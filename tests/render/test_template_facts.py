"""What parsing the templates finds (brief.render.keys.TemplateFacts) is kept in the build
cache: a build that has it parses no template it does not compile, and gets the same
digests, the same names and the same pages as one that parsed them."""

from __future__ import annotations

import jinja2
from helpers import article, make_site, tree

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.render import fragments
from brief.render.keys import TemplateFacts, TemplateMemo, environment

STORIES = {
    f"content/s{i}.md": article(f"Body {i}.\n", title=f"Story {i}", tags=["Grid", f"T{i}"], takeaways=[f"Body {i}"])
    for i in range(4)
}


def _parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    original = jinja2.Environment.parse

    def counting(self, source, name=None, filename=None):
        parsed.append(name or "?")
        return original(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "parse", counting)
    return parsed


def test_facts_found_once_are_the_facts_found_again(tmp_path, monkeypatch):
    site = make_site(tmp_path, STORIES)
    config = load_config(site)
    facts = TemplateFacts()
    env, digests = environment(config, TemplateMemo(), None, facts)
    assert facts.digests == digests and facts.key
    assert facts.names["partials/entry.html"] is not None  # a partial worth remembering
    assert facts.names["base.html"] is None  # it has blocks
    parsed = _parses(monkeypatch)
    again, same = environment(config, TemplateMemo(), None, facts)
    assert parsed == []  # nothing parsed: the facts stand in
    assert same == digests
    assert fragments._MEMOS[again].names == facts.names
    lazily = {name: fragments._read_names(env, name) for name in facts.names}
    assert lazily == facts.names


def test_a_changed_template_is_parsed_again(tmp_path):
    site = make_site(tmp_path, STORIES)
    config = load_config(site)
    facts = TemplateFacts()
    _, before = environment(config, TemplateMemo(), None, facts)
    key = facts.key
    own = site / "templates" / "partials"
    own.mkdir(parents=True)
    (own / "entry.html").write_text("<li>{{ entry.title }} {{ page.title }}</li>\n")
    _, after = environment(config, TemplateMemo(), None, facts)
    assert facts.key != key
    assert after["partials/entry.html"] != before["partials/entry.html"]
    assert facts.names["partials/entry.html"] == ("entry", "page")


def test_pages_built_with_kept_facts_are_the_pages_built_without(tmp_path):
    site = make_site(tmp_path, STORIES)
    config = load_config(site)
    cache = BuildCache()
    build(config, tmp_path / "first", BuildOptions(cache=cache, jobs=1))
    assert cache.template_facts.key
    build(config, tmp_path / "second", BuildOptions(cache=BuildCache(template_facts=cache.template_facts), jobs=2))
    build(config, tmp_path / "plain", BuildOptions(jobs=1))
    assert tree(tmp_path / "second") == tree(tmp_path / "first") == tree(tmp_path / "plain")


def test_finding_the_facts_parses_each_template_once(tmp_path, monkeypatch):
    """Each template is parsed once, for its digest and for the names it and what it includes
    read (a partial included by many was parsed again for each), and the names are those
    found template by template with nothing shared."""
    site = make_site(tmp_path, STORIES)
    config = load_config(site)
    parsed = _parses(monkeypatch)
    facts = TemplateFacts()
    env, _ = environment(config, TemplateMemo(), None, facts)
    once = len(parsed)
    assert once and once == len(set(parsed)) == len(facts.names)
    apart = {name: fragments._read_names(env, name) for name in facts.names}  # (each with trees of its own)
    assert apart == facts.names
    assert len(parsed) - once > once  # (found apart, the partials are parsed again for each that includes them)
