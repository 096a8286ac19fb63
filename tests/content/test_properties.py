"""Property tests: slugs, dates, and the loader on arbitrary input. At most 200 examples each."""

from __future__ import annotations

import re
import string
import subprocess
import sys
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from brief.config import Config
from brief.content.dates import parse_datetime
from brief.content.files import SourceDoc, load
from brief.content.schema import validate
from brief.errors import FORBIDDEN_IN_PAGES, Problem, find_forbidden
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer
from brief.slugs import is_valid_slug, slugify

FAST = settings(max_examples=200, deadline=None)
ZONES = st.sampled_from(
    [
        UTC,
        ZoneInfo("Europe/London"),
        ZoneInfo("America/New_York"),
        ZoneInfo("Asia/Kolkata"),
        ZoneInfo("Pacific/Chatham"),
        timezone(timedelta(hours=-3, minutes=-30)),
    ]
)

# --- slugs ------------------------------------------------------------------------------------

TRICKY = [
    "Café Société",
    "Straße",
    "Экономика",
    "İstanbul",
    "㎒",
    "𝐀bc",
    "ǅ",
    "a/b\\c.d",
    "--x--",
    "ﬁ",
    "Ω",
    "ℌ",
    "x\u0301",
    "\u0301x",
    "a\u200bb",
    "١٢٣",
    "日本語",
    "a\u0903",
    "ⅸ",
    "K",
    "ϒ",
    "‥",
    "Ⓐ",
]


@FAST
@given(st.text())
@example("Café Société")
@example("㎒ and 𝐀")
@example("Ǆ ǅ ǆ")
def test_slugify_is_idempotent(text):
    slug = slugify(text)
    assert slugify(slug) == slug


@FAST
@given(st.one_of(st.text(), st.sampled_from(TRICKY)))
def test_slugify_output_is_a_valid_slug_or_empty(text):
    slug = slugify(text)
    assert slug == "" or is_valid_slug(slug)
    for bad in ("/", "\\", ".", "--"):
        assert bad not in slug
    assert not any(ch.isspace() or ch.isupper() for ch in slug)
    assert not slug.startswith("-") and not slug.endswith("-")
    assert slug == "" or slugify(text) == slug  # deterministic


@FAST
@given(st.text(alphabet=string.printable))
def test_slugify_of_ascii_is_ascii(text):
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*|", slugify(text))


@FAST
@given(st.text(alphabet=string.ascii_letters + string.digits, min_size=1))
def test_slugify_keeps_ascii_words(word):
    assert slugify(f"  {word}!  ") == word.lower()


@FAST
@given(st.one_of(st.text(alphabet=string.printable + "’ʼ`"), st.text(), st.sampled_from(TRICKY)))
def test_slugify_of_ascii_text_skips_transliteration_and_gives_the_same_slug(text):
    """ASCII text is slugged without anyascii (not imported by a site whose names are all
    ASCII): the slug is the one transliterating it would give."""
    from anyascii import anyascii

    expected = anyascii(unicodedata.normalize("NFKC", text)).translate(str.maketrans("", "", "'’ʼ`")).lower()
    expected = re.sub(r"[^a-z0-9]+", "-", expected).strip("-")[:200].rstrip("-")
    assert slugify(text) == expected


def test_anyascii_is_imported_by_the_first_name_that_is_not_ascii():
    script = (
        "import sys\n"
        "from brief.slugs import slugify\n"
        "print(slugify('Energy Storage'), 'anyascii' in sys.modules)\n"
        "print(slugify('Société'), 'anyascii' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.stdout.splitlines() == ["energy-storage False", "societe True"], done.stderr


def test_slugify_examples():
    assert slugify("Café Société") == "cafe-societe"
    assert slugify("Экономика & Рынки") == "ekonomika-rynki"
    assert slugify("日本 経済") == "riben-jingji"
    assert slugify("It's 2026: the Year") == "its-2026-the-year"
    assert slugify("𝐀 ㎒ ℌello") == "a-mhz-hello"
    assert slugify("../etc/passwd") == "etc-passwd"
    assert slugify("...") == ""


# --- dates ------------------------------------------------------------------------------------

aware = st.datetimes(
    min_value=datetime(1000, 1, 1),
    max_value=datetime(9998, 12, 31),
    timezones=st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m))),
)


