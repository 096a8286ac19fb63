"""Old URLs on a real server: a changed slug, an alias and a ``[redirects]`` entry of
brief.toml (to a section page), served by Debian's nginx.

A small site is built for ``http://127.0.0.1:PORT/briefs/`` with the real CLI, an article's
slug is changed, and the site is built again: the URL ledger adds the redirect by itself.
nginx then serves the output with the configuration README.md documents ("nginx, under a
sub-path", plus the two lines of "Redirects", taken from the README itself):

- on the server with the map, the old URL (with and without its trailing slash), the
  alias and the ``[redirects]`` entry answer ``301`` with the new URL, which answers ``200``;
- on a server without the map (any static host), the old URL answers ``200`` with the
  redirect page, whose refresh and link lead to the new URL.

The redirect pages also pass the W3C Nu HTML checker.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import REPO, article
from test_deploy_nginx import Deployed, _free_port, _nginx_binary, _start, _stop, readme_nginx_locations

PREFIX = "/briefs/"
OLD = "/briefs/2024/01/grid/"
NEW = "/briefs/2024/01/storage-week/"
ALIAS = "/briefs/news/grid-batteries.html"
CATEGORY = "/briefs/categories/energy/"
SECTION = "/briefs/sections/energy/"


def readme_redirect_lines() -> tuple[str, str]:
    """The ``include`` and the ``if`` line of README.md's "Redirects" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```nginx\n(.*?)```", readme, re.DOTALL) if "$brief_redirect" in b]
    assert len(blocks) == 1, "README.md should hold exactly one ```nginx block using $brief_redirect"
    lines = [line.strip() for line in blocks[0].splitlines() if line.strip()]
    include = next(line for line in lines if line.startswith("include "))
    condition = next(line for line in lines if line.startswith("if ($brief_redirect)"))
    assert "/srv/www/briefs/_nginx-redirects.map;" in include
    return include, condition


