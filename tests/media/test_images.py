"""Responsive images (brief/images.py): widths, formats, the image cache, the HTML of heroes
and images in the text, OpenGraph's copy, and clear errors for images brief cannot read.

The HTML is read with html.parser, never matched as text; the copies are opened with
Pillow to check what they really are. The browser's choice among the widths is tested in
tests/system/test_images_browser.py, the pages' HTML by the Nu checker in
tests/system/test_images_html_valid.py.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import Raw, article, make_site, run_build, tree
from PIL import Image

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.media import images
from brief.media.images import ImageStore
from brief.output.writers import MemoryWriter
from brief.settings import CACHE_DIR

NOW = datetime(2026, 6, 1, tzinfo=UTC)
BASE = "/news/"
CONFIG = 'title = "Images"\nbase_url = "https://example.org/news/"\n'
NAME = re.compile(r"^(?P<stem>.+)-(?P<width>\d+)w\.(?P<hash>[0-9a-f]{8})\.(?P<ext>webp|jpg|png)$")
EXPECTED = "(expected a PNG, JPEG or WebP file that opens in an image viewer; GIF and SVG are published as they are)"


def picture(width: int, height: int, fmt: str = "PNG", **options) -> bytes:
    """An image with some detail (gradients), so encoders have work to do."""
    ramp = Image.linear_gradient("L")
    bands = (ramp.resize((width, height)), ramp.rotate(90).resize((width, height)), Image.new("L", (width, height), 90))
    image = Image.merge("RGB", bands)
    if fmt == "RGBA":
        image = image.convert("RGBA")
        image.putalpha(ramp.resize((width, height)))
        fmt = "PNG"
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def opened(path: Path) -> Image.Image:
    image = Image.open(path)
    image.load()
    return image


# --- reading the HTML -------------------------------------------------------------------------


class Elements(HTMLParser):
    """Every <picture>, <source> and <img> of a page, with its attributes and its parent picture."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self._picture: dict | None = None
        self._figure: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self._figure = attrs.get("class") or ""
        elif tag == "picture":
            self._picture = {"tag": "picture", "sources": [], "img": None, "figure": self._figure}
            self.found.append(self._picture)
        elif tag == "source" and self._picture is not None:
            self._picture["sources"].append(attrs)
        elif tag == "img":
            item = {"tag": "img", "attrs": attrs, "figure": self._figure, "picture": self._picture}
            self.found.append(item)
            if self._picture is not None:
                self._picture["img"] = item

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "picture":
            self._picture = None
        elif tag == "figure":
            self._figure = None


def page_images(html: str) -> dict[str, dict]:
    """Each <img> by its alt text: its attributes, and the <source>s of its <picture>."""
    parser = Elements()
    parser.feed(html)
    parser.close()
    out = {}
    for item in parser.found:
        if item["tag"] == "img":
            picture_ = item["picture"]
            out[item["attrs"]["alt"]] = {
                "attrs": item["attrs"],
                "hero": item["figure"] == "hero",
                "sources": picture_["sources"] if picture_ else None,
            }
    return out


def candidates(srcset: str) -> list[tuple[str, int]]:
    """(URL, width) of each candidate of a srcset."""
    out = []
    for part in srcset.split(","):
        url, descriptor = part.split()
        assert descriptor.endswith("w"), srcset
        out.append((url, int(descriptor[:-1])))
    return out


class Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: list[tuple[str, str]] = []
        self.jsonld: list[dict] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.append((attrs.get("property") or attrs["name"], attrs["content"]))
        self._script = tag == "script" and attrs.get("type") == "application/ld+json"

    def handle_data(self, data):
        if self._script:
            self.jsonld.append(json.loads(data))
            self._script = False


def metadata(html: str) -> Meta:
    parser = Meta()
    parser.feed(html)
    return parser


# --- the widths and the files (ImageStore directly) -------------------------------------------


