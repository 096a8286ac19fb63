"""``brief serve``: a live preview that rebuilds on save, shows errors in the page, and stays safe.

The build loop (brief/serve/rebuild.py) rebuilds the site into memory with the same
pipeline as ``brief build`` (never into ``public/``) once saves have settled.
This module serves it: a threading HTTP server bound to 127.0.0.1 that answers
GET and HEAD for the pages it built and nothing else.

Browsers hold a Server-Sent Events connection (``/__brief/events``) and get
``reload``, ``css`` (stylesheets swapped in place) or ``problems`` (an overlay
listing them) after each rebuild; the small script doing this is added only to
pages this server sends.
"""

from __future__ import annotations

import errno
import http.server
import json
import logging
import mimetypes
import posixpath
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from watchdog.observers import Observer

from brief.config import load_config
from brief.errors import BriefError
from brief.serve.rebuild import Preview, Snapshot, Watcher

log = logging.getLogger(__name__)

EVENTS_PATH = "/__brief/events"
SCRIPT_PATH = "/__brief/live.js"
KEEPALIVE = 15.0
HANGUP_CHECK = 1.0
"""Seconds between checks that an event-stream client is still connected."""
_SCRIPT = (Path(__file__).with_name("live.js")).read_text(encoding="utf-8")


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "brief-preview"
    protocol_version = "HTTP/1.1"
    preview: Preview  # set on the subclass made per server

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)

    def do_HEAD(self) -> None:  # noqa: N802 - stdlib naming
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _not_allowed(self) -> None:
        # The request body is never read, so the connection cannot carry another request.
        self.close_connection = True
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == EVENTS_PATH and not head:
            self._events()
            return
        if path == SCRIPT_PATH:
            self._send(200, "text/javascript; charset=utf-8", _SCRIPT.encode(), head)
            return
        files = self.preview.snapshot.files
        relpath = resolve(path, files)
        data = _page_bytes(files[relpath]) if relpath is not None else None
        if relpath is None or data is None:
            body = files.get("404.html")
            data = _page_bytes(body) if body is not None else None
            if data is None:
                data = b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"
            self._send(404, "text/html; charset=utf-8", _inject(data), head)
            return
        ctype = mimetypes.guess_type(relpath)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in (
            "application/json",
            "application/xml",
            "image/svg+xml",
            "application/javascript",
        ):
            ctype += "; charset=utf-8"
        if relpath.endswith(".html"):
            data = _inject(data)
        self._send(200, ctype, data, head)
        self.preview.served(relpath)

    def _send(self, status: int, ctype: str, data: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _events(self) -> None:
        """Server-Sent Events: the current state at once, then each new version."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        preview = self.preview
        seen = preview.snapshot.version
        try:
            self.wfile.write(b"retry: 500\n\n")
            self._write_state(preview.snapshot, initial=True)
            written = time.monotonic()
            while not preview.stopped:
                with preview.changed:
                    if preview.snapshot.version == seen:
                        preview.changed.wait(HANGUP_CHECK)
                    snapshot = preview.snapshot
                if snapshot.version == seen:
                    # Notice a browser that went away within a second, not at the next
                    # keep-alive write: each open stream holds a thread.
                    if self._client_gone():
                        return
                    if time.monotonic() - written >= KEEPALIVE:
                        self.wfile.write(b": keep-alive\n\n")
                        self.wfile.flush()
                        written = time.monotonic()
                    continue
                written = time.monotonic()
                seen = snapshot.version
                if snapshot.kind != "silent":
                    self._write_state(snapshot, initial=False)
        except (BrokenPipeError, ConnectionResetError, OSError):
            return

    def _client_gone(self) -> bool:
        """True when the client closed its end (the stream's socket reads end-of-file)."""
        sock = self.connection
        try:
            sock.setblocking(False)
            try:
                return sock.recv(1, socket.MSG_PEEK) == b""
            finally:
                sock.setblocking(True)
        except (BlockingIOError, InterruptedError):
            return False
        except OSError:
            return True

    def _write_state(self, snapshot: Snapshot, initial: bool) -> None:
        if snapshot.problems:
            payload = json.dumps([p.format() for p in snapshot.problems], ensure_ascii=False)
            message = f"event: problems\ndata: {payload}\n\n"
        elif initial:
            message = f"event: hello\ndata: {snapshot.version}\n\n"
        else:
            # A reload names the pages that changed, so other open pages stay as they are.
            payload = json.dumps(
                {"version": snapshot.version, "paths": list(snapshot.paths) if snapshot.paths is not None else None}
            )
            message = f"event: {snapshot.kind}\ndata: {payload}\n\n"
        self.wfile.write(message.encode())
        self.wfile.flush()


def resolve(path: str, files: dict[str, bytes | Path]) -> str | None:
    """The built file a URL path names, or None. Anything that could leave the site is None:
    ``..`` in any encoding, backslashes, NUL bytes; only files of this build are ever named."""
    decoded = unquote(path)
    if "\\" in decoded or "\x00" in decoded or "%" in decoded or not decoded.startswith("/"):
        return None  # '%' left after one decoding means double encoding
    parts = decoded.split("/")
    if any(part in ("..", ".") for part in parts):
        return None
    rel = posixpath.normpath(decoded).lstrip("/")
    if rel in ("", "."):
        rel = "index.html"
    elif decoded.endswith("/"):
        rel += "/index.html"
    if rel in files:
        return rel
    if f"{rel}/index.html" in files:
        return f"{rel}/index.html"
    return None


def _page_bytes(entry: bytes | Path) -> bytes | None:
    """A page's bytes, or a copied file's current bytes; None when the file is gone or no
    longer the one the build checked (e.g. replaced by a symlink leading out of the site)."""
    if isinstance(entry, bytes):
        return entry
    try:
        if entry.resolve(strict=True) != entry:
            return None
        return entry.read_bytes()
    except (OSError, RuntimeError):
        return None


def _inject(html: bytes) -> bytes:
    """Add the live-reload script to a page sent by the preview (never to built files)."""
    tag = f'<script src="{SCRIPT_PATH}" defer></script>'.encode()
    index = html.rfind(b"</body>")
    return html[:index] + tag + html[index:] if index >= 0 else html + tag


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address) -> None:
        """A browser dropping its connection (a closed tab, a reload) is routine, not a traceback."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            log.debug("connection from %s dropped", client_address[0])
            return
        super().handle_error(request, client_address)


def make_server(preview: Preview, host: str, port: int) -> _Server:
    """The HTTP server, or a BriefError naming the next free port when ``port`` is taken."""
    handler = type("Handler", (_Handler,), {"preview": preview})
    server_class = type("Server", (_Server,), {"address_family": socket.AF_INET6}) if ":" in host else _Server
    try:
        return server_class((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            free = next_free_port(host, port + 1)
            hint = f"; try 'brief serve --port {free}'" if free else ""
            raise BriefError(f"port {port} on {host} is already in use{hint}") from None
        raise BriefError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def next_free_port(host: str, start: int) -> int | None:
    for port in range(start, min(start + 50, 65536)):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            try:
                probe.bind((host, port))
                return port
            except OSError:
                continue
    return None


def serve(
    site_dir: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    drafts: bool = True,
    ready: threading.Event | None = None,
    stop: threading.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and watch until Ctrl-C (or ``stop`` is set)."""
    load_config(site_dir)  # a broken brief.toml or a folder that is no site stops here, clearly
    shown_host = f"[{host}]" if ":" in host else host
    preview = Preview(site_dir, f"http://{shown_host}:{port}/", drafts=drafts)
    server = make_server(preview, host, port)
    actual_port = server.server_address[1]
    if actual_port != port:
        preview.base_url = f"http://{shown_host}:{actual_port}/"
    preview.rebuild()
    observer = Observer()
    watcher = Watcher(preview)
    observer.schedule(watcher, str(preview.site_dir), recursive=True)
    observer.start()
    builder = threading.Thread(target=preview.run_builds, name="brief-rebuild", daemon=True)
    builder.start()
    server_thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    server_thread.start()
    log.info("Serving %s at %s (Ctrl-C to stop)", site_dir, preview.base_url)
    if ready is not None:
        ready.set()
    if on_ready is not None:
        on_ready(preview.base_url)
    try:
        while not (stop is not None and stop.is_set()):
            time.sleep(0.1)
    finally:
        preview.stop()
        observer.stop()
        server.shutdown()
        server.server_close()
        observer.join(timeout=1)