@FAST
@given(aware, ZONES)
def test_aware_datetime_round_trips_through_isoformat(value, tz):
    parsed = parse_datetime(value.isoformat(), tz)
    assert parsed == value
    assert parsed.utcoffset() == value.utcoffset()


@FAST
@given(st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9998, 12, 31)), ZONES)
def test_naive_datetime_gets_the_site_timezone(value, tz):
    for text in (value.isoformat(), value.isoformat(sep=" "), value.isoformat(timespec="minutes")):
        parsed = parse_datetime(text, tz)
        assert parsed.tzinfo is tz
        assert parsed.replace(tzinfo=None) == datetime.fromisoformat(text)


@FAST
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31)), ZONES)
def test_date_only_is_midnight_local(value, tz):
    for given_value in (value.isoformat(), value):
        parsed = parse_datetime(given_value, tz)
        assert parsed == datetime.combine(value, time(), tzinfo=tz)
        assert parsed.tzinfo is tz


@FAST
@given(st.one_of(st.text(), st.text(alphabet="0123456789-:TZ+ .z", max_size=30)))
@example("2024-02-30")
@example("2024-01-01T25:00")
@example("2024-01-01T10:00+24:00")
@example("0000-01-01")
@example("٢٠٢٤-٠١-٠١")
@example("2024-01-01T10:00:00.1234567")
def test_garbage_raises_value_error_with_a_message(text):
    try:
        parsed = parse_datetime(text, UTC)
    except ValueError as exc:
        assert str(exc)
        shown = Problem("content/a.md", 3, "date", str(exc)).format()
        assert shown.splitlines() == [shown] and "\x1b" not in shown  # one line, whatever the editor typed
    else:
        assert parsed.tzinfo is not None


@FAST
@given(
    st.one_of(
        st.none(),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.lists(st.integers()),
        st.dictionaries(st.text(), st.text()),
    )
)
def test_non_text_values_raise_value_error(value):
    try:
        parse_datetime(value, UTC)
    except ValueError as exc:
        assert "expected an ISO 8601 date" in str(exc)
    else:
        raise AssertionError(f"{value!r} was accepted")


def test_offsets_are_read():
    tz = ZoneInfo("Europe/London")
    assert parse_datetime("2026-10-03T08:30:00Z", tz).utcoffset() == timedelta(0)
    assert parse_datetime("2026-10-03 08:30+0530", tz).utcoffset() == timedelta(hours=5, minutes=30)
    assert parse_datetime("2026-10-03T08:30-03", tz).utcoffset() == timedelta(hours=-3)
    assert parse_datetime("2026-07-03T08:30", tz).utcoffset() == timedelta(hours=1)  # BST


# --- loader (and the schema and Markdown behind it) on arbitrary text -------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Path, Config, Renderer]:
    """One site folder for every example (a fixture per example would be slow)."""
    site = tmp_path_factory.mktemp("prop").resolve()
    (site / "content").mkdir()
    config = Config(root=site)
    return site, config, Renderer(config, {(site / "content/other.md").resolve(): "/2024/01/other/"})


front_matter_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "title: A",
                "date: 2024-01-02",
                "tags: [a, b]",
                "image:",
                "  src: /x.png",
                "  alt: ''",
                "takeaways:",
                "  - one",
                "- x",
                "related: [other]",
                "draft: yes",
                "a: &a [1]",
                "b: *a",
                "dek: !!binary AAAA",
                "x: !!int zz",
                "slug: ../x",
                "? [a]\n: b",
                "k: {a: [",
                "\t",
                "...",
            ]
        ),
        st.text(max_size=20),
    ),
    max_size=12,
).map(lambda lines: "---\n" + "\n".join(lines) + "\n---\nBody [x](other.md) [y](%00.md)\n")


