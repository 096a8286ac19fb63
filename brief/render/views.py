"""What templates see: small read-only views built from the site index.

This module is the theme contract in code: every name a template may use is a
field below (documented in docs/themes.md). Markdown is rendered here, once per
fragment, and shared by every page that shows it.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from brief.digests import file_stamp
from brief.errors import Problem
from brief.media.images import HERO_SIZES, ImageError, Responsive, variant_url
from brief.media.imagesize import image_size
from brief.render.markdown import PageEnv, Renderer
from brief.content.model import Article, Site

WORDS_PER_MINUTE = 230
MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class SiteView:
    title: str
    description: str
    language: str
    publisher_name: str
    publisher_logo: str | None
    home_url: str
    search_url: str | None = None
    """The search page (``/search/``); None when the site has search off."""


@dataclass(frozen=True, slots=True)
class Link:
    """A named link: a section, tag or author page, a feed."""

    name: str
    url: str
    """Root-relative URL (base path included); absolute for feeds."""


@dataclass(frozen=True, slots=True)
class FeedLink:
    title: str
    url: str
    """Absolute URL."""
    type: str
    """MIME type: application/atom+xml or application/feed+json."""


@dataclass(frozen=True, slots=True)
class Meta:
    """Search-engine and social metadata of a page (built by brief.metadata)."""

    og: tuple[tuple[str, str], ...] = ()
    """OpenGraph ``(property, content)`` pairs, e.g. ``("og:title", "…")``, in order."""
    twitter: tuple[tuple[str, str], ...] = ()
    """Twitter card ``(name, content)`` pairs."""
    jsonld: tuple[Markup, ...] = ()
    """JSON-LD documents, serialised and escaped for a <script> element."""


@dataclass(frozen=True, slots=True)
class PageView:
    title: str
    description: str
    canonical: str
    kind: str
    """"article", "index", "section", "tag", "author", "sections", "tags", "authors",
    "archive", "archive-year", "404" or "search"."""
    feeds: tuple[FeedLink, ...] = ()
    """Feeds to announce with <link rel="alternate">: the site's, then this page's own."""
    meta: Meta = Meta()


@dataclass(frozen=True, slots=True)
class ImageSource:
    """A ``<source>`` of a ``<picture>``: the candidates in one more format."""

    type: str
    """MIME type, ``image/webp``."""
    srcset: str


@dataclass(frozen=True, slots=True)
class ImageView:
    url: str
    """The ``src``: the original, or its largest resized copy when the original is wider."""
    alt: str
    caption: Markup | None
    credit: str | None
    width: int | None = None
    """Intrinsic size when brief can read it from the file, so the page reserves the space."""
    height: int | None = None
    srcset: str | None = None
    """For a local PNG, JPEG or WebP image: its widths in its own format (``url 480w, …``)."""
    sizes: str | None = None
    """The ``sizes`` that goes with ``srcset`` and ``sources``."""
    sources: tuple[ImageSource, ...] = ()
    """``<source>`` elements for a ``<picture>`` (the WebP copies); empty otherwise."""
    share_url: str | None = None
    """The copy for OpenGraph, Twitter cards and JSON-LD (1200 px wide, or the original when
    narrower), root-relative; None: ``url`` is used."""
    share_width: int | None = None
    share_height: int | None = None


@dataclass(frozen=True, slots=True)
class AnalysisView:
    label: str
    byline: str | None
    body: Markup


@dataclass(frozen=True, slots=True)
class ArticleView:
    slug: str
    title: str
    dek: str | None
    url: str
    """Root-relative URL, base path included."""
    canonical: str
    """Absolute URL."""
    section: str
    authors: tuple[str, ...]
    date: datetime
    """In the site's time zone."""
    updated: datetime | None
    reading_minutes: int
    draft: bool
    image: ImageView | None
    takeaways: tuple[Markup, ...]
    analysis: AnalysisView | None
    body: Markup
    section_link: Link | None = None
    """The section's page."""
    author_links: tuple[Link, ...] = ()
    """One per author, in the order given, to the author pages."""
    tag_links: tuple[Link, ...] = ()
    scheduled: bool = False
    """Dated after the build time (only in builds with --future, such as the preview)."""


