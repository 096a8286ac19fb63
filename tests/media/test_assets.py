"""Content-hashed stylesheets and scripts (issue #8, part 3)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from helpers import REPO, article, make_site, run_build

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.media.assets import slim_css
from brief.output.writers import MemoryWriter

HASHED_LINK = re.compile(r'<link rel="stylesheet" href="(/css/brief\.([0-9a-f]{8})\.css)">')
HASHED_SCRIPT = re.compile(r'<script src="(/js/brief\.([0-9a-f]{8})\.js)" defer></script>')


def _digest8(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def test_pages_link_stylesheets_and_scripts_by_content_hash(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "static/images/x.png": b"\x89PNG\r\n\x1a\nnot really"})
    code, _, err = run_build(site)
    assert code == 0, err
    public = site / "public"
    page = (public / "2024/01/a/index.html").read_text()
    ((css_url, css_hash),) = HASHED_LINK.findall(page)
    ((js_url, js_hash),) = HASHED_SCRIPT.findall(page)
    assert css_hash == _digest8(REPO / "static/css/brief.css") and js_hash == _digest8(REPO / "static/js/brief.js")
    # The hashed copies hold the same bytes; the plain names stay published for anything else.
    # the hashed stylesheet is the plain one without comments and indentation (slim_css)
    assert (public / css_url.lstrip("/")).read_bytes() == slim_css((public / "css/brief.css").read_bytes())
    assert (public / js_url.lstrip("/")).read_bytes() == (public / "js/brief.js").read_bytes()
    # Other static files keep their names only.
    assert sorted(p.name for p in (public / "images").iterdir()) == ["favicon.svg", "placeholder.svg", "x.png"]
    assert 'href="/images/favicon.svg"' in page


def test_an_edited_stylesheet_gets_a_new_name_and_pages_follow(tmp_path):
    site = make_site(tmp_path, {"content/a.md": article(), "static/css/brief.css": "body { color: black }\n"})
    assert run_build(site)[0] == 0
    first = HASHED_LINK.findall((site / "public/index.html").read_text())
    (site / "static/css/brief.css").write_text("body { color: navy }\n")
    assert run_build(site)[0] == 0  # a cached build: the pages must not keep the old name
    second = HASHED_LINK.findall((site / "public/index.html").read_text())
    assert first != second and second[0][1] == hashlib.sha256(b"body { color: navy }\n").hexdigest()[:8]
    assert not (site / "public" / first[0][0].lstrip("/")).exists()  # the old copy is gone with the old build
    assert (site / "public" / second[0][0].lstrip("/")).read_text() == "body { color: navy }\n"


def test_a_site_template_asks_for_its_own_script_by_plain_name(tmp_path):
    base = (
        (REPO / "templates/base.html")
        .read_text()
        .replace("{% block head %}", "<script src=\"{{ asset('js/extra.js') }}\" defer></script>\n{% block head %}")
    )
    site = make_site(
        tmp_path,
        {"content/a.md": article(), "templates/base.html": base, "static/js/extra.js": "console.log('extra');\n"},
    )
    assert run_build(site)[0] == 0
    page = (site / "public/index.html").read_text()
    digest = hashlib.sha256(b"console.log('extra');\n").hexdigest()[:8]
    assert f'<script src="/js/extra.{digest}.js" defer></script>' in page
    assert (site / "public" / f"js/extra.{digest}.js").is_file()


def test_the_preview_keeps_plain_names(tmp_path):
    # The live preview swaps a saved stylesheet in place, which needs a stable address.
    site = make_site(tmp_path, {"content/a.md": article()})
    writer = MemoryWriter()
    build(load_config(site), None, BuildOptions(fingerprint=False, search=False), writer=writer)
    page = writer.files["index.html"].decode()
    assert '<link rel="stylesheet" href="/css/brief.css">' in page
    assert not [rel for rel in writer.files if re.search(r"\.[0-9a-f]{8}\.(css|js)$", rel)]


def test_the_hashed_stylesheet_is_slimmed_and_means_the_same():
    css = b'/* theme */\n:root {\n  --x: "a /* b */ c";  /* note */\n  --y: "  ";\n}\n\n  a:hover { color: red; }  \n/* end\n */'
    assert slim_css(css) == b':root {\n--x: "a /* b */ c";\n--y: "  ";\n}\na:hover { color: red; }\n'
    theme = (Path(__file__).parents[2] / "static/css/brief.css").read_bytes()
    slim = slim_css(theme)
    assert len(slim) < 0.85 * len(theme) and b"/*" not in slim
    uncommented = re.sub(rb"/\*.*?\*/", b"", theme, flags=re.S)
    assert slim.count(b"{") == uncommented.count(b"{") and slim.count(b";") == uncommented.count(b";")  # nothing lost
