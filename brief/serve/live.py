"""Live reload: the Server-Sent Events stream at ``/__brief/events``.

A browser opens one stream for all its tabs (``live-worker.js``, a SharedWorker, relays
it to each of them; ``live.js`` opens one per tab only where SharedWorker is missing).
The stream starts with ``hello`` (or ``problems`` when the site is broken) and then gets,
for each new version of the site, ``reload`` or ``update`` naming the pages that
changed, ``css`` (stylesheets swapped in place) or ``problems`` (shown over the page:
:func:`problems_payload`).

Streams live on the server's one thread (brief/serve/connections.py): an open stream is
a socket and a version number, never a thread. They get a comment every
:data:`KEEPALIVE` seconds, so that a proxy keeps them open and a client that vanished
without closing is found out (its unsent data stalls and the connection is closed); a
client that closes is dropped at once. At most :data:`MAX_CLIENTS` streams are open:
past that a client gets ``503`` with ``Retry-After``, and live.js tries again later.
"""

from __future__ import annotations

import json
import logging
import threading
import time

from brief.errors import WARNING, counts
from brief.serve.connections import Connection, HttpServer
from brief.serve.protocol import Response
from brief.serve.rebuild import Preview, Snapshot

log = logging.getLogger("brief.serve")

MAX_CLIENTS = 64
KEEPALIVE = 10.0
RETRY_MS = 500
"""How soon a browser reconnects after the stream dropped (the server restarting)."""
RETRY_AFTER = 5
"""Seconds a refused client is told to wait (live.js waits 5 to 10 s)."""
BACKLOG = 256 * 1024
"""Bytes a stream may have unsent before its client counts as gone."""
FULL_LOG_EVERY = 60.0


def state_message(snapshot: Snapshot, initial: bool) -> bytes:
    """The event that tells a browser about ``snapshot`` (the first one on a new stream when ``initial``)."""
    if snapshot.problems:
        message = f"event: problems\ndata: {json.dumps(problems_payload(snapshot), ensure_ascii=False)}\n\n"
    elif initial:
        message = f"event: hello\ndata: {snapshot.version}\n\n"
    else:
        # A reload names the pages that changed, so other open pages stay as they are.
        paths = list(snapshot.paths) if snapshot.paths is not None else None
        message = f"event: {snapshot.kind}\ndata: {json.dumps({'version': snapshot.version, 'paths': paths})}\n\n"
    return message.encode()


def problems_payload(snapshot: Snapshot) -> dict[str, object]:
    """What the overlay shows (live.js): the count, then every problem, errors first, each with
    its place, its severity, what is wrong and its source lines (null when it has none)."""
    ordered = sorted(snapshot.problems, key=lambda p: p.severity == WARNING)  # stable: each kind stays in order
    return {
        "summary": counts(ordered),
        "problems": [
            {
                "where": p.where,
                "severity": p.severity,
                "what": p.what,
                "text": p.format(),
                "excerpt": cut.as_json() if (cut := snapshot.excerpts.get(p)) is not None else None,
            }
            for p in ordered
        ],
    }


class LiveHub:
    """The open event streams, fed from every new snapshot the preview publishes."""

    def __init__(self, preview: Preview, server: HttpServer, max_clients: int = MAX_CLIENTS) -> None:
        self.preview = preview
        self.server = server
        self.max_clients = max_clients
        self._streams: dict[Connection, int] = {}
        """Each open stream and the version it was last told about (server thread only)."""
        self._written: dict[Connection, float] = {}
        self._pending: list[tuple[int, bytes]] = []
        self._lock = threading.Lock()
        self._full_logged = -FULL_LOG_EVERY
        preview.listeners.append(self._published)
        server.every(1.0, self._heartbeat)

    @property
    def clients(self) -> int:
        return len(self._streams)

    def open(self) -> Response:
        """Answer a request for the stream (on the server's thread): the stream, or 503 when full."""
        if len(self._streams) >= self.max_clients:
            now = time.monotonic()
            if now - self._full_logged >= FULL_LOG_EVERY:
                self._full_logged = now
                log.warning(
                    "Live reload: %d browsers connected, the most allowed; refusing more until one closes "
                    "(a browser needs one connection for all its tabs; refused ones retry every few seconds)",
                    len(self._streams),
                )
            body = (
                f"503 Service Unavailable: live reload already serves {len(self._streams)} browsers, the most "
                f"allowed; try again in a few seconds (close preview tabs or browsers you no longer use)\n"
            ).encode()
            headers = [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Cache-Control", "no-store"),
                ("Retry-After", str(RETRY_AFTER)),
            ]
            return Response(503, body, headers, close=True)
        snapshot = self.preview.snapshot
        body = f"retry: {RETRY_MS}\n\n".encode() + state_message(snapshot, initial=True)
        headers = [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store")]
        return Response(200, body, headers, stream=lambda conn: self._attach(conn, snapshot.version))

    def _attach(self, conn: Connection, version: int) -> None:
        self._streams[conn] = version
        self._written[conn] = time.monotonic()
        conn.on_close.append(lambda: self._detach(conn))
        log.debug("Live reload: %s connected (%d open)", conn.address[0], len(self._streams))

    def _detach(self, conn: Connection) -> None:
        if self._streams.pop(conn, None) is not None:
            self._written.pop(conn, None)
            log.debug("Live reload: %s gone (%d open)", conn.address[0], len(self._streams))

    def _published(self, snapshot: Snapshot) -> None:
        """A new version of the site (any thread): tell every stream, on the server's thread."""
        if snapshot.kind == "silent":
            return
        with self._lock:
            self._pending.append((snapshot.version, state_message(snapshot, initial=False)))
        self.server.call_soon(self._flush)

    def _flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        now = time.monotonic()
        for version, message in pending:
            for conn, seen in list(self._streams.items()):
                if seen < version:
                    self._streams[conn] = version
                    self._send(conn, message, now)

    def _send(self, conn: Connection, data: bytes, now: float) -> None:
        if conn.pending > BACKLOG:
            conn.close()  # it stopped reading long ago
            return
        self._written[conn] = now
        conn.send(data)

    def _heartbeat(self) -> None:
        now = time.monotonic()
        for conn, written in list(self._written.items()):
            if now - written >= KEEPALIVE:
                self._send(conn, b": keep-alive\n\n", now)