def _cli(site: Path, out: Path, base_url: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "BRIEF_BASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "brief", "build", "--site", str(site), "--output", str(out), "--base-url", base_url],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"brief build failed:\n{result.stdout}{result.stderr}"
    return result.stdout


def _conf(prefix: Path, out: Path, ports: tuple[int, int]) -> str:
    user = "user www-data www-data;\n" if os.geteuid() == 0 else ""
    temp = "".join(
        f"    {kind}_temp_path {prefix / 'temp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    locations = readme_nginx_locations().replace("/srv/www/briefs/", f"{out}/")
    include, condition = readme_redirect_lines()
    include = include.replace("/srv/www/briefs/", f"{out}/")
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix / "access.log"};
{temp}
    {include}
    server {{
        listen 127.0.0.1:{ports[0]};
        server_name localhost;
        {condition}
{locations}
    }}
    server {{
        listen 127.0.0.1:{ports[1]};
        server_name localhost;
{locations}
    }}
}}
"""


def start_pair(
    nginx: str, prefix: Path, out: Path, ports: tuple[int, int], last: bool = True
) -> tuple[subprocess.Popen, Deployed, Deployed]:
    """nginx serving ``out`` under PREFIX twice: with README's redirect map on ``ports[0]`` and
    without it on ``ports[1]``, once both answer. A port another program took is a failure on
    the ``last`` attempt only (the caller picks new ports and tries again); any other failure is one."""
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / kind).mkdir(parents=True, exist_ok=True)
    conf = prefix / "nginx.conf"
    conf.write_text(_conf(prefix, out, ports), encoding="utf-8")
    proc = _start(nginx, prefix, conf)
    with_map = Deployed(f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[0]}{PREFIX}", out, ports[0])
    plain = Deployed(f"http://127.0.0.1:{ports[1]}", f"http://127.0.0.1:{ports[1]}{PREFIX}", out, ports[1])
    deadline = time.monotonic() + 15
    while proc.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if with_map.get(PREFIX)[0] == 200 and plain.get(PREFIX)[0] == 200:
                break
        time.sleep(0.05)
    if proc.poll() is not None:
        log = (prefix / "error.log").read_text(errors="replace") if (prefix / "error.log").exists() else ""
        if "Address already in use" not in log or last:
            pytest.fail(f"nginx exited with {proc.returncode}:\n{log}")
    return proc, with_map, plain


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[Deployed, Deployed, Path]]:
    """(nginx with the map, nginx without it, the output folder)."""
    nginx = _nginx_binary()
    root = Path(tempfile.mkdtemp(prefix="brief-redirects-"))  # not tmp_path: nginx's worker is www-data
    root.chmod(0o755)
    proc = None
    try:
        site = root / "site"
        (site / "content").mkdir(parents=True)
        (site / "brief.toml").write_text('[redirects]\n"/categories/energy/" = "/sections/energy/"\n', encoding="utf-8")
        grid = site / "content/grid.md"
        grid.write_text(
            article(
                title="Batteries Carry the Grid",
                aliases=["/news/grid-batteries.html"],
                section="Energy",
                takeaways=["One."],
            ),
            encoding="utf-8",
        )
        (site / "content/other.md").write_text(article(title="Other", takeaways=["Two."]), encoding="utf-8")
        out = root / "public"
        for attempt in range(3):  # another program may take a free port before nginx binds it
            ports = (_free_port(), _free_port())
            base_url = f"http://127.0.0.1:{ports[0]}{PREFIX}"
            shutil.rmtree(out, ignore_errors=True)
            (site / "published-urls.txt").unlink(missing_ok=True)
            grid.write_text(grid.read_text(encoding="utf-8").replace("slug: storage-week\n", ""), encoding="utf-8")
            _cli(site, out, base_url)
            grid.write_text(
                grid.read_text(encoding="utf-8").replace("title:", "slug: storage-week\ntitle:", 1), encoding="utf-8"
            )
            said = _cli(site, out, base_url)
            assert "Redirect: /2024/01/grid/ → /2024/01/storage-week/ (content/grid.md changed its URL)" in said
            proc, with_map, plain = start_pair(nginx, root / "nginx", out, ports, last=attempt == 2)
            if proc.poll() is None:
                break
        yield with_map, plain, out
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("old", [OLD, OLD.rstrip("/"), ALIAS])
def test_the_old_url_answers_301_with_the_new_one(servers, old):
    with_map, _, _ = servers
    status, headers, _ = with_map.get(old)
    assert status == 301, (old, status)
    assert headers["location"] in (NEW, with_map.origin + NEW), headers["location"]
    status, headers, body = with_map.get(NEW)
    assert status == 200
    assert "<title>Batteries Carry the Grid" in body.decode("utf-8")


@pytest.mark.parametrize("old", [CATEGORY, CATEGORY.rstrip("/")])
def test_a_redirects_entry_answers_301_with_the_section_page(servers, old):
    with_map, _, _ = servers
    status, headers, _ = with_map.get(old)
    assert status == 301, (old, status)
    assert headers["location"] in (SECTION, with_map.origin + SECTION), headers["location"]
    status, _, body = with_map.get(SECTION)
    assert status == 200
    assert "Batteries Carry the Grid" in body.decode("utf-8")


def test_without_the_map_the_redirects_entrys_page_answers(servers):
    _, plain, _ = servers
    status, headers, body = plain.get(CATEGORY)
    assert status == 200
    assert headers["content-type"].startswith("text/html")
    page = body.decode("utf-8")
    assert "<title>Moved</title>" in page
    assert f'<meta http-equiv="refresh" content="0; url={SECTION}">' in page
    assert f'<link rel="canonical" href="{servers[0].origin}{SECTION}">' in page
    assert f'<a href="{SECTION}">{servers[0].origin}{SECTION}</a>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert plain.get(SECTION)[0] == 200


def test_other_urls_are_not_redirected(servers):
    with_map, _, _ = servers
    assert with_map.get("/briefs/2024/01/other/")[0] == 200
    assert with_map.get("/briefs/2024/01/nothing-here/")[0] == 404


def test_without_the_map_the_redirect_page_answers(servers):
    _, plain, _ = servers
    for old in (OLD, ALIAS):
        status, headers, body = plain.get(old)
        assert status == 200, old
        assert headers["content-type"].startswith("text/html")
        page = body.decode("utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={NEW}">' in page
        assert f'<link rel="canonical" href="{servers[0].origin}{NEW}">' in page  # built for the first server
        assert f'<a href="{NEW}">Batteries Carry the Grid</a>' in page
        assert '<meta name="robots" content="noindex">' in page
        assert "<title>Moved: Batteries Carry the Grid</title>" in page
    assert plain.get(NEW)[0] == 200


def test_the_redirect_pages_are_valid_html(servers, node_tool):
    _, _, out = servers
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    pages = [out / "2024/01/grid/index.html", out / "news/grid-batteries.html", out / "categories/energy/index.html"]
    assert all(p.is_file() for p in pages)
    result = subprocess.run(
        [java, "-jar", str(vnu), "--stdout", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    assert [f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}" for m in messages] == []
    assert result.returncode == 0
