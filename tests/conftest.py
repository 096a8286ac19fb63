"""Shared fixtures: the sample site built once, a loopback HTTP server, headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import REPO, TESTS, ServeProcess

from brief.build import BuildOptions, build
from brief.config import load_config

SYSTEM = TESTS / "system"
# A deploy setting in the developer's shell must not change what the tests build.
os.environ.pop("BRIEF_BASE_URL", None)
# Pinned build time: the sample's newest article is dated 2026-11-18.
BUILD_TIME = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# An article of the sample site (content/ARTICLE_FILE, published at ARTICLE_URL), edited by the serve tests.
ARTICLE_FILE = "small-business-credit-squeeze.md"
ARTICLE_URL = "/2026/11/small-business-credit-squeeze/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.hookimpl(tryfirst=True)  # before -m deselects anything
def pytest_collection_modifyitems(items):
    """Every test under tests/system/ carries the ``system`` marker: ``pytest -m "not system"``
    is the fast subset, with no browser, HTML validator, nginx or node_modules."""
    for item in items:
        if item.path.resolve().is_relative_to(SYSTEM):
            item.add_marker(pytest.mark.system)


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The repository's sample publication, built once into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "public"
    build(load_config(REPO), out, BuildOptions(now=BUILD_TIME))
    return out


@pytest.fixture
def start_server():
    """Start ``brief serve`` processes; every one is stopped when the test ends."""
    started: list[ServeProcess] = []

    def start(site: Path, *args: str, port: int = 0, ready: bool = True) -> ServeProcess:
        server = ServeProcess(site, *args, port=port)
        started.append(server)
        return server.wait_ready() if ready else server

    yield start
    for server in started:
        server.stop()
    for server in started:  # a dropped connection or a bad request is no reason for a traceback
        assert "Traceback" not in server.stderr, server.stderr


@pytest.fixture
def sample_site(tmp_path) -> Path:
    """A copy of the repository's sample publication, free to edit."""
    site = tmp_path / "site"
    site.mkdir()
    for name in ("content", "static", "templates"):
        shutil.copytree(REPO / name, site / name)
    shutil.copy2(REPO / "brief.toml", site / "brief.toml")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        """A browser that drops a connection it no longer needs (BrokenPipeError, mid-file)
        is no error of the test's; anything else is printed as the standard library does."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 (a real server, loopback only); yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def sample_url(sample_output) -> Iterator[str]:
    """The built sample site, served."""
    with serve(sample_output) as url:
        yield url


@pytest.fixture(scope="session")
def edge_url(tmp_path_factory) -> Iterator[str]:
    """tests/sites/edge (awkward input: non-Latin names, decorative image, raw HTML), built and served."""
    out = tmp_path_factory.mktemp("edge") / "public"
    build(load_config(TESTS / "sites" / "edge"), out, BuildOptions(now=BUILD_TIME))
    with serve(out) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never Playwright's own download)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run 'make test', which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def node_tool():
    """Path of a file inside node_modules (installed by 'make test')."""

    def find(relative: str) -> Path:
        path = REPO / "node_modules" / relative
        if not path.exists():
            pytest.fail(f"{path} is missing: run 'make test', which runs npm ci")
        return path

    return find


def copy_site(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst
