"""The image stage (brief/media/copies.py): the Markdown pass reads only the images' headers;
the copies are made after every input was checked, once each, on every core, and always the
same bytes.

Real builds of real files, counted through ``brief.media.images.counts`` (images decoded,
copies encoded by this process) and compared byte for byte with ``tree``.
"""

from __future__ import annotations

import io
import struct
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, problem_lines, run_build, tree
from PIL import Image, ImageChops, ImageStat
from test_images import EXPECTED, NAME, opened, page_images

from brief.build import BuildOptions, build
from brief.cache import BuildCache
from brief.config import load_config
from brief.errors import BuildFailed
from brief.media import images
from brief.media.images import ImageStore
from brief.settings import CACHE_DIR

NOW = datetime(2026, 6, 1, tzinfo=UTC)
CONFIG = 'title = "Images"\nbase_url = "https://example.org/"\nsearch = false\n'


def photo(width: int, height: int, fmt: str = "JPEG", seed: int = 0, **options) -> bytes:
    """A picture with detail (noise over gradients) and a red left edge, so that a turn shows."""
    noise = Image.effect_noise((width, height), 40 + seed).convert("L")
    ramp = Image.linear_gradient("L").resize((width, height))
    image = Image.merge("RGB", (ramp, noise, ramp.rotate(180)))
    image.paste((255, 0, 0), (0, 0, max(1, width // 10), height))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def turned_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif


def photo_site(tmp_path: Path) -> Path:
    """Heroes and images in the text of every kind the stage handles; one static image shown
    by two articles, once as a hero and once in the text."""
    return make_site(
        tmp_path,
        {
            "content/one.md": article(
                title="One",
                date="2026-03-02",
                image={"src": "pics/big.jpg", "alt": "Big"},
                body="![Chart](pics/chart.png)\n\n![Shared](/images/shared.jpg)\n",
            ),
            "content/two.md": article(
                title="Two",
                date="2026-03-01",
                image={"src": "/images/shared.jpg", "alt": "Shared hero"},
                body="![Turned](pics/turned.jpg) ![Small](pics/small.webp)\n",
            ),
            "content/pics/big.jpg": photo(3400, 1900),  # decoded at half its size
            "content/pics/chart.png": photo(1000, 560, "PNG"),
            "content/pics/turned.jpg": photo(1700, 1000, exif=turned_exif(6), seed=1),  # shown 1000 × 1700
            "content/pics/small.webp": photo(400, 300, "WEBP"),  # no copy: published as it is
            "static/images/shared.jpg": photo(1700, 1000, seed=2),
        },
        CONFIG,
    )


def copies(out: Path) -> dict[str, str]:
    return {rel: digest for rel, digest in tree(out).items() if NAME.match(rel.rsplit("/", 1)[-1])}


def cold(site: Path) -> None:
    """Empty the image cache."""
    for path in (site / CACHE_DIR / "images").glob("*"):
        path.unlink()


def built(site: Path, out: Path, **options) -> dict[str, int]:
    """Build ``site`` into ``out``; what this process decoded and encoded meanwhile."""
    before = dict(images.counts)
    build(load_config(site), out, BuildOptions(now=NOW, **options))
    return {k: images.counts[k] - before[k] for k in before}


@pytest.mark.slow
def test_copies_are_the_same_bytes_on_many_threads_one_thread_and_cached(tmp_path):
    """jobs=2: the Markdown rendered by two forked processes (which plan the copies) and the
    copies made by two threads; jobs=1: all in this thread; then builds with the build cache,
    whose articles' Markdown is not rendered again."""
    site = photo_site(tmp_path)
    many = built(site, tmp_path / "many", jobs=2)
    reference = tree(tmp_path / "many")
    assert copies(tmp_path / "many")
    # Each copy once: the static image serves a hero (with its sharing copy) and an image in
    # the text; the small WebP image has no copy but is decoded once, to check it.
    distinct = {p.name for p in (site / CACHE_DIR / "images").iterdir() if p.suffix in (".jpg", ".png", ".webp")}
    assert many == {"decoded": 5, "encoded": len(distinct)}
    cold(site)
    assert built(site, tmp_path / "one", jobs=1)["encoded"] == len(distinct)
    assert tree(tmp_path / "one") == reference
    # Cached builds, whose articles' Markdown comes from the build cache: with the image
    # cache emptied, and with one copy lost from it.
    cache = BuildCache.load(site)
    build(load_config(site), tmp_path / "cached", BuildOptions(now=NOW, cache=cache))
    cache.save(site)
    cold(site)
    assert built(site, tmp_path / "cached", cache=BuildCache.load(site))["encoded"] == len(distinct)
    assert tree(tmp_path / "cached") == reference
    lost = sorted((site / CACHE_DIR / "images").glob("*.webp"))[0]
    lost.unlink()
    cache = BuildCache.load(site)
    kept = dict(cache.markdown.parts)
    assert built(site, tmp_path / "cached", cache=cache) == {"decoded": 1, "encoded": 1}
    assert lost.is_file() and tree(tmp_path / "cached") == reference
    assert len(kept) == 2 and all(cache.markdown.parts[key] is parts for key, parts in kept.items())  # not rendered


@pytest.mark.slow
def test_exif_turns_and_reduced_decoding_give_the_planned_sizes(tmp_path):
    site = photo_site(tmp_path)
    built(site, tmp_path / "out")
    two = page_images((tmp_path / "out/2026/03/two/index.html").read_text(encoding="utf-8"))
    turned = two["Turned"]
    assert (turned["attrs"]["width"], turned["attrs"]["height"]) == ("1000", "1700")
    for part in turned["attrs"]["srcset"].split(", ")[:-1]:  # the last is the original (turned by browsers)
        url, width = part.split()
        image = opened(tmp_path / "out" / url.lstrip("/"))
        assert image.size == (int(width[:-1]), round(1700 * int(width[:-1]) / 1000))
        # The red edge was on the stored image's left; turned a quarter clockwise, it is on top.
        assert image.getpixel((image.width // 2, 2))[0] > 200 > image.getpixel((image.width // 2, image.height - 3))[0]
    # The 3400-px JPEG is decoded at half its size; its widest copy shows what one resized
    # from every pixel shows (compared small: the noise in the picture is not the point).
    one = page_images((tmp_path / "out/2026/03/one/index.html").read_text(encoding="utf-8"))
    url, width = one["Big"]["attrs"]["srcset"].split(", ")[-1].split()
    made = opened(tmp_path / "out" / url.lstrip("/")).convert("RGB")
    whole = Image.open(site / "content/pics/big.jpg").resize(made.size, Image.Resampling.LANCZOS)
    assert width == "1600w" and made.size == (1600, 894)
    small = [image.resize((160, 89), Image.Resampling.BOX) for image in (made, whole)]
    assert max(ImageStat.Stat(ImageChops.difference(*small)).mean) < 3  # a turned or shifted copy: over 20


@pytest.mark.slow
def test_the_stage_reports_its_progress(tmp_path):
    site = photo_site(tmp_path)
    seen: list[tuple[str, int, int]] = []
    build(load_config(site), tmp_path / "out", BuildOptions(now=NOW, progress=lambda *a: seen.append(a)))
    stage = [call for call in seen if call[0] == "Images"]
    assert stage[0] == ("Images", 0, 5) and stage[-1] == ("Images", 5, 5)
    assert [done for _, done, _ in stage] == sorted(done for _, done, _ in stage)


def test_an_input_error_anywhere_means_no_image_is_decoded_or_encoded(tmp_path):
    site = photo_site(tmp_path)
    (site / "content/three.md").write_text("---\ntitle: [not closed\ndate: 2026-03-03\n---\nText.\n", encoding="utf-8")
    before_files = tree(site)
    before = dict(images.counts)
    with pytest.raises(BuildFailed) as failed:
        build(load_config(site), tmp_path / "out", BuildOptions(now=NOW))
    assert [p.path for p in failed.value.problems if p.severity == "error"] == ["content/three.md"]
    assert images.counts == before
    assert tree(site) == before_files  # not even the image cache's folder
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_pixels_that_do_not_decode_fail_the_build_with_every_use_and_keep_the_output(tmp_path):
    site = photo_site(tmp_path)
    code, _, err = run_build(site)
    assert code == 0, err
    published = tree(site / "public")
    # The headers are sound (format and size read), the pixels are not: found by the image
    # stage, every use of each image named, together.
    (site / "static/images/shared.jpg").write_bytes(photo(1700, 1000, seed=3)[:6000])
    small = photo(400, 300, "WEBP", seed=3)
    (site / "content/pics/small.webp").write_bytes(small[:40] + b"\xff" * (len(small) - 40))
    code, _, err = run_build(site)
    lines = problem_lines(err)
    assert code == 1, err
    cut = f"cannot read image static/images/shared.jpg: the file is cut short (its end is missing) {EXPECTED}"
    damaged = f"cannot read image content/pics/small.webp: the file is damaged (failed to read next frame) {EXPECTED}"
    assert [line for line in lines if ": warning: " not in line] == [
        f"content/one.md:10: body: {cut}",
        f"content/two.md:5: image.src: {cut}",
        f"content/two.md:8: body: {damaged}",
        # The warnings: missing takeaways and caption-mismatch, twice each (alt texts "Big", "Shared hero").
        "Error: build failed: 3 errors, 4 warnings; nothing was written",
    ], err
    assert tree(site / "public") == published


def test_an_image_shown_twice_is_decoded_and_encoded_once(tmp_path):
    shared = photo(1800, 1000)
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(title="A", image={"src": "/images/p.jpg", "alt": "Hero"}),
            "content/b.md": article(title="B", date="2026-02-02", body="![Text](/images/p.jpg)\n\n![Again](p.jpg)\n"),
            "content/p.jpg": shared,  # the same bytes beside the article: the same copies in the cache
            "static/images/p.jpg": shared,
        },
        CONFIG,
    )
    counted = built(site, tmp_path / "out", jobs=2)
    # 480, 960, 1600 in JPEG and WebP, and the hero's 1200 JPEG for sharing.
    assert counted == {"decoded": 1, "encoded": 7}
    assert (
        len(list((site / CACHE_DIR / "images").glob("*.*g"))) + len(list((site / CACHE_DIR / "images").glob("*.webp")))
        == 7
    )
    published = {
        p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*") if NAME.match(p.name)
    }
    assert {p.rsplit("/", 1)[0] for p in published} == {"images", "2026/02/b"}


def test_an_original_without_copies_is_checked_once(tmp_path):
    """A WebP image 480 px wide or narrower is published as it is: it is decoded once to find a
    damaged one, and a note in the cache spares later builds the work."""
    site = make_site(
        tmp_path,
        {"content/a.md": article(body="![Small](s.webp)\n"), "content/s.webp": photo(300, 200, "WEBP")},
        CONFIG,
    )
    assert built(site, tmp_path / "out") == {"decoded": 1, "encoded": 0}
    assert [p.suffix for p in (site / CACHE_DIR / "images").iterdir()] == [".json"]
    assert built(site, tmp_path / "again") == {"decoded": 0, "encoded": 0}


def test_the_header_alone_plans_the_copies(tmp_path):
    """Planning reads no pixel: a file cut short after its header plans like a sound one."""
    whole = photo(2000, 1000)
    (tmp_path / "whole.jpg").write_bytes(whole)
    (tmp_path / "cut.jpg").write_bytes(whole[:5000])
    store = ImageStore(tmp_path)
    before = dict(images.counts)
    sound, cut = (store.plan(tmp_path / name, f"/a/{name}") for name in ("whole.jpg", "cut.jpg"))
    assert images.counts == before
    assert sound is not None and cut is not None
    assert [(v.width, v.height) for v in sound.webp] == [(v.width, v.height) for v in cut.webp]
    assert not (tmp_path / CACHE_DIR).exists()


def test_a_png_turned_by_an_exif_chunk_after_its_pixels(tmp_path):
    """PNG allows the eXIf chunk after the image data, where Pillow reads it only on decoding;
    the header reader walks the chunks, so the planned size is the turned one."""
    plain = photo(900, 500, "PNG")
    exif = turned_exif(6).tobytes()[6:]  # without the "Exif\0\0" prefix JPEG uses
    chunk = struct.pack(">I", len(exif)) + b"eXIf" + exif + struct.pack(">I", zlib.crc32(b"eXIf" + exif))
    source = tmp_path / "late.png"
    source.write_bytes(plain[:-12] + chunk + plain[-12:])  # before IEND
    found = ImageStore(tmp_path).prepare(source, "/a/late.png")
    assert found is not None and (found.width, found.height) == (500, 900)
    assert opened(found.webp[0].file).size == (480, 864)
