"""Warning codes (#15.8): every warning carries one, shown in text, JSON and GitHub formats;
``[warnings]`` in brief.toml turns a code off or makes it an error; the README lists them all."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from helpers import REPO, article, make_site, run_brief, run_build

from brief.errors import WARNING, WARNING_CODES, Problem


def check(site: Path, *args: str) -> subprocess.CompletedProcess:
    return run_brief(["check", "--site", str(site), *args])


def _site(tmp_path: Path, toml: str = "") -> Path:
    return make_site(
        tmp_path,
        {"content/a.md": article("Text.\n", title="One", dek="D" * 201, takeaways=None, colour="red")},
        'title = "T"\nbase_url = "https://example.org/"\n' + toml,
    )


def test_every_warning_has_a_known_code():
    with pytest.raises(ValueError, match="needs a code"):
        Problem("a.md", 1, None, "something", WARNING)
    with pytest.raises(ValueError, match="needs a code"):
        Problem("a.md", 1, None, "something", WARNING, "no-such-code")
    assert Problem("a.md", 1, None, "x", WARNING, "long-dek").format() == "a.md:1: warning: x [long-dek]"


def test_codes_in_text_json_and_github(tmp_path):
    site = _site(tmp_path)
    text = check(site).stdout
    assert "content/a.md:4: warning: dek: dek is 201 characters" in text
    assert re.search(r"content/a\.md:\d+: warning: takeaways: missing; .* \[missing-takeaways\]$", text, re.M), text
    assert re.search(r"warning: colour: unknown front-matter key, ignored .*\[unknown-key\]$", text, re.M), text
    data = json.loads(check(site, "--format", "json").stdout)
    assert {p["code"] for p in data["problems"]} == {"long-dek", "missing-takeaways", "unknown-key"}
    github = check(site, "--format", "github").stdout
    assert "title=[long-dek] dek::dek is 201 characters" in github


def test_a_code_turned_off_is_not_reported(tmp_path):
    site = _site(tmp_path, '\n[warnings]\nmissing-takeaways = "off"\nlong-dek = "off"\n')
    result = check(site)
    assert result.returncode == 0
    assert "missing-takeaways" not in result.stdout and "long-dek" not in result.stdout
    assert "[unknown-key]" in result.stdout
    assert "Check passed: 0 errors, 1 warning;" in result.stdout
    code, _, err = run_build(site)
    assert code == 0 and "[unknown-key]" in err and "missing-takeaways" not in err


def test_a_code_made_an_error_fails_check_and_build(tmp_path):
    site = _site(tmp_path, '\n[warnings]\nunknown-key = "error"\n')
    result = check(site)
    assert result.returncode == 1
    assert re.search(
        r"^content/a\.md:\d+: colour: unknown front-matter key, ignored.*\[unknown-key\]$", result.stdout, re.M
    )
    assert "Check failed: 1 error, 2 warnings;" in result.stdout
    code, _, err = run_build(site)
    assert code == 1 and "[unknown-key]" in err and not (site / "public").exists()


def test_strict_still_counts_warnings(tmp_path):
    site = _site(tmp_path, '\n[warnings]\nunknown-key = "off"\n')
    result = check(site, "--strict")
    assert result.returncode == 1
    assert "error: dek: dek is 201 characters" in result.stdout


def test_bad_warnings_table(tmp_path):
    site = _site(tmp_path, '\n[warnings]\nlong-deck = "off"\nmissing-takeaways = "silent"\n')
    result = check(site)
    assert result.returncode == 1
    assert "brief.toml:5: warnings.long-deck: unknown warning code; did you mean 'long-dek'?" in result.stdout
    assert (
        'brief.toml:6: warnings.missing-takeaways: expected "off", "warning" or "error", got a string (\'silent\')'
        in result.stdout
    )


def test_readme_lists_every_code():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [code for code in WARNING_CODES if f"`{code}`" not in readme]
    assert not missing, f"README does not list: {missing}"
