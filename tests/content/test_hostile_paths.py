"""Hostile paths (issue #7, part 2): slugs, names, permalinks, file names and symlinks that try
to make brief write, or read, outside where it should.

Every case builds through the real CLI and checks that

* nothing changed outside the output folder: the scratch folder holding the site (and
  anything beside it) is byte-for-byte what it was, ignoring only the site's own ``public/``
  and ``.brief-cache/``;
* and either the build failed with a clear problem line and wrote no ``public/``, or it
  succeeded and every file it wrote sits inside ``public/`` under a plain ASCII name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import pytest
from helpers import article, make_site, read_output, run_build

SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9._-]*")
SVG = "<svg xmlns='http://www.w3.org/2000/svg' width='4' height='3'/>\n"


def outside(tmp_path: Path) -> dict[str, str]:
    """Everything under the scratch folder but the output and the build cache of the site:
    path → digest of the bytes, ``"dir"``, or ``"-> target"`` for a symlink (never followed)."""
    out: dict[str, str] = {}
    for path in sorted(tmp_path.rglob("*")):  # rglob does not descend into symlinked folders
        rel = path.relative_to(tmp_path).as_posix()
        if re.match(r"site/(public|\.brief-cache)(/|$)|site/published-urls\.txt$", rel):  # and the URL ledger
            continue
        if path.is_symlink():
            out[rel] = f"-> {path.readlink()}"
        elif path.is_dir():
            out[rel] = "dir"
        else:
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def build(tmp_path: Path, site: Path, *args: str) -> tuple[int, str]:
    """Run the CLI; check that nothing outside public/, .brief-cache/ and the URL ledger
    (published-urls.txt, which brief build keeps beside brief.toml) changed and no traceback."""
    before = outside(tmp_path)
    code, _, err = run_build(site, *args)
    assert "Traceback" not in err, err
    assert outside(tmp_path) == before, "the build wrote outside its output folder"
    return code, err


def refused(tmp_path: Path, site: Path, *expected: str, summary: str = "") -> list[str]:
    code, err = build(tmp_path, site)
    lines = err.splitlines()
    assert code == 1, err
    for line in expected:
        assert line in lines, f"missing {line!r} in:\n{err}"
    if summary:  # the warnings (missing takeaways…) counted as the build counts them
        warnings = sum(1 for line in lines if ": warning: " in line)
        summary = re.sub(r", \d+ warnings?", f", {warnings} warning{'s' if warnings != 1 else ''}", summary)
        assert lines[-1] == summary, err
    assert not (site / "public").exists()
    return lines


def built(tmp_path: Path, site: Path, names: re.Pattern = SAFE_NAME) -> set[str]:
    """Build, expect success, and return the output's relative paths after checking each is safe."""
    code, err = build(tmp_path, site)
    assert code == 0, err
    public = site / "public"
    paths = set()
    for path in public.rglob("*"):
        rel = path.relative_to(public)
        assert not path.is_symlink(), rel
        assert path.resolve().is_relative_to(public.resolve()), rel
        assert all(names.fullmatch(part) for part in rel.parts), f"unsafe output name: {rel.as_posix()!r}"
        paths.add(rel.as_posix())
    return paths


# --- slugs ------------------------------------------------------------------------------------

NOT_A_SLUG = "is not a valid slug (expected lowercase letters, digits and single hyphens)"


HOSTILE_SLUGS = [
    ("../../etc/evil", "etc-evil"),
    ("../../../../../../../../tmp/evil", "tmp-evil"),
    ("/etc/evil", "etc-evil"),
    ("C:\\x", "c-x"),
    ("C:/Windows/evil", "c-windows-evil"),
    ("..\\..\\evil", "evil"),
    ("\\\\server\\share\\evil", "server-share-evil"),
    ("..／..／evil", "evil"),  # fullwidth solidus
    ("․․∕․․∕evil", "evil"),  # one-dot leaders and division slashes
    ("..⁄..⁄evil", "evil"),  # fraction slash
    ("Ｃ：＼evil", "c-evil"),  # fullwidth drive letter and reverse solidus
    ("%2e%2e%2fevil", "2e-2e-2fevil"),
    ("..", None),
    ("․", None),
]


