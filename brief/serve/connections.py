"""The preview's HTTP/1.1 connections: one thread, one selector, every resource bounded.

One thread accepts connections, reads and parses requests, calls the application and
writes its answers, all without blocking. No connection ever gets a thread of its own,
so a thousand idle sockets cost a thousand file descriptors and a few hundred bytes
each, and the server's thread count never changes. Limits:

- a request's header block must be complete :data:`HEADER_TIMEOUT` seconds after its
  first byte (a "slowloris" trickling headers is closed), and is at most
  brief.serve.protocol.MAX_HEAD bytes;
- a connection without a request in progress (new, or kept alive after an answer) is
  closed after :data:`IDLE_TIMEOUT` seconds;
- an answer or a live-reload stream that makes no progress for :data:`WRITE_TIMEOUT`
  seconds (a client that stopped reading) is closed;
- at most ``max_connections`` connections are open; past that, the one that has
  waited longest without a request is closed to make room for the new one.

Request bodies are never read: a request that has one is answered and its connection
closed, so the body cannot be taken for the next request. A connection is closed the
way browsers need it (the answer, then a FIN, then what the client still sends is read
and dropped for up to :data:`LINGER` seconds), so a reset never swallows the answer.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Callable

from brief.serve.protocol import HttpError, Request, Response, parse_request, reason, response_head, take_head

log = logging.getLogger("brief.serve")

HEADER_TIMEOUT = 5.0
IDLE_TIMEOUT = 10.0
WRITE_TIMEOUT = 30.0
LINGER = 2.0
MAX_CONNECTIONS = 1024
SWEEP = 0.25
"""Seconds between checks of the timeouts."""

_READING, _WRITING, _STREAM, _DRAINING, _CLOSED = "reading", "writing", "stream", "draining", "closed"


class Connection:
    """One client socket and where its current request or answer stands."""

    def __init__(self, server: HttpServer, sock: socket.socket, address: tuple) -> None:
        self.server = server
        self.sock = sock
        self.address = address
        self.state = _READING
        self.inbuf = bytearray()
        self.out: deque[memoryview] = deque()
        self.since = time.monotonic()
        """When the connection started waiting for a request (accepted, or the last answer sent)."""
        self.first_byte: float | None = None
        self.progress = self.since
        """When bytes were last written (or the connection started waiting to write)."""
        self.close_after = False
        self.busy = False
        """True while the server reads requests off ``inbuf`` (an answer sent at once must not recurse)."""
        self.on_close: list[Callable[[], None]] = []
        self._sent: Callable[[], None] | None = None

    @property
    def open(self) -> bool:
        return self.state != _CLOSED

    @property
    def pending(self) -> int:
        return sum(len(chunk) for chunk in self.out)

    def send(self, data: bytes) -> None:
        """Queue ``data`` and write what the socket takes now (the rest when it can take more)."""
        if self.state == _CLOSED or not data:
            return
        if not self.out:
            self.progress = time.monotonic()
        self.out.append(memoryview(data))
        self.flush()

    def flush(self) -> None:
        while self.out:
            chunk = self.out[0]
            try:
                sent = self.sock.send(chunk[: 256 * 1024])
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self.close()
                return
            self.progress = time.monotonic()
            if sent == len(chunk):
                self.out.popleft()
            else:
                self.out[0] = chunk[sent:]
        if self.out:
            self.server.watch(self)
            return
        if self.state == _WRITING:
            self._answered()
        elif self.state == _STREAM:
            self.server.watch(self)

    def _answered(self) -> None:
        if self._sent is not None:
            sent, self._sent = self._sent, None
            _safely(sent)
        if self.close_after:
            self._linger()
            return
        self.state = _READING
        self.since = time.monotonic()
        self.first_byte = time.monotonic() if self.inbuf else None
        self.server.watch(self)
        self.server.process(self)  # a request sent right after the last one (pipelined)

    def respond(self, response: Response, head_only: bool, keep_alive: bool) -> None:
        """Queue the answer; a stream's connection then stays open as a stream."""
        stream = response.stream is not None
        self.close_after = response.close or not keep_alive or stream
        head = response_head(response, self.close_after)
        self.state = _STREAM if stream else _WRITING
        self._sent = response.sent
        attach = response.stream
        if attach is not None:
            self.inbuf.clear()
            _safely(lambda: attach(self))
        self.send(head if head_only else head + response.body)

    def _linger(self) -> None:
        """Close after the answer: send a FIN, then drop what the client still sends (see LINGER)."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self.close()
            return
        self.state = _DRAINING
        self.since = time.monotonic()
        self.server.watch(self)

    def close(self) -> None:
        if self.state == _CLOSED:
            return
        self.state = _CLOSED
        self.out.clear()
        self.server.forget(self)
        with contextlib.suppress(OSError):
            self.sock.close()
        for callback in self.on_close:
            _safely(callback)


def _safely(callback: Callable[[], None]) -> None:
    """Run a callback of the server's thread; a bug in one must not stop the server."""
    try:
        callback()
    except Exception:
        log.exception("Error: the preview failed (please report this, with the steps that led here)")


