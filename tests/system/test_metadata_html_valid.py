"""The metadata partial (templates/partials/meta.html), filled with hostile values, passes the
W3C Nu HTML checker (node_modules/vnu-jar, run by java). The values themselves are tested in
tests/render/test_metadata.py, whose hostile site and fixture this module uses.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess

from test_metadata import BASE, _article_page, hostile  # noqa: F401 - hostile is a fixture, used below

from brief.render.contract import FeedLink
from brief.render.metadata import article_meta


def test_hostile_meta_is_valid_html(hostile, node_tool, tmp_path):  # noqa: F811
    """The partial's output, with hostile values, passes the Nu checker in a minimal document."""
    page, view = _article_page(hostile, "rates")
    feed = FeedLink('Feed "</script>"', BASE + "feed.xml", "application/atom+xml")
    page = dataclasses.replace(page, feeds=(feed,), meta=article_meta(hostile.site, page, view))
    head = hostile.env.get_template("partials/meta.html").render(page=page)
    doc = tmp_path / "meta.html"
    doc.write_text(
        f'<!DOCTYPE html>\n<html lang="de-AT">\n<head>\n<meta charset="utf-8">\n<title>t</title>\n'
        f"{head}</head>\n<body><p>x</p></body>\n</html>\n",
        encoding="utf-8",
    )
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    result = subprocess.run(
        [
            java,
            "-jar",
            str(node_tool("vnu-jar/build/dist/vnu.jar")),
            "--errors-only",
            "--stdout",
            "--format",
            "json",
            str(doc),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stdout)["messages"]
    assert [m["message"] for m in messages] == []