@dataclass(frozen=True, slots=True)
class RelatedView:
    title: str
    url: str
    external: bool
    domain: str | None
    section: str | None
    date: datetime | None
    dek: str | None


@dataclass(frozen=True, slots=True)
class ShareLink:
    name: str
    label: str
    text: str
    url: str


@dataclass(frozen=True, slots=True)
class Pagination:
    number: int
    total: int
    prev_url: str | None
    next_url: str | None


def site_view(site: Site) -> SiteView:
    config = site.config
    logo = config.publisher_logo
    if logo and logo.startswith("/"):
        logo = site.url(logo)
    return SiteView(config.title, config.description, config.language, config.publisher_name, logo, site.url("/"),
                    site.url("/search/") if config.search and site.articles else None)  # nothing to search yet: no page


@dataclass(frozen=True, slots=True)
class ArticleParts:
    """An article's rendered Markdown and what rendering found: the costly part of a view,
    kept between builds while the article and everything in ``deps`` stay the same."""

    caption: Markup | None
    takeaways: tuple[Markup, ...]
    analysis: Markup | None
    body: Markup
    image_path: str | None
    """Site path of a hero image copied next to the article."""
    image_size: tuple[int, int] | None
    reading_minutes: int
    problems: tuple
    assets: tuple[tuple[str, Path], ...]
    """(output path, source file) of the files next to the article that the page shows."""
    deps: tuple[tuple[str, str, object], ...]
    """What the HTML depended on besides the article: (kind, path, value seen)."""
    image_set: Responsive | None = None
    """The hero's resized copies (a local PNG, JPEG or WebP image)."""


def render_parts(article: Article, renderer: Renderer, env: PageEnv) -> ArticleParts:
    """Render every Markdown fragment of ``article`` once; problems and files land in ``env``."""
    caption = image_path = size = image_set = None
    if article.image:
        img = article.image
        caption = renderer.inline(img.caption, env, img.caption_line, "image.caption") if img.caption else None
        if not img.url and img.source is not None:
            image_path = env.add_asset(img.source)
        if img.source is not None:
            env.deps[("file", str(img.source))] = file_stamp(img.source)
            image_set = _hero_copies(article, renderer, env, image_path or img.url)
            size = (image_set.width, image_set.height) if image_set is not None else image_size(img.source)
    takeaways = tuple(renderer.inline(t, env, line, f"takeaways[{i}]")
                      for i, (t, line) in enumerate(zip(article.takeaways, article.takeaway_lines)))
    analysis = None
    if article.analysis:
        a = article.analysis
        analysis = renderer.block(a.body, env, a.line or 1, doc_id="analysis", field="analysis.body", outer_level=2)
    body = renderer.block(article.body, env, article.body_line)
    words = sum(len(_WORD.findall(text)) for text in (article.body, *article.takeaways, article.analysis.body if article.analysis else ""))
    return ArticleParts(caption, takeaways, analysis, body, image_path, size, max(1, math.ceil(words / WORDS_PER_MINUTE)),
                        tuple(env.problems), tuple(env.assets.items()),
                        tuple((kind, path, value) for (kind, path), value in env.deps.items()), image_set)


