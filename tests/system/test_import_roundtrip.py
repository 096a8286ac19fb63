"""`brief import` → `brief build` → nginx: every URL the source published answers.

For each fixture archive (tests/migrate/fixtures/: a Hugo site, a Jekyll site, a WordPress
export with its uploads, an RSS and an Atom feed) the real CLI imports it with the
replacements an editor writes after reading the report (``replacements.toml`` beside the
fixture), then builds it for ``http://127.0.0.1:PORT/briefs/``. The fixtures hold genuine
defects on purpose (a missing image, a link to a file that is not there, a date no one can
read, a shortcode no map replaces): the first build must fail on exactly those, each
named in import-report.json, and an editor's fix of each (restore the file, write the
date, delete the construct) must make the next build pass. nginx then serves the output
with README.md's configuration: every old path of ``source-urls.txt`` answers, directly or
through a 301 (with the redirect map) or a redirect page (without it), and ends at the new
path the list gives.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from helpers import REPO
from PIL import Image
from test_deploy_nginx import Deployed, _free_port, _nginx_binary, _stop
from test_redirects_nginx import start_pair

FIXTURES = REPO / "tests/migrate/fixtures"
PREFIX = "/briefs/"
CASES = {
    "hugo": ("hugo", FIXTURES / "hugo/site", []),
    "jekyll": ("jekyll", FIXTURES / "jekyll/site", []),
    "wordpress": ("wordpress", FIXTURES / "wordpress/export.xml", ["--uploads", str(FIXTURES / "wordpress/uploads")]),
    "rss": ("feed", FIXTURES / "feed/rss.xml", []),
    "atom": ("feed", FIXTURES / "feed/atom.xml", []),
}
MISSING_IMAGE = re.compile(r"^(?P<file>\S+?):\d+: body: image not found: (?P<path>\S+) \(")
MISSING_PATH = re.compile(r"^(?P<file>\S+?):\d+: (?:image|link) (?P<path>/\S+): no such page or file in the site")
BAD_DATE = re.compile(
    r"^(?P<file>\S+?):(?P<line>\d+): (?P<field>date|updated): '(?P<value>[^']*)' is not an ISO 8601 date"
)
BAD_ANCHOR = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): link (?P<url>\S+?)#(?P<id>[^:\s]+): no element with id")
FOREIGN = re.compile(
    r"^(?P<file>\S+?):(?P<line>\d+): body: (?:Hugo shortcode|Liquid|WordPress shortcode|WordPress block|kramdown)"
)


def _brief(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BRIEF_BASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "brief", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "NO_COLOR": "1", "CI": "1"},
        timeout=600,
        check=False,
    )


def _editor_fixes(site: Path, errors: list[str], report: dict) -> list[str]:
    """Fix each error the way an editor would; return the errors that are not a source defect
    the report names (the test expects none)."""
    missing = " ".join(m["written"] for m in report["missing_assets"])
    unconverted = {u["construct"] for u in report["unconverted"]}
    unexplained = []
    for error in errors:
        if m := MISSING_IMAGE.match(error):
            target = site / m["path"]
            ok = Path(m["path"]).name in missing
        elif m := MISSING_PATH.match(error):
            target = site / "static" / m["path"].removeprefix(PREFIX).lstrip("/")
            ok = Path(m["path"]).name in missing
        elif m := BAD_DATE.match(error):
            path = site / m["file"]
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            lines[int(m["line"]) - 1] = f"{m['field']}: 2020-01-01\n"
            path.write_text("".join(lines), encoding="utf-8")
            if not any(m["value"] in w["message"] for w in report["warnings"]):
                unexplained.append(error)
            continue
        elif m := BAD_ANCHOR.match(error):  # a heading the source never had: the editor drops the fragment
            path = site / m["file"]
            text = path.read_text(encoding="utf-8")
            headings = [h.lower() for h in re.findall(r"^#+ .*$", text, re.M)]
            if any(m["id"].lower() in h.replace(" ", "-") for h in headings):
                unexplained.append(error)
            path.write_text(re.sub(rf"#{re.escape(m['id'])}\)", ")", text), encoding="utf-8")
            continue
        elif m := FOREIGN.match(error):
            path = site / m["file"]
            lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
            lines[int(m["line"]) - 1] = "\n"
            path.write_text("".join(lines), encoding="utf-8")
            if not unconverted:
                unexplained.append(error)
            continue
        else:
            unexplained.append(error)
            continue
        if not ok:
            unexplained.append(error)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix.lower() in (".png", ".jpg", ".jpeg", ".webp"):
            Image.new("RGB", (8, 6), (20, 90, 160)).save(target)
        else:
            target.write_bytes(b"%PDF-1.4\n")
    return unexplained


@dataclass
class Imported:
    site: Path
    out: Path
    urls: list[tuple[str, str, str]]
    with_map: Deployed
    plain: Deployed


@pytest.fixture(scope="module", params=list(CASES))
def imported(request) -> Imported:
    kind, source, extra = CASES[request.param]
    nginx = _nginx_binary()
    root = Path(tempfile.mkdtemp(prefix=f"brief-import-{request.param}-"))
    root.chmod(0o755)
    site, out = root / "site", root / "public"
    args = ["import", kind, str(source), "--into", str(site), *extra]
    replacements = source.parent / "replacements.toml"  # beside the site folder or the export file
    if replacements.is_file():
        args += ["--map", str(replacements)]
    done = _brief(*args)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads((site / "import-report.json").read_text(encoding="utf-8"))
    proc = None
    try:
        ports = (_free_port(), _free_port())
        base_url = f"http://127.0.0.1:{ports[0]}{PREFIX}"
        build = ["build", "--site", str(site), "--output", str(out), "--base-url", base_url, "-q"]
        first = _brief(*build)
        if first.returncode != 0:
            errors = [line for line in first.stderr.splitlines() if re.match(r"^\S+:\d+: (?!warning)", line)]
            assert errors, first.stderr
            assert _editor_fixes(site, errors, report) == [], first.stderr
            second = _brief(*build)
            assert second.returncode == 0, second.stderr
        urls = []
        for line in (site / "source-urls.txt").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                old, new, what, _ = line.split("\t")
                urls.append((old, new, what))
        assert urls, "source-urls.txt lists no URL"
        if not (out / "_nginx-redirects.map").exists():  # nothing moved: the README's include needs a file
            (out / "_nginx-redirects.map").write_text("map $uri $brief_redirect {\n}\n", encoding="utf-8")
        for attempt in range(3):  # another program may take a free port before nginx binds it
            proc, with_map, plain = start_pair(nginx, root / "nginx", out, ports, last=attempt == 2)
            if proc.poll() is None:
                break
            ports = (_free_port(), _free_port())  # the pages hold paths only: no rebuild needed
        yield Imported(site, out, urls, with_map, plain)
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


def _on_site(path: str) -> str:
    return PREFIX + quote(path.lstrip("/"), safe="/%")


_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def _follow(server: Deployed, path: str) -> tuple[int, str]:
    """Request ``path``, following 301s and redirect pages; (final status, final path or URL)."""
    for _ in range(4):
        status, headers, body = server.get(path)
        if status in (301, 302, 308):
            location = headers["location"]
            parts = urlsplit(location)
            if parts.netloc and parts.netloc != f"127.0.0.1:{server.port}":
                return status, location
            path = parts.path
            continue
        refresh = _REFRESH.search(body.decode("utf-8", "replace")) if status == 200 else None
        if refresh:
            target = refresh[1].replace("&amp;", "&")
            if urlsplit(target).netloc:
                return status, target
            path = target
            continue
        return status, path
    raise AssertionError(f"{path}: more than three redirects")


def _arrived(status: int, final: str, new: str) -> bool:
    """Whether a request ended where source-urls.txt says: the new page answering 200, or for a
    page that moved to another site, a redirect to that URL (not requested: no network)."""
    if urlsplit(new).scheme:
        return final == new
    return status == 200 and final.rstrip("/") == _expected(new).rstrip("/")


def _expected(new: str) -> str:
    return new if urlsplit(new).scheme else _on_site(new)


def test_every_source_url_answers_through_nginx_with_the_map(imported):
    wrong = []
    for old, new, what in imported.urls:
        status, final = _follow(imported.with_map, _on_site(old))
        if not _arrived(status, final, new):
            wrong.append(f"{old} ({what}) → {status} {final}, expected {_expected(new)}")
    assert wrong == [], f"{len(wrong)} of {len(imported.urls)} source URLs:\n" + "\n".join(wrong)


def test_every_source_url_answers_on_a_host_without_redirect_rules(imported):
    """A static host with no rules: the page itself or its redirect page (not a case-only alias:
    on a case-sensitive disk only the host's rules can send those on; nginx's map does, above)."""
    wrong = []
    for old, new, what in imported.urls:
        if old.casefold() == new.casefold() and old != new:
            continue
        status, final = _follow(imported.plain, _on_site(old))
        if not _arrived(status, final, new):
            wrong.append(f"{old} ({what}) → {status} {final}, expected {_expected(new)}")
    assert wrong == [], "\n".join(wrong)


def test_the_import_kept_urls_of_every_kind(imported):
    kinds = {what for _, _, what in imported.urls}
    assert "article" in kinds
    if imported.site.joinpath("content/pages").is_dir():
        assert "page" in kinds
