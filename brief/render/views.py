"""The template contract's objects for articles and the site, built from the site index.

:func:`render_articles` is the Markdown pass over every built article (through
:mod:`brief.render.articles`, cached) giving each its
:class:`~brief.render.contract.ArticleView`; :func:`assemble_view` makes a view
from an article's rendered parts and its place in the site (cheap), so an
article whose place changed keeps its rendered Markdown. The views come as an
:class:`ArticleViews`, which makes a view when it is first asked for: after one edit of
10,000 articles, a cached build asks for some 300.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, tzinfo
from functools import partial
from pathlib import Path

from brief.content.model import Article
from brief.digests import pickled_digest
from brief.errors import Problem
from brief.forks import cores, fork_iter
from brief.media.images import HERO_SIZES, variant_url
from brief.render.articles import (
    ArticleParts,
    MarkdownMemo,
    fresh_parts,
    keep_parts,
    remembered_parts,
    render_parts,
)
from brief.render.contract import (
    AnalysisView,
    ArticleView,
    CorrectionView,
    ImageSource,
    ImageView,
    Link,
    MenuItemView,
    RelatedView,
    SiteView,
)
from brief.render.fragment import PageEnv
from brief.render.markdown import Renderer
from brief.render.viewkeys import LinkLines, is_scheduled, links_stamp, term_links, view_digester, view_key
from brief.site.model import Site
from brief.site.pages import PageLinkStates


def site_view(site: Site) -> SiteView:
    config = site.config
    logo = config.publisher_logo
    if logo and logo.startswith("/"):
        logo = site.url(logo)
    return SiteView(
        config.title,
        config.description,
        config.language,
        config.publisher_name,
        logo,
        site.url("/"),
        site.url("/search/") if config.search and site.articles else None,  # nothing to search yet: no page
        tuple(
            MenuItemView(
                item.title,
                item.url,
                site.absolute_url(item.path) if item.path is not None else None,
                item.header,
                item.footer,
            )
            for item in site.menu
        ),
    )


def article_view(article: Article, site: Site, renderer: Renderer, env: PageEnv) -> ArticleView:
    """Render ``article``'s Markdown (problems land in ``env``) and make its view."""
    return assemble_view(article, site, render_parts(article, renderer, env))


def assemble_view(
    article: Article,
    site: Site,
    parts: ArticleParts,
    links: dict[tuple[str, str], Link] | None = None,
    shown: tuple[Link, tuple[Link, ...], tuple[Link, ...]] | None = None,
) -> ArticleView:
    """The view of ``article`` from its rendered ``parts`` and the site index (cheap).
    ``links`` keeps the section, tag and author links made so far (many articles share them);
    ``shown``: the article's :func:`term_links`, when made already."""
    section_link, author_links, tag_links = shown if shown is not None else term_links(article, site, links)
    tz = site.config.tz
    image = None
    if article.image:
        img = article.image
        if parts.image_path is not None:
            url = site.url(parts.image_path)
        else:
            url = site.url(img.url) if img.url.startswith("/") else img.url
        width, height = parts.image_size or (None, None)
        found = parts.image_set
        if found is None:
            image = ImageView(url, img.alt, parts.caption, img.credit, width, height, hero=img.hero)
        else:
            base = site.config.base_path
            share = found.share or found.src
            image = ImageView(
                variant_url(found.src, base),
                img.alt,
                parts.caption,
                img.credit,
                width,
                height,
                srcset=found.srcset(found.own, base),
                sizes=HERO_SIZES,
                sources=(ImageSource("image/webp", found.srcset(found.webp, base)),) if found.webp else (),
                share_url=variant_url(share, base),
                share_width=share.width,
                share_height=share.height,
                hero=img.hero,
            )
    analysis = None
    if article.analysis:
        analysis = AnalysisView(article.analysis.label, article.analysis.byline, parts.analysis)  # type: ignore[arg-type]
    notes, notices, modified, byline = _notes(article, parts, tz)
    return ArticleView(
        slug=article.slug,
        title=article.title,
        dek=article.dek,
        url=site.url(article.url_path),
        canonical=site.absolute_url(article.url_path),
        section=article.section,
        authors=article.authors,
        date=article.date.astimezone(tz),
        updated=article.updated.astimezone(tz) if article.updated else None,
        reading_minutes=parts.reading_minutes,
        draft=article.draft,
        image=image,
        takeaways=parts.takeaways,
        analysis=analysis,
        body=parts.body,
        section_link=section_link,
        author_links=author_links,
        tag_links=tag_links,
        scheduled=is_scheduled(article, site),
        original_url=article.canonical,
        corrections=notes,
        notices=notices,
        modified=modified,
        byline_updated=byline,
    )


