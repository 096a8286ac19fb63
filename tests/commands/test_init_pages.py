"""``brief init`` starts a publication with an About page and a ``[[menu]]`` linking it."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

from brief.build import BuildOptions, build
from brief.commands.scaffold import init_site
from brief.config import load_config


def test_init_writes_an_about_page_and_a_menu_that_build(tmp_path):
    title = 'Notes: "Harbour" #1'  # YAML and TOML both need quoting for this one
    site = tmp_path / "paper"
    init_site(site, title)
    assert (site / "templates" / "page.html").is_file()
    config = tomllib.loads((site / "brief.toml").read_text(encoding="utf-8"))
    assert config["menu"] == [{"title": "About", "page": "about"}]
    assert load_config(site).menu[0].page == "about"
    warnings: list = []
    build(load_config(site), site / "public", BuildOptions(now=datetime.now(UTC), search=False), warnings.append)
    assert [w.format() for w in warnings] == []
    about = (site / "public" / "about" / "index.html").read_text(encoding="utf-8")
    assert '<h1 class="standalone-title">About Notes: &#34;Harbour&#34; #1</h1>' in about
    assert '<a href="/about/" aria-current="page">About</a>' in about
    front = (site / "public" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/about/">About</a>' in front
