"""Every HTML page passes the W3C Nu HTML checker: the sample site, the golden
fixture and a site built from awkward input (non-Latin file names, raw HTML,
hostile links, wide tables), all checked in one call of the checker."""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import BUILD_TIME
from helpers import TESTS

from brief.build import BuildOptions, build
from brief.config import load_config

SITES = TESTS / "sites"


def test_every_page_is_valid_html(sample_output, node_tool, tmp_path):
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    outputs = [sample_output]
    for name in ("golden", "edge"):
        out = tmp_path / name
        build(load_config(SITES / name), out, BuildOptions(now=BUILD_TIME, drafts=True, future=True))
        outputs.append(out)
    pages = sorted(p for out in outputs for p in out.rglob("*.html"))
    assert len(pages) >= 12 + 8 + 5
    result = subprocess.run(
        [java, "-jar", str(vnu), "--errors-only", "--stdout", "--format", "json", *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [
        f"{m.get('url', '')}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0