class HttpServer:
    """Serves ``app`` on a listening socket from one thread (:meth:`serve_forever`)."""

    def __init__(self, listener: socket.socket, app: Callable[[Request], Response], *, max_connections: int) -> None:
        self.listener = listener
        self.server_address = listener.getsockname()
        self.app = app
        self.max_connections = max_connections
        self._selector = selectors.DefaultSelector()
        self._conns: dict[int, Connection] = {}
        self._wake_r, self._wake_w = socket.socketpair()
        self._calls: deque[Callable[[], None]] = deque()
        self._timers: list[list] = []  # [interval, next time, callback]
        self._stopping = threading.Event()
        self._stopped = threading.Event()
        self._accept_paused_until = 0.0
        self._warned_full = 0.0
        self._running = False
        for sock in (listener, self._wake_r, self._wake_w):
            sock.setblocking(False)
        self._selector.register(listener, selectors.EVENT_READ, "listener")
        self._selector.register(self._wake_r, selectors.EVENT_READ, "wakeup")

    # --- from any thread ----------------------------------------------------------------

    def call_soon(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the server's thread, soon."""
        self._calls.append(callback)
        with contextlib.suppress(OSError):  # a full pipe wakes the loop anyway; a closed one: stopping
            self._wake_w.send(b"\0")

    def every(self, interval: float, callback: Callable[[], None]) -> None:
        """Run ``callback`` on the server's thread every ``interval`` seconds (call before serving)."""
        self._timers.append([interval, time.monotonic() + interval, callback])

    def shutdown(self) -> None:
        """Stop serving and close every connection; returns once the loop has ended."""
        self._stopping.set()
        if self._running:
            self.call_soon(lambda: None)
            self._stopped.wait(5)

    def server_close(self) -> None:
        self.listener.close()

    # --- the loop -------------------------------------------------------------------------

    def serve_forever(self, poll_interval: float = SWEEP) -> None:
        next_sweep = time.monotonic() + SWEEP
        self._running = True
        try:
            while not self._stopping.is_set():
                for key, mask in self._selector.select(min(poll_interval, SWEEP)):
                    self._dispatch(key, mask)
                while self._calls:
                    _safely(self._calls.popleft())
                now = time.monotonic()
                if now >= next_sweep:
                    self._sweep(now)
                    next_sweep = now + SWEEP
        finally:
            for conn in list(self._conns.values()):
                conn.close()
            self._selector.close()
            self._wake_r.close()
            self._wake_w.close()
            self._stopped.set()

    def _dispatch(self, key: selectors.SelectorKey, mask: int) -> None:
        if key.data == "listener":
            self._accept()
        elif key.data == "wakeup":
            try:
                while self._wake_r.recv(4096):
                    pass
            except (BlockingIOError, InterruptedError):
                pass
        else:
            conn: Connection = key.data
            try:
                if mask & selectors.EVENT_READ:
                    self._readable(conn)
                if mask & selectors.EVENT_WRITE and conn.open:
                    conn.flush()
            except Exception:  # a bug: lose this connection, never the server
                log.exception("Error: the preview failed on a connection from %s", conn.address[0])
                conn.close()

    def _accept(self) -> None:
        for _ in range(64):
            try:
                sock, address = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    self._full(f"no file descriptors left ({exc.strerror})")
                    if not self._evict():  # stop accepting for a moment (see _sweep)
                        self._selector.unregister(self.listener)
                        self._accept_paused_until = time.monotonic() + 0.1
                    return
                continue  # ECONNABORTED and the like: that client is gone already
            if len(self._conns) >= self.max_connections and not self._evict():
                self._full(f"{len(self._conns)} connections open, none of them idle")
                sock.close()
                continue
            sock.setblocking(False)
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Connection(self, sock, address)
            self._conns[sock.fileno()] = conn
            self._selector.register(sock, selectors.EVENT_READ, conn)

    def _full(self, why: str) -> None:
        now = time.monotonic()
        if now - self._warned_full >= 60:
            self._warned_full = now
            log.warning("Too many connections to the preview (%s): closing the longest idle ones", why)

    def _evict(self) -> bool:
        """Close the connection that has waited longest without a complete request."""
        idle = [c for c in self._conns.values() if c.state in (_READING, _DRAINING)]
        if not idle:
            return False
        min(idle, key=lambda c: (c.state == _READING, c.first_byte or c.since)).close()
        return True

    def _readable(self, conn: Connection) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            conn.close()
            return
        if not data:
            conn.close()  # the client closed its end (a closed tab ends its stream here)
            return
        if conn.state != _READING:
            return  # a stream's client has nothing to say; a closing one's rest is dropped
        if not conn.inbuf:
            conn.first_byte = time.monotonic()
        conn.inbuf += data
        self.process(conn)

    def process(self, conn: Connection) -> None:
        """Answer the complete requests at the start of ``conn.inbuf``, one after the other,
        as long as each answer goes out at once (else when it has: see Connection._answered)."""
        if conn.busy:
            return
        conn.busy = True
        try:
            while conn.state == _READING and self._answer_one(conn):
                pass
        finally:
            conn.busy = False

    def _answer_one(self, conn: Connection) -> bool:
        while conn.inbuf[:2] == b"\r\n":  # blank lines before a request are allowed
            del conn.inbuf[:2]
        if not conn.inbuf:
            conn.first_byte = None
            return False
        try:
            found = take_head(conn.inbuf)
            if found is None:
                return False
            request = parse_request(found)
        except HttpError as exc:
            self._error(conn, exc)
            return False
        try:
            response = self.app(request)
        except Exception:
            log.exception("Error: the preview failed to answer %s %s", request.method, request.target)
            self._error(conn, HttpError(500, "the preview failed to answer this request (see the terminal)"))
            return False
        log.debug("%s %s %s %d", conn.address[0], request.method, request.target, response.status)
        conn.respond(response, head_only=request.method == "HEAD", keep_alive=request.keep_alive)
        return True

    def _error(self, conn: Connection, error: HttpError) -> None:
        headers = [("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-store")]
        body = f"{error.status} {reason(error.status)}: {error.message}\n".encode()
        conn.respond(Response(error.status, body, headers, close=True), head_only=False, keep_alive=False)

    def watch(self, conn: Connection) -> None:
        """Wait for what ``conn`` needs next: to read a request, to write, or (a stream) both."""
        if conn.state == _CLOSED:
            return
        if conn.state == _WRITING:
            events = selectors.EVENT_WRITE
        elif conn.state == _STREAM and conn.out:
            events = selectors.EVENT_READ | selectors.EVENT_WRITE
        else:
            events = selectors.EVENT_READ
        key = self._selector.get_map().get(conn.sock.fileno())
        if key is not None and key.events != events:
            self._selector.modify(conn.sock, events, conn)

    def forget(self, conn: Connection) -> None:
        self._conns.pop(conn.sock.fileno(), None)
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn.sock)

    def _sweep(self, now: float) -> None:
        for conn in list(self._conns.values()):
            if conn.state == _READING:
                limit = conn.first_byte + HEADER_TIMEOUT if conn.first_byte is not None else conn.since + IDLE_TIMEOUT
                if now > limit:
                    conn.close()
            elif conn.state == _DRAINING:
                if now > conn.since + LINGER:
                    conn.close()
            elif conn.out and now - conn.progress > WRITE_TIMEOUT:
                conn.close()  # the client stopped reading
        if self._accept_paused_until and now >= self._accept_paused_until:
            self._accept_paused_until = 0.0
            self._selector.register(self.listener, selectors.EVENT_READ, "listener")
        for timer in self._timers:
            if now >= timer[1]:
                timer[1] = now + timer[0]
                _safely(timer[2])
