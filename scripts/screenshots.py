"""Full-page screenshots of every page kind of a site, for review and for the README.

    .venv/bin/python scripts/screenshots.py [--site .] [--out screenshots/] [--readme]

Builds the site (the sample publication by default) into a temporary folder, serves it on
127.0.0.1 and opens each kind of page in Debian's Chromium (Playwright, as the browser
tests do) at 360 and 1280 px wide, in the light and the dark colour scheme, writing
``<kind>-<width>-<scheme>.png`` into ``--out``. With ``--readme`` it also rewrites the two
images near the top of README.md (``docs/screenshots/``): the front page and an article,
1280 px, light. Nothing here is compared pixel by pixel: the pictures are for people.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from brief.build import BuildOptions, build
from brief.config import load_config

CHROMIUM = "/usr/bin/chromium"
REPO = Path(__file__).resolve().parent.parent
README_SHOTS = REPO / "docs" / "screenshots"
WIDTHS = (360, 1280)
SCHEMES = ("light", "dark")


def page_kinds(out: Path, query: str = "rates") -> dict[str, str]:
    """One URL path per page kind that the built site in ``out`` has (the search page with
    ``query`` asked)."""
    kinds = {"front": "/", "archive": "/archive/", "sections": "/sections/", "tags": "/tags/"}
    kinds |= {"authors": "/authors/", "corrections": "/corrections/", "404": "/404.html"}
    if (out / "page/2/index.html").exists():
        kinds["front-page-2"] = "/page/2/"
    firsts = {
        "article": next(iter(sorted(p for p in out.glob("[0-9]*/[0-9]*/*/index.html"))), None),
        "section": next(iter(sorted(out.glob("sections/*/index.html"))), None),
        "tag": next(iter(sorted(out.glob("tags/*/index.html"))), None),
        "author": next(iter(sorted(out.glob("authors/*/index.html"))), None),
        "archive-year": next(iter(sorted(out.glob("archive/[0-9]*/index.html"))), None),
    }
    for kind, file in firsts.items():
        if file is not None:
            kinds[kind] = "/" + file.parent.relative_to(out).as_posix() + "/"
    own = {"sections", "tags", "authors", "archive", "corrections", "search", "page", "pagefind"}
    for doc in sorted(out.glob("*/index.html")):
        if doc.parent.name not in own and not doc.parent.name.isdigit():
            kinds["page"] = f"/{doc.parent.name}/"
            break
    kinds = {kind: path for kind, path in kinds.items() if (out / path.lstrip("/")).exists() or path == "/"}
    if (out / "search/index.html").exists():
        kinds["search"] = f"/search/?q={query}"
    return kinds


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def shoot(url: str, kinds: dict[str, str], out: Path, readme: bool) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for scheme in SCHEMES:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
                page = context.new_page()
                for kind, path in kinds.items():
                    page.goto(url + path, wait_until="networkidle")
                    if kind == "search":
                        page.wait_for_selector(".pagefind-ui__result", timeout=15000)
                    target = out / f"{kind}-{width}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                    if readme and width == 1280 and scheme == "light" and kind in ("front", "article"):
                        README_SHOTS.mkdir(parents=True, exist_ok=True)
                        clip = {"x": 0, "y": 0, "width": 1280, "height": 1500}
                        page.screenshot(path=str(README_SHOTS / f"{kind}.png"), full_page=True, clip=clip)
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=REPO, help="the site folder (default: the sample site)")
    parser.add_argument("--out", type=Path, default=Path("screenshots"), help="where the pictures go")
    parser.add_argument("--readme", action="store_true", help="also rewrite the README's two screenshots")
    parser.add_argument("--only", default="", help="page kinds to take, comma-separated (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        public = Path(tmp) / "public"
        build(load_config(args.site.resolve()), public, BuildOptions())
        kinds = page_kinds(public)
        if args.only:
            kinds = {kind: path for kind, path in kinds.items() if kind in args.only.split(",")}
        with served(public) as url:
            written = shoot(url, kinds, args.out, args.readme)
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
