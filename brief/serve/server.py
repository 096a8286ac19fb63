"""``brief serve``: a live preview that rebuilds on save, shows errors in the page, and stays safe.

The build loop (brief/serve/rebuild.py) rebuilds the site into memory with the same
pipeline as ``brief build`` (never into ``public/``) once saves have settled. This
module answers requests for it: GET and HEAD of the pages and files it built and
nothing else, for its own Host only (brief/serve/hosts.py), from one thread that holds
every connection (brief/serve/connections.py), with the live-reload stream at
``/__brief/events`` (brief/serve/live.py). Its scripts, ``/__brief/live.js`` (added to
the pages it sends, never to built files) and ``/__brief/live-worker.js`` (the
SharedWorker that shares one stream between all tabs of a browser), are served here too.
"""

from __future__ import annotations

import errno
import logging
import mimetypes
import posixpath
import socket
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.observers import Observer

from brief.config import load_config
from brief.errors import BriefError
from brief.serve.connections import MAX_CONNECTIONS, HttpServer
from brief.serve.hosts import HostPolicy
from brief.serve.live import LiveHub
from brief.serve.protocol import Request, Response
from brief.serve.rebuild import Preview, Watcher

log = logging.getLogger(__name__)

EVENTS_PATH = "/__brief/events"
SCRIPT_PATH = "/__brief/live.js"
WORKER_PATH = "/__brief/live-worker.js"
_SCRIPTS = {
    SCRIPT_PATH: Path(__file__).with_name("live.js").read_bytes(),
    WORKER_PATH: Path(__file__).with_name("live-worker.js").read_bytes(),
}
_TEXT_TYPES = ("application/json", "application/xml", "image/svg+xml", "application/javascript")


class PreviewApp:
    """Answers one request from the site the preview serves now."""

    def __init__(self, preview: Preview, hosts: HostPolicy) -> None:
        self.preview = preview
        self.hosts = hosts
        self.hub: LiveHub | None = None  # set once the server exists

    def __call__(self, request: Request) -> Response:
        refusal = self.hosts.refusal(request.headers.get("host"), request.headers.get("origin"))
        if refusal is not None:
            return _plain(403, refusal)
        if request.method not in ("GET", "HEAD"):
            # The request body is never read, so the connection cannot carry another request.
            return Response(405, headers=[("Allow", "GET, HEAD"), ("Cache-Control", "no-store")], close=True)
        path = request.path
        if path == EVENTS_PATH and request.method == "GET" and self.hub is not None:
            return self.hub.open()
        if path in _SCRIPTS:
            return _answer(200, "text/javascript; charset=utf-8", _SCRIPTS[path])
        files = self.preview.snapshot.files
        relpath = resolve(path, files) if path is not None else None
        data = _page_bytes(files[relpath]) if relpath is not None else None
        if relpath is None or data is None:
            body = files.get("404.html")
            data = _page_bytes(body) if body is not None else None
            if data is None:
                data = b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"
            return _answer(404, "text/html; charset=utf-8", _inject(data))
        ctype = mimetypes.guess_type(relpath)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in _TEXT_TYPES:
            ctype += "; charset=utf-8"
        if relpath.endswith(".html"):
            data = _inject(data)
        served = self.preview.served
        return _answer(200, ctype, data, sent=lambda: served(relpath))


def _answer(status: int, ctype: str, data: bytes, sent: Callable[[], None] | None = None) -> Response:
    headers = [("Content-Type", ctype), ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
    return Response(status, data, headers, sent=sent)


def _plain(status: int, line: str) -> Response:
    return _answer(status, "text/plain; charset=utf-8", (line + "\n").encode())


def resolve(path: str, files: dict[str, bytes | Path]) -> str | None:
    """The built file a decoded URL path names, or None. Anything that could leave the site
    is None: ``..``, backslashes, NUL bytes, a ``%`` left (double encoding); only files of this
    build are ever named. A name is found in NFC or NFD (``é`` as one code point or two)."""
    if "\\" in path or "\x00" in path or "%" in path or not path.startswith("/"):
        return None
    parts = path.split("/")
    if any(part in ("..", ".") for part in parts):
        return None
    rel = posixpath.normpath(path).lstrip("/")
    if rel in ("", "."):
        rel = "index.html"
    elif path.endswith("/"):
        rel += "/index.html"
    for candidate in (rel, f"{rel}/index.html"):
        found = _lookup(candidate, files)
        if found is not None:
            return found
    return None


_NORMALIZED: list = [None, {}]
"""The last files dict seen and its non-ASCII names by their NFC form."""


def _lookup(rel: str, files: dict[str, bytes | Path]) -> str | None:
    if rel in files:
        return rel
    if rel.isascii():
        return None
    if _NORMALIZED[0] is not files:  # a new build: index its non-ASCII names once
        _NORMALIZED[1] = {unicodedata.normalize("NFC", name): name for name in files if not name.isascii()}
        _NORMALIZED[0] = files
    return _NORMALIZED[1].get(unicodedata.normalize("NFC", rel))


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


def connection_limit(wanted: int = MAX_CONNECTIONS) -> int:
    """How many connections to hold at most: ``wanted``, or fewer when the process may not
    open that many files (raising its soft limit first where the hard limit allows)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return wanted
    needed = wanted + 128  # the site's files, watches, pipes
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(16, min(wanted, soft - 128))


def make_server(preview: Preview, host: str, port: int, allow_hosts: Iterable[str] = ()) -> HttpServer:
    """The HTTP server, or a BriefError naming the next free port when ``port`` is taken."""
    listener = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((host, port))
        listener.listen(1024)
    except OSError as exc:
        listener.close()
        if exc.errno == errno.EADDRINUSE:
            free = next_free_port(host, port + 1)
            hint = f"; try 'brief serve --port {free}'" if free else ""
            raise BriefError(f"port {port} on {host} is already in use{hint}") from None
        raise BriefError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    app = PreviewApp(preview, HostPolicy(host, listener.getsockname()[1], allow_hosts))
    server = HttpServer(listener, app, max_connections=connection_limit())
    app.hub = LiveHub(preview, server)
    return server


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
    future: bool = True,
    allow_hosts: Iterable[str] = (),
    terse: bool = False,
    ready: threading.Event | None = None,
    stop: threading.Event | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Build, serve and watch until Ctrl-C (or ``stop`` is set). ``drafts`` and ``future``
    keep drafts and articles dated in the future in the preview; ``allow_hosts`` are the
    ``--allow-host`` names answered besides the preview's own address; ``terse`` (-q) logs
    each problem on one line, without its source lines (the overlay shows them still)."""
    load_config(site_dir)  # a broken brief.toml or a folder that is no site stops here, clearly
    allow_hosts = list(allow_hosts)
    HostPolicy(host, port, allow_hosts)  # a malformed --allow-host stops here, before building
    shown_host = f"[{host}]" if ":" in host else host
    preview = Preview(site_dir, f"http://{shown_host}:{port}/", drafts=drafts, future=future, terse=terse)
    server = make_server(preview, host, port, allow_hosts)
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
    server_thread = threading.Thread(target=server.serve_forever, name="brief-http", daemon=True)
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
