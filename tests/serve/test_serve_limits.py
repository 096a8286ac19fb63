"""``brief serve`` under hostile or careless clients: every connection is bounded.

Raw sockets against the real ``brief serve`` process. A request's headers must arrive
within HEADER_TIMEOUT seconds of its first byte, a connection without a request is
closed after IDLE_TIMEOUT, live-reload streams get a heartbeat, a client that leaves is
dropped at once, and at most MAX_CLIENTS streams are open. No connection gets a thread:
the server's thread count (/proc/PID/status) never moves.
"""

from __future__ import annotations

import os
import resource
import socket
import threading
import time

import pytest
from helpers import article, make_site
from test_serve import get

from brief.serve.connections import HEADER_TIMEOUT, IDLE_TIMEOUT
from brief.serve.live import KEEPALIVE, MAX_CLIENTS


def threads(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return int(next(line for line in f if line.startswith("Threads:")).split()[1])


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def seconds_until_closed(sock: socket.socket, trickle: bytes = b"", every: float = 0.25, limit: float = 30) -> float:
    """Seconds until the server closes ``sock``, sending ``trickle`` one byte per ``every`` seconds meanwhile."""
    started = time.monotonic()
    sock.settimeout(every)
    position = 0
    while time.monotonic() - started < limit:
        try:
            if sock.recv(65536) == b"":
                return time.monotonic() - started
        except TimeoutError:
            pass
        except ConnectionError:
            return time.monotonic() - started
        if trickle:
            try:
                sock.sendall(trickle[position % len(trickle) : position % len(trickle) + 1])
            except OSError:
                return time.monotonic() - started
            position += 1
    raise AssertionError(f"still open after {limit} s")


def get_timed(port: int, path: str = "/") -> tuple[int, float]:
    started = time.perf_counter()
    status = get(port, path)[0]
    return status, time.perf_counter() - started


@pytest.fixture
def site(tmp_path):
    return make_site(tmp_path, {"content/a.md": article("Body.\n", slug="a")}, config="search = false\n")


@pytest.mark.slow
def test_slow_headers_and_idle_connections_are_closed(site, start_server):
    port = start_server(site).port
    results: dict[str, float] = {}

    def slowloris() -> None:
        sock = connect(port)
        sock.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
        results["slowloris"] = seconds_until_closed(sock, trickle=b"X-Slow: yes\r\n")

    def idle_new() -> None:
        results["idle"] = seconds_until_closed(connect(port))

    def idle_kept_alive() -> None:
        sock = connect(port)
        sock.sendall(f"GET /2024/01/a/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        data = b""
        while b"</html>" not in data:
            data += sock.recv(65536)
        assert data.startswith(b"HTTP/1.1 200") and b"Connection: close" not in data
        results["kept alive"] = seconds_until_closed(sock)

    workers = [threading.Thread(target=f) for f in (slowloris, idle_new, idle_kept_alive)]
    for worker in workers:
        worker.start()
    time.sleep(1)
    assert get_timed(port)[0] == 200  # meanwhile, the server answers
    for worker in workers:
        worker.join(40)
    assert HEADER_TIMEOUT - 0.5 <= results["slowloris"] <= HEADER_TIMEOUT + 1.5, results
    assert IDLE_TIMEOUT - 0.5 <= results["idle"] <= IDLE_TIMEOUT + 1.5, results
    assert IDLE_TIMEOUT - 0.5 <= results["kept alive"] <= IDLE_TIMEOUT + 1.5, results


def test_protocol_edges(site, start_server):
    port = start_server(site).port

    def exchange(data: bytes) -> bytes:
        with connect(port) as sock:
            sock.sendall(data)
            sock.shutdown(socket.SHUT_WR)
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            return received

    host = f"Host: 127.0.0.1:{port}\r\n".encode()
    # Two requests in one packet (pipelined): two answers, in order, the second closing.
    both = exchange(b"GET /2024/01/a/ HTTP/1.1\r\n" + host + b"\r\nHEAD /feed.xml HTTP/1.1\r\n" + host + b"\r\n")
    assert both.startswith(b"HTTP/1.1 200 OK") and both.count(b"HTTP/1.1 200 OK") == 2, both[:200]
    assert both.index(b"text/html") < both.index(b"xml")
    for data, status, words in (
        (b"GET / HTTP/1.1\r\n" + host + b"X-Big: " + b"x" * 70_000 + b"\r\n\r\n", 431, b"over 64 KiB"),
        (b"GET /\r\n\r\n", 400, b"malformed request line"),
        (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505, b"only HTTP/1.0 and HTTP/1.1"),
        (b"GET / HTTP/1.1\r\n" + host + b" folded\r\n\r\n", 400, b"malformed header line"),
        (b"GET / HTTP/1.1\r\n" + host + host + b"\r\n", 400, b"more than one Host header"),
        (b"GET http://evil.example/ HTTP/1.1\r\n" + host + b"\r\n", 400, b"must be a path"),
    ):
        answer = exchange(data)
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(f"HTTP/1.1 {status} ".encode()), (data[:40], answer[:200])
        assert body.count(b"\n") == 1 and words in body, body


@pytest.mark.slow
def test_a_flood_of_idle_connections_streams_and_a_slowloris(site, start_server):
    """500 idle TCP connections, 500 live-reload clients that never read (64 get a stream,
    the rest a 503), a slowloris: the front page still answers in well under a second, the
    thread count never moves, and everything is released once the clients leave."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    server = start_server(site)
    pid, port = server.proc.pid, server.port
    base_threads, base_files = threads(pid), open_files(pid)
    request = f"GET /__brief/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    clients: list[socket.socket] = []
    try:
        listener = connect(port)  # a stream that reads: it must see heartbeats
        listener.sendall(request)
        started = time.monotonic()
        clients.extend(connect(port) for _ in range(500))
        streams = [connect(port) for _ in range(500)]
        clients.extend(streams)
        for sock in streams:
            sock.sendall(request)
        slow = connect(port)
        slow.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode())
        slow_closed: list[float] = []
        trickler = threading.Thread(target=lambda: slow_closed.append(seconds_until_closed(slow, b"X-A: b\r\n")))
        trickler.start()

        latencies, files = [], []
        while time.monotonic() - started < KEEPALIVE + 1.5:
            status, seconds = get_timed(port)
            assert status == 200
            latencies.append(seconds)
            files.append(open_files(pid))
            assert threads(pid) == base_threads, "a connection got a thread"
            time.sleep(0.25)
        assert max(latencies) < 1.0, f"GET / took up to {max(latencies):.3f} s under load"
        assert max(files) >= base_files + 500 + MAX_CLIENTS, f"the server never held the connections: {max(files)}"
        trickler.join(10)
        assert slow_closed and slow_closed[0] <= HEADER_TIMEOUT + 1.5, slow_closed

        statuses = []
        for sock in streams:
            sock.settimeout(5)
            statuses.append(sock.recv(12)[9:12])
        assert statuses.count(b"200") == MAX_CLIENTS - 1 and statuses.count(b"503") == 500 - MAX_CLIENTS + 1
        heard = b""
        listener.settimeout(5)
        while b": keep-alive" not in heard:
            heard += listener.recv(65536)
        assert heard.startswith(b"HTTP/1.1 200 OK") and b"event: hello" in heard
        print(
            f"\nGET / under load: median {sorted(latencies)[len(latencies) // 2] * 1000:.1f} ms, "
            f"max {max(latencies) * 1000:.1f} ms over {len(latencies)} requests; threads {base_threads}; "
            f"open files at most {max(files)}, at the end {open_files(pid)} (baseline {base_files})"
        )
    finally:
        for sock in clients:
            sock.close()
        listener.close()
    deadline = time.monotonic() + 30
    while open_files(pid) > base_files or threads(pid) != base_threads:
        assert time.monotonic() < deadline, f"{open_files(pid)} files open (was {base_files}), {threads(pid)} threads"
        time.sleep(0.1)
    assert get_timed(port)[0] == 200
    server.wait_for(rf"Live reload: {MAX_CLIENTS} browsers connected, the most allowed; refusing more")
    assert server.stderr.count("the most allowed") == 1
