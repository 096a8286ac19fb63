"""Proof on a real server: the sample site under /briefs/ on Debian's nginx.

The site is built with the real CLI for ``http://127.0.0.1:PORT/briefs/`` and served
by nginx on 127.0.0.1 with the configuration README.md documents ("nginx, under a
sub-path"), taken from the README itself so the two cannot drift apart. Then:

- a crawl from /briefs/ follows every link, asset, srcset, feed and sitemap entry on
  the same host: each answers 200 with a sensible Content-Type and the documented
  Cache-Control, and none leaves /briefs/;
- misses answer 404 with the site's own 404 page;
- in headless Chromium, a search for a word of an article's body finds that
  article, from the search page and from the header's search box.

nginx is installed from Debian when missing (``make test-deps`` does it too); the
tests fail, saying why, when it cannot be.
"""

from __future__ import annotations

import contextlib
import html.parser
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from helpers import REPO

NGINX = "/usr/sbin/nginx"
PREFIX = "/briefs/"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# Names the README says may be cached for a year: content-hashed files, Pagefind's index chunks.
HASHED = re.compile(r"\.[0-9a-f]{8,}\.(?:css|js|webp|avif|png|jpe?g|gif|svg)$|/pagefind/.+\.pf_[a-z]+$")
# A word of the sample article's body (not its title, dek or takeaways) that no other article holds.
SEARCH_WORD = "fodder"
SEARCH_ARTICLE = (
    "river-basin-water-pricing.md",
    "A River Basin Tries Pricing Its Way Out of Drought",
    "2026/09/river-basin-water-pricing/",
)
MAX_URLS = 3000  # the crawl's bound: the sample has a few hundred


# --- nginx ------------------------------------------------------------------------------


def _nginx_binary() -> str:
    """nginx's path, installing Debian's package when it is missing; fails when it cannot be had."""
    found = shutil.which("nginx") or (NGINX if os.access(NGINX, os.X_OK) else None)
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.fail(
            f"nginx is not installed ({NGINX}) and cannot be installed here (needs root and apt-get): "
            "run 'make test-deps' or 'apt-get install nginx'"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx"]
    result = subprocess.run(install, capture_output=True, text=True, env=env, timeout=600, check=False)
    if result.returncode != 0:  # a stale package list: refresh it once and try again
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, text=True, env=env, timeout=600, check=False)
        result = subprocess.run(install, capture_output=True, text=True, env=env, timeout=600, check=False)
    if not os.access(NGINX, os.X_OK):
        pytest.fail(
            f"nginx is missing and 'apt-get install nginx' failed (exit {result.returncode}): "
            f"{(result.stderr or result.stdout).strip()[-400:]}"
        )
    return NGINX


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def readme_nginx_locations() -> str:
    """The nginx ``location`` blocks of README.md's "nginx, under a sub-path" section."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```nginx\n(.*?)```", readme, re.DOTALL) if "location /briefs/" in b]
    assert len(blocks) == 1, "README.md should hold exactly one ```nginx block with 'location /briefs/'"
    block = blocks[0]
    assert "alias /srv/www/briefs/;" in block, "the README's nginx block should serve /srv/www/briefs/"
    assert f'"{IMMUTABLE}"' in block and f'"{REVALIDATE}"' in block
    return block


def nginx_conf(prefix: Path, out: Path, port: int) -> str:
    """A whole nginx.conf: Debian's stock http settings, every path in ``prefix``, README's locations."""
    user = "user www-data www-data;\n" if os.geteuid() == 0 else ""  # the master drops root for its worker
    temp = "".join(
        f"    {kind}_temp_path {prefix / 'temp' / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    locations = readme_nginx_locations().replace("/srv/www/briefs/", f"{out}/")
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "error.log"} warn;
events {{ worker_connections 64; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {prefix / "access.log"};
    gzip on;
{temp}
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
{locations}
    }}
}}
"""


