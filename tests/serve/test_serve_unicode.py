"""``brief serve`` finds a file whose name holds accents however the request spells them.

``é`` is one code point in NFC (what most systems write) and two in NFD (``e`` and a
combining accent: what macOS file systems hand out); a request in either form finds a
file named in the other. Browsers percent-encode paths, other clients send raw UTF-8
bytes in the request line: both mean the same path. Requests are sent byte for byte.
"""

from __future__ import annotations

import socket
import unicodedata
from urllib.parse import quote

from helpers import article, make_site

NFD_NAME = unicodedata.normalize("NFD", "café")  # the file's name on disk: e + U+0301
NFC_NAME = unicodedata.normalize("NFC", "résumé")
FOLDER = unicodedata.normalize("NFC", "guías")


def request(port: int, target: bytes, method: bytes = b"GET") -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            method + b" " + target + f" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body


def spellings(path: str) -> list[bytes]:
    """``path`` in NFC and NFD, each percent-encoded and as raw UTF-8."""
    forms = {unicodedata.normalize(form, path) for form in ("NFC", "NFD")}
    return [spelled for form in sorted(forms) for spelled in (quote(form).encode(), form.encode("utf-8"))]


def test_nfc_and_nfd_names_percent_encoded_or_raw(tmp_path, start_server):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(slug="a"),
            f"static/docs/{NFD_NAME}.txt": "NFD-NAMED FILE\n",
            f"static/docs/{NFC_NAME}.txt": "NFC-NAMED FILE\n",
            f"static/{FOLDER}/index.html": "<!DOCTYPE html><title>Guides</title><p>FOLDER INDEX</p>\n",
        },
    )
    assert (site / "static" / "docs" / f"{NFD_NAME}.txt").exists()
    port = start_server(site).port

    cases = {
        f"/docs/{NFD_NAME}.txt": b"NFD-NAMED FILE\n",
        f"/docs/{NFC_NAME}.txt": b"NFC-NAMED FILE\n",
        f"/{FOLDER}/": b"FOLDER INDEX",
        f"/{FOLDER}": b"FOLDER INDEX",
    }
    for path, expected in cases.items():
        targets = spellings(path)
        assert len(targets) == 4, targets
        for target in targets:
            status, body = request(port, target)
            assert status == 200, (target, status)
            assert expected in body, (target, body[:80])
            assert request(port, target, b"HEAD") == (200, b""), target

    # Raw and percent-encoded bytes mixed in one path are one path too.
    assert request(port, b"/docs/caf\xc3%A9.txt") == (200, b"NFD-NAMED FILE\n")
    assert request(port, b"/docs/caf%C3\xa9.txt?x=\xc3\xa9") == (200, b"NFD-NAMED FILE\n")


def test_bytes_that_are_not_utf8_find_nothing(tmp_path, start_server):
    site = make_site(tmp_path, {"content/a.md": article(slug="a"), f"static/docs/{NFD_NAME}.txt": "NFD-NAMED FILE\n"})
    server = start_server(site)
    for target in (
        b"/docs/caf\xe9.txt",  # Latin-1
        b"/docs/caf%E9.txt",
        b"/docs/caf\xc3.txt",  # cut short
        b"/%c0%ae%c0%ae/brief.toml",  # overlong '..'
        b"/\xc0\xae\xc0\xae/brief.toml",
        b"/docs/\xff\xfe",
    ):
        status, body = request(server.port, target)
        assert status == 404, target
        assert b"NFD-NAMED" not in body
    assert "Traceback" not in server.stderr
