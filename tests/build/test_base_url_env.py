"""BRIEF_BASE_URL: the base URL for CI, between --base-url and brief.toml.

Precedence: the ``--base-url`` flag, then the ``BRIEF_BASE_URL`` environment
variable, then ``base_url`` in brief.toml. Every test runs the real CLI in a
subprocess with an environment it controls.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from helpers import article, make_site, run_brief

TOML_BASE = "https://toml.example.org/"
ENV_BASE = "https://env.example.net/preview/pr-7/"
FLAG_BASE = "https://flag.example.com/briefs/"
BAD_MESSAGE = "is not an absolute http(s) URL without query or fragment"
EXPECTED = "expected e.g. 'https://example.org/' or 'https://example.org/briefs/'"


def run(command: str, site: Path, *args: str, env_value: str | None = None) -> subprocess.CompletedProcess:
    """``python -m brief COMMAND --site SITE *args`` with BRIEF_BASE_URL set to ``env_value`` (None: unset)."""
    env = {k: v for k, v in os.environ.items() if k != "BRIEF_BASE_URL"}
    env.update({"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1", "COLUMNS": "200"})
    if env_value is not None:
        env["BRIEF_BASE_URL"] = env_value
    return run_brief([command, "--site", str(site), *args], env=env)


@pytest.fixture
def site(tmp_path) -> Path:
    return make_site(
        tmp_path,
        {
            "content/grid.md": article("See [the other brief](heat.md).\n", title="Grid Week", tags=["Energy"]),
            "content/heat.md": article("Heat networks.\n", title="Heat Networks", date="2024-01-03"),
        },
        f'title = "Env Test"\nbase_url = "{TOML_BASE}"\n',
    )


def canonical(out: Path, rel: str = "index.html") -> str:
    html = (out / rel).read_text(encoding="utf-8")
    start = html.index('<link rel="canonical" href="') + len('<link rel="canonical" href="')
    return html[start : html.index('"', start)]


def test_env_var_sets_canonical_urls_links_and_feeds(site, tmp_path):
    out = tmp_path / "out"
    result = run("build", site, "--output", str(out), "-q", env_value=ENV_BASE)
    assert result.returncode == 0, result.stderr
    assert canonical(out) == ENV_BASE
    assert canonical(out, "2024/01/grid/index.html") == ENV_BASE + "2024/01/grid/"
    page = (out / "2024/01/grid/index.html").read_text(encoding="utf-8")
    assert 'href="/preview/pr-7/2024/01/heat/"' in page  # internal links carry the variable's path
    atom = (out / "feed.xml").read_text(encoding="utf-8")
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert f'rel="self" type="application/atom+xml" href="{ENV_BASE}feed.xml"' in atom
    assert f"<id>{ENV_BASE}2024/01/grid/</id>" in atom
    assert feed["home_page_url"] == ENV_BASE
    assert {item["url"] for item in feed["items"]} == {ENV_BASE + "2024/01/grid/", ENV_BASE + "2024/01/heat/"}
    assert ENV_BASE + "2024/01/grid/" in (out / "sitemap.xml").read_text(encoding="utf-8")
    everything = "".join(p.read_text(encoding="utf-8", errors="replace") for p in out.rglob("*") if p.is_file())
    assert "toml.example.org" not in everything


def test_without_env_var_brief_toml_holds(site, tmp_path):
    for value in (None, ""):  # an empty variable (a CI secret that is not set) counts as unset
        out = tmp_path / f"out-{value!r}"
        result = run("build", site, "--output", str(out), "-q", env_value=value)
        assert result.returncode == 0, result.stderr
        assert canonical(out) == TOML_BASE


def test_flag_wins_over_env_var(site, tmp_path):
    out = tmp_path / "out"
    result = run("build", site, "--output", str(out), "-q", "--base-url", FLAG_BASE, env_value=ENV_BASE)
    assert result.returncode == 0, result.stderr
    assert canonical(out) == FLAG_BASE
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["home_page_url"] == FLAG_BASE
    assert "env.example.net" not in (out / "feed.xml").read_text(encoding="utf-8")


def test_env_var_missing_slash_is_added(site, tmp_path):
    out = tmp_path / "out"
    assert run("build", site, "--output", str(out), "-q", env_value="https://env.example.net/briefs").returncode == 0
    assert canonical(out) == "https://env.example.net/briefs/"


@pytest.mark.parametrize("value", ["javascript:alert(1)", "example.org/briefs/", "https://example.org/?q=1"])
def test_bad_env_value_is_one_clear_error_naming_the_variable(site, tmp_path, value):
    out = tmp_path / "out"
    result = run("build", site, "--output", str(out), env_value=value)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"BRIEF_BASE_URL: base_url: '{value}' {BAD_MESSAGE} ({EXPECTED})",
        "Error: configuration failed: 1 error, 0 warnings",
    ]
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_bad_flag_is_named_as_the_flag_even_with_the_env_var_set(site, tmp_path):
    result = run("build", site, "--output", str(tmp_path / "out"), "--base-url", "nope", env_value=ENV_BASE)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0].startswith(f"--base-url: base_url: 'nope' {BAD_MESSAGE}")
    assert "BRIEF_BASE_URL" not in result.stderr


def test_changing_the_env_var_rebuilds_despite_the_cache(site, tmp_path):
    """The build cache keys on the effective base URL: nothing of the previous value is reused."""
    out = tmp_path / "out"
    assert run("build", site, "--output", str(out), env_value=ENV_BASE).returncode == 0
    other = run("build", site, "--output", str(out), env_value=FLAG_BASE)
    assert other.returncode == 0 and other.stdout.startswith("Built "), other.stdout
    assert canonical(out) == FLAG_BASE
    assert canonical(out, "2024/01/heat/index.html") == FLAG_BASE + "2024/01/heat/"
    assert "env.example.net" not in (out / "feed.xml").read_text(encoding="utf-8")


def test_check_reads_env_var(site):
    good = run("check", site, env_value=ENV_BASE)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = run("check", site, env_value="ftp://example.org/")
    assert bad.returncode == 1
    assert f"BRIEF_BASE_URL: base_url: 'ftp://example.org/' {BAD_MESSAGE}" in bad.stdout
    flag = run("check", site, "--base-url", "ftp://example.org/", env_value=ENV_BASE)
    assert flag.returncode == 1
    assert f"--base-url: base_url: 'ftp://example.org/' {BAD_MESSAGE}" in flag.stdout
    github = run("check", site, "--format", "github", env_value="ftp://example.org/")
    assert github.returncode == 1
    assert "::error file=BRIEF_BASE_URL,title=base_url::" in github.stdout


def test_help_names_the_variable_and_serve_ignores_it(site):
    for command in ("build", "check"):
        assert "BRIEF_BASE_URL" in run(command, site, "--help").stdout
    # brief serve previews on its own address (http://127.0.0.1:PORT/), whatever the variable says.
    assert "base-url" not in run("serve", site, "--help").stdout