@dataclass
class Deployed:
    origin: str  # http://127.0.0.1:PORT
    base: str  # http://127.0.0.1:PORT/briefs/
    out: Path  # the built site nginx serves
    port: int

    def get(self, path: str, method: str = "GET", headers: dict | None = None) -> tuple[int, dict, bytes]:
        """One request to nginx; redirects are not followed. Returns (status, headers in lowercase, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


def _build(out: Path, base_url: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BRIEF_BASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "brief",
            "build",
            "--site",
            str(REPO),
            "--output",
            str(out),
            "--base-url",
            base_url,
            "--future",
            "--no-cache",
            "-q",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, "NO_COLOR": "1"},
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"brief build failed:\n{result.stdout}{result.stderr}"


def _stop(proc: subprocess.Popen) -> None:
    """Stop the nginx this module started: gracefully, else with SIGKILL to its own process
    group (master and worker; nginx runs in a session of its own, so nothing else is in it)."""
    crashed = proc.poll() is not None  # its worker may be left behind in the group
    if not crashed:
        proc.send_signal(signal.SIGQUIT)  # graceful: the master waits for its worker, then exits
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            crashed = True
    if crashed:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    if proc.stdout is not None:
        proc.stdout.close()


def _start(nginx: str, prefix: Path, conf: Path) -> subprocess.Popen:
    args = [nginx, "-p", f"{prefix}/", "-c", str(conf), "-e", str(prefix / "error.log")]
    tested = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30, check=False)
    assert tested.returncode == 0, f"nginx rejects the configuration:\n{tested.stderr}\n{conf.read_text()}"
    return subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )


@pytest.fixture(scope="module")
def deployed() -> Iterator[Deployed]:
    nginx = _nginx_binary()
    # Not pytest's tmp_path: root's is mode 0700, and nginx's worker runs as www-data.
    root = Path(tempfile.mkdtemp(prefix="brief-nginx-"))
    root.chmod(0o755)
    proc = None
    try:
        for attempt in range(3):  # another program may take the free port before nginx binds it
            port = _free_port()
            base = f"http://127.0.0.1:{port}{PREFIX}"
            out = root / "public"
            shutil.rmtree(out, ignore_errors=True)
            _build(out, base)
            prefix = root / "nginx"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
                (prefix / "temp" / kind).mkdir(parents=True, exist_ok=True)
            conf = prefix / "nginx.conf"
            conf.write_text(nginx_conf(prefix, out, port), encoding="utf-8")
            proc = _start(nginx, prefix, conf)
            site = Deployed(f"http://127.0.0.1:{port}", base, out, port)
            deadline = time.monotonic() + 15
            while proc.poll() is None and time.monotonic() < deadline:
                with contextlib.suppress(OSError):
                    if site.get(PREFIX)[0] == 200:
                        break
                time.sleep(0.05)
            if proc.poll() is None:
                break
            log = (prefix / "error.log").read_text(errors="replace") if (prefix / "error.log").exists() else ""
            if "Address already in use" not in log or attempt == 2:
                pytest.fail(
                    f"nginx exited with {proc.returncode}:\n{proc.stdout.read().decode(errors='replace')}\n{log}"
                )
        assert site.get(PREFIX)[0] == 200, "nginx did not answer on /briefs/ within 15 s"
        yield site
    finally:
        if proc is not None:
            _stop(proc)
        shutil.rmtree(root, ignore_errors=True)


# --- the crawl --------------------------------------------------------------------------


class _Refs(html.parser.HTMLParser):
    """Every URL an HTML page names: href, src, srcset, action, poster, and meta content URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in ("href", "src", "action", "poster", "data-src"):
            if a.get(name):
                self.urls.append(a[name])
        for name in ("srcset", "imagesrcset"):
            if a.get(name):
                self.urls += [part.strip().split()[0] for part in a[name].split(",") if part.strip()]
        if tag == "meta" and (a.get("content") or "").startswith(("http://", "https://", "/")):
            self.urls.append(a["content"])


def _absolute_urls(text: str, origin: str) -> list[str]:
    """URLs of ``origin`` written out anywhere in a text: JSON-LD, feeds, sitemaps, robots.txt."""
    return re.findall(re.escape(origin) + r"""[^\s"'<>\\)]*""", text)


def _css_urls(text: str) -> list[str]:
    return [u.strip("'\"") for u in re.findall(r"url\(\s*([^)]+?)\s*\)", text)]


def _expected_types(path: str) -> set[str]:
    """The Content-Types a file of this path may be sent with."""
    if path.endswith(("/", ".html")):
        return {"text/html"}
    if path.endswith("/feed.xml"):
        return {"application/atom+xml"}
    suffix = Path(path).suffix.lower()
    table = {
        ".css": {"text/css"},
        ".js": {"application/javascript", "text/javascript"},
        ".svg": {"image/svg+xml"},
        ".xml": {"application/xml", "text/xml"},
        ".json": {"application/json"},
        ".txt": {"text/plain"},
        ".png": {"image/png"},
        ".jpg": {"image/jpeg"},
        ".jpeg": {"image/jpeg"},
        ".gif": {"image/gif"},
        ".webp": {"image/webp"},
        ".avif": {"image/avif"},
        ".ico": {"image/x-icon", "image/vnd.microsoft.icon"},
        ".woff2": {"font/woff2"},
        ".wasm": {"application/wasm"},
    }
    if suffix in table:
        return table[suffix]
    if "/pagefind/" in path:  # Pagefind's binary index files
        return {"application/octet-stream"}
    return set()