def test_slugs_trying_to_leave_the_output_folder_are_each_refused_in_one_run(tmp_path):
    """Every hostile slug of one site, each in its own article: one error for each, with its
    suggestion when there is one, all reported together and nothing written."""
    files = {f"content/a{i}.md": article(slug=slug, title=f"Story {i}") for i, (slug, _) in enumerate(HOSTILE_SLUGS)}
    files["content/other.md"] = article(title="Other")
    site = make_site(tmp_path, files)
    expected = [
        f"content/a{i}.md:4: slug: '{slug}' {NOT_A_SLUG}" + (f"; did you mean '{hint}'?" if hint else "")
        for i, (slug, hint) in enumerate(HOSTILE_SLUGS)
    ]
    errors = len(HOSTILE_SLUGS)
    refused(tmp_path, site, *expected, summary=f"Error: build failed: {errors} errors, 0 warnings; nothing was written")


# --- section, tag and author names ------------------------------------------------------------


def test_names_built_from_path_characters_give_safe_urls(tmp_path):
    text = article(
        section="../../etc",
        tags=["..／..／tmp", "C:\\Windows\\System32", "․․∕․․∕var", "%2e%2e%2f", "/etc/passwd", "Ｃ：＼evil"],
        authors=["../../root", "..\\..\\admin", "∕home∕user"],
    )
    site = make_site(tmp_path, {"content/a.md": text})
    paths = built(tmp_path, site)
    for folder in (
        "sections/etc",
        "tags/tmp",
        "tags/c-windows-system32",
        "tags/var",
        "tags/2e-2e-2f",
        "tags/etc-passwd",
        "tags/c-evil",
        "authors/root",
        "authors/admin",
        "authors/home-user",
    ):
        assert f"{folder}/index.html" in paths, folder
    html = read_output(site, "2024/01/a/index.html")
    assert (
        '<a class="section-label" href="/sections/etc/" data-pagefind-filter="section">../../etc</a>' in html
    )  # the name is shown as written, the URL is a slug
    assert 'href="/tags/c-windows-system32/"' in html and 'href="/authors/admin/"' in html


def test_names_with_no_letter_or_digit_are_refused(tmp_path):
    text = article(section="../..", tags=["․․∕․․"], authors=["／"])
    site = make_site(tmp_path, {"content/a.md": text})
    lines = refused(tmp_path, site, summary="Error: build failed: 3 errors, 0 warnings; nothing was written")
    for prefix in (
        "content/a.md:4: section: '../..' has no letter or digit to make a URL from",
        "content/a.md:6: tags[0]: '․․∕․․' has no letter or digit to make a URL from",
        "content/a.md:8: authors[0]: '／' has no letter or digit to make a URL from",
    ):
        assert any(line.startswith(prefix) for line in lines), (prefix, lines)


def test_section_placeholder_in_permalink_cannot_climb(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(section="../../../etc")}, 'permalink = "/{section}/{slug}/"\n')
    paths = built(tmp_path, site)
    assert "etc/a/index.html" in paths


# --- permalink --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        "/../{slug}/",
        "/{year}/../../../{slug}/",
        "/{slug}/../",
        "/./{slug}/",
        "//evil.example/{slug}/",
        "/%2e%2e/{slug}/",
        "/..\\\\{slug}/",
        "/․․/{slug}/",
        "/{year}/{month}/{slug}/../../../../",
    ],
)
def test_permalink_trying_to_leave_the_output_folder(tmp_path, pattern):
    config = f'permalink = "{pattern}"\n'
    site = make_site(tmp_path, {"content/a.md": article()}, config)
    shown = pattern.replace("\\\\", "\\")
    refused(
        tmp_path,
        site,
        f"brief.toml:1: permalink: '{shown}' may only hold letters, digits, '-', '_', '.' and "
        "placeholders between single slashes",
        summary="Error: configuration failed: 1 error, 0 warnings",
    )


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("C:/{slug}/", "'C:/{slug}/' must start and end with '/' (e.g. '/{year}/{month}/{slug}/')"),
        ("../{slug}/", "'../{slug}/' must start and end with '/' (e.g. '/{year}/{month}/{slug}/')"),
        ("/{slug}/{../..}/", "unknown placeholder {../..} (expected {year}, {month}, {day}, {slug}, {section})"),
    ],
)
def test_permalink_that_is_not_a_site_path(tmp_path, pattern, message):
    site = make_site(tmp_path, {"content/a.md": article()}, f'permalink = "{pattern}"\n')
    refused(
        tmp_path,
        site,
        f"brief.toml:1: permalink: {message}",
        summary="Error: configuration failed: 1 error, 0 warnings",
    )


