"""What ``brief serve`` tells open pages after an edit: the pages that changed, by path, so
that the others stay as they are (in a browser: tests/system/test_serve_tabs.py)."""

from __future__ import annotations

import json
import time

import pytest
from helpers import article, atomic_write, make_site
from test_serve import EventStreams, get

ALPHA = "/2024/01/alpha/"
BETA = "/2024/01/beta/"


def _wait_indexed(server, times: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while server.stderr.count("Indexed 2 articles for search") < times:
        assert time.monotonic() < deadline, f"not indexed {times} times:\n{server.stderr}"
        time.sleep(0.05)


@pytest.mark.slow
def test_an_edit_with_search_on_names_only_the_pages_it_changed(tmp_path, start_server):
    """The search index made after the last build is served with the next one too: it is
    no change that would reload every open page (paths null)."""
    site = make_site(
        tmp_path,
        {
            "content/alpha.md": article("Quokkas hop about the island.\n", title="Alpha", slug="alpha"),
            "content/beta.md": article("Zebras graze the savanna at dawn.\n", title="Beta", slug="beta"),
        },
    )
    server = start_server(site)
    server.wait_for(r"Indexed 2 articles for search")
    streams = EventStreams(server.port, 1)
    try:
        streams.wait_all(lambda names: "hello" in names, 10, "hello")
        for round_, words in enumerate(("Wombats dig at night.", "Echidnas forage at noon.")):
            builds = server.rebuilds()
            atomic_write(site / "content" / "alpha.md", article(f"{words}\n", title="Alpha", slug="alpha"))
            streams.wait_all(lambda names, n=round_ + 1: names.count("reload") == n, 10, "the edited page's reload")
            assert get(server.port, ALPHA)[0] == 200  # as the reloading page does
            server.wait_rebuilds(builds)
            # Indexing again comes after the rebuild has told the pages: by then all is sent.
            _wait_indexed(server, round_ + 2)
    finally:
        streams.close()
    told = [(name, json.loads(data)) for name, data in streams.events[0] if name in ("reload", "update")]
    assert told and all(data["paths"] is not None for _, data in told), told
    assert all(BETA not in data["paths"] for _, data in told), told
    assert [data["paths"] for name, data in told if name == "reload"] == [[ALPHA], [ALPHA]], told