@pytest.fixture(scope="module")
def crawl(deployed) -> dict[str, tuple[int, dict, bytes]]:
    """Every same-host URL reachable from /briefs/ (and from robots.txt, which names the sitemaps)
    → (status, headers, body)."""
    seen: dict[str, tuple[int, dict, bytes]] = {}
    escaped: list[tuple[str, str]] = []
    queue = [PREFIX + "robots.txt", PREFIX]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        assert len(seen) < MAX_URLS, "the crawl found more URLs than the sample site can have"
        status, headers, body = seen[path] = deployed.get(path)
        if status != 200:
            continue
        media = headers.get("content-type", "").split(";")[0].strip()
        textual = media.startswith(("text/", "application/")) and "octet" not in media
        text = body.decode("utf-8", errors="replace") if textual else ""
        found: list[str] = []
        if media == "text/html":
            refs = _Refs()
            refs.feed(text)
            found += refs.urls
        if media == "text/css":
            found += _css_urls(text)
        found += _absolute_urls(text, deployed.origin)
        for url in found:
            target = urljoin(deployed.origin + path, url)
            parts = urlsplit(target)
            if parts.scheme not in ("http", "https") or parts.netloc != urlsplit(deployed.origin).netloc:
                continue  # another host, mailto:, data:
            target_path = parts.path + (f"?{parts.query}" if parts.query else "")
            if not parts.path.startswith(PREFIX):
                escaped.append((path, url))
                continue
            if target_path not in seen:
                queue.append(target_path)
    assert escaped == [], f"internal URLs outside {PREFIX}: {escaped[:10]}"
    return seen


def test_every_internal_url_answers_200_with_a_sensible_type(crawl):
    failed = {path: status for path, (status, _, _) in crawl.items() if status != 200}
    assert failed == {}
    wrong = {}
    for path, (_, headers, _) in crawl.items():
        media = headers.get("content-type", "").split(";")[0].strip()
        expected = _expected_types(urlsplit(path).path)
        if media not in expected:
            wrong[path] = (media, sorted(expected) or "no type expected: add this kind of file to _expected_types")
    assert wrong == {}
    kinds = {headers["content-type"].split(";")[0] for _, headers, _ in crawl.values()}
    assert {"text/html", "text/css", "image/svg+xml", "application/atom+xml", "application/json"} <= kinds
    assert kinds & {"application/javascript", "text/javascript"}
    pages = [p for p, (_, h, _) in crawl.items() if h["content-type"].startswith("text/html")]
    assert len(pages) > 40, f"only {len(pages)} pages reached from {PREFIX}"


def test_every_built_page_is_reachable(crawl, deployed):
    built = {
        PREFIX + p.relative_to(deployed.out).as_posix().removesuffix("index.html")
        for p in deployed.out.rglob("*.html")
        if p.name != "404.html"
    }
    crawled = {urlsplit(p).path for p in crawl}
    assert sorted(built - crawled) == []


def test_cache_headers_as_documented(crawl):
    hashed_css = [p for p in crawl if re.search(r"/css/[^/]+\.[0-9a-f]{8}\.css$", p)]
    assert hashed_css, "no content-hashed stylesheet linked from the pages"
    assert [p for p in crawl if re.search(r"/js/[^/]+\.[0-9a-f]{8}\.js$", p)], "no content-hashed script linked"
    wrong = {}
    for path, (_, headers, _) in crawl.items():
        expected = IMMUTABLE if HASHED.search(urlsplit(path).path) else REVALIDATE
        if headers.get("cache-control") != expected:
            wrong[path] = (headers.get("cache-control"), expected)
    assert wrong == {}
    assert all("etag" in h and "last-modified" in h for _, h, _ in crawl.values()), "revalidation needs validators"


