"""Every HTML page of the sample site passes the W3C Nu HTML checker, in one call."""

from __future__ import annotations

import json
import shutil
import subprocess


def test_every_page_is_valid_html(sample_output, node_tool):
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    pages = sorted(sample_output.rglob("*.html"))
    assert len(pages) >= 12
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--stdout", "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [f"{m.get('url', '').split(str(sample_output))[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in messages if m["type"] == "error" or m.get("subType") == "fatal"]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0
