"""Standalone pages as content: which files are pages, their front matter, URL clashes, and
``[[menu]]`` in brief.toml (each problem with its file and line)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from helpers import article, make_site

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.content.load import load_articles
from brief.content.model import Article, Page
from brief.errors import BuildFailed
from brief.output.writers import MemoryWriter

NOW = datetime(2026, 6, 1, tzinfo=UTC)
TAKEAWAYS = ["One fact."]


def page(body: str = "About us.\n", **fields) -> str:
    """A page's text: front matter without a date (``article`` always writes title and date)."""
    fields.setdefault("date", None)
    return article(body, **fields)


def story(body: str = "Story.\n", **fields) -> str:
    return article(body, takeaways=TAKEAWAYS, **fields)


def loaded(tmp_path, files: dict[str, str], config: str | None = None):
    site = make_site(tmp_path, files, config)
    return load_articles(load_config(site))


def build_problems(tmp_path, files: dict[str, str], config: str | None = None, **options) -> list[str]:
    """The formatted problems of a build that must fail."""
    site = make_site(tmp_path, files, config)
    with pytest.raises(BuildFailed) as info:
        build(load_config(site), None, BuildOptions(now=NOW, **options), writer=MemoryWriter())
    return [p.format() for p in info.value.problems]


def build_warnings(tmp_path, files: dict[str, str], config: str | None = None, **options) -> list[str]:
    site = make_site(tmp_path, files, config)
    warnings = []
    build(load_config(site), None, BuildOptions(now=NOW, search=False, **options), warnings.append, MemoryWriter())
    return [p.format() for p in warnings]


def config_problems(tmp_path, toml: str) -> list[str]:
    site = make_site(tmp_path, {}, toml)
    with pytest.raises(BuildFailed) as info:
        load_config(site)
    return [p.format() for p in info.value.problems]


# --- which files are pages --------------------------------------------------------------------


def test_files_in_content_pages_at_any_depth_are_pages(tmp_path):
    found = loaded(
        tmp_path,
        {
            "content/pages/about.md": page(title="About us"),
            "content/pages/legal/Privacy Notice.md": page(title="Privacy"),
            "content/a.md": story(),
        },
    )
    assert sorted((p.slug, p.url_path, p.relpath) for p in found.pages) == [
        ("about", "/about/", "content/pages/about.md"),
        ("privacy-notice", "/privacy-notice/", "content/pages/legal/Privacy Notice.md"),
    ]
    assert all(isinstance(p, Page) for p in found.pages)
    assert [a.slug for a in found.articles] == ["a"]
    assert found.problems == []


def test_type_decides_wherever_the_file_is(tmp_path):
    found = loaded(
        tmp_path,
        {
            "content/masthead.md": page(title="Masthead", type="page"),
            "content/pages/not-a-page.md": story(title="Kept an article", type="article"),
            "content/plain.md": story(title="Plain", type="article"),
        },
    )
    assert [p.slug for p in found.pages] == ["masthead"]
    assert sorted(a.slug for a in found.articles) == ["not-a-page", "plain"]
    assert all(isinstance(a, Article) for a in found.articles)
    assert found.problems == []


def test_a_wrong_type_is_an_error_with_a_hint(tmp_path):
    found = loaded(tmp_path, {"content/a.md": story(type="Page"), "content/b.md": story(type=["page"])})
    assert [p.format() for p in found.problems] == [
        "content/a.md:6: type: 'Page' is not a content type (expected 'article', the default, or 'page' for a "
        "standalone page); did you mean 'page'?",
        "content/b.md:6: type: a list is not a content type (expected 'article', the default, or 'page' for a "
        "standalone page)",
    ]
    assert found.articles == [] and found.pages == []


# --- a page's front matter --------------------------------------------------------------------


def test_front_matter_of_a_page(tmp_path):
    found = loaded(
        tmp_path,
        {
            "content/pages/c.md": page(
                title="Corrections policy", dek="How we fix mistakes.", updated="2026-03-04T10:00", slug="corrections"
            )
        },
        'timezone = "Europe/Berlin"\n',
    )
    [p] = found.pages
    assert (p.title, p.dek, p.slug, p.url_path, p.draft) == (
        "Corrections policy",
        "How we fix mistakes.",
        "corrections",
        "/corrections/",
        False,
    )
    assert p.updated is not None and p.updated.isoformat() == "2026-03-04T10:00:00+01:00"
    assert p.slug_line == 5 and p.body == "About us.\n" and p.body_line == 7