def test_revalidation_answers_304(deployed, crawl):
    _, headers, _ = crawl[PREFIX]
    status, _, body = deployed.get(PREFIX, headers={"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")


def test_misses_get_the_sites_404_page(deployed):
    page = (deployed.out / "404.html").read_bytes()
    for path in (
        PREFIX + "nope/",
        PREFIX + "2026/09/no-such-brief/",
        PREFIX + "css/brief.00000000.css",
        PREFIX + "feed.xml/x",
        PREFIX + "pagefind/fragment/en_0000000.pf_fragment",
    ):
        status, headers, body = deployed.get(path)
        assert status == 404, path
        assert headers["content-type"].startswith("text/html"), path
        assert body == page, f"{path} did not get the site's 404 page"
    assert b"<h1" in page and PREFIX.encode() in page  # the real page, linking back into the site


def test_folders_redirect_to_their_slash(deployed):
    status, headers, _ = deployed.get("/briefs")
    assert status == 301 and headers["location"].endswith(PREFIX)
    status, headers, _ = deployed.get(PREFIX + "archive")
    assert status == 301 and urlsplit(headers["location"]).path == PREFIX + "archive/"
    status, _, _ = deployed.get(PREFIX + "archive/")
    assert status == 200


def test_outside_the_sub_path_nothing_is_served(deployed):
    for path in ("/", "/index.html", "/feed.xml", PREFIX + "../brief.toml", "/briefs/%2e%2e/brief.toml"):
        status, _, body = deployed.get(path)
        assert status in (400, 404), path
        assert b"Meridian" not in body, path


def test_feeds_and_sitemap_name_the_deployed_address(crawl, deployed):
    feed = crawl[PREFIX + "feed.xml"][2].decode()
    assert f'href="{deployed.base}feed.xml"' in feed
    sitemap = crawl[PREFIX + "sitemap.xml"][2].decode()
    assert f"<loc>{deployed.base}{SEARCH_ARTICLE[2]}</loc>" in sitemap


# --- search in a browser ----------------------------------------------------------------


def _watch(page, deployed) -> list[str]:
    """What goes wrong as the page loads: same-host responses with an error status, and
    responses (Pagefind's index chunks among them) without the documented Cache-Control."""
    problems: list[str] = []

    def check(response) -> None:
        if not response.url.startswith(deployed.origin):
            return
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")
        elif response.status == 200:
            expected = IMMUTABLE if HASHED.search(urlsplit(response.url).path) else REVALIDATE
            if response.headers.get("cache-control") != expected:
                got = response.headers.get("cache-control")
                problems.append(f"{response.url}: Cache-Control {got!r}, expected {expected!r}")

    page.on("response", check)
    return problems


def _results(page) -> list[tuple[str, str]]:
    # Pagefind's UI first shows each result as a loading skeleton, then fills in its link once
    # the result's fragment has arrived: wait for every shown result to have its link.
    page.wait_for_function(
        "() => { const r = document.querySelectorAll('.pagefind-ui__result');"
        " return r.length > 0 && [...r].every(e => e.querySelector('.pagefind-ui__result-link')); }",
        timeout=20_000,
    )
    links = page.locator(".pagefind-ui__result-link")
    return [(links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href")) for i in range(links.count())]


def test_search_word_is_in_the_article_body_only():
    """The search tests' premise: the word is in one article's text, so a hit proves the index works."""
    holders = [p.name for p in (REPO / "content").glob("*.md") if SEARCH_WORD in p.read_text(encoding="utf-8").lower()]
    assert holders == [SEARCH_ARTICLE[0]]
    assert SEARCH_WORD not in SEARCH_ARTICLE[1].lower()


def test_search_page_finds_the_article(browser, deployed):
    context = browser.new_context()
    page = context.new_page()
    failures = _watch(page, deployed)
    try:
        page.goto(f"{deployed.base}search/?q={SEARCH_WORD}")
        results = _results(page)
        titles = [title for title, _ in results]
        assert SEARCH_ARTICLE[1] in titles, f"results for {SEARCH_WORD!r}: {titles}"
        href = dict(results)[SEARCH_ARTICLE[1]]
        target = urljoin(page.url, href)
        assert urlsplit(target).path == PREFIX + SEARCH_ARTICLE[2], href
        assert all(urlsplit(urljoin(page.url, h)).path.startswith(PREFIX) for _, h in results)
        page.click(f".pagefind-ui__result-link[href='{href}']")
        page.wait_for_url(target)
        assert page.inner_text("h1") == SEARCH_ARTICLE[1]
        assert failures == []
    finally:
        context.close()


def test_header_search_box_leads_to_results(browser, deployed):
    context = browser.new_context()
    page = context.new_page()
    failures = _watch(page, deployed)
    try:
        page.goto(deployed.base)
        box = page.locator("header form[role=search] input[name=q], form[role=search] input[name=q]").first
        box.fill(SEARCH_WORD)
        box.press("Enter")
        page.wait_for_url(re.compile(re.escape(f"{deployed.base}search/") + r"\?q=" + SEARCH_WORD + "$"))
        titles = [title for title, _ in _results(page)]
        assert SEARCH_ARTICLE[1] in titles, f"results for {SEARCH_WORD!r}: {titles}"
        assert failures == []
    finally:
        context.close()


def test_search_form_works_without_javascript(browser, deployed):
    """With JavaScript off the header form is a plain GET to /briefs/search/?q=…"""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(deployed.base)
        box = page.locator("form[role=search] input[name=q]").first
        box.fill(SEARCH_WORD)
        box.press("Enter")
        page.wait_for_url(f"{deployed.base}search/?q={SEARCH_WORD}")
        assert unquote(urlsplit(page.url).query) == f"q={SEARCH_WORD}"
    finally:
        context.close()
