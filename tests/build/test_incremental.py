"""The preview's rebuilds (parsed articles and rendered pages reused between builds)
equal a fresh full build after a random series of edits, renames, deletions,
template and config changes."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import article, make_site, with_note

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.output.writers import MemoryWriter
from brief.serve.rebuild import Preview

BASE = "http://127.0.0.1:8000/"


def fresh(site: Path, now: datetime) -> dict[str, bytes] | list[str]:
    writer = MemoryWriter()
    try:
        # The preview's own options: no hashed asset names, search indexed apart (left out below).
        build(
            load_config(site).with_base_url(BASE),
            None,
            BuildOptions(now=now, drafts=True, future=True, search=False, fingerprint=False),
            writer=writer,
        )
    except Exception as exc:  # noqa: BLE001 - a failing build must fail the same way
        return sorted(p.format() for p in getattr(exc, "problems", []))
    return {k: v if isinstance(v, bytes) else v.read_bytes() for k, v in writer.files.items()}


def served(preview: Preview) -> dict[str, bytes] | list[str]:
    snapshot = preview.snapshot
    if snapshot.problems:
        return sorted(p.format() for p in snapshot.problems)
    return {
        k: v if isinstance(v, bytes) else v.read_bytes()
        for k, v in snapshot.files.items()
        if not k.startswith("pagefind/")
    }


@pytest.mark.slow
def test_preview_rebuilds_equal_fresh_builds_after_random_changes(tmp_path, monkeypatch):
    now = datetime(2026, 12, 1, tzinfo=UTC)
    monkeypatch.setattr("brief.serve.rebuild.BuildOptions", lambda **kw: BuildOptions(now=now, **kw))
    rng = random.Random(5)
    files = {
        f"content/a{i}.md": article(
            title=f"Story {i}",
            date=f"2026-0{1 + i % 9}-1{i % 9}",
            tags=[f"T{i % 3}"],
            takeaways=["One"],
            body=f"Body {i} about topic {i % 3} and grids.\n",
        )
        for i in range(12)
    }
    files["templates/partials/share.html"] = (
        '<section class="share" aria-labelledby="s"><h2 id="s">Share v0</h2></section>\n'
    )
    site = make_site(tmp_path, files)
    preview = Preview(site, BASE)
    preview.rebuild()
    assert served(preview) == fresh(site, now)
    for step in range(30):
        paths = sorted((site / "content").glob("*.md"))
        action = rng.choice(["edit", "edit", "edit", "rename", "delete", "add", "break", "template", "config", "note"])
        target = rng.choice(paths)
        changed = {str(target)}
        if action == "edit":
            target.write_text(target.read_text().replace("Body", f"Edited {step}"))
        elif action == "rename":
            renamed = target.with_name(f"renamed-{step}.md")
            target.rename(renamed)
            changed.add(str(renamed))
        elif action == "delete" and len(paths) > 3:
            target.unlink()
        elif action == "add":
            new = site / "content" / f"new-{step}.md"
            new.write_text(article(title=f"New {step}", takeaways=["x"], tags=["T1"], body="About grids.\n"))
            changed = {str(new)}
        elif action == "break":
            target.write_text("---\ntitle: ''\ndate: nope\n---\n")
        elif action == "template":
            partial = site / "templates" / "partials" / "share.html"
            partial.write_text(f'<section class="share" aria-labelledby="s"><h2 id="s">Share v{step}</h2></section>\n')
            changed = {str(partial)}
        elif action == "config":
            (site / "brief.toml").write_text(f'title = "Site {step}"\n')
            changed = {str(site / "brief.toml")}
        elif action == "note":  # a correction or an update added, or every note removed
            note = "" if rng.random() < 0.3 else f"Fix *{step}* of grids."
            kind = rng.choice(["correction", "update"])
            target.write_text(with_note(target.read_text(), f"2026-11-2{step % 10}T08:00:00", note, kind))
        preview.rebuild(changed)
        expected = fresh(site, now)
        if isinstance(expected, list):
            assert served(preview) == expected, f"step {step}: {action}"
        else:
            assert served(preview) == expected, f"step {step}: {action} {target.name}"


def test_preview_reports_a_deleted_related_article_and_a_template_error(tmp_path):
    site = make_site(
        tmp_path,
        {
            "content/a.md": article(title="A", takeaways=["x"], related=["b"]),
            "content/b.md": article(title="B", date="2024-01-03", takeaways=["y"]),
        },
    )
    preview = Preview(site, BASE)
    preview.rebuild()
    assert not preview.snapshot.problems
    good = preview.snapshot.files
    (site / "content" / "b.md").unlink()
    preview.rebuild({str(site / "content" / "b.md")})
    assert [p.format() for p in preview.snapshot.problems] == [
        "content/a.md:7: related[0]: no article with slug 'b' (expected the slug of another article: "
        "its file name without .md, or its slug: field)"
    ]
    assert preview.snapshot.files is good  # the last good site stays served
    (site / "content" / "b.md").write_text(article(title="B", date="2024-01-03", takeaways=["y"]))
    template = site / "templates" / "partials" / "share.html"
    template.parent.mkdir(parents=True)
    template.write_text("<section>\n{{ article.nope }}\n</section>\n")
    preview.rebuild({str(site / "content" / "b.md"), str(template)})
    messages = [p.format() for p in preview.snapshot.problems]
    assert len(messages) == 1 and messages[0].startswith(
        "templates/partials/share.html:2: template error: UndefinedError"
    )
    template.unlink()
    preview.rebuild({str(template)})
    assert not preview.snapshot.problems and preview.snapshot.kind == "reload"
