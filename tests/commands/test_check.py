"""``brief check`` and the build's link check: broken links, anchors and images named by
file and line, unreachable articles, editorial warnings, the three output formats,
--strict, and ``brief build --no-link-check``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from helpers import REPO, article, make_site, problem_lines, run_brief, run_build

from brief.commands.check import reachability

NO_PAGE = " (expected a page or file of this site; build with --no-link-check to publish anyway)"
NO_ID = " (expected the id of an element on that page, such as a heading's: ## Outlook is #outlook)"


def check(site: Path, *args: str) -> subprocess.CompletedProcess:
    return run_brief(["check", "--site", str(site), *args])


def broken_site(tmp_path: Path) -> Path:
    return make_site(
        tmp_path,
        {
            "content/a.md": article(
                "See [nothing](/nope/) and [below](#missing) and [fine](#alpha-heading).\n\n"
                "## Alpha heading\n\n![](/images/x.png)\n",
                title="Alpha story",
                takeaways=["One"],
                analysis={"label": "Strategic Analysis", "body": "Some words."},
            ),
            "content/b.md": article(
                "Body with [a bad anchor](a.md#nowhere).\n", title="Alpha Story", date="2024-01-03", takeaways=["One"]
            ),
        },
    )


def test_sample_site_passes():
    result = check(REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Check passed: 0 errors, 0 warnings;")
    assert "links checked" in result.stdout


def test_broken_links_anchors_and_images_are_errors_with_file_and_line(tmp_path):
    site = broken_site(tmp_path)
    result = check(site)
    assert result.returncode == 1
    lines = problem_lines(result.stdout)
    for expected in (
        f"content/a.md:10: link /nope/: no such page or file in the site{NO_PAGE}",
        f"content/a.md:10: link #missing: no element with id 'missing' on 2024/01/a/index.html{NO_ID}",
        f"content/a.md:14: image /images/x.png: no such page or file in the site{NO_PAGE}",
        f"content/b.md:7: link /2024/01/a/#nowhere: no element with id 'nowhere' on 2024/01/a/index.html{NO_ID}",
    ):
        assert expected in lines, result.stdout
    assert not any("alpha-heading" in line for line in lines)  # an anchor that exists is fine
    assert lines[-1].startswith("Check failed: 4 errors, 4 warnings;")
    assert not (site / "public").exists()  # check never writes the site


def test_editorial_warnings(tmp_path):
    out = check(broken_site(tmp_path)).stdout
    assert "content/a.md:2: warning: title: same headline as content/b.md" in out
    assert "content/b.md:2: warning: title: same headline as content/a.md" in out
    assert "content/a.md:6: warning: analysis: analysis has no byline" in out
    assert "content/a.md:14: warning: body: image /images/x.png has no alt text" in out


def test_github_annotations(tmp_path):
    result = check(broken_site(tmp_path), "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"::error file=content/a.md,line=10::link /nope/: no such page or file in the site{NO_PAGE}" in lines
    assert (
        "::warning file=content/a.md,line=6,title=[analysis-without-byline] analysis::analysis has no byline "
        "(expected byline: with who wrote it; readers weigh analysis by its author)" in lines
    )
    assert lines[-1].startswith("Check failed")


def test_json_report(tmp_path):
    result = check(broken_site(tmp_path), "--format", "json")
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["errors"] == 4 and data["warnings"] == 4
    assert {
        "path": "content/a.md",
        "line": 10,
        "field": None,
        "message": f"link /nope/: no such page or file in the site{NO_PAGE}",
        "code": None,
        "severity": "error",
    } in data["problems"]
    assert {
        "path": "content/a.md",
        "line": 6,
        "field": "analysis",
        "message": "analysis has no byline (expected byline: with who wrote it; readers weigh analysis by its author)",
        "code": "analysis-without-byline",
        "severity": "warning",
    } in data["problems"]


def test_strict_turns_warnings_into_errors(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("Text.\n", title="One", takeaways=["One"]),
            "content/b.md": article("Text.\n", title="one", takeaways=["One"], date="2024-01-05"),
        },
    )
    relaxed = check(site)
    assert relaxed.returncode == 0, relaxed.stdout
    assert "warning: title: same headline" in relaxed.stdout
    strict = check(site, "--strict")
    assert strict.returncode == 1
    assert "content/a.md:2: error: title: same headline as content/b.md" in strict.stdout
    assert "(--strict: warnings count as errors)" in strict.stdout
    github = check(site, "--strict", "--format", "github")
    assert github.stdout.startswith("::error file=content/a.md,line=2,title=[duplicate-headline] title::")


def test_validation_errors_are_reported_by_check(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(title=None)})
    result = check(site)
    assert result.returncode == 1
    assert "content/a.md:1: title: is required (expected a non-empty string)" in result.stdout


def test_broken_template_link_and_javascript_url(tmp_path):
    site = broken_site(tmp_path)
    (site / "content/a.md").write_text(article("Fine.\n", title="Only", takeaways=["One"]))
    (site / "content/b.md").unlink()
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/share.html").write_text(
        '<section class="share"><a href="/gone/">gone</a>\n<a href="javascript:alert(1)">x</a></section>\n'
    )
    # The theme's own links are warnings (the build does not read whole pages, and brief check
    # fails on the build's errors, no more); --strict fails on them.
    result = check(site)
    assert result.returncode == 0, result.stdout
    assert "page 2024/01/a/index.html:" in result.stdout
    assert (
        ": warning: link /gone/: no such page or file in the site (in the page made from the templates) [theme-link]"
        in result.stdout
    )
    assert "link javascript:alert(1): javascript: links are not allowed" in result.stdout
    assert check(site, "--strict").returncode == 1


def test_build_fails_on_broken_links_unless_told(tmp_path):
    site = broken_site(tmp_path)
    code, _, err = run_build(site)
    assert code == 1
    assert (
        "content/a.md:10: link /nope/: no such page or file in the site (expected a page or file of this site; "
        "build with --no-link-check to publish anyway)" in err.splitlines()
    )
    assert "content/a.md:14: image /images/x.png: no such page or file in the site" in err
    assert not (site / "public").exists()
    code, _, err = run_build(site, "--no-link-check")
    assert code == 0, err
    assert (site / "public/index.html").exists()


def test_unreachable_articles_are_found():
    class Source:
        def __init__(self, rel: str) -> None:
            self.relpath = rel

    pages = {
        "index.html": '<a href="/2024/01/a/">A</a> <a href="page/2/">next</a>',
        "page/2/index.html": '<a href="../../2024/01/b/">B</a>',
        "2024/01/a/index.html": "<p>A</p>",
        "2024/01/b/index.html": "<p>B</p>",
        "2024/01/c/index.html": '<a href="/">home</a>',
    }
    sources = {rel: Source(f"content/{rel.split('/')[2]}.md") for rel in pages if rel.startswith("2024")}
    found = reachability(pages, "/", sources)
    assert [p.format() for p in found] == [
        "content/c.md: warning: no link leads to this article from the front page, its section or its tags "
        "(readers cannot find it) [unreachable-article]"
    ]


def test_a_broken_brief_toml_is_a_finding_in_every_format(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article()}, "title = \n")
    result = check(site, "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["problems"][0]["path"] == "brief.toml" and "invalid TOML" in data["problems"][0]["message"]
    github = check(site, "--format", "github")
    assert github.stdout.startswith("::error file=brief.toml,line=1::invalid TOML")
