"""``brief check``: everything a build validates, plus what a build does not stop for.

The site is built in memory (nothing is written) with the build's own checks, links
and anchors included, so brief check fails on exactly the errors brief build fails
on. Then every page is read back for what only whole pages show, as warnings: links
and images the templates made that lead nowhere (``theme-link``) and articles that no
link from the front page reaches (``unreachable-article``). Editorial warnings come
from the build itself.

Findings are :class:`~brief.errors.Problem` objects, printed as text, JSON or GitHub
Actions annotations. Errors make the exit code 1; ``--strict`` counts warnings too.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from brief.build import BuildOptions, build
from brief.config import load_config
from brief.errors import WARNING, BriefError, BuildFailed, Problem, tuned
from brief.output.search import BUNDLE_FILES, SEARCH_FOLDER
from brief.output.writers import MemoryWriter
from brief.render.links import PageLinks, extract, internal_page, markdown_urls, why_broken


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
        # The build's own link check (one set of rules: a site fails brief check on the very
        # errors it fails brief build on). No search index: it holds no links of its own.
        result = build(
            config,
            None,
            BuildOptions(drafts=drafts, future=future, link_check=True, search=False, ledger=True),
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
    problems, links = theme_link_problems(pages, files, config.base_path, written)
    problems += reachability(pages, config.base_path, sources)
    return CheckResult(tuned(warnings + problems, config.warnings), len(pages), links)


def _text(data: bytes | Path) -> str:
    raw = data if isinstance(data, bytes) else data.read_bytes()
    return raw.decode("utf-8", "replace")


def theme_link_problems(
    pages: dict[str, str], files: set[str], base_path: str, written: dict[str, set[str]]
) -> tuple[list[Problem], int]:
    """Broken links and images in ``pages`` (output path → HTML) that the templates made, as
    warnings on the page; and how many links were read. The links an article's Markdown holds
    (``written``, by page) were checked by the build itself, with the same rules."""
    found: dict[str, PageLinks] = {rel: extract(html) for rel, html in pages.items()}
    problems: list[Problem] = []
    count = 0
    seen: set[tuple[str, str]] = set()
    for rel, page in found.items():
        for tag, url, line in page.links:
            count += 1
            if url in written.get(rel, ()) or (rel, url) in seen:
                continue
            reason = why_broken(rel, url, found, files, base_path)
            if reason is None:
                continue
            seen.add((rel, url))
            what = "image" if tag in ("img", "source") else "link"
            problems.append(
                Problem(
                    f"page {rel}",
                    line,
                    None,
                    f"{what} {url}: {reason} (in the page made from the templates)",
                    WARNING,
                    "theme-link",
                )
            )
    return problems, count


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
            WARNING,
            "unreachable-article",
        )
        for rel, article in sorted(sources.items())
        if rel not in reached
    ]
