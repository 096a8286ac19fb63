"""Pages with responsive images (<picture>, srcset, sizes) pass the W3C Nu HTML checker
(node_modules/vnu-jar, run by java). The images themselves are tested in
tests/media/test_images.py, whose image site and fixture this module uses.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from test_images import built  # noqa: F401 - a fixture, used below


def test_pages_with_pictures_are_valid_html(built, node_tool):  # noqa: F811
    _, out, _, _ = built
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "java is missing: run 'make test'"
    pages = [out / "2026/03/story/index.html", out / "2026/03/other/index.html", out / "2026/02/narrow/index.html"]
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--stdout", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = [m for m in json.loads(result.stdout)["messages"] if m["type"] == "error" or m.get("subType") == "fatal"]
    assert messages == [] and result.returncode == 0
