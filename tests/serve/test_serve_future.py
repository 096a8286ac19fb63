"""``brief serve`` keeps drafts and scheduled articles; ``--no-drafts`` leaves both out, as ``brief
build`` does, and ``--future`` keeps the scheduled ones, as ``brief build --future`` does. The real
server in a subprocess (conftest's start_server), asked over HTTP."""

from __future__ import annotations

import http.client

import pytest
from helpers import article, make_site

PAGES = {"now": "/2024/01/now/", "later": "/2999/01/later/", "draft": "/2024/01/draft/"}


def status(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ((), {"now", "later", "draft"}),
        (("--no-drafts",), {"now"}),
        (("--no-drafts", "--future"), {"now", "later"}),
        (("--future",), {"now", "later", "draft"}),
    ],
)
def test_future_keeps_scheduled_articles_without_drafts(tmp_path, start_server, args, shown):
    site = make_site(
        tmp_path,
        {
            "content/now.md": article(title="Now", date="2024-01-02"),
            "content/later.md": article(title="Later", date="2999-01-02"),
            "content/draft.md": article(title="Draft", date="2024-01-03", draft=True),
        },
        'title = "T"\nsearch = false\n',
    )
    server = start_server(site, *args)
    found = {name for name, path in PAGES.items() if status(server.port, path) == 200}
    assert found == shown
    assert {name for name, path in PAGES.items() if status(server.port, path) == 404} == PAGES.keys() - shown
