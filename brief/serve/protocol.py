"""HTTP/1.1 messages for the preview: parse a request's header block, describe an answer.

Only what the preview needs: GET and HEAD of paths, header blocks up to
:data:`MAX_HEAD` bytes, no request bodies (a request that has one
is answered and its connection closed). A path is percent-decoded once and read as
UTF-8, so raw UTF-8 bytes in the request line mean what their percent-encoding means.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote_to_bytes

MAX_HEAD = 64 * 1024
MAX_HEADERS = 100
_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/\d\.\d")
_HEAD_END = re.compile(rb"\r?\n\r?\n")


class HttpError(Exception):
    """A request that cannot be answered normally: its status and a one-line reason."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Request:
    method: str
    target: str
    """The request target as sent (bytes above 0x7F shown as Latin-1), for logs."""
    path: str | None
    """The path, percent-decoded once and read as UTF-8 (raw UTF-8 bytes too); None when it is not UTF-8."""
    version: str
    headers: dict[str, str]
    """Header names in lower case; values as Latin-1 text."""

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for t in self.headers.get("connection", "").split(",")}
        return self.version == "HTTP/1.1" and "close" not in tokens and not self.has_body

    @property
    def has_body(self) -> bool:
        return "transfer-encoding" in self.headers or self.headers.get("content-length", "0").strip() not in ("", "0")


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    close: bool = False
    stream: Callable[[Any], None] | None = None
    """For a stream (live reload): called with the connection once the head and ``body`` are
    queued; the connection stays open, without a Content-Length, until either side closes it."""
    sent: Callable[[], None] | None = None
    """Called once the whole answer went out to the client's socket."""


def take_head(buffer: bytearray) -> bytes | None:
    """The header block at the start of ``buffer`` (taken out of it, with its blank line), or
    None while it is incomplete; HttpError when it is longer than MAX_HEAD."""
    end = _HEAD_END.search(buffer)
    if (end.start() if end is not None else len(buffer)) > MAX_HEAD:
        raise HttpError(431, f"the request's header block is over {MAX_HEAD // 1024} KiB")
    if end is None:
        return None
    head = bytes(buffer[: end.start()])
    del buffer[: end.end()]
    return head


def parse_request(head: bytes) -> Request:
    """The request whose header block (without the blank line) is ``head``; HttpError when malformed."""
    lines = [line[:-1] if line.endswith(b"\r") else line for line in head.split(b"\n")]
    parts = lines[0].split(b" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1]:
        raise HttpError(400, "malformed request line (expected e.g. 'GET /path HTTP/1.1')")
    method, target, version = parts
    if version not in (b"HTTP/1.1", b"HTTP/1.0"):
        if _VERSION.fullmatch(version):
            raise HttpError(505, "only HTTP/1.0 and HTTP/1.1 are spoken here")
        raise HttpError(400, "malformed request line (expected e.g. 'GET /path HTTP/1.1')")
    if len(lines) - 1 > MAX_HEADERS:
        raise HttpError(431, f"more than {MAX_HEADERS} header lines")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(b":")
        if not colon or not _TOKEN.fullmatch(name):
            raise HttpError(400, "malformed header line (folded lines are not accepted either)")
        key = name.decode("ascii").lower()
        text = value.strip(b" \t").decode("latin-1")
        if key in headers:
            if key in ("host", "origin", "content-length"):
                raise HttpError(400, f"more than one {name.decode('ascii')} header")
            text = headers[key] + ", " + text
        headers[key] = text
    if not target.startswith(b"/"):
        raise HttpError(400, "the request target must be a path starting with '/'")
    return Request(method.decode("ascii"), target.decode("latin-1"), decode_path(target), version.decode(), headers)


def decode_path(target: bytes) -> str | None:
    """The target's path, percent-decoded once and read as UTF-8: ``/caf%C3%A9`` and ``/café``
    sent as raw UTF-8 bytes are the same path. None when the bytes are not UTF-8."""
    raw = target.split(b"?", 1)[0].split(b"#", 1)[0]
    try:
        return unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return None


def reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def response_head(response: Response, close: bool) -> bytes:
    """The status line and headers of ``response`` (a stream's has no Content-Length)."""
    lines = [f"HTTP/1.1 {response.status} {reason(response.status)}", "Server: brief-preview"]
    lines.append(f"Date: {formatdate(usegmt=True)}")
    lines.extend(f"{name}: {value}" for name, value in response.headers)
    if response.stream is None:
        lines.append(f"Content-Length: {len(response.body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