def test_article_fields_on_a_page_are_warnings_with_their_lines(tmp_path):
    found = loaded(
        tmp_path,
        {
            "content/pages/about.md": page(
                title="About",
                date="2026-01-01",
                tags=["Economy"],
                takeaways=["x"],
                description="Who we are",
                colour="red",
            )
        },
    )
    assert [p.format() for p in found.problems] == [
        "content/pages/about.md:3: warning: date: an article's field, ignored on a page (remove date:, or write "
        "type: article to make content/pages/about.md an article) [article-field-on-page]",
        "content/pages/about.md:4: warning: tags: an article's field, ignored on a page (remove tags:, or write "
        "type: article to make content/pages/about.md an article) [article-field-on-page]",
        "content/pages/about.md:6: warning: takeaways: an article's field, ignored on a page (remove takeaways:, "
        "or write type: article to make content/pages/about.md an article) [article-field-on-page]",
        "content/pages/about.md:8: warning: description: unknown front-matter key, ignored; a page's description "
        "is its dek: [unknown-key]",
        "content/pages/about.md:9: warning: colour: unknown front-matter key, ignored (known keys of a page: "
        "title, dek, updated, draft, slug, type) [unknown-key]",
    ]
    assert [p.slug for p in found.pages] == ["about"]


def test_page_errors_are_reported_like_an_article_s(tmp_path):
    found = loaded(
        tmp_path,
        {
            "content/pages/a.md": page(title=None, dek="Fine"),
            "content/pages/b.md": page(slug="Not A Slug", updated="soon", draft="yes"),
        },
    )
    assert [p.format() for p in sorted(found.problems, key=lambda p: p.sort_key)] == [
        "content/pages/a.md:1: title: is required (expected a non-empty string)",
        "content/pages/b.md:3: slug: 'Not A Slug' is not a valid slug (expected lowercase letters, digits and "
        "single hyphens); did you mean 'not-a-slug'?",
        "content/pages/b.md:4: updated: 'soon' is not an ISO 8601 date (expected e.g. 2026-10-03 or "
        "2026-10-03T08:30:00+01:00)",
        "content/pages/b.md:5: draft: expected true or false, got a string ('yes')",
    ]
    assert found.pages == []


def test_no_editorial_warnings_on_a_page(tmp_path):
    """No takeaways, a long dek and a long title: an article would warn about each, a page does not."""
    warnings = build_warnings(
        tmp_path,
        {"content/pages/about.md": page(title="T" * 130, dek="D" * 250), "content/a.md": story()},
    )
    assert warnings == []


# --- URL clashes ------------------------------------------------------------------------------


def test_two_pages_with_one_url(tmp_path):
    problems = build_problems(
        tmp_path,
        {"content/pages/about.md": page(), "content/pages/team/who.md": page(slug="about"), "content/a.md": story()},
    )
    assert problems == [
        "content/pages/about.md: slug: the page's URL /about/ is also the URL of the page content/pages/team/who.md "
        "(expected every page to have its own slug; set slug: in one of them)",
        "content/pages/team/who.md:3: slug: the page's URL /about/ is also the URL of the page "
        "content/pages/about.md (expected every page to have its own slug; set slug: in one of them)",
    ]


def test_a_page_and_an_article_with_one_url(tmp_path):
    problems = build_problems(
        tmp_path,
        {"content/pages/about.md": page(slug="about"), "content/about.md": story()},
        'permalink = "/{slug}/"\n',
    )
    assert problems == [
        "content/pages/about.md:3: slug: the page's URL /about/ is also the URL of the article content/about.md "
        "(expected each page to have its own URL; set another slug:)"
    ]


@pytest.mark.parametrize(
    ("slug", "taken"),
    [
        ("tags", "brief's own page /tags/ (the list of topics)"),
        ("archive", "brief's own page /archive/ (the archive)"),
        ("search", "brief's own search page /search/"),
        ("pagefind", "brief's own search index /pagefind/"),
    ],
)
def test_a_page_cannot_take_a_url_of_brief_s_own(tmp_path, slug, taken):
    problems = build_problems(tmp_path, {f"content/pages/{slug}.md": page(), "content/a.md": story()})
    assert problems == [
        f"content/pages/{slug}.md: slug: the page's URL /{slug}/ is also {taken} "
        "(expected each page to have its own URL; set another slug:)"
    ]


def test_search_off_frees_the_search_address(tmp_path):
    assert (
        build_warnings(tmp_path, {"content/pages/search.md": page(), "content/a.md": story()}, "search = false\n") == []
    )


def test_a_page_and_a_static_file_with_one_url(tmp_path):
    problems = build_problems(
        tmp_path,
        {"content/pages/about.md": page(), "static/about/index.html": "<p>old</p>\n", "content/a.md": story()},
    )
    assert problems == [
        "content/pages/about.md: slug: the page's URL /about/ is also the file static/about/index.html "
        "(expected each page to have its own URL; set another slug:)"
    ]


# --- drafts -----------------------------------------------------------------------------------


def test_a_draft_page_is_left_out_and_so_is_its_menu_entry(tmp_path):
    files = {
        "content/pages/about.md": page(draft=True),
        "content/a.md": story(body="See [about](pages/about.md).\n"),
    }
    toml = '[[menu]]\ntitle = "About"\npage = "about"\n'
    assert build_warnings(tmp_path, files, toml) == [
        "brief.toml:3: warning: menu[0].page: the page 'about' (content/pages/about.md) is a draft, so the menu "
        "leaves it out of this build [menu-page-not-built]",
        "content/a.md:7: warning: body: link to content/pages/about.md, which is a draft, scheduled or expired and not part "
        "of this build (its text is shown without the link) [link-not-built]",
    ]
    assert build_warnings(tmp_path / "with-drafts", files, toml, drafts=True) == []


