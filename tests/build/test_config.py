"""brief.toml: defaults, and one exact message per kind of mistake.

Most cases call :func:`brief.config.load_config` directly; one runs the CLI end to end.
"""

from __future__ import annotations

import pytest
from helpers import article, make_site, run_build, tree

from brief.config import Config, load_config
from brief.errors import BuildFailed
from brief.settings import OPTIONS, Option


def problems(tmp_path, toml: str) -> list[str]:
    """The formatted problems load_config reports for ``toml`` (it must fail)."""
    site = make_site(tmp_path, {}, toml)
    with pytest.raises(BuildFailed) as info:
        load_config(site)
    assert info.value.message.startswith("configuration failed: ")
    return [p.format() for p in info.value.problems]


def test_defaults_when_brief_toml_is_absent(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    config = load_config(site)
    assert config == Config(root=site.resolve())
    for name, option in OPTIONS.items():
        if isinstance(option, Option):
            assert getattr(config, name) == option.default, name
    assert config.html == "safe" and config.typographer is False
    assert config.publisher_name == "Brief" and config.publisher_logo is None
    assert config.base_path == "/"


def test_site_without_config_builds(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    code, out, err = run_build(site)
    assert code == 0, err
    assert (site / "public/2024/01/a/index.html").is_file()
    assert not (site / "brief.toml").exists()


def test_not_a_site(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    with pytest.raises(BuildFailed) as info:
        load_config(folder)
    [problem] = info.value.problems
    assert problem.format() == (
        f"{folder.resolve()}: not a brief site: neither brief.toml nor content/ found "
        "(run 'brief init DIR' to create one)"
    )


def test_empty_file_gives_defaults(tmp_path):
    site = make_site(tmp_path, {}, "")
    assert load_config(site) == Config(root=site.resolve())


def test_values_are_read(tmp_path):
    site = make_site(
        tmp_path,
        {},
        '\ufefftitle = "The Meridian"\nper_page = 3\ntimezone = "Europe/London"\n\n'
        '[publisher]\nname = "Meridian Ltd"\n\n[markdown]\nhtml = "trusted"\ntypographer = true\n',
    )
    config = load_config(site)
    assert (config.title, config.per_page, config.timezone) == ("The Meridian", 3, "Europe/London")
    assert config.publisher_name == "Meridian Ltd"
    assert config.html == "trusted" and config.typographer is True


def test_publisher_name_defaults_to_title(tmp_path):
    site = make_site(tmp_path, {}, 'title = "The Meridian"\n')
    assert load_config(site).publisher_name == "The Meridian"


def test_unknown_key_with_did_you_mean(tmp_path):
    assert problems(tmp_path, 'titel = "The Meridian"\n') == [
        "brief.toml:1: titel: unknown configuration key; did you mean 'title'?"
    ]


def test_unknown_key_lists_known_keys(tmp_path):
    assert problems(tmp_path, 'title = "X"\ncolour = "red"\n') == [
        "brief.toml:2: colour: unknown configuration key (known keys: archive_per_page, authors, base_url, bylines, "
        "default_author, description, embeds, feed_size, language, markdown, menu, newsletter, per_page, permalink, "
        "publisher, redirects, related, search, timezone, title, warnings)"
    ]


def test_allow_html_at_top_level_hints_markdown_table(tmp_path):
    assert problems(tmp_path, 'title = "X"\nallow_html = true\n') == [
        "brief.toml:2: allow_html: unknown configuration key; did you mean 'allow_html' under [markdown]?"
    ]


def test_unknown_key_in_table(tmp_path):
    assert problems(tmp_path, "[markdown]\ntypographr = true\n") == [
        "brief.toml:2: markdown.typographr: unknown configuration key; did you mean 'typographer'?"
    ]


def test_top_level_key_after_a_table(tmp_path):
    # A classic TOML slip: every key after [publisher] belongs to [publisher].
    assert problems(tmp_path, 'title = "X"\n\n[publisher]\nname = "X Ltd"\nper_page = 5\n') == [
        "brief.toml:5: publisher.per_page: unknown configuration key; 'per_page' is a top-level key: move it above "
        "the first [table] (keys after [publisher] belong to that table)"
    ]


def test_wrong_types_all_reported(tmp_path):
    toml = 'per_page = "10"\ntitle = 3\n\n[markdown]\nallow_html = "yes"\ntypographer = 1\n'
    assert problems(tmp_path, toml) == [
        "brief.toml:1: per_page: expected an integer, got a string ('10')",
        "brief.toml:2: title: expected a string, got an integer (3)",
        "brief.toml:5: markdown.allow_html: expected true or false, got a string ('yes')",
        "brief.toml:6: markdown.typographer: expected true or false, got an integer (1)",
    ]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("per_page = true\n", "brief.toml:1: per_page: expected an integer, got a boolean (true)"),
        ("per_page = 2.5\n", "brief.toml:1: per_page: expected an integer, got a number (2.5)"),
        ("per_page = 0\n", "brief.toml:1: per_page: must be at least 1, got 0"),
        ("markdown = true\n", "brief.toml:1: markdown: expected a table [markdown], got a boolean (true)"),
        (
            'markdown.allow_html = "yes"\n',
            "brief.toml:1: markdown.allow_html: expected true or false, got a string ('yes')",
        ),
        ('title = " "\n', "brief.toml:1: title: must not be empty"),
        (
            'language = "english"\n',
            "brief.toml:1: language: 'english' is not a language tag (expected e.g. 'en' or 'en-GB')",
        ),
        (
            '[publisher]\nlogo = "images/logo.svg"\n',
            "brief.toml:2: publisher.logo: 'images/logo.svg' must be a path under static/ starting with '/' or an https URL",
        ),
    ],
)
def test_bad_values(tmp_path, toml, expected):
    assert problems(tmp_path, toml) == [expected]


def test_author_table_problems_point_at_their_lines(tmp_path):
    # Headers, dotted keys, quoted keys and inline tables: each problem on the line that holds it.
    toml = (
        'title = "X"\ndescription = """\nname = 1\n"""\n\n[authors.ana-ortiz]\nname = "Ana"\nrole = 3\n'
        'avatar = "/images/missing.png"\n\n[ authors . "tom" ]\nbio = ""\n\n[authors]\n'
        'lee = { name = "Lee", roel = "x" }\nkim.avatar = "pics/kim.png"\n'
        '\n[publisher]\nlogo = "/images/gone.svg"\n'
    )
    assert problems(tmp_path, toml) == [
        "brief.toml:8: authors.ana-ortiz.role: expected a non-empty string, got an integer (3)",
        "brief.toml:9: authors.ana-ortiz.avatar: file not found: static/images/missing.png (expected a file under static/)",
        "brief.toml:12: authors.tom.bio: expected a non-empty string, got a string ('')",
        "brief.toml:15: authors.lee.roel: unknown author key; did you mean 'role'?",
        "brief.toml:16: authors.kim.avatar: 'pics/kim.png' must be a path under static/ starting with '/' or an https URL",
        "brief.toml:19: publisher.logo: file not found: static/images/gone.svg (expected a file under static/)",
    ]


def test_bad_timezone_with_hint(tmp_path):
    assert problems(tmp_path, 'title = "X"\ntimezone = "Europe/Londn"\n') == [
        "brief.toml:2: timezone: unknown time zone 'Europe/Londn' (expected an IANA name such as 'Europe/London'); "
        "did you mean 'Europe/London'?"
    ]


def test_bad_timezone_without_close_match(tmp_path):
    assert problems(tmp_path, 'timezone = "Mars/Olympus"\n') == [
        "brief.toml:1: timezone: unknown time zone 'Mars/Olympus' (expected an IANA name such as 'Europe/London')"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "example.org",
        "ftp://example.org/",
        "https://example.org/?page=1",
        "https://example.org/#top",
        "https:///path",
        "https://[example.org/",
    ],
)
def test_bad_base_url(tmp_path, url):
    assert problems(tmp_path, f'base_url = "{url}"\n') == [
        f"brief.toml:1: base_url: '{url}' is not an absolute http(s) URL without query or fragment "
        "(expected e.g. 'https://example.org/' or 'https://example.org/briefs/')"
    ]