@pytest.mark.parametrize(
    ("width", "own", "webp", "share"),
    [
        (2000, [480, 960, 1600], [480, 960, 1600], 1200),
        (1600, [480, 960, 1600], [480, 960, 1600], 1200),
        (1200, [480, 960, 1200], [480, 960, 1200], 1200),
        (1000, [480, 960, 1000], [480, 960, 1000], 1000),
        (700, [480, 700], [480, 700], 700),
        (480, [480], [480], 480),
        (300, [300], [300], 300),
    ],
)
def test_widths_are_never_upscaled(tmp_path, width, own, webp, share):
    source = tmp_path / "content" / "chart.png"
    source.parent.mkdir(parents=True)
    source.write_bytes(picture(width, width // 2))
    found = ImageStore(tmp_path).prepare(source, "/2026/01/a/chart.png", share=True)
    assert found is not None
    assert (found.width, found.height) == (width, width // 2)
    assert [v.width for v in found.own] == own
    assert [v.width for v in found.webp] == webp
    assert found.share is not None and found.share.width == share
    # The original stands in for its own width in its own format; nothing is wider than it.
    assert found.src.path == ("/2026/01/a/chart.png" if width <= 1600 else found.own[-1].path)
    for variant in (*found.own, *found.webp, found.share):
        assert variant.width <= width
        if variant.file is None:
            assert variant.path == "/2026/01/a/chart.png" and variant.width == width
            continue
        image = opened(variant.file)
        assert image.size == (variant.width, variant.height)
        assert abs(variant.height - variant.width * (width // 2) / width) <= 0.5
        name = NAME.match(variant.path.rsplit("/", 1)[1])
        assert name and name["stem"] == "chart" and int(name["width"]) == variant.width, variant.path
        assert image.format == {"webp": "WEBP", "png": "PNG"}[name["ext"]]
        assert variant.path.startswith("/2026/01/a/")


@pytest.mark.parametrize(
    ("fmt", "suffix", "own_format"), [("JPEG", "jpg", "JPEG"), ("PNG", "png", "PNG"), ("WEBP", "webp", "WEBP")]
)
def test_webp_and_the_original_format_are_written(tmp_path, fmt, suffix, own_format):
    source = tmp_path / f"photo.{suffix}"
    source.write_bytes(picture(1800, 1000, fmt))
    found = ImageStore(tmp_path).prepare(source, f"/a/photo.{suffix}", share=True)
    assert found is not None and found.mime == f"image/{own_format.lower()}"
    assert {opened(v.file).format for v in found.own} == {own_format}
    assert {opened(v.file).format for v in found.webp} == ({"WEBP"} if own_format != "WEBP" else set())
    assert found.share is not None and opened(found.share.file).format == own_format
    assert found.share.width == 1200 and found.share.height == 667
    # Copies are named by their own format, next to the original.
    assert all(v.path.endswith(".webp") for v in found.webp)
    assert all(v.path.endswith("." + {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[own_format]) for v in found.own)


def test_transparency_is_kept(tmp_path):
    source = tmp_path / "logo.png"
    source.write_bytes(picture(1000, 500, "RGBA"))
    found = ImageStore(tmp_path).prepare(source, "/a/logo.png")
    for variant in (*found.own, *found.webp):
        if variant.file is not None:
            assert opened(variant.file).mode == "RGBA"


def test_exif_orientation_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown turned a quarter: portrait
    source = tmp_path / "turned.jpg"
    source.write_bytes(picture(1000, 600, "JPEG", exif=exif))
    found = ImageStore(tmp_path).prepare(source, "/a/turned.jpg")
    assert (found.width, found.height) == (600, 1000)
    copy = found.webp[0]
    assert (copy.width, copy.height) == (480, 800) and opened(copy.file).size == (480, 800)
    assert not opened(found.own[0].file).getexif().get(0x0112)  # turned already: no tag left to turn it again


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900"/>'),
        ("anim.gif", picture(900, 500, "GIF")),
        ("icon.bmp", picture(900, 500, "BMP")),
        ("moving.png", None),  # animated PNG
    ],
)
def test_svg_gif_animated_and_other_formats_pass_through(tmp_path, name, data):
    source = tmp_path / name
    if data is None:
        frames = [Image.new("RGB", (900, 500), color) for color in ("red", "blue")]
        frames[0].save(source, format="PNG", save_all=True, append_images=frames[1:])
    else:
        source.write_bytes(data)
    before = dict(images.counts)
    assert ImageStore(tmp_path).prepare(source, f"/a/{name}") is None
    assert images.counts["encoded"] == before["encoded"]
    assert not list(tmp_path.rglob("*.webp"))


def test_names_are_unique_per_image_and_change_with_it(tmp_path):
    one, two = tmp_path / "one" / "chart.png", tmp_path / "two" / "chart.png"
    for path, shade in ((one, None), (two, 5)):
        path.parent.mkdir()
        path.write_bytes(picture(1000, 500) if shade is None else picture(1000, 500, "PNG", compress_level=shade))
    store = ImageStore(tmp_path)
    first = store.prepare(one, "/a/chart.png")
    same_pixels_other_bytes = store.prepare(two, "/a/chart.png")
    assert [v.path for v in first.webp] != [v.path for v in same_pixels_other_bytes.webp]
    again = ImageStore(tmp_path).prepare(one, "/a/chart.png")
    assert [v.path for v in again.webp] == [v.path for v in first.webp]  # the same bytes, the same names


def test_a_cached_image_is_neither_decoded_nor_encoded_again(tmp_path):
    source = tmp_path / "photo.jpg"
    source.write_bytes(picture(2000, 1000, "JPEG"))
    before = dict(images.counts)
    first = ImageStore(tmp_path).prepare(source, "/a/photo.jpg", share=True)
    assert images.counts["decoded"] - before["decoded"] == 1  # once, for every copy
    assert images.counts["encoded"] - before["encoded"] == 7  # 3 JPEG, 3 WebP, 1 for sharing
    stamps = {v.file: v.file.stat().st_mtime_ns for v in first.copies()}
    before = dict(images.counts)
    second = ImageStore(tmp_path).prepare(source, "/a/photo.jpg", share=True)
    assert images.counts == before
    assert second == first
    assert {v.file: v.file.stat().st_mtime_ns for v in second.copies()} == stamps
    # A copy lost from the cache is made again, alone.
    first.webp[0].file.unlink()
    ImageStore(tmp_path).prepare(source, "/a/photo.jpg", share=True)
    assert images.counts["encoded"] - before["encoded"] == 1


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PNG? no, just text\n", "the file is not a PNG, JPEG or WebP image"),
        (b"", "the file is not a PNG, JPEG or WebP image"),
        (picture(800, 400)[:40], "the file is damaged (it starts as a PNG image but cannot be decoded)"),
        (picture(800, 400)[:900], "the file is cut short (its end is missing)"),
        (picture(800, 400, "JPEG")[:2000], "the file is cut short (its end is missing)"),
        (picture(800, 400, "JPEG")[:60], "the file is cut short (its end is missing)"),
        (picture(800, 400, "WEBP")[:300], "the file is damaged ("),  # and Pillow's words, which may change
    ],
)
def test_unreadable_images_are_image_errors(tmp_path, data, reason):
    source = tmp_path / "broken.png"
    source.write_bytes(data)
    with pytest.raises(images.ImageError) as caught:
        ImageStore(tmp_path).prepare(source, "/a/broken.png")
    if reason.endswith("("):
        assert caught.value.reason.startswith(reason) and caught.value.reason.endswith(")")
    else:
        assert caught.value.reason == reason
    assert not (tmp_path / CACHE_DIR).exists()  # nothing is kept of a file that cannot be read


def test_an_unwritable_cache_folder_falls_back_to_a_temporary_one(tmp_path):
    (tmp_path / CACHE_DIR).write_text("not a folder")
    source = tmp_path / "photo.png"
    source.write_bytes(picture(1000, 500))
    found = ImageStore(tmp_path).prepare(source, "/a/photo.png")
    assert found is not None
    assert all(v.file.is_file() and not v.file.is_relative_to(tmp_path) for v in found.copies())


# --- whole builds -----------------------------------------------------------------------------


def image_site(tmp_path: Path) -> Path:
    """A raster hero next to the article, images in the text of every kind, a static hero."""
    return make_site(
        tmp_path,
        {
            "content/story.md": article(
                title="A story",
                date="2026-03-02",
                image={"src": "pics/hero.jpg", "alt": "The hero", "caption": "A caption"},
                body=(
                    "Text.\n\n![Chart](pics/chart.png)\n\n![Vector](pics/vector.svg) ![Loose vector](pics/loose.svg)\n\n"
                    "![Moving](pics/anim.gif) ![Remote](https://cdn.example.org/x.png)\n\n"
                    "![Static photo](/images/wide.jpg) ![Small](pics/small.webp)\n"
                ),
            ),
            "content/other.md": article(
                title="Other story", date="2026-03-01", image={"src": "/images/wide.jpg", "alt": "Static hero"}
            ),
            "content/narrow.md": article(
                title="Narrow story", date="2026-02-01", image={"src": "pics/narrow.png", "alt": "Narrow hero"}
            ),
            "content/pics/hero.jpg": picture(2400, 1350, "JPEG"),
            "content/pics/chart.png": picture(1200, 675),
            "content/pics/narrow.png": picture(900, 500),
            "content/pics/small.webp": picture(700, 350, "WEBP"),
            "content/pics/anim.gif": picture(64, 48, "GIF"),
            "content/pics/vector.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="180"/>',
            "content/pics/loose.svg": '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 9"/>',
            "static/images/wide.jpg": picture(1700, 900, "JPEG"),
        },
        CONFIG,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("images")
    site = image_site(root)
    out = root / "out"
    before = dict(images.counts)
    result = build(load_config(site), out, BuildOptions(now=NOW))
    encoded = images.counts["encoded"] - before["encoded"]
    return site, out, result, encoded


def story(built) -> dict[str, dict]:
    _, out, _, _ = built
    return page_images((out / "2026/03/story/index.html").read_text(encoding="utf-8"))


def check_candidates(out: Path, srcset: str, mime: str, original: tuple[int, int]) -> list[int]:
    """Every candidate exists in the output, is of ``mime`` and as wide as it says; returns the widths."""
    widths = []
    for url, width in candidates(srcset):
        assert url.startswith(BASE), url
        image = opened(out / url[len(BASE) :])
        assert Image.MIME[image.format] == mime, url
        assert image.width == width <= original[0], url
        assert abs(image.height - width * original[1] / original[0]) <= 0.5, url
        widths.append(width)
    assert widths == sorted(widths)
    return widths


def test_hero_is_a_picture_that_loads_first(built):
    _, out, _, _ = built
    hero = story(built)["The hero"]
    attrs = hero["attrs"]
    assert hero["hero"]
    assert [s["type"] for s in hero["sources"]] == ["image/webp"]
    source = hero["sources"][0]
    assert source["sizes"] == attrs["sizes"] == images.HERO_SIZES
    assert check_candidates(out, source["srcset"], "image/webp", (2400, 1350)) == [480, 960, 1600]
    assert check_candidates(out, attrs["srcset"], "image/jpeg", (2400, 1350)) == [480, 960, 1600]
    # The src is the largest copy (the 2400-px original is published but not shown).
    assert attrs["src"] == candidates(attrs["srcset"])[-1][0]
    assert (attrs["width"], attrs["height"]) == ("2400", "1350")
    assert attrs["decoding"] == "async" and attrs["fetchpriority"] == "high"
    assert "loading" not in attrs
    assert (out / "2026/03/story/hero.jpg").read_bytes() == (built[0] / "content/pics/hero.jpg").read_bytes()


def test_images_in_the_text(built):
    _, out, _, _ = built
    found = story(built)
    chart = found["Chart"]
    assert not chart["hero"]
    attrs = chart["attrs"]
    assert (attrs["width"], attrs["height"], attrs["loading"], attrs["decoding"]) == ("1200", "675", "lazy", "async")
    assert "fetchpriority" not in attrs
    assert attrs["sizes"] == chart["sources"][0]["sizes"] == images.BODY_SIZES
    assert check_candidates(out, chart["sources"][0]["srcset"], "image/webp", (1200, 675)) == [480, 960, 1200]
    assert check_candidates(out, attrs["srcset"], "image/png", (1200, 675)) == [480, 960, 1200]
    assert attrs["src"] == f"{BASE}2026/03/story/chart.png"  # the original is the 1200w candidate
    # A static image: copies published beside it under images/.
    static = found["Static photo"]["attrs"]
    assert check_candidates(out, static["srcset"], "image/jpeg", (1700, 900)) == [480, 960, 1600]
    assert all(url.startswith(f"{BASE}images/wide-") for url, _ in candidates(static["srcset"]))
    # A WebP original: one format, so no <picture>.
    small = found["Small"]
    assert small["sources"] is None
    assert check_candidates(out, small["attrs"]["srcset"], "image/webp", (700, 350)) == [480, 700]
    assert (small["attrs"]["width"], small["attrs"]["height"], small["attrs"]["loading"]) == ("700", "350", "lazy")


def test_svg_gif_and_remote_images_pass_through(built):
    _, out, _, _ = built
    found = story(built)
    for alt, size in (("Vector", ("320", "180")), ("Moving", ("64", "48")), ("Loose vector", None)):
        item = found[alt]
        attrs = item["attrs"]
        assert item["sources"] is None and "srcset" not in attrs and "sizes" not in attrs
        assert (attrs.get("width"), attrs.get("height")) == (size or (None, None))
        assert (attrs["loading"], attrs["decoding"]) == ("lazy", "async")
    assert found["Vector"]["attrs"]["src"] == f"{BASE}2026/03/story/vector.svg"
    assert found["Remote"]["attrs"] == {"src": "https://cdn.example.org/x.png", "alt": "Remote"}
    assert (out / "2026/03/story/anim.gif").is_file()
    assert not [p for p in out.rglob("*") if NAME.match(p.name) and p.name.startswith(("vector", "loose", "anim"))]


def test_published_copies_are_exactly_what_pages_show(built):
    """Every copy published is a candidate of some page's srcset or its OpenGraph image."""
    _, out, _, _ = built
    shown = set()
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for item in page_images(html).values():
            for srcset in [item["attrs"].get("srcset")] + [s["srcset"] for s in item["sources"] or ()]:
                shown |= {url.removeprefix(BASE) for url, _ in candidates(srcset)} if srcset else set()
        shown |= {
            value.removeprefix("https://example.org" + BASE)
            for name, value in metadata(html).meta
            if name == "og:image"
        }
    copies = {p.relative_to(out).as_posix() for p in out.rglob("*") if NAME.match(p.name)}
    assert copies and copies == {url for url in shown if NAME.match(url.rsplit("/", 1)[1])}


def test_opengraph_twitter_and_jsonld_use_the_1200_copy(built):
    _, out, _, _ = built
    meta = metadata((out / "2026/03/story/index.html").read_text(encoding="utf-8"))
    og = dict(meta.meta)
    url = og["og:image"]
    assert re.fullmatch(r"https://example\.org/news/2026/03/story/hero-1200w\.[0-9a-f]{8}\.jpg", url), url
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "675")
    assert opened(out / url.removeprefix("https://example.org/news/")).size == (1200, 675)
    assert og["twitter:image"] == url
    news = next(doc for doc in meta.jsonld if doc["@type"] == "NewsArticle")
    assert news["image"] == [url]
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert next(item for item in feed["items"] if item["title"] == "A story")["image"] == url
    # A static hero: its copy is published beside it.
    other = dict(metadata((out / "2026/03/other/index.html").read_text(encoding="utf-8")).meta)
    assert re.fullmatch(r"https://example\.org/news/images/wide-1200w\.[0-9a-f]{8}\.jpg", other["og:image"])
    assert (other["og:image:width"], other["og:image:height"]) == ("1200", "635")
    # A hero narrower than 1200 px: the original itself, with its own size.
    narrow = dict(metadata((out / "2026/02/narrow/index.html").read_text(encoding="utf-8")).meta)
    assert narrow["og:image"] == "https://example.org/news/2026/02/narrow/narrow.png"
    assert (narrow["og:image:width"], narrow["og:image:height"]) == ("900", "500")


def test_feeds_carry_absolute_srcsets(built):
    _, out, _, _ = built
    atom = (out / "feed.xml").read_text(encoding="utf-8")
    srcsets = re.findall(r'srcset="([^"]*)"', atom.replace("&quot;", '"'))
    assert srcsets
    for srcset in srcsets:
        assert all(url.startswith("https://example.org/news/") for url, _ in candidates(srcset)), srcset


@pytest.mark.slow
def test_a_second_build_encodes_nothing_and_a_changed_image_is_encoded_again(tmp_path):
    site = image_site(tmp_path)
    out = site / "public"
    code, _, err = run_build(site)
    assert code == 0, err
    cache = site / CACHE_DIR / "images"
    stamps = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len([n for n in stamps if n.endswith(".webp")]) >= 12
    first = tree(out)
    # In process, without the build cache (so every article's Markdown is rendered again):
    # the images are read and hashed, but not one is decoded or encoded.
    before = dict(images.counts)
    build(load_config(site), tmp_path / "again", BuildOptions(now=NOW))
    assert images.counts == before
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == stamps
    # Change one image: only its copies are made, under new names; the old ones leave the site.
    chart = site / "content/pics/chart.png"
    chart.write_bytes(picture(1100, 600))
    code, _, err = run_build(site)
    assert code == 0, err
    new = {p.name for p in cache.iterdir()} - stamps.keys()
    assert sorted(n.rsplit(".", 1)[1] for n in new) == ["png", "png", "webp", "webp", "webp"]  # 480, 960 (+1100 WebP)
    now = tree(out)
    gone = {p for p in first if p.startswith("2026/03/story/chart-")} - now.keys()
    added = {p for p in now if p.startswith("2026/03/story/chart-")} - first.keys()
    assert len(gone) == len(added) == 5, (gone, added)
    others = {p for p in first if NAME.match(p.rsplit("/", 1)[-1]) and "/chart-" not in p}
    assert others and all(now.get(p) == first[p] for p in others)


def test_the_preview_serves_the_copies(tmp_path):
    site = image_site(tmp_path)
    writer = MemoryWriter()
    build(load_config(site), None, BuildOptions(now=NOW), writer=writer)
    html = writer.files["2026/03/story/index.html"]
    assert isinstance(html, bytes)
    chart = page_images(html.decode())["Chart"]
    for url, width in candidates(chart["sources"][0]["srcset"]):
        held = writer.files[url[len(BASE) :]]
        data = held.read_bytes() if isinstance(held, Path) else held
        image = Image.open(io.BytesIO(data))
        assert (image.format, image.width) == ("WEBP", width)


@pytest.mark.slow
def test_brief_serve_sends_a_copy_with_its_type(tmp_path):
    import http.client
    import os
    import sys

    site = image_site(tmp_path)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "brief", "serve", "--site", str(site), "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=env,
    )
    try:
        port = None
        for line in proc.stderr:
            match = re.search(r"Serving .* at http://127\.0\.0\.1:(\d+)/", line)
            if match:
                port = int(match.group(1))
                break
        assert port, "brief serve did not start"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/2026/03/story/")
        html = conn.getresponse().read().decode()
        chart = page_images(html)["Chart"]
        url = candidates(chart["sources"][0]["srcset"])[0][0]
        conn.request("GET", url)
        response = conn.getresponse()
        data = response.read()
        assert response.status == 200
        assert response.getheader("Content-Type") == "image/webp"
        assert Image.open(io.BytesIO(data)).size == (480, 270)
    finally:
        proc.terminate()
        proc.wait(10)


# --- errors -----------------------------------------------------------------------------------


def refused(tmp_path: Path, files: dict[str, str | bytes], *expected: str, problems: int = 1) -> list[str]:
    site = make_site(tmp_path, files)
    before = tree(site)
    code, _, err = run_build(site)
    lines = err.splitlines()
    assert code == 1, err
    assert "Traceback" not in err, err
    for line in expected:
        assert line in lines, f"missing {line!r} in:\n{err}"
    warnings = sum(1 for line in lines if ": warning: " in line)
    assert lines[-1] == (
        f"Error: build failed: {problems} error{'s' if problems > 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}; nothing was written"
    ), err
    assert not (site / "public").exists()
    assert tree(site) == before  # nothing kept, not even in the image cache
    return lines


def test_hero_that_is_not_an_image(tmp_path):
    refused(
        tmp_path,
        {
            "content/a.md": article(image={"src": "pics/photo.png", "alt": "A photo"}),
            "content/pics/photo.png": b"<html>not a picture</html>\n",
        },
        f"content/a.md:5: image.src: cannot read image content/pics/photo.png: the file is not a PNG, JPEG or WebP image {EXPECTED}",
    )


def test_truncated_static_hero(tmp_path):
    refused(
        tmp_path,
        {
            "content/a.md": article(image={"src": "/images/photo.jpg", "alt": "A photo"}),
            "static/images/photo.jpg": picture(1600, 900, "JPEG")[:3000],
        },
        f"content/a.md:5: image.src: cannot read image static/images/photo.jpg: the file is cut short (its end is missing) {EXPECTED}",
    )


def test_truncated_and_fake_images_in_the_text(tmp_path):
    body = "Intro.\n\n![Chart](charts/cut.png)\n\nMore.\n\n![Photo](/images/fake.jpg) and ![Missing](charts/none.png)\n"
    files = {
        "content/a.md": article(body=body),
        "content/charts/cut.png": picture(1300, 700)[:1500],
        "static/images/fake.jpg": b"GIF? JPEG? neither\n",
    }
    # What the headers show comes first: the chart's header is sound, so it is not decoded yet.
    lines = refused(
        tmp_path / "first",
        files,
        f"content/a.md:11: body: cannot read image static/images/fake.jpg: the file is not a PNG, JPEG or WebP image {EXPECTED}",
        "content/a.md:11: body: image not found: content/charts/none.png (expected a path relative to this file, or /images/... under static/)",
        problems=2,
    )
    assert not [line for line in lines if "cut.png" in line]
    # Those fixed, the image stage finds the chart's pixels cut short.
    refused(
        tmp_path / "then",
        {
            "content/a.md": article(body="Intro.\n\n![Chart](charts/cut.png)\n"),
            "content/charts/cut.png": files["content/charts/cut.png"],
        },
        f"content/a.md:7: body: cannot read image content/charts/cut.png: the file is cut short (its end is missing) {EXPECTED}",
    )


def test_missing_hero_is_named_with_its_field(tmp_path):
    refused(
        tmp_path,
        {"content/a.md": article(image={"src": "pics/gone.jpg", "alt": "Gone"})},
        "content/a.md:5: image.src: file not found: content/pics/gone.jpg (expected a path relative to the article file)",
    )


def test_an_image_in_the_analysis_names_its_field(tmp_path):
    text = article(analysis=Raw("\n  byline: Desk\n  body: |\n    Look:\n\n    ![Chart](c.png)"))
    lines = refused(tmp_path, {"content/a.md": text, "content/c.png": b"\x89PNG\r\n\x1a\n broken"})
    assert [line for line in lines if "analysis.body" in line] == [
        (
            "content/a.md:9: analysis.body: cannot read image content/c.png: the file is damaged "
            f"(it starts as a PNG image but cannot be decoded) {EXPECTED}"
        )
    ]


@pytest.mark.slow
def test_copies_no_build_used_for_thirty_days_leave_the_cache(tmp_path):
    site = make_site(
        tmp_path, {"content/a.md": article(body="![Chart](chart.png)\n"), "content/chart.png": picture(1200, 675)}
    )
    assert run_build(site)[0] == 0
    cache = site / CACHE_DIR / "images"
    first = {p.name for p in cache.iterdir() if p.suffix in (".webp", ".png")}
    assert first and json.loads((cache / "used.json").read_text()).keys() == first
    # The chart is redrawn: new copies; the old ones stay for a while (a branch may want them back).
    (site / "content/chart.png").write_bytes(picture(1100, 600))
    assert run_build(site)[0] == 0
    second = {p.name for p in cache.iterdir() if p.suffix in (".webp", ".png")} - first
    assert second and first <= {p.name for p in cache.iterdir()}
    # Forty days later by the record, the first copies go; the ones in use and the notes stay.
    record = json.loads((cache / "used.json").read_text())
    record.update({name: record[name] - 40 * 86400 for name in first})
    (cache / "used.json").write_text(json.dumps(record))
    notes = {p.name for p in cache.glob("*.json")}
    (site / "content/a.md").write_text(article(body="![Chart](chart.png)\n\nA new line.\n"))
    assert run_build(site)[0] == 0
    left = {p.name for p in cache.iterdir()}
    assert not first & left and second <= left and notes <= left
    assert json.loads((cache / "used.json").read_text()).keys() == second