def _notes(
    article: Article, parts: ArticleParts, tz: tzinfo
) -> tuple[tuple[CorrectionView, ...], tuple[CorrectionView, ...], datetime | None, datetime | None]:
    """The view's fields about ``corrections:``: the notes (newest first, each with its
    anchor), the byline's notices, the last change and the byline's "Updated" time."""
    numbers: dict[int, str] = {}
    counts = {"correction": 0, "update": 0}
    for written in sorted(article.corrections, key=lambda n: (n.date, n.index)):  # oldest first
        counts[written.kind] += 1
        numbers[written.index] = f"{written.kind}-{counts[written.kind]}"
    notes = tuple(
        CorrectionView(written.kind, written.date.astimezone(tz), text, numbers[written.index])
        for written, text in zip(article.corrections, parts.corrections)
    )
    latest: dict[str, CorrectionView] = {}
    for note in notes:
        latest.setdefault(note.kind, note)  # the first of each kind is its newest
    notices = tuple(note for note in notes if latest[note.kind] is note)
    updated = article.updated.astimezone(tz) if article.updated else None
    newest = notes[0].date if notes else None
    byline = updated
    if updated is not None:
        days = {article.date.astimezone(tz).date(), newest.date() if newest else None}
        if updated.date() in days or (newest is not None and updated <= newest):
            byline = None
    modified = max((d for d in (updated, newest) if d is not None), default=None)
    return notes, notices, modified, byline


def site_renderer(site: Site, invalid: frozenset[Path], pages: PageLinkStates) -> Renderer:
    """The Markdown renderer of ``site``'s build: each article's and page's URL, the paths of
    articles and pages left out of it, and the files that are ``invalid``."""
    urls = {str(a.key): site.url(a.url_path) for a in site.articles}
    urls.update((str(path), url) for path, url in pages.urls.items())
    unbuilt = {path for path, a in site.by_path.items() if a.slug not in site.built}
    return Renderer(site.config, urls, unbuilt.union(map(str, pages.unbuilt)), invalid | pages.clashing)


def related_views(site: Site, slug: str, views: Mapping[str, ArticleView]) -> list[RelatedView]:
    out = []
    for item in site.related.get(slug, ()):
        if item.external or item.article is None:
            out.append(RelatedView(item.title, item.url, True, item.domain, None, None, None))
        else:
            view = views[item.article.slug]
            out.append(RelatedView(view.title, view.url, False, None, view.section, view.date, view.dek))
    return out


class ArticleViews(Mapping[str, ArticleView]):
    """The views of a build's articles by slug, each made (:func:`assemble_view`) when first
    asked for: a cached build after an edit asks for the views of the pages it renders again,
    not for every article's. With ``keys``, each view's key (:func:`view_key`) is there, by
    the view's id, from the moment the view is made (pages' keys digest a view as its key),
    and :meth:`key` gives it by slug without making the view."""

    def __init__(
        self,
        site: Site,
        rows: dict[str, tuple[Article, ArticleParts] | ArticleView],
        keys: dict[int, bytes] | None = None,
        memo: MarkdownMemo | None = None,
    ) -> None:
        """``rows``: each article and its rendered parts, by slug (filled by the caller; the
        pair is replaced by the view once it is made, so that a build holds one or the other)."""
        self._site = site
        self._rows = rows
        self._links: dict[tuple[str, str], Link] = {}
        self._keys = keys
        self._by_slug: dict[str, bytes] = {}  # the keys of views not made yet
        self._keyed = view_digester(site)
        self._lines = LinkLines(site, self._links)  # (each view's term links, as its key has them)
        self._previous = memo.views if memo is not None else None  # (the preview's: by article digest)
        self._current: dict[bytes, tuple[ArticleParts, ArticleView]] | None = None
        # Whether any article is dated after the build's time (the newest is first): else none is scheduled.
        self._later = bool(site.articles) and is_scheduled(site.articles[0], site)
        # The last build's view keys, while every term link is as it was (links_stamp), and this build's.
        self._known: dict[bytes, bytes] = {}
        self._made: dict[bytes, bytes] | None = None
        if memo is not None:
            self._current = memo.views = {}
            if keys is not None:
                stamp = links_stamp(site)
                self._known = memo.view_keys if memo.view_stamp == stamp else {}
                self._made, memo.view_stamp = {}, stamp
                memo.view_keys = self._made

    def __getitem__(self, slug: str) -> ArticleView:
        found = self._rows[slug]
        return found if isinstance(found, ArticleView) else self._make(slug, *found)

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, slug: object) -> bool:
        return slug in self._rows

    def make_all(self) -> None:
        """Make every view now (before worker processes are forked, so that they share them)."""
        for slug in self._rows:
            self[slug]

    @property
    def key_of(self) -> Callable[[str], bytes] | None:
        """:meth:`key`, in a build that keeps keys (with a cache); None otherwise."""
        return self.key if self._keys is not None else None

    def key(self, slug: str) -> bytes:
        """The key of the view of ``slug`` (:func:`view_key`), made once; the view itself is
        made only when the article's or its parts' digest is not known."""
        assert self._keys is not None
        found = self._rows[slug]
        if isinstance(found, ArticleView):
            return self._keys[id(found)]
        key = self._by_slug.get(slug)
        if key is None:
            key = self._digest_key(*found)
            if key is None:
                return self._keys[id(self[slug])]  # (the view's own digest, taken as it is made)
            self._by_slug[slug] = key
        return key

    def _make(self, slug: str, article: Article, parts: ArticleParts) -> ArticleView:
        shown = term_links(article, self._site, self._links)
        view = assemble_view(article, self._site, parts, shown=shown)
        if self._current is not None:
            last = self._previous.get(article.digest) if self._previous is not None else None
            if last is not None and last[0] is parts and last[1] == view:
                view = last[1]  # the same object: later stages recognise it unchanged
            self._current[article.digest] = (parts, view)
        self._rows[slug] = view
        if self._keys is not None:
            key = self._by_slug.pop(slug, None) or self._digest_key(article, parts)
            self._keys[id(view)] = key or pickled_digest(view)
        return view

    def _digest_key(self, article: Article, parts: ArticleParts) -> bytes | None:
        scheduled = self._later and is_scheduled(article, self._site)
        made_of = None  # (kept by the digests of both: one bytes object, small)
        if article.digest and parts.digest:
            made_of = article.digest + parts.digest + (b"s" if scheduled else b"-")
        key = self._known.get(made_of) if made_of is not None else None
        if key is None:
            key = view_key(article, parts, self._lines.of(article), scheduled, self._keyed)
        if key is not None and made_of is not None and self._made is not None:
            self._made[made_of] = key
        return key


