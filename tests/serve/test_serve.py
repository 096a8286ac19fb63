"""``brief serve`` for real: a server in a subprocess, raw sockets.

The server is loopback-only, read-only and serves nothing outside the build; Ctrl-C,
a busy port, bursts of file events and as many event-stream clients as it allows (64)
are handled. Host and Origin checks are in test_serve_hosts.py, slow, idle and flooding
clients in test_serve_limits.py, accented paths in test_serve_unicode.py and saves in two
steps in test_serve_saves.py.
What needs headless Chromium (live reload keeps the scroll position, problems show over
the page and go away when fixed, CSS is swapped without a navigation, save-to-screen
speed) is in tests/system/test_serve_browser.py. The server in a subprocess is
helpers.ServeProcess; the fixtures start_server and sample_site are in conftest.py.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import http.client
import json
import os
import re
import selectors
import signal
import socket
import struct
import sys
import threading
import time

import pytest
from conftest import ARTICLE_URL
from helpers import article, atomic_write, make_site, run_build

SECRETS = (b"[publisher]", b"per_page", b"root:x:0:0", b"TOP-SECRET-TOKEN")


# --- HTTP without a client library's help ---------------------------------------------------


def raw_request(
    port: int, target: str, method: str = "GET", host: str = "127.0.0.1"
) -> tuple[int, dict[str, str], bytes]:
    """Send ``target`` byte for byte (no normalisation); return status, headers, body."""
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(
            f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode("latin-1")
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def get(port: int, path: str, method: str = "GET", body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body)
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


class EventStreams:
    """Many clients of /__brief/events, read by one selector thread; events kept per client."""

    def __init__(self, port: int, count: int, strict: bool = True) -> None:
        self.selector = selectors.DefaultSelector()
        self.strict = strict
        """When set, any answer but a 200 event stream is an error; else see ``status``."""
        self.status: list[int | None] = [None] * count
        self.events: list[list[tuple[str, str]]] = [[] for _ in range(count)]
        self._buffers = [b""] * count
        self._lock = threading.Lock()
        self._closed = False
        self.errors: list[str] = []
        self.sockets = []
        for i in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(
                f"GET /__brief/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n".encode()
            )
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ, i)
            self.sockets.append(sock)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._closed:
            for key, _ in self.selector.select(0.1):
                try:
                    chunk = key.fileobj.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    chunk = b""
                if not chunk:
                    self.selector.unregister(key.fileobj)
                    continue
                self._feed(key.data, chunk)

    def _feed(self, i: int, chunk: bytes) -> None:
        buffer = self._buffers[i] + chunk
        if b"\r\n\r\n" in buffer and buffer.startswith(b"HTTP/"):
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            self.status[i] = int(head.split(b" ")[1])
            if self.strict and (self.status[i] != 200 or b"text/event-stream" not in head):
                self.errors.append(head.decode("latin-1"))
        *blocks, buffer = buffer.split(b"\n\n")
        self._buffers[i] = buffer
        with self._lock:
            for block in blocks:
                name, data = "message", []
                for line in block.decode().split("\n"):
                    if line.startswith("event:"):
                        name = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
                if data:
                    self.events[i].append((name, "\n".join(data)))

    def names(self, i: int) -> list[str]:
        with self._lock:
            return [name for name, _ in self.events[i]]

    def wait_all(self, predicate, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert not self.errors, self.errors[0]
            missing = [i for i in range(len(self.events)) if not predicate(self.names(i))]
            if not missing:
                return
            assert time.monotonic() < deadline, (
                f"{len(missing)} clients never got {what}; e.g. {self.names(missing[0])}"
            )
            time.sleep(0.05)

    def close(self) -> None:
        self._closed = True
        self._thread.join(5)
        for sock in self.sockets:
            sock.close()
        self.selector.close()


def thread_count(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def other_local_addresses() -> set[str]:
    """Addresses of this machine other than 127.0.0.1 (all of 127/8 is local on Linux)."""
    found = {"127.0.0.2"} if sys.platform.startswith("linux") else set()
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 9))  # no packet is sent; picks the outgoing address
            found.add(probe.getsockname()[0])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    return {a for a in found if a != "127.0.0.1" and a != "0.0.0.0"}


# --- 2. safety -----------------------------------------------------------------------------


def test_loopback_only_by_default(sample_site, start_server):
    server = start_server(sample_site)
    assert server.host == "127.0.0.1", server.stderr
    assert "reachable from other machines" not in server.stderr
    assert get(server.port, "/")[0] == 200
    for address in sorted(other_local_addresses()):
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=2).close()


def test_methods_types_and_headers(sample_site, start_server):
    port = start_server(sample_site).port
    expected = {
        "/": "text/html",
        ARTICLE_URL: "text/html",
        "/css/brief.css": "text/css",
        "/images/logo.svg": "image/svg+xml",
        "/feed.xml": ("application/xml", "text/xml"),
        "/sitemap.xml": ("application/xml", "text/xml"),
    }
    for path, ctype in expected.items():
        status, headers, body = get(port, path)
        assert status == 200, path
        assert headers["content-type"].split(";")[0].strip() in ((ctype,) if isinstance(ctype, str) else ctype), (
            path,
            headers,
        )
        assert headers["cache-control"] == "no-store", path
        assert int(headers["content-length"]) == len(body) > 0
        head_status, head_headers, head_body = get(port, path, "HEAD")
        assert head_status == 200 and head_body == b""
        assert {k: v for k, v in head_headers.items() if k != "date"} == {
            k: v for k, v in headers.items() if k != "date"
        }, path
        # Raw HEAD as well: the server itself sends no body (http.client would drop one).
        raw_status, raw_headers, raw_body = raw_request(port, path, "HEAD")
        assert (raw_status, raw_body, raw_headers["content-length"]) == (200, b"", str(len(body)))

    # Pages served here carry the live-reload script; `brief build` output never does (test below).
    assert b"/__brief/live.js" in get(port, "/")[2]

    # A missing page: the site's own 404 page, with status 404, for GET and HEAD.
    status, headers, body = get(port, "/no/such/page/")
    assert status == 404 and b"Page not found" in body
    assert headers["cache-control"] == "no-store" and headers["content-type"].startswith("text/html")
    status, head_headers, head_body = get(port, "/no/such/page/", "HEAD")
    assert status == 404 and head_body == b"" and head_headers["content-length"] == str(len(body))

    # Read-only: anything else is 405, and a request body does not leak into the next request.
    for method in ("POST", "PUT", "DELETE"):
        status, headers, _ = get(port, "/", method, body=b"x=1&y=2")
        assert status == 405, method
        assert headers["cache-control"] == "no-store", (method, headers)
        assert "GET" in headers.get("allow", ""), headers
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/", body=b"GET /secret HTTP/1.1\r\n\r\n")
        first = conn.getresponse()
        first.read()
        conn.request("GET", "/")
        second = conn.getresponse()
        assert (first.status, second.status) == (405, 200)
        second.read()
    finally:
        conn.close()

    # A client that resets its connection mid-request (a closed tab) is not an error
    # (the fixture checks that no traceback reached the terminal).
    for partial in (b"", b"GET / HTTP/1.1\r\nHost: x\r\n"):
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(partial + b"x")
        time.sleep(0.05)
        sock.close()  # linger 0: RST instead of FIN
    assert get(port, "/")[0] == 200

    # The event stream says no-store too, and is text/event-stream.
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"GET /__brief/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        data = b""
        while b"event:" not in data:
            data += sock.recv(4096)
    head = data.partition(b"\r\n\r\n")[0].lower()
    assert b"content-type: text/event-stream" in head and b"cache-control: no-store" in head
    assert b"event: hello" in data


TRAVERSALS = [
    "/../brief.toml",
    "/%2e%2e/brief.toml",
    "/%2E%2E/brief.toml",
    "/%252e%252e/brief.toml",
    "/..%5cbrief.toml",
    "/..\\brief.toml",
    "/..%2fbrief.toml",
    "/.%2e/brief.toml",
    "/%2e%2e%2fbrief.toml",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/%2Fetc%2Fpasswd",
    "/../../../../../../etc/passwd",
    "/static/../../brief.toml",
    "/css/../../brief.toml",
    "/css/%2e%2e/%2e%2e/brief.toml",
    "/content/small-business-credit-squeeze.md",
    "/brief.toml",
    "/static/css/brief.css",
    "/index.html%00.css",
    "/%00",
    "/css/",
    "/images/",
    "/2026/",
]


def test_nothing_outside_the_build_is_served(sample_site, start_server, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("TOP-SECRET-TOKEN\n", encoding="utf-8")
    server = start_server(sample_site)
    port = server.port
    for target in TRAVERSALS + ["/../outside/secret.txt", "/%2e%2e/%2e%2e/outside/secret.txt"]:
        status, headers, body = raw_request(port, target)
        assert status == 404, (target, status)
        assert not any(secret in body for secret in SECRETS), target
        assert headers["cache-control"] == "no-store", target

    # A static file that is fine first, then replaced by a symlink leading out of the site,
    # plus a new symlink: the build refuses both, and the server serves neither.
    notes = sample_site / "static" / "notes.txt"
    notes.write_text("harmless notes\n", encoding="utf-8")
    builds = server.wait_rebuilds(1)
    assert get(port, "/notes.txt")[2] == b"harmless notes\n"

    streams = EventStreams(port, 1)
    try:
        streams.wait_all(lambda names: "hello" in names, 10, "hello")
        link = sample_site / "static" / ".notes.txt.link"
        link.symlink_to(outside / "secret.txt")
        os.replace(link, notes)
        (sample_site / "static" / "leak.txt").symlink_to(outside / "secret.txt")
        streams.wait_all(
            lambda names: "problems" in names and "leak.txt" in json.dumps(streams.events[0]),
            10,
            "the problems of both symlinks",
        )
        problems = json.loads([data for name, data in streams.events[0] if name == "problems"][-1])["problems"]
        assert any(p["where"] == "static/leak.txt" and "symlink" in p["what"] for p in problems), problems
        assert any(p["where"] == "static/notes.txt" and "symlink" in p["what"] for p in problems), problems
        assert b"TOP-SECRET" not in json.dumps(problems).encode()  # no excerpt of a file outside the site
    finally:
        streams.close()
    server.wait_for(r"static/leak\.txt: .*symlink", timeout=5)
    assert server.rebuilds() == builds  # no successful build since
    for target in ("/leak.txt", "/notes.txt", "/%6eotes.txt"):
        status, _, body = raw_request(port, target)
        assert status == 404, target
        assert b"TOP-SECRET" not in body, target
    status, _, body = get(port, "/")
    assert status == 200 and b"The Meridian Brief" in body  # the last good site is still served


# --- 3, 4, 5. host warning, busy port, Ctrl-C ------------------------------------------------


def test_any_address_warns(tmp_path, start_server):
    site = make_site(tmp_path, {"content/a.md": article()})
    server = start_server(site, "--host", "0.0.0.0")
    assert "reachable from other machines" in server.stderr
    assert get(server.port, "/")[0] == 200
    for address in sorted(other_local_addresses()):  # what the loopback-only test refuses works here
        socket.create_connection((address, server.port), timeout=2).close()
    server.stop()
    assert server.proc.returncode == 0, server.stderr


def test_busy_port_names_a_free_one(tmp_path, start_server):
    site = make_site(tmp_path, {"content/a.md": article()})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        server = start_server(site, port=busy, ready=False)
        assert server.proc.wait(30) == 1
        server.stop()
    match = re.search(
        r"Error: port (\d+) on 127\.0\.0\.1 is already in use; try 'brief serve --port (\d+)'", server.stderr
    )
    assert match, server.stderr
    assert int(match.group(1)) == busy
    suggested = int(match.group(2))
    assert suggested != busy
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", suggested))  # it really is free
    assert "Traceback" not in server.stderr


def _stop_with(signum: int, tmp_path, start_server) -> tuple[int, float, str]:
    """Start the preview with open event streams, send ``signum``; (exit code, seconds to stop, stderr)."""
    site = make_site(tmp_path, {"content/a.md": article()})
    server = start_server(site)
    streams = EventStreams(server.port, 3)  # open event streams do not hold the server up
    try:
        streams.wait_all(lambda names: "hello" in names, 10, "hello")
        started = time.monotonic()
        server.proc.send_signal(signum)
        code = server.proc.wait(5)
        elapsed = time.monotonic() - started
    finally:
        streams.close()
    server.stop()
    return code, elapsed, server.stderr


def test_ctrl_c_stops_quickly_and_cleanly(tmp_path, start_server):
    code, elapsed, stderr = _stop_with(signal.SIGINT, tmp_path, start_server)
    assert code == 0, stderr
    assert elapsed < 1.0, f"took {elapsed:.2f} s to stop"
    assert "Traceback" not in stderr


def test_sigterm_stops_like_ctrl_c(tmp_path, start_server):
    """A service manager or `kill` (SIGTERM) stops the preview cleanly too, streams open."""
    code, elapsed, stderr = _stop_with(signal.SIGTERM, tmp_path, start_server)
    assert code == 0, stderr
    assert elapsed < 1.0, f"took {elapsed:.2f} s to stop"
    assert "Stopped." in stderr and "Traceback" not in stderr


# --- 6. debounce ---------------------------------------------------------------------------


@pytest.mark.slow
def test_bursts_and_editor_leftovers_are_debounced(tmp_path, start_server):
    site = make_site(tmp_path, {"content/a.md": article("First version.\n", title="Alpha", slug="a")})
    server = start_server(site)
    content = site / "content"
    initial = server.rebuilds()
    assert initial == 1

    # Editor leftovers alone: no rebuild.
    for name in (".a.md.swp", "a.md~", "4913", ".#a.md"):
        (content / name).write_text("junk\n", encoding="utf-8")
    (content / "4913").unlink()
    time.sleep(1.0)  # more than ten debounce periods
    assert server.rebuilds() == initial, server.stderr

    # 500 new articles as fast as possible, then a vim-style save of a.md.
    (content / "burst").mkdir()
    for i in range(500):
        (content / "burst" / f"story-{i}.md").write_text(
            article(f"Burst body {i}.\n", title=f"Burst story {i}", slug=f"story-{i}"), encoding="utf-8"
        )
    os.rename(content / "a.md", content / "a.md~")
    (content / "4913").write_text("", encoding="utf-8")
    (content / "4913").unlink()
    (content / ".a.md.swp").write_text("swap\n", encoding="utf-8")
    (content / "a.md").write_text(article("Second version.\n", title="Alpha", slug="a"), encoding="utf-8")
    (content / "a.md~").unlink()
    (content / ".a.md.swp").unlink()

    # Let things settle: no new rebuild for 2 s.
    server.wait_rebuilds(initial, timeout=30)
    deadline = time.monotonic() + 40
    seen, quiet_since = server.rebuilds(), time.monotonic()
    while time.monotonic() - quiet_since < 2.0:
        assert time.monotonic() < deadline, server.stderr
        time.sleep(0.05)
        if server.rebuilds() != seen:
            seen, quiet_since = server.rebuilds(), time.monotonic()
    assert 1 <= seen - initial <= 2, f"{seen - initial} rebuilds:\n{server.stderr}"
    # The last build saw everything.
    assert get(server.port, "/2024/01/story-499/")[0] == 200
    assert b"Second version." in get(server.port, "/2024/01/a/")[2]


# --- 7. load -------------------------------------------------------------------------------


@pytest.mark.slow
def test_64_event_streams_then_refusals_and_pages_meanwhile(tmp_path, start_server):
    """64 live-reload clients (the cap) hold no thread each; the 65th gets a 503 that says why
    and the terminal says so once; pages are served meanwhile; a save reaches each stream
    exactly once; a client that leaves frees its place at once."""
    site = make_site(
        tmp_path,
        {
            "content/a.md": article("First.\n", title="Alpha", slug="a"),
            "content/b.md": article("Other.\n", title="Beta", slug="b"),
        },
        config="search = false\n",
    )
    server = start_server(site, "-v")
    pid, port = server.proc.pid, server.port
    baseline = thread_count(pid)
    streams = EventStreams(port, 64)
    extra = None
    try:
        streams.wait_all(lambda names: names[:1] == ["hello"], 20, "hello")
        assert thread_count(pid) == baseline, "an event stream must not hold a thread of its own"
        server.wait_for(r"Live reload: .* connected \(64 open\)")

        status, headers, body = raw_request(port, "/__brief/events")
        assert status == 503, (status, body)
        assert headers["retry-after"].isdigit() and headers["content-type"].startswith("text/plain")
        assert body.count(b"\n") == 1 and b"64 browsers" in body, body
        raw_request(port, "/__brief/events")
        server.wait_for(r"^Live reload: 64 browsers connected, the most allowed; refusing more")
        assert server.stderr.count("the most allowed") == 1, server.stderr

        # Pages are still served while 64 streams are open.
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(
                pool.map(
                    lambda i: get(port, ["/", "/2024/01/a/", "/2024/01/b/", "/css/brief.css"][i % 4])[0], range(100)
                )
            )
        assert statuses == [200] * 100

        before = server.rebuilds()
        atomic_write(site / "content" / "a.md", article("Second.\n", title="Alpha", slug="a"))
        streams.wait_all(lambda names: "reload" in names, 20, "reload")
        server.wait_rebuilds(before)
        time.sleep(1.0)  # a second reload would have arrived by now
        counts = {i: streams.names(i).count("reload") for i in range(64)}
        assert set(counts.values()) == {1}, {i: streams.names(i) for i, c in counts.items() if c != 1}
        assert all(streams.names(i) == ["hello", "reload"] for i in range(64))

        # A client that closes its stream frees its place within a moment.
        streams.sockets[0].close()
        server.wait_for(r"Live reload: .* gone \(63 open\)", timeout=5)
        extra = EventStreams(port, 1)
        extra.wait_all(lambda names: names[:1] == ["hello"], 5, "hello")
    finally:
        streams.close()
        if extra is not None:
            extra.close()

    assert get(port, "/2024/01/a/")[0] == 200
    server.wait_for(r"Live reload: .* gone \(0 open\)", timeout=5)
    assert thread_count(pid) == baseline
    assert b"Second." in get(port, "/2024/01/a/")[2]


# --- 8. the script is for the preview only ------------------------------------------------


def test_build_output_never_has_the_live_script(sample_site, tmp_path):
    out = tmp_path / "out"
    code, _, stderr = run_build(sample_site, "--output", str(out), "--drafts", "--future")
    assert code == 0, stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".html" for p in files)
    assert [p for p in files if b"__brief" in p.read_bytes()] == []