def _hero_copies(article: Article, renderer: Renderer, env: PageEnv, published: str) -> Responsive | None:
    """The hero's resized copies (registered to be published), or None for an image shown as
    it is (SVG, GIF) or one that cannot be read (a problem on ``image.src``)."""
    source = article.image.source  # type: ignore[union-attr]
    assert source is not None
    try:
        found = renderer.images.prepare(source, published, share=True)
    except ImageError as exc:
        img = article.image
        assert img is not None
        shown = "static" + img.url if img.url else posixpath.normpath(posixpath.join(posixpath.dirname(article.relpath), img.src))
        line = article.lines.get(("image", "src")) or article.lines.get(("image",))
        env.problems.append(Problem(article.relpath, line, "image.src", exc.message(shown)))
        return None
    if found is not None:
        for copy in found.copies():
            env.assets[copy.path.lstrip("/")] = copy.file  # type: ignore[assignment]
            env.deps[("file", str(copy.file))] = file_stamp(copy.file)  # type: ignore[arg-type]
    return found


def article_view(article: Article, site: Site, renderer: Renderer, env: PageEnv) -> ArticleView:
    """Render ``article``'s Markdown (problems land in ``env``) and make its view."""
    return assemble_view(article, site, render_parts(article, renderer, env))


def assemble_view(article: Article, site: Site, parts: ArticleParts) -> ArticleView:
    """The view of ``article`` from its rendered ``parts`` and the site index (cheap)."""
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
            image = ImageView(url, img.alt, parts.caption, img.credit, width, height)
        else:
            base = site.config.base_path
            share = found.share or found.src
            image = ImageView(variant_url(found.src, base), img.alt, parts.caption, img.credit, width, height,
                              srcset=found.srcset(found.own, base), sizes=HERO_SIZES,
                              sources=(ImageSource("image/webp", found.srcset(found.webp, base)),) if found.webp else (),
                              share_url=variant_url(share, base), share_width=share.width, share_height=share.height)
    analysis = None
    if article.analysis:
        analysis = AnalysisView(article.analysis.label, article.analysis.byline, parts.analysis)  # type: ignore[arg-type]
    return ArticleView(
        slug=article.slug, title=article.title, dek=article.dek,
        url=site.url(article.url_path), canonical=site.absolute_url(article.url_path),
        section=article.section, authors=article.authors,
        date=article.date.astimezone(tz), updated=article.updated.astimezone(tz) if article.updated else None,
        reading_minutes=parts.reading_minutes, draft=article.draft,
        image=image, takeaways=parts.takeaways, analysis=analysis, body=parts.body,
        section_link=_term_link(site, "section", article.section),
        author_links=tuple(_term_link(site, "author", name) for name in article.authors),
        tag_links=tuple(_term_link(site, "tag", tag) for tag in article.tags),
        scheduled=site.now is not None and article.date > site.now,
    )


def _term_link(site: Site, kind: str, name: str) -> Link:
    term = site.term(kind, name)
    return Link(term.name, site.url(term.url_path))


def related_views(site: Site, slug: str, views: dict[str, ArticleView]) -> list[RelatedView]:
    out = []
    for item in site.related.get(slug, ()):
        if item.external or item.article is None:
            out.append(RelatedView(item.title, item.url, True, item.domain, None, None, None))
        else:
            view = views[item.article.slug]
            out.append(RelatedView(view.title, view.url, False, None, view.section, view.date, view.dek))
    return out


def share_links(view: ArticleView) -> list[ShareLink]:
    """Plain share links: no third-party script, usable without JavaScript."""
    return list(_share_links(view.canonical, view.title, view.dek))


@lru_cache(maxsize=65536)
def _share_links(canonical: str, headline: str, dek: str | None) -> tuple[ShareLink, ...]:
    # Memoised: the preview asks again for every unchanged article on every rebuild.
    url = quote(canonical, safe="")
    title = quote(headline, safe="")
    body = quote(f"{dek}\n\n{canonical}" if dek else canonical, safe="")
    return (
        ShareLink("x", "Share on X", "X", f"https://x.com/intent/post?url={url}&text={title}"),
        ShareLink("linkedin", "Share on LinkedIn", "LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url}"),
        ShareLink("facebook", "Share on Facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={url}"),
        ShareLink("email", "Share by email", "Email", f"mailto:?subject={title}&body={body}"),
    )
