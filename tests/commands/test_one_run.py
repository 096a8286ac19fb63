"""Every problem in one run, the same in build and check (#15.7): a file whose front matter
is broken still has its body checked (images, links, anchors, foreign template syntax);
``brief build`` and ``brief check`` report the same errors, counted the same way."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from helpers import article, make_site, run_brief, run_build

NO_PAGE = " (expected a page or file of this site; build with --no-link-check to publish anyway)"
NO_ID = " (expected the id of an element on that page, such as a heading's: ## Outlook is #outlook)"


def check(site: Path, *args: str) -> subprocess.CompletedProcess:
    return run_brief(["check", "--site", str(site), *args])


def _errors(text: str) -> list[str]:
    return [line for line in text.splitlines() if re.match(r"content/\S+: (?!warning:)", line)]


def _site(tmp_path: Path) -> Path:
    broken = (
        "---\ntitle: Broken front matter\ndate: 2024-01-02\ntags: economy\n---\n"
        "See [nothing](/nope/) and [below](#missing).\n\n"
        "![A chart](missing.png)\n\n"
        "{{< youtube abc >}}\n"
    )
    return make_site(
        tmp_path,
        {
            "content/a.md": broken,
            "content/b.md": article(
                "Read [the outlook](c.md#outlook), [the risks](c.md#risks) and [this](/{BRANCH}/).\n\n"
                "Back to [the top](#brief-main).\n",
                title="Second",
                takeaways=["One"],
            ),
            "content/c.md": article("## Outlook\n\nText.\n", title="Third", date="2024-01-04", takeaways=["One"]),
        },
    )


def test_front_matter_body_link_and_anchor_problems_come_in_the_first_run(tmp_path):
    site = _site(tmp_path)
    code, _, err = run_build(site)
    assert code == 1
    assert _errors(err) == [
        "content/a.md:4: tags: expected a list of strings such as [Energy, Markets], got a string ('economy')",
        f"content/a.md:6: link #missing: no element with id 'missing'{NO_ID}",
        f"content/a.md:6: link /nope/: no such page or file in the site{NO_PAGE}",
        "content/a.md:8: body: image not found: content/missing.png "
        "(expected a path relative to this file, or /images/... under static/)",
        _errors(err)[4],  # the shortcode: its wording is tests/render/test_foreign_syntax.py's
        f"content/b.md:7: link /2024/01/c/#risks: no element with id 'risks' on 2024/01/c/index.html{NO_ID}",
        f"content/b.md:7: link /{{BRANCH}}/: no such page or file in the site{NO_PAGE}",
    ], err
    assert _errors(err)[4].startswith("content/a.md:10: body: Hugo shortcode {{< youtube abc >}}")
    assert err.splitlines()[-1] == "Error: build failed: 7 errors, 1 warning; nothing was written"
    assert not (site / "public").exists()


def test_build_and_check_report_the_same_errors_and_count_them_the_same_way(tmp_path):
    site = _site(tmp_path)
    _, _, err = run_build(site)
    result = check(site)
    assert result.returncode == 1
    assert _errors(result.stdout) == _errors(err)
    assert re.search(r"^Check failed: 7 errors, 1 warning; no page was built to read", result.stdout, re.M), (
        result.stdout
    )
    assert "build failed: 7 errors, 1 warning;" in err


def test_a_theme_id_is_an_anchor_and_a_fixed_site_passes_both(tmp_path):
    site = _site(tmp_path)
    (site / "content/a.md").write_text(article("Fine.\n", title="First", takeaways=["One"]))
    (site / "content/b.md").write_text(
        article(
            "Read [the outlook](c.md#outlook). Back to [the top](#brief-main).\n", title="Second", takeaways=["One"]
        )
    )
    code, _, err = run_build(site)
    assert code == 0, err
    result = check(site)
    assert result.returncode == 0, result.stdout
    assert "Check passed: 0 errors, 0 warnings;" in result.stdout


def test_an_anchor_on_a_listing_page_is_checked_against_the_rendered_page(tmp_path):
    site = _site(tmp_path)
    (site / "content/a.md").write_text(article("Fine.\n", title="First", takeaways=["One"]))
    (site / "content/b.md").write_text(
        article(
            "See [all](/archive/#brief-main) and [none](/archive/#nothing-here).\n", title="Second", takeaways=["One"]
        )
    )
    code, _, err = run_build(site)
    assert code == 1
    assert _errors(err) == [
        f"content/b.md:7: link /archive/#nothing-here: no element with id 'nothing-here' on archive/index.html{NO_ID}"
    ]
    assert _errors(check(site).stdout) == _errors(err)


def test_a_site_path_with_an_anchor_finds_the_heading_as_a_md_link_does(tmp_path):
    site = _site(tmp_path)
    (site / "content/a.md").write_text(article("Fine.\n", title="First", takeaways=["One"]))
    (site / "content/b.md").write_text(
        article("See [the outlook](/2024/01/c/#outlook) and [nothing](/2024/01/c/#nothing).\n", title="Second")
    )
    code, _, err = run_build(site)
    assert code == 1
    assert _errors(err) == [
        f"content/b.md:5: link /2024/01/c/#nothing: no element with id 'nothing' on 2024/01/c/index.html{NO_ID}"
    ]
    run_build(site, "--no-link-check")
    assert 'href="/2024/01/c/#h-outlook"' in (site / "public/2024/01/b/index.html").read_text()


def test_a_name_and_any_raw_id_are_anchors_in_build_and_check(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(
                'See [below](#here), [there](#there) and [nowhere](#gone).\n\n<a name="here"></a>\n\n'
                'Text <span id="there">x</span>.\n',
                takeaways=["One"],
            )
        },
    )
    code, _, err = run_build(site)
    assert code == 1
    assert _errors(err) == [f"content/a.md:7: link #gone: no element with id 'gone' on 2024/01/a/index.html{NO_ID}"]
    assert _errors(check(site).stdout) == _errors(err)