def test_permalink_with_dots_inside_a_segment_stays_inside(tmp_path):
    # "x..a" is an odd folder name, not a way up: the page stays inside public/.
    site = make_site(tmp_path, {"content/a.md": article()}, 'permalink = "/x..{slug}/"\n')
    paths = built(tmp_path, site)
    assert "x..a/index.html" in paths


# --- file names -------------------------------------------------------------------------------


def test_file_names_with_spaces_and_non_latin_letters_build_ascii_urls(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/Économie et marchés.md": article(title="Économie"),
            "content/東京.md": article(title="Tokyo"),
            "content/москва.md": article(title="Moscow"),
        },
    )
    paths = built(tmp_path, site)
    for slug in ("economie-et-marches", "dongjing", "moskva"):
        assert f"2024/01/{slug}/index.html" in paths
    front = read_output(site, "index.html")
    for slug in ("economie-et-marches", "dongjing", "moskva"):
        assert f'href="/2024/01/{slug}/"' in front
    assert "<loc>http://localhost:8000/2024/01/dongjing/</loc>" in read_output(site, "sitemap.xml")


def test_file_names_built_from_path_characters(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a\\..\\..\\evil.md": article(title="Backslashes"),
            "content/C:evil.md": article(title="Drive"),
            "content/∕etc∕passwd.md": article(title="Division slashes"),
            "content/․․∕․․∕x.md": article(title="Leaders"),
            "content/..／..／hidden.md": article(title="Starts with a dot"),  # a dot file: skipped, like .drafts
        },
    )
    paths = built(tmp_path, site)
    pages = {p for p in paths if re.fullmatch(r"2024/01/[^/]+/index\.html", p)}
    assert pages == {
        "2024/01/a-evil/index.html",
        "2024/01/c-evil/index.html",
        "2024/01/etc-passwd/index.html",
        "2024/01/x/index.html",
    }


def test_file_names_that_differ_only_in_unicode_normalization(tmp_path):
    # macOS writes "É" decomposed (E + combining acute); both names make the slug 'economie'.
    nfd = unicodedata.normalize("NFD", "Économie.md")
    site = make_site(tmp_path, {f"content/{nfd}": article(title="One"), "content/Économie.md": article(title="Two")})
    lines = refused(tmp_path, site, summary="Error: build failed: 2 errors, 0 warnings; nothing was written")
    clash = [line for line in lines if ": slug: 'economie' is also the slug of content/" in line]
    assert len(clash) == 2, lines
    # The two names print alike, so the message spells them out.
    assert (
        "'content/E\\u0301conomie.md' and 'content/\\xc9conomie.md' look the same but spell accented letters differently"
        in clash[0]
    )
    assert "'content/\\xc9conomie.md' and 'content/E\\u0301conomie.md' look the same" in clash[1]


@pytest.mark.parametrize("pattern", ["/.{slug}/", "/..{slug}/", "/{year}/.well-known/{slug}/", "/{year}/{slug}/.x/"])
def test_permalink_with_a_hidden_folder(tmp_path, pattern):
    site = make_site(tmp_path, {"content/a.md": article()}, f'permalink = "{pattern}"\n')
    refused(
        tmp_path,
        site,
        f"brief.toml:1: permalink: '{pattern}' has a folder starting with '.', which web servers hide "
        "(expected e.g. '/{year}/{slug}/')",
        summary="Error: configuration failed: 1 error, 0 warnings",
    )