def _check(scratch, text: str) -> None:
    site, config, renderer = scratch
    path = site / "content" / "a.md"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    result = load(path, site)
    if isinstance(result, list):
        assert result and all(isinstance(p, Problem) for p in result)
        for p in result:
            assert p.format().startswith("content/a.md")
        return
    assert isinstance(result, SourceDoc)
    assert all(isinstance(k, str) for k in result.meta)
    article, problems = validate(result, config)
    assert all(isinstance(p, Problem) for p in problems)
    if article is not None:
        env = PageEnv(source=path, relpath="content/a.md")
        renderer.block(article.body, env, article.body_line)
        for item in article.takeaways:
            renderer.inline(item, env, 1)


@FAST
@given(st.text())
def test_loader_never_raises_on_any_text(scratch, text):
    _check(scratch, text)


@FAST
@given(st.text().map(lambda t: "---\n" + t))
def test_loader_never_raises_on_text_after_a_fence(scratch, text):
    _check(scratch, text)


@FAST
@given(front_matter_text)
def test_loader_and_schema_never_raise_on_yaml_like_front_matter(scratch, text):
    _check(scratch, text)


@FAST
@given(st.binary(max_size=200))
def test_loader_never_raises_on_bytes(scratch, data):
    site = scratch[0]
    path = site / "content" / "b.md"
    path.write_bytes(data)
    result = load(path, site)
    assert isinstance(result, (SourceDoc, list))


@FAST
@given(st.text())
def test_slugs_are_lowercase_ascii(text):
    assert re.fullmatch(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*)?", slugify(text))


@FAST
@given(st.lists(st.sampled_from([*string.printable, "é", "%2", "%20", "%zz", "日"]), max_size=30).map("".join))
def test_path_url_encodes_as_quote_does_between_escapes(path):
    """The shortcut for paths with nothing to encode gives what encoding them would."""
    from urllib.parse import quote

    from brief.urls import path_url

    parts = re.split(r"(%[0-9A-Fa-f]{2})", path)
    expected = "".join(p if i % 2 else quote(p, safe="/!$&'()*+,;=:@~") for i, p in enumerate(parts))
    assert path_url(path) == expected


_NEAR_FORBIDDEN = st.sampled_from(
    ["\x00", "\x08", "\t", "\n", "\x0b", "\r", "\x1f", "\x7f", "\x85", "\x9f", "\xa0", "é", "’", "\ufdd0", "\ufdef"]
    + [
        "\ufdf0",
        "\ufffd",
        "\ufffe",
        "\uffff",
        "😀",
        "\U0001fffe",
        "\U0001ffff",
        "\U0010fffe",
        "\U0010ffff",
        "\U00020000",
    ]
)


@FAST
@given(
    st.lists(st.one_of(st.characters(), _NEAR_FORBIDDEN, st.sampled_from(string.printable)), max_size=40).map("".join)
)
@example("plain ascii text\x00")
@example("emoji 😀 then a noncharacter \U0002ffff")
@example("curly ’ then a C1 \x85")
def test_find_forbidden_answers_as_the_whole_class_does(text):
    found, expected = find_forbidden(text), FORBIDDEN_IN_PAGES.search(text)
    assert (found and (found.start(), found.group())) == (expected and (expected.start(), expected.group()))


@FAST
@given(
    st.text(alphabet=string.printable, min_size=250, max_size=400)
    | st.text(alphabet=string.printable + "\x01\x08\x0b\x0c\x0e\x1f\x7f", min_size=250, max_size=400)
)
@example("x" * 300)
@example("x" * 300 + "\x7f")
def test_find_forbidden_in_long_ascii_text_answers_as_the_whole_class_does(text):
    """A long ASCII text is first looked at as bytes (a shortcut for bodies)."""
    found, expected = find_forbidden(text), FORBIDDEN_IN_PAGES.search(text)
    assert (found and (found.start(), found.group())) == (expected and (expected.start(), expected.group()))