@pytest.mark.parametrize(
    ("url", "normal", "path"),
    [
        ("https://example.org", "https://example.org/", "/"),
        ("https://example.org/briefs", "https://example.org/briefs/", "/briefs/"),
        ("https://example.org/briefs/", "https://example.org/briefs/", "/briefs/"),
        ("http://localhost:8000/a/b", "http://localhost:8000/a/b/", "/a/b/"),
    ],
)
def test_base_url_normalised_to_end_with_slash(tmp_path, url, normal, path):
    site = make_site(tmp_path, {}, f'base_url = "{url}"\n')
    config = load_config(site)
    assert config.base_url == normal
    assert config.base_path == path


def test_with_base_url_override(tmp_path):
    config = load_config(make_site(tmp_path, {}, 'title = "X"\n'))
    assert config.with_base_url("https://preview.example.org/pr-7").base_url == "https://preview.example.org/pr-7/"
    with pytest.raises(BuildFailed) as info:
        config.with_base_url("preview")
    assert [p.format() for p in info.value.problems] == [
        "--base-url: base_url: 'preview' is not an absolute http(s) URL without query or fragment "
        "(expected e.g. 'https://example.org/' or 'https://example.org/briefs/')"
    ]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("/{year}/{titel}/", "unknown placeholder {titel} (expected {year}, {month}, {day}, {slug}, {section})"),
        ("/{year}/{month}/", "must contain {slug} so that every article gets its own URL"),
        ("{year}/{slug}", "'{year}/{slug}' must start and end with '/' (e.g. '/{year}/{month}/{slug}/')"),
        (
            "/news items/{slug}/",
            "'/news items/{slug}/' may only hold letters, digits, '-', '_', '.' and placeholders between single slashes",
        ),
        (
            "/../{slug}/",
            "'/../{slug}/' may only hold letters, digits, '-', '_', '.' and placeholders between single slashes",
        ),
        (
            "//{slug}/",
            "'//{slug}/' may only hold letters, digits, '-', '_', '.' and placeholders between single slashes",
        ),
    ],
)
def test_bad_permalink(tmp_path, pattern, message):
    assert problems(tmp_path, f'permalink = "{pattern}"\n') == [f"brief.toml:1: permalink: {message}"]


