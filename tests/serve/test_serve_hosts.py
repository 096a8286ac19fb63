"""``brief serve`` answers only requests for its own address (DNS rebinding) and from its own pages.

Hand-written requests over raw sockets: the Host and Origin headers are exactly what the
test writes, nothing a client library would add or fix.
"""

from __future__ import annotations

import socket

import pytest
from helpers import article, make_site

REFUSED_TARGETS = ("/", "/__brief/events", "/__brief/live-worker.js", "/__brief/live.js", "/2024/01/a/")


def exchange(port: int, target: str, headers: list[str], address: str = "127.0.0.1") -> tuple[int, dict, bytes]:
    """One request with exactly ``headers``; the status, headers and body (for an event stream:
    what arrived up to its first event)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect((address, port))
        sock.sendall((f"GET {target} HTTP/1.1\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode("latin-1"))
        data = b""
        while True:
            chunk = sock.recv(65536)
            data += chunk
            head, sep, body = data.partition(b"\r\n\r\n")
            if not chunk or (sep and b"text/event-stream" in head and b"\n\n" in body):
                break
            if sep and b"content-length:" in head.lower():
                length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
                if len(body) >= length:
                    break
    status_line, *lines = head.decode("latin-1").split("\r\n")
    fields = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    return int(status_line.split()[1]), fields, body


def host(value: str) -> list[str]:
    return [f"Host: {value}", "Connection: close"]


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path, {"content/a.md": article("Body text SITE-CONTENT.\n", slug="a")})


def assert_refused(port: int, headers: list[str], *must_say: str, address: str = "127.0.0.1") -> None:
    for target in REFUSED_TARGETS:
        status, fields, body = exchange(port, target, headers, address)
        assert status == 403, (target, headers, status, body)
        assert fields["content-type"] == "text/plain; charset=utf-8", fields
        assert fields["cache-control"] == "no-store"
        text = body.decode()
        assert text.endswith("\n") and text.count("\n") == 1, f"not one line: {text!r}"
        assert text.startswith("Forbidden: "), text
        assert "SITE-CONTENT" not in text and "live" not in text.lower().replace("live-worker", ""), text
        for words in must_say:
            assert words in text, (words, text)


def test_only_the_preview_s_own_host_is_answered(site, start_server):
    server = start_server(site)
    port = server.port
    for value in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        assert exchange(port, "/2024/01/a/", host(value))[0] == 200, value
        assert exchange(port, "/__brief/live-worker.js", host(value))[0] == 200, value
        status, fields, body = exchange(port, "/__brief/events", host(value))
        assert (status, fields["content-type"]) == (200, "text/event-stream"), value
        assert b"event: hello" in body

    expected = f"this preview answers only 127.0.0.1:{port}, localhost:{port} or [::1]:{port}"
    for value, allow in (
        ("evil.example", "--allow-host evil.example'"),
        (f"evil.example:{port}", "--allow-host evil.example'"),
        (f"127.0.0.1.nip.io:{port}", "--allow-host 127.0.0.1.nip.io'"),
        (f"localhost.evil.example:{port}", "--allow-host localhost.evil.example'"),
        (f"127.0.0.1:{port + 1}", f"--allow-host 127.0.0.1:{port + 1}'"),  # another port: a tunnel's
        ("127.0.0.1", "--allow-host 127.0.0.1'"),  # no port: port 80
        (f"10.0.0.1:{port}", "--allow-host 10.0.0.1'"),
    ):
        assert_refused(port, host(value), expected, f"not Host {value!r}", "DNS rebinding", allow)
    assert_refused(port, ["Connection: close"], "the request has no Host header", expected)
    assert_refused(port, host(""), "not Host ''")
    assert_refused(port, host(f"evil.example:{port}/x"), "not Host")

    # The terminal says it once per host, not once per request.
    refusals = [line for line in server.stderr.splitlines() if line.startswith("Refused a request:")]
    assert sum(f"'evil.example:{port}'" in line for line in refusals) == 1, refusals
    assert any("127.0.0.1.nip.io" in line and "--allow-host 127.0.0.1.nip.io" in line for line in refusals)


def test_a_request_from_another_origin_is_refused(site, start_server):
    port = start_server(site).port
    own = host(f"127.0.0.1:{port}")
    for origin in (f"http://127.0.0.1:{port}", f"http://localhost:{port}", f"http://[::1]:{port}"):
        status, _, body = exchange(port, "/__brief/events", [*own, f"Origin: {origin}"])
        assert status == 200 and b"event: hello" in body, origin
    for origin in (
        "http://evil.example",
        f"http://evil.example:{port}",
        f"http://127.0.0.1.nip.io:{port}",
        f"http://127.0.0.1:{port + 1}",
        "http://localhost",
        "null",
        "file://",
        f"ftp://127.0.0.1:{port}",
        "not an origin",
    ):
        assert_refused(port, [*own, f"Origin: {origin}"], f"a page from {origin!r} may not use this preview")


def test_allow_host_answers_a_tunnel_s_names(site, start_server):
    server = start_server(
        site,
        "--allow-host",
        "preview.example.test",
        "--allow-host",
        "Tunnel.example.test:9000",
        "--allow-host",
        "*.vm.test",
    )
    port = server.port
    for value in (
        "preview.example.test",
        "preview.example.test:443",
        f"preview.example.test:{port}",
        "tunnel.example.test:9000",
        "vm.test",
        f"box.vm.test:{port}",
        f"127.0.0.1:{port}",
    ):
        assert exchange(port, "/2024/01/a/", host(value))[0] == 200, value
    status, _, body = exchange(
        port, "/__brief/events", [*host("preview.example.test"), "Origin: https://preview.example.test"]
    )
    assert status == 200 and b"event: hello" in body
    # A tunnel that rewrites Host to the preview's own address keeps the browser's Origin.
    status, _, _ = exchange(port, "/__brief/events", [*host(f"localhost:{port}"), "Origin: https://box.vm.test"])
    assert status == 200

    listed = f"localhost:{port}, [::1]:{port}, preview.example.test, tunnel.example.test:9000 or *.vm.test"
    for value, allow in (
        ("tunnel.example.test:9001", "tunnel.example.test:9001"),
        ("tunnel.example.test", "tunnel.example.test"),
        ("evilvm.test", "evilvm.test"),
        ("preview.example.test.evil", "preview.example.test.evil"),
    ):
        assert_refused(port, host(value), f"not Host {value!r}", listed, f"--allow-host {allow}'")
    assert_refused(
        port, [*host("preview.example.test"), "Origin: https://evil.example"], "a page from 'https://evil.example'"
    )


def _ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="this machine has no IPv6 loopback")
def test_ipv6_loopback(site, start_server):
    server = start_server(site, "--host", "::1")
    port = server.port
    for value in (f"[::1]:{port}", f"localhost:{port}"):
        assert exchange(port, "/2024/01/a/", host(value), address="::1")[0] == 200, value
    status, _, body = exchange(port, "/__brief/events", host(f"[::1]:{port}"), address="::1")
    assert status == 200 and b"event: hello" in body
    assert_refused(port, host(f"evil.example:{port}"), "not Host", address="::1")
    assert_refused(port, host(f"[::2]:{port}"), "--allow-host [::2]'", address="::1")


def test_listening_on_every_address_answers_ip_addresses(site, start_server):
    """With --host 0.0.0.0 any numeric address is fine (one cannot be rebound), names are not."""
    port = start_server(site, "--host", "0.0.0.0").port
    for value in (f"127.0.0.1:{port}", f"10.11.12.13:{port}", f"[fe80::1]:{port}", f"localhost:{port}"):
        assert exchange(port, "/2024/01/a/", host(value))[0] == 200, value
    assert_refused(port, host(f"evil.example:{port}"), f"any IP address with port {port}", "--allow-host evil.example'")
    assert_refused(port, host(f"10.11.12.13:{port + 1}"), "not Host")
    # An IP address in a foreign page's origin is still another origin.
    assert_refused(port, [*host(f"10.11.12.13:{port}"), f"Origin: http://10.9.9.9:{port}"], "a page from")


@pytest.mark.parametrize("value", ["http://tunnel.test/", "tunnel.test/x", "", "a b", "tunnel.test:99999", "*"])
def test_a_malformed_allow_host_stops_with_one_line(site, start_server, value):
    server = start_server(site, "--allow-host", value, ready=False)
    assert server.proc.wait(30) == 1
    server.stop()
    lines = server.stderr.strip().splitlines()
    assert lines == [
        f"Error: --allow-host {value!r} is not a host name (expected e.g. preview.example.test, "
        "preview.example.test:8443 or *.example.test, without http:// or a path)"
    ], server.stderr


def test_host_rules_one_by_one():
    """The policy alone, without a server: each kind of Host and Origin value."""
    from brief.serve.hosts import HostPolicy

    policy = HostPolicy("127.0.0.1", 8000, ["tunnel.test", "*.vm.test", "[fe80::1]:9000"])
    for value in (
        "127.0.0.1:8000",
        "LOCALHOST:8000",
        "[::1]:8000",
        "tunnel.test",
        "tunnel.test:1",
        "vm.test",
        "a.b.vm.test:5",
        "[FE80::1]:9000",
    ):
        assert policy.refusal(value, None) is None, value
    for value in (
        "127.0.0.1",
        "localhost.:8000",
        "[::1]",
        "::1:8000",
        "[fe80::1]:9001",
        "vm.test.evil",
        "xvm.test",
        "[not-an-ip]:8000",
        "127.0.0.1:8000:1",
        "evil@127.0.0.1:8000",
        "127.0.0.1:080000",
        "127.0.0.1:99999",
    ):
        assert policy.refusal(value, None) is not None, value
    assert HostPolicy("127.0.0.1", 80).refusal("localhost", None) is None  # port 80 may go unsaid
    assert HostPolicy("127.0.0.1", 80).refusal("localhost", "http://localhost") is None
    own = "127.0.0.1:8000"
    assert policy.refusal(own, "http://127.0.0.1:8000") is None
    assert policy.refusal(own, "https://tunnel.test") is None
    assert policy.refusal("tunnel.test", "https://tunnel.test") is None
    for origin in ("http://127.0.0.1", "http://127.0.0.1:8001", "null", "http://evil.example", "https://vm.test.evil"):
        assert policy.refusal(own, origin) is not None, origin
