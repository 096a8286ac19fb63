"""brief.toml and templates that are not regular files are refused, never waited on: a FIFO
named brief.toml or templates/article.html used to hang build, check and serve for ever."""

from __future__ import annotations

import pytest
from helpers import article, make_site
from test_special_files import MAKERS, run


@pytest.mark.parametrize("kind", sorted(MAKERS))
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_special_brief_toml_is_refused(tmp_path, kind, command):
    site = make_site(tmp_path, {"content/a.md": article(takeaways=["One"])})
    make, what = MAKERS[kind]
    make(site / "brief.toml")
    code, out = run(site, command)
    assert code == 1, out
    assert f"brief.toml: {what}" in out, out


@pytest.mark.parametrize("kind", sorted(MAKERS))
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_special_template_is_refused(tmp_path, kind, command):
    site = make_site(tmp_path, {"content/a.md": article(takeaways=["One"]), "templates/partials/.keep": ""})
    make, what = MAKERS[kind]
    make(site / "templates" / "article.html")
    code, out = run(site, command)
    assert code == 1, out
    assert f"templates/article.html: {what}" in out, out
    assert not (site / "public").exists()


def test_the_preview_reports_a_special_template_and_keeps_serving(tmp_path):
    from brief.serve.rebuild import Preview

    site = make_site(tmp_path, {"content/a.md": article(takeaways=["One"])})
    preview = Preview(site, "http://127.0.0.1:8000/")
    preview.rebuild()
    assert not preview.snapshot.problems
    MAKERS["fifo"][0](site / "templates" / "article.html")
    preview.rebuild({str(site / "templates" / "article.html")})
    assert [p.format() for p in preview.snapshot.problems] == [f"templates/article.html: {MAKERS['fifo'][1]}"]
    assert preview.snapshot.files  # the last good site is still served
