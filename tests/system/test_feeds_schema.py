"""The Atom feeds against RFC 4287's schema (tests/atom.rnc), with the Jing inside the Nu
HTML checker's jar (node_modules/vnu-jar, run by java). The feeds themselves are tested in
tests/render/test_feeds.py, whose scratch site and fixture this module uses.
"""

from __future__ import annotations

import shutil
import subprocess

from conftest import BUILD_TIME
from helpers import REPO
from test_feeds import index_site, scratch  # noqa: F401 - scratch is a fixture, used below

from brief.render.feeds import feed_files


def test_atom_feeds_match_the_rfc_4287_schema(scratch, tmp_path, node_tool):  # noqa: F811
    """Jing (bundled in the Nu checker's jar) against tests/atom.rnc: structure, dates with offsets, absolute IRIs."""
    java = shutil.which("java")
    assert java, "java is missing: run 'make test', which installs default-jre-headless"
    jing = "nu.validator.vendor.thaiopensource.relaxng.util.Driver"
    _, _, files = scratch
    golden = dict(feed_files(*index_site(REPO / "tests" / "sites" / "golden"), BUILD_TIME))
    paths = []
    for prefix, group in (("scratch", files), ("golden", golden)):
        for rel, data in group.items():
            if rel.endswith(".xml"):
                path = tmp_path / prefix / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                paths.append(str(path))
    proc = subprocess.run(
        [
            java,
            "-cp",
            str(node_tool("vnu-jar/build/dist/vnu.jar")),
            jing,
            "-c",
            str(REPO / "tests" / "atom.rnc"),
            *paths,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