def test_articles_taking_the_address_of_brief_s_own_pages(tmp_path):
    site = make_site(
        tmp_path, {"content/tags.md": article(), "content/b.md": article(slug="archive")}, 'permalink = "/{slug}/"\n'
    )
    expected = (
        "this article's page '{}/index.html' is also one of brief's own pages (expected another slug, "
        "or a permalink in brief.toml that keeps articles apart from tags/, sections/, authors/, archive/, "
        "corrections/ and search/)"
    )
    refused(
        tmp_path,
        site,
        "content/tags.md: " + expected.format("tags"),
        "content/b.md: " + expected.format("archive"),
        summary="Error: build failed: 2 errors, 0 warnings; nothing was written",
    )


# --- links and images -------------------------------------------------------------------------


def test_encoded_traversal_in_body_images_is_refused(tmp_path):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret")
    body = "![a](..%2F..%2Fsecret.png)\n\n![b](%2e%2e/%2e%2e/secret.png)\n\n![c](../../secret.png)\n"
    site = make_site(tmp_path, {"content/a.md": article(body=body)})
    refused(
        tmp_path,
        site,
        "content/a.md:5: body: image ..%2F..%2Fsecret.png points outside the site folder",
        "content/a.md:7: body: image %2e%2e/%2e%2e/secret.png points outside the site folder",
        "content/a.md:9: body: image ../../secret.png points outside the site folder",
        summary="Error: build failed: 3 errors, 0 warnings; nothing was written",
    )


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ("/../../secret.png", "file not found: static/secret.png (expected an existing file under static/)"),
        ("/images/../../../secret.png", "file not found: static/secret.png (expected an existing file under static/)"),
        ("../../secret.png", "'../../secret.png' points outside the site folder"),
        (
            "..%2F..%2Fsecret.png",
            "file not found: content/..%2F..%2Fsecret.png (expected a path relative to the article file)",
        ),
        ("..\\..\\secret.png", "'..\\..\\secret.png' is not a valid path (use forward slashes, e.g. /images/x.jpg)"),
    ],
)
def test_hero_image_trying_to_leave_the_site(tmp_path, src, message):
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret")
    site = make_site(tmp_path, {"content/a.md": article(image={"src": src, "alt": "A chart"})})
    refused(tmp_path, site, f"content/a.md:5: image.src: {message}")


def test_link_to_an_md_file_outside_the_site_is_a_missing_article(tmp_path):
    (tmp_path / "outside.md").write_text(article(title="Outside"), encoding="utf-8")
    site = make_site(tmp_path, {"content/a.md": article(body="[x](../../outside.md)\n")})
    refused(
        tmp_path,
        site,
        "content/a.md:5: body: link to a missing article: ../outside.md "
        "(expected the path of an article's .md file, relative to this file)",
    )


def test_root_relative_image_climbing_above_the_site_is_a_broken_link(tmp_path):
    site = make_site(
        tmp_path, {"content/a.md": article(body="![chart](/../../../etc/passwd)\n"), "static/images/x.svg": SVG}
    )
    refused(
        tmp_path,
        site,
        "content/a.md:5: image /../../../etc/passwd: no such page or file in the site "
        "(expected a page or file of this site; build with --no-link-check to publish anyway)",
    )


# --- symlinks ---------------------------------------------------------------------------------


