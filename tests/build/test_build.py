"""End-to-end builds through the real CLI and the build function: output, flags, safety."""

from __future__ import annotations

import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import TESTS, process_tree_state, run_brief, tree

from brief.build import BuildOptions, build
from brief.config import load_config

GOLDEN_SITE = TESTS / "sites" / "golden"
NOW = datetime(2026, 6, 1, tzinfo=UTC)


def cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_brief(list(args), cwd=cwd, env=env)


def snapshot(folder: Path) -> dict[str, str]:
    """Each file → its digest (the search index too)."""
    return {rel: digest for rel, digest in tree(folder).items() if digest != "dir"}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def small_site(root: Path, n: int = 3) -> Path:
    for i in range(n):
        write(root / "content" / f"story-{i}.md", f"---\ntitle: Story {i}\ndate: 2026-01-{i + 1:02d}\n---\nBody {i}.\n")
    return root


def test_cli_build_prints_one_line_summary_and_the_next_change(tmp_path):
    site = small_site(tmp_path / "site")
    result = cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    summary = r"Built 3 articles, \d+ pages, \d+ files in \d+\.\d\d s → .*public\n"
    assert re.fullmatch(summary + "Next change: none scheduled\n", result.stdout)  # (tests/commands/test_schedule.py)
    assert (site / "public" / "2026" / "01" / "story-0" / "index.html").exists()
    quiet = cli("build", "--site", str(site), "-q")
    assert quiet.returncode == 0 and quiet.stdout == ""


def test_folder_with_only_content_builds_with_defaults(tmp_path):
    site = small_site(tmp_path / "site", 1)
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    html = (site / "public" / "2026" / "01" / "story-0" / "index.html").read_text()
    assert "<title>Story 0 — Brief</title>" in html
    assert 'By <a class="author" href="/authors/staff/">Staff</a>' in html


def test_every_internal_url_carries_the_base_path(tmp_path):
    out = tmp_path / "public"
    build(load_config(GOLDEN_SITE), out, BuildOptions(now=NOW))
    bad = []
    for page in out.rglob("*.html"):
        for url in re.findall(r'(?:href|src)="([^"]+)"', page.read_text()):
            if url.startswith("/") and not url.startswith("/briefs/"):
                bad.append((page.name, url))
            if url.startswith("https://example.org/") and not url.startswith("https://example.org/briefs/"):
                bad.append((page.name, url))
    assert bad == []
    index = (out / "index.html").read_text()
    assert 'href="/briefs/2026/03/harbour-reopens/"' in index
    assert re.search(r'href="/briefs/css/brief\.[0-9a-f]{8}\.css"', index)


def test_base_url_option_overrides_config(tmp_path):
    out = tmp_path / "public"
    site = shutil.copytree(GOLDEN_SITE, tmp_path / "golden")  # brief build records its URLs beside brief.toml
    result = cli("build", "--site", str(site), "--output", str(out), "--base-url", "http://127.0.0.1:9000/preview")
    assert result.returncode == 0, result.stderr
    html = (out / "index.html").read_text()
    assert re.search(r'href="/preview/css/brief\.[0-9a-f]{8}\.css"', html)
    bad = cli("build", "--site", str(site), "--output", str(out), "--base-url", "javascript:alert(1)")
    assert bad.returncode == 1
    assert "--base-url: base_url: 'javascript:alert(1)' is not an absolute http(s) URL" in bad.stderr


def test_drafts_and_future_only_with_flags(tmp_path):
    config = load_config(GOLDEN_SITE)
    plain = build(config, tmp_path / "a", BuildOptions(now=NOW))
    assert plain.articles == 3
    assert not (tmp_path / "a" / "2026" / "01" / "draft-piece").exists()
    both = build(config, tmp_path / "b", BuildOptions(now=NOW, drafts=True, future=True))
    assert both.articles == 5
    draft = (tmp_path / "b" / "2026" / "01" / "draft-piece" / "index.html").read_text()
    assert "Draft" in draft
    assert (tmp_path / "b" / "2030" / "01" / "future-piece" / "index.html").exists()


def test_stale_files_are_removed_and_old_output_replaced(tmp_path):
    site = small_site(tmp_path / "site")
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=NOW))
    assert (out / "2026" / "01" / "story-2" / "index.html").exists()
    (site / "content" / "story-2.md").unlink()
    build(load_config(site), out, BuildOptions(now=NOW))
    assert not (out / "2026" / "01" / "story-2").exists()
    leftovers = [p.name for p in site.iterdir() if p.name.startswith(".public")]
    assert leftovers == []