# --- [[menu]] in brief.toml -------------------------------------------------------------------


def test_menu_entries_are_read(tmp_path):
    toml = (
        'title = "X"\n\n[[menu]]\ntitle = "About"\npage = "about"\n\n'
        '[[menu]]\ntitle = "Economy"\nurl = "/sections/economy/"\nwhere = "header"\n\n'
        '[[menu]]\ntitle = "Press"\nurl = "https://example.com/press/"\nwhere = "footer"\n'
    )
    menu = load_config(make_site(tmp_path, {}, toml)).menu
    assert [(m.title, m.page, m.url, m.where, m.header, m.footer, m.index, m.line) for m in menu] == [
        ("About", "about", None, "both", True, True, 0, 3),
        ("Economy", None, "/sections/economy/", "header", True, False, 1, 7),
        ("Press", None, "https://example.com/press/", "footer", False, True, 2, 12),
    ]


def test_bad_menu_entries_point_at_their_lines(tmp_path):
    toml = (
        'title = "X"\n'  # 1
        "\n"
        "[[menu]]\n"  # 3
        'title = "Evil"\n'
        'url = "javascript:alert(1)"\n'  # 5
        'where = "hedaer"\n'  # 6
        "\n"
        "[[menu]]\n"  # 8
        'page = "about"\n'
        'colour = "red"\n'  # 10
        "\n"
        "[[menu]]\n"  # 12
        'title = "Both"\n'
        'page = "about"\n'
        'url = "/about/"\n'  # 15
        "\n"
        "[[menu]]\n"  # 17
        'title = "Neither"\n'
        "\n"
        "[[menu]]\n"  # 20
        'title = ""\n'
        'page = "About Us"\n'  # 22
        "\n"
        "[[menu]]\n"  # 24
        'title = "Relative"\n'
        'url = "about/"\n'  # 26
    )
    assert config_problems(tmp_path, toml) == [
        "brief.toml:5: menu[0].url: 'javascript:alert(1)': javascript: links are not allowed in the menu "
        "(expected a site path such as /sections/economy/ or an absolute URL such as https://example.org/)",
        'brief.toml:6: menu[0].where: expected "header", "footer" or "both", got \'hedaer\'; did you mean \'header\'?',
        'brief.toml:8: menu[1]: has no title (expected title = "About", the text of the link)',
        "brief.toml:10: menu[1].colour: unknown menu key (known keys: title, page, url, where)",
        "brief.toml:15: menu[2].url: give either page or url, not both (page names a standalone page; url any "
        "other address)",
        'brief.toml:17: menu[3]: has neither page nor url (expected page = "about", a page\'s slug, or '
        'url = "/sections/economy/")',
        "brief.toml:21: menu[4].title: expected a non-empty string, got ''",
        "brief.toml:22: menu[4].page: 'About Us' is not a page slug (expected lowercase letters, digits and single "
        "hyphens); did you mean 'about-us'?",
        "brief.toml:26: menu[5].url: 'about/' is neither a site path starting with '/' nor an absolute http(s) URL "
        "(expected a site path such as /sections/economy/ or an absolute URL such as https://example.org/)",
    ]


def test_menu_must_be_tables(tmp_path):
    assert config_problems(tmp_path, 'title = "X"\nmenu = "About"\n') == [
        "brief.toml:2: menu: expected [[menu]] tables, each with a title and a page or url "
        '(e.g. [[menu]] title = "About" page = "about")'
    ]


def test_menu_entries_leading_nowhere_are_build_errors(tmp_path):
    toml = (
        '[[menu]]\ntitle = "About"\npage = "abuot"\n\n'  # 1-4
        '[[menu]]\ntitle = "Story"\npage = "a"\n\n'  # 5-8
        '[[menu]]\ntitle = "Topics"\nurl = "/topics/"\n'  # 9-11
    )
    problems = build_problems(tmp_path, {"content/pages/about.md": page(), "content/a.md": story()}, toml)
    assert problems == [
        "brief.toml:3: menu[0].page: no page with slug 'abuot' (expected the slug of a standalone page: a file in "
        "content/pages/ or one with type: page); did you mean 'about'?",
        "brief.toml:7: menu[1].page: no page with slug 'a' (expected the slug of a standalone page: a file in "
        "content/pages/ or one with type: page); 'a' is an article: link it with url = \"/2024/01/a/\"",
        "brief.toml:11: menu[2].url: /topics/: no such page or file in the site (expected a page or file of this "
        "site; build with --no-link-check to publish anyway)",
    ]


def test_a_menu_entry_naming_a_page_with_errors_is_not_reported_again(tmp_path):
    problems = build_problems(
        tmp_path,
        {"content/pages/about.md": page(title=None, dek="Who we are."), "content/a.md": story()},
        '[[menu]]\ntitle = "About"\npage = "about"\n',
    )
    assert problems == ["content/pages/about.md:1: title: is required (expected a non-empty string)"]
