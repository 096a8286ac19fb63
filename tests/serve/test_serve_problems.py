"""What ``brief serve`` says about a broken site: in the terminal, each error with its source
lines under it (one line each with -q); to the browser, every problem (errors first) with its
place, what is wrong and the same source lines, for the overlay (tests/system/test_serve_overlay.py)."""

from __future__ import annotations

import json
import logging

from helpers import Raw, article, atomic_write, make_site
from test_serve import EventStreams

from brief.serve.live import state_message
from brief.serve.rebuild import Preview

# Line 4: an unknown key (a warning); line 5: a section that is no string (an error).
BROKEN = article(titel="Typo", section=Raw("[1, 2]"), takeaways=["One"])


def _site(tmp_path):
    return make_site(tmp_path, {"content/a.md": article(takeaways=["One"])})


def test_problems_reach_the_terminal_and_the_browser_with_their_source_lines(tmp_path, start_server):
    site = _site(tmp_path)
    server = start_server(site)
    streams = EventStreams(server.port, 1)
    try:
        streams.wait_all(lambda names: "hello" in names, 10, "hello")
        atomic_write(site / "content" / "a.md", BROKEN)
        streams.wait_all(lambda names: "problems" in names, 10, "the problems")
        payload = json.loads([data for name, data in streams.events[0] if name == "problems"][-1])
    finally:
        streams.close()
    assert payload["summary"] == "1 error, 1 warning"
    error, warning = payload["problems"]  # errors first, though the warning's line comes first
    assert error["where"] == "content/a.md:5" and error["severity"] == "error"
    assert error["what"].startswith("section: expected")
    assert error["text"] == f"content/a.md:5: {error['what']}"
    assert error["excerpt"] == [
        {"number": 3, "text": "date: '2024-01-02'", "marked": False},
        {"number": 4, "text": "titel: Typo", "marked": False},
        {"number": 5, "text": "section: [1, 2]", "marked": True},
        {"number": 6, "text": "takeaways:", "marked": False},
        {"number": 7, "text": "- One", "marked": False},
    ]
    assert warning["where"] == "content/a.md:4" and warning["severity"] == "warning"
    assert warning["excerpt"] is None  # a warning stays one line
    # The terminal: the error, then the same lines.
    line = server.wait_for(r"^content/a\.md:5: section: expected").string
    start = server.lines.index(line)
    assert server.lines[start + 1 : start + 6] == [
        "    3 | date: '2024-01-02'",
        "    4 | titel: Typo",
        "  > 5 | section: [1, 2]",
        "    6 | takeaways:",
        "    7 | - One",
    ]


def test_quiet_keeps_the_terminal_to_one_line_a_problem_but_not_the_overlay(tmp_path, caplog):
    site = _site(tmp_path)
    (site / "content" / "a.md").write_text(BROKEN, encoding="utf-8")
    for terse in (False, True):
        preview = Preview(site, "http://127.0.0.1:8000/", terse=terse)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="brief.serve"):
            preview.rebuild()
        errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
        assert errors[0].startswith("content/a.md:4: warning: titel:")
        assert errors[1].splitlines()[0].startswith("content/a.md:5: section: expected")
        assert errors[1].splitlines()[1:] == ([] if terse else ["    3 | date: '2024-01-02'", "    4 | titel: Typo",
            "  > 5 | section: [1, 2]", "    6 | takeaways:", "    7 | - One"])  # fmt: skip
        message = state_message(preview.snapshot, initial=True).decode()
        assert '"marked": true' in message and "section: [1, 2]" in message  # the overlay has them either way