PARALLEL_MIN_ARTICLES = 500
"""From this many articles to render, ``brief build`` renders their Markdown on every core."""
CHUNK = 100


def render_articles(
    site: Site,
    renderer: Renderer,
    memo: MarkdownMemo | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    jobs: int | None = 1,
    keys: dict[int, bytes] | None = None,
    urls: dict[str, tuple[tuple[str, str], ...]] | None = None,
) -> tuple[ArticleViews, dict[str, tuple[Path, str]], list[Problem]]:
    """Render the Markdown of every built article once; with ``keys``, the views' keys are
    kept there (:class:`ArticleViews`) for the keys of the pages and feeds made of them;
    with ``urls``, each article's links and images as written (by slug: ArticleParts.urls).

    Returns the views by slug, the files next to articles that their pages show
    (output path → source file and the article that uses it), and the problems found.
    With a ``memo``, an article whose text and whose dependencies (link targets,
    image files) are unchanged keeps its rendered Markdown, and, while its place in
    the site is unchanged too, the very same view object; its view is made when first
    asked for, the view of an article rendered now at once. The articles left to render
    are rendered by ``jobs`` forked processes (None: every core when there are many;
    brief.forks), with the same result in the same order.
    """
    assets: dict[str, tuple[Path, str]] = {}
    problems: list[Problem] = []
    total = len(site.articles)
    known = [remembered_parts(article, renderer, memo) for article in site.articles]
    todo = [article for article, found in zip(site.articles, known) if found is None]

    def done(count: int) -> None:
        if progress is not None:
            progress("Rendering Markdown", total - len(todo) + count, total)

    if jobs is None:
        workers = cores() if len(todo) >= PARALLEL_MIN_ARTICLES else 1
    else:
        workers = max(1, jobs)
    chunk = max(1, min(CHUNK, len(todo) // (workers * 4)))
    fresh = fork_iter(partial(fresh_parts, renderer), todo, workers, chunk, done)  # (views made as parts come)
    rows: dict[str, tuple[Article, ArticleParts] | ArticleView] = {}
    views = ArticleViews(site, rows, keys, memo)
    for article, found in zip(site.articles, known):
        parts = found if found is not None else keep_parts(article, renderer, memo, next(fresh))
        rows[article.slug] = (article, parts)  # (a slug taken twice fails the build: the last one's, as before)
        if found is None:
            views._make(article.slug, article, parts)  # (rendered now: wanted, made as the next parts come)
        if urls is not None:
            urls[article.slug] = parts.urls
        problems.extend(parts.problems)
        for output, source in parts.assets:
            assets[output] = (source, article.relpath)
    if progress is not None and not todo and total:
        progress("Rendering Markdown", total, total)
    return views, assets, problems
