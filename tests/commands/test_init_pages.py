"""``brief init`` starts a publication with an About page and a ``[[menu]]`` linking it, and a
brief.toml whose every commented default is valid when uncommented."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime

import pytest
from helpers import run_build

from brief.build import BuildOptions, build
from brief.commands.scaffold import init_site
from brief.config import load_config
from brief.errors import BuildFailed
from brief.settings import OPTIONS


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
    assert {w.code for w in warnings} == {"placeholder-text"}  # the example text, to replace (test_placeholders.py)
    about = (site / "public" / "about" / "index.html").read_text(encoding="utf-8")
    assert '<h1 class="standalone-title">About Notes: &#34;Harbour&#34; #1</h1>' in about
    assert '<a href="/about/" aria-current="page">About</a>' in about
    front = (site / "public" / "index.html").read_text(encoding="utf-8")
    assert '<a href="/about/">About</a>' in front


COMMENTED = re.compile(r"^# ([a-z_]+ = .*)$", re.M)
"""A commented-out ``key = value`` line of brief.toml (a comment in words has no `` = ``)."""


def _uncommented(text: str, line: str | None = None) -> str:
    """brief.toml's ``text`` with one commented key (``line``), or every one, uncommented."""
    return COMMENTED.sub(lambda m: m.group(1) if line is None or m.group(0) == line else m.group(0), text)


@pytest.fixture
def site(tmp_path):
    site = tmp_path / "paper"
    init_site(site, "Harbour Notes")
    return site


def test_every_commented_default_is_a_key_with_its_default(site):
    text = (site / "brief.toml").read_text(encoding="utf-8")
    lines = COMMENTED.findall(text)
    keys = [key for key, option in OPTIONS.items() for key in (option if isinstance(option, dict) else [key])]
    assert len(lines) == len(keys) - 1  # every key but title, which is set
    values = tomllib.loads(_uncommented(text))
    assert values["related"]["tags"] == 1.0 and values["related"]["section"] == 0.15  # numbers, not "1.0"
    assert values["related"]["half_life_days"] == 365.0 and values["related"]["count"] == 4
    assert values["publisher"] == {"name": "Harbour Notes", "logo": ""}  # the title, and no logo
    assert values["search"] is True and values["embeds"]["allow"] == []


def test_each_commented_default_alone_is_valid(site):
    text = (site / "brief.toml").read_text(encoding="utf-8")
    default = load_config(site)
    for match in COMMENTED.finditer(text):
        (site / "brief.toml").write_text(_uncommented(text, match.group(0)), encoding="utf-8")
        try:
            config = load_config(site)
        except BuildFailed as exc:
            raise AssertionError(f"{match.group(1)}: {exc.format_message()}") from None
        assert config == default, match.group(1)  # the value shown is the default


def test_every_commented_default_uncommented_builds(site):
    toml = site / "brief.toml"
    toml.write_text(_uncommented(toml.read_text(encoding="utf-8")), encoding="utf-8")
    assert not COMMENTED.search(toml.read_text(encoding="utf-8"))
    code, out, err = run_build(site)
    assert code == 0, err
    assert "Built 1 article," in out
    assert [line for line in err.splitlines() if not line.endswith("[placeholder-text]")] == []