@pytest.mark.parametrize(
    "pattern", ["/{slug}/", "/{section}/{year}/{month}/{day}/{slug}/", "/news/{year}/{slug}.html/"]
)
def test_good_permalink(tmp_path, pattern):
    assert load_config(make_site(tmp_path, {}, f'permalink = "{pattern}"\n')).permalink == pattern


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('title = "X"\ndescription = "ok"\nper_page = \n', "brief.toml:3: invalid TOML: Invalid value (column 12)"),
        (
            'title = "X"\n[markdown\n',
            "brief.toml:2: invalid TOML: Expected ']' at the end of a table declaration (column 10)",
        ),
        (
            'title = "X"\ntitle = "Y"\n',
            "brief.toml:2: invalid TOML: Cannot overwrite a value (column 12); each key and [table] may be given only once",
        ),
    ],
)
def test_toml_syntax_error_with_line(tmp_path, toml, expected):
    assert problems(tmp_path, toml) == [expected]


def test_config_problems_end_to_end(tmp_path):
    site = make_site(
        tmp_path, {"content/a.md": article()}, 'titel = "X"\nper_page = "10"\n\n[markdown]\nallow_html = "yes"\n'
    )
    before = tree(site)
    code, out, err = run_build(site)
    assert code == 1
    assert err.splitlines() == [
        "brief.toml:1: titel: unknown configuration key; did you mean 'title'?",
        '  > 1 | titel = "X"',
        '    2 | per_page = "10"',
        "    3 |",
        "brief.toml:2: per_page: expected an integer, got a string ('10')",
        '    1 | titel = "X"',
        '  > 2 | per_page = "10"',
        "    3 |",
        "    4 | [markdown]",
        "brief.toml:5: markdown.allow_html: expected true or false, got a string ('yes')",
        "    3 |",
        "    4 | [markdown]",
        '  > 5 | allow_html = "yes"',
        "Error: configuration failed: 3 errors, 0 warnings",
    ]
    assert tree(site) == before


def test_base_url_prefix_end_to_end(tmp_path):
    site = make_site(
        tmp_path,
        {"content/a.md": article(), "content/b.md": article(title="B", body="See [a](a.md).\n")},
        'base_url = "https://example.org/briefs"\n',
    )
    code, _, err = run_build(site)
    assert code == 0, err
    html = (site / "public/2024/01/b/index.html").read_text(encoding="utf-8")
    assert '<a href="/briefs/2024/01/a/">a</a>' in html
