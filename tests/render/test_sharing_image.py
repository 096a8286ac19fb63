"""``image.hero: false``: the image is the article's sharing image (OpenGraph, Twitter card,
JSON-LD, the JSON feed's image) but is not shown as its hero figure."""

from __future__ import annotations

import json

from helpers import article, make_site, run_build

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="900" viewBox="0 0 16 9"/>'


def test_a_sharing_image_only_is_in_the_metadata_not_on_the_page(tmp_path):
    image = {"src": "card.svg", "alt": "The story's card", "hero": False}
    site = make_site(
        tmp_path,
        {"content/a.md": article("Body.\n", image=image, takeaways=["One"]), "content/card.svg": SVG},
        'title = "Cards"\nbase_url = "https://example.org/"\nsearch = false\n',
    )
    code, _, err = run_build(site)
    assert code == 0, err
    out = site / "public"
    folder = next(out.rglob("a/index.html")).parent
    page = (folder / "index.html").read_text(encoding="utf-8")
    url = f"https://example.org/{folder.relative_to(out).as_posix()}/card.svg"
    assert f'<meta property="og:image" content="{url}">' in page
    assert 'class="hero"' not in page and "<figure" not in page
    assert (folder / "card.svg").is_file()  # published: the sharing image's URL works
    item = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert item["image"] == url and "<figure" not in item["content_html"]
    assert "&lt;figure" not in (out / "feed.xml").read_text(encoding="utf-8")


def test_hero_must_be_true_or_false(tmp_path):
    image = {"src": "/images/x.svg", "alt": "X", "hero": "no"}
    site = make_site(tmp_path, {"content/a.md": article(image=image), "static/images/x.svg": SVG})
    code, _, err = run_build(site)
    assert code == 1
    assert "content/a.md:7: image.hero: expected true or false, got a string ('no')" in err.splitlines(), err
