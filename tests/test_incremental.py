"""A build that reuses parsed articles (the preview server's cache) equals a fresh build,
after a random series of edits, renames and deletions."""

from __future__ import annotations

import os
import random
from datetime import datetime, timezone
from pathlib import Path

from helpers import article, make_site

from brief.build import BuildOptions, SourceCache, build
from brief.config import load_config
from brief.output import MemoryWriter

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def built(site: Path, cache: SourceCache | None) -> dict[str, bytes]:
    writer = MemoryWriter()
    try:
        build(load_config(site), None, BuildOptions(now=NOW, drafts=True, future=True, cache=cache), writer=writer)
    except Exception as exc:  # noqa: BLE001 - compare failures too
        return {"error": str(getattr(exc, "problems", exc)).encode()}
    return {k: v if isinstance(v, bytes) else v.read_bytes() for k, v in writer.files.items()}


def test_cached_builds_equal_fresh_builds_after_random_edits(tmp_path):
    rng = random.Random(5)
    files = {f"content/a{i}.md": article(title=f"Story {i}", date=f"2026-0{1 + i % 9}-1{i % 9}", tags=[f"T{i % 3}"],
                                         takeaways=["One"], body=f"Body {i} about topic {i % 3}.\n") for i in range(12)}
    site = make_site(tmp_path, files)
    cache = SourceCache()
    assert built(site, cache) == built(site, None)
    for step in range(25):
        paths = sorted((site / "content").glob("*.md"))
        action = rng.choice(["edit", "edit", "rename", "delete", "add", "break"])
        target = rng.choice(paths)
        if action == "edit":
            text = target.read_text().replace("Body", f"Edited {step}")
            target.write_text(text)
            os.utime(target, ns=(target.stat().st_mtime_ns + 1_000_000, target.stat().st_mtime_ns + 1_000_000))
        elif action == "rename":
            target.rename(target.with_name(f"renamed-{step}.md"))
        elif action == "delete" and len(paths) > 3:
            target.unlink()
        elif action == "add":
            (site / "content" / f"new-{step}.md").write_text(article(title=f"New {step}", takeaways=["x"], tags=["T1"]))
        elif action == "break":
            target.write_text("---\ntitle: ''\ndate: nope\n---\n")
        assert built(site, cache) == built(site, None), f"step {step}: {action} {target.name}"
