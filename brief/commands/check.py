"""``brief check``: everything a build validates, plus what a build does not stop for.

The site is built in memory (nothing is written), then every page is read back:
each internal link and image must lead to a file of the site, each ``#anchor`` to
an id on its page, and every article must be reachable by following links from
the front page. Editorial warnings (headline and dek lengths, missing takeaways,
images without alt text, an analysis without byline, an article related to itself,
duplicate headlines) come from the build itself.

Findings are :class:`~brief.errors.Problem` objects, printed as text, JSON or GitHub
Actions annotations. Errors make the exit code 1; ``--strict`` counts warnings too.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.errors import WARNING, BriefError, BuildFailed, Problem
from brief.output.search import BUNDLE_FILES, SEARCH_FOLDER
from brief.output.writers import MemoryWriter
from brief.render.fragment import HEADING_ID_PREFIX
from brief.render.links import PageLinks, extract, internal_page, markdown_urls, source_line, why_broken


@dataclass
class CheckResult:
    problems: list[Problem]
    pages: int
    links: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != WARNING]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]


def check_site(
    site_dir: Path, *, drafts: bool = False, future: bool = False, base_url: str | None = None
) -> CheckResult:
    """Build the site in memory and check it. Raises :class:`BriefError` only for a site
    that cannot be read at all (no brief.toml problems: those are findings)."""
    try:
        config = load_config(site_dir)
        if base_url:
            config = config.with_base_url(base_url)
    except BuildFailed as exc:
        return CheckResult(exc.problems, 0, 0)
    except BriefError as exc:  # brief.toml cannot be read: still a finding, in every format
        return CheckResult([Problem("brief.toml", None, None, exc.message)], 0, 0)
    writer = MemoryWriter()
    warnings: list[Problem] = []
    try:
        # No search index: it takes long on a large site and holds no links of its own.
        result = build(
            config,
            None,
            BuildOptions(drafts=drafts, future=future, link_check=False, search=False),
            on_warning=warnings.append,
            writer=writer,
        )
    except BuildFailed as exc:
        return CheckResult(exc.problems, 0, 0)
    assert result.state is not None
    site, views = result.state.site, result.state.views
    sources = {a.output_dir + "/index.html": a for a in site.articles}
    written = {rel: {url for _, url in markdown_urls(views[a.slug])} for rel, a in sources.items()}
    pages = {rel: _text(data) for rel, data in writer.files.items() if rel.endswith(".html")}
    files = set(writer.files) | (
        {f"{SEARCH_FOLDER}/{name}" for name in BUNDLE_FILES} if config.search and site.articles else set()
    )
    problems, links = link_problems(pages, files, config.base_path, sources, written)
    problems += reachability(pages, config.base_path, sources)
    return CheckResult(warnings + problems, len(pages), links)


def _text(data: bytes | Path) -> str:
    raw = data if isinstance(data, bytes) else data.read_bytes()
    return raw.decode("utf-8", "replace")


def link_problems(
    pages: dict[str, str], files: set[str], base_path: str, sources: dict, written: dict[str, set[str]] | None = None
) -> tuple[list[Problem], int]:
    """Broken internal links, images and anchors in ``pages`` (output path → HTML). A link
    that an article's Markdown holds (``written``, by page) is reported on the article's
    file and line; any other on the page, as the templates made it."""
    found: dict[str, PageLinks] = {rel: extract(html) for rel, html in pages.items()}
    problems: list[Problem] = []
    count = 0
    seen: set[tuple[str, str]] = set()
    for rel, page in found.items():
        for tag, url, line in page.links:
            count += 1
            reason = why_broken(rel, url, found, files, base_path)
            if reason is None or (rel, url) in seen:
                continue
            seen.add((rel, url))
            article = sources.get(rel)
            what = "image" if tag in ("img", "source") else "link"
            if article is not None and (written is None or url in written.get(rel, ())):
                shown = _as_written(article, url)
                if shown != url:  # the heading's id, as the author named it
                    reason = reason.replace(f"'{_fragment(url)}'", f"'{_fragment(shown)}'")
                problems.append(
                    Problem(article.relpath, source_line(article, shown, base_path), None, f"{what} {shown}: {reason}")
                )
            else:
                problems.append(
                    Problem(f"page {rel}", line, None, f"{what} {url}: {reason} (in the page made from the templates)")
                )
    return problems, count


def _fragment(url: str) -> str:
    return unquote(url.partition("#")[2])


def _as_written(article, url: str) -> str:
    """``url`` with the ``#fragment`` the author wrote: brief writes a link to ``#outlook`` as
    ``#h-outlook``, the id of the heading "Outlook" (brief.render.mdrules.heading_anchor)."""
    base, _, fragment = url.partition("#")
    if not fragment.startswith(HEADING_ID_PREFIX):
        return url
    try:
        text = article.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return url
    if "#" + fragment in text:
        return url  # written with its prefix
    return f"{base}#{fragment[len(HEADING_ID_PREFIX) :]}"


def reachability(pages: dict[str, str], base_path: str, sources: dict) -> list[Problem]:
    """Articles whose page cannot be reached by following links from the front page."""
    if "index.html" not in pages:
        return []
    links = {rel: extract(html) for rel, html in pages.items()}
    reached = {"index.html"}
    queue = deque(["index.html"])
    while queue:
        rel = queue.popleft()
        for _, url, _ in links[rel].links:
            target = internal_page(rel, url, base_path)
            if target is not None and target in links and target not in reached:
                reached.add(target)
                queue.append(target)
    return [
        Problem(
            article.relpath,
            None,
            None,
            "no link leads to this article from the front page, its section or its tags (readers cannot find it)",
        )
        for rel, article in sorted(sources.items())
        if rel not in reached
    ]


# --- reporting ---------------------------------------------------------------------------------