def test_the_command_removes_the_previous_output_before_it_ends(tmp_path):
    """``brief build`` removes the previous output in the background (a forked process) while
    it saves the cache, and waits for it: when the command ends, only the new output is left."""
    site = small_site(tmp_path / "site", n=20)
    first = cli("build", "--site", str(site), "-q")
    assert first.returncode == 0, first.stderr
    (site / "content" / "story-2.md").unlink()
    second = cli("build", "--site", str(site), "-q", "--no-cache")  # every page written again
    assert second.returncode == 0, second.stderr
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []
    assert not (site / "public" / "2026" / "01" / "story-2").exists()
    assert (site / "public" / "2026" / "01" / "story-3" / "index.html").is_file()


def test_failed_build_leaves_public_byte_for_byte_unchanged(tmp_path):
    site = small_site(tmp_path / "site")
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=NOW))
    before = snapshot(out)
    write(site / "content" / "story-1.md", "---\ntitle: ''\ndate: someday\n---\n")
    result = cli("build", "--site", str(site))
    assert result.returncode == 1
    assert "content/story-1.md:2: title: must not be empty (expected a non-empty string)" in result.stderr
    assert "content/story-1.md:3: date: 'someday' is not an ISO 8601 date" in result.stderr
    assert snapshot(out) == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []


def test_template_error_names_template_and_line_and_keeps_output(tmp_path):
    site = small_site(tmp_path / "site")
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=NOW))
    before = snapshot(out)
    write(
        site / "templates" / "partials" / "share.html",
        '<section class="share">\n{{ article.no_such_field }}\n</section>\n',
    )
    result = cli("build", "--site", str(site))
    assert result.returncode == 1
    assert "templates/partials/share.html:2: template error: UndefinedError:" in result.stderr
    assert "no_such_field" in result.stderr
    assert snapshot(out) == before
    write(site / "templates" / "index.html", "{% for x in %}\n")
    syntax = cli("build", "--site", str(site))
    assert "templates/index.html:1: template syntax error:" in syntax.stderr


def test_worker_processes_give_the_same_bytes(tmp_path):
    """Files read, related terms counted, Markdown and pages rendered by forked workers
    (``jobs`` given: workers even for a small site) are byte-identical to a one-process build."""
    config = load_config(GOLDEN_SITE)
    one = build(config, tmp_path / "one", BuildOptions(now=NOW, jobs=1))
    three = build(config, tmp_path / "three", BuildOptions(now=NOW, jobs=3))
    assert one.pages == three.pages > 10
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "three")


def test_worker_template_error_is_reported_once_and_keeps_output(tmp_path):
    site = small_site(tmp_path / "site", 12)
    out = site / "public"
    build(load_config(site), out, BuildOptions(now=NOW))
    before = snapshot(out)
    write(
        site / "templates" / "partials" / "share.html",
        '<section class="share">\n{{ article.no_such_field }}\n</section>\n',
    )
    result = cli("build", "--site", str(site), "--jobs", "2")
    assert result.returncode == 1
    assert result.stderr.count("templates/partials/share.html:2: template error: UndefinedError:") == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []


def test_site_template_overrides_one_partial(tmp_path):
    site = small_site(tmp_path / "site", 1)
    write(
        site / "templates" / "partials" / "share.html",
        '<section class="share" aria-labelledby="x-share"><h2 id="x-share">Pass it on</h2></section>\n',
    )
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    html = (site / "public" / "2026" / "01" / "story-0" / "index.html").read_text()
    assert "Pass it on" in html
    assert "Key Takeaways" not in html and "Related Articles" in html  # the rest is the default theme


@pytest.mark.slow
def test_interrupted_build_leaves_previous_output(tmp_path):
    """Ctrl-C while pages are being written: the previous site stays, the staging folder goes."""
    site = tmp_path / "site"
    for i in range(600):  # a write phase of about a second: the interrupts come 0, 0.2 and 0.5 s into it
        write(
            site / "content" / f"a{i}.md",
            f"---\ntitle: A {i}\ndate: 2025-01-01\ntakeaways: [one]\n---\n" + "Words here. " * 200,
        )
    out = site / "public"
    first = cli("build", "--site", str(site), "-q")
    assert first.returncode == 0, first.stderr
    before = snapshot(out)
    interrupted = 0
    for extra_delay in (0.0, 0.2, 0.5):
        # --no-cache: every page is written again, so there is a write phase to interrupt
        proc = subprocess.Popen(
            [sys.executable, "-m", "brief", "build", "--site", str(site), "-q", "--no-cache"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        staging = site / f".public.tmp-{proc.pid}"
        deadline = time.monotonic() + 60
        while not staging.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)  # wait until the write phase has begun
        time.sleep(extra_delay)
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            state = process_tree_state(proc.pid)
            proc.kill()
            pytest.fail(f"the build did not end within 60 s of Ctrl-C:\n{state}")
        assert "Traceback" not in err
        if proc.returncode != 0:
            assert proc.returncode == 130, err
            assert err.strip() == "Interrupted; the previous output is unchanged."
            interrupted += 1
        assert snapshot(out) == before  # same content either way: the old site or an identical new one
        assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []
    assert interrupted >= 1, "no build was interrupted; the test did not test anything"


@pytest.mark.parametrize("target", ["content", ".", "static", "templates"])
def test_output_may_not_overlap_sources(tmp_path, target):
    site = small_site(tmp_path / "site")
    (site / "static").mkdir()
    (site / "templates").mkdir()
    before = snapshot(site)
    result = cli("build", "--site", str(site), "--output", str(site / target))
    assert result.returncode == 1
    assert "Error: output folder" in result.stderr
    assert snapshot(site) == before


def test_refuses_to_replace_a_folder_that_is_not_a_built_site(tmp_path):
    site = small_site(tmp_path / "site")
    precious = write(tmp_path / "notes" / "thesis.txt", "years of work")
    result = cli("build", "--site", str(site), "--output", str(precious.parent))
    assert result.returncode == 1
    assert "does not look like a built site" in result.stderr
    assert precious.read_text() == "years of work"


def test_help_and_version():
    assert cli("--help").returncode == 0
    out = cli("build", "--help").stdout
    for option in ("--drafts", "--future", "--output", "--base-url", "--quiet", "--verbose"):
        assert option in out
    assert cli("--version").stdout.startswith("brief, version ")


def test_relative_output_is_relative_to_the_current_folder(tmp_path):
    site = small_site(tmp_path / "site", 1)
    work = tmp_path / "work"
    work.mkdir()
    result = cli("build", "--site", str(site), "--output", "dist", cwd=work)
    assert result.returncode == 0, result.stderr
    assert (work / "dist" / "index.html").exists()
    assert not (site / "dist").exists()


def test_symlinks_leading_outside_the_site_are_refused(tmp_path):
    site = small_site(tmp_path / "site", 1)
    outside = tmp_path / "outside"
    write(outside / "secret.md", "---\ntitle: Secret\ndate: 2026-01-01\n---\nPrivate.\n")
    write(outside / "passwords.txt", "hunter2")
    (site / "content" / "linked.md").symlink_to(outside / "secret.md")
    (site / "content" / "folder").symlink_to(outside)
    (site / "static").mkdir()
    (site / "static" / "leak.txt").symlink_to(outside / "passwords.txt")
    (site / "static" / "dir").symlink_to(outside)
    result = cli("build", "--site", str(site))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        f"content/folder: symlink leads outside the site (to {outside}); refusing to read it (copy the file in instead)"
        in lines
    )
    assert (
        f"content/linked.md: symlink leads outside the site (to {outside / 'secret.md'}); "
        "refusing to read it (copy the file in instead)"
    ) in lines
    assert (
        f"static/leak.txt: symlink leads outside the static folder (to {outside / 'passwords.txt'}); copy the file in instead"
        in lines
    )
    assert f"static/dir: symlink leads outside the static folder (to {outside}); copy the files in instead" in lines
    assert not (site / "public").exists()


def test_symlinked_folder_inside_the_site_is_read_once(tmp_path):
    site = small_site(tmp_path / "site", 1)
    write(site / "archive" / "old.md", "---\ntitle: Old\ndate: 2020-01-01\n---\nOld.\n")
    (site / "content" / "archive").symlink_to(site / "archive")
    (site / "content" / "loop").symlink_to(site / "content")
    result = cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert "Built 2 articles," in result.stdout


def test_a_write_failure_is_a_clear_error_and_keeps_the_old_site(tmp_path):
    import resource

    site = small_site(tmp_path / "site")
    build(load_config(site), site / "public", BuildOptions(now=NOW))
    before = snapshot(site / "public")

    def small_file_limit():  # like a full disk: writes past 4 KB fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = subprocess.run(
        [sys.executable, "-m", "brief", "build", "--site", str(site)],
        capture_output=True,
        text=True,
        preexec_fn=small_file_limit,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.search(
        r"^Error: cannot write \S+: File too large; the previous output is unchanged$", result.stderr, re.M
    )
    assert snapshot(site / "public") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public")] == []


def test_leftovers_of_a_killed_build_are_cleaned_up(tmp_path):
    site = small_site(tmp_path / "site", 1)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    write(site / f".public.tmp-{dead}" / "index.html", "half")
    result = cli("build", "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert not (site / f".public.tmp-{dead}").exists()