def test_symlink_in_content_to_a_file_outside_the_site(tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text(article(title="Secret Plans"), encoding="utf-8")
    site = make_site(tmp_path, {"content/a.md": article()})
    (site / "content/leak.md").symlink_to(secret)
    refused(
        tmp_path,
        site,
        f"content/leak.md: symlink leads outside the site (to {secret}); refusing to read it "
        "(copy the file in instead)",
        summary="Error: build failed: 1 error, 0 warnings; nothing was written",
    )


def test_symlink_in_content_to_a_folder_outside_the_site(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere/secret.md").write_text(article(title="Secret Plans"), encoding="utf-8")
    site = make_site(tmp_path, {"content/a.md": article()})
    (site / "content/more").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    refused(
        tmp_path,
        site,
        f"content/more: symlink leads outside the site (to {tmp_path / 'elsewhere'}); refusing to "
        "read it (copy the file in instead)",
        summary="Error: build failed: 1 error, 0 warnings; nothing was written",
    )


def test_dangling_symlink_in_content(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()})
    (site / "content/gone.md").symlink_to(tmp_path / "nowhere.md")
    refused(
        tmp_path,
        site,
        f"content/gone.md: symlink leads outside the site (to {tmp_path / 'nowhere.md'}); "
        "refusing to read it (copy the file in instead)",
    )


def test_symlink_in_static_to_a_file_outside_the_site(tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN PRIVATE KEY-----\n", encoding="utf-8")
    site = make_site(tmp_path, {"content/a.md": article(), "static/images/x.svg": SVG})
    (site / "static/key.txt").symlink_to(secret)
    refused(
        tmp_path,
        site,
        f"static/key.txt: symlink leads outside the static folder (to {secret}); copy the file in instead",
        summary="Error: build failed: 1 error, 0 warnings; nothing was written",
    )


def test_symlink_in_static_to_a_folder_outside_the_site(tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home/.bash_history").write_text("secret\n", encoding="utf-8")
    site = make_site(tmp_path, {"content/a.md": article(), "static/images/x.svg": SVG})
    (site / "static/home").symlink_to(tmp_path / "home", target_is_directory=True)
    refused(
        tmp_path,
        site,
        f"static/home: symlink leads outside the static folder (to {tmp_path / 'home'}); copy the files in instead",
    )


def test_symlinked_images_leading_outside_the_site(tmp_path):
    (tmp_path / "secret.svg").write_text(SVG, encoding="utf-8")
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(body="![chart](charts/body.svg)\n"),
            "content/b.md": article(title="B", image={"src": "charts/hero.svg", "alt": "A chart"}),
        },
    )
    (site / "content/charts").mkdir()
    (site / "content/charts/body.svg").symlink_to(tmp_path / "secret.svg")
    (site / "content/charts/hero.svg").symlink_to(tmp_path / "secret.svg")
    refused(
        tmp_path,
        site,
        "content/a.md:5: body: image charts/body.svg points outside the site folder",
        "content/b.md:5: image.src: 'charts/hero.svg' points outside the site folder",
        summary="Error: build failed: 2 errors, 0 warnings; nothing was written",
    )


def test_symlink_loop_in_content_does_not_hang(tmp_path):
    site = make_site(tmp_path, {"content/world/a.md": article()})
    (site / "content/world/loop").symlink_to(site / "content", target_is_directory=True)
    paths = built(tmp_path, site)
    assert "2024/01/a/index.html" in paths


@pytest.mark.parametrize("target", ["../.env", "../.git/config", "./.hidden/x.svg"])
def test_images_naming_hidden_files_of_the_site_are_not_published(tmp_path, target):
    # Inside the site folder, but a secret's home: a deployer's .env, the repository's .git/config.
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(body=f"![x]({target})\n"),
            "content/b.md": article(title="B", image={"src": target, "alt": "A chart"}),
            ".env": "API_TOKEN=secret\n",
            ".git/config": "[remote]\nurl = https://token@example.org/\n",
            "content/.hidden/x.svg": SVG,
        },
    )
    refused(
        tmp_path,
        site,
        f"content/a.md:5: body: image {target} is a hidden file or in a hidden folder (a name starting with '.'); "
        "refusing to publish it (expected an image such as charts/a.svg)",
        f"content/b.md:5: image.src: '{target}' is a hidden file or in a hidden folder (a name starting with '.'); "
        "refusing to publish it (expected an image such as images/x.jpg)",
        summary="Error: build failed: 2 errors, 0 warnings; nothing was written",
    )
